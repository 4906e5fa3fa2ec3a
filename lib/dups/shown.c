/*
 * shown.c — a copied range as a reader sees it: the bytes of its
 * characters widened over the punctuation that belongs to them
 * (gw_dups_widen_shown).
 *
 * A range starts at its first matched character and ends after its last,
 * so a heading copied as 二）强化… loses the （ before it, and a sentence
 * its 。 after it.  An opening bracket or quote always belongs to the text
 * after it, a closing one and the mark ending a sentence to the text
 * before it: those directly next to the range are taken in, and nothing
 * else (no whitespace, no comma, nothing across a line break).  Only the
 * bytes shown change: punctuation is never a counted character, so the
 * range's characters and every count stay as they are.
 */
#include <utf8proc.h>

#include "dups_stages.h"

static int is_opening(int32_t cp) {
  utf8proc_category_t c = utf8proc_category(cp);
  return c == UTF8PROC_CATEGORY_PS || c == UTF8PROC_CATEGORY_PI;
}

static int is_closing(int32_t cp) {
  utf8proc_category_t c = utf8proc_category(cp);
  return c == UTF8PROC_CATEGORY_PE || c == UTF8PROC_CATEGORY_PF;
}

/* Marks that end a sentence or a clause of one (；：, the way official
 * text ends the items of a list).  ASCII '.' and ':' are left out: in 3.5
 * and 10:30 they are inside a number. */
static int is_terminal(int32_t cp) {
  switch (cp) {
  case 0x3002: /* 。 */
  case 0xFF0E: /* ． */
  case 0xFF01: /* ！ */
  case 0xFF1F: /* ？ */
  case 0xFF1B: /* ； */
  case 0xFF1A: /* ： */
  case 0x2026: /* … */
  case '!':
  case '?':
  case ';':
    return 1;
  default:
    return 0;
  }
}

/* The code point ending at s[at] (at > 0, not before lo): its first byte
 * into *from; -1 when the bytes there are not one valid sequence. */
static int32_t code_point_before(const unsigned char *s, size_t lo, size_t at, size_t *from) {
  size_t p = at - 1;
  while (p > lo && at - p < 4 && (s[p] & 0xC0) == 0x80) p--;
  int32_t cp;
  if (gw_utf8_next(s + p, at - p, &cp) != at - p) return -1;
  *from = p;
  return cp;
}

/* The code point starting at s[at] (at < hi): its end into *to; -1 when
 * invalid. */
static int32_t code_point_after(const unsigned char *s, size_t hi, size_t at, size_t *to) {
  int32_t cp;
  *to = at + gw_utf8_next(s + at, hi - at, &cp);
  return cp;
}

int gw_dups_widen_shown(size_t *start, size_t *end, const char *text, size_t len) {
  if (!start || !end || (len && !text) || *start > *end || *end > len) return GW_EINVAL;
  const unsigned char *s = (const unsigned char *)text;
  size_t lo = *start >= GW_DUPS_SHOWN_MARGIN ? *start - GW_DUPS_SHOWN_MARGIN : 0;
  size_t hi = len - *end >= GW_DUPS_SHOWN_MARGIN ? *end + GW_DUPS_SHOWN_MARGIN : len;
  size_t a = *start, from;
  int32_t cp;
  while (a > lo && (cp = code_point_before(s, lo, a, &from)) >= 0 && is_opening(cp)) a = from;
  /* Closing brackets and quotes, one mark ending the sentence (a run of …
   * being one), then the brackets and quotes it closes in turn: 。” and
   * ”。 alike. */
  size_t b = *end, to;
  int terminal_seen = 0;
  while (b < hi && (cp = code_point_after(s, hi, b, &to)) >= 0) {
    if (is_closing(cp) || (cp == 0x2026 && terminal_seen == 0x2026)) {
      b = to;
    } else if (is_terminal(cp) && !terminal_seen) {
      terminal_seen = cp;
      b = to;
    } else {
      break;
    }
  }
  *start = a;
  *end = b;
  return GW_OK;
}
