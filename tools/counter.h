/* counter.h — counting strings across a corpus (tools only): how often each
 * occurs and in how many documents. */
#ifndef GW_COUNTER_H
#define GW_COUNTER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gongwen.h"

typedef struct gw_count {
  const char *key; /* NUL-terminated, owned by the counter */
  size_t length;
  uint64_t count;
  uint64_t documents;
  uint64_t last_document; /* internal: the document counted last, plus one */
} gw_count;

/* A word counted lately, in the cache of recent words that
 * gw_counter_add_top_words and gw_counter_add_spans keep (counter.c): a
 * word of 4 to 24 bytes by its numbers (gw_counter_word_numbers).  32
 * bytes: a set of two fills one cache line. */
typedef struct gw_counter_recent {
  uint64_t a, b, c;
  uint32_t length; /* 0: an empty slot */
  uint32_t offset; /* its entry's byte offset in the counter's entries */
} gw_counter_recent;

/* The cache's sets (two words each, the one entered last first), by
 * gw_counter_recent_set: 4,096 of 64 bytes.  Few are touched where few
 * words are counted (the pages of the rest are never written). */
enum { GW_COUNTER_RECENT_SET_BITS = 12 };

typedef struct gw_counter {
  /* The excluded keys (gw_counter_exclude) first, then the keys counted in
   * the order first counted. */
  gw_count *entries;
  size_t excluded;          /* entries that are excluded keys */
  size_t size;              /* entries in all: excluded + keys counted */
  size_t entries_capacity;
  /* The hash table: 0 for an empty cell, else the key's tag (the high 32
   * bits of gw_counter_hash) over the entry's index plus one.  A key's
   * first cell is its tag's low bits, so growing the table reads the
   * cells alone.  Eight bytes a cell, at most half full: a probe reads the
   * cells of one cache line and compares a key's bytes only where the tags
   * agree. */
  uint64_t *cells;
  size_t capacity; /* cells: a power of two, or 0 */
  /* The two-way cache of the words counted lately (gw_counter_add_top_words,
   * gw_counter_add_spans), by their bytes: most words found there without hashing them or
   * reading their key.  NULL until then; aligned to its sets' cache lines
   * inside recent_block (what is freed). */
  gw_counter_recent *recent;
  void *recent_block;
  char **blocks;   /* key storage */
  size_t block_count, blocks_capacity, block_used, block_size;
} gw_counter;

/* A key's hash (its high 32 bits are the key's tag).  Eight bytes at a
 * time, each block mixed by a multiply (the finalizer of MurmurHash3):
 * keys are short words, so a word is one or two blocks.  Only the table's
 * layout depends on it; every output is sorted.  Here for the tests, which
 * look for keys whose tags agree. */
static inline uint64_t gw_counter_hash(const char *s, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
  for (; n >= 8; s += 8, n -= 8) {
    uint64_t w;
    memcpy(&w, s, sizeof w);
    h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
    h ^= h >> 32;
  }
  /* The last 0-7 bytes: two four-byte reads that may overlap (the length
   * is mixed in already), or the first, middle and last of up to three. */
  uint64_t w = 0;
  if (n >= 4) {
    uint32_t first, last;
    memcpy(&first, s, sizeof first);
    memcpy(&last, s + n - 4, sizeof last);
    w = (uint64_t)first << 32 | last;
  } else if (n) {
    const unsigned char *u = (const unsigned char *)s;
    w = (uint64_t)u[0] << 16 | (uint64_t)u[n / 2] << 8 | u[n - 1];
  }
  h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ULL;
  return h ^ (h >> 33);
}

static inline uint64_t gw_counter_load4(const char *s) {
  uint32_t w;
  memcpy(&w, s, sizeof w);
  return w;
}

static inline uint64_t gw_counter_load8(const char *s) {
  uint64_t w;
  memcpy(&w, s, sizeof w);
  return w;
}

/* A word of 4 to 24 bytes as the three numbers the cache of recent words
 * keeps, read within its bytes (the reads may overlap):
 * -  4 to  8 bytes: its first four bytes over its last four, its length, 0;
 * -  9 to 16 bytes: its first eight, its last eight, 0;
 * - 17 to 24 bytes: its first eight, the eight after them, its last eight.
 * Words of one length have the same numbers only if they are the same. */
static inline void gw_counter_word_numbers(const char *s, size_t len, uint64_t *a, uint64_t *b,
                                           uint64_t *c) {
  if (len <= 8) {
    *a = gw_counter_load4(s) << 32 | gw_counter_load4(s + len - 4);
    *b = len;
    *c = 0;
  } else {
    *a = gw_counter_load8(s);
    *b = gw_counter_load8(s + (len > 16 ? 8 : len - 8));
    *c = len > 16 ? gw_counter_load8(s + len - 8) : 0;
  }
}

/* A word's set in the cache of recent words, from its numbers and length:
 * a multiply's high bits (a multiply for each number that is not 0 or the
 * length).  Here for the tests, which look for words that share a set. */
static inline size_t gw_counter_recent_set(uint64_t a, uint64_t b, uint64_t c, size_t len) {
  uint64_t h = len <= 8    ? (a ^ b) * 0x9E3779B97F4A7C15ULL
               : len <= 16 ? a * 0x9E3779B97F4A7C15ULL + b * 0xC4CEB9FE1A85EC53ULL
                           : a * 0x9E3779B97F4A7C15ULL + b * 0xC4CEB9FE1A85EC53ULL +
                                 c * 0xFF51AFD7ED558CCDULL;
  return (size_t)(h >> (64 - GW_COUNTER_RECENT_SET_BITS));
}

void gw_counter_init(gw_counter *c);
void gw_counter_free(gw_counter *c);
/* Enters every key of `keys` (a counter's, counted or not) in c as an
 * excluded key, which no lookup finds and nothing lists (what
 * gw_counter_add counts of it is never shown): the stop words, passed over
 * by the one lookup that counts a word.  Only on a counter that has
 * counted nothing yet; -1 when out of memory (or when c has). */
int gw_counter_exclude(gw_counter *c, const gw_counter *keys);
/* The keys counted: size less the excluded ones. */
static inline size_t gw_counter_count(const gw_counter *c) { return c->size - c->excluded; }
/* Count one occurrence of key in document `document` (0-based).  -1 when
 * out of memory. */
int gw_counter_add(gw_counter *c, const char *key, size_t len, size_t document);
/* The entry of a key counted, or NULL (excluded keys too). */
const gw_count *gw_counter_find(const gw_counter *c, const char *key, size_t len);
/* For each of n tokens of text (gw_segment's) but spaces and the sub-words
 * of search mode (the words gw_for_each_word in segmenting.h hands on):
 * its kind counted in kinds[0 .. GW_TOKEN_OTHER] (when kinds is not NULL),
 * and gw_counter_add when it has the shape of a top word
 * (gw_is_top_word): with the stop words excluded from c
 * (gw_counter_exclude), the top words of the tokens counted by one lookup
 * each, in one loop without a call per word.  -1 when out of memory. */
int gw_counter_add_top_words(gw_counter *c, const char *text, const gw_token *tokens, size_t n,
                             size_t document, uint64_t *kinds);
/* Bytes [start, start + len) of a text. */
typedef struct gw_counter_span {
  size_t start, len;
} gw_counter_span;

/* gw_counter_add for each of n spans of text, in one loop (through the
 * cache of recent words gw_counter_add_top_words keeps).  -1 when out of
 * memory. */
int gw_counter_add_spans(gw_counter *c, const char *text, const gw_counter_span *spans,
                         size_t n, size_t document);
/* Entries counted, sorted by count (descending), then key bytes: a
 * malloc'd array of pointers into the counter, *n long. */
const gw_count **gw_counter_sorted(const gw_counter *c, size_t *n);
/* The first min(top, *n) of gw_counter_sorted's order, found without
 * sorting the rest: a malloc'd array of pointers into the counter; *n is
 * set to the number of keys counted (gw_counter_count). */
const gw_count **gw_counter_top(const gw_counter *c, size_t top, size_t *n);

/* The shape gw_is_top_word asks of a word: a content word of two or more
 * characters, or a Latin word (inline: the word walks ask it of every
 * token). */
static inline int gw_top_word_shape(const char *word, size_t len, gw_token_kind kind) {
  if (kind == GW_TOKEN_LATIN) return 1;
  if (kind != GW_TOKEN_WORD && kind != GW_TOKEN_NEW_WORD) return 0;
  /* Two characters or more: a byte after the first that starts one (is
   * not 10xxxxxx).  Bytes 1-3 looked at together (a Han character's two
   * continuation bytes, then the next one's lead), without a branch each;
   * the rest only after a four-byte character. */
  const unsigned char *u = (const unsigned char *)word;
  if (len < 4) { /* bytes 1-2 for 3 (one Han character, most often), byte 1 for 2 */
    if (len == 3) return ((u[1] | u[2] << 8) & 0xC0C0) != 0x8080;
    return len == 2 && (u[1] & 0xC0) != 0x80;
  }
  uint32_t next3 = (uint32_t)u[1] | (uint32_t)u[2] << 8 | (uint32_t)u[3] << 16;
  if ((next3 & 0xC0C0C0) != 0x808080) return 1;
  size_t i = 4;
  while (i < len && (u[i] & 0xC0) == 0x80) i++;
  return i < len;
}

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
