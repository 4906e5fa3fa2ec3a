/* documents.h — every document the input names, once each, in a fixed
 * order: the batch's reports, then documents named only as a source, in a
 * pair, a family or a cluster (base documents, the archive's reports).
 * What each is (unit, year, title, base or archived), its record in the
 * input, and its original's text once loaded (originals.h). */
#ifndef GW_REPORT_DOCUMENTS_H
#define GW_REPORT_DOCUMENTS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "gongwen.h"

typedef struct report_doc {
  char *path;        /* as gw-dups names it */
  const cJSON *record; /* its record in the input, NULL if only named */
  int is_base;       /* a base document (gw-dups --base): not a report */
  int is_archived;   /* an earlier report from gw-archive's archive: a
                        source, not one of the batch's reports */
  char *unit, *title;
  int year;
  char *error;       /* why its original is missing, NULL if read */
  /* its text as shown: UTF-8, BOM dropped, CR LF and CR as LF */
  char *text;
  size_t text_len;
  /* at every character boundary: the original byte offset, the index in
   * the shown text in UTF-16 code units (the browser's string index) and
   * the byte offset in the shown text; each non-decreasing */
  size_t *bound_original;
  size_t *bound_utf16;
  size_t *bound_shown;
  size_t bound_count;
  size_t *line_starts; /* UTF-16 index of each line's start */
  size_t line_count;
  /* UTF-16 index of each character outside the BMP (two code units, one
   * column): none in most reports */
  size_t *astral;
  size_t astral_count, astral_cap;
  size_t copy_passages, longest_passage;
  long self_source;  /* the earlier report of its unit it copies most
                        from, -1 if none (or units unknown) */
} report_doc;

typedef struct report {
  report_doc *docs;
  size_t doc_count, doc_cap, by_path_cap;
  struct path_entry { const char *path; size_t doc; } *by_path; /* sorted by
                                                                    path */
  size_t unreadable;
} report;

/* Every document the input (in gw-dups's shape, input.h) names, with what
 * gw-archive check says of each and which are base documents.  0, or -1
 * out of memory. */
int register_documents(report *r, const cJSON *dups);
/* The index of the document named path, -1 if none (or path is NULL). */
long find_doc(const report *r, const char *path);
/* --meta's rows for the documents they name (unit, year, title): 0 or
 * GW_ENOMEM. */
int read_meta(report *r, const gw_meta *meta);
/* Units --meta and gw-archive did not give (see documents.c): 0, or -1 out
 * of memory. */
int default_units(report *r);
void report_free(report *r);

/* ---- What the records say of their documents ---- */

/* The document of a source record ({"path", ...}), -1 if none. */
long source_doc(const report *r, const cJSON *s);
/* A record's self-copy figure: gw-archive check's self_copy, or gw-dups
 * --meta's self_ratio; NULL (unknown) where gw-dups knew no unit. */
const cJSON *self_copy_of(const cJSON *rec);
/* The document a record names as its largest source, -1 if none. */
long largest_source(const report *r, const cJSON *rec, const cJSON **largest);
/* Each document's self_source where the records do not name it (see
 * documents.c). */
void find_self_sources(report *r);

#endif
