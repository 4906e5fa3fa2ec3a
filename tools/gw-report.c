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

#include <cjson/cJSON.h>

#include "cli.h"
#include "gongwen.h"
#include "json_writer.h"
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
  gw_meta *meta_rows;    /* meta read, before anything is run or written */
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
  long self_source;  /* the earlier report of its unit it copies most
                        from, -1 if none (or units unknown) */
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
static int read_meta(report *r, const gw_meta *meta) {
  int rc = 0;
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
  return rc;
}

/* ---- The data model, written as it goes ---- */

/* The page's data is written straight from the input's records and the
 * documents' texts, never built as a tree first: one writer per kind of
 * record, and each writes a record three ways, as an object (key and
 * value), as a table's row (values only) or as the table's keys, so that a
 * table's keys and its rows cannot disagree. */
typedef enum record_mode { AS_OBJECT, AS_ROW, AS_KEYS } record_mode;

typedef struct record_out {
  gw_json *w;
  record_mode mode;
  int tables;     /* arrays of records inside as tables (the page) */
  int leave_late; /* the late parts left out (the page's gw-data) */
} record_out;

/* Starts a member: nonzero when its value is to be written next. */
static int field(record_out *o, const char *key) {
  if (o->mode == AS_KEYS) {
    gw_json_string(o->w, key);
    return 0;
  }
  if (o->mode == AS_OBJECT) gw_json_key(o->w, key);
  return 1;
}

/* A number of the input as it is, or null when it lacks it (an older
 * gw-dups: the page shows a dash). */
static void write_number_of(gw_json *w, const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItem(o, key);
  if (cJSON_IsNumber(v)) gw_json_number(w, v->valuedouble);
  else gw_json_null(w);
}

static void write_string_or_null(gw_json *w, const char *s) {
  if (s) gw_json_string(w, s);
  else gw_json_null(w);
}

static void write_index_or_null(gw_json *w, long doc) {
  if (doc >= 0) gw_json_number(w, (double)doc);
  else gw_json_null(w);
}

/* A value of the input as it is (gw-dups's parameters, gw-gap's lists). */
static void write_input_value(gw_json *w, const cJSON *v) {
  if (cJSON_IsObject(v)) {
    gw_json_object_begin(w);
    for (const cJSON *c = v->child; c; c = c->next) {
      gw_json_key(w, c->string ? c->string : "");
      write_input_value(w, c);
    }
    gw_json_object_end(w);
  } else if (cJSON_IsArray(v)) {
    gw_json_array_begin(w);
    for (const cJSON *c = v->child; c; c = c->next) write_input_value(w, c);
    gw_json_array_end(w);
  } else if (cJSON_IsNumber(v)) {
    gw_json_number(w, v->valuedouble);
  } else if (cJSON_IsString(v)) {
    gw_json_string(w, v->valuestring);
  } else if (cJSON_IsBool(v)) {
    gw_json_bool(w, cJSON_IsTrue(v));
  } else {
    gw_json_null(w);
  }
}

/* A range of the input's byte offsets in the shown text, and the line it
 * starts on; unknown without the original. */
typedef struct shown_range {
  int known;
  size_t start, end, line;
} shown_range;

static shown_range shown_range_of(const report_doc *d, const cJSON *range) {
  shown_range s = {0, 0, 0, 0};
  if (!d->text) return s;
  s.known = 1;
  s.start = to_utf16(d, size_of(range, "start"), 0);
  s.end = to_utf16(d, size_of(range, "end"), 1);
  if (s.end < s.start) s.end = s.start; /* an inverted range is empty */
  s.line = line_of(d, s.start);
  return s;
}

static void write_range(gw_json *w, const shown_range *s) {
  if (!s->known) {
    gw_json_null(w);
    return;
  }
  gw_json_array_begin(w);
  gw_json_number(w, (double)s->start);
  gw_json_number(w, (double)s->end);
  gw_json_array_end(w);
}

static void write_line(gw_json *w, size_t line) {
  if (line) gw_json_number(w, (double)line);
  else gw_json_null(w);
}

/* A kind of record that comes as an array of the input. */
typedef struct list_kind {
  /* 1: write the item, 0: leave it out, -1: end the list before it */
  int (*accept)(void *ctx, const cJSON *item);
  /* which optional keys the item has: a table needs the same in every row */
  int (*variant)(void *ctx, const cJSON *item);
  void (*write)(record_out *o, void *ctx, const cJSON *item);
} list_kind;

static int accepted(const list_kind *kind, void *ctx, const cJSON *item) {
  return kind->accept ? kind->accept(ctx, item) : 1;
}

/* The items of array that kind accepts, as an array of objects, or with
 * o->tables as a table, {"keys": [KEY...], "rows": [[VALUE...]...]}, when
 * they all have the same keys: a report's documents, pairs, passages and
 * sources would repeat every key name in every element (a third of the
 * first view's bytes).  The page reads both. */
static void write_list(const record_out *parent, const list_kind *kind, void *ctx,
                       const cJSON *array) {
  record_out o = *parent;
  gw_json *w = o.w;
  const cJSON *first = NULL, *item;
  int same_keys = 1, first_variant = 0;
  for (item = cJSON_IsArray(array) ? array->child : NULL; o.tables && item; item = item->next) {
    int take = accepted(kind, ctx, item);
    if (take < 0) break;
    if (!take) continue;
    int variant = kind->variant ? kind->variant(ctx, item) : 0;
    if (!first) {
      first = item;
      first_variant = variant;
    } else if (variant != first_variant) {
      same_keys = 0;
      break;
    }
  }
  int as_table = o.tables && first && same_keys;
  if (as_table) {
    gw_json_object_begin(w);
    gw_json_key(w, "keys");
    gw_json_array_begin(w);
    o.mode = AS_KEYS;
    kind->write(&o, ctx, first);
    gw_json_array_end(w);
    gw_json_key(w, "rows");
  }
  gw_json_array_begin(w);
  o.mode = as_table ? AS_ROW : AS_OBJECT;
  for (item = cJSON_IsArray(array) ? array->child : NULL; item; item = item->next) {
    int take = accepted(kind, ctx, item);
    if (take < 0) break;
    if (!take) continue;
    if (as_table) gw_json_array_begin(w);
    else gw_json_object_begin(w);
    kind->write(&o, ctx, item);
    if (as_table) gw_json_array_end(w);
    else gw_json_object_end(w);
  }
  gw_json_array_end(w);
  if (as_table) gw_json_object_end(w);
}

static int is_copy(const cJSON *passage) {
  const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(passage, "kind"));
  return kind && strcmp(kind, "copy") == 0;
}

/* ---- Sources ---- */

static long source_doc(const report *r, const cJSON *s) {
  const char *path = cJSON_GetStringValue(cJSON_GetObjectItem(s, "path"));
  return path ? find_doc(r, path) : -1;
}

static int source_accept(void *ctx, const cJSON *s) { return source_doc(ctx, s) >= 0; }

/* gw-archive check's sources say what they are to the report */
static int source_variant(void *ctx, const cJSON *s) {
  (void)ctx;
  return cJSON_IsString(cJSON_GetObjectItem(s, "relation"));
}

static void write_source(record_out *o, void *ctx, const cJSON *s) {
  if (field(o, "doc")) gw_json_number(o->w, (double)source_doc(ctx, s));
  if (field(o, "characters")) write_number_of(o->w, s, "characters");
  if (field(o, "share")) write_number_of(o->w, s, "share");
  /* self_earlier, same_unit, self_later, other_unit */
  if (source_variant(ctx, s) && field(o, "relation"))
    gw_json_string(o->w, cJSON_GetStringValue(cJSON_GetObjectItem(s, "relation")));
}

static const list_kind source_kind = {source_accept, source_variant, write_source};

/* ---- Pairs and their passages ---- */

typedef struct pair_docs {
  long a, b;
} pair_docs;

static pair_docs pair_docs_of(const report *r, const cJSON *pair) {
  pair_docs p = {find_doc(r, ref_path(cJSON_GetObjectItem(pair, "a"))),
                 find_doc(r, ref_path(cJSON_GetObjectItem(pair, "b")))};
  return p;
}

/* a record naming no document is left out */
static int pair_accept(void *ctx, const cJSON *pair) {
  pair_docs p = pair_docs_of(ctx, pair);
  return p.a >= 0 && p.b >= 0;
}

typedef struct passage_ctx {
  const report_doc *a, *b;
  size_t number; /* copy passages so far */
} passage_ctx;

/* Without an original, a passage's characters are all the page can show. */
static const char *passage_text(const passage_ctx *c, const cJSON *p) {
  if (c->a->text && c->b->text) return NULL;
  return cJSON_GetStringValue(cJSON_GetObjectItem(p, "text"));
}

static int passage_variant(void *ctx, const cJSON *p) { return passage_text(ctx, p) != NULL; }

static void write_passage(record_out *o, void *ctx, const cJSON *p) {
  passage_ctx *c = ctx;
  gw_json *w = o->w;
  const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(p, "kind"));
  shown_range a = shown_range_of(c->a, cJSON_GetObjectItem(p, "a"));
  shown_range b = shown_range_of(c->b, cJSON_GetObjectItem(p, "b"));
  if (field(o, "kind")) gw_json_string(w, kind ? kind : "copy");
  /* copy passages are numbered, in the input's order (by a's start) */
  if (field(o, "number")) gw_json_number(w, is_copy(p) ? (double)++c->number : 0);
  if (field(o, "a")) write_range(w, &a);
  if (field(o, "b")) write_range(w, &b);
  if (field(o, "line_a")) write_line(w, a.line);
  if (field(o, "line_b")) write_line(w, b.line);
  if (field(o, "characters")) gw_json_number(w, (double)size_of(p, "characters"));
  if (field(o, "matched")) write_number_of(w, p, "matched");
  const char *text = passage_text(c, p);
  if (text && field(o, "text")) gw_json_string(w, text);
}

static const list_kind passage_kind = {NULL, passage_variant, write_passage};

static void write_passages(const record_out *o, const report *r, const cJSON *pair) {
  pair_docs docs = pair_docs_of(r, pair);
  passage_ctx c = {&r->docs[docs.a], &r->docs[docs.b], 0};
  write_list(o, &passage_kind, &c, cJSON_GetObjectItem(pair, "passages"));
}

static void write_pair(record_out *o, void *ctx, const cJSON *pair) {
  const report *r = ctx;
  pair_docs docs = pair_docs_of(r, pair);
  if (field(o, "a")) gw_json_number(o->w, (double)docs.a);
  if (field(o, "b")) gw_json_number(o->w, (double)docs.b);
  if (field(o, "similarity")) write_number_of(o->w, pair, "similarity");
  if (field(o, "copied_a")) write_number_of(o->w, pair, "copied_a");
  if (field(o, "copied_b")) write_number_of(o->w, pair, "copied_b");
  if (!o->leave_late && field(o, "passages")) write_passages(o, r, pair);
}

static const list_kind pair_kind = {pair_accept, NULL, write_pair};

/* Copy passages per document and in all, for the documents' records and
 * the summary, which come before the pairs. */
static void count_passages(report *r, const cJSON *pairs, size_t *pair_count,
                           size_t *copy_total) {
  const cJSON *pair, *p;
  cJSON_ArrayForEach(pair, pairs) {
    if (!pair_accept(r, pair)) continue;
    (*pair_count)++;
    pair_docs docs = pair_docs_of(r, pair);
    cJSON_ArrayForEach(p, cJSON_GetObjectItem(pair, "passages")) {
      if (!is_copy(p)) continue;
      size_t characters = size_of(p, "characters");
      long both[2] = {docs.a, docs.b};
      for (size_t k = 0; k < 2; k++) {
        report_doc *d = &r->docs[both[k]];
        d->copy_passages++;
        if (characters > d->longest_passage) d->longest_passage = characters;
      }
      (*copy_total)++;
    }
  }
}

/* ---- Families and clusters ---- */

typedef struct member_ctx {
  const report *r;
  int of_family; /* else of a cluster */
} member_ctx;

static long member_doc(const report *r, const cJSON *m) {
  const char *path = cJSON_GetStringValue(cJSON_GetObjectItem(m, "path"));
  return path ? find_doc(r, path) : -1;
}

/* a member naming no document ends the list */
static int member_accept(void *ctx, const cJSON *m) {
  return member_doc(((const member_ctx *)ctx)->r, m) >= 0 ? 1 : -1;
}

static void write_member(record_out *o, void *ctx, const cJSON *m) {
  const member_ctx *c = ctx;
  long doc = member_doc(c->r, m);
  shown_range range = shown_range_of(&c->r->docs[doc], m);
  if (field(o, "doc")) gw_json_number(o->w, (double)doc);
  if (field(o, "paragraph")) write_number_of(o->w, m, "paragraph");
  if (field(o, "range")) write_range(o->w, &range);
  if (field(o, "line")) write_line(o->w, range.line);
  if (c->of_family) {
    if (field(o, "characters")) write_number_of(o->w, m, "characters");
  } else {
    if (field(o, "jaccard")) write_number_of(o->w, m, "jaccard");
    if (field(o, "containment")) write_number_of(o->w, m, "containment");
  }
}

static const list_kind member_kind = {member_accept, NULL, write_member};

static void write_cluster(record_out *o, void *ctx, const cJSON *c) {
  if (field(o, "documents")) write_number_of(o->w, c, "documents");
  if (field(o, "size")) write_number_of(o->w, c, "size");
  if (field(o, "min_jaccard")) write_number_of(o->w, c, "min_jaccard");
  if (field(o, "max_jaccard")) write_number_of(o->w, c, "max_jaccard");
  member_ctx members = {ctx, 0};
  if (field(o, "members")) write_list(o, &member_kind, &members, cJSON_GetObjectItem(c, "members"));
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
static void write_family_text(gw_json *w, const report *r, const cJSON *f, const cJSON *m) {
  long doc = member_doc(r, m);
  if (doc >= 0 && r->docs[doc].text) {
    const report_doc *d = &r->docs[doc];
    size_t s = shown_byte(d, to_utf16(d, size_of(m, "start"), 0));
    size_t e = shown_byte(d, to_utf16(d, size_of(m, "end"), 1));
    gw_json_string_n(w, d->text + s, e < s ? 0 : strnlen(d->text + s, e - s));
    return;
  }
  write_string_or_null(w, cJSON_GetStringValue(cJSON_GetObjectItem(f, "text")));
}

static void write_family(record_out *o, void *ctx, const cJSON *f) {
  const report *r = ctx;
  const cJSON *members = cJSON_GetObjectItem(f, "members");
  int stand = family_text_member(f, members);
  if (field(o, "documents")) write_number_of(o->w, f, "documents");
  if (field(o, "size")) write_number_of(o->w, f, "size");
  if (field(o, "characters")) write_number_of(o->w, f, "characters");
  if (field(o, "earliest_year")) write_number_of(o->w, cJSON_GetObjectItem(f, "earliest"), "year");
  if (field(o, "text_member")) gw_json_number(o->w, stand);
  if (field(o, "text")) write_family_text(o->w, r, f, cJSON_GetArrayItem(members, stand));
  member_ctx c = {r, 1};
  if (field(o, "members")) write_list(o, &member_kind, &c, members);
}

static const list_kind family_kind = {NULL, NULL, write_family};
static const list_kind cluster_kind = {NULL, NULL, write_cluster};

/* ---- Documents ---- */

/* gw-archive check's records get self_copy (adopt_archive_document);
 * gw-dups --meta's carry self_ratio, the share copied from the unit's
 * earlier reports.  gw-dups writes self_ratio 0 also when it knows no
 * unit for the report (no --meta, or no row for it): that is no figure
 * (null, a dash on the page), not "nothing copied". */
static const cJSON *self_copy_of(const cJSON *rec) {
  const cJSON *v = cJSON_GetObjectItem(rec, "self_copy");
  if (v) return v;
  const cJSON *unit = cJSON_GetObjectItem(rec, "unit");
  return !unit || cJSON_IsString(unit) ? cJSON_GetObjectItem(rec, "self_ratio") : NULL;
}

/* A gw-dups --meta record's own unit and year (as gw-dups counted them). */
static int unit_and_year(const cJSON *rec, const char **unit, double *year) {
  *unit = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "unit"));
  *year = number_of(rec, "year");
  return *unit && *year > 0;
}

/* For gw-dups --meta's records, which give self_ratio but not the report
 * it comes from: the source of the same unit from an earlier year with
 * the largest share, so that the page links the self-copy figure to that
 * pair as it does with gw-archive check's self_source. */
static void find_self_sources(report *r) {
  for (size_t i = 0; i < r->doc_count; i++) {
    report_doc *d = &r->docs[i];
    const char *unit, *source_unit;
    double year, source_year, best_share = -1;
    d->self_source = -1;
    if (cJSON_GetObjectItem(d->record, "self_source") || !unit_and_year(d->record, &unit, &year))
      continue;
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(d->record, "sources")) {
      long doc = source_doc(r, s);
      double share = number_of(s, "share");
      if (doc < 0 || !unit_and_year(r->docs[doc].record, &source_unit, &source_year) ||
          strcmp(unit, source_unit) != 0 || source_year >= year || share <= best_share)
        continue;
      best_share = share;
      d->self_source = doc;
    }
  }
}

/* The document a record names as its largest source, -1 if none. */
static long largest_source(const report *r, const cJSON *rec, const cJSON **largest) {
  *largest = cJSON_GetObjectItem(rec, "largest_source");
  const char *path = cJSON_GetStringValue(cJSON_GetObjectItem(*largest, "path"));
  return path ? find_doc(r, path) : -1;
}

static void write_document(record_out *o, const report *r, size_t i) {
  const report_doc *d = &r->docs[i];
  const cJSON *rec = d->record;
  gw_json *w = o->w;
  if (field(o, "path")) gw_json_string(w, d->path);
  if (field(o, "unit")) write_string_or_null(w, d->unit);
  if (field(o, "year")) write_index_or_null(w, d->year ? d->year : -1);
  if (field(o, "title")) write_string_or_null(w, d->title);
  if (field(o, "is_base")) gw_json_bool(w, d->is_base);
  if (field(o, "is_archived")) gw_json_bool(w, d->is_archived);
  static const char *const figures[] = {"characters", "official", "base", "copied", "copy_ratio",
                                        "template_copied", "template_ratio", "few_ratio"};
  for (size_t k = 0; k < sizeof figures / sizeof *figures; k++)
    if (field(o, figures[k])) write_number_of(w, rec, figures[k]);
  const cJSON *self_copy = self_copy_of(rec);
  if (field(o, "self_copy")) {
    if (cJSON_IsNumber(self_copy)) gw_json_number(w, self_copy->valuedouble);
    else gw_json_null(w);
  }
  const char *self_path = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "self_source"));
  if (field(o, "self_source")) write_index_or_null(w, self_path ? find_doc(r, self_path) : d->self_source);
  const cJSON *largest;
  long largest_doc = largest_source(r, rec, &largest);
  if (field(o, "largest_source")) write_index_or_null(w, largest_doc);
  if (field(o, "largest_share")) {
    if (largest_doc >= 0) write_number_of(w, largest, "share");
    else gw_json_null(w);
  }
  if (field(o, "sources_total")) write_number_of(w, rec, "sources_total");
  if (!o->leave_late && field(o, "sources"))
    write_list(o, &source_kind, (void *)r, cJSON_GetObjectItem(rec, "sources"));
  if (!o->leave_late && field(o, "base_sources"))
    write_list(o, &source_kind, (void *)r, cJSON_GetObjectItem(rec, "base_sources"));
  if (field(o, "passages")) gw_json_number(w, (double)d->copy_passages);
  if (field(o, "longest")) gw_json_number(w, (double)d->longest_passage);
  if (field(o, "lines")) gw_json_number(w, (double)(d->text ? d->line_count : 0));
  if (field(o, "error")) write_string_or_null(w, d->error);
  if (!o->leave_late && field(o, "text")) write_string_or_null(w, d->text);
}

/* Every document, as write_list writes a list (its records all have the
 * same keys). */
static void write_documents(const record_out *parent, const report *r) {
  record_out o = *parent;
  gw_json *w = o.w;
  int as_table = o.tables && r->doc_count > 0;
  if (as_table) {
    gw_json_object_begin(w);
    gw_json_key(w, "keys");
    gw_json_array_begin(w);
    o.mode = AS_KEYS;
    write_document(&o, r, 0);
    gw_json_array_end(w);
    gw_json_key(w, "rows");
  }
  gw_json_array_begin(w);
  o.mode = as_table ? AS_ROW : AS_OBJECT;
  for (size_t i = 0; i < r->doc_count; i++) {
    if (as_table) gw_json_array_begin(w);
    else gw_json_object_begin(w);
    write_document(&o, r, i);
    if (as_table) gw_json_array_end(w);
    else gw_json_object_end(w);
  }
  gw_json_array_end(w);
  if (as_table) gw_json_object_end(w);
}

/* ---- Every document the input names ---- */

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
 * shown text and its line in place of its offsets; the other keys as
 * gw-gap gives them. */
static void write_findings(gw_json *w, const report_doc *d, const cJSON *findings) {
  gw_json_array_begin(w);
  const cJSON *f;
  cJSON_ArrayForEach(f, findings) {
    gw_json_object_begin(w);
    for (const cJSON *c = cJSON_IsObject(f) ? f->child : NULL; c; c = c->next) {
      if (c->string && (strcmp(c->string, "start") == 0 || strcmp(c->string, "end") == 0)) continue;
      gw_json_key(w, c->string ? c->string : "");
      write_input_value(w, c);
    }
    shown_range range = shown_range_of(d, f);
    gw_json_key(w, "range");
    write_range(w, &range);
    gw_json_key(w, "line");
    write_line(w, range.line);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
}

/* What a draft lacks and gets wrong (gw-gap): the terms missing with their
 * example sentences as gw-gap quotes them, its broken and outdated
 * formulations marked in its text.  null for copy detection's input. */
static long draft_doc(const report *r, const cJSON *gap) {
  const char *draft = cJSON_GetStringValue(cJSON_GetObjectItem(gap, "draft"));
  return draft ? find_doc(r, draft) : -1;
}

static void write_gap(gw_json *w, const report *r, const cJSON *gap) {
  long doc = draft_doc(r, gap);
  if (doc < 0) {
    gw_json_null(w);
    return;
  }
  gw_json_object_begin(w);
  gw_json_member_number(w, "draft", (double)doc);
  static const char *const figures[] = {"year", "references", "min_share"};
  for (size_t k = 0; k < sizeof figures / sizeof *figures; k++) {
    gw_json_key(w, figures[k]);
    write_number_of(w, gap, figures[k]);
  }
  static const char *const as_is[] = {"missing", "unique"};
  for (size_t k = 0; k < 2; k++) {
    const cJSON *v = cJSON_GetObjectItem(gap, as_is[k]);
    gw_json_key(w, as_is[k]);
    if (v) {
      write_input_value(w, v);
    } else {
      gw_json_array_begin(w);
      gw_json_array_end(w);
    }
  }
  gw_json_key(w, "broken");
  write_findings(w, &r->docs[doc], cJSON_GetObjectItem(gap, "broken"));
  gw_json_key(w, "outdated");
  write_findings(w, &r->docs[doc], cJSON_GetObjectItem(gap, "outdated"));
  gw_json_object_end(w);
}

/* ---- The whole model ---- */

typedef struct model {
  report *r;
  const cJSON *dups; /* the input */
  const char *title;
  char generated[32]; /* empty without --timestamp */
  int has_families;
  size_t pairs, copy_passages, families, clusters, errors;
  int pretty;         /* --format json without --compact */
} model;

static void write_summary(gw_json *w, const model *m) {
  double characters = 0, copied = 0;
  size_t over30 = 0, over50 = 0, reports = 0, base = 0, archived = 0;
  for (size_t i = 0; i < m->r->doc_count; i++) {
    const report_doc *d = &m->r->docs[i];
    if (d->is_base) { /* not a report */
      base++;
      continue;
    }
    if (d->is_archived) { /* not this batch's */
      archived++;
      continue;
    }
    reports++;
    characters += number_of(d->record, "characters");
    copied += number_of(d->record, "copied");
    double ratio = number_of(d->record, "copy_ratio");
    over30 += ratio >= 0.3;
    over50 += ratio >= 0.5;
  }
  const struct {
    const char *key;
    double value;
  } figures[] = {{"documents", (double)reports},      {"base_documents", (double)base},
                 {"archived_documents", (double)archived}, {"characters", characters},
                 {"copied", copied},                  {"over_30", (double)over30},
                 {"over_50", (double)over50},         {"pairs", (double)m->pairs},
                 {"passages", (double)m->copy_passages}, {"families", (double)m->families},
                 {"clusters", (double)m->clusters},   {"errors", (double)m->errors}};
  gw_json_object_begin(w);
  for (size_t k = 0; k < sizeof figures / sizeof *figures; k++)
    gw_json_member_number(w, figures[k].key, figures[k].value);
  gw_json_object_end(w);
}

/* gw-dups's errors, then the originals that could not be read. */
static void write_errors(gw_json *w, const model *m) {
  gw_json_array_begin(w);
  const cJSON *e, *input = cJSON_GetObjectItem(m->dups, "errors");
  if (cJSON_IsArray(input)) cJSON_ArrayForEach(e, input) write_input_value(w, e);
  for (size_t i = 0; i < m->r->doc_count; i++) {
    if (!m->r->docs[i].error) continue;
    gw_json_object_begin(w);
    gw_json_member_string(w, "path", m->r->docs[i].path);
    gw_json_member_string(w, "error", m->r->docs[i].error);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
}

/* Everything the page shows, in a fixed key order; the page's gw-data
 * (o->leave_late) has no clusters, they are a late part. */
static void write_model(record_out *o, const model *m) {
  gw_json *w = o->w;
  const cJSON *dups = m->dups;
  gw_json_object_begin(w);
  gw_json_member_number(w, "format", 1);
  gw_json_member_string(w, "generator", "gw-report");
  gw_json_member_string(w, "title", m->title);
  gw_json_key(w, "generated");
  write_string_or_null(w, m->generated[0] ? m->generated : NULL);
  gw_json_key(w, "has_families");
  gw_json_bool(w, m->has_families);
  const cJSON *parameters = cJSON_GetObjectItem(dups, "parameters");
  gw_json_key(w, "parameters");
  if (parameters) {
    write_input_value(w, parameters);
  } else {
    gw_json_object_begin(w);
    gw_json_object_end(w);
  }
  gw_json_key(w, "summary");
  write_summary(w, m);
  gw_json_key(w, "documents");
  write_documents(o, m->r);
  gw_json_key(w, "pairs");
  write_list(o, &pair_kind, m->r, cJSON_GetObjectItem(dups, "pairs"));
  gw_json_key(w, "families");
  write_list(o, &family_kind, m->r, cJSON_GetObjectItem(dups, "families"));
  if (!o->leave_late) {
    gw_json_key(w, "clusters");
    write_list(o, &cluster_kind, m->r, cJSON_GetObjectItem(dups, "clusters"));
  }
  gw_json_key(w, "errors");
  write_errors(w, m);
  gw_json_key(w, "gap");
  write_gap(w, m->r, dups);
  gw_json_object_end(w);
}

/* Reads what the model needs beyond the input: the documents it names,
 * their originals, units, years and titles, and the counts the summary
 * gives before the records they count.  Returns 0, GW_ENOMEM (not
 * reported), or GW_EINVAL after the error was reported. */
static int prepare_model(model *m, gw_cli *cli, report *r, cJSON *dups,
                         const report_config *cfg) {
  memset(m, 0, sizeof *m);
  m->r = r;
  m->dups = dups;
  m->title = cfg->title ? cfg->title : "复制检测报告";
  m->pretty = !cfg->compact;
  if (adopt_archive_check(dups) != 0 || register_documents(r, dups) != 0) return GW_ENOMEM;
  const cJSON *base;
  cJSON_ArrayForEach(base, cJSON_GetObjectItem(cJSON_GetObjectItem(dups, "parameters"), "base")) {
    long doc = cJSON_IsString(base) ? find_doc(r, base->valuestring) : -1;
    if (doc >= 0) r->docs[doc].is_base = 1;
  }
  int rc = cfg->meta_rows ? read_meta(r, cfg->meta_rows) : 0;
  if (!rc && (load_originals(cli, r, cfg) != 0 || default_units(r) != 0)) rc = GW_ENOMEM;
  if (rc) return rc;
  if (cfg->timestamp) {
    time_t now = time(NULL);
    struct tm tm;
    strftime(m->generated, sizeof m->generated, "%Y-%m-%d %H:%M UTC", gmtime_r(&now, &tm));
  }
  /* JSON Lines carry no empty arrays: a gw-dups that finds families says so
   * in its parameters */
  m->has_families = cJSON_HasObjectItem(dups, "families") ||
      cJSON_HasObjectItem(dups, "archive") || /* gw-archive check finds families */
      cJSON_HasObjectItem(cJSON_GetObjectItem(dups, "parameters"), "family_min_documents");
  count_passages(r, cJSON_GetObjectItem(dups, "pairs"), &m->pairs, &m->copy_passages);
  find_self_sources(r);
  m->families = (size_t)cJSON_GetArraySize(cJSON_GetObjectItem(dups, "families"));
  m->clusters = (size_t)cJSON_GetArraySize(cJSON_GetObjectItem(dups, "clusters"));
  const cJSON *errors = cJSON_GetObjectItem(dups, "errors");
  m->errors = cJSON_IsArray(errors) ? (size_t)cJSON_GetArraySize(errors) : 0;
  for (size_t i = 0; i < r->doc_count; i++) m->errors += r->docs[i].error != NULL;
  return 0;
}

/* ---- Writing ---- */

/* --format json: the model with its records as objects. */
static int write_model_json(FILE *out, const void *arg) {
  const model *m = arg;
  gw_json w;
  gw_json_init(&w, out, m->pretty);
  record_out o = {&w, AS_OBJECT, 0, 0};
  write_model(&o, m);
  gw_json_newline(&w);
  return gw_json_finish(&w);
}

/* What w holds, on out inside a <script> block: '<' only occurs inside
 * JSON strings, where \u003c reads the same, so "</script>" and "<!--" in
 * a report cannot end the block.  w is left empty and where it was in the
 * JSON (its text and len are the public fields json_writer.h names; the
 * writer has no call that drops its text and keeps its place). */
static void drain_into_script(gw_json *w, FILE *out) {
  if (w->failed || !w->len) return;
  const char *p = w->text, *end = w->text + w->len;
  while (p < end) {
    const char *lt = memchr(p, '<', (size_t)(end - p));
    size_t n = (size_t)((lt ? lt : end) - p);
    if (fwrite(p, 1, n, out) != n || (lt && fputs("\\u003c", out) == EOF)) {
      gw_json_fail(w, GW_EIO);
      return;
    }
    p += n + (lt != NULL);
  }
  w->len = 0;
}

/* What the page reads late, after its script, each in a block of its own
 * (id gw-late-KEY), one JSON value a line: the first view is drawn before
 * the browser has parsed them, and they are 80-90 % of a report's bytes.
 * The page splits a block on line breaks (the writer escapes every line
 * break inside a string). */
static const char *const late_parts[] = {"text", "sources", "base_sources", "passages",
                                         "clusters"};

/* A late part's lines: one per document (text, sources, base_sources), per
 * pair (passages) or per cluster. */
static void write_late_part(gw_json *w, FILE *out, const model *m, size_t part) {
  report *r = m->r;
  record_out o = {w, AS_OBJECT, 1, 0};
  const char *key = late_parts[part];
  if (part <= 2) {
    for (size_t i = 0; i < r->doc_count && !w->failed; i++) {
      if (part == 0) write_string_or_null(w, r->docs[i].text);
      else write_list(&o, &source_kind, r, cJSON_GetObjectItem(r->docs[i].record, key));
      gw_json_newline(w);
      drain_into_script(w, out);
    }
    return;
  }
  const cJSON *item;
  cJSON_ArrayForEach(item, cJSON_GetObjectItem(m->dups, part == 3 ? "pairs" : "clusters")) {
    if (part == 3 && !pair_accept(r, item)) continue;
    if (part == 3) {
      write_passages(&o, r, item);
    } else {
      gw_json_object_begin(w);
      write_cluster(&o, r, item);
      gw_json_object_end(w);
    }
    gw_json_newline(w);
    drain_into_script(w, out);
    if (w->failed) return;
  }
}

/* The template with its slots filled, in their order in report.html (each
 * a line of its own): the style, the data the first view needs (records as
 * tables, the late parts left out), the script, then the late parts. */
static int write_page(FILE *out, const void *arg) {
  const model *m = arg;
  gw_json w;
  gw_json_init(&w, NULL, 0);
  const char *page = gw_report_template_html;
  const char *slots[] = {"@CSS@", "@DATA@", "@JS@", "@LATE@"};
  int rc = 0;
  for (size_t k = 0; k < sizeof slots / sizeof *slots && !rc; k++) {
    const char *at = strstr(page, slots[k]);
    if (!at || fwrite(page, 1, (size_t)(at - page), out) != (size_t)(at - page)) {
      rc = GW_EIO;
      break;
    }
    if (k == 0) rc = fputs(gw_report_template_css, out) == EOF ? GW_EIO : 0;
    if (k == 1) {
      record_out o = {&w, AS_OBJECT, 1, 1};
      write_model(&o, m);
      drain_into_script(&w, out);
      rc = w.failed;
    }
    if (k == 2) rc = fputs(gw_report_template_js, out) == EOF ? GW_EIO : 0;
    for (size_t i = 0; k == 3 && i < sizeof late_parts / sizeof *late_parts && !rc; i++) {
      if (fprintf(out, "%s<script id=\"gw-late-%s\" type=\"application/x-ndjson\">\n",
                  i ? "\n" : "", late_parts[i]) < 0) {
        rc = GW_EIO;
        break;
      }
      write_late_part(&w, out, m, i);
      rc = w.failed ? w.failed : fputs("</script>", out) == EOF ? GW_EIO : 0;
    }
    page = at + strlen(slots[k]);
  }
  if (!rc && fputs(page, out) == EOF) rc = GW_EIO;
  int finish = gw_json_finish(&w);
  return rc ? rc : finish;
}

static int csv_field(buffer *b, const char *s) {
  if (!strpbrk(s, ",\"\r\n")) return buffer_adds(b, s);
  int rc = buffer_adds(b, "\"");
  for (; *s && !rc; s++) rc = *s == '"' ? buffer_adds(b, "\"\"") : buffer_add(b, s, 1);
  return rc || buffer_adds(b, "\"");
}

/* A figure, or nothing when unknown; a share as a percentage. */
static int csv_number(buffer *b, int known, double value, int percent) {
  char text[64] = "";
  if (known && percent) snprintf(text, sizeof text, "%.1f%%", value * 100.0);
  else if (known) snprintf(text, sizeof text, "%.0f", value);
  return buffer_adds(b, text);
}

static int csv_number_of(buffer *b, const cJSON *o, const char *key, int percent) {
  const cJSON *v = cJSON_GetObjectItem(o, key);
  return csv_number(b, cJSON_IsNumber(v), cJSON_IsNumber(v) ? v->valuedouble : 0, percent);
}

typedef struct ranked {
  double ratio;
  size_t doc;
} ranked;

static int ratio_order(const void *a, const void *b) {
  const ranked *x = a, *y = b;
  if (x->ratio != y->ratio) return x->ratio > y->ratio ? -1 : 1;
  return x->doc < y->doc ? -1 : x->doc > y->doc;
}

/* The ranking as the page shows it first (复制比 descending, base documents
 * and the archive's left out), for Excel: UTF-8 with a BOM, CR LF line
 * ends. */
static int build_csv(const report *r, buffer *b) {
  ranked *order = malloc((r->doc_count + 1) * sizeof *order);
  if (!order) return -1;
  for (size_t i = 0; i < r->doc_count; i++)
    order[i] = (ranked){number_of(r->docs[i].record, "copy_ratio"), i};
  qsort(order, r->doc_count, sizeof *order, ratio_order);
  int rc = buffer_adds(b, "\xEF\xBB\xBF" "单位,年份,文件,标题,字数,复制字数,复制比,模板复制比,"
                          "少数来源复制比,本单位往年复制比,最大来源,最大来源占比,复制段落数,最长段落字数\r\n");
  for (size_t k = 0; k < r->doc_count && !rc; k++) {
    const report_doc *d = &r->docs[order[k].doc];
    const cJSON *rec = d->record;
    if (d->is_base || d->is_archived) continue; /* not a report of this batch */
    const cJSON *largest, *self_copy = self_copy_of(rec);
    long largest_doc = largest_source(r, rec, &largest);
    rc = csv_field(b, d->unit ? d->unit : "") || buffer_adds(b, ",") ||
         csv_number(b, d->year != 0, d->year, 0) || buffer_adds(b, ",") ||
         csv_field(b, d->path) || buffer_adds(b, ",") ||
         csv_field(b, d->title ? d->title : "") || buffer_adds(b, ",") ||
         csv_number_of(b, rec, "characters", 0) || buffer_adds(b, ",") ||
         csv_number_of(b, rec, "copied", 0) || buffer_adds(b, ",") ||
         csv_number_of(b, rec, "copy_ratio", 1) || buffer_adds(b, ",") ||
         csv_number_of(b, rec, "template_ratio", 1) || buffer_adds(b, ",") ||
         csv_number_of(b, rec, "few_ratio", 1) || buffer_adds(b, ",") ||
         csv_number(b, cJSON_IsNumber(self_copy), cJSON_IsNumber(self_copy) ? self_copy->valuedouble : 0, 1) ||
         buffer_adds(b, ",") ||
         csv_field(b, largest_doc >= 0 ? r->docs[largest_doc].path : "") || buffer_adds(b, ",") ||
         (largest_doc >= 0 ? csv_number_of(b, largest, "share", 1) : 0) || buffer_adds(b, ",") ||
         csv_number(b, 1, (double)d->copy_passages, 0) || buffer_adds(b, ",") ||
         csv_number(b, 1, (double)d->longest_passage, 0) || buffer_adds(b, "\r\n");
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
  if (analyse) return run_gw_dups(cli, args, n, cfg, in);
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
  cJSON *dups = NULL;
  char *csv_path = NULL;
  buffer csv = {0};
  char *stdin_arg[] = {GW_CLI_STDIN};
  char **args = first < argc ? argv + first : stdin_arg;
  size_t n_args = first < argc ? (size_t)(argc - first) : 1;
  if (cfg.meta) { /* a bad row is reported once, before gw-dups runs */
    gw_error err;
    int meta_rc = gw_meta_load_file(&cfg.meta_rows, cfg.meta, &err);
    if (meta_rc) {
      gw_cli_error(&cli, "%s", meta_rc == GW_ENOMEM ? "out of memory" : err.message);
      goto done;
    }
  }
  if (read_input(&cli, args, n_args, &in, &cfg) != 0) goto done;
  if (!(dups = parse_dups(in.data))) {
    gw_cli_error(&cli, "the input is not the JSON of gw-dups, gw-archive check or gw-gap");
    goto done;
  }
  model m;
  int model_rc = prepare_model(&m, &cli, &r, dups, &cfg);
  if (model_rc) {
    if (model_rc == GW_ENOMEM) gw_cli_error(&cli, "out of memory");
    goto done;
  }
  if (cfg.format_json) {
    if (write_file(&cli, cfg.output, &m, 0, write_model_json)) goto done;
  } else {
    /* a draft check has no ranking to export */
    int has_ranking = draft_doc(&r, dups) < 0;
    csv_path = !has_ranking ? NULL : cfg.csv ? strdup(cfg.csv)
             : cfg.output && !cfg.no_csv ? csv_beside(cfg.output) : NULL;
    if (csv_path && !cfg.no_csv && build_csv(&r, &csv)) {
      gw_cli_error(&cli, "out of memory");
      goto done;
    }
    if (write_file(&cli, cfg.output, &m, 0, write_page)) goto done;
    if (csv_path && !cfg.no_csv && write_file(&cli, csv_path, csv.data, csv.len, NULL)) goto done;
  }
  code = r.unreadable ? GW_EXIT_SOME_BAD : GW_EXIT_OK;
done:
  free(csv.data);
  free(csv_path);
  free(cfg.input_dir);
  gw_meta_free(cfg.meta_rows);
  cJSON_Delete(dups);
  free(in.data);
  report_free(&r);
  gw_cli_free(&cli);
  return code;
}
