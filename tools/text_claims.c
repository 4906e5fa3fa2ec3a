/* text_claims.c — the set of texts claimed by gw-dups's loaders (see
 * text_claims.h). */
#include "text_claims.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

/* ---- SipHash-2-4 with a 128-bit result (Aumasson and Bernstein): a keyed
 * hash, so that nobody who does not know the run's key can make a report
 * whose hash is another's. ---- */

static uint64_t rotl64(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

static void sip_rounds(uint64_t v[4], int rounds) {
  for (int r = 0; r < rounds; r++) {
    v[0] += v[1]; v[1] = rotl64(v[1], 13); v[1] ^= v[0]; v[0] = rotl64(v[0], 32);
    v[2] += v[3]; v[3] = rotl64(v[3], 16); v[3] ^= v[2];
    v[0] += v[3]; v[3] = rotl64(v[3], 21); v[3] ^= v[0];
    v[2] += v[1]; v[1] = rotl64(v[1], 17); v[1] ^= v[2]; v[2] = rotl64(v[2], 32);
  }
}

static void siphash128(const uint64_t key[2], const unsigned char *p, size_t n, uint64_t out[2]) {
  uint64_t v[4] = {0x736f6d6570736575ull ^ key[0], 0x646f72616e646f6dull ^ key[1] ^ 0xee,
                   0x6c7967656e657261ull ^ key[0], 0x7465646279746573ull ^ key[1]};
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t m = 0;
    for (int k = 7; k >= 0; k--) m = m << 8 | p[i + (size_t)k];
    v[3] ^= m;
    sip_rounds(v, 2);
    v[0] ^= m;
  }
  uint64_t last = (uint64_t)n << 56;
  for (size_t k = 0; i + k < n; k++) last |= (uint64_t)p[i + k] << (8 * k);
  v[3] ^= last;
  sip_rounds(v, 2);
  v[0] ^= last;
  v[2] ^= 0xee;
  sip_rounds(v, 4);
  out[0] = v[0] ^ v[1] ^ v[2] ^ v[3];
  v[1] ^= 0xdd;
  sip_rounds(v, 4);
  out[1] = v[0] ^ v[1] ^ v[2] ^ v[3];
}

/* The text's hash under the run's key, made another by the extension (its
 * case aside). */
static void hash_text(const uint64_t run_key[2], const char *ext, const char *text, size_t n,
                      uint64_t out[2]) {
  uint64_t key[2] = {run_key[0], run_key[1]};
  for (; *ext; ext++)
    key[1] = (key[1] ^ (uint64_t)(*ext >= 'A' && *ext <= 'Z' ? *ext + 'a' - 'A' : *ext)) *
             0x100000001b3ull;
  siphash128(key, (const unsigned char *)text, n, out);
}

/* The slot of hash in c (found or free). */
static gw_claimed_text *claim_slot(const gw_text_claims *c, const uint64_t hash[2]) {
  size_t mask = c->cap - 1, i = (size_t)hash[0] & mask;
  while (c->slot[i].order != SIZE_MAX &&
         (c->slot[i].hash[0] != hash[0] || c->slot[i].hash[1] != hash[1]))
    i = (i + 1) & mask;
  return &c->slot[i];
}

static int grow_claims(gw_text_claims *c) {
  size_t cap = c->cap ? 2 * c->cap : 1024;
  gw_claimed_text *old = c->slot, *slot = malloc(cap * sizeof *slot);
  if (!slot) return -1;
  for (size_t i = 0; i < cap; i++) slot[i].order = SIZE_MAX;
  size_t old_cap = c->cap;
  c->slot = slot;
  c->cap = cap;
  for (size_t i = 0; i < old_cap; i++)
    if (old[i].order != SIZE_MAX) *claim_slot(c, old[i].hash) = old[i];
  free(old);
  return 0;
}

size_t gw_text_claim(gw_text_claims *c, const char *path, const gw_document *doc, size_t order) {
  size_t len;
  const char *text = gw_document_original(doc, &len);
  const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
  uint64_t hash[2];
  hash_text(c->key, dot && (!slash || dot > slash) ? dot + 1 : "", text, len, hash);
  size_t owner = order;
  pthread_mutex_lock(&c->lock);
  if (2 * (c->count + 1) <= c->cap || grow_claims(c) == 0) {
    gw_claimed_text *at = claim_slot(c, hash);
    if (at->order == SIZE_MAX) {
      *at = (gw_claimed_text){{hash[0], hash[1]}, order};
      c->count++;
    } else {
      owner = at->order;
    }
  }
  pthread_mutex_unlock(&c->lock);
  return owner;
}

int gw_text_claims_init(gw_text_claims *c) {
  memset(c, 0, sizeof *c);
  if (getrandom(c->key, sizeof c->key, 0) != (ssize_t)sizeof c->key)
    c->key[0] = c->key[1] = 0x9e3779b97f4a7c15ull;
  return pthread_mutex_init(&c->lock, NULL) == 0 ? 0 : -1;
}

void gw_text_claims_free(gw_text_claims *c) {
  free(c->slot);
  pthread_mutex_destroy(&c->lock);
}
