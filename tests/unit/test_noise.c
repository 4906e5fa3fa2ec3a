/* Noise patterns: the dict/noise.txt format, span and line matching, the
 * multi-pattern scan against a naive search, and the project's own
 * patterns on the corpus (markers and ads found, no report content lost). */
#include <stdlib.h>

#include "harness.h"
#include "stages.h"

#define NOISE_FILE GW_DICT_SOURCE_DIR "/noise.txt"

static const char *const seeds[] = {
  "000_c510bc378b158120.txt", "001_84632f9a43899128.txt",
  "002_1aded01d7d411218.txt", "003_1973e543c9b997a8.txt",
  "004_c0ae98798d36dd3b.txt",
};

static gw_noise *parse(const char *text) {
  gw_noise *n = NULL;
  gw_error err;
  int rc = gw_noise_load_buffer(&n, "noise.txt", text, strlen(text), &err);
  if (rc != GW_OK) fprintf(stderr, "unexpected: %s\n", err.message);
  return n;
}

/* A malformed file fails with GW_EFORMAT naming file:line. */
static void expect_format_error(const char *text, size_t line,
                                const char *message) {
  gw_noise *n = (gw_noise *)1;
  gw_error err;
  memset(&err, 0, sizeof err);
  int rc = gw_noise_load_buffer(&n, "noise.txt", text, strlen(text), &err);
  CHECK(rc == GW_EFORMAT);
  CHECK(n == NULL);
  CHECK(err.code == GW_EFORMAT);
  CHECK_EQ_SIZE(err.line, line);
  if (strcmp(err.message, message) != 0)
    fprintf(stderr, "message: got \"%s\", want \"%s\"\n", err.message, message);
  CHECK(strcmp(err.message, message) == 0);
}

static void test_format_errors(void) {
  expect_format_error("# c\nspan\t##a##\nspam\tx\n", 3,
                      "noise.txt:3: unknown kind 'spam' (expected span or line)");
  expect_format_error("line 哒哒\n", 1, "noise.txt:1: expected KIND<TAB>TEXT");
  expect_format_error("\n\nspan\t\n", 3, "noise.txt:3: empty pattern");
  expect_format_error("line\t 哒哒\n", 1,
                      "noise.txt:1: pattern begins or ends with a space");
  expect_format_error("line\ta\tb\n", 1,
                      "noise.txt:1: a pattern cannot contain a TAB or CR");
  expect_format_error("span\tok\nspan\t\xff\xfe\n", 2, "noise.txt:2: invalid UTF-8");
  expect_format_error("Span\tx\n", 1,
                      "noise.txt:1: unknown kind 'Span' (expected span or line)");
  /* NULL out and NULL text are argument errors, not crashes. */
  gw_error err;
  CHECK(gw_noise_load_buffer(NULL, "x", "", 0, &err) == GW_EINVAL);
  gw_noise *n;
  CHECK(gw_noise_load_buffer(&n, "x", NULL, 3, &err) == GW_EINVAL);
  gw_noise_free(NULL);
}

static void test_load(void) {
  gw_noise *n = (gw_noise *)1;
  gw_error err;
  CHECK(gw_noise_load_file(&n, GW_DICT_SOURCE_DIR "/no-such-noise.txt", &err) ==
        GW_ENOTFOUND);
  CHECK(n == NULL);
  CHECK(err.code == GW_ENOTFOUND);
  CHECK(strstr(err.message, "no-such-noise.txt") != NULL);
  CHECK(gw_noise_load_file(&n, GW_DICT_SOURCE_DIR, &err) == GW_EISDIR);
  CHECK(gw_noise_load_file(&n, NOISE_FILE, &err) == GW_OK);
  CHECK(n != NULL);
  gw_noise_free(n);
}

/* Comments, blank lines and CRLF are ignored; patterns are numbered in
 * file order. */
static void test_span_and_line(void) {
  gw_noise *n = parse("# markers\r\n\r\nspan\t##x##\r\n   \nline\t广告\n");
  CHECK(n != NULL);
  if (!n) return;
  const char *text = "甲##x##乙\n广告一行\n丙##x####x##丁";
  gw_noise_hit *h;
  size_t c;
  CHECK(gw_noise_find(n, text, strlen(text), &h, &c) == GW_OK);
  CHECK_EQ_SIZE(c, 4);
  if (c == 4) {
    CHECK_EQ_SIZE(h[0].start, 3);
    CHECK_EQ_SIZE(h[0].end, 8);
    CHECK(h[0].pattern == 0);
    /* The whole line with its LF. */
    CHECK_EQ_SIZE(h[1].start, 12);
    CHECK_EQ_SIZE(h[1].end, 12 + strlen("广告一行\n"));
    CHECK(h[1].pattern == 1);
    /* Two adjacent markers: two hits, both removed. */
    CHECK_EQ_SIZE(h[2].start, 28);
    CHECK_EQ_SIZE(h[2].end, 33);
    CHECK_EQ_SIZE(h[3].start, 33);
    CHECK_EQ_SIZE(h[3].end, 38);
  }
  free(h);
  /* CRLF and CR line ends belong to the removed line; the last line has
   * none. */
  const char *t3 = "a\r\n广告\r\nb\r广告\r广告";
  CHECK(gw_noise_find(n, t3, strlen(t3), &h, &c) == GW_OK);
  CHECK_EQ_SIZE(c, 3);
  if (c == 3) {
    CHECK_EQ_SIZE(h[0].start, 3);
    CHECK_EQ_SIZE(h[0].end, 11);
    CHECK_EQ_SIZE(h[1].start, 13);
    CHECK_EQ_SIZE(h[1].end, 20);
    CHECK_EQ_SIZE(h[2].start, 20);
    CHECK_EQ_SIZE(h[2].end, strlen(t3));
  }
  free(h);
  CHECK(gw_noise_find(n, "", 0, &h, &c) == GW_OK);
  CHECK_EQ_SIZE(c, 0);
  CHECK(gw_noise_find(NULL, t3, strlen(t3), &h, &c) == GW_OK);
  CHECK_EQ_SIZE(c, 0);
  gw_noise_free(n);
}

/* Overlapping hits merge into one, under the pattern that starts first. */
static void test_overlap(void) {
  gw_noise *n = parse("span\tBCD\nspan\tABC\nspan\tDEFG\nline\tZZ\nspan\t囧\n");
  CHECK(n != NULL);
  if (!n) return;
  const char *text = "xABCDEFGy\n1ZZ2ABC\n囧囧!";
  gw_noise_hit *h;
  size_t c;
  CHECK(gw_noise_find(n, text, strlen(text), &h, &c) == GW_OK);
  CHECK_EQ_SIZE(c, 4);
  if (c == 4) {
    CHECK_EQ_SIZE(h[0].start, 1); /* ABC+BCD+DEFG */
    CHECK_EQ_SIZE(h[0].end, 8);
    CHECK(h[0].pattern == 1);
    CHECK_EQ_SIZE(h[1].start, 10); /* the ZZ line swallows its ABC */
    CHECK_EQ_SIZE(h[1].end, 18);
    CHECK(h[1].pattern == 3);
    CHECK_EQ_SIZE(h[2].start, 18); /* a 3-byte pattern, twice, adjacent */
    CHECK_EQ_SIZE(h[2].end, 21);
    CHECK(h[2].pattern == 4);
    CHECK_EQ_SIZE(h[3].start, 21);
    CHECK_EQ_SIZE(h[3].end, 24);
  }
  free(h);
  gw_noise_free(n);
}

/* The filtered scan finds exactly what a naive search finds, with many
 * patterns sharing prefixes. */
static void test_many_patterns(void) {
  enum { PATTERNS = 300, TEXT = 200000 };
  static const char *const alphabet[] = {"意", "识", "形", "态", "a", "b", "#"};
  char *file = malloc(PATTERNS * 40);
  char (*pat)[32] = malloc(PATTERNS * sizeof *pat);
  char *text = malloc(TEXT + 8);
  unsigned seed = 12345;
  size_t fl = 0;
  for (int i = 0; i < PATTERNS; i++) {
    size_t pl = 0;
    int k = 2 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 4;
    for (int j = 0; j < k; j++) {
      const char *a = alphabet[((seed = seed * 1103515245u + 12345u) >> 16) % 7];
      memcpy(pat[i] + pl, a, strlen(a));
      pl += strlen(a);
    }
    pat[i][pl] = '\0';
    fl += (size_t)sprintf(file + fl, "span\t%s\n", pat[i]);
  }
  size_t tl = 0;
  while (tl + 4 < TEXT) {
    const char *a = alphabet[((seed = seed * 1103515245u + 12345u) >> 16) % 7];
    memcpy(text + tl, a, strlen(a));
    tl += strlen(a);
  }
  gw_noise *n = NULL;
  gw_error err;
  CHECK(gw_noise_load_buffer(&n, "many", file, fl, &err) == GW_OK);
  /* Naive: mark every byte covered by some occurrence. */
  unsigned char *cover = calloc(tl, 1);
  for (int i = 0; i < PATTERNS; i++) {
    size_t pl = strlen(pat[i]);
    for (size_t p = 0; p + pl <= tl; p++)
      if (memcmp(text + p, pat[i], pl) == 0) memset(cover + p, 1, pl);
  }
  gw_noise_hit *h = NULL;
  size_t c = 0;
  CHECK(gw_noise_find(n, text, tl, &h, &c) == GW_OK);
  unsigned char *got = calloc(tl, 1);
  int ordered = 1;
  for (size_t i = 0; i < c; i++) {
    memset(got + h[i].start, 1, h[i].end - h[i].start);
    if (i > 0 && h[i].start < h[i - 1].end) ordered = 0;
  }
  CHECK(ordered);
  CHECK(c > 100);
  CHECK(memcmp(cover, got, tl) == 0);
  free(got);
  free(cover);
  free(h);
  gw_noise_free(n);
  free(text);
  free(pat);
  free(file);
}

static char *read_seed(const char *name, size_t *len) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", GW_CORPUS_DIR, name);
  unsigned char *b = NULL;
  gw_error err;
  if (gw_read_file(path, &b, len, &err) != GW_OK) {
    fprintf(stderr, "%s\n", err.message);
    return NULL;
  }
  return (char *)b;
}

/* dict/noise.txt on the corpus: seed 001's two markers and its advertising
 * lines are found, and nothing else anywhere. */
static void test_corpus(void) {
  gw_noise *n = NULL;
  gw_error err;
  CHECK(gw_noise_load_file(&n, NOISE_FILE, &err) == GW_OK);
  if (!n) return;
  for (size_t s = 0; s < sizeof seeds / sizeof seeds[0]; s++) {
    size_t len;
    char *text = read_seed(seeds[s], &len);
    CHECK(text != NULL);
    if (!text) continue;
    gw_noise_hit *h;
    size_t c;
    CHECK(gw_noise_find(n, text, len, &h, &c) == GW_OK);
    if (s != 1) {
      CHECK_EQ_SIZE(c, 0);
      for (size_t i = 0; i < c; i++)
        fprintf(stderr, "%s: unexpected noise: %.*s\n", seeds[s],
                (int)(h[i].end - h[i].start), text + h[i].start);
    } else {
      CHECK_EQ_SIZE(c, 6);
      if (c == 6) {
        CHECK_STRN(text + h[0].start, h[0].end - h[0].start, "##paidbegin##");
        CHECK_STRN(text + h[5].start, h[5].end - h[5].start, "##paidend##");
        for (size_t i = 1; i < 5; i++) {
          /* Whole lines, from a line start through the LF, all ads. */
          CHECK(text[h[i].start - 1] == '\n');
          CHECK(text[h[i].end - 1] == '\n');
          CHECK(memchr(text + h[i].start, '\n', h[i].end - h[i].start - 1) == NULL);
          char *line = strndup(text + h[i].start, h[i].end - h[i].start);
          CHECK(strstr(line, "哒哒") != NULL);
          free(line);
        }
        /* What is left is the report: it ends with 特此报告。 and keeps
         * the paragraph the marker stood in front of. */
        CHECK_STRN(text + h[1].start - strlen("特此报告。\n\n"),
                   strlen("特此报告。"), "特此报告。");
        CHECK_STRN(text + h[0].end, strlen("（三）强化宣传引导"), "（三）强化宣传引导");
        size_t removed = 0;
        for (size_t i = 0; i < c; i++) removed += h[i].end - h[i].start;
        CHECK_EQ_SIZE(removed, strlen("##paidbegin##") + strlen("##paidend##") +
                                   (h[4].end - h[1].start));
      }
    }
    free(h);
    free(text);
  }
  gw_noise_free(n);
}

int main(void) {
  test_format_errors();
  test_load();
  test_span_and_line();
  test_overlap();
  test_many_patterns();
  test_corpus();
  return gw_test_report();
}
