/* gw-dict-compile — compile word lists in jieba's format (and jieba's HMM
 * tables) into gongwen's binary dictionary.  Run by the build. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongwen.h"

static void usage(FILE *out) {
  fputs("usage: gw-dict-compile [--hmm DIR] -o OUT.gwd WORDLIST...\n"
        "Word lists are in jieba's format (word [freq] [tag]); later lists\n"
        "override earlier ones.  DIR holds jieba's finalseg prob_*.py tables.\n",
        out);
}

int main(int argc, char **argv) {
  const char *hmm_dir = NULL, *out = NULL;
  const char **sources = calloc((size_t)argc, sizeof *sources);
  size_t n = 0;
  if (!sources) return 2;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--hmm") == 0 && i + 1 < argc) {
      hmm_dir = argv[++i];
    } else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
      out = argv[++i];
    } else if (strcmp(argv[i], "--help") == 0) {
      usage(stdout);
      free(sources);
      return 0;
    } else if (argv[i][0] == '-') {
      fprintf(stderr, "gw-dict-compile: error: unknown option %s\n", argv[i]);
      usage(stderr);
      free(sources);
      return 2;
    } else {
      sources[n++] = argv[i];
    }
  }
  if (!out || n == 0) {
    usage(stderr);
    free(sources);
    return 2;
  }
  gw_error err;
  int rc = gw_dict_compile(sources, n, hmm_dir, out, &err);
  free(sources);
  if (rc) {
    fprintf(stderr, "gw-dict-compile: error: %s\n", err.message);
    return 1;
  }
  return 0;
}
