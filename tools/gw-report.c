/* gw-report — the inspector's report: gw-dups's JSON (or gw-archive
 * check's, or gw-gap's) and the original files it names turned into one
 * self-contained HTML file (inline CSS and JavaScript, the data embedded
 * as JSON, no network) and the unit ranking as CSV beside it.
 *
 * The tool does the work that needs the files: it reads each original
 * (whatever its encoding), keeps its text as written (punctuation and line
 * breaks; CR LF shown as one line break) and turns every byte offset of the
 * JSON into an index into that text as the browser counts it (UTF-16 code
 * units) plus a line number.  The page's script only draws.  Same input,
 * same bytes: nothing depends on the clock unless --timestamp is given.
 *
 * Its parts, in tools/report/: input (the JSON read, or gw-dups run),
 * documents (every document it names), originals (their texts and the
 * offsets into them), model (the page's data), page (the template filled)
 * and csv (the ranking for Excel). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "csv.h"
#include "documents.h"
#include "gongwen.h"
#include "input.h"
#include "model.h"
#include "options.h"
#include "page.h"

static const char *const formats[] = {"html", "json", NULL}; /* format_json: 0, 1 */

/* Returns -1 to go on (the inputs start at *first), or an exit code. */
static int parse_args(int argc, char **argv, gw_cli *cli, report_config *cfg, int *first) {
  const gw_opt opts[] = {
      {.name = "output", .kind = GW_OPT_STRING, .target = &cfg->output, .arg = "FILE",
       .help = "write the HTML to FILE (default stdout); -o FILE", .short_name = 'o'},
      {.name = "csv", .kind = GW_OPT_STRING, .target = &cfg->csv, .arg = "FILE",
       .help = "the ranking as CSV (default: beside --output,\nreport.html -> report.csv)"},
      {.name = "no-csv", .kind = GW_OPT_FLAG, .target = &cfg->no_csv, .help = "no CSV"},
      {.name = "root", .kind = GW_OPT_STRING, .target = &cfg->root, .arg = "DIR",
       .help = "relative document paths are relative to DIR\n(default: the current folder, "
               "else the JSON\nfile's folder)"},
      {.name = "meta", .kind = GW_OPT_STRING, .target = &cfg->meta, .arg = "FILE",
       .help = "TSV: path, unit, year, title (more columns ignored)"},
      {.name = "title", .kind = GW_OPT_STRING, .target = &cfg->title, .arg = "TEXT",
       .help = "the report's title"},
      {.name = "timestamp", .kind = GW_OPT_FLAG, .target = &cfg->timestamp,
       .help = "print when the report was made (not deterministic)"},
      gw_opt_format(&cfg->format_json, formats, "the page (default), or only its data as JSON",
                    NULL),
      gw_opt_compact(&cfg->compact),
      gw_opt_encoding(&cfg->document.encoding),
      gw_opt_replace_invalid(&cfg->document.replace_invalid),
      gw_opt_help(),
      gw_opt_version()};
  const gw_opt_table table = {
      "[OPTIONS] [DUPS.json|GAP.json|FILE|DIR|-]...",
      "The inspector's report as one offline HTML file: overview, unit ranking,\n"
      "families, pair view (two reports side by side as written, copied passages\n"
      "numbered and linked), document view, similarity map; prints well.  Reads\n"
      "the JSON of gw-dups or gw-archive check (a file or stdin) and the\n"
      "original files it names; given reports or folders instead, runs gw-dups\n"
      "on them first; given gw-gap's JSON, the draft view: the draft with its\n"
      "broken and outdated formulations marked, and the terms it lacks.\n",
      opts, sizeof opts / sizeof *opts,
      "Without --meta a report's unit is the one gw-archive check names, else\n"
      "its folder's name when the reports lie in several folders, else its file\n"
      "name; its year is gw-archive's or gw-dups's, else read from its text.\n"
      "With gw-archive check's JSON the ranking's self-copy column is the\n"
      "largest share copied from one report of the unit's own from an earlier\n"
      "year; the archive's reports are sources, not ranked.  Given reports or\n"
      "folders, --meta, --encoding and --replace-invalid go to gw-dups too:\n"
      "with --meta the self-copy column is the share copied from the unit's\n"
      "own reports of earlier years.\n"
      "\n"
      "Exit status: 0 report written; 1 written, but some originals could not be\n"
      "read (their text is missing from the page and they are listed); 2 usage\n"
      "error or no report.\n"};
  return gw_opt_parse(cli, &table, argc, argv, first);
}

/* data written to path (stdout without) by writer, which returns GW_OK,
 * GW_ENOMEM or GW_EIO; without writer, len bytes of data.  A file left
 * half written is removed. */
static int write_file(gw_cli *cli, const char *path, const void *data, size_t len,
                      int (*writer)(FILE *, const void *)) {
  FILE *f = path ? fopen(path, "wb") : stdout;
  if (!f) {
    gw_cli_error(cli, "%s: %s", path, strerror(errno));
    return -1;
  }
  int rc = writer ? writer(f, data) : fwrite(data, 1, len, f) == len ? GW_OK : GW_EIO;
  if (fflush(f) != 0 && !rc) rc = GW_EIO;
  if (path && fclose(f) != 0 && !rc) rc = GW_EIO;
  if (rc == GW_ENOMEM) gw_cli_error(cli, "out of memory");
  else if (rc) gw_cli_error(cli, "%s: cannot write", path ? path : "stdout");
  if (rc && path) remove(path);
  return rc;
}

/* --meta read before anything is run, so that a bad row is reported once,
 * before gw-dups runs: 0, or -1 after the error was reported. */
static int load_meta(gw_cli *cli, report_config *cfg) {
  if (!cfg->meta) return 0;
  gw_error err;
  int rc = gw_meta_load_file(&cfg->meta_rows, cfg->meta, &err);
  if (rc) gw_cli_error(cli, "%s", rc == GW_ENOMEM ? "out of memory" : err.message);
  return rc ? -1 : 0;
}

/* The page, and the ranking as CSV where one is asked for: the CSV is
 * built first, so that out of memory writes neither. */
static int write_page_and_csv(gw_cli *cli, const model *m, const report_config *cfg) {
  char *csv_path = NULL;
  buffer csv = {0};
  int rc = -1;
  /* a draft check has no ranking to export */
  if (model_has_ranking(m) && !cfg->no_csv) {
    csv_path = cfg->csv ? strdup(cfg->csv) : cfg->output ? csv_beside(cfg->output) : NULL;
    if (csv_path && csv_build(m->r, &csv)) {
      gw_cli_error(cli, "out of memory");
      goto done;
    }
  }
  if (write_file(cli, cfg->output, m, 0, page_write)) goto done;
  if (csv_path && write_file(cli, csv_path, csv.data, csv.len, NULL)) goto done;
  rc = 0;
done:
  free(csv.data);
  free(csv_path);
  return rc;
}

int main(int argc, char **argv) {
  gw_cli cli;
  gw_cli_init(&cli, "gw-report");
  report_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.document = (gw_document_options)GW_DOCUMENT_OPTIONS_INIT;
  int first = argc;
  int code = parse_args(argc, argv, &cli, &cfg, &first);
  if (code >= 0) {
    gw_cli_free(&cli);
    return code;
  }
  code = GW_EXIT_FAILURE;
  buffer in = {0};
  report r;
  memset(&r, 0, sizeof r);
  cJSON *dups = NULL;
  char *stdin_arg[] = {GW_CLI_STDIN};
  char **args = first < argc ? argv + first : stdin_arg;
  size_t n_args = first < argc ? (size_t)(argc - first) : 1;
  if (load_meta(&cli, &cfg) || input_read(&cli, args, n_args, &in, &cfg) ||
      input_parse(&cli, in.data, &dups))
    goto done;
  model m;
  int model_rc = model_prepare(&m, &cli, &r, dups, &cfg);
  if (model_rc) {
    if (model_rc == GW_ENOMEM) gw_cli_error(&cli, "out of memory");
    goto done;
  }
  if (cfg.format_json ? write_file(&cli, cfg.output, &m, 0, model_write_json)
                      : write_page_and_csv(&cli, &m, &cfg))
    goto done;
  code = r.unreadable ? GW_EXIT_SOME_BAD : GW_EXIT_OK;
done:
  free(cfg.input_dir);
  gw_meta_free(cfg.meta_rows);
  cJSON_Delete(dups);
  free(in.data);
  report_free(&r);
  gw_cli_free(&cli);
  return code;
}
