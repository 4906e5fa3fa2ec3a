/*
 * prepared_io.c — one document of the duplicate index as bytes and back:
 * what gw_dups_prepare computed of it (characters with their original
 * offsets and flags, paragraphs, winnowing fingerprints, band keys), so that
 * the archive stores it once and adds it to a later index as it is, without
 * reading, normalizing or sketching the document again.  The layout is
 * little-endian and fixed (lib/archive/FORMAT.md, "PREPARED");
 * GW_DUPS_PREPARED_VERSION (dups_prepared.h) names it and what produced it.
 */
#include <stdlib.h>
#include <string.h>

#include "dups_index.h"
#include "dups_prepared.h"

#define HEADER_BYTES 32

static size_t padded8(size_t n) { return (n + 7) & ~(size_t)7; }

/* Where each part of a stored document starts, from its counts. */
typedef struct layout {
  size_t hashes, keys, fars, paras, pos, elig, cp, marks, where, flags, end;
} layout;

static size_t mark_count(size_t units) {
  return (units + GW_DUPS_MARK_EVERY - 1) / GW_DUPS_MARK_EVERY;
}

static layout layout_of(size_t units, size_t paras, size_t fars, size_t fps, size_t elig,
                        size_t bands) {
  layout l;
  l.hashes = HEADER_BYTES;
  l.keys = l.hashes + 8 * fps;
  l.fars = l.keys + 8 * elig * bands;
  l.paras = l.fars + 16 * fars;
  l.pos = l.paras + 16 * paras;
  l.elig = l.pos + 4 * fps;
  l.cp = l.elig + 4 * elig;
  l.marks = l.cp + 4 * units;
  l.where = l.marks + 4 * mark_count(units);
  l.flags = l.where + units;
  l.end = padded8(l.flags + units);
  return l;
}

/* [*first, *end) of the entries of doc in an array ordered by document,
 * doc_of(i) giving entry i's document. */
typedef uint32_t (*doc_of_fn)(const gw_dups *d, size_t i);
static uint32_t fp_doc(const gw_dups *d, size_t i) { return d->fps[i].doc; }
static uint32_t elig_doc(const gw_dups *d, size_t i) { return d->paras[d->elig[i]].document; }

static size_t first_of(const gw_dups *d, size_t n, doc_of_fn doc_of, uint32_t doc) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (doc_of(d, mid) < doc) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

typedef struct doc_parts {
  size_t fp_first, fp_end, elig_first, elig_end;
  layout l;
} doc_parts;

static doc_parts parts_of(const gw_dups *d, size_t doc) {
  doc_parts p;
  p.fp_first = first_of(d, d->fps_count, fp_doc, (uint32_t)doc);
  p.fp_end = first_of(d, d->fps_count, fp_doc, (uint32_t)doc + 1);
  p.elig_first = first_of(d, d->elig_count, elig_doc, (uint32_t)doc);
  p.elig_end = first_of(d, d->elig_count, elig_doc, (uint32_t)doc + 1);
  const gw_dups_doc *dd = &d->docs[doc];
  p.l = layout_of(dd->unit_count, dd->para_count, dd->fars_count, p.fp_end - p.fp_first,
                  p.elig_end - p.elig_first, d->opts.bands);
  return p;
}

size_t gw_dups_prepared_size(const gw_dups *d, size_t doc) { return parts_of(d, doc).l.end; }

void gw_dups_prepared_write(const gw_dups *d, size_t doc, unsigned char *out) {
  const gw_dups_doc *dd = &d->docs[doc];
  doc_parts p = parts_of(d, doc);
  const layout *l = &p.l;
  size_t B = d->opts.bands, n = dd->unit_count, nf = p.fp_end - p.fp_first;
  size_t ne = p.elig_end - p.elig_first;
  memset(out, 0, l->end);
  gw_put32(out, (uint32_t)n);
  gw_put32(out + 4, dd->official);
  gw_put32(out + 8, (uint32_t)dd->year);
  gw_put32(out + 12, dd->para_count);
  gw_put32(out + 16, (uint32_t)dd->fars_count);
  gw_put32(out + 20, (uint32_t)nf);
  gw_put32(out + 24, (uint32_t)ne);
  gw_put32(out + 28, (uint32_t)B);
  for (size_t i = 0; i < nf; i++) {
    gw_put64(out + l->hashes + 8 * i, d->fps[p.fp_first + i].hash);
    gw_put32(out + l->pos + 4 * i, d->fps[p.fp_first + i].pos);
  }
  for (size_t e = 0; e < ne; e++) {
    const uint64_t *keys = d->keys + (p.elig_first + e) * B;
    for (size_t b = 0; b < B; b++) gw_put64(out + l->keys + 8 * (e * B + b), keys[b]);
    gw_put32(out + l->elig + 4 * e, (uint32_t)(d->elig[p.elig_first + e] - dd->para_first));
  }
  for (size_t f = 0; f < dd->fars_count; f++) {
    unsigned char *x = out + l->fars + 16 * f;
    gw_put64(x, dd->fars[f].unit);
    gw_put32(x + 8, dd->fars[f].start);
    gw_put32(x + 12, dd->fars[f].end);
  }
  for (size_t q = 0; q < dd->para_count; q++) {
    const gw_dups_para *pr = &d->paras[dd->para_first + q];
    unsigned char *x = out + l->paras + 16 * q;
    gw_put32(x, (uint32_t)(pr->unit_first - dd->unit_first));
    gw_put32(x + 4, pr->unit_count);
    gw_put32(x + 8, pr->start);
    gw_put32(x + 12, pr->end);
  }
  for (size_t u = 0; u < n; u++) gw_put32(out + l->cp + 4 * u, gw_dups_char_at(dd, u));
  for (size_t m = 0; m < mark_count(n); m++) gw_put32(out + l->marks + 4 * m, dd->marks[m]);
  if (n) {
    memcpy(out + l->where, dd->where, n);
    /* Only the flags a prepared document has: the base flag belongs to a run. */
    for (size_t u = 0; u < n; u++) out[l->flags + u] = dd->flags[u] & GW_DUPS_OFFICIAL_FLAG;
  }
}

/* ---- reading ---- */

int gw_dups_prepared_open(gw_dups_prepared *s, const gw_dups_options *o,
                          const unsigned char *data, size_t size) {
  memset(s, 0, sizeof *s);
  if (size < HEADER_BYTES) return GW_EDAMAGED;
  s->units = gw_le32(data);
  s->official = gw_le32(data + 4);
  s->year = (int32_t)gw_le32(data + 8);
  s->para_count = gw_le32(data + 12);
  s->fars_count = gw_le32(data + 16);
  s->fps_count = gw_le32(data + 20);
  s->elig_count = gw_le32(data + 24);
  uint32_t bands = gw_le32(data + 28);
  /* Counts bounded by the size before any product is formed. */
  if (bands != o->bands || s->units > size || s->para_count > size / 16 ||
      s->fars_count > size / 16 || s->fps_count > size / 12 || s->elig_count > s->para_count ||
      s->official > s->units)
    return GW_EDAMAGED;
  layout l = layout_of(s->units, s->para_count, s->fars_count, s->fps_count, s->elig_count,
                       bands);
  if (l.end != size) return GW_EDAMAGED;
  s->data = data;
  s->hashes = data + l.hashes;
  s->keys = data + l.keys;
  s->fars = data + l.fars;
  s->paras = data + l.paras;
  s->pos = data + l.pos;
  s->elig = data + l.elig;
  s->cp = data + l.cp;
  s->marks = data + l.marks;
  s->where = data + l.where;
  s->flags = data + l.flags;
  /* Everything an index stage will index by is checked, so that damaged
   * bytes that passed a checksum by chance cannot be read as offsets. */
  uint64_t next = 0;
  for (uint32_t q = 0; q < s->para_count; q++) {
    uint64_t first = gw_le32(s->paras + 16 * q), count = gw_le32(s->paras + 16 * q + 4);
    if (first < next || first + count > s->units) return GW_EDAMAGED;
    next = first + count;
  }
  size_t minc = o->min_paragraph_chars > o->shingle_k ? o->min_paragraph_chars : o->shingle_k;
  for (uint32_t e = 0; e < s->elig_count; e++) {
    uint32_t q = gw_le32(s->elig + 4 * e);
    if (q >= s->para_count || (e && q <= gw_le32(s->elig + 4 * (e - 1))) ||
        gw_le32(s->paras + 16 * q + 4) < minc)
      return GW_EDAMAGED;
  }
  for (uint32_t f = 0; f < s->fps_count; f++)
    if ((uint64_t)gw_le32(s->pos + 4 * f) + o->passage_k > s->units) return GW_EDAMAGED;
  for (uint32_t u = 0; u < s->units; u++)
    if (gw_le32(s->cp + 4 * u) > GW_DUPS_MASK_CHAR || s->flags[u] > GW_DUPS_OFFICIAL_FLAG)
      return GW_EDAMAGED;
  /* Every far character has its record, in order. */
  uint32_t f = 0;
  for (uint32_t u = 0; u < s->units; u++) {
    if (s->where[u] != GW_DUPS_FAR) continue;
    if (f >= s->fars_count || gw_le64(s->fars + 16 * f) != u) return GW_EDAMAGED;
    f++;
  }
  return f == s->fars_count ? GW_OK : GW_EDAMAGED;
}

void gw_dups_prepared_paragraph(const gw_dups_prepared *s, size_t q, uint32_t *out,
                                size_t *n) {
  size_t first = gw_le32(s->paras + 16 * q), count = gw_le32(s->paras + 16 * q + 4);
  for (size_t u = 0; u < count; u++) out[u] = gw_le32(s->cp + 4 * (first + u));
  *n = count;
}

size_t gw_dups_prepared_paragraph_chars(const gw_dups_prepared *s, size_t q) {
  return gw_le32(s->paras + 16 * q + 4);
}

int gw_dups_prepared_add(gw_dups *d, const gw_dups_prepared *s, const char *name,
                         gw_error *err) {
  size_t B = d->opts.bands, n = s->units, m = mark_count(n);
  /* The character arrays in one block of the store, as gw_dups_prepare
   * keeps them; the far records beside, as the handle frees them. */
  char *block = gw_dups_store_alloc(d->store, n * 4 + m * 4 + 2 * n + 1);
  gw_dups_far *fars = malloc((s->fars_count + 1) * sizeof *fars);
  if (!block || !fars) {
    free(fars);
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
  }
  gw_dups_doc dd = {0};
  dd.cp = (uint32_t *)(void *)block;
  dd.marks = dd.cp + n;
  dd.where = (uint8_t *)(dd.marks + m);
  dd.flags = dd.where + n;
  dd.fars = fars;
  dd.fars_count = s->fars_count;
  dd.unit_count = (uint32_t)n;
  dd.official = s->official;
  dd.year = s->year;
  dd.para_count = s->para_count;
  gw_dups_slot at;
  int rc = gw_dups_append(d, &dd, s->fps_count, s->elig_count, name, &at, err);
  if (rc) {
    free(fars); /* the block stays in the store, freed with it */
    return rc;
  }
  for (size_t u = 0; u < n; u++) dd.cp[u] = gw_le32(s->cp + 4 * u);
  for (size_t k = 0; k < m; k++) dd.marks[k] = gw_le32(s->marks + 4 * k);
  if (n) {
    memcpy(dd.where, s->where, n);
    memcpy(dd.flags, s->flags, n);
  }
  for (size_t f = 0; f < s->fars_count; f++) {
    const unsigned char *x = s->fars + 16 * f;
    fars[f] = (gw_dups_far){gw_le64(x), gw_le32(x + 8), gw_le32(x + 12)};
  }
  for (size_t q = 0; q < s->para_count; q++) {
    const unsigned char *x = s->paras + 16 * q;
    at.paras[q] = (gw_dups_para){at.doc, (uint32_t)q, at.unit_first + gw_le32(x),
                                 gw_le32(x + 4), gw_le32(x + 8), gw_le32(x + 12)};
  }
  for (size_t f = 0; f < s->fps_count; f++)
    at.fps[f] = (gw_dups_fp){gw_le64(s->hashes + 8 * f), at.doc, gw_le32(s->pos + 4 * f)};
  for (size_t e = 0; e < s->elig_count; e++) {
    at.elig[e] = (uint32_t)(at.para_first + gw_le32(s->elig + 4 * e));
    for (size_t b = 0; b < B; b++) at.keys[e * B + b] = gw_le64(s->keys + 8 * (e * B + b));
  }
  return GW_OK;
}
