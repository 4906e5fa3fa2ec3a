/* fuzz_support.c — see fuzz_support.h. */
#include "fuzz_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fuzz_fail(const char *what) {
  fprintf(stderr, "fuzz: invariant broken: %s\n", what);
  fflush(stderr);
  abort();
}

static void open_or_fail(int rc, const gw_error *err) {
  if (rc == GW_OK) return;
  fprintf(stderr, "fuzz: cannot open the shipped data: %s\n", err->message);
  fuzz_fail("shipped data opened");
}

const char *fuzz_dict_path(void) { return GW_DATA_BUILD_DIR "/gongwen.gwd"; }

const fuzz_data *fuzz_shared_data(void) {
  static fuzz_data data;
  static int ready;
  if (ready) return &data;
  gw_error err;
  open_or_fail(gw_dict_load_file(&data.dict, fuzz_dict_path(), &err), &err);
  open_or_fail(gw_noise_load_file(&data.noise, GW_DICT_SOURCE_DIR "/noise.txt", &err), &err);
  open_or_fail(gw_normalizer_new(&data.normalizer, &err), &err);
  open_or_fail(gw_terms_load_file(&data.terms, GW_DICT_SOURCE_DIR "/terms.tsv", &err), &err);
  ready = 1;
  return &data;
}

static void check_range(const gw_range *r, size_t original_len, size_t norm_len) {
  FUZZ_CHECK(r->start <= r->end && r->end <= original_len);
  FUZZ_CHECK(r->norm_start <= r->norm_end && r->norm_end <= norm_len);
}

static int is_char_start(const char *text, size_t len, size_t off) {
  return off == len || ((unsigned char)text[off] & 0xC0) != 0x80;
}

static void check_offset_maps(const gw_document *doc, const char *text, const char *norm,
                              size_t original_len, size_t text_len, size_t norm_len) {
  size_t previous = 0;
  for (size_t off = 0; off <= norm_len; off++) {
    if (!is_char_start(norm, norm_len, off)) continue;
    size_t to_original = gw_document_to_original(doc, off);
    FUZZ_CHECK(to_original <= original_len);
    FUZZ_CHECK(to_original >= previous); /* the map keeps the order */
    previous = to_original;
    FUZZ_CHECK(gw_document_to_original_end(doc, off) <= original_len);
    FUZZ_CHECK(gw_document_to_text(doc, off) <= text_len);
    FUZZ_CHECK(gw_document_to_text_end(doc, off) <= text_len);
  }
  for (size_t off = 0; off <= text_len; off++)
    if (is_char_start(text, text_len, off))
      FUZZ_CHECK(gw_document_text_to_original(doc, off) <= original_len);
}

void fuzz_check_document(const gw_document *doc) {
  size_t original_len, text_len, norm_len;
  gw_document_original(doc, &original_len);
  const char *text = gw_document_text(doc, &text_len);
  const char *norm = gw_document_normalized(doc, &norm_len);
  FUZZ_CHECK(norm[norm_len] == '\0');
  size_t paragraphs = gw_document_paragraph_count(doc);
  for (size_t i = 0; i < paragraphs; i++) {
    const gw_paragraph *p = gw_document_paragraph_at(doc, i);
    check_range(&p->range, original_len, norm_len);
    FUZZ_CHECK(p->heading_level >= 0 && p->heading_level <= 4);
    FUZZ_CHECK(p->section_heading == GW_NO_OFFSET || p->section_heading <= i);
  }
  for (size_t i = 0; i < gw_document_enumeration_count(doc); i++) {
    const gw_enumeration *e = gw_document_enumeration_at(doc, i);
    check_range(&e->marker, original_len, norm_len);
    FUZZ_CHECK(e->paragraph < paragraphs);
  }
  for (size_t i = 0; i < gw_document_mask_count(doc); i++)
    check_range(gw_document_mask_at(doc, i), original_len, norm_len);
  for (size_t i = 0; i < gw_document_removal_count(doc); i++) {
    const gw_removal *r = gw_document_removal_at(doc, i);
    check_range(&r->range, original_len, norm_len);
    FUZZ_CHECK(r->range.norm_start == r->range.norm_end);
  }
  check_offset_maps(doc, text, norm, original_len, text_len, norm_len);
}

gw_document *fuzz_load_document(const uint8_t *data, size_t size,
                                const gw_noise *noise, int replace_invalid) {
  const fuzz_data *shared = fuzz_shared_data();
  gw_document_options opts = GW_DOCUMENT_OPTIONS_INIT;
  opts.noise = noise ? noise : shared->noise;
  opts.normalizer = shared->normalizer;
  opts.replace_invalid = replace_invalid;
  gw_document *doc = NULL;
  gw_error err;
  int rc = gw_document_load_buffer(&doc, "fuzz", data, size, &opts, &err);
  if (rc != GW_OK) {
    FUZZ_CHECK(doc == NULL && err.code == rc && err.message[0] != '\0');
    return NULL;
  }
  fuzz_check_document(doc);
  return doc;
}

void fuzz_check_tokens(const gw_token *tokens, size_t n, size_t len) {
  size_t covered = 0, outer_start = 0;
  for (size_t i = 0; i < n; i++) {
    const gw_token *t = &tokens[i];
    FUZZ_CHECK(t->start < t->end && t->end <= len);
    if (t->sub) {
      FUZZ_CHECK(i > 0 && t->start >= outer_start && t->end <= covered);
      continue;
    }
    FUZZ_CHECK(t->start == covered);
    outer_start = t->start;
    covered = t->end;
  }
  FUZZ_CHECK(covered == len);
}
