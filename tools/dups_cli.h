/* dups_cli.h — copy detection as the tools ask for it: its options, worded
 * once for gw-dups and gw-stats (same names, ranges and help), and the
 * official spans a document gives copy detection (term matches, which
 * never count as copying). */
#ifndef GW_DUPS_CLI_H
#define GW_DUPS_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "gongwen.h"
#include "json_writer.h"
#include "options.h"

gw_opt gw_opt_dups_template_min(gw_dups_options *o);
gw_opt gw_opt_dups_shingle_k(gw_dups_options *o);
gw_opt gw_opt_dups_minhash(gw_dups_options *o);
gw_opt gw_opt_dups_bands(gw_dups_options *o);
gw_opt gw_opt_dups_seed(gw_dups_options *o);
gw_opt gw_opt_dups_min_jaccard(gw_dups_options *o);
gw_opt gw_opt_dups_min_containment(gw_dups_options *o);
gw_opt gw_opt_dups_min_paragraph(gw_dups_options *o);
gw_opt gw_opt_dups_passage_t(gw_dups_options *o);
gw_opt gw_opt_dups_passage_k(gw_dups_options *o);
gw_opt gw_opt_dups_max_gap(gw_dups_options *o);
gw_opt gw_opt_dups_max_sources(gw_dups_options *o);
gw_opt gw_opt_dups_all_pairs(gw_dups_options *o);

/* The thresholds of copy detection, with their headings: the end of a
 * table, before GW_OPT_INPUT_OPTIONS. */
#define GW_OPT_DUPS_THRESHOLDS(o)                                                        \
  gw_opt_heading("Paragraph clusters:"), gw_opt_dups_shingle_k(o), gw_opt_dups_minhash(o), \
      gw_opt_dups_bands(o), gw_opt_dups_seed(o), gw_opt_dups_min_jaccard(o),             \
      gw_opt_dups_min_containment(o), gw_opt_dups_min_paragraph(o),                      \
      gw_opt_heading("Copied passages:"), gw_opt_dups_passage_t(o),                      \
      gw_opt_dups_passage_k(o), gw_opt_dups_max_gap(o)

/* --meta FILE: each report's unit and year from a metadata table. */
gw_opt gw_opt_dups_meta(const char **path);
/* The table at `path` (gw_meta_load_file), or *meta NULL when path is NULL:
 * 0, or -1 after the error is reported ("FILE:LINE: what is wrong"). */
int gw_dups_cli_load_meta(gw_cli *cli, const char *path, gw_meta **meta);
/* The base documents --base names (files, or folders read recursively)
 * added to base as its inputs: 0, or -1 when out of memory or when one
 * cannot be examined (recorded as base's failure), since a run without
 * one of its base documents would count their text as copying. */
int gw_dups_cli_collect_base(gw_cli *base, const gw_opt_strings *paths);
/* Document `document` of d, read from `path`: its unit and year from its
 * row in meta (gw_dups_set_origin), if it has one.  0 or GW_ENOMEM. */
int gw_dups_cli_set_origin(gw_dups *d, size_t document, const gw_meta *meta, const char *path);
/* The unit meta gives `path`, or NULL: not known. */
const char *gw_dups_cli_unit(const gw_meta *meta, const char *path);
/* "unit": the unit meta gives `path`, or null. */
void gw_dups_cli_write_unit(gw_json *w, const gw_meta *meta, const char *path);

/* Whether the options hold together (gw_dups_new's checks): -1 to go on,
 * or GW_EXIT_FAILURE after a usage error naming what is wrong. */
int gw_dups_cli_check(gw_cli *cli, gw_dups_options *o);

/* Which of copy detection's parameters gw_dups_cli_write_parameters
 * writes. */
enum {
  /* what the index is built with, fixed for good in an archive: shingle_k,
   * minhash, bands, seed, min_paragraph, passage_t, passage_k, window,
   * official_terms */
  GW_DUPS_PARAMS_INDEX = 1,
  /* what each run chooses: min_jaccard, min_containment, max_gap,
   * template_min, max_sources, all_pairs, family_min_documents, and (where
   * a run is given) limits and base */
  GW_DUPS_PARAMS_RUN = 2,
  GW_DUPS_PARAMS_ALL = GW_DUPS_PARAMS_INDEX | GW_DUPS_PARAMS_RUN
};

/* What a run of copy detection was asked for, as gw-dups and gw-archive
 * write it. */
typedef struct gw_dups_cli_params {
  const gw_dups_options *options;
  int official_terms;      /* official formulations kept out of copying */
  const gw_dups *run;      /* its limits (those applied); NULL: none written */
  const char *const *base; /* the base documents' paths, when run is given */
  size_t base_count;
} gw_dups_cli_params;

/* The parameters `which` asks for, as members of the open object, in the
 * one order both tools keep: shingle_k, minhash, bands, seed, min_jaccard,
 * min_containment, min_paragraph, passage_t, passage_k, window, max_gap,
 * official_terms, template_min, max_sources, all_pairs,
 * family_min_documents, limits, base. */
void gw_dups_cli_write_parameters(gw_json *w, const gw_dups_cli_params *p, unsigned which);

/* The limits of copy detection (gongwen.h) as "key": {band_all_pairs,
 * star_above, repeat_pairs: the limits; applied: {the same three: how
 * often each applied in the last gw_dups_run, 0 when it did not}}. */
void gw_dups_cli_write_limits(gw_json *w, const char *key, const gw_dups *d);
/* The same for a terminal: one line naming each limit that applied,
 * nothing when none did. */
void gw_dups_cli_print_limits(FILE *out, const gw_dups *d);

#endif
