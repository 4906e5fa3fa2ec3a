/* Fuzz target: bytes → document (decode, normalize, structure, noise) →
 * segments, with and without replacing invalid sequences, and the raw bytes
 * straight into the segmenter.  Every call must return without crashing,
 * leaking or reading out of bounds, every range and offset a document
 * reports must lie inside its views, and the tokens must cover the text. */
#include "fuzz_support.h"

static gw_segmenter *search_segmenter(void) {
  static gw_segmenter *seg;
  if (!seg) {
    gw_segment_options opts = GW_SEGMENT_OPTIONS_INIT;
    opts.mode = GW_SEGMENT_SEARCH;
    if (gw_segmenter_new(&seg, fuzz_shared_data()->dict, &opts, NULL) != GW_OK)
      fuzz_fail("segmenter created");
  }
  return seg;
}

static void segment_and_check(const char *text, size_t len) {
  const gw_token *tokens;
  size_t n;
  FUZZ_CHECK(gw_segment(search_segmenter(), text, len, &tokens, &n, NULL) == GW_OK);
  fuzz_check_tokens(tokens, n, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  for (int replace = 0; replace <= 1; replace++) {
    gw_document *doc = fuzz_load_document(data, size, NULL, replace);
    if (!doc) continue;
    size_t norm_len;
    const char *norm = gw_document_normalized(doc, &norm_len);
    segment_and_check(norm, norm_len);
    gw_document_free(doc);
  }
  segment_and_check((const char *)data, size);
  return 0;
}
