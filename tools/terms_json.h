/* terms_json.h — JSON of term findings, shared by gw-terms and gw-gap
 * (tools only: cJSON never reaches the library). */
#ifndef GW_TERMS_JSON_H
#define GW_TERMS_JSON_H

#include <cjson/cJSON.h>

#include "gongwen.h"

/* "start", "end": original byte offsets. */
void terms_json_range(cJSON *o, const gw_range *r);
/* The range, then "paragraph" and its "section". */
void terms_json_place(cJSON *o, const gw_document *doc, const gw_range *r,
                      size_t paragraph);
/* o[key] = the range's text in the normalized view. */
void terms_json_norm_text(cJSON *o, const char *key, const gw_document *doc,
                          const gw_range *r);
/* A broken formulation: term, found, problems, missing, altered parts (with
 * what stands there and where), and its place. */
cJSON *terms_json_broken(const gw_terms *terms, const gw_document *doc,
                         const gw_broken_formulation *b);

/* The term dictionary a tool uses: the data directory's terms.tsv (unless
 * no_default) plus each of files[0..n).  0, or -1 after reporting why. */
struct gw_cli;
int terms_load_for_tool(struct gw_cli *cli, const char *data_dir, int no_default,
                        const char *const *files, size_t n, gw_terms **out);

#endif
