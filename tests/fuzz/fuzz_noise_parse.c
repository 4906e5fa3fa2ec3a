/* Fuzz target: the noise pattern parser (gw_noise_load_buffer, the format of
 * dict/noise.txt).  Patterns it accepts are then applied to a document made
 * of the same bytes, whose lines hold every pattern's text, so that matching
 * and removal run on fuzzed patterns too. */
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gw_noise *noise = NULL;
  gw_error err;
  int rc = gw_noise_load_buffer(&noise, "fuzz.txt", (const char *)data, size, &err);
  if (rc != GW_OK) {
    FUZZ_CHECK(noise == NULL && (rc == GW_EFORMAT || rc == GW_ENOMEM));
    FUZZ_CHECK(err.code == rc && err.message[0] != '\0');
    return 0;
  }
  FUZZ_CHECK(noise != NULL);
  for (int replace = 0; replace <= 1; replace++) {
    gw_document *doc = fuzz_load_document(data, size, noise, replace);
    if (!doc) continue;
    for (size_t i = 0; i < gw_document_removal_count(doc); i++) {
      const gw_removal *r = gw_document_removal_at(doc, i);
      FUZZ_CHECK(r->kind != GW_REMOVED_NOISE || r->pattern >= 0);
    }
    gw_document_free(doc);
  }
  gw_noise_free(noise);
  return 0;
}
