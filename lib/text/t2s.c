/*
 * t2s.c — the normalizer: traditional → simplified folding for the
 * normalized view, from OpenCC's t2s.
 *
 * A char → char table, generated at build time from OpenCC's conversion of
 * every Han character of the BMP (t2s_table_gen.c) and copied into each
 * gw_normalizer; and, for paragraphs that are clearly traditional, OpenCC's
 * phrase conversion (gw_t2s_convert_paragraph()), done here in C from
 * OpenCC's dictionaries compiled in (t2s_dict_gen.cpp).  The library does
 * not link OpenCC: its C++ static initializers ran before main() and, when
 * one of them could not allocate, ended the process in std::terminate.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "t2s.h"

#include "t2s_table.h"

#include "t2s_dict.h"

typedef struct t2s_dict {
  const unsigned char *pool;
  const t2s_dict_entry *entries;
  size_t count;
} t2s_dict;

static const t2s_dict t2s_phrases = {
    t2s_phrases_pool, t2s_phrases_entries,
    sizeof t2s_phrases_entries / sizeof *t2s_phrases_entries};
static const t2s_dict t2s_characters = {
    t2s_characters_pool, t2s_characters_entries,
    sizeof t2s_characters_entries / sizeof *t2s_characters_entries};

/* The table's pairs, generated at build time (t2s_table_gen.c, where the
 * characters it leaves alone are listed). */
static void fill_tables(gw_normalizer *nz) {
  for (size_t k = 0; k < sizeof t2s_generated_pairs / sizeof *t2s_generated_pairs; k++) {
    uint32_t i = t2s_generated_pairs[k][0] - T2S_BMP_FIRST;
    nz->bmp[i] = t2s_generated_pairs[k][1];
    nz->changes[i / 64] |= (uint64_t)1 << (i % 64);
  }
  /* The table's range starts and ends on a word of the bit set. */
  _Static_assert(T2S_BMP_FIRST % 64 == 0 && T2S_BMP_END % 64 == 0, "word-aligned range");
  for (size_t w = 0; w < sizeof nz->han_stops / sizeof *nz->han_stops; w++)
    nz->han_stops[w] = w < T2S_BMP_FIRST / 64 || w >= T2S_BMP_END / 64
                           ? ~(uint64_t)0
                           : nz->changes[w - T2S_BMP_FIRST / 64];
  nz->han_stops[0x7B2C / 64] |= (uint64_t)1 << (0x7B2C % 64); /* 第 */
}

int gw_normalizer_new(gw_normalizer **out, gw_error *err) {
  if (!out) return gw_fail(err, GW_EINVAL, "gw_normalizer_new: out is NULL");
  *out = NULL;
  gw_normalizer *nz = calloc(1, sizeof *nz);
  if (!nz) return gw_fail(err, GW_ENOMEM, "gw_normalizer_new: out of memory");
  fill_tables(nz);
  *out = nz;
  return GW_OK;
}

void gw_normalizer_free(gw_normalizer *normalizer) { free(normalizer); }

/* ------------------------------------------------------------------ */
/* OpenCC's t2s conversion                                             */
/* ------------------------------------------------------------------ */

/* Byte order of an entry's key against s[0..n) (a key that s starts with
 * sorts at or before it). */
static int key_order(const t2s_dict *d, const t2s_dict_entry *e,
                     const char *s, size_t n) {
  size_t k = e->key_len < n ? e->key_len : n;
  int c = memcmp(d->pool + e->key, s, k);
  if (c) return c;
  return e->key_len < n ? -1 : e->key_len > n;
}

/* The entry with the longest key that s[0..n) starts with, or NULL: what
 * OpenCC's MatchPrefix gives.  s[0..first) is its first character: the keys
 * starting with it are one run of the sorted entries. */
static const t2s_dict_entry *longest_prefix(const t2s_dict *d, const char *s,
                                            size_t first, size_t n) {
  size_t lo = 0, hi = d->count;
  while (lo < hi) { /* the first key not before s[0..first) */
    size_t mid = lo + (hi - lo) / 2;
    if (key_order(d, &d->entries[mid], s, first) < 0) lo = mid + 1;
    else hi = mid;
  }
  const t2s_dict_entry *best = NULL;
  for (size_t i = lo; i < d->count; i++) {
    const t2s_dict_entry *e = &d->entries[i];
    if (e->key_len < first || memcmp(d->pool + e->key, s, first) != 0) break;
    if (e->key_len <= n && memcmp(d->pool + e->key, s, e->key_len) == 0 &&
        (!best || e->key_len > best->key_len))
      best = e;
  }
  return best;
}

/* A growing output buffer; a failed allocation is remembered. */
typedef struct t2s_out {
  char *bytes;
  size_t len, cap;
  int failed;
} t2s_out;

static void put(t2s_out *o, const void *bytes, size_t n) {
  if (o->failed) return;
  if (GW_GROW(o->bytes, o->cap, o->len + n) != GW_OK) {
    o->failed = 1;
    return;
  }
  memcpy(o->bytes + o->len, bytes, n);
  o->len += n;
}

/* The length of the character at s[0..n), or 0 where it is not valid
 * UTF-8 (OpenCC throws there; the caller keeps the table's conversion). */
static size_t char_len(const char *s, size_t n) {
  int32_t cp;
  size_t k = gw_utf8_next((const unsigned char *)s, n, &cp);
  return cp < 0 ? 0 : k;
}

/* OpenCC's t2s.json, as OpenCC 1.1 runs it: the text is segmented by
 * longest TSPhrases matches (a character no phrase starts at joins a run
 * of such characters), then each segment is converted on its own by
 * longest matches of TSPhrases, then TSCharacters, each match replaced by
 * its first candidate.  A phrase segment converts to its phrase's
 * candidate; in a run no phrase can match (a phrase inside the run would
 * have been a match of the segmentation), so a run converts character
 * dictionary matches that end inside it.  Returns 0, or -1 for text that
 * is not valid UTF-8. */
static int convert_t2s(const char *s, size_t n, t2s_out *o) {
  size_t pos = 0;
  while (pos < n) {
    size_t first = char_len(s + pos, n - pos);
    if (!first) return -1;
    const t2s_dict_entry *phrase =
        longest_prefix(&t2s_phrases, s + pos, first, n - pos);
    if (phrase) {
      put(o, t2s_phrases.pool + phrase->value, phrase->value_len);
      pos += phrase->key_len;
      continue;
    }
    /* The run of characters no phrase starts at. */
    size_t end = pos + first;
    while (end < n) {
      size_t k = char_len(s + end, n - end);
      if (!k) return -1;
      if (longest_prefix(&t2s_phrases, s + end, k, n - end)) break;
      end += k;
    }
    while (pos < end) {
      size_t k = char_len(s + pos, end - pos);
      const t2s_dict_entry *c =
          longest_prefix(&t2s_characters, s + pos, k, end - pos);
      if (c) {
        put(o, t2s_characters.pool + c->value, c->value_len);
        pos += c->key_len;
      } else {
        put(o, s + pos, k);
        pos += k;
      }
    }
  }
  return 0;
}

int gw_t2s_convert_text(const char *text, size_t len, char **out,
                        size_t *out_len) {
  *out = NULL;
  *out_len = 0;
  t2s_out conv = {NULL, 0, 0, 0};
  int invalid = convert_t2s(text, len, &conv);
  put(&conv, "", 1);
  if (conv.failed) {
    free(conv.bytes);
    return GW_ENOMEM;
  }
  if (invalid) {
    free(conv.bytes);
    return GW_EINVAL;
  }
  *out = conv.bytes;
  *out_len = conv.len - 1;
  return GW_OK;
}

/* The table converts character by character and leaves the ambiguous
 * characters (t2s_table_gen.c's t2s_keep) alone.  In a paragraph that is
 * clearly traditional (normalize.c: at least 1 in 20 Han characters
 * converted), OpenCC's phrase conversion of the paragraph as the text had it
 * decides instead, so 乾淨 → 干净 but 乾坤 stays, 關於 → 关于, 計畫 → 计划. */
int gw_t2s_convert_paragraph(char *para, size_t n, size_t para_start,
                             const gw_t2s_original *originals, size_t count,
                             char **scratch, size_t *scratch_cap) {
  if (*scratch_cap < n + 1) {
    char *p = realloc(*scratch, n + 1);
    if (!p) return GW_ENOMEM;
    *scratch = p;
    *scratch_cap = n + 1;
  }
  char *pre = *scratch;
  memcpy(pre, para, n);
  for (size_t i = 0; i < count; i++)
    gw_utf8_encode(originals[i].orig, pre + (originals[i].off - para_start));
  /* OpenCC's conversion ends at a NUL in the paragraph. */
  char *conv;
  size_t cn;
  int rc = gw_t2s_convert_text(pre, strnlen(pre, n), &conv, &cn);
  if (rc == GW_ENOMEM) return rc;
  if (rc < 0) return GW_OK; /* not UTF-8: the table's conversion stands */
  size_t i = 0, j = 0;
  unsigned char *o = (unsigned char *)para;
  while (i < n && j < cn) {
    int32_t a, b;
    size_t la = gw_utf8_next(o + i, n - i, &a);
    size_t lb = gw_utf8_next((const unsigned char *)conv + j, cn - j, &b);
    if (la != lb) break; /* lengths changed: keep the rest as it is */
    if (a != b) memcpy(o + i, conv + j, la);
    i += la;
    j += lb;
  }
  free(conv);
  return GW_OK;
}
