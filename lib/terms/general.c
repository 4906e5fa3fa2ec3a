/*
 * general.c — how common a word is in general text, for weighing a term
 * against the genre (gw-gap ranks missing terms by it).  It reads the
 * compiled dictionary's model; it lives beside the terms rather than in
 * lib/seg/lexicon.c only because that file had another owner when it was
 * written, and may move there unchanged.
 */
#include <math.h>

#include "lexicon.h"

double gw_dict_probability(const gw_dict *dict, const char *word, size_t len) {
  if (!dict || !word || !len) return 0;
  double logp = gw_dict_word_logp(dict, word, len);
  /* Absent words and user words of frequency 0 carry GW_LOG_ZERO. */
  return logp <= GW_LOG_ZERO / 2 ? 0 : exp(logp);
}
