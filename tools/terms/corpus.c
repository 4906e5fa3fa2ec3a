/* The tallies: each term's counts in the document being counted and in
 * the corpus, and the orders they are listed in. */
#include <stdlib.h>
#include <string.h>

#include "terms/terms.h"

int terms_corpus_init(corpus *c, const gw_terms *terms, const terms_config *cfg) {
  memset(c, 0, sizeof *c);
  c->terms = terms;
  c->n = gw_terms_term_count(terms);
  c->all = calloc(c->n ? c->n : 1, sizeof *c->all);
  c->doc = calloc(c->n ? c->n : 1, sizeof *c->doc);
  c->touched = malloc((c->n ? c->n : 1) * sizeof *c->touched);
  /* The "files" array, inside the top object after its totals. */
  gw_json_init(&c->files, NULL, !cfg->compact);
  gw_json_continue_in(&c->files, 1, 1);
  gw_json_array_begin(&c->files);
  if (cfg->format == TERMS_FORMAT_TEXT)
    c->files_text = open_memstream(&c->files_text_buffer, &c->files_text_length);
  if (!c->all || !c->doc || !c->touched || (cfg->format == TERMS_FORMAT_TEXT && !c->files_text))
    return GW_ENOMEM;
  if (cfg->discover && gw_discovery_new(&c->discovery, terms, NULL)) return GW_ENOMEM;
  return GW_OK;
}

void terms_corpus_free(corpus *c) {
  gw_term_result_free(c->last.result);
  if (c->last.positions_ready) gw_positions_walk_free(&c->last.positions);
  gw_document_free(c->last.doc);
  if (c->files_text) fclose(c->files_text);
  gw_json_finish(&c->files);
  free(c->files_text_buffer);
  gw_discovery_free(c->discovery);
  free(c->all);
  free(c->doc);
  free(c->touched);
}

document_counts terms_tally_document(corpus *c, const gw_term_result *r) {
  /* Only the tallies the last document touched are cleared: clearing
   * every term's for each of many small documents cost more than
   * counting them. */
  for (size_t i = 0; i < c->touched_count; i++) memset(&c->doc[c->touched[i]], 0, sizeof *c->doc);
  c->touched_count = 0;
  document_counts counts = {0, 0};
  size_t nm = gw_term_result_match_count(r);
  for (size_t i = 0; i < nm; i++) {
    const gw_term_match *m = gw_term_result_match_at(r, i);
    tally *t = &c->doc[m->term];
    if (!t->count && !t->nested &&
        (m->kind == GW_TERM_COUNTED || m->kind == GW_TERM_NESTED))
      c->touched[c->touched_count++] = m->term;
    if (m->kind == GW_TERM_COUNTED) {
      t->count++;
      t->section[m->section]++;
      counts.counted++;
    } else if (m->kind == GW_TERM_NESTED) {
      t->nested++;
      counts.nested++;
    }
  }
  return counts;
}

void terms_add_document(corpus *c, const gw_document *doc, const gw_term_result *r,
                        document_counts counts) {
  for (size_t k = 0; k < c->touched_count; k++) {
    size_t i = c->touched[k];
    const tally *t = &c->doc[i];
    tally *a = &c->all[i];
    a->count += t->count;
    a->nested += t->nested;
    a->documents += t->count ? 1 : 0;
    for (int s = 0; s < GW_SECTION_COUNT; s++) a->section[s] += t->section[s];
  }
  c->documents++;
  c->characters += gw_document_char_count(doc);
  c->counted += counts.counted;
  c->nested += counts.nested;
  c->broken += gw_term_result_broken_count(r);
  c->outdated += gw_term_result_outdated_count(r);
  c->stale += gw_term_result_stale_count(r);
}

double terms_density(uint64_t count, uint64_t chars) {
  if (!chars) return 0;
  return (double)(long long)((double)count * 10000.0 / (double)chars * 100.0 + 0.5) / 100.0;
}

size_t terms_generated_count(const corpus *c) {
  size_t generated = 0;
  for (size_t i = 0; i < c->n; i++) generated += gw_terms_term_at(c->terms, i)->generated != 0;
  return generated;
}

tallies terms_corpus_tallies(const corpus *c) { return (tallies){c->all, NULL, c->n}; }

tallies terms_document_tallies(const corpus *c) {
  return (tallies){c->doc, c->touched, c->touched_count};
}

/* The term of entry j of a list of tallies. */
static size_t term_of(const tallies *t, size_t j) { return t->among ? t->among[j] : j; }

/* A term with its sort keys, so that qsort needs no context. */
typedef struct ranked_term {
  size_t index;
  const tally *tally;
  const char *text;
} ranked_term;

static int by_count(const void *a, const void *b) {
  const ranked_term *x = a, *y = b;
  const tally *tx = x->tally, *ty = y->tally;
  if (tx->count != ty->count) return tx->count > ty->count ? -1 : 1;
  if (tx->documents != ty->documents) return tx->documents > ty->documents ? -1 : 1;
  if (tx->nested != ty->nested) return tx->nested > ty->nested ? -1 : 1;
  int by_text = strcmp(x->text, y->text);
  if (by_text) return by_text;
  return x->index < y->index ? -1 : x->index > y->index;
}

size_t *terms_sorted(const gw_terms *terms, const tallies *t, size_t *out_n) {
  size_t n = t->count, k = 0;
  size_t *idx = malloc((n ? n : 1) * sizeof *idx);
  ranked_term *ranked = malloc((n ? n : 1) * sizeof *ranked);
  if (!idx || !ranked) {
    free(idx);
    free(ranked);
    return NULL;
  }
  for (size_t j = 0; j < n; j++) {
    size_t i = term_of(t, j);
    const tally *ti = &t->of[i];
    if (ti->count || ti->nested)
      ranked[k++] = (ranked_term){i, ti, gw_terms_term_at(terms, i)->text};
  }
  qsort(ranked, k, sizeof *ranked, by_count);
  for (size_t j = 0; j < k; j++) idx[j] = ranked[j].index;
  free(ranked);
  *out_n = k;
  return idx;
}

static int by_category_count(const void *a, const void *b) {
  const category_total *x = a, *y = b;
  if (x->count != y->count) return x->count > y->count ? -1 : 1;
  return strcmp(x->name, y->name);
}

category_total *terms_category_totals(const gw_terms *terms, const tallies *t, size_t *out_n) {
  /* Not cleared: an entry is set when its category first appears. */
  category_total *cats = malloc((t->count ? t->count : 1) * sizeof *cats);
  size_t nc = 0;
  if (!cats) return NULL;
  for (size_t j = 0; j < t->count; j++) {
    size_t i = term_of(t, j);
    if (!t->of[i].count) continue;
    const char *name = gw_terms_term_at(terms, i)->category;
    size_t c = 0;
    while (c < nc && strcmp(cats[c].name, name) != 0) c++;
    if (c == nc) cats[nc++] = (category_total){name, 0, 0};
    cats[c].count += t->of[i].count;
    cats[c].terms++;
  }
  /* Names are distinct: the order does not depend on the terms' order. */
  qsort(cats, nc, sizeof *cats, by_category_count);
  *out_n = nc;
  return cats;
}

/* Sorted as terms_sorted sorts tallies with only a count. */
typedef struct ranked_section_count {
  section_count entry;
  const char *text;
} ranked_section_count;

static int by_section_count(const void *a, const void *b) {
  const ranked_section_count *x = a, *y = b;
  if (x->entry.count != y->entry.count) return x->entry.count > y->entry.count ? -1 : 1;
  int by_text = strcmp(x->text, y->text);
  if (by_text) return by_text;
  return x->entry.term < y->entry.term ? -1 : x->entry.term > y->entry.term;
}

section_count *terms_section_terms(const gw_terms *terms, const tallies *t, int s, size_t *k) {
  size_t n = t->count, found = 0;
  section_count *out = malloc((n ? n : 1) * sizeof *out);
  ranked_section_count *ranked = malloc((n ? n : 1) * sizeof *ranked);
  if (!out || !ranked) {
    free(out);
    free(ranked);
    return NULL;
  }
  for (size_t j = 0; j < n; j++) {
    size_t i = term_of(t, j);
    uint64_t count = t->of[i].section[s];
    if (count)
      ranked[found++] = (ranked_section_count){{i, count}, gw_terms_term_at(terms, i)->text};
  }
  qsort(ranked, found, sizeof *ranked, by_section_count);
  for (size_t j = 0; j < found; j++) out[j] = ranked[j].entry;
  free(ranked);
  *k = found;
  return out;
}

uint64_t terms_section_total(const tallies *t, int s) {
  uint64_t total = 0;
  for (size_t j = 0; j < t->count; j++) total += t->of[term_of(t, j)].section[s];
  return total;
}
