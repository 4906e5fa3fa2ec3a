/* list.c — gw-archive list: the archive's parameters, segments, units
 * with their documents per year, and (--documents) every live document, as
 * one JSON object. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "dups_cli.h"
#include "json_writer.h"

/* What the archive was made with: the normalizer, copy detection's index
 * parameters (as gw-dups writes them), the data files' checksums. */
static void write_parameters(gw_json *w, const gw_archive_params *p) {
  gw_dups_options o = GW_DUPS_OPTIONS_INIT;
  gw_archive_params_to_dups(&o, p);
  const gw_dups_cli_params params = {&o, p->terms_checksum != 0, NULL, NULL, 0};
  gw_json_member_string(w, "normalizer", p->normalizer);
  gw_dups_cli_write_parameters(w, &params, GW_DUPS_PARAMS_INDEX);
  gw_json_key(w, "terms_checksum");
  gw_json_hex64(w, p->terms_checksum);
  gw_json_key(w, "noise_checksum");
  gw_json_hex64(w, p->noise_checksum);
}

/* A live document of the archive, for grouping by unit. */
typedef struct listed_document {
  const char *unit;
  int year;
  size_t order; /* among the live documents */
} listed_document;

/* By unit, then as listed. */
static int by_unit(const void *x, const void *y) {
  const listed_document *a = x, *b = y;
  int c = strcmp(a->unit, b->unit);
  if (c) return c;
  return (a->order > b->order) - (a->order < b->order);
}

/* A unit's documents (first .. end of the sorted list), listed where the
 * unit first appears. */
typedef struct unit_group {
  size_t first, end;
  size_t order; /* of its first document */
} unit_group;

static int by_first_appearance(const void *x, const void *y) {
  size_t a = ((const unit_group *)x)->order, b = ((const unit_group *)y)->order;
  return (a > b) - (a < b);
}

/* "UNIT": {"YEAR": documents, ...}: years in order of first appearance
 * ("unknown" for 0). */
static void write_unit(gw_json *w, const listed_document *docs, const unit_group *g) {
  gw_json_key(w, docs[g->first].unit);
  gw_json_object_begin(w);
  for (size_t i = g->first; i < g->end; i++) {
    size_t seen = g->first, count = 0;
    while (seen < i && docs[seen].year != docs[i].year) seen++;
    if (seen < i) continue; /* counted where the year first appears */
    for (size_t k = i; k < g->end; k++) count += docs[k].year == docs[i].year;
    char year[16];
    snprintf(year, sizeof year, "%d", docs[i].year);
    gw_json_member_uint(w, docs[i].year ? year : "unknown", count);
  }
  gw_json_object_end(w);
}

/* Units with their documents per year, in order of first appearance. */
static int write_units(gw_json *w, const gw_archive *a) {
  size_t total = gw_archive_document_count(a), n = 0, groups = 0;
  listed_document *docs = malloc((total + 1) * sizeof *docs);
  unit_group *g = malloc((total + 1) * sizeof *g);
  if (!docs || !g) {
    free(docs);
    free(g);
    return GW_ENOMEM;
  }
  for (size_t i = 0; i < total; i++) {
    gw_archive_document d;
    gw_archive_document_at(&d, a, i);
    if (d.deleted) continue;
    docs[n] = (listed_document){d.entry.unit[0] ? d.entry.unit : "(unknown)", d.entry.year, n};
    n++;
  }
  if (n) qsort(docs, n, sizeof *docs, by_unit);
  for (size_t i = 0; i < n; i++)
    if (i == 0 || strcmp(docs[i].unit, docs[i - 1].unit) != 0) g[groups++] = (unit_group){i, i, docs[i].order};
  for (size_t k = 0; k < groups; k++) g[k].end = k + 1 < groups ? g[k + 1].first : n;
  if (groups) qsort(g, groups, sizeof *g, by_first_appearance);
  gw_json_key(w, "units");
  gw_json_object_begin(w);
  for (size_t k = 0; k < groups; k++) write_unit(w, docs, &g[k]);
  gw_json_object_end(w);
  free(docs);
  free(g);
  return GW_OK;
}

static void write_document_list(gw_json *w, const gw_archive *a) {
  gw_json_key(w, "document_list");
  gw_json_array_begin(w);
  for (size_t i = 0; i < gw_archive_document_count(a); i++) {
    gw_archive_document d;
    gw_archive_document_at(&d, a, i);
    if (d.deleted) continue;
    gw_json_object_begin(w);
    gw_json_member_path(w, "path", d.entry.path);
    gw_json_member_string(w, "unit", d.entry.unit);
    gw_json_key(w, "year");
    if (d.entry.year) gw_json_int(w, d.entry.year);
    else gw_json_null(w);
    gw_json_member_string(w, "title", d.entry.title);
    gw_json_member_string(w, "segment", gw_archive_segment_at(a, d.segment)->name);
    gw_json_member_uint(w, "characters", d.characters);
    gw_json_member_uint(w, "bytes", d.bytes);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
}

int archive_list(gw_cli *cli, archive_config *cfg, char **inputs, size_t n_inputs) {
  (void)inputs;
  (void)n_inputs;
  gw_archive *a = archive_open(cli, cfg->archive, GW_ARCHIVE_READ, NULL);
  if (!a) return GW_EXIT_FAILURE;
  gw_json w;
  gw_json_init(&w, NULL, !cfg->compact);
  gw_json_object_begin(&w);
  gw_json_member_path(&w, "archive", cfg->archive);
  gw_json_member_uint(&w, "generation", gw_archive_generation(a));
  gw_json_key(&w, "parameters");
  gw_json_object_begin(&w);
  write_parameters(&w, gw_archive_params_in_use(a));
  gw_json_object_end(&w);
  gw_json_key(&w, "segments");
  gw_json_array_begin(&w);
  size_t live = 0, bytes = 0;
  for (size_t i = 0; i < gw_archive_segment_count(a); i++) {
    const gw_archive_segment *s = gw_archive_segment_at(a, i);
    gw_json_object_begin(&w);
    gw_json_member_string(&w, "name", s->name);
    gw_json_member_uint(&w, "documents", s->documents - s->deleted);
    gw_json_member_uint(&w, "deleted", s->deleted);
    gw_json_member_uint(&w, "bytes", s->bytes);
    gw_json_object_end(&w);
    live += s->documents - s->deleted;
    bytes += s->bytes;
  }
  gw_json_array_end(&w);
  gw_json_member_uint(&w, "documents", live);
  gw_json_member_uint(&w, "bytes", bytes);
  if (write_units(&w, a)) gw_json_fail(&w, GW_ENOMEM);
  if (cfg->documents) write_document_list(&w, a);
  gw_json_object_end(&w);
  gw_json_newline(&w);
  gw_json *parts[] = {&w};
  int rc = gw_json_write_parts(stdout, parts, 1);
  gw_json_finish(&w);
  gw_archive_free(a);
  if (rc == GW_ENOMEM) gw_cli_error(cli, "out of memory");
  if (rc == GW_OK && fflush(stdout) == 0 && !ferror(stdout)) return GW_EXIT_OK;
  if (rc != GW_ENOMEM) gw_cli_error(cli, "cannot write the output");
  return GW_EXIT_FAILURE;
}
