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

void gw_archive_params_to_dups(const gw_archive_params *p, gw_dups_options *o) {
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

int gw_archive_document_at(const gw_archive *a, size_t i, gw_archive_document *out) {
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
    gw_archive_document_at(a, i, &d);
    if (!d.deleted && strcmp(d.entry.path, path) == 0) return i;
  }
  return GW_NO_OFFSET;
}

int gw_archive_document_load(gw_document **out, const gw_archive *a, size_t i,
                             const gw_document_options *opts, gw_error *err) {
  *out = NULL;
  if (i >= a->doc_total) return gw_fail(err, GW_EINVAL, "%s: no document %zu", a->dir, i);
  uint32_t local;
  const gw_seg *s = gw_archive_locate(a, i, &local, NULL);
  gw_seg_doc d;
  gw_seg_doc_read(s->sec[SEC_DOCS] + (size_t)local * GW_SEG_DOC_BYTES, &d);
  const unsigned char *text = s->sec[SEC_TEXT] + d.text_off;
  const char *path = (const char *)s->sec[SEC_STRINGS] + d.path_off;
  if (gw_archive_sum(text, d.text_len) != d.text_sum)
    return gw_fail(err, GW_EDAMAGED, "%s/%s: damaged: the text of %s does not match its "
                   "checksum", a->dir, s->name, path);
  gw_document_options o = GW_DOCUMENT_OPTIONS_INIT;
  if (opts) {
    o.noise = opts->noise;
    o.normalizer = opts->normalizer;
  }
  o.encoding = (gw_encoding)d.encoding;
  o.replace_invalid = (int)d.replace_invalid;
  return gw_document_load_buffer(out, path, text, d.text_len, &o, err);
}

int gw_archive_prepared_open(const gw_archive *a, const gw_seg *s, uint32_t local,
                             gw_dups_prepared *out, gw_error *err) {
  gw_seg_doc d;
  gw_seg_doc_read(s->sec[SEC_DOCS] + (size_t)local * GW_SEG_DOC_BYTES, &d);
  const unsigned char *data = s->sec[SEC_PREPARED] + d.prepared_off;
  const char *path = (const char *)s->sec[SEC_STRINGS] + d.path_off;
  gw_dups_options o = GW_DUPS_OPTIONS_INIT;
  gw_archive_params_to_dups(&a->m.params, &o);
  gw_dups_prepared scratch;
  if (gw_archive_sum(data, d.prepared_len) != d.prepared_sum ||
      gw_dups_prepared_open(out ? out : &scratch, &o, data, d.prepared_len) ||
      (out ? out : &scratch)->para_count != d.para_count)
    return gw_fail(err, GW_EDAMAGED, "%s/%s: damaged: the prepared document of %s does not "
                   "match its checksum or its record", a->dir, s->name, path);
  return GW_OK;
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

int gw_archive_commit_segment(gw_archive *a, const gw_seg_builder *b, int replace_all,
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
  fresh.deleted = calloc(b->doc_count + 1, 1);
  int rc = GW_OK;
  if (!tmp || !path || !segs || !fresh.name || !fresh.deleted) {
    rc = gw_fail(err, GW_ENOMEM, "%s: out of memory", a->dir);
    goto done;
  }
  fresh.seq = a->m.next_segment;
  fresh.doc_count = b->doc_count;
  rc = gw_seg_write(b, tmp, &fresh.bytes, &fresh.sum, err);
  if (rc) goto done;
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

/* ---- merge ---- */

static int copy_document(gw_seg_builder *b, const gw_seg *s, uint32_t local) {
  gw_seg_doc d;
  gw_seg_doc_read(s->sec[SEC_DOCS] + (size_t)local * GW_SEG_DOC_BYTES, &d);
  const unsigned char *str = s->sec[SEC_STRINGS];
  gw_seg_doc n = d;
  n.text_off = b->len[SEC_TEXT];
  n.para_first = (uint32_t)(b->len[SEC_PARAS] / GW_SEG_PARA_BYTES);
  n.prepared_off = b->len[SEC_PREPARED];
  int rc = gw_seg_append(b, SEC_TEXT, s->sec[SEC_TEXT] + d.text_off, d.text_len);
  if (!rc)
    rc = gw_seg_append(b, SEC_PREPARED, s->sec[SEC_PREPARED] + d.prepared_off, d.prepared_len);
  uint32_t *offs[4] = {&n.path_off, &n.unit_off, &n.title_off, &n.extras_off};
  uint32_t from[4] = {d.path_off, d.unit_off, d.title_off, d.extras_off};
  uint32_t lens[4] = {d.path_len, d.unit_len, d.title_len, d.extras_len};
  for (int k = 0; !rc && k < 4; k++) {
    *offs[k] = (uint32_t)b->len[SEC_STRINGS];
    rc = gw_seg_append(b, SEC_STRINGS, str + from[k], lens[k] + 1);
  }
  if (!rc)
    rc = gw_seg_append(b, SEC_PARAS, s->sec[SEC_PARAS] + (size_t)d.para_first * GW_SEG_PARA_BYTES,
                       (size_t)d.para_count * GW_SEG_PARA_BYTES);
  unsigned char rec[GW_SEG_DOC_BYTES];
  gw_seg_doc_write(rec, &n);
  if (!rc) rc = gw_seg_append(b, SEC_DOCS, rec, sizeof rec);
  b->doc_count++;
  return rc;
}

/* The entries of a segment's section whose document is live, renumbered. */
static int copy_entries(gw_seg_builder *b, int section, const gw_seg *s, const uint32_t *renum) {
  const unsigned char *p = s->sec[section];
  size_t n = s->sec_len[section] / GW_SEG_ENTRY_BYTES;
  for (size_t i = 0; i < n; i++, p += GW_SEG_ENTRY_BYTES) {
    uint32_t doc = gw_le32(p + 8);
    if (doc >= s->doc_count || s->deleted[doc]) continue;
    unsigned char e[GW_SEG_ENTRY_BYTES];
    memcpy(e, p, sizeof e);
    gw_put32(e + 8, renum[doc]);
    if (gw_seg_append(b, section, e, sizeof e)) return GW_ENOMEM;
  }
  return GW_OK;
}

/* Every live document of the segments of `from` into b, in order. */
static int gather_live(gw_seg_builder *b, const gw_manifest *from) {
  uint32_t *renum = NULL;
  int rc = GW_OK;
  for (size_t i = 0; !rc && i < from->seg_count; i++) {
    const gw_seg *s = &from->segs[i];
    uint32_t *r = realloc(renum, ((size_t)s->doc_count + 1) * sizeof *r);
    if (!r) { rc = GW_ENOMEM; break; }
    renum = r;
    for (uint32_t d = 0; !rc && d < s->doc_count; d++) {
      if (s->deleted[d]) continue;
      renum[d] = b->doc_count;
      rc = copy_document(b, s, d);
    }
    if (!rc) rc = copy_entries(b, SEC_BANDS, s, renum);
    if (!rc) rc = copy_entries(b, SEC_FPS, s, renum);
  }
  free(renum);
  if (!rc) rc = gw_seg_sort_entries(b);
  return rc;
}

int gw_archive_merge(gw_archive *a, gw_error *err) {
  int rc = gw_archive_need_writer(a, err);
  if (rc) return rc;
  size_t deleted = 0;
  for (size_t i = 0; i < a->m.seg_count; i++) deleted += a->m.segs[i].deleted_count;
  if (a->m.seg_count <= 1 && !deleted) return GW_OK;
  gw_seg_builder b;
  memset(&b, 0, sizeof b);
  rc = gather_live(&b, &a->m);
  if (rc) {
    gw_seg_builder_free(&b);
    return gw_fail(err, rc, "%s: out of memory", a->dir);
  }
  rc = gw_archive_commit_segment(a, &b, 1, err);
  gw_seg_builder_free(&b);
  return rc;
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
    gw_archive_document_at(from, i, &d);
    if (!d.deleted && gw_archive_find(a, d.entry.path) != GW_NO_OFFSET)
      rc = gw_fail(err, GW_EINVAL, "%s: %s is already in %s", from_dir, d.entry.path, a->dir);
  }
  gw_seg_builder b;
  memset(&b, 0, sizeof b);
  if (!rc && gather_live(&b, &from->m)) rc = gw_fail(err, GW_ENOMEM, "%s: out of memory", a->dir);
  if (!rc && b.doc_count) rc = gw_archive_commit_segment(a, &b, 0, err);
  gw_seg_builder_free(&b);
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
