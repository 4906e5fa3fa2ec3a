/*
 * dups.c — the copy-detection handle: options, running the stages of
 * dups_stages.h on two threads, and the result accessors.  Documents are added
 * by index.c.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "dups_stages.h"

/* The caller's options as the current version: a version-1 caller's
 * struct ends before the version-2 fields, which keep their defaults. */
static int read_options(const gw_dups_options *in, gw_dups_options *o, gw_error *err) {
  static const gw_dups_options defaults = GW_DUPS_OPTIONS_INIT;
  if (in->version < 1 || in->version > GW_DUPS_OPTIONS_VERSION)
    return gw_fail(err, GW_EINVAL, "gw_dups: options version %u, expected 1 to %u",
                   in->version, (unsigned)GW_DUPS_OPTIONS_VERSION);
  *o = defaults;
  memcpy(o, in, in->version == 1 ? offsetof(gw_dups_options, template_min) : sizeof *o);
  o->version = GW_DUPS_OPTIONS_VERSION;
  return GW_OK;
}

static int check_options(const gw_dups_options *o, gw_error *err) {
  if (o->shingle_k < 1 || o->shingle_k > 64)
    return gw_fail(err, GW_EINVAL, "gw_dups: shingle_k must be 1 to 64");
  if (o->minhash_count < 1 || o->bands < 1 || o->minhash_count % o->bands)
    return gw_fail(err, GW_EINVAL, "gw_dups: bands must divide minhash_count");
  if (!(o->min_jaccard > 0.0 && o->min_jaccard <= 1.0))
    return gw_fail(err, GW_EINVAL, "gw_dups: min_jaccard must be in (0, 1]");
  if (!(o->min_containment > 0.0))
    return gw_fail(err, GW_EINVAL, "gw_dups: min_containment must be positive");
  if (o->passage_t < 2 || o->passage_t > 13 || o->passage_k < 1 ||
      o->passage_k > o->passage_t)
    return gw_fail(err, GW_EINVAL,
                   "gw_dups: need 1 <= passage_k <= passage_t <= 13");
  if (o->template_min < 2)
    return gw_fail(err, GW_EINVAL, "gw_dups: template_min must be at least 2");
  return GW_OK;
}

int gw_dups_new(gw_dups **out, const gw_dups_options *opts, gw_error *err) {
  static const gw_dups_options defaults = GW_DUPS_OPTIONS_INIT;
  gw_dups_options o;
  *out = NULL;
  int rc = read_options(opts ? opts : &defaults, &o, err);
  if (!rc) rc = check_options(&o, err);
  if (rc) return rc;
  gw_dups *d = calloc(1, sizeof *d);
  if (d) d->store = gw_dups_store_new();
  if (!d || !d->store) {
    free(d);
    return gw_fail(err, GW_ENOMEM, "gw_dups: out of memory");
  }
  d->opts = o;
  *out = d;
  return GW_OK;
}

static void clear_results(gw_dups *d) {
  free(d->info); free(d->sources); free(d->pairs); free(d->passages);
  free(d->clusters); free(d->members); free(d->families); free(d->family_members);
  d->info = NULL; d->sources = NULL; d->pairs = NULL; d->passages = NULL;
  d->clusters = NULL; d->members = NULL; d->families = NULL; d->family_members = NULL;
  d->families_count = d->families_cap = d->family_members_count = d->family_members_cap = 0;
  d->info_count = d->info_cap = d->sources_count = d->sources_cap = 0;
  d->pairs_count = d->pairs_cap = d->passages_count = d->passages_cap = 0;
  d->clusters_count = d->clusters_cap = d->members_count = d->members_cap = 0;
}

void gw_dups_free(gw_dups *d) {
  if (!d) return;
  clear_results(d);
  for (size_t i = 0; i < d->docs_count; i++) free(d->docs[i].fars);
  gw_dups_store_free(d->store); /* the documents' character arrays */
  free(d->docs);
  free(d->paras);
  free(d->fps); free(d->elig); free(d->keys);
  free(d);
}

const gw_dups_options *gw_dups_options_in_use(const gw_dups *d) { return &d->opts; }

const char *gw_dups_kind_name(gw_dups_kind kind) {
  switch (kind) {
  case GW_DUPS_OFFICIAL: return "official";
  case GW_DUPS_GENERIC: return "generic";
  case GW_DUPS_BASE: return "base";
  default: return "copy";
  }
}

int gw_dups_set_base(gw_dups *d, size_t document, int is_base, gw_error *err) {
  if (!d || document >= d->docs_count)
    return gw_fail(err, GW_EINVAL, "gw_dups_set_base: no document %zu", document);
  d->docs[document].is_base = is_base ? 1 : 0;
  return GW_OK;
}

/* gw_dups_run's steps: two tasks at a time, the second on a new thread
 * when the options allow one (on the caller's if none can be started).
 * The tasks of a step write disjoint parts of the handle (clusters and
 * members; flags' base bit, info, sources, pairs, passages and families;
 * each its own work arrays) and only read the index, so the results do
 * not depend on the threads. */
typedef struct run_work {
  gw_dups *d;
  gw_dups_runs runs;
  gw_dups_pairs candidates;
} run_work;

typedef int (*run_task)(run_work *w);

typedef struct task_thread {
  run_task task;
  run_work *work;
  int rc;
} task_thread;

static void *task_main(void *arg) {
  task_thread *t = arg;
  t->rc = t->task(t->work);
  return NULL;
}

static int run_step(run_work *w, run_task first, run_task second) {
  task_thread t = {second, w, 0};
  pthread_t thread;
  int threaded = w->d->opts.threads >= 2 && pthread_create(&thread, NULL, task_main, &t) == 0;
  int rc = first(w);
  if (threaded) pthread_join(thread, NULL);
  else task_main(&t);
  return rc ? rc : t.rc;
}

static int find_runs(run_work *w) { return gw_dups_find_runs(w->d, &w->runs); }
static int find_candidates(run_work *w) {
  return gw_dups_find_candidates(w->d, &w->candidates);
}
static int passages(run_work *w) { return gw_dups_passages(w->d, &w->runs); }
static int clusters(run_work *w) {
  /* The paragraphs sharing a run are candidates too. */
  gw_dups_pairs *c = &w->candidates;
  const gw_dups_pairs *more = &w->runs.para_pairs;
  if (gw_dups_grow((void **)&c->pair, &c->cap, c->count + more->count, sizeof *c->pair))
    return GW_ENOMEM;
  if (more->count) memcpy(c->pair + c->count, more->pair, more->count * sizeof *c->pair);
  c->count += more->count;
  return gw_dups_clusters(w->d, c);
}

int gw_dups_run(gw_dups *d, gw_error *err) {
  if (!d) return gw_fail(err, GW_EINVAL, "gw_dups_run: invalid argument");
  clear_results(d);
  run_work w;
  memset(&w, 0, sizeof w);
  w.d = d;
  int rc = run_step(&w, find_runs, find_candidates);
  if (!rc) rc = run_step(&w, passages, clusters);
  gw_dups_runs_free(&w.runs);
  free(w.candidates.pair);
  if (rc) {
    clear_results(d);
    return gw_fail(err, rc, "gw_dups: out of memory");
  }
  return GW_OK;
}

/* ---- results ---- */

size_t gw_dups_document_count(const gw_dups *d) { return d->docs_count; }

const gw_dups_document *gw_dups_document_at(const gw_dups *d, size_t i) {
  return i < d->info_count ? &d->info[i] : NULL;
}
const gw_dups_source *gw_dups_source_at(const gw_dups *d, size_t i) {
  return i < d->sources_count ? &d->sources[i] : NULL;
}
size_t gw_dups_pair_count(const gw_dups *d) { return d->pairs_count; }
const gw_dups_pair *gw_dups_pair_at(const gw_dups *d, size_t i) {
  return i < d->pairs_count ? &d->pairs[i] : NULL;
}
const gw_dups_passage *gw_dups_passage_at(const gw_dups *d, size_t i) {
  return i < d->passages_count ? &d->passages[i] : NULL;
}
size_t gw_dups_cluster_count(const gw_dups *d) { return d->clusters_count; }
const gw_dups_cluster *gw_dups_cluster_at(const gw_dups *d, size_t i) {
  return i < d->clusters_count ? &d->clusters[i] : NULL;
}
const gw_dups_member *gw_dups_member_at(const gw_dups *d, size_t i) {
  return i < d->members_count ? &d->members[i] : NULL;
}

size_t gw_dups_family_count(const gw_dups *d) { return d->families_count; }
const gw_dups_family *gw_dups_family_at(const gw_dups *d, size_t i) {
  return i < d->families_count ? &d->families[i] : NULL;
}
const gw_dups_family_member *gw_dups_family_member_at(const gw_dups *d, size_t i) {
  return i < d->family_members_count ? &d->family_members[i] : NULL;
}

int gw_dups_text(const gw_dups *d, size_t document, size_t a, size_t b,
                 char **out, size_t *len, gw_error *err) {
  *out = NULL;
  if (len) *len = 0;
  if (document >= d->docs_count || a > b || b > d->docs[document].unit_count)
    return gw_fail(err, GW_EINVAL, "gw_dups_text: range out of bounds");
  const uint32_t *cp = d->docs[document].cp;
  char *s = malloc((b - a) * 4 + 1), *p = s;
  if (!s) return gw_fail(err, GW_ENOMEM, "gw_dups_text: out of memory");
  for (size_t i = a; i < b; i++) {
    if (cp[i] == GW_DUPS_MASK_CHAR) { *p++ = '*'; *p++ = '*'; }
    else p += gw_utf8_encode((int32_t)cp[i], p);
  }
  *p = '\0';
  *out = s;
  if (len) *len = (size_t)(p - s);
  return GW_OK;
}
