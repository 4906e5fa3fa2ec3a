/* terms_json.h — term findings as JSON records (through the streaming
 * writer) and as lines of --format text, shared by gw-terms and gw-gap. */
#ifndef GW_TERMS_JSON_H
#define GW_TERMS_JSON_H

#include <stdio.h>

#include "gongwen.h"
#include "json_writer.h"
#include "positions.h"

/* Members of the open object.  `at` (a walk through the document's lines,
 * primed by terms_positions_prime) adds "line" and "column" after "start"
 * and "end"; NULL leaves them out.  The places come fastest in ascending
 * order (a smaller offset walks again from the start of the text). */

/* "start", "end": original byte offsets. */
void terms_json_range(gw_json *w, gw_positions_walk *at, const gw_range *r);
/* The range, then "paragraph" and its "section". */
void terms_json_place(gw_json *w, gw_positions_walk *at, const gw_document *doc,
                      const gw_range *r, size_t paragraph);
/* The walk through doc's lines that `at` is, ready: for a document whose
 * text is not its original's bytes (another encoding, replacements) the
 * table of every byte is built now, so that no later step can fail.
 * GW_OK or GW_ENOMEM; gw_positions_walk_free either way. */
int terms_positions_prime(gw_positions_walk *at, const gw_document *doc);
/* key: the range's text in the normalized view. */
void terms_json_norm_text(gw_json *w, const char *key, const gw_document *doc,
                          const gw_range *r);
/* What the dictionary knows of a term: "generated" (a name made by
 * pattern, not listed in a file), "introduced" and "ended" (years, null
 * when not given). */
void terms_json_term_facts(gw_json *w, const gw_term *term);

/* Whole records (objects). */

/* A broken formulation: term, found, problems, missing, altered parts (with
 * what stands there and where), and its place. */
void terms_json_broken(gw_json *w, const gw_terms *terms, const gw_document *doc,
                       gw_positions_walk *at, const gw_broken_formulation *b);
/* Outdated formulation i of a result: term, kind (superseded, meeting,
 * renamed), superseded_by, since, and its place. */
void terms_json_outdated(gw_json *w, const gw_terms *terms, const gw_document *doc,
                         gw_positions_walk *at, const gw_term_result *result, size_t i);
/* Stale formulation i of a result: term, started (null when not given),
 * ended, and its place. */
void terms_json_stale(gw_json *w, const gw_terms *terms, const gw_document *doc,
                      gw_positions_walk *at, const gw_term_result *result, size_t i);
/* The three lists of a result as members "broken", "outdated", "stale". */
void terms_json_findings(gw_json *w, const gw_terms *terms, const gw_document *doc,
                         gw_positions_walk *at, const gw_term_result *result);

/* One line of --format text for each broken, outdated and stale
 * formulation of a result, after `indent`: what is wrong, where (the line
 * when `at` is given, and the bytes), and what to write instead.  The
 * number of lines. */
size_t terms_text_findings(FILE *out, const char *indent, const gw_terms *terms,
                           const gw_document *doc, gw_positions_walk *at,
                           const gw_term_result *result);
/* The failures of a run under a heading, when there are any. */
struct gw_cli;
void terms_text_errors(FILE *out, const struct gw_cli *cli);

/* A section type as reports name it: 开头部分 (before the first heading),
 * 工作开展情况, 存在的问题, 下一步工作打算, 其他部分. */
const char *terms_section_label(gw_section_type type);

/* The term dictionary a tool uses: the data directory's terms.tsv (unless
 * no_default) plus each of files[0..n).  0, or -1 after reporting why. */
int terms_load_for_tool(struct gw_cli *cli, const char *data_dir, int no_default,
                        const char *const *files, size_t n, gw_terms **out);

#endif
