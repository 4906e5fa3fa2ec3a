/* text.c — --format text: the summary for a terminal (tools/dups_text):
 * the most copied reports, the largest families and the most copied
 * pairs, with quotes and line numbers. */
#include "dups/dups.h"
#include "dups_cli.h"
#include "dups_text.h"
#include "text_out.h"

enum { TEXT_REPORTS = 10, TEXT_FAMILIES = 5, TEXT_PAIRS = 5 };

int dups_print_text(FILE *out, const gw_cli *cli, const gw_dups *d, const dups_documents *docs) {
  size_t n = gw_dups_document_count(d), n_base = docs->n_base, characters = 0;
  for (size_t i = n_base; i < n; i++) characters += gw_dups_document_at(d, i)->characters;
  size_t reports = n - n_base;
  gw_text_put_count(out, reports);
  fputs(reports == 1 ? " report, " : " reports, ", out);
  gw_text_put_count(out, characters);
  fputs(" characters compared", out);
  if (n_base) fprintf(out, " (and %zu base document%s)", n_base, n_base == 1 ? "" : "s");
  fputc('\n', out);
  gw_dups_text_copy_ratio(out, d, n_base);
  size_t width = gw_text_terminal_width();
  gw_dups_view view = {out, d, docs->paths, docs->positions, (width - 8) / 2};
  int rc = gw_dups_text_reports(&view, n_base, TEXT_REPORTS);
  if (!rc) rc = gw_dups_text_families(&view, TEXT_FAMILIES);
  if (!rc) rc = gw_dups_text_pairs(&view, TEXT_PAIRS);
  if (rc) return rc;
  fprintf(out, "\nNear-duplicate paragraph clusters: %zu\n", gw_dups_cluster_count(d));
  gw_dups_cli_print_limits(out, d);
  gw_cli_print_failures(out, cli);
  fputs("\nEvery passage, family and cluster with offsets: gw-dups --format json.\n", out);
  return ferror(out) ? GW_EIO : GW_OK;
}
