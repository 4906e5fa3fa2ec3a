/*
 * year.c — the year a report was written, read from its text.  It belongs
 * to the document, since term matching (outdated formulations), copy
 * detection and the archive all need it.
 */
#include <string.h>

#include "internal.h"

/* The first year (1949–2100 followed by 年, not preceded by a digit) in
 * s[0..n) that is followed by `after` when given; 0 when none. */
static int first_year(const char *s, size_t n, const char *after, size_t after_len) {
  for (size_t i = 0; i + 4 < n; i++) {
    if (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9') continue;
    int y = 0, ok = 1;
    for (size_t k = 0; k < 4; k++) {
      if (s[i + k] < '0' || s[i + k] > '9') { ok = 0; break; }
      y = y * 10 + (s[i + k] - '0');
    }
    if (!ok || y < 1949 || y > 2100) continue;
    if (i + 4 + 3 > n || memcmp(s + i + 4, "\xE5\xB9\xB4", 3) != 0) continue; /* 年 */
    if (after && (i + 7 + after_len > n || memcmp(s + i + 7, after, after_len) != 0))
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
  for (size_t i = 0; i + 7 <= len; i++) {
    if (i > 0 && norm[i - 1] >= '0' && norm[i - 1] <= '9') continue;
    int yy = 0, ok = 1;
    for (size_t k = 0; k < 4; k++) {
      if (norm[i + k] < '0' || norm[i + k] > '9') { ok = 0; break; }
      yy = yy * 10 + (norm[i + k] - '0');
    }
    if (ok && yy >= 1949 && yy <= 2100 && memcmp(norm + i + 4, "\xE5\xB9\xB4", 3) == 0)
      counts[yy - 1949]++;
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

