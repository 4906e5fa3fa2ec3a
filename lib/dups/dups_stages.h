/*
 * dups_stages.h — the stages of gw_dups_run over the index (dups_index.h): copied
 * passages (passages.c) and near-duplicate paragraph clusters
 * (clusters.c).  dups.c runs them; they share nothing else.  Private.
 */
#ifndef GW_DUPS_STAGES_H
#define GW_DUPS_STAGES_H

#include "dups_index.h"

/* What the first passage step leaves for the second and for the clusters. */
typedef struct gw_dups_span gw_dups_span;
typedef struct gw_dups_grams gw_dups_grams;
typedef struct gw_dups_runs {
  gw_dups_span *spans;       /* by pair (a, b), then by position in a */
  size_t n_spans;
  gw_dups_pairs para_pairs;  /* eligible paragraphs sharing a run */
  gw_dups_grams *grams;      /* the spans' k-grams and their document
                              * counts, for the generic rule; NULL if none
                              * can be generic */
} gw_dups_runs;

/* gw_dups_run, in steps of two tasks run side by side.  Each returns 0 or GW_ENOMEM.
 * 1. passages.c: sort the fingerprints, extend shared ones into runs and
 *    spans; clusters.c: candidate paragraph pairs from the LSH bands.
 * 2. passages.c: the spans' k-grams for the generic rule; clusters.c:
 *    verify the candidates and the paragraphs sharing a run (a short
 *    paragraph inside a long one, which bands on Jaccard miss), build the
 *    clusters.
 * 3. passages.c: the documents containing each span k-gram, two tasks each
 *    counting half the corpus (part 0 and 1).
 * 4. passages.c: passages, pairs, document ratios and sources. */
int gw_dups_find_runs(gw_dups *d, gw_dups_runs *runs);
int gw_dups_find_candidates(gw_dups *d, gw_dups_pairs *candidates);
int gw_dups_generic_prepare(gw_dups *d, gw_dups_runs *runs);
int gw_dups_clusters(gw_dups *d, gw_dups_pairs *candidates);
int gw_dups_generic_count(const gw_dups *d, gw_dups_runs *runs, int part);
int gw_dups_passages(gw_dups *d, gw_dups_runs *runs);
void gw_dups_runs_free(gw_dups_runs *runs);

#endif /* GW_DUPS_STAGES_H */
