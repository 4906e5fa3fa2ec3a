/*
 * structure.c — the outline of a report, read from its normalized view:
 * paragraphs, heading levels, the title, the typed sections (work done /
 * problems / next steps), inline enumerations (一是…二是…, （1）…) and
 * template masks (**局, xxx, xx月, x篇, ××).
 *
 * Everything here works on byte offsets into the normalized view; document.c
 * maps them back to the original file.  The functions keep no state between
 * calls and allocate only the result arrays (grown geometrically), which
 * the document keeps.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "markers.h"
#include "stages.h"

/* ------------------------------------------------------------------ */
/* Section keyword tables (data)                                       */
/* ------------------------------------------------------------------ */

/* A section heading is typed by the keyword that occurs EARLIEST in its
 * heading phrase (ties: the longer keyword), so "存在问题及下一步工作打算"
 * is PROBLEMS and "下一步主要工作" is NEXT_STEPS.  Bare words that also
 * occur in themed headings (整改, 落实, 工作, 问题) are deliberately absent:
 * "三、强化监督检查，通过整改推动落实" is not a next-steps heading. */
typedef struct gw_section_keyword {
  const char *word;
  gw_section_type type;
} gw_section_keyword;

static const gw_section_keyword gw_section_keywords[] = {
  /* work done */
  {"工作开展情况", GW_SECTION_WORK_DONE},
  {"开展情况", GW_SECTION_WORK_DONE},
  {"落实情况", GW_SECTION_WORK_DONE},
  {"完成情况", GW_SECTION_WORK_DONE},
  {"工作情况", GW_SECTION_WORK_DONE},
  {"主要做法", GW_SECTION_WORK_DONE},
  {"工作做法", GW_SECTION_WORK_DONE},
  {"经验做法", GW_SECTION_WORK_DONE},
  {"工作成效", GW_SECTION_WORK_DONE},
  {"主要成效", GW_SECTION_WORK_DONE},
  {"取得的成效", GW_SECTION_WORK_DONE},
  {"取得的成绩", GW_SECTION_WORK_DONE},
  {"工作成绩", GW_SECTION_WORK_DONE},
  {"主要工作", GW_SECTION_WORK_DONE},
  {"工作举措", GW_SECTION_WORK_DONE},
  {"工作开展", GW_SECTION_WORK_DONE},
  {"履职情况", GW_SECTION_WORK_DONE},
  {"自查情况", GW_SECTION_WORK_DONE},
  /* problems */
  {"存在的问题", GW_SECTION_PROBLEMS},
  {"存在问题", GW_SECTION_PROBLEMS},
  {"存在的不足", GW_SECTION_PROBLEMS},
  {"存在不足", GW_SECTION_PROBLEMS},
  {"存在的差距", GW_SECTION_PROBLEMS},
  {"存在的困难", GW_SECTION_PROBLEMS},
  {"主要问题", GW_SECTION_PROBLEMS},
  {"问题和不足", GW_SECTION_PROBLEMS},
  {"问题与不足", GW_SECTION_PROBLEMS},
  {"问题及不足", GW_SECTION_PROBLEMS},
  {"困难和问题", GW_SECTION_PROBLEMS},
  {"问题和差距", GW_SECTION_PROBLEMS},
  {"问题与差距", GW_SECTION_PROBLEMS},
  {"不足之处", GW_SECTION_PROBLEMS},
  {"差距", GW_SECTION_PROBLEMS},
  {"短板", GW_SECTION_PROBLEMS},
  {"薄弱环节", GW_SECTION_PROBLEMS},
  /* next steps */
  {"下一步", GW_SECTION_NEXT_STEPS},
  {"下步", GW_SECTION_NEXT_STEPS},
  {"工作打算", GW_SECTION_NEXT_STEPS},
  {"工作计划", GW_SECTION_NEXT_STEPS},
  {"工作思路", GW_SECTION_NEXT_STEPS},
  {"整改措施", GW_SECTION_NEXT_STEPS},
  {"整改方向", GW_SECTION_NEXT_STEPS},
  {"整改计划", GW_SECTION_NEXT_STEPS},
  {"改进措施", GW_SECTION_NEXT_STEPS},
  {"努力方向", GW_SECTION_NEXT_STEPS},
  {"今后打算", GW_SECTION_NEXT_STEPS},
  {"今后工作", GW_SECTION_NEXT_STEPS},
  {"意见建议", GW_SECTION_NEXT_STEPS},
};

#define GW_KEYWORD_COUNT \
  (sizeof gw_section_keywords / sizeof *gw_section_keywords)

/* A heading phrase with no keyword that ends with this word reads as an
 * account of work done: "一、2021年度落实意识形态工作责任制情况". */
static const char gw_work_done_suffix[] = "情况";

/* Limits for the title and for a bare phrase heading ("存在的问题：" alone on
 * its line), in code points. */
enum { GW_TITLE_MAX_CHARS = 64, GW_PHRASE_HEADING_MAX_CHARS = 20 };

/* Only the first words of a heading type it; further on, a line with no
 * 。 is body text running on ("一、工作开展情况今年以来…存在的问题…"). */
enum { GW_HEADING_PHRASE_MAX_CHARS = 40 };

/* ------------------------------------------------------------------ */
/* Characters                                                          */
/* ------------------------------------------------------------------ */

#define GW_CP_SHI 0x662F             /* 是 */
#define GW_CP_FOU 0x5426             /* 否 */

static size_t next_cp(const char *s, size_t n, size_t i, int32_t *cp) {
  return gw_utf8_next((const unsigned char *)s + i, n - i, cp);
}

static int is_open_paren(int32_t cp) { return cp == '(' || cp == 0xFF08; }

/* Sentence punctuation: a line holding one is a sentence, not a title; an
 * enumeration 一是 must follow one of these (or start the paragraph). */
static int is_sentence_punct(int32_t cp) {
  switch (cp) {
  case 0x3002: /* 。 */
  case 0xFF1B: /* ； */
  case 0xFF1A: /* ： */
  case 0xFF0C: /* ， */
  case 0xFF01: /* ！ */
  case 0xFF1F: /* ？ */
  case ';': case ':': case ',': case '!': case '?':
    return 1;
  default:
    return 0;
  }
}

/* Punctuation that ends a heading's phrase: "（一）加强组织领导。**局…" is
 * typed by "加强组织领导" only.  The comma is kept: themed headings use it
 * ("一、强化组织领导，牢牢把握正确的政治方向"). */
static int ends_heading_phrase(int32_t cp) {
  return is_sentence_punct(cp) && cp != 0xFF0C && cp != ',';
}

/* ------------------------------------------------------------------ */
/* Result arrays                                                       */
/* ------------------------------------------------------------------ */

/* Texts from this size on start their enumeration and mask arrays large. */
#define GW_TEXT_LARGE ((size_t)16 << 20)

typedef struct gw_builder {
  const char *text;
  size_t len;
  gw_structure *out;
  size_t paragraph_cap, enumeration_cap, mask_cap;
  size_t first_room; /* bytes an enumeration or mask array starts with */
  /* The section keywords by their first character, modulo 1024: those
   * whose first character falls in slot c are keyword_order[
   * keyword_from[g - 1] .. keyword_from[g]), in table order, where g =
   * keyword_group[c] (0: none).  keyword_type() compares only those that
   * may start where it stands. */
  uint8_t keyword_group[1024];
  uint8_t keyword_from[GW_KEYWORD_COUNT + 1];
  uint8_t keyword_order[GW_KEYWORD_COUNT];
  uint8_t keyword_len[GW_KEYWORD_COUNT];
} gw_builder;

/* The arrays are the document's (gw_huge_array_grow): it keeps them and
 * fills in the other views' offsets in place.  Elements are cleared first:
 * callers compare them, padding included, with memcmp. */
/* Room for one more element, or for the first ones. */
static size_t room_needed(const gw_builder *b, size_t count, size_t elem) {
  size_t first = b->first_room / elem;
  return count == 0 && first > 1 ? first : count + 1;
}

static int add_enumeration(gw_builder *b, size_t start, size_t end,
                           size_t paragraph, int ordinal) {
  gw_structure *out = b->out;
  if (gw_huge_array_grow((void **)&out->enumerations, &b->enumeration_cap,
                         room_needed(b, out->enumeration_count, sizeof *out->enumerations),
                         sizeof *out->enumerations) < 0)
    return GW_ENOMEM;
  gw_enumeration *e = &out->enumerations[out->enumeration_count++];
  memset(e, 0, sizeof *e);
  e->marker.norm_start = start;
  e->marker.norm_end = end;
  e->paragraph = paragraph;
  e->ordinal = ordinal;
  return GW_OK;
}

static int add_mask(gw_builder *b, size_t start, size_t end) {
  gw_structure *out = b->out;
  if (gw_huge_array_grow((void **)&out->masks, &b->mask_cap,
                         room_needed(b, out->mask_count, sizeof *out->masks),
                         sizeof *out->masks) < 0)
    return GW_ENOMEM;
  gw_range *mask = &out->masks[out->mask_count++];
  memset(mask, 0, sizeof *mask);
  mask->norm_start = start;
  mask->norm_end = end;
  return GW_OK;
}

/* ------------------------------------------------------------------ */
/* Paragraphs and headings                                             */
/* ------------------------------------------------------------------ */

static size_t count_lines(const char *s, size_t n) {
  size_t lines = 1;
  for (const char *lf = memchr(s, '\n', n); lf;
       lf = memchr(lf + 1, '\n', n - (size_t)(lf + 1 - s)))
    lines++;
  return lines;
}

static int scan_paragraph(gw_builder *b, size_t index, size_t first, size_t end);

/* One paragraph per LF-separated line; blank lines are separators only.
 * The array is sized once, from the lines left when the first paragraph is
 * found (so a text with none allocates nothing).  Each paragraph's heading
 * marker, enumerations and masks are found as it is added, while its text
 * is at hand. */
static int split_paragraphs(gw_builder *b) {
  size_t start = 0;
  while (start < b->len) {
    const char *lf = memchr(b->text + start, '\n', b->len - start);
    size_t end = lf ? (size_t)(lf - b->text) : b->len;
    size_t lead = gw_skip_spaces(b->text + start, end - start);
    if (lead < end - start) {
      size_t count = b->out->paragraph_count, marker;
      if (count == b->paragraph_cap &&
          gw_huge_array_grow((void **)&b->out->paragraphs, &b->paragraph_cap,
                             count + count_lines(b->text + start, b->len - start),
                             sizeof *b->out->paragraphs) < 0)
        return GW_ENOMEM;
      gw_paragraph *p = &b->out->paragraphs[count];
      b->out->paragraph_count++;
      memset(p, 0, sizeof *p);
      p->range.norm_start = start;
      p->range.norm_end = end;
      /* gw_heading_marker, its spaces skipped once */
      p->heading_level = gw_marker_at(b->text + start + lead, end - start - lead, &marker);
      p->is_title = 0;
      p->section = GW_SECTION_NONE;
      p->section_heading = GW_NO_OFFSET;
      if (scan_paragraph(b, count, start + lead, end) != GW_OK) return GW_ENOMEM;
    }
    start = end + 1;
  }
  return GW_OK;
}

/* Code points in s[0..n), stopping early past `limit`. */
static size_t count_chars(const char *s, size_t n, size_t limit) {
  size_t i = 0, chars = 0;
  while (i < n && chars <= limit) {
    int32_t cp;
    i += next_cp(s, n, i, &cp);
    chars++;
  }
  return chars;
}

static int has_sentence_punct(const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    int32_t cp;
    i += next_cp(s, n, i, &cp);
    if (is_sentence_punct(cp)) return 1;
  }
  return 0;
}

/* The title is the first paragraph when it is a short line that is neither a
 * heading nor a sentence ("关于2023年第三季度意识形态工作责任制落实情况汇报");
 * reports that open with body text ("2022年以来，…") have none. */
static void mark_title(gw_builder *b) {
  gw_paragraph *p;
  const char *s;
  size_t n;
  if (b->out->paragraph_count == 0) return;
  p = &b->out->paragraphs[0];
  s = b->text + p->range.norm_start;
  n = p->range.norm_end - p->range.norm_start;
  if (p->heading_level == 0 && !has_sentence_punct(s, n) &&
      count_chars(s, n, GW_TITLE_MAX_CHARS) <= GW_TITLE_MAX_CHARS)
    p->is_title = 1;
}

/* ------------------------------------------------------------------ */
/* Sections                                                            */
/* ------------------------------------------------------------------ */

static void index_keywords(gw_builder *b) {
  uint8_t group_of[GW_KEYWORD_COUNT], next[GW_KEYWORD_COUNT + 1] = {0};
  size_t groups = 0;
  for (size_t k = 0; k < GW_KEYWORD_COUNT; k++) {
    const char *w = gw_section_keywords[k].word;
    int32_t cp;
    b->keyword_len[k] = (uint8_t)strlen(w);
    next_cp(w, b->keyword_len[k], 0, &cp);
    uint8_t *slot = &b->keyword_group[cp & 1023];
    if (!*slot) *slot = (uint8_t)++groups;
    group_of[k] = (uint8_t)(*slot - 1);
    next[*slot]++; /* counted in the group's end, summed below */
  }
  for (size_t g = 1; g <= groups; g++) next[g] = (uint8_t)(next[g] + next[g - 1]);
  memcpy(b->keyword_from, next, sizeof b->keyword_from);
  for (size_t k = 0; k < GW_KEYWORD_COUNT; k++)
    b->keyword_order[next[group_of[k]]++] = (uint8_t)k;
}

/* Type of a heading phrase by the earliest keyword in it (ties: longest,
 * then the first in the table), GW_SECTION_NONE when no keyword occurs.
 * Keywords are UTF-8, so they can only start where a character does. */
static gw_section_type keyword_type(const gw_builder *b, const char *s,
                                    size_t n) {
  size_t i = 0;
  while (i < n) {
    int32_t cp;
    size_t l = next_cp(s, n, i, &cp), g;
    if (cp >= 0 && (g = b->keyword_group[cp & 1023]) != 0) {
      size_t best_len = 0;
      gw_section_type type = GW_SECTION_NONE;
      for (size_t m = b->keyword_from[g - 1]; m < b->keyword_from[g]; m++) {
        size_t k = b->keyword_order[m], wn = b->keyword_len[k];
        if (wn > best_len && wn <= n - i &&
            memcmp(s + i, gw_section_keywords[k].word, wn) == 0) {
          best_len = wn;
          type = gw_section_keywords[k].type;
        }
      }
      if (best_len) return type;
    }
    i += l;
  }
  return GW_SECTION_NONE;
}

/* The words of a heading: after its marker, up to the first 。；：！？
 * (a （一） heading often runs on into its body on the same line) and at
 * most GW_HEADING_PHRASE_MAX_CHARS, without trailing spaces. */
static void heading_phrase(const gw_builder *b, const gw_paragraph *p,
                           const char **phrase, size_t *len) {
  const char *s = b->text + p->range.norm_start;
  size_t n = p->range.norm_end - p->range.norm_start, marker = 0, i, end, chars = 0;
  gw_heading_marker(s, n, &marker);
  i = marker + gw_skip_spaces(s + marker, n - marker);
  end = i;
  while (end < n && chars++ < GW_HEADING_PHRASE_MAX_CHARS) {
    int32_t cp;
    size_t l = next_cp(s, n, end, &cp);
    if (ends_heading_phrase(cp)) break;
    end += l;
  }
  while (end > i && (s[end - 1] == ' ' || s[end - 1] == '\t')) end--;
  *phrase = s + i;
  *len = end - i;
}

/* Keyword type of a heading, then the 情况 suffix rule; NONE if neither. */
static gw_section_type heading_type(const gw_builder *b,
                                    const gw_paragraph *p) {
  const char *s;
  size_t n, sn = sizeof gw_work_done_suffix - 1;
  gw_section_type type;
  heading_phrase(b, p, &s, &n);
  type = keyword_type(b, s, n);
  if (type == GW_SECTION_NONE && n >= sn &&
      memcmp(s + n - sn, gw_work_done_suffix, sn) == 0)
    type = GW_SECTION_WORK_DONE;
  return type;
}

/* A body line that is only a short section phrase, e.g. "存在的问题：" or
 * "下一步工作打算" with no number. */
static int is_phrase_heading(const gw_builder *b, const gw_paragraph *p) {
  const char *s = b->text + p->range.norm_start;
  size_t n = p->range.norm_end - p->range.norm_start;
  if (p->heading_level != 0 || p->is_title) return 0;
  /* one trailing colon is allowed: "存在问题：" */
  if (n >= 3 && memcmp(s + n - 3, "：", 3) == 0) n -= 3;
  else if (n >= 1 && s[n - 1] == ':') n -= 1;
  if (n == 0 || has_sentence_punct(s, n)) return 0;
  if (count_chars(s, n, GW_PHRASE_HEADING_MAX_CHARS) >
      GW_PHRASE_HEADING_MAX_CHARS)
    return 0;
  return keyword_type(b, s, n) != GW_SECTION_NONE;
}

typedef enum gw_section_source {
  GW_FROM_NOTHING = 0,
  GW_FROM_LEVEL1,  /* 一、 headings */
  GW_FROM_PHRASES, /* bare phrase lines, when there is no 一、 */
  GW_FROM_LEVEL2   /* （一） headings, when there is neither */
} gw_section_source;

static gw_section_source section_source(const gw_builder *b) {
  size_t i;
  int level2 = 0, phrases = 0;
  for (i = 0; i < b->out->paragraph_count; i++) {
    const gw_paragraph *p = &b->out->paragraphs[i];
    if (p->heading_level == 1) return GW_FROM_LEVEL1;
    if (p->heading_level == 2) level2 = 1;
    if (!phrases && is_phrase_heading(b, p)) phrases = 1;
  }
  if (phrases) return GW_FROM_PHRASES;
  return level2 ? GW_FROM_LEVEL2 : GW_FROM_NOTHING;
}

static int is_section_heading(const gw_builder *b, const gw_paragraph *p,
                              gw_section_source src) {
  switch (src) {
  case GW_FROM_LEVEL1: return p->heading_level == 1;
  case GW_FROM_LEVEL2: return p->heading_level == 2;
  case GW_FROM_PHRASES: return is_phrase_heading(b, p);
  default: return 0;
  }
}

/* Types every section heading, then every paragraph after it.
 *
 * A heading without a keyword is typed by position: reports run "work done →
 * problems → next steps", so when a problems or next-steps section follows,
 * untyped headings before it are themed work-done headings (seed 004's
 * "一、强化组织领导，牢牢把握正确的政治方向").  Untyped headings after it,
 * or in a document with no problems/next-steps section at all (an
 * 实施方案's 指导思想/工作目标), are OTHER. */
static void assign_sections(gw_builder *b) {
  gw_paragraph *ps = b->out->paragraphs;
  size_t n = b->out->paragraph_count, i, first_later = GW_NO_OFFSET;
  size_t heading = GW_NO_OFFSET;
  gw_section_type current = GW_SECTION_NONE;
  gw_section_source src = section_source(b);
  if (src == GW_FROM_NOTHING) return;
  for (i = 0; i < n; i++) {
    if (!is_section_heading(b, &ps[i], src)) continue;
    ps[i].section = heading_type(b, &ps[i]);
    ps[i].section_heading = i; /* marks the heading for the pass below */
    if (first_later == GW_NO_OFFSET && (ps[i].section == GW_SECTION_PROBLEMS ||
                                        ps[i].section == GW_SECTION_NEXT_STEPS))
      first_later = i;
  }
  for (i = 0; i < n; i++) {
    if (ps[i].section_heading == i) {
      heading = i;
      if (ps[i].section == GW_SECTION_NONE)
        ps[i].section = first_later != GW_NO_OFFSET && i < first_later
                            ? GW_SECTION_WORK_DONE
                            : GW_SECTION_OTHER;
      current = ps[i].section;
    } else {
      ps[i].section = current;
      ps[i].section_heading = heading;
    }
  }
}

/* ------------------------------------------------------------------ */
/* Enumerations and masks                                              */
/* ------------------------------------------------------------------ */

/* 一是 (二是 …) at s[i]: a Chinese numeral, then 是, not 是否.  Returns the
 * marker's length or 0. */
static size_t match_shi(const char *s, size_t n, size_t i, int *ordinal) {
  int32_t cp;
  size_t l = gw_parse_cn_number(s + i, n - i, ordinal);
  if (l == 0 || i + l >= n) return 0;
  l += next_cp(s, n, i + l, &cp);
  if (cp != GW_CP_SHI) return 0;
  if (i + l < n) {
    int32_t after;
    next_cp(s, n, i + l, &after);
    if (after == GW_CP_FOU) return 0; /* "一是否…" is not an enumeration */
  }
  return l;
}

/* Enumerations and masks of a paragraph, in one pass.
 *
 * Enumerations: 一是 counts at the paragraph's start or after sentence
 * punctuation (so 统一是 does not); （1） counts anywhere but at the start,
 * where it is a level-4 heading instead.  Masks: **, xxx, ××, … anywhere
 * (gw_mask_length).  Neither kind of marker can start inside the other (a
 * marker is numerals, 是, parentheses and digits; a mask is * x X × and
 * their full-width forms), so one cursor serves both. */

typedef struct paragraph_scan {
  gw_builder *b;
  size_t index;       /* the paragraph */
  size_t first, end;  /* its first non-space byte, its end */
  int after_punct;    /* the previous character ends a sentence */
} paragraph_scan;

/* The character at i, looked at: an enumeration marker or a mask starting
 * there, or neither.  Returns where the scan goes on, 0 when out of memory
 * (never a valid answer: i < end).  The scan below calls it where it may
 * find something; called at any character, it does what the scan does. */
static size_t scan_look(paragraph_scan *ps, size_t i) {
  const char *s = ps->b->text;
  const size_t n = ps->end;
  int32_t cp;
  size_t l = next_cp(s, n, i, &cp), m = 0;
  int ordinal = 0, level = 0;
  /* Most characters after a punctuation mark start no numeral: the check
   * gw_parse_cn_number would make first, without the call. */
  if ((i == ps->first || ps->after_punct) && gw_cn_number_first_cp(cp))
    m = match_shi(s, n, i, &ordinal);
  if (m == 0 && i != ps->first && is_open_paren(cp)) {
    m = gw_paren_marker(s + i, n - i, &level, &ordinal);
    if (level != 4) m = 0; /* an inline （一） is not counted */
  }
  ps->after_punct = 0; /* a marker ends in 是 or ）, a mask in a mask char */
  if (m > 0)
    return add_enumeration(ps->b, i, i + m, ps->index, ordinal) == GW_OK ? i + m : 0;
  if (gw_mask_first_cp(cp)) {
    m = gw_mask_length(s, n, i);
    if (m > 0)
      return add_mask(ps->b, i, i + m) == GW_OK ? i + m : 0;
  }
  ps->after_punct = is_sentence_punct(cp);
  return i + l;
}

/* The bytes the scan stops at where no 一是 is due (the previous character
 * ends no sentence): the first bytes of every character scan_look() may do
 * more with than step over.  These are ! ( * , : ; ? X x (ASCII) and the
 * leads of × (C3 97), 。 (E3 80 82) and ！（＊，：；？Ｘｘ (EF BC xx,
 * EF BD 98); the other characters of those leads (、《》） …) are stepped
 * over where the scan stops.  Every other character scan_look() steps
 * over, leaving after_punct clear, so the scan passes them byte by byte:
 * none of these bytes is a continuation byte, which only ever follows its
 * lead (or stands alone, stepped over alone by scan_look() too), so the
 * scan stops on character starts only.  (Stopping at more bytes would only
 * cost time: scan_look() is right at any character.) */
static inline int is_stop_byte(unsigned char c) {
  switch (c) {
  case '!': case '(': case '*': case ',': case ':': case ';': case '?':
  case 'X': case 'x': case 0xC3: case 0xE3: case 0xEF:
    return 1;
  default:
    return 0;
  }
}

#ifdef __SSE2__
/* Of 16 bytes, the stop bytes (is_stop_byte), as bits.  Han text has no
 * ASCII in most blocks: the ASCII ones are compared only where some byte
 * is ASCII. */
static inline unsigned stop_mask16(const unsigned char *p) {
  const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
  /* 0x20 set: X and x are one compare, C3 and E3 another */
  const __m128i f = _mm_or_si128(v, _mm_set1_epi8(0x20));
#define EQ(x, c) _mm_cmpeq_epi8(x, _mm_set1_epi8((char)(c)))
  __m128i m = _mm_or_si128(EQ(f, 0xE3), EQ(v, 0xEF));
  if (_mm_movemask_epi8(v) != 0xFFFF) {
    m = _mm_or_si128(m, _mm_or_si128(_mm_or_si128(EQ(v, '!'), EQ(v, '(')),
                                     _mm_or_si128(EQ(v, '*'), EQ(v, ','))));
    m = _mm_or_si128(m, _mm_or_si128(_mm_or_si128(EQ(v, ':'), EQ(v, ';')),
                                     _mm_or_si128(EQ(v, '?'), EQ(f, 'x'))));
  }
#undef EQ
  return (unsigned)_mm_movemask_epi8(m);
}
#endif

/* The first stop byte in u[i..end) (i < end), or end.  Sixteen bytes at a
 * time while they lie inside the text (len): a paragraph's stretch of Han
 * text runs on for dozens of bytes between two stops. */
static inline size_t next_stop(const unsigned char *u, size_t i, size_t end,
                               size_t len) {
#ifdef __SSE2__
  while (len - i >= 16) {
    unsigned m = stop_mask16(u + i);
    if (m) {
      i += (size_t)__builtin_ctz(m);
      return i < end ? i : end;
    }
    i += 16;
    if (i >= end) return end;
  }
#endif
  while (i < end && !is_stop_byte(u[i])) i++;
  return i;
}

/* 。！，：；？ at u (three bytes there): what scan_look() at a mark that
 * is not the paragraph's first character only steps over, setting
 * after_punct (no marker, mask or parenthesis starts with one). */
static inline int sentence_mark3(const unsigned char *u) {
  if (u[0] == 0xE3) return u[1] == 0x80 && u[2] == 0x82; /* 。 */
  if (u[0] != 0xEF || u[1] != 0xBC) return 0;
  switch (u[2]) {
  case 0x81: case 0x8C: case 0x9A: case 0x9B: case 0x9F: return 1; /* ！，：；？ */
  default: return 0;
  }
}

/* Whether scan_look() at u (three bytes there, lead E3 or EF, not the
 * paragraph's first character, no 一是 due) would only step over the
 * character, leaving after_punct clear: U+3000–U+3FFF but 。, and
 * U+F000–U+FFFF but the marks of sentence_mark3() and （＊Ｘｘ. */
static inline int other_char3(const unsigned char *u) {
  if (((u[1] ^ 0x80u) | (u[2] ^ 0x80u)) & 0xC0) return 0; /* invalid */
  if (u[0] == 0xE3) return u[1] != 0x80 || u[2] != 0x82;
  if (u[1] == 0xBD) return u[2] != 0x98; /* ｘ */
  if (u[1] != 0xBC) return 1;
  switch (u[2]) {
  case 0x81: case 0x8C: case 0x9A: case 0x9B: case 0x9F: /* ！，：；？ */
  case 0x88: case 0x8A: case 0xB8:                       /* （＊Ｘ */
    return 0;
  default:
    return 1;
  }
}

/* Whether a numeral may start at u (after a sentence mark): a three-byte
 * character of U+1000–U+CFFF (gw_utf8_bmp3) is one of 一…九 十, else
 * scan_look() decides. */
static inline int may_start_numeral(const unsigned char *u, size_t n) {
  if (!gw_utf8_bmp3(u, n)) return 1;
  int32_t cp = (int32_t)((u[0] & 0x0Fu) << 12 | (u[1] & 0x3Fu) << 6 | (u[2] & 0x3Fu));
  return gw_cn_number_first_cp(cp);
}

/* Enumerations and masks of the paragraph `index`, [first, end) without its
 * leading spaces (which hold neither).
 *
 * The scan goes from stop byte to stop byte (is_stop_byte).  Where the
 * character before ends a sentence, and at the paragraph's first
 * character, a 一是 may start: there the character is looked at whatever
 * its first byte (scan_look() knows the first character: no （1） there). */
static int scan_paragraph(gw_builder *b, size_t index, size_t first, size_t end) {
  const unsigned char *u = (const unsigned char *)b->text;
  paragraph_scan ps = {b, index, first, end, 1};
  size_t i = first;
  while (i < end) {
    if (ps.after_punct) {
      /* 一…九 and 十 are U+4E00–U+5FFF, leads E4 and E5. */
      unsigned char c = u[i];
      if (is_stop_byte(c) ||
          ((c == 0xE4 || c == 0xE5) && may_start_numeral(u + i, end - i))) {
        if (!(i = scan_look(&ps, i))) return GW_ENOMEM;
        continue;
      }
      ps.after_punct = 0;
    }
    i = next_stop(u, i, end, b->len);
    if (i >= end) break;
    /* Most stops are Chinese punctuation, decided here without the call. */
    if (end - i >= 3 && (u[i] == 0xE3 || u[i] == 0xEF)) {
      if (sentence_mark3(u + i)) {
        ps.after_punct = 1;
        i += 3;
        continue;
      }
      if (other_char3(u + i)) {
        i += 3;
        continue;
      }
    }
    if (!(i = scan_look(&ps, i))) return GW_ENOMEM;
  }
  return GW_OK;
}

/* ------------------------------------------------------------------ */
/* Entry points                                                        */
/* ------------------------------------------------------------------ */

static int build(gw_builder *b) {
  index_keywords(b);
  if (split_paragraphs(b) != GW_OK) return GW_ENOMEM;
  mark_title(b);
  assign_sections(b);
  return GW_OK;
}

int gw_structure_build(const char *norm, size_t len, gw_structure *out,
                       gw_error *err) {
  gw_builder b;
  memset(out, 0, sizeof *out);
  if (!norm) len = 0;
  memset(&b, 0, sizeof b);
  b.text = norm;
  b.len = len;
  b.out = out;
  /* A large text's enumerations and masks (the 20 MB report file: 25,000
   * and 30,000, a megabyte each) start on a mapping of huge pages rather
   * than on small pages they outgrow (a fault each, tens of microseconds on
   * a virtual machine); at most 2 MB each, under a tenth of such a text. */
  if (len >= GW_TEXT_LARGE) b.first_room = GW_LARGE_ALLOC;
  if (build(&b) != GW_OK) {
    gw_structure_free(out);
    return gw_fail(err, GW_ENOMEM, "out of memory while building the "
                                   "document structure");
  }
  return GW_OK;
}

void gw_structure_free(gw_structure *structure) {
  if (!structure) return;
  gw_huge_array_free(structure->paragraphs);
  gw_huge_array_free(structure->enumerations);
  gw_huge_array_free(structure->masks);
  memset(structure, 0, sizeof *structure);
}
