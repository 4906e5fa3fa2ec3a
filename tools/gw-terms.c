/* gw-terms — policy terms and fixed formulations in reports: counts,
 * document frequency, density, categories, nested matches, broken and
 * outdated formulations, as JSON or a text table.  The options and the
 * steps; the work in tools/terms/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "options.h"
#include "parallel.h"
#include "resources.h"
#include "terms/terms.h"
#include "gongwen.h"

/* ---- options ---- */

static const char *const formats[] = {"json", "text", NULL}; /* enum terms_format */

/* Returns -1 to go on (the inputs start at *first), or an exit code. */
static int parse_args(int argc, char **argv, gw_cli *cli, terms_config *cfg, int *first) {
  const gw_opt opts[] = {
      gw_opt_format((int *)&cfg->format, formats, "JSON (default) or a readable table", NULL),
      gw_opt_compact(&cfg->compact),
      {.name = "by-section", .kind = GW_OPT_FLAG, .target = &cfg->by_section,
       .help = "totals per section type (work_done, problems, ...)"},
      {.name = "matches", .kind = GW_OPT_FLAG, .target = &cfg->all_matches,
       .help = "list every match of every file in the JSON"},
      {.name = "discover", .kind = GW_OPT_FLAG, .target = &cfg->discover,
       .help = "candidate terms not in the dictionary: numbered\n"
               "formulations, parallel lists, cohesive n-grams"},
      gw_opt_terms(&cfg->term_files),
      gw_opt_no_default_terms(&cfg->no_default_terms),
      gw_opt_year(&cfg->terms.year, "the reports' year for outdated formulations\n"
                                    "(default: from each report's text)"),
      gw_opt_top(&cfg->top, "top terms listed (default 20)", NULL),
      gw_opt_threads(&cfg->threads),
      GW_OPT_INPUT_OPTIONS(&cfg->list_path, &cfg->document)};
  const gw_opt_table table = {
      "[OPTIONS] [FILE|DIR|-]...",
      "Count policy terms and fixed formulations (\xE6\x8F\x90\xE6\xB3\x95) in reports, and find\n"
      "broken and outdated formulations.  Folders are read recursively; no input\n"
      "or '-' reads stdin.\n",
      opts, sizeof opts / sizeof *opts, gw_opt_exit_status};
  int code = gw_opt_parse(cli, &table, argc, argv, first);
  if (code >= 0) return code;
  if (cfg->no_default_terms && !cfg->term_files.count)
    return gw_cli_usage_error(cli, "--no-default-terms needs at least one --terms FILE");
  if (cfg->compact && cfg->format != TERMS_FORMAT_JSON)
    return gw_cli_usage_error(cli, "--compact is for --format json");
  return -1;
}

static int open_resources(gw_cli *cli, terms_config *cfg, gw_resources *r) {
  const gw_resource_request want = {
      .terms = 1, .no_default_terms = cfg->no_default_terms,
      .term_files = (const char *const *)cfg->term_files.items,
      .term_file_count = cfg->term_files.count};
  return gw_resources_open(r, cli, &want, &cfg->document);
}

/* ---- the steps ---- */

static int run(gw_cli *cli, const terms_config *cfg, const gw_resources *r) {
  corpus c;
  int rc = terms_corpus_init(&c, r->terms, cfg);
  if (rc == GW_OK) rc = terms_read_documents(cli, cfg, &c);
  if (rc == GW_OK && c.discovery && gw_discovery_compute(c.discovery, NULL, NULL)) rc = GW_ENOMEM;
  if (rc == GW_OK)
    rc = cfg->format == TERMS_FORMAT_TEXT ? terms_print_text(&c, cfg, cli)
                                          : terms_write_json(&c, cfg, cli);
  terms_corpus_free(&c);
  return rc;
}

int main(int argc, char **argv) {
  gw_cli cli;
  gw_cli_init(&cli, "gw-terms");
  terms_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.document = (gw_document_options)GW_DOCUMENT_OPTIONS_INIT;
  cfg.terms = (gw_terms_options)GW_TERMS_OPTIONS_INIT;
  cfg.top = 20;
  cfg.threads = gw_par_default_threads();
  int first;
  int code = parse_args(argc, argv, &cli, &cfg, &first);
  gw_resources res;
  memset(&res, 0, sizeof res);
  if (code < 0) {
    if (gw_cli_collect(&cli, argv + first, (size_t)(argc - first), cfg.list_path) ||
        open_resources(&cli, &cfg, &res)) {
      code = GW_EXIT_FAILURE;
    } else {
      int rc = run(&cli, &cfg, &res);
      if (rc == GW_ENOMEM) gw_cli_error(&cli, "out of memory");
      code = gw_cli_finish(&cli);
      if (rc == GW_ENOMEM || rc == GW_EIO) code = GW_EXIT_FAILURE;
    }
  }
  gw_resources_free(&res);
  free(cfg.term_files.items);
  gw_cli_free(&cli);
  return code;
}
