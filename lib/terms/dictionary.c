/*
 * dictionary.c — the term dictionary (dict/terms.tsv): parsing, the keys of
 * every form, and the public calls that load and read it.
 *
 * File format (reference for dict/README.md)
 * ------------------------------------------
 *   term TAB category [TAB variants [TAB introduced [TAB superseded_by
 *   [TAB note]]]]
 * Empty fields are allowed except term and category; `variants` are
 * `|`-separated; `introduced` is a year (1900–2100); `superseded_by` names
 * another term of the dictionary (its canonical form or a variant) that has
 * an introduced year.  `#` comment lines and blank lines are skipped; a CR
 * before the LF and a UTF-8 BOM are ignored.
 *
 * Keys
 * ----
 * Every form (canonical and variants) is reduced to a key: its code points
 * without separators.  Part separators (、 ， , ； ;) inside a form mark the
 * boundaries between the parts of a fixed formulation; transparent
 * separators (spaces, quotes “”‘’"' 「」, 《》〈〉) are ignored anywhere.
 * The keys go into one automaton (automaton.c); the parts of the multi-part
 * formulations, one key per distinct part, into a second one, used to find
 * quotations with a part missing, reordered or altered (integrity.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "terms_private.h"
#include "wordlist.h"

/* Small helpers                                                        */
/* ------------------------------------------------------------------ */

static char *dupn(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (!d) return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

int gw_terms_grow(void **p, size_t *cap, size_t need, size_t size) {
  /* gw_grow: large arrays (a big document's hits and matches) on huge
   * pages, which spares a page fault every 4 KB. */
  return gw_grow(p, cap, need, size) < 0 ? -1 : 0;
}

long gw_terms_form_key(const char *s, size_t n, int32_t *out, size_t max,
                     uint64_t *boundaries) {
  size_t k = 0;
  *boundaries = 0;
  for (size_t i = 0; i < n;) {
    int32_t cp;
    i += gw_utf8_next((const unsigned char *)s + i, n - i, &cp);
    int sk = gw_terms_sep_kind(cp);
    if (sk == SEP_PART) {
      if (k > 0 && k < 64) *boundaries |= (uint64_t)1 << k;
      continue;
    }
    if (sk == SEP_TRANSPARENT) continue;
    if (k == max) return -1;
    out[k++] = cp;
  }
  return (long)k;
}

static uint64_t hash_cps(const int32_t *cps, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) {
    h ^= (uint64_t)(uint32_t)cps[i];
    h *= 1099511628211ull;
  }
  return h ^ (h >> 29);
}

static void entry_free(term_entry *e) {
  free(e->text);
  free(e->category);
  free(e->superseded);
  free(e->note);
  for (size_t i = 0; i < e->pub.variant_count; i++) free(e->variants[i]);
  free(e->variants);
  for (size_t i = 0; i < e->part_count; i++) free(e->parts[i]);
  free(e->parts);
}

static void compiled_free(compiled *c) {
  for (size_t i = 0; i < c->key_count; i++) free(c->keys[i].cps);
  free(c->keys);
  for (size_t i = 0; i < c->pkey_count; i++) free(c->pkeys[i].cps);
  free(c->pkeys);
  free(c->occs);
  free(c->key_hash);
  free(c->cp_info);
  free(c->astral_cp);
  free(c->astral_cls);
  free(c->name_term);
  gw_terms_automaton_free(&c->terms_ac);
  gw_terms_automaton_free(&c->parts_ac);
  memset(c, 0, sizeof *c);
}

/* ------------------------------------------------------------------ */
/* Parsing                                                              */
/* ------------------------------------------------------------------ */

/* What a file has declared so far. */
typedef struct file_state {
  int format;       /* @format, 1 by default */
  int entries_seen; /* a term line was read (@format must come first) */
} file_state;

static int bad(gw_error *err, const char *name, size_t line, const char *fmt,
               const char *arg) {
  char what[256];
  snprintf(what, sizeof what, fmt, arg ? arg : "");
  return gw_fail_at(err, GW_EFORMAT, GW_NO_OFFSET, line, 0, "%s:%zu: %s", name,
                    line, what);
}

static int has_edge_space(const char *s, size_t n) {
  return n && (s[0] == ' ' || s[n - 1] == ' ');
}

/* Split the canonical form into parts at part separators. */
static int split_parts(term_entry *e) {
  const char *s = e->text;
  size_t n = strlen(s);
  char *buf = malloc(n + 1);
  if (!buf) return GW_ENOMEM;
  size_t blen = 0;
  e->parts = calloc(MAX_PARTS + 1, sizeof *e->parts);
  if (!e->parts) { free(buf); return GW_ENOMEM; }
  for (size_t i = 0; i <= n;) {
    int32_t cp = 0;
    size_t k = i < n ? gw_utf8_next((const unsigned char *)s + i, n - i, &cp) : 1;
    int sk = i < n ? gw_terms_sep_kind(cp) : SEP_PART;
    if (sk == SEP_PART) {
      if (blen > 0) {
        if (e->part_count == MAX_PARTS) { free(buf); return GW_EINVAL; }
        e->parts[e->part_count] = dupn(buf, blen);
        if (!e->parts[e->part_count]) { free(buf); return GW_ENOMEM; }
        e->part_count++;
      }
      blen = 0;
    } else if (sk == SEP_NONE) {
      memcpy(buf + blen, s + i, k);
      blen += k;
    }
    i += k;
  }
  free(buf);
  e->pub.part_count = e->part_count ? e->part_count : 1;
  return GW_OK;
}

/* A year (YYYY, 1900–2100) or, where months are allowed, YYYY-MM. */
static int parse_date(const char *s, size_t n, int months, int *year, int *month) {
  *year = *month = 0;
  if (n != 4 && !(months && n == 7 && s[4] == '-')) return -1;
  for (size_t k = 0; k < n; k++) {
    if (k == 4) continue;
    if (s[k] < '0' || s[k] > '9') return -1;
    if (k < 4) *year = *year * 10 + (s[k] - '0');
    else *month = *month * 10 + (s[k] - '0');
  }
  if (*year < 1900 || *year > 2100 || (n == 7 && (*month < 1 || *month > 12))) return -2;
  return 0;
}

static const char *const name_kind_words[GW_NAME_KINDS] = {
    NULL, "congress", "plenum", "all_plenums", "five_year_plan", "two_sessions",
    "local_congress"};

/* @format N, @names KIND CATEGORY. */
static int parse_directive(gw_terms *t, file_state *fs, const char *name, size_t file,
                           size_t lineno, const char **field, const size_t *flen,
                           size_t nf, gw_error *err) {
  if (flen[0] == 7 && memcmp(field[0], "@format", 7) == 0) {
    if (nf != 2 || flen[1] != 1 || field[1][0] < '1' || field[1][0] > '0' + GW_TERMS_FORMAT)
      return bad(err, name, lineno, "@format must be 1 or 2 (this library reads "
                 "formats up to 2)%s", NULL);
    if (fs->entries_seen)
      return bad(err, name, lineno, "@format must come before the first term%s", NULL);
    fs->format = field[1][0] - '0';
    return GW_OK;
  }
  if (flen[0] == 6 && memcmp(field[0], "@names", 6) == 0) {
    if (fs->format < 2) return bad(err, name, lineno, "@names needs @format 2%s", NULL);
    if (nf != 3 || !flen[1] || !flen[2])
      return bad(err, name, lineno, "expected @names<TAB>KIND<TAB>CATEGORY%s", NULL);
    int kind = 0;
    for (int k = 1; k < GW_NAME_KINDS; k++)
      if (strlen(name_kind_words[k]) == flen[1] &&
          memcmp(name_kind_words[k], field[1], flen[1]) == 0)
        kind = k;
    if (!kind)
      return bad(err, name, lineno, "@names: unknown kind (congress, plenum, all_plenums, "
                 "five_year_plan, two_sessions or local_congress)%s", NULL);
    names_request *rq = &t->names[kind];
    if (rq->category) return GW_OK; /* the first request stands */
    rq->category = dupn(field[2], flen[2]);
    if (!rq->category) return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
    rq->file = file;
    rq->line = lineno;
    return GW_OK;
  }
  return bad(err, name, lineno, "unknown directive (expected @format or @names)%s", NULL);
}

static int parse_line(gw_terms *t, file_state *fs, const char *name, size_t file,
                      size_t lineno, const char *line, size_t len, gw_error *err) {
  if (len > 0 && line[len - 1] == '\r') len--;
  size_t i = 0;
  while (i < len && (line[i] == ' ' || line[i] == '\t')) i++;
  if (i == len || line[0] == '#') return GW_OK;
  if (!gw_valid_utf8(line, len)) return bad(err, name, lineno, "invalid UTF-8%s", NULL);
  const size_t max_fields = fs->format >= 2 ? 7 : 6;
  const char *field[7];
  size_t flen[7], nf = 0;
  size_t start = 0;
  for (size_t k = 0; k <= len; k++) {
    if (k == len || line[k] == '\t') {
      if (nf == max_fields)
        return bad(err, name, lineno,
                   fs->format >= 2 ? "too many columns (expected term, category, variants, "
                                     "introduced, superseded_by, note, ended)%s"
                                   : "too many columns (expected term, category, variants, "
                                     "introduced, superseded_by, note; `ended` needs "
                                     "@format 2)%s", NULL);
      field[nf] = line + start;
      flen[nf++] = k - start;
      start = k + 1;
    }
  }
  if (line[0] == '@') return parse_directive(t, fs, name, file, lineno, field, flen, nf, err);
  fs->entries_seen = 1;
  if (nf < 2) return bad(err, name, lineno, "expected TERM<TAB>CATEGORY[<TAB>…]%s", NULL);
  for (size_t k = 0; k < 2; k++)
    if (flen[k] == 0)
      return bad(err, name, lineno, "empty %s", k == 0 ? "term" : "category");
  for (size_t k = 0; k < nf; k++)
    if (has_edge_space(field[k], flen[k]))
      return bad(err, name, lineno, "a column begins or ends with a space%s", NULL);
  int year = 0, month = 0, ended = 0, unused;
  if (nf > 3 && flen[3]) {
    int rc = parse_date(field[3], flen[3], fs->format >= 2, &year, &month);
    if (rc == -1)
      return bad(err, name, lineno, fs->format >= 2
                     ? "introduced must be a year like 2022 or a month like 2022-10%s"
                     : "introduced must be a year like 2022%s", NULL);
    if (rc) return bad(err, name, lineno, "introduced year out of range (1900-2100)%s", NULL);
  }
  if (nf > 6 && flen[6]) {
    int rc = parse_date(field[6], flen[6], 0, &ended, &unused);
    if (rc == -1) return bad(err, name, lineno, "ended must be a year like 2022%s", NULL);
    if (rc) return bad(err, name, lineno, "ended year out of range (1900-2100)%s", NULL);
    if (year && ended < year)
      return bad(err, name, lineno, "ended comes before introduced%s", NULL);
  }
  if (gw_terms_grow((void **)&t->entries, &t->cap, t->count + 1, sizeof *t->entries))
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
  term_entry *e = &t->entries[t->count];
  memset(e, 0, sizeof *e);
  e->successor = GW_NO_OFFSET;
  e->file = file;
  e->line = lineno;
  int rc = GW_ENOMEM;
  e->text = dupn(field[0], flen[0]);
  e->category = dupn(field[1], flen[1]);
  e->note = dupn(nf > 5 ? field[5] : "", nf > 5 ? flen[5] : 0);
  if (!e->text || !e->category || !e->note) goto fail;
  if (nf > 4 && flen[4]) {
    e->superseded = dupn(field[4], flen[4]);
    if (!e->superseded) goto fail;
  }
  if (nf > 2 && flen[2]) {
    size_t nv = 1;
    for (size_t k = 0; k < flen[2]; k++) nv += field[2][k] == '|';
    e->variants = calloc(nv, sizeof *e->variants);
    if (!e->variants) goto fail;
    size_t vs = 0;
    for (size_t k = 0; k <= flen[2]; k++) {
      if (k < flen[2] && field[2][k] != '|') continue;
      if (k == vs) {
        entry_free(e);
        return bad(err, name, lineno, "empty variant%s", NULL);
      }
      e->variants[e->pub.variant_count] = dupn(field[2] + vs, k - vs);
      if (!e->variants[e->pub.variant_count]) goto fail;
      e->pub.variant_count++;
      vs = k + 1;
    }
  }
  rc = split_parts(e);
  if (rc == GW_EINVAL) {
    entry_free(e);
    return bad(err, name, lineno, "more than 32 parts%s", NULL);
  }
  if (rc) goto fail;
  e->pub.introduced = year;
  e->pub.introduced_month = month;
  e->pub.ended = ended;
  t->count++;
  return GW_OK;
fail:
  entry_free(e);
  return gw_fail(err, rc, "%s: out of memory", name);
}


static size_t key_lookup(const compiled *c, const int32_t *cps, size_t n) {
  if (!c->hash_cap) return GW_NO_OFFSET;
  size_t mask = c->hash_cap - 1, h = (size_t)hash_cps(cps, n) & mask;
  while (c->key_hash[h]) {
    const key_rec *k = &c->keys[c->key_hash[h] - 1];
    if (k->len == n && memcmp(k->cps, cps, n * sizeof *cps) == 0)
      return c->key_hash[h] - 1;
    h = (h + 1) & mask;
  }
  return GW_NO_OFFSET;
}

static size_t utf8_len_cps(const int32_t *cps, size_t n) {
  size_t b = 0;
  char tmp[4];
  for (size_t i = 0; i < n; i++) b += gw_utf8_encode(cps[i], tmp);
  return b;
}

/* Add a form's key (term t, form f); duplicates of the same term merge. */
static int add_key(gw_terms *t, compiled *c, size_t *cap, size_t term, size_t form,
                   const char *text, gw_error *err) {
  const term_entry *e = &t->entries[term];
  const char *name = t->files[e->file];
  int32_t cps[MAX_KEY_CHARS + 1];
  uint64_t b;
  long n = gw_terms_form_key(text, strlen(text), cps, MAX_KEY_CHARS, &b);
  if (n < 0) return bad(err, name, e->line, "a form longer than 63 characters: %s", text);
  if (n == 0) return bad(err, name, e->line, "a form without characters: '%s'", text);
  size_t found = key_lookup(c, cps, (size_t)n);
  if (found != GW_NO_OFFSET) {
    key_rec *k = &c->keys[found];
    if (k->term == term) { k->boundaries |= b; return GW_OK; }
    const term_entry *o = &t->entries[k->term];
    char what[200];
    snprintf(what, sizeof what, "'%s' is already a form of '%s' (%s:%zu)", text, o->text,
             t->files[o->file], o->line);
    return bad(err, name, e->line, "%s", what);
  }
  if (gw_terms_grow((void **)&c->keys, cap, c->key_count + 1, sizeof *c->keys))
    return gw_fail(err, GW_ENOMEM, "out of memory");
  key_rec *k = &c->keys[c->key_count];
  memset(k, 0, sizeof *k);
  k->cps = malloc((size_t)n * sizeof *cps);
  if (!k->cps) return gw_fail(err, GW_ENOMEM, "out of memory");
  memcpy(k->cps, cps, (size_t)n * sizeof *cps);
  k->len = (size_t)n;
  k->bytes = utf8_len_cps(cps, (size_t)n);
  k->term = term;
  k->form = form;
  k->boundaries = b;
  c->key_count++;
  /* Rehash when half full. */
  if (c->key_count * 2 > c->hash_cap) {
    size_t ncap = c->hash_cap ? c->hash_cap * 2 : 256;
    uint32_t *nh = calloc(ncap, sizeof *nh);
    if (!nh) return gw_fail(err, GW_ENOMEM, "out of memory");
    free(c->key_hash);
    c->key_hash = nh;
    c->hash_cap = ncap;
    for (size_t i = 0; i < c->key_count; i++) {
      size_t h = (size_t)hash_cps(c->keys[i].cps, c->keys[i].len) & (ncap - 1);
      while (nh[h]) h = (h + 1) & (ncap - 1);
      nh[h] = (uint32_t)(i + 1);
    }
  } else {
    size_t h = (size_t)hash_cps(cps, (size_t)n) & (c->hash_cap - 1);
    while (c->key_hash[h]) h = (h + 1) & (c->hash_cap - 1);
    c->key_hash[h] = (uint32_t)c->key_count;
  }
  return GW_OK;
}

/* Part keys: one per distinct part text, with its occurrences. */
static int build_parts(gw_terms *t, compiled *c) {
  size_t total = 0;
  for (size_t i = 0; i < t->count; i++)
    if (t->entries[i].part_count >= 2) total += t->entries[i].part_count;
  c->pkeys = calloc(total + 1, sizeof *c->pkeys);
  c->occs = calloc(total + 1, sizeof *c->occs);
  part_occ *tmp = calloc(total + 1, sizeof *tmp);
  size_t *key_of = calloc(total + 1, sizeof *key_of);
  if (!c->pkeys || !c->occs || !tmp || !key_of) { free(tmp); free(key_of); return GW_ENOMEM; }
  size_t m = 0;
  for (size_t i = 0; i < t->count; i++) {
    const term_entry *e = &t->entries[i];
    if (e->part_count < 2) continue;
    for (size_t p = 0; p < e->part_count; p++) {
      int32_t cps[MAX_KEY_CHARS + 1];
      uint64_t b;
      long n = gw_terms_form_key(e->parts[p], strlen(e->parts[p]), cps, MAX_KEY_CHARS, &b);
      if (n <= 0) continue;
      size_t k;
      for (k = 0; k < c->pkey_count; k++)
        if (c->pkeys[k].len == (size_t)n &&
            memcmp(c->pkeys[k].cps, cps, (size_t)n * sizeof *cps) == 0)
          break;
      if (k == c->pkey_count) {
        key_rec *r = &c->pkeys[c->pkey_count++];
        r->cps = malloc((size_t)n * sizeof *cps);
        if (!r->cps) { free(tmp); free(key_of); return GW_ENOMEM; }
        memcpy(r->cps, cps, (size_t)n * sizeof *cps);
        r->len = (size_t)n;
        r->bytes = utf8_len_cps(cps, (size_t)n);
      }
      tmp[m].term = i;
      tmp[m].part = p;
      key_of[m++] = k;
    }
  }
  /* Group occurrences by key. */
  size_t at = 0;
  for (size_t k = 0; k < c->pkey_count; k++) {
    c->pkeys[k].term = at;
    for (size_t j = 0; j < m; j++)
      if (key_of[j] == k) c->occs[at++] = tmp[j];
    c->pkeys[k].occ_count = at - c->pkeys[k].term;
  }
  c->occ_count = at;
  free(tmp);
  free(key_of);
  return GW_OK;
}

/* ------------------------------------------------------------------ */
/* Generated names                                                      */
/* ------------------------------------------------------------------ */

/* Generated entries follow the file entries; they are made again after
 * every file, since a later file may list a name itself. */
static void drop_generated(gw_terms *t) {
  for (size_t i = t->file_entries; i < t->count; i++) entry_free(&t->entries[i]);
  t->count = t->file_entries;
}

/* The generated name a file entry's canonical form is, when its kind was
 * requested (kind NONE otherwise). */
static gw_name entry_name(const gw_terms *t, const term_entry *e) {
  gw_name nm;
  int32_t cps[MAX_KEY_CHARS + 1];
  uint64_t b;
  long n = gw_terms_form_key(e->text, strlen(e->text), cps, MAX_KEY_CHARS, &b);
  if (n <= 0 || gw_name_at(cps, (size_t)n, 1, &nm) != (size_t)n ||
      !t->names[nm.kind].category)
    memset(&nm, 0, sizeof nm);
  return nm;
}

/* Five-year plans: the first two began in 1953 and 1958, the third (after
 * the 1963–65 adjustment) in 1966, and every one since five years later. */
static int plan_start(int number) {
  if (number == 1) return 1953;
  if (number == 2) return 1958;
  return 1966 + 5 * (number - 3);
}

static int add_generated(gw_terms *t, gw_name_kind kind, int number, int sub) {
  char text[64];
  gw_name_canonical(kind, number, sub, text);
  if (gw_terms_grow((void **)&t->entries, &t->cap, t->count + 1, sizeof *t->entries))
    return GW_ENOMEM;
  term_entry *e = &t->entries[t->count];
  memset(e, 0, sizeof *e);
  const names_request *rq = &t->names[kind];
  e->successor = GW_NO_OFFSET;
  e->file = rq->file;
  e->line = rq->line;
  e->text = dupn(text, strlen(text));
  e->category = dupn(rq->category, strlen(rq->category));
  e->note = dupn("", 0);
  if (!e->text || !e->category || !e->note || split_parts(e)) {
    entry_free(e);
    return GW_ENOMEM;
  }
  e->name.kind = kind;
  e->name.number = number;
  e->name.sub = sub;
  e->pub.generated = 1;
  t->count++;
  return GW_OK;
}

/* One entry per name of every requested kind that no file lists. */
static int generate_names(gw_terms *t) {
  unsigned char *listed = calloc(GW_TERMS_NAME_SLOTS, 1);
  if (!listed) return GW_ENOMEM;
  for (size_t i = 0; i < t->file_entries; i++) {
    term_entry *e = &t->entries[i];
    e->name = entry_name(t, e);
    size_t slot = gw_terms_name_slot(e->name.kind, e->name.number, e->name.sub);
    if (slot != GW_NO_OFFSET) listed[slot] = 1;
  }
  int rc = GW_OK;
  for (int kind = 1; kind < GW_NAME_KINDS && rc == GW_OK; kind++) {
    if (!t->names[kind].category) continue;
    int first = kind == GW_NAME_TWO_SESSIONS ? 0 : 1;
    int last = kind == GW_NAME_TWO_SESSIONS ? 0 : GW_NAME_MAX_NUMBER;
    int subs = kind == GW_NAME_PLENUM ? 9 : kind == GW_NAME_LOCAL_CONGRESS ? GW_LEVEL_COUNTY : 0;
    for (int number = first; number <= last && rc == GW_OK; number++)
      for (int sub = kind == GW_NAME_PLENUM ? 1 : 0; sub <= subs && rc == GW_OK; sub++)
        if (!listed[gw_terms_name_slot((gw_name_kind)kind, number, sub)])
          rc = add_generated(t, (gw_name_kind)kind, number, sub);
  }
  /* A five-year plan's years follow from its number. */
  for (size_t i = 0; i < t->count; i++) {
    term_entry *e = &t->entries[i];
    if (e->name.kind != GW_NAME_FIVE_YEAR_PLAN) continue;
    if (!e->pub.introduced) e->pub.introduced = plan_start(e->name.number);
    if (!e->pub.ended) e->pub.ended = e->pub.introduced + 4;
  }
  free(listed);
  return rc;
}

/* The names' lookup table; a congress, plenum or all plenums of a term is
 * succeeded by the next congress, once the file gives that one's date. */
static int build_name_table(gw_terms *t, compiled *c) {
  int any = 0;
  for (int k = 1; k < GW_NAME_KINDS; k++) any |= t->names[k].category != NULL;
  if (!any) return GW_OK;
  c->name_term = malloc(GW_TERMS_NAME_SLOTS * sizeof *c->name_term);
  if (!c->name_term) return GW_ENOMEM;
  for (size_t s = 0; s < GW_TERMS_NAME_SLOTS; s++) c->name_term[s] = GW_NO_OFFSET;
  for (size_t i = 0; i < t->count; i++) {
    const gw_name *nm = &t->entries[i].name;
    size_t slot = gw_terms_name_slot(nm->kind, nm->number, nm->sub);
    if (slot != GW_NO_OFFSET && c->name_term[slot] == GW_NO_OFFSET) c->name_term[slot] = i;
  }
  for (size_t i = 0; i < t->count; i++) {
    term_entry *e = &t->entries[i];
    if (e->superseded || (e->name.kind != GW_NAME_CONGRESS && e->name.kind != GW_NAME_PLENUM &&
                          e->name.kind != GW_NAME_ALL_PLENUMS))
      continue;
    size_t slot = gw_terms_name_slot(GW_NAME_CONGRESS, e->name.number + 1, 0);
    size_t next = slot == GW_NO_OFFSET ? GW_NO_OFFSET : c->name_term[slot];
    if (next != GW_NO_OFFSET && t->entries[next].pub.introduced) e->successor = next;
  }
  return GW_OK;
}

size_t gw_terms_name_term(const gw_terms *t, const int32_t *cps, size_t n, size_t *length) {
  *length = 0;
  if (!t->c.name_term) return GW_NO_OFFSET;
  gw_name nm;
  if (!gw_name_at(cps, n, 1, &nm)) return GW_NO_OFFSET;
  size_t slot = gw_terms_name_slot(nm.kind, nm.number, nm.sub);
  if (slot == GW_NO_OFFSET || t->c.name_term[slot] == GW_NO_OFFSET) return GW_NO_OFFSET;
  *length = nm.length;
  return t->c.name_term[slot];
}

static int compile(gw_terms *t, compiled *c, gw_error *err) {
  memset(c, 0, sizeof *c);
  size_t cap = 0;
  int rc;
  /* Generated names are found by pattern (gw_terms_name_term), not keys. */
  for (size_t i = 0; i < t->file_entries; i++) {
    term_entry *e = &t->entries[i];
    if ((rc = add_key(t, c, &cap, i, 0, e->text, err))) return rc;
    for (size_t v = 0; v < e->pub.variant_count; v++)
      if ((rc = add_key(t, c, &cap, i, v + 1, e->variants[v], err))) return rc;
  }
  /* superseded_by names a term with an introduced year. */
  for (size_t i = 0; i < t->count; i++) {
    term_entry *e = &t->entries[i];
    e->successor = GW_NO_OFFSET;
    if (!e->superseded) continue;
    int32_t cps[MAX_KEY_CHARS + 1];
    uint64_t b;
    long n = gw_terms_form_key(e->superseded, strlen(e->superseded), cps, MAX_KEY_CHARS, &b);
    size_t k = n > 0 ? key_lookup(c, cps, (size_t)n) : GW_NO_OFFSET;
    if (k == GW_NO_OFFSET)
      return bad(err, t->files[e->file], e->line,
                 "superseded_by '%s' is not a term of the dictionary", e->superseded);
    e->successor = c->keys[k].term;
    if (e->successor == i)
      return bad(err, t->files[e->file], e->line, "a term cannot supersede itself%s", NULL);
    if (!t->entries[e->successor].pub.introduced)
      return bad(err, t->files[e->file], e->line,
                 "superseded_by '%s' has no introduced year", e->superseded);
  }
  if ((rc = build_name_table(t, c))) return gw_fail(err, rc, "out of memory");
  if ((rc = build_parts(t, c))) return gw_fail(err, rc, "out of memory");
  rc = gw_terms_build_classes(c);
  if (rc == GW_EINVAL) return gw_fail(err, GW_EINVAL, "too many distinct characters in the terms");
  if (rc) return gw_fail(err, rc, "out of memory");
  if ((rc = gw_terms_build_automaton(&c->terms_ac, c, c->keys, c->key_count)) ||
      (rc = gw_terms_build_automaton(&c->parts_ac, c, c->pkeys, c->pkey_count)) ||
      (rc = gw_terms_build_cp_info(c)))
    return gw_fail(err, rc, "out of memory");
  return GW_OK;
}

/* Publish the entries' strings through their gw_term. */
static void publish(gw_terms *t) {
  for (size_t i = 0; i < t->count; i++) {
    term_entry *e = &t->entries[i];
    e->pub.text = e->text;
    e->pub.category = e->category;
    e->pub.note = e->note;
    e->pub.superseded_by =
        e->successor != GW_NO_OFFSET ? t->entries[e->successor].text : NULL;
  }
}

/* ------------------------------------------------------------------ */
/* Public: loading                                                      */
/* ------------------------------------------------------------------ */

int gw_terms_new(gw_terms **out, gw_error *err) {
  if (!out) return gw_fail(err, GW_EINVAL, "gw_terms_new: out is NULL");
  /* Nothing to compile yet: the zeroed compiled dictionary has no keys,
   * no automaton (the scan returns at once) and no names; the first file
   * added compiles it. */
  *out = calloc(1, sizeof **out);
  if (!*out) return gw_fail(err, GW_ENOMEM, "out of memory");
  return GW_OK;
}

void gw_terms_free(gw_terms *t) {
  if (!t) return;
  for (int k = 0; k < GW_NAME_KINDS; k++) free(t->names[k].category);
  for (size_t i = 0; i < t->count; i++) entry_free(&t->entries[i]);
  free(t->entries);
  for (size_t i = 0; i < t->file_count; i++) free(t->files[i]);
  free(t->files);
  compiled_free(&t->c);
  free(t);
}

int gw_terms_add_buffer(gw_terms *t, const char *name, const char *text,
                        size_t len, gw_error *err) {
  if (!t || (!text && len)) return gw_fail(err, GW_EINVAL, "gw_terms_add_buffer: invalid argument");
  if (!name) name = "<buffer>";
  char **files = realloc(t->files, (t->file_count + 1) * sizeof *files);
  if (!files) return gw_fail(err, GW_ENOMEM, "out of memory");
  t->files = files;
  t->files[t->file_count] = dupn(name, strlen(name));
  if (!t->files[t->file_count]) return gw_fail(err, GW_ENOMEM, "out of memory");
  size_t file = t->file_count++;
  drop_generated(t);
  size_t old = t->count, pos = 0, lineno = 0;
  names_request before[GW_NAME_KINDS];
  memcpy(before, t->names, sizeof before);
  file_state fs = {1, 0};
  int rc = GW_OK;
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) pos = 3;
  while (pos < len && rc == GW_OK) {
    lineno++;
    const char *nl = memchr(text + pos, '\n', len - pos);
    size_t line_len = nl ? (size_t)(nl - (text + pos)) : len - pos;
    /* Fields are read as C strings: a NUL would cut one short, silently. */
    if (memchr(text + pos, '\0', line_len))
      rc = bad(err, name, lineno, "a NUL byte in the line (not a text file?)%s", NULL);
    else
      rc = parse_line(t, &fs, name, file, lineno, text + pos, line_len, err);
    pos += line_len + 1;
  }
  if (rc == GW_OK) t->file_entries = t->count;
  if (rc == GW_OK && (rc = generate_names(t)))
    gw_fail(err, rc, "%s: out of memory", name);
  compiled c;
  memset(&c, 0, sizeof c);
  if (rc == GW_OK) rc = compile(t, &c, err);
  if (rc) {
    compiled_free(&c);
    drop_generated(t);
    for (size_t i = old; i < t->count; i++) entry_free(&t->entries[i]);
    t->count = t->file_entries = old;
    for (int k = 0; k < GW_NAME_KINDS; k++)
      if (t->names[k].category != before[k].category) free(t->names[k].category);
    memcpy(t->names, before, sizeof before);
    /* Restore the generated names and the successors of the old entries. */
    compiled again;
    memset(&again, 0, sizeof again);
    if (generate_names(t) == GW_OK && compile(t, &again, NULL) == GW_OK) {
      compiled_free(&t->c);
      t->c = again;
    } else {
      compiled_free(&again);
    }
    publish(t);
    return rc;
  }
  compiled_free(&t->c);
  t->c = c;
  publish(t);
  return GW_OK;
}

int gw_terms_add_file(gw_terms *t, const char *path, gw_error *err) {
  if (!t || !path) return gw_fail(err, GW_EINVAL, "gw_terms_add_file: invalid argument");
  char *buf;
  size_t len;
  int rc = gw_slurp(path, &buf, &len, err);
  if (rc) return rc;
  rc = gw_terms_add_buffer(t, path, buf, len, err);
  free(buf);
  return rc;
}

int gw_terms_load_file(gw_terms **out, const char *path, gw_error *err) {
  int rc = gw_terms_new(out, err);
  if (rc) return rc;
  rc = gw_terms_add_file(*out, path, err);
  if (rc) { gw_terms_free(*out); *out = NULL; }
  return rc;
}

size_t gw_terms_term_count(const gw_terms *t) { return t ? t->count : 0; }

const gw_term *gw_terms_term_at(const gw_terms *t, size_t index) {
  return t && index < t->count ? &t->entries[index].pub : NULL;
}

const char *gw_terms_variant_at(const gw_terms *t, size_t index, size_t k) {
  if (!t || index >= t->count || k >= t->entries[index].pub.variant_count) return NULL;
  return t->entries[index].variants[k];
}

const char *gw_terms_part_at(const gw_terms *t, size_t index, size_t k) {
  if (!t || index >= t->count) return NULL;
  const term_entry *e = &t->entries[index];
  if (e->part_count < 2) return k == 0 ? e->text : NULL;
  return k < e->part_count ? e->parts[k] : NULL;
}

size_t gw_terms_find(const gw_terms *t, const char *text, size_t len) {
  if (!t || !text) return GW_NO_OFFSET;
  int32_t cps[MAX_KEY_CHARS + 1];
  uint64_t b;
  long n = gw_terms_form_key(text, len, cps, MAX_KEY_CHARS, &b);
  if (n <= 0) return GW_NO_OFFSET;
  size_t k = key_lookup(&t->c, cps, (size_t)n);
  if (k != GW_NO_OFFSET) return t->c.keys[k].term;
  size_t name_len, term = gw_terms_name_term(t, cps, (size_t)n, &name_len);
  return name_len == (size_t)n ? term : GW_NO_OFFSET;
}

const char *gw_term_match_kind_name(gw_term_match_kind kind) {
  switch (kind) {
  case GW_TERM_COUNTED: return "counted";
  case GW_TERM_NESTED: return "nested";
  case GW_TERM_OVERLAPPING: return "overlapping";
  }
  return "unknown";
}

