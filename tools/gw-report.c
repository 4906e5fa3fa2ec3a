/* gw-report — the inspector's report: gw-dups's JSON (or gw-archive
 * check's) and the original files it names turned into one self-contained
 * HTML file (inline CSS and
 * JavaScript, the data embedded as JSON, no network) and the unit ranking as
 * CSV beside it.
 *
 * The tool does the work that needs the files: it reads each original
 * (whatever its encoding), keeps its text as written (punctuation and line
 * breaks; CR LF shown as one line break) and turns every byte offset of the
 * JSON into an index into that text as the browser counts it (UTF-16 code
 * units) plus a line number.  The page's script only draws.  Same input,
 * same bytes: nothing depends on the clock unless --timestamp is given. */
#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "gongwen.h"
#include "options.h"
#include "report_template.h"

extern char **environ;

typedef struct report_config {
  gw_document_options document;
  const char *output;    /* NULL: stdout */
  const char *csv;       /* NULL: beside output */
  const char *root;      /* relative document paths resolve here */
  char *input_dir;       /* the JSON file's folder: tried when root is not
                            given and a path is not found from here */
  const char *meta;      /* TSV: path, unit, year, title */
  const char *title;
  int format_json;       /* print the data model, not the page */
  int compact;           /* ... on one line, as the page embeds it */
  int no_csv;
  int timestamp;
} report_config;

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
      "year; the archive's reports are sources, not ranked.\n"
      "\n"
      "Exit status: 0 report written; 1 written, but some originals could not be\n"
      "read (their text is missing from the page and they are listed); 2 usage\n"
      "error or no report.\n"};
  return gw_opt_parse(cli, &table, argc, argv, first);
}

/* ---- Reading the input ---- */

typedef struct buffer {
  char *data;
  size_t len, cap;
} buffer;

static int buffer_add(buffer *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n + 1) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) return -1;
    b->data = p;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
  return 0;
}

static int buffer_adds(buffer *b, const char *s) { return buffer_add(b, s, strlen(s)); }

static int read_stream(FILE *f, buffer *b) {
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    if (buffer_add(b, chunk, n)) return -1;
  if (!b->data && buffer_add(b, "", 0)) return -1;
  return ferror(f) ? -1 : 0;
}

static double number_of(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItem(o, key);
  return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

/* A count or byte offset of the input: out-of-range values are clamped, as
 * converting them to size_t would be undefined. */
static size_t size_of(const cJSON *o, const char *key) {
  double v = number_of(o, key);
  if (!(v > 0)) return 0;
  return v >= 9007199254740992.0 ? (size_t)9007199254740992ull : (size_t)v;
}

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
 * JSON: the report of a folder in one command.  gw-dups's diagnostics go
 * to our stderr as they come. */
static int run_gw_dups(gw_cli *cli, char **inputs, size_t n, buffer *out) {
  char *program = sibling_gw_dups();
  char **args = calloc(n + 3, sizeof *args);
  int pipe_fd[2] = {-1, -1};
  int rc = -1;
  if (!program || !args || pipe(pipe_fd) != 0) goto done;
  args[0] = program;
  args[1] = "--compact";
  for (size_t i = 0; i < n; i++) args[i + 2] = inputs[i];
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
  int read_error = !f || read_stream(f, out);
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

/* ---- Documents ---- */

typedef struct report_doc {
  char *path;        /* as gw-dups names it */
  const cJSON *record; /* its record in the input, NULL if only named */
  int is_base;       /* a base document (gw-dups --base): not a report */
  int is_archived;   /* an earlier report from gw-archive's archive: a
                        source, not one of the batch's reports */
  char *unit, *title;
  int year;
  char *error;       /* why its original is missing, NULL if read */
  /* its text as shown: UTF-8, BOM dropped, CR LF and CR as LF */
  char *text;
  size_t text_len;
  /* at every character boundary: the original byte offset and the index in
   * the shown text in UTF-16 code units (the browser's string index) */
  size_t *bound_original;
  size_t *bound_utf16;
  size_t bound_count;
  size_t *line_starts; /* UTF-16 index of each line's start */
  size_t line_count;
  size_t copy_passages, longest_passage;
} report_doc;

typedef struct report {
  report_doc *docs;
  size_t doc_count, doc_cap;
  struct path_entry { const char *path; size_t doc; } *by_path; /* sorted by
                                                                    path */
  size_t unreadable;
} report;

/* The first entry of by_path not before path. */
static size_t path_position(const report *r, const char *path) {
  size_t lo = 0, hi = r->doc_count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(r->by_path[mid].path, path) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

static long find_doc(const report *r, const char *path) {
  if (!path) return -1;
  size_t at = path_position(r, path);
  return at < r->doc_count && strcmp(r->by_path[at].path, path) == 0 ? (long)r->by_path[at].doc : -1;
}

/* The document named path, added if new.  -1 when out of memory or path
 * is NULL (a record without it). */
static long doc_index(report *r, const char *path, const cJSON *record) {
  if (!path) return -1;
  long found = find_doc(r, path);
  if (found >= 0) {
    if (record && !r->docs[found].record) r->docs[found].record = record;
    return found;
  }
  if (r->doc_count == r->doc_cap) {
    size_t cap = r->doc_cap ? 2 * r->doc_cap : 64;
    report_doc *docs = realloc(r->docs, cap * sizeof *docs);
    if (!docs) return -1;
    r->docs = docs;
    struct path_entry *by_path = realloc(r->by_path, cap * sizeof *by_path);
    if (!by_path) return -1;
    r->by_path = by_path;
    r->doc_cap = cap;
  }
  report_doc *d = &r->docs[r->doc_count];
  memset(d, 0, sizeof *d);
  d->path = strdup(path);
  if (!d->path) return -1;
  d->record = record;
  size_t at = path_position(r, path);
  memmove(r->by_path + at + 1, r->by_path + at, (r->doc_count - at) * sizeof *r->by_path);
  r->by_path[at].path = d->path;
  r->by_path[at].doc = r->doc_count;
  return (long)r->doc_count++;
}

/* A document as gw-dups names it (its path) or as gw-archive check does
 * (an object: path, unit, year, from). */
static const char *ref_path(const cJSON *ref) {
  return cJSON_IsObject(ref) ? cJSON_GetStringValue(cJSON_GetObjectItem(ref, "path"))
                             : cJSON_GetStringValue(ref);
}

/* What a reference says of its document: gw-archive check names its unit,
 * year and whether it comes from the archive (or is a base document)
 * wherever it names it: the archive's documents have no record of their
 * own.  --meta, read later, has the last word. */
static int note_ref(report *r, long doc, const cJSON *ref) {
  if (doc < 0 || !cJSON_IsObject(ref)) return 0;
  report_doc *d = &r->docs[doc];
  const char *unit = cJSON_GetStringValue(cJSON_GetObjectItem(ref, "unit"));
  if (unit && unit[0] && !d->unit && !(d->unit = strdup(unit))) return -1;
  int year = (int)number_of(ref, "year");
  if (!d->year && year > 0) d->year = year;
  const char *from = cJSON_GetStringValue(cJSON_GetObjectItem(ref, "from"));
  if (from && strcmp(from, "archive") == 0) d->is_archived = 1;
  if (from && strcmp(from, "base") == 0) d->is_base = 1; /* check --base */
  return 0;
}

static void report_free(report *r) {
  for (size_t i = 0; i < r->doc_count; i++) {
    report_doc *d = &r->docs[i];
    free(d->path);
    free(d->unit);
    free(d->title);
    free(d->error);
    free(d->text);
    free(d->bound_original);
    free(d->bound_utf16);
    free(d->line_starts);
  }
  free(r->docs);
  free(r->by_path);
}

static size_t utf8_length(unsigned char lead) {
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

/* The shown text of a loaded document with its boundary and line tables. */
static int build_text(report_doc *d, const gw_document *doc) {
  size_t len;
  const char *text = gw_document_text(doc, &len);
  d->text = malloc(len + 1);
  d->bound_original = malloc((len + 1) * sizeof *d->bound_original);
  d->bound_utf16 = malloc((len + 1) * sizeof *d->bound_utf16);
  d->line_starts = malloc((len + 1) * sizeof *d->line_starts);
  if (!d->text || !d->bound_original || !d->bound_utf16 || !d->line_starts) return -1;
  size_t out = 0, utf16 = 0;
  d->line_starts[d->line_count++] = 0;
  for (size_t t = 0; t <= len;) {
    d->bound_original[d->bound_count] = gw_document_text_to_original(doc, t);
    d->bound_utf16[d->bound_count++] = utf16;
    if (t == len) break;
    size_t n = utf8_length((unsigned char)text[t]);
    if (t + n > len) n = len - t;
    if (text[t] == '\r' && t + 1 < len && text[t + 1] == '\n') {
      t++; /* the LF that follows stands for both */
      continue;
    }
    if (text[t] == '\r' || text[t] == '\n') {
      d->text[out++] = '\n';
      utf16++;
      d->line_starts[d->line_count++] = utf16;
    } else {
      memcpy(d->text + out, text + t, n);
      out += n;
      utf16 += n == 4 ? 2 : 1;
    }
    t += n;
  }
  d->text[out] = '\0';
  d->text_len = out;
  return 0;
}

/* How many of the sorted values are <= value. */
static size_t count_at_most(const size_t *sorted, size_t n, size_t value) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* The shown-text index of an original byte offset: a start snaps back to the
 * boundary at or before it, an end forward to the one at or after it, so
 * that a character is covered whole. */
static size_t to_utf16(const report_doc *d, size_t offset, int is_end) {
  size_t below = count_at_most(d->bound_original, d->bound_count, offset);
  size_t at = below ? below - 1 : 0;
  if (is_end && d->bound_original[at] < offset && at + 1 < d->bound_count) at++;
  return d->bound_utf16[at];
}

/* 1-based line of a shown-text index. */
static size_t line_of(const report_doc *d, size_t utf16) {
  return count_at_most(d->line_starts, d->line_count, utf16);
}

/* The first line with text, trimmed, at most 40 characters. */
static char *first_line(const report_doc *d) {
  const char *s = d->text;
  while (*s == '\n' || *s == ' ' || *s == '\t') s++;
  const char *end = s;
  size_t chars = 0;
  while (*end && *end != '\n' && chars < 40) {
    end += utf8_length((unsigned char)*end);
    chars++;
  }
  while (end > s && (end[-1] == ' ' || end[-1] == '\t')) end--;
  return strndup(s, (size_t)(end - s));
}

static char *join_path(const char *root, const char *path) {
  if (!root || path[0] == '/') return strdup(path);
  size_t n = strlen(root) + strlen(path) + 2;
  char *out = malloc(n);
  if (out) snprintf(out, n, "%s/%s", root, path);
  return out;
}

/* Where gw-dups ran is unknown: its paths are tried from --root, else from
 * the current folder, then from the JSON file's folder. */
static int load_document(const report_doc *d, const report_config *cfg, gw_document **doc,
                         gw_error *err, char **file) {
  *file = join_path(cfg->root, d->path);
  if (!*file) return GW_ENOMEM;
  int rc = gw_document_load_file(doc, *file, &cfg->document, err);
  if (rc != GW_EIO || cfg->root || !cfg->input_dir || d->path[0] == '/') return rc;
  char *other = join_path(cfg->input_dir, d->path);
  gw_error other_err;
  if (other && gw_document_load_file(doc, other, &cfg->document, &other_err) == 0) {
    free(*file);
    *file = other;
    return 0;
  }
  free(other);
  return rc;
}

/* Diagnostics for the first few unreadable originals, then a count. */
enum { REPORTED_UNREADABLE = 10 };

static int load_originals(gw_cli *cli, report *r, const report_config *cfg) {
  for (size_t i = 0; i < r->doc_count; i++) {
    report_doc *d = &r->docs[i];
    char *file = NULL;
    gw_document *doc = NULL;
    gw_error err;
    memset(&err, 0, sizeof err);
    if (strcmp(d->path, GW_CLI_STDIN) == 0) {
      d->error = strdup("read from stdin: the text is not available");
    } else if (load_document(d, cfg, &doc, &err, &file) != 0) {
      if (!file) return -1;
      d->error = strdup(err.message[0] ? err.message : "cannot be read");
    } else if (build_text(d, doc) != 0) {
      gw_document_free(doc);
      free(file);
      return -1;
    }
    if (d->error && ++r->unreadable <= REPORTED_UNREADABLE) {
      /* a gw_error message names the file already */
      if (strncmp(d->error, file, strlen(file)) == 0) gw_cli_error(cli, "%s", d->error);
      else gw_cli_error(cli, "%s: %s", d->path, d->error);
    } else if (!d->error) {
      if (!d->year) d->year = (int)number_of(d->record, "year");
      if (!d->year) d->year = gw_document_year(doc);
      if (!d->title) d->title = first_line(d);
    }
    gw_document_free(doc);
    free(file);
  }
  if (r->unreadable > REPORTED_UNREADABLE)
    gw_cli_error(cli, "%zu more originals could not be read (--root DIR names the folder "
                 "gw-dups ran in)", r->unreadable - REPORTED_UNREADABLE);
  return 0;
}

/* ---- Units, years and titles ---- */

static char *folder_name(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return strdup(".");
  const char *start = slash;
  while (start > path && start[-1] != '/') start--;
  return strndup(start, (size_t)(slash - start));
}

static char *file_stem(const char *path) {
  const char *slash = strrchr(path, '/');
  const char *name = slash ? slash + 1 : path;
  const char *dot = strrchr(name, '.');
  return strndup(name, dot && dot != name ? (size_t)(dot - name) : strlen(name));
}

/* Units the meta file did not give: the folder's name when the reports lie in
 * several folders (one folder per unit), else the file's name. */
static int default_units(report *r) {
  int several = 0;
  char *first = r->doc_count ? folder_name(r->docs[0].path) : NULL;
  for (size_t i = 1; i < r->doc_count && first && !several; i++) {
    char *f = folder_name(r->docs[i].path);
    if (!f) break;
    several = strcmp(f, first) != 0;
    free(f);
  }
  free(first);
  for (size_t i = 0; i < r->doc_count; i++) {
    report_doc *d = &r->docs[i];
    if (d->unit) continue;
    d->unit = several ? folder_name(d->path) : file_stem(d->path);
    if (!d->unit) return -1;
  }
  return 0;
}

/* --meta, read by the library (gw_meta_load_file: path TAB unit TAB year TAB
 * title, '#' lines, a header row, "./" prefixes): each document's unit,
 * year and title from its row.  Rows naming no document of the report are
 * ignored. */
static int read_meta(gw_cli *cli, report *r, const char *path) {
  gw_meta *meta;
  gw_error err;
  int rc = gw_meta_load_file(&meta, path, &err);
  if (rc == GW_ENOMEM) return GW_ENOMEM;
  if (rc) {
    gw_cli_error(cli, "%s", err.message);
    return GW_EINVAL;
  }
  for (size_t i = 0; i < r->doc_count && rc == 0; i++) {
    const gw_meta_row *row = gw_meta_find(meta, r->docs[i].path);
    if (!row) continue;
    report_doc *d = &r->docs[i];
    if (row->unit[0]) {
      free(d->unit); /* the archive's unit, if any */
      if (!(d->unit = strdup(row->unit))) rc = GW_ENOMEM;
    }
    if (row->year) d->year = row->year;
    if (row->title[0] && !(d->title = strdup(row->title))) rc = GW_ENOMEM;
  }
  gw_meta_free(meta);
  return rc;
}

/* ---- The data model embedded in the page ---- */

/* A number of the input copied as is, or null when it lacks it (an older
 * gw-dups: the page shows a dash). */
static cJSON *copy_number(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItem(o, key);
  return cJSON_IsNumber(v) ? cJSON_CreateNumber(v->valuedouble) : cJSON_CreateNull();
}

static cJSON *range_json(const report_doc *d, const cJSON *range, size_t *line) {
  size_t start = size_of(range, "start");
  size_t end = size_of(range, "end");
  *line = 0;
  if (!d->text) return cJSON_CreateNull();
  size_t s = to_utf16(d, start, 0), e = to_utf16(d, end, 1);
  if (e < s) e = s; /* an inverted range is empty */
  *line = line_of(d, s);
  cJSON *out = cJSON_CreateArray();
  cJSON_AddItemToArray(out, cJSON_CreateNumber((double)s));
  cJSON_AddItemToArray(out, cJSON_CreateNumber((double)e));
  return out;
}

static cJSON *line_json(size_t line) {
  return line ? cJSON_CreateNumber((double)line) : cJSON_CreateNull();
}

static int is_copy(const cJSON *passage) {
  const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(passage, "kind"));
  return kind && strcmp(kind, "copy") == 0;
}

static void count_passage(report_doc *d, size_t characters) {
  d->copy_passages++;
  if (characters > d->longest_passage) d->longest_passage = characters;
}

static cJSON *pairs_json(report *r, const cJSON *pairs, size_t *copy_total) {
  cJSON *out = cJSON_CreateArray();
  const cJSON *pair;
  cJSON_ArrayForEach(pair, pairs) {
    long a = doc_index(r, ref_path(cJSON_GetObjectItem(pair, "a")), NULL);
    long b = doc_index(r, ref_path(cJSON_GetObjectItem(pair, "b")), NULL);
    if (a < 0 || b < 0) continue; /* a record naming no document */
    report_doc *da = &r->docs[a], *db = &r->docs[b];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToArray(out, o);
    cJSON_AddNumberToObject(o, "a", (double)a);
    cJSON_AddNumberToObject(o, "b", (double)b);
    cJSON_AddItemToObject(o, "similarity", copy_number(pair, "similarity"));
    cJSON_AddItemToObject(o, "copied_a", copy_number(pair, "copied_a"));
    cJSON_AddItemToObject(o, "copied_b", copy_number(pair, "copied_b"));
    cJSON *passages = cJSON_AddArrayToObject(o, "passages");
    size_t number = 0;
    const cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItem(pair, "passages")) {
      cJSON *q = cJSON_CreateObject();
      cJSON_AddItemToArray(passages, q);
      const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(p, "kind"));
      size_t characters = size_of(p, "characters");
      cJSON_AddStringToObject(q, "kind", kind ? kind : "copy");
      /* copy passages are numbered, in the input's order (by a's start) */
      cJSON_AddNumberToObject(q, "number", is_copy(p) ? (double)++number : 0);
      size_t line_a, line_b;
      cJSON_AddItemToObject(q, "a", range_json(da, cJSON_GetObjectItem(p, "a"), &line_a));
      cJSON_AddItemToObject(q, "b", range_json(db, cJSON_GetObjectItem(p, "b"), &line_b));
      cJSON_AddItemToObject(q, "line_a", line_json(line_a));
      cJSON_AddItemToObject(q, "line_b", line_json(line_b));
      cJSON_AddNumberToObject(q, "characters", (double)characters);
      cJSON_AddItemToObject(q, "matched", copy_number(p, "matched"));
      /* without an original, its characters are all the page can show */
      const char *text = cJSON_GetStringValue(cJSON_GetObjectItem(p, "text"));
      if ((!da->text || !db->text) && text) cJSON_AddStringToObject(q, "text", text);
      if (is_copy(p)) {
        count_passage(da, characters);
        count_passage(db, characters);
        (*copy_total)++;
      }
    }
  }
  return out;
}

/* Members of clusters and families: a document and a range of it. */
static cJSON *member_json(report *r, const cJSON *m, const cJSON *range) {
  long doc = doc_index(r, cJSON_GetStringValue(cJSON_GetObjectItem(m, "path")), NULL);
  if (doc < 0) return NULL;
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "doc", (double)doc);
  cJSON_AddItemToObject(o, "paragraph", copy_number(m, "paragraph"));
  size_t line;
  cJSON_AddItemToObject(o, "range", range_json(&r->docs[doc], range, &line));
  cJSON_AddItemToObject(o, "line", line_json(line));
  return o;
}

static cJSON *clusters_json(report *r, const cJSON *clusters) {
  cJSON *out = cJSON_CreateArray();
  const cJSON *c;
  cJSON_ArrayForEach(c, clusters) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToArray(out, o);
    cJSON_AddItemToObject(o, "documents", copy_number(c, "documents"));
    cJSON_AddItemToObject(o, "size", copy_number(c, "size"));
    cJSON_AddItemToObject(o, "min_jaccard", copy_number(c, "min_jaccard"));
    cJSON_AddItemToObject(o, "max_jaccard", copy_number(c, "max_jaccard"));
    cJSON *members = cJSON_AddArrayToObject(o, "members");
    const cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItem(c, "members")) {
      cJSON *q = member_json(r, m, m);
      if (!q) break;
      cJSON_AddItemToObject(q, "jaccard", copy_number(m, "jaccard"));
      cJSON_AddItemToObject(q, "containment", copy_number(m, "containment"));
      cJSON_AddItemToArray(members, q);
    }
  }
  return out;
}

/* The member standing for a family: the first from the earliest report
 * (gw-dups's "earliest": {"path", "year"}), else the first. */
static int family_text_member(const cJSON *f, const cJSON *members) {
  const char *earliest = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(f, "earliest"), "path"));
  int k = 0;
  const cJSON *m;
  cJSON_ArrayForEach(m, members) {
    const char *path = cJSON_GetStringValue(cJSON_GetObjectItem(m, "path"));
    if (earliest && path && strcmp(path, earliest) == 0) return k;
    k++;
  }
  return 0;
}

/* Bytes of the shown text from a UTF-16 index (the text is valid UTF-8). */
static size_t shown_byte(const report_doc *d, size_t utf16) {
  size_t i = 0, u = 0;
  while (i < d->text_len && u < utf16) {
    size_t n = utf8_length((unsigned char)d->text[i]);
    u += n == 4 ? 2 : 1;
    i += n;
  }
  return i;
}

/* The family's text as written in the file of the member standing for it,
 * else gw-dups's text of its characters. */
static cJSON *family_text(report *r, const cJSON *f, const cJSON *m) {
  const char *path = cJSON_GetStringValue(cJSON_GetObjectItem(m, "path"));
  long doc = path ? find_doc(r, path) : -1;
  if (doc >= 0 && r->docs[doc].text) {
    const report_doc *d = &r->docs[doc];
    size_t s = shown_byte(d, to_utf16(d, size_of(m, "start"), 0));
    size_t e = shown_byte(d, to_utf16(d, size_of(m, "end"), 1));
    if (e < s) e = s;
    char *text = strndup(d->text + s, e - s);
    cJSON *out = text ? cJSON_CreateString(text) : NULL;
    free(text);
    return out;
  }
  const char *text = cJSON_GetStringValue(cJSON_GetObjectItem(f, "text"));
  return text ? cJSON_CreateString(text) : cJSON_CreateNull();
}

static cJSON *families_json(report *r, const cJSON *families) {
  cJSON *out = cJSON_CreateArray();
  const cJSON *f;
  cJSON_ArrayForEach(f, families) {
    const cJSON *members = cJSON_GetObjectItem(f, "members");
    int stand = family_text_member(f, members);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToArray(out, o);
    cJSON_AddItemToObject(o, "documents", copy_number(f, "documents"));
    cJSON_AddItemToObject(o, "size", copy_number(f, "size"));
    cJSON_AddItemToObject(o, "characters", copy_number(f, "characters"));
    cJSON_AddItemToObject(o, "earliest_year", copy_number(cJSON_GetObjectItem(f, "earliest"), "year"));
    cJSON_AddNumberToObject(o, "text_member", stand);
    cJSON_AddItemToObject(o, "text", family_text(r, f, cJSON_GetArrayItem(members, stand)));
    cJSON *list = cJSON_AddArrayToObject(o, "members");
    const cJSON *m;
    cJSON_ArrayForEach(m, members) {
      cJSON *q = member_json(r, m, m);
      if (!q) break;
      cJSON_AddItemToObject(q, "characters", copy_number(m, "characters"));
      cJSON_AddItemToArray(list, q);
    }
  }
  return out;
}

static cJSON *sources_json(report *r, const cJSON *sources) {
  cJSON *out = cJSON_CreateArray();
  const cJSON *s;
  cJSON_ArrayForEach(s, sources) {
    const char *path = cJSON_GetStringValue(cJSON_GetObjectItem(s, "path"));
    long doc = path ? doc_index(r, path, NULL) : -1;
    if (doc < 0) continue;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "doc", (double)doc);
    cJSON_AddItemToObject(o, "characters", copy_number(s, "characters"));
    cJSON_AddItemToObject(o, "share", copy_number(s, "share"));
    /* gw-archive check's: self_earlier, same_unit, self_later, other_unit */
    const char *relation = cJSON_GetStringValue(cJSON_GetObjectItem(s, "relation"));
    if (relation) cJSON_AddStringToObject(o, "relation", relation);
    cJSON_AddItemToArray(out, o);
  }
  return out;
}

static cJSON *nullable_string(const char *s) {
  return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/* The per-document records; sources[2i] and sources[2i + 1] are document
 * i's sources and base sources, resolved before (taken from the array). */
static cJSON *documents_json(report *r, cJSON **sources) {
  cJSON *out = cJSON_CreateArray();
  for (size_t i = 0; i < r->doc_count; i++) {
    const report_doc *d = &r->docs[i];
    const cJSON *rec = d->record;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToArray(out, o);
    cJSON_AddStringToObject(o, "path", d->path);
    cJSON_AddItemToObject(o, "unit", nullable_string(d->unit));
    cJSON_AddItemToObject(o, "year", d->year ? cJSON_CreateNumber(d->year) : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "title", nullable_string(d->title));
    cJSON_AddBoolToObject(o, "is_base", d->is_base);
    cJSON_AddBoolToObject(o, "is_archived", d->is_archived);
    cJSON_AddItemToObject(o, "characters", copy_number(rec, "characters"));
    cJSON_AddItemToObject(o, "official", copy_number(rec, "official"));
    cJSON_AddItemToObject(o, "base", copy_number(rec, "base"));
    cJSON_AddItemToObject(o, "copied", copy_number(rec, "copied"));
    cJSON_AddItemToObject(o, "copy_ratio", copy_number(rec, "copy_ratio"));
    cJSON_AddItemToObject(o, "template_copied", copy_number(rec, "template_copied"));
    cJSON_AddItemToObject(o, "template_ratio", copy_number(rec, "template_ratio"));
    cJSON_AddItemToObject(o, "few_ratio", copy_number(rec, "few_ratio"));
    /* gw-archive check's records get self_copy above; gw-dups --meta's
     * carry self_ratio, the share copied from the unit's earlier reports. */
    cJSON_AddItemToObject(o, "self_copy", copy_number(rec, cJSON_GetObjectItem(rec, "self_copy")
                                                           ? "self_copy"
                                                           : "self_ratio"));
    const char *self_path = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "self_source"));
    long self_doc = self_path ? find_doc(r, self_path) : -1;
    cJSON_AddItemToObject(o, "self_source", self_doc >= 0 ? cJSON_CreateNumber((double)self_doc)
                                                          : cJSON_CreateNull());
    cJSON *src = sources[2 * i] ? sources[2 * i] : cJSON_CreateArray();
    cJSON *base_src = sources[2 * i + 1] ? sources[2 * i + 1] : cJSON_CreateArray();
    sources[2 * i] = sources[2 * i + 1] = NULL;
    const cJSON *largest = cJSON_GetObjectItem(rec, "largest_source");
    const char *largest_path = cJSON_GetStringValue(cJSON_GetObjectItem(largest, "path"));
    long largest_doc = largest_path ? find_doc(r, largest_path) : -1;
    cJSON_AddItemToObject(o, "largest_source",
                          largest_doc >= 0 ? cJSON_CreateNumber((double)largest_doc) : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "largest_share", largest_doc >= 0 ? copy_number(largest, "share")
                                                               : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "sources_total", copy_number(rec, "sources_total"));
    cJSON_AddItemToObject(o, "sources", src);
    cJSON_AddItemToObject(o, "base_sources", base_src);
    cJSON_AddNumberToObject(o, "passages", (double)d->copy_passages);
    cJSON_AddNumberToObject(o, "longest", (double)d->longest_passage);
    cJSON_AddNumberToObject(o, "lines", (double)(d->text ? d->line_count : 0));
    cJSON_AddItemToObject(o, "error", nullable_string(d->error));
    cJSON_AddItemToObject(o, "text", nullable_string(d->text));
  }
  return out;
}

static cJSON *summary_json(const cJSON *docs, size_t pairs, size_t passages,
                           size_t families, size_t clusters, size_t errors) {
  double characters = 0, copied = 0;
  size_t over30 = 0, over50 = 0, reports = 0, base = 0, archived = 0;
  const cJSON *d;
  cJSON_ArrayForEach(d, docs) {
    if (cJSON_IsTrue(cJSON_GetObjectItem(d, "is_base"))) { /* not a report */
      base++;
      continue;
    }
    if (cJSON_IsTrue(cJSON_GetObjectItem(d, "is_archived"))) { /* not this batch's */
      archived++;
      continue;
    }
    reports++;
    characters += number_of(d, "characters");
    copied += number_of(d, "copied");
    double ratio = number_of(d, "copy_ratio");
    over30 += ratio >= 0.3;
    over50 += ratio >= 0.5;
  }
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "documents", (double)reports);
  cJSON_AddNumberToObject(o, "base_documents", (double)base);
  cJSON_AddNumberToObject(o, "archived_documents", (double)archived);
  cJSON_AddNumberToObject(o, "characters", characters);
  cJSON_AddNumberToObject(o, "copied", copied);
  cJSON_AddNumberToObject(o, "over_30", (double)over30);
  cJSON_AddNumberToObject(o, "over_50", (double)over50);
  cJSON_AddNumberToObject(o, "pairs", (double)pairs);
  cJSON_AddNumberToObject(o, "passages", (double)passages);
  cJSON_AddNumberToObject(o, "families", (double)families);
  cJSON_AddNumberToObject(o, "clusters", (double)clusters);
  cJSON_AddNumberToObject(o, "errors", (double)errors);
  return o;
}

static cJSON *errors_json(const report *r, const cJSON *input_errors) {
  cJSON *out = input_errors ? cJSON_Duplicate(input_errors, 1) : cJSON_CreateArray();
  for (size_t i = 0; out && i < r->doc_count; i++) {
    if (!r->docs[i].error) continue;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "path", r->docs[i].path);
    cJSON_AddStringToObject(o, "error", r->docs[i].error);
    cJSON_AddItemToArray(out, o);
  }
  return out;
}

static int register_path(report *r, const cJSON *o, const char *key) {
  const cJSON *ref = key ? cJSON_GetObjectItem(o, key) : o;
  const char *path = ref_path(ref);
  if (!path) return 0;
  long doc = doc_index(r, path, NULL);
  return doc < 0 || note_ref(r, doc, ref) ? -1 : 0;
}

static int register_members(report *r, const cJSON *groups) {
  const cJSON *g, *m;
  cJSON_ArrayForEach(g, groups) {
    cJSON_ArrayForEach(m, cJSON_GetObjectItem(g, "members"))
      if (register_path(r, m, NULL)) return -1;
  }
  return 0;
}

/* Every document the input names, in a fixed order: its documents, then
 * ones named only as a source, in a pair, family or cluster (their
 * originals are read too). */
static int register_documents(report *r, const cJSON *dups) {
  const cJSON *d, *s;
  cJSON_ArrayForEach(d, cJSON_GetObjectItem(dups, "documents")) {
    const char *path = cJSON_GetStringValue(cJSON_GetObjectItem(d, "path"));
    if (!path) continue;
    long doc = doc_index(r, path, d);
    if (doc < 0 || note_ref(r, doc, d)) return -1;
  }
  cJSON_ArrayForEach(d, cJSON_GetObjectItem(dups, "documents")) {
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(d, "sources"))
      if (register_path(r, s, NULL)) return -1;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(d, "base_sources"))
      if (register_path(r, s, NULL)) return -1;
  }
  cJSON_ArrayForEach(d, cJSON_GetObjectItem(cJSON_GetObjectItem(dups, "parameters"), "base")) {
    const char *path = cJSON_GetStringValue(d);
    if (path && doc_index(r, path, NULL) < 0) return -1;
  }
  cJSON_ArrayForEach(d, cJSON_GetObjectItem(dups, "pairs"))
    if (register_path(r, d, "a") || register_path(r, d, "b")) return -1;
  if (register_path(r, dups, "draft")) return -1; /* gw-gap's JSON */
  return register_members(r, cJSON_GetObjectItem(dups, "families")) ||
         register_members(r, cJSON_GetObjectItem(dups, "clusters"));
}

/* ---- The draft view: gw-gap's JSON ---- */

/* Broken or outdated formulations of the draft, each with its range in the
 * shown text and its line; the other keys as gw-gap gives them. */
static cJSON *findings_json(const report_doc *d, const cJSON *findings) {
  cJSON *out = cJSON_CreateArray();
  const cJSON *f;
  cJSON_ArrayForEach(f, findings) {
    cJSON *o = cJSON_Duplicate(f, 1);
    size_t line;
    cJSON_DeleteItemFromObject(o, "start");
    cJSON_DeleteItemFromObject(o, "end");
    cJSON_AddItemToObject(o, "range", range_json(d, f, &line));
    cJSON_AddItemToObject(o, "line", line_json(line));
    cJSON_AddItemToArray(out, o);
  }
  return out;
}

/* What a draft lacks and gets wrong (gw-gap): the terms missing with their
 * example sentences as gw-gap quotes them, its broken and outdated
 * formulations marked in its text. */
static cJSON *gap_json(report *r, const cJSON *gap) {
  const char *draft = cJSON_GetStringValue(cJSON_GetObjectItem(gap, "draft"));
  long doc = draft ? find_doc(r, draft) : -1;
  if (doc < 0) return cJSON_CreateNull();
  const report_doc *d = &r->docs[doc];
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "draft", (double)doc);
  cJSON_AddItemToObject(o, "year", copy_number(gap, "year"));
  cJSON_AddItemToObject(o, "references", copy_number(gap, "references"));
  cJSON_AddItemToObject(o, "min_share", copy_number(gap, "min_share"));
  static const char *const as_is[] = {"missing", "unique"};
  for (size_t k = 0; k < 2; k++) {
    const cJSON *v = cJSON_GetObjectItem(gap, as_is[k]);
    cJSON_AddItemToObject(o, as_is[k], v ? cJSON_Duplicate(v, 1) : cJSON_CreateArray());
  }
  cJSON_AddItemToObject(o, "broken", findings_json(d, cJSON_GetObjectItem(gap, "broken")));
  cJSON_AddItemToObject(o, "outdated", findings_json(d, cJSON_GetObjectItem(gap, "outdated")));
  return o;
}

/* Everything the page shows, in a fixed key order, into *out.  Returns 0,
 * GW_ENOMEM (not reported), or GW_EINVAL after the error was reported (a
 * bad --meta file, named with its line). */
static int build_model(cJSON **out, gw_cli *cli, report *r, cJSON *dups,
                       const report_config *cfg) {
  *out = NULL;
  if (adopt_archive_check(dups) != 0 || register_documents(r, dups) != 0)
    return GW_ENOMEM;
  const cJSON *base;
  cJSON_ArrayForEach(base, cJSON_GetObjectItem(cJSON_GetObjectItem(dups, "parameters"), "base")) {
    long doc = cJSON_IsString(base) ? find_doc(r, base->valuestring) : -1;
    if (doc >= 0) r->docs[doc].is_base = 1;
  }
  cJSON **sources = calloc(2 * r->doc_count + 1, sizeof *sources);
  if (!sources) return GW_ENOMEM;
  for (size_t i = 0; i < r->doc_count; i++) {
    sources[2 * i] = sources_json(r, cJSON_GetObjectItem(r->docs[i].record, "sources"));
    sources[2 * i + 1] = sources_json(r, cJSON_GetObjectItem(r->docs[i].record, "base_sources"));
  }
  cJSON *model = NULL;
  int rc = cfg->meta ? read_meta(cli, r, cfg->meta) : 0;
  if (!rc && (load_originals(cli, r, cfg) != 0 || default_units(r) != 0)) rc = GW_ENOMEM;
  if (rc) goto done;
  size_t copy_passages = 0;
  cJSON *pairs = pairs_json(r, cJSON_GetObjectItem(dups, "pairs"), &copy_passages);
  cJSON *families = families_json(r, cJSON_GetObjectItem(dups, "families"));
  cJSON *clusters = clusters_json(r, cJSON_GetObjectItem(dups, "clusters"));
  cJSON *documents = documents_json(r, sources);
  cJSON *errors = errors_json(r, cJSON_GetObjectItem(dups, "errors"));
  model = cJSON_CreateObject();
  cJSON_AddNumberToObject(model, "format", 1);
  cJSON_AddStringToObject(model, "generator", "gw-report");
  cJSON_AddStringToObject(model, "title", cfg->title ? cfg->title : "复制检测报告");
  if (cfg->timestamp) {
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", gmtime_r(&now, &tm));
    cJSON_AddStringToObject(model, "generated", when);
  } else {
    cJSON_AddNullToObject(model, "generated");
  }
  /* JSON Lines carry no empty arrays: a gw-dups that finds families says so
   * in its parameters */
  int has_families = cJSON_HasObjectItem(dups, "families") ||
      cJSON_HasObjectItem(dups, "archive") || /* gw-archive check finds families */
      cJSON_HasObjectItem(cJSON_GetObjectItem(dups, "parameters"), "family_min_documents");
  cJSON_AddItemToObject(model, "has_families", cJSON_CreateBool(has_families));
  const cJSON *parameters = cJSON_GetObjectItem(dups, "parameters");
  cJSON_AddItemToObject(model, "parameters",
                        parameters ? cJSON_Duplicate(parameters, 1) : cJSON_CreateObject());
  cJSON_AddItemToObject(model, "summary",
                        summary_json(documents, (size_t)cJSON_GetArraySize(pairs), copy_passages,
                                     (size_t)cJSON_GetArraySize(families),
                                     (size_t)cJSON_GetArraySize(clusters),
                                     (size_t)cJSON_GetArraySize(errors)));
  cJSON_AddItemToObject(model, "documents", documents);
  cJSON_AddItemToObject(model, "pairs", pairs);
  cJSON_AddItemToObject(model, "families", families);
  cJSON_AddItemToObject(model, "clusters", clusters);
  cJSON_AddItemToObject(model, "errors", errors);
  cJSON_AddItemToObject(model, "gap", cJSON_HasObjectItem(dups, "draft") ? gap_json(r, dups)
                                                                          : cJSON_CreateNull());
done:
  for (size_t i = 0; i < 2 * r->doc_count; i++) cJSON_Delete(sources[i]);
  free(sources);
  *out = model;
  return rc ? rc : model ? 0 : GW_ENOMEM;
}

/* ---- Writing ---- */

/* JSON inside <script>: '<' only occurs inside strings, where \u003c reads
 * the same, so "</script>" and "<!--" in a report cannot end the block. */
static int write_script_json(FILE *out, const char *json) {
  for (const char *p = json; *p; p++) {
    if (*p == '<' ? fputs("\\u003c", out) == EOF : putc(*p, out) == EOF) return -1;
  }
  return 0;
}

/* One JSON value a line: the page splits the block on line breaks and
 * parses a line when a view needs it (cJSON escapes every line break inside
 * a string). */
static int write_value_lines(FILE *out, const cJSON *values) {
  const cJSON *value;
  cJSON_ArrayForEach(value, values) {
    char *json = cJSON_PrintUnformatted(value);
    int rc = !json || write_script_json(out, json) || putc('\n', out) == EOF;
    cJSON_free(json);
    if (rc) return -1;
  }
  return 0;
}

/* What the page reads late, after its script, each in a block of its own
 * (id gw-late-KEY): the first view is drawn before the browser has parsed
 * them, and they are 80-90 % of a report's bytes.  A key of every element
 * of an array of the model (one line per element: null where it has
 * none), or an array of the model itself (one line per element). */
static const struct late_part {
  const char *array, *key;
} late_parts[] = {
    {"documents", "text"},   {"documents", "sources"}, {"documents", "base_sources"},
    {"pairs", "passages"},   {"clusters", NULL},
};

/* Takes a late part out of the model, as an array of its lines' values. */
static cJSON *take_late_part(cJSON *model, const struct late_part *part) {
  if (!part->key) {
    cJSON *whole = cJSON_DetachItemFromObjectCaseSensitive(model, part->array);
    return whole ? whole : cJSON_CreateArray();
  }
  cJSON *out = cJSON_CreateArray();
  cJSON *item;
  cJSON_ArrayForEach(item, cJSON_GetObjectItem(model, part->array)) {
    cJSON *value = cJSON_DetachItemFromObjectCaseSensitive(item, part->key);
    if (!out || !cJSON_AddItemToArray(out, value ? value : cJSON_CreateNull())) {
      cJSON_Delete(value);
      cJSON_Delete(out);
      return NULL;
    }
  }
  return out;
}

/* ---- Tables: the page's arrays of records without their keys repeated ---- */

static int same_keys(const cJSON *a, const cJSON *b) {
  const cJSON *x = a->child, *y = b->child;
  for (; x && y; x = x->next, y = y->next)
    if (strcmp(x->string, y->string) != 0) return 0;
  return !x && !y;
}

/* An array of objects that all have the same keys in the same order, as
 * {"keys": [KEY...], "rows": [[VALUE...]...]}: a report's documents,
 * pairs, passages and sources would repeat every key name in every
 * element (a third of the first view's bytes).  Any other array stays as
 * it is; the page reads both.  Returns the table (the array emptied into
 * it), array itself, or NULL when out of memory. */
static cJSON *as_table(cJSON *array) {
  const cJSON *first = cJSON_IsArray(array) ? array->child : NULL;
  if (!first || !cJSON_IsObject(first) || !first->child) return array;
  for (const cJSON *e = first; e; e = e->next)
    if (!cJSON_IsObject(e) || !same_keys(first, e)) return array;
  cJSON *table = cJSON_CreateObject();
  cJSON *keys = cJSON_AddArrayToObject(table, "keys");
  cJSON *rows = cJSON_AddArrayToObject(table, "rows");
  int ok = rows != NULL;
  for (const cJSON *k = first->child; ok && k; k = k->next)
    ok = cJSON_AddItemToArray(keys, cJSON_CreateString(k->string));
  for (cJSON *e = array->child; ok && e; e = e->next) {
    cJSON *row = cJSON_CreateArray();
    ok = cJSON_AddItemToArray(rows, row);
    while (ok && e->child) ok = cJSON_AddItemToArray(row, cJSON_DetachItemViaPointer(e, e->child));
  }
  if (ok) return table;
  cJSON_Delete(table);
  return NULL;
}

/* object[key] as a table, if it makes one. */
static int table_member(cJSON *object, const char *key) {
  cJSON *array = cJSON_GetObjectItemCaseSensitive(object, key);
  if (!array) return 0;
  cJSON *table = as_table(array);
  if (!table) return -1;
  return table == array || cJSON_ReplaceItemInObjectCaseSensitive(object, key, table) ? 0 : -1;
}

/* Each element of array that is an array, as a table; with key, each
 * element's member key instead. */
static int table_elements(cJSON *array, const char *key) {
  cJSON *e = cJSON_IsArray(array) ? array->child : NULL;
  while (e) {
    cJSON *next = e->next;
    if (key) {
      if (table_member(e, key)) return -1;
    } else {
      cJSON *table = as_table(e);
      if (!table || (table != e && !cJSON_ReplaceItemViaPointer(array, e, table))) return -1;
    }
    e = next;
  }
  return 0;
}

/* The template with its slots filled, in their order in report.html (each
 * a line of its own): the style, the data the first view needs, the script,
 * then the late parts.  The model is taken apart; its large arrays of
 * records are written as tables (as_table). */
static int write_page(FILE *out, const void *model_to_take_apart) {
  cJSON *model = (cJSON *)model_to_take_apart;
  enum { LATE = sizeof late_parts / sizeof *late_parts };
  cJSON *late[LATE] = {0};
  int rc = 0;
  for (size_t k = 0; k < LATE && !rc; k++) rc = !(late[k] = take_late_part(model, &late_parts[k]));
  /* documents, pairs, families and their members; each line's sources,
   * base sources and passages; each cluster's members */
  rc = rc || table_elements(cJSON_GetObjectItem(model, "families"), "members") ||
       table_member(model, "documents") || table_member(model, "pairs") ||
       table_member(model, "families");
  for (size_t k = 0; k < LATE && !rc; k++) {
    if (strcmp(late_parts[k].array, "clusters") == 0) rc = table_elements(late[k], "members");
    else if (strcmp(late_parts[k].key, "text") != 0) rc = table_elements(late[k], NULL);
  }
  char *json = rc ? NULL : cJSON_PrintUnformatted(model);
  const char *page = gw_report_template_html;
  const char *slots[] = {"@CSS@", "@DATA@", "@JS@", "@LATE@"};
  for (size_t k = 0; k < sizeof slots / sizeof *slots && json && !rc; k++) {
    const char *at = strstr(page, slots[k]);
    if (!at || fwrite(page, 1, (size_t)(at - page), out) != (size_t)(at - page)) {
      rc = -1;
      break;
    }
    if (k == 0) rc = fputs(gw_report_template_css, out) == EOF;
    if (k == 1) rc = write_script_json(out, json);
    if (k == 2) rc = fputs(gw_report_template_js, out) == EOF;
    for (size_t i = 0; k == 3 && i < LATE && !rc; i++) {
      const char *key = late_parts[i].key ? late_parts[i].key : late_parts[i].array;
      rc = fprintf(out, "%s<script id=\"gw-late-%s\" type=\"application/x-ndjson\">\n",
                   i ? "\n" : "", key) < 0 ||
           write_value_lines(out, late[i]) || fputs("</script>", out) == EOF;
    }
    page = at + strlen(slots[k]);
  }
  if (!json || (!rc && fputs(page, out) == EOF)) rc = -1;
  cJSON_free(json);
  for (size_t k = 0; k < LATE; k++) cJSON_Delete(late[k]);
  return rc ? -1 : 0;
}

static int csv_field(buffer *b, const char *s) {
  if (!strpbrk(s, ",\"\r\n")) return buffer_adds(b, s);
  int rc = buffer_adds(b, "\"");
  for (; *s && !rc; s++) rc = *s == '"' ? buffer_adds(b, "\"\"") : buffer_add(b, s, 1);
  return rc || buffer_adds(b, "\"");
}

static int csv_number(buffer *b, const cJSON *v, int percent) {
  char text[64] = "";
  if (cJSON_IsNumber(v)) {
    if (percent) snprintf(text, sizeof text, "%.1f%%", v->valuedouble * 100.0);
    else snprintf(text, sizeof text, "%.0f", v->valuedouble);
  }
  return buffer_adds(b, text);
}

typedef struct ranked {
  double ratio;
  int doc;
} ranked;

static int ratio_order(const void *a, const void *b) {
  const ranked *x = a, *y = b;
  if (x->ratio != y->ratio) return x->ratio > y->ratio ? -1 : 1;
  return x->doc - y->doc;
}

/* The ranking as the page shows it first (复制比 descending, base documents
 * left out), for Excel: UTF-8 with a BOM, CR LF line ends. */
static int build_csv(const cJSON *model, buffer *b) {
  const cJSON *docs = cJSON_GetObjectItem(model, "documents");
  int n = cJSON_GetArraySize(docs);
  ranked *order = malloc(((size_t)n + 1) * sizeof *order);
  if (!order) return -1;
  for (int i = 0; i < n; i++) {
    order[i].ratio = number_of(cJSON_GetArrayItem(docs, i), "copy_ratio");
    order[i].doc = i;
  }
  qsort(order, (size_t)n, sizeof *order, ratio_order);
  int rc = buffer_adds(b, "\xEF\xBB\xBF" "单位,年份,文件,标题,字数,复制字数,复制比,模板复制比,"
                          "少数来源复制比,本单位往年复制比,最大来源,最大来源占比,复制段落数,最长段落字数\r\n");
  for (int k = 0; k < n && !rc; k++) {
    const cJSON *d = cJSON_GetArrayItem(docs, order[k].doc);
    if (cJSON_IsTrue(cJSON_GetObjectItem(d, "is_base")) ||
        cJSON_IsTrue(cJSON_GetObjectItem(d, "is_archived")))
      continue; /* not a report of this batch */
    const cJSON *largest = cJSON_GetObjectItem(d, "largest_source");
    const char *largest_path = cJSON_IsNumber(largest)
        ? cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(docs, largest->valueint), "path"))
        : "";
    const char *unit = cJSON_GetStringValue(cJSON_GetObjectItem(d, "unit"));
    const char *title = cJSON_GetStringValue(cJSON_GetObjectItem(d, "title"));
    rc = csv_field(b, unit ? unit : "") || buffer_adds(b, ",") ||
         (cJSON_IsNumber(cJSON_GetObjectItem(d, "year")) ? csv_number(b, cJSON_GetObjectItem(d, "year"), 0) : 0) ||
         buffer_adds(b, ",") ||
         csv_field(b, cJSON_GetStringValue(cJSON_GetObjectItem(d, "path"))) || buffer_adds(b, ",") ||
         csv_field(b, title ? title : "") || buffer_adds(b, ",") ||
         csv_number(b, cJSON_GetObjectItem(d, "characters"), 0) || buffer_adds(b, ",") ||
         csv_number(b, cJSON_GetObjectItem(d, "copied"), 0) || buffer_adds(b, ",") ||
         csv_number(b, cJSON_GetObjectItem(d, "copy_ratio"), 1) || buffer_adds(b, ",") ||
         csv_number(b, cJSON_GetObjectItem(d, "template_ratio"), 1) || buffer_adds(b, ",") ||
         csv_number(b, cJSON_GetObjectItem(d, "few_ratio"), 1) || buffer_adds(b, ",") ||
         csv_number(b, cJSON_GetObjectItem(d, "self_copy"), 1) || buffer_adds(b, ",") ||
         csv_field(b, largest_path ? largest_path : "") || buffer_adds(b, ",") ||
         csv_number(b, cJSON_GetObjectItem(d, "largest_share"), 1) || buffer_adds(b, ",") ||
         csv_number(b, cJSON_GetObjectItem(d, "passages"), 0) || buffer_adds(b, ",") ||
         csv_number(b, cJSON_GetObjectItem(d, "longest"), 0) || buffer_adds(b, "\r\n");
  }
  free(order);
  return rc;
}

/* report.html -> report.csv; anything else gets .csv appended. */
static char *csv_beside(const char *html) {
  size_t n = strlen(html);
  const char *dot = strrchr(html, '.');
  const char *slash = strrchr(html, '/');
  if (dot && (!slash || dot > slash) && (strcmp(dot, ".html") == 0 || strcmp(dot, ".htm") == 0))
    n = (size_t)(dot - html);
  char *out = malloc(n + 5);
  if (out) {
    memcpy(out, html, n);
    memcpy(out + n, ".csv", 5);
  }
  return out;
}

static int write_file(gw_cli *cli, const char *path, const void *data, size_t len,
                      int (*writer)(FILE *, const void *)) {
  FILE *f = path ? fopen(path, "wb") : stdout;
  if (!f) {
    gw_cli_error(cli, "%s: %s", path, strerror(errno));
    return -1;
  }
  int rc = writer ? writer(f, data) : (fwrite(data, 1, len, f) == len ? 0 : -1);
  if (fflush(f) != 0) rc = -1;
  if (path && fclose(f) != 0) rc = -1;
  if (rc) gw_cli_error(cli, "%s: cannot write", path ? path : "stdout");
  return rc;
}

static int write_json_text(FILE *f, const void *json) {
  return fputs(json, f) == EOF || putc('\n', f) == EOF ? -1 : 0;
}

/* The input: gw-dups's JSON from a file or stdin, or gw-dups run over files
 * and folders. */
static int read_input(gw_cli *cli, char **args, size_t n, buffer *in, report_config *cfg) {
  int analyse = n > 1;
  for (size_t i = 0; i < n && !analyse; i++) analyse = is_directory(args[i]);
  if (!analyse && n == 1 && strcmp(args[0], GW_CLI_STDIN) != 0) {
    /* one file: gw-dups's JSON, or a report to analyse alone */
    FILE *f = fopen(args[0], "rb");
    if (!f) {
      gw_cli_error(cli, "%s: %s", args[0], strerror(errno));
      return -1;
    }
    int rc = read_stream(f, in);
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
  if (analyse) return run_gw_dups(cli, args, n, in);
  if (read_stream(stdin, in)) {
    gw_cli_error(cli, "stdin: cannot read");
    return -1;
  }
  return 0;
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
  cJSON *dups = NULL, *model = NULL;
  char *json = NULL, *csv_path = NULL;
  buffer csv = {0};
  char *stdin_arg[] = {GW_CLI_STDIN};
  char **args = first < argc ? argv + first : stdin_arg;
  size_t n_args = first < argc ? (size_t)(argc - first) : 1;
  if (read_input(&cli, args, n_args, &in, &cfg) != 0) goto done;
  if (!(dups = parse_dups(in.data))) {
    gw_cli_error(&cli, "the input is not the JSON of gw-dups, gw-archive check or gw-gap");
    goto done;
  }
  int model_rc = build_model(&model, &cli, &r, dups, &cfg);
  if (model_rc) {
    if (model_rc == GW_ENOMEM) gw_cli_error(&cli, "out of memory");
    goto done;
  }
  if (cfg.format_json) {
    if (!(json = cfg.compact ? cJSON_PrintUnformatted(model) : cJSON_Print(model))) {
      gw_cli_error(&cli, "out of memory");
      goto done;
    }
    if (write_file(&cli, cfg.output, json, 0, write_json_text)) goto done;
  } else {
    /* a draft check has no ranking to export */
    int has_ranking = !cJSON_IsObject(cJSON_GetObjectItem(model, "gap"));
    csv_path = !has_ranking ? NULL : cfg.csv ? strdup(cfg.csv)
             : cfg.output && !cfg.no_csv ? csv_beside(cfg.output) : NULL;
    if (csv_path && !cfg.no_csv && build_csv(model, &csv)) {
      gw_cli_error(&cli, "out of memory");
      goto done;
    }
    /* the page takes the model apart: the CSV is made first */
    if (write_file(&cli, cfg.output, model, 0, write_page)) goto done;
    if (csv_path && !cfg.no_csv && write_file(&cli, csv_path, csv.data, csv.len, NULL)) goto done;
  }
  code = r.unreadable ? GW_EXIT_SOME_BAD : GW_EXIT_OK;
done:
  free(csv.data);
  free(csv_path);
  free(cfg.input_dir);
  cJSON_free(json);
  cJSON_Delete(model);
  cJSON_Delete(dups);
  free(in.data);
  report_free(&r);
  gw_cli_free(&cli);
  return code;
}
