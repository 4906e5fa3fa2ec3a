/* Fuzz target: the term dictionary parser (gw_terms_add_buffer, the format
 * of dict/terms.tsv).  A dictionary it accepts must be whole (every term,
 * variant and part readable, every canonical form found again as its own
 * term), and it is then matched against a document made of the same bytes,
 * so that the automaton built from fuzzed forms is scanned too. */
#include <string.h>

#include "fuzz_support.h"

static void check_dictionary(const gw_terms *terms) {
  size_t count = gw_terms_term_count(terms);
  for (size_t i = 0; i < count; i++) {
    const gw_term *term = gw_terms_term_at(terms, i);
    FUZZ_CHECK(term && term->text && term->category && term->note);
    /* A NUL byte in a line is refused (crashes/terms_parse-nul-category.tsv
     * was accepted with a category reading as ""). */
    FUZZ_CHECK(term->text[0] != '\0' && term->category[0] != '\0');
    FUZZ_CHECK(gw_terms_find(terms, term->text, strlen(term->text)) == i);
    for (size_t k = 0; k < term->variant_count; k++)
      FUZZ_CHECK(gw_terms_variant_at(terms, i, k) != NULL);
    FUZZ_CHECK(gw_terms_variant_at(terms, i, term->variant_count) == NULL);
    FUZZ_CHECK(term->part_count >= 1 && term->part_count <= 32);
    for (size_t k = 0; k < term->part_count; k++)
      FUZZ_CHECK(gw_terms_part_at(terms, i, k) != NULL);
    if (term->superseded_by)
      FUZZ_CHECK(gw_terms_find(terms, term->superseded_by,
                               strlen(term->superseded_by)) != GW_NO_OFFSET);
  }
  FUZZ_CHECK(gw_terms_term_at(terms, count) == NULL);
}

static void match_own_text(const gw_terms *terms, const uint8_t *data, size_t size) {
  gw_document *doc = fuzz_load_document(data, size, NULL, 1);
  if (!doc) return;
  gw_term_result *result = NULL;
  FUZZ_CHECK(gw_terms_match(&result, terms, doc, NULL, NULL) == GW_OK);
  size_t count = gw_terms_term_count(terms);
  for (size_t i = 0; i < gw_term_result_match_count(result); i++)
    FUZZ_CHECK(gw_term_result_match_at(result, i)->term < count);
  gw_term_result_free(result);
  gw_document_free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gw_terms *terms = NULL;
  FUZZ_CHECK(gw_terms_new(&terms, NULL) == GW_OK);
  gw_error err;
  int rc = gw_terms_add_buffer(terms, "fuzz.tsv", (const char *)data, size, &err);
  if (rc != GW_OK) {
    FUZZ_CHECK(rc == GW_EFORMAT || rc == GW_ENOMEM);
    FUZZ_CHECK(err.code == rc && err.message[0] != '\0');
    /* "A file with an error adds nothing." */
    FUZZ_CHECK(gw_terms_term_count(terms) == 0);
  } else {
    check_dictionary(terms);
    match_own_text(terms, data, size);
    /* The same forms again are an error, unless there were none, and the
     * dictionary keeps what it had. */
    size_t count = gw_terms_term_count(terms);
    rc = gw_terms_add_buffer(terms, "again.tsv", (const char *)data, size, NULL);
    FUZZ_CHECK(count == 0 ? rc == GW_OK : rc == GW_EFORMAT);
    FUZZ_CHECK(gw_terms_term_count(terms) == count);
  }
  gw_terms_free(terms);
  return 0;
}
