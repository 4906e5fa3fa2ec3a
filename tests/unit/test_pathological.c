/* Pathological inputs for the document pipeline: each case is big enough
 * that a quadratic path (or a reload per document, or reading a device to
 * the 4 GiB limit) would run for minutes, so ctest's TIMEOUT catches it;
 * each also checks what the result is.  ctest runs one case by name
 * (test_pathological CASE); without an argument every case runs at a
 * hundredth of its size (for valgrind, which runs every test_* whole), and
 * memory_limit, which needs a real address-space limit, not at all. */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "stages.h"

/* 1 for a named case, 100 without an argument. */
static size_t shrink = 1;

static char *repeat(const char *unit, size_t times, size_t *len) {
  size_t n = strlen(unit);
  char *s = malloc(n * times + 1);
  if (!s) {
    fprintf(stderr, "out of memory\n");
    exit(1);
  }
  for (size_t i = 0; i < times; i++) memcpy(s + i * n, unit, n);
  s[n * times] = '\0';
  *len = n * times;
  return s;
}

static gw_noise *load_noise(void) {
  gw_noise *noise = NULL;
  gw_error err;
  if (gw_noise_load_file(&noise, GW_DICT_SOURCE_DIR "/noise.txt", &err) != GW_OK) {
    fprintf(stderr, "%s\n", err.message);
    exit(1);
  }
  return noise;
}

/* One 9 MB line made of a `line` pattern 600,000 times (the quadratic
 * filter took 68 s for 1.5 MB): one removal, the whole line, under the
 * lowest pattern that matches; a lower pattern found later on the line
 * still wins. */
static void noise_long_line(void) {
  gw_noise *noise = NULL;
  static const char patterns[] = "line\t哒哒素材库\nline\t库哒\n";
  CHECK(gw_noise_load_buffer(&noise, "p", patterns, strlen(patterns), NULL) == GW_OK);
  size_t len;
  char *text = repeat("哒哒素材库", 600000 / shrink, &len);
  gw_noise_hit *hits = NULL;
  size_t count = 0;
  CHECK(gw_noise_find(noise, text, len, &hits, &count) == GW_OK);
  CHECK_EQ_SIZE(count, 1);
  if (count == 1) {
    CHECK_EQ_SIZE(hits[0].start, 0);
    CHECK_EQ_SIZE(hits[0].end, len);
    CHECK(hits[0].pattern == 0);
  }
  free(hits);
  /* "库哒" (pattern 1) starts the line, 哒哒素材库 (pattern 0) comes later. */
  memcpy(text, "库哒", strlen("库哒"));
  CHECK(gw_noise_find(noise, text, len, &hits, &count) == GW_OK);
  CHECK(count == 1 && hits[0].pattern == 0 && hits[0].end == len);
  free(hits);
  free(text);
  gw_noise_free(noise);
}

/* corpus/ with its line ends removed, repeated to 24 MB: one line holding
 * every advertising phrase of seed 001 (the quadratic filter took 6 s for
 * 4 MB).  The line is noise, whole. */
static void noise_joined_reports(void) {
  static const char *const seeds[] = {
    "000_c510bc378b158120.txt", "001_84632f9a43899128.txt",
    "002_1aded01d7d411218.txt", "003_1973e543c9b997a8.txt",
    "004_c0ae98798d36dd3b.txt",
  };
  char *round = NULL;
  size_t round_len = 0;
  for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", GW_CORPUS_DIR, seeds[i]);
    unsigned char *b;
    size_t n;
    if (gw_read_file(path, &b, &n, NULL) != GW_OK) exit(1);
    round = realloc(round, round_len + n + 1);
    if (!round) exit(1);
    for (size_t k = 0; k < n; k++)
      if (b[k] != '\n' && b[k] != '\r') round[round_len++] = (char)b[k];
    free(b);
  }
  round[round_len] = '\0';
  size_t len;
  char *text = repeat(round, 24000000 / shrink / round_len + 1, &len);
  free(round);
  gw_noise *noise = load_noise();
  gw_document_options opts = GW_DOCUMENT_OPTIONS_INIT;
  opts.noise = noise;
  gw_document *doc = NULL;
  CHECK(gw_document_load_buffer(&doc, "joined", text, len, &opts, NULL) ==
        GW_OK);
  CHECK_EQ_SIZE(gw_document_paragraph_count(doc), 0);
  CHECK_EQ_SIZE(gw_document_removal_count(doc), 1);
  const gw_removal *r = gw_document_removal_at(doc, 0);
  CHECK(r && r->kind == GW_REMOVED_NOISE && r->range.start == 0 &&
        r->range.end == len);
  gw_document_free(doc);
  gw_noise_free(noise);
  free(text);
}

/* 250,000 short documents in traditional characters through one
 * normalizer (OpenCC's dictionaries were loaded again for each, about 1 ms
 * each): each is converted by phrase, 乾淨 → 干净 while 乾坤 stays. */
static void traditional_documents(void) {
  gw_normalizer *nz = NULL;
  gw_error err;
  if (gw_normalizer_new(&nz, &err) != GW_OK) {
    fprintf(stderr, "%s\n", err.message);
    exit(1);
  }
  static const char text[] = "關於乾淨環境與乾坤的報告。";
  static const char want[] = "关于干净环境与乾坤的报告。";
  gw_document_options opts = GW_DOCUMENT_OPTIONS_INIT;
  opts.normalizer = nz;
  size_t same = 0, documents = 250000 / shrink;
  for (size_t i = 0; i < documents; i++) {
    gw_document *doc = NULL;
    if (gw_document_load_buffer(&doc, "t", text, strlen(text), &opts, NULL) ==
        GW_OK) {
      size_t n;
      const char *view = gw_document_normalized(doc, &n);
      same += n == strlen(want) && memcmp(view, want, n) == 0;
    }
    gw_document_free(doc);
  }
  CHECK_EQ_SIZE(same, documents);
  gw_normalizer_free(nz);
}

/* Devices that never end are refused from their first megabyte, with the
 * error the whole input would give (they were read to the 4 GiB limit and
 * then refused as too large). */
static void endless_device(const char *path, gw_encoding encoding) {
  gw_document_options opts = GW_DOCUMENT_OPTIONS_INIT;
  opts.encoding = encoding;
  gw_document *doc = NULL;
  gw_error err;
  CHECK(gw_document_load_file(&doc, path, &opts, &err) == GW_EBINARY);
  CHECK(doc == NULL);
  CHECK(strstr(err.message, "not a text file (NUL bytes at offset") != NULL);
}

static void dev_zero(void) {
  endless_device("/dev/zero", GW_ENCODING_AUTO);
  endless_device("/dev/zero", GW_ENCODING_UTF8);
  endless_device("/dev/zero", GW_ENCODING_GB18030);
  endless_device("/dev/zero", GW_ENCODING_UTF16LE);
  endless_device("/dev/zero", GW_ENCODING_UTF16BE);
}

static void dev_urandom(void) {
  endless_device("/dev/urandom", GW_ENCODING_AUTO);
  endless_device("/dev/urandom", GW_ENCODING_GB18030);
}

/* AddressSanitizer reserves terabytes of address space: no RLIMIT_AS under
 * it.  GCC says so with __SANITIZE_ADDRESS__, clang with __has_feature. */
#if defined(__SANITIZE_ADDRESS__)
#define GW_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GW_UNDER_ASAN 1
#endif
#endif

#if !defined(GW_UNDER_ASAN)
/* The address space the process uses now (VmSize). */
static size_t address_space(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  unsigned long pages = 0;
  if (f) {
    if (fscanf(f, "%lu", &pages) != 1) pages = 0;
    fclose(f);
  }
  return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

enum { LOADED = 0, NO_MEMORY = 1, NO_MEMORY_IN_PHRASES = 2 };

/* Load a 4 MB paragraph of traditional text with `budget` bytes of
 * address space left: the child's exit status says how it went. */
static int load_under_limit(size_t budget) {
  gw_normalizer *nz = NULL;
  if (gw_normalizer_new(&nz, NULL) != GW_OK) return 20;
  size_t len;
  char *text = repeat("關於乾淨環境與乾坤的報告，", 4000000 / 39, &len);
  size_t limit = address_space() + budget;
  struct rlimit rl = {limit, limit};
  if (setrlimit(RLIMIT_AS, &rl) != 0) return 21;
  gw_document_options opts = GW_DOCUMENT_OPTIONS_INIT;
  opts.normalizer = nz;
  gw_document *doc = NULL;
  gw_error err;
  int rc = gw_document_load_buffer(&doc, "huge", text, len, &opts, &err);
  gw_document_free(doc);
  gw_normalizer_free(nz);
  free(text);
  if (rc == GW_OK) return LOADED;
  if (rc != GW_ENOMEM) return 22;
  return strstr(err.message, "phrase conversion") ? NO_MEMORY_IN_PHRASES : NO_MEMORY;
}
#endif

/* Under a memory limit, running out in a huge traditional paragraph comes
 * back as GW_ENOMEM (OpenCC's std::bad_alloc once terminated the process
 * here).  Budgets from too small for anything to enough for all: the phrase
 * conversion, which needs a copy of the paragraph and its converted form,
 * runs out in some of them. */
static void memory_limit(void) {
#if defined(GW_UNDER_ASAN)
  fprintf(stderr, "note: memory_limit skipped (AddressSanitizer reserves "
                  "terabytes of address space)\n");
#else
  size_t outcomes[3] = {0, 0, 0};
  for (size_t budget_mb = 8; budget_mb <= 88; budget_mb += 8) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) _exit(load_under_limit(budget_mb << 20));
    int status = 0;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
    int ok = WIFEXITED(status) && WEXITSTATUS(status) <= NO_MEMORY_IN_PHRASES;
    CHECK(ok);
    if (ok) outcomes[WEXITSTATUS(status)]++;
    else
      fprintf(stderr, "budget %zu MB: %s %d\n", budget_mb,
              WIFEXITED(status) ? "exit" : "signal",
              WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
  }
  CHECK(outcomes[NO_MEMORY_IN_PHRASES] > 0);
  CHECK(outcomes[LOADED] > 0);
  if (getenv("GW_TEST_VERBOSE"))
    fprintf(stderr, "loaded %zu, out of memory %zu, in the phrase conversion %zu\n",
            outcomes[LOADED], outcomes[NO_MEMORY],
            outcomes[NO_MEMORY_IN_PHRASES]);
#endif
}

typedef struct test_case {
  const char *name;
  void (*run)(void);
} test_case;

static const test_case cases[] = {
  {"noise_long_line", noise_long_line},
  {"noise_joined_reports", noise_joined_reports},
  {"traditional_documents", traditional_documents},
  {"dev_zero", dev_zero},
  {"dev_urandom", dev_urandom},
  {"memory_limit", memory_limit},
};

int main(int argc, char **argv) {
  size_t ran = 0;
  if (argc < 2) shrink = 100;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    if (argc > 1 && strcmp(argv[1], cases[i].name) != 0) continue;
    if (argc < 2 && cases[i].run == memory_limit) continue;
    cases[i].run();
    ran++;
  }
  if (ran == 0) {
    fprintf(stderr, "test_pathological: no case named '%s'\n", argv[1]);
    return 2;
  }
  return gw_test_report();
}
