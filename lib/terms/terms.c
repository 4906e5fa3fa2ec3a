/*
 * terms.c — policy terms and fixed formulations (dict/terms.tsv): the term
 * dictionary, its matcher, and the matching of a document.
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
 * Matching
 * --------
 * Every form (canonical and variants) is reduced to a key: its code points
 * without separators.  Part separators (、 ， , ； ;) inside a form mark the
 * boundaries between the parts of a fixed formulation; transparent
 * separators (spaces, quotes “”‘’"' 「」, 《》〈〉) are ignored anywhere.
 * The keys go into an Aho-Corasick automaton over character classes (the
 * code points that occur in some key; every other code point is class 0 and
 * sends the automaton back to its root).  The scan skips separators, so
 * 同部署、同落实 and 同部署同落实 reach the same state; a hit is then kept
 * only if every part separator inside it stands on a part boundary of its
 * key.  All hits are collected (through the dictionary-suffix links) and
 * selected leftmost-longest: a hit starting at or after the end of the last
 * counted one is counted; one inside it is nested; one crossing its end is
 * overlapping.
 *
 * The parts of the multi-part formulations go into a second automaton, used
 * to find quotations with a part missing, reordered or altered (see
 * find_broken below).  The report's year for outdated formulations is read
 * from the text (gw_terms_document_year).
 *
 * Speed: the root's transitions are a dense array over the classes; every
 * other state's are in one hash table keyed by (state, class).  The
 * compiled gw_terms is never written by matching: any number of threads may
 * match with it at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "stages.h"
#include "wordlist.h"

#define MAX_KEY_CHARS 63
#define MAX_PARTS 32
#define RING 64 /* > MAX_KEY_CHARS, power of two */

enum { SEP_NONE = 0, SEP_PART = 1, SEP_TRANSPARENT = 2 };
#define CLS_PART 0xFFFFu
#define CLS_TRANSPARENT 0xFFFEu
#define CLS_MAX 0xFFF0u

static int sep_kind(int32_t cp) {
  switch (cp) {
  case 0x3001: case 0xFF0C: case ',': case 0xFF1B: case ';':
    return SEP_PART;
  case ' ': case '\t': case 0x3000: case 0x201C: case 0x201D: case 0x2018:
  case 0x2019: case '"': case '\'': case 0x300A: case 0x300B: case 0x300C:
  case 0x300D: case 0x3008: case 0x3009:
    return SEP_TRANSPARENT;
  default:
    return SEP_NONE;
  }
}

/* ------------------------------------------------------------------ */
/* Data                                                                 */
/* ------------------------------------------------------------------ */

typedef struct term_entry {
  gw_term pub;
  char *text, *category, *superseded, *note;
  char **variants;
  char **parts;
  size_t part_count;
  size_t successor; /* resolved superseded_by, or GW_NO_OFFSET */
  size_t file;      /* index in gw_terms.files */
  size_t line;
} term_entry;

typedef struct key_rec {
  int32_t *cps;
  size_t len;          /* code points */
  size_t bytes;        /* UTF-8 length */
  size_t term, form;   /* parts automaton: first occurrence index */
  size_t occ_count;    /* parts automaton: occurrences */
  uint64_t boundaries; /* bit i: a part separator may stand before char i */
} key_rec;

typedef struct part_occ {
  size_t term, part;
} part_occ;

typedef struct automaton {
  uint32_t *first;   /* node n's edges: [first[n], first[n+1]) */
  uint32_t *edge_cls;
  uint32_t *edge_to;
  uint32_t *fail;
  int32_t *out;      /* key ending here, or -1 */
  uint32_t *out_link; /* next state on the fail chain with an output, 0: none */
  uint32_t *root_next; /* per class */
  size_t nodes, edges;
  /* The edges of every state but the root again, hashed by (state, class):
   * one probe where a binary search over the edges took several. */
  struct edge_slot { uint64_t key; uint32_t to; } *slots; /* key 0: empty */
  uint64_t slot_mask;
  unsigned slot_shift;
} automaton;

typedef struct compiled {
  key_rec *keys;
  size_t key_count;
  key_rec *pkeys;
  size_t pkey_count;
  part_occ *occs; /* grouped by part key */
  size_t occ_count;
  uint32_t *key_hash; /* open addressing: key index + 1, 0 empty */
  size_t hash_cap;
  uint16_t *cls_bmp;  /* 65536 */
  int32_t *astral_cp;
  uint32_t *astral_cls;
  size_t astral_count;
  uint32_t class_count;
  automaton terms_ac, parts_ac;
} compiled;

struct gw_terms {
  term_entry *entries;
  size_t count, cap;
  char **files;
  size_t file_count;
  compiled c;
};

/* ------------------------------------------------------------------ */
/* Small helpers                                                        */
/* ------------------------------------------------------------------ */

static char *dupn(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (!d) return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

static int grow(void **p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return 0;
  size_t c = *cap ? *cap : 16;
  while (c < need) c *= 2;
  void *q = realloc(*p, c * size);
  if (!q) return -1;
  *p = q;
  *cap = c;
  return 0;
}

/* Code points of s[0..n) into out (at most max); returns the count or -1
 * when more than max.  Separators are dropped; part separators set bits. */
static long form_key(const char *s, size_t n, int32_t *out, size_t max,
                     uint64_t *boundaries) {
  size_t k = 0;
  *boundaries = 0;
  for (size_t i = 0; i < n;) {
    int32_t cp;
    i += gw_utf8_next((const unsigned char *)s + i, n - i, &cp);
    int sk = sep_kind(cp);
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

static void automaton_free(automaton *a) {
  free(a->first);
  free(a->edge_cls);
  free(a->edge_to);
  free(a->fail);
  free(a->out);
  free(a->out_link);
  free(a->root_next);
  free(a->slots);
  memset(a, 0, sizeof *a);
}

static void compiled_free(compiled *c) {
  for (size_t i = 0; i < c->key_count; i++) free(c->keys[i].cps);
  free(c->keys);
  for (size_t i = 0; i < c->pkey_count; i++) free(c->pkeys[i].cps);
  free(c->pkeys);
  free(c->occs);
  free(c->key_hash);
  free(c->cls_bmp);
  free(c->astral_cp);
  free(c->astral_cls);
  automaton_free(&c->terms_ac);
  automaton_free(&c->parts_ac);
  memset(c, 0, sizeof *c);
}

/* ------------------------------------------------------------------ */
/* Parsing                                                              */
/* ------------------------------------------------------------------ */

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
    int sk = i < n ? sep_kind(cp) : SEP_PART;
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

static int parse_line(gw_terms *t, const char *name, size_t file, size_t lineno,
                      const char *line, size_t len, gw_error *err) {
  if (len > 0 && line[len - 1] == '\r') len--;
  size_t i = 0;
  while (i < len && (line[i] == ' ' || line[i] == '\t')) i++;
  if (i == len || line[0] == '#') return GW_OK;
  if (!gw_valid_utf8(line, len)) return bad(err, name, lineno, "invalid UTF-8%s", NULL);
  const char *field[7];
  size_t flen[7], nf = 0;
  size_t start = 0;
  for (size_t k = 0; k <= len; k++) {
    if (k == len || line[k] == '\t') {
      if (nf == 6)
        return bad(err, name, lineno,
                   "too many columns (expected term, category, variants, "
                   "introduced, superseded_by, note)%s", NULL);
      field[nf] = line + start;
      flen[nf++] = k - start;
      start = k + 1;
    }
  }
  if (nf < 2) return bad(err, name, lineno, "expected TERM<TAB>CATEGORY[<TAB>…]%s", NULL);
  for (size_t k = 0; k < 2; k++)
    if (flen[k] == 0)
      return bad(err, name, lineno, "empty %s", k == 0 ? "term" : "category");
  for (size_t k = 0; k < nf; k++)
    if (has_edge_space(field[k], flen[k]))
      return bad(err, name, lineno, "a column begins or ends with a space%s", NULL);
  int year = 0;
  if (nf > 3 && flen[3]) {
    if (flen[3] != 4)
      return bad(err, name, lineno, "introduced must be a year like 2022%s", NULL);
    for (size_t k = 0; k < 4; k++) {
      if (field[3][k] < '0' || field[3][k] > '9')
        return bad(err, name, lineno, "introduced must be a year like 2022%s", NULL);
      year = year * 10 + (field[3][k] - '0');
    }
    if (year < 1900 || year > 2100)
      return bad(err, name, lineno, "introduced year out of range (1900-2100)%s", NULL);
  }
  if (grow((void **)&t->entries, &t->cap, t->count + 1, sizeof *t->entries))
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
  t->count++;
  return GW_OK;
fail:
  entry_free(e);
  return gw_fail(err, rc, "%s: out of memory", name);
}

/* ------------------------------------------------------------------ */
/* Building the automata                                                */
/* ------------------------------------------------------------------ */

typedef struct tnode {
  uint32_t *cls, *to;
  uint32_t n, cap;
  int32_t out;
} tnode;

typedef struct trie {
  tnode *nodes;
  size_t count, cap;
} trie;

static void trie_free(trie *tr) {
  for (size_t i = 0; i < tr->count; i++) {
    free(tr->nodes[i].cls);
    free(tr->nodes[i].to);
  }
  free(tr->nodes);
}

static long trie_new_node(trie *tr) {
  if (grow((void **)&tr->nodes, &tr->cap, tr->count + 1, sizeof *tr->nodes)) return -1;
  memset(&tr->nodes[tr->count], 0, sizeof *tr->nodes);
  tr->nodes[tr->count].out = -1;
  return (long)tr->count++;
}

static long child_of(const tnode *nd, uint32_t c) {
  uint32_t lo = 0, hi = nd->n;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (nd->cls[mid] < c) lo = mid + 1;
    else hi = mid;
  }
  return lo < nd->n && nd->cls[lo] == c ? (long)nd->to[lo] : -(long)lo - 1;
}

static uint32_t class_of(const compiled *c, int32_t cp) {
  if (cp < 0) return 0;
  if (cp < 0x10000) return c->cls_bmp[cp];
  size_t lo = 0, hi = c->astral_count;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (c->astral_cp[mid] < cp) lo = mid + 1;
    else hi = mid;
  }
  return lo < c->astral_count && c->astral_cp[lo] == cp ? c->astral_cls[lo] : 0;
}

static int trie_insert(trie *tr, const compiled *c, const key_rec *k, int32_t id) {
  uint32_t node = 0;
  for (size_t i = 0; i < k->len; i++) {
    uint32_t cl = class_of(c, k->cps[i]);
    tnode *nd = &tr->nodes[node];
    long ch = child_of(nd, cl);
    if (ch < 0) {
      uint32_t pos = (uint32_t)(-ch - 1);
      long nn = trie_new_node(tr);
      if (nn < 0) return GW_ENOMEM;
      nd = &tr->nodes[node];
      size_t cap = nd->cap;
      if (grow((void **)&nd->cls, &cap, nd->n + 1, sizeof *nd->cls)) return GW_ENOMEM;
      cap = nd->cap;
      if (grow((void **)&nd->to, &cap, nd->n + 1, sizeof *nd->to)) return GW_ENOMEM;
      nd->cap = (uint32_t)cap;
      memmove(nd->cls + pos + 1, nd->cls + pos, (nd->n - pos) * sizeof *nd->cls);
      memmove(nd->to + pos + 1, nd->to + pos, (nd->n - pos) * sizeof *nd->to);
      nd->cls[pos] = cl;
      nd->to[pos] = (uint32_t)nn;
      nd->n++;
      ch = nn;
    }
    node = (uint32_t)ch;
  }
  tr->nodes[node].out = id;
  return GW_OK;
}

static long ac_goto(const automaton *a, uint32_t s, uint32_t cl) {
  uint32_t lo = a->first[s], hi = a->first[s + 1];
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (a->edge_cls[mid] < cl) lo = mid + 1;
    else hi = mid;
  }
  return lo < a->first[s + 1] && a->edge_cls[lo] == cl ? (long)a->edge_to[lo] : -1;
}

static int build_automaton(automaton *a, const compiled *c, const key_rec *keys,
                           size_t nkeys) {
  trie tr = {0};
  int rc = GW_ENOMEM;
  if (trie_new_node(&tr) < 0) goto done;
  for (size_t i = 0; i < nkeys; i++)
    if ((rc = trie_insert(&tr, c, &keys[i], (int32_t)i))) goto done;
  rc = GW_ENOMEM;
  size_t n = tr.count, edges = 0;
  for (size_t i = 0; i < n; i++) edges += tr.nodes[i].n;
  a->nodes = n;
  a->edges = edges;
  a->first = malloc((n + 1) * sizeof *a->first);
  a->edge_cls = malloc((edges + 1) * sizeof *a->edge_cls);
  a->edge_to = malloc((edges + 1) * sizeof *a->edge_to);
  a->fail = calloc(n, sizeof *a->fail);
  a->out = malloc(n * sizeof *a->out);
  a->out_link = calloc(n, sizeof *a->out_link);
  a->root_next = calloc((size_t)c->class_count + 1, sizeof *a->root_next);
  uint32_t *queue = malloc(n * sizeof *queue);
  if (!a->first || !a->edge_cls || !a->edge_to || !a->fail || !a->out ||
      !a->out_link || !a->root_next || !queue) {
    free(queue);
    goto done;
  }
  size_t e = 0;
  for (size_t i = 0; i < n; i++) {
    a->first[i] = (uint32_t)e;
    if (tr.nodes[i].n) {
      memcpy(a->edge_cls + e, tr.nodes[i].cls, tr.nodes[i].n * sizeof *a->edge_cls);
      memcpy(a->edge_to + e, tr.nodes[i].to, tr.nodes[i].n * sizeof *a->edge_to);
    }
    e += tr.nodes[i].n;
    a->out[i] = tr.nodes[i].out;
  }
  a->first[n] = (uint32_t)e;
  /* Breadth-first: failure and output links. */
  size_t qh = 0, qt = 0;
  for (uint32_t k = a->first[0]; k < a->first[1]; k++) {
    a->root_next[a->edge_cls[k]] = a->edge_to[k];
    a->fail[a->edge_to[k]] = 0;
    queue[qt++] = a->edge_to[k];
  }
  while (qh < qt) {
    uint32_t u = queue[qh++];
    for (uint32_t k = a->first[u]; k < a->first[u + 1]; k++) {
      uint32_t v = a->edge_to[k], cl = a->edge_cls[k];
      uint32_t f = a->fail[u];
      long g;
      for (;;) {
        g = f ? ac_goto(a, f, cl) : (long)a->root_next[cl];
        if (g > 0 || f == 0) break;
        f = a->fail[f];
      }
      a->fail[v] = g > 0 && (uint32_t)g != v ? (uint32_t)g : 0;
      uint32_t fv = a->fail[v];
      a->out_link[v] = a->out[fv] >= 0 ? fv : a->out_link[fv];
      queue[qt++] = v;
    }
  }
  free(queue);
  /* The transition hash. */
  unsigned bits = 4;
  while (((size_t)1 << bits) < 2 * edges + 2) bits++;
  a->slots = calloc((size_t)1 << bits, sizeof *a->slots);
  if (!a->slots) goto done;
  a->slot_mask = ((uint64_t)1 << bits) - 1;
  a->slot_shift = 64 - bits;
  for (size_t st = 1; st < n; st++)
    for (uint32_t k = a->first[st]; k < a->first[st + 1]; k++) {
      uint64_t key = ((uint64_t)st << 16) | a->edge_cls[k];
      uint64_t h = (key * 0x9E3779B97F4A7C15ull) >> a->slot_shift;
      while (a->slots[h].key) h = (h + 1) & a->slot_mask;
      a->slots[h].key = key;
      a->slots[h].to = a->edge_to[k];
    }
  rc = GW_OK;
done:
  trie_free(&tr);
  return rc;
}

/* Assign a class to every code point of the keys. */
static int build_classes(compiled *c) {
  c->cls_bmp = calloc(65536, sizeof *c->cls_bmp);
  if (!c->cls_bmp) return GW_ENOMEM;
  size_t astral_cap = 0;
  uint32_t next = 1;
  for (size_t i = 0; i < c->key_count; i++) {
    const key_rec *k = &c->keys[i];
    for (size_t j = 0; j < k->len; j++) {
      int32_t cp = k->cps[j];
      if (cp < 0x10000) {
        if (!c->cls_bmp[cp]) {
          if (next >= CLS_MAX) return GW_EINVAL;
          c->cls_bmp[cp] = (uint16_t)next++;
        }
        continue;
      }
      size_t lo = 0, hi = c->astral_count;
      while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->astral_cp[mid] < cp) lo = mid + 1;
        else hi = mid;
      }
      if (lo < c->astral_count && c->astral_cp[lo] == cp) continue;
      size_t cap2 = astral_cap;
      if (grow((void **)&c->astral_cp, &astral_cap, c->astral_count + 1, sizeof *c->astral_cp) ||
          grow((void **)&c->astral_cls, &cap2, c->astral_count + 1, sizeof *c->astral_cls))
        return GW_ENOMEM;
      memmove(c->astral_cp + lo + 1, c->astral_cp + lo, (c->astral_count - lo) * sizeof *c->astral_cp);
      memmove(c->astral_cls + lo + 1, c->astral_cls + lo, (c->astral_count - lo) * sizeof *c->astral_cls);
      c->astral_cp[lo] = cp;
      c->astral_cls[lo] = next++;
      c->astral_count++;
    }
  }
  for (int32_t cp = 0; cp < 0x10000; cp++) {
    int sk = sep_kind(cp);
    if (sk == SEP_PART) c->cls_bmp[cp] = (uint16_t)CLS_PART;
    else if (sk == SEP_TRANSPARENT) c->cls_bmp[cp] = (uint16_t)CLS_TRANSPARENT;
  }
  c->class_count = next;
  return GW_OK;
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
  long n = form_key(text, strlen(text), cps, MAX_KEY_CHARS, &b);
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
  if (grow((void **)&c->keys, cap, c->key_count + 1, sizeof *c->keys))
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
      long n = form_key(e->parts[p], strlen(e->parts[p]), cps, MAX_KEY_CHARS, &b);
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

static int compile(gw_terms *t, compiled *c, gw_error *err) {
  memset(c, 0, sizeof *c);
  size_t cap = 0;
  int rc;
  for (size_t i = 0; i < t->count; i++) {
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
    long n = form_key(e->superseded, strlen(e->superseded), cps, MAX_KEY_CHARS, &b);
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
  if ((rc = build_parts(t, c))) return gw_fail(err, rc, "out of memory");
  rc = build_classes(c);
  if (rc == GW_EINVAL) return gw_fail(err, GW_EINVAL, "too many distinct characters in the terms");
  if (rc) return gw_fail(err, rc, "out of memory");
  if ((rc = build_automaton(&c->terms_ac, c, c->keys, c->key_count)) ||
      (rc = build_automaton(&c->parts_ac, c, c->pkeys, c->pkey_count)))
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
  *out = calloc(1, sizeof **out);
  if (!*out) return gw_fail(err, GW_ENOMEM, "out of memory");
  compiled c;
  int rc = compile(*out, &c, err);
  if (rc) { compiled_free(&c); free(*out); *out = NULL; return rc; }
  (*out)->c = c;
  return GW_OK;
}

void gw_terms_free(gw_terms *t) {
  if (!t) return;
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
  size_t old = t->count, pos = 0, lineno = 0;
  int rc = GW_OK;
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) pos = 3;
  while (pos < len && rc == GW_OK) {
    lineno++;
    const char *nl = memchr(text + pos, '\n', len - pos);
    size_t line_len = nl ? (size_t)(nl - (text + pos)) : len - pos;
    rc = parse_line(t, name, file, lineno, text + pos, line_len, err);
    pos += line_len + 1;
  }
  compiled c;
  memset(&c, 0, sizeof c);
  if (rc == GW_OK) rc = compile(t, &c, err);
  if (rc) {
    compiled_free(&c);
    for (size_t i = old; i < t->count; i++) entry_free(&t->entries[i]);
    t->count = old;
    /* Restore the successors of the old entries. */
    compiled again;
    if (compile(t, &again, NULL) == GW_OK) {
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

int gw_terms_load(gw_terms **out, const char *path, gw_error *err) {
  int rc = gw_terms_new(out, err);
  if (rc) return rc;
  rc = gw_terms_add_file(*out, path, err);
  if (rc) { gw_terms_free(*out); *out = NULL; }
  return rc;
}

size_t gw_terms_count(const gw_terms *t) { return t ? t->count : 0; }

const gw_term *gw_terms_get(const gw_terms *t, size_t index) {
  return t && index < t->count ? &t->entries[index].pub : NULL;
}

const char *gw_terms_variant(const gw_terms *t, size_t index, size_t k) {
  if (!t || index >= t->count || k >= t->entries[index].pub.variant_count) return NULL;
  return t->entries[index].variants[k];
}

const char *gw_terms_part(const gw_terms *t, size_t index, size_t k) {
  if (!t || index >= t->count) return NULL;
  const term_entry *e = &t->entries[index];
  if (e->part_count < 2) return k == 0 ? e->text : NULL;
  return k < e->part_count ? e->parts[k] : NULL;
}

size_t gw_terms_find(const gw_terms *t, const char *text, size_t len) {
  if (!t || !text) return GW_NO_OFFSET;
  int32_t cps[MAX_KEY_CHARS + 1];
  uint64_t b;
  long n = form_key(text, len, cps, MAX_KEY_CHARS, &b);
  if (n <= 0) return GW_NO_OFFSET;
  size_t k = key_lookup(&t->c, cps, (size_t)n);
  return k == GW_NO_OFFSET ? GW_NO_OFFSET : t->c.keys[k].term;
}

const char *gw_term_match_kind_name(gw_term_match_kind kind) {
  switch (kind) {
  case GW_TERM_COUNTED: return "counted";
  case GW_TERM_NESTED: return "nested";
  case GW_TERM_OVERLAPPING: return "overlapping";
  }
  return "unknown";
}

/* ------------------------------------------------------------------ */
/* Scanning                                                             */
/* ------------------------------------------------------------------ */

typedef struct hit {
  size_t start, end; /* offsets in the scanned text */
  size_t key;
} hit;

typedef struct hits {
  hit *v;
  size_t n, cap;
} hits;

/* Every part separator inside text[start, end) stands on a boundary. */
static int valid_hit(const char *s, size_t start, size_t end, const key_rec *k) {
  if (end - start == k->bytes) return 1;
  size_t count = 0;
  for (size_t i = start; i < end;) {
    int32_t cp;
    i += gw_utf8_next((const unsigned char *)s + i, end - i, &cp);
    int sk = sep_kind(cp);
    if (sk == SEP_NONE) count++;
    else if (sk == SEP_PART && (count >= 64 || !(k->boundaries >> count & 1)))
      return 0;
  }
  return 1;
}

static int scan(const compiled *c, const automaton *a, const key_rec *keys,
                const char *s, size_t len, hits *out) {
  if (!a->nodes || !len) return GW_OK;
  const unsigned char *u = (const unsigned char *)s;
  size_t ring[RING];
  size_t ci = 0;
  uint32_t state = 0;
  for (size_t i = 0; i < len;) {
    int32_t cp;
    size_t k;
    unsigned b = u[i];
    if (b < 0x80) { cp = (int32_t)b; k = 1; }
    else if ((b & 0xF0) == 0xE0 && i + 2 < len + 0 && (u[i + 1] & 0xC0) == 0x80 &&
             (u[i + 2] & 0xC0) == 0x80) {
      cp = (int32_t)(((b & 0x0F) << 12) | ((u[i + 1] & 0x3F) << 6) | (u[i + 2] & 0x3F));
      k = 3;
    } else {
      k = gw_utf8_next(u + i, len - i, &cp);
    }
    uint32_t cl = cp >= 0 && cp < 0x10000 ? c->cls_bmp[cp] : class_of(c, cp);
    if (cl >= CLS_TRANSPARENT) { i += k; continue; }
    ring[ci & (RING - 1)] = i;
    ci++;
    if (cl == 0) { state = 0; i += k; continue; }
    for (;;) {
      if (state == 0) { state = a->root_next[cl]; break; }
      uint64_t key = ((uint64_t)state << 16) | cl;
      uint64_t h = (key * 0x9E3779B97F4A7C15ull) >> a->slot_shift;
      while (a->slots[h].key && a->slots[h].key != key) h = (h + 1) & a->slot_mask;
      if (a->slots[h].key) { state = a->slots[h].to; break; }
      state = a->fail[state];
    }
    i += k;
    if (!state) continue;
    uint32_t o = a->out[state] >= 0 ? state : a->out_link[state];
    while (o) {
      const key_rec *kr = &keys[a->out[o]];
      size_t start = ring[(ci - kr->len) & (RING - 1)];
      if (valid_hit(s, start, i, kr)) {
        if (grow((void **)&out->v, &out->cap, out->n + 1, sizeof *out->v)) return GW_ENOMEM;
        out->v[out->n].start = start;
        out->v[out->n].end = i;
        out->v[out->n].key = (size_t)a->out[o];
        out->n++;
      }
      o = a->out_link[o];
    }
  }
  return GW_OK;
}

static int hit_cmp(const void *a, const void *b) {
  const hit *x = a, *y = b;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  if (x->end != y->end) return x->end > y->end ? -1 : 1;
  return x->key < y->key ? -1 : x->key > y->key;
}

/* ------------------------------------------------------------------ */
/* Results                                                              */
/* ------------------------------------------------------------------ */

struct gw_term_result {
  gw_term_match *matches;
  size_t match_count, match_cap;
  gw_broken_formulation *broken;
  size_t broken_count, broken_cap;
  gw_outdated_formulation *outdated;
  size_t outdated_count, outdated_cap;
  int year;
  /* Scratch kept for gw_terms_rematch: the hits and paragraph starts. */
  hits th, ph;
  size_t *pstart;
  size_t pstart_cap;
};

void gw_term_result_free(gw_term_result *r) {
  if (!r) return;
  free(r->matches);
  free(r->broken);
  free(r->outdated);
  free(r->th.v);
  free(r->ph.v);
  free(r->pstart);
  free(r);
}

size_t gw_term_result_match_count(const gw_term_result *r) { return r ? r->match_count : 0; }
const gw_term_match *gw_term_result_match(const gw_term_result *r, size_t i) {
  return r && i < r->match_count ? &r->matches[i] : NULL;
}
size_t gw_term_result_broken_count(const gw_term_result *r) { return r ? r->broken_count : 0; }
const gw_broken_formulation *gw_term_result_broken(const gw_term_result *r, size_t i) {
  return r && i < r->broken_count ? &r->broken[i] : NULL;
}
size_t gw_term_result_outdated_count(const gw_term_result *r) { return r ? r->outdated_count : 0; }
const gw_outdated_formulation *gw_term_result_outdated(const gw_term_result *r, size_t i) {
  return r && i < r->outdated_count ? &r->outdated[i] : NULL;
}
int gw_term_result_year(const gw_term_result *r) { return r ? r->year : 0; }

static gw_range doc_range(const gw_document *doc, size_t ns, size_t ne) {
  gw_range r;
  r.norm_start = ns;
  r.norm_end = ne;
  r.start = gw_document_to_original(doc, ns);
  r.end = gw_document_to_original_end(doc, ne);
  return r;
}

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
  long m = form_key(part, strlen(part), pc, MAX_KEY_CHARS, &b);
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
    if (sep_kind(cp) == SEP_NONE) return 0;
  }
  return 1;
}

/* Skip separators from a forward; returns the first non-separator offset. */
static size_t skip_seps(const char *s, size_t a, size_t len, int *part_seen) {
  while (a < len) {
    int32_t cp;
    size_t k = gw_utf8_next((const unsigned char *)s + a, len - a, &cp);
    int sk = sep_kind(cp);
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
    int sk = sep_kind(cp);
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
  if (grow((void **)&r->broken, &r->broken_cap, r->broken_count + 1, sizeof *r->broken))
    return GW_ENOMEM;
  gw_broken_formulation *bf = &r->broken[r->broken_count++];
  memset(bf, 0, sizeof *bf);
  bf->term = term;
  bf->range = doc_range(doc, base + items[0].start, base + items[n - 1].end);
  bf->paragraph = paragraph;
  bf->section = gw_document_paragraph(doc, paragraph)->section;
  bf->problems = problems;
  bf->missing = missing;
  bf->altered = alt;
  size_t na = 0;
  for (size_t p = 0; p < e->part_count && na < 4; p++) {
    if (!(alt >> p & 1)) continue;
    for (size_t i = 0; i < n; i++)
      if (items[i].part == p && items[i].altered) {
        bf->altered_range[na++] =
            doc_range(doc, base + items[i].start, base + items[i].end);
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
      if (sep_kind(cps[i]) != SEP_NONE) n = i;
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
      if (sep_kind(cps[i]) != SEP_NONE) skip = i + 1;
    if (!is_altered(t, term, p, cps + skip, n - skip)) return 0;
    item->start = offs[skip];
    item->end = b;
  }
  item->part = p;
  item->altered = 1;
  return 1;
}

static int find_broken(gw_term_result *r, const gw_terms *t, const gw_document *doc,
                       size_t paragraph, const char *s, size_t len, const hits *ph) {
  size_t base = gw_document_paragraph(doc, paragraph)->range.norm_start;
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
      if (grow((void **)&oh, &ocap, on + 1, sizeof *oh)) { free(oh); return GW_ENOMEM; }
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

/* ------------------------------------------------------------------ */
/* The report's year                                                    */
/* ------------------------------------------------------------------ */

/* Years (19xx/20xx followed by 年) in s[0..n): calls back with each. */
static int first_year(const char *s, size_t n, const char *after, size_t after_len) {
  for (size_t i = 0; i + 4 < n; i++) {
    if (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9') continue;
    int y = 0, ok = 1;
    for (size_t k = 0; k < 4; k++) {
      if (s[i + k] < '0' || s[i + k] > '9') { ok = 0; break; }
      y = y * 10 + (s[i + k] - '0');
    }
    if (!ok || y < 1949 || y > 2100) continue;
    if (i + 4 + 3 > n || memcmp(s + i + 4, "\xE5\xB9\xB4", 3) != 0) continue; /* 年 */
    if (after && (i + 7 + after_len > n || memcmp(s + i + 7, after, after_len) != 0))
      continue;
    return y;
  }
  return 0;
}

int gw_terms_document_year(const gw_document *doc) {
  if (!doc) return 0;
  size_t len;
  const char *norm = gw_document_normalized(doc, &len);
  size_t np = gw_document_paragraph_count(doc);
  for (size_t i = 0; i < np; i++) {
    const gw_paragraph *p = gw_document_paragraph(doc, i);
    if (!p->is_title) continue;
    int y = first_year(norm + p->range.norm_start, p->range.norm_end - p->range.norm_start, NULL, 0);
    if (y) return y;
  }
  int y = first_year(norm, len, "\xE4\xBB\xA5\xE6\x9D\xA5", 6); /* 以来 */
  if (y) return y;
  for (size_t i = 0; i < np; i++) {
    const gw_paragraph *p = gw_document_paragraph(doc, i);
    if (p->range.norm_end == p->range.norm_start) continue;
    y = first_year(norm + p->range.norm_start, p->range.norm_end - p->range.norm_start, NULL, 0);
    if (y) return y;
    break;
  }
  for (size_t i = 0; i < np; i++) {
    const gw_paragraph *p = gw_document_paragraph(doc, i);
    if (p->heading_level != 1) continue;
    y = first_year(norm + p->range.norm_start, p->range.norm_end - p->range.norm_start, NULL, 0);
    if (y) return y;
  }
  /* The year written most often (ties: the latest). */
  unsigned counts[2101 - 1949] = {0};
  for (size_t i = 0; i + 7 <= len; i++) {
    if (i > 0 && norm[i - 1] >= '0' && norm[i - 1] <= '9') continue;
    int yy = 0, ok = 1;
    for (size_t k = 0; k < 4; k++) {
      if (norm[i + k] < '0' || norm[i + k] > '9') { ok = 0; break; }
      yy = yy * 10 + (norm[i + k] - '0');
    }
    if (ok && yy >= 1949 && yy <= 2100 && memcmp(norm + i + 4, "\xE5\xB9\xB4", 3) == 0)
      counts[yy - 1949]++;
  }
  int best = 0;
  unsigned best_count = 0;
  for (int cand = 1949; cand <= 2100; cand++)
    if (counts[cand - 1949] && counts[cand - 1949] >= best_count) {
      best = cand;
      best_count = counts[cand - 1949];
    }
  return best;
}

/* ------------------------------------------------------------------ */
/* Matching a document                                                  */
/* ------------------------------------------------------------------ */

static int match_into(gw_term_result *r, const gw_terms *t, const gw_document *doc,
                      const gw_terms_options *opts) {
  r->match_count = r->broken_count = r->outdated_count = 0;
  r->year = 0;
  size_t len;
  const char *norm = gw_document_normalized(doc, &len);
  int rc = GW_OK;
  size_t np = gw_document_paragraph_count(doc);
  /* First every paragraph's hits, so the matches are allocated once. */
  if (grow((void **)&r->pstart, &r->pstart_cap, np + 1, sizeof *r->pstart)) return GW_ENOMEM;
  size_t *pstart = r->pstart;
  hits th = r->th, ph = r->ph;
  th.n = 0;
  for (size_t pi = 0; pi < np && rc == GW_OK; pi++) {
    const gw_paragraph *p = gw_document_paragraph(doc, pi);
    pstart[pi] = th.n;
    rc = scan(&t->c, &t->c.terms_ac, t->c.keys, norm + p->range.norm_start,
              p->range.norm_end - p->range.norm_start, &th);
  }
  if (rc == GW_OK) {
    pstart[np] = th.n;
    if (grow((void **)&r->matches, &r->match_cap, th.n + 1, sizeof *r->matches)) rc = GW_ENOMEM;
  }
  for (size_t pi = 0; pi < np && rc == GW_OK; pi++) {
    const gw_paragraph *p = gw_document_paragraph(doc, pi);
    const char *s = norm + p->range.norm_start;
    size_t plen = p->range.norm_end - p->range.norm_start;
    hit *ph0 = th.v + pstart[pi];
    size_t nh = pstart[pi + 1] - pstart[pi];
    if (nh > 1) qsort(ph0, nh, sizeof *ph0, hit_cmp);
    size_t counted = GW_NO_OFFSET, counted_end = 0;
    for (size_t i = 0; i < nh; i++) {
      const hit *h = &ph0[i];
      gw_term_match *m = &r->matches[r->match_count];
      const key_rec *k = &t->c.keys[h->key];
      m->term = k->term;
      m->form = k->form;
      m->range = doc_range(doc, p->range.norm_start + h->start, p->range.norm_start + h->end);
      m->paragraph = pi;
      m->section = p->section;
      if (counted == GW_NO_OFFSET || h->start >= counted_end) {
        m->kind = GW_TERM_COUNTED;
        m->outer = GW_NO_OFFSET;
        counted = r->match_count;
        counted_end = h->end;
      } else {
        /* A shorter form of the same term inside it is the same mention. */
        if (r->matches[counted].term == k->term) continue;
        m->kind = h->end <= counted_end ? GW_TERM_NESTED : GW_TERM_OVERLAPPING;
        m->outer = counted;
      }
      r->match_count++;
    }
    if (rc) break;
    if (t->c.pkey_count && !(opts && opts->matches_only)) {
      ph.n = 0;
      if ((rc = scan(&t->c, &t->c.parts_ac, t->c.pkeys, s, plen, &ph))) break;
      if (ph.n > 1) qsort(ph.v, ph.n, sizeof *ph.v, hit_cmp);
      rc = find_broken(r, t, doc, pi, s, plen, &ph);
    }
  }
  r->th = th;
  r->ph = ph;
  if (rc == GW_OK && !(opts && opts->matches_only)) {
    r->year = opts && opts->year ? opts->year : gw_terms_document_year(doc);
    for (size_t i = 0; i < r->match_count && r->year; i++) {
      const gw_term_match *m = &r->matches[i];
      const term_entry *e = &t->entries[m->term];
      if (m->kind == GW_TERM_OVERLAPPING || e->successor == GW_NO_OFFSET) continue;
      int since = t->entries[e->successor].pub.introduced;
      if (r->year <= since) continue;
      if (grow((void **)&r->outdated, &r->outdated_cap, r->outdated_count + 1,
               sizeof *r->outdated)) {
        rc = GW_ENOMEM;
        break;
      }
      gw_outdated_formulation *o = &r->outdated[r->outdated_count++];
      o->match = i;
      o->term = m->term;
      o->successor = e->successor;
      o->since = since;
    }
  }
  return rc;
}

int gw_terms_match(gw_term_result **out, const gw_terms *t, const gw_document *doc,
                   const gw_terms_options *opts, gw_error *err) {
  if (!out) return gw_fail(err, GW_EINVAL, "gw_terms_match: out is NULL");
  *out = NULL;
  if (!t || !doc) return gw_fail(err, GW_EINVAL, "gw_terms_match: invalid argument");
  if (opts && opts->version != GW_TERMS_OPTIONS_VERSION)
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
  if (opts && opts->version != GW_TERMS_OPTIONS_VERSION)
    return gw_fail(err, GW_EINVAL, "gw_terms_rematch: unknown options version %u", opts->version);
  int rc = match_into(r, t, doc, opts);
  if (rc) {
    r->match_count = r->broken_count = r->outdated_count = 0;
    return gw_fail(err, rc, "%s: out of memory", gw_document_name(doc));
  }
  return GW_OK;
}
