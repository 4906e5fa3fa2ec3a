/* dups_cli.c — copy detection's options and official spans (see
 * dups_cli.h). */
#include "dups_cli.h"

#include <stdlib.h>
#include <string.h>

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

gw_opt gw_opt_dups_max_sources(gw_dups_options *o) {
  return whole("max-sources", &o->max_sources, "sources listed per document, 0 for all", 0,
               MAX_WHOLE);
}

gw_opt gw_opt_dups_all_pairs(gw_dups_options *o) {
  return (gw_opt){.name = "all-pairs", .kind = GW_OPT_FLAG, .target = &o->all_pairs,
                  .help = "every pair found, also those sharing only\nofficial or base text"};
}

gw_opt gw_opt_dups_meta(const char **path) {
  return (gw_opt){.name = "meta", .kind = GW_OPT_STRING, .target = path, .arg = "FILE",
                  .help = "TSV: path, unit, year, title: each report's unit\n"
                          "and year (the year replaces the one read from\n"
                          "the text); copying from an earlier report of the\n"
                          "same unit is counted apart as self-copy"};
}

int gw_dups_cli_collect_base(gw_cli *base, const gw_opt_strings *paths) {
  for (size_t i = 0; i < paths->count; i++)
    if (gw_cli_add_path(base, paths->items[i]) || base->failure_count) return -1;
  return 0;
}

int gw_dups_cli_load_meta(gw_cli *cli, const char *path, gw_meta **meta) {
  gw_error err;
  *meta = NULL;
  if (!path) return 0;
  int rc = gw_meta_load_file(meta, path, &err);
  if (!rc) return 0;
  gw_cli_error(cli, "%s", rc == GW_ENOMEM ? "out of memory" : err.message);
  return -1;
}

int gw_dups_cli_set_origin(gw_dups *d, size_t document, const gw_meta *meta, const char *path) {
  const gw_meta_row *row = meta ? gw_meta_find(meta, path) : NULL;
  return row ? gw_dups_set_origin(d, document, row->unit, row->year, NULL) : GW_OK;
}

const char *gw_dups_cli_unit(const gw_meta *meta, const char *path) {
  const gw_meta_row *row = meta ? gw_meta_find(meta, path) : NULL;
  return row && row->unit[0] ? row->unit : NULL;
}

void gw_dups_cli_write_unit(gw_json *w, const gw_meta *meta, const char *path) {
  const char *unit = gw_dups_cli_unit(meta, path);
  gw_json_key(w, "unit");
  if (unit) gw_json_text(w, unit, strlen(unit));
  else gw_json_null(w);
}

int gw_dups_cli_check(gw_cli *cli, gw_dups_options *o) {
  gw_error err;
  gw_dups *probe;
  if (gw_dups_new(&probe, o, &err)) return gw_cli_usage_error(cli, "%s", err.message);
  gw_dups_free(probe);
  return -1;
}

static void write_limit_values(gw_json *w, size_t band_all_pairs, size_t star_above,
                               size_t repeat_pairs) {
  gw_json_member_uint(w, "band_all_pairs", band_all_pairs);
  gw_json_member_uint(w, "star_above", star_above);
  gw_json_member_uint(w, "repeat_pairs", repeat_pairs);
}

void gw_dups_cli_write_limits(gw_json *w, const char *key, const gw_dups *d) {
  const gw_dups_limits *applied = gw_dups_limits_applied(d);
  gw_json_key(w, key);
  gw_json_object_begin(w);
  write_limit_values(w, GW_DUPS_BAND_ALL_PAIRS, GW_DUPS_STAR_ABOVE, GW_DUPS_REPEAT_PAIRS);
  gw_json_key(w, "applied");
  gw_json_object_begin(w);
  write_limit_values(w, applied->band_all_pairs, applied->star_above, applied->repeat_pairs);
  gw_json_object_end(w);
  gw_json_object_end(w);
}

void gw_dups_cli_print_limits(FILE *out, const gw_dups *d) {
  const gw_dups_limits *a = gw_dups_limits_applied(d);
  const size_t counts[3] = {a->band_all_pairs, a->star_above, a->repeat_pairs};
  static const char *const names[3] = {"band_all_pairs", "star_above", "repeat_pairs"};
  const char *sep = "\nLimits applied (they chose which pairs were compared, not what was found): ";
  for (int k = 0; k < 3; k++) {
    if (!counts[k]) continue;
    fprintf(out, "%s%s %zu", sep, names[k], counts[k]);
    sep = ", ";
  }
  if (sep[0] == ',') fputc('\n', out);
}

void gw_dups_cli_write_parameters(gw_json *w, const gw_dups_cli_params *p, unsigned which) {
  const gw_dups_options *o = p->options;
  int index = (which & GW_DUPS_PARAMS_INDEX) != 0, run = (which & GW_DUPS_PARAMS_RUN) != 0;
  if (index) {
    gw_json_member_uint(w, "shingle_k", o->shingle_k);
    gw_json_member_uint(w, "minhash", o->minhash_count);
    gw_json_member_uint(w, "bands", o->bands);
    gw_json_key(w, "seed");
    gw_json_hex64(w, o->seed);
  }
  if (run) {
    gw_json_member_number(w, "min_jaccard", o->min_jaccard);
    gw_json_member_number(w, "min_containment", o->min_containment);
  }
  if (index) {
    gw_json_member_uint(w, "min_paragraph", o->min_paragraph_chars);
    gw_json_member_uint(w, "passage_t", o->passage_t);
    gw_json_member_uint(w, "passage_k", o->passage_k);
    gw_json_member_uint(w, "window", o->passage_t - o->passage_k + 1);
  }
  if (run) gw_json_member_uint(w, "max_gap", o->max_gap);
  if (index) {
    gw_json_key(w, "official_terms");
    gw_json_bool(w, p->official_terms);
  }
  if (!run) return;
  gw_json_member_uint(w, "template_min", o->template_min);
  gw_json_member_uint(w, "max_sources", o->max_sources);
  gw_json_key(w, "all_pairs");
  gw_json_bool(w, o->all_pairs);
  gw_json_member_uint(w, "family_min_documents", GW_DUPS_FAMILY_MIN_DOCUMENTS);
  if (!p->run) return;
  gw_dups_cli_write_limits(w, "limits", p->run);
  gw_json_key(w, "base");
  gw_json_array_begin(w);
  for (size_t i = 0; i < p->base_count; i++) gw_json_text(w, p->base[i], strlen(p->base[i]));
  gw_json_array_end(w);
}
