/*
 * automaton.c — the term matcher: Aho-Corasick automata over character
 * classes, and the scan of a paragraph.
 *
 * Every code point that occurs in some key gets a class; every other code
 * point is class 0 and sends the automaton back to its root.  The root's
 * transitions are a dense array over the classes; every other state's are
 * in one hash table keyed by (state, class).  The scan skips separators, so
 * 同部署、同落实 and 同部署同落实 reach the same state; a hit is then kept
 * only if every part separator inside it stands on a part boundary of its
 * key.  A built automaton is never written by scanning: any number of
 * threads may scan with it at once.
 */
#include <stdlib.h>
#include <string.h>

#include "terms_private.h"

void gw_terms_automaton_free(automaton *a) {
  free(a->first);
  free(a->edge_cls);
  free(a->edge_to);
  free(a->fail);
  free(a->out);
  free(a->out_link);
  free(a->first_out);
  free(a->edge_bits);
  free(a->root_next);
  free(a->slots);
  free(a->dfa);
  memset(a, 0, sizeof *a);
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
  if (gw_terms_grow((void **)&tr->nodes, &tr->cap, tr->count + 1, sizeof *tr->nodes)) return -1;
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
  if (cp < 0x10000) return c->cp_info[cp] & CP_CLASS;
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
      if (gw_terms_grow((void **)&nd->cls, &cap, nd->n + 1, sizeof *nd->cls)) return GW_ENOMEM;
      cap = nd->cap;
      if (gw_terms_grow((void **)&nd->to, &cap, nd->n + 1, sizeof *nd->to)) return GW_ENOMEM;
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

/* a->dfa when the automaton is small enough; `order` holds every state but
 * the root, each after its failure state (breadth first). */
static int build_dfa(automaton *a, const uint32_t *order, size_t norder, uint32_t stride) {
  if (a->nodes > DFA_STATE || (size_t)a->nodes * stride > DFA_MAX_CELLS) return GW_OK;
  /* Every cell is written once, right away: on huge pages that is a
   * couple of page faults instead of one per 4 KB (dict/terms.tsv's 3 MB
   * table took 750, which cost a small run of gw-terms half its time). */
  size_t bytes = (size_t)a->nodes * stride * sizeof *a->dfa;
  a->dfa = bytes >= GW_LARGE_ALLOC ? gw_alloc_huge(bytes, NULL) : malloc(bytes);
  if (!a->dfa) return GW_ENOMEM;
  a->stride = stride;
  for (uint32_t cl = 0; cl < stride; cl++) {
    uint32_t to = a->root_next[cl];
    a->dfa[cl] = (uint16_t)(to | (a->first_out[to] ? DFA_OUTPUT : 0));
  }
  for (size_t q = 0; q < norder; q++) {
    uint32_t u = order[q];
    uint16_t *row = a->dfa + (size_t)u * stride;
    memcpy(row, a->dfa + (size_t)a->fail[u] * stride, stride * sizeof *row);
    for (uint32_t k = a->first[u]; k < a->first[u + 1]; k++) {
      uint32_t to = a->edge_to[k];
      row[a->edge_cls[k]] = (uint16_t)(to | (a->first_out[to] ? DFA_OUTPUT : 0));
    }
  }
  return GW_OK;
}

int gw_terms_build_automaton(automaton *a, const compiled *c, const key_rec *keys,
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
  a->first_out = calloc(n, sizeof *a->first_out);
  a->edge_bits = calloc(n, sizeof *a->edge_bits);
  a->root_next = calloc((size_t)c->class_count + 1, sizeof *a->root_next);
  uint32_t *queue = malloc(n * sizeof *queue);
  if (!a->first || !a->edge_cls || !a->edge_to || !a->fail || !a->out ||
      !a->out_link || !a->first_out || !a->edge_bits || !a->root_next || !queue) {
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
    for (uint32_t k = 0; k < tr.nodes[i].n; k++)
      a->edge_bits[i] |= (uint64_t)1 << (tr.nodes[i].cls[k] & 63);
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
  for (size_t i = 0; i < n; i++)
    a->first_out[i] = a->out[i] >= 0 ? (uint32_t)i : a->out_link[i];
  rc = build_dfa(a, queue, qt, c->class_count);
  free(queue);
  if (rc) goto done;
  rc = GW_ENOMEM;
  /* The transition hash, for an automaton too large for the table. */
  if (a->dfa) {
    rc = GW_OK;
    goto done;
  }
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

/* Assign a class to every code point of the keys: a BMP code point's in
 * the low bits of c->cp_info, whose CP_* bits gw_terms_build_cp_info adds
 * once the automata are built (one table of 65,536 words, not a second
 * one of classes beside it: a small run pays a page fault every 4 KB). */
int gw_terms_build_classes(compiled *c) {
  c->cp_info = calloc(65536, sizeof *c->cp_info);
  if (!c->cp_info) return GW_ENOMEM;
  size_t astral_cap = 0;
  uint32_t next = 1;
  for (size_t i = 0; i < c->key_count; i++) {
    const key_rec *k = &c->keys[i];
    for (size_t j = 0; j < k->len; j++) {
      int32_t cp = k->cps[j];
      if (cp < 0x10000) {
        if (!c->cp_info[cp]) {
          if (next >= CLS_MAX) return GW_EINVAL;
          c->cp_info[cp] = next++;
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
      if (gw_terms_grow((void **)&c->astral_cp, &astral_cap, c->astral_count + 1, sizeof *c->astral_cp) ||
          gw_terms_grow((void **)&c->astral_cls, &cap2, c->astral_count + 1, sizeof *c->astral_cls))
        return GW_ENOMEM;
      memmove(c->astral_cp + lo + 1, c->astral_cp + lo, (c->astral_count - lo) * sizeof *c->astral_cp);
      memmove(c->astral_cls + lo + 1, c->astral_cls + lo, (c->astral_count - lo) * sizeof *c->astral_cls);
      c->astral_cp[lo] = cp;
      c->astral_cls[lo] = next++;
      c->astral_count++;
    }
  }
  for (int32_t cp = 0; cp < 0x10000; cp++) {
    int sk = gw_terms_sep_kind(cp);
    if (sk == SEP_PART) c->cp_info[cp] = CLS_PART;
    else if (sk == SEP_TRANSPARENT) c->cp_info[cp] = CLS_TRANSPARENT;
  }

  c->class_count = next;
  return GW_OK;
}

/* Every part separator inside text[start, end) stands on a boundary. */
static int valid_hit(const char *s, size_t start, size_t end, const key_rec *k) {
  if (end - start == k->bytes) return 1;
  size_t count = 0;
  for (size_t i = start; i < end;) {
    int32_t cp;
    i += gw_utf8_next((const unsigned char *)s + i, end - i, &cp);
    int sk = gw_terms_sep_kind(cp);
    if (sk == SEP_NONE) count++;
    else if (sk == SEP_PART && (count >= 64 || !(k->boundaries >> count & 1)))
      return 0;
  }
  return 1;
}

/* The state after class cl (a character in some key) from state. */
static inline uint32_t ac_step(const automaton *a, uint32_t state, uint32_t cl) {
  for (;;) {
    if (state == 0) return a->root_next[cl];
    if (!((a->edge_bits[state] >> (cl & 63)) & 1)) {
      state = a->fail[state];
      continue;
    }
    uint64_t key = ((uint64_t)state << 16) | cl;
    uint64_t h = (key * 0x9E3779B97F4A7C15ull) >> a->slot_shift;
    while (a->slots[h].key && a->slots[h].key != key) h = (h + 1) & a->slot_mask;
    if (a->slots[h].key) return a->slots[h].to;
    state = a->fail[state];
  }
}

/* The keys ending at state, as hits ending at s[end]; ring holds where
 * the last characters (in keys) started, ci counts them. */
static inline int ac_emit(const automaton *a, const key_rec *keys, uint32_t state,
                          const size_t *ring, size_t ci, const char *s, size_t end,
                          hits *out) {
  uint32_t o = a->first_out[state];
  while (o) {
    const key_rec *kr = &keys[a->out[o]];
    size_t start = ring[(ci - kr->len) & (RING - 1)];
    if (valid_hit(s, start, end, kr)) {
      if (out->n == out->cap &&
          gw_terms_grow((void **)&out->v, &out->cap, out->n + 1, sizeof *out->v))
        return GW_ENOMEM;
      out->v[out->n].start = start;
      out->v[out->n].end = end;
      out->v[out->n].key = (size_t)a->out[o];
      out->n++;
    }
    o = a->out_link[o];
  }
  return GW_OK;
}

/* Step *state by class cl (a character in some key, which ended at s[end])
 * and emit the keys ending there. */
static inline int ac_advance(const automaton *a, const key_rec *keys, uint32_t *state,
                             uint32_t cl, const size_t *ring, size_t ci, const char *s,
                             size_t end, hits *out) {
  if (a->dfa) {
    uint32_t cell = a->dfa[(size_t)*state * a->stride + cl];
    *state = cell & DFA_STATE;
    return cell & DFA_OUTPUT ? ac_emit(a, keys, *state, ring, ci, s, end, out) : GW_OK;
  }
  *state = ac_step(a, *state, cl);
  return *state ? ac_emit(a, keys, *state, ring, ci, s, end, out) : GW_OK;
}

/* Whether the character at s[i] (a lead byte of 0xE4 or more) cues a
 * generated name: 届, 规, 两会, 党代, 代表, or 大 after a digit or a
 * Chinese numeral.  Byte for byte the test the name scan was spared by
 * before it was folded into this scan. */
static int name_cue_at(const unsigned char *u, size_t i, size_t len) {
  if (i + 3 > len) return 0;
  const unsigned char *p = u + i;
  if (!memcmp(p, "届", 3) || !memcmp(p, "规", 3) ||
      (i + 6 <= len && (!memcmp(p, "两会", 6) || !memcmp(p, "党代", 6) ||
                        !memcmp(p, "代表", 6))))
    return 1;
  if (!memcmp(p, "大", 3) && i > 0) {
    if (u[i - 1] >= '0' && u[i - 1] <= '9') return 1;
    if (i >= 3) {
      int32_t cp;
      gw_utf8_next(u + i - 3, 3, &cp);
      if (gw_cn_small_number(&cp, 1) > 0) return 1;
    }
  }
  return 0;
}

int gw_terms_build_cp_info(compiled *c) {
  for (uint32_t cp = 0; cp < 65536; cp++) {
    uint32_t cl = c->cp_info[cp] & CP_CLASS;
    if (cl && cl < CLS_MAX) {
      if (c->terms_ac.nodes && c->terms_ac.root_next[cl]) c->cp_info[cp] |= CP_STARTS_TERM;
      if (c->parts_ac.nodes && c->parts_ac.root_next[cl]) c->cp_info[cp] |= CP_STARTS_PART;
    }
  }
  /* The characters name_cue_at() looks at: 届 规 两 党 代 大. */
  static const int32_t cues[] = {0x5C4A, 0x89C4, 0x4E24, 0x515A, 0x4EE3, 0x5927};
  for (size_t i = 0; i < sizeof cues / sizeof *cues; i++) c->cp_info[cues[i]] |= CP_NAME_CUE;
  for (int32_t cp = 0; cp < 0x10000; cp++)
    if (gw_name_can_start(cp)) c->cp_info[cp] |= CP_NAME_START;
  return GW_OK;
}

/* One pass, decoding each character once, for one automaton or two (b may
 * be NULL, a may have no nodes): both see the same characters and
 * classes.
 *
 * While both automata stand at their root, a character that starts no key
 * of either leaves them there, as a character in no key does: it can be in
 * no hit, so it needs no place in the ring, and such characters are
 * stepped over with one table lookup each. */
static int scan(const compiled *c, const automaton *a, const key_rec *keys, hits *out,
                const automaton *b, const key_rec *bkeys, hits *bout,
                const char *s, size_t len, int *may_hold_name) {
  int use_a = a->nodes > 0, use_b = b && b->nodes > 0;
  int want_name = may_hold_name && !*may_hold_name;
  if ((!use_a && !use_b && !want_name) || !len) return GW_OK;
  const unsigned char *u = (const unsigned char *)s;
  const uint32_t *info = c->cp_info;
  uint32_t stops = (use_a ? CP_STARTS_TERM : 0) | (use_b ? CP_STARTS_PART : 0) |
                   (want_name ? CP_NAME_CUE : 0);
  size_t ring[RING];
  size_t ci = 0;
  uint32_t state = 0, bstate = 0;
  for (size_t i = 0; i < len;) {
    int32_t cp;
    size_t k;
    if ((state | bstate) == 0) {
      /* Characters outside the BMP are never stepped over. */
      while ((k = gw_terms_next_cp(u, i, len, &cp)) < 4 && cp >= 0 && !(info[cp] & stops))
        if ((i += k) >= len) return GW_OK;
    } else {
      k = gw_terms_next_cp(u, i, len, &cp);
    }
    uint32_t cl = cp >= 0 && cp < 0x10000 ? info[cp] : class_of(c, cp);
    if ((cl & CP_NAME_CUE & stops) && name_cue_at(u, i, len)) {
      *may_hold_name = 1;
      stops &= ~(uint32_t)CP_NAME_CUE;
    }
    cl &= CP_CLASS;
    if (cl >= CLS_TRANSPARENT) { i += k; continue; }
    /* A character in no key ends every match: it needs no place in the
     * ring, where a hit looks up its first character. */
    if (cl == 0) { state = bstate = 0; i += k; continue; }
    ring[ci & (RING - 1)] = i;
    ci++;
    i += k;
    if (use_a && ac_advance(a, keys, &state, cl, ring, ci, s, i, out) < 0) return GW_ENOMEM;
    if (use_b && ac_advance(b, bkeys, &bstate, cl, ring, ci, s, i, bout) < 0) return GW_ENOMEM;
  }
  return GW_OK;
}

int gw_terms_scan_both(const compiled *c, const automaton *a, const key_rec *keys,
                       hits *out, const automaton *b, const key_rec *bkeys,
                       hits *bout, const char *s, size_t len, int *may_hold_name) {
  return scan(c, a, keys, out, b, bkeys, bout, s, len, may_hold_name);
}

int gw_terms_hit_cmp(const void *a, const void *b) {
  const hit *x = a, *y = b;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  if (x->end != y->end) return x->end > y->end ? -1 : 1;
  return x->key < y->key ? -1 : x->key > y->key;
}

