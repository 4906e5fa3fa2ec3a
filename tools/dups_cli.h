/* dups_cli.h — copy detection as the tools ask for it: its options, worded
 * once for gw-dups and gw-stats (same names, ranges and help), and the
 * official spans a document gives copy detection (term matches, which
 * never count as copying). */
#ifndef GW_DUPS_CLI_H
#define GW_DUPS_CLI_H

#include <stddef.h>

#include "gongwen.h"
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

/* The thresholds of copy detection, with their headings: the end of a
 * table, before GW_OPT_INPUT_OPTIONS. */
#define GW_OPT_DUPS_THRESHOLDS(o)                                                        \
  gw_opt_heading("Paragraph clusters:"), gw_opt_dups_shingle_k(o), gw_opt_dups_minhash(o), \
      gw_opt_dups_bands(o), gw_opt_dups_seed(o), gw_opt_dups_min_jaccard(o),             \
      gw_opt_dups_min_containment(o), gw_opt_dups_min_paragraph(o),                      \
      gw_opt_heading("Copied passages:"), gw_opt_dups_passage_t(o),                      \
      gw_opt_dups_passage_k(o), gw_opt_dups_max_gap(o)

/* Whether the options hold together (gw_dups_new's checks): -1 to go on,
 * or GW_EXIT_FAILURE after a usage error naming what is wrong. */
int gw_dups_cli_check(gw_cli *cli, gw_dups_options *o);

#endif
