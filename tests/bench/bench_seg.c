/*
 * bench_seg.c — segmentation speed of libgongwen through its public API
 * (gongwen.h only).  Run by hand; never part of ctest.  See README.md.
 *
 * Build against a build tree (from the project root):
 *   cc -O2 -std=c11 -I lib/include -I build/include tests/bench/bench_seg.c \
 *      -L build/lib -lgongwen -Wl,-rpath,$PWD/build/lib \
 *      -o tests/bench/out/bench_seg
 * (with only the static library: build/lib/libgongwen.a
 *  $(pkg-config --libs libutf8proc libzip libxml-2.0) -lm -ldl -pthread
 *  instead of -L ... -rpath).
 *
 * Usage:
 *   bench_seg [--dict GWD] [--runs N] [--no-hmm] [--whole] [--print] [--cpu] FILE
 *
 *   --dict GWD  compiled dictionary (default build/share/gongwen/gongwen.gwd)
 *   --runs N    best of N runs for the load and for the segmentation (5)
 *   --no-hmm    segment without the HMM for unknown words
 *   --whole     one gw_segment call for the whole file instead of one per
 *               line (a line of these files is a paragraph)
 *   --print     also write the segmentation to stdout, one output line per
 *               input line, words separated by single spaces (space tokens
 *               dropped), from the last run — to compare with gw-seg
 *   --cpu       time with the thread's CPU clock, not the wall clock
 *
 * Prints one JSON line on stderr:
 *   {"peer": "gongwen", "load_s": …, "seg_s": …, "bytes": …, "tokens": …,
 *    "mb_s": …, "tokens_s": …, "best_of": N}
 * load_s is gw_dict_load_file + gw_segmenter_new (best of N, each followed by
 * its free); seg_s is the gw_segment loop alone over the file already in
 * memory (best of N).  tokens counts every token except GW_TOKEN_SPACE, as
 * the peers count theirs.  MB is 10^6 bytes.
 */
#define _POSIX_C_SOURCE 200809L
#include <gongwen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* --cpu: the thread's CPU time instead of the wall clock (on a shared
 * machine, time spent waiting for a core is then left out). */
static clockid_t clock_id = CLOCK_MONOTONIC;

static double now(void) {
  struct timespec ts;
  clock_gettime(clock_id, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 20, n = 0, r;
  char *buf = malloc(cap + 1);
  while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
    n += r;
    if (n == cap) {
      char *nb = realloc(buf, cap * 2 + 1);
      if (!nb) { free(buf); buf = NULL; break; }
      buf = nb;
      cap *= 2;
    }
  }
  fclose(f);
  if (!buf) return NULL;
  buf[n] = '\0';
  *len = n;
  return buf;
}

static int fail(const char *what, const gw_error *err) {
  fprintf(stderr, "bench_seg: %s: %s\n", what,
          err->message[0] ? err->message : gw_strerror(err->code));
  return 1;
}

/* Segments text[0, len) line by line (or whole); counts non-space tokens;
 * prints the words when out is not NULL. */
static int run(gw_segmenter *seg, const char *text, size_t len, int whole,
               FILE *out, size_t *n_words, gw_error *err) {
  size_t words = 0, pos = 0;
  while (pos < len) {
    size_t end = len;
    if (!whole) {
      const char *nl = memchr(text + pos, '\n', len - pos);
      end = nl ? (size_t)(nl - text) : len;
    }
    size_t seg_end = end;
    if (!whole && seg_end > pos && text[seg_end - 1] == '\r') seg_end--;
    const gw_token *toks;
    size_t n;
    if (gw_segment(seg, text + pos, seg_end - pos, &toks, &n, err) != GW_OK)
      return -1;
    int first = 1;
    for (size_t i = 0; i < n; i++) {
      if (toks[i].kind == GW_TOKEN_SPACE) continue;
      words++;
      if (out) {
        if (!first) fputc(' ', out);
        fwrite(text + pos + toks[i].start, 1, toks[i].end - toks[i].start, out);
        first = 0;
      }
    }
    if (out && !whole) fputc('\n', out);
    pos = end + 1;
  }
  *n_words = words;
  return 0;
}

int main(int argc, char **argv) {
  const char *dict_path = "build/share/gongwen/gongwen.gwd", *file = NULL;
  int runs = 5, hmm = 1, whole = 0, print = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--dict") == 0 && i + 1 < argc) dict_path = argv[++i];
    else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) runs = atoi(argv[++i]);
    else if (strcmp(argv[i], "--no-hmm") == 0) hmm = 0;
    else if (strcmp(argv[i], "--whole") == 0) whole = 1;
    else if (strcmp(argv[i], "--print") == 0) print = 1;
    else if (strcmp(argv[i], "--cpu") == 0) clock_id = CLOCK_THREAD_CPUTIME_ID;
    else if (argv[i][0] == '-' && argv[i][1] != '\0') {
      fprintf(stderr, "bench_seg: unknown option %s\n", argv[i]);
      return 2;
    } else file = argv[i];
  }
  if (!file || runs < 1) {
    fprintf(stderr, "usage: bench_seg [--dict GWD] [--runs N] [--no-hmm] "
                    "[--whole] [--print] [--cpu] FILE\n");
    return 2;
  }
  size_t len = 0;
  char *text = read_file(file, &len);
  if (!text) { perror(file); return 1; }

  gw_error err = {0};
  gw_segment_options opts = GW_SEGMENT_OPTIONS_INIT;
  opts.hmm = hmm;
  double load_best = 1e30;
  for (int r = 0; r < runs; r++) {
    gw_dict *d = NULL;
    gw_segmenter *s = NULL;
    double t0 = now();
    if (gw_dict_load_file(&d, dict_path, &err) != GW_OK) return fail(dict_path, &err);
    if (gw_segmenter_new(&s, d, &opts, &err) != GW_OK) return fail("segmenter", &err);
    double t1 = now();
    if (t1 - t0 < load_best) load_best = t1 - t0;
    gw_segmenter_free(s);
    gw_dict_free(d);
  }

  gw_dict *dict = NULL;
  gw_segmenter *seg = NULL;
  if (gw_dict_load_file(&dict, dict_path, &err) != GW_OK) return fail(dict_path, &err);
  if (gw_segmenter_new(&seg, dict, &opts, &err) != GW_OK) return fail("segmenter", &err);
  double seg_best = 1e30;
  size_t words = 0;
  for (int r = 0; r < runs; r++) {
    double t0 = now();
    if (run(seg, text, len, whole, NULL, &words, &err) != 0) return fail(file, &err);
    double t1 = now();
    if (t1 - t0 < seg_best) seg_best = t1 - t0;
  }
  if (print) {
    size_t w2;
    if (run(seg, text, len, whole, stdout, &w2, &err) != 0) return fail(file, &err);
    if (fflush(stdout) != 0 || ferror(stdout)) { perror("stdout"); return 1; }
  }
  fprintf(stderr,
          "{\"peer\": \"gongwen%s\", \"load_s\": %.6f, \"seg_s\": %.6f, "
          "\"bytes\": %zu, \"tokens\": %zu, \"mb_s\": %.2f, \"tokens_s\": %.0f, "
          "\"best_of\": %d}\n",
          hmm ? "" : "-nohmm", load_best, seg_best, len, words,
          (double)len / 1e6 / seg_best, (double)words / seg_best, runs);
  gw_segmenter_free(seg);
  gw_dict_free(dict);
  free(text);
  return 0;
}
