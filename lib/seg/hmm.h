/* hmm.h — the B/M/E/S hidden Markov model for unknown words (jieba's
 * finalseg tables, stored in the compiled dictionary). Private. */
#ifndef GW_HMM_H
#define GW_HMM_H

#include <stddef.h>
#include <stdint.h>

#include "lexicon.h"

/* Most likely state sequence (GW_HMM_B/E/M/S) for the characters whose
 * dictionary codes are codes[0..n).  prob and back are caller-provided
 * scratch of 4 * n elements each. */
void gw_hmm_viterbi(const gw_dict *dict, const uint32_t *codes, size_t n,
                    double *prob, uint8_t *back, uint8_t *states);

#endif
