/* gw_format_sniff, made cheap (memchr to the rare bytes a magic or a tag
 * starts with), against the sniffer it replaced, kept here as the oracle:
 * the same format and the same `what` for every fixture of
 * tests/data/formats and corpus/, their cut and shifted heads, and
 * generated inputs that put magics and tags, in any case, across the 1 KB
 * and 4 KB bounds and at the end. */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <strings.h>

#include "gongwen.h"
#include "harness.h"
#include "internal.h"

/* ---- the sniffer before (strncasecmp at every offset) ---- */

static int old_starts(const unsigned char *d, size_t n, const char *magic,
                      size_t m) {
  return n >= m && memcmp(d, magic, m) == 0;
}

static const unsigned char *old_find_ci(const unsigned char *d, size_t n,
                                        const char *needle) {
  size_t m = strlen(needle);
  for (size_t i = 0; i + m <= n; i++)
    if (strncasecmp((const char *)d + i, needle, m) == 0) return d + i;
  return NULL;
}

static const char *old_known_binary(const unsigned char *d, size_t n) {
  static const struct {
    const char *magic;
    size_t len;
    const char *what;
  } kinds[] = {
      {"\x89PNG\r\n\x1a\n", 8, "a PNG image"},
      {"\xff\xd8\xff", 3, "a JPEG image"},
      {"GIF87a", 6, "a GIF image"},
      {"GIF89a", 6, "a GIF image"},
      {"II*\0", 4, "a TIFF image"},
      {"MM\0*", 4, "a TIFF image"},
      {"{\\rtf", 5, "an RTF document (save it as .docx)"},
      {"Rar!\x1a\x07", 6, "a RAR archive"},
      {"7z\xbc\xaf\x27\x1c", 6, "a 7-Zip archive"},
      {"\x1f\x8b", 2, "a gzip archive"},
      {"%!PS", 4, "a PostScript file"},
  };
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if (old_starts(d, n, kinds[i].magic, kinds[i].len)) return kinds[i].what;
  return NULL;
}

static int old_looks_like_html(const unsigned char *d, size_t n) {
  size_t i = old_starts(d, n, "\xef\xbb\xbf", 3) ? 3 : 0;
  while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' ||
                   d[i] == '\n'))
    i++;
  if (i >= n || d[i] != '<') return 0;
  static const char *const tags[] = {"<!doctype html", "<html", "<head",
                                     "<body"};
  for (size_t t = 0; t < sizeof tags / sizeof tags[0]; t++)
    if (old_find_ci(d + i, n - i, tags[t])) return 1;
  return 0;
}

static gw_format old_sniff(const void *data, size_t len, const char **what) {
  const unsigned char *d = data;
  size_t n = len < GW_FORMAT_SNIFF_BYTES ? len : GW_FORMAT_SNIFF_BYTES;
  const char *kind = NULL;
  gw_format format = GW_FORMAT_TEXT;
  if (!d) n = 0;
  if (n >= 5 && old_find_ci(d, n < 1024 ? n : 1024, "%PDF-"))
    format = GW_FORMAT_PDF;
  else if (old_starts(d, n, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8))
    format = GW_FORMAT_DOC;
  else if (old_starts(d, n, "PK\x03\x04", 4) ||
           old_starts(d, n, "PK\x05\x06", 4))
    format = GW_FORMAT_DOCX;
  else if ((kind = old_known_binary(d, n)) != NULL)
    format = GW_FORMAT_UNKNOWN;
  else if (old_looks_like_html(d, n))
    format = GW_FORMAT_HTML;
  else if (n > 0 && memchr(d, 0, n) && !old_starts(d, n, "\xff\xfe", 2) &&
           !old_starts(d, n, "\xfe\xff", 2)) {
    format = GW_FORMAT_UNKNOWN;
    kind = "binary data";
  }
  if (what) *what = kind;
  return format;
}

/* ---- comparing ---- */

static size_t compared, differed, seen[GW_FORMAT_UNKNOWN + 1];

static void compare(const unsigned char *d, size_t n, const char *label) {
  const char *old_what = NULL, *new_what = NULL;
  gw_format old_format = old_sniff(d, n, &old_what);
  gw_format new_format = gw_format_sniff(d, n, &new_what);
  gw_format no_what = gw_format_sniff(d, n, NULL);
  compared++;
  seen[new_format]++;
  int same = old_format == new_format && no_what == new_format &&
             (old_what == new_what ||
              (old_what && new_what && strcmp(old_what, new_what) == 0));
  if (same) return;
  if (differed++ < 10)
    fprintf(stderr, "%s (%zu bytes): %s/%s before, %s/%s now\n", label, n,
            gw_format_name(old_format), old_what ? old_what : "-",
            gw_format_name(new_format), new_what ? new_what : "-");
}

/* A file, whole and cut: every length to 48, around the 1 KB and 4 KB
 * bounds, and a stride between; also shifted, its head cut away. */
static void compare_file(const char *dir, const char *name, int want) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  unsigned char *bytes = NULL;
  size_t len = 0;
  gw_error err;
  if (gw_read_file(path, &bytes, &len, &err) != GW_OK) {
    fprintf(stderr, "%s\n", err.message);
    CHECK(0);
    return;
  }
  if (want >= 0) {
    gw_format got = gw_format_sniff(bytes, len, NULL);
    if ((int)got != want)
      fprintf(stderr, "%s: %s, not %s\n", name, gw_format_name(got),
              gw_format_name((gw_format)want));
    CHECK((int)got == want);
  }
  for (size_t cut = 0; cut <= len && cut <= 4200;
       cut += cut < 48 || (cut >= 1016 && cut < 1032) ||
                      (cut >= 4088 && cut < 4104)
                  ? 1
                  : 37)
    compare(bytes, cut, name);
  compare(bytes, len, name);
  for (size_t shift = 1; shift < len && shift < 64; shift += 3)
    compare(bytes + shift, len - shift, name);
  free(bytes);
}

/* What each fixture sniffs as: a ZIP sniffs as .docx (its structure is
 * judged when opened), an OLE2 file as .doc; -1: a file not known here. */
static int fixture_format(const char *name) {
  static const struct {
    const char *suffix;
    gw_format format;
  } by_suffix[] = {
      {".docx", GW_FORMAT_DOCX}, {".zip", GW_FORMAT_DOCX},
      {".ofd", GW_FORMAT_DOCX},  {".doc", GW_FORMAT_DOC},
      {".xls", GW_FORMAT_DOC},   {".pdf", GW_FORMAT_PDF},
      {".html", GW_FORMAT_HTML}, {".txt", GW_FORMAT_TEXT},
      {".py", GW_FORMAT_TEXT},
  };
  /* encrypted OOXML is an OLE2 file */
  if (strcmp(name, "locked.docx") == 0) return GW_FORMAT_DOC;
  size_t n = strlen(name);
  for (size_t i = 0; i < sizeof by_suffix / sizeof by_suffix[0]; i++) {
    size_t m = strlen(by_suffix[i].suffix);
    if (n > m && strcmp(name + n - m, by_suffix[i].suffix) == 0)
      return (int)by_suffix[i].format;
  }
  return -1;
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t compare_folder(const char *dir, int assert_formats) {
  DIR *d = opendir(dir);
  CHECK(d != NULL);
  if (!d) return 0;
  char *names[256];
  size_t count = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL && count < 256)
    if (e->d_name[0] != '.') names[count++] = strdup(e->d_name);
  closedir(d);
  if (count > 1) qsort(names, count, sizeof *names, compare_names);
  for (size_t i = 0; i < count; i++) {
    int want = assert_formats ? fixture_format(names[i]) : GW_FORMAT_TEXT;
    CHECK(want >= 0); /* every fixture's format is known here */
    compare_file(dir, names[i], want);
    free(names[i]);
  }
  return count;
}

/* ---- generated inputs ---- */

static uint64_t next_random(uint64_t *state) { /* xorshift64* */
  *state ^= *state >> 12;
  *state ^= *state << 25;
  *state ^= *state >> 27;
  return *state * 0x2545F4914F6CDD1DULL;
}

/* Pieces that decide (or nearly decide) a format, and filler. */
static const char *const tokens[] = {
    "%PDF-", "%pdf-", "%PdF-", "%PDF", "%PDF_", "%%PDF-", "PDF-",
    "<html", "<HTML", "<HtMl>", "<htm", "<head", "<HEAD", "<hea",
    "<body", "<BoDy", "<bod", "<!doctype html", "<!DOCTYPE HTML",
    "<!doctype htm", "<!DOCTYPE", "<<html", "< html", "<",
    "\xef\xbb\xbf", " ", "\t", "\r\n", "\n",
    "PK\x03\x04", "PK\x05\x06", "PK\x03", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    "\x89PNG\r\n\x1a\n", "\xff\xd8\xff", "GIF89a", "{\\rtf", "%!PS",
    "\xff\xfe", "\xfe\xff", "一、工作开展情况", "报告", "abc", "\xc0\xe0",
};

/* Write a token, a NUL or any byte (as r picks) at buf[at], within cap;
 * returns where it ends. */
static size_t put_token(unsigned char *buf, size_t at, size_t cap,
                        uint64_t r) {
  size_t t = (size_t)(r % (sizeof tokens / sizeof tokens[0] + 2));
  if (t == sizeof tokens / sizeof tokens[0]) { /* a NUL */
    if (at < cap) buf[at++] = 0;
    return at;
  }
  if (t == sizeof tokens / sizeof tokens[0] + 1) { /* any byte */
    if (at < cap) buf[at++] = (unsigned char)(r >> 20);
    return at;
  }
  for (size_t i = 0; tokens[t][i] && at < cap; i++)
    buf[at++] = (unsigned char)tokens[t][i];
  return at;
}

static void compare_generated(size_t rounds) {
  enum { CAP = 4300 };
  unsigned char *buf = malloc(CAP);
  CHECK(buf != NULL);
  if (!buf) return;
  uint64_t state = 0x9E3779B97F4A7C15ULL;
  /* where a token may land: the start, the bounds the sniffer reads to,
   * the end */
  static const size_t spots[] = {0, 1, 3, 1019, 1020, 1021, 1023, 1024,
                                 4090, 4091, 4092, 4095, 4096};
  char label[32];
  for (size_t round = 0; round < rounds; round++) {
    size_t len = (size_t)(next_random(&state) % CAP);
    int markup = next_random(&state) % 3 == 0;
    size_t at = 0;
    if (markup) at = put_token(buf, at, len, 7 + next_random(&state) % 17);
    while (at < len) { /* filler: mostly text of the reports' kind */
      uint64_t r = next_random(&state);
      if (r % 5 == 0) {
        static const char han[] = "我局认真落实";
        size_t k = (size_t)(r >> 8) % 6;
        for (size_t i = 0; i < 3 && at < len; i++)
          buf[at++] = (unsigned char)han[3 * k + i];
      } else {
        buf[at++] = (unsigned char)(' ' + (r >> 16) % 95);
      }
    }
    size_t tokens_put = 1 + next_random(&state) % 4;
    for (size_t k = 0; k < tokens_put && len > 0; k++) {
      uint64_t r = next_random(&state);
      size_t n_spots = sizeof spots / sizeof spots[0];
      size_t where =
          r % 2 ? spots[(r >> 8) % n_spots] : (size_t)((r >> 8) % len);
      if (where >= len) where = len - 1;
      if ((r >> 40) % 4 == 0 && len > 16) where = len - 1 - (r >> 44) % 16;
      put_token(buf, where, len, next_random(&state));
    }
    snprintf(label, sizeof label, "generated %zu", round);
    compare(buf, len, label);
  }
  free(buf);
}

int main(void) {
  size_t fixtures = compare_folder(GW_FORMATS_DIR, 1);
  CHECK(fixtures >= 20);
  CHECK(compare_folder(GW_CORPUS_DIR, 0) >= 1);
  size_t from_files = compared;
  compare_generated(20000);
  printf("%zu fixtures, %zu inputs compared (%zu generated): %zu text, %zu "
         "docx, %zu doc, %zu pdf, %zu html, %zu unknown\n",
         fixtures, compared, compared - from_files, seen[GW_FORMAT_TEXT],
         seen[GW_FORMAT_DOCX], seen[GW_FORMAT_DOC], seen[GW_FORMAT_PDF],
         seen[GW_FORMAT_HTML], seen[GW_FORMAT_UNKNOWN]);
  CHECK_EQ_SIZE(differed, 0);
  /* the inputs reach every decision, so that an equal answer means
   * something */
  for (int f = GW_FORMAT_TEXT; f <= GW_FORMAT_UNKNOWN; f++)
    if (f != GW_FORMAT_OFD) CHECK(seen[f] >= 50);
  return gw_test_report();
}
