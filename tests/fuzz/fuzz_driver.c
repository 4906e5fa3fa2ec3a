/* fuzz_driver.c — a main for the fuzz targets where libFuzzer is not there
 * (GCC builds), as utf8proc and cmark do: it runs LLVMFuzzerTestOneInput on
 * every seed, then on a fixed number of deterministic mutations of them, so
 * that every build's ctest exercises the targets the same way each run.
 *
 * The command line is libFuzzer's, so that ctest and a person can call
 * either build alike:
 *   fuzz_X [-runs=N] [-seed=S] [-dict=FILE] [-max_len=N] [-FLAG=...] DIR|FILE...
 * -runs is the number of mutants (libFuzzer counts the seeds in it too),
 * -dict a libFuzzer dictionary whose entries the mutations insert; other
 * libFuzzer flags are accepted and ignored.  A missing DIR is skipped (the
 * libFuzzer build's first DIR is the corpus it writes to). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"

typedef struct buffer {
  uint8_t *bytes;
  size_t len;
} buffer;

typedef struct buffers {
  buffer *v;
  size_t n, cap;
} buffers;

static void *must(void *p) {
  if (!p) fuzz_fail("driver out of memory");
  return p;
}

static void push(buffers *list, uint8_t *bytes, size_t len) {
  if (list->n == list->cap) {
    list->cap = list->cap ? 2 * list->cap : 64;
    list->v = must(realloc(list->v, list->cap * sizeof *list->v));
  }
  list->v[list->n].bytes = bytes;
  list->v[list->n].len = len;
  list->n++;
}

static void free_all(buffers *list) {
  for (size_t i = 0; i < list->n; i++) free(list->v[i].bytes);
  free(list->v);
}

static int read_whole(const char *path, uint8_t **out, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  size_t cap = 4096, n = 0;
  uint8_t *bytes = must(malloc(cap));
  size_t got;
  while ((got = fread(bytes + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) bytes = must(realloc(bytes, cap *= 2));
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    free(bytes);
    return -1;
  }
  *out = bytes;
  *len = n;
  return 0;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of a directory in name order (readdir's order is the file
 * system's), or the file itself. */
static void add_seeds(buffers *seeds, const char *path) {
  DIR *dir = opendir(path);
  if (!dir) {
    uint8_t *bytes;
    size_t len;
    if (read_whole(path, &bytes, &len) == 0) push(seeds, bytes, len);
    return;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) {
    if (entry->d_name[0] == '.') continue;
    if (n == cap) names = must(realloc(names, (cap = cap ? 2 * cap : 64) * sizeof *names));
    size_t size = strlen(path) + strlen(entry->d_name) + 2;
    names[n] = must(malloc(size));
    snprintf(names[n++], size, "%s/%s", path, entry->d_name);
  }
  closedir(dir);
  qsort(names, n, sizeof *names, by_name);
  for (size_t i = 0; i < n; i++) {
    uint8_t *bytes;
    size_t len;
    if (read_whole(names[i], &bytes, &len) == 0) push(seeds, bytes, len);
    free(names[i]);
  }
  free(names);
}

static int hex_digit(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* One entry of a libFuzzer dictionary line (name="value", value with \\,
 * \" and \xAB escapes); 0 when the line holds none. */
static int parse_dict_entry(const char *line, buffers *pieces) {
  const char *q = strchr(line, '"');
  if (!q || line[strspn(line, " \t")] == '#') return 0;
  uint8_t *bytes = must(malloc(strlen(q) + 1));
  size_t n = 0;
  for (const char *p = q + 1; *p && *p != '"'; p++) {
    if (*p != '\\') {
      bytes[n++] = (uint8_t)*p;
    } else if (p[1] == 'x' && hex_digit(p[2]) >= 0 && hex_digit(p[3]) >= 0) {
      bytes[n++] = (uint8_t)(hex_digit(p[2]) * 16 + hex_digit(p[3]));
      p += 3;
    } else if (p[1]) {
      bytes[n++] = (uint8_t)*++p;
    }
  }
  push(pieces, bytes, n);
  return 1;
}

static void load_dict(const char *path, buffers *pieces) {
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "fuzz: cannot read the dictionary %s\n", path);
    exit(2);
  }
  char line[4096];
  while (fgets(line, sizeof line, f)) parse_dict_entry(line, pieces);
  fclose(f);
}

/* xorshift64: the same mutants on every run and machine. */
static uint32_t next_random(uint64_t *state) {
  *state ^= *state << 13;
  *state ^= *state >> 7;
  *state ^= *state << 17;
  return (uint32_t)(*state >> 16);
}

typedef struct mutator {
  uint64_t state;
  const buffers *seeds, *pieces;
  uint8_t *work; /* the mutant, up to cap bytes */
  size_t len, cap;
} mutator;

static size_t below(mutator *m, size_t n) { return n ? next_random(&m->state) % n : 0; }

/* Insert bytes at `at`, as far as the mutant's capacity allows. */
static void insert(mutator *m, size_t at, const uint8_t *bytes, size_t n) {
  if (n > m->cap - m->len) n = m->cap - m->len;
  memmove(m->work + at + n, m->work + at, m->len - at);
  memcpy(m->work + at, bytes, n);
  m->len += n;
}

static void mutate_once(mutator *m) {
  static const uint8_t interesting[] = {0x00, 0xFF, 0x80, 0xC0, 0xE4, 0xEF,
                                        '\n', '\r', '\t', ' ', '\\', '#', '|'};
  size_t at = below(m, m->len + 1);
  switch (next_random(&m->state) % 7) {
  case 0: /* flip a bit */
    if (m->len) m->work[at % m->len] ^= (uint8_t)(1u << below(m, 8));
    break;
  case 1: /* an interesting byte in place of another */
    if (m->len) m->work[at % m->len] = interesting[below(m, sizeof interesting)];
    break;
  case 2: /* a dictionary entry */
    if (m->pieces->n) {
      const buffer *piece = &m->pieces->v[below(m, m->pieces->n)];
      insert(m, at, piece->bytes, piece->len);
    }
    break;
  case 3: { /* delete a range */
    size_t n = 1 + below(m, 16);
    if (n > m->len - at) n = m->len - at;
    memmove(m->work + at, m->work + at + n, m->len - at - n);
    m->len -= n;
    break;
  }
  case 4: { /* repeat a range of the mutant (repetition finds quadratic paths) */
    if (!m->len) break;
    size_t from = below(m, m->len), n = 1 + below(m, 64);
    if (n > m->len - from) n = m->len - from;
    uint8_t chunk[64];
    memcpy(chunk, m->work + from, n);
    for (size_t times = 1 + below(m, 4); times > 0; times--) insert(m, at, chunk, n);
    break;
  }
  case 5: { /* splice in a piece of another seed */
    const buffer *other = &m->seeds->v[below(m, m->seeds->n)];
    if (!other->len) break;
    size_t from = below(m, other->len), n = 1 + below(m, 256);
    if (n > other->len - from) n = other->len - from;
    insert(m, at, other->bytes + from, n);
    break;
  }
  default: /* truncate */
    m->len = at < m->len ? at : m->len;
    break;
  }
}

static void run_exact(const uint8_t *bytes, size_t len) {
  /* An allocation of exactly the input's size, so that ASan sees overreads. */
  uint8_t *exact = must(malloc(len ? len : 1));
  if (len) memcpy(exact, bytes, len);
  LLVMFuzzerTestOneInput(exact, len);
  free(exact);
}

static int flag_value(const char *arg, const char *name, unsigned long *out) {
  size_t n = strlen(name);
  if (strncmp(arg, name, n) != 0 || arg[n] != '=') return 0;
  *out = strtoul(arg + n + 1, NULL, 10);
  return 1;
}

int main(int argc, char **argv) {
  unsigned long runs = 1000, seed = 1, max_len = 4096;
  buffers seeds = {0}, pieces = {0};
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (arg[0] != '-') {
      add_seeds(&seeds, arg);
    } else if (strncmp(arg, "-dict=", 6) == 0) {
      load_dict(arg + 6, &pieces);
    } else if (!flag_value(arg, "-runs", &runs) && !flag_value(arg, "-seed", &seed) &&
               !flag_value(arg, "-max_len", &max_len)) {
      /* another libFuzzer flag: not ours */
    }
  }
  if (seeds.n == 0) push(&seeds, must(malloc(1)), 0); /* the empty input */
  for (size_t i = 0; i < seeds.n; i++) {
    run_exact(seeds.v[i].bytes, seeds.v[i].len);
    if (seeds.v[i].len > max_len) max_len = seeds.v[i].len;
  }
  mutator m = {.state = 0x9E3779B97F4A7C15ULL ^ seed, .seeds = &seeds,
               .pieces = &pieces, .cap = max_len};
  m.work = must(malloc(m.cap));
  for (unsigned long r = 0; r < runs; r++) {
    const buffer *from = &seeds.v[below(&m, seeds.n)];
    m.len = from->len;
    memcpy(m.work, from->bytes, m.len);
    for (size_t edits = 1 + below(&m, 8); edits > 0; edits--) mutate_once(&m);
    run_exact(m.work, m.len);
  }
  free(m.work);
  fprintf(stderr, "fuzz: %s: %zu seeds and %lu mutants passed\n", argv[0], seeds.n, runs);
  free_all(&seeds);
  free_all(&pieces);
  return 0;
}
