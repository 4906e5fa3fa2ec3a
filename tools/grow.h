/* grow.h — the tools' growable arrays: room for `need` elements, grown
 * geometrically so that appending one at a time costs amortized constant
 * time.  (The library's gw_grow is internal to it.) */
#ifndef GW_GROW_H
#define GW_GROW_H

#include <stddef.h>

/* Room for at least `need` elements of `elem` bytes at *array (capacity
 * *cap): 0 with the array grown (perhaps moved; to twice its capacity, at
 * least 16, at least need) or left as it was when it had the room; -1 when
 * out of memory, with *array and *cap untouched. */
int gw_cli_grow(void **array, size_t *cap, size_t need, size_t elem);

/* malloc(bytes) for a large table (free() releases it): from 1 MiB on,
 * aligned to a huge page and advised to use them. */
void *gw_cli_alloc_large(size_t bytes);

/* gw_cli_grow on an array variable and its capacity variable. */
#define GW_CLI_GROW(array, cap, need) \
  gw_cli_grow((void **)&(array), &(cap), (need), sizeof *(array))

#endif
