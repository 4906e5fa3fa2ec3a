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

/* gw_counter_add_top_words' own reading of the shape: every string of 1 to
 * 6 bytes drawn from bytes of each class (ASCII, continuation, the leads
 * of 2-, 3- and 4-byte characters), a token of each kind, counted as
 * gw_is_top_word and gw_counter_add count them.  1 when so. */
static int top_words_by_shape(void) {
  static const unsigned char classes[] = {'a', 0x80, 0xBF, 0xC3, 0xE4, 0xF0};
  enum { CLASSES = sizeof classes, MOST = 46656 /* 6^6 strings of 6 bytes */ };
  static char text[MOST * 6];
  static gw_token tokens[MOST * (GW_TOKEN_OTHER + 1)];
  gw_counter one, batch;
  gw_counter_init(&one);
  gw_counter_init(&batch);
  int ok = 1;
  for (size_t len = 1; len <= 6; len++) {
    size_t combos = 1, used = 0, n = 0;
    for (size_t i = 0; i < len; i++) combos *= CLASSES;
    for (size_t c = 0; c < combos; c++) {
      char *word = text + used;
      size_t v = c;
      for (size_t i = 0; i < len; i++, v /= CLASSES) word[i] = (char)classes[v % CLASSES];
      for (int kind = 0; kind <= GW_TOKEN_OTHER; kind++) {
        tokens[n++] = (gw_token){used, used + len, (gw_token_kind)kind, 0};
        if (gw_is_top_word(NULL, word, len, (gw_token_kind)kind))
          ok &= gw_counter_add(&one, word, len, len) == 0;
      }
      used += len;
    }
    ok &= gw_counter_add_top_words(&batch, text, tokens, n, len, NULL) == 0;
    for (size_t c = 0; c < combos; c++) {
      const gw_count *a = gw_counter_find(&one, text + c * len, len);
      const gw_count *b = gw_counter_find(&batch, text + c * len, len);
      ok &= (a == NULL) == (b == NULL) && (!a || (a->count == b->count && a->documents == 1));
    }
  }
  ok &= gw_counter_count(&one) == gw_counter_count(&batch) && gw_counter_count(&one) > 1000;
  gw_counter_free(&one);
  gw_counter_free(&batch);
  return ok;
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
  CHECK(top_words_by_shape());
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

/* ---- the cache of recent words ---- */

static size_t set_of(const char *w, size_t len) {
  uint64_t a, b, c;
  gw_counter_word_numbers(w, len, &a, &b, &c);
  return gw_counter_recent_set(a, b, c, len);
}

/* words[order[i]] for i < n counted in two documents by
 * gw_counter_add_top_words (as Latin tokens: all of a top word's shape)
 * and by gw_counter_add_spans, each on a counter of its own, as
 * gw_counter_add counts them: 0 when a count differs. */
static int counted_right(const char *const *words, const size_t *word_lens, size_t n_words,
                         const size_t *order, size_t n) {
  static char text[64 * 1024];
  static gw_token tokens[2048];
  static gw_counter_span spans[2048];
  size_t used = 0;
  for (size_t i = 0; i < n && i < 2048; i++) {
    size_t w = order[i];
    memcpy(text + used, words[w], word_lens[w]);
    tokens[i] = (gw_token){used, used + word_lens[w], GW_TOKEN_LATIN, 0};
    spans[i] = (gw_counter_span){used, word_lens[w]};
    used += word_lens[w];
  }
  gw_counter one, batch, by_spans;
  gw_counter_init(&one);
  gw_counter_init(&batch);
  gw_counter_init(&by_spans);
  int ok = 1;
  for (size_t doc = 0; doc < 2; doc++) {
    /* the second document counts the first half again */
    size_t count = doc ? n / 2 : n;
    ok &= gw_counter_add_top_words(&batch, text, tokens, count, doc, NULL) == 0;
    ok &= gw_counter_add_spans(&by_spans, text, spans, count, doc) == 0;
    for (size_t i = 0; i < count; i++)
      ok &= gw_counter_add(&one, words[order[i]], word_lens[order[i]], doc) == 0;
  }
  for (size_t w = 0; w < n_words; w++) {
    const gw_count *e = gw_counter_find(&one, words[w], word_lens[w]);
    const gw_count *b = gw_counter_find(&batch, words[w], word_lens[w]);
    const gw_count *s = gw_counter_find(&by_spans, words[w], word_lens[w]);
    if (!e) {
      ok &= b == NULL && s == NULL;
      continue;
    }
    ok &= b && b->count == e->count && b->documents == e->documents;
    ok &= s && s->count == e->count && s->documents == e->documents;
  }
  ok &= gw_counter_count(&batch) == gw_counter_count(&one);
  ok &= gw_counter_count(&by_spans) == gw_counter_count(&one);
  gw_counter_free(&one);
  gw_counter_free(&batch);
  gw_counter_free(&by_spans);
  return ok;
}

/* Each word counted in turn with the others of words[], in a few orders
 * and in a long random one, starting with each word, in both directions
 * (which of them a set holds, and where, depends on the order they came
 * in). */
static void check_orders(uint64_t *state, const char *const *words, const size_t *word_lens,
                         size_t n_words) {
  for (size_t start = 0; start < 2 * n_words; start++) {
    size_t first = start % n_words, backwards = start >= n_words;
    size_t order[1024], n = 0;
    for (size_t round = 0; round < 3; round++) /* in turn */
      for (size_t w = 0; w < n_words; w++) order[n++] = w;
    for (size_t w = n_words; w-- > 0;) /* backwards, each twice */
      order[n++] = w, order[n++] = w;
    while (n < 1024) order[n++] = gw_test_xorshift(state) % n_words;
    for (size_t i = 0; i < n; i++)
      order[i] = ((backwards ? n_words - 1 - order[i] : order[i]) + first) % n_words;
    CHECK(counted_right(words, word_lens, n_words, order, n));
  }
}

/* A random word of len bytes (any bytes). */
static void random_bytes(uint64_t *state, char *out, size_t len) {
  for (size_t i = 0; i < len; i++) out[i] = (char)(gw_test_xorshift(state) >> 24);
}

/* Words that share a set in the cache of recent words (three and four in
 * one set of two slots, of each length the cache keeps and across them):
 * each counted as itself whatever the order. */
static void test_recent_sets(uint64_t *state) {
  static const size_t lengths[][4] = {{6, 6, 6, 6},   {12, 12, 12, 12}, {21, 21, 21, 21},
                                      {4, 5, 7, 8},   {9, 13, 16, 10},  {17, 20, 24, 18},
                                      {5, 12, 20, 8}, {8, 16, 24, 4}};
  for (size_t l = 0; l < sizeof lengths / sizeof *lengths; l++) {
    char bytes[4][24];
    const char *words[4];
    size_t word_lens[4];
    for (size_t w = 0; w < 4; w++) {
      word_lens[w] = lengths[l][w];
      words[w] = bytes[w];
      size_t tries = 0;
      do random_bytes(state, bytes[w], word_lens[w]);
      while (w > 0 && set_of(bytes[w], word_lens[w]) != set_of(bytes[0], word_lens[0]) && ++tries < 1000000);
      CHECK(w == 0 || set_of(bytes[w], word_lens[w]) == set_of(bytes[0], word_lens[0]));
    }
    check_orders(state, words, word_lens, 3);
    check_orders(state, words, word_lens, 4);
  }
}

/* Words whose numbers agree but for what tells them apart: their lengths
 * (the same byte repeated 9 to 16 and 17 to 24 times: one set), and a
 * word over 8 bytes whose second number is a short word's length, in the
 * set of a word of that length whose first number agrees: the word of 8
 * bytes reads as the one of 24 in the cache, unless such a word is never
 * kept there. */
static void test_recent_numbers(uint64_t *state) {
  char repeated[24];
  memset(repeated, 'x', sizeof repeated);
  const char *words[8];
  size_t word_lens[8];
  for (size_t w = 0; w < 8; w++) words[w] = repeated, word_lens[w] = 9 + w;
  CHECK(set_of(repeated, 9) == set_of(repeated, 16));
  check_orders(state, words, word_lens, 8);
  for (size_t w = 0; w < 8; w++) word_lens[w] = 17 + w;
  CHECK(set_of(repeated, 17) == set_of(repeated, 24));
  check_orders(state, words, word_lens, 8);

  /* short: 8 bytes; long: short's first number, then 8 (its length) as
   * eight bytes or any eight, then any eight, drawn until their sets agree
   * (the third number's multiply moves the set; a word of 9 to 16 bytes
   * with those first two numbers has its set a fixed distance from the
   * short one's) */
  for (int any_second = 0; any_second < 2; any_second++) {
    char short_word[8], long_word[24];
    size_t tries = 0;
    uint64_t a1, b1, c1, a2, b2, c2;
    do {
      random_bytes(state, short_word, 8);
      gw_counter_word_numbers(short_word, 8, &a1, &b1, &c1);
      memcpy(long_word, &a1, 8);
      if (any_second) random_bytes(state, long_word + 8, 16);
      else memcpy(long_word + 8, &b1, 8), random_bytes(state, long_word + 16, 8);
    } while (set_of(short_word, 8) != set_of(long_word, 24) && ++tries < 1000000);
    CHECK(set_of(short_word, 8) == set_of(long_word, 24));
    gw_counter_word_numbers(long_word, 24, &a2, &b2, &c2);
    CHECK(b1 == 8 && c1 == 0 && a1 == a2 && (any_second || b1 == b2));
    /* and a third word in their set, to move either to its second slot */
    char third[8];
    tries = 0;
    do random_bytes(state, third, 8);
    while (set_of(third, 8) != set_of(short_word, 8) && ++tries < 1000000);
    CHECK(set_of(third, 8) == set_of(short_word, 8));
    words[0] = long_word, word_lens[0] = 24;
    words[1] = short_word, word_lens[1] = 8;
    words[2] = third, word_lens[2] = 8;
    check_orders(state, words, word_lens, 3);
  }
  /* words of 24 bytes alike but for their last eight (the third number),
   * in one set */
  char alike[3][24];
  random_bytes(state, alike[0], 24);
  for (size_t w = 1; w < 3; w++) {
    size_t tries = 0;
    memcpy(alike[w], alike[0], 16);
    do random_bytes(state, alike[w] + 16, 8);
    while (set_of(alike[w], 24) != set_of(alike[0], 24) && ++tries < 1000000);
    CHECK(set_of(alike[w], 24) == set_of(alike[0], 24));
  }
  for (size_t w = 0; w < 3; w++) words[w] = alike[w], word_lens[w] = 24;
  check_orders(state, words, word_lens, 3);
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
  test_recent_sets(&state);
  test_recent_numbers(&state);
  test_tag_collisions();
  return gw_test_report();
}
