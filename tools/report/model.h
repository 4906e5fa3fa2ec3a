/* model.h — the page's data: everything the page shows, written with the
 * tools' JSON writer straight from the input's records and the originals'
 * texts (no tree built).  --format json prints it whole; the page embeds
 * it in parts (page.h): what the first view needs, then the late parts. */
#ifndef GW_REPORT_MODEL_H
#define GW_REPORT_MODEL_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "config.h"
#include "documents.h"
#include "json_writer.h"

typedef struct model {
  report *r;
  const cJSON *dups; /* the input */
  const char *title;
  char generated[32]; /* empty without --timestamp */
  int has_families;
  size_t pairs, copy_passages, families, clusters, errors;
  int pretty;         /* --format json without --compact */
} model;

/* Reads what the model needs beyond the input (in gw-dups's shape,
 * input.h): the documents it names, their originals, units, years and
 * titles, and the counts the summary gives before the records they count.
 * Returns 0, GW_ENOMEM (not reported), or GW_EINVAL after the error was
 * reported. */
int model_prepare(model *m, gw_cli *cli, report *r, const cJSON *dups, const report_config *cfg);

/* Whether the model has a unit ranking (a draft checked by gw-gap has
 * none, nor a CSV). */
int model_has_ranking(const model *m);

/* --format json: the model with its records as objects (a writer for
 * write_file: GW_OK, GW_ENOMEM or GW_EIO). */
int model_write_json(FILE *out, const void *model);

/* What the page's first view needs, on one line, its arrays of records as
 * tables, the late parts left out. */
void model_write_first_view(gw_json *w, const model *m);

/* What the page reads late, after its script, each in a block of its own
 * (id gw-late-KEY), one JSON value a line. */
enum { MODEL_LATE_PARTS = 5 };
extern const char *const model_late_parts[MODEL_LATE_PARTS];

/* A late part's lines: one per document (text, sources, base_sources), per
 * pair (passages) or per cluster; line_end(w, arg) is called after each
 * line (the page takes it out of w) until w has failed. */
void model_write_late_part(gw_json *w, const model *m, size_t part,
                           void (*line_end)(gw_json *w, void *arg), void *arg);

#endif
