/* --format text: what an inspector wants to see first. */
#include <stdlib.h>

#include "dups_cli.h"
#include "dups_text.h"
#include "stats/stats.h"
#include "text_out.h"

enum { TEXT_REPORTS = 5, TEXT_FAMILIES = 3, TEXT_PAIRS = 5, TEXT_TOP = 10, EXCERPT_CHARS = 40 };

/* "label: a 201, b 130, ..." from a counter, at most `limit` entries. */
static void text_counts(FILE *out, const char *label, const gw_counter *c, size_t limit,
                        int with_documents) {
  size_t n;
  const gw_count **sorted = gw_counter_top(c, limit, &n);
  if (!sorted) return;
  fprintf(out, "%s:", label);
  if (!n) fputs(" none", out);
  for (size_t i = 0; i < n && i < limit; i++) {
    fputs(i ? ", " : " ", out);
    gw_text_put_name(out, sorted[i]->key);
    fputc(' ', out);
    gw_text_put_count(out, sorted[i]->count);
    if (with_documents) fprintf(out, " (%llu)", (unsigned long long)sorted[i]->documents);
  }
  if (n > limit) fputs(", ...", out);
  fputc('\n', out);
  free(sorted);
}

int stats_print_text(FILE *out, const corpus *c, const gw_dups *d, char **paths,
                     const gw_cli *cli, const stats_config *cfg) {
  size_t top = cfg->top_given ? cfg->top : TEXT_TOP;
  size_t pairs = cfg->pairs_given ? cfg->pairs : TEXT_PAIRS;
  gw_text_put_count(out, c->documents);
  fputs(c->documents == 1 ? " report, " : " reports, ", out);
  gw_text_put_count(out, c->characters);
  fputs(" characters, ", out);
  gw_text_put_count(out, c->paragraphs);
  fputs(" paragraphs (", out);
  gw_text_put_count(out, c->headings);
  fputs(" headings)\n", out);
  gw_dups_text_copy_ratio(out, d, 0);
  gw_dups_view t = {out, d, paths, c->positions, EXCERPT_CHARS};
  int rc = gw_dups_text_reports(&t, 0, pairs < TEXT_REPORTS ? TEXT_REPORTS : pairs);
  if (!rc) rc = gw_dups_text_families(&t, TEXT_FAMILIES);
  if (!rc) rc = gw_dups_text_pairs(&t, pairs);
  if (rc) return rc;
  gw_dups_cli_print_limits(out, d);
  fputc('\n', out);
  text_counts(out, "Top terms, count (reports)", &c->terms, top, 1);
  text_counts(out, "Top words", &c->words, top, 0);
  fputs("Template masks: ", out);
  gw_text_put_count(out, c->mask_count);
  fputc('\n', out);
  fputs("Removed before analysis: ", out);
  gw_text_put_count(out, c->removed_spans);
  fputs(" spans, ", out);
  gw_text_put_count(out, c->removed_bytes);
  fputs(" bytes (", out);
  for (int k = 0; k <= GW_REMOVED_PINYIN; k++)
    fprintf(out, "%s%s %llu", k ? ", " : "", gw_removal_kind_name((gw_removal_kind)k),
            (unsigned long long)c->removed_kinds[k]);
  fputs(")\nSections: ", out);
  for (int s = GW_SECTION_WORK_DONE; s <= GW_SECTION_OTHER; s++)
    fprintf(out, "%s%s %llu", s == GW_SECTION_WORK_DONE ? "" : ", ",
            gw_section_type_name((gw_section_type)s), (unsigned long long)c->sections[s]);
  fputc('\n', out);
  gw_cli_print_failures(out, cli);
  fputs("\nEverything, per file too: gw-stats --format json; the passages: gw-dups.\n", out);
  return GW_OK;
}
