/* gw-extract — the text gongwen reads from Word, WPS, PDF, OFD and web
 * pages: plain text, or JSON with each paragraph's offsets, page, source
 * number, part and heading level, so a user can see what was analysed. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gongwen.h"

static const char usage_text[] =
    "usage: gw-extract [OPTIONS] [FILE|DIR|-]...\n"
    "Print the text gongwen reads from each input: .docx, .doc and .wps\n"
    "(Word, WPS Office), .pdf, OFD, web pages and plain text, each detected\n"
    "from its content, not its name.  Folders are read recursively.\n"
    "\n"
    "  --format text|json   text: the extracted text (default); json: one\n"
    "                       object with each file's format, pages and\n"
    "                       paragraphs (text, start, end, page, source, part,\n"
    "                       heading_level)\n"
    "  --list FILE          read input paths from FILE, one per line\n"
    "  --help, --version\n"
    "\n"
    "Exit status: 0 every input read; 1 some inputs could not be read\n"
    "(listed, the others printed); 2 usage error or nothing done.\n";

static cJSON *paragraph_json(const char *text,
                             const gw_extract_paragraph *p) {
  cJSON *o = cJSON_CreateObject();
  if (!o) return NULL;
  char *copy = malloc(p->end - p->start + 1);
  if (!copy) {
    cJSON_Delete(o);
    return NULL;
  }
  memcpy(copy, text + p->start, p->end - p->start);
  copy[p->end - p->start] = '\0';
  int ok = cJSON_AddStringToObject(o, "text", copy) &&
           cJSON_AddNumberToObject(o, "start", (double)p->start) &&
           cJSON_AddNumberToObject(o, "end", (double)p->end) &&
           cJSON_AddNumberToObject(o, "page", (double)p->page) &&
           cJSON_AddNumberToObject(o, "source", (double)p->source) &&
           cJSON_AddStringToObject(o, "part", gw_extract_part_name(p->part)) &&
           cJSON_AddNumberToObject(o, "heading_level", p->heading_level);
  free(copy);
  if (!ok) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

static cJSON *file_json(const char *path, const gw_extract *x) {
  size_t len;
  const char *text = gw_extract_text(x, &len);
  cJSON *o = cJSON_CreateObject();
  cJSON *paragraphs = cJSON_CreateArray();
  int ok = o && paragraphs && cJSON_AddStringToObject(o, "path", path) &&
           cJSON_AddStringToObject(o, "format",
                                   gw_format_name(gw_extract_format(x))) &&
           cJSON_AddNumberToObject(o, "pages",
                                   (double)gw_extract_page_count(x));
  for (size_t i = 0; ok && i < gw_extract_paragraph_count(x); i++) {
    cJSON *p = paragraph_json(text, gw_extract_paragraph_at(x, i));
    ok = p && cJSON_AddItemToArray(paragraphs, p);
    if (!ok) cJSON_Delete(p);
  }
  if (ok && cJSON_AddItemToObject(o, "paragraphs", paragraphs)) return o;
  cJSON_Delete(paragraphs);
  cJSON_Delete(o);
  return NULL;
}

static int load(gw_cli *cli, const char *path, gw_extract **x) {
  gw_error err;
  memset(&err, 0, sizeof err);
  int rc = gw_extract_load_file(x, strcmp(path, GW_CLI_STDIN) == 0
                                       ? "/dev/stdin"
                                       : path,
                                NULL, &err);
  if (rc == GW_OK) {
    cli->loaded++;
    return 0;
  }
  if (!err.message[0])
    snprintf(err.message, sizeof err.message, "%s: %s", path,
             gw_strerror(rc));
  return gw_cli_add_failure(cli, path, err.message) < 0 ? -1 : 1;
}

static int run(gw_cli *cli, int json) {
  cJSON *files = json ? cJSON_CreateArray() : NULL;
  if (json && !files) return -1;
  for (size_t i = 0; i < cli->input_count; i++) {
    gw_extract *x = NULL;
    int rc = load(cli, cli->inputs[i].path, &x);
    if (rc < 0) break;
    if (rc > 0) continue;
    if (json) {
      cJSON *f = file_json(cli->inputs[i].path, x);
      if (!f || !cJSON_AddItemToArray(files, f)) {
        cJSON_Delete(f);
        gw_extract_free(x);
        cJSON_Delete(files);
        return -1;
      }
    } else {
      size_t len;
      const char *text = gw_extract_text(x, &len);
      fwrite(text, 1, len, stdout);
    }
    gw_extract_free(x);
  }
  if (!json) return 0;
  cJSON *root = cJSON_CreateObject();
  cJSON *errors = gw_cli_failures_json(cli);
  int ok = root && errors && cJSON_AddItemToObject(root, "files", files);
  if (!ok) cJSON_Delete(files);
  ok = ok && cJSON_AddItemToObject(root, "errors", errors);
  if (!ok && root) cJSON_Delete(errors);
  int rc = ok ? gw_cli_print_json(root, 1) : -1;
  cJSON_Delete(root);
  return rc;
}

int main(int argc, char **argv) {
  gw_cli cli;
  gw_cli_init(&cli, "gw-extract");
  static const struct option options[] = {
      {"format", required_argument, NULL, 'f'},
      {"list", required_argument, NULL, 'l'},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {NULL, 0, NULL, 0}};
  int json = 0, c;
  const char *list_path = NULL;
  while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
    switch (c) {
    case 'f':
      if (strcmp(optarg, "json") == 0) json = 1;
      else if (strcmp(optarg, "text") == 0) json = 0;
      else {
        int rc = gw_cli_usage_error(&cli, "unknown format '%s'", optarg);
        gw_cli_free(&cli);
        return rc;
      }
      break;
    case 'l': list_path = optarg; break;
    case 'h':
      fputs(usage_text, stdout);
      gw_cli_free(&cli);
      return GW_EXIT_OK;
    case 'V':
      printf("gw-extract (gongwen) %s\n", gw_version());
      gw_cli_free(&cli);
      return GW_EXIT_OK;
    default: gw_cli_free(&cli); return GW_EXIT_FAILURE;
    }
  }
  int rc = gw_cli_collect(&cli, argv + optind, (size_t)(argc - optind),
                          list_path);
  if (rc == 0) rc = run(&cli, json);
  int exit_code = rc < 0 ? GW_EXIT_FAILURE : gw_cli_finish(&cli);
  gw_cli_free(&cli);
  return exit_code;
}
