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
  memset(c, 0, sizeof *c);
}

/* Eight bytes at a time, each block mixed by a multiply (the finalizer of
 * MurmurHash3): keys are short words, so a word is one or two blocks where
 * FNV-1a took a multiply per byte.  Only the table's layout depends on it;
 * every output is sorted. */
static inline uint64_t hash_bytes(const char *s, size_t n) {
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

/* The cell of key (hash h) in a table with room: the key's own, or the
 * empty cell where it goes.  The index bits of h pick the first cell and
 * its tag bits are compared before the key. */
static inline size_t probe(const gw_counter *c, const char *key, size_t len, uint64_t h) {
  size_t mask = c->capacity - 1, i = (size_t)h & mask;
  uint64_t tag = h & TAG_MASK;
  for (;; i = (i + 1) & mask) {
    uint64_t cell = c->cells[i];
    if (!cell) return i;
    if ((cell & TAG_MASK) == tag) {
      const gw_count *e = &c->entries[(uint32_t)cell - 1];
      if (e->length == len && same_bytes(e->key, key, len)) return i;
    }
  }
}

/* The entry of key (hash h), or NULL. */
static inline gw_count *find_hashed(const gw_counter *c, const char *key, size_t len,
                                    uint64_t h) {
  if (!c->capacity) return NULL;
  uint64_t cell = c->cells[probe(c, key, len, h)];
  return cell ? &c->entries[(uint32_t)cell - 1] : NULL;
}

/* Twice the cells (at least 1024), the entries placed again. */
static int grow_cells(gw_counter *c) {
  size_t capacity = c->capacity ? c->capacity * 2 : 1024;
  if (capacity > SIZE_MAX / sizeof *c->cells) return -1;
  uint64_t *cells = calloc(capacity, sizeof *cells);
  if (!cells) return -1;
  size_t mask = capacity - 1;
  for (size_t k = 0; k < c->capacity; k++) {
    uint64_t cell = c->cells[k];
    if (!cell) continue;
    const gw_count *e = &c->entries[(uint32_t)cell - 1];
    size_t i = (size_t)hash_bytes(e->key, e->length) & mask;
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

/* A new entry for key at cell i: NULL when out of memory. */
static gw_count *insert(gw_counter *c, size_t i, const char *key, size_t len, uint64_t h) {
  if (c->size >= UINT32_MAX - 1 || GW_CLI_GROW(c->entries, c->entries_capacity, c->size + 1))
    return NULL;
  gw_count *e = &c->entries[c->size];
  memset(e, 0, sizeof *e);
  e->key = store_key(c, key, len);
  if (!e->key) return NULL;
  e->length = len;
  c->size++;
  c->cells[i] = (h & TAG_MASK) | (uint64_t)c->size; /* the index plus one */
  return e;
}

static inline int add_hashed(gw_counter *c, const char *key, size_t len, uint64_t h,
                             size_t document) {
  /* At most half full: a key not there ends its probe within a few cells. */
  if ((c->size + 1) * 2 > c->capacity && grow_cells(c)) return -1;
  size_t i = probe(c, key, len, h);
  gw_count *e = c->cells[i] ? &c->entries[(uint32_t)c->cells[i] - 1] : insert(c, i, key, len, h);
  if (!e) return -1;
  e->count++;
  if (e->last_document != document + 1) {
    e->documents++;
    e->last_document = document + 1;
  }
  return 0;
}

int gw_counter_add(gw_counter *c, const char *key, size_t len, size_t document) {
  return add_hashed(c, key, len, hash_bytes(key, len), document);
}

const gw_count *gw_counter_find(const gw_counter *c, const char *key, size_t len) {
  return find_hashed(c, key, len, hash_bytes(key, len));
}

static int by_count(const void *pa, const void *pb) {
  const gw_count *a = *(const gw_count *const *)pa, *b = *(const gw_count *const *)pb;
  if (a->count != b->count) return a->count > b->count ? -1 : 1;
  size_t n = a->length < b->length ? a->length : b->length;
  int cmp = memcmp(a->key, b->key, n);
  if (cmp) return cmp;
  return (a->length > b->length) - (a->length < b->length);
}

const gw_count **gw_counter_sorted(const gw_counter *c, size_t *n) {
  const gw_count **out = malloc((c->size ? c->size : 1) * sizeof *out);
  if (!out) return NULL;
  for (size_t i = 0; i < c->size; i++) out[i] = &c->entries[i];
  qsort(out, c->size, sizeof *out, by_count);
  *n = c->size;
  return out;
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

/* The shape gw_is_top_word asks of a word: a content word of two or more
 * characters, or a Latin word. */
static inline int top_word_shape(const char *word, size_t len, gw_token_kind kind) {
  if (kind == GW_TOKEN_LATIN) return 1;
  if (kind != GW_TOKEN_WORD && kind != GW_TOKEN_NEW_WORD) return 0;
  /* Two characters or more: a byte after the first that starts one.  The
   * first three looked at without a loop (a Han character's two
   * continuation bytes, then the next one's lead). */
  const unsigned char *u = (const unsigned char *)word;
  size_t i = 1;
  for (; i < 4; i++)
    if (i >= len || (u[i] & 0xC0) != 0x80) return i < len;
  while (i < len && (u[i] & 0xC0) == 0x80) i++;
  return i < len;
}

int gw_is_top_word(const gw_counter *stopwords, const char *word, size_t len,
                   gw_token_kind kind) {
  return top_word_shape(word, len, kind) &&
         (!stopwords || !gw_counter_find(stopwords, word, len));
}

int gw_counter_add_top_words(gw_counter *c, const gw_counter *stopwords, const char *text,
                             const gw_token *tokens, size_t n, size_t document) {
  for (size_t k = 0; k < n; k++) {
    const gw_token *t = &tokens[k];
    if (t->kind == GW_TOKEN_SPACE || t->sub) continue;
    const char *word = text + t->start;
    size_t len = t->end - t->start;
    if (!top_word_shape(word, len, t->kind)) continue;
    uint64_t h = hash_bytes(word, len);
    if (stopwords && find_hashed(stopwords, word, len, h)) continue;
    if (add_hashed(c, word, len, h, document)) return -1;
  }
  return 0;
}

void gw_counter_write(gw_json *w, const gw_counter *c, size_t top, const char *key_name) {
  size_t n;
  const gw_count **sorted = gw_counter_sorted(c, &n);
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
