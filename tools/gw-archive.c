/* gw-archive — an archive of earlier reports, and each new batch checked
 * against it: init, add, check, list, remove, merge, verify.  A thin main
 * over gw_archive_* (lib/archive/, format in lib/archive/FORMAT.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "gongwen.h"
#include "options.h"
#include "dups_records.h"
#include "dups_text.h"
#include "json_writer.h"
#include "parallel.h"
#include "positions.h"
#include "text_out.h"

/* gw-archive --help: this, then each command's options from its table
 * (main), then the notes; the man page is made from it. */
static const char help_description[] =
    "Keep earlier reports in an archive (a folder) and check each new batch\n"
    "against every earlier year: which reports copy another unit's report, or\n"
    "hand in the unit's own earlier report again (self-copy year over year).\n";

static const char help_commands[] =
    "Commands:\n"
    "  init ARCHIVE            make an empty archive; the copy-detection\n"
    "                          parameters are fixed here and stored\n"
    "  add ARCHIVE INPUT...    analyse reports and add them as one new segment\n"
    "  check ARCHIVE INPUT...  the batch against the archive and itself, as\n"
    "                          gw-dups reports it (documents, pairs, families,\n"
    "                          clusters); never a pair or family of archive\n"
    "                          documents alone; adds nothing\n"
    "  list ARCHIVE            segments, documents, units, years, sizes\n"
    "  remove ARCHIVE PATH...  mark documents deleted (--unit U: a unit's all)\n"
    "  merge ARCHIVE           rewrite the segments as one, dropping deleted\n"
    "                          documents; results unchanged\n"
    "  verify ARCHIVE          check every file against its checksum\n"
    "  import ARCHIVE FROM     add the documents of archive FROM (made elsewhere\n"
    "                          with the same parameters) as one new segment";

static const char help_notes[] =
    "check names every document by path, unit, year and where it is from\n"
    "(archive, batch, base); each document's sources are split into\n"
    "self_sources (its own unit's reports: self_earlier, the same unit's report\n"
    "of an earlier year; same_unit; self_later) and sources (other_unit, or\n"
    "unknown when a unit is not known).  Offsets (start, end) are bytes of the\n"
    "original file (of an archived report, the text it was added with); line\n"
    "and column say where start stands (from 1; the column in characters of\n"
    "its line).\n"
    "\n"
    "One writer at a time: a second add, remove or merge is refused while one\n"
    "runs; check, list and verify read one consistent generation meanwhile.\n"
    "\n"
    "Exit status: 0 every input analysed; 1 some inputs could not be read\n"
    "(listed in the output, the others analysed), or verify found damage;\n"
    "2 usage error or nothing done.\n";

typedef struct config {
  const char *archive;
  const char *meta_path;
  const char *list_path;
  gw_document_options document;
  gw_dups_options dups;
  gw_opt_strings base;
  size_t threads;
  size_t template_min, max_sources, max_gap;
  int all_pairs, no_text, compact, format, no_terms, documents;
  gw_opt_strings units;
  /* init's parameters */
  size_t shingle_k, minhash, bands, min_paragraph, passage_t, passage_k;
  const char *seed;
} config;

/* ---- data files ---- */

typedef struct data_files {
  char *dir, *noise_path, *terms_path;
  gw_noise *noise;
  gw_normalizer *normalizer;
  gw_terms *terms;
  uint64_t noise_sum, terms_sum;
} data_files;

static void data_files_free(data_files *f) {
  gw_terms_free(f->terms);
  gw_normalizer_free(f->normalizer);
  gw_noise_free(f->noise);
  free(f->terms_path);
  free(f->noise_path);
  free(f->dir);
}

/* The noise patterns and terms and their checksums; with load, also loaded
 * (the terms only when `terms`). */
static int data_files_open(gw_cli *cli, data_files *f, int terms, int load) {
  gw_error err;
  memset(f, 0, sizeof *f);
  f->dir = gw_cli_data_dir();
  f->noise_path = f->dir ? gw_cli_data_file(f->dir, "noise.txt") : NULL;
  f->terms_path = f->dir ? gw_cli_data_file(f->dir, "terms.tsv") : NULL;
  if (!f->noise_path || !f->terms_path) {
    gw_cli_error(cli, "out of memory");
    return -1;
  }
  if (gw_archive_checksum(&f->noise_sum, f->noise_path, &err) ||
      (terms && gw_archive_checksum(&f->terms_sum, f->terms_path, &err)) ||
      (load && (gw_noise_load_file(&f->noise, f->noise_path, &err) ||
                gw_normalizer_new(&f->normalizer, &err) ||
                (terms && gw_terms_load_file(&f->terms, f->terms_path, &err))))) {
    gw_cli_error(cli, "%s", err.message);
    return -1;
  }
  return 0;
}

/* Open the archive; for add and check, refuse it when this installation's
 * noise patterns, terms or normalizer differ from the ones it was made
 * with.  NULL after an error (reported). */
static gw_archive *open_archive(gw_cli *cli, const char *dir, int mode, data_files *f) {
  gw_error err;
  gw_archive *a;
  if (gw_archive_open(&a, dir, mode, NULL, &err)) {
    gw_cli_error(cli, "%s", err.message);
    return NULL;
  }
  if (!f) return a;
  gw_archive_params want = *gw_archive_params_in_use(a);
  int terms = want.terms_checksum != 0;
  if (data_files_open(cli, f, terms, 1)) {
    gw_archive_free(a);
    return NULL;
  }
  gw_dups_options o = GW_DUPS_OPTIONS_INIT;
  gw_archive_params_to_dups(&want, &o);
  gw_archive_params_init(&want, &o, f->terms_sum, f->noise_sum);
  if (gw_archive_params_match(a, &want, &err)) {
    gw_cli_error(cli, "%s", err.message);
    gw_archive_free(a);
    return NULL;
  }
  return a;
}

/* ---- metadata of an input ---- */

typedef struct entry_strings {
  char *unit, *extras;
} entry_strings;

/* The parent folder's name ("" when the path has none). */
static char *parent_name(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return strdup("");
  const char *start = slash;
  while (start > path && start[-1] != '/') start--;
  return strndup(start, (size_t)(slash - start));
}

static int make_entry(const gw_meta *meta, const char *path, const gw_document *doc,
                      gw_archive_entry *e, entry_strings *own) {
  const gw_meta_row *row = meta ? gw_meta_find(meta, path) : NULL;
  memset(own, 0, sizeof *own);
  e->path = path;
  e->title = row ? row->title : "";
  e->year = row && row->year ? row->year : gw_document_year(doc);
  if (row && row->unit[0]) {
    e->unit = row->unit;
  } else {
    own->unit = parent_name(path);
    if (!own->unit) return -1;
    e->unit = own->unit;
  }
  size_t len = 1;
  for (size_t i = 0; row && i < row->extra_count; i++) len += strlen(row->extras[i]) + 1;
  own->extras = malloc(len);
  if (!own->extras) return -1;
  own->extras[0] = '\0';
  for (size_t i = 0; row && i < row->extra_count; i++) {
    if (i) strcat(own->extras, "\t");
    strcat(own->extras, row->extras[i]);
  }
  e->extras = own->extras;
  return 0;
}

/* ---- loading inputs on threads ---- */

typedef struct loaded {
  gw_document *doc;
  gw_range *spans;
  size_t n_spans;
  int rc;
  char *message;
  gw_error err; /* the official spans' */
} loaded;

typedef struct load_ctx {
  gw_cli *cli;
  const gw_document_options *opts;
  const gw_terms *terms;
  gw_term_result **results; /* per worker */
  int (*consume)(void *ctx, size_t index, loaded *l);
  void *consume_ctx;
} load_ctx;

static void *load_prepare(void *arg, unsigned worker, size_t index) {
  load_ctx *c = arg;
  loaded *l = calloc(1, sizeof *l);
  if (!l) return NULL;
  l->rc = gw_cli_load_input(c->cli, index, c->opts, &l->doc, &l->message);
  if (l->rc || !c->terms) return l;
  int rc = gw_terms_official_spans(&l->spans, &l->n_spans, &c->results[worker], c->terms, l->doc,
                                   &l->err);
  if (rc) {
    gw_document_free(l->doc);
    l->doc = NULL;
    l->rc = rc;
    l->message = strdup(l->err.message[0] ? l->err.message : gw_strerror(rc));
  }
  return l;
}

static void loaded_free(loaded *l) {
  if (!l) return;
  gw_document_free(l->doc);
  free(l->spans);
  free(l->message);
  free(l);
}

static void load_discard(void *arg, void *result) {
  (void)arg;
  loaded_free(result);
}

static int load_consume(void *arg, size_t index, void *result) {
  load_ctx *c = arg;
  loaded *l = result;
  if (!l) return GW_ENOMEM;
  gw_cli_progress(c->cli, index, c->cli->input_count, c->cli->inputs[index].path);
  int rc = gw_cli_loaded(c->cli, index, l->rc, l->message);
  if (rc == GW_ENOMEM) {
    loaded_free(l);
    return rc;
  }
  if (l->rc) {
    loaded_free(l);
    return 0;
  }
  return c->consume(c->consume_ctx, index, l); /* owns l */
}

static int load_all(gw_cli *cli, config *cfg, const gw_terms *terms,
                    int (*consume)(void *, size_t, loaded *), void *ctx) {
  load_ctx c = {cli, &cfg->document, terms, NULL, consume, ctx};
  c.results = calloc(cfg->threads + 1, sizeof *c.results);
  if (!c.results) return GW_ENOMEM;
  int rc = gw_par_map(cli->input_count, (unsigned)cfg->threads, load_prepare, load_consume,
                      load_discard, &c);
  for (size_t i = 0; i < cfg->threads; i++) gw_term_result_free(c.results[i]);
  free(c.results);
  gw_cli_progress_end(cli);
  return rc;
}

/* ---- commands ---- */

static int parse(gw_cli *cli, const char *synopsis, const gw_opt *opts, size_t n, int argc,
                 char **argv, int *first) {
  const gw_opt_table table = {synopsis, "See gw-archive --help.\n", opts, n, gw_opt_exit_status};
  return gw_opt_parse(cli, &table, argc, argv, first);
}

static int parse_seed(const char *s, uint64_t *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 0);
  if (!*s || *end || errno || *s == '-') return -1;
  *out = v;
  return 0;
}

static int cmd_init(gw_cli *cli, config *cfg) {
  gw_dups_options o = GW_DUPS_OPTIONS_INIT;
  o.shingle_k = (unsigned)cfg->shingle_k;
  o.minhash_count = (unsigned)cfg->minhash;
  o.bands = (unsigned)cfg->bands;
  o.min_paragraph_chars = (unsigned)cfg->min_paragraph;
  o.passage_t = (unsigned)cfg->passage_t;
  o.passage_k = (unsigned)cfg->passage_k;
  if (cfg->seed && parse_seed(cfg->seed, &o.seed))
    return gw_cli_usage_error(cli, "bad value '%s' for --seed", cfg->seed);
  gw_error err;
  gw_dups *probe;
  if (gw_dups_new(&probe, &o, &err)) return gw_cli_usage_error(cli, "%s", err.message);
  gw_dups_free(probe);
  data_files f;
  int rc = data_files_open(cli, &f, !cfg->no_terms, 0);
  if (!rc) {
    gw_archive_params p;
    gw_archive_params_init(&p, &o, cfg->no_terms ? 0 : f.terms_sum, f.noise_sum);
    if (gw_archive_create(cfg->archive, &p, &err)) {
      gw_cli_error(cli, "%s", err.message);
      rc = -1;
    }
  }
  data_files_free(&f);
  return rc ? GW_EXIT_FAILURE : GW_EXIT_OK;
}

typedef struct add_ctx {
  gw_cli *cli;
  config *cfg;
  gw_archive_writer *w;
  const gw_meta *meta;
  size_t added;
  int fatal;
} add_ctx;

static int add_consume(void *arg, size_t index, loaded *l) {
  add_ctx *c = arg;
  const char *path = c->cli->inputs[index].path;
  gw_archive_entry e;
  entry_strings own;
  gw_error err;
  int rc = make_entry(c->meta, path, l->doc, &e, &own) ? GW_ENOMEM : GW_OK;
  if (!rc) rc = gw_archive_writer_add(c->w, l->doc, l->spans, l->n_spans, &e, &c->cfg->document,
                                      &err);
  free(own.unit);
  free(own.extras);
  loaded_free(l);
  if (rc == GW_ENOMEM || rc == GW_ETOOBIG) {
    gw_cli_error(c->cli, "%s", rc == GW_ENOMEM ? "out of memory" : err.message);
    c->fatal = 1;
    return rc;
  }
  if (rc) return gw_cli_add_failure(c->cli, path, err.message) ? GW_ENOMEM : 0;
  c->added++;
  return 0;
}

static int load_meta(gw_cli *cli, const char *path, gw_meta **meta) {
  gw_error err;
  *meta = NULL;
  if (!path) return 0;
  if (gw_meta_load_file(meta, path, &err)) {
    gw_cli_error(cli, "%s", err.message);
    return -1;
  }
  return 0;
}

static int cmd_add(gw_cli *cli, config *cfg, char **inputs, size_t n_inputs) {
  gw_meta *meta;
  if (load_meta(cli, cfg->meta_path, &meta)) return GW_EXIT_FAILURE;
  if (gw_cli_collect(cli, inputs, n_inputs, cfg->list_path)) {
    gw_meta_free(meta);
    return GW_EXIT_FAILURE;
  }
  for (size_t i = 0; i < cli->input_count; i++)
    if (strcmp(cli->inputs[i].path, GW_CLI_STDIN) == 0) {
      gw_meta_free(meta);
      return gw_cli_usage_error(cli, "add keeps each report under its path: give files, not stdin");
    }
  data_files f;
  memset(&f, 0, sizeof f);
  gw_archive *a = open_archive(cli, cfg->archive, GW_ARCHIVE_WRITE, &f);
  gw_archive_writer *w = NULL;
  gw_error err;
  int failed = !a;
  if (!failed && gw_archive_writer_new(&w, a, &err)) {
    gw_cli_error(cli, "%s", err.message);
    failed = 1;
  }
  if (!failed) {
    cfg->document.noise = f.noise;
    cfg->document.normalizer = f.normalizer;
    add_ctx c = {cli, cfg, w, meta, 0, 0};
    int rc = load_all(cli, cfg, f.terms, add_consume, &c);
    if (rc) {
      if (!c.fatal) gw_cli_error(cli, "out of memory");
      failed = 1;
    } else if (gw_archive_writer_commit(w, &err)) {
      gw_cli_error(cli, "%s (the archive is unchanged)", err.message);
      failed = 1;
    } else if (cli->diagnostics) {
      fprintf(cli->diagnostics, "gw-archive: added %zu documents (generation %llu)\n", c.added,
              (unsigned long long)gw_archive_generation(a));
    }
  }
  gw_archive_writer_free(w);
  gw_archive_free(a);
  data_files_free(&f);
  gw_meta_free(meta);
  int code = gw_cli_finish(cli);
  return failed ? GW_EXIT_FAILURE : code;
}

/* ---- list ---- */

static void write_parameters(gw_json *w, const gw_archive_params *p) {
  gw_json_member_string(w, "normalizer", p->normalizer);
  gw_json_member_uint(w, "shingle_k", p->shingle_k);
  gw_json_member_uint(w, "minhash", p->minhash_count);
  gw_json_member_uint(w, "bands", p->bands);
  gw_json_member_uint(w, "min_paragraph", p->min_paragraph_chars);
  gw_json_member_uint(w, "passage_t", p->passage_t);
  gw_json_member_uint(w, "passage_k", p->passage_k);
  gw_json_member_uint(w, "window", p->passage_t - p->passage_k + 1);
  gw_json_key(w, "seed");
  gw_json_hex64(w, p->seed);
  gw_json_key(w, "official_terms");
  gw_json_bool(w, p->terms_checksum != 0);
  gw_json_key(w, "terms_checksum");
  gw_json_hex64(w, p->terms_checksum);
  gw_json_key(w, "noise_checksum");
  gw_json_hex64(w, p->noise_checksum);
}

/* A live document of the archive, for grouping by unit. */
typedef struct listed_document {
  const char *unit;
  int year;
  size_t order; /* among the live documents */
} listed_document;

/* By unit, then as listed. */
static int by_unit(const void *x, const void *y) {
  const listed_document *a = x, *b = y;
  int c = strcmp(a->unit, b->unit);
  if (c) return c;
  return (a->order > b->order) - (a->order < b->order);
}

/* A unit's documents (first .. end of the sorted list), listed where the
 * unit first appears. */
typedef struct unit_group {
  size_t first, end;
  size_t order; /* of its first document */
} unit_group;

static int by_first_appearance(const void *x, const void *y) {
  size_t a = ((const unit_group *)x)->order, b = ((const unit_group *)y)->order;
  return (a > b) - (a < b);
}

/* "UNIT": {"YEAR": documents, ...}: years in order of first appearance
 * ("unknown" for 0). */
static void write_unit(gw_json *w, const listed_document *docs, const unit_group *g) {
  gw_json_key(w, docs[g->first].unit);
  gw_json_object_begin(w);
  for (size_t i = g->first; i < g->end; i++) {
    size_t seen = g->first, count = 0;
    while (seen < i && docs[seen].year != docs[i].year) seen++;
    if (seen < i) continue; /* counted where the year first appears */
    for (size_t k = i; k < g->end; k++) count += docs[k].year == docs[i].year;
    char year[16];
    snprintf(year, sizeof year, "%d", docs[i].year);
    gw_json_member_uint(w, docs[i].year ? year : "unknown", count);
  }
  gw_json_object_end(w);
}

/* Units with their documents per year, in order of first appearance. */
static int write_units(gw_json *w, const gw_archive *a) {
  size_t total = gw_archive_document_count(a), n = 0, groups = 0;
  listed_document *docs = malloc((total + 1) * sizeof *docs);
  unit_group *g = malloc((total + 1) * sizeof *g);
  if (!docs || !g) {
    free(docs);
    free(g);
    return GW_ENOMEM;
  }
  for (size_t i = 0; i < total; i++) {
    gw_archive_document d;
    gw_archive_document_at(a, i, &d);
    if (d.deleted) continue;
    docs[n] = (listed_document){d.entry.unit[0] ? d.entry.unit : "(unknown)", d.entry.year, n};
    n++;
  }
  if (n) qsort(docs, n, sizeof *docs, by_unit);
  for (size_t i = 0; i < n; i++)
    if (i == 0 || strcmp(docs[i].unit, docs[i - 1].unit) != 0) g[groups++] = (unit_group){i, i, docs[i].order};
  for (size_t k = 0; k < groups; k++) g[k].end = k + 1 < groups ? g[k + 1].first : n;
  if (groups) qsort(g, groups, sizeof *g, by_first_appearance);
  gw_json_key(w, "units");
  gw_json_object_begin(w);
  for (size_t k = 0; k < groups; k++) write_unit(w, docs, &g[k]);
  gw_json_object_end(w);
  free(docs);
  free(g);
  return GW_OK;
}

static void write_document_list(gw_json *w, const gw_archive *a) {
  gw_json_key(w, "document_list");
  gw_json_array_begin(w);
  for (size_t i = 0; i < gw_archive_document_count(a); i++) {
    gw_archive_document d;
    gw_archive_document_at(a, i, &d);
    if (d.deleted) continue;
    gw_json_object_begin(w);
    gw_json_member_path(w, "path", d.entry.path);
    gw_json_member_string(w, "unit", d.entry.unit);
    gw_json_key(w, "year");
    if (d.entry.year) gw_json_int(w, d.entry.year);
    else gw_json_null(w);
    gw_json_member_string(w, "title", d.entry.title);
    gw_json_member_string(w, "segment", gw_archive_segment_at(a, d.segment)->name);
    gw_json_member_uint(w, "characters", d.characters);
    gw_json_member_uint(w, "bytes", d.bytes);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
}

static int cmd_list(gw_cli *cli, config *cfg) {
  gw_archive *a = open_archive(cli, cfg->archive, GW_ARCHIVE_READ, NULL);
  if (!a) return GW_EXIT_FAILURE;
  gw_json w;
  gw_json_init(&w, NULL, !cfg->compact);
  gw_json_object_begin(&w);
  gw_json_member_path(&w, "archive", cfg->archive);
  gw_json_member_uint(&w, "generation", gw_archive_generation(a));
  gw_json_key(&w, "parameters");
  gw_json_object_begin(&w);
  write_parameters(&w, gw_archive_params_in_use(a));
  gw_json_object_end(&w);
  gw_json_key(&w, "segments");
  gw_json_array_begin(&w);
  size_t live = 0, bytes = 0;
  for (size_t i = 0; i < gw_archive_segment_count(a); i++) {
    const gw_archive_segment *s = gw_archive_segment_at(a, i);
    gw_json_object_begin(&w);
    gw_json_member_string(&w, "name", s->name);
    gw_json_member_uint(&w, "documents", s->documents - s->deleted);
    gw_json_member_uint(&w, "deleted", s->deleted);
    gw_json_member_uint(&w, "bytes", s->bytes);
    gw_json_object_end(&w);
    live += s->documents - s->deleted;
    bytes += s->bytes;
  }
  gw_json_array_end(&w);
  gw_json_member_uint(&w, "documents", live);
  gw_json_member_uint(&w, "bytes", bytes);
  if (write_units(&w, a)) gw_json_fail(&w, GW_ENOMEM);
  if (cfg->documents) write_document_list(&w, a);
  gw_json_object_end(&w);
  gw_json_newline(&w);
  gw_json *parts[] = {&w};
  int rc = gw_json_write_parts(stdout, parts, 1);
  gw_json_finish(&w);
  gw_archive_free(a);
  if (rc == GW_ENOMEM) gw_cli_error(cli, "out of memory");
  if (rc == GW_OK && fflush(stdout) == 0 && !ferror(stdout)) return GW_EXIT_OK;
  if (rc != GW_ENOMEM) gw_cli_error(cli, "cannot write the output");
  return GW_EXIT_FAILURE;
}

/* ---- remove, merge, verify ---- */

static int cmd_remove(gw_cli *cli, config *cfg, char **paths, size_t n_paths) {
  if (!n_paths && !cfg->units.count)
    return gw_cli_usage_error(cli, "remove needs a PATH or --unit U");
  gw_archive *a = open_archive(cli, cfg->archive, GW_ARCHIVE_WRITE, NULL);
  if (!a) return GW_EXIT_FAILURE;
  size_t total = gw_archive_document_count(a), n = 0;
  size_t *ids = malloc((total + n_paths + 1) * sizeof *ids);
  int code = GW_EXIT_OK;
  for (size_t i = 0; ids && i < n_paths; i++) {
    size_t id = gw_archive_find(a, paths[i]);
    if (id == GW_NO_OFFSET) {
      gw_cli_error(cli, "%s: not in the archive", paths[i]);
      code = GW_EXIT_SOME_BAD;
    } else {
      ids[n++] = id;
    }
  }
  for (size_t u = 0; ids && u < cfg->units.count; u++) {
    size_t found = 0;
    for (size_t i = 0; i < total; i++) {
      gw_archive_document d;
      gw_archive_document_at(a, i, &d);
      if (!d.deleted && strcmp(d.entry.unit, cfg->units.items[u]) == 0) ids[n++] = i, found++;
    }
    if (!found) {
      gw_cli_error(cli, "no document of unit %s in the archive", cfg->units.items[u]);
      code = GW_EXIT_SOME_BAD;
    }
  }
  gw_error err;
  if (!ids) {
    gw_cli_error(cli, "out of memory");
    code = GW_EXIT_FAILURE;
  } else if (n && gw_archive_remove(a, ids, n, &err)) {
    gw_cli_error(cli, "%s", err.message);
    code = GW_EXIT_FAILURE;
  } else if (!n) {
    code = GW_EXIT_FAILURE;
  } else if (cli->diagnostics) {
    fprintf(cli->diagnostics, "gw-archive: removed %zu documents (generation %llu)\n", n,
            (unsigned long long)gw_archive_generation(a));
  }
  free(ids);
  gw_archive_free(a);
  return code;
}

static int cmd_merge(gw_cli *cli, config *cfg) {
  gw_archive *a = open_archive(cli, cfg->archive, GW_ARCHIVE_WRITE, NULL);
  if (!a) return GW_EXIT_FAILURE;
  gw_error err;
  int code = GW_EXIT_OK;
  if (gw_archive_merge(a, &err)) {
    gw_cli_error(cli, "%s (the archive is unchanged)", err.message);
    code = GW_EXIT_FAILURE;
  }
  gw_archive_free(a);
  return code;
}

static int cmd_import(gw_cli *cli, config *cfg, char **from, size_t n_from) {
  if (n_from != 1) return gw_cli_usage_error(cli, "import needs ARCHIVE and one FROM archive");
  gw_archive *a = open_archive(cli, cfg->archive, GW_ARCHIVE_WRITE, NULL);
  if (!a) return GW_EXIT_FAILURE;
  gw_error err;
  int code = GW_EXIT_OK;
  size_t before = gw_archive_document_count(a);
  if (gw_archive_import(a, from[0], &err)) {
    gw_cli_error(cli, "%s (the archive is unchanged)", err.message);
    code = GW_EXIT_FAILURE;
  } else if (cli->diagnostics) {
    fprintf(cli->diagnostics, "gw-archive: imported %zu documents (generation %llu)\n",
            gw_archive_document_count(a) - before, (unsigned long long)gw_archive_generation(a));
  }
  gw_archive_free(a);
  return code;
}

static int cmd_verify(gw_cli *cli, config *cfg) {
  gw_archive *a = open_archive(cli, cfg->archive, GW_ARCHIVE_READ, NULL);
  if (!a) return GW_EXIT_SOME_BAD;
  gw_error err;
  int code = GW_EXIT_OK;
  if (gw_archive_verify(a, &err)) {
    gw_cli_error(cli, "%s", err.message);
    code = GW_EXIT_SOME_BAD;
  } else {
    size_t live = 0;
    for (size_t i = 0; i < gw_archive_segment_count(a); i++)
      live += gw_archive_segment_at(a, i)->documents - gw_archive_segment_at(a, i)->deleted;
    printf("%s: ok: generation %llu, %zu segments, %zu documents\n", cfg->archive,
           (unsigned long long)gw_archive_generation(a), gw_archive_segment_count(a), live);
  }
  gw_archive_free(a);
  if (fflush(stdout) || ferror(stdout)) return GW_EXIT_FAILURE;
  return code;
}

/* ---- check ---- */

typedef struct batch_doc {
  loaded *l;
  gw_archive_entry e;
  entry_strings own;
} batch_doc;

typedef struct batch {
  batch_doc *docs;
  size_t count;
  const gw_meta *meta;
  gw_cli *cli;
} batch;

static int batch_consume(void *arg, size_t index, loaded *l) {
  batch *b = arg;
  batch_doc *bd = &b->docs[b->count];
  if (make_entry(b->meta, b->cli->inputs[index].path, l->doc, &bd->e, &bd->own)) {
    free(bd->own.unit);
    free(bd->own.extras);
    loaded_free(l);
    return GW_ENOMEM;
  }
  bd->l = l;
  b->count++;
  return 0;
}

static void batch_free(batch *b) {
  for (size_t i = 0; i < b->count; i++) {
    loaded_free(b->docs[i].l);
    free(b->docs[i].own.unit);
    free(b->docs[i].own.extras);
  }
  free(b->docs);
}

typedef struct check_view {
  const gw_archive_check *c;
  const gw_dups *d;
  size_t nb, na, n;  /* base, archived, all */
  int text;
  const gw_positions *positions; /* each document's, or NULL */
} check_view;

static int is_batch(const check_view *v, size_t i) { return i >= v->nb + v->na; }

static const char *origin(const check_view *v, size_t i) {
  return i < v->nb ? "base" : is_batch(v, i) ? "batch" : "archive";
}

/* path, unit, year (and from, where another record names it). */
static void write_name(gw_json *w, size_t i, int as_reference, void *payload) {
  const check_view *v = payload;
  const gw_archive_entry *e = gw_archive_check_entry_at(v->c, i, NULL);
  gw_json_member_path(w, "path", e->path);
  gw_json_key(w, "unit");
  gw_json_text(w, e->unit, strlen(e->unit));
  gw_json_key(w, "year");
  if (e->year) gw_json_int(w, e->year);
  else gw_json_null(w);
  if (as_reference) gw_json_member_string(w, "from", origin(v, i));
}

/* What document y is to document x by the units and years of their
 * entries: self_earlier is self-copy year over year. */
static gw_relation relation(size_t x, size_t y, void *payload) {
  const check_view *v = payload;
  const gw_archive_entry *a = gw_archive_check_entry_at(v->c, x, NULL);
  const gw_archive_entry *b = gw_archive_check_entry_at(v->c, y, NULL);
  return gw_relation_of(a->unit, a->year, b->unit, b->year);
}

/* Whether result record i of each kind holds a batch report: the ones
 * check writes (never a pair or family of archive documents alone). */
static int document_in_batch(const check_view *v, size_t i) { return is_batch(v, i); }

static int pair_in_batch(const check_view *v, size_t i) {
  const gw_dups_pair *p = gw_dups_pair_at(v->d, i);
  return is_batch(v, p->a) || is_batch(v, p->b);
}

static int family_in_batch(const check_view *v, size_t i) {
  const gw_dups_family *f = gw_dups_family_at(v->d, i);
  for (size_t k = 0; k < f->member_count; k++)
    if (is_batch(v, gw_dups_family_member_at(v->d, f->member_first + k)->document)) return 1;
  return 0;
}

static int cluster_in_batch(const check_view *v, size_t i) {
  const gw_dups_cluster *c = gw_dups_cluster_at(v->d, i);
  for (size_t k = 0; k < c->member_count; k++)
    if (is_batch(v, gw_dups_member_at(v->d, c->member_first + k)->document)) return 1;
  return 0;
}

typedef struct check_output {
  gw_json *w;
  int lines; /* JSON Lines: each record on its line, typed */
} check_output;

/* The array `name` of the one object (nothing in JSON Lines). */
static void section_begin(check_output *o, const char *name) {
  if (o->lines) return;
  gw_json_key(o->w, name);
  gw_json_array_begin(o->w);
}

static void section_end(check_output *o) {
  if (!o->lines) gw_json_array_end(o->w);
}

static void record_begin(check_output *o, const char *type) {
  gw_json_object_begin(o->w);
  if (o->lines) gw_json_member_string(o->w, "record", type);
}

static void record_end(check_output *o) {
  gw_json_object_end(o->w);
  if (o->lines) gw_json_newline(o->w);
}

static void write_archive_info(gw_json *w, const config *cfg, const gw_archive *a,
                               const check_view *v) {
  gw_json_member_path(w, "path", cfg->archive);
  gw_json_member_uint(w, "generation", gw_archive_generation(a));
  size_t live = 0;
  for (size_t i = 0; i < gw_archive_segment_count(a); i++)
    live += gw_archive_segment_at(a, i)->documents - gw_archive_segment_at(a, i)->deleted;
  gw_json_member_uint(w, "documents", live);
  gw_json_member_uint(w, "candidates", v->na);
  const gw_dups_options *o = gw_dups_options_in_use(v->d);
  gw_json_member_uint(w, "template_min", o->template_min);
  gw_json_member_uint(w, "max_sources", o->max_sources);
  gw_json_key(w, "all_pairs");
  gw_json_bool(w, o->all_pairs);
}

/* The records that hold a batch report, written whole or not at all. */
static int print_check(gw_cli *cli, config *cfg, const gw_archive *a, const check_view *v) {
  gw_json w;
  int lines = cfg->format == 1;
  gw_json_init(&w, NULL, !lines && !cfg->compact);
  check_output o = {&w, lines};
  gw_dups_records r = {v->d, NULL, v->positions, NULL, v->text, write_name, relation,
                       (void *)v};
  if (!lines) {
    gw_json_object_begin(&w);
    gw_json_key(&w, "archive");
  }
  record_begin(&o, "archive");
  write_archive_info(&w, cfg, a, v);
  record_end(&o);
  static const struct {
    const char *name, *type;
    size_t (*count)(const gw_dups *d);
    int (*in_batch)(const check_view *v, size_t i);
    void (*write)(gw_json *w, const gw_dups_records *r, size_t i);
  } sections[] = {
      {"documents", "document", gw_dups_document_count, document_in_batch,
       gw_dups_records_document},
      {"pairs", "pair", gw_dups_pair_count, pair_in_batch, gw_dups_records_pair},
      {"families", "family", gw_dups_family_count, family_in_batch, gw_dups_records_family},
      {"clusters", "cluster", gw_dups_cluster_count, cluster_in_batch, gw_dups_records_cluster}};
  for (size_t k = 0; k < sizeof sections / sizeof *sections; k++) {
    section_begin(&o, sections[k].name);
    for (size_t i = 0; i < sections[k].count(v->d); i++) {
      if (!sections[k].in_batch(v, i)) continue;
      record_begin(&o, sections[k].type);
      sections[k].write(&w, &r, i);
      record_end(&o);
    }
    section_end(&o);
  }
  if (lines) {
    for (size_t i = 0; i < cli->failure_count; i++) {
      record_begin(&o, "error");
      gw_cli_write_failure(&w, cli, i);
      record_end(&o);
    }
  } else {
    gw_cli_write_errors_last(&w, cli);
  }
  gw_json *parts[] = {&w};
  int rc = gw_json_write_parts(stdout, parts, 1);
  gw_json_finish(&w);
  return rc;
}

/* ---- check --format text ---- */

enum { FORMAT_TEXT = 2, TEXT_REPORTS = 10, TEXT_SELF = 10, TEXT_PAIRS = 5, TEXT_FAMILIES = 5,
       TEXT_MEMBERS = 3 };

/* "PATH (UNIT YEAR, archive)". */
static void put_document(FILE *out, const check_view *v, size_t i) {
  const gw_archive_entry *e = gw_archive_check_entry_at(v->c, i, NULL);
  gw_text_put_name(out, e->path);
  fputs(" (", out);
  if (e->unit[0]) {
    gw_text_put_name(out, e->unit);
    fputc(' ', out);
  }
  if (e->year) fprintf(out, "%d, ", e->year);
  fputs(i < v->nb ? "base)" : is_batch(v, i) ? "batch)" : "archive)", out);
}

/* "line L": where original offset `offset` of document i stands. */
static void put_line(FILE *out, const check_view *v, size_t i, size_t offset) {
  size_t line, column;
  gw_positions_at(&v->positions[i], offset, &line, &column);
  fprintf(out, "line %zu", line);
}

/* “the passage” as compared (characters, masks as **), on its own line:
 * an archived report's file may be gone or changed since it was added. */
static int put_quote(FILE *out, const check_view *v, size_t doc, const gw_dups_range *r,
                     size_t width) {
  return gw_dups_text_quote(out, v->d, doc, r, NULL, width);
}

/* Batch reports whose sources include their own unit's earlier report. */
static void text_self_copies(FILE *out, const check_view *v) {
  fputs("\nSelf-copy year over year (a unit's own report of an earlier year):\n", out);
  size_t listed = 0, more = 0;
  for (size_t i = v->nb + v->na; i < v->n; i++) {
    const gw_dups_document *di = gw_dups_document_at(v->d, i);
    for (size_t s = 0; s < di->source_count; s++) {
      const gw_dups_source *src = gw_dups_source_at(v->d, di->source_first + s);
      if (relation(i, src->document, (void *)v) != GW_RELATION_SELF_EARLIER) continue;
      if (listed == TEXT_SELF) {
        more++;
        continue;
      }
      fputs("  ", out);
      gw_text_put_percent(out, src->share);
      fputs("  ", out);
      put_document(out, v, i);
      fputs(" from ", out);
      put_document(out, v, src->document);
      fputc('\n', out);
      listed++;
    }
  }
  if (!listed) fputs("  none\n", out);
  if (more) fprintf(out, "  ... %zu more\n", more);
}

static int text_pairs(FILE *out, const check_view *v, size_t width) {
  fputs("\nMost copied pairs with a batch report:\n", out);
  size_t listed = 0;
  int rc = GW_OK;
  for (size_t i = 0; !rc && i < gw_dups_pair_count(v->d) && listed < TEXT_PAIRS; i++) {
    const gw_dups_pair *p = gw_dups_pair_at(v->d, i);
    if (!p->copied_a && !p->copied_b) break; /* pairs come by copied characters */
    if (!pair_in_batch(v, i)) continue;
    size_t copies = gw_dups_copy_passages(v->d, p);
    fputs("  ", out);
    put_document(out, v, p->a);
    fputs(" ~ ", out);
    put_document(out, v, p->b);
    fputs("\n    similarity ", out);
    gw_text_put_percent(out, p->similarity);
    fprintf(out, ", %zu and %zu characters in %zu passage%s, %s\n", p->copied_a, p->copied_b,
            copies, copies == 1 ? "" : "s",
            gw_relation_name(relation(p->b, p->a, (void *)v)));
    const gw_dups_passage *best = gw_dups_longest_copy(v->d, p);
    if (best) {
      fputs("      ", out);
      put_line(out, v, p->a, best->a.start);
      fputs(" ~ ", out);
      put_line(out, v, p->b, best->b.start);
      fputc('\n', out);
      rc = put_quote(out, v, p->a, &best->a, width);
    }
    listed++;
  }
  if (!listed) fputs("  none\n", out);
  return rc;
}

static int text_families(FILE *out, const check_view *v, size_t width) {
  fputs("\nLargest families holding a batch report (text shared by several reports;\n"
        "archive members are the candidates loaded):\n", out);
  size_t listed = 0, total = 0;
  int rc = GW_OK;
  /* Families come by documents descending. */
  for (size_t i = 0; !rc && i < gw_dups_family_count(v->d); i++) {
    const gw_dups_family *f = gw_dups_family_at(v->d, i);
    size_t from_batch = 0;
    for (size_t k = 0; k < f->member_count; k++)
      from_batch += is_batch(v, gw_dups_family_member_at(v->d, f->member_first + k)->document);
    if (!from_batch) continue;
    total++;
    if (listed == TEXT_FAMILIES) continue;
    fprintf(out, "  %zu reports (%zu member%s from the batch), %zu characters", f->documents,
            from_batch, from_batch == 1 ? "" : "s", f->characters);
    if (f->earliest_year) fprintf(out, ", earliest %d", f->earliest_year);
    fputc('\n', out);
    const gw_dups_family_member *t = gw_dups_family_member_at(v->d, f->member_first + f->text_member);
    rc = put_quote(out, v, t->document, &t->range, width);
    for (size_t k = 0; k < f->member_count && k < TEXT_MEMBERS; k++) {
      const gw_dups_family_member *m = gw_dups_family_member_at(v->d, f->member_first + k);
      fputs("      ", out);
      put_document(out, v, m->document);
      fputc(' ', out);
      put_line(out, v, m->document, m->range.start);
      fputc('\n', out);
    }
    if (f->member_count > TEXT_MEMBERS)
      fprintf(out, "      ... %zu more\n", f->member_count - TEXT_MEMBERS);
    listed++;
  }
  if (!listed) fputs("  none\n", out);
  else if (total > listed) fprintf(out, "  ... %zu more families\n", total - listed);
  return rc;
}

/* The same kind of summary as gw-dups --format text, seen from the batch:
 * archive-only pairs and families are never shown. */
static int print_check_text(FILE *out, const gw_cli *cli, const gw_archive *a,
                            const check_view *v) {
  size_t live = 0, characters = 0, high = 0, reports = v->n - v->nb - v->na;
  double sum = 0, max = 0;
  for (size_t i = 0; i < gw_archive_segment_count(a); i++)
    live += gw_archive_segment_at(a, i)->documents - gw_archive_segment_at(a, i)->deleted;
  for (size_t i = v->nb + v->na; i < v->n; i++) {
    const gw_dups_document *di = gw_dups_document_at(v->d, i);
    characters += di->characters;
    sum += di->copy_ratio;
    if (di->copy_ratio > max) max = di->copy_ratio;
    high += di->copy_ratio >= 0.3;
  }
  char **paths = calloc(v->n + 1, sizeof *paths);
  if (!paths) return GW_ENOMEM;
  for (size_t i = 0; i < v->n; i++)
    paths[i] = (char *)gw_archive_check_entry_at(v->c, i, NULL)->path;
  gw_text_put_count(out, reports);
  fputs(reports == 1 ? " report, " : " reports, ", out);
  gw_text_put_count(out, characters);
  fputs(" characters, checked against an archive of ", out);
  gw_text_put_count(out, live);
  fprintf(out, " (generation %llu; ", (unsigned long long)gw_archive_generation(a));
  gw_text_put_count(out, v->na);
  fputs(" sharing text with the batch loaded)", out);
  if (v->nb) fprintf(out, " and %zu base document%s", v->nb, v->nb == 1 ? "" : "s");
  fputs("\nCopy ratio: mean ", out);
  gw_text_put_percent(out, reports ? sum / (double)reports : 0);
  fputs(", max ", out);
  gw_text_put_percent(out, max);
  fprintf(out, "; %zu of %zu report%s at 30%% or more\n", high, reports, reports == 1 ? "" : "s");
  size_t width = (gw_text_terminal_width() - 8) / 2;
  gw_dups_view view = {out, v->d, paths, NULL, width};
  int rc = gw_dups_text_reports(&view, v->nb + v->na, TEXT_REPORTS);
  if (!rc) text_self_copies(out, v);
  if (!rc) rc = text_families(out, v, width);
  if (!rc) rc = text_pairs(out, v, width);
  free(paths);
  if (rc) return rc;
  size_t clusters = 0;
  for (size_t i = 0; i < gw_dups_cluster_count(v->d); i++) clusters += cluster_in_batch(v, i);
  fprintf(out, "\nNear-duplicate paragraph clusters with a batch report: %zu\n", clusters);
  gw_cli_print_failures(out, cli);
  fputs("\nEvery passage, family and cluster with offsets: gw-archive check --format json.\n",
        out);
  return ferror(out) ? GW_EIO : GW_OK;
}

/* The summary written whole or not at all: made in memory first. */
static int write_check_text(const gw_cli *cli, const gw_archive *a, const check_view *v) {
  char *text = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&text, &len);
  if (!mem) return GW_ENOMEM;
  int rc = print_check_text(mem, cli, a, v);
  if (fclose(mem) || rc == GW_EIO) rc = GW_ENOMEM; /* a memory stream fails to grow */
  if (!rc && fwrite(text, 1, len, stdout) != len) rc = GW_EIO;
  free(text);
  return rc;
}

/* ---- line and column of every result document ---- */

typedef struct positions_run {
  const gw_archive *a;
  const gw_archive_check *c;
  const batch *base, *b;
  size_t nb, na;
  gw_positions *out;
  gw_cli *cli;
} positions_run;

typedef struct positions_work {
  int rc;
  gw_error err;
} positions_work;

/* A base or batch document's positions from its loaded document, an
 * archived candidate's from its text in the archive (decoded only: lines
 * and columns need no noise patterns or normalizer). */
static void *positions_prepare(void *arg, unsigned worker, size_t i) {
  (void)worker;
  positions_run *run = arg;
  positions_work *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  if (i < run->nb) {
    w->rc = gw_positions_build(&run->out[i], run->base->docs[i].l->doc);
  } else if (i >= run->nb + run->na) {
    w->rc = gw_positions_build(&run->out[i], run->b->docs[i - run->nb - run->na].l->doc);
  } else {
    size_t index;
    gw_document *doc;
    gw_archive_check_entry_at(run->c, i, &index);
    w->rc = gw_archive_document_load(&doc, run->a, index, NULL, &w->err);
    if (!w->rc) w->rc = gw_positions_build(&run->out[i], doc);
    gw_document_free(doc);
  }
  return w;
}

static int positions_consume(void *arg, size_t i, void *result) {
  (void)i;
  positions_run *run = arg;
  positions_work *w = result;
  int rc = w ? w->rc : GW_ENOMEM;
  if (rc == GW_ENOMEM) gw_cli_error(run->cli, "out of memory");
  else if (rc) gw_cli_error(run->cli, "%s", w->err.message);
  free(w);
  return rc;
}

static void positions_discard(void *arg, void *result) {
  (void)arg;
  free(result);
}

/* Every result document's positions (array of n), or NULL after an error
 * (reported). */
static gw_positions *build_positions(gw_cli *cli, const config *cfg, const gw_archive *a,
                                     const check_view *v, const batch *base, const batch *b) {
  gw_positions *out = calloc(v->n + 1, sizeof *out);
  if (!out) {
    gw_cli_error(cli, "out of memory");
    return NULL;
  }
  positions_run run = {a, v->c, base, b, v->nb, v->na, out, cli};
  if (gw_par_map(v->n, (unsigned)cfg->threads, positions_prepare, positions_consume,
                 positions_discard, &run)) {
    for (size_t i = 0; i < v->n; i++) gw_positions_free(&out[i]);
    free(out);
    return NULL;
  }
  return out;
}

static int cmd_check(gw_cli *cli, config *cfg, char **inputs, size_t n_inputs) {
  gw_meta *meta;
  if (load_meta(cli, cfg->meta_path, &meta)) return GW_EXIT_FAILURE;
  gw_cli base_cli;
  gw_cli_init(&base_cli, "gw-archive");
  int failed = 0;
  for (size_t i = 0; !failed && i < cfg->base.count; i++)
    failed = gw_cli_add_path(&base_cli, cfg->base.items[i]) || base_cli.failure_count;
  if (failed || gw_cli_collect(cli, inputs, n_inputs, cfg->list_path)) {
    gw_cli_free(&base_cli);
    gw_meta_free(meta);
    return GW_EXIT_FAILURE;
  }
  data_files f;
  memset(&f, 0, sizeof f);
  gw_archive *a = open_archive(cli, cfg->archive, GW_ARCHIVE_READ, &f);
  batch b = {NULL, 0, meta, cli}, base = {NULL, 0, NULL, &base_cli};
  gw_archive_check *chk = NULL;
  gw_error err;
  failed = !a;
  if (!failed) {
    cfg->document.noise = f.noise;
    cfg->document.normalizer = f.normalizer;
    b.docs = calloc(cli->input_count + 1, sizeof *b.docs);
    base.docs = calloc(base_cli.input_count + 1, sizeof *base.docs);
    if (!b.docs || !base.docs || load_all(&base_cli, cfg, f.terms, batch_consume, &base) ||
        load_all(cli, cfg, f.terms, batch_consume, &b)) {
      gw_cli_error(cli, "out of memory");
      failed = 1;
    } else if (base.count != base_cli.input_count) {
      gw_cli_error(cli, "cannot analyse a base document");
      failed = 1;
    }
  }
  if (!failed) {
    gw_archive_check_options o = {GW_ARCHIVE_CHECK_OPTIONS_VERSION, cfg->dups, cfg->document,
                                  f.terms};
    gw_archive_params_to_dups(gw_archive_params_in_use(a), &o.dups);
    int rc = gw_archive_check_new(&chk, a, &o, &err);
    for (size_t i = 0; !rc && i < base.count; i++)
      rc = gw_archive_check_add(chk, base.docs[i].l->doc, base.docs[i].l->spans,
                                base.docs[i].l->n_spans, &base.docs[i].e, 1, &err);
    for (size_t i = 0; !rc && i < b.count; i++)
      rc = gw_archive_check_add(chk, b.docs[i].l->doc, b.docs[i].l->spans, b.docs[i].l->n_spans,
                                &b.docs[i].e, 0, &err);
    if (!rc) rc = gw_archive_check_run(chk, &err);
    if (rc) {
      gw_cli_error(cli, "%s", err.message);
      failed = 1;
    }
  }
  if (!failed) {
    check_view v = {chk, gw_archive_check_dups(chk), gw_archive_check_base_count(chk),
                    gw_archive_check_archived_count(chk), 0, !cfg->no_text, NULL};
    v.n = gw_dups_document_count(v.d);
    gw_positions *positions = build_positions(cli, cfg, a, &v, &base, &b);
    v.positions = positions;
    int rc = !positions                   ? GW_EINVAL
             : cfg->format == FORMAT_TEXT ? write_check_text(cli, a, &v)
                                          : print_check(cli, cfg, a, &v);
    if (rc == GW_ENOMEM) gw_cli_error(cli, "out of memory");
    if (rc == GW_ENOMEM || !positions) failed = 1;
    for (size_t i = 0; positions && i < v.n; i++) gw_positions_free(&positions[i]);
    free(positions);
  }
  gw_archive_check_free(chk);
  batch_free(&b);
  batch_free(&base);
  gw_archive_free(a);
  data_files_free(&f);
  gw_meta_free(meta);
  gw_cli_free(&base_cli);
  int code = gw_cli_finish(cli);
  return failed ? GW_EXIT_FAILURE : code;
}

/* ---- main ---- */

typedef struct command {
  const char *name, *synopsis;
  const char *heading; /* of its options in gw-archive --help; NULL: none */
  const gw_opt *opts;
  size_t n;
  int inputs; /* takes operands after ARCHIVE */
} command;

static int is_listed(const gw_opt *opts, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (opts[i].name && strcmp(opts[i].name, name) == 0) return 1;
  return 0;
}

/* The commands, then each one's options from its table, each option once
 * (under the first command that takes it), then the notes. */
static int print_help(gw_cli *cli, const command *commands, size_t n_commands) {
  enum { MOST = 96 };
  gw_opt opts[MOST];
  size_t n = 0;
  opts[n++] = gw_opt_heading(help_commands);
  for (size_t c = 0; c < n_commands; c++) {
    if (!commands[c].heading) continue;
    size_t heading = n;
    opts[n++] = gw_opt_heading(commands[c].heading);
    for (size_t i = 0; i < commands[c].n && n < MOST - 3; i++) {
      const gw_opt *o = &commands[c].opts[i];
      if (o->kind == GW_OPT_HELP || o->kind == GW_OPT_VERSION || o->kind == GW_OPT_HEADING ||
          is_listed(opts, n, o->name))
        continue;
      opts[n++] = *o;
    }
    if (n == heading + 1) n--; /* nothing new */
  }
  opts[n++] = gw_opt_heading("every command:");
  opts[n++] = gw_opt_help();
  opts[n++] = gw_opt_version();
  const gw_opt_table table = {"COMMAND ARCHIVE [OPTIONS] [FILE|DIR|-]...", help_description, opts,
                              n, help_notes};
  return gw_opt_print_usage(cli, &table);
}

int main(int argc, char **argv) {
  gw_cli cli;
  gw_cli_init(&cli, "gw-archive");
  if (argc < 2) return gw_cli_usage_error(&cli, "a command is needed (init, add, check, list, "
                                          "remove, merge, verify)");
  const char *cmd = argv[1];
  if (strcmp(cmd, "--version") == 0) return gw_cli_print_version(&cli);
  config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.document = (gw_document_options)GW_DOCUMENT_OPTIONS_INIT;
  cfg.dups = (gw_dups_options)GW_DUPS_OPTIONS_INIT;
  cfg.threads = gw_par_default_threads();
  cfg.template_min = cfg.dups.template_min;
  cfg.max_sources = cfg.dups.max_sources;
  cfg.max_gap = cfg.dups.max_gap;
  cfg.shingle_k = cfg.dups.shingle_k;
  cfg.minhash = cfg.dups.minhash_count;
  cfg.bands = cfg.dups.bands;
  cfg.min_paragraph = cfg.dups.min_paragraph_chars;
  cfg.passage_t = cfg.dups.passage_t;
  cfg.passage_k = cfg.dups.passage_k;
  static const char *const formats[] = {"json", "jsonl", "text", NULL};
  gw_opt meta = {.name = "meta", .kind = GW_OPT_STRING, .target = &cfg.meta_path, .arg = "FILE",
                 .help = "TSV: path, unit, year, title (more columns\n"
                         "kept); without it the unit is the parent\n"
                         "folder's name and the year the one the text\n"
                         "names"};
  const gw_opt count_opts[] = {
      {.name = "shingle-k", .kind = GW_OPT_COUNT, .target = &cfg.shingle_k, .arg = "N",
       .help = "characters per shingle (3)", .lo = 1, .hi = 64},
      {.name = "minhash", .kind = GW_OPT_COUNT, .target = &cfg.minhash, .arg = "N",
       .help = "MinHash values per paragraph (120)", .lo = 1, .hi = 100000},
      {.name = "bands", .kind = GW_OPT_COUNT, .target = &cfg.bands, .arg = "N",
       .help = "LSH bands, dividing --minhash (40)", .lo = 1, .hi = 100000},
      {.name = "seed", .kind = GW_OPT_STRING, .target = &cfg.seed, .arg = "N",
       .help = "hash seed (0x9e3779b97f4a7c15)"},
      {.name = "min-paragraph", .kind = GW_OPT_COUNT, .target = &cfg.min_paragraph, .arg = "N",
       .help = "shorter paragraphs are not clustered (10)", .lo = 0, .hi = 100000000},
      {.name = "passage-t", .kind = GW_OPT_COUNT, .target = &cfg.passage_t, .arg = "N",
       .help = "every shared run of N characters is found (13)", .lo = 2, .hi = 13},
      {.name = "passage-k", .kind = GW_OPT_COUNT, .target = &cfg.passage_k, .arg = "N",
       .help = "fingerprint length, <= passage-t (8)", .lo = 1, .hi = 13},
      {.name = "no-terms", .kind = GW_OPT_FLAG, .target = &cfg.no_terms,
       .help = "count official formulations as copying too"},
      gw_opt_help(), gw_opt_version()};
  const gw_opt add_opts[] = {meta, gw_opt_threads(&cfg.threads),
                             GW_OPT_INPUT_OPTIONS(&cfg.list_path, &cfg.document)};
  const gw_opt check_opts[] = {
      meta,
      gw_opt_format(&cfg.format, formats,
                    "one JSON object (default), JSON Lines, or a\nsummary for the terminal", NULL),
      gw_opt_compact(&cfg.compact),
      {.name = "no-text", .kind = GW_OPT_FLAG, .target = &cfg.no_text,
       .help = "leave the passage text out"},
      {.name = "base", .kind = GW_OPT_STRINGS, .target = &cfg.base, .arg = "FILE|DIR",
       .help = "a base document (repeatable): text found\nin it is never copying"},
      {.name = "template-min", .kind = GW_OPT_COUNT, .target = &cfg.template_min, .arg = "N",
       .help = "a passage shared by N documents or more is\na template (5)", .lo = 2,
       .hi = 100000000},
      {.name = "max-sources", .kind = GW_OPT_COUNT, .target = &cfg.max_sources, .arg = "N",
       .help = "sources listed per document, 0 for all (10)", .lo = 0, .hi = 100000000},
      {.name = "all-pairs", .kind = GW_OPT_FLAG, .target = &cfg.all_pairs,
       .help = "every pair found, also those sharing only\nofficial or base text"},
      {.name = "min-jaccard", .kind = GW_OPT_NUMBER, .target = &cfg.dups.min_jaccard, .arg = "X",
       .help = "exact Jaccard for a near-duplicate pair (0.5)", .lo = 1e-9, .hi = 1},
      {.name = "min-containment", .kind = GW_OPT_NUMBER, .target = &cfg.dups.min_containment,
       .arg = "X", .help = "... or exact containment (0.8)", .lo = 1e-9, .hi = 1000},
      {.name = "max-gap", .kind = GW_OPT_COUNT, .target = &cfg.max_gap, .arg = "N",
       .help = "edited characters bridged inside a passage (4)", .lo = 0, .hi = 100000000},
      gw_opt_threads(&cfg.threads),
      GW_OPT_INPUT_OPTIONS(&cfg.list_path, &cfg.document)};
  const gw_opt list_opts[] = {
      {.name = "documents", .kind = GW_OPT_FLAG, .target = &cfg.documents,
       .help = "every document, not only the segments and units"},
      gw_opt_compact(&cfg.compact), gw_opt_help(), gw_opt_version()};
  const gw_opt remove_opts[] = {
      {.name = "unit", .kind = GW_OPT_STRINGS, .target = &cfg.units, .arg = "U",
       .help = "every document of unit U (repeatable)"},
      gw_opt_help(), gw_opt_version()};
  const gw_opt plain_opts[] = {gw_opt_help(), gw_opt_version()};
  const command commands[] = {
      {"init", "init ARCHIVE [OPTIONS]", "init:", count_opts,
       sizeof count_opts / sizeof *count_opts, 0},
      {"add", "add ARCHIVE [OPTIONS] [FILE|DIR|-]...", "add, check:", add_opts,
       sizeof add_opts / sizeof *add_opts, 1},
      {"check", "check ARCHIVE [OPTIONS] [FILE|DIR|-]...", "check:", check_opts,
       sizeof check_opts / sizeof *check_opts, 1},
      {"list", "list ARCHIVE [OPTIONS]", "list (and --compact):", list_opts,
       sizeof list_opts / sizeof *list_opts, 0},
      {"remove", "remove ARCHIVE [--unit U]... [PATH]...", "remove:", remove_opts,
       sizeof remove_opts / sizeof *remove_opts, 1},
      {"merge", "merge ARCHIVE", NULL, plain_opts, 2, 0},
      {"verify", "verify ARCHIVE", NULL, plain_opts, 2, 0},
      {"import", "import ARCHIVE FROM", NULL, plain_opts, 2, 1}};
  size_t n_commands = sizeof commands / sizeof *commands;
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
    int code = print_help(&cli, commands, n_commands);
    free(cfg.base.items);
    free(cfg.units.items);
    gw_cli_free(&cli);
    return code;
  }
  const struct command *c = NULL;
  for (size_t i = 0; i < n_commands; i++)
    if (strcmp(commands[i].name, cmd) == 0) c = &commands[i];
  if (!c) return gw_cli_usage_error(&cli, "unknown command '%s'", cmd);
  int first;
  int code = parse(&cli, c->synopsis, c->opts, c->n, argc - 1, argv + 1, &first);
  if (code >= 0) goto out;
  char **operands = argv + 1 + first;
  size_t n_operands = (size_t)(argc - 1 - first);
  if (!n_operands) {
    code = gw_cli_usage_error(&cli, "%s needs the ARCHIVE folder", cmd);
    goto out;
  }
  cfg.archive = operands[0];
  operands++;
  n_operands--;
  if (!c->inputs && n_operands) {
    code = gw_cli_usage_error(&cli, "%s takes no argument after ARCHIVE ('%s')", cmd, operands[0]);
    goto out;
  }
  if (cfg.compact && cfg.format == FORMAT_TEXT) {
    code = gw_cli_usage_error(&cli, "--compact is for --format json");
    goto out;
  }
  if (cfg.passage_k > cfg.passage_t) {
    code = gw_cli_usage_error(&cli, "--passage-k must not exceed --passage-t");
    goto out;
  }
  cfg.dups.template_min = (unsigned)cfg.template_min;
  cfg.dups.max_sources = (unsigned)cfg.max_sources;
  cfg.dups.max_gap = (unsigned)cfg.max_gap;
  cfg.dups.all_pairs = cfg.all_pairs;
  cfg.dups.threads = (unsigned)cfg.threads;
  if (strcmp(cmd, "init") == 0) code = cmd_init(&cli, &cfg);
  else if (strcmp(cmd, "add") == 0) code = cmd_add(&cli, &cfg, operands, n_operands);
  else if (strcmp(cmd, "check") == 0) code = cmd_check(&cli, &cfg, operands, n_operands);
  else if (strcmp(cmd, "list") == 0) code = cmd_list(&cli, &cfg);
  else if (strcmp(cmd, "remove") == 0) code = cmd_remove(&cli, &cfg, operands, n_operands);
  else if (strcmp(cmd, "merge") == 0) code = cmd_merge(&cli, &cfg);
  else if (strcmp(cmd, "import") == 0) code = cmd_import(&cli, &cfg, operands, n_operands);
  else code = cmd_verify(&cli, &cfg);
out:
  free(cfg.base.items);
  free(cfg.units.items);
  gw_cli_free(&cli);
  return code;
}
