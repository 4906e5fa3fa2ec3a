/* terms_json.h — JSON of term findings and their lines in --format text,
 * shared by gw-terms and gw-gap (tools only: cJSON never reaches the
 * library). */
#ifndef GW_TERMS_JSON_H
#define GW_TERMS_JSON_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "gongwen.h"

/* The functions that add to an object return 1, or 0 when out of memory
 * (members may then be missing); those that make one return NULL then. */

/* "start", "end": original byte offsets. */
int terms_json_range(cJSON *o, const gw_range *r);
/* The range, then "paragraph" and its "section". */
int terms_json_place(cJSON *o, const gw_document *doc, const gw_range *r,
                      size_t paragraph);
/* o[key] = the range's text in the normalized view. */
int terms_json_norm_text(cJSON *o, const char *key, const gw_document *doc,
                          const gw_range *r);
/* A broken formulation: term, found, problems, missing, altered parts (with
 * what stands there and where), and its place. */
cJSON *terms_json_broken(const gw_terms *terms, const gw_document *doc,
                         const gw_broken_formulation *b);

/* What the dictionary knows of a term: "generated" (a name made by
 * pattern, not listed in a file), "introduced" and "ended" (years, null
 * when not given). */
int terms_json_term_facts(cJSON *o, const gw_term *term);
/* Outdated formulation i of a result: term, kind (superseded, meeting,
 * renamed), superseded_by, since, and its place. */
cJSON *terms_json_outdated(const gw_terms *terms, const gw_document *doc,
                           const gw_term_result *result, size_t i);
/* Stale formulation i of a result: term, started (null when not given),
 * ended, and its place. */
cJSON *terms_json_stale(const gw_terms *terms, const gw_document *doc,
                        const gw_term_result *result, size_t i);

/* One line of --format text for a record made by the functions above,
 * after `indent`: what is wrong and what to write instead. */
void terms_text_broken(FILE *out, const char *indent, const cJSON *broken);
void terms_text_outdated(FILE *out, const char *indent, const cJSON *outdated);
void terms_text_stale(FILE *out, const char *indent, const cJSON *stale);
/* The "errors" of a tool's JSON under a heading, when there are any. */
void terms_text_errors(FILE *out, const cJSON *report);
/* A JSON string member, "" when absent; a number member, 0 when absent. */
const char *terms_json_str(const cJSON *o, const char *key);
double terms_json_num(const cJSON *o, const char *key);

/* A section type as reports name it: 开头部分 (before the first heading),
 * 工作开展情况, 存在的问题, 下一步工作打算, 其他部分. */
const char *terms_section_label(gw_section_type type);

/* The term dictionary a tool uses: the data directory's terms.tsv (unless
 * no_default) plus each of files[0..n).  0, or -1 after reporting why. */
struct gw_cli;
int terms_load_for_tool(struct gw_cli *cli, const char *data_dir, int no_default,
                        const char *const *files, size_t n, gw_terms **out);

#endif
