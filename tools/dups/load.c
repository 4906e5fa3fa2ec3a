/* load.c — the documents of a run: read, decoded and normalized, matched
 * against the terms and prepared for the index on the workers, added to
 * the index in input order. */
#include <stdlib.h>
#include <string.h>

#include "dups/dups.h"
#include "dups_cli.h"
#include "parallel.h"

int dups_documents_init(dups_documents *docs, size_t inputs) {
  size_t most = inputs + 1;
  memset(docs, 0, sizeof *docs);
  docs->paths = calloc(most, sizeof *docs->paths);
  docs->positions = calloc(most, sizeof *docs->positions);
  docs->borrowed = calloc(most, 1);
  docs->document_of = malloc(most * sizeof *docs->document_of);
  docs->has_claims = gw_text_claims_init(&docs->claims) == 0;
  if (!docs->paths || !docs->positions || !docs->borrowed || !docs->document_of ||
      !docs->has_claims)
    return -1;
  for (size_t i = 0; i < most; i++) docs->document_of[i] = DUPS_NOT_ANALYSED;
  return 0;
}

void dups_documents_free(dups_documents *docs) {
  for (size_t i = 0; docs->positions && i < docs->n; i++)
    if (!docs->borrowed[i]) gw_positions_free(&docs->positions[i]);
  free(docs->positions);
  free(docs->paths);
  free(docs->borrowed);
  free(docs->document_of);
  if (docs->has_claims) gw_text_claims_free(&docs->claims);
}

/* ---- on the workers ----
 *
 * The workers read, decode and normalize the files, match their official
 * spans (noise, normalizer and terms are immutable and shared; each worker
 * has its own term result) and prepare them for the index; the calling
 * thread adds the prepared documents in input order, so the index, the
 * failures and the output are those of one thread.  The workers may run
 * LOAD_AHEAD inputs ahead (a prepared input waiting is ~10 KB; a small
 * window leaves them waiting whenever the calling thread is not
 * scheduled).  An input whose text an earlier input owns is added as a
 * copy of that input's document: the same document whichever way (which
 * one prepares a text depends on the threads, the results do not). */
enum { LOAD_AHEAD = 1024 };

typedef struct worker_state {
  gw_term_result *result;
  gw_range *spans;
} worker_state;

typedef struct load_work {
  size_t copy_of; /* the earlier input with the same text, or DUPS_NOT_ANALYSED */
  int load_rc;
  char *load_message;
  gw_dups_input *input; /* NULL when loading or preparing failed */
  gw_positions positions;
  int prepare_rc;
  gw_error err;
} load_work;

typedef struct load_run {
  gw_cli *cli; /* the inputs loaded (the base ones, or the others) */
  const dups_config *cfg;
  const gw_terms *terms;
  gw_dups *d;
  worker_state *workers; /* cfg->threads, and one for the calling thread */
  size_t first_order;    /* the input order of cli's first input */
  dups_documents *into;
  int is_base; /* a base document that fails is fatal */
  int fatal;   /* -1 after a fatal error (reported) */
} load_run;

/* Load input `index` and prepare it, unless (may_share) an earlier input
 * owns its text. */
static load_work *load_one(load_run *run, worker_state *ws, size_t index, int may_share) {
  load_work *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->copy_of = DUPS_NOT_ANALYSED;
  gw_document *doc;
  w->load_rc = gw_cli_load_input(run->cli, index, &run->cfg->document, &doc, &w->load_message);
  if (w->load_rc) return w;
  size_t order = run->first_order + index;
  size_t owner = may_share ? gw_text_claim(&run->into->claims, run->cli->inputs[index].path, doc,
                                           order)
                           : order;
  if (owner < order) {
    w->copy_of = owner;
    gw_document_free(doc);
    return w;
  }
  size_t n_spans;
  w->prepare_rc =
      gw_terms_official_spans(&ws->spans, &n_spans, &ws->result, run->terms, doc, &w->err);
  if (!w->prepare_rc)
    w->prepare_rc = gw_dups_prepare(run->d, doc, ws->spans, n_spans, &w->input, &w->err);
  if (!w->prepare_rc) w->prepare_rc = gw_positions_build(&w->positions, doc);
  gw_document_free(doc);
  return w;
}

static void *load_prepare(void *vrun, unsigned worker, size_t index) {
  load_run *run = vrun;
  return load_one(run, &run->workers[worker], index, 1);
}

static void load_discard(void *vrun, void *vwork) {
  (void)vrun;
  load_work *w = vwork;
  if (!w) return;
  gw_dups_input_free(w->input);
  gw_positions_free(&w->positions);
  free(w->load_message);
  free(w);
}

/* ---- in input order ---- */

/* The loaded input into the index as the next document: prepared, or a
 * copy of its text's owner's document. */
static int add_loaded(load_run *run, load_work *w) {
  if (w->copy_of == DUPS_NOT_ANALYSED) {
    int rc = w->prepare_rc;
    return rc ? rc : gw_dups_add_prepared(run->d, w->input, &w->err);
  }
  size_t document = run->into->document_of[w->copy_of];
  int rc = gw_dups_add_copy(run->d, document, &w->err);
  if (!rc) {
    w->positions = run->into->positions[document];
    run->into->borrowed[run->into->n] = 1;
  }
  return rc;
}

/* The loaded input added as the next document of the run's documents: 0,
 * or its error code, after which either cli lists the input as a failure
 * or the error is fatal (reported, run->fatal set). */
static int add_document(load_run *run, load_work *w, size_t index) {
  dups_documents *into = run->into;
  gw_cli *cli = run->cli;
  const char *path = cli->inputs[index].path;
  int rc = add_loaded(run, w);
  if (rc == GW_ENOMEM) {
    /* As for loading: nothing is printed, and the message is this one
     * (gw_positions_build fills no gw_error). */
    gw_cli_error(cli, "out of memory");
    run->fatal = -1;
  } else if (rc == GW_ETOOBIG) {
    gw_cli_error(cli, "%s", w->err.message);
    run->fatal = -1;
  } else if (rc) {
    gw_cli_add_failure(cli, path, w->err.message);
  } else if (gw_dups_cli_set_origin(run->d, into->n, run->cfg->meta, path)) {
    gw_cli_error(cli, "out of memory");
    run->fatal = -1;
  } else {
    if (run->is_base) gw_dups_set_base(run->d, into->n, 1, NULL);
    into->positions[into->n] = w->positions;
    memset(&w->positions, 0, sizeof w->positions);
    into->document_of[run->first_order + index] = into->n;
    into->paths[into->n++] = cli->inputs[index].path;
  }
  return rc;
}

static int load_consume(void *vrun, size_t index, void *vwork) {
  load_run *run = vrun;
  load_work *w = vwork;
  gw_cli *cli = run->cli;
  const char *path = cli->inputs[index].path;
  /* Its text's owner was not analysed: this input is prepared after all,
   * here, and fails or not on its own. */
  if (w && w->copy_of != DUPS_NOT_ANALYSED &&
      run->into->document_of[w->copy_of] == DUPS_NOT_ANALYSED) {
    load_discard(run, w);
    w = load_one(run, &run->workers[run->cfg->threads], index, 0);
  }
  if (!run->is_base) gw_cli_progress(cli, index, cli->input_count, path);
  int rc = !w ? GW_ENOMEM : gw_cli_loaded(cli, index, w->load_rc, w->load_message);
  if (rc == GW_ENOMEM) {
    gw_cli_error(cli, "out of memory");
    run->fatal = -1;
  } else if (rc == GW_OK) {
    rc = add_document(run, w, index);
  }
  /* A base document that cannot be analysed is fatal: the results would
   * count its text as copying. */
  if (!run->fatal && rc && run->is_base) {
    gw_cli_error(cli, "cannot analyse the base document %s", path);
    run->fatal = -1;
  }
  load_discard(run, w);
  return run->fatal;
}

int dups_load_inputs(gw_cli *c, int is_base, size_t first_order, const dups_config *cfg,
                     const gw_terms *terms, gw_dups *d, dups_documents *docs) {
  worker_state *workers = calloc(cfg->threads + 1, sizeof *workers);
  if (!workers) {
    gw_cli_error(c, "out of memory");
    return -1;
  }
  load_run run = {c, cfg, terms, d, workers, first_order, docs, is_base, 0};
  gw_par_map_ahead(c->input_count, (unsigned)cfg->threads, LOAD_AHEAD, load_prepare,
                   load_consume, load_discard, &run);
  for (size_t t = 0; t <= cfg->threads; t++) {
    gw_term_result_free(workers[t].result);
    free(workers[t].spans);
  }
  free(workers);
  return run.fatal;
}
