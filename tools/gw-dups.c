/* gw-dups — copy-paste across reports: per document the copy ratio, its
 * template and few-source shares and its sources, per pair the copied
 * passages, template families, and clusters of near-duplicate paragraphs,
 * as one JSON object or JSON Lines.  The options and the steps; the work
 * in tools/dups/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cli.h"
#include "dups/dups.h"
#include "dups_cli.h"
#include "options.h"
#include "parallel.h"
#include "resources.h"
#include "gongwen.h"

/* ---- options ---- */

static const char *const formats[] = {"json", "jsonl", "text", NULL}; /* enum dups_format */

/* Returns -1 to go on (the inputs start at *first), or an exit code. */
static int parse_args(int argc, char **argv, gw_cli *cli, dups_config *cfg, int *first) {
  gw_dups_options *o = &cfg->dups;
  const gw_opt opts[] = {
      gw_opt_format((int *)&cfg->format, formats,
                    "one JSON object (default); JSON Lines: one\n"
                    "record per line (parameters, document, pair,\n"
                    "family, cluster, error), each naming its documents;\n"
                    "or a summary for the terminal: the most copied\n"
                    "reports, the largest families and the most copied\n"
                    "pairs, with quotes and line numbers",
                    NULL),
      gw_opt_compact(&cfg->compact),
      {.name = "no-text", .kind = GW_OPT_FLAG, .target = &cfg->no_text,
       .help = "leave the passage text out"},
      {.name = "no-terms", .kind = GW_OPT_FLAG, .target = &cfg->no_terms,
       .help = "count official formulations (terms.tsv) as\ncopying too"},
      {.name = "base", .kind = GW_OPT_STRINGS, .target = &cfg->base_paths, .arg = "FILE|DIR",
       .help = "a base document (repeatable): the notice, central\n"
               "document or template every report may contain;\n"
               "text found in it is never copying"},
      gw_opt_dups_meta(&cfg->meta_path),
      gw_opt_dups_template_min(o),
      gw_opt_dups_max_sources(o),
      gw_opt_dups_all_pairs(o),
      gw_opt_threads(&cfg->threads),
      GW_OPT_DUPS_THRESHOLDS(o),
      gw_opt_heading("Inputs:"),
      GW_OPT_INPUT_OPTIONS(&cfg->list_path, &cfg->document)};
  const gw_opt_table table = {
      "[OPTIONS] [FILE|DIR|-]...",
      "Find copy-paste across reports: copied passages between documents, each\n"
      "document's copy ratio and sources, passages shared by many documents\n"
      "(template families, each reported once), and clusters of near-duplicate\n"
      "paragraphs.  Folders are read recursively; no input or '-' reads stdin.\n"
      "A file given twice is analysed once; files with the same text under other\n"
      "names are each reported (exact copies of each other), prepared once.\n",
      opts, sizeof opts / sizeof *opts,
      "Characters are counted without whitespace, punctuation and noise; every\n"
      "template mask counts as one character.  Offsets (start, end) are original\n"
      "file bytes; line and column say where start stands (from 1; the column in\n"
      "characters of its line).\n"
      "\n"
      "Exit status: 0 every input analysed; 1 some inputs could not be read\n"
      "(listed in the JSON, the others analysed); 2 usage error or nothing done.\n"};
  int code = gw_opt_parse(cli, &table, argc, argv, first);
  if (code >= 0) return code;
  if (cfg->compact && cfg->format == DUPS_FORMAT_TEXT)
    return gw_cli_usage_error(cli, "--compact is for --format json");
  o->threads = (unsigned)cfg->threads;
  return gw_dups_cli_check(cli, o);
}

/* ---- the steps ---- */

/* The base documents, then the reports, loaded into the index, the run,
 * and its results written: 0, or -1 after the error is reported. */
static int run(gw_cli *cli, gw_cli *base, dups_config *cfg) {
  gw_error err;
  gw_resources r;
  gw_resource_request want = {.terms = !cfg->no_terms};
  gw_dups *d = NULL;
  dups_documents docs;
  int room = dups_documents_init(&docs, base->input_count + cli->input_count) == 0;
  int rc = -1;
  if (gw_resources_open(&r, cli, &want, &cfg->document)) goto done;
  if (!room) {
    gw_cli_error(cli, "out of memory");
    goto done;
  }
  if (gw_dups_new(&d, &cfg->dups, &err)) {
    gw_cli_error(cli, "%s", err.message);
    goto done;
  }
  if (dups_load_inputs(base, 1, 0, cfg, r.terms, d, &docs)) goto done;
  docs.n_base = docs.n;
  if (dups_load_inputs(cli, 0, base->input_count, cfg, r.terms, d, &docs)) goto done;
  gw_cli_progress_end(cli);
  /* The texts claimed are for loading only. */
  if (docs.has_claims) gw_text_claims_free(&docs.claims);
  docs.has_claims = 0;
#ifdef __GLIBC__
  /* What the loading threads freed (each document's scratch, in their own
   * arenas) given back before the run's peak, which is the whole
   * process's. */
  malloc_trim(0);
#endif
  if (gw_dups_run(d, &err)) {
    gw_cli_error(cli, "%s", err.message);
    goto done;
  }
  int written = cfg->format == DUPS_FORMAT_TEXT ? dups_print_text(stdout, cli, d, &docs)
                                                : dups_write_records(cli, cfg, d, &docs);
  if (written) {
    gw_cli_error(cli, "%s", written == GW_ENOMEM ? "out of memory" : "cannot write the output");
    goto done;
  }
  rc = 0;
done:
  gw_dups_free(d);
  gw_resources_free(&r);
  dups_documents_free(&docs);
  return rc;
}

int main(int argc, char **argv) {
  gw_cli cli;
  gw_cli_init(&cli, "gw-dups");
  dups_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.document = (gw_document_options)GW_DOCUMENT_OPTIONS_INIT;
  cfg.dups = (gw_dups_options)GW_DUPS_OPTIONS_INIT;
  cfg.threads = gw_par_default_threads();
  gw_cli base;
  gw_cli_init(&base, "gw-dups");
  int first;
  int code = parse_args(argc, argv, &cli, &cfg, &first);
  if (code < 0) {
    if (gw_dups_cli_collect_base(&base, &cfg.base_paths) ||
        gw_dups_cli_load_meta(&cli, cfg.meta_path, &cfg.meta) ||
        gw_cli_collect(&cli, argv + first, (size_t)(argc - first), cfg.list_path) ||
        dups_drop_repeated_inputs(&base, &cli)) {
      code = GW_EXIT_FAILURE;
    } else {
      int rc = run(&cli, &base, &cfg);
      code = gw_cli_finish(&cli);
      if (rc) code = GW_EXIT_FAILURE;
    }
  }
  free(cfg.base_paths.items);
  gw_meta_free(cfg.meta);
  gw_cli_free(&base);
  gw_cli_free(&cli);
  return code;
}
