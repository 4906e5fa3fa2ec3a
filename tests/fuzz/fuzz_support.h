/* fuzz_support.h — what the fuzz targets share: the project's data opened
 * once, a document loaded from fuzzed bytes, and the checks every document
 * must pass.
 *
 * Each target defines LLVMFuzzerTestOneInput.  Built with clang's
 * -fsanitize=fuzzer it is driven by libFuzzer; otherwise fuzz_driver.c
 * supplies a main that runs it over a seed corpus and a fixed number of
 * deterministic mutations (see README.md).  A broken invariant calls
 * fuzz_fail, which aborts: both engines report that as a crash, with the
 * input that caused it. */
#ifndef GW_FUZZ_SUPPORT_H
#define GW_FUZZ_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "gongwen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Print "fuzz: <what>" and abort. */
_Noreturn void fuzz_fail(const char *what);
/* fuzz_fail unless cond holds. */
#define FUZZ_CHECK(cond) \
  do { if (!(cond)) fuzz_fail(#cond); } while (0)

/* The shipped data, opened on first use and kept for the process's life
 * (each target runs millions of inputs; opening per input would dominate). */
typedef struct fuzz_data {
  gw_dict *dict;
  gw_noise *noise;
  gw_normalizer *normalizer;
  gw_terms *terms;
} fuzz_data;

const fuzz_data *fuzz_shared_data(void);
/* Path of a file of the built data folder (share/gongwen): gongwen.gwd. */
const char *fuzz_dict_path(void);

/* A document from fuzzed bytes with the shipped noise patterns and
 * normalizer (noise may be overridden; NULL means the shipped one), or NULL
 * when the bytes are refused (binary, undecodable).  The document's checks
 * (fuzz_check_document) have passed. */
gw_document *fuzz_load_document(const uint8_t *data, size_t size,
                                const gw_noise *noise, int replace_invalid);

/* Every range and offset the document reports lies inside its views. */
void fuzz_check_document(const gw_document *doc);

/* Tokens cover text[0, len) in order (search-mode sub tokens lie inside the
 * token before them). */
void fuzz_check_tokens(const gw_token *tokens, size_t n, size_t len);

#endif
