/* What the archive's unit tests share: the planted set, loading it as
 * gw-dups would (normalizer, official terms), and making an archive. */
#ifndef GW_TEST_ARCHIVE_UTIL_H
#define GW_TEST_ARCHIVE_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gongwen.h"
#include "harness.h"
#include "test_archive_planted.h"

static gw_normalizer *nz;
static gw_noise *noise;
static gw_terms *terms;
static gw_document_options opts = GW_DOCUMENT_OPTIONS_INIT;
static planted_doc docs[PLANTED_DOCS];
static char root[256];

static inline void die(const char *what, const gw_error *err) {
  fprintf(stderr, "%s: %s\n", what, err ? err->message : "");
  exit(1);
}

static inline gw_document *load(const planted_doc *p) {
  gw_document *doc;
  gw_error err;
  if (gw_document_load_buffer(&doc, p->path, p->text, p->len, &opts, &err)) die(p->path, &err);
  return doc;
}

static inline gw_range *official_of(const gw_document *doc, size_t *n) {
  gw_term_result *r;
  gw_terms_options to = GW_TERMS_OPTIONS_INIT;
  to.matches_only = 1;
  gw_error err;
  if (gw_terms_match(&r, terms, doc, &to, &err)) die("terms", &err);
  *n = gw_term_result_match_count(r);
  gw_range *spans = malloc((*n + 1) * sizeof *spans);
  for (size_t i = 0; i < *n; i++) spans[i] = gw_term_result_match_at(r, i)->range;
  gw_term_result_free(r);
  return spans;
}

static inline void params(gw_archive_params *p) { gw_archive_params_init(p, NULL, 0x1234, 0x5678); }

static inline void make_archive(const char *dir, const int *which, size_t n) {
  gw_archive_params p;
  params(&p);
  gw_error err;
  if (gw_archive_create(dir, &p, &err)) die(dir, &err);
  gw_archive *a;
  if (gw_archive_open(&a, dir, GW_ARCHIVE_WRITE, &p, &err)) die(dir, &err);
  gw_archive_writer *w;
  if (gw_archive_writer_new(&w, a, &err)) die(dir, &err);
  for (size_t i = 0; i < n; i++) {
    const planted_doc *pd = &docs[which[i]];
    gw_document *doc = load(pd);
    size_t ns;
    gw_range *spans = official_of(doc, &ns);
    gw_archive_entry e = {pd->path, pd->unit, pd->year, "", ""};
    if (gw_archive_writer_add(w, doc, spans, ns, &e, &opts, &err)) die(pd->path, &err);
    free(spans);
    gw_document_free(doc);
  }
  if (gw_archive_writer_commit(w, &err)) die(dir, &err);
  gw_archive_writer_free(w);
  gw_archive_free(a);
}

/* Add documents `which` to dir as one segment, each path after prefix.
 * GW_OK or the error (for children that are killed or limited). */
static inline int add_prefixed(const char *dir, const int *which, size_t n, const char *prefix,
                        gw_error *err) {
  gw_archive *a;
  int rc = gw_archive_open(&a, dir, GW_ARCHIVE_WRITE, NULL, err);
  if (rc) return rc;
  gw_archive_writer *w = NULL;
  rc = gw_archive_writer_new(&w, a, err);
  for (size_t i = 0; !rc && i < n; i++) {
    const planted_doc *pd = &docs[which[i]];
    char path[160];
    snprintf(path, sizeof path, "%s%s", prefix, pd->path);
    gw_document *doc = load(pd);
    size_t ns;
    gw_range *spans = official_of(doc, &ns);
    gw_archive_entry e = {path, pd->unit, pd->year, "", ""};
    rc = gw_archive_writer_add(w, doc, spans, ns, &e, &opts, err);
    free(spans);
    gw_document_free(doc);
  }
  if (!rc) rc = gw_archive_writer_commit(w, err);
  gw_archive_writer_free(w);
  gw_archive_free(a);
  return rc;
}

static inline char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)n + 1);
  if (!b) {
    fclose(f);
    return NULL;
  }
  *len = fread(b, 1, (size_t)n, f);
  b[*len] = '\0'; /* callers compare with strcmp */
  fclose(f);
  return b;
}

static inline int same_file(const char *x, const char *y) {
  size_t lx, ly;
  char *a = slurp(x, &lx), *b = slurp(y, &ly);
  int same = a && b && lx == ly && memcmp(a, b, lx) == 0;
  free(a);
  free(b);
  return same;
}

static inline void setup(void) {
  gw_error err;
  char terms_path[512];
  snprintf(terms_path, sizeof terms_path, "%s/terms.tsv", GW_DICT_SOURCE_DIR);
  if (gw_normalizer_new(&nz, &err) || gw_terms_load_file(&terms, terms_path, &err))
    die("setup", &err);
  opts.normalizer = nz;
  opts.noise = noise;
  planted_make(docs);
  /* a folder of its own: a pid-named one can be left over from an
   * earlier run that was killed, and an archive needs an empty folder */
  snprintf(root, sizeof root, "/tmp/gw-test-archive-XXXXXX");
  if (!mkdtemp(root)) {
    perror("mkdtemp");
    exit(1);
  }
}

static inline int teardown(void) {
  planted_free(docs);
  gw_terms_free(terms);
  gw_normalizer_free(nz);
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
  if (system(cmd)) return 1;
  return gw_test_report();
}

#endif
