/* Fuzz target: term matching on fuzzed documents with the shipped term
 * dictionary (gw_terms_match and gw_terms_rematch: matches, broken and
 * outdated formulations, the report's year) and term discovery on the same
 * document.  Every finding must point into the document and the dictionary,
 * and a rematch into a used result must find exactly what a fresh match
 * finds. */
#include <string.h>

#include "fuzz_support.h"

static void check_matches(const gw_term_result *result, const gw_terms *terms,
                          const gw_document *doc) {
  size_t n = gw_term_result_match_count(result), paragraphs = gw_document_paragraph_count(doc);
  size_t original_len, norm_len, previous_start = 0;
  gw_document_original(doc, &original_len);
  gw_document_normalized(doc, &norm_len);
  for (size_t i = 0; i < n; i++) {
    const gw_term_match *m = gw_term_result_match_at(result, i);
    const gw_term *term = gw_terms_term_at(terms, m->term);
    FUZZ_CHECK(term != NULL && m->form <= term->variant_count);
    FUZZ_CHECK(m->range.start < m->range.end && m->range.end <= original_len);
    FUZZ_CHECK(m->range.norm_start < m->range.norm_end && m->range.norm_end <= norm_len);
    FUZZ_CHECK(m->range.norm_start >= previous_start); /* in order of position */
    previous_start = m->range.norm_start;
    FUZZ_CHECK(m->paragraph < paragraphs);
    FUZZ_CHECK(m->section == gw_document_paragraph_at(doc, m->paragraph)->section);
    if (m->kind == GW_TERM_COUNTED) {
      FUZZ_CHECK(m->outer == GW_NO_OFFSET);
    } else {
      FUZZ_CHECK(m->kind == GW_TERM_NESTED || m->kind == GW_TERM_OVERLAPPING);
      FUZZ_CHECK(m->outer < n && gw_term_result_match_at(result, m->outer)->kind == GW_TERM_COUNTED);
    }
  }
}

static void check_formulations(const gw_term_result *result, const gw_terms *terms,
                               const gw_document *doc) {
  size_t original_len, norm_len, count = gw_terms_term_count(terms);
  gw_document_original(doc, &original_len);
  gw_document_normalized(doc, &norm_len);
  for (size_t i = 0; i < gw_term_result_broken_count(result); i++) {
    const gw_broken_formulation *b = gw_term_result_broken_at(result, i);
    FUZZ_CHECK(b->term < count && gw_terms_term_at(terms, b->term)->part_count >= 2);
    FUZZ_CHECK(b->range.start <= b->range.end && b->range.end <= original_len);
    FUZZ_CHECK(b->range.norm_start <= b->range.norm_end && b->range.norm_end <= norm_len);
    FUZZ_CHECK(b->paragraph < gw_document_paragraph_count(doc));
    FUZZ_CHECK(b->problems != 0 && (b->problems & ~7u) == 0);
  }
  int year = gw_term_result_year(result);
  for (size_t i = 0; i < gw_term_result_outdated_count(result); i++) {
    const gw_outdated_formulation *o = gw_term_result_outdated_at(result, i);
    FUZZ_CHECK(o->match < gw_term_result_match_count(result));
    FUZZ_CHECK(o->term == gw_term_result_match_at(result, o->match)->term);
    FUZZ_CHECK(o->successor < count && o->since > 0 && year > o->since);
  }
}

/* The findings of two results, compared field by field. */
static void check_same(const gw_term_result *a, const gw_term_result *b) {
  FUZZ_CHECK(gw_term_result_match_count(a) == gw_term_result_match_count(b));
  for (size_t i = 0; i < gw_term_result_match_count(a); i++)
    FUZZ_CHECK(memcmp(gw_term_result_match_at(a, i), gw_term_result_match_at(b, i),
                      sizeof(gw_term_match)) == 0);
  FUZZ_CHECK(gw_term_result_broken_count(a) == gw_term_result_broken_count(b));
  FUZZ_CHECK(gw_term_result_outdated_count(a) == gw_term_result_outdated_count(b));
  FUZZ_CHECK(gw_term_result_year(a) == gw_term_result_year(b));
}

static void discover(const gw_terms *terms, const gw_document *doc) {
  gw_discovery *discovery = NULL;
  FUZZ_CHECK(gw_discovery_new(&discovery, terms, NULL) == GW_OK);
  FUZZ_CHECK(gw_discovery_add(discovery, doc, NULL) == GW_OK);
  gw_discovery_options opts = GW_DISCOVERY_OPTIONS_INIT;
  opts.min_count = 1;
  opts.min_documents = 1;
  FUZZ_CHECK(gw_discovery_compute(discovery, &opts, NULL) == GW_OK);
  for (size_t i = 0; i < gw_discovery_candidate_count(discovery); i++) {
    const gw_candidate *c = gw_discovery_candidate_at(discovery, i);
    FUZZ_CHECK(c->text && c->text[0] && c->count >= 1 && c->documents == 1);
    FUZZ_CHECK(gw_terms_find(terms, c->text, strlen(c->text)) == GW_NO_OFFSET);
  }
  gw_discovery_free(discovery);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const gw_terms *terms = fuzz_shared_data()->terms;
  gw_document *doc = fuzz_load_document(data, size, NULL, 1);
  if (!doc) return 0;
  int year = gw_document_year(doc);
  FUZZ_CHECK(year == 0 || (year >= 1900 && year <= 2099));

  gw_terms_options variants[3] = {GW_TERMS_OPTIONS_INIT, GW_TERMS_OPTIONS_INIT,
                                  GW_TERMS_OPTIONS_INIT};
  variants[1].year = 2023;
  variants[2].matches_only = 1;
  gw_term_result *reused = NULL;
  for (int v = 0; v < 3; v++) {
    gw_term_result *fresh = NULL;
    FUZZ_CHECK(gw_terms_match(&fresh, terms, doc, &variants[v], NULL) == GW_OK);
    check_matches(fresh, terms, doc);
    check_formulations(fresh, terms, doc);
    if (v == 0) FUZZ_CHECK(gw_term_result_year(fresh) == year);
    if (!reused) {
      reused = fresh;
      continue;
    }
    FUZZ_CHECK(gw_terms_rematch(reused, terms, doc, &variants[v], NULL) == GW_OK);
    check_same(reused, fresh);
    gw_term_result_free(fresh);
  }
  gw_term_result_free(reused);
  discover(terms, doc);
  gw_document_free(doc);
  return 0;
}
