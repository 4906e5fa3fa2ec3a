/* dict_compile.c — compiling word lists in jieba's format and jieba's HMM
 * tables into gongwen.gwd (see lexicon.h for the layout). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "lexicon.h"
#include "wordlist.h"

/* ------------------------------------------------------------------ */
/* jieba's finalseg HMM tables (prob_*.py)                             */
/* ------------------------------------------------------------------ */

static int state_index(char c) {
  switch (c) {
  case 'B': return GW_HMM_B;
  case 'E': return GW_HMM_E;
  case 'M': return GW_HMM_M;
  case 'S': return GW_HMM_S;
  default: return -1;
  }
}

typedef struct hmm_tables {
  double start[4];
  double trans[4][4];
  float (*emit)[4];   /* by BMP code point */
  uint8_t *has_emit;  /* by BMP code point */
} hmm_tables;

/* The tables are Python literals: {'B': -0.26, …} and {'B': {'E': -0.51, …}}
 * and {'B': {'\u4e00': -3.65, …}, …}.  A small scanner reads exactly that
 * shape: quoted keys, numbers, and nesting by braces. */
typedef struct py_scanner {
  const char *s, *end, *path;
  size_t line;
} py_scanner;

static void py_skip(py_scanner *p) {
  while (p->s < p->end && (*p->s == ' ' || *p->s == '\n' || *p->s == '\r' ||
                           *p->s == '\t' || *p->s == ',' || *p->s == ':')) {
    if (*p->s == '\n') p->line++;
    p->s++;
  }
}

/* Read a quoted key into cp (a single character, possibly \uXXXX-escaped). */
static int py_key(py_scanner *p, int32_t *cp) {
  py_skip(p);
  if (p->s >= p->end || (*p->s != '\'' && *p->s != '"')) return -1;
  char quote = *p->s++;
  if (p->s + 6 <= p->end && p->s[0] == '\\' && p->s[1] == 'u') {
    char hex[5] = {p->s[2], p->s[3], p->s[4], p->s[5], 0};
    char *endp;
    long v = strtol(hex, &endp, 16);
    if (*endp) return -1;
    *cp = (int32_t)v;
    p->s += 6;
  } else {
    size_t k = gw_utf8_next((const unsigned char *)p->s, (size_t)(p->end - p->s), cp);
    if (*cp < 0) return -1;
    p->s += k;
  }
  if (p->s >= p->end || *p->s != quote) return -1;
  p->s++;
  return 0;
}

static int py_number(py_scanner *p, double *v) {
  py_skip(p);
  char *endp;
  *v = strtod(p->s, &endp);
  if (endp == p->s) return -1;
  p->s = endp;
  return 0;
}

static int py_expect(py_scanner *p, char c) {
  py_skip(p);
  if (p->s >= p->end || *p->s != c) return -1;
  p->s++;
  return 0;
}

/* Position the scanner after "P=" (or "P = "). */
static int py_open(py_scanner *p, char *buf, size_t len, const char *path) {
  p->s = buf;
  p->end = buf + len;
  p->path = path;
  p->line = 1;
  const char *at = strstr(buf, "P=");
  if (!at) at = strstr(buf, "P = ");
  if (!at) return -1;
  for (const char *q = buf; q < at; q++) if (*q == '\n') p->line++;
  p->s = strchr(at, '=') + 1;
  return 0;
}

static int hmm_fail(gw_error *err, const py_scanner *p) {
  return gw_fail_at(err, GW_EFORMAT, GW_NO_OFFSET, p->line, 0,
                    "%s:%zu: unexpected content in HMM table", p->path, p->line);
}

static int load_hmm_file(const char *dir, const char *name, char **buf,
                         size_t *len, char *path, size_t path_size,
                         gw_error *err) {
  snprintf(path, path_size, "%s/%s", dir, name);
  return gw_slurp(path, buf, len, err);
}

/* {'B': -0.26, 'E': -3.14e+100, …}: one number per state. */
static int py_state_row(py_scanner *p, double row[4]) {
  int32_t state;
  double v;
  for (int i = 0; i < 4; i++) row[i] = GW_LOG_ZERO;
  if (py_expect(p, '{')) return -1;
  while (py_key(p, &state) == 0) {
    if (py_number(p, &v) || state_index((char)state) < 0) return -1;
    row[state_index((char)state)] = v;
  }
  return py_expect(p, '}');
}

/* prob_start.py is one row; prob_trans.py is a row per state. */
static int read_hmm_start(const char *dir, hmm_tables *t, gw_error *err) {
  char path[4096], *buf;
  size_t len;
  int rc = load_hmm_file(dir, "prob_start.py", &buf, &len, path, sizeof path, err);
  if (rc) return rc;
  py_scanner p;
  if (py_open(&p, buf, len, path) || py_state_row(&p, t->start)) rc = hmm_fail(err, &p);
  free(buf);
  return rc;
}

static int read_hmm_trans(const char *dir, hmm_tables *t, gw_error *err) {
  char path[4096], *buf;
  size_t len;
  int rc = load_hmm_file(dir, "prob_trans.py", &buf, &len, path, sizeof path, err);
  if (rc) return rc;
  py_scanner p;
  int32_t from;
  int bad = py_open(&p, buf, len, path) || py_expect(&p, '{');
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 4; j++) t->trans[i][j] = GW_LOG_ZERO;
  while (!bad && py_key(&p, &from) == 0)
    bad = state_index((char)from) < 0 || py_state_row(&p, t->trans[state_index((char)from)]);
  if (bad || py_expect(&p, '}')) rc = hmm_fail(err, &p);
  free(buf);
  return rc;
}

static int read_hmm_emit(const char *dir, hmm_tables *t, gw_error *err) {
  char path[4096], *buf;
  size_t len;
  int rc = load_hmm_file(dir, "prob_emit.py", &buf, &len, path, sizeof path, err);
  if (rc) return rc;
  t->emit = malloc(0x10000 * sizeof *t->emit);
  t->has_emit = calloc(0x10000, 1);
  if (!t->emit || !t->has_emit) { free(buf); return gw_fail(err, GW_ENOMEM, "out of memory"); }
  for (size_t i = 0; i < 0x10000; i++)
    for (int s = 0; s < 4; s++) t->emit[i][s] = (float)GW_LOG_ZERO;
  py_scanner p;
  int32_t state, cp;
  double v;
  if (py_open(&p, buf, len, path) || py_expect(&p, '{')) goto bad;
  while (py_key(&p, &state) == 0) {
    int si = state_index((char)state);
    if (si < 0 || py_expect(&p, '{')) goto bad;
    while (py_key(&p, &cp) == 0) {
      if (py_number(&p, &v) || cp < 0 || cp > 0xFFFF) goto bad;
      t->emit[cp][si] = (float)v;
      t->has_emit[cp] = 1;
    }
    if (py_expect(&p, '}')) goto bad;
  }
  if (py_expect(&p, '}')) goto bad;
  free(buf);
  return GW_OK;
bad:
  rc = hmm_fail(err, &p);
  free(buf);
  return rc;
}

/* ------------------------------------------------------------------ */
/* The alphabet: a code per character, frequent characters first       */
/* ------------------------------------------------------------------ */

typedef struct char_weight {
  int32_t cp;
  double weight; /* summed frequency of the words containing it */
} char_weight;

typedef struct alphabet {
  uint16_t *bmp;          /* [0x10000] */
  gw_astral_code *astral; /* sorted by cp */
  size_t astral_count;
  size_t size;
} alphabet;

static int cmp_weight(const void *pa, const void *pb) {
  const char_weight *a = pa, *b = pb;
  if (a->weight != b->weight) return a->weight > b->weight ? -1 : 1;
  return (a->cp > b->cp) - (a->cp < b->cp);
}

static int cmp_astral(const void *pa, const void *pb) {
  const gw_astral_code *a = pa, *b = pb;
  return (a->cp > b->cp) - (a->cp < b->cp);
}

/* Accumulate weights in a table indexed by code point: 0x110000 doubles
 * is 8.5 MB, fine for a build step. */
static int build_alphabet(const gw_word_list *wl, const hmm_tables *hmm,
                          alphabet *ab) {
  double *w = calloc(0x110000, sizeof *w);
  uint8_t *seen = calloc(0x110000, 1);
  char_weight *order = NULL;
  int rc = GW_ENOMEM;
  if (!w || !seen) goto out;
  size_t distinct = 0;
  for (size_t i = 0; i < wl->count; i++) {
    const unsigned char *s = (const unsigned char *)wl->pool + wl->words[i].offset;
    size_t n = wl->words[i].length;
    for (size_t k = 0; k < n;) {
      int32_t cp;
      k += gw_utf8_next(s + k, n - k, &cp);
      if (!seen[cp]) { seen[cp] = 1; distinct++; }
      w[cp] += wl->words[i].freq;
    }
  }
  for (int32_t cp = 0; hmm->has_emit && cp < 0x10000; cp++)
    if (hmm->has_emit[cp] && !seen[cp]) { seen[cp] = 1; distinct++; }
  if (distinct >= 0xFFFF) { rc = GW_ETOOBIG; goto out; }
  order = malloc((distinct ? distinct : 1) * sizeof *order);
  ab->bmp = calloc(0x10000, sizeof *ab->bmp);
  if (!order || !ab->bmp) goto out;
  size_t n = 0, astral = 0;
  for (int32_t cp = 0; cp < 0x110000; cp++) {
    if (!seen[cp]) continue;
    order[n].cp = cp;
    order[n].weight = w[cp];
    n++;
    astral += cp >= 0x10000;
  }
  qsort(order, n, sizeof *order, cmp_weight);
  ab->astral = malloc((astral ? astral : 1) * sizeof *ab->astral);
  if (!ab->astral) goto out;
  for (size_t i = 0; i < n; i++) {
    uint32_t code = (uint32_t)(i + 1);
    if (order[i].cp < 0x10000) {
      ab->bmp[order[i].cp] = (uint16_t)code;
    } else {
      ab->astral[ab->astral_count].cp = (uint32_t)order[i].cp;
      ab->astral[ab->astral_count].code = code;
      ab->astral_count++;
    }
  }
  qsort(ab->astral, ab->astral_count, sizeof *ab->astral, cmp_astral);
  ab->size = n;
  rc = GW_OK;
out:
  free(w);
  free(seen);
  free(order);
  return rc;
}

static uint32_t alphabet_code(const alphabet *ab, int32_t cp) {
  if (cp >= 0 && cp < 0x10000) return ab->bmp[cp];
  gw_astral_code key = {(uint32_t)cp, 0};
  const gw_astral_code *hit =
      bsearch(&key, ab->astral, ab->astral_count, sizeof key, cmp_astral);
  return hit ? hit->code : 0;
}

/* ------------------------------------------------------------------ */
/* Words and the trie                                                   */
/* ------------------------------------------------------------------ */

typedef struct coded_word {
  uint32_t *codes;
  size_t length;
  double freq;
  size_t order; /* position in the sources: the last definition wins */
} coded_word;

static int cmp_coded(const void *pa, const void *pb) {
  const coded_word *a = pa, *b = pb;
  size_t n = a->length < b->length ? a->length : b->length;
  for (size_t i = 0; i < n; i++)
    if (a->codes[i] != b->codes[i]) return a->codes[i] < b->codes[i] ? -1 : 1;
  if (a->length != b->length) return a->length < b->length ? -1 : 1;
  return (a->order > b->order) - (a->order < b->order);
}

static int same_codes(const coded_word *a, const coded_word *b) {
  return a->length == b->length &&
         memcmp(a->codes, b->codes, a->length * sizeof *a->codes) == 0;
}

/* Words as code sequences, sorted, one per word (its last definition), with
 * zero frequencies dropped: jieba keeps those only as prefixes, which a
 * trie has anyway.  A word given without a frequency counts once. */
static int code_words(const gw_word_list *wl, const alphabet *ab,
                      coded_word **out, uint32_t **pool_out, size_t *count) {
  size_t total_chars = 0;
  for (size_t i = 0; i < wl->count; i++) total_chars += wl->words[i].length;
  uint32_t *pool = malloc((total_chars ? total_chars : 1) * sizeof *pool);
  coded_word *cw = malloc((wl->count ? wl->count : 1) * sizeof *cw);
  if (!pool || !cw) { free(pool); free(cw); return GW_ENOMEM; }
  size_t used = 0;
  for (size_t i = 0; i < wl->count; i++) {
    const unsigned char *s = (const unsigned char *)wl->pool + wl->words[i].offset;
    size_t n = wl->words[i].length;
    cw[i].codes = pool + used;
    cw[i].length = 0;
    for (size_t k = 0; k < n;) {
      int32_t cp;
      k += gw_utf8_next(s + k, n - k, &cp);
      pool[used++] = alphabet_code(ab, cp);
      cw[i].length++;
    }
    cw[i].freq = wl->words[i].freq < 0 ? 1 : wl->words[i].freq;
    cw[i].order = i;
  }
  qsort(cw, wl->count, sizeof *cw, cmp_coded);
  size_t n = 0;
  for (size_t i = 0; i < wl->count; i++) {
    if (i + 1 < wl->count && same_codes(&cw[i], &cw[i + 1])) continue;
    if (cw[i].freq <= 0 || cw[i].length == 0) continue;
    cw[n++] = cw[i];
  }
  *out = cw;
  *pool_out = pool;
  *count = n;
  return GW_OK;
}

static uint32_t float_bits(float f) {
  union { float f; uint32_t u; } v;
  v.f = f;
  return v.u;
}

typedef struct compiled {
  gw_dict_header header;
  gw_dat_unit *units;
  alphabet ab;
  gw_hmm_emit *emit; /* [alphabet size + 1], by code */
  hmm_tables hmm;
} compiled;

static void compiled_free(compiled *c) {
  free(c->units);
  free(c->ab.bmp);
  free(c->ab.astral);
  free(c->emit);
  free(c->hmm.emit);
  free(c->hmm.has_emit);
}

static int build_trie(const coded_word *cw, size_t n, compiled *c) {
  gw_dat_key *keys = malloc((n ? n : 1) * sizeof *keys);
  if (!keys) return GW_ENOMEM;
  double total = 0;
  for (size_t i = 0; i < n; i++) total += cw[i].freq;
  double log_total = total > 0 ? log(total) : 0;
  for (size_t i = 0; i < n; i++) {
    keys[i].codes = cw[i].codes;
    keys[i].length = cw[i].length;
    keys[i].value = float_bits((float)(log(cw[i].freq) - log_total));
  }
  size_t unit_count;
  int rc = gw_dat_build(keys, n, (uint32_t)c->ab.size, &c->units, &unit_count);
  free(keys);
  if (rc) return rc;
  c->header.word_count = n;
  c->header.unit_count = unit_count;
  c->header.total_freq = total;
  c->header.log_total = log_total;
  return GW_OK;
}

static int build_emit_table(compiled *c) {
  c->emit = malloc((c->ab.size + 1) * sizeof *c->emit);
  if (!c->emit) return GW_ENOMEM;
  for (size_t i = 0; i <= c->ab.size; i++)
    for (int s = 0; s < 4; s++) c->emit[i].logp[s] = (float)GW_LOG_ZERO;
  if (!c->hmm.has_emit) return GW_OK;
  for (int32_t cp = 0; cp < 0x10000; cp++) {
    if (!c->hmm.has_emit[cp]) continue;
    memcpy(c->emit[c->ab.bmp[cp]].logp, c->hmm.emit[cp], sizeof c->emit[0].logp);
  }
  return GW_OK;
}

/* ------------------------------------------------------------------ */
/* Writing                                                              */
/* ------------------------------------------------------------------ */

static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

typedef struct section {
  const void *data;
  size_t size;
  uint64_t *offset; /* header field to fill */
} section;

static int write_compiled(compiled *c, const char *out_path, gw_error *err) {
  gw_dict_header *h = &c->header;
  section sections[] = {
      {c->units, h->unit_count * sizeof(gw_dat_unit), &h->units_offset},
      {c->ab.bmp, 0x10000 * sizeof(uint16_t), &h->bmp_codes_offset},
      {c->ab.astral, c->ab.astral_count * sizeof(gw_astral_code), &h->astral_offset},
      {c->emit, (c->ab.size + 1) * sizeof(gw_hmm_emit), &h->emit_offset},
  };
  size_t n_sections = sizeof sections / sizeof *sections;
  size_t pos = align8(sizeof *h);
  for (size_t i = 0; i < n_sections; i++) {
    *sections[i].offset = pos;
    pos = align8(pos + sections[i].size);
  }
  h->file_size = pos;

  /* Write under a temporary name and rename: a reader never sees half. */
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", out_path);
  FILE *f = fopen(tmp, "wb");
  if (!f) {
    int e = errno;
    return gw_fail_at(err, GW_EIO, GW_NO_OFFSET, 0, e, "%s: %s", tmp, strerror(e));
  }
  static const char zeros[8] = {0};
  int bad = fwrite(h, sizeof *h, 1, f) != 1;
  size_t at = sizeof *h;
  for (size_t i = 0; i < n_sections && !bad; i++) {
    size_t pad = (size_t)*sections[i].offset - at;
    bad = (pad && fwrite(zeros, 1, pad, f) != pad) ||
          (sections[i].size && fwrite(sections[i].data, 1, sections[i].size, f) != sections[i].size);
    at = (size_t)*sections[i].offset + sections[i].size;
  }
  if (!bad && at < pos) bad = fwrite(zeros, 1, pos - at, f) != pos - at;
  int e = errno;
  if (fclose(f) != 0 && !bad) { bad = 1; e = errno; }
  if (!bad && rename(tmp, out_path) != 0) { bad = 1; e = errno; }
  if (bad) {
    remove(tmp);
    return gw_fail_at(err, GW_EIO, GW_NO_OFFSET, 0, e, "%s: %s", out_path, strerror(e));
  }
  return GW_OK;
}

int gw_dict_compile(const char *const *sources, size_t n_sources,
                    const char *hmm_dir, const char *out_path, gw_error *err) {
  if (!out_path || !n_sources || !sources)
    return gw_fail(err, GW_EINVAL, "gw_dict_compile: no sources or no output");
  gw_word_list wl = {0};
  compiled c;
  memset(&c, 0, sizeof c);
  coded_word *words = NULL;
  uint32_t *code_pool = NULL;
  size_t n = 0;
  int rc = GW_OK;
  for (size_t i = 0; i < n_sources && rc == GW_OK; i++)
    rc = gw_word_list_load(&wl, sources[i], err);
  if (!rc && hmm_dir) {
    rc = read_hmm_start(hmm_dir, &c.hmm, err);
    if (!rc) rc = read_hmm_trans(hmm_dir, &c.hmm, err);
    if (!rc) rc = read_hmm_emit(hmm_dir, &c.hmm, err);
  }
  if (rc) goto out;
  rc = build_alphabet(&wl, &c.hmm, &c.ab);
  if (!rc) rc = code_words(&wl, &c.ab, &words, &code_pool, &n);
  if (!rc) rc = build_trie(words, n, &c);
  if (!rc) rc = build_emit_table(&c);
  if (rc) {
    gw_fail(err, rc, "%s: cannot build the dictionary: %s", out_path, gw_strerror(rc));
    goto out;
  }
  memcpy(c.header.magic, GW_DICT_MAGIC, 8);
  c.header.format = GW_DICT_FORMAT;
  c.header.byte_order = GW_DICT_BYTE_ORDER;
  c.header.alphabet_size = c.ab.size;
  c.header.astral_count = c.ab.astral_count;
  c.header.has_hmm = hmm_dir != NULL;
  memcpy(c.header.hmm_start, c.hmm.start, sizeof c.hmm.start);
  memcpy(c.header.hmm_trans, c.hmm.trans, sizeof c.hmm.trans);
  rc = write_compiled(&c, out_path, err);
out:
  free(words);
  free(code_pool);
  gw_word_list_free(&wl);
  compiled_free(&c);
  return rc;
}
