/* segmenting.h — a document segmented paragraph by paragraph and its words
 * handed on one at a time: what gw-seg --stats and gw-stats both count.
 * A word here is every token but spaces and the sub-words of search mode
 * (those would count the same text twice). */
#ifndef GW_SEGMENTING_H
#define GW_SEGMENTING_H

#include <stddef.h>

#include "gongwen.h"

/* One word: its bytes in the document's normalized view, and its kind.
 * Nonzero stops the walk. */
typedef int (*gw_word_fn)(void *ctx, const char *word, size_t len, gw_token_kind kind);

/* Segments each paragraph of doc with seg and calls fn for its words in
 * order.  GW_OK, gw_segment's failure, or fn's nonzero value.  Inline, so
 * that fn, known where it is called, costs no call per word. */
static inline int gw_for_each_word(gw_segmenter *seg, const gw_document *doc, gw_word_fn fn,
                                   void *ctx, gw_error *err) {
  size_t norm_len;
  const char *norm = gw_document_normalized(doc, &norm_len);
  size_t paragraphs = gw_document_paragraph_count(doc);
  for (size_t i = 0; i < paragraphs; i++) {
    const gw_paragraph *p = gw_document_paragraph_at(doc, i);
    const char *text = norm + p->range.norm_start;
    const gw_token *tokens;
    size_t n;
    int rc = gw_segment(seg, text, p->range.norm_end - p->range.norm_start, &tokens, &n, err);
    if (rc) return rc;
    for (size_t k = 0; k < n; k++) {
      if (tokens[k].kind == GW_TOKEN_SPACE || tokens[k].sub) continue;
      rc = fn(ctx, text + tokens[k].start, tokens[k].end - tokens[k].start, tokens[k].kind);
      if (rc) return rc;
    }
  }
  return GW_OK;
}

#endif
