/* terms_json.c — JSON of term findings, shared by gw-terms and gw-gap. */
#include "terms_json.h"

#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* Each cJSON call that can fail (out of memory: NULL or false) clears the
 * `ok` of the function it is in. */
#define J(call) (ok &= !!(call))

/* The object built when every call went through (ok), else NULL. */
static cJSON *complete(cJSON *o, int ok) {
  if (ok) return o;
  cJSON_Delete(o);
  return NULL;
}

int terms_json_range(cJSON *o, const gw_range *r) {
  int ok = 1;
  J(cJSON_AddNumberToObject(o, "start", (double)r->start));
  J(cJSON_AddNumberToObject(o, "end", (double)r->end));
  return ok;
}

int terms_json_place(cJSON *o, const gw_document *doc, const gw_range *r, size_t paragraph) {
  int ok = 1;
  J(terms_json_range(o, r));
  J(cJSON_AddNumberToObject(o, "paragraph", (double)paragraph));
  J(cJSON_AddStringToObject(
      o, "section", gw_section_type_name(gw_document_paragraph_at(doc, paragraph)->section)));
  return ok;
}

int terms_json_norm_text(cJSON *o, const char *key, const gw_document *doc, const gw_range *r) {
  int ok = 1;
  size_t len;
  const char *norm = gw_document_normalized(doc, &len);
  char *s = strndup(norm + r->norm_start, r->norm_end - r->norm_start);
  J(s);
  J(s && cJSON_AddStringToObject(o, key, s));
  free(s);
  return ok;
}

cJSON *terms_json_broken(const gw_terms *terms, const gw_document *doc,
                          const gw_broken_formulation *b) {
  int ok = 1;
  cJSON *o = cJSON_CreateObject();
  const gw_term *term = gw_terms_term_at(terms, b->term);
  J(cJSON_AddStringToObject(o, "term", term->text));
  J(terms_json_norm_text(o, "found", doc, &b->range));
  cJSON *pr = cJSON_AddArrayToObject(o, "problems");
  J(pr);
  if (b->problems & GW_FORMULATION_MISSING) J(cJSON_AddItemToArray(pr, cJSON_CreateString("missing")));
  if (b->problems & GW_FORMULATION_REORDERED) J(cJSON_AddItemToArray(pr, cJSON_CreateString("reordered")));
  if (b->problems & GW_FORMULATION_ALTERED) J(cJSON_AddItemToArray(pr, cJSON_CreateString("altered")));
  cJSON *miss = cJSON_AddArrayToObject(o, "missing");
  J(miss);
  cJSON *alt = cJSON_AddArrayToObject(o, "altered");
  J(alt);
  size_t na = 0;
  for (size_t p = 0; p < term->part_count && p < 32; p++) {
    if (b->missing >> p & 1)
      J(cJSON_AddItemToArray(miss, cJSON_CreateString(gw_terms_part_at(terms, b->term, p))));
    if (b->altered >> p & 1) {
      cJSON *a = cJSON_CreateObject();
      J(cJSON_AddStringToObject(a, "part", gw_terms_part_at(terms, b->term, p)));
      if (na < 4) {
        J(terms_json_norm_text(a, "found", doc, &b->altered_range[na]));
        J(terms_json_range(a, &b->altered_range[na]));
      }
      na++;
      J(cJSON_AddItemToArray(alt, a));
    }
  }
  J(terms_json_place(o, doc, &b->range, b->paragraph));
  return complete(o, ok);
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

static int add_year(cJSON *o, const char *key, int year) {
  return year ? cJSON_AddNumberToObject(o, key, year) != NULL
              : cJSON_AddNullToObject(o, key) != NULL;
}

int terms_json_term_facts(cJSON *o, const gw_term *term) {
  int ok = 1;
  J(cJSON_AddBoolToObject(o, "generated", term->generated));
  J(add_year(o, "introduced", term->introduced));
  J(add_year(o, "ended", term->ended));
  return ok;
}

cJSON *terms_json_outdated(const gw_terms *terms, const gw_document *doc,
                           const gw_term_result *result, size_t i) {
  const gw_outdated_formulation *od = gw_term_result_outdated_at(result, i);
  const gw_term_match *m = gw_term_result_match_at(result, od->match);
  int ok = 1;
  cJSON *o = cJSON_CreateObject();
  J(cJSON_AddStringToObject(o, "term", gw_terms_term_at(terms, od->term)->text));
  J(cJSON_AddStringToObject(o, "kind", gw_outdated_kind_name(od->kind)));
  J(cJSON_AddStringToObject(o, "superseded_by", gw_terms_term_at(terms, od->successor)->text));
  J(cJSON_AddNumberToObject(o, "since", od->since));
  J(terms_json_place(o, doc, &m->range, m->paragraph));
  return complete(o, ok);
}

cJSON *terms_json_stale(const gw_terms *terms, const gw_document *doc,
                        const gw_term_result *result, size_t i) {
  const gw_stale_formulation *st = gw_term_result_stale_at(result, i);
  const gw_term_match *m = gw_term_result_match_at(result, st->match);
  int ok = 1;
  cJSON *o = cJSON_CreateObject();
  J(cJSON_AddStringToObject(o, "term", gw_terms_term_at(terms, st->term)->text));
  J(add_year(o, "started", st->started));
  J(cJSON_AddNumberToObject(o, "ended", st->ended));
  J(terms_json_place(o, doc, &m->range, m->paragraph));
  return complete(o, ok);
}

const char *terms_json_str(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(v) ? v->valuestring : "";
}

double terms_json_num(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

/* "WHAT  (bytes A-B)  " after the indent and a label padded to one width,
 * so that the terms of the three kinds line up. */
static void put_head(FILE *out, const char *indent, const char *label, const cJSON *e,
                     const char *what) {
  fprintf(out, "%s%-9s%s  (bytes %.0f-%.0f)  ", indent, label, terms_json_str(e, what),
          terms_json_num(e, "start"), terms_json_num(e, "end"));
}

void terms_text_broken(FILE *out, const char *indent, const cJSON *e) {
  put_head(out, indent, "broken", e, "found");
  fprintf(out, "should be: %s", terms_json_str(e, "term"));
  const cJSON *p;
  cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(e, "missing"))
    if (cJSON_IsString(p)) fprintf(out, "; missing %s", p->valuestring);
  cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(e, "altered"))
    fprintf(out, "; %s for %s", terms_json_str(p, "found"), terms_json_str(p, "part"));
  fputc('\n', out);
}

void terms_text_outdated(FILE *out, const char *indent, const cJSON *e) {
  const char *kind = terms_json_str(e, "kind");
  const char *successor = terms_json_str(e, "superseded_by");
  int since = (int)terms_json_num(e, "since");
  if (strcmp(kind, "renamed") == 0) {
    put_head(out, indent, "old name", e, "term");
    fprintf(out, "renamed %s in %d\n", successor, since);
  } else if (strcmp(kind, "meeting") == 0) {
    put_head(out, indent, "outdated", e, "term");
    fprintf(out, "cited as the current guide; since %d the guide is %s\n", since, successor);
  } else {
    put_head(out, indent, "outdated", e, "term");
    fprintf(out, "superseded by %s since %d\n", successor, since);
  }
}

void terms_text_stale(FILE *out, const char *indent, const cJSON *e) {
  put_head(out, indent, "stale", e, "term");
  int started = (int)terms_json_num(e, "started"), ended = (int)terms_json_num(e, "ended");
  if (started && started != ended)
    fprintf(out, "cited as ongoing, but the campaign ran %d\xE2\x80\x93%d\n", started, ended);
  else
    fprintf(out, "cited as ongoing, but the campaign ended in %d\n", ended);
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

void terms_text_errors(FILE *out, const cJSON *report) {
  const cJSON *errors = cJSON_GetObjectItemCaseSensitive(report, "errors"), *e;
  if (!cJSON_GetArraySize(errors)) return;
  fprintf(out, "\nErrors:\n");
  cJSON_ArrayForEach(e, errors) fprintf(out, "  %s\n", terms_json_str(e, "error"));
}
