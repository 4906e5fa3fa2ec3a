/* documents.c — the documents of the report (see documents.h): found by
 * path through an index kept sorted, registered from the input's records
 * in a fixed order, their units, years and titles, and what the records
 * say of them (self-copy, largest source). */
#include "documents.h"

#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "records.h"

/* The first entry of by_path not before path. */
static size_t path_position(const report *r, const char *path) {
  size_t lo = 0, hi = r->doc_count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(r->by_path[mid].path, path) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

long find_doc(const report *r, const char *path) {
  if (!path) return -1;
  size_t at = path_position(r, path);
  return at < r->doc_count && strcmp(r->by_path[at].path, path) == 0 ? (long)r->by_path[at].doc : -1;
}

/* The document named path, added if new.  -1 when out of memory or path
 * is NULL (a record without it). */
static long doc_index(report *r, const char *path, const cJSON *record) {
  if (!path) return -1;
  long found = find_doc(r, path);
  if (found >= 0) {
    if (record && !r->docs[found].record) r->docs[found].record = record;
    return found;
  }
  if (GW_CLI_GROW(r->docs, r->doc_cap, r->doc_count + 1) ||
      GW_CLI_GROW(r->by_path, r->by_path_cap, r->doc_count + 1))
    return -1;
  report_doc *d = &r->docs[r->doc_count];
  memset(d, 0, sizeof *d);
  d->path = strdup(path);
  if (!d->path) return -1;
  d->record = record;
  size_t at = path_position(r, path);
  memmove(r->by_path + at + 1, r->by_path + at, (r->doc_count - at) * sizeof *r->by_path);
  r->by_path[at].path = d->path;
  r->by_path[at].doc = r->doc_count;
  return (long)r->doc_count++;
}

/* What a reference says of its document: gw-archive check names its unit,
 * year and whether it comes from the archive (or is a base document)
 * wherever it names it: the archive's documents have no record of their
 * own.  --meta, read later, has the last word. */
static int note_ref(report *r, long doc, const cJSON *ref) {
  if (doc < 0 || !cJSON_IsObject(ref)) return 0;
  report_doc *d = &r->docs[doc];
  const char *unit = cJSON_GetStringValue(cJSON_GetObjectItem(ref, "unit"));
  if (unit && unit[0] && !d->unit && !(d->unit = strdup(unit))) return -1;
  int year = (int)number_of(ref, "year");
  if (!d->year && year > 0) d->year = year;
  const char *from = cJSON_GetStringValue(cJSON_GetObjectItem(ref, "from"));
  if (from && strcmp(from, "archive") == 0) d->is_archived = 1;
  if (from && strcmp(from, "base") == 0) d->is_base = 1; /* check --base */
  return 0;
}

void report_free(report *r) {
  for (size_t i = 0; i < r->doc_count; i++) {
    report_doc *d = &r->docs[i];
    free(d->path);
    free(d->unit);
    free(d->title);
    free(d->error);
    free(d->text);
    free(d->bound_original);
    free(d->bound_utf16);
    free(d->bound_shown);
    free(d->line_starts);
    free(d->astral);
  }
  free(r->docs);
  free(r->by_path);
}

/* ---- Units, years and titles ---- */

static char *folder_name(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return strdup(".");
  const char *start = slash;
  while (start > path && start[-1] != '/') start--;
  return strndup(start, (size_t)(slash - start));
}

static char *file_stem(const char *path) {
  const char *slash = strrchr(path, '/');
  const char *name = slash ? slash + 1 : path;
  const char *dot = strrchr(name, '.');
  return strndup(name, dot && dot != name ? (size_t)(dot - name) : strlen(name));
}

/* Units the meta file did not give: the folder's name when the reports lie in
 * several folders (one folder per unit), else the file's name. */
int default_units(report *r) {
  int several = 0;
  char *first = r->doc_count ? folder_name(r->docs[0].path) : NULL;
  for (size_t i = 1; i < r->doc_count && first && !several; i++) {
    char *f = folder_name(r->docs[i].path);
    if (!f) break;
    several = strcmp(f, first) != 0;
    free(f);
  }
  free(first);
  for (size_t i = 0; i < r->doc_count; i++) {
    report_doc *d = &r->docs[i];
    if (d->unit) continue;
    d->unit = several ? folder_name(d->path) : file_stem(d->path);
    if (!d->unit) return -1;
  }
  return 0;
}

/* --meta, read by the library (gw_meta_load_file: path TAB unit TAB year TAB
 * title, '#' lines, a header row, "./" prefixes): each document's unit,
 * year and title from its row.  Rows naming no document of the report are
 * ignored. */
int read_meta(report *r, const gw_meta *meta) {
  int rc = 0;
  for (size_t i = 0; i < r->doc_count && rc == 0; i++) {
    const gw_meta_row *row = gw_meta_find(meta, r->docs[i].path);
    if (!row) continue;
    report_doc *d = &r->docs[i];
    if (row->unit[0]) {
      free(d->unit); /* the archive's unit, if any */
      if (!(d->unit = strdup(row->unit))) rc = GW_ENOMEM;
    }
    if (row->year) d->year = row->year;
    if (row->title[0] && !(d->title = strdup(row->title))) rc = GW_ENOMEM;
  }
  return rc;
}

/* ---- What the records say of their documents ---- */

long source_doc(const report *r, const cJSON *s) {
  const char *path = cJSON_GetStringValue(cJSON_GetObjectItem(s, "path"));
  return path ? find_doc(r, path) : -1;
}

/* gw-archive check's records get self_copy (adopt_archive_document);
 * gw-dups --meta's carry self_ratio, the share copied from the unit's
 * earlier reports.  Where gw-dups knows no unit for the report (no --meta,
 * or no row for it) it writes self_ratio null, and wrote 0 before: either
 * is no figure (null, a dash on the page), not "nothing copied". */
const cJSON *self_copy_of(const cJSON *rec) {
  const cJSON *v = cJSON_GetObjectItem(rec, "self_copy");
  if (v) return v;
  const cJSON *unit = cJSON_GetObjectItem(rec, "unit");
  return !unit || cJSON_IsString(unit) ? cJSON_GetObjectItem(rec, "self_ratio") : NULL;
}

/* A gw-dups --meta record's own unit and year (as gw-dups counted them). */
static int unit_and_year(const cJSON *rec, const char **unit, double *year) {
  *unit = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "unit"));
  *year = number_of(rec, "year");
  return *unit && *year > 0;
}

/* For gw-dups --meta's records, which give self_ratio but not the report
 * it comes from: the source of the same unit from an earlier year with
 * the largest share, so that the page links the self-copy figure to that
 * pair as it does with gw-archive check's self_source. */
void find_self_sources(report *r) {
  for (size_t i = 0; i < r->doc_count; i++) {
    report_doc *d = &r->docs[i];
    const char *unit, *source_unit;
    double year, source_year, best_share = -1;
    d->self_source = -1;
    if (cJSON_GetObjectItem(d->record, "self_source") || !unit_and_year(d->record, &unit, &year))
      continue;
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(d->record, "sources")) {
      long doc = source_doc(r, s);
      double share = number_of(s, "share");
      if (doc < 0 || !unit_and_year(r->docs[doc].record, &source_unit, &source_year) ||
          strcmp(unit, source_unit) != 0 || source_year >= year || share <= best_share)
        continue;
      best_share = share;
      d->self_source = doc;
    }
  }
}

/* The document a record names as its largest source, -1 if none. */
long largest_source(const report *r, const cJSON *rec, const cJSON **largest) {
  *largest = cJSON_GetObjectItem(rec, "largest_source");
  const char *path = cJSON_GetStringValue(cJSON_GetObjectItem(*largest, "path"));
  return path ? find_doc(r, path) : -1;
}

/* ---- Every document the input names ---- */

static int register_path(report *r, const cJSON *o, const char *key) {
  const cJSON *ref = key ? cJSON_GetObjectItem(o, key) : o;
  const char *path = ref_path(ref);
  if (!path) return 0;
  long doc = doc_index(r, path, NULL);
  return doc < 0 || note_ref(r, doc, ref) ? -1 : 0;
}

static int register_members(report *r, const cJSON *groups) {
  const cJSON *g, *m;
  cJSON_ArrayForEach(g, groups) {
    cJSON_ArrayForEach(m, cJSON_GetObjectItem(g, "members"))
      if (register_path(r, m, NULL)) return -1;
  }
  return 0;
}

/* Every document the input names, in a fixed order: its documents, then
 * ones named only as a source, in a pair, family or cluster (their
 * originals are read too). */
int register_documents(report *r, const cJSON *dups) {
  const cJSON *d, *s;
  cJSON_ArrayForEach(d, cJSON_GetObjectItem(dups, "documents")) {
    const char *path = cJSON_GetStringValue(cJSON_GetObjectItem(d, "path"));
    if (!path) continue;
    long doc = doc_index(r, path, d);
    if (doc < 0 || note_ref(r, doc, d)) return -1;
  }
  cJSON_ArrayForEach(d, cJSON_GetObjectItem(dups, "documents")) {
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(d, "sources"))
      if (register_path(r, s, NULL)) return -1;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(d, "base_sources"))
      if (register_path(r, s, NULL)) return -1;
  }
  cJSON_ArrayForEach(d, cJSON_GetObjectItem(cJSON_GetObjectItem(dups, "parameters"), "base")) {
    const char *path = cJSON_GetStringValue(d);
    if (path && doc_index(r, path, NULL) < 0) return -1;
  }
  cJSON_ArrayForEach(d, cJSON_GetObjectItem(dups, "pairs"))
    if (register_path(r, d, "a") || register_path(r, d, "b")) return -1;
  if (register_path(r, dups, "draft")) return -1; /* gw-gap's JSON */
  if (register_members(r, cJSON_GetObjectItem(dups, "families")) ||
      register_members(r, cJSON_GetObjectItem(dups, "clusters")))
    return -1;
  const cJSON *base;
  cJSON_ArrayForEach(base, cJSON_GetObjectItem(cJSON_GetObjectItem(dups, "parameters"), "base")) {
    long doc = cJSON_IsString(base) ? find_doc(r, base->valuestring) : -1;
    if (doc >= 0) r->docs[doc].is_base = 1;
  }
  return 0;
}

