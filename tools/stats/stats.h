/* stats.h — what gw-stats's parts share: the options, the corpus tallies
 * (corpus.c), one document's work on a worker and in input order
 * (documents.c), and the overview written as JSON (json.c) or as a
 * summary for a terminal (text.c).  The data flows: documents read →
 * tallies and copy detection → JSON or text. */
#ifndef GW_STATS_H
#define GW_STATS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "counter.h"
#include "gongwen.h"
#include "positions.h"

enum stats_format { STATS_FORMAT_TEXT, STATS_FORMAT_JSON };

typedef struct stats_config {
  enum stats_format format;
  int format_given;
  gw_document_options document;
  gw_dups_options dups; /* copy detection, with gw-dups's options */
  const char *list_path;
  const char *meta_path; /* --meta */
  gw_meta *meta;         /* its table, NULL without */
  const char *dict_path;
  size_t top, pairs;
  int top_given, pairs_given; /* else each format's own default */
  int compact;
  size_t threads;
} stats_config;

/* ---- the tallies (corpus.c) ---- */

/* What --format json lists for each file. */
typedef struct file_record {
  const char *path;
  gw_encoding encoding;
  size_t characters, paragraphs, masks, removed;
} file_record;

typedef struct corpus {
  gw_counter words, masks, terms; /* words: the stop words excluded */
  uint64_t documents, characters, paragraphs, headings, tokens, mask_count;
  uint64_t sections[GW_SECTION_COUNT];
  uint64_t removed_spans, removed_bytes;
  uint64_t removed_kinds[GW_REMOVED_PINYIN + 1];
  file_record *files; /* one per document counted, in input order */
  gw_positions *positions; /* theirs: line numbers in the summary */
  size_t files_capacity, positions_capacity;
} corpus;

/* A word of a top word's shape (gw_top_word_shape): bytes of the
 * normalized view. */
typedef gw_counter_span word_ref;

/* What segmenting one document gives the overview, found on a worker:
 * the words to count (a stop word among them is passed over there) and
 * the number of tokens. */
typedef struct document_words {
  word_ref *words;
  size_t count, capacity;
  uint64_t tokens;
} document_words;

void stats_corpus_init(corpus *c);
void stats_corpus_free(corpus *c);
/* Adds one document, taking over its positions (*positions emptied). */
int stats_count_document(corpus *c, const document_words *found, const gw_document *doc,
                         gw_positions *positions, const char *path);

/* ---- the documents (documents.c) ---- */

typedef struct stats_run {
  gw_cli *cli;
  stats_config *cfg;
  corpus *c;
  const gw_terms *terms;
  gw_dups *dups;
  gw_segmenter **segs;
  char **paths;
  size_t documents;
  int rc;
  gw_error err;
} stats_run;

/* Every input read, prepared on the workers and counted in input order:
 * gw_par_map's result (run->rc and run->err say why it stopped). */
int stats_read_documents(stats_run *run);

/* ---- the overview (json.c, text.c) ---- */

/* The overview as one JSON object on stdout: the writer's failure. */
int stats_write_json(const corpus *c, const gw_dups *d, char **paths, const gw_cli *cli,
                     const stats_config *cfg);
/* GW_OK, or GW_ENOMEM (the summary then cut short). */
int stats_print_text(FILE *out, const corpus *c, const gw_dups *d, char **paths,
                     const gw_cli *cli, const stats_config *cfg);

#endif
