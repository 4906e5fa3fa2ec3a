/*
 * archive_text.h — an archived document's text read back, shared by
 * archive.c (gw_archive_document_load) and text.c (gw_archive_text_load),
 * apart from the segment layout so that text.c can read the formats' and
 * decoder's headers beside it.  Private.
 */
#ifndef GW_ARCHIVE_TEXT_H
#define GW_ARCHIVE_TEXT_H

#include "internal.h"

/* Archive document i's text (the original, as added) into *text
 * (malloc'd, *len bytes; the caller frees it), checked against its
 * checksum (GW_EDAMAGED names the segment and the document); its path and
 * the encoding options it was added with (*encoding a gw_encoding as
 * stored, unchecked). */
int gw_archive_text_read(const gw_archive *a, size_t i, unsigned char **text, size_t *len,
                         int *encoding, int *replace_invalid, const char **path,
                         gw_error *err);

#endif
