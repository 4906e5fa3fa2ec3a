/*
 * document.c — a loaded document: the original bytes, the decoded text, the
 * normalized view, and the structure found in it with every range mapped
 * back to the original file.
 *
 * Loading runs the stages of stages.h in order — gw_decode → gw_normalize →
 * gw_structure_build — and then converts the structure's normalized ranges
 * into gw_range once, so the accessors are plain array reads.
 *
 * Memory: the document keeps the original bytes, the decoded text only when
 * decoding had to convert (UTF-8 without BOM is used in place), the
 * normalized view, the two offset maps (anchors only where the views stop
 * advancing together) and the small per-paragraph arrays.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "stages.h"

struct gw_document {
  char *name;
  unsigned char *original;
  size_t original_len;
  gw_decoded decoded;  /* text → original */
  gw_normalized norm;  /* normalized → text, removals */
  gw_paragraph *paragraphs;
  size_t paragraph_count;
  gw_enumeration *enumerations;
  size_t enumeration_count;
  gw_range *masks;
  size_t mask_count;
  gw_removal *removals;
  size_t removal_count;
};

/* ------------------------------------------------------------------ */
/* Offsets                                                             */
/* ------------------------------------------------------------------ */

static size_t clamp(size_t off, size_t len) { return off < len ? off : len; }

size_t gw_document_to_text(const gw_document *doc, size_t norm_off) {
  if (!doc) return 0;
  return gw_offset_map_start(&doc->norm.to_text, clamp(norm_off, doc->norm.len));
}

size_t gw_document_to_text_end(const gw_document *doc, size_t norm_end) {
  if (!doc) return 0;
  return gw_offset_map_end(&doc->norm.to_text, clamp(norm_end, doc->norm.len));
}

size_t gw_document_text_to_original(const gw_document *doc, size_t text_off) {
  if (!doc) return 0;
  return gw_offset_map_start(&doc->decoded.to_original,
                             clamp(text_off, doc->decoded.len));
}

/* The original end of a text range ending (exclusively) at text_end. */
static size_t text_to_original_end(const gw_document *doc, size_t text_end) {
  return gw_offset_map_end(&doc->decoded.to_original,
                           clamp(text_end, doc->decoded.len));
}

size_t gw_document_to_original(const gw_document *doc, size_t norm_off) {
  if (!doc) return 0;
  return gw_document_text_to_original(doc, gw_document_to_text(doc, norm_off));
}

size_t gw_document_to_original_end(const gw_document *doc, size_t norm_end) {
  if (!doc) return 0;
  return text_to_original_end(doc, gw_document_to_text_end(doc, norm_end));
}

/* The start of lo and the end of hi in map (gw_offset_map_start_near,
 * gw_offset_map_end_near) when both lie in one byte-for-byte stretch: the
 * one before the first anchor, or the anchor at *hint, with no anchor
 * after it up to hi and hi past its own offset (an end there is placed by
 * to_end).  0 otherwise: the caller searches.  The hint stays where the
 * searches would leave it.  Consecutive tokens mostly fall in the stretch
 * of the one before. */
static int place_in_stretch(const gw_offset_map *map, size_t hint, size_t lo, size_t hi,
                            size_t *start, size_t *end) {
  size_t count = map->count;
  if (lo > hi) return 0;
  if (count == 0 || map->from[0] > hi) {
    *start = lo;
    *end = hi;
    return 1;
  }
  if (hint >= count || map->from[hint] > lo || map->from_step[hint] ||
      map->from[hint] >= hi || (hint + 1 < count && map->from[hint + 1] <= hi))
    return 0;
  *start = map->to[hint] + (lo - map->from[hint]);
  *end = map->to[hint] + (hi - map->from[hint]);
  return 1;
}

/* gw_document_place_range where a map's stretch at the cursor does not
 * hold the range: the searches.  Apart, so that the common case below
 * keeps to a few registers (no saving and restoring them each call). */
#ifdef __GNUC__
#define GW_DOCUMENT_NOINLINE __attribute__((noinline))
#else
#define GW_DOCUMENT_NOINLINE
#endif
static GW_DOCUMENT_NOINLINE void place_range_searched(const gw_document *doc, size_t ns, size_t ne,
                                                      gw_document_cursor *cursor,
                                                      gw_document_place *place) {
  const gw_offset_map *to_text = &doc->norm.to_text;
  const gw_offset_map *to_original = &doc->decoded.to_original;
  size_t text_len = doc->decoded.len;
  if (!place_in_stretch(to_text, cursor->to_text, ns, ne, &place->text_start, &place->text_end)) {
    place->text_start = gw_offset_map_start_near(to_text, ns, &cursor->to_text);
    place->text_end = gw_offset_map_end_near(to_text, ne, &cursor->to_text);
  }
  size_t ts = clamp(place->text_start, text_len), te = clamp(place->text_end, text_len);
  if (!place_in_stretch(to_original, cursor->to_original, ts, te, &place->start, &place->end)) {
    place->start = gw_offset_map_start_near(to_original, ts, &cursor->to_original);
    place->end = gw_offset_map_end_near(to_original, te, &cursor->to_original);
  }
}

void gw_document_place_range(const gw_document *doc, size_t norm_start,
                             size_t norm_end, gw_document_cursor *cursor,
                             gw_document_place *place) {
  size_t ns = clamp(norm_start, doc->norm.len), ne = clamp(norm_end, doc->norm.len);
  size_t ts, te, start, end;
  /* Consecutive ranges mostly fall in the stretch of the one before, and a
   * UTF-8 file's decoded text is the file (no anchors). */
  if (GW_LIKELY(place_in_stretch(&doc->norm.to_text, cursor->to_text, ns, ne, &ts, &te)) &&
      GW_LIKELY(ts <= te && te <= doc->decoded.len) &&
      GW_LIKELY(place_in_stretch(&doc->decoded.to_original, cursor->to_original, ts, te,
                                 &start, &end))) {
    place->text_start = ts;
    place->text_end = te;
    place->start = start;
    place->end = end;
    return;
  }
  place_range_searched(doc, ns, ne, cursor, place);
}

/* The last anchor of map at or before pos, 0 if none (where a walk from
 * the first anchor would start): what the near look-ups leave in their
 * hint. */
static size_t last_anchor_at_or_before(const gw_offset_map *map, size_t pos) {
  size_t lo = 0, hi = map->count;
  if (hi == 0 || map->from[0] > pos) return 0;
  while (hi - lo > 1) { /* from[lo] <= pos < from[hi] (hi = count: past the end) */
    size_t mid = lo + (hi - lo) / 2;
    if (map->from[mid] <= pos) lo = mid;
    else hi = mid;
  }
  return lo;
}

/* Whether map shifts every offset of [lo, hi] by the same amount (*shift),
 * anchor being the last anchor at or before lo (count: none): no anchor
 * after lo up to hi, and at lo a byte-for-byte stretch.  An offset equal
 * to the anchor's own (only lo can be) ends a range differently
 * (gw_offset_map_end): hence "ranges that end after norm_lo". */
static int map_same_shift(const gw_offset_map *map, size_t anchor, size_t lo,
                          size_t hi, ptrdiff_t *shift) {
  if (anchor >= map->count || map->from[anchor] > lo) {
    if (map->count && map->from[0] <= hi) return 0;
    *shift = 0;
    return 1;
  }
  if (map->from_step[anchor] ||
      (anchor + 1 < map->count && map->from[anchor + 1] <= hi))
    return 0;
  *shift = (ptrdiff_t)map->to[anchor] - (ptrdiff_t)map->from[anchor];
  return 1;
}

int gw_document_same_shift(const gw_document *doc, size_t norm_lo,
                           size_t norm_hi, gw_document_cursor *cursor,
                           ptrdiff_t *to_text, ptrdiff_t *to_original) {
  const gw_offset_map *text_map = &doc->norm.to_text;
  const gw_offset_map *original_map = &doc->decoded.to_original;
  if (norm_lo > norm_hi || norm_hi > doc->norm.len) return 0;
  /* The near look-ups leave the cursor on the last anchor at or before
   * the offset, when there is one.  A fresh cursor (each paragraph's
   * tokens start one) is put there by a binary search first: walking out
   * from the first anchor takes twice the steps. */
  if (cursor->to_text == 0) cursor->to_text = last_anchor_at_or_before(text_map, norm_lo);
  size_t text_lo = gw_offset_map_start_near(text_map, norm_lo, &cursor->to_text);
  if (!map_same_shift(text_map, cursor->to_text, norm_lo, norm_hi, to_text))
    return 0;
  size_t text_hi = norm_hi + (size_t)*to_text;
  if (text_hi > doc->decoded.len) return 0;
  gw_offset_map_start_near(original_map, text_lo, &cursor->to_original);
  return map_same_shift(original_map, cursor->to_original, text_lo, text_hi,
                        to_original);
}

/* A normalized range [ns, ne) in the three views.  The ranges of one array
 * come in order, so the maps are walked from the cursor (the same offsets
 * as gw_document_to_original and gw_document_to_original_end). */
static gw_range norm_range(const gw_document *doc, size_t ns, size_t ne,
                           gw_document_cursor *cursor) {
  gw_document_place place;
  gw_document_place_range(doc, ns, ne, cursor, &place);
  gw_range r;
  r.norm_start = ns;
  r.norm_end = ne;
  r.start = place.start;
  r.end = ne > ns ? place.end : r.start;
  if (r.end < r.start) r.end = r.start;
  return r;
}

/* ------------------------------------------------------------------ */
/* Building                                                            */
/* ------------------------------------------------------------------ */

/* The structure's arrays, adopted: their normalized ranges are mapped to
 * the other views in place (each array's ranges come in order, so the maps
 * are walked from a cursor of its own). */
static void convert_paragraphs(gw_document *doc, gw_structure *s) {
  gw_document_cursor cursor = {0, 0};
  for (size_t i = 0; i < s->paragraph_count; i++) {
    gw_range *r = &s->paragraphs[i].range;
    *r = norm_range(doc, r->norm_start, r->norm_end, &cursor);
  }
  doc->paragraphs = s->paragraphs;
  doc->paragraph_count = s->paragraph_count;
  s->paragraphs = NULL;
  s->paragraph_count = 0;
}

static void convert_spans(gw_document *doc, gw_structure *s) {
  gw_document_cursor cursor = {0, 0};
  for (size_t i = 0; i < s->enumeration_count; i++) {
    gw_range *r = &s->enumerations[i].marker;
    *r = norm_range(doc, r->norm_start, r->norm_end, &cursor);
  }
  doc->enumerations = s->enumerations;
  doc->enumeration_count = s->enumeration_count;
  s->enumerations = NULL;
  s->enumeration_count = 0;
  cursor = (gw_document_cursor){0, 0};
  for (size_t i = 0; i < s->mask_count; i++) {
    gw_range *r = &s->masks[i];
    *r = norm_range(doc, r->norm_start, r->norm_end, &cursor);
  }
  doc->masks = s->masks;
  doc->mask_count = s->mask_count;
  s->masks = NULL;
  s->mask_count = 0;
}

/* A large array on huge pages (malloc's fresh pages would fault in one by
 * one); the caller clears each element (padding included: callers compare
 * them with memcmp) as it fills it. */
static void *alloc_array(size_t count, size_t size) {
  if (count > SIZE_MAX / size) return NULL;
  return gw_alloc_large(count ? count * size : size);
}

static int convert_removals(gw_document *doc) {
  const gw_normalized *n = &doc->norm;
  doc->removals = alloc_array(n->removal_count, sizeof *doc->removals);
  if (!doc->removals) return GW_ENOMEM;
  const gw_offset_map *map = &doc->decoded.to_original;
  size_t hint = 0, text_len = doc->decoded.len;
  for (size_t i = 0; i < n->removal_count; i++) {
    const gw_text_removal *t = &n->removals[i];
    gw_removal *r = &doc->removals[i];
    memset(r, 0, sizeof *r);
    /* gw_document_text_to_original and text_to_original_end, walked. */
    r->range.start =
        gw_offset_map_start_near(map, clamp(t->start, text_len), &hint);
    r->range.end = gw_offset_map_end_near(map, clamp(t->end, text_len), &hint);
    r->range.norm_start = r->range.norm_end = t->norm_pos;
    r->kind = t->kind;
    r->pattern = t->pattern;
  }
  doc->removal_count = n->removal_count;
  /* The text-offset copies are not needed any more. */
  free(doc->norm.removals);
  doc->norm.removals = NULL;
  doc->norm.removal_count = 0;
  return GW_OK;
}

/* Prefix a stage's message with the document's name. */
static int stage_failed(gw_error *err, const gw_error *stage, int rc,
                        const char *name) {
  return gw_fail_at(err, rc, stage->offset, stage->line, stage->sys_errno,
                    "%s: %s", name, stage->message);
}

static int build(gw_document *doc, const gw_document_options *opts,
                 gw_error *err) {
  int rc = gw_decode(doc->original, doc->original_len, doc->name,
                     opts->encoding, opts->replace_invalid, &doc->decoded, err);
  if (rc < 0) return rc;
  gw_error stage;
  memset(&stage, 0, sizeof stage);
  rc = gw_normalize(opts->normalizer, opts->noise, doc->decoded.text,
                    doc->decoded.len, &doc->norm, &stage);
  if (rc < 0) return stage_failed(err, &stage, rc, doc->name);
  gw_structure s;
  memset(&s, 0, sizeof s);
  rc = gw_structure_build(doc->norm.text, doc->norm.len, &s, &stage);
  if (rc < 0) return stage_failed(err, &stage, rc, doc->name);
  convert_paragraphs(doc, &s);
  convert_spans(doc, &s);
  rc = convert_removals(doc);
  gw_structure_free(&s);
  if (rc < 0) return gw_fail(err, rc, "%s: out of memory", doc->name);
  return GW_OK;
}

static int check_options(const gw_document_options *opts, const char *name,
                         gw_error *err) {
  if (opts->version < 1 || opts->version > GW_DOCUMENT_OPTIONS_VERSION)
    return gw_fail(err, GW_EINVAL,
                   "%s: unsupported gw_document_options version %u "
                   "(this library knows version %d)",
                   name, opts->version, GW_DOCUMENT_OPTIONS_VERSION);
  if (opts->encoding < GW_ENCODING_AUTO || opts->encoding > GW_ENCODING_GB18030)
    return gw_fail(err, GW_EINVAL, "%s: unknown encoding %d", name,
                   (int)opts->encoding);
  return GW_OK;
}

/* Load from bytes the document takes ownership of (freed on failure). */
static int load(gw_document **out, const char *name, unsigned char *bytes,
                size_t len, const gw_document_options *opts, gw_error *err) {
  /* Word, WPS, PDF, OFD, web pages (lib/formats): the document reads the
   * extracted text, UTF-8, and its offsets index that text. */
  int extracted;
  gw_document_options extracted_opts;
  int rc = gw_formats_to_text(name, &bytes, &len, &extracted, err);
  if (rc < 0) {
    free(bytes);
    return rc;
  }
  if (extracted) {
    extracted_opts = *opts;
    extracted_opts.encoding = GW_ENCODING_UTF8;
    opts = &extracted_opts;
  }
  gw_document *doc = calloc(1, sizeof *doc);
  char *copy = malloc(strlen(name) + 1);
  if (!doc || !copy) {
    free(doc);
    free(copy);
    free(bytes);
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
  }
  strcpy(copy, name);
  doc->name = copy;
  doc->original = bytes;
  doc->original_len = len;
  rc = build(doc, opts, err);
  if (rc < 0) {
    gw_document_free(doc);
    return rc;
  }
  *out = doc;
  return GW_OK;
}

int gw_document_load_buffer(gw_document **out, const char *name,
                            const void *data, size_t len,
                            const gw_document_options *opts, gw_error *err) {
  static const gw_document_options defaults = GW_DOCUMENT_OPTIONS_INIT;
  if (!out)
    return gw_fail(err, GW_EINVAL, "gw_document_load_buffer: out is NULL");
  *out = NULL;
  if (!name) name = "<buffer>";
  if (!data && len > 0) return gw_fail(err, GW_EINVAL, "%s: data is NULL", name);
  if (!opts) opts = &defaults;
  int rc = check_options(opts, name, err);
  if (rc < 0) return rc;
  if (len > GW_MAX_INPUT)
    return gw_fail(err, GW_ETOOBIG, "%s: input too large (%zu bytes)", name, len);
  unsigned char *bytes = gw_alloc_large(len);
  if (!bytes) return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
  if (len) memcpy(bytes, data, len);
  return load(out, name, bytes, len, opts, err);
}

typedef struct prefix_check {
  const char *path;
  gw_encoding encoding;
} prefix_check;

static int check_prefix(const unsigned char *bytes, size_t len, void *payload,
                        gw_error *err) {
  const prefix_check *c = payload;
  return gw_decode_check_prefix(bytes, len, c->path, c->encoding, err);
}

int gw_document_load_file(gw_document **out, const char *path,
                          const gw_document_options *opts, gw_error *err) {
  static const gw_document_options defaults = GW_DOCUMENT_OPTIONS_INIT;
  if (!out)
    return gw_fail(err, GW_EINVAL, "gw_document_load_file: out is NULL");
  *out = NULL;
  if (!path)
    return gw_fail(err, GW_EINVAL, "gw_document_load_file: path is NULL");
  if (!opts) opts = &defaults;
  int rc = check_options(opts, path, err);
  if (rc < 0) return rc;
  unsigned char *bytes = NULL;
  size_t len = 0;
  /* An endless device (/dev/zero) is refused after its first megabyte. */
  prefix_check payload = {path, opts->encoding};
  gw_read_check check = {GW_DECODE_PREFIX_BYTES, check_prefix, &payload};
  rc = gw_read_file_checked(path, &check, &bytes, &len, err);
  if (rc < 0) return rc;
  return load(out, path, bytes, len, opts, err);
}

void gw_document_free(gw_document *doc) {
  if (!doc) return;
  gw_normalized_free(&doc->norm);
  gw_decoded_free(&doc->decoded);
  free(doc->original);
  free(doc->name);
  gw_huge_array_free(doc->paragraphs);
  gw_huge_array_free(doc->enumerations);
  gw_huge_array_free(doc->masks);
  free(doc->removals);
  free(doc);
}

/* ------------------------------------------------------------------ */
/* Accessors                                                           */
/* ------------------------------------------------------------------ */

const char *gw_document_name(const gw_document *doc) {
  return doc ? doc->name : NULL;
}

gw_encoding gw_document_encoding(const gw_document *doc) {
  return doc ? doc->decoded.encoding : GW_ENCODING_UTF8;
}

size_t gw_document_replacements(const gw_document *doc) {
  return doc ? doc->decoded.replacements : 0;
}

static const char *view(const char *text, size_t n, size_t *len) {
  if (len) *len = n;
  return text;
}

const char *gw_document_original(const gw_document *doc, size_t *len) {
  if (!doc) return view(NULL, 0, len);
  return view((const char *)doc->original, doc->original_len, len);
}

const char *gw_document_text(const gw_document *doc, size_t *len) {
  if (!doc) return view(NULL, 0, len);
  return view(doc->decoded.text, doc->decoded.len, len);
}

const char *gw_document_normalized(const gw_document *doc, size_t *len) {
  if (!doc) return view(NULL, 0, len);
  return view(doc->norm.text, doc->norm.len, len);
}

size_t gw_document_char_count(const gw_document *doc) {
  return doc ? doc->norm.char_count : 0;
}

size_t gw_document_paragraph_count(const gw_document *doc) {
  return doc ? doc->paragraph_count : 0;
}

const gw_paragraph *gw_document_paragraph_at(const gw_document *doc,
                                          size_t index) {
  return doc && index < doc->paragraph_count ? &doc->paragraphs[index] : NULL;
}

size_t gw_document_enumeration_count(const gw_document *doc) {
  return doc ? doc->enumeration_count : 0;
}

const gw_enumeration *gw_document_enumeration_at(const gw_document *doc,
                                              size_t index) {
  return doc && index < doc->enumeration_count ? &doc->enumerations[index]
                                               : NULL;
}

size_t gw_document_mask_count(const gw_document *doc) {
  return doc ? doc->mask_count : 0;
}

const gw_range *gw_document_mask_at(const gw_document *doc, size_t index) {
  return doc && index < doc->mask_count ? &doc->masks[index] : NULL;
}

size_t gw_document_removal_count(const gw_document *doc) {
  return doc ? doc->removal_count : 0;
}

const gw_removal *gw_document_removal_at(const gw_document *doc, size_t index) {
  return doc && index < doc->removal_count ? &doc->removals[index] : NULL;
}

const char *gw_removal_kind_name(gw_removal_kind kind) {
  switch (kind) {
  case GW_REMOVED_NOISE: return "noise";
  case GW_REMOVED_PAGE_NUMBER: return "page_number";
  case GW_REMOVED_PINYIN: return "pinyin";
  }
  return "unknown";
}

const char *gw_section_type_name(gw_section_type type) {
  switch (type) {
  case GW_SECTION_NONE: return "none";
  case GW_SECTION_WORK_DONE: return "work_done";
  case GW_SECTION_PROBLEMS: return "problems";
  case GW_SECTION_NEXT_STEPS: return "next_steps";
  case GW_SECTION_OTHER: return "other";
  }
  return "unknown";
}
