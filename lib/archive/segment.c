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
  if (need > b->cap[section]) {
    size_t cap = b->cap[section] ? b->cap[section] : 4096;
    while (cap < need) cap *= 2;
    unsigned char *p = realloc(b->sec[section], cap);
    if (!p) return GW_ENOMEM;
    b->sec[section] = p;
    b->cap[section] = cap;
  }
  if (len) memcpy(b->sec[section] + b->len[section], data, len);
  b->len[section] = need;
  return GW_OK;
}

void gw_seg_builder_free(gw_seg_builder *b) {
  for (int i = 0; i < GW_SEG_SECTIONS; i++) free(b->sec[i]);
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

static size_t padded(size_t n) { return (n + 7) & ~(size_t)7; }

/* All of buf to fd; EINTR retried. */
static int write_all(int fd, const unsigned char *buf, size_t len) {
  while (len) {
    ssize_t w = write(fd, buf, len);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    buf += w;
    len -= (size_t)w;
  }
  return 0;
}

int gw_seg_write(const gw_seg_builder *b, const char *path, uint64_t *bytes, uint64_t *sum,
                 gw_error *err) {
  unsigned char header[GW_SEG_HEADER_BYTES];
  memset(header, 0, sizeof header);
  memcpy(header, GW_SEG_MAGIC, 8);
  gw_put32(header + 8, GW_SEG_VERSION);
  gw_put32(header + 12, GW_SEG_SECTIONS);
  gw_put64(header + 16, b->doc_count);
  uint64_t off = GW_SEG_HEADER_BYTES;
  for (int s = 0; s < GW_SEG_SECTIONS; s++) {
    unsigned char *t = header + 32 + s * 24;
    gw_put64(t, off);
    gw_put64(t + 8, b->len[s]);
    gw_put64(t + 16, gw_archive_sum(b->sec[s], b->len[s]));
    off += padded(b->len[s]);
  }
  gw_put64(header + GW_SEG_HEADER_BYTES - 8, gw_archive_sum(header, GW_SEG_HEADER_BYTES - 8));
  /* The file's checksum, in the order it is written: each section's last
   * word is completed by its zero padding, as gw-sum64 completes a tail. */
  static const unsigned char zeros[8];
  uint64_t h = sum_words(sum_start(off), header, sizeof header);
  for (int s = 0; s < GW_SEG_SECTIONS; s++) h = sum_words(h, b->sec[s], b->len[s]);
  *bytes = off;
  *sum = sum_end(h);
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    int e = errno;
    return gw_fail_at(err, GW_EIO, GW_NO_OFFSET, 0, e, "%s: %s", path, strerror(e));
  }
  int failed = write_all(fd, header, sizeof header);
  for (int s = 0; !failed && s < GW_SEG_SECTIONS; s++)
    failed = (b->len[s] && write_all(fd, b->sec[s], b->len[s])) ||
             write_all(fd, zeros, padded(b->len[s]) - b->len[s]);
  failed = failed || fsync(fd);
  int e = errno;
  if (close(fd) && !failed) failed = 1, e = errno;
  if (failed) {
    unlink(path);
    return gw_fail_at(err, GW_EIO, GW_NO_OFFSET, 0, e, "%s: %s", path, strerror(e));
  }
  return GW_OK;
}

/* ---- reading ---- */

void gw_seg_close(gw_seg *s) {
  if (s->map) munmap((void *)s->map, s->map_len);
  s->map = NULL;
  s->map_len = 0;
}


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
  close(fd);
  if (map == MAP_FAILED)
    return gw_fail_at(err, GW_EIO, GW_NO_OFFSET, 0, e, "%s: %s", path, strerror(e));
  s->map = map;
  s->map_len = (size_t)st.st_size;
  const unsigned char *h = map;
  const char *bad = NULL;
  if (memcmp(h, GW_SEG_MAGIC, 8) != 0) bad = "not a segment of a gongwen archive";
  else if (gw_le32(h + 8) != GW_SEG_VERSION) bad = "segment format version is not 2";
  else if (gw_le32(h + 12) != GW_SEG_SECTIONS) bad = "wrong section count";
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
    for (size_t i = 0; i < n; i++, p += GW_SEG_ENTRY_BYTES) {
      if (gw_le32(p + 8) >= s->doc_count)
        return gw_fail(err, GW_EDAMAGED, "%s: damaged: an entry names no document", path);
      if (i && gw_le64(p) < gw_le64(p - GW_SEG_ENTRY_BYTES))
        return gw_fail(err, GW_EDAMAGED, "%s: damaged: entries out of order", path);
    }
  }
  return GW_OK;
}
