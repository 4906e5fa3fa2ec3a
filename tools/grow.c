/* grow.c — the tools' growable arrays (see grow.h). */
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>

int gw_cli_grow(void **array, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return 0;
  if (elem == 0 || need > SIZE_MAX / 2 / elem) return -1;
  size_t n = *cap <= SIZE_MAX / 2 / elem ? *cap * 2 : need;
  if (n < 16) n = 16;
  if (n < need) n = need;
  void *p = realloc(*array, n * elem);
  if (!p) return -1;
  *array = p;
  *cap = n;
  return 0;
}
