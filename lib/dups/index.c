/*
 * index.c — documents into the duplicate index: each document's characters
 * with their original offsets, its official flags and paragraphs, prepared
 * on any thread (gw_dups_prepare) and moved into the index in input order
 * (gw_dups_add_prepared).
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "dups_index.h"
#include "dups_prepared.h"

/* While a document is prepared: the end of a character whose length is not
 * below LONG (its length is then LONG). */
#define LONG 255u
typedef struct long_char {
  uint64_t unit;
  uint32_t end;
} long_char;

/* One document's characters, paragraphs, fingerprints and band keys,
 * numbered from 0, ready to be moved into the index (gw_dups_prepare). */
struct gw_dups_input {
  const gw_dups_store *store; /* where its arrays are kept */
  char *name;             /* the document's, for errors */
  char *scratch;          /* the arrays while they are made */
  size_t units;
  uint32_t *cp;           /* code points (see gw_dups_doc) */
  uint16_t *cp16;         /* kept in 16 bits instead (see gw_dups_doc) */
  uint32_t *ostart;       /* while prepared: original start, and length */
  uint8_t *olen, *flags;
  GW_DUPS_ARRAY(long_char, longs);
  uint32_t *marks;        /* kept: see gw_dups_doc */
  uint8_t *where;
  GW_DUPS_ARRAY(gw_dups_far, fars);
  gw_dups_para *paras;    /* document 0, units from 0 */
  size_t para_count;
  size_t official;
  int year;
  gw_dups_indexer ix;     /* its fingerprints (document 0) */
  uint32_t *elig;         /* its paragraphs long enough to cluster */
  uint64_t *keys;         /* and their band keys */
  size_t elig_count;
};

void gw_dups_input_free(gw_dups_input *in) {
  if (!in) return;
  free(in->name);
  free(in->scratch);
  free(in->longs);
  free(in->fars);
  free(in->paras);
  free(in->ix.fps); free(in->ix.hashes); free(in->ix.sig); free(in->ix.full);
  free(in->elig);
  free(in->keys);
  free(in);
}

/* The original bytes [start, end) of unit u. */
static int set_original(gw_dups_input *in, size_t u, size_t start, size_t end) {
  in->ostart[u] = (uint32_t)start;
  if (end >= start && end - start < LONG) {
    in->olen[u] = (uint8_t)(end - start);
    return GW_OK;
  }
  in->olen[u] = LONG;
  if (GW_DUPS_RESERVE(in->longs, in->longs_count + 1)) return GW_ENOMEM;
  in->longs[in->longs_count].unit = u;
  in->longs[in->longs_count].end = (uint32_t)end;
  in->longs_count++;
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

/* First unit (of n) whose normalized position is >= pos. */
static size_t lower_unit(const uint32_t *npos, size_t n, size_t pos) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (npos[mid] < pos) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/* The characters (units) of the normalized view with their original
 * bytes, and each one's normalized position into npos. */
static int extract_units(gw_dups_input *in, const gw_document *doc, uint32_t *npos) {
  size_t len;
  const unsigned char *s = (const unsigned char *)gw_document_normalized(doc, &len);
  size_t n = 0, masks = gw_document_mask_count(doc), m = 0;
  for (size_t i = 0; i < len;) {
    while (m < masks && gw_document_mask_at(doc, m)->norm_end <= i) m++;
    if (m < masks && gw_document_mask_at(doc, m)->norm_start == i &&
        gw_document_mask_at(doc, m)->norm_end > i) {
      const gw_range *r = gw_document_mask_at(doc, m);
      in->cp[n] = GW_DUPS_MASK_CHAR;
      if (set_original(in, n, r->start, r->end)) return GW_ENOMEM;
      npos[n++] = (uint32_t)i;
      i = r->norm_end;
      continue;
    }
    int32_t cp;
    size_t l = gw_utf8_next(s + i, len - i, &cp);
    if (cp >= 0 && is_counted(cp)) {
      if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
      in->cp[n] = (uint32_t)cp;
      if (set_original(in, n, gw_document_to_original(doc, i),
                       gw_document_to_original_end(doc, i + l)))
        return GW_ENOMEM;
      npos[n++] = (uint32_t)i;
    }
    i += l;
  }
  in->units = n;
  return GW_OK;
}

/* Character u's original bytes as coded by `where` (see GW_DUPS_FAR),
 * given the previous character's end, or a far record. */
static int code_where(gw_dups_input *in, size_t u, uint32_t start, uint32_t end,
                      uint32_t prev_end) {
  uint32_t len = end - start, gap = start - prev_end;
  if (end > start && len <= 4 && start >= prev_end && gap <= 62) {
    in->where[u] = (uint8_t)((len - 1) | gap << 2);
    return GW_OK;
  }
  in->where[u] = GW_DUPS_FAR;
  if (GW_DUPS_RESERVE(in->fars, in->fars_count + 1)) return GW_ENOMEM;
  in->fars[in->fars_count++] = (gw_dups_far){u, start, end};
  return GW_OK;
}

/* Whether characters cp[0..n) can be kept in 16 bits (see gw_dups_doc). */
static int fits_16_bits(const uint32_t *cp, size_t n) {
  /* Without an early exit, so that it runs on whole vectors: nearly every
   * document fits. */
  unsigned bad = 0;
  for (size_t u = 0; u < n; u++)
    bad |= (unsigned)(cp[u] > 0xFFFFu && cp[u] != GW_DUPS_MASK_CHAR) |
           (unsigned)(cp[u] == GW_DUPS_MASK_CHAR16);
  return !bad;
}

/* The arrays the index keeps (cp or cp16, marks, where, flags), made from
 * the scratch ones in one block of the store: the code points in 16 bits
 * when `narrow` allows and they fit. */
static int keep(gw_dups_store *store, gw_dups_input *in, int narrow) {
  size_t n = in->units, m = (n + GW_DUPS_MARK_EVERY - 1) / GW_DUPS_MARK_EVERY;
  narrow = narrow && fits_16_bits(in->cp, n);
  char *block = gw_dups_store_alloc(store, n * (narrow ? 2 : 4) + m * 4 + 2 * n + 1);
  if (!block) return GW_ENOMEM;
  /* The marks first: 4-aligned whatever the code points' width. */
  uint32_t *marks = (uint32_t *)(void *)block, *cp = NULL;
  uint16_t *cp16 = NULL;
  uint8_t *where;
  if (narrow) {
    cp16 = (uint16_t *)(void *)(marks + m);
    /* The mask's low 16 bits are 0 (0x110000): or'ed with the surrogate. */
    for (size_t u = 0; u < n; u++)
      cp16[u] = (uint16_t)(in->cp[u] | (in->cp[u] >> 20 ? GW_DUPS_MASK_CHAR16 : 0u));
    where = (uint8_t *)(cp16 + n);
  } else {
    cp = marks + m;
    memcpy(cp, in->cp, n * 4);
    where = (uint8_t *)(cp + n);
  }
  uint8_t *flags = where + n;
  memcpy(flags, in->flags, n);
  in->where = where;
  size_t l = 0;
  uint32_t prev_end = 0;
  for (size_t u = 0; u < n; u++) {
    uint32_t start = in->ostart[u], end = start + in->olen[u];
    if (in->olen[u] == LONG) {
      while (in->longs[l].unit < u) l++;
      end = in->longs[l].end;
    }
    if (u % GW_DUPS_MARK_EVERY == 0) marks[u / GW_DUPS_MARK_EVERY] = prev_end = start;
    if (code_where(in, u, start, end, prev_end)) return GW_ENOMEM;
    prev_end = end;
  }
  in->cp = cp;
  in->cp16 = cp16;
  in->marks = marks;
  in->flags = flags;
  free(in->scratch);
  in->scratch = NULL;
  in->ostart = NULL;
  in->olen = NULL;
  return GW_OK;
}

void gw_dups_char_bytes(const gw_dups_doc *dd, size_t i, uint32_t *start, uint32_t *end) {
  uint32_t s = 0, e = 0;
  for (size_t j = i - i % GW_DUPS_MARK_EVERY; j <= i; j++) {
    uint8_t w = dd->where[j];
    if (w == GW_DUPS_FAR) {
      size_t lo = 0, hi = dd->fars_count;
      while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (dd->fars[mid].unit < j) lo = mid + 1; else hi = mid;
      }
      s = dd->fars[lo].start;
      e = dd->fars[lo].end;
      continue;
    }
    s = j % GW_DUPS_MARK_EVERY ? e + (w >> 2) : dd->marks[j / GW_DUPS_MARK_EVERY];
    e = s + (w & 3u) + 1;
  }
  *start = s;
  *end = e;
}

/* The document's winnowing fingerprints and its paragraphs' band keys:
 * what the index needs of it beyond its characters. */
static int index_input(const gw_dups_options *o, gw_dups_input *in) {
  size_t minc = o->min_paragraph_chars > o->shingle_k ? o->min_paragraph_chars : o->shingle_k;
  gw_dups_indexer *ix = &in->ix;
  ix->sig = malloc(o->minhash_count * sizeof *ix->sig);
  ix->full = malloc(o->minhash_count);
  in->elig = malloc((in->para_count + 1) * sizeof *in->elig);
  if (!ix->sig || !ix->full || !in->elig) return GW_ENOMEM;
  for (size_t p = 0; p < in->para_count; p++)
    if (in->paras[p].unit_count >= minc) in->elig[in->elig_count++] = (uint32_t)p;
  in->keys = malloc((in->elig_count * o->bands + 1) * sizeof *in->keys);
  if (!in->keys || gw_dups_winnow(o, in->cp, in->units, ix)) return GW_ENOMEM;
  for (size_t e = 0; e < in->elig_count; e++) {
    const gw_dups_para *p = &in->paras[in->elig[e]];
    if (gw_dups_sign(o, in->cp + p->unit_first, p->unit_count, ix, in->keys + e * o->bands))
      return GW_ENOMEM;
  }
  /* The scratch is not kept. */
  free(ix->hashes); free(ix->sig); free(ix->full);
  ix->hashes = NULL; ix->sig = NULL; ix->full = NULL;
  ix->hashes_cap = 0;
  return GW_OK;
}

/* The report's year, for a family's earliest member.  The one place that
 * names the library's year detection. */
static int document_year(const gw_document *doc) { return gw_document_year(doc); }

/* gw_dups_prepare, the code points kept in 16 bits where they fit when
 * `narrow` (gw_dups_add keeps 32: see gw_dups_doc). */
static int prepare(const gw_dups *d, const gw_document *doc, const gw_range *official,
                   size_t n_official, int narrow, gw_dups_input **out, gw_error *err) {
  *out = NULL;
  if (!d || !doc || (n_official && !official))
    return gw_fail(err, GW_EINVAL, "gw_dups_prepare: invalid argument");
  size_t len;
  gw_document_normalized(doc, &len);
  size_t paras = gw_document_paragraph_count(doc);
  gw_dups_input *in = calloc(1, sizeof *in);
  const char *name = gw_document_name(doc) ? gw_document_name(doc) : "(unnamed)";
  /* One block for the per-character arrays, at most one unit per byte. */
  size_t cap = len + 1;
  char *block = in ? malloc(cap * (2 * sizeof(uint32_t) + 2) + cap * sizeof(uint32_t)) : NULL;
  if (in) {
    in->store = d->store;
    in->scratch = block;
    in->cp = (uint32_t *)(void *)block;
  }
  if (in) in->paras = malloc((paras + 1) * sizeof *in->paras);
  if (in) in->name = strdup(name);
  if (!in || !block || !in->paras || !in->name) goto nomem;
  in->ostart = in->cp + cap;
  uint32_t *npos = in->ostart + cap;
  in->olen = (uint8_t *)(npos + cap);
  in->flags = in->olen + cap;
  if (extract_units(in, doc, npos)) goto nomem;
  size_t n = in->units;
  memset(in->flags, 0, n);
  for (size_t j = 0; j < n_official; j++) {
    size_t a = lower_unit(npos, n, official[j].norm_start);
    size_t b = lower_unit(npos, n, official[j].norm_end);
    for (size_t u = a; u < b; u++) in->flags[u] |= GW_DUPS_OFFICIAL_FLAG;
  }
  for (size_t u = 0; u < n; u++) in->official += in->flags[u] & GW_DUPS_OFFICIAL_FLAG;
  in->para_count = paras;
  for (size_t p = 0; p < paras; p++) {
    const gw_paragraph *gp = gw_document_paragraph_at(doc, p);
    size_t a = lower_unit(npos, n, gp->range.norm_start);
    size_t b = lower_unit(npos, n, gp->range.norm_end);
    gw_dups_para *pr = &in->paras[p];
    pr->document = 0;
    pr->paragraph = (uint32_t)p;
    pr->unit_first = a;
    pr->unit_count = (uint32_t)(b - a);
    pr->start = (uint32_t)gp->range.start;
    pr->end = (uint32_t)gp->range.end;
  }
  in->year = document_year(doc);
  if (index_input(&d->opts, in) || keep(d->store, in, narrow)) goto nomem;
  *out = in;
  return GW_OK;
nomem:
  gw_dups_input_free(in);
  return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
}

int gw_dups_prepare(const gw_dups *d, const gw_document *doc, const gw_range *official,
                    size_t n_official, gw_dups_input **out, gw_error *err) {
  return prepare(d, doc, official, n_official, 1, out, err);
}

void gw_dups_drop_keys(gw_dups *d) {
  gw_dups_free_mapped(d->keys, d->keys_cap, sizeof *d->keys);
  d->keys = NULL;
  d->keys_cap = 0;
  d->sketches_dropped = 1;
}

void gw_dups_drop_fingerprints(gw_dups *d) {
  gw_dups_free_mapped(d->fps, d->fps_cap, sizeof *d->fps);
  d->fps = NULL;
  d->fps_cap = d->fps_count = 0;
  d->fps_sorted = 0;
  d->sketches_dropped = 1;
}

int gw_dups_restore_sketches(gw_dups *d) {
  if (!d->sketches_dropped) return GW_OK;
  const gw_dups_options *o = &d->opts;
  size_t B = o->bands, longest = 0, e = 0;
  /* Whatever is left (a run that failed between the two drops) is made
   * again too. */
  gw_dups_drop_keys(d);
  gw_dups_drop_fingerprints(d);
  for (size_t doc = 0; doc < d->docs_count; doc++)
    if (d->docs[doc].unit_count > longest) longest = d->docs[doc].unit_count;
  gw_dups_indexer ix;
  memset(&ix, 0, sizeof ix);
  ix.sig = malloc(o->minhash_count * sizeof *ix.sig);
  ix.full = malloc(o->minhash_count);
  uint32_t *chars = malloc((longest + 1) * sizeof *chars);
  int rc = ix.sig && ix.full && chars ? GW_OK : GW_ENOMEM;
  if (!rc && d->elig_count)
    rc = gw_dups_grow_mapped((void **)&d->keys, &d->keys_cap, d->elig_count * B, sizeof *d->keys);
  for (size_t doc = 0; !rc && doc < d->docs_count; doc++) {
    const gw_dups_doc *dd = &d->docs[doc];
    gw_dups_chars(dd, 0, dd->unit_count, chars);
    ix.fps_count = 0;
    rc = gw_dups_winnow(o, chars, dd->unit_count, &ix);
    if (!rc && ix.fps_count)
      rc = gw_dups_grow_mapped((void **)&d->fps, &d->fps_cap, d->fps_count + ix.fps_count,
                               sizeof *d->fps);
    for (size_t i = 0; !rc && i < ix.fps_count; i++) {
      d->fps[d->fps_count] = ix.fps[i];
      d->fps[d->fps_count++].doc = (uint32_t)doc;
    }
    for (; !rc && e < d->elig_count && d->paras[d->elig[e]].document == doc; e++) {
      const gw_dups_para *p = &d->paras[d->elig[e]];
      rc = gw_dups_sign(o, chars + (p->unit_first - dd->unit_first), p->unit_count, &ix,
                        d->keys + e * B);
    }
  }
  free(ix.fps); free(ix.hashes); free(ix.sig); free(ix.full);
  free(chars);
  if (!rc) d->sketches_dropped = 0;
  return rc;
}

int gw_dups_append(gw_dups *d, const gw_dups_doc *dd, size_t fps_count, size_t elig_count,
                   const char *name, gw_dups_slot *slot, gw_error *err) {
  if (gw_dups_restore_sketches(d)) return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
  if (d->docs_count >= UINT32_MAX - 1)
    return gw_fail(err, GW_ETOOBIG, "%s: too many documents (at most %u)", name,
                   (unsigned)(UINT32_MAX - 1));
  size_t B = d->opts.bands;
  if (GW_DUPS_RESERVE(d->docs, d->docs_count + 1) ||
      GW_DUPS_RESERVE(d->paras, d->paras_count + dd->para_count) ||
      gw_dups_grow_mapped((void **)&d->fps, &d->fps_cap, d->fps_count + fps_count,
                          sizeof *d->fps) ||
      GW_DUPS_RESERVE(d->elig, d->elig_count + elig_count) ||
      gw_dups_grow_mapped((void **)&d->keys, &d->keys_cap, (d->elig_count + elig_count) * B,
                          sizeof *d->keys))
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
  /* An array never grown is NULL (nothing is written there then). */
  *slot = (gw_dups_slot){(uint32_t)d->docs_count, d->units, d->paras_count,
                         d->paras ? d->paras + d->paras_count : NULL,
                         d->fps ? d->fps + d->fps_count : NULL,
                         d->elig ? d->elig + d->elig_count : NULL,
                         d->keys ? d->keys + d->elig_count * B : NULL};
  gw_dups_doc *to = &d->docs[d->docs_count++];
  *to = *dd;
  to->unit_first = d->units;
  to->para_first = d->paras_count;
  to->is_base = 0;
  to->unit = 0;
  to->text_year = dd->year;
  d->units += dd->unit_count;
  d->paras_count += dd->para_count;
  d->fps_count += fps_count;
  d->elig_count += elig_count;
  return GW_OK;
}

int gw_dups_reserve(gw_dups *d, size_t docs, size_t paras, size_t fps, size_t elig) {
  size_t B = d->opts.bands;
  if (gw_dups_restore_sketches(d)) return GW_ENOMEM;
  if (docs > SIZE_MAX / 2 - d->docs_count || paras > SIZE_MAX / 2 - d->paras_count ||
      fps > SIZE_MAX / 2 - d->fps_count || elig > SIZE_MAX / 2 / (B + 1) - d->elig_count)
    return GW_ENOMEM;
  if (GW_DUPS_RESERVE(d->docs, d->docs_count + docs) ||
      GW_DUPS_RESERVE(d->paras, d->paras_count + paras) ||
      gw_dups_grow_mapped((void **)&d->fps, &d->fps_cap, d->fps_count + fps, sizeof *d->fps) ||
      GW_DUPS_RESERVE(d->elig, d->elig_count + elig) ||
      gw_dups_grow_mapped((void **)&d->keys, &d->keys_cap, (d->elig_count + elig) * B,
                          sizeof *d->keys))
    return GW_ENOMEM;
  return GW_OK;
}

int gw_dups_add_prepared(gw_dups *d, gw_dups_input *in, gw_error *err) {
  if (!d || !in || (!in->cp && !in->cp16) || in->store != d->store)
    return gw_fail(err, GW_EINVAL, "gw_dups_add_prepared: invalid argument");
  gw_dups_doc dd = {0};
  dd.unit_count = (uint32_t)in->units;
  dd.official = (uint32_t)in->official;
  dd.year = in->year;
  dd.para_count = (uint32_t)in->para_count;
  dd.cp = in->cp;
  dd.cp16 = in->cp16;
  dd.marks = in->marks;
  dd.where = in->where;
  dd.flags = in->flags;
  dd.fars = in->fars;
  dd.fars_count = in->fars_count;
  gw_dups_slot at;
  int rc = gw_dups_append(d, &dd, in->ix.fps_count, in->elig_count, in->name, &at, err);
  if (rc) return rc;
  in->cp = NULL; /* the character arrays moved into the index */
  in->cp16 = NULL;
  in->fars = NULL;
  for (size_t i = 0; i < in->ix.fps_count; i++) {
    at.fps[i] = in->ix.fps[i];
    at.fps[i].doc = at.doc;
  }
  if (in->elig_count)
    memcpy(at.keys, in->keys, in->elig_count * d->opts.bands * sizeof *at.keys);
  for (size_t e = 0; e < in->elig_count; e++) at.elig[e] = (uint32_t)(at.para_first + in->elig[e]);
  for (size_t p = 0; p < in->para_count; p++) {
    at.paras[p] = in->paras[p];
    at.paras[p].document = at.doc;
    at.paras[p].unit_first += at.unit_first;
  }
  return GW_OK;
}

/* [*first, *end) of document doc's fingerprints: together, in the order
 * added, until gw_dups_run sorts them by hash (then gathered into *scratch,
 * which the caller frees). */
static int fingerprints_of(gw_dups *d, uint32_t doc, size_t *first, size_t *end,
                           gw_dups_fp **scratch) {
  *scratch = NULL;
  if (!d->fps_sorted) {
    size_t lo = 0, hi = d->fps_count;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (d->fps[mid].doc < doc) lo = mid + 1; else hi = mid;
    }
    *first = lo;
    for (hi = lo; hi < d->fps_count && d->fps[hi].doc == doc; hi++) {}
    *end = hi;
    return GW_OK;
  }
  size_t n = 0, cap = 0;
  for (size_t i = 0; i < d->fps_count; i++) {
    if (d->fps[i].doc != doc) continue;
    if (gw_grow((void **)scratch, &cap, n + 1, sizeof **scratch)) {
      free(*scratch);
      *scratch = NULL;
      return GW_ENOMEM;
    }
    (*scratch)[n++] = d->fps[i];
  }
  *first = 0;
  *end = n;
  return GW_OK;
}

/* The eligible paragraphs of doc: [*first, *end) of d->elig, which is in
 * document order. */
static void eligible_of(const gw_dups *d, const gw_dups_doc *dd, size_t *first, size_t *end) {
  size_t lo = 0, hi = d->elig_count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (d->elig[mid] < dd->para_first) lo = mid + 1; else hi = mid;
  }
  *first = lo;
  while (lo < d->elig_count && d->elig[lo] < dd->para_first + dd->para_count) lo++;
  *end = lo;
}

int gw_dups_add_copy(gw_dups *d, size_t document, gw_error *err) {
  if (!d || document >= d->docs_count)
    return gw_fail(err, GW_EINVAL, "gw_dups_add_copy: no document %zu", document);
  if (gw_dups_restore_sketches(d)) return gw_fail(err, GW_ENOMEM, "gw_dups_add_copy: out of memory");
  const gw_dups_doc from = d->docs[document]; /* d->docs may move */
  size_t fp_first, fp_end, e_first, e_end, B = d->opts.bands, n = from.unit_count;
  gw_dups_fp *gathered;
  if (fingerprints_of(d, (uint32_t)document, &fp_first, &fp_end, &gathered))
    return gw_fail(err, GW_ENOMEM, "gw_dups_add_copy: out of memory");
  eligible_of(d, &from, &e_first, &e_end);
  /* The characters are shared; the flags are the copy's own (a run marks
   * base text in them, and the two may differ in being a base document),
   * and so are the far records (each document frees its own). */
  gw_dups_doc dd = from;
  dd.year = from.text_year;
  dd.flags = gw_dups_store_alloc(d->store, n + 1);
  dd.fars = from.fars_count ? malloc(from.fars_count * sizeof *dd.fars) : NULL;
  if (!dd.flags || (from.fars_count && !dd.fars)) {
    free(dd.fars);
    free(gathered);
    return gw_fail(err, GW_ENOMEM, "gw_dups_add_copy: out of memory");
  }
  for (size_t u = 0; u < n; u++) dd.flags[u] = from.flags[u] & GW_DUPS_OFFICIAL_FLAG;
  if (from.fars_count) memcpy(dd.fars, from.fars, from.fars_count * sizeof *dd.fars);
  gw_dups_slot at;
  int rc = gw_dups_append(d, &dd, fp_end - fp_first, e_end - e_first, "gw_dups_add_copy", &at,
                          err);
  if (rc) {
    free(dd.fars);
    free(gathered);
    return rc;
  }
  /* (A document without fingerprints has no array to offset into.) */
  const gw_dups_fp *fps = gathered ? gathered : fp_end > fp_first ? d->fps + fp_first : NULL;
  for (size_t i = 0; i < fp_end - fp_first; i++) {
    at.fps[i] = fps[i];
    at.fps[i].doc = at.doc;
  }
  free(gathered);
  for (size_t e = e_first; e < e_end; e++)
    at.elig[e - e_first] = (uint32_t)(at.para_first + (d->elig[e] - from.para_first));
  if (e_end > e_first)
    memcpy(at.keys, d->keys + e_first * B, (e_end - e_first) * B * sizeof *at.keys);
  for (size_t p = 0; p < from.para_count; p++) {
    at.paras[p] = d->paras[from.para_first + p];
    at.paras[p].document = at.doc;
    at.paras[p].unit_first = at.paras[p].unit_first - from.unit_first + at.unit_first;
  }
  return GW_OK;
}

int gw_dups_add(gw_dups *d, const gw_document *doc, const gw_range *official,
                size_t n_official, gw_error *err) {
  if (!d || !doc || (n_official && !official))
    return gw_fail(err, GW_EINVAL, "gw_dups_add: invalid argument");
  gw_dups_input *in;
  int rc = prepare(d, doc, official, n_official, 0, &in, err);
  if (!rc) rc = gw_dups_add_prepared(d, in, err);
  gw_dups_input_free(in);
  return rc;
}

gw_dups_range gw_dups_range_of(const gw_dups *d, uint32_t doc, size_t a, size_t b) {
  const gw_dups_doc *dd = &d->docs[doc];
  gw_dups_range r;
  uint32_t start, end;
  gw_dups_char_bytes(dd, a, &start, &end);
  r.start = start;
  gw_dups_char_bytes(dd, b - 1, &start, &end);
  r.end = end;
  r.char_start = a;
  r.char_end = b;
  return r;
}

size_t gw_dups_paragraph_at(const gw_dups *d, uint32_t doc, size_t pos) {
  const gw_dups_doc *dd = &d->docs[doc];
  uint64_t u = dd->unit_first + pos;
  size_t lo = dd->para_first, hi = dd->para_first + dd->para_count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (d->paras[mid].unit_first + d->paras[mid].unit_count <= u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
