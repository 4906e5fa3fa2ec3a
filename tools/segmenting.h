/* segmenting.h — a document segmented paragraph by paragraph and its words
 * handed on one at a time: what gw-seg --stats and gw-stats both count.
 * A word here is every token but spaces and the sub-words of search mode
 * (those would count the same text twice). */
#ifndef GW_SEGMENTING_H
#define GW_SEGMENTING_H

#include <stddef.h>

#include "gongwen.h"

/* One paragraph segmented: its text in the document's normalized view and
 * its tokens (offsets into text).  Nonzero stops the walk. */
typedef int (*gw_paragraph_fn)(void *ctx, const char *text, const gw_token *tokens, size_t n);

/* Segments each paragraph of doc with seg and calls fn with its tokens, in
 * order.  GW_OK, gw_segment's failure, or fn's nonzero value.  Inline, so
 * that fn, known where it is called, costs no call per paragraph. */
static inline int gw_for_each_segmented_paragraph(gw_segmenter *seg, const gw_document *doc,
                                                  gw_paragraph_fn fn, void *ctx,
                                                  gw_error *err) {
  size_t norm_len;
  const char *norm = gw_document_normalized(doc, &norm_len);
  size_t paragraphs = gw_document_paragraph_count(doc);
  for (size_t i = 0; i < paragraphs; i++) {
    const gw_paragraph *p = gw_document_paragraph_at(doc, i);
    const char *text = norm + p->range.norm_start;
    const gw_token *tokens;
    size_t n;
    int rc = gw_segment(seg, text, p->range.norm_end - p->range.norm_start, &tokens, &n, err);
    if (!rc) rc = fn(ctx, text, tokens, n);
    if (rc) return rc;
  }
  return GW_OK;
}

/* Whether a token is a word: all but spaces and sub-words. */
static inline int gw_token_is_word(const gw_token *t) {
  return t->kind != GW_TOKEN_SPACE && !t->sub;
}

/* One word: its bytes in the document's normalized view, and its kind.
 * Nonzero stops the walk. */
typedef int (*gw_word_fn)(void *ctx, const char *word, size_t len, gw_token_kind kind);

typedef struct {
  gw_word_fn fn;
  void *ctx;
} gw_word_walk;

static inline int gw_words_of_paragraph(void *ctx, const char *text, const gw_token *tokens,
                                        size_t n) {
  const gw_word_walk *walk = ctx;
  for (size_t k = 0; k < n; k++) {
    if (!gw_token_is_word(&tokens[k])) continue;
    int rc = walk->fn(walk->ctx, text + tokens[k].start, tokens[k].end - tokens[k].start,
                      tokens[k].kind);
    if (rc) return rc;
  }
  return GW_OK;
}

/* Segments each paragraph of doc with seg and calls fn for its words in
 * order.  GW_OK, gw_segment's failure, or fn's nonzero value. */
static inline int gw_for_each_word(gw_segmenter *seg, const gw_document *doc, gw_word_fn fn,
                                   void *ctx, gw_error *err) {
  gw_word_walk walk = {fn, ctx};
  return gw_for_each_segmented_paragraph(seg, doc, gw_words_of_paragraph, &walk, err);
}

#endif
