/* gw-terms — policy terms and fixed formulations in reports: counts,
 * document frequency, density, categories, nested matches, broken and
 * outdated formulations, as JSON or a text table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "options.h"
#include "parallel.h"
#include "terms_json.h"
#include "text_out.h"
#include "gongwen.h"

#define N_SECTIONS (GW_SECTION_OTHER + 1)

/* Each cJSON call (or allocation) that can fail clears the `ok` of the
 * function it is in: a JSON with members missing is never printed. */
#define J(call) (ok &= !!(call))

/* The value built when every call went through (ok), else NULL. */
static cJSON *complete(cJSON *value, int ok) {
  if (ok) return value;
  cJSON_Delete(value);
  return NULL;
}

enum output_format { FORMAT_JSON, FORMAT_TEXT };

typedef struct terms_config {
  enum output_format format;
  gw_document_options document;
  gw_terms_options terms;
  const char *list_path;
  gw_opt_strings term_files;
  int no_default_terms;
  int by_section;
  int all_matches;
  int discover;
  size_t top;
  size_t threads;
  int compact;
} terms_config;

/* Per-term tallies. */
typedef struct tally {
  uint64_t count, nested, documents;
  uint64_t section[N_SECTIONS];
} tally;

typedef struct corpus {
  const gw_terms *terms;
  size_t n;
  tally *all;      /* n */
  tally *doc;      /* n, reset per document */
  uint64_t documents, characters, counted, nested, broken, outdated, stale;
  uint64_t section_counted[N_SECTIONS];
  cJSON *files;
  gw_discovery *discovery; /* --discover */
} corpus;

static double density(uint64_t count, uint64_t chars) {
  if (!chars) return 0;
  return (double)(long long)((double)count * 10000.0 / (double)chars * 100.0 + 0.5) / 100.0;
}

/* Indexes of terms with a nonzero tally, sorted by count, documents,
 * nested, text: each entry carries its keys, so qsort needs no context. */
typedef struct ranked_term {
  size_t index;
  const tally *tally;
  const char *text;
} ranked_term;

static int by_count(const void *a, const void *b) {
  const ranked_term *x = a, *y = b;
  const tally *tx = x->tally, *ty = y->tally;
  if (tx->count != ty->count) return tx->count > ty->count ? -1 : 1;
  if (tx->documents != ty->documents) return tx->documents > ty->documents ? -1 : 1;
  if (tx->nested != ty->nested) return tx->nested > ty->nested ? -1 : 1;
  return strcmp(x->text, y->text);
}

static size_t *sorted_terms(const gw_terms *terms, const tally *t, size_t n, size_t *out_n) {
  size_t *idx = malloc((n ? n : 1) * sizeof *idx), k = 0;
  ranked_term *ranked = malloc((n ? n : 1) * sizeof *ranked);
  if (!idx || !ranked) {
    free(idx);
    free(ranked);
    return NULL;
  }
  for (size_t i = 0; i < n; i++)
    if (t[i].count || t[i].nested)
      ranked[k++] = (ranked_term){i, &t[i], gw_terms_term_at(terms, i)->text};
  qsort(ranked, k, sizeof *ranked, by_count);
  for (size_t i = 0; i < k; i++) idx[i] = ranked[i].index;
  free(ranked);
  *out_n = k;
  return idx;
}

/* Category totals, sorted by count then name. */
typedef struct cat_total {
  const char *name;
  uint64_t count, terms;
} cat_total;

static int cat_cmp(const void *a, const void *b) {
  const cat_total *x = a, *y = b;
  if (x->count != y->count) return x->count > y->count ? -1 : 1;
  return strcmp(x->name, y->name);
}

static cJSON *categories_json(const gw_terms *terms, const tally *t, size_t n, int with_terms) {
  int ok = 1;
  cat_total *cats = calloc(n ? n : 1, sizeof *cats);
  size_t nc = 0;
  cJSON *list = cJSON_CreateArray();
  if (!cats || !list) { free(cats); cJSON_Delete(list); return NULL; }
  for (size_t i = 0; i < n; i++) {
    if (!t[i].count) continue;
    const char *name = gw_terms_term_at(terms, i)->category;
    size_t c = 0;
    while (c < nc && strcmp(cats[c].name, name) != 0) c++;
    if (c == nc) cats[nc++].name = name;
    cats[c].count += t[i].count;
    cats[c].terms++;
  }
  qsort(cats, nc, sizeof *cats, cat_cmp);
  for (size_t c = 0; c < nc; c++) {
    cJSON *o = cJSON_CreateObject();
    J(cJSON_AddStringToObject(o, "category", cats[c].name));
    J(cJSON_AddNumberToObject(o, "count", (double)cats[c].count));
    if (with_terms) J(cJSON_AddNumberToObject(o, "terms", (double)cats[c].terms));
    J(cJSON_AddItemToArray(list, o));
  }
  free(cats);
  return complete(list, ok);
}

static cJSON *by_section_json(const gw_terms *terms, const tally *t, size_t n) {
  int ok = 1;
  cJSON *list = cJSON_CreateArray();
  for (int s = 0; ok && list && s < N_SECTIONS; s++) {
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) total += t[i].section[s];
    cJSON *o = cJSON_CreateObject();
    J(cJSON_AddStringToObject(o, "section", gw_section_type_name((gw_section_type)s)));
    J(cJSON_AddStringToObject(o, "name", terms_section_label((gw_section_type)s)));
    J(cJSON_AddNumberToObject(o, "count", (double)total));
    cJSON *tl = cJSON_AddArrayToObject(o, "terms");
    J(tl);
    /* Terms of this section by count, then text. */
    tally *tmp = calloc(n ? n : 1, sizeof *tmp);
    if (!tmp) {
      cJSON_Delete(o);
      ok = 0;
      break;
    }
    for (size_t i = 0; i < n; i++) tmp[i].count = t[i].section[s];
    size_t k;
    size_t *idx = sorted_terms(terms, tmp, n, &k);
    J(idx);
    for (size_t j = 0; idx && j < k; j++) {
      cJSON *e = cJSON_CreateObject();
      J(cJSON_AddStringToObject(e, "term", gw_terms_term_at(terms, idx[j])->text));
      J(cJSON_AddNumberToObject(e, "count", (double)tmp[idx[j]].count));
      J(cJSON_AddItemToArray(tl, e));
    }
    free(idx);
    free(tmp);
    J(cJSON_AddItemToArray(list, o));
  }
  return complete(list, ok);
}

/* Analyse one document: per-file JSON appended to c->files. */
static int analyse(corpus *c, const terms_config *cfg, const char *path, const gw_document *doc,
                   const gw_term_result *r) {
  memset(c->doc, 0, c->n * sizeof *c->doc);
  int ok = 1;
  uint64_t counted = 0, nested = 0;
  size_t nm = gw_term_result_match_count(r);
  cJSON *f = cJSON_CreateObject();
  cJSON *nested_list = cJSON_CreateArray();
  cJSON *all = cfg->all_matches ? cJSON_CreateArray() : NULL;
  J(all || !cfg->all_matches);
  for (size_t i = 0; i < nm; i++) {
    const gw_term_match *m = gw_term_result_match_at(r, i);
    tally *t = &c->doc[m->term];
    if (m->kind == GW_TERM_COUNTED) {
      t->count++;
      t->section[m->section]++;
      counted++;
    } else if (m->kind == GW_TERM_NESTED) {
      t->nested++;
      nested++;
      cJSON *o = cJSON_CreateObject();
      J(cJSON_AddStringToObject(o, "term", gw_terms_term_at(c->terms, m->term)->text));
      J(cJSON_AddStringToObject(o, "in", gw_terms_term_at(c->terms, gw_term_result_match_at(r, m->outer)->term)->text));
      J(terms_json_place(o, doc, &m->range, m->paragraph));
      J(cJSON_AddItemToArray(nested_list, o));
    }
    if (all) {
      cJSON *o = cJSON_CreateObject();
      J(cJSON_AddStringToObject(o, "term", gw_terms_term_at(c->terms, m->term)->text));
      J(terms_json_norm_text(o, "found", doc, &m->range));
      J(cJSON_AddStringToObject(o, "kind", gw_term_match_kind_name(m->kind)));
      J(terms_json_place(o, doc, &m->range, m->paragraph));
      J(cJSON_AddItemToArray(all, o));
    }
  }
  uint64_t chars = gw_document_char_count(doc);
  J(gw_cli_json_add_path(f, "path", path));
  int year = gw_term_result_year(r);
  if (year) J(cJSON_AddNumberToObject(f, "year", year));
  else J(cJSON_AddNullToObject(f, "year"));
  J(cJSON_AddNumberToObject(f, "characters", (double)chars));
  J(cJSON_AddNumberToObject(f, "count", (double)counted));
  J(cJSON_AddNumberToObject(f, "nested", (double)nested));
  J(cJSON_AddNumberToObject(f, "density", density(counted, chars)));
  size_t k;
  size_t *idx = sorted_terms(c->terms, c->doc, c->n, &k);
  J(idx);
  cJSON *tl = cJSON_AddArrayToObject(f, "terms");
  J(tl);
  for (size_t j = 0; idx && j < k; j++) {
    const tally *t = &c->doc[idx[j]];
    cJSON *o = cJSON_CreateObject();
    J(cJSON_AddStringToObject(o, "term", gw_terms_term_at(c->terms, idx[j])->text));
    J(cJSON_AddStringToObject(o, "category", gw_terms_term_at(c->terms, idx[j])->category));
    J(cJSON_AddNumberToObject(o, "count", (double)t->count));
    J(cJSON_AddNumberToObject(o, "nested", (double)t->nested));
    J(cJSON_AddNumberToObject(o, "density", density(t->count, chars)));
    J(terms_json_term_facts(o, gw_terms_term_at(c->terms, idx[j])));
    J(cJSON_AddItemToArray(tl, o));
  }
  free(idx);
  J(cJSON_AddItemToObject(f, "categories", categories_json(c->terms, c->doc, c->n, 0)));
  if (cfg->by_section) J(cJSON_AddItemToObject(f, "by_section", by_section_json(c->terms, c->doc, c->n)));
  J(cJSON_AddItemToObject(f, "nested_matches", nested_list));
  cJSON *bl = cJSON_AddArrayToObject(f, "broken");
  J(bl);
  for (size_t i = 0; i < gw_term_result_broken_count(r); i++)
    J(cJSON_AddItemToArray(bl, terms_json_broken(c->terms, doc, gw_term_result_broken_at(r, i))));
  cJSON *ol = cJSON_AddArrayToObject(f, "outdated");
  J(ol);
  for (size_t i = 0; i < gw_term_result_outdated_count(r); i++)
    J(cJSON_AddItemToArray(ol, terms_json_outdated(c->terms, doc, r, i)));
  cJSON *sl = cJSON_AddArrayToObject(f, "stale");
  J(sl);
  for (size_t i = 0; i < gw_term_result_stale_count(r); i++)
    J(cJSON_AddItemToArray(sl, terms_json_stale(c->terms, doc, r, i)));
  if (all) J(cJSON_AddItemToObject(f, "matches", all));
  J(cJSON_AddItemToArray(c->files, f));
  /* Corpus totals. */
  for (size_t i = 0; i < c->n; i++) {
    const tally *t = &c->doc[i];
    if (!t->count && !t->nested) continue;
    tally *a = &c->all[i];
    a->count += t->count;
    a->nested += t->nested;
    a->documents += t->count ? 1 : 0;
    for (int s = 0; s < N_SECTIONS; s++) a->section[s] += t->section[s];
  }
  c->documents++;
  c->characters += chars;
  c->counted += counted;
  c->nested += nested;
  c->broken += gw_term_result_broken_count(r);
  c->outdated += gw_term_result_outdated_count(r);
  c->stale += gw_term_result_stale_count(r);
  return ok ? GW_OK : GW_ENOMEM;
}

static cJSON *corpus_json(corpus *c, const terms_config *cfg, const gw_cli *cli) {
  int ok = 1;
  cJSON *o = cJSON_CreateObject();
  J(cJSON_AddNumberToObject(o, "documents", (double)c->documents));
  J(cJSON_AddNumberToObject(o, "characters", (double)c->characters));
  J(cJSON_AddNumberToObject(o, "dictionary", (double)c->n));
  size_t generated = 0;
  for (size_t i = 0; i < c->n; i++) generated += gw_terms_term_at(c->terms, i)->generated != 0;
  J(cJSON_AddNumberToObject(o, "generated", (double)generated));
  J(cJSON_AddNumberToObject(o, "count", (double)c->counted));
  J(cJSON_AddNumberToObject(o, "nested", (double)c->nested));
  J(cJSON_AddNumberToObject(o, "density", density(c->counted, c->characters)));
  size_t k = 0;
  size_t *idx = sorted_terms(c->terms, c->all, c->n, &k);
  J(idx);
  cJSON *tl = cJSON_AddArrayToObject(o, "terms");
  J(tl);
  cJSON *top = cJSON_CreateArray();
  for (size_t j = 0; idx && j < k; j++) {
    const tally *t = &c->all[idx[j]];
    const gw_term *term = gw_terms_term_at(c->terms, idx[j]);
    cJSON *e = cJSON_CreateObject();
    J(cJSON_AddStringToObject(e, "term", term->text));
    J(cJSON_AddStringToObject(e, "category", term->category));
    J(cJSON_AddNumberToObject(e, "count", (double)t->count));
    J(cJSON_AddNumberToObject(e, "documents", (double)t->documents));
    J(cJSON_AddNumberToObject(e, "density", density(t->count, c->characters)));
    J(cJSON_AddNumberToObject(e, "nested", (double)t->nested));
    J(terms_json_term_facts(e, term));
    J(cJSON_AddItemToArray(tl, e));
    if (j < cfg->top && t->count) {
      cJSON *p = cJSON_CreateObject();
      J(cJSON_AddStringToObject(p, "term", term->text));
      J(cJSON_AddNumberToObject(p, "count", (double)t->count));
      J(cJSON_AddNumberToObject(p, "documents", (double)t->documents));
      J(cJSON_AddItemToArray(top, p));
    }
  }
  free(idx);
  J(cJSON_AddItemToObject(o, "categories", categories_json(c->terms, c->all, c->n, 1)));
  J(cJSON_AddItemToObject(o, "top_terms", top));
  if (cfg->by_section) J(cJSON_AddItemToObject(o, "by_section", by_section_json(c->terms, c->all, c->n)));
  J(cJSON_AddNumberToObject(o, "broken", (double)c->broken));
  J(cJSON_AddNumberToObject(o, "outdated", (double)c->outdated));
  J(cJSON_AddNumberToObject(o, "stale", (double)c->stale));
  if (c->discovery) {
    cJSON *dl = cJSON_AddArrayToObject(o, "discovered");
    J(dl);
    for (size_t i = 0; i < gw_discovery_candidate_count(c->discovery); i++) {
      const gw_candidate *cand = gw_discovery_candidate_at(c->discovery, i);
      cJSON *e = cJSON_CreateObject();
      J(cJSON_AddStringToObject(e, "text", cand->text));
      J(cJSON_AddStringToObject(e, "kind", gw_candidate_kind_name(cand->kind)));
      J(cJSON_AddNumberToObject(e, "count", (double)cand->count));
      J(cJSON_AddNumberToObject(e, "documents", (double)cand->documents));
      if (cand->kind == GW_CANDIDATE_NGRAM) {
        J(cJSON_AddNumberToObject(e, "pmi", cand->pmi));
        J(cJSON_AddNumberToObject(e, "left_entropy", cand->left_entropy));
        J(cJSON_AddNumberToObject(e, "right_entropy", cand->right_entropy));
      }
      J(cJSON_AddItemToArray(dl, e));
    }
  }
  if (cJSON_AddItemToObject(o, "files", c->files)) c->files = NULL; /* else run frees them */
  else ok = 0;
  J(cJSON_AddItemToObject(o, "errors", gw_cli_failures_json(cli)));
  return complete(o, ok);
}

/* ---- --format text ---- */

#define str terms_json_str
#define num terms_json_num

static void put_year(const cJSON *o) {
  if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(o, "year")))
    printf("year %d", (int)num(o, "year"));
  else
    printf("year unknown");
}

/* One row a term: the figures first and the term last, so that a long
 * formulation never pushes the columns after it. */
static void print_term_table(const cJSON *terms, int *any_generated) {
  printf("%7s %6s %8s %6s  ", "count", "docs", "density", "nested");
  gw_text_put_padded(stdout, "category", 14);
  printf("term\n");
  const cJSON *e;
  cJSON_ArrayForEach(e, terms) {
    printf("%7d %6d %8.2f %6d  ", (int)num(e, "count"), (int)num(e, "documents"),
           num(e, "density"), (int)num(e, "nested"));
    gw_text_put_padded(stdout, str(e, "category"), 14);
    fputs(str(e, "term"), stdout);
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "generated"))) {
      fputs(" *", stdout);
      *any_generated = 1;
    }
    putchar('\n');
  }
}

static void print_text(const cJSON *o, const terms_config *cfg) {
  gw_text_put_count(stdout, (uint64_t)num(o, "documents"));
  printf(" documents, ");
  gw_text_put_count(stdout, (uint64_t)num(o, "characters"));
  printf(" characters: %d terms counted (%.2f per 10,000 characters), %d nested; "
         "%d broken, %d outdated, %d stale\n",
         (int)num(o, "count"), num(o, "density"), (int)num(o, "nested"), (int)num(o, "broken"),
         (int)num(o, "outdated"), (int)num(o, "stale"));
  printf("Dictionary: %d terms, %d of them names recognised by pattern\n\n",
         (int)num(o, "dictionary"), (int)num(o, "generated"));
  int any_generated = 0;
  print_term_table(cJSON_GetObjectItemCaseSensitive(o, "terms"), &any_generated);
  if (any_generated)
    printf("* a name recognised by pattern (党的X大, X届Y中全会 ...), not listed in terms.tsv\n");
  const cJSON *e;
  printf("\nCategories:");
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(o, "categories"))
    printf(" %s %d;", str(e, "category"), (int)num(e, "count"));
  printf("\n");
  if (cfg->by_section) {
    printf("By section:");
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(o, "by_section"))
      printf(" %s %d;", str(e, "name"), (int)num(e, "count"));
    printf("\n");
  }
  const cJSON *disc = cJSON_GetObjectItemCaseSensitive(o, "discovered");
  if (disc) {
    printf("\nCandidate terms not in the dictionary (count, documents, kind):\n");
    cJSON_ArrayForEach(e, disc) {
      printf("  %6d %6d  ", (int)num(e, "count"), (int)num(e, "documents"));
      gw_text_put_padded(stdout, str(e, "kind"), 10);
      printf("%s\n", str(e, "text"));
    }
  }
  const cJSON *f;
  cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(o, "files")) {
    putchar('\n');
    gw_cli_put_json_path(stdout, f, "path");
    printf(" (");
    put_year(f);
    printf(", ");
    gw_text_put_count(stdout, (uint64_t)num(f, "characters"));
    printf(" characters): %d counted, %.2f per 10,000 characters\n", (int)num(f, "count"),
           num(f, "density"));
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(f, "broken"))
      terms_text_broken(stdout, "  ", e);
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(f, "outdated"))
      terms_text_outdated(stdout, "  ", e);
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(f, "stale"))
      terms_text_stale(stdout, "  ", e);
  }
  terms_text_errors(stdout, o);
}

#undef str
#undef num

/* ---- options and main ---- */

static const char *const formats[] = {"json", "text", NULL}; /* enum output_format */

/* Returns -1 to go on (the inputs start at *first), or an exit code. */
static int parse_args(int argc, char **argv, gw_cli *cli, terms_config *cfg, int *first) {
  const gw_opt opts[] = {
      gw_opt_format((int *)&cfg->format, formats, "JSON (default) or a readable table", NULL),
      gw_opt_compact(&cfg->compact),
      {.name = "by-section", .kind = GW_OPT_FLAG, .target = &cfg->by_section,
       .help = "totals per section type (work_done, problems, ...)"},
      {.name = "matches", .kind = GW_OPT_FLAG, .target = &cfg->all_matches,
       .help = "list every match of every file in the JSON"},
      {.name = "discover", .kind = GW_OPT_FLAG, .target = &cfg->discover,
       .help = "candidate terms not in the dictionary: numbered\n"
               "formulations, parallel lists, cohesive n-grams"},
      gw_opt_terms(&cfg->term_files),
      gw_opt_no_default_terms(&cfg->no_default_terms),
      gw_opt_year(&cfg->terms.year, "the reports' year for outdated formulations\n"
                                    "(default: from each report's text)"),
      gw_opt_top(&cfg->top, "top terms listed (default 20)", NULL),
      gw_opt_threads(&cfg->threads),
      GW_OPT_INPUT_OPTIONS(&cfg->list_path, &cfg->document)};
  const gw_opt_table table = {
      "[OPTIONS] [FILE|DIR|-]...",
      "Count policy terms and fixed formulations (\xE6\x8F\x90\xE6\xB3\x95) in reports, and find\n"
      "broken and outdated formulations.  Folders are read recursively; no input\n"
      "or '-' reads stdin.\n",
      opts, sizeof opts / sizeof *opts, gw_opt_exit_status};
  int code = gw_opt_parse(cli, &table, argc, argv, first);
  if (code >= 0) return code;
  if (cfg->no_default_terms && !cfg->term_files.count)
    return gw_cli_usage_error(cli, "--no-default-terms needs at least one --terms FILE");
  if (cfg->compact && cfg->format != FORMAT_JSON)
    return gw_cli_usage_error(cli, "--compact is for --format json");
  return -1;
}

typedef struct resources {
  char *data_dir;
  gw_terms *terms;
  gw_noise *noise;
  gw_normalizer *normalizer;
} resources;

static void resources_free(resources *r) {
  gw_terms_free(r->terms);
  gw_normalizer_free(r->normalizer);
  gw_noise_free(r->noise);
  free(r->data_dir);
}

static int open_resources(gw_cli *cli, terms_config *cfg, resources *r) {
  gw_error err;
  r->data_dir = gw_cli_data_dir();
  if (!r->data_dir) return gw_cli_error(cli, "out of memory"), -1;
  if (terms_load_for_tool(cli, r->data_dir, cfg->no_default_terms,
                          cfg->term_files.items, cfg->term_files.count,
                          &r->terms))
    return -1;
  char *noise_path = gw_cli_data_file(r->data_dir, "noise.txt");
  int rc = gw_noise_load_file(&r->noise, noise_path, &err);
  free(noise_path);
  if (rc) return gw_cli_error(cli, "%s", err.message), -1;
  if (gw_normalizer_new(&r->normalizer, &err)) return gw_cli_error(cli, "%s", err.message), -1;
  cfg->document.noise = r->noise;
  cfg->document.normalizer = r->normalizer;
  return 0;
}

/* One input's work: loaded and matched on a worker (the term dictionary
 * is immutable and shared), counted on the main thread in input order. */
typedef struct terms_work {
  int rc;
  char *message; /* loading failed: the whole message */
  gw_document *doc;
  gw_term_result *result;
  gw_error err;  /* matching failed */
} terms_work;

typedef struct terms_run {
  gw_cli *cli;
  terms_config *cfg;
  corpus *c;
  int rc;
} terms_run;

static void *terms_prepare(void *vrun, unsigned worker, size_t index) {
  terms_run *run = vrun;
  (void)worker;
  terms_work *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->rc = gw_cli_load_input(run->cli, index, &run->cfg->document, &w->doc, &w->message);
  if (w->rc == GW_OK &&
      gw_terms_match(&w->result, run->c->terms, w->doc, &run->cfg->terms, &w->err) != GW_OK)
    w->result = NULL;
  return w;
}

static void terms_discard(void *vrun, void *vwork) {
  (void)vrun;
  terms_work *w = vwork;
  if (!w) return;
  gw_term_result_free(w->result);
  gw_document_free(w->doc);
  free(w->message);
  free(w);
}

static int terms_consume(void *vrun, size_t index, void *vwork) {
  terms_run *run = vrun;
  terms_work *w = vwork;
  gw_cli *cli = run->cli;
  const char *path = cli->inputs[index].path;
  gw_cli_progress(cli, index, cli->input_count, path);
  if (!w) return run->rc = GW_ENOMEM;
  if (gw_cli_loaded(cli, index, w->rc, w->message) == GW_ENOMEM) run->rc = GW_ENOMEM;
  if (w->rc == GW_OK) {
    gw_error err;
    err.message[0] = '\0';
    int arc = w->result ? analyse(run->c, run->cfg, path, w->doc, w->result) : w->err.code;
    if (!w->result) {
      err = w->err;
      if (!arc) arc = GW_ENOMEM;
    }
    if (arc == GW_OK && run->c->discovery) arc = gw_discovery_add(run->c->discovery, w->doc, &err);
    if (arc == GW_ENOMEM) run->rc = arc;
    else if (arc) gw_cli_add_failure(cli, path, err.message[0] ? err.message : gw_strerror(arc));
  }
  terms_discard(run, w);
  return run->rc;
}

static int run(gw_cli *cli, terms_config *cfg, resources *r) {
  corpus c;
  memset(&c, 0, sizeof c);
  c.terms = r->terms;
  c.n = gw_terms_term_count(r->terms);
  c.all = calloc(c.n ? c.n : 1, sizeof *c.all);
  c.doc = calloc(c.n ? c.n : 1, sizeof *c.doc);
  c.files = cJSON_CreateArray();
  int rc = c.all && c.doc && c.files ? GW_OK : GW_ENOMEM;
  if (rc == GW_OK && cfg->discover && gw_discovery_new(&c.discovery, r->terms, NULL))
    rc = GW_ENOMEM;
  if (rc == GW_OK) {
    terms_run state = {cli, cfg, &c, GW_OK};
    rc = gw_par_map(cli->input_count, (unsigned)cfg->threads, terms_prepare, terms_consume,
                    terms_discard, &state);
  }
  gw_cli_progress_end(cli);
  if (rc == GW_OK && c.discovery && gw_discovery_compute(c.discovery, NULL, NULL)) rc = GW_ENOMEM;
  if (rc == GW_OK) {
    cJSON *out = corpus_json(&c, cfg, cli);
    if (!out) rc = GW_ENOMEM;
    else if (cfg->format == FORMAT_TEXT) print_text(out, cfg);
    else rc = gw_cli_print_json(out, !cfg->compact);
    cJSON_Delete(out);
  }
  cJSON_Delete(c.files);
  gw_discovery_free(c.discovery);
  free(c.all);
  free(c.doc);
  return rc;
}

int main(int argc, char **argv) {
  gw_cli cli;
  gw_cli_init(&cli, "gw-terms");
  terms_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.document = (gw_document_options)GW_DOCUMENT_OPTIONS_INIT;
  cfg.terms = (gw_terms_options)GW_TERMS_OPTIONS_INIT;
  cfg.top = 20;
  cfg.threads = gw_par_default_threads();
  int first;
  int code = parse_args(argc, argv, &cli, &cfg, &first);
  resources res;
  memset(&res, 0, sizeof res);
  if (code < 0) {
    if (gw_cli_collect(&cli, argv + first, (size_t)(argc - first), cfg.list_path) ||
        open_resources(&cli, &cfg, &res)) {
      code = GW_EXIT_FAILURE;
    } else {
      int rc = run(&cli, &cfg, &res);
      if (rc == GW_ENOMEM) gw_cli_error(&cli, "out of memory");
      code = gw_cli_finish(&cli);
      if (rc == GW_ENOMEM || rc == GW_EIO) code = GW_EXIT_FAILURE;
    }
  }
  resources_free(&res);
  free(cfg.term_files.items);
  gw_cli_free(&cli);
  return code;
}
