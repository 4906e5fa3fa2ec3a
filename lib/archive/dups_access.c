/*
 * dups_access.c — the one place the archive reads the duplicate index's
 * internals (lib/dups/dups_index.h): a document's fingerprints and band
 * keys, exactly as gw_dups computed them, so that the archive stores and
 * looks up what copy detection itself compares.
 */
#include "archive_private.h"
#include "dups_index.h"

size_t gw_archive_dups_characters(const gw_dups *d, size_t doc) {
  return d->docs[doc].unit_count;
}

size_t gw_archive_dups_paragraph_characters(const gw_dups *d, size_t doc, size_t p) {
  return d->paras[d->docs[doc].para_first + p].unit_count;
}

void gw_archive_dups_each_fingerprint(const gw_dups *d,
                                      void (*fn)(void *, uint64_t, uint32_t, uint32_t),
                                      void *payload) {
  for (size_t i = 0; i < d->fps_count; i++) fn(payload, d->fps[i].hash, d->fps[i].doc, d->fps[i].pos);
}

void gw_archive_dups_each_copy_fingerprint(const gw_dups *d,
                                           void (*fn)(void *, uint64_t, uint32_t, uint32_t),
                                           void *payload) {
  size_t k = d->opts.passage_k;
  for (size_t i = 0; i < d->fps_count; i++) {
    const gw_dups_fp *fp = &d->fps[i];
    const uint8_t *flags = d->docs[fp->doc].flags + fp->pos;
    size_t official = 0;
    for (size_t j = 0; j < k; j++) official += flags[j] & GW_DUPS_OFFICIAL_FLAG;
    if (official < k) fn(payload, fp->hash, fp->doc, fp->pos);
  }
}

void gw_archive_dups_each_band_key(const gw_dups *d,
                                   void (*fn)(void *, uint64_t, uint32_t, uint32_t),
                                   void *payload) {
  size_t B = d->opts.bands;
  for (size_t e = 0; e < d->elig_count; e++) {
    const gw_dups_para *p = &d->paras[d->elig[e]];
    for (size_t b = 0; b < B; b++) fn(payload, d->keys[e * B + b], p->document, p->paragraph);
  }
}
