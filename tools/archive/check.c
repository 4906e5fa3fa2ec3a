/* check.c — gw-archive check: the batch (and any base documents) loaded,
 * checked against the archive and itself, each result document's lines
 * and columns found, and the results written (check_output.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dups_cli.h"
#include "parallel.h"

/* ---- the documents loaded, in input order ---- */

typedef struct batch_doc {
  archive_loaded *l;
  archive_entry entry;
} batch_doc;

typedef struct batch {
  batch_doc *docs;
  size_t count;
  const gw_meta *meta;
  gw_cli *cli;
} batch;

static int batch_consume(void *arg, size_t index, archive_loaded *l) {
  batch *b = arg;
  batch_doc *bd = &b->docs[b->count];
  if (archive_entry_make(&bd->entry, b->meta, b->cli->inputs[index].path, l->doc)) {
    archive_loaded_free(l);
    return GW_ENOMEM;
  }
  bd->l = l;
  b->count++;
  return 0;
}

static void batch_free(batch *b) {
  for (size_t i = 0; i < b->count; i++) {
    archive_loaded_free(b->docs[i].l);
    archive_entry_free(&b->docs[i].entry);
  }
  free(b->docs);
}

/* The base documents and the batch loaded (every base document must be):
 * 0, or -1 after the error is reported. */
static int load_batches(gw_cli *cli, gw_cli *base_cli, const archive_config *cfg,
                        const gw_terms *terms, batch *base, batch *b) {
  b->docs = calloc(cli->input_count + 1, sizeof *b->docs);
  base->docs = calloc(base_cli->input_count + 1, sizeof *base->docs);
  if (!b->docs || !base->docs || archive_load_all(base_cli, cfg, terms, batch_consume, base) ||
      archive_load_all(cli, cfg, terms, batch_consume, b)) {
    gw_cli_error(cli, "out of memory");
    return -1;
  }
  if (base->count != base_cli->input_count) {
    gw_cli_error(cli, "cannot analyse a base document");
    return -1;
  }
  return 0;
}

/* The check run over the base documents and the batch: NULL after an
 * error (reported). */
static gw_archive_check *run_check(gw_cli *cli, const archive_config *cfg, const gw_archive *a,
                                   const gw_terms *terms, const batch *base, const batch *b) {
  gw_archive_check_options o = {GW_ARCHIVE_CHECK_OPTIONS_VERSION, cfg->dups, cfg->document,
                                terms};
  gw_archive_params_to_dups(&o.dups, gw_archive_params_in_use(a));
  gw_archive_check *chk = NULL;
  gw_error err;
  int rc = gw_archive_check_new(&chk, a, &o, &err);
  for (size_t i = 0; !rc && i < base->count; i++)
    rc = gw_archive_check_add(chk, base->docs[i].l->doc, base->docs[i].l->spans,
                              base->docs[i].l->n_spans, &base->docs[i].entry.e, 1, &err);
  for (size_t i = 0; !rc && i < b->count; i++)
    rc = gw_archive_check_add(chk, b->docs[i].l->doc, b->docs[i].l->spans, b->docs[i].l->n_spans,
                              &b->docs[i].entry.e, 0, &err);
  if (!rc) rc = gw_archive_check_run(chk, &err);
  if (rc) {
    gw_cli_error(cli, "%s", err.message);
    gw_archive_check_free(chk);
    return NULL;
  }
  return chk;
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
 * archived candidate's from its text in the archive, decoded only (lines
 * and columns need no normalized view). */
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
    size_t index = gw_archive_check_archive_index_at(run->c, i);
    gw_archive_text *text;
    w->rc = gw_archive_text_load(&text, run->a, index, &w->err);
    if (!w->rc) w->rc = gw_positions_build_archived(&run->out[i], text);
    gw_archive_text_free(text);
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
static gw_positions *build_positions(gw_cli *cli, const archive_config *cfg, const gw_archive *a,
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

/* The results written as cfg->format asks: 0, or -1 after the error is
 * reported. */
static int write_results(gw_cli *cli, const archive_config *cfg, const gw_archive *a,
                         const gw_archive_check *chk, const batch *base, const batch *b) {
  check_view v = {chk, gw_archive_check_dups(chk), gw_archive_check_base_count(chk),
                  gw_archive_check_archived_count(chk), 0, !cfg->no_text, NULL};
  v.n = gw_dups_document_count(v.d);
  gw_positions *positions = build_positions(cli, cfg, a, &v, base, b);
  if (!positions) return -1;
  v.positions = positions;
  int rc = cfg->format == ARCHIVE_FORMAT_TEXT ? check_write_text(cli, a, &v)
                                              : check_write_records(cli, cfg, a, &v);
  if (rc == GW_ENOMEM) gw_cli_error(cli, "out of memory");
  for (size_t i = 0; i < v.n; i++) gw_positions_free(&positions[i]);
  free(positions);
  return rc == GW_ENOMEM ? -1 : 0;
}

int archive_check(gw_cli *cli, archive_config *cfg, char **inputs, size_t n_inputs) {
  int code = gw_dups_cli_check(cli, &cfg->dups);
  if (code >= 0) return code;
  gw_meta *meta;
  if (gw_dups_cli_load_meta(cli, cfg->meta_path, &meta)) return GW_EXIT_FAILURE;
  gw_cli base_cli;
  gw_cli_init(&base_cli, "gw-archive");
  int failed = gw_dups_cli_collect_base(&base_cli, &cfg->base);
  if (failed || gw_cli_collect(cli, inputs, n_inputs, cfg->list_path)) {
    gw_cli_free(&base_cli);
    gw_meta_free(meta);
    return GW_EXIT_FAILURE;
  }
  archive_data f;
  memset(&f, 0, sizeof f);
  gw_archive *a = archive_open(cli, cfg->archive, GW_ARCHIVE_READ, &f);
  batch b = {NULL, 0, meta, cli}, base = {NULL, 0, NULL, &base_cli};
  gw_archive_check *chk = NULL;
  failed = !a;
  if (!failed) {
    cfg->document.noise = f.noise;
    cfg->document.normalizer = f.normalizer;
    failed = load_batches(cli, &base_cli, cfg, f.terms, &base, &b) ||
             !(chk = run_check(cli, cfg, a, f.terms, &base, &b)) ||
             write_results(cli, cfg, a, chk, &base, &b);
  }
  gw_archive_check_free(chk);
  batch_free(&b);
  batch_free(&base);
  gw_archive_free(a);
  archive_data_free(&f);
  gw_meta_free(meta);
  gw_cli_free(&base_cli);
  code = gw_cli_finish(cli);
  return failed ? GW_EXIT_FAILURE : code;
}
