/* One document's work: read, matched against the terms, prepared for copy
 * detection and segmented on a worker; then counted in input order. */
#include <stdlib.h>
#include <string.h>

#include "dups_cli.h"
#include "grow.h"
#include "parallel.h"
#include "segmenting.h"
#include "stats/stats.h"

typedef struct word_finder {
  document_words *out;
  const char *norm; /* the normalized view the words point into */
} word_finder;

static int take_word(void *ctx, const char *word, size_t len, gw_token_kind kind) {
  word_finder *f = ctx;
  document_words *out = f->out;
  out->tokens++;
  /* a stop word is passed over where it is counted */
  if (!gw_top_word_shape(word, len, kind)) return GW_OK;
  if (out->count == out->capacity && GW_CLI_GROW(out->words, out->capacity, out->count + 1))
    return GW_ENOMEM;
  out->words[out->count++] = (word_ref){(size_t)(word - f->norm), len};
  return GW_OK;
}

/* Every token counted, and the words of a top word's shape. */
static int find_words(document_words *out, gw_segmenter *seg, const gw_document *doc,
                      gw_error *err) {
  size_t norm_len;
  word_finder f = {out, gw_document_normalized(doc, &norm_len)};
  return gw_for_each_word(seg, doc, take_word, &f, err);
}

typedef struct stats_work {
  int load_rc;
  char *load_message;
  gw_document *doc;
  gw_term_result *result; /* every match: official spans, counted terms */
  gw_dups_input *input;
  gw_positions positions;
  document_words words;
  int rc; /* matching, preparing, segmenting */
  gw_error err;
} stats_work;

/* Terms (all as official spans), the copy-detection input and the words. */
static int prepare_document(stats_run *run, unsigned worker, stats_work *w) {
  /* the match result stays for counting the terms (consume_document) */
  gw_range *spans = NULL;
  size_t n_spans;
  int rc = gw_terms_official_spans(&spans, &n_spans, &w->result, run->terms, w->doc, &w->err);
  if (!rc) rc = gw_dups_prepare(run->dups, w->doc, spans, n_spans, &w->input, &w->err);
  gw_free(spans);
  if (rc) return rc;
  if (run->cfg->format == STATS_FORMAT_TEXT && (rc = gw_positions_build(&w->positions, w->doc)))
    return rc;
  return find_words(&w->words, run->segs[worker], w->doc, &w->err);
}

static void *stats_prepare(void *vrun, unsigned worker, size_t index) {
  stats_run *run = vrun;
  stats_work *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->load_rc = gw_cli_load_input(run->cli, index, &run->cfg->document, &w->doc, &w->load_message);
  if (w->load_rc == GW_OK) w->rc = prepare_document(run, worker, w);
  return w;
}

static void stats_discard(void *vrun, void *vwork) {
  (void)vrun;
  stats_work *w = vwork;
  if (!w) return;
  gw_dups_input_free(w->input);
  gw_positions_free(&w->positions);
  gw_term_result_free(w->result);
  gw_document_free(w->doc);
  free(w->words.words);
  free(w->load_message);
  free(w);
}

static int consume_document(stats_run *run, stats_work *w, const char *path) {
  if (w->rc) {
    run->err = w->err;
    return w->rc;
  }
  corpus *c = run->c;
  size_t n_matches = gw_term_result_match_count(w->result);
  for (size_t m = 0; m < n_matches; m++) {
    const gw_term_match *tm = gw_term_result_match_at(w->result, m);
    const char *t = gw_terms_term_at(run->terms, tm->term)->text;
    if (tm->kind == GW_TERM_COUNTED && gw_counter_add(&c->terms, t, strlen(t), run->documents))
      return GW_ENOMEM;
  }
  int rc = gw_dups_add_prepared(run->dups, w->input, &run->err);
  if (!rc) rc = gw_dups_cli_set_origin(run->dups, run->documents, run->cfg->meta, path);
  if (rc) return rc;
  rc = stats_count_document(c, &w->words, w->doc, &w->positions, path);
  if (rc) return rc;
  run->paths[run->documents++] = (char *)path;
  return GW_OK;
}

static int stats_consume(void *vrun, size_t index, void *vwork) {
  stats_run *run = vrun;
  stats_work *w = vwork;
  gw_cli *cli = run->cli;
  const char *path = cli->inputs[index].path;
  gw_cli_progress(cli, index, cli->input_count, path);
  run->err.message[0] = '\0';
  if (!w) return run->rc = GW_ENOMEM;
  int rc = gw_cli_loaded(cli, index, w->load_rc, w->load_message);
  if (rc == GW_ENOMEM) run->rc = rc;
  else if (w->load_rc == GW_OK) run->rc = consume_document(run, w, path);
  stats_discard(run, w);
  return run->rc;
}

int stats_read_documents(stats_run *run) {
  return gw_par_map(run->cli->input_count, (unsigned)run->cfg->threads, stats_prepare,
                    stats_consume, stats_discard, run);
}
