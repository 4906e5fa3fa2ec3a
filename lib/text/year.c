/*
 * year.c — the year a report was written, read from its text.  It belongs
 * to the document, since term matching (outdated formulations), copy
 * detection and the archive all need it.
 */
#include <string.h>

#include "internal.h"

/* Where 年 (E5 B9 B4) next stands in s[from..n), or n.  A year is only
 * looked for before a 年, which memchr finds far faster than trying every
 * byte as the start of four digits; it looks for the last byte, B4, rarer
 * in Chinese text than the lead byte E5 (each find is a call). */
static size_t next_nian(const char *s, size_t from, size_t n) {
  size_t at = from + 2;
  while (at < n) {
    const unsigned char *p = memchr(s + at, 0xB4, n - at);
    if (!p) break;
    size_t j = (size_t)((const char *)p - s) - 2;
    if ((unsigned char)s[j] == 0xE5 && (unsigned char)s[j + 1] == 0xB9) return j;
    at = j + 3;
  }
  return n;
}

/* The year (1949–2100) written in the four bytes before s[j], not preceded
 * by a digit; 0 when there is none. */
static int year_before(const char *s, size_t j) {
  size_t i = j - 4;
  if (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9') return 0;
  int y = 0;
  for (size_t k = 0; k < 4; k++) {
    if (s[i + k] < '0' || s[i + k] > '9') return 0;
    y = y * 10 + (s[i + k] - '0');
  }
  return y >= 1949 && y <= 2100 ? y : 0;
}

/* The first year (1949–2100 followed by 年, not preceded by a digit) in
 * s[0..n) that is followed by `after` when given; 0 when none. */
static int first_year(const char *s, size_t n, const char *after, size_t after_len) {
  for (size_t j = next_nian(s, 4, n); j < n; j = next_nian(s, j + 1, n)) {
    int y = year_before(s, j);
    if (!y) continue;
    if (after && (j + 3 + after_len > n || memcmp(s + j + 3, after, after_len) != 0))
      continue;
    return y;
  }
  return 0;
}

int gw_document_year(const gw_document *doc) {
  if (!doc) return 0;
  size_t len;
  const char *norm = gw_document_normalized(doc, &len);
  size_t np = gw_document_paragraph_count(doc);
  for (size_t i = 0; i < np; i++) {
    const gw_paragraph *p = gw_document_paragraph_at(doc, i);
    if (!p->is_title) continue;
    int y = first_year(norm + p->range.norm_start, p->range.norm_end - p->range.norm_start, NULL, 0);
    if (y) return y;
  }
  int y = first_year(norm, len, "\xE4\xBB\xA5\xE6\x9D\xA5", 6); /* 以来 */
  if (y) return y;
  for (size_t i = 0; i < np; i++) {
    const gw_paragraph *p = gw_document_paragraph_at(doc, i);
    if (p->range.norm_end == p->range.norm_start) continue;
    y = first_year(norm + p->range.norm_start, p->range.norm_end - p->range.norm_start, NULL, 0);
    if (y) return y;
    break;
  }
  for (size_t i = 0; i < np; i++) {
    const gw_paragraph *p = gw_document_paragraph_at(doc, i);
    if (p->heading_level != 1) continue;
    y = first_year(norm + p->range.norm_start, p->range.norm_end - p->range.norm_start, NULL, 0);
    if (y) return y;
  }
  /* The year written most often (ties: the latest). */
  unsigned counts[2101 - 1949] = {0};
  for (size_t j = next_nian(norm, 4, len); j < len; j = next_nian(norm, j + 1, len)) {
    int yy = year_before(norm, j);
    if (yy) counts[yy - 1949]++;
  }
  int best = 0;
  unsigned best_count = 0;
  for (int cand = 1949; cand <= 2100; cand++)
    if (counts[cand - 1949] && counts[cand - 1949] >= best_count) {
      best = cand;
      best_count = counts[cand - 1949];
    }
  return best;
}

