/* gw-stats — the corpus overview: documents, characters, paragraphs and
 * sections, top words and terms, noise removed, masks, the copy-ratio
 * distribution and the most-copied pairs, as a summary or one JSON object.
 * The options and the steps; the work in tools/stats/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dups_cli.h"
#include "options.h"
#include "parallel.h"
#include "resources.h"
#include "stats/stats.h"
#include "gongwen.h"

/* ---- options ---- */

static const char *const formats[] = {"text", "json", NULL}; /* enum stats_format */

/* Returns -1 to go on (the inputs start at *first), or an exit code. */
static int parse_args(int argc, char **argv, gw_cli *cli, stats_config *cfg, int *first) {
  const gw_opt opts[] = {
      gw_opt_format((int *)&cfg->format, formats, "the summary (default) or the JSON object",
                    &cfg->format_given),
      gw_opt_compact(&cfg->compact),
      gw_opt_top(&cfg->top, "words, terms and masks listed (default 10 in text,\n20 in JSON)",
                 &cfg->top_given),
      {.name = "pairs", .kind = GW_OPT_COUNT, .target = &cfg->pairs, .arg = "N",
       .help = "most copied pairs listed (default 5 in text, 10 in\nJSON)", .lo = 0,
       .hi = 100000000, .given = &cfg->pairs_given},
      gw_opt_dictionary(&cfg->dict_path),
      gw_opt_threads(&cfg->threads),
      gw_opt_dups_meta(&cfg->meta_path),
      gw_opt_dups_template_min(&cfg->dups),
      GW_OPT_DUPS_THRESHOLDS(&cfg->dups),
      gw_opt_heading("Inputs:"),
      GW_OPT_INPUT_OPTIONS(&cfg->list_path, &cfg->document)};
  const gw_opt_table table = {
      "[OPTIONS] [FILE|DIR|-]...",
      "Overview of a corpus of reports: documents, characters, the most copied\n"
      "reports and pairs (as gw-dups finds them, with the same options), top\n"
      "terms and words, template masks, noise removed.  A short summary for a\n"
      "terminal by default; --format json gives everything as one JSON object\n"
      "(also paragraphs and sections, the copy-ratio distribution, per file).\n"
      "Folders are read recursively; no input or '-' reads stdin.\n",
      opts, sizeof opts / sizeof *opts, gw_opt_exit_status};
  int code = gw_opt_parse(cli, &table, argc, argv, first);
  if (code >= 0) return code;
  if (cfg->compact) {
    if (cfg->format_given && cfg->format != STATS_FORMAT_JSON)
      return gw_cli_usage_error(cli, "--compact is for --format json");
    cfg->format = STATS_FORMAT_JSON;
  }
  cfg->dups.threads = (unsigned)cfg->threads;
  return gw_dups_cli_check(cli, &cfg->dups);
}

/* ---- the steps ---- */

static int new_segmenters(gw_segmenter **segs, size_t n, const gw_dict *dict, gw_error *err) {
  for (size_t i = 0; i < n; i++)
    if (gw_segmenter_new(&segs[i], dict, NULL, err)) return -1;
  return 0;
}

static int run(gw_cli *cli, stats_config *cfg) {
  gw_error err;
  int rc = -1;
  corpus c;
  stats_corpus_init(&c);
  gw_resources r;
  gw_resource_request want = {.dict = 1, .dict_path = cfg->dict_path, .terms = 1,
                              .stopwords = 1};
  char **paths = calloc(cli->input_count + 1, sizeof *paths);
  /* A segmenter per worker that the map will start (not per thread asked for). */
  size_t seg_count = gw_par_worker_count(cfg->threads, cli->input_count);
  gw_segmenter **segs = calloc(seg_count, sizeof *segs);
  gw_dups *d = NULL;
  if (gw_resources_open(&r, cli, &want, &cfg->document)) goto done;
  if (!paths || !segs) {
    gw_cli_error(cli, "out of memory");
    goto done;
  }
  if (new_segmenters(segs, seg_count, r.dict, &err) || gw_dups_new(&d, &cfg->dups, &err)) {
    gw_cli_error(cli, "%s", err.message);
    goto done;
  }
  /* The stop words excluded where the words are counted: one lookup a
   * word, on the main thread (the workers look at a word's shape only). */
  if (gw_counter_exclude(&c.words, &r.stopwords)) {
    gw_cli_error(cli, "out of memory");
    goto done;
  }
  stats_run state = {cli, cfg, &c, r.terms, d, segs, paths, 0, GW_OK, {0}};
  if (stats_read_documents(&state)) {
    /* A document half counted cannot be taken back: stop. */
    if (state.rc == GW_ENOMEM) gw_cli_error(cli, "out of memory");
    else gw_cli_error(cli, "%s", state.err.message[0] ? state.err.message : gw_strerror(state.rc));
    goto done;
  }
  gw_cli_progress_end(cli);
  if (gw_dups_run(d, &err)) { gw_cli_error(cli, "%s", err.message); goto done; }
  if (cfg->format == STATS_FORMAT_TEXT
          ? stats_print_text(stdout, &c, d, paths, cli, cfg) == GW_ENOMEM
          : stats_write_json(&c, d, paths, cli, cfg) == GW_ENOMEM) {
    gw_cli_error(cli, "out of memory");
    goto done;
  } /* a failed write is reported by gw_cli_finish */
  rc = 0;
done:
  gw_dups_free(d);
  for (size_t i = 0; segs && i < seg_count; i++) gw_segmenter_free(segs[i]);
  free(segs);
  gw_resources_free(&r);
  stats_corpus_free(&c);
  free(paths);
  return rc;
}

int main(int argc, char **argv) {
  gw_cli cli;
  gw_cli_init(&cli, "gw-stats");
  stats_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.document = (gw_document_options)GW_DOCUMENT_OPTIONS_INIT;
  cfg.dups = (gw_dups_options)GW_DUPS_OPTIONS_INIT;
  cfg.format = STATS_FORMAT_TEXT;
  cfg.top = 20;
  cfg.pairs = 10;
  cfg.threads = gw_par_default_threads();
  int first;
  int code = parse_args(argc, argv, &cli, &cfg, &first);
  if (code < 0) {
    if (gw_dups_cli_load_meta(&cli, cfg.meta_path, &cfg.meta) ||
        gw_cli_collect(&cli, argv + first, (size_t)(argc - first), cfg.list_path)) {
      code = GW_EXIT_FAILURE;
    } else {
      int rc = run(&cli, &cfg);
      code = gw_cli_finish(&cli);
      if (rc) code = GW_EXIT_FAILURE;
    }
  }
  gw_meta_free(cfg.meta);
  gw_cli_free(&cli);
  return code;
}
