/*
 * normalizer_version.c — the version of what a document's normalized view
 * is: decoding, noise removal, folding, masks, paragraphs and their
 * offsets.  Whatever stores results derived from normalized text (the
 * archive) records it, and refuses to mix them with a library whose
 * normalized output differs.
 */
#include "gongwen.h"

unsigned gw_normalizer_version(void) { return GW_NORMALIZER_VERSION; }
