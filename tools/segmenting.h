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
 * order.  GW_OK, gw_segment's failure, or fn's nonzero value. */
int gw_for_each_word(gw_segmenter *seg, const gw_document *doc, gw_word_fn fn, void *ctx,
                     gw_error *err);

#endif
