/* --format text: the corpus's figures and term table, then each file's
 * lines as they were written in input order, then the failures. */
#include <inttypes.h>
#include <stdlib.h>

#include "terms/terms.h"
#include "terms_json.h"
#include "text_out.h"

int terms_print_file(corpus *c, const char *path, const gw_document *doc,
                     gw_positions_walk *at, const gw_term_result *r, document_counts counts) {
  FILE *out = c->files_text;
  uint64_t chars = gw_document_char_count(doc);
  fputc('\n', out);
  gw_text_put_name(out, path);
  int year = gw_term_result_year(r);
  if (year) fprintf(out, " (year %d, ", year);
  else fputs(" (year unknown, ", out);
  gw_text_put_count(out, chars);
  fprintf(out, " characters): %" PRIu64 " counted, %.2f per 10,000 characters\n",
          counts.counted, terms_density(counts.counted, chars));
  terms_text_findings(out, "  ", c->terms, doc, at, r);
  return ferror(out) ? GW_ENOMEM : GW_OK; /* a memory stream that could not grow */
}

/* One row a term: the figures first and the term last, so that a long
 * formulation never pushes the columns after it.  Whether a term is a
 * generated name. */
static int print_term_table(const corpus *c, const size_t *idx, size_t k) {
  int any_generated = 0;
  printf("%7s %6s %8s %6s  ", "count", "docs", "density", "nested");
  gw_text_put_padded(stdout, "category", 14);
  printf("term\n");
  for (size_t j = 0; j < k; j++) {
    const tally *t = &c->all[idx[j]];
    const gw_term *term = gw_terms_term_at(c->terms, idx[j]);
    printf("%7" PRIu64 " %6" PRIu64 " %8.2f %6" PRIu64 "  ", t->count, t->documents,
           terms_density(t->count, c->characters), t->nested);
    gw_text_put_padded(stdout, term->category, 14);
    fputs(term->text, stdout);
    if (term->generated) {
      fputs(" *", stdout);
      any_generated = 1;
    }
    putchar('\n');
  }
  return any_generated;
}

static void print_discovered(const gw_discovery *discovery) {
  printf("\nCandidate terms not in the dictionary (count, documents, kind):\n");
  for (size_t i = 0; i < gw_discovery_candidate_count(discovery); i++) {
    const gw_candidate *cand = gw_discovery_candidate_at(discovery, i);
    printf("  %6zu %6zu  ", (size_t)cand->count, (size_t)cand->documents);
    gw_text_put_padded(stdout, gw_candidate_kind_name(cand->kind), 10);
    printf("%s\n", cand->text);
  }
}

int terms_print_text(const corpus *c, const terms_config *cfg, const gw_cli *cli) {
  size_t k = 0, nc = 0;
  tallies all = terms_corpus_tallies(c);
  size_t *idx = terms_sorted(c->terms, &all, &k);
  category_total *cats = idx ? terms_category_totals(c->terms, &all, &nc) : NULL;
  if (!cats) {
    free(idx);
    return GW_ENOMEM;
  }
  gw_text_put_count(stdout, c->documents);
  printf(" documents, ");
  gw_text_put_count(stdout, c->characters);
  printf(" characters: %" PRIu64 " terms counted (%.2f per 10,000 characters), %" PRIu64
         " nested; %" PRIu64 " broken, %" PRIu64 " outdated, %" PRIu64 " stale\n",
         c->counted, terms_density(c->counted, c->characters), c->nested, c->broken,
         c->outdated, c->stale);
  printf("Dictionary: %zu terms, %zu of them names recognised by pattern\n\n", c->n,
         terms_generated_count(c));
  if (print_term_table(c, idx, k))
    printf("* a name recognised by pattern (党的X大, X届Y中全会 ...), not listed in terms.tsv\n");
  printf("\nCategories:");
  for (size_t i = 0; i < nc; i++) printf(" %s %" PRIu64 ";", cats[i].name, cats[i].count);
  printf("\n");
  if (cfg->by_section) {
    printf("By section:");
    for (int s = 0; s < GW_SECTION_COUNT; s++)
      printf(" %s %" PRIu64 ";", terms_section_label((gw_section_type)s),
             terms_section_total(&all, s));
    printf("\n");
  }
  if (c->discovery) print_discovered(c->discovery);
  fwrite(c->files_text_buffer, 1, c->files_text_length, stdout);
  terms_text_errors(stdout, cli);
  free(cats);
  free(idx);
  return GW_OK;
}
