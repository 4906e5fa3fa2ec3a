/* counter.c — an open-addressing hash table of strings with counts. */
#include "counter.h"
#include "grow.h"

#include "gongwen.h"
#include "json_writer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gw_counter_init(gw_counter *c) {
  memset(c, 0, sizeof *c);
  c->block_size = 1 << 16;
}

void gw_counter_free(gw_counter *c) {
  for (size_t i = 0; i < c->block_count; i++) free(c->blocks[i]);
  free(c->blocks);
  free(c->entries);
  free(c->cells);
  free(c->recent_block);
  memset(c, 0, sizeof *c);
}

/* k = 4 or 8 bytes of s as a number. */
static inline uint64_t load_bytes(const char *s, size_t k) {
  uint32_t w4;
  uint64_t w8;
  if (k == 8) return memcpy(&w8, s, 8), w8;
  return memcpy(&w4, s, 4), w4;
}

/* Whether a[0, n) and b[0, n) hold the same bytes: 4 to 16 bytes (most
 * words) by two loads from each that may overlap, read within the n bytes. */
static inline int same_bytes(const char *a, const char *b, size_t n) {
  if (n < 4 || n > 16) return memcmp(a, b, n) == 0;
  size_t k = n >= 8 ? 8 : 4;
  return ((load_bytes(a, k) ^ load_bytes(b, k)) |
          (load_bytes(a + n - k, k) ^ load_bytes(b + n - k, k))) == 0;
}

enum { INDEX_BITS = 32 };
#define TAG_MASK (~(uint64_t)0 << INDEX_BITS)

/* The first cell of a key whose hash (or cell) is h: its tag's low bits. */
static inline size_t home_cell(uint64_t h, size_t mask) {
  return (size_t)(h >> INDEX_BITS) & mask;
}

/* The cell of key (hash h) in a table with room: the key's own, or the
 * empty cell where it goes.  The tags are compared before the keys. */
static inline size_t probe(const gw_counter *c, const char *key, size_t len, uint64_t h) {
  size_t mask = c->capacity - 1, i = home_cell(h, mask);
  for (;; i = (i + 1) & mask) {
    uint64_t cell = c->cells[i];
    if (!cell) return i;
    if (!((cell ^ h) & TAG_MASK)) {
      const gw_count *e = &c->entries[(uint32_t)cell - 1];
      if (e->length == len && same_bytes(e->key, key, len)) return i;
    }
  }
}

/* Twice the cells (at least 1024), placed again by their tags. */
static int grow_cells(gw_counter *c) {
  size_t capacity = c->capacity ? c->capacity * 2 : 1024;
  if (capacity > SIZE_MAX / sizeof *c->cells) return -1;
  uint64_t *cells = calloc(capacity, sizeof *cells);
  if (!cells) return -1;
  size_t mask = capacity - 1;
  for (size_t k = 0; k < c->capacity; k++) {
    uint64_t cell = c->cells[k];
    if (!cell) continue;
    size_t i = home_cell(cell, mask);
    while (cells[i]) i = (i + 1) & mask;
    cells[i] = cell;
  }
  free(c->cells);
  c->cells = cells;
  c->capacity = capacity;
  return 0;
}

static const char *store_key(gw_counter *c, const char *key, size_t len) {
  if (c->block_count == 0 || c->block_used + len + 1 > c->block_size) {
    size_t size = len + 1 > c->block_size ? len + 1 : c->block_size;
    if (GW_CLI_GROW(c->blocks, c->blocks_capacity, c->block_count + 1)) return NULL;
    char *block = malloc(size);
    if (!block) return NULL;
    c->blocks[c->block_count++] = block;
    c->block_used = 0;
  }
  char *at = c->blocks[c->block_count - 1] + c->block_used;
  memcpy(at, key, len);
  at[len] = '\0';
  c->block_used += len + 1;
  return at;
}

enum { CELL_UNKNOWN = 0 };

/* A new entry for key (hash h), not in the table: NULL when out of
 * memory.  cell: the empty cell where the key's probe ended, plus one
 * (CELL_UNKNOWN: probed here).  The table grows here, on the way in, so
 * that a key found costs no check: at most half full, a key not there ends
 * its probe within a few cells. */
static gw_count *insert(gw_counter *c, const char *key, size_t len, uint64_t h, size_t cell) {
  if (c->size >= UINT32_MAX - 1 ||
      (c->size == c->entries_capacity && GW_CLI_GROW(c->entries, c->entries_capacity, c->size + 1)))
    return NULL;
  if ((c->size + 1) * 2 > c->capacity) {
    if (grow_cells(c)) return NULL;
    cell = CELL_UNKNOWN; /* the cells moved */
  }
  size_t i = cell != CELL_UNKNOWN ? cell - 1 : probe(c, key, len, h);
  gw_count *e = &c->entries[c->size];
  memset(e, 0, sizeof *e);
  e->key = store_key(c, key, len);
  if (!e->key) return NULL;
  e->length = len;
  c->size++;
  c->cells[i] = (h & TAG_MASK) | (uint64_t)c->size; /* the index plus one */
  return e;
}

/* The index of key's entry (hash h), a new one when it has none: -1 when
 * out of memory. */
static inline int64_t entry_of(gw_counter *c, const char *key, size_t len, uint64_t h) {
  size_t empty = CELL_UNKNOWN;
  if (c->capacity) {
    size_t i = probe(c, key, len, h);
    if (c->cells[i]) return (uint32_t)c->cells[i] - 1;
    empty = i + 1;
  }
  return insert(c, key, len, h, empty) ? (int64_t)c->size - 1 : -1;
}

static inline void count_in(gw_count *e, size_t document) {
  e->count++;
  if (e->last_document != document + 1) {
    e->documents++;
    e->last_document = document + 1;
  }
}

/* One occurrence of key (hash h) in document `document`: 0, or -1 when
 * out of memory.  An excluded key is counted like any other, without a
 * test for it: no lookup finds it and no listing shows it. */
static inline int add_hashed(gw_counter *c, const char *key, size_t len, uint64_t h,
                             size_t document) {
  int64_t index = entry_of(c, key, len, h);
  if (index < 0) return -1;
  count_in(&c->entries[index], document);
  return 0;
}

int gw_counter_add(gw_counter *c, const char *key, size_t len, size_t document) {
  return add_hashed(c, key, len, gw_counter_hash(key, len), document);
}

const gw_count *gw_counter_find(const gw_counter *c, const char *key, size_t len) {
  if (!c->capacity) return NULL;
  uint64_t cell = c->cells[probe(c, key, len, gw_counter_hash(key, len))];
  if (!cell || (uint32_t)cell - 1 < c->excluded) return NULL;
  return &c->entries[(uint32_t)cell - 1];
}

int gw_counter_exclude(gw_counter *c, const gw_counter *keys) {
  if (c->size != c->excluded) return -1;
  for (size_t k = keys->excluded; k < keys->size; k++) {
    const gw_count *key = &keys->entries[k];
    uint64_t h = gw_counter_hash(key->key, key->length);
    size_t empty = CELL_UNKNOWN;
    if (c->capacity) {
      size_t i = probe(c, key->key, key->length, h);
      if (c->cells[i]) continue;
      empty = i + 1;
    }
    if (!insert(c, key->key, key->length, h, empty)) return -1;
    c->excluded = c->size;
  }
  return 0;
}

/* The order of every listing: by count (descending), then key bytes.
 * Keys are distinct, so no two entries tie: the listing does not depend
 * on the order counted or on how it is found. */
static int by_count(const void *pa, const void *pb) {
  const gw_count *a = *(const gw_count *const *)pa, *b = *(const gw_count *const *)pb;
  if (a->count != b->count) return a->count > b->count ? -1 : 1;
  size_t n = a->length < b->length ? a->length : b->length;
  int cmp = memcmp(a->key, b->key, n);
  if (cmp) return cmp;
  return (a->length > b->length) - (a->length < b->length);
}

static inline int listed_before(const gw_count *a, const gw_count *b) {
  return by_count(&a, &b) < 0;
}

const gw_count **gw_counter_sorted(const gw_counter *c, size_t *n) {
  size_t count = gw_counter_count(c);
  const gw_count **out = malloc((count ? count : 1) * sizeof *out);
  if (!out) return NULL;
  for (size_t i = 0; i < count; i++) out[i] = &c->entries[c->excluded + i];
  qsort(out, count, sizeof *out, by_count);
  *n = count;
  return out;
}

/* heap[0, n) a heap with the entry listed last on top: the one at i
 * moved down to its place. */
static void sift_down(const gw_count **heap, size_t n, size_t i) {
  for (;;) {
    size_t last = i, l = 2 * i + 1, r = l + 1;
    if (l < n && listed_before(heap[last], heap[l])) last = l;
    if (r < n && listed_before(heap[last], heap[r])) last = r;
    if (last == i) return;
    const gw_count *t = heap[i];
    heap[i] = heap[last];
    heap[last] = t;
    i = last;
  }
}

const gw_count **gw_counter_top(const gw_counter *c, size_t top, size_t *n) {
  size_t count = gw_counter_count(c);
  if (top >= count) return gw_counter_sorted(c, n);
  /* The first `top` kept in a heap whose top is the one listed last of
   * them: each other entry costs one comparison with it (most, one of
   * counts), where sorting them all took log2(count). */
  const gw_count **heap = malloc((top ? top : 1) * sizeof *heap);
  if (!heap) return NULL;
  const gw_count *entries = c->entries + c->excluded;
  for (size_t i = 0; i < top; i++) heap[i] = &entries[i];
  for (size_t i = top / 2; i-- > 0;) sift_down(heap, top, i);
  for (size_t i = top; top && i < count; i++) {
    if (!listed_before(&entries[i], heap[0])) continue;
    heap[0] = &entries[i];
    sift_down(heap, top, 0);
  }
  qsort(heap, top, sizeof *heap, by_count);
  *n = count;
  return heap;
}

int gw_counter_load_words(gw_counter *c, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  char *line = NULL;
  size_t cap = 0;
  ssize_t got;
  int rc = 0;
  errno = 0;
  while ((got = getline(&line, &cap, f)) >= 0) {
    size_t a = 0, b = (size_t)got;
    while (a < b && (line[a] == ' ' || line[a] == '\t')) a++;
    while (b > a && (line[b - 1] == '\n' || line[b - 1] == '\r' ||
                     line[b - 1] == ' ' || line[b - 1] == '\t'))
      b--;
    if (a == b || line[a] == '#') continue;
    if (gw_counter_add(c, line + a, b - a, 0)) { rc = -1; errno = ENOMEM; break; }
  }
  /* getline out of memory stops as at the end, without the error flag:
   * a list cut short must not pass for the whole list. */
  int saved = errno;
  if (!rc && (ferror(f) || !feof(f))) {
    rc = -1;
    if (!saved) saved = EIO;
  }
  free(line);
  fclose(f);
  errno = saved;
  return rc;
}

int gw_is_top_word(const gw_counter *stopwords, const char *word, size_t len,
                   gw_token_kind kind) {
  return gw_top_word_shape(word, len, kind) &&
         (!stopwords || !gw_counter_find(stopwords, word, len));
}

/* The cache of recent words, made on first use, its sets aligned to
 * cache lines: NULL when out of memory. */
static gw_counter_recent *recent_words(gw_counter *c) {
  if (c->recent) return c->recent;
  enum { LINE = 64 };
  size_t sets = (size_t)1 << GW_COUNTER_RECENT_SET_BITS;
  char *block = calloc(sets * 2 * sizeof *c->recent + LINE, 1);
  if (!block) return NULL;
  c->recent_block = block;
  c->recent = (gw_counter_recent *)(block + (LINE - (uintptr_t)block % LINE));
  return c->recent;
}

#if defined(__GNUC__)
#define OUT_OF_LINE __attribute__((noinline))
#else
#define OUT_OF_LINE
#endif

/* One occurrence of a word its set in the cache of recent words does not
 * hold (a, b, c: its numbers), or of one the cache does not hold (set
 * NULL: under 4 bytes or over 24), counted through the table; then the
 * first in its set, the first one's word second.  0, or -1 when out of
 * memory. */
static inline int count_through_table(gw_counter *c, gw_counter_recent *set, const char *word,
                                      size_t len, uint64_t a, uint64_t b, uint64_t cc,
                                      size_t document) {
  int64_t index = entry_of(c, word, len, gw_counter_hash(word, len));
  if (index < 0) return -1;
  size_t offset = (size_t)index * sizeof *c->entries;
  /* Kept where its offset fits, and (for a word over 8 bytes) where its
   * second number cannot be a length of up to 8, which count_word takes
   * for a word of that length with its first number without comparing
   * lengths. */
  if (set && offset <= UINT32_MAX && (len <= 8 || b > 8)) {
    set[1] = set[0];
    set[0] = (gw_counter_recent){a, b, cc, (uint32_t)len, (uint32_t)offset};
  }
  count_in(&c->entries[index], document); /* excluded keys too: never shown */
  return 0;
}

/* count_through_table out of line: gw_counter_add_top_words, whose loop
 * keeps many values in registers, calls it for the few words it misses.
 * (gw_counter_add_spans' plain loop, where most words of a corpus of
 * varied documents can miss, keeps it inline.) */
static OUT_OF_LINE int count_missed(gw_counter *c, gw_counter_recent *set, const char *word,
                                    size_t len, uint64_t a, uint64_t b, uint64_t cc,
                                    size_t document) {
  return count_through_table(c, set, word, len, a, b, cc, document);
}

/* One occurrence of word in document `document`, through the cache of
 * recent words: 0, or -1 when out of memory.  *entries is c->entries, as
 * bytes, kept by the caller (read again here after a miss, which may
 * move them). */
static inline int count_word(gw_counter *c, gw_counter_recent *recent, char **entries,
                             const char *word, size_t len, size_t document, int miss_inline) {
  uint64_t a, b, cc;
  gw_counter_recent *set = NULL;
  /* The two slots of the word's set compared (the lengths apart, each
   * read as gw_counter_word_numbers does).  Up to 8 bytes, the first two
   * numbers tell the word from every other: the second is its length, and
   * no word kept over 8 bytes has a second number under 9 (count_missed).
   * Over 8, the length too, and over 16 the third number. */
  gw_counter_recent *r;
  if (len - 4 <= 8 - 4) {
    gw_counter_word_numbers(word, len, &a, &b, &cc);
    set = &recent[2 * gw_counter_recent_set(a, b, cc, len)];
    if ((r = set)->a == a && r->b == b) goto hit;
    if ((r = set + 1)->a == a && r->b == b) goto hit;
  } else if (len - 9 <= 16 - 9) {
    gw_counter_word_numbers(word, len, &a, &b, &cc);
    set = &recent[2 * gw_counter_recent_set(a, b, cc, len)];
    if ((r = set)->a == a && r->b == b && r->length == len) goto hit;
    if ((r = set + 1)->a == a && r->b == b && r->length == len) goto hit;
  } else if (len - 17 <= 24 - 17) {
    gw_counter_word_numbers(word, len, &a, &b, &cc);
    set = &recent[2 * gw_counter_recent_set(a, b, cc, len)];
    if ((r = set)->a == a && r->b == b && r->c == cc && r->length == len) goto hit;
    if ((r = set + 1)->a == a && r->b == b && r->c == cc && r->length == len) goto hit;
  } else {
    a = b = cc = 0; /* a short Latin word or a long one: the table alone */
  }
  int rc = miss_inline ? count_through_table(c, set, word, len, a, b, cc, document)
                       : count_missed(c, set, word, len, a, b, cc, document);
  *entries = (char *)c->entries;
  return rc;
hit:
  count_in((gw_count *)(*entries + r->offset), document); /* excluded keys too */
  return 0;
}

int gw_counter_add_top_words(gw_counter *c, const char *text, const gw_token *tokens, size_t n,
                             size_t document, uint64_t *kinds) {
  gw_counter_recent *recent = recent_words(c);
  if (!recent) return -1;
  /* The kinds tallied here, spaces too (one increment, no test): only
   * the others are handed on. */
  uint64_t tally[GW_TOKEN_OTHER + 1] = {0};
  int rc = 0;
  char *entries = (char *)c->entries;
  for (const gw_token *t = tokens, *end = tokens + n; t < end; t++) {
    if (t->sub) continue;
    gw_token_kind kind = t->kind;
    tally[kind]++;
    const char *word = text + t->start;
    size_t len = t->end - t->start;
    if (!gw_top_word_shape(word, len, kind)) continue;
    if (count_word(c, recent, &entries, word, len, document, 0)) {
      rc = -1; /* the kinds of the tokens before it stay counted, as they were */
      break;
    }
  }
  if (kinds)
    for (int k = 0; k <= GW_TOKEN_OTHER; k++)
      if (k != GW_TOKEN_SPACE) kinds[k] += tally[k];
  return rc;
}

int gw_counter_add_spans(gw_counter *c, const char *text, const gw_counter_span *spans,
                         size_t n, size_t document) {
  gw_counter_recent *recent = recent_words(c);
  if (!recent) return -1;
  char *entries = (char *)c->entries;
  for (size_t i = 0; i < n; i++)
    if (count_word(c, recent, &entries, text + spans[i].start, spans[i].len, document, 1))
      return -1;
  return 0;
}

void gw_counter_write(gw_json *w, const gw_counter *c, size_t top, const char *key_name) {
  size_t n;
  const gw_count **sorted = gw_counter_top(c, top, &n);
  if (!sorted) {
    gw_json_fail(w, GW_ENOMEM);
    return;
  }
  gw_json_array_begin(w);
  for (size_t i = 0; i < n && i < top; i++) {
    gw_json_object_begin(w);
    gw_json_key(w, key_name);
    gw_json_string_n(w, sorted[i]->key, sorted[i]->length);
    gw_json_member_uint(w, "count", sorted[i]->count);
    gw_json_member_uint(w, "documents", sorted[i]->documents);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
  free(sorted);
}
