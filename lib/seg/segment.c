/* segment.c — word segmentation: character classes split the text into runs;
 * Han runs are cut on the maximum-probability path through the dictionary's
 * word lattice (jieba's model), with unknown-character stretches handed to
 * the HMM; numbers, dates, percentages, Latin words, masks and punctuation
 * come out whole with their kind. */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "hmm.h"
#include "internal.h"
#include "lexicon.h"
#include "names.h"

struct gw_segmenter {
  const gw_dict *dict;
  gw_segment_options opts;
  gw_token *tokens;
  size_t count, capacity;
  /* Per Han run scratch, grown geometrically and reused across calls. */
  /* The run's characters, decoded from run_text only from cps_from on,
   * where a date or a name may start (decode_run_from): most runs never
   * need them, their trie walk reads codes only. */
  int32_t *cps;
  size_t cps_from;
  const unsigned char *run_text;
  /* Base-trie code of each character, 0 for a character no base word has
   * (or only user words: codes above the base alphabet), and a 0 after the
   * last: a walk stops on it without a bounds test. */
  uint32_t *codes;
  /* Every character's code, user-added ones included, for the user trie;
   * the same array as codes while no user word brought a new character. */
  uint32_t *user_codes;
  /* Byte offset of each character, plus the end; written only for a run
   * that is not all three-byte characters (run_uniform 0). */
  size_t *pos;
  int run_uniform;
  double *best;     /* best log-probability of the suffix from a char */
  uint32_t *next;   /* where the best first word of that suffix ends */
  double *hmm_prob;
  uint8_t *hmm_back, *hmm_states;
  size_t run_capacity;
  /* The last gw_segment_paragraph call's tokens. */
  gw_paragraph_token *paragraph_tokens;
  size_t paragraph_count, paragraph_capacity;
  /* BMP characters that may start a date in Chinese numerals or a
   * generated name without its frame (numerals, 十, 第, 全, 省 …): every
   * other character of a Han run skips both grammars. */
  uint64_t may_start_special[0x10000 / 64];
  /* By base-dictionary code: the first step of a walk, the trie node of
   * the one-character prefix (0: no word starts with the character) times
   * two, which indexes the 16-byte cells in steps of 8 (an x86 address
   * scales by 8 at most), and GW_FIRST_LOOK in the bit that frees where
   * the character may start a date or a name (special_code) or starts no
   * word.  One load and one bit test per character instead of a step, a
   * bit test and a test of the node. */
  uint32_t *first_step;
  /* By base-dictionary code: 1 where the character may start a date or a
   * name (may_start_special; code 0, characters without one, are asked one
   * by one). */
  uint8_t *special_code;
  /* By base-dictionary code: the score of the character as a one-character
   * word, the larger of its dictionary log-probability and the floor of a
   * character in no word (both are followed by the same suffix, and a sum
   * keeps the order of its terms), so that a walk starts from its second
   * character. */
  double *first_logp;
  /* The fast decode of scan_han_run: a three-byte character's first two
   * bytes, as one little-endian 16-bit word, pick a row of han_codes
   * (row 0: none, all GW_NOT_FAST), its third byte the entry there: a Han
   * character's base code (0: in no base word), GW_FAST_PUNCT for the
   * common Chinese marks (is_common_punct), GW_NOT_FAST for every other
   * byte.  One table walk from the bytes to the code the trie uses,
   * without the code point. */
  uint16_t *han_rows;
  uint16_t *han_codes;
};

#define GW_NOT_FAST 0xFFFFu
#define GW_FAST_PUNCT 0xFFFEu

/* Trie nodes fit in 31 bits (the dictionary's cell count is checked
 * against INT32_MAX when it is opened): twice one fits in 32. */
#define GW_FIRST_LOOK 1u

const char *gw_token_kind_name(gw_token_kind kind) {
  static const char *const names[] = {"word", "new_word", "number", "date",
                                      "percent", "latin", "mask", "punct",
                                      "space", "other"};
  return (unsigned)kind < sizeof names / sizeof *names ? names[kind] : "unknown";
}

static int is_cn_digit(int32_t cp);

/* Over the BMP blocks a Han run's characters come from (gw_is_han, and ○
 * after a numeral); characters beyond the BMP are always looked at.  A
 * name the segmenter asks for (gw_name_at without its frame) never starts
 * with 党 or 中, which begin only the frames. */
static void mark_special_starts(gw_segmenter *seg) {
  static const int32_t blocks[][2] = {{0x25CB, 0x25CC}, {0x3000, 0xA000},
                                      {0xF900, 0xFB00}};
  for (size_t k = 0; k < sizeof blocks / sizeof *blocks; k++)
    for (int32_t cp = blocks[k][0]; cp < blocks[k][1]; cp++)
      if (is_cn_digit(cp) || cp == 0x5341 /* 十 */ || gw_name_can_start_unframed(cp))
        seg->may_start_special[cp / 64] |= (uint64_t)1 << (cp % 64);
}

static inline int is_common_punct(int32_t cp);

/* The fast decode's entry for a BMP character of three bytes, or
 * GW_NOT_FAST where the general decode takes it (○, being Han only after
 * a numeral; a code the table cannot hold). */
static uint16_t fast_entry(const uint16_t *bmp_codes, int32_t cp) {
  if (gw_is_han(cp)) return bmp_codes[cp] < GW_FAST_PUNCT ? bmp_codes[cp] : GW_NOT_FAST;
  return is_common_punct(cp) ? GW_FAST_PUNCT : GW_NOT_FAST;
}

/* The fast decode's tables (han_rows, han_codes) for every Han character of
 * the BMP (all three bytes long) and the common marks of three bytes, over
 * the rows of 64 characters that hold them: “”‘’ (U+2000 on), 、。《》「」【】
 * with 〇 and the Han blocks, and ！（），：；？ (U+FF00 on). */
static int make_han_table(gw_segmenter *seg) {
  static const int32_t blocks[][2] = {
      {0x2000, 0x2040}, {0x3000, 0xA000}, {0xF900, 0xFB00}, {0xFF00, 0xFF40}};
  size_t most_rows = 1;
  for (size_t k = 0; k < sizeof blocks / sizeof *blocks; k++)
    most_rows += (size_t)(blocks[k][1] - blocks[k][0]) / 64;
  uint16_t *rows = calloc(0x10000, sizeof *rows);
  uint16_t *codes = malloc((most_rows << 8) * sizeof *codes);
  if (!rows || !codes) {
    free(rows);
    free(codes);
    return GW_ENOMEM;
  }
  const uint16_t *bmp_codes = seg->dict->bmp_codes;
  size_t row_count = 1;
  memset(codes, 0xFF, 256 * sizeof *codes);
  for (size_t k = 0; k < sizeof blocks / sizeof *blocks; k++)
    for (int32_t first = blocks[k][0]; first < blocks[k][1]; first += 64) {
      uint16_t *row = codes + (row_count << 8);
      int used = 0;
      memset(row, 0xFF, 256 * sizeof *row);
      for (int32_t cp = first; cp < first + 64; cp++) {
        row[0x80 | (cp & 0x3F)] = fast_entry(bmp_codes, cp);
        used |= row[0x80 | (cp & 0x3F)] != GW_NOT_FAST;
      }
      /* The row's lead bytes, as the text has them. */
      if (used)
        rows[(0xE0u | (unsigned)first >> 12) | (0x80u | ((unsigned)first >> 6 & 0x3Fu)) << 8] =
            (uint16_t)row_count++;
    }
  seg->han_rows = rows;
  seg->han_codes = codes;
  return GW_OK;
}

static inline int may_start_special(const gw_segmenter *seg, int32_t cp) {
  uint32_t u = (uint32_t)cp;
  if (u >= 0x10000) return 1;
  return (int)((seg->may_start_special[u / 64] >> (u % 64)) & 1u);
}

static int make_first_steps(gw_segmenter *seg) {
  const gw_dict *d = seg->dict;
  size_t alphabet = (size_t)d->header->alphabet_size;
  uint32_t *first = malloc((alphabet + 1) * sizeof *first);
  uint8_t *special = calloc(alphabet + 1, 1);
  double *first_logp = malloc((alphabet + 1) * sizeof *first_logp);
  if (!first || !special || !first_logp) {
    free(first);
    free(special);
    free(first_logp);
    return GW_ENOMEM;
  }
  special[0] = 1;
  for (uint32_t w = 0; w < 0x10000 / 64; w++)
    for (uint64_t bits = seg->may_start_special[w]; bits; bits &= bits - 1) {
      uint32_t c = d->bmp_codes[w * 64 + (uint32_t)__builtin_ctzll(bits)];
      if (c && c <= alphabet) special[c] = 1;
    }
  for (size_t i = 0; i < d->astral_count; i++) {
    uint32_t c = d->astral[i].code;
    if (c && c <= alphabet) special[c] = 1;
  }
  const double unseen = -d->header->log_total;
  for (uint32_t c = 0; c <= alphabet; c++) {
    uint32_t s = c ? gw_dat_step(d->units, GW_DAT_ROOT, c) : GW_DAT_NONE;
    if (s == GW_DAT_NONE) s = 0;
    first[c] = s << 1 | (special[c] || !s ? GW_FIRST_LOOK : 0);
    double lp = s ? gw_dict_value_logp(d->units[s].value) : unseen;
    /* A node without a word holds a NaN: no comparison with it holds. */
    first_logp[c] = lp >= unseen ? lp : unseen;
  }
  seg->first_step = first;
  seg->special_code = special;
  seg->first_logp = first_logp;
  return GW_OK;
}

int gw_segmenter_new(gw_segmenter **out, const gw_dict *dict,
                     const gw_segment_options *opts, gw_error *err) {
  *out = NULL;
  if (!dict) return gw_fail(err, GW_EINVAL, "gw_segmenter_new: no dictionary");
  gw_segment_options defaults = GW_SEGMENT_OPTIONS_INIT;
  if (opts && (opts->version < 1 || opts->version > GW_SEGMENT_OPTIONS_VERSION))
    return gw_fail(err, GW_EINVAL, "gw_segmenter_new: unknown options version %u",
                   opts->version);
  if (opts && opts->mode != GW_SEGMENT_PRECISE && opts->mode != GW_SEGMENT_SEARCH)
    return gw_fail(err, GW_EINVAL, "gw_segmenter_new: unknown mode %d", (int)opts->mode);
  gw_segmenter *seg = calloc(1, sizeof *seg);
  if (!seg) return gw_fail(err, GW_ENOMEM, "out of memory");
  seg->dict = dict;
  seg->opts = opts ? *opts : defaults;
  mark_special_starts(seg);
  if (make_first_steps(seg) || make_han_table(seg)) {
    gw_segmenter_free(seg);
    return gw_fail(err, GW_ENOMEM, "out of memory");
  }
  if (!dict->header->has_hmm) seg->opts.hmm = 0;
  *out = seg;
  return GW_OK;
}

void gw_segmenter_free(gw_segmenter *seg) {
  if (!seg) return;
  free(seg->tokens);
  free(seg->cps);
  free(seg->codes);
  free(seg->user_codes);
  free(seg->pos);
  free(seg->best);
  free(seg->next);
  free(seg->hmm_prob);
  free(seg->hmm_back);
  free(seg->hmm_states);
  free(seg->paragraph_tokens);
  free(seg->first_step);
  free(seg->special_code);
  free(seg->first_logp);
  free(seg->han_rows);
  free(seg->han_codes);
  free(seg);
}

static int grow_tokens(gw_segmenter *seg) {
  size_t cap = seg->capacity ? seg->capacity * 2 : 256;
  gw_token *t = realloc(seg->tokens, cap * sizeof *t);
  if (!t) return GW_ENOMEM;
  seg->tokens = t;
  seg->capacity = cap;
  return GW_OK;
}

static inline int push_token(gw_segmenter *seg, size_t start, size_t end,
                             gw_token_kind kind, int sub) {
  if (GW_UNLIKELY(seg->count == seg->capacity) && grow_tokens(seg)) return GW_ENOMEM;
  gw_token *t = &seg->tokens[seg->count++];
  t->start = start;
  t->end = end;
  t->kind = kind;
  t->sub = sub;
  return GW_OK;
}

#define GROW(field, n) \
  ((p = realloc(seg->field, (n) * sizeof *seg->field)) ? (seg->field = p, 0) : 1)

static int reserve_run(gw_segmenter *seg, size_t chars) {
  if (chars + 1 <= seg->run_capacity) return GW_OK;
  size_t cap = seg->run_capacity ? seg->run_capacity : 256;
  while (cap < chars + 1) cap *= 2;
  void *p;
  if (GROW(cps, cap) || GROW(codes, cap) || GROW(user_codes, cap) || GROW(pos, cap) ||
      GROW(best, cap) || GROW(next, cap) ||
      GROW(hmm_prob, 4 * cap) || GROW(hmm_back, 4 * cap) ||
      GROW(hmm_states, cap))
    return GW_ENOMEM;
  seg->run_capacity = cap;
  return GW_OK;
}

/* Byte offset of the run's character k from the run's start. */
static inline size_t run_offset(const gw_segmenter *seg, size_t k) {
  return seg->run_uniform ? 3 * k : seg->pos[k];
}

/* The run's code points from k to its end in cps[] (those from cps_from
 * on are there already): a date or a name may start at k, and its grammar
 * reads the characters from there. */
static void decode_run_from(gw_segmenter *seg, size_t k) {
  const unsigned char *text = seg->run_text;
  int32_t *cps = seg->cps;
  if (k >= seg->cps_from) return;
  if (seg->run_uniform) {
    /* Three bytes each, valid UTF-8 (scan_han_run checked them). */
    for (size_t j = k; j < seg->cps_from; j++) {
      const unsigned char *c = text + 3 * j;
      cps[j] = (int32_t)((c[0] & 0x0Fu) << 12 | (c[1] & 0x3Fu) << 6 | (c[2] & 0x3Fu));
    }
  } else {
    for (size_t j = k; j < seg->cps_from; j++)
      gw_utf8_next(text + seg->pos[j], seg->pos[j + 1] - seg->pos[j], &cps[j]);
  }
  seg->cps_from = k;
}

/* may_start_special of a run's character k; its code points from k on
 * are then in cps[]. */
static inline int special_at(gw_segmenter *seg, size_t k) {
  uint32_t c = seg->codes[k];
  if (!seg->special_code[c]) return 0;
  decode_run_from(seg, k);
  return c || may_start_special(seg, seg->cps[k]);
}

/* ------------------------------------------------------------------ */
/* Han runs                                                            */
/* ------------------------------------------------------------------ */

/* ---- Dates written in Chinese numerals: 二〇二三年, 十二月, 三十一日 ---- */

static int is_cn_digit(int32_t cp) {
  switch (cp) {
  case 0x3007: case 0x25CB: /* 〇 ○ */
  case 0x96F6: case 0x4E00: case 0x4E8C: case 0x4E09: case 0x56DB: /* 零一二三四 */
  case 0x4E94: case 0x516D: case 0x4E03: case 0x516B: case 0x4E5D: /* 五六七八九 */
    return 1;
  default:
    return 0;
  }
}

/* Length in characters of a date in Chinese numerals at run index a
 * (numerals and 年/月/日/号), or 0: a year of two or more digits
 * (二〇二三年), a month 一月 … 十二月, a day of two or more characters up to
 * 三十一日 (一日 is "one day" as often as a date). */
static size_t cn_date_length(const int32_t *cps, size_t a, size_t m) {
  size_t j = a;
  while (j < m && j - a < 6 && (is_cn_digit(cps[j]) || cps[j] == 0x5341)) j++;
  if (j == a || j == m) return 0;
  size_t n = j - a;
  int32_t unit = cps[j];
  if (unit == 0x5E74 /* 年 */) {
    for (size_t i = a; i < j; i++)
      if (!is_cn_digit(cps[i])) return 0;
    return n >= 2 ? n + 1 : 0;
  }
  int value = gw_cn_small_number(cps + a, n);
  if (unit == 0x6708 /* 月 */) return value >= 1 && value <= 12 ? n + 1 : 0;
  if (unit == 0x65E5 /* 日 */ || unit == 0x53F7 /* 号 */)
    return n >= 2 && value >= 1 && value <= 31 ? n + 1 : 0;
  return 0;
}

/* A date scores as a common word would, so that it beats the characters
 * it is written with (and 十二/月 or 二十/日 splits). */
#define GW_DATE_LOGP (-9.0)

/* A generated name (names.h: 二十届三中全会, 十四五规划, 第十二次党代会)
 * scores as a common word too, so that it stays one token whatever its
 * number; its frame (党的, 精神) is left to the dictionary, as the
 * segmentation standards cut it. */
#define GW_NAME_LOGP (-9.0)

/* The best first word of the path from a run's character a: where it
 * ends, and the path's log-probability. */
typedef struct run_path {
  double logp;
  uint32_t next;
} run_path;

/* A date or a name starting at the run's character a, when it beats the
 * path best_paths has for a so far.  Out of line: the inner loop keeps its
 * registers. */
static __attribute__((noinline)) run_path special_paths(gw_segmenter *seg, size_t a, size_t m,
                                                        run_path best) {
  if (!special_at(seg, a)) return best;
  const int32_t *cps = seg->cps;
  const double *suffix = seg->best;
  size_t date = cn_date_length(cps, a, m);
  if (date && GW_DATE_LOGP + suffix[a + date] > best.logp) {
    best.logp = GW_DATE_LOGP + suffix[a + date];
    best.next = (uint32_t)(a + date);
  }
  gw_name name;
  if (gw_name_can_start_unframed(cps[a]) && gw_name_at(cps + a, m - a, 0, &name) &&
      GW_NAME_LOGP + suffix[a + name.length] > best.logp) {
    best.logp = GW_NAME_LOGP + suffix[a + name.length];
    best.next = (uint32_t)(a + name.length);
  }
  return best;
}

/* The best path from each character a of the run, last to first: every
 * dictionary word starting at a (base or user trie; a user word replaces the
 * base word it redefines) followed by the best path after it, or the single
 * character at jieba's floor.  best[a] is its log-probability, next[a] where
 * its first word ends.
 *
 * The base walk is the segmenter's inner loop.  It needs no bounds test:
 * codes[] ends with a 0, and a code 0 never leads anywhere (a node's child
 * with code c sits at base + c, c >= 1, so the cell at base + 0 is never
 * one of its children); every code in codes[] is within the base alphabet,
 * for which the trie has room from any node.  The arrays are read through
 * locals: the stores into best[] and next[] could otherwise alias seg's
 * fields, which the compiler would then load again at every character. */
static inline __attribute__((always_inline)) void best_paths(gw_segmenter *seg, size_t m,
                                                             int user) {
  const gw_dict *d = seg->dict;
  const gw_dat_unit *units = d->units;
  const uint32_t *codes = seg->codes;
  const uint32_t *first_step = seg->first_step;
  const uint8_t *special_code = seg->special_code;
  const double *first_logp = seg->first_logp;
  double *suffix = seg->best;
  uint32_t *nexts = seg->next;
  suffix[m] = 0;
  for (size_t a = m; a-- > 0;) {
    /* The character alone, in the dictionary or not.  A date or a name
     * must do better (>), a longer word as well (>=: on a tie the longer
     * word wins), which is what the character scored after the date and
     * the name, with its >=, gave too. */
    double best = first_logp[codes[a]] + suffix[a + 1];
    uint32_t next = (uint32_t)(a + 1);

    uint32_t first = first_step[codes[a]];
    if (GW_UNLIKELY(first & GW_FIRST_LOOK)) {
      if (special_code[codes[a]]) {
        run_path p = special_paths(seg, a, m, (run_path){best, next});
        best = p.logp;
        next = p.next;
      }
      first &= ~GW_FIRST_LOOK;
      /* No base word starts with the character. */
      if (!first) goto user_words;
    }

    /* s: the node of the prefix run[a, b), from b = a + 1 (the character
     * alone, scored above); the walk leaves the trie where the next cell
     * is not s's child.  (A test of s itself after each step would cost two
     * instructions a step: a child is never the root.) */
    {
      /* u: s's cell, kept from the check that proved the step; the first
       * one straight from first (twice s, in half cells). */
      const gw_dat_unit *u =
          (const gw_dat_unit *)(const void *)((const char *)units +
                                              (size_t)first * (sizeof *units / 2));
      uint32_t s = first >> 1;
      for (size_t b = a + 1;;) {
        uint32_t c = codes[b];
        /* The node's own mask first: most walks end here, without loading
         * the far cell (dat.h). */
        if (!((u->children >> (c & 31)) & 1u)) break;
        uint32_t t = (uint32_t)u->base + c;
        const gw_dat_unit *child = &units[t];
        if (child->check != (int32_t)s) break;
        s = t;
        u = child;
        b++;
        /* A node without a word holds GW_DAT_NONE, whose bits are a NaN as
         * a float: its sum is a NaN too, and no comparison with a NaN
         * holds, so no test for it is needed. */
        double lp = gw_dict_value_logp(u->value) + suffix[b];
        /* >=: on a tie the longer word wins, as in jieba. */
        if (lp >= best) { best = lp; next = (uint32_t)b; }
      }
    }
  user_words:
    if (user) {
      const uint32_t *user_codes = d->extra_count ? seg->user_codes : codes;
      uint32_t us = GW_DAT_ROOT;
      for (size_t b = a; b < m && user_codes[b]; b++) {
        us = gw_dat_step(d->user_units, us, user_codes[b]);
        if (us == GW_DAT_NONE) break;
        uint32_t v = d->user_units[us].value;
        if (v == GW_DAT_NONE) continue;
        double lp = d->user_logp[v] + suffix[b + 1];
        if (lp >= best || next == b + 1) { best = lp; next = (uint32_t)(b + 1); }
      }
    }
    suffix[a] = best;
    nexts[a] = next;
  }
}

/* The two copies of best_paths, out of line: alone in a function, the
 * inner loop keeps its arrays in registers. */
static __attribute__((noinline)) void best_paths_base(gw_segmenter *seg, size_t m) {
  best_paths(seg, m, 0);
}
static __attribute__((noinline)) void best_paths_user(gw_segmenter *seg, size_t m) {
  best_paths(seg, m, 1);
}

/* gw_dict_word_logp of the run's characters [a, b), from their codes
 * instead of their text: a user word first, then the base trie. */
static double run_word_logp(const gw_segmenter *seg, size_t a, size_t b) {
  const gw_dict *d = seg->dict;
  if (d->user_units) {
    const uint32_t *user_codes = d->extra_count ? seg->user_codes : seg->codes;
    uint32_t s = GW_DAT_ROOT;
    for (size_t k = a; k < b && s != GW_DAT_NONE; k++)
      s = user_codes[k] ? gw_dat_step(d->user_units, s, user_codes[k]) : GW_DAT_NONE;
    if (s != GW_DAT_NONE && d->user_units[s].value != GW_DAT_NONE)
      return d->user_logp[d->user_units[s].value];
  }
  uint32_t s = GW_DAT_ROOT;
  for (size_t k = a; k < b && s != GW_DAT_NONE; k++)
    s = seg->codes[k] ? gw_dat_step(d->units, s, seg->codes[k]) : GW_DAT_NONE;
  return s == GW_DAT_NONE || d->units[s].value == GW_DAT_NONE
             ? GW_LOG_ZERO
             : gw_dict_value_logp(d->units[s].value);
}

static int in_dictionary(const gw_segmenter *seg, size_t a, size_t b) {
  return run_word_logp(seg, a, b) > GW_LOG_ZERO / 2;
}

/* A character that is common as a word on its own (log-probability above
 * this, about one token in 3,000: 这 一 更 日 至 是 有 大 …) is not glued
 * into a new word by the HMM, which otherwise invents 这一, 日至, 更大.  The
 * value was chosen on the SIGHAN PKU and MSR test sets (tests/bench/README.md):
 * from -6 to -9 both F1 scores move by under 0.01; -8 is best on both. */
#define GW_FREE_CHAR_LOGP (-8.0)

static int plausible_new_word(const gw_segmenter *seg, size_t a, size_t b) {
  for (size_t c = a; c < b; c++)
    if (run_word_logp(seg, c, c + 1) > GW_FREE_CHAR_LOGP) return 0;
  return 1;
}

/* Emit the single characters buffered in run[a..b): one stays as it is; a
 * stretch not in the dictionary goes to the HMM (jieba's __cut_DAG). */
static int flush_singles(gw_segmenter *seg, size_t base, size_t a, size_t b) {
  if (a == b) return GW_OK;
  if (b - a == 1 || !seg->opts.hmm ||
      in_dictionary(seg, a, b)) {
    for (size_t k = a; k < b; k++) {
      int rc = push_token(seg, base + run_offset(seg, k), base + run_offset(seg, k + 1),
                          GW_TOKEN_WORD, 0);
      if (rc) return rc;
    }
    return GW_OK;
  }
  gw_hmm_viterbi(seg->dict, seg->codes + a, b - a, seg->hmm_prob, seg->hmm_back,
                 seg->hmm_states);
  size_t start = a;
  for (size_t k = a; k < b; k++) {
    uint8_t st = seg->hmm_states[k - a];
    if (st == GW_HMM_B) start = k;
    if (st == GW_HMM_E || st == GW_HMM_S || k + 1 == b) {
      if (st == GW_HMM_S) start = k;
      size_t w0 = run_offset(seg, start), w1 = run_offset(seg, k + 1);
      if (k > start && !plausible_new_word(seg, start, k + 1)) {
        for (size_t c = start; c <= k; c++) {
          int rc = push_token(seg, base + run_offset(seg, c), base + run_offset(seg, c + 1),
                              GW_TOKEN_WORD, 0);
          if (rc) return rc;
        }
        start = k + 1;
        continue;
      }
      gw_token_kind kind = k > start && !in_dictionary(seg, start, k + 1)
                               ? GW_TOKEN_NEW_WORD : GW_TOKEN_WORD;
      int rc = push_token(seg, base + w0, base + w1, kind, 0);
      if (rc) return rc;
      start = k + 1;
    }
  }
  return GW_OK;
}

/* Search mode: every dictionary word of two or more characters strictly
 * inside run[a..b). */
static int push_sub_words(gw_segmenter *seg, size_t base, size_t a, size_t b) {
  const gw_dict *d = seg->dict;
  for (size_t i = a; i < b; i++) {
    uint32_t s = GW_DAT_ROOT;
    for (size_t j = i; j < b && seg->codes[j]; j++) {
      s = gw_dat_step(d->units, s, seg->codes[j]);
      if (s == GW_DAT_NONE) break;
      size_t chars = j + 1 - i;
      if (chars >= 2 && chars < b - a && d->units[s].value != GW_DAT_NONE) {
        int rc = push_token(seg, base + run_offset(seg, i), base + run_offset(seg, j + 1),
                            GW_TOKEN_WORD, 1);
        if (rc) return rc;
      }
    }
  }
  return GW_OK;
}

/* The base code of the three-byte Han character at s (3 bytes readable),
 * GW_FAST_PUNCT for a common mark, or GW_NOT_FAST for anything else
 * (han_rows). */
static inline uint32_t han_code_at(const uint16_t *han_rows, const uint16_t *han_codes,
                                   const unsigned char *s) {
  uint32_t row = han_rows[s[0] | (uint32_t)s[1] << 8];
  return han_codes[row << 8 | s[2]];
}

/* Decode the Han run starting at text[start] into the run arrays: its base
 * codes (the code points only when asked, decode_run_from).  *cp of *k
 * bytes is its first character when the caller decoded it (*k 0: not
 * decoded, and three-byte Han by han_code_at).  Returns the run's end, or 0
 * when out of memory; *cp and *k are then the character that ended it,
 * decoded for the caller (*k is 0 at the end of the text).
 *
 * A run's characters are three bytes each (every Han character and ○ in
 * the BMP) unless it holds one beyond the BMP: until then the offsets are
 * 3 k and pos[] is not written (run_offset). */
static size_t scan_han_run(gw_segmenter *seg, const char *text, size_t len,
                           size_t start, int32_t *cp_io, size_t *k_io, size_t *chars) {
  const gw_dict *d = seg->dict;
  const uint16_t *han_rows = seg->han_rows, *han_codes = seg->han_codes;
  const unsigned char *s = (const unsigned char *)text;
  /* The arrays in locals: stores through seg's pointers could alias seg's
   * fields, which the compiler would then load again for each character. */
  size_t *pos = seg->pos, capacity = seg->run_capacity;
  uint32_t *codes = seg->codes;
  int32_t cp = *cp_io;
  size_t k = *k_io, m = 0, i = start;
  int uniform = 1;
  uint32_t code;
  for (;;) {
    if (k) {
      /* Store the character decoded last (cp, k bytes) at m. */
      if (GW_UNLIKELY(m + 1 >= capacity)) {
        if (reserve_run(seg, m + 1)) return 0;
        pos = seg->pos;
        codes = seg->codes;
        capacity = seg->run_capacity;
      }
      if (GW_UNLIKELY(k != 3) && uniform) {
        for (size_t j = 0; j < m; j++) pos[j] = 3 * j;
        uniform = 0;
      }
      if (!uniform) pos[m] = i - start;
      codes[m] = gw_dict_code(d, cp);
      m++;
      i += k;
    }
    /* Three-byte Han characters (han_code_at) up to a bound set once, by
     * the room left in the arrays and the bytes left. */
    code = GW_NOT_FAST;
    if (GW_LIKELY(uniform)) {
      size_t fit = (len - i) / 3, room = capacity ? capacity - 1 - m : 0;
      size_t end = m + (fit < room ? fit : room);
      while (m < end) {
        code = han_code_at(han_rows, han_codes, s + i);
        if (code >= GW_FAST_PUNCT) break;
        codes[m] = code;
        m++;
        i += 3;
      }
    }
    /* A common mark: the caller takes it from the table too. */
    if (code == GW_FAST_PUNCT || i >= len) {
      k = 0;
      break;
    }
    k = gw_utf8_next(s + i, len - i, &cp);
    /* ○ (a circle) stands for 〇 in years: 二○○一年.  (Every numeral is
     * three bytes long, and so is the character before i if it is one.) */
    int32_t before;
    int numeral_circle = cp == 0x25CB && m &&
                         gw_utf8_next(s + i - 3, 3, &before) == 3 && is_cn_digit(before);
    if (!gw_is_han(cp) && !numeral_circle) break;
  }
  if (!uniform) pos[m] = i - start;
  seg->run_uniform = uniform;
  seg->run_text = s + start;
  seg->cps_from = m;
  codes[m] = 0;
  if (d->extra_count) {
    /* User words brought characters of their own: the fast decode knows
     * only the base codes, and the user trie walks the codes as they are;
     * the base trie, built for a smaller alphabet, sees those characters
     * as having none. */
    uint32_t alphabet = (uint32_t)d->header->alphabet_size;
    for (size_t j = 0; j <= m; j++) {
      if (!codes[j] && j < m) {
        int32_t c;
        size_t at = run_offset(seg, j);
        gw_utf8_next(s + start + at, run_offset(seg, j + 1) - at, &c);
        codes[j] = gw_dict_code(d, c);
      }
      seg->user_codes[j] = codes[j];
      if (codes[j] > alphabet) codes[j] = 0;
    }
  }
  *cp_io = cp;
  *k_io = k;
  *chars = m;
  return i;
}

/* Segment the Han run text[start..] of m characters, already decoded. */
static int segment_han(gw_segmenter *seg, size_t start, size_t m) {
  int rc = GW_OK;
  /* Two copies of the loop: the one without user words has no test for
   * them. */
  if (!seg->dict->user_units) best_paths_base(seg, m);
  else best_paths_user(seg, m);

  /* Locals: push_token's stores could alias seg's fields. */
  const uint32_t *nexts = seg->next;
  const size_t *pos = seg->pos;
  const int uniform = seg->run_uniform;
#define OFFSET(k) (uniform ? 3 * (k) : pos[k])
  size_t singles = 0;
  for (size_t a = 0; a < m;) {
    size_t b = nexts[a];
    if (b - a == 1) {
      a = b;
      continue;
    }
    /* One character alone before the word needs no look-up. */
    if (a - singles == 1)
      rc = push_token(seg, start + OFFSET(singles), start + OFFSET(a), GW_TOKEN_WORD, 0);
    else if (singles < a)
      rc = flush_singles(seg, start, singles, a);
    if (rc) return rc;
    gw_token_kind kind = special_at(seg, a) &&
                                 cn_date_length(seg->cps, a, b) == b - a
                             ? GW_TOKEN_DATE
                             : GW_TOKEN_WORD;
    rc = push_token(seg, start + OFFSET(a), start + OFFSET(b), kind, 0);
    if (!rc && seg->opts.mode == GW_SEGMENT_SEARCH && b - a > 2)
      rc = push_sub_words(seg, start, a, b);
    if (rc) return rc;
    a = singles = b;
  }
#undef OFFSET
  return singles < m ? flush_singles(seg, start, singles, m) : GW_OK;
}

/* ------------------------------------------------------------------ */
/* Other runs                                                          */
/* ------------------------------------------------------------------ */

static int32_t peek(const char *text, size_t len, size_t i, size_t *k) {
  int32_t cp = -1;
  *k = i < len ? gw_utf8_next((const unsigned char *)text + i, len - i, &cp) : 0;
  return i < len ? cp : -1;
}

static int is_space(int32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' ||
         cp == '\v' || cp == 0x3000 || cp == 0xA0 ||
         (cp > 0x7F && utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS);
}

/* Emoji and U+FFFD (the mark of a replaced invalid byte) are symbols to
 * Unicode but not punctuation to a reader: they are OTHER, as the header
 * says.  Emoji are the pictographs from U+1F000 on, flag letters and skin
 * tones, and the older symbols that display as emoji by default
 * (Emoji_Presentation); ★ ● ■ ※ © → and the like stay PUNCT, since reports
 * use them as markers. */
static int is_emoji_or_replacement(int32_t cp) {
  static const int32_t bmp_emoji[][2] = {
      {0x231A, 0x231B}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0}, {0x23F3, 0x23F3},
      {0x25FD, 0x25FE}, {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267F, 0x267F},
      {0x2693, 0x2693}, {0x26A1, 0x26A1}, {0x26AA, 0x26AB}, {0x26BD, 0x26BE},
      {0x26C4, 0x26C5}, {0x26CE, 0x26CE}, {0x26D4, 0x26D4}, {0x26EA, 0x26EA},
      {0x26F2, 0x26F3}, {0x26F5, 0x26F5}, {0x26FA, 0x26FA}, {0x26FD, 0x26FD},
      {0x2705, 0x2705}, {0x270A, 0x270B}, {0x2728, 0x2728}, {0x274C, 0x274C},
      {0x274E, 0x274E}, {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
      {0x27B0, 0x27B0}, {0x27BF, 0x27BF}, {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50},
      {0x2B55, 0x2B55}};
  if (cp == 0xFFFD) return 1;
  if (cp >= 0x1F000)
    return (cp >= 0x1F1E6 && cp <= 0x1F1FF) || (cp >= 0x1F3FB && cp <= 0x1F3FF) ||
           utf8proc_get_property(cp)->boundclass == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC;
  if (cp < 0x231A || cp > 0x2B55) return 0;
  for (size_t i = 0; i < sizeof bmp_emoji / sizeof *bmp_emoji; i++)
    if (cp >= bmp_emoji[i][0] && cp <= bmp_emoji[i][1]) return 1;
  return 0;
}

static int is_punct(int32_t cp) {
  if (cp < 0 || is_emoji_or_replacement(cp)) return 0;
  utf8proc_category_t c = utf8proc_category(cp);
  return (c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_PO) ||
         (c >= UTF8PROC_CATEGORY_SM && c <= UTF8PROC_CATEGORY_SO);
}

/* Characters that make a date when they follow a number: 2023年, 10月, 5日. */
static int is_date_suffix(int32_t cp) {
  return cp == 0x5E74 /* 年 */ || cp == 0x6708 /* 月 */ || cp == 0x65E5 /* 日 */ ||
         cp == 0x53F7 /* 号 */;
}

/* Digits and letters count in both widths: the segmenter is also used on
 * text that has not been normalized (SIGHAN test files use full-width). */
static int is_digit_cp(int32_t cp) {
  return gw_is_ascii_digit(cp) || (cp >= 0xFF10 && cp <= 0xFF19);
}
static int is_alpha_cp(int32_t cp) {
  return gw_is_ascii_alpha(cp) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
         (cp >= 0xFF41 && cp <= 0xFF5A);
}
static int is_alnum_cp(int32_t cp) { return is_digit_cp(cp) || is_alpha_cp(cp); }

/* End of the run of code points from i that satisfy pred. */
static size_t scan_while(const char *text, size_t len, size_t i,
                         int (*pred)(int32_t)) {
  size_t k;
  while (i < len && pred(peek(text, len, i, &k))) i += k;
  return i;
}

/* Digits with an optional decimal part or thousands groups; then % makes a
 * percentage and 年/月/日/号 a date. */
static size_t scan_number(const char *text, size_t len, size_t i,
                          gw_token_kind *kind) {
  size_t j = scan_while(text, len, i, is_digit_cp), k, k2;
  for (;;) {
    int32_t sep = peek(text, len, j, &k);
    if (sep != '.' && sep != ',' && sep != 0xFF0E /* ． */) break;
    if (!is_digit_cp(peek(text, len, j + k, &k2))) break;
    j = scan_while(text, len, j + k, is_digit_cp);
  }
  *kind = GW_TOKEN_NUMBER;
  int32_t cp = peek(text, len, j, &k);
  if (cp == '%' || cp == 0xFF05 /* ％ */ || cp == 0x2030 /* ‰ */) {
    *kind = GW_TOKEN_PERCENT;
    j += k;
  } else if (is_date_suffix(cp)) {
    *kind = GW_TOKEN_DATE;
    j += k;
  }
  return j;
}

/* The Chinese dash (破折号 ——) and ellipsis (省略号 ……) are single marks
 * written with two characters: a run of them is one token.  Other repeated
 * punctuation (---, ...) is a run of separate marks. */
static int repeats_as_one(int32_t cp) {
  return cp == 0x2014 || cp == 0x2026 || cp == 0x2015;
}

/* Punctuation common in reports, known without asking utf8proc: ASCII's
 * marks and symbols (categories P* and S*), and the Chinese marks of
 * general categories P*: none is a space, a digit, a letter, an emoji, or
 * a mark that repeats as one (is_punct and is_space agree: test_segment
 * checks every one). */
static inline int is_common_punct(int32_t cp) {
  if (cp < 0x80)
    return (cp >= 0x21 && cp <= 0x2F) || (cp >= 0x3A && cp <= 0x40) ||
           (cp >= 0x5B && cp <= 0x60) || (cp >= 0x7B && cp <= 0x7E);
  switch (cp) {
  case 0x3001: case 0x3002: case 0x300A: case 0x300B: /* 、。《》 */
  case 0x300C: case 0x300D: case 0x3010: case 0x3011: /* 「」【】 */
  case 0x201C: case 0x201D: case 0x2018: case 0x2019: /* “”‘’ */
  case 0xFF01: case 0xFF08: case 0xFF09: case 0xFF0C: /* ！（），*/
  case 0xFF1A: case 0xFF1B: case 0xFF1F: case 0x00B7: /* ：；？· */
    return 1;
  default:
    return 0;
  }
}

static int segment_other(gw_segmenter *seg, const char *text, size_t len,
                         size_t i, int32_t cp, size_t cp_len, size_t *next) {
  gw_token_kind kind;
  size_t j;
  size_t mask = gw_is_mask_char(cp) ? gw_mask_length(text, len, i) : 0;
  int common_punct = is_common_punct(cp);
  if (mask) {
    kind = GW_TOKEN_MASK;
    j = i + mask;
  } else if (is_digit_cp(cp)) {
    j = scan_number(text, len, i, &kind);
  } else if (is_alpha_cp(cp)) {
    kind = GW_TOKEN_LATIN;
    j = scan_while(text, len, i, is_alnum_cp);
  } else if (!common_punct && is_space(cp)) {
    kind = GW_TOKEN_SPACE;
    j = i + cp_len;
    size_t k;
    while (j < len && is_space(peek(text, len, j, &k))) j += k;
  } else if (common_punct || is_punct(cp)) {
    kind = GW_TOKEN_PUNCT;
    j = i + cp_len;
    size_t k;
    if (repeats_as_one(cp))
      while (j < len && peek(text, len, j, &k) == cp) j += k;
  } else {
    kind = GW_TOKEN_OTHER;
    j = i + cp_len;
  }
  *next = j;
  return push_token(seg, i, j, kind, 0);
}

int gw_segment(gw_segmenter *seg, const char *text, size_t len,
               const gw_token **tokens, size_t *n_tokens, gw_error *err) {
  if (!seg || (!text && len) || !tokens || !n_tokens)
    return gw_fail(err, GW_EINVAL, "gw_segment: invalid argument");
  seg->count = 0;
  size_t i = 0;
  int rc = GW_OK;
  /* The character at i, cp of k bytes, once decoded (k 0: not yet): a
   * Han run decodes the character after it. */
  int32_t cp = 0;
  size_t k = 0;
  while (i < len && rc == GW_OK) {
    if (!k) {
      uint32_t fast = len - i >= 3 ? han_code_at(seg->han_rows, seg->han_codes,
                                                 (const unsigned char *)text + i)
                                   : GW_NOT_FAST;
      /* A common Chinese mark: one token of its three bytes, as
       * segment_other makes it. */
      if (fast == GW_FAST_PUNCT) {
        rc = push_token(seg, i, i + 3, GW_TOKEN_PUNCT, 0);
        i += 3;
        continue;
      }
      /* A run that starts with a three-byte Han character starts without
       * its code point. */
      if (fast == GW_NOT_FAST) k = gw_utf8_next((const unsigned char *)text + i, len - i, &cp);
    }
    if (!k || gw_is_han(cp)) {
      size_t chars, run = i;
      i = scan_han_run(seg, text, len, run, &cp, &k, &chars);
      rc = i ? segment_han(seg, run, chars) : GW_ENOMEM;
      continue;
    }
    if (cp < 0) {
      rc = push_token(seg, i, i + 1, GW_TOKEN_OTHER, 0);
      i++;
    } else {
      rc = segment_other(seg, text, len, i, cp, k, &i);
    }
    k = 0;
  }
  if (rc) {
    seg->count = 0;
    return gw_fail(err, rc, "gw_segment: %s", gw_strerror(rc));
  }
  *tokens = seg->tokens;
  *n_tokens = seg->count;
  return GW_OK;
}

/* ------------------------------------------------------------------ */
/* A document's paragraph                                              */
/* ------------------------------------------------------------------ */

int gw_segment_paragraph(gw_segmenter *seg, const gw_document *doc,
                         size_t paragraph, gw_error *err) {
  if (!seg || !doc)
    return gw_fail(err, GW_EINVAL, "gw_segment_paragraph: invalid argument");
  seg->paragraph_count = 0;
  const gw_paragraph *p = gw_document_paragraph_at(doc, paragraph);
  if (!p)
    return gw_fail(err, GW_EINVAL,
                   "gw_segment_paragraph: no paragraph %zu (the document has "
                   "%zu)",
                   paragraph, gw_document_paragraph_count(doc));
  const char *norm = gw_document_normalized(doc, NULL);
  size_t base = p->range.norm_start;
  const gw_token *tokens;
  size_t n;
  int rc = gw_segment(seg, norm + base, p->range.norm_end - base, &tokens, &n,
                      err);
  if (rc < 0) return rc;
  if (GW_GROW(seg->paragraph_tokens, seg->paragraph_capacity, n) < 0)
    return gw_fail(err, GW_ENOMEM, "gw_segment_paragraph: out of memory");
  /* Tokens come in text order (a sub token right after the token holding
   * it), so one walk through the maps serves them all. */
  gw_document_cursor cursor = {0, 0};
  /* Most paragraphs lie in one byte-for-byte stretch of both maps, where
   * placing a token is two additions (a token ends after the paragraph's
   * start). */
  ptrdiff_t to_text, to_original;
  int shifted = gw_document_same_shift(doc, base, p->range.norm_end, &cursor,
                                       &to_text, &to_original);
  gw_paragraph_token *out = seg->paragraph_tokens;
  /* Two loops: the shifted one, a test less a token, is plain additions. */
  if (shifted) {
    for (size_t i = 0; i < n; i++) {
      gw_paragraph_token *t = &out[i];
      t->range.norm_start = base + tokens[i].start;
      t->range.norm_end = base + tokens[i].end;
      t->text_start = t->range.norm_start + (size_t)to_text;
      t->text_end = t->range.norm_end + (size_t)to_text;
      t->range.start = t->text_start + (size_t)to_original;
      t->range.end = t->text_end + (size_t)to_original;
      t->kind = tokens[i].kind;
      t->sub = tokens[i].sub;
    }
  } else {
    for (size_t i = 0; i < n; i++) {
      gw_paragraph_token *t = &out[i];
      t->range.norm_start = base + tokens[i].start;
      t->range.norm_end = base + tokens[i].end;
      gw_document_place place;
      gw_document_place_range(doc, t->range.norm_start, t->range.norm_end,
                              &cursor, &place);
      t->range.start = place.start;
      t->range.end = place.end;
      t->text_start = place.text_start;
      t->text_end = place.text_end;
      t->kind = tokens[i].kind;
      t->sub = tokens[i].sub;
    }
  }
  seg->paragraph_count = n;
  return GW_OK;
}

size_t gw_segmenter_paragraph_token_count(const gw_segmenter *seg) {
  return seg ? seg->paragraph_count : 0;
}

const gw_paragraph_token *gw_segmenter_paragraph_token_at(
    const gw_segmenter *seg, size_t index) {
  return seg && index < seg->paragraph_count ? &seg->paragraph_tokens[index]
                                             : NULL;
}

const gw_paragraph_token *gw_segmenter_paragraph_tokens(const gw_segmenter *seg,
                                                        size_t *n_tokens) {
  size_t n = seg ? seg->paragraph_count : 0;
  *n_tokens = n;
  return n ? seg->paragraph_tokens : NULL;
}
