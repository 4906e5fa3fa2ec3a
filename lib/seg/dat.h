/*
 * dat.h — a double-array trie over character codes: built once, then
 * read-only (it lives in the mmap'd dictionary file).
 *
 * Keys are sequences of small integer codes (1..alphabet size), one per
 * character: the dictionary maps each code point to a code, frequent
 * characters first, so that a step through the trie is one array access
 * and sibling nodes sit close together.  Every node carries the value of
 * the key ending there (GW_DAT_NONE if none), in the same cache line as the
 * check that proves the step, and a 32-bit mask of its children's codes
 * (bit code % 32): most walks end on a code the node has no child for, and
 * the mask, read with the node, says so without the load of the far cell
 * (half of those loads on the segmenter's text).
 */
#ifndef GW_DAT_H
#define GW_DAT_H

#include <stddef.h>
#include <stdint.h>

typedef struct gw_dat_unit {
  int32_t base;   /* children of this node live at base + code */
  int32_t check;  /* the parent node, or -1 for a free cell */
  uint32_t value; /* the value of the key ending here, or GW_DAT_NONE */
  uint32_t children; /* bit (code % 32) set for each child's code */
} gw_dat_unit;

#define GW_DAT_ROOT 0u
#define GW_DAT_NONE UINT32_MAX

/* A key: codes[0..length), each code >= 1. */
typedef struct gw_dat_key {
  const uint32_t *codes;
  size_t length;
  uint32_t value;
} gw_dat_key;

/* keys must be sorted by their code sequences (shorter first on a common
 * prefix) and unique.  On success *units is malloc'd and *unit_count cells
 * long, including room for a step with any code up to max_code from any
 * node. */
int gw_dat_build(const gw_dat_key *keys, size_t count, uint32_t max_code,
                 gw_dat_unit **units, size_t *unit_count);

/* Follow code c from node s: the child node, or GW_DAT_NONE.  A code
 * whose bit is clear in the node's own cell has no child, which spares the
 * load of a far cell, likely a cache miss, at the end of most walks. */
static inline uint32_t gw_dat_step(const gw_dat_unit *units, uint32_t s,
                                   uint32_t c) {
  const gw_dat_unit *u = &units[s];
  if (!((u->children >> (c & 31)) & 1u)) return GW_DAT_NONE;
  uint32_t t = (uint32_t)u->base + c;
  return units[t].check == (int32_t)s ? t : GW_DAT_NONE;
}

/* The same in a trie built for codes 1..alphabet, stepped with codes a
 * larger alphabet may hold (the base dictionary's trie walked with the
 * codes user words added): a code it was not built for leads nowhere,
 * instead of past the end of its cells. */
static inline uint32_t gw_dat_step_within(const gw_dat_unit *units, uint32_t s,
                                          uint32_t c, uint32_t alphabet) {
  return c <= alphabet ? gw_dat_step(units, s, c) : GW_DAT_NONE;
}

#endif
