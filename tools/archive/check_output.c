/* check_output.c — gw-archive check's results written: the records that
 * hold a batch report (tools/dups_records) as one JSON object or JSON
 * Lines, or a summary for the terminal (tools/dups_text, seen from the
 * batch). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dups_cli.h"
#include "dups_records.h"
#include "dups_text.h"
#include "json_writer.h"
#include "text_out.h"

static int is_batch(const check_view *v, size_t i) { return i >= v->nb + v->na; }

static const char *origin(const check_view *v, size_t i) {
  return i < v->nb ? "base" : is_batch(v, i) ? "batch" : "archive";
}

/* path, unit, year (and from, where another record names it). */
static void write_name(gw_json *w, size_t i, int as_reference, void *payload) {
  const check_view *v = payload;
  const gw_archive_entry *e = gw_archive_check_entry_at(v->c, i);
  gw_json_member_path(w, "path", e->path);
  gw_json_key(w, "unit");
  gw_json_text(w, e->unit, strlen(e->unit));
  gw_json_key(w, "year");
  if (e->year) gw_json_int(w, e->year);
  else gw_json_null(w);
  if (as_reference) gw_json_member_string(w, "from", origin(v, i));
}

/* What document y is to document x by the units and years of their
 * entries: self_earlier is self-copy year over year. */
static gw_relation relation(size_t x, size_t y, void *payload) {
  const check_view *v = payload;
  const gw_archive_entry *a = gw_archive_check_entry_at(v->c, x);
  const gw_archive_entry *b = gw_archive_check_entry_at(v->c, y);
  return gw_relation_of(a->unit, a->year, b->unit, b->year);
}

/* Whether result record i of each kind holds a batch report: the ones
 * check writes (never a pair or family of archive documents alone). */
static int document_in_batch(const check_view *v, size_t i) { return is_batch(v, i); }

static int pair_in_batch(const check_view *v, size_t i) {
  const gw_dups_pair *p = gw_dups_pair_at(v->d, i);
  return is_batch(v, p->a) || is_batch(v, p->b);
}

static int family_in_batch(const check_view *v, size_t i) {
  const gw_dups_family *f = gw_dups_family_at(v->d, i);
  for (size_t k = 0; k < f->member_count; k++)
    if (is_batch(v, gw_dups_family_member_at(v->d, f->member_first + k)->document)) return 1;
  return 0;
}

static int cluster_in_batch(const check_view *v, size_t i) {
  const gw_dups_cluster *c = gw_dups_cluster_at(v->d, i);
  for (size_t k = 0; k < c->member_count; k++)
    if (is_batch(v, gw_dups_member_at(v->d, c->member_first + k)->document)) return 1;
  return 0;
}

typedef struct check_output {
  gw_json *w;
  int lines; /* JSON Lines: each record on its line, typed */
} check_output;

/* The array `name` of the one object (nothing in JSON Lines). */
static void section_begin(check_output *o, const char *name) {
  if (o->lines) return;
  gw_json_key(o->w, name);
  gw_json_array_begin(o->w);
}

static void section_end(check_output *o) {
  if (!o->lines) gw_json_array_end(o->w);
}

/* The archive's record: the archive, and the parameters of the run written
 * as gw-dups writes its own (the shared writer), limits applied and base
 * documents included. */
static void write_archive_info(gw_json *w, const archive_config *cfg, const gw_archive *a,
                               const check_view *v) {
  gw_json_member_path(w, "path", cfg->archive);
  gw_json_member_uint(w, "generation", gw_archive_generation(a));
  gw_json_member_uint(w, "documents", archive_live_documents(a));
  gw_json_member_uint(w, "candidates", v->na);
  const char **base = v->nb ? malloc(v->nb * sizeof *base) : NULL;
  if (v->nb && !base) {
    gw_json_fail(w, GW_ENOMEM);
    return;
  }
  for (size_t i = 0; i < v->nb; i++) base[i] = gw_archive_check_entry_at(v->c, i)->path;
  const gw_dups_cli_params params = {gw_dups_options_in_use(v->d),
                                     gw_archive_params_in_use(a)->terms_checksum != 0, v->d,
                                     base, v->nb};
  gw_dups_cli_write_parameters(w, &params, GW_DUPS_PARAMS_ALL);
  free(base);
}

int check_write_records(gw_cli *cli, const archive_config *cfg, const gw_archive *a,
                        const check_view *v) {
  gw_json w;
  int lines = cfg->format == ARCHIVE_FORMAT_JSONL;
  gw_json_init(&w, NULL, !lines && !cfg->compact);
  check_output o = {&w, lines};
  gw_dups_records r = {v->d, NULL, v->positions, NULL, v->text, write_name, relation,
                       (void *)v};
  if (!lines) {
    gw_json_object_begin(&w);
    gw_json_key(&w, "archive");
  }
  gw_dups_records_begin(o.w, o.lines, "archive");
  write_archive_info(&w, cfg, a, v);
  gw_dups_records_end(o.w, o.lines);
  static const struct {
    const char *name, *type;
    size_t (*count)(const gw_dups *d);
    int (*in_batch)(const check_view *v, size_t i);
    void (*write)(gw_json *w, const gw_dups_records *r, size_t i);
  } sections[] = {
      {"documents", "document", gw_dups_document_count, document_in_batch,
       gw_dups_records_document},
      {"pairs", "pair", gw_dups_pair_count, pair_in_batch, gw_dups_records_pair},
      {"families", "family", gw_dups_family_count, family_in_batch, gw_dups_records_family},
      {"clusters", "cluster", gw_dups_cluster_count, cluster_in_batch, gw_dups_records_cluster}};
  for (size_t k = 0; k < sizeof sections / sizeof *sections; k++) {
    section_begin(&o, sections[k].name);
    for (size_t i = 0; i < sections[k].count(v->d); i++) {
      if (!sections[k].in_batch(v, i)) continue;
      gw_dups_records_begin(o.w, o.lines, sections[k].type);
      sections[k].write(&w, &r, i);
      gw_dups_records_end(o.w, o.lines);
    }
    section_end(&o);
  }
  if (lines) {
    for (size_t i = 0; i < cli->failure_count; i++) {
      gw_dups_records_begin(o.w, o.lines, "error");
      gw_cli_write_failure(&w, cli, i);
      gw_dups_records_end(o.w, o.lines);
    }
  } else {
    gw_cli_write_errors_last(&w, cli);
  }
  gw_json *parts[] = {&w};
  int rc = gw_json_write_parts(stdout, parts, 1);
  gw_json_finish(&w);
  return rc;
}

/* ---- --format text ---- */

enum { TEXT_REPORTS = 10, TEXT_SELF = 10, TEXT_PAIRS = 5, TEXT_FAMILIES = 5 };

/* "PATH (UNIT YEAR, archive)". */
static void put_document(FILE *out, size_t i, void *payload) {
  const check_view *v = payload;
  const gw_archive_entry *e = gw_archive_check_entry_at(v->c, i);
  gw_text_put_name(out, e->path);
  fputs(" (", out);
  if (e->unit[0]) {
    gw_text_put_name(out, e->unit);
    fputc(' ', out);
  }
  if (e->year) fprintf(out, "%d, ", e->year);
  fputs(origin(v, i), out);
  fputc(')', out);
}

/* The same kind of summary as gw-dups --format text, seen from the batch:
 * archive-only pairs and families are never shown. */
static int print_check_text(FILE *out, const gw_cli *cli, const gw_archive *a,
                            const check_view *v) {
  size_t first = v->nb + v->na, characters = 0, reports = v->n - first;
  for (size_t i = first; i < v->n; i++) characters += gw_dups_document_at(v->d, i)->characters;
  char **paths = calloc(v->n + 1, sizeof *paths);
  if (!paths) return GW_ENOMEM;
  for (size_t i = 0; i < v->n; i++)
    paths[i] = (char *)gw_archive_check_entry_at(v->c, i)->path;
  gw_text_put_count(out, reports);
  fputs(reports == 1 ? " report, " : " reports, ", out);
  gw_text_put_count(out, characters);
  fputs(" characters, checked against an archive of ", out);
  gw_text_put_count(out, archive_live_documents(a));
  fprintf(out, " (generation %llu; ", (unsigned long long)gw_archive_generation(a));
  gw_text_put_count(out, v->na);
  fputs(" sharing text with the batch loaded)", out);
  if (v->nb) fprintf(out, " and %zu base document%s", v->nb, v->nb == 1 ? "" : "s");
  fputc('\n', out);
  gw_dups_text_copy_ratio(out, v->d, first);
  const gw_dups_batch batch = {first, put_document, relation, (void *)v};
  gw_dups_view view = {out, v->d, paths, v->positions, (gw_text_terminal_width() - 8) / 2};
  int rc = gw_dups_text_reports(&view, first, TEXT_REPORTS);
  if (!rc) gw_dups_text_self_copies(&view, &batch, TEXT_SELF);
  if (!rc) rc = gw_dups_text_batch_families(&view, &batch, TEXT_FAMILIES);
  if (!rc) rc = gw_dups_text_batch_pairs(&view, &batch, TEXT_PAIRS);
  free(paths);
  if (rc) return rc;
  size_t clusters = 0;
  for (size_t i = 0; i < gw_dups_cluster_count(v->d); i++) clusters += cluster_in_batch(v, i);
  fprintf(out, "\nNear-duplicate paragraph clusters with a batch report: %zu\n", clusters);
  gw_dups_cli_print_limits(out, v->d);
  gw_cli_print_failures(out, cli);
  fputs("\nEvery passage, family and cluster with offsets: gw-archive check --format json.\n",
        out);
  return ferror(out) ? GW_EIO : GW_OK;
}

int check_write_text(const gw_cli *cli, const gw_archive *a, const check_view *v) {
  char *text = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&text, &len);
  if (!mem) return GW_ENOMEM;
  int rc = print_check_text(mem, cli, a, v);
  if (fclose(mem) || rc == GW_EIO) rc = GW_ENOMEM; /* a memory stream fails to grow */
  if (!rc && fwrite(text, 1, len, stdout) != len) rc = GW_EIO;
  free(text);
  return rc;
}
