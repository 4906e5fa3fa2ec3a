/* The dictionary: double-array trie, compiling jieba-format word lists,
 * opening compiled files, and user words. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dat.h"
#include "internal.h"
#include "harness.h"
#include "lexicon.h"
#include "names.h"

static char tmpdir[] = "/tmp/gw_test_dict_XXXXXX";

/* Paths stay valid for the whole run: each call takes a fresh slot. */
static const char *tmp_path(const char *name) {
  static char buf[64][512];
  static size_t used;
  char *slot = buf[used++ % 64];
  snprintf(slot, sizeof buf[0], "%s/%s", tmpdir, name);
  return slot;
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  fputs(text, f);
  fclose(f);
}

static double freq_of(const gw_dict *d, const char *w) {
  return gw_dict_frequency(d, w, strlen(w));
}

/* Random keys over a small alphabet: every key is found with its value,
 * every prefix that is not a key is not. */
static void test_dat_random(void) {
  enum { N = 3000, MAXLEN = 6 };
  static uint32_t pool[N * MAXLEN];
  static gw_dat_key keys[N];
  uint64_t state = 12345;
  size_t n = 0;
  for (size_t i = 0; i < N; i++) {
    size_t len = 1 + (size_t)((state >> 33) % MAXLEN);
    keys[n].codes = pool + i * MAXLEN;
    keys[n].length = len;
    for (size_t k = 0; k < len; k++) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      pool[i * MAXLEN + k] = 1 + (uint32_t)((state >> 33) % 40);
    }
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    n++;
  }
  /* sort + dedupe */
  for (size_t i = 1; i < n; i++)
    for (size_t j = i; j > 0; j--) {
      const gw_dat_key *a = &keys[j - 1], *b = &keys[j];
      size_t m = a->length < b->length ? a->length : b->length;
      int c = 0;
      for (size_t k = 0; k < m && !c; k++)
        c = a->codes[k] < b->codes[k] ? -1 : a->codes[k] > b->codes[k];
      if (!c) c = a->length < b->length ? -1 : a->length > b->length;
      if (c <= 0) break;
      gw_dat_key t = keys[j - 1];
      keys[j - 1] = keys[j];
      keys[j] = t;
    }
  size_t u = 0;
  for (size_t i = 0; i < n; i++) {
    if (u && keys[u - 1].length == keys[i].length &&
        memcmp(keys[u - 1].codes, keys[i].codes, keys[i].length * 4) == 0)
      continue;
    keys[u] = keys[i];
    keys[u].value = (uint32_t)u * 7;
    u++;
  }
  gw_dat_unit *units;
  size_t count;
  CHECK(gw_dat_build(keys, u, 40, &units, &count) == GW_OK);
  size_t found = 0, prefix_errors = 0;
  for (size_t i = 0; i < u; i++) {
    uint32_t s = GW_DAT_ROOT;
    for (size_t k = 0; k < keys[i].length && s != GW_DAT_NONE; k++) {
      s = gw_dat_step(units, s, keys[i].codes[k]);
      if (s != GW_DAT_NONE && k + 1 < keys[i].length && units[s].value != GW_DAT_NONE) {
        /* a proper prefix with a value must itself be a key */
        int is_key = 0;
        for (size_t j = 0; j < u && !is_key; j++)
          is_key = keys[j].length == k + 1 &&
                   memcmp(keys[j].codes, keys[i].codes, (k + 1) * 4) == 0 &&
                   units[s].value == keys[j].value;
        prefix_errors += !is_key;
      }
    }
    found += s != GW_DAT_NONE && units[s].value == keys[i].value;
  }
  CHECK_EQ_SIZE(found, u);
  CHECK_EQ_SIZE(prefix_errors, 0);
  /* a code above the alphabet never steps anywhere */
  uint32_t misses = 0;
  for (uint32_t s = 0; s < 50; s++)
    misses += units[s].check == -1 || gw_dat_step(units, s, 41 - 1 + 0) == GW_DAT_NONE ||
              gw_dat_step(units, s, 40) != GW_DAT_NONE;
  CHECK(misses == 50);
  /* Each node's mask holds exactly its children's codes (bit code % 32):
   * a missing bit would hide a word, an extra one only costs a load. */
  size_t wrong_masks = 0;
  for (size_t s = 0; s < count; s++) {
    if (units[s].check == -1) continue;
    uint32_t mask = 0;
    for (uint32_t c = 1; c <= 40; c++) {
      size_t t = (size_t)units[s].base + c;
      if (units[s].base > 0 && t < count && units[t].check == (int32_t)s) mask |= 1u << (c & 31);
    }
    wrong_masks += units[s].children != mask;
  }
  CHECK_EQ_SIZE(wrong_masks, 0);
  free(units);
}

/* The inline start test of generated names (names.h) says yes for exactly
 * the characters the grammar starts with, over all of Unicode. */
static int name_start_reference(int32_t cp) {
  static const int32_t starts[] = {0x515A, 0x4E2D, 0x7B2C, 0x5168, 0x7701, 0x5E02,
                                   0x53BF, 0x5341, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
                                   0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
  if (cp >= '0' && cp <= '9') return 1;
  for (size_t i = 0; i < sizeof starts / sizeof *starts; i++)
    if (cp == starts[i]) return 1;
  return 0;
}

static void test_name_can_start(void) {
  size_t wrong = 0, yes = 0;
  for (int32_t cp = -1; cp <= 0x10FFFF; cp++) {
    wrong += gw_name_can_start(cp) != name_start_reference(cp);
    yes += gw_name_can_start(cp) != 0;
  }
  CHECK_EQ_SIZE(wrong, 0);
  CHECK_EQ_SIZE(yes, 27);
  CHECK(!gw_name_can_start(0x96F6)); /* 零 starts no name */
  /* Without its frame a name never starts with 党 or 中. */
  size_t unframed_wrong = 0;
  for (int32_t cp = -1; cp <= 0x10FFFF; cp++)
    unframed_wrong += gw_name_can_start_unframed(cp) !=
                      (gw_name_can_start(cp) && cp != 0x515A && cp != 0x4E2D);
  CHECK_EQ_SIZE(unframed_wrong, 0);
  static const char *const framed[] = {"党的二十大精神", "中共二十届三中全会",
                                       "中国共产党第二十次全国代表大会", "党的第二十次全国代表大会"};
  for (size_t i = 0; i < sizeof framed / sizeof *framed; i++) {
    int32_t cps[32];
    size_t n = 0;
    for (const char *p = framed[i]; *p && n < 32;) {
      int32_t cp;
      p += gw_utf8_next((const unsigned char *)p, strlen(p), &cp);
      cps[n++] = cp;
    }
    gw_name name;
    CHECK(gw_name_at(cps, n, 1, &name) > 0);
    CHECK_EQ_SIZE(gw_name_at(cps, n, 0, &name), 0);
  }
}

static void test_compile_and_open(void) {
  const char *base = tmp_path("base.txt"), *extra = tmp_path("extra.txt");
  write_file(base, "研究 100 n\n生命 200 n\n研究生 50 n\n起源 80 n\n命 10\n"
                   "零频 0 n\nABC 5 eng\n");
  write_file(extra, "# our lexicon overrides\n\n研究生 5 n\n一岗双责 900 nz\n");
  const char *sources[] = {base, extra};
  const char *out = tmp_path("t.gwd");
  gw_error err;
  CHECK(gw_dict_compile(sources, 2, NULL, out, &err) == GW_OK);
  gw_dict *d = NULL;
  CHECK(gw_dict_load_file(&d, out, &err) == GW_OK);
  if (!d) return;
  CHECK(freq_of(d, "研究") == 100);
  CHECK(freq_of(d, "研究生") == 5); /* the later source wins */
  CHECK(freq_of(d, "一岗双责") == 900);
  CHECK(freq_of(d, "ABC") == 5);
  CHECK(freq_of(d, "零频") == 0); /* zero frequency: not a word */
  CHECK(freq_of(d, "研") == 0);
  CHECK(freq_of(d, "不存在") == 0);
  CHECK_EQ_SIZE(gw_dict_word_count(d), 7);
  double lp = gw_dict_word_logp(d, "生命", strlen("生命"));
  CHECK(lp < 0 && lp > -3); /* 200 of 1350 */
  /* probabilities: frequency over the total, 0 for what is no word */
  double p_life = gw_dict_probability(d, "生命", strlen("生命"));
  double p_study = gw_dict_probability(d, "研究", strlen("研究"));
  CHECK(p_life > 0.1 && p_life < 0.2);
  CHECK(p_study > 0.499 * p_life && p_study < 0.501 * p_life); /* 100 against 200 */
  CHECK(gw_dict_probability(d, "零频", strlen("零频")) == 0);
  CHECK(gw_dict_probability(d, "不存在", strlen("不存在")) == 0);
  CHECK(gw_dict_probability(d, "生命", 0) == 0);
  CHECK(gw_dict_probability(NULL, "生命", strlen("生命")) == 0);

  /* user words: an explicit frequency is honoured as given */
  CHECK(gw_dict_add_user_word(d, "命起", strlen("命起"), 42, &err) == GW_OK);
  CHECK(freq_of(d, "命起") == 42);
  CHECK(gw_dict_add_user_word(d, "研究", strlen("研究"), 7, &err) == GW_OK);
  CHECK(freq_of(d, "研究") == 7);
  /* without one, just enough to beat the best cut */
  CHECK(gw_dict_add_user_word(d, "生命起源", strlen("生命起源"), -1, &err) == GW_OK);
  double f = freq_of(d, "生命起源");
  CHECK(f > 200.0 * 80.0 / 1350.0 && f < 200.0 * 80.0 / 1350.0 + 2);
  /* characters no base word has get codes of their own */
  CHECK(gw_dict_add_user_word(d, "鑫淼", strlen("鑫淼"), 3, &err) == GW_OK);
  CHECK(freq_of(d, "鑫淼") == 3);
  CHECK(freq_of(d, "鑫") == 0);
  CHECK_EQ_SIZE(gw_dict_word_count(d), 10);
  CHECK(gw_dict_add_user_word(d, "\xff", 1, 1, &err) == GW_EINVAL);

  const char *user = tmp_path("user.txt");
  write_file(user, "起源地 12\n研究 3 n\n");
  CHECK(gw_dict_add_user_file(d, user, &err) == GW_OK);
  CHECK(freq_of(d, "起源地") == 12);
  CHECK(freq_of(d, "研究") == 3);
  gw_dict_free(d);
}

static void test_errors(void) {
  gw_error err;
  const char *bad = tmp_path("bad.txt");
  write_file(bad, "好 1\n坏 -3 n\n");
  const char *sources[] = {bad};
  CHECK(gw_dict_compile(sources, 1, NULL, tmp_path("bad.gwd"), &err) == GW_EFORMAT);
  CHECK_EQ_SIZE(err.line, 2);
  CHECK(strstr(err.message, "bad.txt:2:") != NULL);

  write_file(bad, "好 1 n extra\n");
  CHECK(gw_dict_compile(sources, 1, NULL, tmp_path("bad.gwd"), &err) == GW_EFORMAT);
  CHECK(strstr(err.message, "bad.txt:1:") != NULL);

  write_file(bad, "ok 1\n\xe4\xb8 2\n");
  CHECK(gw_dict_compile(sources, 1, NULL, tmp_path("bad.gwd"), &err) == GW_EFORMAT);
  CHECK(strstr(err.message, "bad.txt:2:") != NULL);

  const char *missing[] = {tmp_path("missing.txt")};
  CHECK(gw_dict_compile(missing, 1, NULL, tmp_path("m.gwd"), &err) == GW_ENOTFOUND);
  CHECK(strstr(err.message, "missing.txt") != NULL);

  gw_dict *d = (gw_dict *)1;
  CHECK(gw_dict_load_file(&d, tmp_path("nope.gwd"), &err) == GW_ENOTFOUND);
  CHECK(d == NULL);
  /* a text file, an empty file and a truncated dictionary are refused */
  CHECK(gw_dict_load_file(&d, bad, &err) == GW_EFORMAT);
  write_file(tmp_path("empty.gwd"), "");
  CHECK(gw_dict_load_file(&d, tmp_path("empty.gwd"), &err) == GW_EFORMAT);
  const char *good_src = tmp_path("good.txt");
  write_file(good_src, "好 1\n");
  const char *good[] = {good_src};
  CHECK(gw_dict_compile(good, 1, NULL, tmp_path("good.gwd"), &err) == GW_OK);
  CHECK(truncate(tmp_path("good.gwd"), 200) == 0);
  CHECK(gw_dict_load_file(&d, tmp_path("good.gwd"), &err) == GW_EFORMAT);
  CHECK(strstr(err.message, "good.gwd") != NULL);
  CHECK(strstr(err.message, "good.gwd: offset 200: the file ends inside the header") != NULL);
  CHECK_EQ_SIZE(err.offset, 200);
  CHECK(gw_dict_compile(good, 1, NULL, tmp_path("good.gwd"), &err) == GW_OK);
  CHECK(truncate(tmp_path("good.gwd"), 400) == 0);
  CHECK(gw_dict_load_file(&d, tmp_path("good.gwd"), &err) == GW_EFORMAT);
  CHECK(strstr(err.message, "good.gwd: offset 16: the header says") != NULL); /* its file size */
  CHECK_EQ_SIZE(err.offset, 16);
  /* A dictionary of the previous format (no children masks: every walk
   * would stop at the root) is refused, naming both formats. */
  CHECK(gw_dict_compile(good, 1, NULL, tmp_path("old.gwd"), &err) == GW_OK);
  FILE *old = fopen(tmp_path("old.gwd"), "r+b");
  uint32_t format_one = 1;
  CHECK(old && fseek(old, 8, SEEK_SET) == 0 && fwrite(&format_one, 4, 1, old) == 1);
  if (old) fclose(old);
  CHECK(gw_dict_load_file(&d, tmp_path("old.gwd"), &err) == GW_EFORMAT);
  CHECK(strstr(err.message, "old.gwd: offset 8: dictionary format 1, this library reads "
                            "format 2") != NULL);
  CHECK_EQ_SIZE(err.offset, 8);

  const char *user = tmp_path("baduser.txt");
  write_file(user, "好 1\n好 x\n");
  CHECK(gw_dict_compile(good, 1, NULL, tmp_path("good2.gwd"), &err) == GW_OK);
  CHECK(gw_dict_load_file(&d, tmp_path("good2.gwd"), &err) == GW_OK);
  CHECK(gw_dict_add_user_file(d, user, &err) == GW_EFORMAT);
  CHECK(strstr(err.message, "baduser.txt:2:") != NULL);
  gw_dict_free(d);
  gw_dict_free(NULL);
}

/* The HMM tables parse from jieba's own files. */
static void test_hmm_tables(void) {
  gw_error err;
  const char *src = tmp_path("w.txt");
  write_file(src, "好 1\n");
  const char *sources[] = {src};
  const char *dir = tmp_path("hmm");
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
  CHECK(system(cmd) == 0);
  write_file(tmp_path("hmm/prob_start.py"), "P={'B': -0.26,\n 'E': -3.14e+100,\n 'M': -3.14e+100,\n 'S': -1.46}\n");
  write_file(tmp_path("hmm/prob_trans.py"), "P={'B': {'E': -0.51, 'M': -0.91},\n 'E': {'B': -0.58, 'S': -0.80},\n 'M': {'E': -0.33, 'M': -1.26},\n 'S': {'B': -0.72, 'S': -0.66}}\n");
  write_file(tmp_path("hmm/prob_emit.py"), "from __future__ import unicode_literals\n\nP={'B': {'\\u4e00': -3.65,\n '\\u4e01': -8.12},\n 'E': {'\\u4e00': -6.0},\n 'M': {},\n 'S': {'\\u4e00': -4.0}}\n");
  CHECK(gw_dict_compile(sources, 1, dir, tmp_path("h.gwd"), &err) == GW_OK);
  gw_dict *d;
  CHECK(gw_dict_load_file(&d, tmp_path("h.gwd"), &err) == GW_OK);
  CHECK(d->header->has_hmm == 1);
  CHECK(d->header->hmm_trans[GW_HMM_B][GW_HMM_M] == -0.91);
  CHECK(d->header->hmm_start[GW_HMM_S] == -1.46);
  uint32_t code = gw_dict_code(d, 0x4E00);
  CHECK(code != 0);
  CHECK(d->emit[code].logp[GW_HMM_B] == (float)-3.65);
  CHECK(d->emit[code].logp[GW_HMM_M] < -1e30);
  gw_dict_free(d);

  write_file(tmp_path("hmm/prob_trans.py"), "P={'B': {'X': -0.51}}\n");
  CHECK(gw_dict_compile(sources, 1, dir, tmp_path("h.gwd"), &err) == GW_EFORMAT);
  CHECK(strstr(err.message, "prob_trans.py:1:") != NULL);
}

int main(void) {
  if (!mkdtemp(tmpdir)) return 2;
  test_dat_random();
  test_name_can_start();
  test_compile_and_open();
  test_errors();
  test_hmm_tables();
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
  if (system(cmd) != 0) return 2;
  return gw_test_report();
}
