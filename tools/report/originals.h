/* originals.h — the reports' original files: each read as gw-dups read it
 * (whatever its encoding), its text kept as written (punctuation and line
 * breaks; CR LF and CR shown as one line break), and the input's byte
 * offsets turned into indexes into that text as the browser counts them
 * (UTF-16 code units) plus a line number. */
#ifndef GW_REPORT_ORIGINALS_H
#define GW_REPORT_ORIGINALS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "config.h"
#include "documents.h"

/* Every document's original, found from cfg->root, else the current
 * folder, else the JSON file's folder; its year and title from its text
 * where nothing else gave them.  One that cannot be read keeps why in its
 * error (the first few reported, then a count).  0, or -1 out of memory. */
int load_originals(gw_cli *cli, report *r, const report_config *cfg);

/* A range of the input's byte offsets ({"start", "end", "line",
 * "column"}) in the shown text, unknown without the original; and the line
 * and column it starts at, counted in the shown text, or without the
 * original the record's (0 if it gives none). */
typedef struct shown_range {
  int known;
  size_t start, end, line, column;
} shown_range;

shown_range shown_range_of(const report_doc *d, const cJSON *range);
/* The same for a copied span: the highlight takes in the punctuation that
 * belongs to it (gw_dups_widen_shown: （二）, not 二）); line and column stay
 * those of its first copied character. */
shown_range copied_range_of(const report_doc *d, const cJSON *range);

/* The shown text of a copied range of byte offsets, as written in the file,
 * with the punctuation that belongs to it (as copied_range_of): its
 * length, with *text at its start.  d's original must be loaded. */
size_t shown_text_of(const report_doc *d, const cJSON *range, const char **text);

#endif
