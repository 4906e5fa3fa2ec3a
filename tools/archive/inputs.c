/* inputs.c — what gw-archive's commands share (see archive.h): the data
 * files, the archive opened against them, entries, inputs loaded on
 * threads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "parallel.h"

/* ---- data files ---- */

void archive_data_free(archive_data *f) {
  gw_terms_free(f->terms);
  gw_normalizer_free(f->normalizer);
  gw_noise_free(f->noise);
  free(f->terms_path);
  free(f->noise_path);
  free(f->dir);
}

int archive_data_open(gw_cli *cli, archive_data *f, int terms, int load) {
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

gw_archive *archive_open(gw_cli *cli, const char *dir, int mode, archive_data *f) {
  gw_error err;
  gw_archive *a;
  if (gw_archive_open(&a, dir, mode, NULL, &err)) {
    gw_cli_error(cli, "%s", err.message);
    return NULL;
  }
  if (!f) return a;
  gw_archive_params want = *gw_archive_params_in_use(a);
  int terms = want.terms_checksum != 0;
  if (archive_data_open(cli, f, terms, 1)) {
    gw_archive_free(a);
    return NULL;
  }
  gw_dups_options o = GW_DUPS_OPTIONS_INIT;
  gw_archive_params_to_dups(&o, &want);
  gw_archive_params_init(&want, &o, f->terms_sum, f->noise_sum);
  if (gw_archive_params_match(a, &want, &err)) {
    gw_cli_error(cli, "%s", err.message);
    gw_archive_free(a);
    return NULL;
  }
  return a;
}

size_t archive_live_documents(const gw_archive *a) {
  size_t live = 0;
  for (size_t i = 0; i < gw_archive_segment_count(a); i++)
    live += gw_archive_segment_at(a, i)->documents - gw_archive_segment_at(a, i)->deleted;
  return live;
}

/* ---- entries ---- */

/* The parent folder's name ("" when the path has none). */
static char *parent_name(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return strdup("");
  const char *start = slash;
  while (start > path && start[-1] != '/') start--;
  return strndup(start, (size_t)(slash - start));
}

void archive_entry_free(archive_entry *entry) {
  free(entry->unit);
  free(entry->extras);
}

int archive_entry_make(archive_entry *entry, const gw_meta *meta, const char *path,
                       const gw_document *doc) {
  const gw_meta_row *row = meta ? gw_meta_find(meta, path) : NULL;
  gw_archive_entry *e = &entry->e;
  memset(entry, 0, sizeof *entry);
  e->path = path;
  e->title = row ? row->title : "";
  e->year = row && row->year ? row->year : gw_document_year(doc);
  if (row && row->unit[0]) {
    e->unit = row->unit;
  } else {
    entry->unit = parent_name(path);
    if (!entry->unit) return -1;
    e->unit = entry->unit;
  }
  size_t len = 1;
  for (size_t i = 0; row && i < row->extra_count; i++) len += strlen(row->extras[i]) + 1;
  entry->extras = malloc(len);
  if (!entry->extras) {
    archive_entry_free(entry);
    return -1;
  }
  entry->extras[0] = '\0';
  for (size_t i = 0; row && i < row->extra_count; i++) {
    if (i) strcat(entry->extras, "\t");
    strcat(entry->extras, row->extras[i]);
  }
  e->extras = entry->extras;
  return 0;
}

/* ---- loading inputs on threads ---- */

typedef struct load_ctx {
  gw_cli *cli;
  const gw_document_options *opts;
  const gw_terms *terms;
  gw_term_result **results; /* per worker */
  int (*consume)(void *ctx, size_t index, archive_loaded *l);
  void *consume_ctx;
} load_ctx;

static void *load_prepare(void *arg, unsigned worker, size_t index) {
  load_ctx *c = arg;
  archive_loaded *l = calloc(1, sizeof *l);
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

void archive_loaded_free(archive_loaded *l) {
  if (!l) return;
  gw_document_free(l->doc);
  free(l->spans);
  free(l->message);
  free(l);
}

static void load_discard(void *arg, void *result) {
  (void)arg;
  archive_loaded_free(result);
}

static int load_consume(void *arg, size_t index, void *result) {
  load_ctx *c = arg;
  archive_loaded *l = result;
  if (!l) return GW_ENOMEM;
  gw_cli_progress(c->cli, index, c->cli->input_count, c->cli->inputs[index].path);
  int rc = gw_cli_loaded(c->cli, index, l->rc, l->message);
  if (rc == GW_ENOMEM) {
    archive_loaded_free(l);
    return rc;
  }
  if (l->rc) {
    archive_loaded_free(l);
    return 0;
  }
  return c->consume(c->consume_ctx, index, l); /* owns l */
}

int archive_load_all(gw_cli *cli, const archive_config *cfg, const gw_terms *terms,
                     int (*consume)(void *ctx, size_t index, archive_loaded *l), void *ctx) {
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
