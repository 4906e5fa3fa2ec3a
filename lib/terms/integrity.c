/*
 * integrity.c — broken formulations: a multi-part fixed formulation quoted
 * with a part missing, reordered or altered (同部署、同落实、同考核;
 * 重大事情亲自处置 for 重大事件亲自处置).
 *
 * The parts' hits (leftmost-longest) are expanded to every term each part
 * belongs to and chained per term: hits separated by separators only, or by
 * a piece close to a missing part (an edit distance of at most a quarter of
 * its characters).  A chain of at least two exact parts, or one exact and
 * one altered, that is not the whole formulation in order is reported.
 */
#include <stdlib.h>
#include <string.h>

#include "terms_private.h"

/* ------------------------------------------------------------------ */
/* Broken formulations                                                  */
/* ------------------------------------------------------------------ */

typedef struct occ_hit {
  size_t start, end; /* paragraph-relative */
  size_t term, part;
} occ_hit;

static int occ_hit_cmp(const void *a, const void *b) {
  const occ_hit *x = a, *y = b;
  if (x->term != y->term) return x->term < y->term ? -1 : 1;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  return x->part < y->part ? -1 : x->part > y->part;
}

/* Decode s[a, b) into cps (at most max); returns the count. */
static size_t decode(const char *s, size_t a, size_t b, int32_t *cps, size_t max,
                     size_t *offs) {
  size_t n = 0, i = a;
  while (i < b && n < max) {
    int32_t cp;
    if (offs) offs[n] = i;
    i += gw_utf8_next((const unsigned char *)s + i, b - i, &cp);
    cps[n++] = cp;
  }
  if (offs) offs[n] = i;
  return n;
}

static size_t edit_distance(const int32_t *a, size_t n, const int32_t *b, size_t m) {
  size_t row[MAX_KEY_CHARS + 2];
  for (size_t j = 0; j <= m; j++) row[j] = j;
  for (size_t i = 1; i <= n; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= m; j++) {
      size_t up = row[j];
      size_t best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[m];
}

/* Is cps[0..n) an altered form of part p of term (close but not equal)? */
static int is_altered(const gw_terms *t, size_t term, size_t p, const int32_t *cps,
                      size_t n) {
  const char *part = t->entries[term].parts[p];
  int32_t pc[MAX_KEY_CHARS + 1];
  uint64_t b;
  long m = gw_terms_form_key(part, strlen(part), pc, MAX_KEY_CHARS, &b);
  if (m <= 0 || n == 0) return 0;
  size_t d = edit_distance(cps, n, pc, (size_t)m);
  size_t limit = (size_t)m / 4 ? (size_t)m / 4 : 1;
  return d > 0 && d <= limit && d * 2 < (size_t)m;
}

static size_t part_chars(const gw_terms *t, size_t term, size_t p) {
  const char *s = t->entries[term].parts[p];
  size_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

typedef struct chain_item {
  size_t start, end, part;
  int altered;
} chain_item;

/* Only separators in s[a, b)?  *has_part: a part separator among them. */
static int only_separators(const char *s, size_t a, size_t b) {
  for (size_t i = a; i < b;) {
    int32_t cp;
    i += gw_utf8_next((const unsigned char *)s + i, b - i, &cp);
    if (gw_terms_sep_kind(cp) == SEP_NONE) return 0;
  }
  return 1;
}

/* Skip separators from a forward; returns the first non-separator offset. */
static size_t skip_seps(const char *s, size_t a, size_t len, int *part_seen) {
  while (a < len) {
    int32_t cp;
    size_t k = gw_utf8_next((const unsigned char *)s + a, len - a, &cp);
    int sk = gw_terms_sep_kind(cp);
    if (sk == SEP_NONE) break;
    if (sk == SEP_PART) *part_seen = 1;
    a += k;
  }
  return a;
}

/* Skip separators backwards from b; returns the offset after the last
 * non-separator character before b. */
static size_t skip_seps_back(const char *s, size_t b, int *part_seen) {
  while (b > 0) {
    size_t a = b - 1;
    while (a > 0 && ((unsigned char)s[a] & 0xC0) == 0x80) a--;
    int32_t cp;
    gw_utf8_next((const unsigned char *)s + a, b - a, &cp);
    int sk = gw_terms_sep_kind(cp);
    if (sk == SEP_NONE) break;
    if (sk == SEP_PART) *part_seen = 1;
    b = a;
  }
  return b;
}

static int in_chain(const chain_item *items, size_t n, size_t part) {
  for (size_t i = 0; i < n; i++)
    if (items[i].part == part) return 1;
  return 0;
}

static int judge_chain(gw_term_result *r, const gw_terms *t, const gw_document *doc,
                       size_t base, size_t paragraph, size_t term,
                       const chain_item *items, size_t n) {
  const term_entry *e = &t->entries[term];
  size_t exact = 0, altered = 0;
  uint32_t seen = 0, alt = 0;
  int reordered = 0;
  for (size_t i = 0; i < n; i++) {
    if (items[i].altered) { altered++; alt |= (uint32_t)1 << items[i].part; }
    else exact++;
    seen |= (uint32_t)1 << items[i].part;
    if (i > 0 && items[i].part <= items[i - 1].part) reordered = 1;
  }
  if (!(exact >= 2 || (exact >= 1 && altered >= 1))) return GW_OK;
  uint32_t all = e->part_count >= 32 ? 0xFFFFFFFFu : (((uint32_t)1 << e->part_count) - 1);
  uint32_t missing = all & ~seen;
  unsigned problems = (missing ? GW_FORMULATION_MISSING : 0) |
                      (reordered ? GW_FORMULATION_REORDERED : 0) |
                      (alt ? GW_FORMULATION_ALTERED : 0);
  if (!problems) return GW_OK;
  if (gw_terms_grow((void **)&r->broken, &r->broken_cap, r->broken_count + 1, sizeof *r->broken))
    return GW_ENOMEM;
  gw_broken_formulation *bf = &r->broken[r->broken_count++];
  memset(bf, 0, sizeof *bf);
  bf->term = term;
  bf->range = gw_terms_doc_range(doc, base + items[0].start, base + items[n - 1].end);
  bf->paragraph = paragraph;
  bf->section = gw_document_paragraph_at(doc, paragraph)->section;
  bf->problems = problems;
  bf->missing = missing;
  bf->altered = alt;
  size_t na = 0;
  for (size_t p = 0; p < e->part_count && na < 4; p++) {
    if (!(alt >> p & 1)) continue;
    for (size_t i = 0; i < n; i++)
      if (items[i].part == p && items[i].altered) {
        bf->altered_range[na++] =
            gw_terms_doc_range(doc, base + items[i].start, base + items[i].end);
        break;
      }
  }
  return GW_OK;
}

/* Try to read an altered part p right after `from` (forward) or right
 * before it (backward), after at least one part separator. */
static int altered_piece(const gw_terms *t, size_t term, size_t p, const char *s,
                         size_t len, size_t from, int forward, chain_item *item) {
  int part_seen = 0;
  size_t chars = part_chars(t, term, p);
  int32_t cps[MAX_KEY_CHARS + 2];
  size_t offs[MAX_KEY_CHARS + 3];
  if (forward) {
    size_t a = skip_seps(s, from, len, &part_seen);
    if (!part_seen || a >= len) return 0;
    size_t n = decode(s, a, len, cps, chars, offs);
    for (size_t i = 0; i < n; i++)
      if (gw_terms_sep_kind(cps[i]) != SEP_NONE) n = i;
    if (!is_altered(t, term, p, cps, n)) return 0;
    item->start = a;
    item->end = offs[n];
  } else {
    size_t b = skip_seps_back(s, from, &part_seen);
    if (!part_seen || b == 0) return 0;
    /* Back up `chars` characters. */
    size_t a = b, k = 0;
    while (a > 0 && k < chars) {
      a--;
      while (a > 0 && ((unsigned char)s[a] & 0xC0) == 0x80) a--;
      k++;
    }
    size_t n = decode(s, a, b, cps, chars, offs);
    size_t skip = 0;
    for (size_t i = 0; i < n; i++)
      if (gw_terms_sep_kind(cps[i]) != SEP_NONE) skip = i + 1;
    if (!is_altered(t, term, p, cps + skip, n - skip)) return 0;
    item->start = offs[skip];
    item->end = b;
  }
  item->part = p;
  item->altered = 1;
  return 1;
}

int gw_terms_find_broken(gw_term_result *r, const gw_terms *t, const gw_document *doc,
                       size_t paragraph, const char *s, size_t len, const hits *ph) {
  size_t base = gw_document_paragraph_at(doc, paragraph)->range.norm_start;
  /* Leftmost-longest part hits, expanded to their occurrences. */
  occ_hit *oh = NULL;
  size_t on = 0, ocap = 0, last_end = 0;
  int rc = GW_OK;
  for (size_t i = 0; i < ph->n; i++) {
    const hit *h = &ph->v[i];
    if (h->start < last_end) continue;
    last_end = h->end;
    const key_rec *k = &t->c.pkeys[h->key];
    for (size_t j = 0; j < k->occ_count; j++) {
      if (gw_terms_grow((void **)&oh, &ocap, on + 1, sizeof *oh)) { free(oh); return GW_ENOMEM; }
      oh[on].start = h->start;
      oh[on].end = h->end;
      oh[on].term = t->c.occs[k->term + j].term;
      oh[on].part = t->c.occs[k->term + j].part;
      on++;
    }
  }
  if (on > 1) qsort(oh, on, sizeof *oh, occ_hit_cmp);
  chain_item items[2 * MAX_PARTS + 2];
  for (size_t i = 0; i < on && rc == GW_OK;) {
    size_t term = oh[i].term;
    size_t nparts = t->entries[term].part_count;
    size_t n = 0;
    items[n++] = (chain_item){oh[i].start, oh[i].end, oh[i].part, 0};
    size_t j = i + 1;
    for (; j < on && oh[j].term == term && n + 2 < 2 * MAX_PARTS; j++) {
      chain_item *last = &items[n - 1];
      if (oh[j].start < last->end) continue;
      if (only_separators(s, last->end, oh[j].start)) {
        items[n++] = (chain_item){oh[j].start, oh[j].end, oh[j].part, 0};
        continue;
      }
      /* A missing part between them, written differently? */
      int joined = 0;
      for (size_t p = last->part + 1; p < oh[j].part && !joined; p++) {
        if (in_chain(items, n, p)) continue;
        chain_item it;
        if (altered_piece(t, term, p, s, oh[j].start, last->end, 1, &it) &&
            only_separators(s, it.end, oh[j].start)) {
          items[n++] = it;
          items[n++] = (chain_item){oh[j].start, oh[j].end, oh[j].part, 0};
          joined = 1;
        }
      }
      if (!joined) break;
    }
    /* Extend with an altered part after the chain and before it. */
    chain_item it;
    size_t next = items[n - 1].part + 1;
    if (next < nparts && !in_chain(items, n, next) &&
        altered_piece(t, term, next, s, len, items[n - 1].end, 1, &it))
      items[n++] = it;
    if (items[0].part > 0 && !in_chain(items, n, items[0].part - 1) &&
        altered_piece(t, term, items[0].part - 1, s, len, items[0].start, 0, &it)) {
      memmove(items + 1, items, n * sizeof *items);
      items[0] = it;
      n++;
    }
    rc = judge_chain(r, t, doc, base, paragraph, term, items, n);
    i = j;
    /* Skip the hits of this term that the chain swallowed. */
    while (i < on && oh[i].term == term && oh[i].start < items[n - 1].end) i++;
  }
  free(oh);
  return rc;
}

