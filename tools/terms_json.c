/* terms_json.c — JSON of term findings, shared by gw-terms and gw-gap. */
#include "terms_json.h"

#include "cli.h"

#include <stdlib.h>
#include <string.h>

void terms_json_range(cJSON *o, const gw_range *r) {
  cJSON_AddNumberToObject(o, "start", (double)r->start);
  cJSON_AddNumberToObject(o, "end", (double)r->end);
}

void terms_json_place(cJSON *o, const gw_document *doc, const gw_range *r, size_t paragraph) {
  terms_json_range(o, r);
  cJSON_AddNumberToObject(o, "paragraph", (double)paragraph);
  cJSON_AddStringToObject(o, "section",
                          gw_section_type_name(gw_document_paragraph_at(doc, paragraph)->section));
}

void terms_json_norm_text(cJSON *o, const char *key, const gw_document *doc, const gw_range *r) {
  size_t len;
  const char *norm = gw_document_normalized(doc, &len);
  char *s = strndup(norm + r->norm_start, r->norm_end - r->norm_start);
  cJSON_AddStringToObject(o, key, s ? s : "");
  free(s);
}

cJSON *terms_json_broken(const gw_terms *terms, const gw_document *doc,
                          const gw_broken_formulation *b) {
  cJSON *o = cJSON_CreateObject();
  const gw_term *term = gw_terms_term_at(terms, b->term);
  cJSON_AddStringToObject(o, "term", term->text);
  terms_json_norm_text(o, "found", doc, &b->range);
  cJSON *pr = cJSON_AddArrayToObject(o, "problems");
  if (b->problems & GW_FORMULATION_MISSING) cJSON_AddItemToArray(pr, cJSON_CreateString("missing"));
  if (b->problems & GW_FORMULATION_REORDERED) cJSON_AddItemToArray(pr, cJSON_CreateString("reordered"));
  if (b->problems & GW_FORMULATION_ALTERED) cJSON_AddItemToArray(pr, cJSON_CreateString("altered"));
  cJSON *miss = cJSON_AddArrayToObject(o, "missing");
  cJSON *alt = cJSON_AddArrayToObject(o, "altered");
  size_t na = 0;
  for (size_t p = 0; p < term->part_count && p < 32; p++) {
    if (b->missing >> p & 1)
      cJSON_AddItemToArray(miss, cJSON_CreateString(gw_terms_part_at(terms, b->term, p)));
    if (b->altered >> p & 1) {
      cJSON *a = cJSON_CreateObject();
      cJSON_AddStringToObject(a, "part", gw_terms_part_at(terms, b->term, p));
      if (na < 4) {
        terms_json_norm_text(a, "found", doc, &b->altered_range[na]);
        terms_json_range(a, &b->altered_range[na]);
      }
      na++;
      cJSON_AddItemToArray(alt, a);
    }
  }
  terms_json_place(o, doc, &b->range, b->paragraph);
  return o;
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
