/* text_claims.h — the same document handed in twice, found as gw-dups
 * loads it.  Two inputs with the same text (the same bytes, or documents extracted to
 * the same text) and the same extension (which may decide how a file is
 * read) are the same document handed in by two units: both are reported,
 * exact copies of each other, but the second is not matched against the
 * terms or prepared again (gw_dups_add_copy).  The loaders claim each text
 * by a 128-bit keyed hash of it as they load it: the first input to claim
 * it is its owner, and a later input finding an earlier owner is its copy. */
#ifndef GW_TEXT_CLAIMS_H
#define GW_TEXT_CLAIMS_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "gongwen.h"

typedef struct gw_claimed_text {
  uint64_t hash[2];
  size_t order; /* the owner's input order; SIZE_MAX: a free slot */
} gw_claimed_text;

typedef struct gw_text_claims {
  uint64_t key[2]; /* random, this run's */
  pthread_mutex_t lock;
  gw_claimed_text *slot;
  size_t cap, count; /* cap a power of two, at most half full */
} gw_text_claims;

/* An empty set under a random key (a fixed one where the system gives no
 * randomness: copies are still found).  0, or -1 (nothing to free). */
int gw_text_claims_init(gw_text_claims *c);
void gw_text_claims_free(gw_text_claims *c);

/* The input that owns doc's text (path's extension counted with it): the
 * first to claim it, or `order` when this is the first (also out of
 * memory, when it cannot be recorded).  Thread-safe. */
size_t gw_text_claim(gw_text_claims *c, const char *path, const gw_document *doc, size_t order);

#endif
