/* bench_document.c — the document model on its own: decode, noise,
 * normalize, structure and the offset maps (gw_document_load_buffer, with
 * the normalizer and dict/noise.txt the tools use), timed in-process on
 * one file already in memory, best of N runs (CPU time); then its peak
 * memory in a process that only loads the document once.  Public API only.
 *
 * usage: bench_document [--runs N] [--noise FILE] [--memory] FILE
 *   --memory: load once and print the peak RSS (getrusage) against the file
 *             size, nothing else (run it as its own process).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "gongwen.h"

/* CPU time of the process: the run is single-threaded, and on a shared
 * machine the wall clock also counts other processes' turns. */
static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 20, n = 0;
  char *buf = malloc(cap);
  size_t got;
  while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      char *grown = realloc(buf, cap *= 2);
      if (!grown) free(buf);
      buf = grown;
    }
  }
  fclose(f);
  *len = n;
  return buf;
}

static long peak_rss_kb(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

int main(int argc, char **argv) {
  int runs = 5, memory = 0;
  const char *noise_path = NULL, *path = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) runs = atoi(argv[++i]);
    else if (strcmp(argv[i], "--noise") == 0 && i + 1 < argc) noise_path = argv[++i];
    else if (strcmp(argv[i], "--memory") == 0) memory = 1;
    else path = argv[i];
  }
  if (!path || runs < 1) {
    fprintf(stderr, "usage: bench_document [--runs N] [--noise FILE] [--memory] FILE\n");
    return 2;
  }
  gw_error err;
  gw_normalizer *nz = NULL;
  gw_noise *noise = NULL;
  if (gw_normalizer_new(&nz, &err) != GW_OK ||
      (noise_path && gw_noise_load(&noise, noise_path, &err) != GW_OK)) {
    fprintf(stderr, "%s\n", err.message);
    return 1;
  }
  long base_kb = peak_rss_kb();
  size_t len = 0;
  char *bytes = read_all(path, &len);
  if (!bytes) {
    fprintf(stderr, "cannot read %s\n", path);
    return 1;
  }
  gw_document_options opts = GW_DOCUMENT_OPTIONS_INIT;
  opts.normalizer = nz;
  opts.noise = noise;
  double best = 1e30;
  size_t paragraphs = 0;
  for (int r = 0; r < (memory ? 1 : runs); r++) {
    gw_document *doc = NULL;
    double t0 = now();
    if (gw_document_load_buffer(&doc, path, bytes, len, &opts, &err) != GW_OK) {
      fprintf(stderr, "%s\n", err.message);
      return 1;
    }
    double t = now() - t0;
    if (t < best) best = t;
    paragraphs = gw_document_paragraph_count(doc);
    if (memory) {
      /* The caller's copy of the bytes counts against the document. */
      long peak = peak_rss_kb() - base_kb;
      printf("%zu bytes, %zu paragraphs: peak %.1f MB above the loaded "
             "normalizer = %.2f x the input (the caller's buffer included)\n",
             len, paragraphs, peak / 1024.0, peak * 1024.0 / (double)len);
    }
    gw_document_free(doc);
  }
  if (!memory)
    printf("%zu bytes, %zu paragraphs: best of %d %.4f s = %.1f MB/s\n", len,
           paragraphs, runs, best, (double)len / best / 1e6);
  free(bytes);
  gw_noise_free(noise);
  gw_normalizer_free(nz);
  return 0;
}
