/*
 * read_file.c — whole files into memory: the documents the decoder reads,
 * and the data files (dictionaries, term lists, noise patterns).
 *
 * Files are read to their end rather than trusting st_size (pipes and /proc
 * files report 0; a file may grow while it is read), so an endless device
 * (/dev/zero, /dev/urandom) would be read up to the 4 GiB limit.  A reader
 * given a prefix check looks at the first bytes once and stops there when
 * the check refuses them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

static int fail_errno(const char *path, int sys_errno, gw_error *err) {
  char reason[128];
  if (strerror_r(sys_errno, reason, sizeof reason) != 0)
    snprintf(reason, sizeof reason, "error %d", sys_errno);
  return gw_fail_at(err, GW_EIO, GW_NO_OFFSET, 0, sys_errno, "%s: %s", path,
                    reason);
}

static int fail_too_big(const char *path, gw_error *err) {
  return gw_fail(err, GW_ETOOBIG, "%s: file too large (limit %zu bytes)",
                 path, GW_MAX_INPUT);
}

typedef struct read_buffer {
  unsigned char *bytes;
  size_t len, cap;
} read_buffer;

static int grow(read_buffer *b, const char *path, gw_error *err) {
  if (b->cap > GW_MAX_INPUT) return fail_too_big(path, err);
  unsigned char *grown = realloc(b->bytes, b->cap * 2);
  if (!grown) return gw_fail(err, GW_ENOMEM, "%s: out of memory", path);
  b->bytes = grown;
  b->cap *= 2;
  return GW_OK;
}

/* Fill b up to `stop` bytes or the end of the file; *eof says which. */
static int read_some(int fd, const char *path, read_buffer *b, size_t stop,
                     int *eof, gw_error *err) {
  *eof = 0;
  while (b->len < stop) {
    ssize_t got = read(fd, b->bytes + b->len, stop - b->len);
    if (got == 0) {
      *eof = 1;
      return GW_OK;
    }
    if (got < 0) {
      if (errno == EINTR) continue;
      return fail_errno(path, errno, err);
    }
    b->len += (size_t)got;
  }
  return GW_OK;
}

static int read_all(int fd, const char *path, size_t size_hint,
                    const gw_read_check *check, unsigned char **bytes,
                    size_t *len, gw_error *err) {
  read_buffer b = {NULL, 0, size_hint + 1}; /* +1 sees EOF without a realloc */
  if (b.cap < 4096) b.cap = 4096;
  b.bytes = gw_alloc_large(b.cap);
  if (!b.bytes) return gw_fail(err, GW_ENOMEM, "%s: out of memory", path);
  int checked = !check || !check->prefix, eof = 0, rc = GW_OK;
  while (rc == GW_OK) {
    /* A large regular file is read in one go, but the check comes first. */
    size_t stop = checked || check->after >= b.cap ? b.cap : check->after;
    rc = read_some(fd, path, &b, stop, &eof, err);
    if (rc < 0 || eof) break;
    if (!checked && b.len >= check->after) {
      checked = 1;
      rc = check->prefix(b.bytes, b.len, check->payload, err);
    } else if (b.len == b.cap) {
      rc = grow(&b, path, err);
    }
  }
  if (rc == GW_OK && b.len > GW_MAX_INPUT) rc = fail_too_big(path, err);
  if (rc < 0) {
    free(b.bytes);
    return rc;
  }
  *bytes = b.bytes;
  *len = b.len;
  return GW_OK;
}

int gw_read_file_checked(const char *path, const gw_read_check *check,
                         unsigned char **bytes, size_t *len, gw_error *err) {
  *bytes = NULL;
  *len = 0;
  int fd;
  do fd = open(path, O_RDONLY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    if (errno == EISDIR)
      return gw_fail(err, GW_EISDIR, "%s: is a directory", path);
    return fail_errno(path, errno, err);
  }
  struct stat st;
  int rc;
  if (fstat(fd, &st) != 0) rc = fail_errno(path, errno, err);
  else if (S_ISDIR(st.st_mode))
    rc = gw_fail(err, GW_EISDIR, "%s: is a directory", path);
  else if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > GW_MAX_INPUT)
    rc = fail_too_big(path, err);
  else
    rc = read_all(fd, path, S_ISREG(st.st_mode) ? (size_t)st.st_size : 0,
                  check, bytes, len, err);
  close(fd);
  return rc;
}

int gw_read_file(const char *path, unsigned char **bytes, size_t *len,
                 gw_error *err) {
  return gw_read_file_checked(path, NULL, bytes, len, err);
}

int gw_slurp(const char *path, char **out, size_t *len, gw_error *err) {
  unsigned char *bytes;
  gw_error local;
  gw_error *e = err ? err : &local;
  int rc = gw_read_file(path, &bytes, len, e);
  if (rc) {
    /* A missing data file is "not found", whatever kind it is. */
    if (rc == GW_EIO && e->sys_errno == ENOENT) rc = e->code = GW_ENOTFOUND;
    return rc;
  }
  char *text = realloc(bytes, *len + 1);
  if (!text) {
    free(bytes);
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", path);
  }
  text[*len] = '\0';
  *out = text;
  return GW_OK;
}
