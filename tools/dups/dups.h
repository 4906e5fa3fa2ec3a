/* dups.h — what gw-dups's parts share: the options, the inputs given
 * twice dropped (inputs.c), the documents loaded on the workers and added
 * to the index in input order (load.c), and the results written as JSON or
 * JSON Lines records (records.c) or as a summary for a terminal (text.c).
 * The data flows: inputs → documents prepared and added → gw_dups_run →
 * records or summary. */
#ifndef GW_DUPS_TOOL_H
#define GW_DUPS_TOOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "gongwen.h"
#include "options.h"
#include "positions.h"
#include "text_claims.h"

enum dups_format { DUPS_FORMAT_JSON, DUPS_FORMAT_JSONL, DUPS_FORMAT_TEXT };

typedef struct dups_config {
  enum dups_format format;
  gw_document_options document;
  gw_dups_options dups;
  const char *list_path;
  const char *meta_path;     /* --meta */
  gw_meta *meta;             /* its table, NULL without */
  gw_opt_strings base_paths; /* --base, in the order given */
  size_t threads;
  int no_text;  /* no passage text in the output */
  int no_terms; /* official formulations count as copying too */
  int compact;  /* one-line JSON */
} dups_config;

/* ---- the inputs (inputs.c) ---- */

/* A file given twice (the same path, or another path to the same file) is
 * analysed once, where it comes first (a base document before the
 * others), with a warning: counted twice it would look copied from itself.
 * 0, or -1 after "out of memory" is reported. */
int dups_drop_repeated_inputs(gw_cli *base, gw_cli *cli);

/* ---- the documents (load.c) ---- */

#define DUPS_NOT_ANALYSED SIZE_MAX

/* The documents of a run: paths and positions by document (base documents
 * first), and the document of each input by input order (base inputs
 * first, then the others as given). */
typedef struct dups_documents {
  char **paths;
  gw_positions *positions;
  unsigned char *borrowed; /* by document: its positions are another's */
  size_t *document_of;     /* by input order; DUPS_NOT_ANALYSED: none */
  gw_text_claims claims;   /* the texts loaded, by their first input */
  int has_claims;
  size_t n;      /* documents */
  size_t n_base; /* documents 0 .. n_base - 1 are base ones */
} dups_documents;

/* Room for the documents of `inputs` inputs: 0, or -1 when out of memory
 * (nothing reported; dups_documents_free frees what was made). */
int dups_documents_init(dups_documents *docs, size_t inputs);
void dups_documents_free(dups_documents *docs);

/* Every input of c read, matched against the terms (official spans; none
 * when terms is NULL) and prepared on cfg->threads workers, then added to
 * d in input order as the next documents of docs: base documents
 * (is_base: one that cannot be analysed is fatal), or the reports.  c's
 * first input has input order first_order.  0, or -1 after a fatal error
 * (reported); an input that cannot be read is a failure of c. */
int dups_load_inputs(gw_cli *c, int is_base, size_t first_order, const dups_config *cfg,
                     const gw_terms *terms, gw_dups *d, dups_documents *docs);

/* ---- the output (records.c, text.c) ---- */

/* The records (parameters, documents, pairs, families, clusters, errors)
 * on stdout as one JSON object or JSON Lines (cfg->format): GW_OK,
 * GW_ENOMEM or GW_EIO. */
int dups_write_records(const gw_cli *cli, const dups_config *cfg, const gw_dups *d,
                       const dups_documents *docs);
/* The summary for a terminal: the same codes. */
int dups_print_text(FILE *out, const gw_cli *cli, const gw_dups *d, const dups_documents *docs);

#endif
