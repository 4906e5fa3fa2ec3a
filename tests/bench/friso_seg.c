/*
 * friso_seg.c — segment a file line by line with friso (libfriso), for the
 * benchmarks in tests/bench (run by hand, never part of ctest).
 *
 * Build (Debian: apt-get install libfriso-dev friso-dict):
 *   cc -O2 -o tests/bench/out/friso_seg tests/bench/friso_seg.c \
 *      $(pkg-config --cflags --libs friso)
 * Usage:
 *   friso_seg [--time] FRISO.INI INPUT [OUTPUT]
 *
 * Each input line becomes one output line, words separated by single spaces.
 * run.sh writes FRISO.INI from Debian's /etc/friso/friso.ini with
 * keep_urec = 1 (keep characters friso does not recognise, else they vanish
 * from the output) and add_syn = 0 (no synonyms appended).  --time prints
 * one JSON line on stderr: the dictionary load time and the segmentation
 * loop alone (clock_gettime, output excluded: the output is kept in memory
 * and written after the clock stops), bytes and tokens.  Without --time the
 * output is written as it is produced.
 */
#define _POSIX_C_SOURCE 200809L
#include <friso.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 20, n = 0;
  char *buf = malloc(cap + 1);
  size_t r;
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

/* Output accumulates in memory so the timed loop does no I/O. */
typedef struct { char *p; size_t n, cap; } sbuf;
static int sb_add(sbuf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 1 << 20;
    while (b->n + n + 1 > cap) cap *= 2;
    char *np = realloc(b->p, cap);
    if (!np) return -1;
    b->p = np;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  return 0;
}

int main(int argc, char **argv) {
  int timing = 0, ai = 1;
  if (ai < argc && strcmp(argv[ai], "--time") == 0) { timing = 1; ai++; }
  if (argc - ai < 2) {
    fprintf(stderr, "usage: friso_seg [--time] FRISO.INI INPUT [OUTPUT]\n");
    return 2;
  }
  const char *ini = argv[ai], *in = argv[ai + 1];
  const char *outp = argc - ai > 2 ? argv[ai + 2] : NULL;
  size_t len = 0;
  char *text = read_file(in, &len);
  if (!text) { perror(in); return 1; }

  double t0 = now();
  friso_t friso = friso_new();
  friso_config_t config = friso_new_config();
  if (friso_init_from_ifile(friso, config, (fstring)ini) != 1) {
    fprintf(stderr, "friso_seg: cannot initialise friso from %s\n", ini);
    return 1;
  }
  friso_task_t task = friso_new_task();
  double t1 = now();

  /* Without --time the words go straight to the output (streaming), so
   * run.sh's peak-RSS row measures friso, not this driver's buffer. */
  FILE *fo = outp ? fopen(outp, "wb") : stdout;
  if (!fo) { perror(outp); return 1; }
  sbuf out = {0};
  size_t tokens = 0;
  char *line = text, *end = text + len;
  while (line < end) {
    char *nl = memchr(line, '\n', (size_t)(end - line));
    char *le = nl ? nl : end;
    char *next = nl ? nl + 1 : end;
    if (le > line && le[-1] == '\r') le--;
    *le = '\0';
    int first = 1;
    if (le > line) {
      friso_set_text(task, line);
      while (config->next_token(friso, config, task) != NULL) {
        const char *w = task->token->word;
        if (timing) {
          if (!first) sb_add(&out, " ", 1);
          sb_add(&out, w, strlen(w));
        } else {
          if (!first) fputc(' ', fo);
          fputs(w, fo);
        }
        first = 0;
        tokens++;
      }
    }
    if (timing) sb_add(&out, "\n", 1);
    else fputc('\n', fo);
    line = next;
  }
  double t2 = now();

  if (out.n && fwrite(out.p, 1, out.n, fo) != out.n) { perror("write"); return 1; }
  if (fflush(fo) != 0 || ferror(fo)) { perror("write"); return 1; }
  if (outp) fclose(fo);
  if (timing)
    fprintf(stderr,
            "{\"peer\": \"friso\", \"load_s\": %.6f, \"seg_s\": %.6f, "
            "\"bytes\": %zu, \"tokens\": %zu}\n",
            t1 - t0, t2 - t1, len, tokens);
  friso_free_task(task);
  friso_free(friso);
  free(out.p);
  free(text);
  return 0;
}
