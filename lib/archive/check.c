/*
 * check.c — a batch against the archive.  The batch's fingerprints and band
 * keys (computed by gw_dups as for any document) are looked up in every
 * segment's sorted arrays; the live archive documents found are the
 * candidates: only they can share a fingerprint (a copied passage) or a
 * band key (a near-duplicate paragraph) with the batch.  They are
 * reloaded from their stored text and run through gw_dups with the batch,
 * so the batch-involving results are those of gw_dups over archive and
 * batch together, without reading the rest of the archive.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "archive_handle.h"

typedef struct item {
  const gw_document *doc;
  gw_range *official;
  size_t n_official;
  gw_archive_entry entry;
  int is_base;
} item;

struct gw_archive_check {
  const gw_archive *a;
  gw_dups_options dups;
  gw_document_options document;
  const gw_terms *terms;
  gw_dups *probe;        /* the batch alone: its fingerprints and keys */
  gw_dups *d;            /* base, candidates, batch: the results */
  item *items;
  size_t count, cap;
  size_t *candidates;    /* archive indexes, ascending */
  size_t n_candidates, n_base;
  gw_archive_entry *entries; /* per result document */
  gw_archive_document *archived; /* per candidate */
  char **owned;          /* per candidate: its entry's strings */
};

static void free_candidates(gw_archive_check *c) {
  for (size_t k = 0; c->owned && k < c->n_candidates; k++) free(c->owned[k]);
  free(c->owned);
  free(c->candidates);
  free(c->entries);
  free(c->archived);
  c->owned = NULL;
  c->candidates = NULL;
  c->entries = NULL;
  c->archived = NULL;
  c->n_candidates = c->n_base = 0;
}

void gw_archive_check_free(gw_archive_check *c) {
  if (!c) return;
  for (size_t i = 0; i < c->count; i++) free(c->items[i].official);
  free(c->items);
  free_candidates(c);
  gw_dups_free(c->probe);
  gw_dups_free(c->d);
  free(c);
}

int gw_archive_check_new(gw_archive_check **out, const gw_archive *a,
                         const gw_archive_check_options *opts, gw_error *err) {
  *out = NULL;
  if (!a || !opts || opts->version < 1 || opts->version > GW_ARCHIVE_CHECK_OPTIONS_VERSION)
    return gw_fail(err, GW_EINVAL, "gw_archive_check_new: invalid argument");
  gw_archive_params asked;
  gw_archive_params_init(&asked, &opts->dups, a->m.params.terms_checksum,
                         a->m.params.noise_checksum);
  int rc = gw_archive_params_compare(a->dir, &a->m.params, &asked, err);
  if (rc) return rc;
  gw_archive_check *c = calloc(1, sizeof *c);
  if (!c) return gw_fail(err, GW_ENOMEM, "%s: out of memory", a->dir);
  c->a = a;
  c->dups = opts->dups;
  c->document = opts->document;
  c->terms = opts->terms;
  gw_dups_options probe = opts->dups;
  probe.threads = 1;
  rc = gw_dups_new(&c->probe, &probe, err);
  if (rc) {
    gw_archive_check_free(c);
    return rc;
  }
  *out = c;
  return GW_OK;
}

int gw_archive_check_add(gw_archive_check *c, const gw_document *doc, const gw_range *official,
                         size_t n_official, const gw_archive_entry *entry, int is_base,
                         gw_error *err) {
  if (!c || !doc || !entry || (n_official && !official))
    return gw_fail(err, GW_EINVAL, "gw_archive_check_add: invalid argument");
  if (c->count == c->cap) {
    size_t cap = c->cap ? 2 * c->cap : 64;
    item *items = realloc(c->items, cap * sizeof *items);
    if (!items) return gw_fail(err, GW_ENOMEM, "gw_archive_check_add: out of memory");
    c->items = items;
    c->cap = cap;
  }
  item *it = &c->items[c->count];
  memset(it, 0, sizeof *it);
  it->official = malloc((n_official + 1) * sizeof *it->official);
  if (!it->official) return gw_fail(err, GW_ENOMEM, "gw_archive_check_add: out of memory");
  if (n_official) memcpy(it->official, official, n_official * sizeof *official);
  it->n_official = n_official;
  it->doc = doc;
  it->entry = *entry;
  it->is_base = is_base != 0;
  /* Base text never pulls archive documents in: what an archive document
   * shares with a base document alone is not about the batch. */
  if (!is_base) {
    int rc = gw_dups_add(c->probe, doc, official, n_official, err);
    if (rc) {
      free(it->official);
      return rc;
    }
  }
  c->count++;
  return GW_OK;
}

/* ---- candidates ---- */

typedef struct value_list {
  uint64_t *v;
  size_t n, cap;
  int failed;
} value_list;

static void collect(void *payload, uint64_t value, uint32_t doc, uint32_t other) {
  (void)doc;
  (void)other;
  value_list *l = payload;
  if (l->failed) return;
  if (l->n == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 1024;
    uint64_t *v = realloc(l->v, cap * sizeof *v);
    if (!v) { l->failed = 1; return; }
    l->v = v;
    l->cap = cap;
  }
  l->v[l->n++] = value;
}

static int cmp_u64(const void *x, const void *y) {
  uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
  return (a > b) - (a < b);
}

static void sort_unique(value_list *l) {
  qsort(l->v, l->n, sizeof *l->v, cmp_u64);
  size_t m = 0;
  for (size_t i = 0; i < l->n; i++)
    if (!m || l->v[m - 1] != l->v[i]) l->v[m++] = l->v[i];
  l->n = m;
}

/* Pages [from, to) of a segment's map released from this process's
 * resident set (the page cache keeps them): the lookups of a large batch
 * would otherwise hold every page they touched. */
static void release_pages(const gw_seg *s, const unsigned char *from, const unsigned char *to) {
  uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
  uintptr_t a = ((uintptr_t)from + page - 1) & ~(page - 1), b = (uintptr_t)to & ~(page - 1);
  uintptr_t lo = (uintptr_t)s->map, hi = lo + s->map_len;
  if (a < lo) a = lo;
  if (b > hi) b = hi;
  if (a < b) madvise((void *)a, (size_t)(b - a), MADV_DONTNEED);
}

/* Mark the live documents of s holding any of the values in section.  The
 * values are sorted, so each search starts where the last one ended. */
static void mark(const gw_seg *s, int section, const value_list *l, uint8_t *marked) {
  const unsigned char *base = s->sec[section];
  size_t n = s->sec_len[section] / GW_SEG_ENTRY_BYTES, from = 0, released = 0;
  for (size_t i = 0; i < l->n && from < n; i++) {
    uint64_t v = l->v[i];
    /* Gallop, then bisect. */
    size_t step = 1, lo = from, hi = from;
    while (hi < n && gw_le64(base + hi * GW_SEG_ENTRY_BYTES) < v) {
      lo = hi + 1;
      hi += step;
      step *= 2;
    }
    if (hi > n) hi = n;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (gw_le64(base + mid * GW_SEG_ENTRY_BYTES) < v) lo = mid + 1;
      else hi = mid;
    }
    for (from = lo; from < n && gw_le64(base + from * GW_SEG_ENTRY_BYTES) == v; from++) {
      uint32_t doc = gw_le32(base + from * GW_SEG_ENTRY_BYTES + 8);
      if (doc < s->doc_count && !s->deleted[doc]) marked[s->first + doc] = 1;
    }
    if ((i & 1023) == 1023) {
      release_pages(s, base + released * GW_SEG_ENTRY_BYTES, base + lo * GW_SEG_ENTRY_BYTES);
      released = lo;
    }
  }
  release_pages(s, base + released * GW_SEG_ENTRY_BYTES, base + n * GW_SEG_ENTRY_BYTES);
}

static int find_candidates(gw_archive_check *c, gw_error *err) {
  const gw_archive *a = c->a;
  value_list fps = {0}, keys = {0};
  gw_archive_dups_each_copy_fingerprint(c->probe, collect, &fps);
  gw_archive_dups_each_band_key(c->probe, collect, &keys);
  uint8_t *marked = calloc(a->doc_total + 1, 1);
  int rc = GW_OK;
  if (fps.failed || keys.failed || !marked) {
    rc = gw_fail(err, GW_ENOMEM, "%s: out of memory", a->dir);
    goto done;
  }
  sort_unique(&fps);
  sort_unique(&keys);
  for (size_t i = 0; i < a->m.seg_count; i++) {
    mark(&a->m.segs[i], SEC_FPS, &fps, marked);
    mark(&a->m.segs[i], SEC_BANDS, &keys, marked);
  }
  size_t n = 0;
  for (size_t i = 0; i < a->doc_total; i++) n += marked[i];
  c->candidates = malloc((n + 1) * sizeof *c->candidates);
  if (!c->candidates) {
    rc = gw_fail(err, GW_ENOMEM, "%s: out of memory", a->dir);
    goto done;
  }
  for (size_t i = 0; i < a->doc_total; i++)
    if (marked[i]) c->candidates[c->n_candidates++] = i;
done:
  free(marked);
  free(fps.v);
  free(keys.v);
  return rc;
}

/* The entry's strings copied, so that the results outlive a merge of the
 * archive they came from. */
static int own_strings(gw_archive_entry *e, char **block) {
  const char *s[4] = {e->path, e->unit, e->title, e->extras};
  size_t len[4], total = 0;
  for (int k = 0; k < 4; k++) total += (len[k] = strlen(s[k])) + 1;
  char *p = *block = malloc(total);
  if (!p) return GW_ENOMEM;
  const char **to[4] = {&e->path, &e->unit, &e->title, &e->extras};
  for (int k = 0; k < 4; k++) {
    memcpy(p, s[k], len[k] + 1);
    *to[k] = p;
    p += len[k] + 1;
  }
  return GW_OK;
}

/* Candidates are loaded, matched and prepared for the index on up to
 * dups.threads threads (candidate k on thread k % threads), then added in
 * archive order on the caller's: the results do not depend on the threads. */
typedef struct load_slot {
  gw_dups_input *input;
  int rc;
  gw_error err;
} load_slot;

typedef struct load_worker {
  gw_archive_check *c;
  load_slot *slots;
  size_t first, step;
} load_worker;

static void *load_candidates(void *arg) {
  load_worker *w = arg;
  gw_archive_check *c = w->c;
  gw_term_result *result = NULL;
  gw_range *spans = NULL;
  for (size_t k = w->first; k < c->n_candidates; k += w->step) {
    load_slot *sl = &w->slots[k];
    gw_document *doc;
    sl->rc = gw_archive_document_load(&doc, c->a, c->candidates[k], &c->document, &sl->err);
    if (sl->rc) break;
    size_t n;
    sl->rc = gw_terms_official_spans(&spans, &n, &result, c->terms, doc, &sl->err);
    if (!sl->rc) sl->rc = gw_dups_prepare(c->d, doc, spans, n, &sl->input, &sl->err);
    gw_document_free(doc);
    if (sl->rc) break;
  }
  gw_term_result_free(result);
  free(spans);
  return NULL;
}

static int add_candidates(gw_archive_check *c, gw_error *err) {
  size_t threads = c->dups.threads > 1 ? c->dups.threads : 1;
  if (threads > c->n_candidates) threads = c->n_candidates ? c->n_candidates : 1;
  load_slot *slots = calloc(c->n_candidates + 1, sizeof *slots);
  load_worker *workers = calloc(threads, sizeof *workers);
  pthread_t *ids = calloc(threads, sizeof *ids);
  int *started = calloc(threads, sizeof *started);
  if (!slots || !workers || !ids || !started) {
    free(slots);
    free(workers);
    free(ids);
    free(started);
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", c->a->dir);
  }
  for (size_t t = 0; t < threads; t++) {
    workers[t] = (load_worker){c, slots, t, threads};
    started[t] = t > 0 && pthread_create(&ids[t], NULL, load_candidates, &workers[t]) == 0;
  }
  load_candidates(&workers[0]);
  /* A thread that could not be started: its share on the caller's. */
  for (size_t t = 1; t < threads; t++) {
    if (started[t]) pthread_join(ids[t], NULL);
    else load_candidates(&workers[t]);
  }
  int rc = GW_OK;
  for (size_t k = 0; k < c->n_candidates; k++) {
    load_slot *sl = &slots[k];
    if (!rc && sl->rc) {
      rc = sl->rc;
      if (err) *err = sl->err;
    }
    if (!rc) rc = gw_dups_add_prepared(c->d, sl->input, err);
    gw_dups_input_free(sl->input);
    if (!rc) rc = gw_archive_document_at(c->a, c->candidates[k], &c->archived[k]);
    if (!rc) rc = own_strings(&c->archived[k].entry, &c->owned[k]);
    if (rc == GW_ENOMEM) gw_fail(err, rc, "out of memory");
  }
  free(slots);
  free(workers);
  free(ids);
  free(started);
  return rc;
}

int gw_archive_check_run(gw_archive_check *c, gw_error *err) {
  if (!c) return gw_fail(err, GW_EINVAL, "gw_archive_check_run: invalid argument");
  gw_dups_free(c->d);
  c->d = NULL;
  free_candidates(c);
  int rc = find_candidates(c, err);
  if (rc) return rc;
  c->archived = calloc(c->n_candidates + 1, sizeof *c->archived);
  c->owned = calloc(c->n_candidates + 1, sizeof *c->owned);
  c->entries = calloc(c->n_candidates + c->count + 1, sizeof *c->entries);
  if (!c->archived || !c->entries || !c->owned) return gw_fail(err, GW_ENOMEM, "%s: out of memory", c->a->dir);
  rc = gw_dups_new(&c->d, &c->dups, err);
  size_t n = 0;
  for (size_t i = 0; !rc && i < c->count; i++) {
    const item *it = &c->items[i];
    if (!it->is_base) continue;
    rc = gw_dups_add(c->d, it->doc, it->official, it->n_official, err);
    if (!rc) rc = gw_dups_set_base(c->d, n, 1, err);
    c->entries[n++] = it->entry;
  }
  c->n_base = n;
  if (!rc) rc = add_candidates(c, err);
  for (size_t k = 0; !rc && k < c->n_candidates; k++) c->entries[n++] = c->archived[k].entry;
  for (size_t i = 0; !rc && i < c->count; i++) {
    const item *it = &c->items[i];
    if (it->is_base) continue;
    rc = gw_dups_add(c->d, it->doc, it->official, it->n_official, err);
    c->entries[n++] = it->entry;
  }
  if (!rc) rc = gw_dups_run(c->d, err);
  if (rc) {
    gw_dups_free(c->d);
    c->d = NULL;
  }
  return rc;
}

const gw_dups *gw_archive_check_dups(const gw_archive_check *c) { return c->d; }
size_t gw_archive_check_base_count(const gw_archive_check *c) { return c->n_base; }
size_t gw_archive_check_archived_count(const gw_archive_check *c) { return c->n_candidates; }

const gw_archive_entry *gw_archive_check_entry_at(const gw_archive_check *c, size_t i,
                                                  size_t *archive_index) {
  size_t total = c->d ? gw_dups_document_count(c->d) : 0;
  if (archive_index) *archive_index = GW_NO_OFFSET;
  if (i >= total) return NULL;
  if (archive_index && i >= c->n_base && i < c->n_base + c->n_candidates)
    *archive_index = c->candidates[i - c->n_base];
  return &c->entries[i];
}
