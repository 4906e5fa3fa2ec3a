/* wordlist.c — reading word lists in jieba's format. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "wordlist.h"

void gw_word_list_free(gw_word_list *wl) {
  free(wl->pool);
  free(wl->words);
  memset(wl, 0, sizeof *wl);
}

int gw_word_list_push(gw_word_list *wl, const char *word, size_t len,
                          double freq) {
  if (GW_GROW(wl->pool, wl->pool_cap, wl->pool_len + len + 1) < 0 ||
      GW_GROW(wl->words, wl->cap, wl->count + 1) < 0)
    return GW_ENOMEM;
  memcpy(wl->pool + wl->pool_len, word, len);
  wl->pool[wl->pool_len + len] = '\0';
  wl->words[wl->count].offset = wl->pool_len;
  wl->words[wl->count].length = len;
  wl->words[wl->count].freq = freq;
  wl->count++;
  wl->pool_len += len + 1;
  return GW_OK;
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

int gw_valid_utf8(const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    int32_t cp;
    size_t k = gw_utf8_next((const unsigned char *)s + i, n - i, &cp);
    if (cp < 0) return 0;
    i += k;
  }
  return 1;
}

/* Parse one line "word [freq] [tag]".  freq is -1 when absent.  Returns 0
 * for a word, 1 for a blank or comment line, or an error. */
static int parse_line(const char *line, size_t len, const char **word,
                      size_t *word_len, double *freq, const char **why) {
  size_t i = 0;
  while (i < len && is_blank(line[i])) i++;
  if (i == len || line[i] == '#') return 1;
  size_t start = i;
  while (i < len && !is_blank(line[i])) i++;
  *word = line + start;
  *word_len = i - start;
  *freq = -1;
  while (i < len && is_blank(line[i])) i++;
  if (i < len) {
    size_t fstart = i;
    while (i < len && !is_blank(line[i])) i++;
    char buf[64];
    size_t flen = i - fstart;
    if (flen >= sizeof buf) { *why = "frequency too long"; return GW_EFORMAT; }
    memcpy(buf, line + fstart, flen);
    buf[flen] = '\0';
    char *end;
    double f = strtod(buf, &end);
    if (*end != '\0' || !(f >= 0) || !isfinite(f)) {
      /* jieba allows "word tag" without a frequency only via add_word; in
       * files the second field must be a number. */
      *why = "frequency is not a non-negative number";
      return GW_EFORMAT;
    }
    *freq = f;
    while (i < len && is_blank(line[i])) i++;
    while (i < len && !is_blank(line[i])) i++; /* the tag: accepted */
    while (i < len && is_blank(line[i])) i++;
    if (i < len) { *why = "extra fields after the tag"; return GW_EFORMAT; }
  }
  if (!gw_valid_utf8(*word, *word_len)) { *why = "word is not valid UTF-8"; return GW_EFORMAT; }
  return 0;
}

int gw_word_list_load(gw_word_list *wl, const char *path, gw_error *err) {
  char *buf;
  size_t len;
  int rc = gw_slurp(path, &buf, &len, err);
  if (rc) return rc;
  size_t pos = 0, line_no = 0;
  if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) pos = 3;
  while (pos < len) {
    line_no++;
    const char *nl = memchr(buf + pos, '\n', len - pos);
    size_t line_len = nl ? (size_t)(nl - (buf + pos)) : len - pos;
    const char *word, *why = NULL;
    size_t word_len;
    double freq;
    rc = parse_line(buf + pos, line_len, &word, &word_len, &freq, &why);
    if (rc < 0) {
      free(buf);
      return gw_fail_at(err, rc, pos, line_no, 0, "%s:%zu: %s", path, line_no, why);
    }
    if (rc == 0) {
      rc = gw_word_list_push(wl, word, word_len, freq);
      if (rc) { free(buf); return gw_fail(err, rc, "%s: out of memory", path); }
    }
    pos += line_len + 1;
  }
  free(buf);
  return GW_OK;
}

