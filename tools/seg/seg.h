/* seg.h — what gw-seg's parts share: the options, the data it opens, one
 * document's work on a worker and in input order (documents.c), and its
 * three outputs: the words as text (text.c), JSON Lines per paragraph
 * (jsonl.c) and the corpus statistics of --stats (stats.c).  The data
 * flows: inputs read → each document segmented → written as text or JSON
 * Lines, or counted → the statistics at the end. */
#ifndef GW_SEG_H
#define GW_SEG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "counter.h"
#include "json_writer.h"
#include "options.h"
#include "resources.h"
#include "gongwen.h"

enum seg_format { SEG_FORMAT_TEXT, SEG_FORMAT_JSONL, SEG_FORMAT_STATS };

typedef struct seg_config {
  enum seg_format format;
  gw_segment_options segment;
  gw_document_options document;
  const char *list_path;
  const char *dict_path; /* compiled dictionary; NULL: the data dir's */
  gw_opt_strings user_dicts;
  size_t top;
  int stats, search, no_hmm, with_path, compact;
  size_t threads;
} seg_config;

/* ---- what gw-seg opens (documents.c) ---- */

typedef struct seg_resources {
  gw_resources data;
  gw_segmenter **segmenters; /* one per worker: a segmenter is not shared */
  size_t segmenter_count;
} seg_resources;

/* 0, or -1 after reporting what could not be opened (seg_resources_free
 * frees what was). */
int seg_resources_open(seg_resources *r, gw_cli *cli, seg_config *cfg);
void seg_resources_free(seg_resources *r);

/* ---- --stats: the corpus tallies (stats.c) ---- */

typedef struct seg_stats {
  gw_counter words; /* the stop words excluded (gw_counter_exclude) */
  gw_counter masks;
  gw_json files;   /* the "files" array so far */
  gw_json removed; /* the removed spans so far */
  uint64_t documents, characters, paragraphs, tokens, mask_count;
  uint64_t removed_spans, removed_bytes;
  uint64_t kinds[GW_TOKEN_OTHER + 1];
} seg_stats;

/* GW_OK, or GW_ENOMEM (seg_stats_free frees what was made). */
int seg_stats_init(seg_stats *st, const gw_counter *stopwords, int pretty);
void seg_stats_free(seg_stats *st);
/* One document segmented and counted: GW_OK, GW_ENOMEM or the segmenter's
 * failure (err). */
int seg_stats_add(seg_stats *st, gw_segmenter *seg, const char *path, const gw_document *doc,
                  gw_error *err);
/* The statistics on stdout, whole or not at all: GW_OK, GW_ENOMEM or
 * GW_EIO. */
int seg_stats_print(seg_stats *st, const gw_cli *cli, size_t top, int pretty);

/* ---- the words of one document written (text.c, jsonl.c) ---- */

/* Each paragraph of doc segmented in place (gw_segment_paragraph), then
 * handed to fn, which reads its tokens from seg; fn's nonzero value or the
 * segmenter's failure stops. */
typedef int (*seg_paragraph_fn)(void *ctx, const gw_document *doc, size_t index,
                                const char *norm, const gw_segmenter *seg);
int seg_for_each_paragraph(gw_segmenter *seg, const gw_document *doc, seg_paragraph_fn fn,
                           void *ctx, gw_error *err);

/* The words as text, one output line per input line (SIGHAN format). */
int seg_print_text(FILE *out, gw_segmenter *seg, const gw_document *doc, gw_error *err);
/* One JSON object per paragraph; out only ever gets whole lines. */
int seg_print_jsonl(FILE *out, gw_segmenter *seg, const char *path, const gw_document *doc,
                    gw_error *err);

/* ---- the documents (documents.c) ---- */

/* Every input read and segmented, written (text, JSON Lines) or counted
 * into stats (--stats) in input order: GW_OK, or GW_ENOMEM or GW_EIO,
 * which stop the run (other failures are the inputs' own, kept in cli). */
int seg_read_documents(gw_cli *cli, const seg_config *cfg, seg_resources *r, seg_stats *stats);

#endif
