/* The archive: a round trip (documents reload identical), the same inputs
 * giving the same bytes, equivalence with gw_dups over archive + batch on
 * a planted set, tombstones and merge leaving results unchanged (and a
 * merge of several segments writing what one add writes). */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive/archive_private.h"
#include "archive/reads.h"
#include "gongwen.h"
#include "harness.h"
#include "test_archive_util.h"

/* ---- round trip ---- */

static void test_round_trip(void) {
  char dir[300];
  snprintf(dir, sizeof dir, "%s/round", root);
  int which[PLANTED_SPLIT];
  for (int i = 0; i < PLANTED_SPLIT; i++) which[i] = i;
  make_archive(dir, which, PLANTED_SPLIT);
  gw_archive *a;
  gw_error err;
  CHECK(gw_archive_open(&a, dir, GW_ARCHIVE_READ, NULL, &err) == GW_OK);
  CHECK_EQ_SIZE(gw_archive_generation(a), 2);
  CHECK_EQ_SIZE(gw_archive_segment_count(a), 1);
  CHECK_EQ_SIZE(gw_archive_document_count(a), PLANTED_SPLIT);
  CHECK(gw_archive_verify(a, &err) == GW_OK);
  const char *prev = "";
  for (size_t i = 0; i < gw_archive_document_count(a); i++) {
    gw_archive_document d;
    CHECK(gw_archive_document_at(&d, a, i) == GW_OK);
    CHECK(strcmp(prev, d.entry.path) < 0); /* sorted by path */
    prev = d.entry.path;
    const planted_doc *pd = NULL;
    for (int k = 0; k < PLANTED_DOCS; k++)
      if (strcmp(docs[k].path, d.entry.path) == 0) pd = &docs[k];
    CHECK(pd != NULL);
    if (!pd) continue;
    CHECK(strcmp(d.entry.unit, pd->unit) == 0 && d.entry.year == pd->year);
    CHECK(d.text_year == pd->year);
    CHECK(d.bytes == pd->len && !d.deleted);
    CHECK(gw_archive_find(a, pd->path) == i);
    gw_document *x = load(pd), *y = NULL;
    CHECK(gw_archive_document_load(&y, a, i, &opts, &err) == GW_OK);
    if (y) {
      size_t lx, ly;
      const char *nx = gw_document_normalized(x, &lx), *ny = gw_document_normalized(y, &ly);
      CHECK(lx == ly && memcmp(nx, ny, lx) == 0);
      CHECK_EQ_SIZE(gw_document_paragraph_count(x), gw_document_paragraph_count(y));
      CHECK_EQ_SIZE(gw_document_paragraph_count(y), d.paragraphs);
      for (size_t p = 0; p < gw_document_paragraph_count(x); p++)
        CHECK(memcmp(gw_document_paragraph_at(x, p), gw_document_paragraph_at(y, p),
                     sizeof(gw_paragraph)) == 0);
      CHECK(strcmp(gw_document_name(y), pd->path) == 0);
    }
    gw_document_free(x);
    gw_document_free(y);
  }
  CHECK(gw_archive_find(a, "nowhere.txt") == GW_NO_OFFSET);
  gw_document *none;
  CHECK(gw_archive_document_load(&none, a, PLANTED_SPLIT, &opts, &err) == GW_EINVAL);
  /* Read-only: no writer, no remove. */
  gw_archive_writer *w;
  CHECK(gw_archive_writer_new(&w, a, &err) == GW_EINVAL && w == NULL);
  size_t zero = 0;
  CHECK(gw_archive_remove(a, &zero, 1, &err) == GW_EINVAL);
  gw_archive_free(a);
  /* A path already in the archive is refused. */
  CHECK(gw_archive_open(&a, dir, GW_ARCHIVE_WRITE, NULL, &err) == GW_OK);
  CHECK(gw_archive_writer_new(&w, a, &err) == GW_OK);
  gw_document *doc = load(&docs[3]);
  gw_archive_entry e = {docs[3].path, "", 0, "", ""};
  CHECK(gw_archive_writer_add(w, doc, NULL, 0, &e, NULL, &err) == GW_EINVAL);
  CHECK(strstr(err.message, "already in the archive") != NULL);
  gw_document_free(doc);
  gw_archive_writer_free(w);
  gw_archive_free(a);
  /* An archive is made in an empty folder only. */
  gw_archive_params p;
  params(&p);
  CHECK(gw_archive_create(dir, &p, &err) == GW_EINVAL);
  CHECK(strstr(err.message, "not empty") != NULL);
  CHECK(gw_archive_open(&a, root, GW_ARCHIVE_READ, NULL, &err) == GW_ENOTFOUND);
  CHECK(strstr(err.message, "not an archive") != NULL);
}

/* ---- texts decoded only ---- */

/* A text as added: its bytes and the encoding options it was loaded with. */
typedef struct encoded_text {
  const char *path;
  const char *bytes;
  size_t len;
  gw_encoding encoding;
  int replace_invalid;
} encoded_text;

/* gw_archive_text_load gives what gw_archive_document_load's document
 * does (original length, decoded text, encoding, replacements and every
 * text offset's original offset), for each encoding and line end, a
 * forced encoding, replaced invalid bytes and a converted web page. */
static void test_text_views(void) {
#define BYTES(literal) literal, sizeof literal - 1
  static const encoded_text texts[] = {
    {"a-utf8.txt", BYTES("\xe6\x8a\xa5\xe5\x91\x8a\r\n\xe7\xac\xac\xe4\xb8\x80 one\rtwo\n"),
     GW_ENCODING_AUTO, 0},
    {"b-bom.txt", BYTES("\xef\xbb\xbf\xe6\x8a\xa5\xe5\x91\x8a\n\xe4\xb8\x80"), GW_ENCODING_AUTO, 0},
    {"c-gb18030.txt", BYTES("\xb1\xa8\xb8\xe6\r\n\xb5\xda\xd2\xbb\xcc\xf5\n"),
     GW_ENCODING_GB18030, 0},
    {"d-utf16le.txt", BYTES("\xff\xfe\x25\x62\x4a\x54\x0a\x00\x00\x4e\x41\x00"), GW_ENCODING_AUTO,
     0},
    {"e-utf16be.txt", BYTES("\xfe\xff\x62\x25\x54\x4a\x00\x0d\x00\x0a\x4e\x00"), GW_ENCODING_AUTO,
     0},
    {"f-invalid.txt", BYTES("\xe6\x8a\xa5\xff\xe5\x91\x8a\n\xfe x"), GW_ENCODING_AUTO, 1},
    {"g-page.html",
     BYTES("<html><body><p>\xe6\x8a\xa5\xe5\x91\x8a &amp; one</p><p>\xe7\xac\xac\xe4\xb8\x80"
           "</p></body></html>"),
     GW_ENCODING_AUTO, 0},
  };
#undef BYTES
  const size_t n = sizeof texts / sizeof *texts;
  char dir[300];
  snprintf(dir, sizeof dir, "%s/texts", root);
  gw_archive_params p;
  params(&p);
  gw_error err;
  gw_archive *a = NULL;
  gw_archive_writer *w = NULL;
  CHECK(gw_archive_create(dir, &p, &err) == GW_OK);
  CHECK(gw_archive_open(&a, dir, GW_ARCHIVE_WRITE, &p, &err) == GW_OK);
  CHECK(a && gw_archive_writer_new(&w, a, &err) == GW_OK);
  for (size_t i = 0; w && i < n; i++) {
    gw_document_options o = opts;
    o.encoding = texts[i].encoding;
    o.replace_invalid = texts[i].replace_invalid;
    gw_document *doc;
    CHECK(gw_document_load_buffer(&doc, texts[i].path, texts[i].bytes, texts[i].len, &o,
                                  &err) == GW_OK);
    gw_archive_entry e = {texts[i].path, "", 0, "", ""};
    CHECK(gw_archive_writer_add(w, doc, NULL, 0, &e, &o, &err) == GW_OK);
    gw_document_free(doc);
  }
  CHECK(w && gw_archive_writer_commit(w, &err) == GW_OK);
  gw_archive_writer_free(w);
  gw_archive_free(a);
  CHECK(gw_archive_open(&a, dir, GW_ARCHIVE_READ, NULL, &err) == GW_OK);
  CHECK_EQ_SIZE(gw_archive_document_count(a), n);
  size_t encodings_seen = 0;
  for (size_t i = 0; i < gw_archive_document_count(a); i++) {
    gw_document *doc = NULL;
    gw_archive_text *t = NULL;
    CHECK(gw_archive_document_load(&doc, a, i, &opts, &err) == GW_OK);
    CHECK(gw_archive_text_load(&t, a, i, &err) == GW_OK);
    if (!doc || !t) continue;
    size_t lo, ld, lt;
    gw_document_original(doc, &lo);
    const char *dt = gw_document_text(doc, &ld), *tt = gw_archive_text_decoded(t, &lt);
    CHECK_EQ_SIZE(gw_archive_text_original_length(t), lo);
    CHECK(ld == lt && memcmp(dt, tt, ld) == 0);
    CHECK(gw_archive_text_encoding(t) == gw_document_encoding(doc));
    CHECK_EQ_SIZE(gw_archive_text_replacements(t), gw_document_replacements(doc));
    for (size_t k = 0; k <= ld + 1; k++)
      CHECK_EQ_SIZE(gw_archive_text_to_original(t, k), gw_document_text_to_original(doc, k));
    encodings_seen |= (size_t)1 << gw_document_encoding(doc);
    if (gw_document_replacements(doc)) encodings_seen |= (size_t)1 << 20;
    gw_archive_text_free(t);
    gw_document_free(doc);
  }
  /* Every kind above was met: UTF-8 with and without BOM, GB18030, both
   * UTF-16s, a replacement. */
  CHECK_EQ_SIZE(__builtin_popcountll(encodings_seen), 6);
  gw_archive_text *none = (gw_archive_text *)&err;
  CHECK(gw_archive_text_load(&none, a, n, &err) == GW_EINVAL && none == NULL);
  gw_archive_text_free(NULL);
  gw_archive_free(a);
}

/* ---- batched reads ---- */

/* Reads done together (through io_uring where the kernel has it) give
 * what pread gives: every piece, one past the end refused, a bad
 * descriptor refused; more reads than the batch's depth.  Also a reader
 * whose ring the kernel refuses (a depth past io_uring's limit of 32768
 * entries): pread through the reader, as in a sandbox without io_uring. */
static void test_batched_reads(void) {
  char path[300];
  snprintf(path, sizeof path, "%s/reads.bin", root);
  enum { FILE_BYTES = 50000, READS = 40 };
  unsigned char *bytes = malloc(FILE_BYTES);
  for (size_t i = 0; i < FILE_BYTES; i++) bytes[i] = (unsigned char)(i * 7 + i / 251);
  FILE *f = fopen(path, "wb");
  CHECK(f && fwrite(bytes, 1, FILE_BYTES, f) == FILE_BYTES);
  if (f) fclose(f);
  int fd = open(path, O_RDONLY);
  CHECK(fd >= 0);
  for (int way = 0; way < 3; way++) {
    /* NULL: pread alone */
    gw_reads *r = way == 0 ? NULL : gw_reads_new(way == 1 ? 8 : 1u << 20);
    if (way) CHECK(r != NULL);
    gw_read reads[READS];
    unsigned char *bufs = calloc(READS, 600);
    for (size_t k = 0; k < READS; k++) {
      uint64_t off = (k * 1237) % (FILE_BYTES - 600);
      size_t len = 1 + (k * 37) % 599;
      if (k == 5) off = FILE_BYTES - 10; /* runs past the end */
      reads[k] = (gw_read){k == 9 ? -1 : fd, off, len, bufs + 600 * k, 0};
    }
    gw_reads_run(r, reads, READS);
    for (size_t k = 0; k < READS; k++) {
      if (k == 5 || k == 9) {
        CHECK(reads[k].got == -1);
        continue;
      }
      CHECK(reads[k].got == (ssize_t)reads[k].len);
      CHECK(memcmp(reads[k].buf, bytes + reads[k].off, reads[k].len) == 0);
    }
    gw_reads_run(r, reads, 0);
    free(bufs);
    gw_reads_free(r);
  }
  if (fd >= 0) close(fd);
  free(bytes);
}

/* The same documents in another order: the same bytes. */
static void test_deterministic(void) {
  char x[300], y[300];
  snprintf(x, sizeof x, "%s/det-x", root);
  snprintf(y, sizeof y, "%s/det-y", root);
  int fwd[8], back[8];
  for (int i = 0; i < 8; i++) fwd[i] = i, back[i] = 7 - i;
  make_archive(x, fwd, 8);
  make_archive(y, back, 8);
  char fx[400], fy[400];
  snprintf(fx, sizeof fx, "%s/MANIFEST", x);
  snprintf(fy, sizeof fy, "%s/MANIFEST", y);
  CHECK(same_file(fx, fy));
  snprintf(fx, sizeof fx, "%s/seg-00000001.gws", x);
  snprintf(fy, sizeof fy, "%s/seg-00000001.gws", y);
  CHECK(same_file(fx, fy));
}

/* MANIFEST of dir rewritten with its first line `first` and line `from`
 * replaced by `to` (NULL: none), the checksum line made again, so that
 * only the version is wrong. */
static void rewrite_manifest(const char *dir, const char *first, const char *from,
                             const char *to) {
  char path[400], body[400];
  snprintf(path, sizeof path, "%s/MANIFEST", dir);
  snprintf(body, sizeof body, "%s/MANIFEST.body", dir);
  size_t len;
  char *text = slurp(path, &len);
  char *rest = strchr(text, '\n') + 1;
  char *checksum = strstr(text, "checksum ");
  *checksum = '\0';
  FILE *f = fopen(body, "wb");
  fprintf(f, "%s\n", first);
  char *line = rest;
  while (*line) {
    char *end = strchr(line, '\n');
    size_t n = (size_t)(end - line);
    if (from && strncmp(line, from, strlen(from)) == 0) fprintf(f, "%s\n", to);
    else fwrite(line, 1, n + 1, f);
    line = end + 1;
  }
  fclose(f);
  uint64_t sum;
  gw_error err;
  if (gw_archive_checksum(&sum, body, &err)) die(body, &err);
  f = fopen(body, "ab");
  fprintf(f, "checksum %016llx\n", (unsigned long long)sum);
  fclose(f);
  rename(body, path);
  free(text);
}

/* An archive of another format version, or of other prepared documents,
 * is refused naming the versions (never read as data). */
static void test_versions(void) {
  char dir[300];
  snprintf(dir, sizeof dir, "%s/old", root);
  int which[3] = {0, 1, 2};
  make_archive(dir, which, 3);
  gw_archive *a;
  gw_error err;
  CHECK(gw_archive_open(&a, dir, GW_ARCHIVE_READ, NULL, &err) == GW_OK);
  CHECK(strtoul(gw_archive_params_in_use(a)->normalizer, NULL, 10) == gw_normalizer_version());
  CHECK(gw_normalizer_version() == GW_NORMALIZER_VERSION);
  gw_archive_free(a);
  for (int old = 1; old < GW_ARCHIVE_FORMAT_VERSION; old++) {
    char first[40], named[120];
    snprintf(first, sizeof first, "gongwen-archive %d", old);
    rewrite_manifest(dir, first, NULL, NULL);
    CHECK(gw_archive_open(&a, dir, GW_ARCHIVE_READ, NULL, &err) == GW_EINVAL && a == NULL);
    snprintf(named, sizeof named, "archive format version %d; this library reads version %d",
             old, GW_ARCHIVE_FORMAT_VERSION);
    CHECK(strstr(err.message, named) != NULL);
    CHECK(strstr(err.message, "make a new archive") != NULL);
  }
  char current[40];
  snprintf(current, sizeof current, "gongwen-archive %d", GW_ARCHIVE_FORMAT_VERSION);
  rewrite_manifest(dir, current, "prepared ", "prepared 9");
  CHECK(gw_archive_open(&a, dir, GW_ARCHIVE_WRITE, NULL, &err) == GW_EINVAL && a == NULL);
  CHECK(strstr(err.message, "prepared documents of version 9") != NULL);
  rewrite_manifest(dir, current, "prepared ", "prepared 1");
  CHECK(gw_archive_open(&a, dir, GW_ARCHIVE_READ, NULL, &err) == GW_OK);
  CHECK(gw_archive_verify(a, &err) == GW_OK);
  gw_archive_free(a);
}

/* ---- equivalence with gw_dups over archive + batch ---- */

typedef struct run {
  const gw_dups *d;
  const char **names;
  size_t first_batch;
} run;

static int batch_doc(const run *r, size_t i) { return i >= r->first_batch; }

static size_t find_name(const run *r, const char *name) {
  for (size_t i = 0; i < gw_dups_document_count(r->d); i++)
    if (strcmp(r->names[i], name) == 0) return i;
  return SIZE_MAX;
}

static int same_range(const gw_dups_range *a, const gw_dups_range *b) {
  return a->start == b->start && a->end == b->end && a->char_start == b->char_start &&
         a->char_end == b->char_end;
}

static size_t compare_pairs(const run *u, const run *c) {
  size_t ui = 0, ci = 0, compared = 0;
  size_t nu = gw_dups_pair_count(u->d), nc = gw_dups_pair_count(c->d);
  for (;;) {
    while (ui < nu && !batch_doc(u, gw_dups_pair_at(u->d, ui)->a) &&
           !batch_doc(u, gw_dups_pair_at(u->d, ui)->b))
      ui++;
    while (ci < nc && !batch_doc(c, gw_dups_pair_at(c->d, ci)->a) &&
           !batch_doc(c, gw_dups_pair_at(c->d, ci)->b))
      ci++;
    if (ui >= nu || ci >= nc) break;
    const gw_dups_pair *p = gw_dups_pair_at(u->d, ui++), *q = gw_dups_pair_at(c->d, ci++);
    compared++;
    int same = strcmp(u->names[p->a], c->names[q->a]) == 0 &&
               strcmp(u->names[p->b], c->names[q->b]) == 0 && p->copied_a == q->copied_a &&
               p->copied_b == q->copied_b && fabs(p->similarity - q->similarity) < 1e-12 &&
               p->passage_count == q->passage_count;
    for (size_t k = 0; same && k < p->passage_count; k++) {
      const gw_dups_passage *x = gw_dups_passage_at(u->d, p->passage_first + k);
      const gw_dups_passage *y = gw_dups_passage_at(c->d, q->passage_first + k);
      same = x->kind == y->kind && x->matched == y->matched && same_range(&x->a, &y->a) &&
             same_range(&x->b, &y->b);
    }
    if (!same)
      fprintf(stderr, "pair differs: %s ~ %s vs %s ~ %s\n", u->names[p->a], u->names[p->b],
              c->names[q->a], c->names[q->b]);
    CHECK(same);
  }
  CHECK(ui >= nu && ci >= nc); /* as many on both sides */
  return compared;
}

static void compare_documents(const run *u, const run *c) {
  for (size_t i = u->first_batch; i < gw_dups_document_count(u->d); i++) {
    size_t j = find_name(c, u->names[i]);
    CHECK(j != SIZE_MAX);
    if (j == SIZE_MAX) continue;
    const gw_dups_document *x = gw_dups_document_at(u->d, i), *y = gw_dups_document_at(c->d, j);
    int same = x->characters == y->characters && x->official == y->official &&
               x->copied == y->copied && x->base == y->base &&
               x->template_copied == y->template_copied && x->source_total == y->source_total &&
               x->source_count == y->source_count && x->year == y->year;
    for (size_t s = 0; same && s < x->source_count; s++) {
      const gw_dups_source *a = gw_dups_source_at(u->d, x->source_first + s);
      const gw_dups_source *b = gw_dups_source_at(c->d, y->source_first + s);
      same = strcmp(u->names[a->document], c->names[b->document]) == 0 &&
             a->characters == b->characters;
    }
    if (!same) fprintf(stderr, "document differs: %s\n", u->names[i]);
    CHECK(same);
  }
}

static size_t compare_families(const run *u, const run *c) {
  size_t ui = 0, ci = 0, compared = 0;
  size_t nu = gw_dups_family_count(u->d), nc = gw_dups_family_count(c->d);
  for (;;) {
    for (; ui < nu; ui++) {
      const gw_dups_family *f = gw_dups_family_at(u->d, ui);
      int keep = 0;
      for (size_t k = 0; k < f->member_count; k++)
        keep |= batch_doc(u, gw_dups_family_member_at(u->d, f->member_first + k)->document);
      if (keep) break;
    }
    for (; ci < nc; ci++) {
      const gw_dups_family *f = gw_dups_family_at(c->d, ci);
      int keep = 0;
      for (size_t k = 0; k < f->member_count; k++)
        keep |= batch_doc(c, gw_dups_family_member_at(c->d, f->member_first + k)->document);
      if (keep) break;
    }
    if (ui >= nu || ci >= nc) break;
    const gw_dups_family *f = gw_dups_family_at(u->d, ui++), *g = gw_dups_family_at(c->d, ci++);
    compared++;
    int same = f->documents == g->documents && f->member_count == g->member_count &&
               f->characters == g->characters && f->earliest_year == g->earliest_year;
    for (size_t k = 0; same && k < f->member_count; k++) {
      const gw_dups_family_member *x = gw_dups_family_member_at(u->d, f->member_first + k);
      const gw_dups_family_member *y = gw_dups_family_member_at(c->d, g->member_first + k);
      same = strcmp(u->names[x->document], c->names[y->document]) == 0 &&
             x->paragraph == y->paragraph && same_range(&x->range, &y->range);
    }
    if (!same) fprintf(stderr, "family differs: %zu members vs %zu\n", f->member_count, g->member_count);
    CHECK(same);
  }
  CHECK(ui >= nu && ci >= nc);
  return compared;
}

static size_t compare_clusters(const run *u, const run *c) {
  size_t ui = 0, ci = 0, compared = 0;
  size_t nu = gw_dups_cluster_count(u->d), nc = gw_dups_cluster_count(c->d);
  for (;;) {
    for (; ui < nu; ui++) {
      const gw_dups_cluster *f = gw_dups_cluster_at(u->d, ui);
      int keep = 0;
      for (size_t k = 0; k < f->member_count; k++)
        keep |= batch_doc(u, gw_dups_member_at(u->d, f->member_first + k)->document);
      if (keep) break;
    }
    for (; ci < nc; ci++) {
      const gw_dups_cluster *f = gw_dups_cluster_at(c->d, ci);
      int keep = 0;
      for (size_t k = 0; k < f->member_count; k++)
        keep |= batch_doc(c, gw_dups_member_at(c->d, f->member_first + k)->document);
      if (keep) break;
    }
    if (ui >= nu || ci >= nc) break;
    const gw_dups_cluster *f = gw_dups_cluster_at(u->d, ui++), *g = gw_dups_cluster_at(c->d, ci++);
    compared++;
    int same = f->member_count == g->member_count && f->documents == g->documents;
    for (size_t k = 0; same && k < f->member_count; k++) {
      const gw_dups_member *x = gw_dups_member_at(u->d, f->member_first + k);
      const gw_dups_member *y = gw_dups_member_at(c->d, g->member_first + k);
      same = strcmp(u->names[x->document], c->names[y->document]) == 0 &&
             x->paragraph == y->paragraph && x->start == y->start && x->end == y->end &&
             fabs(x->jaccard - y->jaccard) < 1e-12;
    }
    CHECK(same);
  }
  CHECK(ui >= nu && ci >= nc);
  return compared;
}

/* The check of the batch against dir, its results into *out (names
 * filled). */
static const int *batch_idx; /* the planted documents of the batch */
static size_t batch_n;

static gw_archive_check *check_batch(gw_archive *a, gw_document **batch, gw_range **spans,
                                     size_t *n_spans, run *out) {
  gw_archive_check_options o = {GW_ARCHIVE_CHECK_OPTIONS_VERSION, GW_DUPS_OPTIONS_INIT, opts,
                                terms};
  gw_archive_check *c;
  gw_error err;
  if (gw_archive_check_new(&c, a, &o, &err)) die("check", &err);
  for (size_t b = 0; b < batch_n; b++) {
    const planted_doc *pd = &docs[batch_idx[b]];
    gw_archive_entry e = {pd->path, pd->unit, pd->year, "", ""};
    if (gw_archive_check_add(c, batch[b], spans[b], n_spans[b], &e, 0, &err)) die("check add", &err);
  }
  if (gw_archive_check_run(c, &err)) die("check run", &err);
  out->d = gw_archive_check_dups(c);
  size_t n = gw_dups_document_count(out->d);
  out->names = calloc(n + 1, sizeof *out->names);
  for (size_t i = 0; i < n; i++) out->names[i] = gw_archive_check_entry_at(c, i)->path;
  out->first_batch = gw_archive_check_base_count(c) + gw_archive_check_archived_count(c);
  return c;
}

/* The split: which[0..n_archive) to the archive, the rest the batch. */
static void test_equivalence(const char *name, const int *which, size_t n_archive,
                             size_t min_pairs) {
  char dir[300];
  snprintf(dir, sizeof dir, "%s/%s", root, name);
  batch_idx = which + n_archive;
  batch_n = PLANTED_DOCS - n_archive;
  make_archive(dir, which, n_archive);
  gw_archive *a;
  gw_error err;
  if (gw_archive_open(&a, dir, GW_ARCHIVE_READ, NULL, &err)) die(dir, &err);
  /* The union, in archive order, then the batch. */
  gw_dups *ud;
  gw_dups_options uo = GW_DUPS_OPTIONS_INIT;
  if (gw_dups_new(&ud, &uo, &err)) die("dups", &err);
  const char *unames[PLANTED_DOCS];
  size_t n = 0;
  for (size_t i = 0; i < gw_archive_document_count(a); i++) {
    gw_archive_document d;
    gw_archive_document_at(&d, a, i);
    for (int k = 0; k < PLANTED_DOCS; k++) {
      if (strcmp(docs[k].path, d.entry.path) != 0) continue;
      gw_document *doc = load(&docs[k]);
      size_t ns;
      gw_range *spans = official_of(doc, &ns);
      gw_dups_add(ud, doc, spans, ns, NULL);
      unames[n++] = docs[k].path;
      free(spans);
      gw_document_free(doc);
    }
  }
  gw_document *batch[PLANTED_DOCS];
  gw_range *spans[PLANTED_DOCS];
  size_t n_spans[PLANTED_DOCS];
  for (size_t b = 0; b < batch_n; b++) {
    batch[b] = load(&docs[batch_idx[b]]);
    spans[b] = official_of(batch[b], &n_spans[b]);
    gw_dups_add(ud, batch[b], spans[b], n_spans[b], NULL);
    unames[n++] = docs[batch_idx[b]].path;
  }
  if (gw_dups_run(ud, &err)) die("run", &err);
  run u = {ud, unames, n_archive};
  run c;
  gw_archive_check *chk = check_batch(a, batch, spans, n_spans, &c);
  /* Candidates: fewer than the whole archive, and the archive-only copy
   * (6 from 8) is not reported. */
  CHECK(gw_archive_check_archived_count(chk) < n_archive);
  CHECK(gw_archive_check_archived_count(chk) >= 4);
  size_t pairs = compare_pairs(&u, &c);
  CHECK(pairs >= min_pairs);
  compare_documents(&u, &c);
  CHECK(compare_families(&u, &c) >= 1);
  CHECK(compare_clusters(&u, &c) >= 1);
  CHECK(gw_archive_check_archive_index_at(chk, 0) != GW_NO_OFFSET);
  CHECK(gw_archive_check_archive_index_at(chk, c.first_batch) == GW_NO_OFFSET);
  CHECK(gw_archive_check_archive_index_at(chk, gw_dups_document_count(gw_archive_check_dups(chk))) ==
        GW_NO_OFFSET);
  CHECK(gw_archive_check_entry_at(chk, gw_dups_document_count(gw_archive_check_dups(chk))) == NULL);
  gw_archive_check_free(chk);
  free(c.names);
  gw_archive_free(a);
  /* Removing a source drops it from the candidates; merge changes no result. */
  if (gw_archive_open(&a, dir, GW_ARCHIVE_WRITE, NULL, &err)) die(dir, &err);
  const char *removed = docs[which[0]].path;
  size_t gone = gw_archive_find(a, removed);
  CHECK(gone != GW_NO_OFFSET);
  CHECK(gw_archive_remove(a, &gone, 1, &err) == GW_OK);
  CHECK(gw_archive_find(a, removed) == GW_NO_OFFSET);
  chk = check_batch(a, batch, spans, n_spans, &c);
  CHECK(find_name(&c, removed) == SIZE_MAX);
  size_t before_pairs = gw_dups_pair_count(c.d), before_docs = gw_dups_document_count(c.d);
  const char *before_first = c.names[0];
  (void)before_first;
  run before = c;
  CHECK(gw_archive_merge(a, &err) == GW_OK);
  CHECK_EQ_SIZE(gw_archive_segment_count(a), 1);
  CHECK_EQ_SIZE(gw_archive_document_count(a), n_archive - 1);
  CHECK(gw_archive_verify(a, &err) == GW_OK);
  run after;
  gw_archive_check *chk2 = check_batch(a, batch, spans, n_spans, &after);
  CHECK_EQ_SIZE(gw_dups_pair_count(after.d), before_pairs);
  CHECK_EQ_SIZE(gw_dups_document_count(after.d), before_docs);
  before.first_batch = 0; /* compare every pair, archive-only ones too */
  after.first_batch = 0;
  compare_pairs(&before, &after);
  compare_families(&before, &after);
  gw_archive_check_free(chk2);
  free(after.names);
  gw_archive_check_free(chk);
  free(c.names);
  gw_archive_free(a);
  /* Only one segment file is left. */
  DIR *dh = opendir(dir);
  size_t segs = 0;
  struct dirent *de;
  while (dh && (de = readdir(dh)))
    if (strncmp(de->d_name, "seg-", 4) == 0) segs++;
  if (dh) closedir(dh);
  CHECK_EQ_SIZE(segs, 1);
  for (size_t b = 0; b < batch_n; b++) {
    gw_document_free(batch[b]);
    free(spans[b]);
  }
  gw_dups_free(ud);
}

/* ---- merge: a k-way merge of several segments ---- */

static const char *path_of(int k) { return docs[k].path; }
static int cmp_by_path(const void *x, const void *y) {
  return strcmp(path_of(*(const int *)x), path_of(*(const int *)y));
}

/* The archive's documents in three segments (consecutive in path order,
 * a tombstone in the middle one): merge leaves every check result as it
 * was, and the merged segment is byte for byte the one a single add of the
 * live documents writes (the entries merged k ways in the order a sort
 * gives, the lookups made from them). */
static void test_merge_segments(void) {
  int sorted[PLANTED_SPLIT];
  for (int i = 0; i < PLANTED_SPLIT; i++) sorted[i] = i;
  qsort(sorted, PLANTED_SPLIT, sizeof *sorted, cmp_by_path);
  const int removed = 7; /* in the middle segment: [5, 11) */
  char three[300], one[300];
  snprintf(three, sizeof three, "%s/merge-three", root);
  snprintf(one, sizeof one, "%s/merge-one", root);
  make_archive(three, sorted, 5);
  gw_error err;
  if (add_prefixed(three, sorted + 5, 6, "", &err)) die(three, &err);
  if (add_prefixed(three, sorted + 11, PLANTED_SPLIT - 11, "", &err)) die(three, &err);
  int live[PLANTED_SPLIT];
  size_t n_live = 0;
  for (int i = 0; i < PLANTED_SPLIT; i++)
    if (i != removed) live[n_live++] = sorted[i];
  make_archive(one, live, n_live);
  int batch[PLANTED_DOCS - PLANTED_SPLIT];
  for (int i = PLANTED_SPLIT; i < PLANTED_DOCS; i++) batch[i - PLANTED_SPLIT] = i;
  batch_idx = batch;
  batch_n = PLANTED_DOCS - PLANTED_SPLIT;
  gw_document *docs_in[PLANTED_DOCS];
  gw_range *spans[PLANTED_DOCS];
  size_t n_spans[PLANTED_DOCS];
  for (size_t b = 0; b < batch_n; b++) {
    docs_in[b] = load(&docs[batch[b]]);
    spans[b] = official_of(docs_in[b], &n_spans[b]);
  }
  gw_archive *a;
  if (gw_archive_open(&a, three, GW_ARCHIVE_WRITE, NULL, &err)) die(three, &err);
  CHECK_EQ_SIZE(gw_archive_segment_count(a), 3);
  size_t gone = gw_archive_find(a, docs[sorted[removed]].path);
  CHECK(gone != GW_NO_OFFSET && gw_archive_remove(a, &gone, 1, &err) == GW_OK);
  run before, after, stale;
  gw_archive_check *c1 = check_batch(a, docs_in, spans, n_spans, &before);
  /* A reader of the generation before: after the merge its segment files
   * are gone, and its check reads their maps instead (the same results). */
  gw_archive *reader;
  if (gw_archive_open(&reader, three, GW_ARCHIVE_READ, NULL, &err)) die(three, &err);
  CHECK(gw_archive_merge(a, &err) == GW_OK);
  char gone_file[400];
  snprintf(gone_file, sizeof gone_file, "%s/seg-00000002.gws", three);
  CHECK(access(gone_file, F_OK) != 0);
  gw_archive_check *c3 = check_batch(reader, docs_in, spans, n_spans, &stale);
  stale.first_batch = 0;
  CHECK_EQ_SIZE(gw_archive_segment_count(a), 1);
  CHECK_EQ_SIZE(gw_archive_document_count(a), n_live);
  CHECK(gw_archive_verify(a, &err) == GW_OK);
  gw_archive_check *c2 = check_batch(a, docs_in, spans, n_spans, &after);
  CHECK(gw_archive_check_archived_count(c1) >= 4);
  CHECK_EQ_SIZE(gw_archive_check_archived_count(c2), gw_archive_check_archived_count(c1));
  CHECK_EQ_SIZE(gw_dups_pair_count(after.d), gw_dups_pair_count(before.d));
  CHECK(gw_dups_pair_count(before.d) >= 5);
  before.first_batch = after.first_batch = 0; /* every record, archive ones too */
  CHECK(compare_pairs(&before, &after) >= 5);
  compare_documents(&before, &after);
  CHECK(compare_families(&before, &after) >= 1);
  CHECK(compare_clusters(&before, &after) >= 1);
  CHECK(compare_pairs(&before, &stale) >= 5);
  compare_documents(&before, &stale);
  CHECK(compare_families(&before, &stale) >= 1);
  gw_archive_check_free(c1);
  gw_archive_check_free(c2);
  gw_archive_check_free(c3);
  free(stale.names);
  gw_archive_free(reader);
  free(before.names);
  free(after.names);
  gw_archive_free(a);
  char x[400], y[400];
  snprintf(x, sizeof x, "%s/seg-00000004.gws", three);
  snprintf(y, sizeof y, "%s/seg-00000001.gws", one);
  CHECK(same_file(x, y));
  for (size_t b = 0; b < batch_n; b++) {
    gw_document_free(docs_in[b]);
    free(spans[b]);
  }
}

/* ---- the index read after a run ---- */

typedef struct sketch_list {
  uint64_t *v; /* (value, doc, position or paragraph) as three words */
  size_t n, cap;
} sketch_list;

static void collect_sketch(void *payload, uint64_t value, uint32_t doc, uint32_t at) {
  sketch_list *l = payload;
  if (l->n + 3 > l->cap) {
    l->cap = l->cap ? 2 * l->cap : 3 * 1024;
    l->v = realloc(l->v, l->cap * sizeof *l->v);
    if (!l->v) die("sketches", NULL);
  }
  l->v[l->n++] = value;
  l->v[l->n++] = doc;
  l->v[l->n++] = at;
}

/* Every fingerprint, copy fingerprint and band key of d, in order. */
static void read_sketches(gw_dups *d, sketch_list out[3]) {
  memset(out, 0, 3 * sizeof *out);
  CHECK(gw_archive_dups_each_fingerprint(d, collect_sketch, &out[0]) == GW_OK);
  CHECK(gw_archive_dups_each_copy_fingerprint(d, collect_sketch, &out[1]) == GW_OK);
  CHECK(gw_archive_dups_each_band_key(d, collect_sketch, &out[2]) == GW_OK);
}

/* A run frees the index's fingerprints and band keys (issue 10); the
 * archive reading a handle after its run gets them made again, the same
 * values in the same order, not freed or absent arrays. */
static void test_sketches_after_run(void) {
  gw_dups *d;
  gw_dups_options o = GW_DUPS_OPTIONS_INIT;
  gw_error err;
  if (gw_dups_new(&d, &o, &err)) die("dups", &err);
  for (int k = 0; k < PLANTED_DOCS; k++) {
    gw_document *doc = load(&docs[k]);
    CHECK(gw_dups_add(d, doc, NULL, 0, &err) == GW_OK);
    gw_document_free(doc);
  }
  sketch_list before[3], after[3];
  read_sketches(d, before);
  CHECK(gw_dups_run(d, &err) == GW_OK);
  read_sketches(d, after);
  for (int i = 0; i < 3; i++) {
    CHECK(before[i].n > 0);
    CHECK_EQ_SIZE(after[i].n, before[i].n);
    CHECK(after[i].n == before[i].n &&
          memcmp(after[i].v, before[i].v, before[i].n * sizeof *before[i].v) == 0);
    free(before[i].v);
    free(after[i].v);
  }
  gw_dups_free(d);
}

int main(void) {
  setup();
  test_round_trip();
  test_sketches_after_run();
  test_text_views();
  test_batched_reads();
  test_deterministic();
  test_versions();
  int split[PLANTED_DOCS];
  /* The planted split: the last eight reports are the batch. */
  for (int i = 0; i < PLANTED_DOCS; i++) split[i] = i;
  test_equivalence("equiv", split, PLANTED_SPLIT, 5);
  /* Another: the odd reports in the archive, the even ones the batch (the
   * template, the chain 9 → 11 → 23 and 12 cut otherwise). */
  for (int i = 0; i < PLANTED_DOCS / 2; i++) {
    split[i] = 2 * i + 1;
    split[PLANTED_DOCS / 2 + i] = 2 * i;
  }
  test_equivalence("equiv-odd", split, PLANTED_DOCS / 2, 3);
  test_merge_segments();
  return teardown();
}
