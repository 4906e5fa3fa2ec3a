/* gw-gap — what a draft lacks, as advice a drafter can act on: the sections
 * the reference reports have and the draft does not (or has much shorter),
 * the terms and formulations the references (a corpus folder) or a
 * checklist use and the draft does not, ranked by how much they mark
 * reports of this kind, each with the part of the report the references
 * use it in and one sentence from the body of one of them; the terms only
 * the draft uses; the draft's broken, outdated and stale formulations.
 * The options and the steps; the work in tools/gap/. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "gap/gap.h"
#include "options.h"
#include "parallel.h"
#include "resources.h"
#include "gongwen.h"

/* ---- options ---- */

static const char *const formats[] = {"json", "text", NULL}; /* enum gap_format */

/* Returns -1 to go on, or an exit code. */
static int parse_args(int argc, char **argv, gw_cli *cli, gap_config *cfg) {
  gw_opt top = gw_opt_top(&cfg->top, "corpus terms listed, most telling first", NULL);
  top.show_default = 1; /* the defaults are main's, said once */
  const gw_opt opts[] = {
      {.name = "corpus", .kind = GW_OPT_STRING, .target = &cfg->corpus_dir, .arg = "DIR",
       .help = "reference reports (read recursively; the draft itself\n"
               "is skipped if it is among them)"},
      {.name = "checklist", .kind = GW_OPT_STRING, .target = &cfg->checklist, .arg = "FILE",
       .help = "terms the draft must use, one per line ('#' comments;\n"
               "a term not in the dictionary is added)"},
      {.name = "min-share", .kind = GW_OPT_NUMBER, .target = &cfg->min_share, .arg = "X",
       .help = "consider a corpus term only when at least this share of\n"
               "the references use it (0-1; and two references at\n"
               "least)",
       .lo = 0, .hi = 1, .show_default = 1},
      top,
      gw_opt_dictionary(&cfg->dict_path),
      gw_opt_format((int *)&cfg->format, formats, "JSON (default) or text for a drafter", NULL),
      gw_opt_compact(&cfg->compact),
      gw_opt_terms(&cfg->term_files),
      gw_opt_no_default_terms(&cfg->no_default_terms),
      gw_opt_year(&cfg->terms.year, "the draft's year for outdated formulations"),
      gw_opt_threads(&cfg->threads),
      gw_opt_encoding(&cfg->document.encoding),
      gw_opt_replace_invalid(&cfg->document.replace_invalid),
      gw_opt_help(),
      gw_opt_version()};
  const gw_opt_table table = {
      "[OPTIONS] DRAFT --corpus DIR | --checklist FILE",
      "What a draft report lacks compared with reference reports (a folder) or a\n"
      "checklist of terms: the sections the references have, the terms they use\n"
      "(ranked by how much they mark reports of this kind, each with an example\n"
      "sentence); the terms only the draft uses; the draft's broken, outdated and\n"
      "stale formulations.\n",
      opts, sizeof opts / sizeof *opts,
      "Exit status: 0 the draft and every reference analysed; 1 some references\n"
      "could not be read (listed in the JSON); 2 usage error, or the draft could\n"
      "not be read.\n"};
  int first;
  int code = gw_opt_parse(cli, &table, argc, argv, &first);
  if (code >= 0) return code;
  if (first != argc - 1) return gw_cli_usage_error(cli, "give exactly one DRAFT file");
  cfg->draft = argv[first];
  if (!cfg->corpus_dir && !cfg->checklist)
    return gw_cli_usage_error(cli, "give --corpus DIR and/or --checklist FILE");
  if (cfg->no_default_terms && !cfg->term_files.count)
    return gw_cli_usage_error(cli, "--no-default-terms needs at least one --terms FILE");
  if (cfg->compact && cfg->format != GAP_FORMAT_JSON)
    return gw_cli_usage_error(cli, "--compact is for --format json");
  return -1;
}

/* The data files, and the checklist's terms added to the term list.  0, or
 * -1 after the error is reported. */
typedef struct gap_resources {
  gw_resources files;
  char **checklist;
  size_t checklist_count;
} gap_resources;

static int open_resources(gw_cli *cli, gap_config *cfg, gap_resources *r) {
  const gw_resource_request want = {
      .dict = 1, .dict_path = cfg->dict_path, .terms = 1,
      .no_default_terms = cfg->no_default_terms,
      .term_files = (const char *const *)cfg->term_files.items,
      .term_file_count = cfg->term_files.count};
  if (gw_resources_open(&r->files, cli, &want, &cfg->document)) return -1;
  return cfg->checklist ? gap_load_checklist(cli, r->files.terms, cfg->checklist, &r->checklist,
                                             &r->checklist_count)
                        : 0;
}

static void resources_free(gap_resources *r) {
  gw_resources_free(&r->files);
  for (size_t i = 0; i < r->checklist_count; i++) free(r->checklist[i]);
  free(r->checklist);
}

/* The draft (input 0) read and matched, the references tallied, the
 * findings written.  0 or GW_ENOMEM; *draft_failed when the draft cannot
 * be analysed. */
static int run(gw_cli *cli, const gap_config *cfg, const gap_resources *r, int *draft_failed) {
  const gw_terms *terms = r->files.terms;
  gap_tallies tallies;
  if (gap_tallies_init(&tallies, terms)) return gap_tallies_free(&tallies), GW_ENOMEM;
  for (size_t i = 0; i < r->checklist_count; i++) {
    size_t t = gw_terms_find(terms, r->checklist[i], strlen(r->checklist[i]));
    if (t != GW_NO_OFFSET) tallies.use[t].checklist = 1;
  }
  gw_document *draft = NULL;
  gw_term_result *dres = NULL;
  gw_error err;
  int load_rc = gw_cli_load(cli, 0, &cfg->document, &draft); /* says why itself */
  int match_rc = load_rc ? GW_OK : gw_terms_match(&dres, terms, draft, &cfg->terms, &err);
  if (match_rc && match_rc != GW_ENOMEM)
    gw_cli_error(cli, "%s: %s", cli->inputs[0].path, err.message);
  if (load_rc || match_rc) {
    *draft_failed = 1;
    gw_document_free(draft);
    gap_tallies_free(&tallies);
    /* main says "out of memory" */
    return load_rc == GW_ENOMEM || match_rc == GW_ENOMEM ? GW_ENOMEM : GW_OK;
  }
  gap_tallies_mark_draft(&tallies, dres);
  int rc = gap_tallies_read(&tallies, cli, cfg, terms);
  if (rc == GW_OK) {
    gap_report g;
    gap_findings f;
    gap_report_init(&g, cfg, terms, r->files.dict, &tallies, gw_term_result_year(dres));
    rc = gap_findings_make(&f, &g, draft, dres);
    if (rc == GW_OK && cfg->format == GAP_FORMAT_TEXT) gap_print_text(cli, &g, &f);
    else if (rc == GW_OK) rc = gap_write_json(cli, &g, &f);
    gap_findings_free(&f);
  }
  gap_tallies_free(&tallies);
  gw_term_result_free(dres);
  gw_document_free(draft);
  return rc;
}

int main(int argc, char **argv) {
  gw_cli cli;
  gw_cli_init(&cli, "gw-gap");
  gap_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.document = (gw_document_options)GW_DOCUMENT_OPTIONS_INIT;
  cfg.terms = (gw_terms_options)GW_TERMS_OPTIONS_INIT;
  cfg.min_share = 0.2;
  cfg.top = 20;
  cfg.threads = gw_par_default_threads();
  int code = parse_args(argc, argv, &cli, &cfg);
  gap_resources res;
  memset(&res, 0, sizeof res);
  if (code < 0) {
    int draft_failed = 0;
    struct stat st;
    if (stat(cfg.draft, &st) == 0 && S_ISDIR(st.st_mode)) {
      gw_cli_error(&cli, "%s: cannot read the draft: it is a folder (give one file)", cfg.draft);
      code = GW_EXIT_FAILURE;
    } else if (gw_cli_add_path(&cli, cfg.draft) || cli.input_count != 1 ||
        (cfg.corpus_dir && gw_cli_add_path(&cli, cfg.corpus_dir)) ||
        open_resources(&cli, &cfg, &res)) {
      code = GW_EXIT_FAILURE;
    } else {
      int rc = run(&cli, &cfg, &res, &draft_failed);
      if (rc == GW_ENOMEM) gw_cli_error(&cli, "out of memory");
      code = gw_cli_finish(&cli);
      if (rc == GW_ENOMEM || rc == GW_EIO || draft_failed) code = GW_EXIT_FAILURE;
    }
  }
  resources_free(&res);
  free(cfg.term_files.items);
  gw_cli_free(&cli);
  return code;
}
