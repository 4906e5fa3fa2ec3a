/* gw-extract — the text gongwen reads from Word, WPS, PDF, OFD and web
 * pages: plain text, or JSON with each paragraph's offsets, page, source
 * number, part and heading level, so a user can see what was analysed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json_writer.h"
#include "options.h"
#include "gongwen.h"

enum output_format { FORMAT_TEXT, FORMAT_JSON };

typedef struct extract_config {
  enum output_format format;
  int compact;
  const char *list_path;
} extract_config;

static void write_paragraph(gw_json *w, const char *text, const gw_extract_paragraph *p) {
  gw_json_object_begin(w);
  gw_json_key(w, "text");
  gw_json_text(w, text + p->start, p->end - p->start);
  gw_json_member_uint(w, "start", p->start);
  gw_json_member_uint(w, "end", p->end);
  gw_json_member_uint(w, "page", p->page);
  gw_json_member_uint(w, "source", p->source);
  gw_json_member_string(w, "part", gw_extract_part_name(p->part));
  gw_json_key(w, "heading_level");
  gw_json_int(w, p->heading_level);
  gw_json_object_end(w);
}

static void write_file(gw_json *w, const char *path, const gw_extract *x) {
  size_t len;
  const char *text = gw_extract_text(x, &len);
  gw_json_object_begin(w);
  gw_json_member_path(w, "path", path);
  gw_json_member_string(w, "format", gw_format_name(gw_extract_format(x)));
  gw_json_member_uint(w, "pages", gw_extract_page_count(x));
  gw_json_key(w, "paragraphs");
  gw_json_array_begin(w);
  for (size_t i = 0; i < gw_extract_paragraph_count(x); i++)
    write_paragraph(w, text, gw_extract_paragraph_at(x, i));
  gw_json_array_end(w);
  gw_json_object_end(w);
}

/* 0 loaded, 1 a failure recorded, -1 out of memory (it stops the run:
 * main says so, with the library's message naming the file in *oom). */
static int load(gw_cli *cli, const char *path, gw_extract **x, gw_error *oom) {
  gw_error err;
  memset(&err, 0, sizeof err);
  int rc = gw_extract_load_file(x, strcmp(path, GW_CLI_STDIN) == 0 ? "/dev/stdin" : path, NULL,
                                &err);
  if (rc == GW_OK) {
    cli->loaded++;
    return 0;
  }
  if (rc == GW_ENOMEM) {
    *oom = err;
    return -1;
  }
  if (!err.message[0]) snprintf(err.message, sizeof err.message, "%s: %s", path, gw_strerror(rc));
  return gw_cli_add_failure(cli, path, err.message) < 0 ? -1 : 1;
}

/* Text as each input is read; JSON whole at the end or not at all.
 * GW_OK, GW_ENOMEM (with the library's message in *oom where it gave one)
 * or GW_EIO. */
static int run(gw_cli *cli, const extract_config *cfg, gw_error *oom) {
  int json = cfg->format == FORMAT_JSON;
  gw_json w;
  gw_json_init(&w, NULL, !cfg->compact);
  gw_json_object_begin(&w);
  gw_json_key(&w, "files");
  gw_json_array_begin(&w);
  int rc = GW_OK;
  for (size_t i = 0; rc == GW_OK && i < cli->input_count; i++) {
    gw_extract *x = NULL;
    int loaded = load(cli, cli->inputs[i].path, &x, oom);
    if (loaded < 0) rc = GW_ENOMEM;
    if (loaded) continue;
    if (json) {
      write_file(&w, cli->inputs[i].path, x);
      rc = w.failed;
    } else {
      size_t len;
      const char *text = gw_extract_text(x, &len);
      if (fwrite(text, 1, len, stdout) != len) rc = GW_EIO;
    }
    gw_extract_free(x);
  }
  if (json && rc == GW_OK) {
    gw_json_array_end(&w);
    gw_cli_write_errors_last(&w, cli);
    gw_json *const parts[] = {&w};
    rc = gw_json_write_parts(stdout, parts, 1);
  }
  gw_json_finish(&w);
  return rc;
}

static const char *const formats[] = {"text", "json", NULL}; /* enum output_format */

/* Returns -1 to go on (the inputs start at *first), or an exit code. */
static int parse_args(int argc, char **argv, gw_cli *cli, extract_config *cfg, int *first) {
  const gw_opt opts[] = {
      gw_opt_format((int *)&cfg->format, formats,
                    "text: the extracted text (default); json: one\n"
                    "object with each file's format, pages and\n"
                    "paragraphs (text, start, end, page, source, part,\n"
                    "heading_level)",
                    NULL),
      gw_opt_compact(&cfg->compact),
      gw_opt_list(&cfg->list_path),
      gw_opt_help(),
      gw_opt_version()};
  const gw_opt_table table = {
      "[OPTIONS] [FILE|DIR|-]...",
      "Print the text gongwen reads from each input: .docx, .doc and .wps\n"
      "(Word, WPS Office), .pdf, OFD, web pages and plain text, each detected\n"
      "from its content, not its name.  Folders are read recursively.\n",
      opts, sizeof opts / sizeof *opts,
      "Exit status: 0 every input read; 1 some inputs could not be read\n"
      "(listed, the others printed); 2 usage error or nothing done.\n"};
  int code = gw_opt_parse(cli, &table, argc, argv, first);
  if (code >= 0) return code;
  if (cfg->compact && cfg->format != FORMAT_JSON)
    return gw_cli_usage_error(cli, "--compact is for --format json");
  return -1;
}

int main(int argc, char **argv) {
  gw_cli cli;
  gw_cli_init(&cli, "gw-extract");
  extract_config cfg;
  memset(&cfg, 0, sizeof cfg);
  int first;
  int code = parse_args(argc, argv, &cli, &cfg, &first);
  if (code < 0) {
    if (gw_cli_collect(&cli, argv + first, (size_t)(argc - first), cfg.list_path)) {
      code = GW_EXIT_FAILURE;
    } else {
      gw_error oom;
      memset(&oom, 0, sizeof oom);
      int rc = run(&cli, &cfg, &oom);
      if (rc == GW_ENOMEM) gw_cli_error(&cli, "%s", oom.message[0] ? oom.message : "out of memory");
      code = gw_cli_finish(&cli);
      if (rc == GW_ENOMEM || rc == GW_EIO) code = GW_EXIT_FAILURE; /* EIO: reported by finish */
    }
  }
  gw_cli_free(&cli);
  return code;
}
