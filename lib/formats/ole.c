/*
 * ole.c — OLE2 compound files ([MS-CFB]): the container of .doc and .wps.
 *
 * Why not libgsf: on a damaged file it reports through GLib's process-wide
 * logger (g_warning / g_critical on stderr), which a library may neither
 * print through nor silence without changing its host's global state.  The
 * container is small: a FAT of sector chains, a directory of 128-byte
 * entries, and a mini stream (with its own FAT) for streams under 4 KiB.
 * Every sector number, chain length and size is checked against the file,
 * and chains are cut at the length their stream needs, so a loop or a
 * forged size ends in GW_EDAMAGED.
 */
#include <stdlib.h>
#include <string.h>

#include "formats.h"

struct gw_ole {
  const unsigned char *data;
  size_t len;
  const char *name;
  size_t sector_size, mini_size, mini_cutoff;
  uint32_t *fat;
  size_t fat_count;
  uint32_t *mini_fat;
  size_t mini_fat_count;
  unsigned char *dir; /* the directory stream */
  size_t dir_count;   /* entries */
  unsigned char *mini_stream;
  size_t mini_stream_len;
};


static int damaged(const gw_ole *ole, gw_error *err, const char *why) {
  return gw_fail(err, GW_EDAMAGED, "%s: damaged OLE2 compound file (%s)",
                 ole->name, why);
}

static size_t sector_count(const gw_ole *ole) {
  return ole->len / ole->sector_size - 1; /* the header takes one */
}

static const unsigned char *sector(const gw_ole *ole, uint32_t n) {
  return n < sector_count(ole) ? ole->data + ((size_t)n + 1) * ole->sector_size
                               : NULL;
}

/* Follow a chain of `table` from `start` and copy `size` bytes, sector by
 * sector from the file or mini sector by mini sector from the mini stream. */
static int read_chain(const gw_ole *ole, const uint32_t *table, size_t count,
                      uint32_t start, size_t size, int mini,
                      unsigned char **out, gw_error *err) {
  size_t unit = mini ? ole->mini_size : ole->sector_size;
  unsigned char *buf = malloc(size + 1);
  if (!buf) return gw_fail(err, GW_ENOMEM, "%s: out of memory", ole->name);
  size_t done = 0;
  uint32_t n = start;
  while (done < size) {
    const unsigned char *src = NULL;
    if (n < count) {
      if (!mini) src = sector(ole, n);
      else if (((size_t)n + 1) * unit <= ole->mini_stream_len)
        src = ole->mini_stream + (size_t)n * unit;
    }
    if (!src) {
      free(buf);
      return damaged(ole, err, "a sector chain leaves the file");
    }
    size_t k = size - done < unit ? size - done : unit;
    memcpy(buf + done, src, k);
    done += k;
    n = table[n];
  }
  *out = buf;
  return GW_OK;
}

static int load_fat(gw_ole *ole, gw_error *err) {
  const unsigned char *h = ole->data;
  size_t per = ole->sector_size / 4;
  size_t fat_sectors = gw_le32(h + 0x2C);
  if (fat_sectors == 0 || fat_sectors > sector_count(ole))
    return damaged(ole, err, "FAT size");
  ole->fat_count = fat_sectors * per;
  ole->fat = malloc(ole->fat_count * sizeof *ole->fat);
  if (!ole->fat) return gw_fail(err, GW_ENOMEM, "%s: out of memory", ole->name);
  size_t got = 0;
  uint32_t difat = gw_le32(h + 0x44);
  size_t difat_left = gw_le32(h + 0x48);
  const unsigned char *list = h + 0x4C;
  size_t list_len = 109;
  while (got < fat_sectors) {
    for (size_t i = 0; i < list_len && got < fat_sectors; i++) {
      const unsigned char *s = sector(ole, gw_le32(list + 4 * i));
      if (!s) return damaged(ole, err, "a FAT sector outside the file");
      for (size_t k = 0; k < per; k++) ole->fat[got * per + k] = gw_le32(s + 4 * k);
      got++;
    }
    if (got == fat_sectors) break;
    if (difat_left-- == 0 || !(list = sector(ole, difat)))
      return damaged(ole, err, "DIFAT");
    list_len = per - 1;
    difat = gw_le32(list + 4 * (per - 1));
  }
  return GW_OK;
}

/* The length of a FAT chain from start, at most `limit` sectors. */
static size_t chain_length(const gw_ole *ole, uint32_t start, size_t limit) {
  size_t n = 0;
  for (uint32_t s = start; s < ole->fat_count && n < limit; s = ole->fat[s])
    n++;
  return n;
}

static int load_directory(gw_ole *ole, gw_error *err) {
  uint32_t start = gw_le32(ole->data + 0x30);
  size_t sectors = chain_length(ole, start, sector_count(ole));
  if (sectors == 0) return damaged(ole, err, "no directory");
  int rc = read_chain(ole, ole->fat, ole->fat_count, start,
                      sectors * ole->sector_size, 0, &ole->dir, err);
  if (rc < 0) return rc;
  ole->dir_count = sectors * ole->sector_size / 128;
  if (ole->dir[0x42] != 5) return damaged(ole, err, "no root entry");
  return GW_OK;
}

static int load_mini(gw_ole *ole, gw_error *err) {
  const unsigned char *root = ole->dir;
  size_t stream_len = gw_le32(root + 0x78);
  size_t mini_sectors = gw_le32(ole->data + 0x40);
  if (stream_len == 0 || mini_sectors == 0) return GW_OK;
  if (stream_len > ole->len || mini_sectors > sector_count(ole))
    return damaged(ole, err, "mini stream size");
  int rc = read_chain(ole, ole->fat, ole->fat_count, gw_le32(root + 0x74),
                      stream_len, 0, &ole->mini_stream, err);
  if (rc < 0) return rc;
  ole->mini_stream_len = stream_len;
  unsigned char *table;
  rc = read_chain(ole, ole->fat, ole->fat_count, gw_le32(ole->data + 0x3C),
                  mini_sectors * ole->sector_size, 0, &table, err);
  if (rc < 0) return rc;
  ole->mini_fat_count = mini_sectors * ole->sector_size / 4;
  ole->mini_fat = malloc(ole->mini_fat_count * sizeof *ole->mini_fat);
  if (ole->mini_fat)
    for (size_t i = 0; i < ole->mini_fat_count; i++)
      ole->mini_fat[i] = gw_le32(table + 4 * i);
  free(table);
  return ole->mini_fat ? GW_OK
                       : gw_fail(err, GW_ENOMEM, "%s: out of memory", ole->name);
}

int gw_ole_open(gw_ole **out, const unsigned char *data, size_t len,
                const char *name, gw_error *err) {
  *out = NULL;
  gw_ole *ole = calloc(1, sizeof *ole);
  if (!ole) return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
  ole->data = data;
  ole->len = len;
  ole->name = name;
  int rc = GW_OK;
  uint32_t shift = len >= 512 ? gw_le16(data + 0x1E) : 0;
  uint32_t mini_shift = len >= 512 ? gw_le16(data + 0x20) : 0;
  if (len < 1024 || (shift != 9 && shift != 12) || mini_shift != 6) {
    ole->sector_size = 512;
    rc = damaged(ole, err, len < 1024 ? "truncated" : "header");
  } else {
    ole->sector_size = (size_t)1 << shift;
    ole->mini_size = 64;
    ole->mini_cutoff = gw_le32(data + 0x38);
    if (len < 2 * ole->sector_size) rc = damaged(ole, err, "truncated");
  }
  if (rc == GW_OK) rc = load_fat(ole, err);
  if (rc == GW_OK) rc = load_directory(ole, err);
  if (rc == GW_OK) rc = load_mini(ole, err);
  if (rc < 0) {
    gw_ole_close(ole);
    return rc;
  }
  *out = ole;
  return GW_OK;
}

void gw_ole_close(gw_ole *ole) {
  if (!ole) return;
  free(ole->fat);
  free(ole->mini_fat);
  free(ole->dir);
  free(ole->mini_stream);
  free(ole);
}

/* Whether entry e's name is `want` (ASCII, compared without case). */
static int name_is(const unsigned char *e, const char *want) {
  size_t bytes = gw_le16(e + 0x40), n = strlen(want);
  if (bytes != 2 * (n + 1) || bytes > 64) return 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t c = gw_le16(e + 2 * i), w = (unsigned char)want[i];
    if (c >= 'a' && c <= 'z') c -= 32;
    if (w >= 'a' && w <= 'z') w -= 32;
    if (c != w) return 0;
  }
  return 1;
}

/* A stream directly in the root storage: its siblings form a tree under
 * the root's child, walked with an explicit stack, each entry once. */
static long find_child(const gw_ole *ole, const char *want) {
  uint32_t *stack = malloc((ole->dir_count + 1) * sizeof *stack);
  unsigned char *seen = calloc(ole->dir_count + 1, 1);
  long found = -1;
  size_t top = 0;
  if (stack && seen) stack[top++] = gw_le32(ole->dir + 0x4C);
  while (top > 0 && found < 0) {
    uint32_t id = stack[--top];
    if (id >= ole->dir_count || seen[id]) continue;
    seen[id] = 1;
    const unsigned char *e = ole->dir + (size_t)id * 128;
    if (e[0x42] == 2 && name_is(e, want)) found = (long)id;
    stack[top++] = gw_le32(e + 0x44);
    stack[top++] = gw_le32(e + 0x48);
  }
  free(stack);
  free(seen);
  return found;
}

int gw_ole_has(const gw_ole *ole, const char *stream) {
  return find_child(ole, stream) >= 0;
}

int gw_ole_read(const gw_ole *ole, const char *stream, size_t cap,
                unsigned char **bytes, size_t *len, gw_error *err) {
  *bytes = NULL;
  *len = 0;
  long id = find_child(ole, stream);
  if (id < 0)
    return gw_fail(err, GW_ENOTFOUND, "%s: no %s stream", ole->name, stream);
  const unsigned char *e = ole->dir + (size_t)id * 128;
  size_t size = gw_le32(e + 0x78);
  if (size > ole->len || size > cap)
    return damaged(ole, err, "a stream larger than the file");
  int mini = size < ole->mini_cutoff;
  int rc = mini ? read_chain(ole, ole->mini_fat, ole->mini_fat_count,
                             gw_le32(e + 0x74), size, 1, bytes, err)
                : read_chain(ole, ole->fat, ole->fat_count, gw_le32(e + 0x74),
                             size, 0, bytes, err);
  if (rc == GW_OK) *len = size;
  return rc;
}
