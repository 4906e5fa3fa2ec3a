/*
 * noise.c — noise patterns (dict/noise.txt): scraping markers and the
 * advertising lines that template sites insert into the reports they sell.
 *
 * File format (UTF-8; this description is the reference for dict/README.md)
 * ------------------------------------------------------------------------
 *   - One pattern per line: KIND, one TAB, TEXT.
 *   - KIND is `span` or `line`:
 *       span  every occurrence of TEXT is removed, and only TEXT
 *             (e.g. the `##paidbegin##` marker in front of real content);
 *       line  every line that contains TEXT is removed whole, with its line
 *             end (LF, CRLF or CR) (e.g. an advertising line).
 *   - TEXT is matched literally, byte for byte, case-sensitively, in the
 *     decoded text (before any normalization: full-width forms and
 *     traditional characters are not folded).  It is everything after the
 *     TAB up to the end of the line; it must not be empty, must not
 *     contain a TAB or a CR, and must not begin or end with a space (an
 *     invisible space is almost always a mistake).
 *   - Lines whose first character is `#` are comments; empty lines (or
 *     lines of spaces) are ignored.  A CR before the LF and a UTF-8 BOM at
 *     the start of the file are ignored.
 *   - Patterns are numbered from 0 in file order, comments and blank lines
 *     not counted; that number is the `pattern` of a removal.
 *   - Errors (GW_EFORMAT) name the file and line:
 *     "noise.txt:7: unknown kind 'spam' (expected span or line)".
 *
 * Matching: when several patterns overlap, the union of the overlapping
 * spans is removed and reported once, under the pattern whose span starts
 * first (then the longer span, then the lower pattern number).
 *
 * Speed: one pass over the text whatever the number of patterns, skipping
 * (Wu–Manber): a window as long as the shortest pattern of 4 bytes or more
 * slides over the text, and a table of shifts by the hash of the window's
 * last 3 bytes says how far it may move before any pattern could end in
 * it; only where the shift is 0 are the patterns starting at the window
 * looked up (by their first 4 bytes: a 64 Kbit filter, then a binary
 * search) and verified with memcmp.  Shorter patterns (a single character)
 * are rare and use memchr.
 */
#include <stdlib.h>
#include <string.h>

#include "stages.h"

typedef enum { KIND_SPAN = 0, KIND_LINE = 1 } noise_kind;

typedef struct noise_pattern {
  size_t offset, len; /* into gw_noise.pool */
  noise_kind kind;
  uint32_t prefix;    /* first 4 bytes (patterns of 4+ bytes) */
} noise_pattern;

#define FILTER_BITS 16
#define SHIFT_BITS 14
#define SHIFT_BLOCK 3 /* bytes hashed per shift-table entry */

struct gw_noise {
  char *pool;
  noise_pattern *patterns;
  size_t count;
  /* Indexes of the patterns of 4+ bytes, sorted by prefix, and the
   * matching prefixes (for a binary search). */
  uint32_t *by_prefix;
  uint32_t *prefixes;
  size_t indexed;
  /* Patterns shorter than 4 bytes. */
  uint32_t *short_patterns;
  size_t short_count;
  uint64_t filter[(1u << FILTER_BITS) / 64];
  /* Wu–Manber: the shortest indexed pattern's length (the window) and, by
   * the hash of a block of SHIFT_BLOCK bytes, how far the window may
   * slide when it ends with that block (hash collisions only shorten
   * shifts). */
  size_t window;
  size_t most; /* the longest shift in the table */
  uint8_t shift[1u << SHIFT_BITS];
};

/* ------------------------------------------------------------------ */
/* Parsing                                                              */
/* ------------------------------------------------------------------ */

static int valid_utf8(const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    int32_t cp;
    size_t k = gw_utf8_next((const unsigned char *)s + i, n - i, &cp);
    if (cp < 0) return 0;
    i += k;
  }
  return 1;
}

static int only_spaces(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t') return 0;
  return 1;
}

static uint32_t load32(const char *s) {
  uint32_t v;
  memcpy(&v, s, 4);
  return v;
}

static unsigned filter_hash(uint32_t v) {
  return (unsigned)((v * 2654435761u) >> (32 - FILTER_BITS));
}

static unsigned block_hash(const unsigned char *s) {
  uint32_t v = (uint32_t)s[0] | (uint32_t)s[1] << 8 | (uint32_t)s[2] << 16;
  return (unsigned)((v * 2654435761u) >> (32 - SHIFT_BITS));
}

/* block_hash of the block ending at u[end] (end >= 3), read with one load
 * where the bytes come in that order. */
static inline unsigned block_hash_at(const unsigned char *u, size_t end) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint32_t v;
  memcpy(&v, u + end - 3, 4);
  return (unsigned)(((v >> 8) * 2654435761u) >> (32 - SHIFT_BITS));
#else
  return block_hash(u + end - (SHIFT_BLOCK - 1));
#endif
}

typedef struct parser {
  gw_noise *noise;
  size_t pool_len, pool_cap, cap;
} parser;

static int add_pattern(parser *p, noise_kind kind, const char *text,
                       size_t len) {
  gw_noise *n = p->noise;
  if (GW_GROW(n->pool, p->pool_cap, p->pool_len + len) < 0 ||
      GW_GROW(n->patterns, p->cap, n->count + 1) < 0)
    return GW_ENOMEM;
  memcpy(n->pool + p->pool_len, text, len);
  noise_pattern *pat = &n->patterns[n->count++];
  pat->offset = p->pool_len;
  pat->len = len;
  pat->kind = kind;
  pat->prefix = len >= 4 ? load32(text) : 0;
  p->pool_len += len;
  return GW_OK;
}

/* Parse one line (without its LF).  Returns GW_OK or an error with the
 * message filled. */
static int parse_line(parser *p, const char *name, size_t lineno,
                      const char *line, size_t len, gw_error *err) {
  if (len > 0 && line[len - 1] == '\r') len--;
  if (len == 0 || line[0] == '#' || only_spaces(line, len)) return GW_OK;
  if (!valid_utf8(line, len))
    return gw_fail_at(err, GW_EFORMAT, GW_NO_OFFSET, lineno, 0,
                      "%s:%zu: invalid UTF-8", name, lineno);
  const char *tab = memchr(line, '\t', len);
  if (!tab)
    return gw_fail_at(err, GW_EFORMAT, GW_NO_OFFSET, lineno, 0,
                      "%s:%zu: expected KIND<TAB>TEXT", name, lineno);
  size_t kind_len = (size_t)(tab - line);
  noise_kind kind;
  if (kind_len == 4 && memcmp(line, "span", 4) == 0) {
    kind = KIND_SPAN;
  } else if (kind_len == 4 && memcmp(line, "line", 4) == 0) {
    kind = KIND_LINE;
  } else {
    return gw_fail_at(err, GW_EFORMAT, GW_NO_OFFSET, lineno, 0,
                      "%s:%zu: unknown kind '%.*s' (expected span or line)",
                      name, lineno, (int)(kind_len > 40 ? 40 : kind_len),
                      line);
  }
  const char *text = tab + 1;
  size_t text_len = len - kind_len - 1;
  if (text_len == 0)
    return gw_fail_at(err, GW_EFORMAT, GW_NO_OFFSET, lineno, 0,
                      "%s:%zu: empty pattern", name, lineno);
  if (memchr(text, '\t', text_len) || memchr(text, '\r', text_len))
    return gw_fail_at(err, GW_EFORMAT, GW_NO_OFFSET, lineno, 0,
                      "%s:%zu: a pattern cannot contain a TAB or CR", name,
                      lineno);
  if (text[0] == ' ' || text[text_len - 1] == ' ')
    return gw_fail_at(err, GW_EFORMAT, GW_NO_OFFSET, lineno, 0,
                      "%s:%zu: pattern begins or ends with a space", name,
                      lineno);
  int rc = add_pattern(p, kind, text, text_len);
  if (rc < 0)
    return gw_fail(err, rc, "%s:%zu: out of memory", name, lineno);
  return GW_OK;
}

/* Build the prefix index and the filter once all patterns are parsed. */
/* A block ending j bytes into a pattern's first `window` bytes lets the
 * window slide window - 1 - j bytes; a block found in no pattern, the
 * whole window less the block plus one. */
static void build_shifts(gw_noise *n) {
  size_t window = SIZE_MAX;
  for (size_t k = 0; k < n->indexed; k++) {
    size_t len = n->patterns[n->by_prefix[k]].len;
    if (len < window) window = len;
  }
  if (n->indexed == 0) return;
  n->window = window;
  size_t most = window - SHIFT_BLOCK + 1;
  if (most > UINT8_MAX) most = UINT8_MAX;
  n->most = most;
  memset(n->shift, (int)most, sizeof n->shift);
  for (size_t k = 0; k < n->indexed; k++) {
    const unsigned char *p =
        (const unsigned char *)n->pool + n->patterns[n->by_prefix[k]].offset;
    for (size_t j = SHIFT_BLOCK - 1; j < window; j++) {
      unsigned h = block_hash(p + j - (SHIFT_BLOCK - 1));
      if (window - 1 - j < n->shift[h]) n->shift[h] = (uint8_t)(window - 1 - j);
    }
  }
}

static int build_index(gw_noise *n) {
  size_t indexed = 0, shorts = 0;
  for (size_t i = 0; i < n->count; i++) {
    if (n->patterns[i].len >= 4) indexed++;
    else shorts++;
  }
  n->by_prefix = malloc((indexed ? indexed : 1) * sizeof *n->by_prefix);
  n->prefixes = malloc((indexed ? indexed : 1) * sizeof *n->prefixes);
  n->short_patterns = malloc((shorts ? shorts : 1) * sizeof *n->short_patterns);
  if (!n->by_prefix || !n->prefixes || !n->short_patterns) return GW_ENOMEM;
  /* Insertion sort by (prefix, index): pattern lists are short, and a
   * stable order keeps the lower pattern number first. */
  for (size_t i = 0; i < n->count; i++) {
    const noise_pattern *pat = &n->patterns[i];
    if (pat->len < 4) {
      n->short_patterns[n->short_count++] = (uint32_t)i;
      continue;
    }
    size_t j = n->indexed++;
    while (j > 0 && n->prefixes[j - 1] > pat->prefix) {
      n->prefixes[j] = n->prefixes[j - 1];
      n->by_prefix[j] = n->by_prefix[j - 1];
      j--;
    }
    n->prefixes[j] = pat->prefix;
    n->by_prefix[j] = (uint32_t)i;
    unsigned h = filter_hash(pat->prefix);
    n->filter[h / 64] |= (uint64_t)1 << (h % 64);
  }
  build_shifts(n);
  return GW_OK;
}

int gw_noise_load_buffer(gw_noise **out, const char *name, const char *text,
                   size_t len, gw_error *err) {
  if (!out) return gw_fail(err, GW_EINVAL, "gw_noise_load_buffer: out is NULL");
  *out = NULL;
  if (!name) name = "<noise>";
  if (!text && len > 0)
    return gw_fail(err, GW_EINVAL, "%s: text is NULL", name);
  parser p = {0};
  p.noise = calloc(1, sizeof *p.noise);
  if (!p.noise) return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
  size_t pos = 0, lineno = 0;
  int rc = GW_OK;
  while (pos < len && rc == GW_OK) {
    const char *nl = memchr(text + pos, '\n', len - pos);
    size_t end = nl ? (size_t)(nl - text) : len;
    lineno++;
    rc = parse_line(&p, name, lineno, text + pos, end - pos, err);
    pos = end + 1;
  }
  if (rc == GW_OK && build_index(p.noise) < 0)
    rc = gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
  if (rc < 0) {
    gw_noise_free(p.noise);
    return rc;
  }
  *out = p.noise;
  return GW_OK;
}

int gw_noise_load_file(gw_noise **out, const char *path, gw_error *err) {
  if (!out) return gw_fail(err, GW_EINVAL, "gw_noise_load_file: out is NULL");
  *out = NULL;
  if (!path) return gw_fail(err, GW_EINVAL, "gw_noise_load_file: path is NULL");
  char *bytes = NULL;
  size_t len = 0;
  int rc = gw_slurp(path, &bytes, &len, err);
  if (rc < 0) return rc;
  /* Error messages name the file as given, so "dict/noise.txt:7: …". */
  size_t skip = len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  rc = gw_noise_load_buffer(out, path, bytes + skip, len - skip, err);
  free(bytes);
  return rc;
}

void gw_noise_free(gw_noise *noise) {
  if (!noise) return;
  free(noise->pool);
  free(noise->patterns);
  free(noise->by_prefix);
  free(noise->prefixes);
  free(noise->short_patterns);
  free(noise);
}

/* ------------------------------------------------------------------ */
/* Matching                                                             */
/* ------------------------------------------------------------------ */

typedef struct hit_list {
  gw_noise_hit *items;
  size_t count, cap;
  /* The last `line` hit: further matches on its line update it instead of
   * finding the line's bounds again, which made a long line with many
   * matches quadratic. */
  size_t line_hit; /* index into items, or SIZE_MAX */
} hit_list;

static int push_hit(hit_list *l, size_t start, size_t end, int pattern) {
  if (GW_GROW(l->items, l->cap, l->count + 1) < 0) return GW_ENOMEM;
  l->items[l->count].start = start;
  l->items[l->count].end = end;
  l->items[l->count].pattern = pattern;
  l->count++;
  return GW_OK;
}

/* The line around text[pos]: [start, end) with its line end (LF, CRLF or
 * CR), the same line ends wrap.c's line scanner recognises. */
static void line_around(const char *text, size_t len, size_t pos,
                        size_t *start, size_t *end) {
  size_t s = pos;
  while (s > 0 && text[s - 1] != '\n' && text[s - 1] != '\r') s--;
  /* Lines run on for hundreds of bytes: their end found with memchr. */
  const char *lf = memchr(text + pos, '\n', len - pos);
  size_t e = lf ? (size_t)(lf - text) : len;
  const char *cr = memchr(text + pos, '\r', e - pos);
  if (cr) e = (size_t)(cr - text);
  if (e < len) {
    if (text[e] == '\r' && e + 1 < len && text[e + 1] == '\n') e += 2;
    else e += 1;
  }
  *start = s;
  *end = e;
}

static int record(const gw_noise *n, hit_list *l, const char *text,
                  size_t len, size_t pos, uint32_t index) {
  const noise_pattern *pat = &n->patterns[index];
  if (pat->kind == KIND_SPAN) return push_hit(l, pos, pos + pat->len, (int)index);
  if (l->line_hit != SIZE_MAX) {
    gw_noise_hit *h = &l->items[l->line_hit];
    if (pos >= h->start && pos < h->end) {
      /* The merge would keep the lower pattern of two equal spans. */
      if ((int)index < h->pattern) h->pattern = (int)index;
      return GW_OK;
    }
  }
  size_t s, e;
  line_around(text, len, pos, &s, &e);
  l->line_hit = l->count;
  return push_hit(l, s, e, (int)index);
}

/* First index in the sorted prefixes equal to v, or indexed if none. */
static size_t lower_bound(const gw_noise *n, uint32_t v) {
  size_t lo = 0, hi = n->indexed;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (n->prefixes[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* Every indexed pattern that starts at text[i]. */
static int match_at(const gw_noise *n, const char *text, size_t len, size_t i,
                    hit_list *l) {
  /* Patterns are UTF-8: none starts on a continuation byte. */
  if (((unsigned char)text[i] & 0xC0) == 0x80) return GW_OK;
  uint32_t v = load32(text + i);
  unsigned h = filter_hash(v);
  if (GW_LIKELY(!(n->filter[h / 64] & ((uint64_t)1 << (h % 64))))) return GW_OK;
  for (size_t k = lower_bound(n, v); k < n->indexed && n->prefixes[k] == v; k++) {
    const noise_pattern *pat = &n->patterns[n->by_prefix[k]];
    if (pat->len > len - i) continue;
    if (memcmp(text + i + 4, n->pool + pat->offset + 4, pat->len - 4) != 0)
      continue;
    if (record(n, l, text, len, i, n->by_prefix[k]) < 0) return GW_ENOMEM;
  }
  return GW_OK;
}

/* One window of the skipping scan: the window ending at text[*end]. */
static inline int scan_step(const gw_noise *n, const char *text, size_t len,
                            size_t *end, hit_list *l) {
  unsigned shift = n->shift[block_hash_at((const unsigned char *)text, *end)];
  if (GW_LIKELY(shift)) {
    *end += shift;
    return GW_OK;
  }
  int rc = match_at(n, text, len, *end + 1 - n->window, l);
  *end += 1;
  return rc;
}

/* Appends b's hits to a's (b is emptied). */
static int append_hits(hit_list *a, hit_list *b) {
  if (b->count) {
    if (GW_GROW(a->items, a->cap, a->count + b->count) < 0) return GW_ENOMEM;
    memcpy(a->items + a->count, b->items, b->count * sizeof *b->items);
    a->count += b->count;
  }
  free(b->items);
  b->items = NULL;
  b->count = b->cap = 0;
  return GW_OK;
}

/* Each step of the scan waits for the shift its window's bytes select: a
 * chain of dependent loads.  The text is cut into SCAN_LANES stretches
 * scanned side by side, whose chains the processor runs at once.  A lane
 * starting anywhere misses no match (a skip only passes windows no
 * pattern can end in), and the lanes' windows follow each other, so their
 * hits, each lane's in text order (record() relies on it for line
 * patterns), are appended in lane order; the same line found by two
 * lanes is merged by merge_hits() as two matches of one lane would be. */
enum { SCAN_LANES = 4 };

static int scan_indexed(const gw_noise *n, const char *text, size_t len,
                        hit_list *l) {
  size_t window = n->window;
  if (n->indexed == 0 || len < window) return GW_OK;
  size_t first = window - 1, span = len - first;
  size_t end[SCAN_LANES], stop[SCAN_LANES];
  hit_list lanes[SCAN_LANES];
  for (int k = 0; k < SCAN_LANES; k++) {
    end[k] = first + span / SCAN_LANES * (size_t)k;
    stop[k] = k + 1 < SCAN_LANES ? first + span / SCAN_LANES * (size_t)(k + 1)
                                 : len;
    lanes[k] = (hit_list){NULL, 0, 0, SIZE_MAX};
  }
  lanes[0] = *l;
  int rc = GW_OK;
  /* A step moves a window at most n->most bytes: rounds of steps that
   * keep every lane short of its stop run without checking it. */
  for (;;) {
    size_t rounds = SIZE_MAX;
    for (int k = 0; k < SCAN_LANES; k++) {
      size_t r = end[k] < stop[k] ? (stop[k] - end[k]) / n->most : 0;
      if (r < rounds) rounds = r;
    }
    if (rounds == 0) break;
    for (; rounds > 0 && rc == GW_OK; rounds--)
      for (int k = 0; k < SCAN_LANES; k++)
        if (scan_step(n, text, len, &end[k], &lanes[k]) < 0) rc = GW_ENOMEM;
    if (rc != GW_OK) break;
  }
  for (int k = 0; k < SCAN_LANES; k++)
    while (rc == GW_OK && end[k] < stop[k])
      rc = scan_step(n, text, len, &end[k], &lanes[k]);
  for (int k = 1; k < SCAN_LANES; k++)
    if (rc == GW_OK) rc = append_hits(&lanes[0], &lanes[k]);
  for (int k = 1; k < SCAN_LANES; k++) free(lanes[k].items);
  *l = lanes[0];
  return rc;
}

static int scan_short(const gw_noise *n, const char *text, size_t len,
                      hit_list *l) {
  for (size_t k = 0; k < n->short_count; k++) {
    const noise_pattern *pat = &n->patterns[n->short_patterns[k]];
    const char *needle = n->pool + pat->offset;
    size_t pos = 0;
    while (pos + pat->len <= len) {
      const char *m = memchr(text + pos, needle[0], len - pos - pat->len + 1);
      if (!m) break;
      size_t at = (size_t)(m - text);
      if (memcmp(m, needle, pat->len) == 0 &&
          record(n, l, text, len, at, n->short_patterns[k]) < 0)
        return GW_ENOMEM;
      pos = at + 1;
    }
  }
  return GW_OK;
}

static int cmp_hit(const void *a, const void *b) {
  const gw_noise_hit *x = a, *y = b;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  if (x->end != y->end) return x->end > y->end ? -1 : 1;
  return (x->pattern > y->pattern) - (x->pattern < y->pattern);
}

/* Sort and merge overlapping hits in place. */
static void merge_hits(hit_list *l) {
  if (l->count < 2) return;
  qsort(l->items, l->count, sizeof *l->items, cmp_hit);
  size_t w = 0;
  for (size_t r = 1; r < l->count; r++) {
    gw_noise_hit *last = &l->items[w];
    if (l->items[r].start < last->end) {
      if (l->items[r].end > last->end) last->end = l->items[r].end;
    } else {
      l->items[++w] = l->items[r];
    }
  }
  l->count = w + 1;
}

int gw_noise_find(const gw_noise *noise, const char *text, size_t len,
                  gw_noise_hit **hits, size_t *count) {
  *hits = NULL;
  *count = 0;
  if (!noise || noise->count == 0 || len == 0) return GW_OK;
  hit_list l = {NULL, 0, 0, SIZE_MAX};
  if (scan_indexed(noise, text, len, &l) < 0 ||
      scan_short(noise, text, len, &l) < 0) {
    free(l.items);
    return GW_ENOMEM;
  }
  merge_hits(&l);
  *hits = l.items;
  *count = l.count;
  return GW_OK;
}
