/*
 * internal.h — helpers shared by the library's modules.  Never installed.
 */
#ifndef GW_INTERNAL_H
#define GW_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "gongwen.h"

#if defined(__GNUC__)
#define GW_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define GW_LIKELY(x) __builtin_expect(!!(x), 1)
#define GW_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define GW_PRINTF(f, a)
#define GW_LIKELY(x) (x)
#define GW_UNLIKELY(x) (x)
#endif

/* Fill *err (if not NULL) and return code.  The message is formatted by the
 * caller; by convention it starts with "NAME:OFFSET: " or "NAME:LINE: ". */
int gw_fail(gw_error *err, int code, const char *fmt, ...) GW_PRINTF(3, 4);
/* As gw_fail, also recording an offset/line and errno. */
int gw_fail_at(gw_error *err, int code, size_t offset, size_t line,
               int sys_errno, const char *fmt, ...) GW_PRINTF(6, 7);

/* ---- Files (text/read_file.c) ---- */

/* A look at a file's first bytes while it is read: once `after` bytes are
 * in (and the file goes on), prefix() may refuse it with an error, and the
 * reading stops there. */
typedef struct gw_read_check {
  size_t after;
  int (*prefix)(const unsigned char *bytes, size_t len, void *payload,
                gw_error *err);
  void *payload;
} gw_read_check;

/* Read a whole file.  GW_EIO (with errno) for a missing or unreadable file,
 * GW_EISDIR for a directory, GW_ETOOBIG past GW_MAX_INPUT, or what the
 * check returned.  *bytes is malloc'd (release it with free()) and non-NULL
 * on success, even for an empty file; pipes and other unsized files are read
 * to their end.  check may be NULL. */
int gw_read_file_checked(const char *path, const gw_read_check *check,
                         unsigned char **bytes, size_t *len, gw_error *err);
int gw_read_file(const char *path, unsigned char **bytes, size_t *len,
                 gw_error *err);

/* A data file (dictionary, term list, noise patterns) into a malloc'd,
 * NUL-terminated buffer; a missing file is GW_ENOTFOUND. */
int gw_slurp(const char *path, char **out, size_t *len, gw_error *err);

/* ---- Memory (util.c) ---- */

/* Large buffers are written once, front to back, into fresh pages, and on
 * a virtual machine a page fault costs microseconds: a 20 MB document took
 * more time in faults than in normalizing.  Buffers from this size on ask
 * for transparent huge pages (a hint; the kernel may decline). */
#define GW_LARGE_ALLOC ((size_t)1 << 20)
/* Arrays from this size on grow four times at a time (fewer copies). */
#define GW_GROW_FAST ((size_t)4 << 20)
/* Buffers from this size on start on a huge page (gw_alloc_large). */
#define GW_ALIGN_ALLOC ((size_t)8 << 20)
/* The transparent huge page of x86-64 (and most arm64 kernels). */
#define GW_HUGE_PAGE ((size_t)2 << 20)

/* Ask for transparent huge pages over [p, p + bytes) when it is large. */
void gw_advise_huge(void *p, size_t bytes);
/* malloc(bytes) (at least 1) with gw_advise_huge, from GW_ALIGN_ALLOC on
 * gw_alloc_huge's; NULL if out of memory. */
void *gw_alloc_large(size_t bytes);
/* A buffer free() releases, of at least `bytes`, on whole huge pages:
 * 2 MB-aligned, its size (into *room unless NULL) rounded up to 2 MB,
 * advised huge; NULL if out of memory. */
void *gw_alloc_huge(size_t bytes, size_t *room);
/* Make room for `need` elements of `elem` bytes in *array of *cap: the
 * larger of `need` and twice the old capacity (four times once large, for
 * few copies), at least 16; never shrinks.  Large arrays move
 * into a fresh advised block rather than realloc's copy, which would fault
 * the new pages in before they could be advised.  GW_OK, or GW_ENOMEM with
 * *array and *cap untouched. */
int gw_grow(void **array, size_t *cap, size_t need, size_t elem);
#define GW_GROW(array, cap, need) \
  gw_grow((void **)&(array), &(cap), (need), sizeof *(array))

/* The large arrays that stay for the life of their owner and grow to many
 * megabytes (a document's paragraphs and masks, the duplicate index's
 * fingerprints and band keys): room for `need` elements of `elem` bytes in
 * *array (*cap of them now), at least twice the old capacity (four times
 * from GW_LARGE_ALLOC on, as gw_grow: fewer moves), at least 16.
 * From GW_LARGE_ALLOC bytes on the array is a mapping of its own on whole
 * huge pages, 2 MB-aligned, taking address space only for those pages and
 * memory only for the pages written; it grows by mremap, its pages moved
 * rather than copied into fresh ones the kernel zeroes first (the
 * fingerprints of 200,000 paragraphs, 120 MB, cost 120 MB zeroed and
 * copied, and as much again of peak memory, each time they outgrew their
 * block).  GW_OK, or GW_ENOMEM with *array and *cap untouched.  Free with
 * gw_huge_array_free, never free(). */
int gw_huge_array_make_room(void **array, size_t *cap, size_t need, size_t elem);
/* Inline, so that a caller adding one element at a time pays a compare,
 * not a call, while the array has room. */
static inline int gw_huge_array_grow(void **array, size_t *cap, size_t need, size_t elem) {
  return need <= *cap ? GW_OK : gw_huge_array_make_room(array, cap, need, elem);
}
void gw_huge_array_free(void *array);
#define GW_HUGE_ARRAY_GROW(array, cap, need) \
  gw_huge_array_grow((void **)&(array), &(cap), (need), sizeof *(array))
/* Ask for huge pages on the whole of a mapping of its own (p, bytes), as
 * gw_advise_huge does not: that one advises the huge pages inside any
 * buffer, which on a mapping not a whole number of huge pages would split
 * it in two, and mremap moves one mapping only.  Nothing where the system
 * has no MADV_HUGEPAGE. */
void gw_advise_huge_mapping(void *p, size_t bytes);

/* ---- UTF-8 ---- */

/* Decode one code point at s[0..n).  Returns its length in bytes (1–4) and
 * stores it in *cp; for an invalid or truncated sequence returns 1 and stores
 * -1 (callers treat the byte as one unit). */
static inline size_t gw_utf8_next(const unsigned char *s, size_t n,
                                  int32_t *cp) {
  unsigned c = s[0];
  if (c < 0x80) { *cp = (int32_t)c; return 1; }
  if (c >= 0xC2 && c <= 0xDF) {
    if (n >= 2 && (s[1] & 0xC0) == 0x80) {
      *cp = (int32_t)(((c & 0x1F) << 6) | (s[1] & 0x3F));
      return 2;
    }
  } else if (c >= 0xE0 && c <= 0xEF) {
    if (n >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
      int32_t v = (int32_t)(((c & 0x0F) << 12) | ((s[1] & 0x3F) << 6) |
                            (s[2] & 0x3F));
      if (v >= 0x800 && (v < 0xD800 || v > 0xDFFF)) { *cp = v; return 3; }
    }
  } else if (c >= 0xF0 && c <= 0xF4) {
    if (n >= 4 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
        (s[3] & 0xC0) == 0x80) {
      int32_t v = (int32_t)(((c & 0x07) << 18) | ((s[1] & 0x3F) << 12) |
                            ((s[2] & 0x3F) << 6) | (s[3] & 0x3F));
      if (v >= 0x10000 && v <= 0x10FFFF) { *cp = v; return 4; }
    }
  }
  *cp = -1;
  return 1;
}

/* 3 when s[0..n) starts with a three-byte sequence whose lead is E1–EC
 * (U+1000–U+CFFF, Han text: any two continuation bytes make it valid, no
 * overlong or surrogate form to rule out), else 0.  The fast path of the
 * character loops; anything else goes through gw_utf8_next. */
static inline size_t gw_utf8_bmp3(const unsigned char *s, size_t n) {
  return n >= 3 && (unsigned)(s[0] - 0xE1) <= 0xEC - 0xE1 &&
                 !(((s[1] ^ 0x80u) | (s[2] ^ 0x80u)) & 0xC0)
             ? 3
             : 0;
}

/* Encode cp (valid scalar value) into out[0..4); returns the length. */
size_t gw_utf8_encode(int32_t cp, char *out);

/* ---- Character classes (shared by normalize, structure, segment) ---- */

static inline int gw_is_han(int32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F) ||
         cp == 0x3007 /* 〇 */;
}
static inline int gw_is_ascii_digit(int32_t cp) { return cp >= '0' && cp <= '9'; }
static inline int gw_is_ascii_alpha(int32_t cp) {
  return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}
/* Characters that make up template masks: '*', 'x', 'X', '×' (U+00D7). */
static inline int gw_is_mask_char(int32_t cp) {
  return cp == '*' || cp == 'x' || cp == 'X' || cp == 0x00D7;
}

/* Length in bytes of a template mask starting at s[pos] in s[0..n), or 0.
 * A mask is a run of '*' or '×' (any length), or a run of x/X that is not
 * part of a longer Latin word (so "xxx局", "xx月", "x篇" are masks but "box"
 * and "Xi" are not).  Defined in text/markers.c. */
size_t gw_mask_length(const char *s, size_t n, size_t pos);

/* ---- Offset maps ---- */

/* A piecewise-linear map from one byte space (the "from" view, e.g. the
 * normalized text) to another (the "to" view, e.g. the decoded text), stored
 * as anchors only where the two stop advancing together, so identity
 * stretches cost nothing.
 *
 * Each anchor says: the from-view character starting at `from` comes from
 * to-view position `to`; and the to-view bytes of the previous character end
 * at `to_end` (to_end < to when source bytes were removed in between, e.g.
 * noise or a hard-wrap newline; to_end == to otherwise).  After an anchor the
 * views advance together byte for byte, or, for a run of characters of one
 * size in each view (a GBK text's two-byte characters, three bytes each in
 * UTF-8), character by character: from_step bytes in the from-view for
 * to_step bytes in the to-view. */
typedef struct gw_offset_map {
  uint32_t *from; /* non-decreasing */
  uint32_t *to;
  uint32_t *to_end;
  uint8_t *from_step; /* 0: byte for byte */
  uint8_t *to_step;
  size_t count, capacity;
  size_t run_from_end, run_to_end; /* where the last character run ends */
} gw_offset_map;

/* Append an anchor (in ascending `from` order).  An anchor that continues
 * the current run with no removed bytes is dropped. */
int gw_offset_map_add(gw_offset_map *map, size_t from, size_t to,
                      size_t to_end);
/* Record one character: from-view bytes [from, from + from_len) come from
 * to-view bytes [to, to + to_len), right after the previous character in
 * both views.  Consecutive characters of the same sizes share one anchor. */
int gw_offset_map_add_char(gw_offset_map *map, size_t from, size_t from_len,
                           size_t to, size_t to_len);
/* Where the character starting at `from` came from. */
size_t gw_offset_map_start(const gw_offset_map *map, size_t from);
/* Where a range ending (exclusively) at `from` ends in the to-view: covers a
 * folded character whole and excludes removed bytes that follow it. */
size_t gw_offset_map_end(const gw_offset_map *map, size_t from);
/* The same, searched from *hint (an anchor index a previous call left
 * there; 0 at first): positions looked up in (mostly) ascending order cost
 * a few steps each instead of a binary search over the whole map. */
size_t gw_offset_map_start_near(const gw_offset_map *map, size_t from,
                                size_t *hint);
size_t gw_offset_map_end_near(const gw_offset_map *map, size_t from,
                              size_t *hint);
void gw_offset_map_free(gw_offset_map *map);

/* ---- Documents, for the stages that read them (text/document.c) ---- */

/* Where a walk through a document's offset maps stands: zero it, then map
 * ranges in (mostly) ascending order through it. */
typedef struct gw_document_cursor {
  size_t to_text, to_original; /* anchor hints, one per map */
} gw_document_cursor;

/* A normalized range in the decoded text (gw_document_to_text(norm_start),
 * gw_document_to_text_end(norm_end)) and in the original
 * (gw_document_to_original(norm_start), gw_document_to_original_end(
 * norm_end)): the same values, found by walking the maps from where the
 * cursor stands instead of searching them whole for each offset. */
typedef struct gw_document_place {
  size_t text_start, text_end;
  size_t start, end; /* original */
} gw_document_place;
void gw_document_place_range(const gw_document *doc, size_t norm_start,
                             size_t norm_end, gw_document_cursor *cursor,
                             gw_document_place *place);
/* Whether every normalized offset in [norm_lo, norm_hi] lies in the same
 * byte-for-byte stretch of both maps: then a range in it is placed by
 * adding *to_text (text = norm + *to_text) and *to_original (original =
 * text + *to_original), as gw_document_place_range would place it, for
 * ranges that end after norm_lo.  The cursor is left at norm_lo. */
int gw_document_same_shift(const gw_document *doc, size_t norm_lo,
                           size_t norm_hi, gw_document_cursor *cursor,
                           ptrdiff_t *to_text, ptrdiff_t *to_original);

/* Inputs are limited to what 32-bit offsets address. */
#define GW_MAX_INPUT ((size_t)UINT32_MAX - 16u)

#endif /* GW_INTERNAL_H */
