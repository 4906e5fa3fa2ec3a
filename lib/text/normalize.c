/*
 * normalize.c — the normalized view every analysis runs on, built character
 * by character from the decoded text with a map back to it.
 *
 * What the view does (each rule says why; see also gongwen.h):
 *
 *  Lines and paragraphs
 *   - LF, CRLF and CR end a line.  Paragraphs are separated by one LF; no
 *     leading, trailing or repeated LF, so blank lines and lines that only
 *     held noise leave nothing behind.
 *   - Hard-wrapped documents (a paragraph broken every 20–40 characters by
 *     the source) get their lines joined again: wrap.c.
 *
 *  Removed, and reported as removals (gw_text_removal)
 *   - noise spans and lines (dict/noise.txt, gw_noise_find());
 *   - page numbers: a line holding only —1—, - 2 -, -3-, 第3页, 第 3 页 共
 *     10 页 (or 共10页第3页); and —12— or 第3页共10页 between two Han
 *     characters inside a sentence.  2022-2023 and 1-2次 are not page numbers:
 *     inside a sentence the number must be framed by dashes on both sides
 *     and sit between Han characters;
 *   - pinyin annotations: "(zé)" or "（zé）" after a Han character —
 *     lower-case syllables with a tone mark or tone digit, so (1), (XX),
 *     (PDF) and (ok) stay.
 *
 *  Removed silently (they carry no text)
 *   - spaces at line starts and ends; spaces next to a Han character or
 *     Chinese punctuation (PDF extraction puts them inside words: 意识 形态;
 *     typesetting puts them around Latin words: 使用 PDF 格式 — neither is a
 *     word boundary a Chinese reader sees).  Other runs of spaces (between
 *     Latin words) become one ASCII space;
 *   - zero-width and format characters, soft hyphens, control characters.
 *
 *  Folded (one character for one character, so offsets stay exact)
 *   - full-width ASCII (Ａ１％．＋…) → ASCII, U+3000 and other spaces → space;
 *   - but the Chinese full-width punctuation ，；：？！（） stays: it is the
 *     dominant form in this genre (and keeps the offset map sparse); the
 *     ASCII , ; : ? ! ( ) are folded TO it in Han text — when the nearest
 *     word on either side, past spaces and other marks, is Han (mixed
 *     punctuation from Word/PDF) — except "," and ":" between digits
 *     (1,000, 10:30).  A "(…)" pair is folded as a pair, when either side or
 *     its content is Han: (一)加强 → （一）加强, 格式(PDF) → 格式（PDF）;
 *   - Kangxi and CJK radicals (⼯ U+2F2F, as PDFs emit them), CJK
 *     compatibility ideographs and half-width CJK punctuation (｡ ､ ｢ ｣) →
 *     their NFKC form (utf8proc), when that is a single code point.  Other
 *     compatibility characters are kept on purpose: ① ② are enumeration
 *     markers (folding them to 1 2 would glue them to the digits that
 *     follow), ² and ℃ change meaning or length;
 *   - traditional → simplified with a char→char table built from OpenCC's
 *     t2s once per gw_normalizer, and OpenCC's phrases in a paragraph that
 *     is clearly traditional: t2s.c.
 *
 * The view is a fixed point of these character rules: normalizing it again
 * changes nothing, because each rule looks past what the others remove or
 * fold (hard-wrap joining, a document-level guess, aside).
 *
 * Offsets: every emitted character maps to the text bytes it came from
 * (gw_offset_map, anchors only where the views stop advancing together);
 * removed bytes show up as to_end < to.  Characters that are copied
 * unchanged are copied by runs, so text that needs few changes costs one
 * decoding pass and a memcpy.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "stages.h"
#include "t2s.h"
#include "text_chars.h"
#include "wrap.h"

/* An AVX2 path for the plain Han runs, chosen at run time (the build
 * targets plain x86-64): GCC and clang on x86-64 only, and never where
 * GW_NO_AVX2 is defined; elsewhere the portable loop does all of it. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(GW_NO_AVX2)
#define GW_HAN_RUN_AVX2 1
#include <immintrin.h>
#endif

/* ------------------------------------------------------------------ */
/* Character classes (and text_chars.h)                                */
/* ------------------------------------------------------------------ */

/* A pinyin letter: a–z or a vowel with a tone mark (or ü, ê).  *tone is
 * set for a tone mark, *vowel for a vowel. */
static int pinyin_letter(int32_t cp, int *vowel, int *tone) {
  if (cp >= 'a' && cp <= 'z') {
    if (strchr("aeiouv", (int)cp)) *vowel = 1;
    return 1;
  }
  switch (cp) {
  case 0x00FC: case 0x00EA: /* ü ê */
    *vowel = 1;
    return 1;
  case 0x0101: case 0x00E1: case 0x01CE: case 0x00E0: /* ā á ǎ à */
  case 0x0113: case 0x00E9: case 0x011B: case 0x00E8: /* ē é ě è */
  case 0x012B: case 0x00ED: case 0x01D0: case 0x00EC: /* ī í ǐ ì */
  case 0x014D: case 0x00F3: case 0x01D2: case 0x00F2: /* ō ó ǒ ò */
  case 0x016B: case 0x00FA: case 0x01D4: case 0x00F9: /* ū ú ǔ ù */
  case 0x01D6: case 0x01D8: case 0x01DA: case 0x01DC: /* ǖ ǘ ǚ ǜ */
  case 0x0144: case 0x0148: case 0x01F9: case 0x1E3F: /* ń ň ǹ ḿ */
    *vowel = 1;
    *tone = 1;
    return 1;
  default:
    return 0;
  }
}

/* The blocks whose NFKC forms the view takes: radicals, compatibility
 * ideographs, half-width CJK punctuation. */
static int is_nfkc_folded(int32_t cp) {
  return (cp >= 0x2E80 && cp <= 0x2FDF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFF61 && cp <= 0xFF64) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

/* The single code point NFKC gives for cp, or cp itself. */
static int32_t nfkc_single(int32_t cp) {
  utf8proc_int32_t buf[4];
  int boundclass = 0;
  utf8proc_ssize_t n =
      utf8proc_decompose_char(cp, buf, 4, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT,
                              &boundclass);
  return n == 1 ? (int32_t)buf[0] : cp;
}

/* ------------------------------------------------------------------ */
/* State                                                               */
/* ------------------------------------------------------------------ */

typedef struct nstate {
  const gw_normalizer *nz;
  const char *src;
  size_t len;
  const gw_noise_hit *hits;
  size_t hit_count, hit;

  char *out;
  size_t out_len, out_cap;
  gw_offset_map map;
  ptrdiff_t delta;   /* text - normalized offset along the current run */
  size_t prev_end;   /* text end of the last emitted character */
  int in_run;        /* characters from run_start on are copied verbatim */
  size_t run_start;
  gw_text_removal *rem;
  size_t rem_count, rem_cap;
  size_t char_count;
  int rc;            /* first error; emission stops once it is set */
  int phrases_failed; /* the error came from the phrase conversion */

  /* the current paragraph */
  int have_para;
  size_t para_start;
  int32_t prev_cp;   /* last character emitted in the paragraph */
  size_t para_han, para_mapped;
  gw_t2s_original *mapped; /* the paragraph's table-converted characters */
  size_t mapped_count, mapped_cap;
  uint32_t paren_bits; /* fold decisions of the open ASCII parentheses */
  unsigned paren_depth;

  /* whitespace seen but not yet emitted or dropped */
  int pending_space;
  size_t space_pos, space_len;

  /* the previous content line, for the separator and hard-wrap joins */
  size_t prev_le, prev_next, line_out_start;
  int prev_full;     /* the previous content line was filled to the wrap */
  int blank;         /* a blank line since the previous content line */
  int after_page;    /* blank lines after a page number are page furniture */
  gw_wrap_info wrap;

  char *scratch;     /* a traditional paragraph as the text had it */
  size_t scratch_cap;
  int avx2;          /* plain_han_run may take eight characters at a time */
} nstate;

/* ------------------------------------------------------------------ */
/* Output and the offset map                                           */
/* ------------------------------------------------------------------ */

static int reserve(nstate *st, size_t extra) {
  if (st->rc) return 0;
  if (GW_LIKELY(st->out_len + extra + 1 <= st->out_cap)) return 1;
  if (GW_GROW(st->out, st->out_cap, st->out_len + extra + 1) < 0) {
    st->rc = GW_ENOMEM;
    return 0;
  }
  return 1;
}

/* Anchor the character about to be written (from text offset s) unless it
 * continues the current run with nothing removed in between. */
static void anchor(nstate *st, size_t s) {
  ptrdiff_t d = (ptrdiff_t)s - (ptrdiff_t)st->out_len;
  if (d == st->delta && s == st->prev_end) return;
  int rc = gw_offset_map_add(&st->map, st->out_len, s, st->prev_end);
  if (rc < 0 && !st->rc) st->rc = rc;
  st->delta = d;
}

/* Copy text[s, e) unchanged. */
static void emit_src(nstate *st, size_t s, size_t e) {
  if (e <= s || !reserve(st, e - s)) return;
  anchor(st, s);
  memcpy(st->out + st->out_len, st->src + s, e - s);
  st->out_len += e - s;
  st->prev_end = e;
}

/* Write cp for the text bytes [s, e). */
static void emit_cp(nstate *st, int32_t cp, size_t s, size_t e) {
  if (!reserve(st, 4)) return;
  anchor(st, s);
  st->out_len += gw_utf8_encode(cp, st->out + st->out_len);
  st->prev_end = e;
  if (cp != '\n') st->char_count++;
}

static void flush(nstate *st, size_t pos) {
  if (!st->in_run) return;
  st->in_run = 0;
  emit_src(st, st->run_start, pos);
}

/* Emit or drop the pending whitespace now that `next` follows it. */
static void resolve_space(nstate *st, int32_t next) {
  st->pending_space = 0;
  if (st->prev_cp == NONE_CP || st->prev_cp == ' ' || is_cjk(st->prev_cp) ||
      is_cjk(next))
    return;
  emit_cp(st, ' ', st->space_pos, st->space_pos + st->space_len);
  st->prev_cp = ' ';
}

/* A character copied as it is (extends the current run). */
static inline void plain(nstate *st, size_t pos, int32_t cp) {
  if (!st->in_run) {
    if (st->pending_space) resolve_space(st, cp);
    st->in_run = 1;
    st->run_start = pos;
  }
  st->prev_cp = cp;
  st->char_count++;
}

/* A character written in another form. */
static void put_cp(nstate *st, int32_t cp, size_t s, size_t e) {
  flush(st, s);
  if (st->pending_space) resolve_space(st, cp);
  emit_cp(st, cp, s, e);
  st->prev_cp = cp;
}

static void whitespace(nstate *st, size_t pos, size_t n) {
  flush(st, pos);
  if (!st->pending_space) {
    st->pending_space = 1;
    st->space_pos = pos;
    st->space_len = n;
  }
}

static void add_removal(nstate *st, size_t s, size_t e, gw_removal_kind kind,
                        int pattern) {
  flush(st, s);
  if (st->rc) return;
  if (GW_GROW(st->rem, st->rem_cap, st->rem_count + 1) < 0) {
    st->rc = GW_ENOMEM;
    return;
  }
  gw_text_removal *r = &st->rem[st->rem_count++];
  r->start = s;
  r->end = e;
  r->norm_pos = st->out_len;
  r->kind = kind;
  r->pattern = pattern;
}

/* ------------------------------------------------------------------ */
/* Small matchers over the text                                        */
/* ------------------------------------------------------------------ */

static size_t cp_at(const nstate *st, size_t pos, size_t le, int32_t *cp) {
  if (pos >= le) {
    *cp = NONE_CP;
    return 0;
  }
  return gw_utf8_next((const unsigned char *)st->src + pos, le - pos, cp);
}

/* Past spaces and invisible characters (which the view drops). */
static size_t skip_spaces(const nstate *st, size_t pos, size_t le) {
  int32_t cp;
  size_t n;
  while ((n = cp_at(st, pos, le, &cp)) > 0 && (is_space(cp) || is_ignorable(cp)))
    pos += n;
  return pos;
}

/* The first character after pos that is not a space (NONE_CP if none). */
static int32_t next_nonspace(const nstate *st, size_t pos, size_t le) {
  int32_t cp;
  cp_at(st, skip_spaces(st, pos, le), le, &cp);
  return cp;
}

static size_t match_dashes(const nstate *st, size_t pos, size_t le) {
  int32_t cp;
  size_t n, k = 0;
  while (k < 3 && (n = cp_at(st, pos, le, &cp)) > 0 && is_dash(cp)) {
    pos += n;
    k++;
  }
  return k ? pos : 0;
}

/* 1 to 4 digits (ASCII or full-width); returns the end or 0. */
static size_t match_number(const nstate *st, size_t pos, size_t le) {
  int32_t cp;
  size_t n, k = 0;
  while ((n = cp_at(st, pos, le, &cp)) > 0 && is_digit_any(cp)) {
    if (++k > 4) return 0;
    pos += n;
  }
  return k ? pos : 0;
}

static size_t match_lit(const nstate *st, size_t pos, size_t le,
                        const char *lit) {
  size_t n = strlen(lit);
  return pos + n <= le && memcmp(st->src + pos, lit, n) == 0 ? pos + n : 0;
}

/* "第 N 页" → end or 0. */
static size_t match_page_of(const nstate *st, size_t pos, size_t le,
                            const char *first, const char *last) {
  if (!(pos = match_lit(st, pos, le, first))) return 0;
  if (!(pos = match_number(st, skip_spaces(st, pos, le), le))) return 0;
  return match_lit(st, skip_spaces(st, pos, le), le, last);
}

/* An optional separator between 第3页 and 共10页: ， , / or nothing. */
static size_t skip_page_separator(const nstate *st, size_t pos, size_t le) {
  size_t p = skip_spaces(st, pos, le);
  size_t q;
  if ((q = match_lit(st, p, le, "，")) || (q = match_lit(st, p, le, ",")) ||
      (q = match_lit(st, p, le, "/")))
    p = skip_spaces(st, q, le);
  return p;
}

/* 第3页共10页 / 共10页第3页 (need_total) or also a bare 第3页. */
static size_t match_cn_page(const nstate *st, size_t pos, size_t le,
                            int need_total) {
  size_t e = match_page_of(st, pos, le, "第", "页");
  if (e) {
    size_t t = match_page_of(st, skip_page_separator(st, e, le), le, "共", "页");
    return t ? t : need_total ? 0 : e;
  }
  e = match_page_of(st, pos, le, "共", "页");
  if (!e) return 0;
  return match_page_of(st, skip_page_separator(st, e, le), le, "第", "页");
}

/* —12— : dashes, a number, dashes (spaces allowed inside). */
static size_t match_dash_page(const nstate *st, size_t pos, size_t le) {
  if (!(pos = match_dashes(st, pos, le))) return 0;
  if (!(pos = match_number(st, skip_spaces(st, pos, le), le))) return 0;
  return match_dashes(st, skip_spaces(st, pos, le), le);
}

/* Is text[s, e) (trimmed) a page number line? */
static int is_page_line(const nstate *st, size_t s, size_t e) {
  if (e - s > 64) return 0;
  size_t m = match_dash_page(st, s, e);
  if (!m) m = match_cn_page(st, s, e, 0);
  return m == e;
}

/* A page number inside a sentence, at pos, right after a Han character:
 * its length if a Han character follows it, else 0. */
static size_t inline_page(const nstate *st, size_t pos, size_t le, int cn) {
  size_t e = cn ? match_cn_page(st, pos, le, 1) : match_dash_page(st, pos, le);
  if (!e) return 0;
  return gw_is_han(next_nonspace(st, e, le)) ? e - pos : 0;
}

/* A pinyin annotation at pos ("(zé)", "（zé）", "(ze2)", "(zé rèn)"): its
 * length, or 0. */
/* One pinyin syllable at p (letters, maybe a tone digit): its end, or 0. */
static size_t pinyin_syllable(const nstate *st, size_t p, size_t le, int *tone) {
  int vowel = 0, letters = 0;
  int32_t cp;
  size_t n;
  while ((n = cp_at(st, p, le, &cp)) > 0 && pinyin_letter(cp, &vowel, tone)) {
    letters++;
    p += n;
  }
  if (letters == 0 || letters > 6 || !vowel) return 0;
  if (p < le && st->src[p] >= '1' && st->src[p] <= '5') {
    *tone = 1;
    p++;
  }
  return p;
}

static size_t pinyin_len(const nstate *st, size_t pos, size_t le) {
  int32_t cp;
  size_t p = skip_spaces(st, pos + cp_at(st, pos, le, &cp), le);
  int tone = 0;
  for (int syllables = 0; syllables < 8; syllables++) {
    if (!(p = pinyin_syllable(st, p, le, &tone))) return 0;
    p = skip_spaces(st, p, le);
    cp_at(st, p, le, &cp);
    if (cp == ')' || cp == 0xFF09)
      return tone ? p + (cp == ')' ? 1 : 3) - pos : 0;
  }
  return 0;
}

/* ------------------------------------------------------------------ */
/* Characters                                                          */
/* ------------------------------------------------------------------ */

static int32_t fullwidth_of(unsigned char c) {
  switch (c) {
  case ',': return 0xFF0C;
  case ';': return 0xFF1B;
  case ':': return 0xFF1A;
  case '?': return 0xFF1F;
  case '!': return 0xFF01;
  case '(': return 0xFF08;
  case ')': return 0xFF09;
  default: return c;
  }
}

static void push_paren(nstate *st, int fold) {
  if (st->paren_depth < 32) {
    if (fold) st->paren_bits |= (uint32_t)1 << st->paren_depth;
    else st->paren_bits &= ~((uint32_t)1 << st->paren_depth);
  }
  st->paren_depth++;
}

/* Pops the fold decision of the innermost open parenthesis: 1 fold, 0
 * keep, -1 none open. */
static int pop_paren(nstate *st) {
  if (st->paren_depth == 0) return -1;
  st->paren_depth--;
  if (st->paren_depth >= 32) return -1;
  return (int)((st->paren_bits >> st->paren_depth) & 1u);
}

/* Spaces and punctuation (ASCII, Chinese, full-width) are skipped when
 * looking for the words around an ASCII mark to fold: whether a
 * neighbouring mark is folded already must not change the decision, or
 * normalizing the view again would change it. */
static int is_punct_or_space(int32_t cp) {
  if (cp > ' ' && cp < 0x7F) return !is_ascii_alnum(cp);
  return is_space(cp) || is_cjk_punct(cp) || (cp >= 0xFF01 && cp <= 0xFF0F) ||
         (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
         (cp >= 0xFF5B && cp <= 0xFF5E);
}

enum { WORD_LOOKAROUND = 16 }; /* characters */

/* The nearest word character before pos in the paragraph (as emitted). */
static int32_t word_before(nstate *st, size_t pos) {
  flush(st, pos);
  const unsigned char *o = (const unsigned char *)st->out;
  size_t e = st->out_len;
  for (int k = 0; k < WORD_LOOKAROUND && e > st->para_start; k++) {
    size_t b = e - 1;
    while (b > st->para_start && (o[b] & 0xC0) == 0x80) b--;
    int32_t cp;
    gw_utf8_next(o + b, e - b, &cp);
    if (!is_punct_or_space(cp)) return cp;
    e = b;
  }
  return NONE_CP;
}

/* The nearest word character from pos on in the line (as in the text,
 * noise skipped). */
static int32_t word_after(const nstate *st, size_t pos, size_t le) {
  size_t h = st->hit;
  for (int k = 0; k < WORD_LOOKAROUND; k++) {
    while (h < st->hit_count && st->hits[h].end <= pos) h++;
    if (h < st->hit_count && st->hits[h].start <= pos) pos = st->hits[h].end;
    int32_t cp;
    size_t n = cp_at(st, pos, le, &cp);
    if (n == 0) break;
    if (!is_punct_or_space(cp) && !is_ignorable(cp))
      return is_nfkc_folded(cp) ? nfkc_single(cp) : cp; /* ⼯ is Han */
    pos += n;
  }
  return NONE_CP;
}

/* Is the nearest word before or after the mark at pos Han? */
static int han_around(nstate *st, size_t pos, size_t le) {
  return gw_is_han(word_before(st, pos)) ||
         gw_is_han(word_after(st, pos + 1, le));
}

/* , ; : ? ! → full-width next to Han text, except "," and ":" between
 * digits. */
static size_t ascii_punct(nstate *st, size_t pos, size_t le) {
  unsigned char c = (unsigned char)st->src[pos];
  int32_t next;
  cp_at(st, pos + 1, le, &next);
  int fold;
  if ((c == ',' || c == ':') && gw_is_ascii_digit(st->prev_cp) &&
      is_digit_any(next))
    fold = 0;
  else
    fold = han_around(st, pos, le);
  if (fold) put_cp(st, fullwidth_of(c), pos, pos + 1);
  else plain(st, pos, c);
  return pos + 1;
}

/* The ')' or '）' closing the '(' at pos on this line (within a short
 * distance, no nesting), or 0. */
static size_t find_close(const nstate *st, size_t pos, size_t le, int *has_han) {
  size_t p = pos + 1, limit = pos + 200 < le ? pos + 200 : le;
  while (p < limit) {
    int32_t cp;
    size_t n = cp_at(st, p, limit, &cp);
    if (cp == ')' || cp == 0xFF09) return p;
    if (cp == '(' || cp == 0xFF08) return 0;
    if (gw_is_han(cp) || (is_nfkc_folded(cp) && gw_is_han(nfkc_single(cp))))
      *has_han = 1; /* ⼯ will be 工 */
    p += n;
  }
  return 0;
}

static size_t open_paren(nstate *st, size_t pos, size_t n, int32_t cp,
                         size_t le) {
  if (gw_is_han(st->prev_cp)) { /* spaces between would go anyway */
    size_t k = pinyin_len(st, pos, le);
    if (k) {
      add_removal(st, pos, pos + k, GW_REMOVED_PINYIN, -1);
      return pos + k;
    }
  }
  if (cp != '(') { /* （ stays, and its ASCII ')' will be folded */
    push_paren(st, 1);
    plain(st, pos, cp);
    return pos + n;
  }
  int has_han = 0, fold = gw_is_han(word_before(st, pos));
  size_t close = find_close(st, pos, le, &has_han);
  if (close) {
    int32_t c;
    size_t cl = cp_at(st, close, le, &c);
    fold = fold || has_han || gw_is_han(word_after(st, close + cl, le));
  } else {
    fold = fold || gw_is_han(word_after(st, pos + 1, le));
  }
  push_paren(st, fold);
  if (fold) put_cp(st, 0xFF08, pos, pos + 1);
  else plain(st, pos, '(');
  return pos + 1;
}

static size_t close_paren(nstate *st, size_t pos, size_t n, int32_t cp,
                          size_t le) {
  int fold = pop_paren(st);
  if (cp != ')') { /* ） stays */
    plain(st, pos, cp);
    return pos + n;
  }
  if (fold < 0)
    fold = han_around(st, pos, le);
  if (fold) put_cp(st, 0xFF09, pos, pos + 1);
  else plain(st, pos, ')');
  return pos + 1;
}

/* A dash: maybe a page number inside a sentence. */
static size_t dash(nstate *st, size_t pos, size_t n, int32_t cp, size_t le) {
  if (gw_is_han(st->prev_cp)) {
    size_t k = inline_page(st, pos, le, 0);
    if (k) {
      add_removal(st, pos, pos + k, GW_REMOVED_PAGE_NUMBER, -1);
      return pos + k;
    }
  }
  if (cp == 0xFF0D) put_cp(st, '-', pos, pos + n);
  else plain(st, pos, cp);
  return pos + n;
}

/* A Han character: traditional → simplified through the table. */
static void han(nstate *st, size_t pos, size_t n, int32_t cp) {
  st->para_han++;
  int32_t to = t2s_lookup(st->nz, cp);
  if (!to) {
    plain(st, pos, cp);
    return;
  }
  st->para_mapped++;
  flush(st, pos);
  if (st->pending_space) resolve_space(st, to);
  /* Remember what was there, for patch_traditional(). */
  char tmp[4];
  if (gw_utf8_encode(to, tmp) == n && !st->rc) {
    if (GW_GROW(st->mapped, st->mapped_cap, st->mapped_count + 1) < 0) {
      st->rc = GW_ENOMEM;
      return;
    }
    st->mapped[st->mapped_count].off = st->out_len;
    st->mapped[st->mapped_count].orig = cp;
    st->mapped_count++;
  }
  emit_cp(st, to, pos, pos + n);
  st->prev_cp = to;
}

/* A folded character (full-width ASCII, NFKC single code point). */
static void folded(nstate *st, size_t pos, size_t n, int32_t to) {
  if (is_space(to)) {
    whitespace(st, pos, n);
  } else if (gw_is_han(to)) {
    int32_t s = t2s_lookup(st->nz, to);
    st->para_han++;
    put_cp(st, s ? s : to, pos, pos + n);
  } else {
    put_cp(st, to, pos, pos + n);
  }
}

static size_t fullwidth(nstate *st, size_t pos, size_t n, int32_t cp,
                        size_t le) {
  switch (cp) {
  case 0xFF01: case 0xFF0C: case 0xFF1A: case 0xFF1B: case 0xFF1F:
    plain(st, pos, cp); /* ！，：；？ stay */
    return pos + n;
  case 0xFF08:
    return open_paren(st, pos, n, cp, le);
  case 0xFF09:
    return close_paren(st, pos, n, cp, le);
  case 0xFF0D:
    return dash(st, pos, n, cp, le);
  default:
    put_cp(st, cp - 0xFEE0, pos, pos + n);
    return pos + n;
  }
}

static size_t ascii_special(nstate *st, size_t pos, size_t le) {
  unsigned char c = (unsigned char)st->src[pos];
  switch (c) {
  case ' ': case '\t': case '\f': case '\v':
    whitespace(st, pos, 1);
    return pos + 1;
  case ',': case ';': case ':': case '?': case '!':
    return ascii_punct(st, pos, le);
  case '(':
    return open_paren(st, pos, 1, '(', le);
  case ')':
    return close_paren(st, pos, 1, ')', le);
  case '-':
    return dash(st, pos, 1, '-', le);
  default: /* control characters */
    flush(st, pos);
    return pos + 1;
  }
}

static inline int ascii_plain(unsigned c) {
  if (c <= ' ' || c >= 0x7F) return 0;
  switch (c) {
  case ',': case ';': case ':': case '?': case '!': case '(': case ')':
  case '-':
    return 0;
  default:
    return 1;
  }
}

/* Any character outside ASCII and the BMP Han blocks. */
static size_t other_char(nstate *st, size_t pos, size_t n, int32_t cp,
                         size_t le) {
  if (cp < 0) { /* an invalid byte (only with replace_invalid off) */
    plain(st, pos, cp);
  } else if (is_space(cp)) {
    whitespace(st, pos, n);
  } else if (is_ignorable(cp)) {
    flush(st, pos);
  } else if (is_dash(cp)) {
    return dash(st, pos, n, cp, le);
  } else if (cp >= 0xFF01 && cp <= 0xFF5E) {
    return fullwidth(st, pos, n, cp, le);
  } else if (is_nfkc_folded(cp)) {
    int32_t to = nfkc_single(cp);
    if (to != cp) folded(st, pos, n, to);
    else plain(st, pos, cp);
  } else if (cp >= 0x20000 && gw_is_han(cp)) {
    st->para_han++;
    plain(st, pos, cp);
  } else {
    plain(st, pos, cp);
  }
  return pos + n;
}

/* The punctuation other_char() and fullwidth() copy as it is, which the
 * run below takes too, by han_stops word (code point / 64) and bit: 、。《》
 * (U+3001, 3002, 300A, 300B), “” (U+201C, 201D), ！，：；？ (U+FF01, FF0C,
 * FF1A, FF1B, FF1F).  Text has one of them every few Han characters. */
static inline uint64_t plain_punct(uint32_t word) {
  switch (word) {
  case 0x3000 / 64: return 1u << 0x01 | 1u << 0x02 | 1u << 0x0A | 1u << 0x0B;
  case 0x2000 / 64: return 1u << 0x1C | 1u << 0x1D;
  case 0xFF00 / 64: return 1u << 0x01 | 1u << 0x0C | 1u << 0x1A | 1u << 0x1B | 1u << 0x1F;
  default: return 0;
  }
}

#ifdef GW_HAN_RUN_AVX2
/* plain_han_run's loop over the bit set, eight three-byte characters (24
 * bytes) at a time while 28 bytes are left before `end`: each one's bytes
 * spread into a 32-bit lane, the lead and continuation bits checked, the
 * code point assembled and its bit of han_stops gathered (read as 32-bit
 * words, little-endian).  The plain_punct() marks are stops of han_stops
 * that the run takes: their bits, all in the low halves of three words, are
 * cleared in the lanes of those words, and *punct counts them.  Returns the
 * start of the first character that the scalar loop must look at: one that
 * is not E0–EF with two continuation bytes, or another stop, or the first
 * of the last 27 bytes.  Garbage lanes still index inside the 8 KB bit set:
 * the code point is assembled from masked bits, so it is below 0x10000. */
__attribute__((target("avx2"))) static size_t
plain_han_run_avx2(const uint64_t *han_stops, const unsigned char *s,
                   size_t pos, size_t end, size_t *punct) {
  const __m256i spread = _mm256_setr_epi8(
      0, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8, -1, 9, 10, 11, -1,
      0, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8, -1, 9, 10, 11, -1);
  const __m256i form_mask = _mm256_set1_epi32(0xC0C0F0);
  const __m256i form_want = _mm256_set1_epi32(0x8080E0);
  /* the code point's bits of the three bytes, then (lead * 64 + second)
   * and third as 16-bit pairs, then those pairs into one */
  const __m256i bits = _mm256_set1_epi32(0x3F3F0F),
                by_byte = _mm256_set1_epi32(0x010140),
                by_pair = _mm256_set1_epi32(0x010040);
  const __m256i low5 = _mm256_set1_epi32(31), one = _mm256_set1_epi32(1);
  /* the marks' 32-bit words (code point / 32) and their bits there */
#define MARK_WORD(base) _mm256_set1_epi32((base) / 32)
#define MARK_BITS(base) _mm256_set1_epi32((int)(uint32_t)plain_punct((base) / 64))
  const __m256i mark_word_a = MARK_WORD(0x3000), mark_bits_a = MARK_BITS(0x3000),
                mark_word_b = MARK_WORD(0x2000), mark_bits_b = MARK_BITS(0x2000),
                mark_word_c = MARK_WORD(0xFF00), mark_bits_c = MARK_BITS(0xFF00);
#undef MARK_WORD
#undef MARK_BITS
  const int *words = (const int *)(const void *)han_stops;
  while (end - pos >= 28) {
    const __m128i lo = _mm_loadu_si128((const __m128i *)(const void *)(s + pos));
    const __m128i hi = _mm_loadu_si128((const __m128i *)(const void *)(s + pos + 12));
    const __m256i v = _mm256_shuffle_epi8(
        _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1), spread);
    const __m256i form =
        _mm256_cmpeq_epi32(_mm256_and_si256(v, form_mask), form_want);
    const __m256i cp = _mm256_madd_epi16(
        _mm256_maddubs_epi16(_mm256_and_si256(v, bits), by_byte), by_pair);
    const __m256i at = _mm256_srli_epi32(cp, 5), bit = _mm256_and_si256(cp, low5);
    const __m256i word = _mm256_i32gather_epi32(words, at, 4);
    const __m256i marks = _mm256_or_si256(
        _mm256_and_si256(_mm256_cmpeq_epi32(at, mark_word_a), mark_bits_a),
        _mm256_or_si256(
            _mm256_and_si256(_mm256_cmpeq_epi32(at, mark_word_b), mark_bits_b),
            _mm256_and_si256(_mm256_cmpeq_epi32(at, mark_word_c), mark_bits_c)));
    const __m256i stop = _mm256_and_si256(
        _mm256_srlv_epi32(_mm256_andnot_si256(marks, word), bit), one);
    const __m256i plain = _mm256_andnot_si256(
        _mm256_cmpeq_epi32(stop, one), form);
    const unsigned mask =
        (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(plain));
    const unsigned mark = (unsigned)_mm256_movemask_ps(
        _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_srlv_epi32(marks, bit), 31)));
    if (mask != 0xFFu) {
      const unsigned taken = (unsigned)__builtin_ctz(~mask);
      *punct += (size_t)__builtin_popcount(mark & ((1u << taken) - 1));
      return pos + 3 * (size_t)taken;
    }
    *punct += (size_t)__builtin_popcount(mark);
    pos += 24;
  }
  return pos;
}
#endif

/* The Han characters after one copied as it is (the run is open), as long
 * as they are copied as they are too: neither folded by the table nor 第 (a
 * page number may start there), and before `end`; with a normalizer, the
 * plain_punct() marks between them too.  The common case, counted without
 * the general dispatch; returns where it stopped. */
static size_t plain_han_run(nstate *st, const unsigned char *s, size_t pos,
                            size_t end) {
  const gw_normalizer *nz = st->nz;
  const size_t stop = end >= 2 ? end - 2 : 0; /* three bytes before end */
  const size_t from = pos;
  size_t punct = 0; /* plain punctuation taken into the run */
  int32_t last = st->prev_cp;
  if (nz) {
    /* Leads E0–EF with two continuation bytes, then one test of the stop
     * set, which rules out what the loop below does not take.  While four
     * bytes are left, the three are read as one little-endian word: the
     * lead and continuation bits are one masked compare. */
    const size_t stop4 = end >= 3 ? end - 3 : 0;
#ifdef GW_HAN_RUN_AVX2
    if (st->avx2) pos = plain_han_run_avx2(nz->han_stops, s, pos, end, &punct);
#endif
    while (pos < stop4) {
      uint32_t w;
      memcpy(&w, s + pos, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
      w = __builtin_bswap32(w);
#endif
      if ((w & 0xC0C0F0u) != 0x8080E0u) break;
      /* t2s_han_stop without assembling the code point: its word is the
       * lead's and the second byte's bits, its bit the third byte's. */
      uint32_t word = (w & 0x0Fu) << 6 | (w >> 8 & 0x3Fu), bit = w >> 16 & 0x3Fu;
      if ((nz->han_stops[word] >> bit) & 1u) {
        if (!((plain_punct(word) >> bit) & 1u)) break;
        punct++;
      }
      pos += 3;
    }
    if (pos > from)
      last = (int32_t)((s[pos - 3] & 0x0Fu) << 12 | (s[pos - 2] & 0x3Fu) << 6 |
                       (s[pos - 1] & 0x3Fu));
    while (pos < stop) {
      unsigned c = s[pos];
      if ((c & 0xF0) != 0xE0 || (((s[pos + 1] ^ 0x80u) | (s[pos + 2] ^ 0x80u)) & 0xC0)) break;
      uint32_t cp = (c & 0x0Fu) << 12 | (s[pos + 1] & 0x3Fu) << 6 | (s[pos + 2] & 0x3Fu);
      if (t2s_han_stop(nz, cp)) break;
      last = (int32_t)cp;
      pos += 3;
    }
  } else {
    while (pos < stop) {
      unsigned c = s[pos];
      /* E3–E9 with two continuation bytes: U+3000–U+9FFF, always valid. */
      if ((unsigned)(c - 0xE3) > 0xE9 - 0xE3 ||
          (((s[pos + 1] ^ 0x80u) | (s[pos + 2] ^ 0x80u)) & 0xC0))
        break;
      int32_t cp = (int32_t)((c & 0x0F) << 12 | (s[pos + 1] & 0x3Fu) << 6 |
                             (s[pos + 2] & 0x3Fu));
      if (cp < T2S_BMP_FIRST || cp == 0x7B2C /* 第 */) break;
      last = cp;
      pos += 3;
    }
  }
  st->prev_cp = last;
  st->char_count += (pos - from) / 3;
  st->para_han += (pos - from) / 3 - punct;
  return pos;
}

static size_t next_hit_start(const nstate *st) {
  return st->hit < st->hit_count ? st->hits[st->hit].start : (size_t)-1;
}

/* Normalize the characters of one content line, text[pos, le). */
static void process_line(nstate *st, size_t pos, size_t le) {
  const unsigned char *s = (const unsigned char *)st->src;
  size_t hit_at = next_hit_start(st);
  while (pos < le) {
    if (GW_UNLIKELY(pos >= hit_at)) {
      const gw_noise_hit *h = &st->hits[st->hit++];
      add_removal(st, h->start, h->end, GW_REMOVED_NOISE, h->pattern);
      if (h->end > pos) pos = h->end;
      hit_at = next_hit_start(st);
      continue;
    }
    unsigned c = s[pos];
    if (c < 0x80) {
      if (GW_LIKELY(ascii_plain(c))) {
        plain(st, pos, (int32_t)c);
        pos++;
      } else {
        pos = ascii_special(st, pos, le);
      }
      continue;
    }
    int32_t cp;
    size_t n = gw_utf8_next(s + pos, le - pos, &cp);
    if (GW_LIKELY(cp >= T2S_BMP_FIRST && cp < T2S_BMP_END)) {
      if (GW_UNLIKELY(cp == 0x7B2C /* 第 */) && gw_is_han(st->prev_cp)) {
        size_t k = inline_page(st, pos, le, 1);
        if (k) {
          add_removal(st, pos, pos + k, GW_REMOVED_PAGE_NUMBER, -1);
          pos += k;
          continue;
        }
      }
      if (GW_LIKELY(!st->nz || !t2s_changes(st->nz, cp))) {
        st->para_han++;
        plain(st, pos, cp);
        pos += n;
        size_t end = le < hit_at ? le : hit_at;
        if (end > pos) pos = plain_han_run(st, s, pos, end);
      } else {
        han(st, pos, n, cp);
        pos += n;
      }
      continue;
    }
    pos = other_char(st, pos, n, cp, le);
  }
  flush(st, le);
  st->pending_space = 0; /* trailing spaces */
}

/* ------------------------------------------------------------------ */
/* Traditional paragraphs                                              */
/* ------------------------------------------------------------------ */

/* A paragraph that is clearly traditional (at least 1 in 20 Han
 * characters converted by the table) is converted again by OpenCC's
 * phrases (gw_t2s_convert_paragraph()). */
static void patch_traditional(nstate *st) {
  if (st->nz && !st->rc && st->para_mapped > 0 &&
      st->para_mapped * 20 >= st->para_han) {
    int rc = gw_t2s_convert_paragraph(
        st->out + st->para_start, st->out_len - st->para_start,
        st->para_start, st->mapped, st->mapped_count, &st->scratch,
        &st->scratch_cap);
    if (rc < 0) {
      st->rc = rc;
      st->phrases_failed = 1;
    }
  }
  st->mapped_count = 0;
}

/* ------------------------------------------------------------------ */
/* Lines (and wrap.c)                                                  */
/* ------------------------------------------------------------------ */

static void start_paragraph(nstate *st) {
  st->para_start = st->out_len;
  st->prev_cp = NONE_CP;
  st->para_han = st->para_mapped = 0;
  st->paren_depth = 0;
  st->have_para = 1;
}

/* Start of the first content character of text[ls, le), skipping spaces,
 * invisible characters and noise spans; le if there is none. */
static size_t first_content(const nstate *st, size_t ls, size_t le) {
  size_t h = st->hit, pos = ls;
  while (pos < le) {
    if (h < st->hit_count && st->hits[h].start <= pos) {
      if (st->hits[h].end > pos) pos = st->hits[h].end;
      h++;
      continue;
    }
    int32_t cp;
    size_t n = cp_at(st, pos, le, &cp);
    if (!is_space(cp) && !is_ignorable(cp)) return pos;
    pos += n;
  }
  return le;
}

static size_t trimmed_end(const nstate *st, size_t s, size_t le) {
  size_t e = le;
  while (e > s) {
    size_t b = e - 1;
    while (b > s && ((unsigned char)st->src[b] & 0xC0) == 0x80) b--;
    int32_t cp;
    gw_utf8_next((const unsigned char *)st->src + b, e - b, &cp);
    if (!is_space(cp) && !is_ignorable(cp)) break;
    e = b;
  }
  return e;
}

/* Join text[ls, le) to the previous content line (hard wrap)? */
static int join_previous(const nstate *st, size_t ls, size_t le) {
  gw_wrap_prev prev = {st->out + st->line_out_start,
                       st->out_len - st->line_out_start,
                       st->line_out_start == 0, st->prev_full, st->blank};
  return gw_wrap_join(&st->wrap, &prev, st->src, ls, le);
}

/* One line of the text: [ls, le) and its line end up to next. */
static void handle_line(nstate *st, size_t ls, size_t le, size_t next) {
  while (st->hit < st->hit_count && st->hits[st->hit].end <= ls) st->hit++;
  /* A `line` pattern: the line and its line end go. */
  if (st->hit < st->hit_count && st->hits[st->hit].start <= ls &&
      st->hits[st->hit].end >= next && next > ls) {
    const gw_noise_hit *h = &st->hits[st->hit++];
    add_removal(st, h->start, h->end, GW_REMOVED_NOISE, h->pattern);
    return;
  }
  size_t first = first_content(st, ls, le);
  int has_hits = st->hit < st->hit_count && st->hits[st->hit].start < le;
  if (first == le) { /* blank, or nothing but noise: no paragraph */
    if (!has_hits && !st->after_page) st->blank = 1;
    while (st->hit < st->hit_count && st->hits[st->hit].start < le) {
      const gw_noise_hit *h = &st->hits[st->hit++];
      add_removal(st, h->start, h->end, GW_REMOVED_NOISE, h->pattern);
    }
    return;
  }
  if (!has_hits) {
    size_t end = trimmed_end(st, first, le);
    if (is_page_line(st, first, end)) {
      add_removal(st, first, end, GW_REMOVED_PAGE_NUMBER, -1);
      st->after_page = 1;
      st->blank = 0; /* blank lines around a page number are furniture */
      return;
    }
  }
  if (!st->have_para) {
    start_paragraph(st);
  } else if (join_previous(st, ls, le)) {
    int32_t c;
    cp_at(st, first, le, &c);
    if (is_ascii_alnum(st->prev_cp) && is_ascii_alnum(c)) {
      emit_cp(st, ' ', st->prev_le, st->prev_next);
      st->prev_cp = ' ';
    }
  } else {
    patch_traditional(st);
    emit_cp(st, '\n', st->prev_le, st->prev_next);
    start_paragraph(st);
  }
  st->blank = st->after_page = 0;
  st->line_out_start = st->out_len;
  process_line(st, ls, le);
  st->prev_le = le;
  st->prev_next = next;
  st->prev_full = gw_wrap_line_full(&st->wrap, st->src, ls, le);
}

/* ------------------------------------------------------------------ */
/* Entry points                                                        */
/* ------------------------------------------------------------------ */

static void state_free(nstate *st) {
  free(st->out);
  gw_offset_map_free(&st->map);
  free(st->rem);
  free(st->mapped);
  free(st->scratch);
}

int gw_normalize(const gw_normalizer *normalizer, const gw_noise *noise,
                 const char *text, size_t len, gw_normalized *out,
                 gw_error *err) {
  memset(out, 0, sizeof *out);
  if (!text && len > 0) return gw_fail(err, GW_EINVAL, "normalize: text is NULL");
  if (len > GW_MAX_INPUT)
    return gw_fail(err, GW_ETOOBIG, "normalize: input of %zu bytes is too large",
                   len);
  nstate st;
  memset(&st, 0, sizeof st);
  st.nz = normalizer;
  st.src = text ? text : "";
  st.len = len;
  st.prev_cp = NONE_CP;
#ifdef GW_HAN_RUN_AVX2
  /* The processor's features are read once, before main, by the compiler's
   * run time: asking here writes nothing shared between threads. */
  st.avx2 = __builtin_cpu_supports("avx2");
#endif
  gw_noise_hit *hits = NULL;
  int rc = gw_noise_find(noise, st.src, len, &hits, &st.hit_count);
  st.hits = hits;
  if (rc == GW_OK) rc = gw_wrap_analyze(&st.wrap, st.src, len);
  if (rc == GW_OK && reserve(&st, len + len / 16 + 16)) {
    gw_line_scanner sc;
    gw_line_scanner_init(&sc, st.src, len);
    size_t pos = 0;
    while (pos < len && !st.rc) {
      size_t le, next;
      gw_line_scanner_line(&sc, pos, &le, &next);
      handle_line(&st, pos, le, next);
      pos = next;
    }
    if (st.have_para) patch_traditional(&st);
    /* The end of the view maps to the end of the text. */
    if (!st.rc) {
      int r = gw_offset_map_add(&st.map, st.out_len, len, st.prev_end);
      if (r < 0) st.rc = r;
    }
    rc = st.rc;
  } else if (rc == GW_OK) {
    rc = st.rc ? st.rc : GW_ENOMEM;
  }
  free(hits);
  if (rc < 0) {
    state_free(&st);
    if (rc == GW_ETOOBIG)
      return gw_fail(err, rc, "normalize: normalized view too large");
    return gw_fail(err, rc, "normalize: out of memory%s",
                   st.phrases_failed ? " (in the traditional phrase conversion)" : "");
  }
  st.out[st.out_len] = '\0';
  /* Give back the slack reserved up front (and any doubling). */
  if (st.out_cap - st.out_len > st.out_len / 32 + 64) {
    char *fitted = realloc(st.out, st.out_len + 1);
    if (fitted) st.out = fitted;
  }
  out->text = st.out;
  out->len = st.out_len;
  out->to_text = st.map;
  out->removals = st.rem;
  out->removal_count = st.rem_count;
  out->char_count = st.char_count;
  st.out = NULL;
  st.rem = NULL;
  memset(&st.map, 0, sizeof st.map);
  state_free(&st);
  return GW_OK;
}

void gw_normalized_free(gw_normalized *normalized) {
  if (!normalized) return;
  free(normalized->text);
  gw_offset_map_free(&normalized->to_text);
  free(normalized->removals);
  memset(normalized, 0, sizeof *normalized);
}
