/* Fuzz target: bytes → gw_extract (format detection, ZIP, XML, OLE2 and the
 * Word piece table, PDF, OFD, HTML).
 *
 * Built two ways: with -DGW_LIBFUZZER as a libFuzzer target (clang
 * -fsanitize=fuzzer; tests/bench/formats/README.md has the command and the
 * hours run), and by default as a plain program that runs deterministic
 * mutations of the fixtures of tests/data/formats, so that ctest (and the
 * sanitizer build) exercise it on every run.  Every call must return
 * without crashing, leaking or reading out of bounds; a failure must name
 * the input; extracted text must be paragraphs ending in LF whose records
 * lie inside it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongwen.h"

static int run_one(const uint8_t *data, size_t size) {
  gw_extract *x = NULL;
  gw_error err;
  memset(&err, 0, sizeof err);
  gw_extract_options opts = GW_EXTRACT_OPTIONS_INIT;
  opts.max_inflated = 64u << 20; /* keep bombs cheap */
  int rc = gw_extract_load_buffer(&x, "fuzz", data, size, &opts, &err);
  if (rc != GW_OK) return (x != NULL || strncmp(err.message, "fuzz", 4) != 0);
  size_t len;
  const char *text = gw_extract_text(x, &len);
  int bad = len > 0 && text[len - 1] != '\n';
  for (size_t i = 0; i < gw_extract_paragraph_count(x); i++) {
    const gw_extract_paragraph *p = gw_extract_paragraph_at(x, i);
    bad |= p->start > p->end || p->end >= len || text[p->end] != '\n';
  }
  gw_extract_free(x);
  return bad;
}

#ifdef GW_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (run_one(data, size)) abort();
  return 0;
}
#else
static const char *const seeds[] = {
    "report.docx", "report.doc", "report.ofd", "report.html",
    "report-gbk.pdf", "bad-xml.docx", "lists.doc", "textbox.doc",
    "wide.doc", "report.pdf"};

static unsigned char *read_seed(const char *name, size_t *len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", GW_FORMATS_DIR, name);
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *b = malloc(n > 0 ? (size_t)n : 1);
  *len = b && n > 0 ? fread(b, 1, (size_t)n, f) : 0;
  fclose(f);
  return b;
}

int main(int argc, char **argv) {
  long rounds = argc > 1 ? atol(argv[1]) : 200;
  uint64_t state = 0x9E3779B97F4A7C15u;
  size_t failures = 0, runs = 0;
  for (size_t s = 0; s < sizeof seeds / sizeof seeds[0]; s++) {
    size_t n;
    unsigned char *orig = read_seed(seeds[s], &n);
    if (!orig || n == 0) {
      fprintf(stderr, "fuzz_extract: cannot read %s\n", seeds[s]);
      return 1;
    }
    failures += run_one(orig, n);
    unsigned char *b = malloc(n);
    /* the big PDF costs most: fewer rounds */
    long count = strcmp(seeds[s], "report.pdf") == 0 ? rounds / 10 : rounds;
    for (long r = 0; r < count && b; r++) {
      memcpy(b, orig, n);
      size_t len = n;
      for (long k = 0; k < 1 + r % 16; k++) {
        state = state * 6364136223846793005u + 1442695040888963407u;
        size_t at = (size_t)(state >> 33) % n;
        if (r % 3 == 0) b[at] ^= (unsigned char)(1u << ((state >> 20) & 7));
        else b[at] = (unsigned char)(state >> 24);
      }
      if (r % 7 == 6) len = (size_t)(state >> 40) % n;
      failures += run_one(b, len);
      runs++;
    }
    free(b);
    free(orig);
  }
  printf("%zu mutated inputs, %zu failures\n", runs, failures);
  return failures ? 1 : 0;
}
#endif
