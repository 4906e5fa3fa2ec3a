/* The JSON: the corpus's totals, then each file's record as it was
 * written in input order, then the failures. */
#include <stdlib.h>

#include "terms/terms.h"
#include "terms_json.h"

static void write_categories(gw_json *w, const gw_terms *terms, const tallies *t,
                             int with_terms) {
  size_t nc = 0;
  category_total *cats = terms_category_totals(terms, t, &nc);
  if (!cats) gw_json_fail(w, GW_ENOMEM);
  gw_json_array_begin(w);
  for (size_t c = 0; cats && c < nc; c++) {
    gw_json_object_begin(w);
    gw_json_member_string(w, "category", cats[c].name);
    gw_json_member_uint(w, "count", cats[c].count);
    if (with_terms) gw_json_member_uint(w, "terms", cats[c].terms);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
  free(cats);
}

static void write_by_section(gw_json *w, const gw_terms *terms, const tallies *t) {
  gw_json_array_begin(w);
  for (int s = 0; s < GW_SECTION_COUNT; s++) {
    gw_json_object_begin(w);
    gw_json_member_string(w, "section", gw_section_type_name((gw_section_type)s));
    gw_json_member_string(w, "name", terms_section_label((gw_section_type)s));
    gw_json_member_uint(w, "count", terms_section_total(t, s));
    gw_json_key(w, "terms");
    gw_json_array_begin(w);
    size_t k = 0;
    section_count *found = terms_section_terms(terms, t, s, &k);
    if (!found) gw_json_fail(w, GW_ENOMEM);
    for (size_t j = 0; found && j < k; j++) {
      gw_json_object_begin(w);
      gw_json_member_string(w, "term", gw_terms_term_at(terms, found[j].term)->text);
      gw_json_member_uint(w, "count", found[j].count);
      gw_json_object_end(w);
    }
    free(found);
    gw_json_array_end(w);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
}

/* The file's terms, by count. */
static void write_file_terms(gw_json *w, const corpus *c, uint64_t chars) {
  size_t k = 0;
  tallies found = terms_document_tallies(c);
  size_t *idx = terms_sorted(c->terms, &found, &k);
  if (!idx) gw_json_fail(w, GW_ENOMEM);
  gw_json_array_begin(w);
  for (size_t j = 0; idx && j < k; j++) {
    const tally *t = &c->doc[idx[j]];
    const gw_term *term = gw_terms_term_at(c->terms, idx[j]);
    gw_json_object_begin(w);
    gw_json_member_string(w, "term", term->text);
    gw_json_member_string(w, "category", term->category);
    gw_json_member_uint(w, "count", t->count);
    gw_json_member_uint(w, "nested", t->nested);
    gw_json_member_number(w, "density", terms_density(t->count, chars));
    terms_json_term_facts(w, term);
    gw_json_object_end(w);
  }
  free(idx);
  gw_json_array_end(w);
}

/* The matches of a result, every one or the nested ones only. */
static void write_matches(gw_json *w, const gw_terms *terms, const gw_document *doc,
                          const gw_term_result *r, gw_positions_walk *at, int nested_only) {
  size_t nm = gw_term_result_match_count(r);
  gw_json_array_begin(w);
  for (size_t i = 0; i < nm; i++) {
    const gw_term_match *m = gw_term_result_match_at(r, i);
    if (nested_only && m->kind != GW_TERM_NESTED) continue;
    gw_json_object_begin(w);
    gw_json_member_string(w, "term", gw_terms_term_at(terms, m->term)->text);
    if (nested_only) {
      const gw_term_match *outer = gw_term_result_match_at(r, m->outer);
      gw_json_member_string(w, "in", gw_terms_term_at(terms, outer->term)->text);
    } else {
      terms_json_norm_text(w, "found", doc, &m->range);
      gw_json_member_string(w, "kind", gw_term_match_kind_name(m->kind));
    }
    terms_json_place(w, at, doc, &m->range, m->paragraph);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
}

/* A record's members after its categories: its nested matches, its
 * findings and with --matches every match; then its end.  Nothing here
 * allocates but the writer (the walk `at` is primed). */
static void write_file_rest(gw_json *w, const corpus *c, const terms_config *cfg,
                            const gw_document *doc, const gw_term_result *r,
                            gw_positions_walk *at) {
  gw_json_key(w, "nested_matches");
  write_matches(w, c->terms, doc, r, at, 1);
  terms_json_findings(w, c->terms, doc, at, r);
  if (cfg->all_matches) {
    gw_json_key(w, "matches");
    write_matches(w, c->terms, doc, r, at, 0);
  }
  gw_json_object_end(w);
}

int terms_write_file_json(corpus *c, const terms_config *cfg, const char *path,
                          const gw_document *doc, const gw_term_result *r,
                          gw_positions_walk *at, document_counts counts, int last) {
  gw_json *w = &c->files;
  uint64_t chars = gw_document_char_count(doc);
  gw_json_object_begin(w);
  gw_json_member_path(w, "path", path);
  gw_json_key(w, "year");
  int year = gw_term_result_year(r);
  if (year) gw_json_int(w, year);
  else gw_json_null(w);
  gw_json_member_uint(w, "characters", chars);
  gw_json_member_uint(w, "count", counts.counted);
  gw_json_member_uint(w, "nested", counts.nested);
  gw_json_member_number(w, "density", terms_density(counts.counted, chars));
  gw_json_key(w, "terms");
  write_file_terms(w, c, chars);
  tallies found = terms_document_tallies(c);
  gw_json_key(w, "categories");
  write_categories(w, c->terms, &found, 0);
  if (cfg->by_section) {
    gw_json_key(w, "by_section");
    write_by_section(w, c->terms, &found);
  }
  if (!last) write_file_rest(w, c, cfg, doc, r, at);
  return w->failed;
}

/* The corpus's terms, by count, and the first cfg->top of them. */
static void write_corpus_terms(gw_json *w, const corpus *c, const terms_config *cfg) {
  size_t k = 0;
  tallies all = terms_corpus_tallies(c);
  size_t *idx = terms_sorted(c->terms, &all, &k);
  if (!idx) gw_json_fail(w, GW_ENOMEM);
  gw_json_key(w, "terms");
  gw_json_array_begin(w);
  for (size_t j = 0; idx && j < k; j++) {
    const tally *t = &c->all[idx[j]];
    const gw_term *term = gw_terms_term_at(c->terms, idx[j]);
    gw_json_object_begin(w);
    gw_json_member_string(w, "term", term->text);
    gw_json_member_string(w, "category", term->category);
    gw_json_member_uint(w, "count", t->count);
    gw_json_member_uint(w, "documents", t->documents);
    gw_json_member_number(w, "density", terms_density(t->count, c->characters));
    gw_json_member_uint(w, "nested", t->nested);
    terms_json_term_facts(w, term);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
  gw_json_key(w, "categories");
  write_categories(w, c->terms, &all, 1);
  gw_json_key(w, "top_terms");
  gw_json_array_begin(w);
  for (size_t j = 0; idx && j < k && j < cfg->top; j++) {
    const tally *t = &c->all[idx[j]];
    if (!t->count) continue;
    gw_json_object_begin(w);
    gw_json_member_string(w, "term", gw_terms_term_at(c->terms, idx[j])->text);
    gw_json_member_uint(w, "count", t->count);
    gw_json_member_uint(w, "documents", t->documents);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
  free(idx);
}

static void write_discovered(gw_json *w, const gw_discovery *discovery) {
  gw_json_key(w, "discovered");
  gw_json_array_begin(w);
  for (size_t i = 0; i < gw_discovery_candidate_count(discovery); i++) {
    const gw_candidate *cand = gw_discovery_candidate_at(discovery, i);
    gw_json_object_begin(w);
    gw_json_member_string(w, "text", cand->text);
    gw_json_member_string(w, "kind", gw_candidate_kind_name(cand->kind));
    gw_json_member_uint(w, "count", cand->count);
    gw_json_member_uint(w, "documents", cand->documents);
    if (cand->kind == GW_CANDIDATE_NGRAM) {
      gw_json_member_number(w, "pmi", cand->pmi);
      gw_json_member_number(w, "left_entropy", cand->left_entropy);
      gw_json_member_number(w, "right_entropy", cand->right_entropy);
    }
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
}

/* The corpus's members up to the key "files". */
static void write_totals(gw_json *w, const corpus *c, const terms_config *cfg) {
  gw_json_object_begin(w);
  gw_json_member_uint(w, "documents", c->documents);
  gw_json_member_uint(w, "characters", c->characters);
  gw_json_member_uint(w, "dictionary", c->n);
  gw_json_member_uint(w, "generated", terms_generated_count(c));
  gw_json_member_uint(w, "count", c->counted);
  gw_json_member_uint(w, "nested", c->nested);
  gw_json_member_number(w, "density", terms_density(c->counted, c->characters));
  write_corpus_terms(w, c, cfg);
  if (cfg->by_section) {
    tallies all = terms_corpus_tallies(c);
    gw_json_key(w, "by_section");
    write_by_section(w, c->terms, &all);
  }
  gw_json_member_uint(w, "broken", c->broken);
  gw_json_member_uint(w, "outdated", c->outdated);
  gw_json_member_uint(w, "stale", c->stale);
  if (c->discovery) write_discovered(w, c->discovery);
  gw_json_key(w, "files");
}

int terms_write_json(corpus *c, const terms_config *cfg, const gw_cli *cli) {
  gw_json head, rest, tail;
  gw_json_init(&head, NULL, !cfg->compact);
  gw_json_init(&rest, stdout, !cfg->compact);
  gw_json_init(&tail, NULL, !cfg->compact);
  write_totals(&head, c, cfg);
  last_document *last = &c->last;
  if (last->doc) {
    /* In the top object, the "files" array and the last record, as the
     * buffer of "files" left them; its buffer had now, before any output. */
    gw_json_continue_in(&rest, 1, 1);
    gw_json_continue_in(&rest, 0, 1);
    gw_json_continue_in(&rest, 1, 1);
    gw_json_reserve_stream(&rest);
  } else {
    gw_json_array_end(&c->files);
  }
  gw_json_continue_in(&tail, 1, 1);
  gw_cli_write_errors_last(&tail, cli);
  int rc = tail.failed ? tail.failed : rest.failed;
  gw_json *const before[] = {&head, &c->files};
  if (rc == GW_OK) rc = gw_json_write_parts(stdout, before, 2);
  if (rc == GW_OK && last->doc) {
    write_file_rest(&rest, c, cfg, last->doc, last->result,
                    last->positions_ready ? &last->positions : NULL);
    gw_json_array_end(&rest);
    rc = gw_json_flush(&rest);
  }
  gw_json *const after[] = {&tail};
  if (rc == GW_OK) rc = gw_json_write_parts(stdout, after, 1);
  gw_json_finish(&head);
  gw_json_finish(&rest);
  gw_json_finish(&tail);
  return rc;
}
