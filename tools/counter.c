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
  free(c->slots);
  memset(c, 0, sizeof *c);
}

/* Eight bytes at a time, each block mixed by a multiply (the finalizer of
 * MurmurHash3): keys are short words, so a word is one or two blocks where
 * FNV-1a took a multiply per byte.  Only the table's layout depends on it;
 * every output is sorted. */
static uint64_t hash_bytes(const char *s, size_t n) {
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

static gw_count *probe(gw_count *slots, size_t capacity, const char *key,
                       size_t len) {
  size_t i = (size_t)hash_bytes(key, len) & (capacity - 1);
  while (slots[i].key &&
         (slots[i].length != len || memcmp(slots[i].key, key, len) != 0))
    i = (i + 1) & (capacity - 1);
  return &slots[i];
}

static int grow(gw_counter *c) {
  size_t capacity = c->capacity ? c->capacity * 2 : 1024;
  gw_count *slots = calloc(capacity, sizeof *slots);
  if (!slots) return -1;
  for (size_t i = 0; i < c->capacity; i++)
    if (c->slots[i].key)
      *probe(slots, capacity, c->slots[i].key, c->slots[i].length) = c->slots[i];
  free(c->slots);
  c->slots = slots;
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

int gw_counter_add(gw_counter *c, const char *key, size_t len, size_t document) {
  if ((c->size + 1) * 4 > c->capacity * 3 && grow(c)) return -1;
  gw_count *slot = probe(c->slots, c->capacity, key, len);
  if (!slot->key) {
    slot->key = store_key(c, key, len);
    if (!slot->key) return -1;
    slot->length = len;
    c->size++;
  }
  slot->count++;
  if (slot->last_document != document + 1) {
    slot->documents++;
    slot->last_document = document + 1;
  }
  return 0;
}

const gw_count *gw_counter_find(const gw_counter *c, const char *key, size_t len) {
  if (!c->capacity) return NULL;
  const gw_count *slot = probe(c->slots, c->capacity, key, len);
  return slot->key ? slot : NULL;
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
  size_t k = 0;
  for (size_t i = 0; i < c->capacity; i++)
    if (c->slots[i].key) out[k++] = &c->slots[i];
  qsort(out, k, sizeof *out, by_count);
  *n = k;
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

int gw_is_top_word(const gw_counter *stopwords, const char *word, size_t len,
                   gw_token_kind kind) {
  if (kind != GW_TOKEN_WORD && kind != GW_TOKEN_NEW_WORD && kind != GW_TOKEN_LATIN) return 0;
  if (kind != GW_TOKEN_LATIN) {
    /* Two characters or more: a byte after the first that starts one. */
    size_t i = 1;
    while (i < len && ((unsigned char)word[i] & 0xC0) == 0x80) i++;
    if (i >= len) return 0;
  }
  return !stopwords || !gw_counter_find(stopwords, word, len);
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
