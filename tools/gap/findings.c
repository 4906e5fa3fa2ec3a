/* findings.c — what gw-gap reports, worked out from the tallies: the
 * sections the draft lacks or has much shorter, and the terms it lacks,
 * the checklist's first, then ranked by how much they mark reports of this
 * kind against general text. */
#include <stdlib.h>
#include <string.h>

#include "gap.h"
#include "terms_json.h"

/* A general-text document is taken to hold about one word per
 * WORD_CHARS characters (jieba's words on news text are 1.6 characters
 * long, gw-seg's on reports 2.3). */
#define WORD_CHARS 2.0
/* A section is expected when at least this share of the references have
 * it, and much shorter when the draft's is under this share of the
 * references' median (a third: a short report's sections are often half
 * as long as a long one's, and that is no gap). */
#define SECTION_EXPECTED_SHARE 0.5
#define SECTION_SHORT_SHARE (1.0 / 3.0)

void gap_report_init(gap_report *g, const gap_config *cfg, const gw_terms *terms,
                     const gw_dict *dict, gap_tallies *t, int year) {
  *g = (gap_report){cfg, terms, dict, t->use, t->n, t->references, 0, t->sections, {NULL}, year};
  if (t->references)
    g->words = (uint64_t)((double)t->reference_characters / (double)t->references /
                              WORD_CHARS + 0.5);
  for (int s = 0; s < GW_SECTION_COUNT; s++)
    g->names[s] = s == GW_SECTION_NONE || s == GW_SECTION_OTHER
                      ? terms_section_label((gw_section_type)s)
                      : gap_names_best(&t->sections[s].names, (gw_section_type)s);
}

/* ---- terms ---- */

/* Whether the draft's year has left a term behind: replaced (a newer
 * formulation, a new name, the next congress) or a campaign ended before
 * it.  Such a term is no advice, whatever the references of earlier years
 * wrote. */
static int out_of_date(const gw_terms *terms, const gw_term *t, int year) {
  if (!year) return 0;
  if (t->superseded_by) {
    size_t s = gw_terms_find(terms, t->superseded_by, strlen(t->superseded_by));
    int since = t->ended ? t->ended
                         : s != GW_NO_OFFSET ? gw_terms_term_at(terms, s)->introduced : 0;
    return since && year > since;
  }
  return t->ended && year > t->ended;
}

/* The share of general-text documents as long as the average reference
 * expected to use the term (any of its forms), from the dictionary's word
 * frequencies: 1 - (1 - p)^words, each word drawn on its own. */
static double general_share(const gw_terms *terms, const gw_dict *dict, size_t index,
                            uint64_t words) {
  const gw_term *t = gw_terms_term_at(terms, index);
  double p = gw_dict_probability(dict, t->text, strlen(t->text));
  for (size_t v = 0; v < t->variant_count; v++) {
    const char *form = gw_terms_variant_at(terms, index, v);
    double q = gw_dict_probability(dict, form, strlen(form));
    if (q > p) p = q;
  }
  double none = 1, base = 1 - p;
  for (uint64_t w = words; w; w >>= 1, base *= base)
    if (w & 1) none *= base;
  return 1 - none;
}

/* Checklist terms first (they are required), then the most telling. */
static int missing_cmp(const void *a, const void *b) {
  const gap_missing *x = a, *y = b;
  if (x->checklist != y->checklist) return x->checklist ? -1 : 1;
  if (x->score != y->score) return x->score > y->score ? -1 : 1;
  if (x->documents != y->documents) return x->documents > y->documents ? -1 : 1;
  return x->term < y->term ? -1 : x->term > y->term;
}

/* The terms the draft lacks: every checklist term, and the corpus terms
 * used by min_share of the references (two at least), ranked, the first
 * `top` of them (malloc'd, NULL when out of memory).  *omitted: corpus
 * terms beyond top. */
static gap_missing *missing_items(const gap_report *g, size_t *count, size_t *omitted) {
  gap_missing *miss = calloc(g->n ? g->n : 1, sizeof *miss);
  size_t nm = 0, listed = 0, corpus_listed = 0;
  *count = *omitted = 0;
  if (!miss) return NULL;
  uint64_t floor_documents = g->references >= 2 ? 2 : 1;
  for (size_t t = 0; t < g->n; t++) {
    const gap_term_use *u = &g->use[t];
    if (u->in_draft || u->broken_in_draft) continue;
    double share = g->references ? (double)u->documents / (double)g->references : 0;
    int by_corpus = u->documents >= floor_documents &&
                    share >= g->cfg->min_share - 1e-9 &&
                    !out_of_date(g->terms, gw_terms_term_at(g->terms, t), g->year);
    if (!u->checklist && !by_corpus) continue;
    double general = general_share(g->terms, g->dict, t, g->words);
    miss[nm++] = (gap_missing){t, u->checklist, u->documents, share, general,
                               share * (1 - general)};
  }
  qsort(miss, nm, sizeof *miss, missing_cmp);
  for (size_t j = 0; j < nm; j++) {
    if (!miss[j].checklist && corpus_listed++ >= g->cfg->top) (*omitted)++;
    else miss[listed++] = miss[j];
  }
  *count = listed;
  return miss;
}

int gap_is_unique(const gap_report *g, size_t term) {
  return g->cfg->corpus_dir && g->use[term].draft_count && !g->use[term].documents;
}

/* ---- sections ---- */

/* The draft's sections.  A heading that holds the name the references
 * give another section covers that one too (存在问题及下一步工作打算 holds
 * 下一步工作打算): one section, under two names. */
static void draft_outline_of(const gap_report *g, const gw_document *draft, gap_outline *o) {
  gap_outline_of(draft, o);
  for (size_t i = 0; i < gw_document_paragraph_count(draft); i++) {
    const gw_paragraph *p = gw_document_paragraph_at(draft, i);
    if (p->section_heading != i) continue;
    char *name = gap_section_name(draft, p);
    for (int s = GW_SECTION_WORK_DONE; name && s < GW_SECTION_OTHER; s++) {
      const gap_names *names = &g->sections[s].names;
      for (size_t k = 0; !o->has[s] && k < names->count; k++)
        if (strstr(name, names->items[k].name)) {
          o->has[s] = 1;
          o->characters[s] = o->characters[p->section];
        }
    }
    free(name);
  }
}

static size_t structure_rows(const gap_report *g, const gap_outline *draft,
                             gap_structure_row rows[GW_SECTION_COUNT]) {
  size_t n = 0;
  for (int s = GW_SECTION_WORK_DONE; s < GW_SECTION_OTHER; s++) {
    gap_section_use *u = &g->sections[s];
    if (!u->references && !draft->has[s]) continue;
    size_t median = gap_section_use_median(u);
    const char *gap = NULL;
    if (!draft->has[s] &&
        (double)u->references >= SECTION_EXPECTED_SHARE * (double)g->references)
      gap = "missing";
    else if (draft->has[s] && u->references &&
             (double)draft->characters[s] < SECTION_SHORT_SHARE * (double)median)
      gap = "shorter";
    rows[n++] = (gap_structure_row){(gw_section_type)s, u->references, median, draft->has[s],
                                    draft->characters[s], gap};
  }
  return n;
}

int gap_findings_make(gap_findings *f, const gap_report *g, const gw_document *draft,
                      const gw_term_result *result) {
  memset(f, 0, sizeof *f);
  f->draft = draft;
  f->result = result;
  gap_outline draft_outline;
  draft_outline_of(g, draft, &draft_outline);
  f->row_count = structure_rows(g, &draft_outline, f->rows);
  f->missing = missing_items(g, &f->missing_count, &f->omitted);
  return f->missing ? terms_positions_prime(&f->draft_positions, draft) : GW_ENOMEM;
}

void gap_findings_free(gap_findings *f) {
  gw_positions_walk_free(&f->draft_positions);
  free(f->missing);
  memset(f, 0, sizeof *f);
}
