/* Fuzz target: bytes → document (decode, normalize, structure) → segments.
 *
 * Built two ways: with -DGW_LIBFUZZER as a libFuzzer target (clang
 * -fsanitize=fuzzer), and by default as a plain program that runs a fixed
 * number of deterministic mutations of the corpus seeds and of hand-made
 * nasty inputs, so that ctest (and the sanitizer build) exercise it on every
 * run.  Every call must return without crashing, leaking or reading out of
 * bounds, and every offset it reports must lie inside the original bytes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongwen.h"

typedef struct fuzz_env {
  gw_dict *dict;
  gw_noise *noise;
  gw_normalizer *normalizer;
  gw_segmenter *seg;
} fuzz_env;

static int check_document(const gw_document *doc, size_t size) {
  size_t norm_len;
  const char *norm = gw_document_normalized(doc, &norm_len);
  if (norm[norm_len] != '\0') return 1;
  for (size_t i = 0; i < gw_document_paragraph_count(doc); i++) {
    const gw_paragraph *p = gw_document_paragraph(doc, i);
    if (p->range.start > p->range.end || p->range.end > size) return 1;
    if (p->range.norm_start > p->range.norm_end || p->range.norm_end > norm_len) return 1;
  }
  for (size_t i = 0; i < gw_document_mask_count(doc); i++)
    if (gw_document_mask(doc, i)->end > size) return 1;
  for (size_t i = 0; i < gw_document_removal_count(doc); i++)
    if (gw_document_removal(doc, i)->range.end > size) return 1;
  return 0;
}

static size_t documents_loaded;

static int run_one(fuzz_env *env, const uint8_t *data, size_t size) {
  for (int replace = 0; replace <= 1; replace++) {
    gw_document_options opts = GW_DOCUMENT_OPTIONS_INIT;
    opts.noise = env->noise;
    opts.normalizer = env->normalizer;
    opts.replace_invalid = replace;
    gw_document *doc = NULL;
    if (gw_document_load_buffer(&doc, "fuzz", data, size, &opts, NULL) != GW_OK) continue;
    documents_loaded++;
    int bad = check_document(doc, size);
    size_t norm_len;
    const char *norm = gw_document_normalized(doc, &norm_len);
    const gw_token *tokens;
    size_t n;
    if (gw_segment(env->seg, norm, norm_len, &tokens, &n, NULL) == GW_OK)
      for (size_t i = 0; i < n; i++)
        bad |= tokens[i].end > norm_len || tokens[i].start >= tokens[i].end;
    gw_document_free(doc);
    if (bad) return 1;
  }
  /* The raw bytes straight into the segmenter too. */
  const gw_token *tokens;
  size_t n;
  if (gw_segment(env->seg, (const char *)data, size, &tokens, &n, NULL) == GW_OK)
    for (size_t i = 0; i < n; i++)
      if (tokens[i].end > size) return 1;
  return 0;
}

static int env_open(fuzz_env *env, const char *data_dir, const char *dict_dir) {
  char path[4096];
  memset(env, 0, sizeof *env);
  snprintf(path, sizeof path, "%s/gongwen.gwd", data_dir);
  if (gw_dict_open(&env->dict, path, NULL)) return -1;
  snprintf(path, sizeof path, "%s/noise.txt", dict_dir);
  if (gw_noise_load(&env->noise, path, NULL)) return -1;
  if (gw_normalizer_new(&env->normalizer, NULL)) return -1;
  gw_segment_options so = GW_SEGMENT_OPTIONS_INIT;
  so.mode = GW_SEGMENT_SEARCH;
  return gw_segmenter_new(&env->seg, env->dict, &so, NULL);
}

static void env_close(fuzz_env *env) {
  gw_segmenter_free(env->seg);
  gw_normalizer_free(env->normalizer);
  gw_noise_free(env->noise);
  gw_dict_free(env->dict);
}

#ifdef GW_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static fuzz_env env;
  static int ready;
  if (!ready) {
    if (env_open(&env, GW_DATA_BUILD_DIR, GW_DICT_SOURCE_DIR)) abort();
    ready = 1;
  }
  if (run_one(&env, data, size)) abort();
  return 0;
}
#else

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint32_t next_random(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)(rng >> 16);
}

/* Byte flips, insertions of interesting sequences, truncation, splicing. */
static size_t mutate(uint8_t *buf, size_t len, size_t cap) {
  static const char *const pieces[] = {
      "\r\n", "\r", "\xEF\xBB\xBF", "\xFF\xFE", "\xFE\xFF", "\xE4\xB8", "\xC0\xAF",
      "\xED\xA0\x80", "\xF4\x90\x80\x80", "\0", "##paidbegin##", "—1—", "- 2 -",
      "(zé)", "責", "**", "xxx", "一、", "（一）", "1.", "一是", "　", "％", "\xe2\x80\x94"};
  int edits = 1 + (int)(next_random() % 8);
  for (int e = 0; e < edits; e++) {
    uint32_t r = next_random();
    size_t at = len ? next_random() % (len + 1) : 0;
    switch (r % 4) {
    case 0: /* flip a byte */
      if (len) buf[at % len] ^= (uint8_t)(1u << (next_random() % 8));
      break;
    case 1: { /* insert a piece */
      const char *p = pieces[next_random() % (sizeof pieces / sizeof *pieces)];
      size_t pl = strlen(p) ? strlen(p) : 1;
      if (len + pl > cap) break;
      memmove(buf + at + pl, buf + at, len - at);
      memcpy(buf + at, p, pl);
      len += pl;
      break;
    }
    case 2: /* delete a range */
      if (len) {
        size_t n = 1 + next_random() % 16;
        if (at + n > len) n = len - at;
        memmove(buf + at, buf + at + n, len - at - n);
        len -= n;
      }
      break;
    default: /* truncate */
      if (len) len = next_random() % len;
      break;
    }
  }
  return len;
}

static uint8_t *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  uint8_t *buf = malloc(1 << 20);
  *len = buf ? fread(buf, 1, 1 << 20, f) : 0;
  fclose(f);
  return buf;
}

int main(int argc, char **argv) {
  int iterations = argc > 1 ? atoi(argv[1]) : 2000;
  fuzz_env env;
  if (env_open(&env, GW_DATA_BUILD_DIR, GW_DICT_SOURCE_DIR)) {
    fprintf(stderr, "fuzz: cannot open the dictionary, noise or normalizer\n");
    return 2;
  }
  const char *seeds[] = {"000_c510bc378b158120.txt", "001_84632f9a43899128.txt",
                         "002_1aded01d7d411218.txt", "003_1973e543c9b997a8.txt",
                         "004_c0ae98798d36dd3b.txt"};
  size_t cap = 1 << 20;
  uint8_t *work = malloc(cap);
  int failures = 0, runs = 0;
  for (int i = 0; i < iterations && work; i++) {
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", GW_CORPUS_DIR, seeds[i % 5]);
    size_t len;
    uint8_t *seed = read_file(path, &len);
    if (!seed) { failures++; break; }
    /* Work on a slice of the seed so that runs stay quick. */
    size_t from = len ? next_random() % len : 0;
    size_t n = len - from < 1500 ? len - from : 1500;
    memcpy(work, seed + from, n);
    free(seed);
    n = mutate(work, n, cap);
    uint8_t *exact = malloc(n ? n : 1); /* exact size: ASan sees overreads */
    memcpy(exact, work, n);
    failures += run_one(&env, exact, n);
    runs++;
    free(exact);
  }
  free(work);
  env_close(&env);
  /* Most mutants must still be documents, or the pipeline went untested. */
  fprintf(stderr, "fuzz: %d inputs, %zu documents loaded\n", runs, documents_loaded);
  if (documents_loaded < (size_t)runs / 2) failures++;
  printf("%d passed, %d failed\n", runs - failures, failures);
  return failures != 0;
}
#endif
