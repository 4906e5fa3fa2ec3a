/* input.c — reading gw-report's input (see input.h): a JSON file, stdin,
 * or the JSON of the gw-dups it runs over files and folders; JSON Lines
 * gathered into one object; gw-archive check's records put in gw-dups's
 * shape, so that the rest of gw-report reads one shape. */
#include "input.h"

#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "records.h"

extern char **environ;

static int is_directory(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The gw-dups beside this executable (the build tree and an installed prefix
 * alike), else the one on PATH. */
static char *sibling_gw_dups(void) {
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash && (size_t)(slash - exe) + sizeof "/gw-dups" <= sizeof exe) {
      strcpy(slash, "/gw-dups");
      if (access(exe, X_OK) == 0) return strdup(exe);
    }
  }
  return strdup("gw-dups");
}

/* Runs gw-dups over the inputs with its default parameters and keeps its
 * JSON: the report of a folder in one command.  The options of ours that
 * change what gw-dups finds go to it too: --meta (units and years, so that
 * copying from a unit's own earlier report is counted apart as self-copy),
 * --encoding and --replace-invalid (which files it can read).  gw-dups's
 * diagnostics go to our stderr as they come. */
static int run_gw_dups(gw_cli *cli, char **inputs, size_t n, const report_config *cfg,
                       buffer *out) {
  enum { MAX_PASSED = 6 }; /* --compact, --meta FILE, --encoding ENC, --replace-invalid */
  char *program = sibling_gw_dups();
  char **args = calloc(n + MAX_PASSED + 2, sizeof *args);
  int pipe_fd[2] = {-1, -1};
  int rc = -1;
  if (!program || !args || pipe(pipe_fd) != 0) goto done;
  size_t k = 0;
  args[k++] = program;
  args[k++] = "--compact";
  if (cfg->meta) {
    args[k++] = "--meta";
    args[k++] = (char *)cfg->meta;
  }
  if (cfg->document.encoding != GW_ENCODING_AUTO) {
    args[k++] = "--encoding";
    args[k++] = (char *)gw_encoding_name(cfg->document.encoding);
  }
  if (cfg->document.replace_invalid) args[k++] = "--replace-invalid";
  for (size_t i = 0; i < n; i++) args[k++] = inputs[i];
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fd[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fd[0]);
  pid_t pid;
  int spawn_error = posix_spawnp(&pid, program, &actions, NULL, args, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fd[1]);
  pipe_fd[1] = -1;
  if (spawn_error) {
    gw_cli_error(cli, "cannot run %s: %s", program, strerror(spawn_error));
    goto done;
  }
  FILE *f = fdopen(pipe_fd[0], "rb");
  if (f) pipe_fd[0] = -1;
  int read_error = !f || buffer_read_stream(f, out);
  if (f) fclose(f);
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  /* gw-dups exits 1 when some inputs were bad: its JSON lists them. */
  if (read_error || !WIFEXITED(status) || WEXITSTATUS(status) > 1)
    gw_cli_error(cli, "%s failed", program);
  else
    rc = 0;
done:
  if (pipe_fd[0] >= 0) close(pipe_fd[0]);
  if (pipe_fd[1] >= 0) close(pipe_fd[1]);
  free(args);
  free(program);
  return rc;
}

/* gw-dups's output (or gw-archive check's) as one object: its JSON, or its
 * JSON Lines gathered into the same shape. */
static cJSON *parse_dups(const char *text) {
  cJSON *whole = cJSON_Parse(text);
  if (whole) {
    if (cJSON_IsObject(whole) && cJSON_HasObjectItem(whole, "record")) {
      cJSON_Delete(whole); /* one JSON Lines record alone */
    } else {
      return cJSON_IsObject(whole) ? whole : (cJSON_Delete(whole), NULL);
    }
  }
  static const char *const kinds[][2] = {
      {"document", "documents"}, {"pair", "pairs"}, {"cluster", "clusters"},
      {"family", "families"}, {"error", "errors"}};
  cJSON *root = cJSON_CreateObject();
  for (const char *line = text; root && *line;) {
    const char *end = strchr(line, '\n');
    size_t len = end ? (size_t)(end - line) : strlen(line);
    char *copy = strndup(line, len);
    cJSON *record = copy ? cJSON_Parse(copy) : NULL;
    free(copy);
    line += len + (end != NULL);
    if (len == 0) continue;
    const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(record, "record"));
    if (!kind) {
      cJSON_Delete(record);
      cJSON_Delete(root);
      return NULL;
    }
    /* one object each: gw-dups's parameters, gw-archive check's archive */
    const char *single = strcmp(kind, "parameters") == 0 ? "parameters"
                       : strcmp(kind, "archive") == 0 ? "archive" : NULL;
    const char *key = NULL;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
      if (strcmp(kind, kinds[k][0]) == 0) key = kinds[k][1];
    cJSON_DeleteItemFromObject(record, "record"); /* frees kind */
    if (single) {
      cJSON_AddItemToObject(root, single, record);
      continue;
    }
    if (!key) { /* a record kind this version does not know */
      cJSON_Delete(record);
      continue;
    }
    cJSON *array = cJSON_GetObjectItem(root, key);
    if (!array) array = cJSON_AddArrayToObject(root, key);
    cJSON_AddItemToArray(array, record);
  }
  return root;
}

/* ---- gw-archive check's JSON ---- */

typedef struct source_order {
  double characters;
  size_t at; /* its place in the input: equal counts keep their order */
  cJSON *item;
} source_order;

static int by_characters(const void *a, const void *b) {
  const source_order *x = a, *y = b;
  if (x->characters != y->characters) return x->characters > y->characters ? -1 : 1;
  return x->at < y->at ? -1 : x->at > y->at;
}

/* A document record of gw-archive check in gw-dups's shape: its
 * self_sources (its own unit's reports) and sources (other units') as one
 * list of sources by characters, each keeping its relation; the largest
 * the largest_source; and self_copy, the largest share copied from one
 * report of its own unit from an earlier year (relation self_earlier), 0
 * when none, with that report as self_source.  The largest share and not
 * a sum: two earlier reports of a unit often hold the same text. */
static int adopt_archive_document(cJSON *record) {
  cJSON *self = cJSON_DetachItemFromObjectCaseSensitive(record, "self_sources");
  cJSON *others = cJSON_DetachItemFromObjectCaseSensitive(record, "sources");
  size_t n = (size_t)cJSON_GetArraySize(self) + (size_t)cJSON_GetArraySize(others);
  source_order *order = malloc((n + 1) * sizeof *order);
  cJSON *merged = cJSON_CreateArray();
  int rc = !order || !merged ? -1 : 0;
  size_t k = 0;
  const cJSON *best = NULL;
  cJSON *lists[] = {self, others};
  for (size_t l = 0; l < 2 && !rc; l++) {
    cJSON *list = lists[l];
    while (list && list->child) {
      cJSON *item = cJSON_DetachItemViaPointer(list, list->child);
      order[k] = (source_order){number_of(item, "characters"), k, item};
      k++;
      const char *relation = cJSON_GetStringValue(cJSON_GetObjectItem(item, "relation"));
      if (relation && strcmp(relation, "self_earlier") == 0 &&
          (!best || number_of(item, "share") > number_of(best, "share")))
        best = item;
    }
  }
  if (!rc) qsort(order, k, sizeof *order, by_characters);
  for (size_t i = 0; i < k; i++) {
    if (!rc) cJSON_AddItemToArray(merged, order[i].item);
    else cJSON_Delete(order[i].item);
  }
  cJSON_Delete(self);
  cJSON_Delete(others);
  free(order);
  if (rc) {
    cJSON_Delete(merged);
    return -1;
  }
  cJSON_AddItemToObject(record, "sources", merged);
  cJSON *largest = k ? cJSON_Duplicate(cJSON_GetArrayItem(merged, 0), 1) : cJSON_CreateNull();
  cJSON_AddItemToObject(record, "largest_source", largest);
  cJSON_AddNumberToObject(record, "self_copy", best ? number_of(best, "share") : 0);
  const char *self_path = best ? cJSON_GetStringValue(cJSON_GetObjectItem(best, "path")) : NULL;
  cJSON_AddItemToObject(record, "self_source",
                        self_path ? cJSON_CreateString(self_path) : cJSON_CreateNull());
  return largest && cJSON_GetObjectItem(record, "self_source") ? 0 : -1;
}

/* gw-archive check's JSON (it has an "archive" member) in the shape of
 * gw-dups's: each document's sources as above, and the archive's record
 * (path, generation, candidates, template_min...) as the parameters. */
static int adopt_archive_check(cJSON *input) {
  const cJSON *archive = cJSON_GetObjectItem(input, "archive");
  if (!archive) return 0;
  cJSON *d;
  cJSON_ArrayForEach(d, cJSON_GetObjectItem(input, "documents"))
    if (adopt_archive_document(d)) return -1;
  if (!cJSON_HasObjectItem(input, "parameters")) {
    cJSON *parameters = cJSON_Duplicate(archive, 1);
    if (!parameters || !cJSON_AddItemToObject(input, "parameters", parameters)) {
      cJSON_Delete(parameters);
      return -1;
    }
  }
  return 0;
}

/* The input: gw-dups's JSON from a file or stdin, or gw-dups run over files
 * and folders. */
int input_read(gw_cli *cli, char **args, size_t n, buffer *in, report_config *cfg) {
  int analyse = n > 1;
  for (size_t i = 0; i < n && !analyse; i++) analyse = is_directory(args[i]);
  if (!analyse && n == 1 && strcmp(args[0], GW_CLI_STDIN) != 0) {
    /* one file: gw-dups's JSON, or a report to analyse alone */
    FILE *f = fopen(args[0], "rb");
    if (!f) {
      gw_cli_error(cli, "%s: %s", args[0], strerror(errno));
      return -1;
    }
    int rc = buffer_read_stream(f, in);
    fclose(f);
    if (rc) {
      gw_cli_error(cli, "%s: cannot read", args[0]);
      return -1;
    }
    size_t i = 0;
    while (i < in->len && (in->data[i] == ' ' || in->data[i] == '\n' || in->data[i] == '\r' || in->data[i] == '\t')) i++;
    if (i < in->len && in->data[i] == '{') {
      const char *slash = strrchr(args[0], '/');
      cfg->input_dir = slash ? strndup(args[0], (size_t)(slash - args[0]) + (slash == args[0])) : NULL;
      return 0;
    }
    in->len = 0;
    analyse = 1;
  }
  if (analyse) return run_gw_dups(cli, args, n, cfg, in);
  if (buffer_read_stream(stdin, in)) {
    gw_cli_error(cli, "stdin: cannot read");
    return -1;
  }
  return 0;
}

int input_parse(gw_cli *cli, const char *text, cJSON **out) {
  *out = parse_dups(text);
  if (!*out) {
    gw_cli_error(cli, "the input is not the JSON of gw-dups, gw-archive check or gw-gap");
    return -1;
  }
  if (adopt_archive_check(*out) != 0) {
    gw_cli_error(cli, "out of memory");
    return -1;
  }
  return 0;
}
