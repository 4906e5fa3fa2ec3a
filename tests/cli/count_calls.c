/* count_calls.c — an LD_PRELOAD shim for tests: counts the documents a
 * tool loads from files (gw_document_load_file) and prepares for copy
 * detection (gw_dups_prepare), and with GW_COUNT_CALLS=FILE in the
 * environment writes "loaded N\nprepared M\n" to FILE at exit.  The calls
 * themselves go on to the library. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "gongwen.h"

static atomic_long loaded, prepared;

int gw_document_load_file(gw_document **out, const char *path, const gw_document_options *opts,
                          gw_error *err) {
  int (*next)(gw_document **, const char *, const gw_document_options *, gw_error *);
  *(void **)&next = dlsym(RTLD_NEXT, "gw_document_load_file");
  atomic_fetch_add(&loaded, 1);
  return next(out, path, opts, err);
}

int gw_dups_prepare(const gw_dups *dups, const gw_document *doc, const gw_range *official,
                    size_t n_official, gw_dups_input **out, gw_error *err) {
  int (*next)(const gw_dups *, const gw_document *, const gw_range *, size_t, gw_dups_input **,
              gw_error *);
  *(void **)&next = dlsym(RTLD_NEXT, "gw_dups_prepare");
  atomic_fetch_add(&prepared, 1);
  return next(dups, doc, official, n_official, out, err);
}

__attribute__((destructor)) static void report(void) {
  const char *path = getenv("GW_COUNT_CALLS");
  if (!path) return;
  FILE *f = fopen(path, "w");
  if (!f) return;
  fprintf(f, "loaded %ld\nprepared %ld\n", atomic_load(&loaded), atomic_load(&prepared));
  fclose(f);
}
