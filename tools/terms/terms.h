/* terms.h — what gw-terms's parts share: the options, the tallies of the
 * corpus and of the document being counted (corpus.c), one document's
 * work on a worker and in input order (documents.c), and the output as
 * JSON (json.c) or as a table for a terminal (text.c).  The data flows:
 * documents read and matched → tallied, each file's record written in
 * input order → corpus totals, then the records after them. */
#ifndef GW_TERMS_TOOL_H
#define GW_TERMS_TOOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "gongwen.h"
#include "json_writer.h"
#include "options.h"
#include "positions.h"

enum terms_format { TERMS_FORMAT_JSON, TERMS_FORMAT_TEXT };

typedef struct terms_config {
  enum terms_format format;
  gw_document_options document;
  gw_terms_options terms;
  const char *list_path;
  gw_opt_strings term_files;
  int no_default_terms;
  int by_section;
  int all_matches;
  int discover;
  size_t top;
  size_t threads;
  int compact;
} terms_config;

/* ---- the tallies (corpus.c) ---- */

/* Per-term tallies. */
typedef struct tally {
  uint64_t count, nested, documents;
  uint64_t section[GW_SECTION_COUNT];
} tally;

/* The last input's document, matched and counted, kept until the output
 * is written (JSON only): the rest of its record after its categories (its
 * matches and findings, most of the output when the input is one large
 * file) goes straight to stdout after the totals and the records before
 * it, instead of into the buffer of "files".  Owned by the corpus. */
typedef struct last_document {
  gw_document *doc; /* NULL: none kept */
  gw_term_result *result;
  gw_positions_walk positions;
  int positions_ready;
} last_document;

/* The corpus so far.  Each file's record is written as its document is
 * counted (in input order), into a buffer: the totals come first in the
 * output, and nothing reaches stdout before all of it is written (but the
 * last record's rest, written then through a buffer had before the first
 * byte, so that only a write can stop it). */
typedef struct corpus {
  const gw_terms *terms;
  size_t n;
  tally *all;      /* n */
  tally *doc;      /* n, the document being counted */
  size_t *touched; /* the terms whose c->doc tally is not zero */
  size_t touched_count;
  uint64_t documents, characters, counted, nested, broken, outdated, stale;
  gw_json files;    /* JSON: the "files" array */
  FILE *files_text; /* --format text: each file's lines */
  char *files_text_buffer;
  size_t files_text_length;
  gw_discovery *discovery; /* --discover */
  last_document last;
} corpus;

/* What one document adds to the totals. */
typedef struct document_counts {
  uint64_t counted, nested;
} document_counts;

/* GW_OK or GW_ENOMEM; the corpus is to be freed either way. */
int terms_corpus_init(corpus *c, const gw_terms *terms, const terms_config *cfg);
void terms_corpus_free(corpus *c);

/* The document's tallies (c->doc) from its matches, replacing the last
 * document's. */
document_counts terms_tally_document(corpus *c, const gw_term_result *r);
/* The tallied document added to the corpus totals. */
void terms_add_document(corpus *c, const gw_document *doc, const gw_term_result *r,
                        document_counts counts);

/* Per 10,000 characters, rounded to two decimals. */
double terms_density(uint64_t count, uint64_t chars);
/* The terms made by pattern rather than listed. */
size_t terms_generated_count(const corpus *c);

/* The tallies a list is made from: those of the terms among[0, count),
 * or of every term 0 .. count-1 when among is NULL.  A document's are
 * those of the terms it touched, so that listing its terms costs what it
 * found, not the size of the dictionary. */
typedef struct tallies {
  const tally *of; /* indexed by term */
  const size_t *among;
  size_t count;
} tallies;

tallies terms_corpus_tallies(const corpus *c);
tallies terms_document_tallies(const corpus *c);

/* Indexes of the terms with a nonzero count or nested, by count,
 * documents, nested, text, then index: NULL when out of memory. */
size_t *terms_sorted(const gw_terms *terms, const tallies *t, size_t *out_n);

/* A category's total: its count and how many terms of it were found. */
typedef struct category_total {
  const char *name;
  uint64_t count, terms;
} category_total;

/* Category totals by count, then name: NULL when out of memory. */
category_total *terms_category_totals(const gw_terms *terms, const tallies *t, size_t *out_n);

/* A term's count in one section. */
typedef struct section_count {
  size_t term;
  uint64_t count;
} section_count;

/* The terms found in section s by count, then text, then index: NULL when
 * out of memory. */
section_count *terms_section_terms(const gw_terms *terms, const tallies *t, int s, size_t *k);
uint64_t terms_section_total(const tallies *t, int s);

/* ---- the documents (documents.c) ---- */

/* Every input read, matched on the workers and counted in input order,
 * each file's record written (json.c, text.c): GW_OK, or GW_ENOMEM (the
 * inputs that failed otherwise are the run's failures in cli). */
int terms_read_documents(gw_cli *cli, const terms_config *cfg, corpus *c);

/* ---- the output (json.c, text.c) ---- */

/* One file's record in the "files" array, or with `last` its members up
 * to its categories (by section), the record left open for
 * terms_write_json to finish from c->last: the writer's failure. */
int terms_write_file_json(corpus *c, const terms_config *cfg, const char *path,
                          const gw_document *doc, const gw_term_result *r,
                          gw_positions_walk *at, document_counts counts, int last);
/* The whole JSON on stdout, or nothing: GW_OK, GW_ENOMEM or GW_EIO. */
int terms_write_json(corpus *c, const terms_config *cfg, const gw_cli *cli);

/* One file's lines: GW_OK, or GW_ENOMEM when the buffer could not grow. */
int terms_print_file(corpus *c, const char *path, const gw_document *doc,
                     gw_positions_walk *at, const gw_term_result *r, document_counts counts);
/* The table on stdout: GW_OK, or GW_ENOMEM before anything is printed. */
int terms_print_text(const corpus *c, const terms_config *cfg, const gw_cli *cli);

#endif
