/* records.c — the results as records (tools/dups_records): parameters,
 * documents, pairs, families, clusters, errors, as one JSON object or JSON
 * Lines, formatted in chunks on the workers and written in order. */
#include <stdlib.h>

#include "dups/dups.h"
#include "dups_cli.h"
#include "dups_records.h"
#include "json_writer.h"
#include "parallel.h"

/* The records are cut into chunks of CHUNK, formatted on --threads workers
 * and written in order, so the output is never held whole.  JSON Lines
 * print each record on its line as {"record": TYPE, ...}; the one JSON
 * value is {"parameters": {...}, "documents": [...], ...}, each chunk
 * continuing inside the array where the one before it stopped. */
enum { CHUNK = 256, SECTIONS = 5 };
static const char *const section_names[SECTIONS] = {"documents", "pairs", "families",
                                                    "clusters", "errors"};
static const char *const record_types[SECTIONS] = {"document", "pair", "family", "cluster",
                                                   "error"};

typedef struct output_job {
  const gw_cli *cli;
  const dups_config *cfg;
  const gw_dups *d;
  const dups_documents *docs;
  size_t counts[SECTIONS], records, chunks;
  gw_dups_records writer; /* the records' fields */
} output_job;

/* The section of record r: -1 for the parameters, else 0 to SECTIONS - 1;
 * *index: r's index in its section. */
static int section_of(const output_job *j, size_t r, size_t *index) {
  *index = 0;
  if (r == 0) return -1;
  r--;
  for (int k = 0; k < SECTIONS; k++) {
    if (r < j->counts[k]) {
      *index = r;
      return k;
    }
    r -= j->counts[k];
  }
  return SECTIONS - 1;
}

static void write_parameters(gw_json *w, const output_job *j) {
  const gw_dups_cli_params params = {&j->cfg->dups, !j->cfg->no_terms, j->d,
                                     (const char *const *)j->docs->paths, j->docs->n_base};
  gw_dups_cli_write_parameters(w, &params, GW_DUPS_PARAMS_ALL);
}

static void write_fields(gw_json *w, const output_job *j, int section, size_t i) {
  switch (section) {
  case -1: write_parameters(w, j); break;
  case 0: gw_dups_records_document(w, &j->writer, j->docs->n_base + i); break;
  case 1: gw_dups_records_pair(w, &j->writer, i); break;
  case 2: gw_dups_records_family(w, &j->writer, i); break;
  case 3: gw_dups_records_cluster(w, &j->writer, i); break;
  default: gw_cli_write_failure(w, j->cli, i);
  }
}

/* Empty sections from `from` to `to` (excluded) of the JSON value. */
static void empty_sections(gw_json *w, int from, int to) {
  for (int k = from; k < to; k++) {
    gw_json_key(w, section_names[k]);
    gw_json_array_begin(w);
    gw_json_array_end(w);
  }
}

/* Before record r (of section k) in the JSON value: the value opened, or
 * the section before closed and k's array opened, with the empty sections
 * between them. */
static void enter_section(gw_json *w, const output_job *j, size_t r, int k) {
  size_t i;
  if (r == 0) {
    gw_json_object_begin(w);
    gw_json_key(w, "parameters");
    return;
  }
  int previous = section_of(j, r - 1, &i);
  if (previous == k) return;
  if (previous >= 0) gw_json_array_end(w);
  empty_sections(w, previous + 1, k);
  gw_json_key(w, section_names[k]);
  gw_json_array_begin(w);
}

/* After the last record (of section k): its array and the value closed,
 * with the empty sections after it. */
static void close_value(gw_json *w, int k) {
  if (k >= 0) gw_json_array_end(w);
  empty_sections(w, k + 1, SECTIONS);
  gw_json_object_end(w);
  gw_json_newline(w);
}

static void write_record(gw_json *w, const output_job *j, size_t r) {
  size_t i;
  int k = section_of(j, r, &i);
  int lines = j->cfg->format == DUPS_FORMAT_JSONL;
  if (!lines) enter_section(w, j, r, k);
  gw_dups_records_begin(w, lines, k < 0 ? "parameters" : record_types[k]);
  write_fields(w, j, k, i);
  gw_dups_records_end(w, lines);
  if (!lines && r + 1 == j->records) close_value(w, k);
}

static void *format_chunk(void *vjob, unsigned worker, size_t c) {
  (void)worker;
  const output_job *j = vjob;
  gw_json *w = malloc(sizeof *w);
  if (!w) return NULL;
  gw_json_init(w, NULL, j->cfg->format == DUPS_FORMAT_JSON && !j->cfg->compact);
  size_t first = c * CHUNK, end = first + CHUNK < j->records ? first + CHUNK : j->records, i;
  if (j->cfg->format == DUPS_FORMAT_JSON && first > 0) {
    gw_json_continue_in(w, 1, 1);
    if (section_of(j, first - 1, &i) >= 0) gw_json_continue_in(w, 0, 1);
  }
  for (size_t r = first; r < end; r++) write_record(w, j, r);
  return w;
}

static void discard_chunk(void *vjob, void *vw) {
  (void)vjob;
  gw_json *w = vw;
  if (w) gw_json_finish(w);
  free(w);
}

static int write_chunk(void *vjob, size_t c, void *vw) {
  (void)c;
  gw_json *w = vw;
  int rc = !w ? GW_ENOMEM : w->failed;
  if (!rc && w->len && fwrite(w->text, 1, w->len, stdout) != w->len) rc = GW_EIO;
  discard_chunk(vjob, w);
  return rc;
}

int dups_write_records(const gw_cli *cli, const dups_config *cfg, const gw_dups *d,
                       const dups_documents *docs) {
  output_job j = {cli, cfg, d, docs,
                  {gw_dups_document_count(d) - docs->n_base, gw_dups_pair_count(d),
                   gw_dups_family_count(d), gw_dups_cluster_count(d), cli->failure_count},
                  0, 0,
                  {d, docs->paths, docs->positions, cfg->meta, !cfg->no_text, NULL, NULL, NULL}};
  j.records = 1;
  for (int k = 0; k < SECTIONS; k++) j.records += j.counts[k];
  j.chunks = (j.records + CHUNK - 1) / CHUNK;
  return gw_par_map(j.chunks, (unsigned)cfg->threads, format_chunk, write_chunk, discard_chunk,
                    &j);
}
