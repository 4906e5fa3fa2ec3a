/*
 * writer.c — adding a batch of reports as one segment: each document goes
 * through gw_dups as copy detection would see it (its fingerprints and band
 * keys are what the segment stores) and its original text is kept; commit
 * sorts the batch by path, writes the segment and a new generation.
 */
#include <stdlib.h>

#include "archive_handle.h"

typedef struct wpara {
  uint32_t start, end, characters;
  int32_t heading_level;
} wpara;

typedef struct wdoc {
  char *strings;        /* path, unit, title, extras, each NUL-terminated */
  uint32_t lens[4];
  int year, text_year;
  unsigned char *text;
  size_t text_len;
  wpara *paras;
  size_t para_count;
  int32_t encoding;
  uint32_t replace_invalid;
  uint32_t characters;
  unsigned char *prepared; /* gw_dups_prepared_write's bytes */
  size_t prepared_len;
} wdoc;

struct gw_archive_writer {
  gw_archive *a;
  const char **live;    /* the archive's live paths, sorted */
  size_t live_count;
  gw_dups *d;
  wdoc *docs;
  size_t count, cap;
};

void gw_archive_writer_free(gw_archive_writer *w) {
  if (!w) return;
  for (size_t i = 0; i < w->count; i++) {
    free(w->docs[i].strings);
    free(w->docs[i].text);
    free(w->docs[i].paras);
    free(w->docs[i].prepared);
  }
  free(w->docs);
  free(w->live);
  gw_dups_free(w->d);
  free(w);
}

static int cmp_string(const void *x, const void *y) {
  return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The live paths, sorted, so that adding checks each path in log time. */
static int index_live_paths(gw_archive_writer *w) {
  size_t n = gw_archive_document_count(w->a);
  w->live = malloc((n + 1) * sizeof *w->live);
  if (!w->live) return GW_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    gw_archive_document d;
    gw_archive_document_at(&d, w->a, i);
    if (!d.deleted) w->live[w->live_count++] = d.entry.path;
  }
  qsort(w->live, w->live_count, sizeof *w->live, cmp_string);
  return GW_OK;
}

int gw_archive_writer_new(gw_archive_writer **out, gw_archive *a, gw_error *err) {
  *out = NULL;
  int rc = gw_archive_need_writer(a, err);
  if (rc) return rc;
  gw_archive_writer *w = calloc(1, sizeof *w);
  if (!w) return gw_fail(err, GW_ENOMEM, "%s: out of memory", a->dir);
  w->a = a;
  gw_dups_options o = GW_DUPS_OPTIONS_INIT;
  gw_archive_params_to_dups(&o, &a->m.params);
  o.threads = 1;
  rc = gw_dups_new(&w->d, &o, err);
  if (!rc && index_live_paths(w)) rc = gw_fail(err, GW_ENOMEM, "%s: out of memory", a->dir);
  if (rc) {
    gw_archive_writer_free(w);
    return rc;
  }
  *out = w;
  return GW_OK;
}

static int keep_document(wdoc *wd, const gw_document *doc, const gw_archive_entry *e,
                         const gw_document_options *loaded_with) {
  const char *s[4] = {e->path, e->unit ? e->unit : "", e->title ? e->title : "",
                      e->extras ? e->extras : ""};
  size_t total = 0;
  for (int k = 0; k < 4; k++) total += (wd->lens[k] = (uint32_t)strlen(s[k])) + 1;
  wd->strings = malloc(total);
  if (!wd->strings) return GW_ENOMEM;
  char *p = wd->strings;
  for (int k = 0; k < 4; k++) {
    memcpy(p, s[k], wd->lens[k] + 1);
    p += wd->lens[k] + 1;
  }
  wd->year = e->year;
  wd->text_year = gw_document_year(doc);
  const char *text = gw_document_original(doc, &wd->text_len);
  wd->text = malloc(wd->text_len + 1);
  if (!wd->text) return GW_ENOMEM;
  if (wd->text_len) memcpy(wd->text, text, wd->text_len);
  wd->para_count = gw_document_paragraph_count(doc);
  wd->paras = calloc(wd->para_count + 1, sizeof *wd->paras);
  if (!wd->paras) return GW_ENOMEM;
  for (size_t i = 0; i < wd->para_count; i++) {
    const gw_paragraph *gp = gw_document_paragraph_at(doc, i);
    wd->paras[i] = (wpara){(uint32_t)gp->range.start, (uint32_t)gp->range.end, 0,
                           gp->heading_level};
  }
  wd->encoding = loaded_with ? (int32_t)loaded_with->encoding : (int32_t)GW_ENCODING_AUTO;
  wd->replace_invalid = loaded_with ? (uint32_t)(loaded_with->replace_invalid != 0) : 0;
  return GW_OK;
}

int gw_archive_writer_add(gw_archive_writer *w, const gw_document *doc, const gw_range *official,
                          size_t n_official, const gw_archive_entry *entry,
                          const gw_document_options *loaded_with, gw_error *err) {
  if (!w || !doc || !entry || !entry->path || !*entry->path)
    return gw_fail(err, GW_EINVAL, "gw_archive_writer_add: invalid argument");
  if (bsearch(&entry->path, w->live, w->live_count, sizeof *w->live, cmp_string))
    return gw_fail(err, GW_EINVAL, "%s: already in the archive (remove it first to replace it)",
                   entry->path);
  size_t original_len;
  gw_document_original(doc, &original_len);
  if (original_len > UINT32_MAX - 1)
    return gw_fail(err, GW_ETOOBIG, "%s: too large for an archive segment", entry->path);
  if (GW_GROW(w->docs, w->cap, w->count + 1) != GW_OK)
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", entry->path);
  int rc = gw_dups_add(w->d, doc, official, n_official, err);
  if (rc) return rc;
  wdoc *wd = &w->docs[w->count++];
  memset(wd, 0, sizeof *wd);
  if (keep_document(wd, doc, entry, loaded_with))
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", entry->path);
  size_t index = w->count - 1;
  wd->characters = (uint32_t)gw_archive_dups_characters(w->d, index);
  for (size_t p = 0; p < wd->para_count; p++)
    wd->paras[p].characters = (uint32_t)gw_archive_dups_paragraph_characters(w->d, index, p);
  /* What copy detection computed of it, stored so that check adds it as is. */
  wd->prepared_len = gw_dups_prepared_size(w->d, index);
  wd->prepared = malloc(wd->prepared_len);
  if (!wd->prepared) return gw_fail(err, GW_ENOMEM, "%s: out of memory", entry->path);
  gw_dups_prepared_write(w->d, index, wd->prepared);
  return GW_OK;
}

/* ---- commit ---- */

typedef struct by_path {
  const char *path;
  size_t doc;
} by_path;

static int cmp_by_path(const void *x, const void *y) {
  const by_path *a = x, *b = y;
  return strcmp(a->path, b->path);
}

typedef struct entry_sink {
  gw_seg_builder *b;
  int section;
  const uint32_t *rank;
  int failed;
} entry_sink;

static void put_entry(void *payload, uint64_t value, uint32_t doc, uint32_t other) {
  entry_sink *s = payload;
  unsigned char e[GW_SEG_ENTRY_BYTES];
  gw_put64(e, value);
  gw_put32(e + 8, s->rank[doc]);
  gw_put32(e + 12, other);
  if (!s->failed && gw_seg_append(s->b, s->section, e, sizeof e)) s->failed = 1;
}

static int build_document(gw_seg_builder *b, const wdoc *wd) {
  gw_seg_doc d;
  memset(&d, 0, sizeof d);
  d.text_off = b->len[SEC_TEXT];
  d.text_len = wd->text_len;
  d.text_sum = gw_archive_sum(wd->text, wd->text_len);
  uint32_t *offs[4] = {&d.path_off, &d.unit_off, &d.title_off, &d.extras_off};
  uint32_t *lens[4] = {&d.path_len, &d.unit_len, &d.title_len, &d.extras_len};
  const char *s = wd->strings;
  int rc = gw_seg_append(b, SEC_TEXT, wd->text, wd->text_len);
  for (int k = 0; !rc && k < 4; k++) {
    *offs[k] = (uint32_t)b->len[SEC_STRINGS];
    *lens[k] = wd->lens[k];
    rc = gw_seg_append(b, SEC_STRINGS, s, wd->lens[k] + 1);
    s += wd->lens[k] + 1;
  }
  d.year = wd->year;
  d.text_year = wd->text_year;
  d.para_first = (uint32_t)(b->len[SEC_PARAS] / GW_SEG_PARA_BYTES);
  d.para_count = (uint32_t)wd->para_count;
  d.characters = wd->characters;
  d.encoding = wd->encoding;
  d.replace_invalid = wd->replace_invalid;
  d.prepared_off = b->len[SEC_PREPARED];
  d.prepared_len = wd->prepared_len;
  d.prepared_sum = gw_archive_sum(wd->prepared, wd->prepared_len);
  if (!rc) rc = gw_seg_append(b, SEC_PREPARED, wd->prepared, wd->prepared_len);
  for (size_t p = 0; !rc && p < wd->para_count; p++) {
    unsigned char rec[GW_SEG_PARA_BYTES];
    gw_put32(rec, wd->paras[p].start);
    gw_put32(rec + 4, wd->paras[p].end);
    gw_put32(rec + 8, wd->paras[p].characters);
    gw_put32(rec + 12, (uint32_t)wd->paras[p].heading_level);
    rc = gw_seg_append(b, SEC_PARAS, rec, sizeof rec);
  }
  unsigned char rec[GW_SEG_DOC_BYTES];
  gw_seg_doc_write(rec, &d);
  if (!rc) rc = gw_seg_append(b, SEC_DOCS, rec, sizeof rec);
  b->doc_count++;
  return rc;
}

int gw_archive_writer_commit(gw_archive_writer *w, gw_error *err) {
  if (!w->count) return GW_OK;
  gw_archive *a = w->a;
  by_path *order = malloc(w->count * sizeof *order);
  uint32_t *rank = malloc(w->count * sizeof *rank);
  gw_seg_builder b;
  memset(&b, 0, sizeof b);
  int rc = GW_OK;
  if (!order || !rank) {
    rc = gw_fail(err, GW_ENOMEM, "%s: out of memory", a->dir);
    goto done;
  }
  for (size_t i = 0; i < w->count; i++) order[i] = (by_path){w->docs[i].strings, i};
  qsort(order, w->count, sizeof *order, cmp_by_path);
  for (size_t i = 0; i < w->count; i++) {
    if (i && strcmp(order[i - 1].path, order[i].path) == 0) {
      rc = gw_fail(err, GW_EINVAL, "%s: given twice in one batch", order[i].path);
      goto done;
    }
    rank[order[i].doc] = (uint32_t)i;
  }
  for (size_t i = 0; !rc && i < w->count; i++) rc = build_document(&b, &w->docs[order[i].doc]);
  entry_sink fps = {&b, SEC_FPS, rank, 0}, bands = {&b, SEC_BANDS, rank, 0};
  if (!rc) {
    rc = gw_archive_dups_each_fingerprint(w->d, put_entry, &fps);
    if (!rc) rc = gw_archive_dups_each_band_key(w->d, put_entry, &bands);
    if (fps.failed || bands.failed) rc = GW_ENOMEM;
  }
  if (!rc) rc = gw_seg_sort_entries(&b);
  if (rc) {
    rc = gw_fail(err, rc, "%s: out of memory", a->dir);
    goto done;
  }
  rc = gw_archive_commit_segment(a, &b, 0, err);
done:
  gw_seg_builder_free(&b);
  free(order);
  free(rank);
  return rc;
}
