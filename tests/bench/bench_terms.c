/*
 * bench_terms.c — term matching speed of libgongwen through its public API
 * (gongwen.h only): gw_terms_match over one large document, single thread.
 * Run by hand; never part of ctest.
 *
 * Build against a build tree (static library):
 *   cc -O2 -std=c11 -I lib/include -I build/include tests/bench/bench_terms.c \
 *      build/lib/libgongwen.a $(pkg-config --libs libutf8proc libzip libxml-2.0) \
 *      -lm -ldl -pthread \
 *      -o tests/bench/out/bench_terms
 *
 * Usage:
 *   bench_terms [--terms TSV] [--generate N [--substrings]] [--reuse] [--runs N] FILE
 *
 *   --terms TSV     term dictionary (default dict/terms.tsv)
 *   --generate N    instead, a generated dictionary of N distinct terms of
 *                   2-8 Han characters, each character taken from a random
 *                   position of FILE (the reports' character frequencies; few
 *                   whole terms occur, many prefixes do), with a fixed-seed
 *                   generator, written to tests/bench/out/terms_generated.tsv
 *                   and loaded from there
 *   --substrings    with --generate: the terms are substrings of FILE instead,
 *                   so every one occurs (each at least once per repeat of the
 *                   corpus: a stress test of reporting, ~50x the matches of
 *                   real reports)
 *   --reuse         match with gw_terms_rematch into one result kept across
 *                   the runs, as a corpus tool does document after document
 *                   (the first run allocates; later ones reuse the memory)
 *   --runs N        best of N runs (default 5)
 *
 * The document is loaded once (decode, normalize, structure: not timed); the
 * time is gw_terms_match alone (matching, selection, broken and outdated
 * formulations).  Prints one JSON line on stderr:
 *   {"terms": …, "load_s": …, "match_s": …, "bytes": …, "matches": …,
 *    "mb_s": …, "best_of": N}
 * bytes is the file's size; MB is 10^6 bytes.
 */
#define _POSIX_C_SOURCE 200809L
#include <gongwen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Han substrings of the normalized text, distinct, written as a TSV. */
static int generate(const gw_document *doc, size_t want, int substrings, const char *out_path) {
  size_t len;
  const char *s = gw_document_normalized(doc, &len);
  uint64_t x = 0x9E3779B97F4A7C15ull;
  size_t cap = want * 2, n = 0;
  char **terms = malloc(cap * sizeof *terms);
  if (!terms) return -1;
  size_t attempts = 0;
  while (n < cap && attempts++ < want * 100) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    size_t pos = (size_t)(x >> 20) % len;
    while (pos < len && ((unsigned char)s[pos] & 0xC0) == 0x80) pos++;
    size_t chars = 2 + (size_t)((x >> 8) % 7), k = pos, c = 0;
    if (substrings) {
      while (c < chars && k + 3 <= len && (unsigned char)s[k] >= 0xE4 && (unsigned char)s[k] <= 0xE9) {
        k += 3;
        c++;
      }
      if (c < chars) continue;
      terms[n] = strndup(s + pos, k - pos);
    } else {
      /* chars Han characters, each from a random position of the text. */
      char buf[64];
      size_t bl = 0;
      while (c < chars) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        size_t p = (size_t)(x >> 20) % len;
        while (p < len && ((unsigned char)s[p] & 0xC0) == 0x80) p++;
        if (p + 3 > len || (unsigned char)s[p] < 0xE4 || (unsigned char)s[p] > 0xE9) continue;
        memcpy(buf + bl, s + p, 3);
        bl += 3;
        c++;
      }
      terms[n] = strndup(buf, bl);
    }
    if (!terms[n]) return -1;
    n++;
  }
  qsort(terms, n, sizeof *terms, cmp_str);
  FILE *f = fopen(out_path, "w");
  if (!f) return -1;
  size_t written = 0;
  for (size_t i = 0; i < n; i++) {
    if ((i && strcmp(terms[i], terms[i - 1]) == 0) || written == want) continue;
    fprintf(f, "%s\tgenerated\n", terms[i]);
    written++;
  }
  for (size_t i = 0; i < n; i++) free(terms[i]);
  free(terms);
  fclose(f);
  return written == want ? 0 : -1;
}

int main(int argc, char **argv) {
  const char *terms_path = "dict/terms.tsv", *file = NULL;
  size_t generate_n = 0;
  int runs = 5, substrings = 0, reuse = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--terms") == 0 && i + 1 < argc) terms_path = argv[++i];
    else if (strcmp(argv[i], "--generate") == 0 && i + 1 < argc) generate_n = (size_t)atol(argv[++i]);
    else if (strcmp(argv[i], "--substrings") == 0) substrings = 1;
    else if (strcmp(argv[i], "--reuse") == 0) reuse = 1;
    else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) runs = atoi(argv[++i]);
    else file = argv[i];
  }
  if (!file || runs < 1) {
    fprintf(stderr, "usage: bench_terms [--terms TSV] [--generate N [--substrings]] [--reuse] [--runs N] FILE\n");
    return 2;
  }
  gw_error err;
  gw_document *doc;
  if (gw_document_load_file(&doc, file, NULL, &err)) {
    fprintf(stderr, "%s\n", err.message);
    return 1;
  }
  const char *gen_path = "tests/bench/out/terms_generated.tsv";
  if (generate_n) {
    if (generate(doc, generate_n, substrings, gen_path)) {
      fprintf(stderr, "bench_terms: cannot generate %zu terms into %s\n", generate_n, gen_path);
      return 1;
    }
    terms_path = gen_path;
  }
  double best_load = 1e30, best_match = 1e30;
  gw_term_result *res = NULL;
  size_t matches = 0, count = 0;
  for (int r = 0; r < runs; r++) {
    double t0 = now();
    gw_terms *terms;
    if (gw_terms_load_file(&terms, terms_path, &err)) {
      fprintf(stderr, "%s\n", err.message);
      return 1;
    }
    double t1 = now();
    /* --reuse: after the first run, match into the same result (as a
     * corpus tool does document after document): no fresh memory. */
    int rc = res ? gw_terms_rematch(res, terms, doc, NULL, &err)
                 : gw_terms_match(&res, terms, doc, NULL, &err);
    double t2 = now();
    if (rc) {
      fprintf(stderr, "%s\n", err.message);
      return 1;
    }
    if (t1 - t0 < best_load) best_load = t1 - t0;
    if (t2 - t1 < best_match) best_match = t2 - t1;
    matches = gw_term_result_match_count(res);
    count = gw_terms_term_count(terms);
    if (!reuse) {
      gw_term_result_free(res);
      res = NULL;
    }
    gw_terms_free(terms);
  }
  gw_term_result_free(res);
  size_t bytes;
  gw_document_original(doc, &bytes);
  fprintf(stderr,
          "{\"terms\": %zu, \"load_s\": %.4f, \"match_s\": %.4f, \"bytes\": %zu, "
          "\"matches\": %zu, \"mb_s\": %.1f, \"best_of\": %d}\n",
          count, best_load, best_match, bytes, matches, (double)bytes / 1e6 / best_match, runs);
  gw_document_free(doc);
  return 0;
}
