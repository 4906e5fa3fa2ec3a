/* The tools' word counter (tools/counter.c): counts against a plain list,
 * the top words of a paragraph's tokens, excluded keys (the stop words),
 * the top of the listing, and keys whose 32-bit tags agree. */
#include <stdlib.h>
#include <string.h>

#include "counter.h"
#include "harness.h"

/* Random keys of 1 to 40 bytes drawn from a small alphabet (so that many
 * share lengths and prefixes, and the table grows several times). */
enum { KEY_POOL = 3000, STOP_KEYS = 200 };

static char keys[KEY_POOL][40];
static size_t lens[KEY_POOL];

static void random_key(uint64_t *state, char *out, size_t *len) {
  /* 一, 二, a, b, and the continuation-heavy 甲 (three bytes) */
  static const char *const pieces[] = {"\xE4\xB8\x80", "\xE4\xBA\x8C", "a", "b",
                                       "\xE7\x94\xB2"};
  size_t n = 0, parts = 1 + gw_test_xorshift(state) % 12;
  for (size_t i = 0; i < parts; i++) {
    const char *p = pieces[gw_test_xorshift(state) % 5];
    size_t l = strlen(p);
    memcpy(out + n, p, l);
    n += l;
  }
  *len = n;
}

/* The pool's keys, distinct. */
static void draw_keys(uint64_t *state) {
  size_t distinct = 0;
  for (size_t i = 0; i < KEY_POOL; i++) {
    random_key(state, keys[i], &lens[i]);
    int seen = 0;
    for (size_t j = 0; j < i && !seen; j++)
      seen = lens[j] == lens[i] && memcmp(keys[j], keys[i], lens[i]) == 0;
    if (seen) i--; /* draw again */
    else distinct++;
  }
  CHECK_EQ_SIZE(distinct, KEY_POOL);
}

/* Whether sorted[0, n) is in the listing's order: count descending, then
 * key bytes. */
static int in_listing_order(const gw_count **sorted, size_t n) {
  for (size_t i = 1; i < n; i++) {
    const gw_count *a = sorted[i - 1], *b = sorted[i];
    size_t m = a->length < b->length ? a->length : b->length;
    int cmp = memcmp(a->key, b->key, m);
    if (!(a->count > b->count ||
          (a->count == b->count && (cmp < 0 || (cmp == 0 && a->length < b->length)))))
      return 0;
  }
  return 1;
}

/* gw_counter_top(c, top) is the first `top` of gw_counter_sorted. */
static void check_top(const gw_counter *c) {
  size_t n;
  const gw_count **sorted = gw_counter_sorted(c, &n);
  CHECK(sorted != NULL);
  CHECK_EQ_SIZE(n, gw_counter_count(c));
  CHECK(sorted && in_listing_order(sorted, n));
  const size_t tops[] = {0, 1, 2, 7, 20, 100, n / 2, n - 1, n, n + 1, (size_t)-1};
  for (size_t t = 0; sorted && t < sizeof tops / sizeof *tops; t++) {
    size_t m = (size_t)-2;
    const gw_count **top = gw_counter_top(c, tops[t], &m);
    CHECK(top != NULL);
    CHECK_EQ_SIZE(m, n);
    size_t shown = tops[t] < n ? tops[t] : n;
    for (size_t i = 0; top && i < shown; i++) CHECK(top[i] == sorted[i]);
    free(top);
  }
  free(sorted);
}

static void test_counts(uint64_t *state) {
  static uint64_t counts[KEY_POOL], docs[KEY_POOL], last[KEY_POOL];
  gw_counter c;
  gw_counter_init(&c);
  CHECK(gw_counter_find(&c, "a", 1) == NULL);
  for (size_t round = 0; round < 20000; round++) {
    size_t doc = round / 5000, k = gw_test_xorshift(state) % KEY_POOL;
    CHECK(gw_counter_add(&c, keys[k], lens[k], doc) == 0);
    counts[k]++;
    if (last[k] != doc + 1) docs[k]++, last[k] = doc + 1;
  }
  size_t expected = 0;
  for (size_t k = 0; k < KEY_POOL; k++) {
    const gw_count *e = gw_counter_find(&c, keys[k], lens[k]);
    if (!counts[k]) {
      CHECK(e == NULL);
      continue;
    }
    expected++;
    CHECK(e != NULL);
    if (!e) continue;
    CHECK_EQ_SIZE(e->length, lens[k]);
    CHECK(memcmp(e->key, keys[k], lens[k]) == 0 && e->key[lens[k]] == '\0');
    CHECK(e->count == counts[k] && e->documents == docs[k]);
  }
  CHECK_EQ_SIZE(gw_counter_count(&c), expected);
  /* many keys share a count: the key bytes order them */
  check_top(&c);
  gw_counter_free(&c);
}

/* Top words: the pool's first STOP_KEYS keys are the stop words; tokens of
 * every kind, spaces and sub-words among them.  gw_counter_add_top_words
 * on a counter with the stop words excluded counts what gw_is_top_word
 * with the stop words and gw_counter_add count, and the kinds of every
 * word. */
static void test_top_words(uint64_t *state) {
  gw_counter stop, one, batch;
  gw_counter_init(&stop);
  gw_counter_init(&one);
  gw_counter_init(&batch);
  for (size_t k = 0; k < STOP_KEYS; k++) CHECK(gw_counter_add(&stop, keys[k], lens[k], 0) == 0);
  CHECK(gw_counter_exclude(&batch, &stop) == 0);
  CHECK_EQ_SIZE(batch.excluded, STOP_KEYS);
  CHECK_EQ_SIZE(gw_counter_count(&batch), 0);
  uint64_t kinds[GW_TOKEN_OTHER + 1] = {0}, kinds_expected[GW_TOKEN_OTHER + 1] = {0};
  static char text[64 * 1024];
  static gw_token tokens[1024];
  for (size_t doc = 0; doc < 8; doc++) {
    size_t used = 0, n_tokens = 0;
    while (n_tokens < 1024 && used + 40 <= sizeof text) {
      size_t k = gw_test_xorshift(state) % KEY_POOL;
      memcpy(text + used, keys[k], lens[k]);
      uint64_t r = gw_test_xorshift(state);
      tokens[n_tokens] = (gw_token){used, used + lens[k], (gw_token_kind)(r % (GW_TOKEN_OTHER + 1)),
                                    (r >> 8) % 7 == 0};
      used += lens[k];
      n_tokens++;
    }
    for (size_t i = 0; i < n_tokens; i++) {
      const gw_token *t = &tokens[i];
      if (t->kind == GW_TOKEN_SPACE || t->sub) continue;
      kinds_expected[t->kind]++;
      if (gw_is_top_word(&stop, text + t->start, t->end - t->start, t->kind))
        CHECK(gw_counter_add(&one, text + t->start, t->end - t->start, doc) == 0);
    }
    CHECK(gw_counter_add_top_words(&batch, text, tokens, n_tokens, doc, kinds) == 0);
  }
  for (int k = 0; k <= GW_TOKEN_OTHER; k++) CHECK(kinds[k] == kinds_expected[k]);
  CHECK(kinds[GW_TOKEN_SPACE] == 0 && kinds[GW_TOKEN_WORD] > 100);
  CHECK_EQ_SIZE(gw_counter_count(&batch), gw_counter_count(&one));
  CHECK(gw_counter_count(&one) > 100);
  for (size_t k = 0; k < KEY_POOL; k++) {
    const gw_count *a = gw_counter_find(&one, keys[k], lens[k]);
    const gw_count *b = gw_counter_find(&batch, keys[k], lens[k]);
    CHECK((a == NULL) == (b == NULL));
    if (a && b) CHECK(a->count == b->count && a->documents == b->documents);
    if (k < STOP_KEYS) CHECK(b == NULL);
  }
  /* The listing holds no excluded key. */
  size_t n;
  const gw_count **sorted = gw_counter_sorted(&batch, &n);
  CHECK(sorted != NULL);
  CHECK_EQ_SIZE(n, gw_counter_count(&one));
  for (size_t i = 0; sorted && i < n; i++) {
    const gw_count *s = gw_counter_find(&stop, sorted[i]->key, sorted[i]->length);
    CHECK(s == NULL);
    CHECK(sorted[i]->count > 0);
  }
  free(sorted);
  check_top(&batch);
  /* gw_counter_add passes over an excluded key too; excluding comes
   * first or not at all. */
  size_t before = batch.size;
  CHECK(gw_counter_add(&batch, keys[0], lens[0], 9) == 0);
  CHECK(gw_counter_find(&batch, keys[0], lens[0]) == NULL);
  CHECK_EQ_SIZE(batch.size, before);
  CHECK(gw_counter_exclude(&batch, &stop) == -1);
  CHECK(gw_counter_add_top_words(&batch, text, tokens, 0, 9, NULL) == 0);
  /* The shape rule: one Han character is not a top word, two are; a
   * Latin word of one letter is; a four-byte character alone is not, with
   * another one is. */
  CHECK(!gw_is_top_word(NULL, "\xE4\xB8\x80", 3, GW_TOKEN_WORD));
  CHECK(gw_is_top_word(NULL, "\xE4\xB8\x80\xE4\xBA\x8C", 6, GW_TOKEN_WORD));
  CHECK(gw_is_top_word(NULL, "\xE4\xB8\x80" "a", 4, GW_TOKEN_NEW_WORD));
  CHECK(gw_is_top_word(NULL, "ab", 2, GW_TOKEN_WORD));
  CHECK(!gw_is_top_word(NULL, "a", 1, GW_TOKEN_WORD));
  CHECK(gw_is_top_word(NULL, "a", 1, GW_TOKEN_LATIN));
  CHECK(!gw_is_top_word(NULL, "ab", 2, GW_TOKEN_PUNCT));
  CHECK(!gw_is_top_word(NULL, "\xF0\xA0\x80\x80", 4, GW_TOKEN_WORD));
  CHECK(gw_is_top_word(NULL, "\xF0\xA0\x80\x80\xF0\xA0\x80\x81", 8, GW_TOKEN_WORD));
  CHECK(gw_is_top_word(NULL, "\xF0\xA0\x80\x80" "a", 5, GW_TOKEN_WORD));
  gw_counter_free(&stop);
  gw_counter_free(&one);
  gw_counter_free(&batch);
}

/* Words that gw_counter_add_top_words' cache of recent words reads as
 * the same two numbers but for their length ("一a" and "一a一a": the first
 * and last four bytes; nine and ten a's: the first and last eight), and
 * excluded words of the lengths it caches: each counted as itself, the
 * excluded ones not at all, whatever was seen before. */
static void test_recent_words(void) {
  static const char *const words[] = {
      "\xE4\xB8\x80" "a", "\xE4\xB8\x80" "a\xE4\xB8\x80" "a", "aaaaaaaaa", "aaaaaaaaaa",
      "\xE4\xB8\x80\xE4\xBA\x8C", "abab", "ab", "aaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaa"};
  enum { WORDS = sizeof words / sizeof *words };
  static const char *const stop_words[] = {"aaaaaaaaa", "\xE4\xB8\x80\xE4\xBA\x8C",
                                           "aaaaaaaaaaaaaaaa"};
  gw_counter stop, one, batch, spans;
  gw_counter_init(&stop);
  gw_counter_init(&one);
  gw_counter_init(&batch);
  gw_counter_init(&spans);
  for (size_t i = 0; i < 3; i++)
    CHECK(gw_counter_add(&stop, stop_words[i], strlen(stop_words[i]), 0) == 0);
  CHECK(gw_counter_exclude(&batch, &stop) == 0);
  CHECK(gw_counter_exclude(&spans, &stop) == 0);
  char text[512];
  gw_token tokens[64];
  size_t used = 0, n = 0;
  /* each word, then each again in the opposite order, then the first ones */
  for (size_t i = 0; i < 2 * WORDS + 4; i++) {
    const char *w = words[i < WORDS ? i : i < 2 * WORDS ? 2 * WORDS - 1 - i : i - 2 * WORDS];
    size_t len = strlen(w);
    memcpy(text + used, w, len);
    tokens[n++] = (gw_token){used, used + len, GW_TOKEN_WORD, 0};
    used += len;
  }
  gw_counter_span word_spans[64]; /* every word is of a top word's shape */
  for (size_t i = 0; i < n; i++)
    word_spans[i] = (gw_counter_span){tokens[i].start, tokens[i].end - tokens[i].start};
  for (size_t doc = 0; doc < 3; doc++) {
    CHECK(gw_counter_add_top_words(&batch, text, tokens, n, doc, NULL) == 0);
    CHECK(gw_counter_add_spans(&spans, text, word_spans, n, doc) == 0);
    for (size_t i = 0; i < n; i++)
      if (gw_is_top_word(&stop, text + tokens[i].start, tokens[i].end - tokens[i].start,
                         GW_TOKEN_WORD))
        CHECK(gw_counter_add(&one, text + tokens[i].start, tokens[i].end - tokens[i].start,
                             doc) == 0);
  }
  CHECK_EQ_SIZE(gw_counter_count(&batch), WORDS - 3);
  CHECK_EQ_SIZE(gw_counter_count(&one), WORDS - 3);
  for (size_t i = 0; i < WORDS; i++) {
    const gw_count *a = gw_counter_find(&one, words[i], strlen(words[i]));
    const gw_count *b = gw_counter_find(&batch, words[i], strlen(words[i]));
    const gw_count *d = gw_counter_find(&spans, words[i], strlen(words[i]));
    CHECK((a == NULL) == (b == NULL) && (a == NULL) == (d == NULL));
    if (a && b) CHECK(a->count == b->count && a->documents == 3 && b->documents == 3);
    if (a && d) CHECK(a->count == d->count && d->documents == 3);
  }
  CHECK_EQ_SIZE(gw_counter_count(&spans), WORDS - 3);
  for (size_t i = 0; i < 3; i++) CHECK(gw_counter_find(&batch, stop_words[i], strlen(stop_words[i])) == NULL);
  gw_counter_free(&stop);
  gw_counter_free(&one);
  gw_counter_free(&batch);
  gw_counter_free(&spans);
}

/* The shape rule as first written: a byte after the first that starts a
 * character (is not 10xxxxxx), one at a time. */
static int two_or_more_characters(const unsigned char *u, size_t len) {
  for (size_t i = 1; i < len; i++)
    if ((u[i] & 0xC0) != 0x80) return 1;
  return 0;
}

/* gw_is_top_word's shape, worked out without branches, against the rule
 * byte by byte: every string of up to 6 bytes drawn from bytes of each
 * class (ASCII, continuation, the leads of 2-, 3- and 4-byte characters),
 * and random longer ones, in every kind. */
static void test_shape(uint64_t *state) {
  static const unsigned char classes[] = {'a', 0x80, 0xBF, 0xC3, 0xE4, 0xF0};
  enum { CLASSES = sizeof classes };
  unsigned char word[24];
  size_t checked = 0;
  for (size_t len = 0; len <= 6; len++) {
    size_t combos = 1;
    for (size_t i = 0; i < len; i++) combos *= CLASSES;
    for (size_t c = 0; c < combos; c++) {
      size_t v = c;
      for (size_t i = 0; i < len; i++, v /= CLASSES) word[i] = classes[v % CLASSES];
      for (int kind = 0; kind <= GW_TOKEN_OTHER; kind++) {
        int expected = kind == GW_TOKEN_LATIN ||
                       ((kind == GW_TOKEN_WORD || kind == GW_TOKEN_NEW_WORD) &&
                        two_or_more_characters(word, len));
        int got = gw_is_top_word(NULL, (const char *)word, len, (gw_token_kind)kind);
        if (got != expected) {
          CHECK(got == expected);
          return;
        }
        checked++;
      }
    }
  }
  for (size_t round = 0; round < 20000; round++) {
    size_t len = 7 + gw_test_xorshift(state) % (sizeof word - 7);
    for (size_t i = 0; i < len; i++) word[i] = classes[gw_test_xorshift(state) % CLASSES];
    int expected = two_or_more_characters(word, len);
    CHECK(gw_is_top_word(NULL, (const char *)word, len, GW_TOKEN_WORD) == expected);
    CHECK(gw_is_top_word(NULL, (const char *)word, len, GW_TOKEN_NEW_WORD) == expected);
    checked += 2;
  }
  CHECK(checked > 100000);
}

/* ---- keys whose tags agree ---- */

typedef struct tagged {
  uint64_t tag;
  uint32_t suffix;
} tagged;

static int by_tag(const void *pa, const void *pb) {
  const tagged *a = pa, *b = pb;
  if (a->tag != b->tag) return a->tag < b->tag ? -1 : 1;
  return (a->suffix > b->suffix) - (a->suffix < b->suffix);
}

/* A key of len bytes (3 or more): a fixed prefix, then suffix in its last
 * three bytes. */
static void make_key(char *out, size_t len, uint32_t suffix) {
  for (size_t i = 0; i + 3 < len; i++) out[i] = (char)('p' + i % 7);
  out[len - 3] = (char)(suffix & 0xFF);
  out[len - 2] = (char)(suffix >> 8 & 0xFF);
  out[len - 1] = (char)(suffix >> 16 & 0xFF);
}

/* Two keys of len bytes that differ in their last three bytes only (the
 * last one among them) and
 * whose tags (gw_counter_hash's high 32 bits, which also pick the first
 * cell) agree: among 2^18 such keys some are bound to (about 8 pairs
 * expected, and the hash is fixed: the same pairs every run).  0 when
 * none is found. */
static int colliding_pair(size_t len, char *a, char *b) {
  enum { DRAWN = 1 << 18 };
  tagged *t = malloc(DRAWN * sizeof *t);
  if (!t) return 0;
  char key[64];
  for (uint32_t s = 0; s < DRAWN; s++) {
    make_key(key, len, s * 2654435761u >> 8); /* spread over the 24 bits */
    t[s] = (tagged){gw_counter_hash(key, len) >> 32, s * 2654435761u >> 8};
  }
  qsort(t, DRAWN, sizeof *t, by_tag);
  /* a pair whose last bytes differ: a comparison that stopped short of
   * the last byte would take them for one */
  int found = 0;
  for (size_t i = 1; i < DRAWN && !found; i++) {
    if (t[i].tag != t[i - 1].tag || (t[i].suffix ^ t[i - 1].suffix) >> 16 == 0) continue;
    make_key(a, len, t[i - 1].suffix);
    make_key(b, len, t[i].suffix);
    found = 1;
  }
  free(t);
  return found;
}

/* The key comparison behind a tag match: keys whose tags agree, of every
 * length class same_bytes reads differently (under 4 bytes, 4-7, 8-16,
 * over 16), the same but for their last bytes, are counted apart, found
 * apart, and an excluded one does not hide the other. */
static void test_tag_collisions(void) {
  const size_t lengths[] = {3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 24, 33};
  for (size_t l = 0; l < sizeof lengths / sizeof *lengths; l++) {
    size_t len = lengths[l];
    char a[64], b[64];
    int found = colliding_pair(len, a, b);
    CHECK(found);
    if (!found) continue;
    CHECK(memcmp(a, b, len) != 0);
    CHECK((gw_counter_hash(a, len) >> 32) == (gw_counter_hash(b, len) >> 32));
    gw_counter c;
    gw_counter_init(&c);
    CHECK(gw_counter_add(&c, a, len, 0) == 0);
    CHECK(gw_counter_add(&c, a, len, 0) == 0);
    CHECK(gw_counter_find(&c, b, len) == NULL);
    CHECK(gw_counter_add(&c, b, len, 1) == 0);
    CHECK_EQ_SIZE(gw_counter_count(&c), 2);
    const gw_count *ea = gw_counter_find(&c, a, len), *eb = gw_counter_find(&c, b, len);
    CHECK(ea && ea->count == 2 && ea->documents == 1 && memcmp(ea->key, a, len) == 0);
    CHECK(eb && eb->count == 1 && eb->documents == 1 && memcmp(eb->key, b, len) == 0);
    gw_counter_free(&c);
    /* a excluded: b is still counted, a not */
    gw_counter stop, words;
    gw_counter_init(&stop);
    gw_counter_init(&words);
    CHECK(gw_counter_add(&stop, a, len, 0) == 0);
    CHECK(gw_counter_exclude(&words, &stop) == 0);
    CHECK(gw_counter_add(&words, b, len, 0) == 0);
    CHECK(gw_counter_add(&words, a, len, 0) == 0);
    CHECK_EQ_SIZE(gw_counter_count(&words), 1);
    eb = gw_counter_find(&words, b, len);
    CHECK(eb && eb->count == 1);
    CHECK(gw_counter_find(&words, a, len) == NULL);
    gw_counter_free(&stop);
    gw_counter_free(&words);
  }
}

int main(void) {
  uint64_t state = 0x5eed0c0417e4ULL;
  draw_keys(&state);
  test_counts(&state);
  test_top_words(&state);
  test_shape(&state);
  test_recent_words();
  test_tag_collisions();
  return gw_test_report();
}
