/* The phrase conversion compiled in (lib/text/t2s.c) against OpenCC itself:
 * gw_t2s_convert_text must give OpenCC's t2s.json output byte for byte on
 * every key of the two dictionaries, on keys run together (where the
 * longest match and the segmentation decide), and on the corpus put into
 * traditional script three ways by OpenCC.  Only this test links OpenCC.
 * Extra arguments: files compared whole and line by line (for hand runs on
 * larger texts). */
#include <dirent.h>
#include <opencc/opencc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "t2s.h"

#include "t2s_dict.h"

static opencc_t t2s;
static size_t compared, differing;

/* Compare one text; the first few differences are printed. */
static void compare(const char *text, size_t len) {
  char *ours = NULL;
  size_t ours_len = 0;
  int rc = gw_t2s_convert_text(text, len, &ours, &ours_len);
  char *theirs = opencc_convert_utf8(t2s, text, len);
  compared++;
  int same = rc == GW_OK && theirs && strlen(theirs) == ours_len &&
             memcmp(theirs, ours, ours_len) == 0;
  if (!same && ++differing <= 5)
    fprintf(stderr, "differs: \"%.*s\"\n  OpenCC \"%s\"\n  ours   \"%.*s\"\n",
            (int)len, text, theirs ? theirs : "(error)", (int)ours_len,
            ours ? ours : "");
  free(ours);
  if (theirs) opencc_convert_utf8_free(theirs);
}

static void compare_lines(const char *text, size_t len) {
  compare(text, len);
  size_t start = 0;
  for (size_t i = 0; i <= len; i++)
    if (i == len || text[i] == '\n') {
      if (i > start) compare(text + start, i - start);
      start = i + 1;
    }
}

typedef struct dict_view {
  const unsigned char *pool;
  const t2s_dict_entry *entries;
  size_t count;
} dict_view;

static const dict_view dicts[2] = {
    {t2s_phrases_pool, t2s_phrases_entries,
     sizeof t2s_phrases_entries / sizeof *t2s_phrases_entries},
    {t2s_characters_pool, t2s_characters_entries,
     sizeof t2s_characters_entries / sizeof *t2s_characters_entries}};

static void append_key(char *buf, size_t *len, const dict_view *d, size_t i) {
  memcpy(buf + *len, d->pool + d->entries[i].key, d->entries[i].key_len);
  *len += d->entries[i].key_len;
}

/* Each key alone, each key with the next one (keys sharing a start), and
 * 20,000 deterministic runs of 2–6 keys from both dictionaries, with
 * simplified and ASCII characters between some. */
static void dictionary_keys(void) {
  char buf[512];
  for (int k = 0; k < 2; k++) {
    const dict_view *d = &dicts[k];
    CHECK(d->count > 100);
    for (size_t i = 0; i < d->count; i++) {
      size_t len = 0;
      append_key(buf, &len, d, i);
      compare(buf, len);
      if (i + 1 < d->count) {
        append_key(buf, &len, d, i + 1);
        compare(buf, len);
      }
    }
  }
  static const char *fillers[] = {"的", "a", "国", "，", "乾", "著"};
  uint64_t state = 0x9E3779B97F4A7C15u;
  for (int run = 0; run < 20000; run++) {
    size_t len = 0;
    state = state * 6364136223846793005u + 1442695040888963407u;
    int keys = 2 + (int)((state >> 33) % 5);
    for (int j = 0; j < keys; j++) {
      state = state * 6364136223846793005u + 1442695040888963407u;
      const dict_view *d = &dicts[(state >> 40) % 3 == 0];
      append_key(buf, &len, d, (size_t)((state >> 20) % d->count));
      if ((state >> 60) == 0) {
        const char *f = fillers[(state >> 8) % 6];
        memcpy(buf + len, f, strlen(f));
        len += strlen(f);
      }
    }
    compare(buf, len);
  }
}

static char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *buf = NULL;
  size_t cap = 0, n = 0, got;
  do {
    if (n + 65536 > cap) {
      cap = (n + 65536) * 2;
      char *p = realloc(buf, cap + 1);
      if (!p) break;
      buf = p;
    }
    got = fread(buf + n, 1, cap - n, f);
    n += got;
  } while (got > 0);
  fclose(f);
  if (buf) buf[n] = '\0';
  *len = n;
  return buf;
}

/* A file as it is and put into traditional script by OpenCC's s2t, s2twp
 * (Taiwan phrases) and s2hk. */
static void file_in_scripts(const char *path) {
  size_t len;
  char *text = read_all(path, &len);
  CHECK(text != NULL);
  if (!text) return;
  compare_lines(text, len);
  static const char *configs[] = {"s2t.json", "s2twp.json", "s2hk.json"};
  for (int c = 0; c < 3; c++) {
    opencc_t to = opencc_open(configs[c]);
    CHECK(to != (opencc_t)-1);
    if (to == (opencc_t)-1) continue;
    char *traditional = opencc_convert_utf8(to, text, len);
    CHECK(traditional != NULL);
    if (traditional) {
      compare_lines(traditional, strlen(traditional));
      opencc_convert_utf8_free(traditional);
    }
    opencc_close(to);
  }
  free(text);
}

/* Every report of corpus/. */
static void corpus(void) {
  DIR *dir = opendir(GW_CORPUS_DIR);
  CHECK(dir != NULL);
  if (!dir) return;
  size_t files = 0;
  struct dirent *e;
  while ((e = readdir(dir)) != NULL) {
    size_t n = strlen(e->d_name);
    if (n < 4 || strcmp(e->d_name + n - 4, ".txt") != 0) continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", GW_CORPUS_DIR, e->d_name);
    file_in_scripts(path);
    files++;
  }
  closedir(dir);
  CHECK(files >= 5);
}

/* Invalid UTF-8 is refused (OpenCC throws on it), and nothing leaks. */
static void invalid_text(void) {
  char *out = (char *)1;
  size_t len = 1;
  CHECK(gw_t2s_convert_text("關\xff於", 7, &out, &len) == GW_EINVAL);
  CHECK(out == NULL && len == 0);
  CHECK(gw_t2s_convert_text("", 0, &out, &len) == GW_OK);
  CHECK(out != NULL && len == 0);
  free(out);
}

int main(int argc, char **argv) {
  t2s = opencc_open("t2s.json");
  CHECK(t2s != (opencc_t)-1);
  if (t2s == (opencc_t)-1) return gw_test_report();
  dictionary_keys();
  corpus();
  invalid_text();
  for (int i = 1; i < argc; i++) file_in_scripts(argv[i]);
  CHECK(compared > 25000);
  CHECK_EQ_SIZE(differing, 0);
  fprintf(stderr, "%zu texts compared, %zu differ\n", compared, differing);
  opencc_close(t2s);
  return gw_test_report();
}
