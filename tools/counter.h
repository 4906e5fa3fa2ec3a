/* counter.h — counting strings across a corpus (tools only): how often each
 * occurs and in how many documents. */
#ifndef GW_COUNTER_H
#define GW_COUNTER_H

#include <stddef.h>
#include <stdint.h>

#include "gongwen.h"

typedef struct gw_count {
  const char *key; /* NUL-terminated, owned by the counter */
  size_t length;
  uint64_t count;
  uint64_t documents;
  uint64_t last_document; /* internal: the document counted last, plus one */
} gw_count;

typedef struct gw_counter {
  gw_count *entries; /* in the order first counted */
  size_t size, entries_capacity;
  /* The hash table: 0 for an empty cell, else the key's hash with its low
   * 32 bits replaced by the entry's index plus one.  Eight bytes a cell,
   * at most half full: a probe reads the cells of one cache line and
   * compares a key's bytes only where 32 bits of its hash agree. */
  uint64_t *cells;
  size_t capacity; /* cells: a power of two, or 0 */
  char **blocks;   /* key storage */
  size_t block_count, blocks_capacity, block_used, block_size;
} gw_counter;

void gw_counter_init(gw_counter *c);
void gw_counter_free(gw_counter *c);
/* Count one occurrence of key in document `document` (0-based).  -1 when
 * out of memory. */
int gw_counter_add(gw_counter *c, const char *key, size_t len, size_t document);
/* The entry of key, or NULL. */
const gw_count *gw_counter_find(const gw_counter *c, const char *key, size_t len);
/* gw_counter_add for each of n tokens of text (gw_segment's) that
 * gw_is_top_word(stopwords, …) accepts, but spaces and the sub-words of
 * search mode: the words gw_for_each_word (segmenting.h) hands on.  Each
 * word's hash is computed once for both tables, in one loop without a call
 * per word.  -1 when out of memory. */
int gw_counter_add_top_words(gw_counter *c, const gw_counter *stopwords, const char *text,
                             const gw_token *tokens, size_t n, size_t document);
/* Entries sorted by count (descending), then key bytes: a malloc'd array of
 * pointers into the counter, *n long. */
const gw_count **gw_counter_sorted(const gw_counter *c, size_t *n);

/* Whether a token is counted among the top words: a content word, of two
 * or more characters (or a Latin word), that is not in stopwords (may be
 * NULL).  gw-seg --stats and gw-stats count by this one rule. */
int gw_is_top_word(const gw_counter *stopwords, const char *word, size_t len,
                   gw_token_kind kind);

/* The first `top` entries by count as a JSON array of
 * {key_name: key, "count": n, "documents": d}. */
struct gw_json;
void gw_counter_write(struct gw_json *w, const gw_counter *c, size_t top, const char *key_name);

/* Load a word list: one entry per line, '#' comments and blank lines
 * skipped, surrounding spaces trimmed.  Returns 0, or -1 with errno set. */
int gw_counter_load_words(gw_counter *c, const char *path);

#endif
