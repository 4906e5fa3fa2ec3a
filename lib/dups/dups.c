/*
 * dups.c — the copy-detection handle: options, running the stages of
 * dups_stages.h, and the result accessors.  Documents are added by index.c.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "dups_stages.h"

/* The caller's options as the current version: a version-1 caller's
 * struct ends before the version-2 fields, which keep their defaults. */
static int read_options(const gw_dups_options *in, gw_dups_options *o, gw_error *err) {
  static const gw_dups_options defaults = GW_DUPS_OPTIONS_INIT;
  if (in->version < 1 || in->version > GW_DUPS_OPTIONS_VERSION)
    return gw_fail(err, GW_EINVAL, "gw_dups: options version %u, expected 1 to %u",
                   in->version, (unsigned)GW_DUPS_OPTIONS_VERSION);
  *o = defaults;
  memcpy(o, in, in->version == 1 ? offsetof(gw_dups_options, template_min) : sizeof *o);
  o->version = GW_DUPS_OPTIONS_VERSION;
  return GW_OK;
}

static int check_options(const gw_dups_options *o, gw_error *err) {
  if (o->shingle_k < 1 || o->shingle_k > 64)
    return gw_fail(err, GW_EINVAL, "gw_dups: shingle_k must be 1 to 64");
  if (o->minhash_count < 1 || o->bands < 1 || o->minhash_count % o->bands)
    return gw_fail(err, GW_EINVAL, "gw_dups: bands must divide minhash_count");
  if (!(o->min_jaccard > 0.0 && o->min_jaccard <= 1.0))
    return gw_fail(err, GW_EINVAL, "gw_dups: min_jaccard must be in (0, 1]");
  if (!(o->min_containment > 0.0))
    return gw_fail(err, GW_EINVAL, "gw_dups: min_containment must be positive");
  if (o->passage_t < 2 || o->passage_t > 13 || o->passage_k < 1 ||
      o->passage_k > o->passage_t)
    return gw_fail(err, GW_EINVAL,
                   "gw_dups: need 1 <= passage_k <= passage_t <= 13");
  if (o->template_min < 2)
    return gw_fail(err, GW_EINVAL, "gw_dups: template_min must be at least 2");
  return GW_OK;
}

int gw_dups_new(gw_dups **out, const gw_dups_options *opts, gw_error *err) {
  static const gw_dups_options defaults = GW_DUPS_OPTIONS_INIT;
  gw_dups_options o;
  *out = NULL;
  int rc = read_options(opts ? opts : &defaults, &o, err);
  if (!rc) rc = check_options(&o, err);
  if (rc) return rc;
  gw_dups *d = calloc(1, sizeof *d);
  if (d) d->store = gw_dups_store_new();
  if (!d || !d->store) {
    free(d);
    return gw_fail(err, GW_ENOMEM, "gw_dups: out of memory");
  }
  d->opts = o;
  *out = d;
  return GW_OK;
}

static void clear_results(gw_dups *d) {
  free(d->info); free(d->sources); free(d->pairs); free(d->passages);
  free(d->clusters); free(d->members); free(d->families); free(d->family_members);
  d->info = NULL; d->sources = NULL; d->pairs = NULL; d->passages = NULL;
  d->clusters = NULL; d->members = NULL; d->families = NULL; d->family_members = NULL;
  d->families_count = d->families_cap = d->family_members_count = d->family_members_cap = 0;
  d->info_count = d->info_cap = d->sources_count = d->sources_cap = 0;
  d->pairs_count = d->pairs_cap = d->passages_count = d->passages_cap = 0;
  d->clusters_count = d->clusters_cap = d->members_count = d->members_cap = 0;
  memset(&d->limits, 0, sizeof d->limits);
}

void gw_dups_free(gw_dups *d) {
  if (!d) return;
  clear_results(d);
  for (size_t i = 0; i < d->unit_names_count; i++) free(d->unit_names[i]);
  free(d->unit_names);
  free(d->unit_slots);
  for (size_t i = 0; i < d->docs_count; i++) free(d->docs[i].fars);
  gw_dups_store_free(d->store); /* the documents' character arrays */
  free(d->docs);
  free(d->paras);
  gw_dups_free_mapped(d->fps, d->fps_cap, sizeof *d->fps);
  gw_dups_free_mapped(d->keys, d->keys_cap, sizeof *d->keys);
  free(d->elig);
  free(d);
}

const gw_dups_options *gw_dups_options_in_use(const gw_dups *d) { return &d->opts; }

const char *gw_dups_kind_name(gw_dups_kind kind) {
  switch (kind) {
  case GW_DUPS_OFFICIAL: return "official";
  case GW_DUPS_GENERIC: return "generic";
  case GW_DUPS_BASE: return "base";
  default: return "copy";
  }
}

int gw_dups_set_base(gw_dups *d, size_t document, int is_base, gw_error *err) {
  if (!d || document >= d->docs_count)
    return gw_fail(err, GW_EINVAL, "gw_dups_set_base: no document %zu", document);
  d->docs[document].is_base = is_base ? 1 : 0;
  return GW_OK;
}

/* FNV-1a: a unit name's slot in the table. */
static uint64_t name_hash(const char *s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
  return h;
}

/* The slot holding `name`, or the free slot where it would go. */
static uint32_t *unit_slot(const gw_dups *d, const char *name) {
  size_t mask = d->unit_slots_cap - 1, i = (size_t)name_hash(name) & mask;
  while (d->unit_slots[i] && strcmp(d->unit_names[d->unit_slots[i] - 1], name) != 0)
    i = (i + 1) & mask;
  return &d->unit_slots[i];
}

/* The table twice as large (at least 64 slots), every name placed anew. */
static int grow_unit_slots(gw_dups *d) {
  size_t cap = d->unit_slots_cap ? d->unit_slots_cap * 2 : 64;
  uint32_t *slots = calloc(cap, sizeof *slots);
  if (!slots) return GW_ENOMEM;
  free(d->unit_slots);
  d->unit_slots = slots;
  d->unit_slots_cap = cap;
  for (size_t i = 0; i < d->unit_names_count; i++)
    *unit_slot(d, d->unit_names[i]) = (uint32_t)(i + 1);
  return GW_OK;
}

/* The number of a unit name (1 + its index), added if new; 0 if out of
 * memory. */
static uint32_t unit_number(gw_dups *d, const char *name) {
  /* At most half full, so that probes stay short. */
  if (2 * (d->unit_names_count + 1) > d->unit_slots_cap && grow_unit_slots(d)) return 0;
  uint32_t *slot = unit_slot(d, name);
  if (*slot) return *slot;
  char *copy = strdup(name);
  if (!copy || GW_DUPS_RESERVE(d->unit_names, d->unit_names_count + 1)) {
    free(copy);
    return 0;
  }
  d->unit_names[d->unit_names_count++] = copy;
  return *slot = (uint32_t)d->unit_names_count;
}

int gw_dups_set_origin(gw_dups *d, size_t document, const char *unit, int year,
                       gw_error *err) {
  if (!d || document >= d->docs_count)
    return gw_fail(err, GW_EINVAL, "gw_dups_set_origin: no document %zu", document);
  if (year < 0) return gw_fail(err, GW_EINVAL, "gw_dups_set_origin: year %d", year);
  uint32_t number = 0;
  if (unit && unit[0] && !(number = unit_number(d, unit)))
    return gw_fail(err, GW_ENOMEM, "gw_dups_set_origin: out of memory");
  d->docs[document].unit = number;
  if (year > 0) d->docs[document].year = year;
  return GW_OK;
}

/* gw_dups_run's stages, one after the other, each on up to
 * options.threads threads (see dups_stages.h); what they write does not
 * depend on the threads. */
int gw_dups_run(gw_dups *d, gw_error *err) {
  if (!d) return gw_fail(err, GW_EINVAL, "gw_dups_run: invalid argument");
  clear_results(d);
  gw_dups_runs runs;
  gw_dups_candidates candidates;
  memset(&runs, 0, sizeof runs);
  memset(&candidates, 0, sizeof candidates);
  /* The band keys and the fingerprints are freed once used (see
   * sketches_dropped): the candidates first, so that the keys are gone
   * before the runs' seeds are made (the two stages share nothing). */
  int rc = gw_dups_restore_sketches(d);
  if (!rc) rc = gw_dups_find_candidates(d, &candidates);
  if (!rc) gw_dups_drop_keys(d);
  if (!rc) rc = gw_dups_find_runs(d, &runs);
  if (!rc) gw_dups_drop_fingerprints(d);
  /* The paragraphs sharing a run are candidates too (the clusters sort
   * the candidates). */
  if (!rc && runs.para_pairs.count &&
      gw_grow((void **)&candidates.pairs.pair, &candidates.pairs.cap,
              candidates.pairs.count + runs.para_pairs.count, sizeof *candidates.pairs.pair))
    rc = GW_ENOMEM;
  if (!rc && runs.para_pairs.count) {
    memcpy(candidates.pairs.pair + candidates.pairs.count, runs.para_pairs.pair,
           runs.para_pairs.count * sizeof *runs.para_pairs.pair);
    candidates.pairs.count += runs.para_pairs.count;
  }
  free(runs.para_pairs.pair);
  memset(&runs.para_pairs, 0, sizeof runs.para_pairs);
  if (!rc) rc = gw_dups_clusters(d, &candidates.pairs);
  free(candidates.pairs.pair);
  if (!rc) rc = gw_dups_passages(d, &runs);
  d->limits.band_all_pairs = candidates.chained_groups;
  d->limits.star_above = runs.star_groups;
  d->limits.repeat_pairs = runs.repeat_pairs;
  gw_dups_runs_free(&runs);
  if (rc) {
    clear_results(d);
    return gw_fail(err, rc, "gw_dups: out of memory");
  }
  return GW_OK;
}

/* ---- results ---- */

size_t gw_dups_document_count(const gw_dups *d) { return d->docs_count; }

const gw_dups_document *gw_dups_document_at(const gw_dups *d, size_t i) {
  return i < d->info_count ? &d->info[i] : NULL;
}
const gw_dups_source *gw_dups_source_at(const gw_dups *d, size_t i) {
  return i < d->sources_count ? &d->sources[i] : NULL;
}
size_t gw_dups_pair_count(const gw_dups *d) { return d->pairs_count; }
const gw_dups_pair *gw_dups_pair_at(const gw_dups *d, size_t i) {
  return i < d->pairs_count ? &d->pairs[i] : NULL;
}
const gw_dups_passage *gw_dups_passage_at(const gw_dups *d, size_t i) {
  return i < d->passages_count ? &d->passages[i] : NULL;
}
size_t gw_dups_cluster_count(const gw_dups *d) { return d->clusters_count; }
const gw_dups_cluster *gw_dups_cluster_at(const gw_dups *d, size_t i) {
  return i < d->clusters_count ? &d->clusters[i] : NULL;
}
const gw_dups_member *gw_dups_member_at(const gw_dups *d, size_t i) {
  return i < d->members_count ? &d->members[i] : NULL;
}

const gw_dups_limits *gw_dups_limits_applied(const gw_dups *d) { return &d->limits; }

size_t gw_dups_family_count(const gw_dups *d) { return d->families_count; }
const gw_dups_family *gw_dups_family_at(const gw_dups *d, size_t i) {
  return i < d->families_count ? &d->families[i] : NULL;
}
const gw_dups_family_member *gw_dups_family_member_at(const gw_dups *d, size_t i) {
  return i < d->family_members_count ? &d->family_members[i] : NULL;
}

int gw_dups_text(const gw_dups *d, size_t document, size_t a, size_t b,
                 char **out, size_t *len, gw_error *err) {
  *out = NULL;
  if (len) *len = 0;
  if (document >= d->docs_count || a > b || b > d->docs[document].unit_count)
    return gw_fail(err, GW_EINVAL, "gw_dups_text: range out of bounds");
  const gw_dups_doc *dd = &d->docs[document];
  char *s = malloc((b - a) * 4 + 1), *p = s;
  if (!s) return gw_fail(err, GW_ENOMEM, "gw_dups_text: out of memory");
  for (size_t i = a; i < b; i++) {
    uint32_t c = gw_dups_char_at(dd, i);
    if (c == GW_DUPS_MASK_CHAR) { *p++ = '*'; *p++ = '*'; }
    else p += gw_utf8_encode((int32_t)c, p);
  }
  *p = '\0';
  *out = s;
  if (len) *len = (size_t)(p - s);
  return GW_OK;
}
