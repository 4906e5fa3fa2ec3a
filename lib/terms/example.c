/*
 * example.c — the sentence around a term match, for a gap report's example:
 * a drafter is shown one real sentence from the body of a reference, never
 * its title or a heading (the sentences after a heading's own, in the same
 * paragraph, are body).
 */
#include "terms_private.h"

static int ends_sentence(int32_t cp) {
  return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF1B || cp == '!' ||
         cp == '?' || cp == ';';
}

int gw_term_match_sentence(gw_range *out, const gw_document *doc, const gw_term_match *m) {
  if (!out || !doc || !m || m->paragraph >= gw_document_paragraph_count(doc)) return GW_EINVAL;
  const gw_paragraph *p = gw_document_paragraph_at(doc, m->paragraph);
  size_t len;
  const char *s = gw_document_normalized(doc, &len);
  size_t lo = p->range.norm_start, hi = p->range.norm_end;
  size_t a = m->range.norm_start, b = m->range.norm_end;
  if (a < lo || b > hi || a > b) return GW_EINVAL;
  /* Back to the end of the previous sentence. */
  while (a > lo) {
    int32_t cp;
    size_t c = gw_terms_char_before(s, lo, a, &cp);
    if (ends_sentence(cp)) break;
    a = c;
  }
  /* On through the mark that ends this one. */
  while (b < hi) {
    int32_t cp;
    b += gw_utf8_next((const unsigned char *)s + b, hi - b, &cp);
    if (ends_sentence(cp)) break;
  }
  *out = gw_terms_doc_range(doc, a, b);
  /* A heading often runs on into its text (（一）加强组织领导。我局…): its
   * first sentence is the heading, the ones after it are body. */
  return !p->is_title && (p->heading_level == 0 || a > lo);
}
