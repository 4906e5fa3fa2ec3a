/*
 * text.c — an archived document's text decoded only (gw_archive_text_*):
 * the first steps of gw_archive_document_load (the text read and checked,
 * a converted format's text taken as UTF-8, decoded with the encoding
 * options it was added with), stopping before the normalized view.
 */
#include <stdlib.h>

#include "archive_text.h"
#include "formats.h"
#include "stages.h"

struct gw_archive_text {
  unsigned char *original;
  size_t original_len;
  gw_decoded decoded;
};

void gw_archive_text_free(gw_archive_text *t) {
  if (!t) return;
  gw_decoded_free(&t->decoded);
  free(t->original);
  free(t);
}

int gw_archive_text_load(gw_archive_text **out, const gw_archive *a, size_t index,
                         gw_error *err) {
  if (!out || !a) return gw_fail(err, GW_EINVAL, "gw_archive_text_load: invalid argument");
  *out = NULL;
  gw_archive_text *t = calloc(1, sizeof *t);
  if (!t) return gw_fail(err, GW_ENOMEM, "gw_archive_text_load: out of memory");
  int encoding, replace_invalid;
  const char *path;
  int rc = gw_archive_text_read(a, index, &t->original, &t->original_len, &encoding,
                                &replace_invalid, &path, err);
  /* As gw_document_load_buffer checks its options and reads the bytes. */
  if (!rc && (encoding < GW_ENCODING_AUTO || encoding > GW_ENCODING_GB18030))
    rc = gw_fail(err, GW_EINVAL, "%s: unknown encoding %d", path, encoding);
  int converted = 0;
  if (!rc) rc = gw_formats_to_text(path, &t->original, &t->original_len, &converted, err);
  if (rc) {
    gw_archive_text_free(t);
    return rc;
  }
  rc = gw_decode(t->original, t->original_len, path,
                 converted ? GW_ENCODING_UTF8 : (gw_encoding)encoding, replace_invalid,
                 &t->decoded, err);
  if (rc < 0) {
    gw_archive_text_free(t);
    return rc;
  }
  *out = t;
  return GW_OK;
}

size_t gw_archive_text_original_length(const gw_archive_text *t) {
  return t ? t->original_len : 0;
}

const char *gw_archive_text_decoded(const gw_archive_text *t, size_t *len) {
  *len = t ? t->decoded.len : 0;
  return t && t->decoded.text ? t->decoded.text : "";
}

gw_encoding gw_archive_text_encoding(const gw_archive_text *t) {
  return t ? t->decoded.encoding : GW_ENCODING_AUTO;
}

size_t gw_archive_text_replacements(const gw_archive_text *t) {
  return t ? t->decoded.replacements : 0;
}

size_t gw_archive_text_to_original(const gw_archive_text *t, size_t text_offset) {
  if (!t) return 0;
  if (text_offset > t->decoded.len) text_offset = t->decoded.len;
  return gw_offset_map_start(&t->decoded.to_original, text_offset);
}
