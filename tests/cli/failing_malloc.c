/* failing_malloc.c — an LD_PRELOAD shim for tests: with GW_FAIL_ALLOC=N in
 * the environment, the Nth allocation (malloc, calloc, realloc) and every
 * one after it fail with ENOMEM, so that a test can stop a tool at any
 * point of its work.  GW_FAIL_ALLOC_COUNT=FILE writes the number of
 * allocations made to FILE at exit. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static long fail_at = -1; /* -1: not read yet; 0: never */
static long made;

static int failing(void) {
  if (fail_at < 0) {
    const char *v = getenv("GW_FAIL_ALLOC");
    fail_at = v ? strtol(v, NULL, 10) : 0;
  }
  made++;
  if (fail_at > 0 && made >= fail_at) {
    errno = ENOMEM;
    return 1;
  }
  return 0;
}

void *malloc(size_t n) { return failing() ? NULL : __libc_malloc(n); }
void *calloc(size_t n, size_t size) { return failing() ? NULL : __libc_calloc(n, size); }
void *realloc(void *p, size_t n) { return failing() ? NULL : __libc_realloc(p, n); }

__attribute__((destructor)) static void report(void) {
  const char *path = getenv("GW_FAIL_ALLOC_COUNT");
  if (!path) return;
  FILE *f = fopen(path, "w");
  if (f) {
    fprintf(f, "%ld\n", made);
    fclose(f);
  }
}
