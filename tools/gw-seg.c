/* gw-seg — segment reports into words: SIGHAN-style text, JSON Lines per
 * paragraph, or corpus statistics as JSON.  The options and the steps;
 * the work in tools/seg/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "options.h"
#include "parallel.h"
#include "seg/seg.h"
#include "gongwen.h"

/* ---- options ---- */

static const char *const formats[] = {"text", "jsonl", NULL}; /* enum seg_format */

/* Returns -1 to go on (the inputs start at *first), or an exit code. */
static int parse_args(int argc, char **argv, gw_cli *cli, seg_config *cfg, int *first) {
  const gw_opt opts[] = {
      gw_opt_format((int *)&cfg->format, formats,
                    "text: words separated by spaces, one output line per\n"
                    "input line (SIGHAN format); jsonl: one JSON object\n"
                    "per paragraph with tokens, kinds and byte offsets,\n"
                    "and the line and column where it starts",
                    NULL),
      {.name = "stats", .kind = GW_OPT_FLAG, .target = &cfg->stats,
       .help = "corpus statistics as one JSON object"},
      {.name = "compact", .kind = GW_OPT_FLAG, .target = &cfg->compact,
       .help = "--stats: the JSON on one line"},
      {.name = "search", .kind = GW_OPT_FLAG, .target = &cfg->search,
       .help = "search mode: also the words inside long words"},
      {.name = "no-hmm", .kind = GW_OPT_FLAG, .target = &cfg->no_hmm,
       .help = "no unknown-word model"},
      {.name = "dict", .kind = GW_OPT_STRINGS, .target = &cfg->user_dicts, .arg = "FILE",
       .help = "add a user dictionary (jieba format), repeatable"},
      {.name = "with-path", .kind = GW_OPT_FLAG, .target = &cfg->with_path,
       .help = "--format text: a line '==> PATH <==' before each file's\nwords"},
      gw_opt_dictionary(&cfg->dict_path),
      gw_opt_top(&cfg->top, "words listed by --stats (default 50)", NULL),
      gw_opt_threads(&cfg->threads),
      GW_OPT_INPUT_OPTIONS(&cfg->list_path, &cfg->document)};
  const gw_opt_table table = {
      "[OPTIONS] [FILE|DIR|-]...",
      "Segment Chinese reports into words.  Folders are read recursively; no\n"
      "input or '-' reads stdin.\n",
      opts, sizeof opts / sizeof *opts, gw_opt_exit_status};
  int code = gw_opt_parse(cli, &table, argc, argv, first);
  if (code >= 0) return code;
  if (cfg->compact && !cfg->stats) return gw_cli_usage_error(cli, "--compact is for --stats");
  if (cfg->stats) cfg->format = SEG_FORMAT_STATS;
  if (cfg->search) cfg->segment.mode = GW_SEGMENT_SEARCH;
  if (cfg->no_hmm) cfg->segment.hmm = 0;
  return -1;
}

/* ---- the steps ---- */

/* Every input segmented and written, or counted and the statistics
 * written at the end: GW_OK, or GW_ENOMEM or GW_EIO, which stop the run. */
static int run(gw_cli *cli, const seg_config *cfg, seg_resources *r) {
  seg_stats stats;
  int rc = seg_stats_init(&stats, &r->data.stopwords, !cfg->compact);
  if (rc == GW_OK) {
    rc = seg_read_documents(cli, cfg, r, &stats);
    gw_cli_progress_end(cli);
  }
  if (cfg->format == SEG_FORMAT_STATS && rc == GW_OK)
    rc = seg_stats_print(&stats, cli, cfg->top, !cfg->compact);
  seg_stats_free(&stats);
  return rc;
}

int main(int argc, char **argv) {
  gw_cli cli;
  gw_cli_init(&cli, "gw-seg");
  seg_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.segment = (gw_segment_options)GW_SEGMENT_OPTIONS_INIT;
  cfg.document = (gw_document_options)GW_DOCUMENT_OPTIONS_INIT;
  cfg.top = 50;
  cfg.threads = gw_par_default_threads();
  int first;
  int code = parse_args(argc, argv, &cli, &cfg, &first);
  seg_resources res;
  memset(&res, 0, sizeof res);
  if (code < 0) {
    if (gw_cli_collect(&cli, argv + first, (size_t)(argc - first), cfg.list_path) ||
        seg_resources_open(&res, &cli, &cfg)) {
      code = GW_EXIT_FAILURE;
    } else {
      int rc = run(&cli, &cfg, &res);
      if (rc == GW_ENOMEM) gw_cli_error(&cli, "out of memory");
      code = gw_cli_finish(&cli);
      if (rc == GW_ENOMEM || rc == GW_EIO) code = GW_EXIT_FAILURE;
    }
  }
  seg_resources_free(&res);
  free(cfg.user_dicts.items);
  gw_cli_free(&cli);
  return code;
}
