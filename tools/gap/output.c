/* output.c — gw-gap's report written: one JSON object (key order fixed,
 * documented in the README), or advice for a drafter (--format text). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "gap.h"
#include "json_writer.h"
#include "terms_json.h"
#include "text_out.h"

static double round_to(double x, double unit) {
  return (double)(long long)(x / unit + 0.5) * unit;
}

static void write_example(gw_json *w, const gap_example *e) {
  gw_json_object_begin(w);
  gw_json_member_path(w, "path", e->path);
  gw_json_member_string(w, "text", e->text);
  gw_json_member_uint(w, "start", e->range.start);
  gw_json_member_uint(w, "end", e->range.end);
  gw_json_member_uint(w, "line", e->line);
  gw_json_member_uint(w, "column", e->column);
  gw_json_member_string(w, "section", gw_section_type_name(e->section));
  gw_json_member_string(w, "name", e->name);
  gw_json_object_end(w);
}

static void write_missing(gw_json *w, const gap_report *g, const gap_missing *m) {
  const gap_term_use *u = &g->use[m->term];
  const gw_term *term = gw_terms_term_at(g->terms, m->term);
  gw_json_object_begin(w);
  gw_json_member_string(w, "term", term->text);
  gw_json_member_string(w, "category", term->category);
  gw_json_key(w, "checklist");
  gw_json_bool(w, u->checklist);
  gw_json_member_uint(w, "documents", u->documents);
  gw_json_member_number(w, "share", round_to(m->share, 0.01));
  gw_json_member_number(w, "general", round_to(m->general, 0.001));
  gw_json_member_number(w, "score", round_to(m->score, 0.001));
  gw_json_key(w, "sections");
  gw_json_array_begin(w);
  for (int s = 0; s < GW_SECTION_COUNT; s++) {
    if (!u->section[s]) continue;
    gw_json_object_begin(w);
    gw_json_member_string(w, "section", gw_section_type_name((gw_section_type)s));
    gw_json_member_string(w, "name", g->names[s]);
    gw_json_member_uint(w, "documents", u->section_documents[s]);
    gw_json_member_uint(w, "count", u->section[s]);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
  gw_json_key(w, "example");
  if (u->has_example) write_example(w, &u->example);
  else gw_json_null(w);
  gw_json_object_end(w);
}

static void write_structure(gw_json *w, const gap_report *g, const gap_structure_row *rows,
                            size_t n) {
  gw_json_array_begin(w);
  for (size_t i = 0; i < n; i++) {
    const gap_structure_row *r = &rows[i];
    gw_json_object_begin(w);
    gw_json_member_string(w, "section", gw_section_type_name(r->section));
    gw_json_member_string(w, "name", g->names[r->section]);
    gw_json_member_uint(w, "references", r->references);
    gw_json_member_uint(w, "median_characters", r->median);
    gw_json_key(w, "draft_characters");
    if (r->draft_has) gw_json_uint(w, r->draft_characters);
    else gw_json_null(w);
    gw_json_key(w, "gap");
    if (r->gap) gw_json_string(w, r->gap);
    else gw_json_null(w);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
}

static void write_unique(gw_json *w, const gap_report *g) {
  gw_json_array_begin(w);
  for (size_t t = 0; t < g->n; t++) {
    if (!gap_is_unique(g, t)) continue;
    gw_json_object_begin(w);
    gw_json_member_string(w, "term", gw_terms_term_at(g->terms, t)->text);
    gw_json_member_string(w, "category", gw_terms_term_at(g->terms, t)->category);
    gw_json_member_uint(w, "count", g->use[t].draft_count);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
}

/* The JSON on stdout, whole or not at all: GW_OK, GW_ENOMEM or GW_EIO. */
int gap_write_json(const gw_cli *cli, const gap_report *g, gap_findings *f) {
  gw_json w;
  gw_json_init(&w, NULL, !g->cfg->compact);
  gw_json_object_begin(&w);
  gw_json_member_path(&w, "draft", cli->inputs[0].path);
  gw_json_key(&w, "year");
  if (g->year) gw_json_int(&w, g->year);
  else gw_json_null(&w);
  gw_json_member_uint(&w, "references", g->references);
  gw_json_member_number(&w, "min_share", g->cfg->min_share);
  gw_json_member_uint(&w, "top", g->cfg->top);
  gw_json_key(&w, "structure");
  write_structure(&w, g, f->rows, f->row_count);
  gw_json_key(&w, "missing");
  gw_json_array_begin(&w);
  for (size_t i = 0; i < f->missing_count; i++) write_missing(&w, g, &f->missing[i]);
  gw_json_array_end(&w);
  gw_json_member_uint(&w, "omitted", f->omitted);
  gw_json_key(&w, "unique");
  write_unique(&w, g);
  terms_json_findings(&w, g->terms, f->draft, &f->draft_positions, f->result);
  gw_cli_write_errors_last(&w, cli);
  gw_json *const parts[] = {&w};
  int rc = gw_json_write_parts(stdout, parts, 1);
  gw_json_finish(&w);
  return rc;
}

/* ---- --format text: advice for a drafter ---- */

static void print_structure(const gap_report *g, const gap_findings *f) {
  int any = 0;
  for (size_t i = 0; i < f->row_count; i++) {
    const gap_structure_row *r = &f->rows[i];
    if (!r->gap) continue;
    if (!any++) printf("Sections:\n");
    if (strcmp(r->gap, "missing") == 0)
      printf("  missing  %s: %zu of %" PRIu64 " references have this section; the draft has none\n",
             g->names[r->section], r->references, g->references);
    else
      printf("  shorter  %s: %zu characters in the draft, %zu in the median reference\n",
             g->names[r->section], r->draft_characters, r->median);
  }
  if (!any && g->references)
    printf("Sections: the draft has every section most references have.\n");
  if (g->references) printf("\n");
}

/* "in 工作开展情况 (4 of them), 下一步工作打算 (1)": the parts that use
 * it most first. */
static void print_parts(const gap_report *g, const gap_term_use *u) {
  int printed[GW_SECTION_COUNT] = {0};
  for (int n = 0;; n++) {
    int best = -1;
    for (int s = 0; s < GW_SECTION_COUNT; s++)
      if (u->section[s] && !printed[s] &&
          (best < 0 || u->section_documents[s] > u->section_documents[best]))
        best = s;
    if (best < 0) break;
    printf(n ? ", %s (%" PRIu64 ")" : ", in %s (%" PRIu64 " of them)", g->names[best],
           u->section_documents[best]);
    printed[best] = 1;
  }
}

static void print_missing(const gap_report *g, const gap_findings *f) {
  printf("Terms the draft lacks");
  if (g->references) printf(" (most telling first: used by many references, rare in general text)");
  printf(":\n");
  for (size_t i = 0; i < f->missing_count; i++) {
    const gap_term_use *u = &g->use[f->missing[i].term];
    const gw_term *term = gw_terms_term_at(g->terms, f->missing[i].term);
    printf("%3zu. %s  [%s]", i + 1, term->text, term->category);
    if (u->checklist) printf("  (on the checklist)");
    printf("\n");
    if (g->references) {
      printf("     used by %" PRIu64 " of %" PRIu64 " references", u->documents, g->references);
      print_parts(g, u);
      printf("\n");
    }
    if (u->has_example) {
      const gap_example *e = &u->example;
      printf("     e.g. \xE2\x80\x9C");
      gw_text_put_excerpt(stdout, e->text, strlen(e->text), 100);
      printf("\xE2\x80\x9D\n          (");
      gw_text_put_name(stdout, e->path);
      printf(" line %zu, %s)\n", e->line, e->name);
    }
  }
  if (!f->missing_count) printf("  none\n");
  if (f->omitted) printf("  ... and %zu more (--top N lists more)\n", f->omitted);
}

void gap_print_text(const gw_cli *cli, const gap_report *g, gap_findings *f) {
  const gap_config *cfg = g->cfg;
  printf("Draft ");
  gw_text_put_name(stdout, cli->inputs[0].path);
  if (g->year) printf(" (year %d)", g->year);
  else printf(" (year unknown)");
  if (cfg->corpus_dir) printf(", compared with %" PRIu64 " reference reports", g->references);
  if (cfg->checklist) printf("%s the checklist", cfg->corpus_dir ? " and" : ", checked against");
  printf("\n\n");
  print_structure(g, f);
  print_missing(g, f);
  if (cfg->corpus_dir) {
    int n = 0;
    printf("\nTerms no reference uses:\n");
    for (size_t t = 0; t < g->n; t++) {
      if (!gap_is_unique(g, t)) continue;
      n++;
      printf("  %s  [%s]", gw_terms_term_at(g->terms, t)->text,
             gw_terms_term_at(g->terms, t)->category);
      if (g->use[t].draft_count > 1) printf(", %" PRIu64 " times", g->use[t].draft_count);
      printf("\n");
    }
    if (!n) printf("  none\n");
  }
  printf("\nBroken, outdated and stale formulations in the draft:\n");
  if (!terms_text_findings(stdout, "  ", g->terms, f->draft, &f->draft_positions, f->result))
    printf("  none\n");
  terms_text_errors(stdout, cli);
}
