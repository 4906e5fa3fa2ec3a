/*
 * wrap.c — lines, and the hard-wrap analysis of the normalized view:
 * documents whose paragraphs the source broke every 20–40 characters (PDF
 * text, fixed-width exports) get their lines joined again.
 *
 * The document is hard-wrapped when most lines have nearly the same length
 * (the wrap) and mostly do not end a sentence (gw_wrap_analyze()); then a
 * line is joined to the previous one when that was filled to the wrap and
 * nothing marks a new paragraph: no blank line, no indent, no heading
 * marker, no title (gw_wrap_join()).
 */
#include <stdlib.h>
#include <string.h>

#include "markers.h"
#include "text_chars.h"
#include "wrap.h"

/* ------------------------------------------------------------------ */
/* Lines                                                               */
/* ------------------------------------------------------------------ */

void gw_line_scanner_init(gw_line_scanner *sc, const char *src, size_t len) {
  sc->src = src;
  sc->len = len;
  sc->lf = sc->cr = 0;
  const char *p = memchr(src, '\n', len);
  sc->lf = p ? (size_t)(p - src) : len;
  p = memchr(src, '\r', len);
  sc->cr = p ? (size_t)(p - src) : len;
}

void gw_line_scanner_line(gw_line_scanner *sc, size_t pos, size_t *le,
                          size_t *next) {
  if (sc->lf < pos) {
    const char *p = memchr(sc->src + pos, '\n', sc->len - pos);
    sc->lf = p ? (size_t)(p - sc->src) : sc->len;
  }
  if (sc->cr < pos) {
    const char *p = memchr(sc->src + pos, '\r', sc->len - pos);
    sc->cr = p ? (size_t)(p - sc->src) : sc->len;
  }
  size_t e = sc->lf < sc->cr ? sc->lf : sc->cr;
  *le = e;
  if (e >= sc->len) *next = sc->len;
  else if (sc->src[e] == '\r' && e + 1 < sc->len && sc->src[e + 1] == '\n')
    *next = e + 2;
  else
    *next = e + 1;
}

/* ------------------------------------------------------------------ */
/* Hard wrap                                                           */
/* ------------------------------------------------------------------ */

/* The two lengths of a line without its leading and trailing spaces:
 * code points, and display width (ASCII 1, everything else 2: Chinese
 * text is set in full-width cells).  Sources wrap by one or the other.
 * Also whether the line ends a sentence. */
typedef struct line_measure {
  uint32_t cps, width;
  int term;
  int indented; /* starts with two spaces, an ideographic space or a tab */
} line_measure;

static line_measure measure_line(const char *src, size_t s, size_t e) {
  const unsigned char *u = (const unsigned char *)src;
  int32_t cp, last = NONE_CP, before = NONE_CP;
  line_measure m = {0, 0, 0, 0};
  uint32_t pend_cps = 0, pend_width = 0, lead = 0; /* spaces */
  while (s < e) {
    size_t n = gw_utf8_next(u + s, e - s, &cp);
    s += n;
    uint32_t w = cp >= 0 && cp < 0x80 ? 1 : 2;
    if (is_space(cp)) {
      if (m.cps > 0) {
        pend_cps++;
        pend_width += w;
      } else {
        lead += cp == ' ' ? 1 : 2;
      }
      continue;
    }
    m.cps += pend_cps + 1;
    m.width += pend_width + w;
    pend_cps = pend_width = 0;
    before = last;
    last = cp;
  }
  m.term = ends_sentence(last, before);
  m.indented = m.cps > 0 && lead >= 2;
  return m;
}

/* Decide whether the document is hard-wrapped: most lines have nearly the
 * same length W (the wrap) and those lines mostly do not end a sentence,
 * while few lines are much longer than W.  A document of real paragraphs
 * has lengths spread from short headings to lines of hundreds of
 * characters, so neither condition holds.  Both measures (code points,
 * display width) are tried: a source wraps by one of them, and digits and
 * Latin letters make the other vary.  Cheap for normal documents: lines
 * are only measured when the average line is short. */
enum {
  WRAP_MAX = 400,           /* longer lines are just "longer" */
  WRAP_MIN = 16,            /* 8 Han characters */
  WRAP_MAX_AVG_BYTES = 300, /* average line of a document worth measuring */
  WRAP_SAMPLE_LINES = 4000  /* lines measured to decide */
};

static size_t count_byte(const char *s, size_t n, char c) {
  size_t k = 0;
  for (const char *p = s, *end = s + n;
       (p = memchr(p, c, (size_t)(end - p))) != NULL; p++)
    k++;
  return k;
}

/* From a histogram of one measure (hist[WRAP_MAX] counts the longer
 * lines; open[] the lines not ending a sentence): the wrap length's lower
 * bound if the lines look hard-wrapped by this measure, else 0. */
static uint32_t wrap_threshold(const uint32_t *hist, const uint32_t *open,
                               size_t nonblank) {
  /* The densest window of ±3, then its most frequent length: W. */
  size_t best = 0, centre = 0, w = 0;
  for (size_t c = WRAP_MIN; c + 3 < WRAP_MAX; c++) {
    size_t sum = 0;
    for (size_t k = c - 3; k <= c + 3; k++) sum += hist[k];
    if (sum > 0 && sum >= best) { /* ties: the longer */
      best = sum;
      centre = c;
    }
  }
  if (!centre) return 0;
  for (size_t k = centre - 3; k <= centre + 3; k++)
    if (hist[k] >= hist[w]) w = k;
  /* Lines a little shorter than W are filled too: a punctuation mark or
   * a wide character moved to the next line. */
  size_t tol = w / 12 > 2 ? w / 12 : 2, full = 0, full_open = 0, longer = 0;
  size_t top = w + tol < WRAP_MAX ? w + tol : WRAP_MAX; /* hist has WRAP_MAX + 1 */
  for (size_t k = w - tol; k <= top; k++) {
    full += hist[k];
    full_open += open[k];
  }
  for (size_t k = w + tol + 1; k <= WRAP_MAX; k++) longer += hist[k];
  int hard = nonblank >= 6 && full >= 3 && full * 5 >= nonblank * 2 &&
             full_open * 2 >= full && longer * 10 <= nonblank;
  return hard ? (uint32_t)(w - tol) : 0;
}

int gw_wrap_analyze(gw_wrap_info *w, const char *src, size_t len) {
  memset(w, 0, sizeof *w);
  size_t breaks = count_byte(src, len, '\n');
  if (breaks == 0) breaks = count_byte(src, len, '\r');
  if (breaks < 5 || len / (breaks + 1) > WRAP_MAX_AVG_BYTES) return GW_OK;

  /* cps, cps not ending a sentence, width, width not ending one */
  uint32_t *hist = calloc(4 * (WRAP_MAX + 1), sizeof *hist);
  if (!hist) return GW_ENOMEM;
  uint32_t *hc = hist, *oc = hist + (WRAP_MAX + 1), *hw = oc + (WRAP_MAX + 1),
           *ow = hw + (WRAP_MAX + 1);
  size_t pos = 0, lines = 0, nonblank = 0, indented = 0;
  gw_line_scanner sc;
  gw_line_scanner_init(&sc, src, len);
  while (pos < len && lines++ < WRAP_SAMPLE_LINES) {
    size_t le, next;
    gw_line_scanner_line(&sc, pos, &le, &next);
    line_measure m = measure_line(src, pos, le);
    uint32_t c = m.cps > WRAP_MAX ? WRAP_MAX : m.cps;
    uint32_t d = m.width > WRAP_MAX ? WRAP_MAX : m.width;
    if (c > 0) nonblank++;
    if (m.indented) indented++;
    hc[c]++;
    hw[d]++;
    if (!m.term) {
      oc[c]++;
      ow[d]++;
    }
    pos = next;
  }
  w->min_cps = wrap_threshold(hc, oc, nonblank);
  w->min_width = wrap_threshold(hw, ow, nonblank);
  w->hard = w->min_cps > 0 || w->min_width > 0;
  /* Paragraphs marked by a first-line indent (公文 are set that way): a
   * minority of the lines, at least two. */
  w->indents = w->hard && indented >= 2 && indented * 10 <= nonblank * 6;
  free(hist);
  return GW_OK;
}

/* Was text[ls, le) filled up to the wrap (by either measure that wraps)? */
int gw_wrap_line_full(const gw_wrap_info *w, const char *src, size_t ls,
                      size_t le) {
  if (!w->hard) return 0;
  line_measure m = measure_line(src, ls, le);
  return (w->min_cps && m.cps >= w->min_cps) ||
         (w->min_width && m.width >= w->min_width);
}

static size_t cp_at(const char *src, size_t pos, size_t le, int32_t *cp) {
  if (pos >= le) {
    *cp = NONE_CP;
    return 0;
  }
  return gw_utf8_next((const unsigned char *)src + pos, le - pos, cp);
}

static int line_indented(const char *src, size_t ls, size_t le) {
  int32_t cp;
  size_t n = cp_at(src, ls, le, &cp);
  if (cp == '\t' || cp == 0x3000) return 1;
  if (cp != ' ') return 0;
  cp_at(src, ls + n, le, &cp);
  return cp == ' ';
}

/* Does s hold a clause mark (，。；：！？ or their ASCII forms)?  A line
 * without one is a phrase: a title or a heading. */
static int has_clause_mark(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = 0; i < n;) {
    int32_t cp;
    i += gw_utf8_next(u + i, n - i, &cp);
    switch (cp) {
    case 0xFF0C: case 0x3002: case 0xFF1B: case 0xFF1A: case 0xFF01:
    case 0xFF1F: case ',': case ';': case ':': case '!': case '?':
      return 1;
    default:
      break;
    }
  }
  return 0;
}

/* The last two characters of line[0, len). */
static void last_two(const char *line, size_t len, int32_t *last,
                     int32_t *before) {
  *last = *before = NONE_CP;
  size_t e = len;
  for (int k = 0; k < 2 && e > 0; k++) {
    size_t s = e - 1;
    while (s > 0 && ((unsigned char)line[s] & 0xC0) == 0x80) s--;
    int32_t cp;
    gw_utf8_next((const unsigned char *)line + s, e - s, &cp);
    if (k == 0) *last = cp;
    else *before = cp;
    e = s;
  }
}

int gw_wrap_join(const gw_wrap_info *w, const gw_wrap_prev *prev,
                 const char *src, size_t ls, size_t le) {
  if (!w->hard || prev->blank_after) return 0;
  if (!prev->full) return 0;                   /* a paragraph's last line */
  if (line_indented(src, ls, le)) return 0;    /* a paragraph's first line */
  /* A sentence may end exactly at the wrap; only the indent of the next
   * paragraph tells, when the document has them. */
  int32_t last, before;
  last_two(prev->text, prev->len, &last, &before);
  if (!w->indents && ends_sentence(last, before)) return 0;
  size_t marker;
  /* The document's first line, a phrase, is its title. */
  if (prev->is_first && !has_clause_mark(prev->text, prev->len)) return 0;
  /* A heading phrase as long as the wrap is joined only to its own tail
   * (a short line), unless indents tell paragraphs apart. */
  if (!w->indents && gw_heading_marker(prev->text, prev->len, &marker) > 0 &&
      !has_clause_mark(prev->text + marker, prev->len - marker) &&
      gw_wrap_line_full(w, src, ls, le))
    return 0;
  if (gw_heading_marker(src + ls, le - ls, &marker) > 0) return 0;
  return 1;
}
