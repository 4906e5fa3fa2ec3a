/* archive.h — gw-archive's commands (tools/gw-archive.c reads the command
 * line and runs one) and what they share: the installation's data files
 * checked against the archive's, each input's archive entry, inputs loaded
 * on threads. */
#ifndef GW_ARCHIVE_CLI_H
#define GW_ARCHIVE_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "gongwen.h"
#include "options.h"

enum { ARCHIVE_FORMAT_JSON, ARCHIVE_FORMAT_JSONL, ARCHIVE_FORMAT_TEXT };

/* Every command's options (each reads its own). */
typedef struct archive_config {
  const char *archive;
  const char *meta_path;
  const char *list_path;
  gw_document_options document;
  /* init's parameters (shingles, MinHash, passages, seed), check's
   * thresholds and listing (the archive's parameters replace the rest) */
  gw_dups_options dups;
  gw_opt_strings base;
  size_t threads;
  int no_text, compact, format, no_terms, documents;
  gw_opt_strings units;
} archive_config;

/* A command: the operands after ARCHIVE are `inputs`; returns the exit
 * status. */
typedef int (*archive_command_fn)(gw_cli *cli, archive_config *cfg, char **inputs,
                                  size_t n_inputs);

int archive_init(gw_cli *cli, archive_config *cfg, char **inputs, size_t n_inputs);
int archive_add(gw_cli *cli, archive_config *cfg, char **inputs, size_t n_inputs);
int archive_check(gw_cli *cli, archive_config *cfg, char **inputs, size_t n_inputs);
int archive_list(gw_cli *cli, archive_config *cfg, char **inputs, size_t n_inputs);
int archive_remove(gw_cli *cli, archive_config *cfg, char **paths, size_t n_paths);
int archive_merge(gw_cli *cli, archive_config *cfg, char **inputs, size_t n_inputs);
int archive_import(gw_cli *cli, archive_config *cfg, char **from, size_t n_from);
int archive_verify(gw_cli *cli, archive_config *cfg, char **inputs, size_t n_inputs);

/* ---- shared by the commands (inputs.c) ---- */

/* This installation's noise patterns and terms. */
typedef struct archive_data {
  char *dir, *noise_path, *terms_path;
  gw_noise *noise;
  gw_normalizer *normalizer;
  gw_terms *terms;
  uint64_t noise_sum, terms_sum;
} archive_data;

/* Their checksums (the terms' only when `terms`); with load, also loaded.
 * 0, or -1 after the error is reported. */
int archive_data_open(gw_cli *cli, archive_data *f, int terms, int load);
void archive_data_free(archive_data *f);

/* The archive at dir, opened in mode (GW_ARCHIVE_READ or _WRITE); with f
 * (add and check), the data files loaded into it, and the archive refused
 * when they differ from the ones it was made with.  NULL after an error
 * (reported). */
gw_archive *archive_open(gw_cli *cli, const char *dir, int mode, archive_data *f);
/* Live documents: those of every segment less the deleted. */
size_t archive_live_documents(const gw_archive *a);

/* An input's entry: its unit, year and title from its row in meta, else
 * the parent folder's name and the year its text names. */
typedef struct archive_entry {
  gw_archive_entry e;
  char *unit, *extras; /* what e points to that is its own */
} archive_entry;

int archive_entry_make(archive_entry *entry, const gw_meta *meta, const char *path,
                       const gw_document *doc);
void archive_entry_free(archive_entry *entry);

/* An input read, decoded and normalized, with its official spans. */
typedef struct archive_loaded {
  gw_document *doc;
  gw_range *spans;
  size_t n_spans;
  int rc;
  char *message;
  gw_error err; /* the official spans' */
} archive_loaded;

void archive_loaded_free(archive_loaded *l);

/* The inputs of cli loaded on cfg->threads workers (official spans with
 * terms, when not NULL) and handed to consume in input order, which owns
 * each one; an input that cannot be read is listed as a failure of cli.
 * 0, consume's nonzero value, or GW_ENOMEM. */
int archive_load_all(gw_cli *cli, const archive_config *cfg, const gw_terms *terms,
                     int (*consume)(void *ctx, size_t index, archive_loaded *l), void *ctx);

#endif
