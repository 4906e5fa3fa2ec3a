/* grow.c — the tools' growable arrays (see grow.h). */
/* madvise(MADV_HUGEPAGE) is a Linux extension beyond POSIX. */
#define _DEFAULT_SOURCE
#include "grow.h"

#include <sys/mman.h>

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

/* Whole huge pages from 1 MiB on: malloc's fresh small pages fault in one
 * by one (about a thousand for a 20 MB file's tables), each tens of
 * microseconds on a virtual machine. */
void *gw_cli_alloc_large(size_t bytes) {
  const size_t huge = (size_t)2 << 20;
  if (bytes < huge / 2 || bytes > SIZE_MAX - huge) return malloc(bytes ? bytes : 1);
  size_t rounded = (bytes + huge - 1) & ~(huge - 1);
  void *p = NULL;
  if (posix_memalign(&p, huge, rounded) != 0) return malloc(bytes);
#ifdef MADV_HUGEPAGE
  (void)madvise(p, rounded, MADV_HUGEPAGE);
#endif
  return p;
}
