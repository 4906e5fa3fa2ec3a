/* terms_json.c — term findings as JSON and text, shared by gw-terms and
 * gw-gap. */
#include "terms_json.h"

#include "cli.h"
#include "text_out.h"

#include <stdlib.h>
#include <string.h>

int terms_positions_prime(gw_positions_walk *at, const gw_document *doc) {
  gw_positions_walk_init(at, doc);
  size_t line, column;
  return gw_positions_walk_at(at, 0, &line, &column);
}

/* Where a range starts, found before it is written: a record whose
 * place comes after places inside it (a broken formulation's altered
 * parts) finds its own first, so that the walk goes forward only. */
typedef struct found_place {
  int known;
  size_t line, column;
} found_place;

static found_place find_place(gw_positions_walk *at, const gw_range *r) {
  found_place f = {0, 0, 0};
  if (!at) return f;
  f.known = 1;
  /* Primed (terms_positions_prime): the walk cannot fail. */
  (void)gw_positions_walk_at(at, r->start, &f.line, &f.column);
  return f;
}

static void write_range(gw_json *w, const found_place *f, const gw_range *r) {
  gw_json_member_uint(w, "start", r->start);
  gw_json_member_uint(w, "end", r->end);
  if (!f->known) return;
  gw_json_member_uint(w, "line", f->line);
  gw_json_member_uint(w, "column", f->column);
}

static void write_place(gw_json *w, const found_place *f, const gw_document *doc,
                        const gw_range *r, size_t paragraph) {
  write_range(w, f, r);
  gw_json_member_uint(w, "paragraph", paragraph);
  gw_json_member_string(w, "section",
                        gw_section_type_name(gw_document_paragraph_at(doc, paragraph)->section));
}

void terms_json_range(gw_json *w, gw_positions_walk *at, const gw_range *r) {
  found_place f = find_place(at, r);
  write_range(w, &f, r);
}

void terms_json_place(gw_json *w, gw_positions_walk *at, const gw_document *doc,
                      const gw_range *r, size_t paragraph) {
  found_place f = find_place(at, r);
  write_place(w, &f, doc, r, paragraph);
}

void terms_json_norm_text(gw_json *w, const char *key, const gw_document *doc,
                          const gw_range *r) {
  size_t len;
  const char *norm = gw_document_normalized(doc, &len);
  gw_json_key(w, key);
  gw_json_string_n(w, norm + r->norm_start, r->norm_end - r->norm_start);
}

static void year_or_null(gw_json *w, const char *key, int year) {
  gw_json_key(w, key);
  if (year) gw_json_int(w, year);
  else gw_json_null(w);
}

void terms_json_term_facts(gw_json *w, const gw_term *term) {
  gw_json_key(w, "generated");
  gw_json_bool(w, term->generated);
  year_or_null(w, "introduced", term->introduced);
  year_or_null(w, "ended", term->ended);
}

/* The parts of a formulation a bit set names (at most the first 32). */
static void part_names(gw_json *w, const gw_terms *terms, size_t term, uint32_t bits) {
  gw_json_array_begin(w);
  size_t parts = gw_terms_term_at(terms, term)->part_count;
  for (size_t p = 0; p < parts && p < 32; p++)
    if (bits >> p & 1) gw_json_string(w, gw_terms_part_at(terms, term, p));
  gw_json_array_end(w);
}

void terms_json_broken(gw_json *w, const gw_terms *terms, const gw_document *doc,
                       gw_positions_walk *at, const gw_broken_formulation *b) {
  const gw_term *term = gw_terms_term_at(terms, b->term);
  found_place place = find_place(at, &b->range);
  gw_json_object_begin(w);
  gw_json_member_string(w, "term", term->text);
  terms_json_norm_text(w, "found", doc, &b->range);
  gw_json_key(w, "problems");
  gw_json_array_begin(w);
  if (b->problems & GW_FORMULATION_MISSING) gw_json_string(w, "missing");
  if (b->problems & GW_FORMULATION_REORDERED) gw_json_string(w, "reordered");
  if (b->problems & GW_FORMULATION_ALTERED) gw_json_string(w, "altered");
  gw_json_array_end(w);
  gw_json_key(w, "missing");
  part_names(w, terms, b->term, b->missing);
  gw_json_key(w, "altered");
  gw_json_array_begin(w);
  size_t na = 0; /* the first four altered parts have their range */
  for (size_t p = 0; p < term->part_count && p < 32; p++) {
    if (!(b->altered >> p & 1)) continue;
    gw_json_object_begin(w);
    gw_json_member_string(w, "part", gw_terms_part_at(terms, b->term, p));
    if (na < 4) {
      terms_json_norm_text(w, "found", doc, &b->altered_range[na]);
      terms_json_range(w, at, &b->altered_range[na]);
    }
    na++;
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
  write_place(w, &place, doc, &b->range, b->paragraph);
  gw_json_object_end(w);
}

void terms_json_outdated(gw_json *w, const gw_terms *terms, const gw_document *doc,
                         gw_positions_walk *at, const gw_term_result *result, size_t i) {
  const gw_outdated_formulation *od = gw_term_result_outdated_at(result, i);
  const gw_term_match *m = gw_term_result_match_at(result, od->match);
  gw_json_object_begin(w);
  gw_json_member_string(w, "term", gw_terms_term_at(terms, od->term)->text);
  gw_json_member_string(w, "kind", gw_outdated_kind_name(od->kind));
  gw_json_member_string(w, "superseded_by", gw_terms_term_at(terms, od->successor)->text);
  gw_json_key(w, "since");
  gw_json_int(w, od->since);
  terms_json_place(w, at, doc, &m->range, m->paragraph);
  gw_json_object_end(w);
}

void terms_json_stale(gw_json *w, const gw_terms *terms, const gw_document *doc,
                      gw_positions_walk *at, const gw_term_result *result, size_t i) {
  const gw_stale_formulation *st = gw_term_result_stale_at(result, i);
  const gw_term_match *m = gw_term_result_match_at(result, st->match);
  gw_json_object_begin(w);
  gw_json_member_string(w, "term", gw_terms_term_at(terms, st->term)->text);
  year_or_null(w, "started", st->started);
  gw_json_key(w, "ended");
  gw_json_int(w, st->ended);
  terms_json_place(w, at, doc, &m->range, m->paragraph);
  gw_json_object_end(w);
}

void terms_json_findings(gw_json *w, const gw_terms *terms, const gw_document *doc,
                         gw_positions_walk *at, const gw_term_result *result) {
  gw_json_key(w, "broken");
  gw_json_array_begin(w);
  for (size_t i = 0; i < gw_term_result_broken_count(result); i++)
    terms_json_broken(w, terms, doc, at, gw_term_result_broken_at(result, i));
  gw_json_array_end(w);
  gw_json_key(w, "outdated");
  gw_json_array_begin(w);
  for (size_t i = 0; i < gw_term_result_outdated_count(result); i++)
    terms_json_outdated(w, terms, doc, at, result, i);
  gw_json_array_end(w);
  gw_json_key(w, "stale");
  gw_json_array_begin(w);
  for (size_t i = 0; i < gw_term_result_stale_count(result); i++)
    terms_json_stale(w, terms, doc, at, result, i);
  gw_json_array_end(w);
}

int terms_load_for_tool(gw_cli *cli, const char *data_dir, int no_default,
                        const char *const *files, size_t n, gw_terms **out) {
  gw_error err;
  int rc = gw_terms_new(out, &err);
  if (!rc && !no_default) {
    char *path = gw_cli_data_file(data_dir, "terms.tsv");
    rc = path ? gw_terms_add_file(*out, path, &err) : GW_ENOMEM;
    free(path);
  }
  for (size_t i = 0; !rc && i < n; i++) rc = gw_terms_add_file(*out, files[i], &err);
  if (!rc) return 0;
  gw_cli_error(cli, "%s", rc == GW_ENOMEM ? "out of memory" : err.message);
  return -1;
}

/* ---- --format text ---- */

/* "LABEL    WHAT  (line L, bytes A-B)  " after the indent, the label
 * padded to one width, so that the terms of the three kinds line up. */
static void put_head(FILE *out, const char *indent, const char *label, const char *what,
                     size_t what_len, gw_positions_walk *at, const gw_range *r) {
  fprintf(out, "%s%-9s", indent, label);
  fwrite(what, 1, what_len, out);
  fputs("  (", out);
  if (at) {
    size_t line, column;
    /* Primed (terms_positions_prime): the walk cannot fail. */
    (void)gw_positions_walk_at(at, r->start, &line, &column);
    fprintf(out, "line %zu, ", line);
  }
  fprintf(out, "bytes %zu-%zu)  ", r->start, r->end);
}

static void put_norm(FILE *out, const gw_document *doc, const gw_range *r) {
  size_t len;
  const char *norm = gw_document_normalized(doc, &len);
  fwrite(norm + r->norm_start, 1, r->norm_end - r->norm_start, out);
}

static void text_broken(FILE *out, const char *indent, const gw_terms *terms,
                        const gw_document *doc, gw_positions_walk *at,
                        const gw_broken_formulation *b) {
  size_t len;
  const char *norm = gw_document_normalized(doc, &len);
  const gw_term *term = gw_terms_term_at(terms, b->term);
  put_head(out, indent, "broken", norm + b->range.norm_start,
           b->range.norm_end - b->range.norm_start, at, &b->range);
  fprintf(out, "should be: %s", term->text);
  for (size_t p = 0; p < term->part_count && p < 32; p++)
    if (b->missing >> p & 1) fprintf(out, "; missing %s", gw_terms_part_at(terms, b->term, p));
  size_t na = 0;
  for (size_t p = 0; p < term->part_count && p < 32; p++) {
    if (!(b->altered >> p & 1)) continue;
    fputs("; ", out);
    if (na < 4) put_norm(out, doc, &b->altered_range[na]);
    na++;
    fprintf(out, " for %s", gw_terms_part_at(terms, b->term, p));
  }
  fputc('\n', out);
}

static void text_outdated(FILE *out, const char *indent, const gw_terms *terms,
                          gw_positions_walk *at, const gw_term_result *result, size_t i) {
  const gw_outdated_formulation *od = gw_term_result_outdated_at(result, i);
  const gw_range *r = &gw_term_result_match_at(result, od->match)->range;
  const char *text = gw_terms_term_at(terms, od->term)->text;
  const char *successor = gw_terms_term_at(terms, od->successor)->text;
  int since = od->since;
  if (od->kind == GW_OUTDATED_RENAMED) {
    put_head(out, indent, "old name", text, strlen(text), at, r);
    fprintf(out, "renamed %s in %d\n", successor, since);
  } else if (od->kind == GW_OUTDATED_MEETING) {
    put_head(out, indent, "outdated", text, strlen(text), at, r);
    fprintf(out, "cited as the current guide; since %d the guide is %s\n", since, successor);
  } else {
    put_head(out, indent, "outdated", text, strlen(text), at, r);
    fprintf(out, "superseded by %s since %d\n", successor, since);
  }
}

static void text_stale(FILE *out, const char *indent, const gw_terms *terms,
                       gw_positions_walk *at, const gw_term_result *result, size_t i) {
  const gw_stale_formulation *st = gw_term_result_stale_at(result, i);
  const gw_range *r = &gw_term_result_match_at(result, st->match)->range;
  const char *text = gw_terms_term_at(terms, st->term)->text;
  put_head(out, indent, "stale", text, strlen(text), at, r);
  if (st->started && st->started != st->ended)
    fprintf(out, "cited as ongoing, but the campaign ran %d\xE2\x80\x93%d\n", st->started,
            st->ended);
  else
    fprintf(out, "cited as ongoing, but the campaign ended in %d\n", st->ended);
}

size_t terms_text_findings(FILE *out, const char *indent, const gw_terms *terms,
                           const gw_document *doc, gw_positions_walk *at,
                           const gw_term_result *result) {
  size_t nb = gw_term_result_broken_count(result);
  size_t no = gw_term_result_outdated_count(result);
  size_t ns = gw_term_result_stale_count(result);
  for (size_t i = 0; i < nb; i++)
    text_broken(out, indent, terms, doc, at, gw_term_result_broken_at(result, i));
  for (size_t i = 0; i < no; i++) text_outdated(out, indent, terms, at, result, i);
  for (size_t i = 0; i < ns; i++) text_stale(out, indent, terms, at, result, i);
  return nb + no + ns;
}

void terms_text_errors(FILE *out, const gw_cli *cli) {
  if (!cli->failure_count) return;
  fprintf(out, "\nErrors:\n");
  for (size_t i = 0; i < cli->failure_count; i++) {
    const char *message = cli->failures[i].message;
    fputs("  ", out);
    gw_text_put_name(out, message);
    fputc('\n', out);
  }
}

const char *terms_section_label(gw_section_type type) {
  switch (type) {
  case GW_SECTION_NONE: return "开头部分";
  case GW_SECTION_WORK_DONE: return "工作开展情况";
  case GW_SECTION_PROBLEMS: return "存在的问题";
  case GW_SECTION_NEXT_STEPS: return "下一步工作打算";
  case GW_SECTION_OTHER: return "其他部分";
  }
  return "";
}
