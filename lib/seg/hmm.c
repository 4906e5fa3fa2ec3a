/* hmm.c — Viterbi decoding of the B/M/E/S model, as jieba's finalseg does it,
 * so that gongwen's unknown-word handling starts from the same baseline. */
#include "hmm.h"

/* The states each state may follow (jieba's PrevStatus). */
static const uint8_t previous_states[4][2] = {
    [GW_HMM_B] = {GW_HMM_E, GW_HMM_S},
    [GW_HMM_E] = {GW_HMM_B, GW_HMM_M},
    [GW_HMM_M] = {GW_HMM_M, GW_HMM_B},
    [GW_HMM_S] = {GW_HMM_S, GW_HMM_E},
};

/* Emissions by character code; codes added by user dictionaries (above the
 * alphabet) have none, like code 0. */
static const gw_hmm_emit *emissions(const gw_dict *d, uint32_t code) {
  return &d->emit[code <= d->header->alphabet_size ? code : 0];
}

void gw_hmm_viterbi(const gw_dict *dict, const uint32_t *codes, size_t n,
                    double *prob, uint8_t *back, uint8_t *states) {
  if (n == 0) return;
  const gw_dict_header *h = dict->header;
  const gw_hmm_emit *e = emissions(dict, codes[0]);
  for (int s = 0; s < 4; s++) {
    prob[s] = h->hmm_start[s] + e->logp[s];
    back[s] = (uint8_t)s;
  }
  for (size_t t = 1; t < n; t++) {
    e = emissions(dict, codes[t]);
    for (int s = 0; s < 4; s++) {
      double em = e->logp[s];
      int p0 = previous_states[s][0], p1 = previous_states[s][1];
      double c0 = prob[(t - 1) * 4 + p0] + h->hmm_trans[p0][s] + em;
      double c1 = prob[(t - 1) * 4 + p1] + h->hmm_trans[p1][s] + em;
      /* jieba compares (prob, state) tuples: on a tie the later letter wins. */
      int take1 = c1 > c0 || (c1 == c0 && "BEMS"[p1] > "BEMS"[p0]);
      prob[t * 4 + s] = take1 ? c1 : c0;
      back[t * 4 + s] = (uint8_t)(take1 ? p1 : p0);
    }
  }
  size_t last = (n - 1) * 4;
  int state = prob[last + GW_HMM_S] >= prob[last + GW_HMM_E] ? GW_HMM_S : GW_HMM_E;
  for (size_t t = n; t-- > 0;) {
    states[t] = (uint8_t)state;
    state = back[t * 4 + state];
  }
}
