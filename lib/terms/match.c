/*
 * match.c — matching a document: every paragraph scanned with the terms'
 * automaton, hits selected leftmost-longest (a hit starting at or after the
 * end of the last counted one is counted; one inside it is nested; one
 * crossing its end is overlapping), then the broken formulations
 * (integrity.c) and the outdated ones, judged by the report's year
 * (gw_document_year).
 */
#include <stdlib.h>
#include <string.h>

#include "terms_private.h"

void gw_term_result_free(gw_term_result *r) {
  if (!r) return;
  free(r->matches);
  free(r->broken);
  free(r->outdated);
  free(r->th.v);
  free(r->ph.v);
  free(r->stale);
  free(r->cps);
  free(r->offs);
  free(r);
}

size_t gw_term_result_match_count(const gw_term_result *r) { return r ? r->match_count : 0; }
const gw_term_match *gw_term_result_match_at(const gw_term_result *r, size_t i) {
  return r && i < r->match_count ? &r->matches[i] : NULL;
}
size_t gw_term_result_broken_count(const gw_term_result *r) { return r ? r->broken_count : 0; }
const gw_broken_formulation *gw_term_result_broken_at(const gw_term_result *r, size_t i) {
  return r && i < r->broken_count ? &r->broken[i] : NULL;
}
size_t gw_term_result_outdated_count(const gw_term_result *r) { return r ? r->outdated_count : 0; }
const gw_outdated_formulation *gw_term_result_outdated_at(const gw_term_result *r, size_t i) {
  return r && i < r->outdated_count ? &r->outdated[i] : NULL;
}
int gw_term_result_year(const gw_term_result *r) { return r ? r->year : 0; }
size_t gw_term_result_stale_count(const gw_term_result *r) { return r ? r->stale_count : 0; }
const gw_stale_formulation *gw_term_result_stale_at(const gw_term_result *r, size_t i) {
  return r && i < r->stale_count ? &r->stale[i] : NULL;
}

/* Generated names in s[0..len) (names.h), found by pattern: hits whose key
 * is key_count + the term.  Transparent separators are skipped, as the
 * automaton skips them (“十四五”规划). */
static int scan_names(gw_term_result *r, const gw_terms *t, const char *s, size_t len,
                      hits *out) {
  if (gw_terms_grow((void **)&r->cps, &r->cps_cap, len + 1, sizeof *r->cps) ||
      gw_terms_grow((void **)&r->offs, &r->offs_cap, len + 1, sizeof *r->offs))
    return GW_ENOMEM;
  const uint32_t *info = t->c.cp_info;
  const unsigned char *u = (const unsigned char *)s;
  size_t n = 0;
  for (size_t i = 0; i < len;) {
    int32_t cp;
    size_t k = gw_terms_next_cp(u, i, len, &cp);
    /* Transparent separators are all in the BMP, and have that class. */
    if (cp < 0 || cp >= 0x10000 || (info[cp] & CP_CLASS) != CLS_TRANSPARENT) {
      r->cps[n] = cp;
      r->offs[n++] = i;
    }
    i += k;
  }
  for (size_t i = 0; i < n;) {
    size_t length = 0, term = GW_NO_OFFSET;
    int32_t cp = r->cps[i];
    if (cp >= 0 && cp < 0x10000 && (info[cp] & CP_NAME_START))
      term = gw_terms_name_term(t, r->cps + i, n - i, &length);
    if (term == GW_NO_OFFSET) { i++; continue; }
    size_t last = r->offs[i + length - 1];
    size_t end = last + gw_utf8_next(u + last, len - last, &cp);
    if (gw_terms_grow((void **)&out->v, &out->cap, out->n + 1, sizeof *out->v)) return GW_ENOMEM;
    out->v[out->n].start = r->offs[i];
    out->v[out->n].end = end;
    out->v[out->n].key = t->c.key_count + term;
    out->n++;
    i += length;
  }
  return GW_OK;
}


/* ------------------------------------------------------------------ */
/* Matching a document                                                  */
/* ------------------------------------------------------------------ */

/* Whether hit x sorts after y (gw_terms_hit_cmp > 0). */
static inline int hit_after(const hit *x, const hit *y) {
  if (x->start != y->start) return x->start > y->start;
  if (x->end != y->end) return x->end < y->end;
  return x->key > y->key;
}

/* A paragraph's hits in gw_terms_hit_cmp's order.  They come nearly in
 * that order already (by end, and by start at each end), and most
 * paragraphs have a few: an insertion sort does those without qsort's
 * calls per comparison; many hits go to qsort, whose time does not depend
 * on their order. */
static void sort_hits(hit *v, size_t n) {
  if (n > 32) {
    qsort(v, n, sizeof *v, gw_terms_hit_cmp);
    return;
  }
  for (size_t i = 1; i < n; i++) {
    hit x = v[i];
    size_t j = i;
    for (; j > 0 && hit_after(&v[j - 1], &x); j--) v[j] = v[j - 1];
    v[j] = x;
  }
}

/* The range of a hit, norm[ns, ne), as gw_terms_doc_range gives it:
 * shifted by `shift` where the paragraph maps byte for byte, else found
 * from the cursor. */
static void place_hit(const gw_document *doc, size_t ns, size_t ne, int shifted,
                      ptrdiff_t shift, gw_document_cursor *cursor, gw_range *out) {
  out->norm_start = ns;
  out->norm_end = ne;
  if (shifted) {
    out->start = ns + (size_t)shift;
    out->end = ne + (size_t)shift;
    return;
  }
  gw_document_place place;
  gw_document_place_range(doc, ns, ne, cursor, &place);
  out->start = place.start;
  out->end = place.end;
}

/* Paragraph pi's hits th[0, nh) (sorted) selected and placed as matches
 * after the last one: GW_OK or GW_ENOMEM. */
static int place_paragraph(gw_term_result *r, const gw_terms *t, const gw_document *doc,
                           size_t pi, const gw_paragraph *p, hit *th, size_t nh,
                           gw_document_cursor *cursor) {
  if (!nh) return GW_OK;
  if (gw_terms_grow((void **)&r->matches, &r->match_cap, r->match_count + nh,
                    sizeof *r->matches))
    return GW_ENOMEM;
  sort_hits(th, nh);
  size_t counted = GW_NO_OFFSET, counted_end = 0;
  /* Most paragraphs lie in one byte-for-byte stretch of both maps, where
   * a hit (never empty) is placed by two additions. */
  ptrdiff_t to_text = 0, to_original = 0;
  int shifted = gw_document_same_shift(doc, p->range.norm_start, p->range.norm_end, cursor,
                                       &to_text, &to_original);
  for (size_t i = 0; i < nh; i++) {
    const hit *h = &th[i];
    gw_term_match *m = &r->matches[r->match_count];
    /* A generated name's hit carries its term past the keys. */
    int named = h->key >= t->c.key_count;
    size_t term = named ? h->key - t->c.key_count : t->c.keys[h->key].term;
    m->term = term;
    m->form = named ? 0 : t->c.keys[h->key].form;
    m->paragraph = pi;
    m->section = p->section;
    /* The automaton and the name patterns can both find a listed name. */
    if (i > 0 && h->start == th[i - 1].start && h->end == th[i - 1].end &&
        r->match_count > 0 && r->matches[r->match_count - 1].term == term)
      continue;
    if (counted == GW_NO_OFFSET || h->start >= counted_end) {
      m->kind = GW_TERM_COUNTED;
      m->outer = GW_NO_OFFSET;
      counted = r->match_count;
      counted_end = h->end;
    } else {
      /* A shorter form of the same term inside it is the same mention. */
      if (r->matches[counted].term == term) continue;
      m->kind = h->end <= counted_end ? GW_TERM_NESTED : GW_TERM_OVERLAPPING;
      m->outer = counted;
    }
    place_hit(doc, p->range.norm_start + h->start, p->range.norm_start + h->end, shifted,
              to_text + to_original, cursor, &m->range);
    r->match_count++;
  }
  return GW_OK;
}

static int match_into(gw_term_result *r, const gw_terms *t, const gw_document *doc,
                      const gw_terms_options *opts) {
  r->match_count = r->broken_count = r->outdated_count = r->stale_count = 0;
  r->year = 0;
  /* matches_only came with version 2: a version-1 caller's struct ends
   * before it. */
  int matches_only = opts && opts->version >= 2 && opts->matches_only;
  size_t len;
  const char *norm = gw_document_normalized(doc, &len);
  int rc = GW_OK;
  size_t np = gw_document_paragraph_count(doc);
  int parts = t->c.pkey_count && !matches_only;
  /* Room for the matches at once, as many as reports have (about one in
   * 80 bytes) with a margin: a large array grown step by step is copied at
   * each step, and only the pages written cost memory. */
  if (gw_terms_grow((void **)&r->matches, &r->match_cap, len / 32 + 16, sizeof *r->matches))
    return GW_ENOMEM;
  /* Each paragraph is scanned, its hits sorted, selected and placed, and
   * its formulations checked before the next one: the hits of one
   * paragraph at a time, in memory the cache still holds. */
  hits th = r->th, ph = r->ph;
  /* Paragraphs and their sorted hits come in text order: one walk
   * through the offset maps places them all. */
  gw_document_cursor cursor = {0, 0};
  for (size_t pi = 0; pi < np && rc == GW_OK; pi++) {
    const gw_paragraph *p = gw_document_paragraph_at(doc, pi);
    const char *s = norm + p->range.norm_start;
    size_t plen = p->range.norm_end - p->range.norm_start;
    th.n = ph.n = 0;
    /* The scan says whether the paragraph may hold a generated name. */
    int may_hold_name = 0;
    rc = gw_terms_scan_both(&t->c, &t->c.terms_ac, t->c.keys, &th,
                            parts ? &t->c.parts_ac : NULL, t->c.pkeys, &ph, s, plen,
                            t->c.name_term ? &may_hold_name : NULL);
    if (rc == GW_OK && may_hold_name) rc = scan_names(r, t, s, plen, &th);
    if (rc == GW_OK) rc = place_paragraph(r, t, doc, pi, p, th.v, th.n, &cursor);
    if (rc == GW_OK && parts) {
      sort_hits(ph.v, ph.n);
      rc = gw_terms_find_broken(r, t, doc, pi, s, plen, &ph);
    }
  }
  r->th = th;
  r->ph = ph;
  if (rc == GW_OK && !matches_only) {
    r->year = opts && opts->year ? opts->year : gw_document_year(doc);
    rc = gw_terms_judge(r, t, doc);
  }
  return rc;
}

int gw_terms_match(gw_term_result **out, const gw_terms *t, const gw_document *doc,
                   const gw_terms_options *opts, gw_error *err) {
  if (!out) return gw_fail(err, GW_EINVAL, "gw_terms_match: out is NULL");
  *out = NULL;
  if (!t || !doc) return gw_fail(err, GW_EINVAL, "gw_terms_match: invalid argument");
  if (opts && (opts->version < 1 || opts->version > GW_TERMS_OPTIONS_VERSION))
    return gw_fail(err, GW_EINVAL, "gw_terms_match: unknown options version %u", opts->version);
  gw_term_result *r = calloc(1, sizeof *r);
  if (!r) return gw_fail(err, GW_ENOMEM, "out of memory");
  int rc = match_into(r, t, doc, opts);
  if (rc) {
    gw_term_result_free(r);
    return gw_fail(err, rc, "%s: out of memory", gw_document_name(doc));
  }
  *out = r;
  return GW_OK;
}

int gw_terms_rematch(gw_term_result *r, const gw_terms *t, const gw_document *doc,
                     const gw_terms_options *opts, gw_error *err) {
  if (!r || !t || !doc) return gw_fail(err, GW_EINVAL, "gw_terms_rematch: invalid argument");
  if (opts && (opts->version < 1 || opts->version > GW_TERMS_OPTIONS_VERSION))
    return gw_fail(err, GW_EINVAL, "gw_terms_rematch: unknown options version %u", opts->version);
  int rc = match_into(r, t, doc, opts);
  if (rc) {
    r->match_count = r->broken_count = r->outdated_count = r->stale_count = 0;
    return gw_fail(err, rc, "%s: out of memory", gw_document_name(doc));
  }
  return GW_OK;
}


