/*
 * dups.c — the duplicate index: options, adding documents (their characters
 * with original offsets, official flags and paragraphs), running the
 * analyses of shingle.c and align.c, and the result accessors.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "dups_private.h"

int gw_dups_grow(void **array, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return GW_OK;
  size_t n = *cap ? *cap : 16;
  while (n < need) n *= 2;
  void *p = realloc(*array, n * elem);
  if (!p) return GW_ENOMEM;
  *array = p;
  *cap = n;
  return GW_OK;
}

int gw_dups_sort(void **array, size_t n, size_t size,
                 int (*cmp)(const void *, const void *)) {
  void *base = *array;
  if (n < 4096) {
    if (n) qsort(base, n, size, cmp);
    return GW_OK;
  }
  size_t *start = calloc(65537, sizeof *start);
  char *tmp = malloc(n * size);
  if (!start || !tmp) { free(start); free(tmp); return GW_ENOMEM; }
  const char *b = base;
  for (size_t i = 0; i < n; i++) {
    uint64_t key;
    memcpy(&key, b + i * size, sizeof key);
    start[(key >> 48) + 1]++;
  }
  for (size_t i = 1; i <= 65536; i++) start[i] += start[i - 1];
  size_t *fill = malloc(65536 * sizeof *fill);
  if (!fill) { free(start); free(tmp); return GW_ENOMEM; }
  memcpy(fill, start, 65536 * sizeof *fill);
  for (size_t i = 0; i < n; i++) {
    uint64_t key;
    memcpy(&key, b + i * size, sizeof key);
    memcpy(tmp + fill[key >> 48]++ * size, b + i * size, size);
  }
  for (size_t i = 0; i < 65536; i++)
    if (start[i + 1] - start[i] > 1)
      qsort(tmp + start[i] * size, start[i + 1] - start[i], size, cmp);
  free(fill);
  free(start);
  free(base); /* the sorted copy replaces the array */
  *array = tmp;
  return GW_OK;
}

static int check_options(const gw_dups_options *o, gw_error *err) {
  if (o->version != GW_DUPS_OPTIONS_VERSION)
    return gw_fail(err, GW_EINVAL, "gw_dups: options version %u, expected %u",
                   o->version, (unsigned)GW_DUPS_OPTIONS_VERSION);
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
  if (!(o->generic_fraction > 0.0))
    return gw_fail(err, GW_EINVAL, "gw_dups: generic_fraction must be positive");
  return GW_OK;
}

int gw_dups_new(gw_dups **out, const gw_dups_options *opts, gw_error *err) {
  static const gw_dups_options defaults = GW_DUPS_OPTIONS_INIT;
  *out = NULL;
  if (!opts) opts = &defaults;
  int rc = check_options(opts, err);
  if (rc) return rc;
  gw_dups *d = calloc(1, sizeof *d);
  if (!d) return gw_fail(err, GW_ENOMEM, "gw_dups: out of memory");
  d->opts = *opts;
  *out = d;
  return GW_OK;
}

static void clear_results(gw_dups *d) {
  free(d->info); free(d->sources); free(d->pairs); free(d->passages);
  free(d->clusters); free(d->members);
  d->info = NULL; d->sources = NULL; d->pairs = NULL; d->passages = NULL;
  d->clusters = NULL; d->members = NULL;
  d->info_count = d->info_cap = d->sources_count = d->sources_cap = 0;
  d->pairs_count = d->pairs_cap = d->passages_count = d->passages_cap = 0;
  d->clusters_count = d->clusters_cap = d->members_count = d->members_cap = 0;
}

void gw_dups_free(gw_dups *d) {
  if (!d) return;
  clear_results(d);
  free(d->docs); free(d->cp); free(d->ostart); free(d->olen); free(d->flags);
  free(d->longs);
  free(d->paras);
  free(d);
}

const gw_dups_options *gw_dups_get_options(const gw_dups *d) { return &d->opts; }

const char *gw_dups_kind_name(gw_dups_kind kind) {
  switch (kind) {
  case GW_DUPS_OFFICIAL: return "official";
  case GW_DUPS_GENERIC: return "generic";
  default: return "copy";
  }
}

/* ---- adding a document ---- */

static int reserve_units(gw_dups *d, size_t need) {
  if (need <= d->units_cap) return GW_OK;
  size_t n = d->units_cap ? d->units_cap : 1024;
  while (n < need) n *= 2;
  uint32_t *cp = realloc(d->cp, n * sizeof *cp);
  if (cp) d->cp = cp;
  uint32_t *os = cp ? realloc(d->ostart, n * sizeof *os) : NULL;
  if (os) d->ostart = os;
  uint8_t *ol = os ? realloc(d->olen, n) : NULL;
  if (ol) d->olen = ol;
  uint8_t *fl = ol ? realloc(d->flags, n) : NULL;
  if (!fl) return GW_ENOMEM;
  d->flags = fl;
  d->units_cap = n;
  return GW_OK;
}

/* The original bytes [start, end) of unit u. */
static int set_original(gw_dups *d, size_t u, size_t start, size_t end) {
  d->ostart[u] = (uint32_t)start;
  if (end >= start && end - start < GW_DUPS_LONG) {
    d->olen[u] = (uint8_t)(end - start);
    return GW_OK;
  }
  d->olen[u] = GW_DUPS_LONG;
  if (GW_DUPS_RESERVE(d->longs, d->longs_count + 1)) return GW_ENOMEM;
  d->longs[d->longs_count].unit = u;
  d->longs[d->longs_count].end = (uint32_t)end;
  d->longs_count++;
  return GW_OK;
}

/* Letters and digits are characters; whitespace, punctuation, symbols,
 * controls and U+FFFD are not. */
static int is_counted(int32_t cp) {
  if (cp < 0x80) return gw_is_ascii_alpha(cp) || gw_is_ascii_digit(cp);
  if (gw_is_han(cp)) return 1;
  utf8proc_category_t c = utf8proc_category(cp);
  return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
         (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

/* First unit (of base..base+n) whose normalized position is >= pos. */
static size_t lower_unit(const uint32_t *npos, size_t n, size_t pos) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (npos[mid] < pos) lo = mid + 1; else hi = mid;
  }
  return lo;
}

int gw_dups_add(gw_dups *d, const gw_document *doc, const gw_range *official,
                size_t n_official, gw_error *err) {
  if (!d || !doc || (n_official && !official))
    return gw_fail(err, GW_EINVAL, "gw_dups_add: invalid argument");
  if (d->docs_count >= UINT32_MAX - 1)
    return gw_fail(err, GW_ETOOBIG, "gw_dups_add: too many documents");
  size_t len;
  const char *norm = gw_document_normalized(doc, &len);
  const unsigned char *s = (const unsigned char *)norm;
  int rc = reserve_units(d, d->units + len + 1);
  if (rc) return gw_fail(err, rc, "gw_dups_add: out of memory");
  uint32_t *npos = malloc((len + 1) * sizeof *npos);
  if (!npos) return gw_fail(err, GW_ENOMEM, "gw_dups_add: out of memory");
  size_t base = d->units, n = 0, longs = d->longs_count;
  size_t masks = gw_document_mask_count(doc), m = 0;
  for (size_t i = 0; i < len;) {
    while (m < masks && gw_document_mask(doc, m)->norm_end <= i) m++;
    if (m < masks && gw_document_mask(doc, m)->norm_start == i &&
        gw_document_mask(doc, m)->norm_end > i) {
      const gw_range *r = gw_document_mask(doc, m);
      d->cp[base + n] = GW_DUPS_MASK_CHAR;
      if (set_original(d, base + n, r->start, r->end)) goto nomem;
      npos[n++] = (uint32_t)i;
      i = r->norm_end;
      continue;
    }
    int32_t cp;
    size_t l = gw_utf8_next(s + i, len - i, &cp);
    if (cp >= 0 && is_counted(cp)) {
      if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
      d->cp[base + n] = (uint32_t)cp;
      if (set_original(d, base + n, gw_document_to_original(doc, i),
                       gw_document_to_original_end(doc, i + l)))
        goto nomem;
      npos[n++] = (uint32_t)i;
    }
    i += l;
  }
  memset(d->flags + base, 0, n);
  size_t official_units = 0;
  for (size_t j = 0; j < n_official; j++) {
    size_t a = lower_unit(npos, n, official[j].norm_start);
    size_t b = lower_unit(npos, n, official[j].norm_end);
    for (size_t u = a; u < b; u++) d->flags[base + u] |= GW_DUPS_OFFICIAL_FLAG;
  }
  for (size_t u = 0; u < n; u++) official_units += d->flags[base + u] & 1u;
  size_t paras = gw_document_paragraph_count(doc);
  rc = GW_DUPS_RESERVE(d->docs, d->docs_count + 1);
  if (!rc) rc = GW_DUPS_RESERVE(d->paras, d->paras_count + paras);
  if (rc) goto nomem;
  gw_dups_doc *dd = &d->docs[d->docs_count];
  dd->unit_first = base;
  dd->unit_count = (uint32_t)n;
  dd->official = (uint32_t)official_units;
  dd->para_first = d->paras_count;
  dd->para_count = (uint32_t)paras;
  for (size_t p = 0; p < paras; p++) {
    const gw_paragraph *gp = gw_document_paragraph(doc, p);
    size_t a = lower_unit(npos, n, gp->range.norm_start);
    size_t b = lower_unit(npos, n, gp->range.norm_end);
    gw_dups_para *pr = &d->paras[d->paras_count++];
    pr->document = (uint32_t)d->docs_count;
    pr->paragraph = (uint32_t)p;
    pr->unit_first = base + a;
    pr->unit_count = (uint32_t)(b - a);
    pr->start = (uint32_t)gp->range.start;
    pr->end = (uint32_t)gp->range.end;
  }
  free(npos);
  d->units += n;
  d->docs_count++;
  return GW_OK;
nomem:
  d->longs_count = longs; /* the document is not added */
  free(npos);
  return gw_fail(err, GW_ENOMEM, "gw_dups_add: out of memory");
}

/* The paragraph clusters on a second thread.  gw_dups_clusters reads the
 * index (characters, paragraphs, options) and writes only clusters and
 * members; gw_dups_passages reads the same index and writes the flags'
 * generic bit, info, sources, pairs and passages: the two share nothing
 * written, so they run side by side with the same results. */
typedef struct clusters_job {
  gw_dups *d;
  gw_error err;
  int rc;
} clusters_job;

static void *clusters_thread(void *arg) {
  clusters_job *job = arg;
  job->rc = gw_dups_clusters(job->d, &job->err);
  return NULL;
}

int gw_dups_run(gw_dups *d, gw_error *err) {
  if (!d) return gw_fail(err, GW_EINVAL, "gw_dups_run: invalid argument");
  clear_results(d);
  clusters_job job;
  memset(&job, 0, sizeof job);
  job.d = d;
  pthread_t thread;
  int threaded = pthread_create(&thread, NULL, clusters_thread, &job) == 0;
  if (!threaded) clusters_thread(&job);
  int rc = gw_dups_passages(d, err);
  if (threaded) pthread_join(thread, NULL);
  if (job.rc) {
    /* The clusters' error first, as when they ran before the passages. */
    rc = job.rc;
    if (err) *err = job.err;
  }
  if (rc) clear_results(d);
  return rc;
}

/* ---- results ---- */

size_t gw_dups_document_count(const gw_dups *d) { return d->docs_count; }

const gw_dups_document *gw_dups_document_info(const gw_dups *d, size_t i) {
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

int gw_dups_text(const gw_dups *d, size_t document, size_t a, size_t b,
                 char **out, size_t *len, gw_error *err) {
  *out = NULL;
  if (len) *len = 0;
  if (document >= d->docs_count || a > b || b > d->docs[document].unit_count)
    return gw_fail(err, GW_EINVAL, "gw_dups_text: range out of bounds");
  const uint32_t *cp = d->cp + d->docs[document].unit_first;
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
