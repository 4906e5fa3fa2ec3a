/* util.c — errors, version, memory, UTF-8 encoding and offset maps. */
/* madvise(MADV_HUGEPAGE), MAP_ANONYMOUS and mremap are Linux extensions
 * beyond POSIX. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>

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

void gw_free(void *memory) { free(memory); }

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

void gw_advise_huge(void *p, size_t bytes) {
#ifdef MADV_HUGEPAGE
  if (!p || bytes < GW_LARGE_ALLOC) return;
  uintptr_t a = ((uintptr_t)p + GW_HUGE_PAGE - 1) & ~(uintptr_t)(GW_HUGE_PAGE - 1);
  uintptr_t b = ((uintptr_t)p + bytes) & ~(uintptr_t)(GW_HUGE_PAGE - 1);
  if (b > a) (void)madvise((void *)a, b - a, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

/* From GW_ALIGN_ALLOC on, aligned to a huge page and rounded up to whole
 * ones, so that no part of the buffer is left to small pages (their faults
 * cost the most); the alignment and the rounding are address space (at
 * most a quarter more), memory only where they are written. */
void *gw_alloc_large(size_t bytes) {
  if (bytes < GW_ALIGN_ALLOC) {
    void *p = malloc(bytes ? bytes : 1);
    gw_advise_huge(p, bytes);
    return p;
  }
  return gw_alloc_huge(bytes, NULL);
}

void *gw_alloc_huge(size_t bytes, size_t *room) {
  if (bytes > SIZE_MAX - GW_HUGE_PAGE) return NULL;
  size_t rounded = (bytes + GW_HUGE_PAGE - 1) & ~(GW_HUGE_PAGE - 1);
  if (!rounded) rounded = GW_HUGE_PAGE;
  void *p = NULL;
  if (posix_memalign(&p, GW_HUGE_PAGE, rounded) != 0) return NULL;
  gw_advise_huge(p, rounded);
  if (room) *room = rounded;
  return p;
}

int gw_grow(void **array, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return GW_OK;
  if (elem == 0 || need > SIZE_MAX / 4 / elem) return GW_ENOMEM;
  /* At least what is asked (a buffer sized once from its input takes
   * exactly that), at least a geometric step beyond the old size. */
  size_t n = *cap <= SIZE_MAX / 4 / elem
                 ? *cap * (*cap * elem >= GW_GROW_FAST ? 4 : 2)
                 : need;
  if (n < 16) n = 16;
  if (n < need) n = need;
  void *p;
  if (n * elem < GW_LARGE_ALLOC) {
    p = realloc(*array, n * elem);
    if (!p) return GW_ENOMEM;
  } else {
    p = gw_alloc_large(n * elem);
    if (!p) return GW_ENOMEM;
    if (*cap) memcpy(p, *array, *cap * elem);
    free(*array);
  }
  *array = p;
  *cap = n;
  return GW_OK;
}

/* ---- huge arrays ---- */

/* Before each huge array: the size of its mapping, 0 when it is malloc's.
 * Two words keep the elements as aligned as malloc's. */
typedef struct huge_head {
  size_t mapped;
  size_t unused;
} huge_head;

static huge_head *huge_head_of(void *array) { return (huge_head *)array - 1; }

static size_t whole_huge_pages(size_t bytes) {
  return (bytes + GW_HUGE_PAGE - 1) & ~(GW_HUGE_PAGE - 1);
}

/* `bytes` (whole huge pages) of fresh memory starting on a huge page: one
 * page more is mapped and the unaligned ends unmapped, so the array takes
 * no more address space than its pages (a memory limit's probes see what
 * the data needs).  The kernel places a mapping at any small page, and a
 * huge page's worth mapped off a 2 MiB boundary is served by small pages.
 * NULL when there is no room. */
static void *huge_range(size_t bytes) {
  char *p = mmap(NULL, bytes + GW_HUGE_PAGE, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return NULL;
  uintptr_t at = ((uintptr_t)p + GW_HUGE_PAGE - 1) & ~(uintptr_t)(GW_HUGE_PAGE - 1);
  char *a = (char *)at;
  size_t before = (size_t)(a - p), after = GW_HUGE_PAGE - before;
  if (before) munmap(p, before);
  if (after) munmap(a + bytes, after);
  return a;
}

/* Advised whole: advising part of a mapping would split it, and mremap
 * moves one mapping only. */
void gw_advise_huge_mapping(void *p, size_t bytes) {
#ifdef MADV_HUGEPAGE
  (void)madvise(p, bytes, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

/* The mapped array h (h->mapped bytes) on `bytes` (whole huge pages, more):
 * its pages move to an aligned range where they can (mremap), copied only
 * where the system has no mremap.  NULL when there is no room (h kept). */
static huge_head *huge_remap(huge_head *h, size_t bytes) {
  void *to = huge_range(bytes);
  if (!to) return NULL;
#if defined(MREMAP_MAYMOVE) && defined(MREMAP_FIXED)
  void *p = mremap(h, h->mapped, bytes, MREMAP_MAYMOVE | MREMAP_FIXED, to);
  if (p == MAP_FAILED) {
    munmap(to, bytes);
    return NULL;
  }
#else
  void *p = to;
  memcpy(p, h, h->mapped);
  munmap(h, h->mapped);
#endif
  gw_advise_huge_mapping(p, bytes);
  huge_head *moved = p;
  moved->mapped = bytes;
  return moved;
}

int gw_huge_array_make_room(void **array, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return GW_OK;
  if (elem == 0 || need > (SIZE_MAX / 4 - 2 * GW_HUGE_PAGE) / elem) return GW_ENOMEM;
  size_t n = *cap * (*cap * elem >= GW_LARGE_ALLOC ? 4 : 2);
  if (n < 16) n = 16;
  if (n < need) n = need;
  size_t bytes = sizeof(huge_head) + n * elem;
  huge_head *old = *array ? huge_head_of(*array) : NULL, *h = NULL;
  if (old && old->mapped) {
    h = huge_remap(old, whole_huge_pages(bytes));
    if (!h) return GW_ENOMEM;
  } else {
    if (bytes >= GW_LARGE_ALLOC) {
      size_t pages = whole_huge_pages(bytes);
      h = huge_range(pages);
      if (h) {
        gw_advise_huge_mapping(h, pages);
        h->mapped = pages;
        if (old) memcpy(h + 1, old + 1, *cap * elem);
        free(old);
      }
    }
    if (!h) {
      /* Small, or no address space for the alignment: malloc's. */
      h = realloc(old, bytes);
      if (!h) return GW_ENOMEM;
      h->mapped = 0;
    }
  }
  /* The rest of the last huge page is room too. */
  if (h->mapped) n = (h->mapped - sizeof *h) / elem;
  *array = h + 1;
  *cap = n;
  return GW_OK;
}

void gw_huge_array_free(void *array) {
  if (!array) return;
  huge_head *h = huge_head_of(array);
  if (h->mapped) munmap(h, h->mapped);
  else free(h);
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

static int grow_map(gw_offset_map *map) {
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
  uint8_t *fs = realloc(map->from_step, cap);
  if (!fs) return GW_ENOMEM;
  map->from_step = fs;
  uint8_t *ts = realloc(map->to_step, cap);
  if (!ts) return GW_ENOMEM;
  map->to_step = ts;
  map->capacity = cap;
  return GW_OK;
}

static int append_anchor(gw_offset_map *map, size_t from, size_t to,
                         size_t to_end, unsigned from_step, unsigned to_step) {
  if (from > GW_MAX_INPUT || to > GW_MAX_INPUT) return GW_ETOOBIG;
  if (map->count == map->capacity && grow_map(map)) return GW_ENOMEM;
  size_t i = map->count++;
  map->from[i] = (uint32_t)from;
  map->to[i] = (uint32_t)to;
  map->to_end[i] = (uint32_t)to_end;
  map->from_step[i] = (uint8_t)from_step;
  map->to_step[i] = (uint8_t)to_step;
  return GW_OK;
}

/* The to-view position of `pos` in the run of anchor i (pos >= from[i]);
 * inside a character, its start, or with round_up its end. */
static size_t run_position(const gw_offset_map *map, size_t i, size_t pos,
                           int round_up) {
  size_t d = pos - map->from[i];
  unsigned fs = map->from_step[i], ts = map->to_step[i];
  if (!fs) return map->to[i] + d;
  size_t chars = d / fs, rest = d % fs;
  return map->to[i] + chars * ts + (round_up && rest ? ts : 0);
}

int gw_offset_map_add(gw_offset_map *map, size_t from, size_t to,
                      size_t to_end) {
  if (map->count > 0) {
    size_t last = map->count - 1;
    /* After a character run the next byte-for-byte stretch needs its own
     * anchor, even where the run would predict the same position. */
    int continues = to_end == to && !map->from_step[last] &&
                    from >= map->from[last] && run_position(map, last, from, 0) == to;
    if (continues) return GW_OK;
  } else if (from == to && to_end == to) {
    return GW_OK; /* identity from the start needs no anchor */
  }
  return append_anchor(map, from, to, to_end, 0, 0);
}

int gw_offset_map_add_char(gw_offset_map *map, size_t from, size_t from_len,
                           size_t to, size_t to_len) {
  if (from_len == to_len || from_len > 255 || to_len > 255)
    return gw_offset_map_add(map, from, to, to);
  size_t last = map->count - 1;
  int extends = map->count > 0 && map->from_step[last] == from_len &&
                map->to_step[last] == to_len && map->run_from_end == from &&
                map->run_to_end == to;
  int rc = extends ? GW_OK
                   : append_anchor(map, from, to, to, (unsigned)from_len,
                                   (unsigned)to_len);
  map->run_from_end = from + from_len;
  map->run_to_end = to + to_len;
  return rc;
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

/* last_at_or_before() searched from anchor *hint outwards: a step, then
 * steps doubling, then a binary search between the last two, so a lookup
 * k anchors away from the previous one costs about 2 log k reads. */
static size_t last_at_or_before_near(const gw_offset_map *map, size_t pos,
                                     size_t *hint) {
  size_t count = map->count;
  if (count == 0 || map->from[0] > pos) return count;
  size_t lo = *hint < count ? *hint : count - 1, hi; /* from[lo] <= pos < from[hi] */
  if (map->from[lo] <= pos) {
    size_t step = 1;
    hi = lo + 1;
    while (hi < count && map->from[hi] <= pos) {
      lo = hi;
      step *= 2;
      hi = step < count - lo ? lo + step : count;
    }
  } else {
    size_t step = 1;
    hi = lo;
    lo = hi > step ? hi - step : 0;
    while (map->from[lo] > pos) { /* from[0] <= pos ends this */
      hi = lo;
      step *= 2;
      lo = hi > step ? hi - step : 0;
    }
  }
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (map->from[mid] <= pos) lo = mid;
    else hi = mid;
  }
  *hint = lo;
  return lo;
}

size_t gw_offset_map_start(const gw_offset_map *map, size_t pos) {
  size_t i = last_at_or_before(map, pos);
  if (i == map->count) return pos;
  return run_position(map, i, pos, 0);
}

size_t gw_offset_map_start_near(const gw_offset_map *map, size_t pos,
                                size_t *hint) {
  size_t i = last_at_or_before_near(map, pos, hint);
  if (i == map->count) return pos;
  return run_position(map, i, pos, 0);
}

/* The end of a range ending at pos, given the last anchor at or before it. */
static size_t end_position(const gw_offset_map *map, size_t i, size_t pos) {
  if (i == map->count) return pos;
  /* Several anchors may share `from` (empty stretches); the first of them
   * carries where the previous character ended. */
  if (map->from[i] == pos) {
    while (i > 0 && map->from[i - 1] == pos) i--;
    return map->to_end[i];
  }
  return run_position(map, i, pos, 1);
}

size_t gw_offset_map_end(const gw_offset_map *map, size_t pos) {
  return end_position(map, last_at_or_before(map, pos), pos);
}

size_t gw_offset_map_end_near(const gw_offset_map *map, size_t pos,
                              size_t *hint) {
  return end_position(map, last_at_or_before_near(map, pos, hint), pos);
}

void gw_offset_map_free(gw_offset_map *map) {
  if (!map) return;
  free(map->from);
  free(map->to);
  free(map->to_end);
  free(map->from_step);
  free(map->to_step);
  memset(map, 0, sizeof *map);
}
