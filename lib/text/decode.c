/*
 * decode.c — bytes as they arrive (UTF-8 with or without BOM, UTF-16 with
 * BOM, GB18030/GBK) → UTF-8 text, with a map from every text offset back to
 * the input byte it came from.
 *
 * Detection, in order (GW_ENCODING_AUTO):
 *   1. EF BB BF → UTF-8 with BOM; FF FE / FE FF → UTF-16LE / UTF-16BE.
 *   2. NUL-heavy bytes → GW_EBINARY (see nul_heavy()).
 *   3. Valid UTF-8 → UTF-8, not copied.
 *   4. Invalid UTF-8 is still taken as UTF-8 — an error, or U+FFFD with
 *      replace_invalid — when it looks like UTF-8 with a few bad bytes (see
 *      looks_like_utf8()); otherwise it is decoded as GB18030.
 *   5. Bytes that decode in neither and have many control bytes are binary
 *      (GW_EBINARY); otherwise the error is GW_EENCODING at the first bad
 *      sequence of the encoding chosen in step 4.
 * Line ends are kept as they are: normalize.c folds CR/CRLF.
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
/* An AVX2 validation, chosen at run time (the build targets plain x86-64):
 * GCC and clang on x86-64 only, and never where GW_NO_AVX2 is defined. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(GW_NO_AVX2)
#define GW_UTF8_AVX2 1
#include <immintrin.h>
#endif

#include "stages.h"

const char *gw_encoding_name(gw_encoding encoding) {
  switch (encoding) {
  case GW_ENCODING_UTF8: return "utf-8";
  case GW_ENCODING_UTF8_BOM: return "utf-8-bom";
  case GW_ENCODING_UTF16LE: return "utf-16le";
  case GW_ENCODING_UTF16BE: return "utf-16be";
  case GW_ENCODING_GB18030: return "gb18030";
  case GW_ENCODING_AUTO: return "auto";
  }
  return "unknown";
}

/* ------------------------------------------------------------------ */
/* UTF-8 scanning                                                       */
/* ------------------------------------------------------------------ */

static const unsigned char REPLACEMENT[3] = {0xEF, 0xBF, 0xBD}; /* U+FFFD */

/* Length of the maximal subpart of an ill-formed sequence at s[0..n) (at
 * least 1): the bytes that one U+FFFD stands for, as Unicode §3.9 and the
 * WHATWG decoder count them.  Neither utf8proc nor iconv reports this, so it
 * is spelled out here. */
static size_t utf8_invalid_length(const unsigned char *s, size_t n) {
  unsigned lead = s[0];
  unsigned lo = 0x80, hi = 0xBF; /* range of the second byte */
  size_t need;
  if (lead >= 0xC2 && lead <= 0xDF) need = 1;
  else if (lead >= 0xE0 && lead <= 0xEF) need = 2;
  else if (lead >= 0xF0 && lead <= 0xF4) need = 3;
  else return 1;
  if (lead == 0xE0) lo = 0xA0;
  else if (lead == 0xED) hi = 0x9F;
  else if (lead == 0xF0) lo = 0x90;
  else if (lead == 0xF4) hi = 0x8F;
  size_t len = 1;
  while (len <= need && len < n) {
    unsigned c = s[len];
    if (c < lo || c > hi) break;
    lo = 0x80;
    hi = 0xBF;
    len++;
  }
  return len;
}

/* Length of the longest valid UTF-8 prefix of s[0..n), from i on (a
 * character boundary). */
static size_t utf8_valid_from(const unsigned char *s, size_t n, size_t i) {
  while (i < n) {
    /* Most Han characters (U+1000–U+CFFF), then ASCII, eight bytes at a
     * time where they are. */
    if (gw_utf8_bmp3(s + i, n - i)) {
      do i += 3;
      while (gw_utf8_bmp3(s + i, n - i));
      continue;
    }
    if (s[i] < 0x80) {
      uint64_t word;
      while (n - i >= 8 && (memcpy(&word, s + i, 8),
                            !(word & 0x8080808080808080u)))
        i += 8;
      while (i < n && s[i] < 0x80) i++;
      continue;
    }
    int32_t cp;
    size_t len = gw_utf8_next(s + i, n - i, &cp);
    if (cp < 0) break;
    i += len;
  }
  return i;
}

#ifdef __SSE2__
/* Bit masks of the byte classes of 64 bytes, one bit per byte. */
typedef struct utf8_block {
  uint64_t cont;      /* 80–BF */
  uint64_t lead;      /* C2–F4: starts a sequence of 2–4 bytes */
  uint64_t lead34;    /* E0–F4 */
  uint64_t lead4;     /* F0–F4 */
  uint64_t bad;       /* C0, C1, F5–FF: in no UTF-8 */
  uint64_t narrow;    /* leads that limit their second byte: E0 ED F0 F4 */
  uint64_t low_a0;    /* 80–9F */
  uint64_t low_90;    /* 80–8F */
  uint64_t nul;       /* 00 */
} utf8_block;

static uint64_t bits16(__m128i m, int k) {
  return (uint64_t)(unsigned)_mm_movemask_epi8(m) << (16 * k);
}

#define EQ8(x, c) _mm_cmpeq_epi8((x), _mm_set1_epi8((char)(c)))

/* The common block (ASCII, two-byte and three-byte characters but none
 * whose lead limits its second byte, no NUL): continuation bytes, leads
 * (C0–FF), three-byte leads; returns 0 when the block is not of that kind
 * (classify64() then). */
static int classify64_common(const unsigned char *s, utf8_block *b) {
  __m128i unusual = _mm_setzero_si128(), low = _mm_set1_epi8((char)0xFF);
  uint64_t cont = 0, lead = 0, lead3 = 0;
  for (int k = 0; k < 4; k++) {
    const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + 16 * k));
    const __m128i top2 = _mm_and_si128(v, _mm_set1_epi8((char)0xC0));
    const __m128i top4 = _mm_and_si128(v, _mm_set1_epi8((char)0xF0));
    cont |= bits16(EQ8(top2, 0x80), k);
    lead |= bits16(EQ8(top2, 0xC0), k);
    lead3 |= bits16(EQ8(top4, 0xE0), k);
    /* F0–FF, C0 C1, E0, ED */
    unusual = _mm_or_si128(unusual, _mm_or_si128(EQ8(top4, 0xF0),
                                                 EQ8(_mm_and_si128(v, _mm_set1_epi8((char)0xFE)), 0xC0)));
    unusual = _mm_or_si128(unusual, _mm_or_si128(EQ8(v, 0xE0), EQ8(v, 0xED)));
    low = _mm_min_epu8(low, v);
  }
  if (_mm_movemask_epi8(_mm_or_si128(unusual, EQ8(low, 0)))) return 0;
  b->cont = cont;
  b->lead = lead;
  b->lead34 = lead3;
  b->lead4 = b->bad = b->narrow = b->nul = 0;
  return 1;
}

static void classify64(const unsigned char *s, utf8_block *b) {
  memset(b, 0, sizeof *b);
  for (int k = 0; k < 4; k++) {
    const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + 16 * k));
    const __m128i top2 = _mm_and_si128(v, _mm_set1_epi8((char)0xC0));
    const __m128i top3 = _mm_and_si128(v, _mm_set1_epi8((char)0xE0));
    const __m128i top4 = _mm_and_si128(v, _mm_set1_epi8((char)0xF0));
    /* signed: C0–FF are -64…-1 */
    const __m128i lead_or_bad = EQ8(top2, 0xC0);
    const __m128i c0c1 = EQ8(_mm_and_si128(v, _mm_set1_epi8((char)0xFE)), 0xC0);
    const __m128i above_f4 =
        _mm_cmpgt_epi8(v, _mm_set1_epi8((char)0xF4)); /* F5–FF, signed */
    b->cont |= bits16(EQ8(top2, 0x80), k);
    b->lead |= bits16(lead_or_bad, k);
    b->lead34 |= bits16(EQ8(top3, 0xE0), k) | bits16(EQ8(top4, 0xF0), k);
    b->lead4 |= bits16(EQ8(top4, 0xF0), k);
    b->bad |= bits16(_mm_or_si128(c0c1, _mm_and_si128(above_f4, lead_or_bad)), k);
    b->narrow |= bits16(_mm_or_si128(_mm_or_si128(EQ8(v, 0xE0), EQ8(v, 0xED)),
                                     _mm_or_si128(EQ8(v, 0xF0), EQ8(v, 0xF4))),
                        k);
    b->low_a0 |= bits16(EQ8(top3, 0x80), k);
    b->low_90 |= bits16(EQ8(top4, 0x80), k);
    b->nul |= bits16(EQ8(v, 0), k);
  }
  b->lead &= ~b->bad;
  b->lead34 &= ~b->bad;
  b->lead4 &= ~b->bad;
}
#undef EQ8

/* Whether the second bytes after the narrow leads (bits `after`, the byte
 * following each E0 ED F0 F4) are in range: E0 A0–BF, ED 80–9F, F0 90–BF,
 * F4 80–8F. */
static int narrow_ok(const unsigned char *s, uint64_t after, uint64_t prev,
                     const utf8_block *b) {
  while (after) {
    int k = __builtin_ctzll(after);
    after &= after - 1;
    unsigned lead = k ? s[k - 1] : (unsigned)prev;
    uint64_t bit = (uint64_t)1 << k;
    int low_a0 = (b->low_a0 & bit) != 0, low_90 = (b->low_90 & bit) != 0;
    if ((lead == 0xE0 && low_a0) || (lead == 0xED && !low_a0) ||
        (lead == 0xF0 && low_90) || (lead == 0xF4 && !low_90))
      return 0;
  }
  return 1;
}
#endif

#ifdef GW_UTF8_AVX2
/* The lookup validation of Keiser and Lemire ("Validating UTF-8 in less
 * than one instruction per byte", 2021), as simdjson and simdutf do it: each
 * byte with the one before it is looked up by three nibbles in tables of
 * error classes, which must all agree on one; the bytes that two or three
 * bytes back announce as continuations are checked apart. */
enum {
  U8_TOO_SHORT = 1 << 0,  /* a lead, then no continuation */
  U8_TOO_LONG = 1 << 1,   /* ASCII, then a continuation */
  U8_OVERLONG_3 = 1 << 2, /* E0 80–9F */
  U8_TOO_LARGE = 1 << 3,  /* F4 90–BF, F5–FF */
  U8_SURROGATE = 1 << 4,  /* ED A0–BF */
  U8_OVERLONG_2 = 1 << 5, /* C0, C1 */
  U8_TOO_LARGE_1000 = 1 << 6,
  U8_OVERLONG_4 = 1 << 6, /* F0 80–8F */
  U8_TWO_CONTS = 1 << 7,  /* a continuation not announced */
  U8_CARRY = U8_TOO_SHORT | U8_TOO_LONG | U8_TWO_CONTS
};

/* The three tables, by the high nibble of the byte before, its low nibble,
 * and the high nibble of the byte. */
static const unsigned char u8_byte_1_high[16] = {
    /* 0_______: ASCII */
    U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG,
    U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG,
    /* 10______: continuation */
    U8_TWO_CONTS, U8_TWO_CONTS, U8_TWO_CONTS, U8_TWO_CONTS,
    /* 1100____, 1101____, 1110____, 1111____: leads */
    U8_TOO_SHORT | U8_OVERLONG_2, U8_TOO_SHORT,
    U8_TOO_SHORT | U8_OVERLONG_3 | U8_SURROGATE,
    U8_TOO_SHORT | U8_TOO_LARGE | U8_TOO_LARGE_1000 | U8_OVERLONG_4};
static const unsigned char u8_byte_1_low[16] = {
    /* ____0000, ____0001, ____001_ */
    U8_CARRY | U8_OVERLONG_3 | U8_OVERLONG_2 | U8_OVERLONG_4,
    U8_CARRY | U8_OVERLONG_2, U8_CARRY, U8_CARRY,
    /* ____0100, ____0101, ____011_ */
    U8_CARRY | U8_TOO_LARGE, U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
    /* ____1___, with ____1101 */
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000 | U8_SURROGATE,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000};
static const unsigned char u8_byte_2_high[16] = {
    /* 0_______: ASCII */
    U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT,
    U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT,
    /* 1000____, 1001____, 101_____ */
    U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_OVERLONG_3 |
        U8_TOO_LARGE_1000 | U8_OVERLONG_4,
    U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_OVERLONG_3 | U8_TOO_LARGE,
    U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_SURROGATE | U8_TOO_LARGE,
    U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_SURROGATE | U8_TOO_LARGE,
    /* 11______ */
    U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT};

#define U8_TABLE(t) \
  _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)(t)))

/* The valid 32-byte blocks of s[0..n) from the start, and the NULs in them
 * (*nuls, the first at *first_nul): the bytes before the returned offset are
 * valid UTF-8 but for a sequence that the offset may cut. */
__attribute__((target("avx2"))) static size_t
utf8_blocks_avx2(const unsigned char *s, size_t n, size_t *nuls,
                 size_t *first_nul) {
  const __m256i byte_1_high = U8_TABLE(u8_byte_1_high),
                byte_1_low = U8_TABLE(u8_byte_1_low),
                byte_2_high = U8_TABLE(u8_byte_2_high);
  const __m256i nibble = _mm256_set1_epi8(0x0F), top = _mm256_set1_epi8((char)0x80);
  const __m256i third = _mm256_set1_epi8((char)(0xE0 - 0x80)),
                fourth = _mm256_set1_epi8((char)(0xF0 - 0x80));
  __m256i prev = _mm256_setzero_si256();
  size_t i = 0;
  while (n - i >= 32) {
    const __m256i in = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
    /* the bytes one, two and three places before each */
    const __m256i joined = _mm256_permute2x128_si256(prev, in, 0x21);
    const __m256i prev1 = _mm256_alignr_epi8(in, joined, 15);
    const __m256i prev2 = _mm256_alignr_epi8(in, joined, 14);
    const __m256i prev3 = _mm256_alignr_epi8(in, joined, 13);
    const __m256i special = _mm256_and_si256(
        _mm256_and_si256(
            _mm256_shuffle_epi8(byte_1_high,
                                _mm256_and_si256(_mm256_srli_epi16(prev1, 4), nibble)),
            _mm256_shuffle_epi8(byte_1_low, _mm256_and_si256(prev1, nibble))),
        _mm256_shuffle_epi8(byte_2_high,
                            _mm256_and_si256(_mm256_srli_epi16(in, 4), nibble)));
    const __m256i announced = _mm256_and_si256(
        _mm256_or_si256(_mm256_subs_epu8(prev2, third),
                        _mm256_subs_epu8(prev3, fourth)),
        top);
    const __m256i error = _mm256_xor_si256(announced, special);
    if (!_mm256_testz_si256(error, error)) break;
    const unsigned zero = (unsigned)_mm256_movemask_epi8(
        _mm256_cmpeq_epi8(in, _mm256_setzero_si256()));
    if (GW_UNLIKELY(zero)) {
      if (*nuls == 0) *first_nul = i + (size_t)__builtin_ctz(zero);
      *nuls += (size_t)__builtin_popcount(zero);
    }
    prev = in;
    i += 32;
  }
  return i;
}
#undef U8_TABLE
#endif

#ifdef __SSE2__
/* The valid 64-byte blocks of s[0..n) from the start, and the NULs in them,
 * as utf8_blocks_avx2() does: every byte a lead announces must be a
 * continuation byte and every continuation byte announced (bit masks
 * shifted by one, two and three). */
static size_t utf8_blocks_sse2(const unsigned char *s, size_t n, size_t *nuls,
                               size_t *first_nul) {
  size_t i = 0;
  uint64_t carry = 0;      /* continuations announced past the block */
  unsigned prev_last = 0;  /* the block's last byte, for narrow_ok */
  uint64_t narrow_carry = 0;
  while (n - i >= 64) {
    utf8_block b;
    if (!classify64_common(s + i, &b)) classify64(s + i, &b);
    uint64_t announced = b.lead << 1 | b.lead34 << 2 | b.lead4 << 3 | carry;
    uint64_t after_narrow = b.narrow << 1 | narrow_carry;
    if (b.bad || announced != b.cont ||
        (after_narrow && !narrow_ok(s + i, after_narrow, prev_last, &b)))
      break;
    if (GW_UNLIKELY(b.nul)) {
      if (*nuls == 0) *first_nul = i + (size_t)__builtin_ctzll(b.nul);
      *nuls += (size_t)__builtin_popcountll(b.nul);
    }
    carry = b.lead >> 63 | b.lead34 >> 62 | b.lead4 >> 61;
    narrow_carry = b.narrow >> 63;
    prev_last = s[i + 63];
    i += 64;
  }
  return i;
}
#endif

/* Length of the longest valid UTF-8 prefix of s[0..n), and unless nuls is
 * NULL the NUL bytes of all of s[0..n) (*nuls, the first at *first_nul):
 * the NUL rule and the validation in one pass over the text.  Blocks at a
 * time (AVX2 where the processor has it, else SSE2); the first block that
 * fails, and the tail, are left to the byte loop, from the start of the
 * character they begin in. */
static size_t utf8_valid_prefix_nuls(const unsigned char *s, size_t n,
                                     size_t *nuls, size_t *first_nul) {
  size_t i = 0, counted = 0, no_nuls, no_first;
  if (!nuls) {
    nuls = &no_nuls;
    first_nul = &no_first;
  }
  *nuls = 0;
  *first_nul = n;
#ifdef __SSE2__
#ifdef GW_UTF8_AVX2
  if (__builtin_cpu_supports("avx2")) i = utf8_blocks_avx2(s, n, nuls, first_nul);
  else
#endif
    i = utf8_blocks_sse2(s, n, nuls, first_nul);
  counted = i;
  /* Back to the start of the character the stop falls in. */
  size_t back = 0;
  while (back < 3 && i > back && (s[i - back - 1] & 0xC0) == 0x80) back++;
  if (i > back && s[i - back - 1] >= 0xC0) back++;
  i -= back;
#endif
  size_t valid = utf8_valid_from(s, n, i);
  if (nuls != &no_nuls && counted < n) {
    const unsigned char *p = memchr(s + counted, 0, n - counted);
    if (p && *nuls == 0) *first_nul = (size_t)(p - s);
    for (; p; p = memchr(p + 1, 0, n - (size_t)(p + 1 - s))) (*nuls)++;
  }
  return valid;
}

/* Length of the longest valid UTF-8 prefix of s[0..n). */
static size_t utf8_valid_prefix(const unsigned char *s, size_t n) {
  return utf8_valid_prefix_nuls(s, n, NULL, NULL);
}

typedef struct utf8_stats {
  size_t invalid;       /* ill-formed sequences (maximal subparts) */
  size_t valid_multi;   /* valid sequences of 2–4 bytes */
  size_t valid_wide;    /* valid sequences of 3–4 bytes (Chinese in UTF-8) */
} utf8_stats;

static void utf8_scan(const unsigned char *s, size_t n, utf8_stats *st) {
  memset(st, 0, sizeof *st);
  size_t i = 0;
  while (i < n) {
    if (s[i] < 0x80) { i++; continue; }
    int32_t cp;
    size_t len = gw_utf8_next(s + i, n - i, &cp);
    if (cp >= 0) {
      st->valid_multi++;
      if (len >= 3) st->valid_wide++;
      i += len;
      continue;
    }
    st->invalid++;
    i += utf8_invalid_length(s + i, n - i);
  }
}

/* UTF-8 with a few bad bytes, or another encoding?  Measured on GBK text
 * (pku_test.txt and the seed reports converted to GBK): about one valid 3- or
 * 4-byte UTF-8 sequence forms by accident per 35 ill-formed ones, and one
 * valid 2-byte sequence per 4.  Chinese UTF-8 with a few damaged bytes has
 * far more valid 3-byte sequences than bad ones; mostly-Latin UTF-8 has
 * 2-byte ones.  Either margin is an order of magnitude from GBK. */
static int looks_like_utf8(const utf8_stats *st) {
  return st->valid_wide >= st->invalid || st->valid_multi >= 4 * st->invalid;
}

/* ------------------------------------------------------------------ */
/* Binary data                                                          */
/* ------------------------------------------------------------------ */

/* NULs never occur in 8-bit text; a stray one (a padded download) is kept,
 * but more than one per 512 bytes is binary.  Compressed or random data has
 * one per 256, executables and UTF-16 without BOM far more. */
static int nul_heavy(const unsigned char *s, size_t n, size_t *first_nul) {
  const unsigned char *p = memchr(s, 0, n);
  if (!p) return 0;
  *first_nul = (size_t)(p - s);
  size_t nuls = 0;
  for (; p; p = memchr(p + 1, 0, n - (size_t)(p + 1 - s))) nuls++;
  return nuls > n / 512;
}

/* C0 controls other than the whitespace ones, and DEL: text has almost none,
 * random bytes about 11%. */
static int control_heavy(const unsigned char *s, size_t n) {
  size_t controls = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned c = s[i];
    if ((c < 0x20 && !(c >= '\t' && c <= '\r')) || c == 0x7F) controls++;
  }
  return controls > n / 32;
}

/* ------------------------------------------------------------------ */
/* Building converted text and its offset map                           */
/* ------------------------------------------------------------------ */

typedef struct text_builder {
  const char *name;
  gw_decoded *out; /* owned, len and to_original are filled in place */
  size_t cap;
} text_builder;

static int builder_too_big(text_builder *b, gw_error *err) {
  return gw_fail(err, GW_ETOOBIG, "%s: decoded text too large", b->name);
}

static int builder_reserve(text_builder *b, size_t extra, gw_error *err) {
  gw_decoded *d = b->out;
  if (extra > GW_MAX_INPUT || d->len + extra > GW_MAX_INPUT)
    return builder_too_big(b, err);
  if (GW_GROW(d->owned, b->cap, d->len + extra + 1 /* + NUL */) < 0)
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", b->name);
  return GW_OK;
}

/* The character at text offset `text_off` comes from input offset `from`.
 * Nothing is dropped while decoding, so `from` also ends the previous
 * character's input bytes. */
static int builder_map(text_builder *b, size_t text_off, size_t from,
                       gw_error *err) {
  int rc = gw_offset_map_add(&b->out->to_original, text_off, from, from);
  if (rc == GW_ENOMEM) return gw_fail(err, rc, "%s: out of memory", b->name);
  if (rc < 0) return builder_too_big(b, err);
  return GW_OK;
}

/* The next character appended comes from input offset `from`. */
static int builder_anchor(text_builder *b, size_t from, gw_error *err) {
  return builder_map(b, b->out->len, from, err);
}

static int builder_append(text_builder *b, const void *bytes, size_t n,
                          gw_error *err) {
  int rc = builder_reserve(b, n, err);
  if (rc < 0) return rc;
  memcpy(b->out->owned + b->out->len, bytes, n);
  b->out->len += n;
  return GW_OK;
}

/* The character at text offset `text_off`, text_len bytes, comes from the
 * input bytes [from, from + in_len): an offset inside it maps inside them
 * (into the bytes of a U+FFFD that replaced fewer than its three, too). */
static int builder_map_char(text_builder *b, size_t text_off, size_t text_len,
                            size_t from, size_t in_len, gw_error *err) {
  int rc = gw_offset_map_add_char(&b->out->to_original, text_off, text_len,
                                  from, in_len);
  if (rc == GW_ENOMEM) return gw_fail(err, rc, "%s: out of memory", b->name);
  if (rc < 0) return builder_too_big(b, err);
  return GW_OK;
}

/* U+FFFD for the ill-formed input bytes [from, from + n). */
static int builder_replace(text_builder *b, size_t from, size_t n,
                           gw_error *err) {
  int rc = builder_map_char(b, b->out->len, sizeof REPLACEMENT, from, n, err);
  if (rc == GW_OK) rc = builder_append(b, REPLACEMENT, sizeof REPLACEMENT, err);
  if (rc == GW_OK) rc = builder_anchor(b, from + n, err);
  b->out->replacements++;
  return rc;
}

static void builder_finish(text_builder *b) {
  gw_decoded *d = b->out;
  d->owned[d->len] = '\0';
  char *fitted = realloc(d->owned, d->len + 1);
  if (fitted) d->owned = fitted;
  d->text = d->owned;
}

/* ------------------------------------------------------------------ */
/* UTF-8                                                                */
/* ------------------------------------------------------------------ */

static int fail_utf8(const char *name, size_t offset, gw_error *err) {
  return gw_fail_at(err, GW_EENCODING, offset, 0, 0,
                    "%s:%zu: invalid UTF-8 sequence", name, offset);
}

/* bytes[start..len) as UTF-8; `start` skips a BOM; `valid` bytes from
 * `start` on are known to be valid UTF-8 (utf8_valid_prefix()). */
static int decode_utf8(const unsigned char *bytes, size_t len, size_t start,
                       size_t valid, const char *name, int replace_invalid,
                       gw_decoded *out, gw_error *err) {
  if (start + valid == len) {
    out->text = (const char *)bytes + start;
    out->len = len - start;
    /* The BOM shifts every offset; the final anchor is then a no-op. */
    if (gw_offset_map_add(&out->to_original, 0, start, start) < 0)
      return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
    return GW_OK;
  }
  if (!replace_invalid) return fail_utf8(name, start + valid, err);

  text_builder b = {name, out, 0};
  int rc = builder_reserve(&b, len - start, err);
  if (rc == GW_OK) rc = builder_anchor(&b, start, err);
  size_t i = start;
  while (rc == GW_OK && i < len) {
    size_t run = utf8_valid_prefix(bytes + i, len - i);
    rc = builder_append(&b, bytes + i, run, err);
    i += run;
    if (rc < 0 || i == len) break;
    size_t bad = utf8_invalid_length(bytes + i, len - i);
    rc = builder_replace(&b, i, bad, err);
    i += bad;
  }
  if (rc == GW_OK) rc = builder_anchor(&b, len, err);
  if (rc < 0) return rc;
  builder_finish(&b);
  return GW_OK;
}

/* ------------------------------------------------------------------ */
/* UTF-16 and GB18030 through iconv                                     */
/* ------------------------------------------------------------------ */

/* How the input encoding splits into characters.  iconv converts whole runs
 * at a time; the map is then built by walking the input and the output
 * together, one character each, which relies on every character of these
 * encodings becoming exactly one code point (true of UTF-16, and checked for
 * every GB18030 sequence glibc accepts). */
typedef struct charset {
  const char *iconv_name;
  const char *label; /* for error messages */
  /* Bytes of the character at s[0..n) that iconv accepted. */
  size_t (*char_length)(const unsigned char *s, size_t n);
  /* Bytes one U+FFFD stands for when iconv rejects s[0..n). */
  size_t (*invalid_length)(const unsigned char *s, size_t n);
} charset;

static unsigned utf16_unit(const unsigned char *s, int big_endian) {
  return big_endian ? (unsigned)s[0] << 8 | s[1] : (unsigned)s[1] << 8 | s[0];
}

static size_t utf16_length(const unsigned char *s, int big_endian) {
  unsigned unit = utf16_unit(s, big_endian);
  return unit >= 0xD800 && unit <= 0xDBFF ? 4 : 2;
}
static size_t utf16le_length(const unsigned char *s, size_t n) {
  (void)n;
  return utf16_length(s, 0);
}
static size_t utf16be_length(const unsigned char *s, size_t n) {
  (void)n;
  return utf16_length(s, 1);
}
/* One U+FFFD per unpaired surrogate and per odd trailing byte, as WHATWG. */
static size_t utf16_invalid_length(const unsigned char *s, size_t n) {
  (void)s;
  return n >= 2 ? 2 : n;
}

/* GB18030: one byte below 0x80; a lead byte 0x81–0xFE followed either by
 * 0x30–0x39 (four bytes: lead, digit, lead, digit) or by a trail byte (two
 * bytes).  Returns 0 where the structure is broken. */
static size_t gb18030_structure(const unsigned char *s, size_t n) {
  if (s[0] < 0x80) return 1;
  if (s[0] == 0x80 || s[0] == 0xFF || n < 2) return 0;
  if (s[1] >= 0x30 && s[1] <= 0x39) {
    if (n < 4 || s[2] < 0x81 || s[2] > 0xFE || s[3] < 0x30 || s[3] > 0x39)
      return 0;
    return 4;
  }
  if (s[1] >= 0x40 && s[1] <= 0xFE && s[1] != 0x7F) return 2;
  return 0;
}
static size_t gb18030_length(const unsigned char *s, size_t n) {
  return gb18030_structure(s, n);
}
/* A well-formed but unassigned sequence is one error; otherwise only the
 * lead byte is, so the next byte (often ASCII) starts afresh — as WHATWG. */
static size_t gb18030_invalid_length(const unsigned char *s, size_t n) {
  size_t len = gb18030_structure(s, n);
  return len ? len : 1;
}

static const charset UTF16LE = {"UTF-16LE", "UTF-16", utf16le_length,
                                utf16_invalid_length};
static const charset UTF16BE = {"UTF-16BE", "UTF-16", utf16be_length,
                                utf16_invalid_length};
static const charset GB18030 = {"GB18030", "GB18030", gb18030_length,
                                gb18030_invalid_length};

/* UTF-8 length of the character whose lead byte is c (valid iconv output). */
static size_t utf8_length(unsigned char c) {
  return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Whether iconv_open failed for want of memory.  glibc loads the converter
 * (gconv modules, through dlopen) and, when an allocation there fails,
 * often says EINVAL, as for an encoding it lacks; the encodings asked for
 * here are glibc's own, so a failure with no memory to be had now either
 * is out of memory, not a missing converter. */
static int iconv_open_out_of_memory(void) {
  if (errno == ENOMEM) return 1;
  void *probe = malloc(4096);
  int none = probe == NULL;
  free(probe);
  return none;
}

/* Anchors for input[start..end) converted to text[text_start..text_end). */
static int map_converted(text_builder *b, const charset *cs,
                         const unsigned char *bytes, size_t start, size_t end,
                         size_t text_start, gw_error *err) {
  const char *text = b->out->owned;
  size_t in = start;
  for (size_t t = text_start; t < b->out->len;) {
    size_t in_len = cs->char_length(bytes + in, end - in);
    size_t t_len = utf8_length((unsigned char)text[t]);
    int rc = builder_map_char(b, t, t_len, in, in_len, err);
    if (rc < 0) return rc;
    in += in_len;
    t += t_len;
  }
  return GW_OK;
}

typedef struct iconv_step {
  size_t consumed; /* input bytes converted */
  int error;       /* 0, or EILSEQ / EINVAL at the end of what was consumed */
} iconv_step;

static int convert_run(text_builder *b, iconv_t cd, const unsigned char *bytes,
                       size_t pos, size_t len, iconv_step *step,
                       gw_error *err) {
  /* Neither UTF-16 nor GB18030 grows by more than half in UTF-8, so iconv
   * runs out of room only where the text would pass GW_MAX_INPUT. */
  size_t room = (len - pos) + (len - pos) / 2 + 4;
  if (room > GW_MAX_INPUT - b->out->len) room = GW_MAX_INPUT - b->out->len;
  int rc = builder_reserve(b, room, err);
  if (rc < 0) return rc;
  char *in = (char *)(bytes + pos);
  size_t in_left = len - pos;
  char *o = b->out->owned + b->out->len;
  size_t o_left = b->cap - b->out->len - 1;
  size_t r = iconv(cd, &in, &in_left, &o, &o_left);
  step->error = r == (size_t)-1 ? errno : 0;
  step->consumed = (size_t)((const unsigned char *)in - (bytes + pos));
  b->out->len = (size_t)(o - b->out->owned);
  if (step->error == E2BIG) return builder_too_big(b, err);
  return GW_OK;
}

static int fail_iconv(const char *name, const charset *cs, size_t offset,
                      int auto_detected, gw_error *err) {
  if (auto_detected)
    return gw_fail_at(err, GW_EENCODING, offset, 0, 0,
                      "%s:%zu: neither UTF-8 nor GB18030 (invalid byte "
                      "sequence)", name, offset);
  return gw_fail_at(err, GW_EENCODING, offset, 0, 0,
                    "%s:%zu: invalid %s sequence", name, offset, cs->label);
}

static int decode_iconv(const unsigned char *bytes, size_t len, size_t start,
                        const char *name, const charset *cs,
                        int replace_invalid, int auto_detected,
                        gw_decoded *out, gw_error *err) {
  iconv_t cd = iconv_open("UTF-8", cs->iconv_name);
  if (cd == (iconv_t)-1) {
    if (iconv_open_out_of_memory())
      return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
    return gw_fail(err, GW_EENCODING, "%s: iconv cannot convert from %s", name,
                   cs->iconv_name);
  }
  text_builder b = {name, out, 0};
  int rc = builder_reserve(&b, 0, err);
  size_t pos = start;
  while (rc == GW_OK && pos < len) {
    size_t text_start = out->len;
    iconv_step step;
    rc = convert_run(&b, cd, bytes, pos, len, &step, err);
    if (rc == GW_OK)
      rc = map_converted(&b, cs, bytes, pos, pos + step.consumed, text_start,
                         err);
    pos += step.consumed;
    if (rc < 0 || !step.error) break;
    if (!replace_invalid) {
      rc = fail_iconv(name, cs, pos, auto_detected, err);
      break;
    }
    size_t bad = cs->invalid_length(bytes + pos, len - pos);
    rc = builder_replace(&b, pos, bad, err);
    pos += bad;
    iconv(cd, NULL, NULL, NULL, NULL); /* back to the initial state */
  }
  iconv_close(cd);
  if (rc == GW_OK) rc = builder_anchor(&b, len, err);
  if (rc < 0) return rc;
  builder_finish(&b);
  return GW_OK;
}

/* ------------------------------------------------------------------ */
/* Detection                                                            */
/* ------------------------------------------------------------------ */

static int has_prefix(const unsigned char *s, size_t n, const char *prefix,
                      size_t prefix_len) {
  return n >= prefix_len && memcmp(s, prefix, prefix_len) == 0;
}

static int fail_nul(const char *name, size_t offset, gw_error *err) {
  return gw_fail_at(err, GW_EBINARY, offset, 0, 0,
                    "%s: not a text file (NUL bytes at offset %zu)", name,
                    offset);
}

/* UTF-16 text is NUL-heavy in bytes, so it is judged by its code points. */
static int refuse_nul_text(const gw_decoded *d, const char *name,
                           gw_error *err) {
  size_t first;
  if (!nul_heavy((const unsigned char *)d->text, d->len, &first)) return GW_OK;
  return fail_nul(name, gw_offset_map_start(&d->to_original, first), err);
}

static int decode_utf16(const unsigned char *bytes, size_t len,
                        const char *name, const charset *cs, size_t start,
                        int replace_invalid, gw_decoded *out, gw_error *err) {
  int rc = decode_iconv(bytes, len, start, name, cs, replace_invalid, 0, out,
                        err);
  if (rc == GW_OK) rc = refuse_nul_text(out, name, err);
  return rc;
}

static int decode_forced(const unsigned char *bytes, size_t len,
                         const char *name, gw_encoding forced,
                         int replace_invalid, gw_decoded *out, gw_error *err) {
  size_t first_nul;
  switch (forced) {
  case GW_ENCODING_UTF8:
  case GW_ENCODING_UTF8_BOM: {
    size_t bom = has_prefix(bytes, len, "\xEF\xBB\xBF", 3) ? 3 : 0;
    out->encoding = bom ? GW_ENCODING_UTF8_BOM : GW_ENCODING_UTF8;
    size_t nuls, valid = utf8_valid_prefix_nuls(bytes + bom, len - bom, &nuls,
                                                &first_nul);
    if (nuls > len / 512) return fail_nul(name, bom + first_nul, err);
    return decode_utf8(bytes, len, bom, valid, name, replace_invalid, out,
                       err);
  }
  case GW_ENCODING_UTF16LE:
  case GW_ENCODING_UTF16BE: {
    int le = forced == GW_ENCODING_UTF16LE;
    size_t bom = has_prefix(bytes, len, le ? "\xFF\xFE" : "\xFE\xFF", 2) ? 2 : 0;
    out->encoding = forced;
    return decode_utf16(bytes, len, name, le ? &UTF16LE : &UTF16BE, bom,
                        replace_invalid, out, err);
  }
  case GW_ENCODING_GB18030:
    out->encoding = forced;
    if (nul_heavy(bytes, len, &first_nul)) return fail_nul(name, first_nul, err);
    return decode_iconv(bytes, len, 0, name, &GB18030, replace_invalid, 0, out,
                        err);
  case GW_ENCODING_AUTO:
    break;
  }
  return gw_fail(err, GW_EINVAL, "%s: unknown encoding %d", name, (int)forced);
}

static int fail_control(const char *name, gw_error *err) {
  return gw_fail(err, GW_EBINARY,
                 "%s: not a text file (control bytes, no valid encoding)",
                 name);
}

static int decode_detected(const unsigned char *bytes, size_t len,
                           const char *name, int replace_invalid,
                           gw_decoded *out, gw_error *err) {
  if (has_prefix(bytes, len, "\xEF\xBB\xBF", 3))
    return decode_forced(bytes, len, name, GW_ENCODING_UTF8_BOM,
                         replace_invalid, out, err);
  if (has_prefix(bytes, len, "\xFF\xFE", 2))
    return decode_forced(bytes, len, name, GW_ENCODING_UTF16LE,
                         replace_invalid, out, err);
  if (has_prefix(bytes, len, "\xFE\xFF", 2))
    return decode_forced(bytes, len, name, GW_ENCODING_UTF16BE,
                         replace_invalid, out, err);

  /* One pass for the NUL rule and valid UTF-8; the statistics only when it
   * is not. */
  size_t nuls, first_nul;
  size_t valid = utf8_valid_prefix_nuls(bytes, len, &nuls, &first_nul);
  if (nuls > len / 512) return fail_nul(name, first_nul, err);

  utf8_stats st;
  memset(&st, 0, sizeof st);
  if (valid < len) utf8_scan(bytes, len, &st);
  int rc;
  if (valid == len || looks_like_utf8(&st)) {
    out->encoding = GW_ENCODING_UTF8;
    rc = decode_utf8(bytes, len, 0, valid, name, replace_invalid, out, err);
  } else {
    out->encoding = GW_ENCODING_GB18030;
    rc = decode_iconv(bytes, len, 0, name, &GB18030, replace_invalid, 1, out,
                      err);
  }
  int undecodable = rc == GW_EENCODING || (rc == GW_OK && out->replacements);
  if (undecodable && control_heavy(bytes, len)) return fail_control(name, err);
  return rc;
}

/* The NUL rule of decode_forced() and decode_detected(), on a prefix. */
int gw_decode_check_prefix(const unsigned char *bytes, size_t len,
                           const char *name, gw_encoding forced,
                           gw_error *err) {
  if (!name) name = "<buffer>";
  const charset *utf16 = NULL;
  size_t bom = 0;
  if (forced == GW_ENCODING_UTF16LE || forced == GW_ENCODING_UTF16BE) {
    int le = forced == GW_ENCODING_UTF16LE;
    utf16 = le ? &UTF16LE : &UTF16BE;
    bom = has_prefix(bytes, len, le ? "\xFF\xFE" : "\xFE\xFF", 2) ? 2 : 0;
  } else if (forced == GW_ENCODING_AUTO && !has_prefix(bytes, len, "\xEF\xBB\xBF", 3)) {
    if (has_prefix(bytes, len, "\xFF\xFE", 2)) utf16 = &UTF16LE;
    else if (has_prefix(bytes, len, "\xFE\xFF", 2)) utf16 = &UTF16BE;
    bom = utf16 ? 2 : 0;
  }
  if (!utf16) {
    size_t first_nul;
    return nul_heavy(bytes, len, &first_nul) ? fail_nul(name, first_nul, err)
                                             : GW_OK;
  }
  /* The prefix may end inside a character: replaced, not refused. */
  gw_decoded d;
  memset(&d, 0, sizeof d);
  int rc = decode_iconv(bytes, len, bom, name, utf16, 1, 0, &d, err);
  if (rc == GW_OK) rc = refuse_nul_text(&d, name, err);
  gw_decoded_free(&d);
  return rc;
}

int gw_decode(const unsigned char *bytes, size_t len, const char *name,
              gw_encoding forced, int replace_invalid, gw_decoded *out,
              gw_error *err) {
  memset(out, 0, sizeof *out);
  if (!name) name = "<buffer>";
  if (len > GW_MAX_INPUT)
    return gw_fail(err, GW_ETOOBIG, "%s: input too large (%zu bytes)", name,
                   len);
  if (len == 0) {
    out->text = "";
    return GW_OK;
  }
  int rc = forced == GW_ENCODING_AUTO
               ? decode_detected(bytes, len, name, replace_invalid, out, err)
               : decode_forced(bytes, len, name, forced, replace_invalid, out,
                               err);
  if (rc < 0) gw_decoded_free(out);
  return rc;
}

void gw_decoded_free(gw_decoded *decoded) {
  if (!decoded) return;
  free(decoded->owned);
  gw_offset_map_free(&decoded->to_original);
  memset(decoded, 0, sizeof *decoded);
}
