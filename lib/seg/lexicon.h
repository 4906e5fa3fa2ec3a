/*
 * lexicon.h — the compiled dictionary (gongwen.gwd) as the segmenter sees it.
 * Private to the library.
 *
 * File layout (all little-endian, as written by this machine; the header's
 * byte-order mark rejects a foreign file): gw_dict_header, then the arrays it
 * points at, each 8-byte aligned.  Loaded with mmap; nothing is copied.
 */
#ifndef GW_LEXICON_H
#define GW_LEXICON_H

#include <stddef.h>
#include <stdint.h>

#include "dat.h"
#include "wordlist.h"
#include "gongwen.h"

#define GW_DICT_MAGIC "GWDICT\r\n"
/* Format 2: each trie cell holds a mask of its children's codes
 * (gw_dat_unit.children), where format 1 left that word zero. */
#define GW_DICT_FORMAT 2u
#define GW_DICT_BYTE_ORDER 0x01020304u

/* Log-probabilities below this mean "impossible" (jieba's MIN_FLOAT). */
#define GW_LOG_ZERO (-3.14e100)

typedef struct gw_dict_header {
  char magic[8];
  uint32_t format;
  uint32_t byte_order;
  uint64_t file_size;
  uint64_t word_count;
  uint64_t unit_count, units_offset;     /* gw_dat_unit[] */
  uint64_t alphabet_size;                /* codes are 1..alphabet_size */
  uint64_t bmp_codes_offset;             /* uint16_t[0x10000]: code or 0 */
  uint64_t astral_count, astral_offset;  /* gw_astral_code[], sorted */
  uint64_t emit_offset;                  /* gw_hmm_emit[alphabet_size + 1] */
  double total_freq;
  double log_total;                      /* log(total_freq) */
  double hmm_start[4];                   /* B, E, M, S */
  double hmm_trans[4][4];                /* [from][to] */
  uint32_t has_hmm;
  uint32_t reserved;
} gw_dict_header;

/* Code points outside the BMP that have a code. */
typedef struct gw_astral_code {
  uint32_t cp;
  uint32_t code;
} gw_astral_code;

enum { GW_HMM_B = 0, GW_HMM_E = 1, GW_HMM_M = 2, GW_HMM_S = 3 };

/* Emission log-probabilities of one character code (B, E, M, S). */
typedef struct gw_hmm_emit {
  float logp[4];
} gw_hmm_emit;

struct gw_dict {
  void *map;
  size_t map_size;
  const gw_dict_header *header;
  const gw_dat_unit *units; /* values: float bits of the word's logp */
  size_t unit_count;
  const uint16_t *bmp_codes;
  const gw_astral_code *astral;
  size_t astral_count;
  const gw_hmm_emit *emit;

  /* User dictionaries: a small trie rebuilt after each addition, over the
   * same codes; characters the base alphabet lacks get extra codes. */
  gw_word_list user;           /* every user word, in the order added */
  gw_astral_code *extra_codes; /* sorted by cp; codes above alphabet_size */
  size_t extra_count, extra_cap;
  gw_dat_unit *user_units;     /* values: index into user_words */
  size_t user_unit_count;
  float *user_logp;            /* by user word index */
};

/* Codes of astral characters and user-added characters (binary search). */
uint32_t gw_dict_rare_code(const gw_dict *d, int32_t cp);

/* The code of a character, or 0 if no dictionary word contains it. */
static inline uint32_t gw_dict_code(const gw_dict *d, int32_t cp) {
  if (cp >= 0 && cp < 0x10000) {
    uint32_t c = d->bmp_codes[cp];
    if (c || !d->extra_count) return c;
  }
  return gw_dict_rare_code(d, cp);
}

/* A base-trie value holds the word's log-probability as float bits. */
static inline float gw_dict_value_logp(uint32_t value) {
  union { uint32_t u; float f; } v;
  v.u = value;
  return v.f;
}

/* Log-probability of a word in the base or user dictionary (user wins),
 * or GW_LOG_ZERO. */
double gw_dict_word_logp(const gw_dict *dict, const char *word, size_t len);

#endif
