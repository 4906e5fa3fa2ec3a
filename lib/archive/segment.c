/*
 * segment.c — one segment file: written once from memory (under a temporary
 * name, fsynced, by the caller renamed into place), then only mapped
 * read-only and checked.  Layout in FORMAT.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive_private.h"

/* gw-sum64 in steps: the length first, then the 8-byte words in order. */
static uint64_t sum_start(uint64_t len) {
  return 0x9e3779b97f4a7c15ull ^ (len * 0xff51afd7ed558ccdull);
}

static uint64_t sum_words(uint64_t h, const unsigned char *p, size_t len) {
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    h ^= gw_le64(p + i);
    h = (h << 27 | h >> 37) * 0x100000001b3ull + 0x632be59bd9b4e019ull;
  }
  if (i < len) {
    unsigned char tail[8] = {0};
    memcpy(tail, p + i, len - i);
    h ^= gw_le64(tail);
    h = (h << 27 | h >> 37) * 0x100000001b3ull + 0x632be59bd9b4e019ull;
  }
  return h;
}

static uint64_t sum_end(uint64_t h) {
  h ^= h >> 31;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 29;
  return h;
}

uint64_t gw_archive_sum(const void *data, size_t len) {
  return sum_end(sum_words(sum_start(len), data, len));
}

void gw_seg_doc_read(const unsigned char *p, gw_seg_doc *d) {
  d->text_off = gw_le64(p);
  d->text_len = gw_le64(p + 8);
  d->text_sum = gw_le64(p + 16);
  d->path_off = gw_le32(p + 24);
  d->path_len = gw_le32(p + 28);
  d->unit_off = gw_le32(p + 32);
  d->unit_len = gw_le32(p + 36);
  d->title_off = gw_le32(p + 40);
  d->title_len = gw_le32(p + 44);
  d->extras_off = gw_le32(p + 48);
  d->extras_len = gw_le32(p + 52);
  d->year = (int32_t)gw_le32(p + 56);
  d->text_year = (int32_t)gw_le32(p + 60);
  d->para_first = gw_le32(p + 64);
  d->para_count = gw_le32(p + 68);
  d->characters = gw_le32(p + 72);
  d->encoding = (int32_t)gw_le32(p + 76);
  d->replace_invalid = gw_le32(p + 80);
  d->prepared_off = gw_le64(p + 88);
  d->prepared_len = gw_le64(p + 96);
  d->prepared_sum = gw_le64(p + 104);
}

void gw_seg_doc_write(unsigned char *p, const gw_seg_doc *d) {
  memset(p, 0, GW_SEG_DOC_BYTES);
  gw_put64(p, d->text_off);
  gw_put64(p + 8, d->text_len);
  gw_put64(p + 16, d->text_sum);
  gw_put32(p + 24, d->path_off);
  gw_put32(p + 28, d->path_len);
  gw_put32(p + 32, d->unit_off);
  gw_put32(p + 36, d->unit_len);
  gw_put32(p + 40, d->title_off);
  gw_put32(p + 44, d->title_len);
  gw_put32(p + 48, d->extras_off);
  gw_put32(p + 52, d->extras_len);
  gw_put32(p + 56, (uint32_t)d->year);
  gw_put32(p + 60, (uint32_t)d->text_year);
  gw_put32(p + 64, d->para_first);
  gw_put32(p + 68, d->para_count);
  gw_put32(p + 72, d->characters);
  gw_put32(p + 76, (uint32_t)d->encoding);
  gw_put32(p + 80, d->replace_invalid);
  gw_put64(p + 88, d->prepared_off);
  gw_put64(p + 96, d->prepared_len);
  gw_put64(p + 104, d->prepared_sum);
}

/* ---- writing ---- */

int gw_seg_append(gw_seg_builder *b, int section, const void *data, size_t len) {
  size_t need = b->len[section] + len;
  if (GW_GROW(b->sec[section], b->cap[section], need) != GW_OK) return GW_ENOMEM;
  if (len) memcpy(b->sec[section] + b->len[section], data, len);
  b->len[section] = need;
  return GW_OK;
}

void gw_seg_builder_free(gw_seg_builder *b) {
  for (int i = 0; i < GW_SEG_DATA_SECTIONS; i++) free(b->sec[i]);
  memset(b, 0, sizeof *b);
}

typedef struct entry {
  uint64_t value;
  uint32_t doc, other;
} entry;

static int cmp_entry(const void *x, const void *y) {
  const entry *a = x, *b = y;
  if (a->value != b->value) return a->value < b->value ? -1 : 1;
  if (a->doc != b->doc) return a->doc < b->doc ? -1 : 1;
  return (a->other > b->other) - (a->other < b->other);
}

int gw_seg_sort_entries(gw_seg_builder *b) {
  for (int s = SEC_BANDS; s <= SEC_FPS; s++) {
    size_t n = b->len[s] / GW_SEG_ENTRY_BYTES;
    entry *e = malloc((n + 1) * sizeof *e);
    if (!e) return GW_ENOMEM;
    for (size_t i = 0; i < n; i++) {
      const unsigned char *p = b->sec[s] + i * GW_SEG_ENTRY_BYTES;
      e[i] = (entry){gw_le64(p), gw_le32(p + 8), gw_le32(p + 12)};
    }
    qsort(e, n, sizeof *e, cmp_entry);
    /* Equal entries (a k-gram selected twice at one place cannot be; a
     * paragraph's bands can repeat a key) are kept once. */
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
      if (m && cmp_entry(&e[m - 1], &e[i]) == 0) continue;
      unsigned char *p = b->sec[s] + m * GW_SEG_ENTRY_BYTES;
      gw_put64(p, e[i].value);
      gw_put32(p + 8, e[i].doc);
      gw_put32(p + 12, e[i].other);
      m++;
    }
    b->len[s] = m * GW_SEG_ENTRY_BYTES;
    free(e);
  }
  return GW_OK;
}

/* The writer of a segment file. */
#define OUT_BUFFER (256u * 1024u) /* a multiple of 8: each flush sums whole words */

struct gw_seg_out {
  int fd;
  char *path;
  uint32_t doc_count;
  uint64_t off[GW_SEG_SECTIONS], len[GW_SEG_SECTIONS];
  uint64_t written[GW_SEG_SECTIONS]; /* flushed to the file */
  uint64_t sum[GW_SEG_SECTIONS];     /* gw-sum64 of what was flushed, open */
  unsigned char *buf[GW_SEG_SECTIONS];
  size_t used[GW_SEG_SECTIONS];
  uint64_t total;
  int error;   /* the first write's errno, or ENOMEM */
  int overrun; /* a section got more than its declared size */
};

static uint64_t aligned(uint64_t n) {
  return (n + GW_SEG_ALIGN - 1) & ~(uint64_t)(GW_SEG_ALIGN - 1);
}

/* All of buf to fd at off; EINTR retried.  0 or an errno. */
static int pwrite_all(int fd, const unsigned char *buf, size_t len, uint64_t off) {
  while (len) {
    ssize_t w = pwrite(fd, buf, len, (off_t)off);
    if (w < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (w == 0) return EIO;
    buf += w;
    len -= (size_t)w;
    off += (uint64_t)w;
  }
  return 0;
}

static void out_flush(gw_seg_out *o, int s) {
  if (!o->used[s] || o->error) return;
  o->sum[s] = sum_words(o->sum[s], o->buf[s], o->used[s]);
  o->error = pwrite_all(o->fd, o->buf[s], o->used[s], o->off[s] + o->written[s]);
  o->written[s] += o->used[s];
  o->used[s] = 0;
}

static void out_bytes(gw_seg_out *o, int s, const void *data, size_t len) {
  const unsigned char *p = data;
  if (o->written[s] + o->used[s] + len > o->len[s]) {
    o->overrun = 1;
    return;
  }
  if (!o->buf[s] && len && !(o->buf[s] = malloc(OUT_BUFFER))) o->error = ENOMEM;
  while (len && !o->error) {
    size_t n = OUT_BUFFER - o->used[s];
    if (n > len) n = len;
    memcpy(o->buf[s] + o->used[s], p, n);
    o->used[s] += n;
    p += n;
    len -= n;
    if (o->used[s] == OUT_BUFFER) out_flush(o, s);
  }
}

int gw_seg_out_open(gw_seg_out **out, const char *path, uint32_t doc_count,
                    const uint64_t len[GW_SEG_DATA_SECTIONS], gw_error *err) {
  *out = NULL;
  gw_seg_out *o = calloc(1, sizeof *o);
  if (o) o->path = strdup(path);
  if (!o || !o->path) {
    free(o);
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", path);
  }
  o->doc_count = doc_count;
  for (int s = 0; s < GW_SEG_DATA_SECTIONS; s++) o->len[s] = len[s];
  for (int s = SEC_BANDS; s <= SEC_FPS; s++) {
    uint64_t entries = len[s] / GW_SEG_ENTRY_BYTES;
    o->len[gw_seg_fences_of(s)] = 8 * gw_seg_blocks(entries);
    o->len[gw_seg_tags_of(s)] = GW_SEG_TAG_BYTES * entries;
  }
  uint64_t off = aligned(GW_SEG_HEADER_BYTES);
  for (int s = 0; s < GW_SEG_SECTIONS; s++) {
    o->off[s] = off;
    o->sum[s] = sum_start(o->len[s]);
    off += aligned(o->len[s]);
  }
  o->total = off;
  o->fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (o->fd < 0) {
    int e = errno;
    free(o->path);
    free(o);
    return gw_fail_at(err, GW_EIO, GW_NO_OFFSET, 0, e, "%s: %s", path, strerror(e));
  }
  *out = o;
  return GW_OK;
}

void gw_seg_out_put(gw_seg_out *o, int section, const void *data, size_t len) {
  out_bytes(o, section, data, len);
}

void gw_seg_out_entry(gw_seg_out *o, int section, uint64_t value, uint32_t doc,
                      uint32_t other) {
  uint64_t index = (o->written[section] + o->used[section]) / GW_SEG_ENTRY_BYTES;
  unsigned char e[GW_SEG_ENTRY_BYTES];
  gw_put64(e, value);
  gw_put32(e + 8, doc);
  gw_put32(e + 12, other);
  out_bytes(o, section, e, sizeof e);
  if (index % GW_SEG_BLOCK == 0) {
    unsigned char fence[8];
    gw_put64(fence, value);
    out_bytes(o, gw_seg_fences_of(section), fence, sizeof fence);
  }
  unsigned char tag[GW_SEG_TAG_BYTES] = {(unsigned char)gw_seg_tag(value),
                                         (unsigned char)(gw_seg_tag(value) >> 8)};
  out_bytes(o, gw_seg_tags_of(section), tag, sizeof tag);
}

void gw_seg_out_abort(gw_seg_out *o) {
  if (!o) return;
  if (o->fd >= 0) close(o->fd);
  unlink(o->path);
  for (int s = 0; s < GW_SEG_SECTIONS; s++) free(o->buf[s]);
  free(o->path);
  free(o);
}

/* gw-sum64 of the whole file as written (its header is known only at the
 * end, and the sum starts with it): read back in order. */
static int file_sum(gw_seg_out *o, uint64_t *sum) {
  unsigned char *buf = o->buf[0] ? o->buf[0] : malloc(OUT_BUFFER);
  if (!buf) return ENOMEM;
  o->buf[0] = buf;
  uint64_t h = sum_start(o->total), at = 0;
  while (at < o->total) {
    size_t want = o->total - at < OUT_BUFFER ? (size_t)(o->total - at) : OUT_BUFFER;
    ssize_t r = pread(o->fd, buf, want, (off_t)at);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return errno;
    if ((size_t)r != want) return EIO;
    h = sum_words(h, buf, want);
    at += want;
  }
  *sum = sum_end(h);
  return 0;
}

int gw_seg_out_finish(gw_seg_out *o, uint64_t *bytes, uint64_t *sum, gw_error *err) {
  for (int s = 0; s < GW_SEG_SECTIONS; s++) {
    out_flush(o, s);
    if (o->written[s] != o->len[s]) o->overrun = 1;
  }
  if (o->overrun && !o->error) {
    int rc = gw_fail(err, GW_EINVAL, "%s: a section did not get its declared size", o->path);
    gw_seg_out_abort(o);
    return rc;
  }
  unsigned char header[GW_SEG_HEADER_BYTES];
  memset(header, 0, sizeof header);
  memcpy(header, GW_SEG_MAGIC, 8);
  gw_put32(header + 8, GW_SEG_VERSION);
  gw_put32(header + 12, GW_SEG_SECTIONS);
  gw_put64(header + 16, o->doc_count);
  for (int s = 0; s < GW_SEG_SECTIONS; s++) {
    unsigned char *t = header + 32 + s * 24;
    gw_put64(t, o->off[s]);
    gw_put64(t + 8, o->len[s]);
    gw_put64(t + 16, sum_end(o->sum[s]));
  }
  gw_put64(header + GW_SEG_HEADER_BYTES - 8, gw_archive_sum(header, GW_SEG_HEADER_BYTES - 8));
  int e = o->error;
  /* The zero padding after the last section is the file's length. */
  if (!e) e = pwrite_all(o->fd, header, sizeof header, 0);
  if (!e && ftruncate(o->fd, (off_t)o->total)) e = errno;
  if (!e) e = file_sum(o, sum);
  if (!e && fsync(o->fd)) e = errno;
  if (close(o->fd) && !e) e = errno;
  o->fd = -1;
  if (e) {
    int rc = gw_fail_at(err, e == ENOMEM ? GW_ENOMEM : GW_EIO, GW_NO_OFFSET, 0, e, "%s: %s",
                        o->path, strerror(e));
    gw_seg_out_abort(o);
    return rc;
  }
  *bytes = o->total;
  for (int s = 0; s < GW_SEG_SECTIONS; s++) free(o->buf[s]);
  free(o->path);
  free(o);
  return GW_OK;
}

int gw_seg_write(const gw_seg_builder *b, const char *path, uint64_t *bytes, uint64_t *sum,
                 gw_error *err) {
  uint64_t len[GW_SEG_DATA_SECTIONS];
  for (int s = 0; s < GW_SEG_DATA_SECTIONS; s++) len[s] = b->len[s];
  gw_seg_out *o;
  int rc = gw_seg_out_open(&o, path, b->doc_count, len, err);
  if (rc) return rc;
  for (int s = 0; s < GW_SEG_DATA_SECTIONS; s++) {
    if (s != SEC_BANDS && s != SEC_FPS) {
      gw_seg_out_put(o, s, b->sec[s], b->len[s]);
      continue;
    }
    for (size_t i = 0; i < b->len[s]; i += GW_SEG_ENTRY_BYTES) {
      const unsigned char *e = b->sec[s] + i;
      gw_seg_out_entry(o, s, gw_le64(e), gw_le32(e + 8), gw_le32(e + 12));
    }
  }
  return gw_seg_out_finish(o, bytes, sum, err);
}

/* ---- reading ---- */

void gw_seg_release(const gw_seg *s, const unsigned char *from, const unsigned char *to) {
  uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
  uintptr_t a = ((uintptr_t)from + page - 1) & ~(page - 1), b = (uintptr_t)to & ~(page - 1);
  uintptr_t lo = (uintptr_t)s->map, hi = lo + s->map_len;
  if (a < lo) a = lo;
  if (b > hi) b = hi;
  if (a < b) madvise((void *)a, (size_t)(b - a), MADV_DONTNEED);
}

const unsigned char *gw_seg_read(const gw_seg *s, const unsigned char *at, size_t len,
                                 void *into) {
  if (s->fd < 0 || !len) return at;
  ssize_t got = pread(s->fd, into, len, (off_t)(at - s->map));
  return got == (ssize_t)len ? into : at;
}

void gw_seg_close(gw_seg *s) {
  if (s->map) {
    munmap((void *)s->map, s->map_len);
    if (s->fd >= 0) close(s->fd);
  }
  s->map = NULL;
  s->map_len = 0;
  s->fd = -1;
}

/* Descriptors from this number on are closed after the map is made (the
 * segment is then read through its map): an archive of very many
 * segments must not exhaust the process's descriptors. */
#define KEEP_FD_BELOW 512

int gw_seg_open(gw_seg *s, const char *path, gw_error *err) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    return gw_fail_at(err, e == ENOENT ? GW_ENOTFOUND : GW_EIO, GW_NO_OFFSET, 0, e, "%s: %s",
                      path, strerror(e));
  }
  struct stat st;
  if (fstat(fd, &st)) {
    int e = errno;
    close(fd);
    return gw_fail_at(err, GW_EIO, GW_NO_OFFSET, 0, e, "%s: %s", path, strerror(e));
  }
  if ((uint64_t)st.st_size != s->bytes) {
    close(fd);
    return gw_fail(err, GW_EDAMAGED, "%s: truncated or damaged: %llu bytes, the "
                   "manifest says %llu", path, (unsigned long long)st.st_size,
                   (unsigned long long)s->bytes);
  }
  if (st.st_size < GW_SEG_HEADER_BYTES) {
    close(fd);
    return gw_fail(err, GW_EDAMAGED, "%s: truncated: no header", path);
  }
  void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
  int e = errno;
  if (map == MAP_FAILED || fd >= KEEP_FD_BELOW) {
    close(fd);
    fd = -1;
  }
  if (map == MAP_FAILED)
    return gw_fail_at(err, GW_EIO, GW_NO_OFFSET, 0, e, "%s: %s", path, strerror(e));
  s->map = map;
  s->map_len = (size_t)st.st_size;
  s->fd = fd;
  const unsigned char *h = map;
  const char *bad = NULL;
  if (memcmp(h, GW_SEG_MAGIC, 8) != 0) bad = "not a segment of a gongwen archive";
  else if (gw_le32(h + 8) != GW_SEG_VERSION) {
    unsigned version = gw_le32(h + 8);
    gw_seg_close(s);
    return gw_fail(err, GW_EDAMAGED, "%s: segment format version %u; this library reads "
                   "version %d only (make a new archive with init and add the reports again)",
                   path, version, GW_SEG_VERSION);
  } else if (gw_le32(h + 12) != GW_SEG_SECTIONS) bad = "wrong section count";
  else if (gw_le64(h + GW_SEG_HEADER_BYTES - 8) != gw_archive_sum(h, GW_SEG_HEADER_BYTES - 8))
    bad = "header checksum mismatch";
  else if (gw_le64(h + 16) != s->doc_count) bad = "document count differs from the manifest's";
  for (int i = 0; !bad && i < GW_SEG_SECTIONS; i++) {
    uint64_t off = gw_le64(h + 32 + i * 24), len = gw_le64(h + 40 + i * 24);
    if (off > s->map_len || len > s->map_len - off) bad = "a section lies outside the file";
    else {
      s->sec[i] = h + off;
      s->sec_len[i] = len;
    }
  }
  if (!bad && (s->sec_len[SEC_DOCS] != (uint64_t)s->doc_count * GW_SEG_DOC_BYTES ||
               s->sec_len[SEC_PARAS] % GW_SEG_PARA_BYTES ||
               s->sec_len[SEC_BANDS] % GW_SEG_ENTRY_BYTES ||
               s->sec_len[SEC_FPS] % GW_SEG_ENTRY_BYTES))
    bad = "a section's size does not fit its records";
  for (int k = SEC_BANDS; !bad && k <= SEC_FPS; k++) {
    uint64_t entries = s->sec_len[k] / GW_SEG_ENTRY_BYTES;
    if (s->sec_len[gw_seg_fences_of(k)] != 8 * gw_seg_blocks(entries) ||
        s->sec_len[gw_seg_tags_of(k)] != GW_SEG_TAG_BYTES * entries)
      bad = "a lookup section's size does not fit its entries";
  }
  /* The small sections are checked on every open; the large ones (text,
   * keys, fingerprints) by verify and, for a document's text, when read. */
  static const int small[] = {SEC_DOCS, SEC_STRINGS, SEC_PARAS};
  for (size_t k = 0; !bad && k < sizeof small / sizeof *small; k++) {
    int i = small[k];
    if (gw_archive_sum(s->sec[i], s->sec_len[i]) != gw_le64(h + 48 + i * 24))
      bad = "checksum mismatch";
  }
  uint64_t n_paras = s->sec_len[SEC_PARAS] / GW_SEG_PARA_BYTES;
  for (uint32_t i = 0; !bad && i < s->doc_count; i++) {
    gw_seg_doc d;
    gw_seg_doc_read(s->sec[SEC_DOCS] + (size_t)i * GW_SEG_DOC_BYTES, &d);
    uint64_t sl = s->sec_len[SEC_STRINGS];
    if (d.text_off > s->sec_len[SEC_TEXT] || d.text_len > s->sec_len[SEC_TEXT] - d.text_off ||
        (uint64_t)d.path_off + d.path_len + 1 > sl || (uint64_t)d.unit_off + d.unit_len + 1 > sl ||
        (uint64_t)d.title_off + d.title_len + 1 > sl ||
        (uint64_t)d.extras_off + d.extras_len + 1 > sl ||
        (uint64_t)d.para_first + d.para_count > n_paras ||
        d.prepared_off > s->sec_len[SEC_PREPARED] ||
        d.prepared_len > s->sec_len[SEC_PREPARED] - d.prepared_off)
      bad = "a document record points outside its section";
    else if (s->sec[SEC_STRINGS][d.path_off + d.path_len] ||
             s->sec[SEC_STRINGS][d.unit_off + d.unit_len] ||
             s->sec[SEC_STRINGS][d.title_off + d.title_len] ||
             s->sec[SEC_STRINGS][d.extras_off + d.extras_len])
      bad = "a name is not terminated";
  }
  if (bad) {
    gw_seg_close(s);
    return gw_fail(err, GW_EDAMAGED, "%s: damaged: %s", path, bad);
  }
  return GW_OK;
}

int gw_seg_verify(const gw_seg *s, const char *path, gw_error *err) {
  if (gw_archive_sum(s->map, s->map_len) != s->sum)
    return gw_fail(err, GW_EDAMAGED, "%s: damaged: checksum mismatch (the file differs from "
                   "what the manifest recorded)", path);
  for (int i = 0; i < GW_SEG_SECTIONS; i++)
    if (gw_archive_sum(s->sec[i], s->sec_len[i]) != gw_le64(s->map + 48 + i * 24))
      return gw_fail(err, GW_EDAMAGED, "%s: damaged: section %d checksum mismatch", path, i);
  for (int k = SEC_BANDS; k <= SEC_FPS; k++) {
    const unsigned char *p = s->sec[k];
    size_t n = s->sec_len[k] / GW_SEG_ENTRY_BYTES;
    const unsigned char *fences = s->sec[gw_seg_fences_of(k)], *tags = s->sec[gw_seg_tags_of(k)];
    for (size_t i = 0; i < n; i++, p += GW_SEG_ENTRY_BYTES) {
      if (gw_le32(p + 8) >= s->doc_count)
        return gw_fail(err, GW_EDAMAGED, "%s: damaged: an entry names no document", path);
      if (i && gw_le64(p) < gw_le64(p - GW_SEG_ENTRY_BYTES))
        return gw_fail(err, GW_EDAMAGED, "%s: damaged: entries out of order", path);
      uint16_t tag = (uint16_t)(tags[GW_SEG_TAG_BYTES * i] | tags[GW_SEG_TAG_BYTES * i + 1] << 8);
      if (tag != gw_seg_tag(gw_le64(p)) ||
          (i % GW_SEG_BLOCK == 0 && gw_le64(fences + 8 * (i / GW_SEG_BLOCK)) != gw_le64(p)))
        return gw_fail(err, GW_EDAMAGED, "%s: damaged: the lookup differs from the entries",
                       path);
    }
  }
  return GW_OK;
}
