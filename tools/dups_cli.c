/* dups_cli.c — copy detection's options and official spans (see
 * dups_cli.h). */
#include "dups_cli.h"

#include <stdlib.h>

enum { MAX_WHOLE = 100000000 };

static gw_opt whole(const char *name, unsigned *target, const char *help, double lo, double hi) {
  return (gw_opt){.name = name, .kind = GW_OPT_UNSIGNED, .target = target, .arg = "N",
                  .help = help, .lo = lo, .hi = hi, .show_default = 1};
}

static gw_opt fraction(const char *name, double *target, const char *help) {
  return (gw_opt){.name = name, .kind = GW_OPT_NUMBER, .target = target, .arg = "X",
                  .help = help, .lo = 0, .hi = 1000, .show_default = 1};
}

gw_opt gw_opt_dups_template_min(gw_dups_options *o) {
  return whole("template-min", &o->template_min,
               "a passage shared by N documents or more is a\ntemplate", 2, MAX_WHOLE);
}

gw_opt gw_opt_dups_shingle_k(gw_dups_options *o) {
  return whole("shingle-k", &o->shingle_k, "characters per shingle", 1, 64);
}

gw_opt gw_opt_dups_minhash(gw_dups_options *o) {
  return whole("minhash", &o->minhash_count, "MinHash values per paragraph", 1, MAX_WHOLE);
}

gw_opt gw_opt_dups_bands(gw_dups_options *o) {
  return whole("bands", &o->bands, "LSH bands, dividing --minhash", 1, MAX_WHOLE);
}

gw_opt gw_opt_dups_seed(gw_dups_options *o) {
  return (gw_opt){.name = "seed", .kind = GW_OPT_UINT64, .target = &o->seed, .arg = "N",
                  .help = "hash seed", .show_default = 1};
}

gw_opt gw_opt_dups_min_jaccard(gw_dups_options *o) {
  return fraction("min-jaccard", &o->min_jaccard, "exact Jaccard for a near-duplicate pair");
}

gw_opt gw_opt_dups_min_containment(gw_dups_options *o) {
  return fraction("min-containment", &o->min_containment,
                  "... or exact containment (above 1: none)");
}

gw_opt gw_opt_dups_min_paragraph(gw_dups_options *o) {
  return whole("min-paragraph", &o->min_paragraph_chars, "shorter paragraphs are not clustered",
               0, MAX_WHOLE);
}

gw_opt gw_opt_dups_passage_t(gw_dups_options *o) {
  return whole("passage-t", &o->passage_t, "every shared run of N characters is found,\nN <= 13",
               1, MAX_WHOLE);
}

gw_opt gw_opt_dups_passage_k(gw_dups_options *o) {
  return whole("passage-k", &o->passage_k, "fingerprint length, <= passage-t", 1, MAX_WHOLE);
}

gw_opt gw_opt_dups_max_gap(gw_dups_options *o) {
  return whole("max-gap", &o->max_gap, "edited characters bridged inside a passage", 0,
               MAX_WHOLE);
}

int gw_dups_cli_check(gw_cli *cli, gw_dups_options *o) {
  gw_error err;
  gw_dups *probe;
  if (gw_dups_new(&probe, o, &err)) return gw_cli_usage_error(cli, "%s", err.message);
  gw_dups_free(probe);
  return -1;
}
