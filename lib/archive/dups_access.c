/*
 * dups_access.c — the one place the archive reads the duplicate index's
 * internals (lib/dups/dups_index.h): a document's fingerprints and band
 * keys, exactly as gw_dups computed them, so that the archive stores and
 * looks up what copy detection itself compares.
 */
#include <stdlib.h>

#include "archive_private.h"
#include "dups_index.h"

size_t gw_archive_dups_characters(const gw_dups *d, size_t doc) {
  return d->docs[doc].unit_count;
}

size_t gw_archive_dups_paragraph_characters(const gw_dups *d, size_t doc, size_t p) {
  return d->paras[d->docs[doc].para_first + p].unit_count;
}

int gw_archive_dups_each_fingerprint(gw_dups *d,
                                     void (*fn)(void *, uint64_t, uint32_t, uint32_t),
                                     void *payload) {
  /* Read in place, made again first if a run has freed them. */
  if (gw_dups_restore_sketches(d)) return GW_ENOMEM;
  for (size_t i = 0; i < d->fps_count; i++) fn(payload, d->fps[i].hash, d->fps[i].doc, d->fps[i].pos);
  return GW_OK;
}

int gw_archive_dups_each_copy_fingerprint(gw_dups *d,
                                          void (*fn)(void *, uint64_t, uint32_t, uint32_t),
                                          void *payload) {
  if (gw_dups_restore_sketches(d)) return GW_ENOMEM;
  size_t k = d->opts.passage_k;
  for (size_t i = 0; i < d->fps_count; i++) {
    const gw_dups_fp *fp = &d->fps[i];
    const uint8_t *flags = d->docs[fp->doc].flags + fp->pos;
    size_t official = 0;
    for (size_t j = 0; j < k; j++) official += flags[j] & GW_DUPS_OFFICIAL_FLAG;
    if (official < k) fn(payload, fp->hash, fp->doc, fp->pos);
  }
  return GW_OK;
}

int gw_archive_dups_each_band_key(gw_dups *d,
                                  void (*fn)(void *, uint64_t, uint32_t, uint32_t),
                                  void *payload) {
  if (gw_dups_restore_sketches(d)) return GW_ENOMEM;
  size_t B = d->opts.bands;
  for (size_t e = 0; e < d->elig_count; e++) {
    const gw_dups_para *p = &d->paras[d->elig[e]];
    for (size_t b = 0; b < B; b++) fn(payload, d->keys[e * B + b], p->document, p->paragraph);
  }
  return GW_OK;
}

static int cmp_u64(const void *x, const void *y) {
  uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
  return (a > b) - (a < b);
}

size_t gw_archive_dups_shingle_set(const gw_dups_options *o, const uint32_t *cp, size_t n,
                                   uint64_t *out) {
  size_t k = o->shingle_k;
  if (n < k) return 0;
  size_t m = n - k + 1, kept = 0;
  gw_dups_shingles(cp, n, k, o->seed, out);
  qsort(out, m, sizeof *out, cmp_u64);
  for (size_t i = 0; i < m; i++)
    if (!kept || out[kept - 1] != out[i]) out[kept++] = out[i];
  return kept;
}

int gw_archive_dups_alike(const gw_dups_options *o, const uint64_t *a, size_t na,
                          const uint64_t *b, size_t nb) {
  if (!na || !nb) return 0;
  size_t i = 0, j = 0, in = 0;
  while (i < na && j < nb) {
    in += a[i] == b[j];
    size_t ai = a[i] <= b[j], bj = b[j] <= a[i];
    i += ai;
    j += bj;
  }
  /* The same expressions as the verification of gw_dups_run. */
  double jac = (double)in / (double)(na + nb - in);
  double con = (double)in / (double)(na < nb ? na : nb);
  return jac >= o->min_jaccard || con >= o->min_containment;
}

size_t gw_archive_dups_paragraph_count(const gw_dups *d) { return d->paras_count; }

size_t gw_archive_dups_paragraph_index(const gw_dups *d, size_t doc, size_t p) {
  return d->docs[doc].para_first + p;
}

const uint32_t *gw_archive_dups_paragraph_at(const gw_dups *d, size_t index, size_t *n) {
  *n = d->paras[index].unit_count;
  return gw_dups_para_chars(d, &d->paras[index]);
}

int gw_archive_dups_reserve(gw_dups *d, size_t docs, size_t paras, size_t bytes,
                            const gw_dups *also) {
  /* A stored document holds 12 bytes a fingerprint (hash and position)
   * and 8 * bands + 4 a paragraph long enough to cluster. */
  size_t fps = bytes / 12, elig = bytes / (8 * d->opts.bands + 4);
  if (elig > paras) elig = paras;
  return gw_dups_reserve(d, docs + also->docs_count, paras + also->paras_count,
                         fps + also->fps_count, elig + also->elig_count);
}
