/* util.c — errors, version, UTF-8 encoding and offset maps. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

const char *gw_strerror(int code) {
  switch (code) {
  case GW_OK: return "success";
  case GW_ENOMEM: return "out of memory";
  case GW_EINVAL: return "invalid argument";
  case GW_EIO: return "cannot read file";
  case GW_EISDIR: return "is a directory";
  case GW_EBINARY: return "not a text file";
  case GW_EENCODING: return "invalid or undecodable text";
  case GW_EFORMAT: return "malformed data file";
  case GW_ETOOBIG: return "input too large";
  case GW_ENOTFOUND: return "data file not found";
  default: return "unknown error";
  }
}

const char *gw_version(void) { return GW_VERSION_STRING; }

static void fill(gw_error *err, int code, size_t offset, size_t line,
                 int sys_errno, const char *fmt, va_list ap) {
  if (!err) return;
  err->code = code;
  err->sys_errno = sys_errno;
  err->offset = offset;
  err->line = line;
  vsnprintf(err->message, sizeof err->message, fmt, ap);
}

int gw_fail(gw_error *err, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fill(err, code, GW_NO_OFFSET, 0, 0, fmt, ap);
  va_end(ap);
  return code;
}

int gw_fail_at(gw_error *err, int code, size_t offset, size_t line,
               int sys_errno, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fill(err, code, offset, line, sys_errno, fmt, ap);
  va_end(ap);
  return code;
}

size_t gw_utf8_encode(int32_t cp, char *out) {
  unsigned char *o = (unsigned char *)out;
  if (cp < 0x80) { o[0] = (unsigned char)cp; return 1; }
  if (cp < 0x800) {
    o[0] = (unsigned char)(0xC0 | (cp >> 6));
    o[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (unsigned char)(0xE0 | (cp >> 12));
    o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (unsigned char)(0xF0 | (cp >> 18));
  o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}

int gw_offset_map_add(gw_offset_map *map, size_t from, size_t to,
                      size_t to_end) {
  if (from > GW_MAX_INPUT || to > GW_MAX_INPUT) return GW_ETOOBIG;
  if (map->count > 0) {
    size_t last = map->count - 1;
    size_t run_to = map->to[last] + (from - map->from[last]);
    if (to == run_to && to_end == to) return GW_OK;
  } else if (from == to && to_end == to) {
    return GW_OK; /* identity from the start needs no anchor */
  }
  if (map->count == map->capacity) {
    size_t cap = map->capacity ? map->capacity * 2 : 64;
    uint32_t *f = realloc(map->from, cap * sizeof *f);
    if (!f) return GW_ENOMEM;
    map->from = f;
    uint32_t *t = realloc(map->to, cap * sizeof *t);
    if (!t) return GW_ENOMEM;
    map->to = t;
    uint32_t *e = realloc(map->to_end, cap * sizeof *e);
    if (!e) return GW_ENOMEM;
    map->to_end = e;
    map->capacity = cap;
  }
  map->from[map->count] = (uint32_t)from;
  map->to[map->count] = (uint32_t)to;
  map->to_end[map->count] = (uint32_t)to_end;
  map->count++;
  return GW_OK;
}

/* Index of the last anchor with from <= pos, or count if none. */
static size_t last_at_or_before(const gw_offset_map *map, size_t pos) {
  size_t lo = 0, hi = map->count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (map->from[mid] <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo == 0 ? map->count : lo - 1;
}

size_t gw_offset_map_start(const gw_offset_map *map, size_t pos) {
  size_t i = last_at_or_before(map, pos);
  if (i == map->count) return pos;
  return map->to[i] + (pos - map->from[i]);
}

size_t gw_offset_map_end(const gw_offset_map *map, size_t pos) {
  size_t i = last_at_or_before(map, pos);
  if (i == map->count) return pos;
  /* Several anchors may share `from` (empty stretches); the first of them
   * carries where the previous character ended. */
  if (map->from[i] == pos) {
    while (i > 0 && map->from[i - 1] == pos) i--;
    return map->to_end[i];
  }
  size_t mapped = map->to[i] + (pos - map->from[i]);
  return mapped;
}

void gw_offset_map_free(gw_offset_map *map) {
  if (!map) return;
  free(map->from);
  free(map->to);
  free(map->to_end);
  memset(map, 0, sizeof *map);
}
