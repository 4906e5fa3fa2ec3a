/* One document's work: read and matched on a worker (the term dictionary
 * is immutable and shared), then counted and its record written on the
 * main thread in input order. */
#include <stdlib.h>
#include <string.h>

#include "parallel.h"
#include "terms/terms.h"
#include "terms_json.h"

typedef struct terms_work {
  int rc;
  char *message; /* loading failed: the whole message */
  gw_document *doc;
  gw_term_result *result;
  /* Lines and columns of what is printed: a walk from one place to the
   * next, not a table of the whole document. */
  gw_positions_walk positions;
  int positions_ready;
  gw_error err;  /* matching failed */
} terms_work;

typedef struct terms_run {
  gw_cli *cli;
  const terms_config *cfg;
  corpus *c;
  int rc;
} terms_run;

/* Whether the output names a place in the document: the lines and
 * columns are worked out only then. */
static int points_into_file(const terms_config *cfg, const gw_term_result *r) {
  if (gw_term_result_broken_count(r) || gw_term_result_outdated_count(r) ||
      gw_term_result_stale_count(r))
    return 1;
  if (cfg->format == TERMS_FORMAT_TEXT) return 0;
  size_t nm = gw_term_result_match_count(r);
  if (cfg->all_matches && nm) return 1;
  for (size_t i = 0; i < nm; i++)
    if (gw_term_result_match_at(r, i)->kind == GW_TERM_NESTED) return 1;
  return 0;
}

static void *prepare(void *vrun, unsigned worker, size_t index) {
  terms_run *run = vrun;
  (void)worker;
  terms_work *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->rc = gw_cli_load_input(run->cli, index, &run->cfg->document, &w->doc, &w->message);
  if (w->rc == GW_OK &&
      gw_terms_match(&w->result, run->c->terms, w->doc, &run->cfg->terms, &w->err) != GW_OK)
    w->result = NULL;
  w->positions_ready = w->result && points_into_file(run->cfg, w->result);
  if (w->positions_ready && terms_positions_prime(&w->positions, w->doc)) {
    gw_term_result_free(w->result);
    w->result = NULL;
    w->err.code = GW_ENOMEM;
    w->err.message[0] = '\0';
  }
  return w;
}

static void discard(void *vrun, void *vwork) {
  (void)vrun;
  terms_work *w = vwork;
  if (!w) return;
  gw_term_result_free(w->result);
  if (w->positions_ready) gw_positions_walk_free(&w->positions);
  gw_document_free(w->doc);
  free(w->message);
  free(w);
}

/* Count one document and write its record (the last one's JSON record up
 * to its categories: see last_document). */
static int analyse(corpus *c, const terms_config *cfg, const char *path, const gw_document *doc,
                   gw_positions_walk *at, const gw_term_result *r, int last) {
  document_counts counts = terms_tally_document(c, r);
  int rc = cfg->format == TERMS_FORMAT_TEXT
               ? terms_print_file(c, path, doc, at, r, counts)
               : terms_write_file_json(c, cfg, path, doc, r, at, counts, last);
  if (rc == GW_OK) terms_add_document(c, doc, r, counts);
  return rc;
}

/* The work's document, result and walk, moved to the corpus. */
static void keep_last(corpus *c, terms_work *w) {
  c->last = (last_document){w->doc, w->result, w->positions, w->positions_ready};
  w->doc = NULL;
  w->result = NULL;
  w->positions_ready = 0;
}

static int consume(void *vrun, size_t index, void *vwork) {
  terms_run *run = vrun;
  terms_work *w = vwork;
  gw_cli *cli = run->cli;
  const char *path = cli->inputs[index].path;
  gw_cli_progress(cli, index, cli->input_count, path);
  if (!w) return run->rc = GW_ENOMEM;
  if (gw_cli_loaded(cli, index, w->rc, w->message) == GW_ENOMEM) run->rc = GW_ENOMEM;
  /* The last input's JSON record is finished when the output is written. */
  int last = index + 1 == cli->input_count && run->cfg->format == TERMS_FORMAT_JSON;
  int kept = 0;
  if (w->rc == GW_OK) {
    gw_error err;
    err.message[0] = '\0';
    int arc = w->result ? analyse(run->c, run->cfg, path, w->doc,
                                w->positions_ready ? &w->positions : NULL, w->result, last)
                        : w->err.code;
    kept = last && w->result && arc == GW_OK;
    if (!w->result) {
      err = w->err;
      if (!arc) arc = GW_ENOMEM;
    }
    if (arc == GW_OK && run->c->discovery) arc = gw_discovery_add(run->c->discovery, w->doc, &err);
    if (arc == GW_ENOMEM) run->rc = arc;
    else if (arc) gw_cli_add_failure(cli, path, err.message[0] ? err.message : gw_strerror(arc));
  }
  if (kept) keep_last(run->c, w);
  discard(run, w);
  return run->rc;
}

int terms_read_documents(gw_cli *cli, const terms_config *cfg, corpus *c) {
  terms_run state = {cli, cfg, c, GW_OK};
  int rc = gw_par_map(cli->input_count, (unsigned)cfg->threads, prepare, consume, discard, &state);
  gw_cli_progress_end(cli);
  /* The text records are complete: the stream's buffer holds them all. */
  if (c->files_text) {
    if (fclose(c->files_text) && rc == GW_OK) rc = GW_ENOMEM;
    c->files_text = NULL;
  }
  return rc;
}
