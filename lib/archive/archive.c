/*
 * archive.c — the archive handle: making and opening an archive (one
 * manifest generation, its segments mapped), the lock of the one writer
 * and the clean-up after an interrupted one, documents and their reload,
 * tombstones, merge and verify.  Adding (writer.c) and checking (check.c)
 * build on it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive_handle.h"

void gw_archive_params_init(gw_archive_params *out, const gw_dups_options *dups,
                            uint64_t terms_checksum, uint64_t noise_checksum) {
  static const gw_dups_options defaults = GW_DUPS_OPTIONS_INIT;
  if (!dups) dups = &defaults;
  memset(out, 0, sizeof *out);
  out->shingle_k = dups->shingle_k;
  out->minhash_count = dups->minhash_count;
  out->bands = dups->bands;
  out->min_paragraph_chars = dups->min_paragraph_chars;
  out->passage_t = dups->passage_t;
  out->passage_k = dups->passage_k;
  out->seed = dups->seed;
  out->terms_checksum = terms_checksum;
  out->noise_checksum = noise_checksum;
  snprintf(out->normalizer, sizeof out->normalizer, "%u", gw_normalizer_version());
}

void gw_archive_params_to_dups(gw_dups_options *o, const gw_archive_params *p) {
  o->shingle_k = p->shingle_k;
  o->minhash_count = p->minhash_count;
  o->bands = p->bands;
  o->min_paragraph_chars = p->min_paragraph_chars;
  o->passage_t = p->passage_t;
  o->passage_k = p->passage_k;
  o->seed = p->seed;
}

int gw_archive_checksum(uint64_t *out, const char *path, gw_error *err) {
  unsigned char *bytes;
  size_t len;
  *out = 0;
  int rc = gw_read_file(path, &bytes, &len, err);
  if (rc) return rc;
  *out = gw_archive_sum(bytes, len);
  free(bytes);
  return GW_OK;
}

/* The first parameter that differs, named, or GW_OK. */
static int compare_params(const char *dir, const gw_archive_params *have,
                          const gw_archive_params *want, gw_error *err) {
  const char *fmt = "%s: the archive was made with %s %llu; this run uses %llu (an "
                    "archive's parameters never change: make a new archive for other ones)";
  const char *hexfmt = "%s: the archive was made with %s %016llx; this run uses %016llx (an "
                       "archive's parameters never change: make a new archive for other ones)";
#define GW_SAME(field, name, f)                                                          \
  if (have->field != want->field)                                                        \
    return gw_fail(err, GW_EINVAL, f, dir, name, (unsigned long long)have->field,        \
                   (unsigned long long)want->field);
  GW_SAME(shingle_k, "shingle_k", fmt)
  GW_SAME(minhash_count, "minhash", fmt)
  GW_SAME(bands, "bands", fmt)
  GW_SAME(min_paragraph_chars, "min_paragraph", fmt)
  GW_SAME(passage_t, "passage_t", fmt)
  GW_SAME(passage_k, "passage_k", fmt)
  GW_SAME(seed, "seed", hexfmt)
  GW_SAME(terms_checksum, "the terms dictionary checksum", hexfmt)
  GW_SAME(noise_checksum, "the noise patterns checksum", hexfmt)
#undef GW_SAME
  if (strcmp(have->normalizer, want->normalizer) != 0)
    return gw_fail(err, GW_EINVAL, "%s: the archive was made with normalizer %s; this library's "
                   "is %s (an archive's parameters never change: make a new archive)",
                   dir, have->normalizer, want->normalizer);
  return GW_OK;
}

int gw_archive_params_compare(const char *dir, const gw_archive_params *have,
                              const gw_archive_params *want, gw_error *err) {
  return compare_params(dir, have, want, err);
}

int gw_archive_create(const char *dir, const gw_archive_params *params, gw_error *err) {
  if (!dir || !params) return gw_fail(err, GW_EINVAL, "gw_archive_create: invalid argument");
  if (params->minhash_count < 1 || params->bands < 1 || params->minhash_count % params->bands ||
      params->passage_k < 1 || params->passage_k > params->passage_t || params->passage_t > 13 ||
      params->shingle_k < 1 || params->shingle_k > 64)
    return gw_fail(err, GW_EINVAL, "%s: inconsistent parameters", dir);
  if (mkdir(dir, 0755) && errno != EEXIST) {
    int e = errno;
    return gw_fail_at(err, GW_EIO, GW_NO_OFFSET, 0, e, "%s: %s", dir, strerror(e));
  }
  DIR *dh = opendir(dir);
  if (!dh) {
    int e = errno;
    return gw_fail_at(err, GW_EIO, GW_NO_OFFSET, 0, e, "%s: %s", dir, strerror(e));
  }
  struct dirent *de;
  int empty = 1;
  while ((de = readdir(dh)) != NULL)
    if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) empty = 0;
  closedir(dh);
  if (!empty)
    return gw_fail(err, GW_EINVAL, "%s: not empty (an archive is made in a new or empty folder)",
                   dir);
  gw_manifest m;
  memset(&m, 0, sizeof m);
  m.generation = 1;
  m.next_segment = 1;
  m.params = *params;
  char *lock = gw_archive_join(dir, GW_LOCK_NAME);
  if (!lock) return gw_fail(err, GW_ENOMEM, "%s: out of memory", dir);
  int fd = open(lock, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  int e = errno;
  free(lock);
  if (fd < 0) return gw_fail_at(err, GW_EIO, GW_NO_OFFSET, 0, e, "%s: %s", dir, strerror(e));
  close(fd);
  return gw_manifest_write(&m, dir, err);
}

/* ---- opening ---- */

static void close_segments(gw_manifest *m) {
  for (size_t i = 0; i < m->seg_count; i++) gw_seg_close(&m->segs[i]);
}

int gw_archive_open_segments(gw_archive *a, gw_error *err) {
  for (size_t i = 0; i < a->m.seg_count; i++) {
    gw_seg *s = &a->m.segs[i];
    if (s->map) continue;
    char *path = gw_archive_join(a->dir, s->name);
    if (!path) return gw_fail(err, GW_ENOMEM, "%s: out of memory", a->dir);
    int rc = gw_seg_open(s, path, err);
    free(path);
    if (rc) return rc;
  }
  a->views_ready = 0;
  return gw_archive_refresh_views(a, err);
}

int gw_archive_refresh_views(gw_archive *a, gw_error *err) {
  free(a->views);
  a->views = calloc(a->m.seg_count + 1, sizeof *a->views);
  if (!a->views) return gw_fail(err, GW_ENOMEM, "%s: out of memory", a->dir);
  a->doc_total = 0;
  for (size_t i = 0; i < a->m.seg_count; i++) {
    gw_seg *s = &a->m.segs[i];
    s->first = a->doc_total;
    a->views[i] = (gw_archive_segment){s->name, s->doc_count, s->deleted_count, s->bytes,
                                       s->first};
    a->doc_total += s->doc_count;
  }
  a->views_ready = 1;
  return GW_OK;
}

/* Temporary files and segments no manifest names: what a writer killed
 * before its commit left.  The lock is held. */
static int clean_leftovers(gw_archive *a, gw_error *err) {
  DIR *dh = opendir(a->dir);
  if (!dh) {
    int e = errno;
    return gw_fail_at(err, GW_EIO, GW_NO_OFFSET, 0, e, "%s: %s", a->dir, strerror(e));
  }
  struct dirent *de;
  int removed = 0, rc = GW_OK;
  while ((de = readdir(dh)) != NULL) {
    const char *n = de->d_name;
    size_t len = strlen(n);
    int leftover = len > 4 && strcmp(n + len - 4, ".tmp") == 0;
    if (!leftover && strncmp(n, "seg-", 4) == 0) {
      leftover = 1;
      for (size_t i = 0; i < a->m.seg_count; i++)
        if (strcmp(a->m.segs[i].name, n) == 0) leftover = 0;
    }
    if (!leftover) continue;
    char *path = gw_archive_join(a->dir, n);
    if (!path) { rc = gw_fail(err, GW_ENOMEM, "%s: out of memory", a->dir); break; }
    if (unlink(path) && errno != ENOENT) {
      int e = errno;
      rc = gw_fail_at(err, GW_EIO, GW_NO_OFFSET, 0, e, "%s: %s", path, strerror(e));
      free(path);
      break;
    }
    free(path);
    removed = 1;
  }
  closedir(dh);
  if (!rc && removed) rc = gw_archive_fsync_dir(a->dir, err);
  return rc;
}

static int take_lock(gw_archive *a, gw_error *err) {
  /* Never a LOCK file left in a folder that is no archive. */
  char *manifest = gw_archive_join(a->dir, GW_MANIFEST_NAME);
  struct stat st;
  int missing = manifest && stat(manifest, &st) != 0;
  free(manifest);
  if (missing)
    return gw_fail_at(err, GW_ENOTFOUND, GW_NO_OFFSET, 0, ENOENT,
                      "%s: not an archive (no %s; make one with init)", a->dir, GW_MANIFEST_NAME);
  char *path = gw_archive_join(a->dir, GW_LOCK_NAME);
  if (!path) return gw_fail(err, GW_ENOMEM, "%s: out of memory", a->dir);
  a->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  int e = errno;
  if (a->lock_fd >= 0 && flock(a->lock_fd, LOCK_EX | LOCK_NB)) {
    e = errno;
    close(a->lock_fd);
    a->lock_fd = -1;
    int rc = gw_fail_at(err, GW_EIO, GW_NO_OFFSET, 0, e,
                        "%s: another writer is changing the archive (%s is locked); try "
                        "again when it is done", a->dir, path);
    free(path);
    return rc;
  }
  free(path);
  if (a->lock_fd < 0)
    return gw_fail_at(err, GW_EIO, GW_NO_OFFSET, 0, e, "%s: %s", a->dir, strerror(e));
  return GW_OK;
}

int gw_archive_open(gw_archive **out, const char *dir, int mode,
                    const gw_archive_params *expected, gw_error *err) {
  *out = NULL;
  if (!dir) return gw_fail(err, GW_EINVAL, "gw_archive_open: invalid argument");
  gw_archive *a = calloc(1, sizeof *a);
  if (a) a->dir = strdup(dir);
  if (!a || !a->dir) {
    free(a);
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", dir);
  }
  a->lock_fd = -1;
  a->writable = mode == GW_ARCHIVE_WRITE;
  int rc = a->writable ? take_lock(a, err) : GW_OK;
  /* A reader may read a manifest whose segments a merge removes before it
   * maps them: it then reads the newer generation. */
  for (int attempt = 0; !rc; attempt++) {
    rc = gw_manifest_read(&a->m, dir, err);
    if (rc) break;
    rc = gw_archive_open_segments(a, err);
    if (rc != GW_ENOTFOUND || a->writable || attempt >= 100) break;
    uint64_t generation = a->m.generation;
    close_segments(&a->m);
    gw_manifest_clear(&a->m);
    gw_manifest probe;
    if (gw_manifest_read(&probe, dir, NULL) == GW_OK) {
      int changed = probe.generation != generation;
      gw_manifest_clear(&probe);
      if (!changed) {
        rc = gw_fail(err, GW_EDAMAGED, "%s: damaged: a segment the manifest names is missing",
                     dir);
        break;
      }
    }
    rc = GW_OK;
  }
  if (!rc && expected) rc = compare_params(dir, &a->m.params, expected, err);
  if (!rc && a->writable) rc = clean_leftovers(a, err);
  if (rc) {
    gw_archive_free(a);
    return rc;
  }
  *out = a;
  return GW_OK;
}

void gw_archive_free(gw_archive *a) {
  if (!a) return;
  close_segments(&a->m);
  gw_manifest_clear(&a->m);
  if (a->lock_fd >= 0) close(a->lock_fd); /* releases the lock */
  free(a->views);
  free(a->dir);
  free(a);
}

const gw_archive_params *gw_archive_params_in_use(const gw_archive *a) { return &a->m.params; }
uint64_t gw_archive_generation(const gw_archive *a) { return a->m.generation; }
size_t gw_archive_segment_count(const gw_archive *a) { return a->m.seg_count; }
const gw_archive_segment *gw_archive_segment_at(const gw_archive *a, size_t i) {
  return i < a->m.seg_count ? &a->views[i] : NULL;
}
size_t gw_archive_document_count(const gw_archive *a) { return a->doc_total; }

/* The segment of archive document i and its local number. */
const gw_seg *gw_archive_locate(const gw_archive *a, size_t i, uint32_t *local,
                                size_t *segment) {
  size_t lo = 0, hi = a->m.seg_count;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (a->m.segs[mid].first <= i) lo = mid;
    else hi = mid;
  }
  const gw_seg *s = &a->m.segs[lo];
  *local = (uint32_t)(i - s->first);
  if (segment) *segment = lo;
  return s;
}

int gw_archive_document_at(gw_archive_document *out, const gw_archive *a, size_t i) {
  memset(out, 0, sizeof *out);
  if (i >= a->doc_total) return GW_EINVAL;
  uint32_t local;
  size_t segment;
  const gw_seg *s = gw_archive_locate(a, i, &local, &segment);
  gw_seg_doc d;
  gw_seg_doc_read(s->sec[SEC_DOCS] + (size_t)local * GW_SEG_DOC_BYTES, &d);
  const char *str = (const char *)s->sec[SEC_STRINGS];
  out->entry.path = str + d.path_off;
  out->entry.unit = str + d.unit_off;
  out->entry.year = d.year;
  out->entry.title = str + d.title_off;
  out->entry.extras = str + d.extras_off;
  out->text_year = d.text_year;
  out->segment = segment;
  out->deleted = s->deleted[local];
  out->characters = d.characters;
  out->bytes = d.text_len;
  out->paragraphs = d.para_count;
  return GW_OK;
}

size_t gw_archive_find(const gw_archive *a, const char *path) {
  for (size_t i = 0; path && i < a->doc_total; i++) {
    gw_archive_document d;
    gw_archive_document_at(&d, a, i);
    if (!d.deleted && strcmp(d.entry.path, path) == 0) return i;
  }
  return GW_NO_OFFSET;
}

int gw_archive_text_read(const gw_archive *a, size_t i, unsigned char **text, size_t *len,
                         int *encoding, int *replace_invalid, const char **path,
                         gw_error *err) {
  *text = NULL;
  *len = 0;
  if (i >= a->doc_total) return gw_fail(err, GW_EINVAL, "%s: no document %zu", a->dir, i);
  uint32_t local;
  const gw_seg *s = gw_archive_locate(a, i, &local, NULL);
  gw_seg_doc rec, *d = &rec;
  gw_seg_doc_read(s->sec[SEC_DOCS] + (size_t)local * GW_SEG_DOC_BYTES, d);
  *encoding = d->encoding;
  *replace_invalid = (int)d->replace_invalid;
  *path = (const char *)s->sec[SEC_STRINGS] + d->path_off;
  /* Read rather than faulted in: a check reads thousands of texts spread
   * over every segment, and each fault maps (and leaves resident) the
   * pages around too. */
  unsigned char *copy = malloc((size_t)d->text_len + 1);
  if (!copy) return gw_fail(err, GW_ENOMEM, "%s: out of memory", *path);
  const unsigned char *at = s->sec[SEC_TEXT] + d->text_off;
  const unsigned char *got = gw_seg_read(s, at, (size_t)d->text_len, copy);
  if (got != copy && d->text_len) memcpy(copy, got, (size_t)d->text_len);
  if (gw_archive_sum(copy, d->text_len) != d->text_sum) {
    free(copy);
    return gw_fail(err, GW_EDAMAGED, "%s/%s: damaged: the text of %s does not match its "
                   "checksum", a->dir, s->name, *path);
  }
  *text = copy;
  *len = (size_t)d->text_len;
  return GW_OK;
}

int gw_archive_document_load(gw_document **out, const gw_archive *a, size_t i,
                             const gw_document_options *opts, gw_error *err) {
  *out = NULL;
  unsigned char *text;
  size_t len;
  int encoding, replace_invalid;
  const char *path;
  int rc = gw_archive_text_read(a, i, &text, &len, &encoding, &replace_invalid, &path, err);
  if (rc) return rc;
  gw_document_options o = GW_DOCUMENT_OPTIONS_INIT;
  if (opts) {
    o.noise = opts->noise;
    o.normalizer = opts->normalizer;
  }
  o.encoding = (gw_encoding)encoding;
  o.replace_invalid = replace_invalid;
  rc = gw_document_load_buffer(out, path, text, len, &o, err);
  free(text);
  return rc;
}

/* The prepared document at data (of record d) checked and opened. */
static int prepared_check(const gw_archive *a, const gw_seg *s, const gw_seg_doc *d,
                          const unsigned char *data, gw_dups_prepared *out, gw_error *err) {
  const char *path = (const char *)s->sec[SEC_STRINGS] + d->path_off;
  gw_dups_options o = GW_DUPS_OPTIONS_INIT;
  gw_archive_params_to_dups(&o, &a->m.params);
  gw_dups_prepared scratch;
  if (gw_archive_sum(data, d->prepared_len) != d->prepared_sum ||
      gw_dups_prepared_open(out ? out : &scratch, &o, data, d->prepared_len) ||
      (out ? out : &scratch)->para_count != d->para_count)
    return gw_fail(err, GW_EDAMAGED, "%s/%s: damaged: the prepared document of %s does not "
                   "match its checksum or its record", a->dir, s->name, path);
  return GW_OK;
}

int gw_archive_prepared_open(const gw_archive *a, const gw_seg *s, uint32_t local,
                             gw_dups_prepared *out, gw_error *err) {
  gw_seg_doc d;
  gw_seg_doc_read(s->sec[SEC_DOCS] + (size_t)local * GW_SEG_DOC_BYTES, &d);
  return prepared_check(a, s, &d, s->sec[SEC_PREPARED] + d.prepared_off, out, err);
}

int gw_archive_prepared_read(const gw_archive *a, const gw_seg *s, uint32_t local,
                             gw_archive_buffer *buf, gw_dups_prepared *out, gw_error *err) {
  gw_seg_doc d;
  gw_seg_doc_read(s->sec[SEC_DOCS] + (size_t)local * GW_SEG_DOC_BYTES, &d);
  const unsigned char *data = s->sec[SEC_PREPARED] + d.prepared_off;
  if (s->fd >= 0) {
    if (GW_GROW(buf->words, buf->cap, (size_t)d.prepared_len / 8 + 1) != GW_OK)
      return gw_fail(err, GW_ENOMEM, "%s: out of memory", a->dir);
    data = gw_seg_read(s, data, (size_t)d.prepared_len, buf->words);
  }
  return prepared_check(a, s, &d, data, out, err);
}

/* ---- committing ---- */

int gw_archive_need_writer(const gw_archive *a, gw_error *err) {
  if (!a->writable)
    return gw_fail(err, GW_EINVAL, "%s: the archive is open for reading only", a->dir);
  return GW_OK;
}

int gw_archive_remove(gw_archive *a, const size_t *indexes, size_t n, gw_error *err) {
  int rc = gw_archive_need_writer(a, err);
  if (rc) return rc;
  for (size_t k = 0; k < n; k++)
    if (indexes[k] >= a->doc_total)
      return gw_fail(err, GW_EINVAL, "%s: no document %zu", a->dir, indexes[k]);
  uint8_t *was = calloc(n + 1, 1);
  if (!was) return gw_fail(err, GW_ENOMEM, "%s: out of memory", a->dir);
  for (size_t k = 0; k < n; k++) {
    uint32_t local;
    gw_seg *s = (gw_seg *)gw_archive_locate(a, indexes[k], &local, NULL);
    was[k] = s->deleted[local];
    if (!s->deleted[local]) s->deleted_count++;
    s->deleted[local] = 1;
  }
  a->m.generation++;
  rc = gw_manifest_write(&a->m, a->dir, err);
  if (rc) { /* as it was */
    a->m.generation--;
    for (size_t k = n; k-- > 0;) {
      uint32_t local;
      gw_seg *s = (gw_seg *)gw_archive_locate(a, indexes[k], &local, NULL);
      if (!was[k] && s->deleted[local]) {
        s->deleted[local] = 0;
        s->deleted_count--;
      }
    }
  }
  free(was);
  if (!rc) rc = gw_archive_refresh_views(a, err);
  return rc;
}

/* Writes a segment file at path: its document count, size and gw-sum64. */
typedef int (*segment_writer)(void *arg, const char *path, uint32_t *doc_count,
                              uint64_t *bytes, uint64_t *sum, gw_error *err);

/* The next segment written by `write` and a generation committed with it
 * appended (replace_all: with it alone, the old segment files then
 * removed). */
static int commit_written(gw_archive *a, segment_writer write, void *arg, int replace_all,
                          gw_error *err) {
  char name[32];
  snprintf(name, sizeof name, "seg-%08llu.gws", (unsigned long long)a->m.next_segment);
  char tmpname[40];
  snprintf(tmpname, sizeof tmpname, "%s.tmp", name);
  char *tmp = gw_archive_join(a->dir, tmpname), *path = gw_archive_join(a->dir, name);
  gw_seg *segs = calloc(a->m.seg_count + 1, sizeof *segs);
  gw_seg fresh;
  memset(&fresh, 0, sizeof fresh);
  fresh.name = strdup(name);
  int rc = GW_OK;
  if (!tmp || !path || !segs || !fresh.name) {
    rc = gw_fail(err, GW_ENOMEM, "%s: out of memory", a->dir);
    goto done;
  }
  fresh.seq = a->m.next_segment;
  rc = write(arg, tmp, &fresh.doc_count, &fresh.bytes, &fresh.sum, err);
  if (rc) goto done;
  fresh.deleted = calloc((size_t)fresh.doc_count + 1, 1);
  if (!fresh.deleted) {
    unlink(tmp);
    rc = gw_fail(err, GW_ENOMEM, "%s: out of memory", a->dir);
    goto done;
  }
  if (rename(tmp, path)) {
    int e = errno;
    unlink(tmp);
    rc = gw_fail_at(err, GW_EIO, GW_NO_OFFSET, 0, e, "%s: %s", path, strerror(e));
    goto done;
  }
  rc = gw_archive_fsync_dir(a->dir, err);
  /* The new generation, committed by the manifest's rename. */
  gw_manifest next = a->m;
  size_t n = 0;
  if (!replace_all)
    for (size_t i = 0; i < a->m.seg_count; i++) segs[n++] = a->m.segs[i];
  if (fresh.doc_count) segs[n++] = fresh;
  next.segs = segs;
  next.seg_count = n;
  next.seg_cap = a->m.seg_count + 1;
  next.generation++;
  next.next_segment++;
  if (!rc) rc = gw_manifest_write(&next, a->dir, err);
  if (rc) {
    unlink(path);
    goto done;
  }
  /* Committed: the archive now shows the new generation. */
  if (replace_all) {
    for (size_t i = 0; i < a->m.seg_count; i++) {
      char *old = gw_archive_join(a->dir, a->m.segs[i].name);
      if (old) unlink(old); /* a failure leaves a leftover the next writer removes */
      free(old);
    }
    close_segments(&a->m);
    for (size_t i = 0; i < a->m.seg_count; i++) {
      free(a->m.segs[i].name);
      free(a->m.segs[i].deleted);
    }
  }
  free(a->m.segs);
  a->m = next;
  if (!fresh.doc_count) {
    unlink(path);
    free(fresh.name);
    free(fresh.deleted);
  }
  fresh.name = NULL;
  fresh.deleted = NULL;
  segs = NULL;
  rc = gw_archive_open_segments(a, err);
done:
  free(fresh.name);
  free(fresh.deleted);
  free(segs);
  free(tmp);
  free(path);
  return rc;
}

static int write_builder(void *arg, const char *path, uint32_t *doc_count, uint64_t *bytes,
                         uint64_t *sum, gw_error *err) {
  const gw_seg_builder *b = arg;
  *doc_count = b->doc_count;
  return gw_seg_write(b, path, bytes, sum, err);
}

int gw_archive_commit_segment(gw_archive *a, const gw_seg_builder *b, int replace_all,
                              gw_error *err) {
  return commit_written(a, write_builder, (void *)b, replace_all, err);
}

/* ---- merge: the live documents of several segments streamed into one ---- */

/* The segments' sorted entry sections are merged k ways as they are
 * written, and every section goes out through a small buffer: memory
 * stays a few MB whatever the archive's size, and the pages read are
 * released from the resident set as the merge passes them. */

#define DEAD UINT32_MAX
#define RELEASE_DOCS 256       /* documents copied between two releases */
#define RELEASE_ENTRIES 65536  /* entries read by one cursor between two */

/* What is merged: per segment, each document's number in the new segment
 * (DEAD when deleted), and the new segment's section sizes. */
typedef struct live_plan {
  const gw_manifest *from; /* a merge's is replaced by its commit */
  const char *dir;
  size_t seg_count;        /* of `from`, kept for freeing renum */
  uint32_t **renum;
  uint32_t doc_count;
  uint64_t len[GW_SEG_DATA_SECTIONS];
} live_plan;

static void live_plan_free(live_plan *lp) {
  for (size_t i = 0; lp->renum && i < lp->seg_count; i++) free(lp->renum[i]);
  free(lp->renum);
}

/* Live entries of a section (all of them unless the segment has
 * tombstones). */
static uint64_t live_entries(const gw_seg *s, int section) {
  size_t n = s->sec_len[section] / GW_SEG_ENTRY_BYTES;
  if (!s->deleted_count) return (uint64_t)n * GW_SEG_ENTRY_BYTES;
  uint64_t live = 0;
  const unsigned char *p = s->sec[section];
  for (size_t i = 0; i < n; i++, p += GW_SEG_ENTRY_BYTES) {
    uint32_t doc = gw_le32(p + 8);
    live += doc >= s->doc_count || !s->deleted[doc];
    if ((i + 1) % RELEASE_ENTRIES == 0) gw_seg_release(s, s->sec[section], p);
  }
  gw_seg_release(s, s->sec[section], p);
  return live * GW_SEG_ENTRY_BYTES;
}

static int plan_live(live_plan *lp) {
  const gw_manifest *m = lp->from;
  lp->renum = calloc(m->seg_count + 1, sizeof *lp->renum);
  if (!lp->renum) return GW_ENOMEM;
  lp->seg_count = m->seg_count;
  for (size_t i = 0; i < m->seg_count; i++) {
    const gw_seg *s = &m->segs[i];
    uint32_t *r = lp->renum[i] = malloc(((size_t)s->doc_count + 1) * sizeof *r);
    if (!r) return GW_ENOMEM;
    for (uint32_t k = 0; k < s->doc_count; k++) {
      if (s->deleted[k]) {
        r[k] = DEAD;
        continue;
      }
      r[k] = lp->doc_count++;
      gw_seg_doc d;
      gw_seg_doc_read(s->sec[SEC_DOCS] + (size_t)k * GW_SEG_DOC_BYTES, &d);
      lp->len[SEC_DOCS] += GW_SEG_DOC_BYTES;
      lp->len[SEC_STRINGS] += (uint64_t)d.path_len + d.unit_len + d.title_len + d.extras_len + 4;
      lp->len[SEC_TEXT] += d.text_len;
      lp->len[SEC_PARAS] += (uint64_t)d.para_count * GW_SEG_PARA_BYTES;
      lp->len[SEC_PREPARED] += d.prepared_len;
    }
    lp->len[SEC_BANDS] += live_entries(s, SEC_BANDS);
    lp->len[SEC_FPS] += live_entries(s, SEC_FPS);
  }
  return GW_OK;
}

/* Each live document of each segment, in order, with its text, strings,
 * paragraphs and prepared document. */
static void write_documents(gw_seg_out *o, const live_plan *lp) {
  uint64_t text = 0, strings = 0, paras = 0, prepared = 0;
  for (size_t i = 0; i < lp->from->seg_count; i++) {
    const gw_seg *s = &lp->from->segs[i];
    const unsigned char *str = s->sec[SEC_STRINGS];
    for (uint32_t k = 0; k < s->doc_count; k++) {
      if (lp->renum[i][k] == DEAD) continue;
      gw_seg_doc d, n;
      gw_seg_doc_read(s->sec[SEC_DOCS] + (size_t)k * GW_SEG_DOC_BYTES, &d);
      n = d;
      n.text_off = text;
      n.prepared_off = prepared;
      n.para_first = (uint32_t)(paras / GW_SEG_PARA_BYTES);
      gw_seg_out_put(o, SEC_TEXT, s->sec[SEC_TEXT] + d.text_off, d.text_len);
      gw_seg_out_put(o, SEC_PREPARED, s->sec[SEC_PREPARED] + d.prepared_off, d.prepared_len);
      uint32_t *offs[4] = {&n.path_off, &n.unit_off, &n.title_off, &n.extras_off};
      uint32_t from[4] = {d.path_off, d.unit_off, d.title_off, d.extras_off};
      uint32_t lens[4] = {d.path_len, d.unit_len, d.title_len, d.extras_len};
      for (int f = 0; f < 4; f++) {
        *offs[f] = (uint32_t)strings;
        gw_seg_out_put(o, SEC_STRINGS, str + from[f], lens[f] + 1);
        strings += lens[f] + 1;
      }
      size_t para_bytes = (size_t)d.para_count * GW_SEG_PARA_BYTES;
      gw_seg_out_put(o, SEC_PARAS, s->sec[SEC_PARAS] + (size_t)d.para_first * GW_SEG_PARA_BYTES,
                     para_bytes);
      unsigned char rec[GW_SEG_DOC_BYTES];
      gw_seg_doc_write(rec, &n);
      gw_seg_out_put(o, SEC_DOCS, rec, sizeof rec);
      text += d.text_len;
      prepared += d.prepared_len;
      paras += para_bytes;
      if ((k + 1) % RELEASE_DOCS == 0) {
        gw_seg_release(s, s->sec[SEC_TEXT], s->sec[SEC_TEXT] + d.text_off + d.text_len);
        gw_seg_release(s, s->sec[SEC_PREPARED],
                     s->sec[SEC_PREPARED] + d.prepared_off + d.prepared_len);
      }
    }
    for (int sec = SEC_DOCS; sec <= SEC_PREPARED; sec++)
      if (sec != SEC_BANDS && sec != SEC_FPS)
        gw_seg_release(s, s->sec[sec], s->sec[sec] + s->sec_len[sec]);
  }
}

/* One segment's entries, read in order, dead documents' skipped. */
typedef struct cursor {
  const gw_seg *s;
  const uint32_t *renum;
  const unsigned char *base, *p, *end, *released;
  size_t seg;
  uint64_t value;
} cursor;

/* Moves c to its next live entry; 0 at the end, -1 when the section is
 * damaged (an entry naming no document, or out of order). */
static int cursor_next(cursor *c, int first) {
  if (!first) c->p += GW_SEG_ENTRY_BYTES;
  for (; c->p < c->end; c->p += GW_SEG_ENTRY_BYTES) {
    if ((size_t)(c->p - c->released) >= (size_t)RELEASE_ENTRIES * GW_SEG_ENTRY_BYTES) {
      gw_seg_release(c->s, c->released, c->p);
      c->released = c->p;
    }
    uint64_t value = gw_le64(c->p);
    uint32_t doc = gw_le32(c->p + 8);
    if (doc >= c->s->doc_count || (!first && value < c->value)) return -1;
    c->value = value;
    first = 0;
    if (c->renum[doc] != DEAD) return 1;
  }
  gw_seg_release(c->s, c->released, c->end);
  return 0;
}

/* Cursor a before b: by value, then segment (a segment's documents all
 * come before the next's, and each segment's entries are in order). */
static int cursor_before(const cursor *a, const cursor *b) {
  return a->value < b->value || (a->value == b->value && a->seg < b->seg);
}

static void sift_down(cursor **heap, size_t n, size_t i) {
  for (;;) {
    size_t least = i, l = 2 * i + 1, r = l + 1;
    if (l < n && cursor_before(heap[l], heap[least])) least = l;
    if (r < n && cursor_before(heap[r], heap[least])) least = r;
    if (least == i) return;
    cursor *t = heap[i];
    heap[i] = heap[least];
    heap[least] = t;
    i = least;
  }
}

/* The live entries of every segment's `section`, merged in order. */
static int merge_entries(gw_seg_out *o, const live_plan *lp, int section, gw_error *err) {
  size_t k = lp->from->seg_count, n = 0;
  cursor *cs = calloc(k + 1, sizeof *cs);
  cursor **heap = calloc(k + 1, sizeof *heap);
  int rc = cs && heap ? GW_OK : gw_fail(err, GW_ENOMEM, "%s: out of memory", lp->dir);
  for (size_t i = 0; !rc && i < k; i++) {
    const gw_seg *s = &lp->from->segs[i];
    cs[i] = (cursor){s, lp->renum[i], s->sec[section], s->sec[section], s->sec[section] + s->sec_len[section],
                     s->sec[section], i, 0};
    int more = cursor_next(&cs[i], 1);
    if (more < 0) rc = gw_fail(err, GW_EDAMAGED, "%s/%s: damaged: entries out of order or "
                               "naming no document", lp->dir, s->name);
    else if (more) heap[n++] = &cs[i];
  }
  for (size_t i = n / 2; !rc && i-- > 0;) sift_down(heap, n, i);
  while (!rc && n) {
    cursor *c = heap[0];
    gw_seg_out_entry(o, section, c->value, c->renum[gw_le32(c->p + 8)], gw_le32(c->p + 12));
    int more = cursor_next(c, 0);
    if (more < 0)
      rc = gw_fail(err, GW_EDAMAGED, "%s/%s: damaged: entries out of order or naming no "
                   "document", lp->dir, c->s->name);
    if (!more) heap[0] = heap[--n];
    sift_down(heap, n, 0);
  }
  free(cs);
  free(heap);
  return rc;
}

static int write_live(void *arg, const char *path, uint32_t *doc_count, uint64_t *bytes,
                      uint64_t *sum, gw_error *err) {
  live_plan *lp = arg;
  *doc_count = lp->doc_count;
  gw_seg_out *o;
  int rc = gw_seg_out_open(&o, path, lp->doc_count, lp->len, err);
  if (rc) return rc;
  write_documents(o, lp);
  rc = merge_entries(o, lp, SEC_BANDS, err);
  if (!rc) rc = merge_entries(o, lp, SEC_FPS, err);
  if (rc) {
    gw_seg_out_abort(o);
    return rc;
  }
  return gw_seg_out_finish(o, bytes, sum, err);
}

/* Every live document of the segments of `from` as one new segment of a,
 * in order (replace_all: a's segments replaced by it). */
static int commit_live(gw_archive *a, const gw_manifest *from, const char *from_dir,
                       int replace_all, gw_error *err) {
  live_plan lp = {from, from_dir, 0, NULL, 0, {0}};
  int rc = plan_live(&lp) ? gw_fail(err, GW_ENOMEM, "%s: out of memory", a->dir) : GW_OK;
  if (!rc && (lp.doc_count || replace_all)) rc = commit_written(a, write_live, &lp, replace_all, err);
  live_plan_free(&lp);
  return rc;
}

int gw_archive_merge(gw_archive *a, gw_error *err) {
  int rc = gw_archive_need_writer(a, err);
  if (rc) return rc;
  size_t deleted = 0;
  for (size_t i = 0; i < a->m.seg_count; i++) deleted += a->m.segs[i].deleted_count;
  if (a->m.seg_count <= 1 && !deleted) return GW_OK;
  return commit_live(a, &a->m, a->dir, 1, err);
}

int gw_archive_import(gw_archive *a, const char *from_dir, gw_error *err) {
  int rc = gw_archive_need_writer(a, err);
  if (rc) return rc;
  gw_archive *from;
  rc = gw_archive_open(&from, from_dir, GW_ARCHIVE_READ, &a->m.params, err);
  if (rc) return rc;
  rc = gw_archive_verify(from, err);
  /* Paths stay unique among the live documents. */
  for (size_t i = 0; !rc && i < from->doc_total; i++) {
    gw_archive_document d;
    gw_archive_document_at(&d, from, i);
    if (!d.deleted && gw_archive_find(a, d.entry.path) != GW_NO_OFFSET)
      rc = gw_fail(err, GW_EINVAL, "%s: %s is already in %s", from_dir, d.entry.path, a->dir);
  }
  if (!rc) rc = commit_live(a, &from->m, from_dir, 0, err);
  gw_archive_free(from);
  return rc;
}

int gw_archive_verify(const gw_archive *a, gw_error *err) {
  for (size_t i = 0; i < a->m.seg_count; i++) {
    const gw_seg *s = &a->m.segs[i];
    char *path = gw_archive_join(a->dir, s->name);
    if (!path) return gw_fail(err, GW_ENOMEM, "%s: out of memory", a->dir);
    int rc = gw_seg_verify(s, path, err);
    for (uint32_t d = 0; !rc && d < s->doc_count; d++) {
      gw_seg_doc rec;
      gw_seg_doc_read(s->sec[SEC_DOCS] + (size_t)d * GW_SEG_DOC_BYTES, &rec);
      const char *name = (const char *)s->sec[SEC_STRINGS] + rec.path_off;
      if (gw_archive_sum(s->sec[SEC_TEXT] + rec.text_off, rec.text_len) != rec.text_sum)
        rc = gw_fail(err, GW_EDAMAGED, "%s: damaged: the text of %s does not match its checksum",
                     path, name);
      else
        rc = gw_archive_prepared_open(a, s, d, NULL, err);
    }
    free(path);
    if (rc) return rc;
  }
  return GW_OK;
}

int gw_archive_params_match(const gw_archive *a, const gw_archive_params *expected,
                            gw_error *err) {
  return compare_params(a->dir, &a->m.params, expected, err);
}
