/*
 * official.c — a document's official formulations as copy detection takes
 * them: the range of every term match.  Text that every report must quote
 * (the dictionary's terms) is not copying; gw-dups, gw-stats and the
 * archive's check all give gw_dups_prepare the same spans, so they come
 * from here.
 */
#include <stdlib.h>

#include "gongwen.h"
#include "internal.h"

int gw_terms_official_spans(gw_range **spans, size_t *n, gw_term_result **scratch,
                            const gw_terms *terms, const gw_document *doc, gw_error *err) {
  *n = 0;
  if (!terms) return GW_OK;
  gw_terms_options opts = GW_TERMS_OPTIONS_INIT;
  opts.matches_only = 1;
  int rc = *scratch ? gw_terms_rematch(*scratch, terms, doc, &opts, err)
                    : gw_terms_match(scratch, terms, doc, &opts, err);
  if (rc) return rc;
  size_t count = gw_term_result_match_count(*scratch);
  /* One more than needed: an empty document still gets an array. */
  gw_range *grown = realloc(*spans, (count + 1) * sizeof *grown);
  if (!grown) return gw_fail(err, GW_ENOMEM, "out of memory");
  *spans = grown;
  for (size_t i = 0; i < count; i++) grown[i] = gw_term_result_match_at(*scratch, i)->range;
  *n = count;
  return GW_OK;
}
