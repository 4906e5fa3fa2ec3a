/* dat.c — double-array trie construction: darts-style first fit, children
 * placed at the lowest base where all their cells are free. */
#include <stdlib.h>
#include <string.h>

#include "dat.h"
#include "internal.h"

typedef struct dat_builder {
  const gw_dat_key *keys;
  uint32_t max_code;
  gw_dat_unit *units;
  size_t capacity;
  size_t size;           /* one past the highest cell in use */
  size_t next_check_pos; /* cells before it are (nearly) all taken */
  uint32_t *codes;       /* scratch for one node's child codes */
  size_t codes_capacity;
} dat_builder;

#define FREE_CHECK (-1)

static int reserve(dat_builder *b, size_t need) {
  if (need <= b->capacity) return GW_OK;
  if (need > (size_t)INT32_MAX) return GW_ETOOBIG;
  size_t cap = b->capacity ? b->capacity : 4096;
  while (cap < need) cap *= 2;
  gw_dat_unit *u = realloc(b->units, cap * sizeof *u);
  if (!u) return GW_ENOMEM;
  for (size_t i = b->capacity; i < cap; i++)
    u[i] = (gw_dat_unit){0, FREE_CHECK, GW_DAT_NONE, 0};
  b->units = u;
  b->capacity = cap;
  return GW_OK;
}

/* Keys[lo..hi) share their first `depth` codes; the distinct next codes of
 * those longer than depth, ascending (equal codes are contiguous). */
static int child_codes(dat_builder *b, size_t lo, size_t hi, size_t depth,
                       size_t *n_out) {
  size_t n = 0;
  for (size_t k = lo; k < hi; k++) {
    if (b->keys[k].length <= depth) continue;
    uint32_t c = b->keys[k].codes[depth];
    if (n > 0 && b->codes[n - 1] == c) continue;
    if (n == b->codes_capacity) {
      size_t cap = b->codes_capacity ? b->codes_capacity * 2 : 256;
      uint32_t *p = realloc(b->codes, cap * sizeof *p);
      if (!p) return GW_ENOMEM;
      b->codes = p;
      b->codes_capacity = cap;
    }
    b->codes[n++] = c;
  }
  *n_out = n;
  return GW_OK;
}

/* The lowest base >= 1 at which every child code's cell is free. */
static int find_base(dat_builder *b, const uint32_t *codes, size_t n,
                     size_t *base_out) {
  size_t pos = b->next_check_pos > codes[0] + 1 ? b->next_check_pos : codes[0] + 1;
  size_t occupied = 0, first_free = 0;
  for (;; pos++) {
    int rc = reserve(b, pos + codes[n - 1] + 1);
    if (rc) return rc;
    if (b->units[pos].check != FREE_CHECK) {
      occupied++;
      continue;
    }
    if (!first_free) first_free = pos;
    size_t base = pos - codes[0];
    size_t i = 1;
    while (i < n && b->units[base + codes[i]].check == FREE_CHECK) i++;
    if (i < n) continue;
    /* Once the cells before pos are nearly all taken, stop scanning them. */
    if (occupied * 20 >= (pos - b->next_check_pos + 1) * 19)
      b->next_check_pos = first_free;
    *base_out = base;
    return GW_OK;
  }
}

static int insert_children(dat_builder *b, size_t lo, size_t hi, size_t depth,
                           uint32_t node) {
  /* The key equal to the prefix itself (it sorts first) gives the node its
   * value. */
  if (lo < hi && b->keys[lo].length == depth) b->units[node].value = b->keys[lo++].value;
  if (lo == hi) return GW_OK;
  size_t n;
  int rc = child_codes(b, lo, hi, depth, &n);
  if (rc) return rc;
  size_t base;
  rc = find_base(b, b->codes, n, &base);
  if (rc) return rc;
  b->units[node].base = (int32_t)base;
  for (size_t i = 0; i < n; i++) {
    b->units[base + b->codes[i]].check = (int32_t)node;
    b->units[node].children |= 1u << (b->codes[i] & 31);
  }
  if (base + b->codes[n - 1] + 1 > b->size) b->size = base + b->codes[n - 1] + 1;

  /* b->codes is reused by the recursion: walk the key groups instead. */
  size_t k = lo;
  while (k < hi) {
    uint32_t c = b->keys[k].codes[depth];
    size_t group_end = k;
    while (group_end < hi && b->keys[group_end].codes[depth] == c) group_end++;
    rc = insert_children(b, k, group_end, depth + 1, (uint32_t)(base + c));
    if (rc) return rc;
    k = group_end;
  }
  return GW_OK;
}

int gw_dat_build(const gw_dat_key *keys, size_t count, uint32_t max_code,
                 gw_dat_unit **units, size_t *unit_count) {
  dat_builder b = {keys, max_code, NULL, 0, 1, 1, NULL, 0};
  *units = NULL;
  *unit_count = 0;
  int rc = reserve(&b, 4096);
  if (!rc) {
    b.units[GW_DAT_ROOT].check = -2; /* in use, and no node's child */
    b.units[GW_DAT_ROOT].base = 1;
    rc = insert_children(&b, 0, count, 0, GW_DAT_ROOT);
  }
  /* Room for a step with any code from any node, so that a step never
   * needs a bounds check. */
  size_t n = b.size + max_code + 1;
  if (!rc) rc = reserve(&b, n);
  free(b.codes);
  if (rc) {
    free(b.units);
    return rc;
  }
  *units = b.units;
  *unit_count = n;
  return GW_OK;
}
