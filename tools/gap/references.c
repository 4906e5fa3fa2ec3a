/* references.c — what the reference reports use: each term's references
 * and sections, one example sentence per term, and each section's length
 * and name; the references loaded and matched on workers, tallied in input
 * order, so that the tallies are the same on any number of threads. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gap.h"
#include "parallel.h"

/* Example sentences of this many characters read best; a shorter one is
 * often a bare list item (三是…), a longer one a whole paragraph. */
#define EXAMPLE_MIN_CHARS 20
#define EXAMPLE_MAX_CHARS 120

static void example_free(gap_example *e) {
  free(e->text);
  free(e->name);
  memset(e, 0, sizeof *e);
}

/* Keep the first example that reads well; until one is found, the first
 * one from the body (never a title or heading).  `at`: the document's
 * positions, built here the first time an example is kept.  GW_OK or
 * GW_ENOMEM. */
static int offer_example(gap_term_use *u, const char *path, const gw_document *doc,
                         gw_positions *at, const gw_term_match *m) {
  if (u->example_good) return GW_OK;
  gw_range r;
  if (gw_term_match_sentence(&r, doc, m) != 1) return GW_OK;
  size_t len;
  const char *norm = gw_document_normalized(doc, &len);
  size_t chars = gap_count_chars(norm, r.norm_start, r.norm_end);
  int good = chars >= EXAMPLE_MIN_CHARS && chars <= EXAMPLE_MAX_CHARS;
  if (u->has_example && !good) return GW_OK;
  const gw_paragraph *p = gw_document_paragraph_at(doc, m->paragraph);
  gap_example e = {path, strndup(norm + r.norm_start, r.norm_end - r.norm_start), r, 0, 0,
                   p->section, gap_section_name(doc, p)};
  if (!e.text || !e.name || (!at->line_count && gw_positions_build(at, doc))) {
    example_free(&e);
    return GW_ENOMEM;
  }
  gw_positions_at(at, r.start, &e.line, &e.column);
  example_free(&u->example);
  u->example = e;
  u->has_example = 1;
  u->example_good = good;
  return GW_OK;
}

int gap_tallies_init(gap_tallies *t, const gw_terms *terms) {
  memset(t, 0, sizeof *t);
  t->n = gw_terms_term_count(terms);
  t->use = calloc(t->n ? t->n : 1, sizeof *t->use);
  return t->use ? GW_OK : GW_ENOMEM;
}

void gap_tallies_free(gap_tallies *t) {
  for (size_t i = 0; t->use && i < t->n; i++) example_free(&t->use[i].example);
  free(t->use);
  for (int s = 0; s < GW_SECTION_COUNT; s++) {
    free(t->sections[s].characters);
    gap_names_free(&t->sections[s].names);
  }
  memset(t, 0, sizeof *t);
}

void gap_tallies_mark_draft(gap_tallies *t, const gw_term_result *draft) {
  for (size_t i = 0; i < gw_term_result_match_count(draft); i++) {
    const gw_term_match *m = gw_term_result_match_at(draft, i);
    t->use[m->term].in_draft = 1;
    if (m->kind == GW_TERM_COUNTED) t->use[m->term].draft_count++;
  }
  for (size_t i = 0; i < gw_term_result_broken_count(draft); i++)
    t->use[gw_term_result_broken_at(draft, i)->term].broken_in_draft = 1;
}

/* ---- the references: loaded and matched on workers, tallied in order ---- */

typedef struct gap_run {
  gw_cli *cli;
  const gap_config *cfg;
  const gw_terms *terms;
  gap_tallies *t;
  uint8_t *seen; /* per term and section: met in this reference */
  int draft_stat;
  struct stat draft_st;
  int rc;
} gap_run;

typedef struct gap_work {
  int skipped; /* the draft itself, found in the corpus */
  int load_rc;
  char *load_message;
  gw_document *doc;
  gw_term_result *result;
  gw_error err;
} gap_work;

static void *gap_prepare(void *vrun, unsigned worker, size_t index) {
  gap_run *run = vrun;
  (void)worker;
  gap_work *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  const char *path = run->cli->inputs[index + 1].path;
  struct stat st;
  if (run->draft_stat && stat(path, &st) == 0 && st.st_dev == run->draft_st.st_dev &&
      st.st_ino == run->draft_st.st_ino) {
    w->skipped = 1;
    return w;
  }
  w->load_rc = gw_cli_load_input(run->cli, index + 1, &run->cfg->document, &w->doc,
                                 &w->load_message);
  if (w->load_rc == GW_OK &&
      gw_terms_match(&w->result, run->terms, w->doc, &run->cfg->terms, &w->err) != GW_OK)
    w->result = NULL;
  return w;
}

static void gap_discard(void *vrun, void *vwork) {
  (void)vrun;
  gap_work *w = vwork;
  if (!w) return;
  gw_term_result_free(w->result);
  gw_document_free(w->doc);
  free(w->load_message);
  free(w);
}

/* A reference's sections: which it has, how long, what it calls them. */
static int tally_outline(gap_tallies *t, const gw_document *doc) {
  gap_outline o;
  gap_outline_of(doc, &o);
  for (int s = GW_SECTION_WORK_DONE; s < GW_SECTION_OTHER; s++)
    if (o.has[s] && gap_section_use_add(&t->sections[s], o.characters[s])) return GW_ENOMEM;
  /* Each name once per reference: the first heading of the type. */
  for (size_t i = 0; i < gw_document_paragraph_count(doc); i++) {
    const gw_paragraph *p = gw_document_paragraph_at(doc, i);
    gw_section_type s = p->section;
    if (p->section_heading != i || s == GW_SECTION_NONE || s == GW_SECTION_OTHER ||
        !o.has[s])
      continue;
    o.has[s] = 0;
    char *name = gap_section_name(doc, p);
    if (!name || gap_names_add(&t->sections[s].names, name)) return GW_ENOMEM;
  }
  return GW_OK;
}

static int tally_reference(gap_run *run, const char *path, const gw_document *doc,
                           const gw_term_result *res) {
  gap_tallies *t = run->t;
  t->references++;
  t->reference_characters += gw_document_char_count(doc);
  gw_positions at = {0};
  int rc = GW_OK;
  memset(run->seen, 0, t->n * GW_SECTION_COUNT);
  for (size_t k = 0; k < gw_term_result_match_count(res); k++) {
    const gw_term_match *m = gw_term_result_match_at(res, k);
    if (m->kind == GW_TERM_OVERLAPPING) continue;
    gap_term_use *u = &t->use[m->term];
    uint8_t *seen = &run->seen[m->term * GW_SECTION_COUNT];
    u->section[m->section]++;
    if (!seen[m->section]) u->section_documents[m->section]++;
    int first = 1;
    for (int s = 0; s < GW_SECTION_COUNT; s++) first &= !seen[s];
    if (first) u->documents++;
    seen[m->section] = 1;
    if ((rc = offer_example(u, path, doc, &at, m))) break;
  }
  gw_positions_free(&at);
  return rc ? rc : tally_outline(t, doc);
}

static int gap_consume(void *vrun, size_t index, void *vwork) {
  gap_run *run = vrun;
  gap_work *w = vwork;
  const char *path = run->cli->inputs[index + 1].path;
  if (!w) return run->rc = GW_ENOMEM;
  if (!w->skipped &&
      gw_cli_loaded(run->cli, index + 1, w->load_rc, w->load_message) == GW_ENOMEM)
    run->rc = GW_ENOMEM;
  else if (!w->skipped && w->load_rc == GW_OK && !w->result && w->err.code == GW_ENOMEM)
    run->rc = GW_ENOMEM; /* the run's failure (exit 2), not this reference's */
  else if (!w->skipped && w->load_rc == GW_OK && !w->result)
    gw_cli_add_failure(run->cli, path, w->err.message);
  else if (!w->skipped && w->load_rc == GW_OK && tally_reference(run, path, w->doc, w->result))
    run->rc = GW_ENOMEM;
  gap_discard(run, w);
  return run->rc;
}

int gap_tallies_read(gap_tallies *t, gw_cli *cli, const gap_config *cfg,
                     const gw_terms *terms) {
  if (cli->input_count < 2) return GW_OK;
  gap_run run;
  memset(&run, 0, sizeof run);
  run.cli = cli;
  run.cfg = cfg;
  run.terms = terms;
  run.t = t;
  run.seen = calloc(t->n ? t->n : 1, GW_SECTION_COUNT);
  if (!run.seen) return GW_ENOMEM;
  run.draft_stat = stat(cfg->draft, &run.draft_st) == 0;
  gw_par_map(cli->input_count - 1, (unsigned)cfg->threads, gap_prepare, gap_consume,
             gap_discard, &run);
  free(run.seen);
  return run.rc;
}
