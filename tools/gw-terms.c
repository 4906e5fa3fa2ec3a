/* gw-terms — policy terms and fixed formulations in reports: counts,
 * document frequency, density, categories, nested matches, broken and
 * outdated formulations, as JSON or a text table. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "options.h"
#include "parallel.h"
#include "json_writer.h"
#include "positions.h"
#include "resources.h"
#include "terms_json.h"
#include "text_out.h"
#include "gongwen.h"

#define N_SECTIONS (GW_SECTION_OTHER + 1)

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

/* The corpus so far.  Each file's record is written as its document is
 * counted (in input order), into a buffer: the totals come first in the
 * output, and nothing reaches stdout before all of it is written. */
typedef struct corpus {
  const gw_terms *terms;
  size_t n;
  tally *all;      /* n */
  tally *doc;      /* n, reset per document */
  size_t *touched; /* the terms whose c->doc tally is not zero */
  size_t touched_count;
  uint64_t documents, characters, counted, nested, broken, outdated, stale;
  gw_json files;    /* JSON: the "files" array */
  FILE *files_text; /* --format text: each file's lines */
  char *files_text_buffer;
  size_t files_text_length;
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

/* NULL when out of memory. */
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

/* NULL when out of memory. */
static cat_total *category_totals(const gw_terms *terms, const tally *t, size_t n, size_t *out_n) {
  /* Not cleared: an entry is set when its category first appears (a
   * cleared array of n entries per document was most of the work). */
  cat_total *cats = malloc((n ? n : 1) * sizeof *cats);
  size_t nc = 0;
  if (!cats) return NULL;
  for (size_t i = 0; i < n; i++) {
    if (!t[i].count) continue;
    const char *name = gw_terms_term_at(terms, i)->category;
    size_t c = 0;
    while (c < nc && strcmp(cats[c].name, name) != 0) c++;
    if (c == nc) cats[nc++] = (cat_total){name, 0, 0};
    cats[c].count += t[i].count;
    cats[c].terms++;
  }
  qsort(cats, nc, sizeof *cats, cat_cmp);
  *out_n = nc;
  return cats;
}

static void write_categories(gw_json *w, const gw_terms *terms, const tally *t, size_t n,
                             int with_terms) {
  size_t nc = 0;
  cat_total *cats = category_totals(terms, t, n, &nc);
  if (!cats) gw_json_fail(w, GW_ENOMEM);
  gw_json_array_begin(w);
  for (size_t c = 0; cats && c < nc; c++) {
    gw_json_object_begin(w);
    gw_json_member_string(w, "category", cats[c].name);
    gw_json_member_uint(w, "count", cats[c].count);
    if (with_terms) gw_json_member_uint(w, "terms", cats[c].terms);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
  free(cats);
}

/* The terms of section s by count, then text (NULL when out of memory);
 * *counts (malloc'd) holds each term's count there. */
static size_t *section_terms(const gw_terms *terms, const tally *t, size_t n, int s,
                             tally **counts, size_t *k) {
  tally *tmp = calloc(n ? n : 1, sizeof *tmp);
  *counts = tmp;
  if (!tmp) return NULL;
  for (size_t i = 0; i < n; i++) tmp[i].count = t[i].section[s];
  return sorted_terms(terms, tmp, n, k);
}

static uint64_t section_total(const tally *t, size_t n, int s) {
  uint64_t total = 0;
  for (size_t i = 0; i < n; i++) total += t[i].section[s];
  return total;
}

static void write_by_section(gw_json *w, const gw_terms *terms, const tally *t, size_t n) {
  gw_json_array_begin(w);
  for (int s = 0; s < N_SECTIONS; s++) {
    gw_json_object_begin(w);
    gw_json_member_string(w, "section", gw_section_type_name((gw_section_type)s));
    gw_json_member_string(w, "name", terms_section_label((gw_section_type)s));
    gw_json_member_uint(w, "count", section_total(t, n, s));
    gw_json_key(w, "terms");
    gw_json_array_begin(w);
    tally *counts;
    size_t k = 0;
    size_t *idx = section_terms(terms, t, n, s, &counts, &k);
    if (!idx) gw_json_fail(w, GW_ENOMEM);
    for (size_t j = 0; idx && j < k; j++) {
      gw_json_object_begin(w);
      gw_json_member_string(w, "term", gw_terms_term_at(terms, idx[j])->text);
      gw_json_member_uint(w, "count", counts[idx[j]].count);
      gw_json_object_end(w);
    }
    free(idx);
    free(counts);
    gw_json_array_end(w);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
}

/* One file's record in the "files" array. */
static void write_file(gw_json *w, const corpus *c, const terms_config *cfg, const char *path,
                       const gw_document *doc, const gw_term_result *r, const gw_positions *at,
                       uint64_t counted, uint64_t nested) {
  const gw_terms *terms = c->terms;
  uint64_t chars = gw_document_char_count(doc);
  size_t nm = gw_term_result_match_count(r);
  gw_json_object_begin(w);
  gw_json_member_path(w, "path", path);
  gw_json_key(w, "year");
  int year = gw_term_result_year(r);
  if (year) gw_json_int(w, year);
  else gw_json_null(w);
  gw_json_member_uint(w, "characters", chars);
  gw_json_member_uint(w, "count", counted);
  gw_json_member_uint(w, "nested", nested);
  gw_json_member_number(w, "density", density(counted, chars));
  gw_json_key(w, "terms");
  gw_json_array_begin(w);
  size_t k = 0;
  size_t *idx = sorted_terms(terms, c->doc, c->n, &k);
  if (!idx) gw_json_fail(w, GW_ENOMEM);
  for (size_t j = 0; idx && j < k; j++) {
    const tally *t = &c->doc[idx[j]];
    const gw_term *term = gw_terms_term_at(terms, idx[j]);
    gw_json_object_begin(w);
    gw_json_member_string(w, "term", term->text);
    gw_json_member_string(w, "category", term->category);
    gw_json_member_uint(w, "count", t->count);
    gw_json_member_uint(w, "nested", t->nested);
    gw_json_member_number(w, "density", density(t->count, chars));
    terms_json_term_facts(w, term);
    gw_json_object_end(w);
  }
  free(idx);
  gw_json_array_end(w);
  gw_json_key(w, "categories");
  write_categories(w, terms, c->doc, c->n, 0);
  if (cfg->by_section) {
    gw_json_key(w, "by_section");
    write_by_section(w, terms, c->doc, c->n);
  }
  gw_json_key(w, "nested_matches");
  gw_json_array_begin(w);
  for (size_t i = 0; i < nm; i++) {
    const gw_term_match *m = gw_term_result_match_at(r, i);
    if (m->kind != GW_TERM_NESTED) continue;
    gw_json_object_begin(w);
    gw_json_member_string(w, "term", gw_terms_term_at(terms, m->term)->text);
    gw_json_member_string(w, "in",
                          gw_terms_term_at(terms, gw_term_result_match_at(r, m->outer)->term)->text);
    terms_json_place(w, at, doc, &m->range, m->paragraph);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
  terms_json_findings(w, terms, doc, at, r);
  if (cfg->all_matches) {
    gw_json_key(w, "matches");
    gw_json_array_begin(w);
    for (size_t i = 0; i < nm; i++) {
      const gw_term_match *m = gw_term_result_match_at(r, i);
      gw_json_object_begin(w);
      gw_json_member_string(w, "term", gw_terms_term_at(terms, m->term)->text);
      terms_json_norm_text(w, "found", doc, &m->range);
      gw_json_member_string(w, "kind", gw_term_match_kind_name(m->kind));
      terms_json_place(w, at, doc, &m->range, m->paragraph);
      gw_json_object_end(w);
    }
    gw_json_array_end(w);
  }
  gw_json_object_end(w);
}

/* One file's lines in --format text. */
static void print_file(FILE *out, const corpus *c, const char *path, const gw_document *doc,
                       const gw_positions *at, const gw_term_result *r, uint64_t counted) {
  uint64_t chars = gw_document_char_count(doc);
  fputc('\n', out);
  gw_text_put_name(out, path);
  int year = gw_term_result_year(r);
  if (year) fprintf(out, " (year %d, ", year);
  else fputs(" (year unknown, ", out);
  gw_text_put_count(out, chars);
  fprintf(out, " characters): %" PRIu64 " counted, %.2f per 10,000 characters\n", counted,
          density(counted, chars));
  terms_text_findings(out, "  ", c->terms, doc, at, r);
}

/* Count one document and write its record. */
static int analyse(corpus *c, const terms_config *cfg, const char *path, const gw_document *doc,
                   const gw_positions *at, const gw_term_result *r) {
  /* Only the tallies the last document touched are cleared: clearing
   * every term's for each of many small documents cost more than
   * counting them. */
  for (size_t i = 0; i < c->touched_count; i++) memset(&c->doc[c->touched[i]], 0, sizeof *c->doc);
  c->touched_count = 0;
  uint64_t counted = 0, nested = 0;
  size_t nm = gw_term_result_match_count(r);
  for (size_t i = 0; i < nm; i++) {
    const gw_term_match *m = gw_term_result_match_at(r, i);
    tally *t = &c->doc[m->term];
    if (!t->count && !t->nested &&
        (m->kind == GW_TERM_COUNTED || m->kind == GW_TERM_NESTED))
      c->touched[c->touched_count++] = m->term;
    if (m->kind == GW_TERM_COUNTED) {
      t->count++;
      t->section[m->section]++;
      counted++;
    } else if (m->kind == GW_TERM_NESTED) {
      t->nested++;
      nested++;
    }
  }
  if (cfg->format == FORMAT_TEXT) {
    print_file(c->files_text, c, path, doc, at, r, counted);
    if (ferror(c->files_text)) return GW_ENOMEM; /* a memory stream that could not grow */
  } else {
    write_file(&c->files, c, cfg, path, doc, r, at, counted, nested);
    if (c->files.failed) return c->files.failed;
  }
  /* Corpus totals. */
  uint64_t chars = gw_document_char_count(doc);
  for (size_t k = 0; k < c->touched_count; k++) {
    size_t i = c->touched[k];
    const tally *t = &c->doc[i];
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
  return GW_OK;
}

static size_t generated_count(const corpus *c) {
  size_t generated = 0;
  for (size_t i = 0; i < c->n; i++) generated += gw_terms_term_at(c->terms, i)->generated != 0;
  return generated;
}

/* The corpus's members up to the key "files". */
static void write_totals(gw_json *w, const corpus *c, const terms_config *cfg) {
  gw_json_object_begin(w);
  gw_json_member_uint(w, "documents", c->documents);
  gw_json_member_uint(w, "characters", c->characters);
  gw_json_member_uint(w, "dictionary", c->n);
  gw_json_member_uint(w, "generated", generated_count(c));
  gw_json_member_uint(w, "count", c->counted);
  gw_json_member_uint(w, "nested", c->nested);
  gw_json_member_number(w, "density", density(c->counted, c->characters));
  size_t k = 0;
  size_t *idx = sorted_terms(c->terms, c->all, c->n, &k);
  if (!idx) gw_json_fail(w, GW_ENOMEM);
  gw_json_key(w, "terms");
  gw_json_array_begin(w);
  for (size_t j = 0; idx && j < k; j++) {
    const tally *t = &c->all[idx[j]];
    const gw_term *term = gw_terms_term_at(c->terms, idx[j]);
    gw_json_object_begin(w);
    gw_json_member_string(w, "term", term->text);
    gw_json_member_string(w, "category", term->category);
    gw_json_member_uint(w, "count", t->count);
    gw_json_member_uint(w, "documents", t->documents);
    gw_json_member_number(w, "density", density(t->count, c->characters));
    gw_json_member_uint(w, "nested", t->nested);
    terms_json_term_facts(w, term);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
  gw_json_key(w, "categories");
  write_categories(w, c->terms, c->all, c->n, 1);
  gw_json_key(w, "top_terms");
  gw_json_array_begin(w);
  for (size_t j = 0; idx && j < k && j < cfg->top; j++) {
    const tally *t = &c->all[idx[j]];
    if (!t->count) continue;
    gw_json_object_begin(w);
    gw_json_member_string(w, "term", gw_terms_term_at(c->terms, idx[j])->text);
    gw_json_member_uint(w, "count", t->count);
    gw_json_member_uint(w, "documents", t->documents);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
  free(idx);
  if (cfg->by_section) {
    gw_json_key(w, "by_section");
    write_by_section(w, c->terms, c->all, c->n);
  }
  gw_json_member_uint(w, "broken", c->broken);
  gw_json_member_uint(w, "outdated", c->outdated);
  gw_json_member_uint(w, "stale", c->stale);
  if (c->discovery) {
    gw_json_key(w, "discovered");
    gw_json_array_begin(w);
    for (size_t i = 0; i < gw_discovery_candidate_count(c->discovery); i++) {
      const gw_candidate *cand = gw_discovery_candidate_at(c->discovery, i);
      gw_json_object_begin(w);
      gw_json_member_string(w, "text", cand->text);
      gw_json_member_string(w, "kind", gw_candidate_kind_name(cand->kind));
      gw_json_member_uint(w, "count", cand->count);
      gw_json_member_uint(w, "documents", cand->documents);
      if (cand->kind == GW_CANDIDATE_NGRAM) {
        gw_json_member_number(w, "pmi", cand->pmi);
        gw_json_member_number(w, "left_entropy", cand->left_entropy);
        gw_json_member_number(w, "right_entropy", cand->right_entropy);
      }
      gw_json_object_end(w);
    }
    gw_json_array_end(w);
  }
  gw_json_key(w, "files");
}

/* The whole JSON on stdout, or nothing: GW_OK, GW_ENOMEM or GW_EIO. */
static int print_json(corpus *c, const terms_config *cfg, const gw_cli *cli) {
  gw_json head, tail;
  gw_json_init(&head, NULL, !cfg->compact);
  gw_json_init(&tail, NULL, !cfg->compact);
  write_totals(&head, c, cfg);
  gw_json_array_end(&c->files);
  gw_json_continue_in(&tail, 1, 1);
  gw_cli_write_errors_last(&tail, cli);
  gw_json *const parts[] = {&head, &c->files, &tail};
  int rc = gw_json_write_parts(stdout, parts, 3);
  gw_json_finish(&head);
  gw_json_finish(&tail);
  return rc;
}

/* ---- --format text ---- */

/* One row a term: the figures first and the term last, so that a long
 * formulation never pushes the columns after it.  Whether a term is a
 * generated name. */
static int print_term_table(const corpus *c, const size_t *idx, size_t k) {
  int any_generated = 0;
  printf("%7s %6s %8s %6s  ", "count", "docs", "density", "nested");
  gw_text_put_padded(stdout, "category", 14);
  printf("term\n");
  for (size_t j = 0; j < k; j++) {
    const tally *t = &c->all[idx[j]];
    const gw_term *term = gw_terms_term_at(c->terms, idx[j]);
    printf("%7" PRIu64 " %6" PRIu64 " %8.2f %6" PRIu64 "  ", t->count, t->documents,
           density(t->count, c->characters), t->nested);
    gw_text_put_padded(stdout, term->category, 14);
    fputs(term->text, stdout);
    if (term->generated) {
      fputs(" *", stdout);
      any_generated = 1;
    }
    putchar('\n');
  }
  return any_generated;
}

/* GW_OK, or GW_ENOMEM before anything is printed. */
static int print_text(const corpus *c, const terms_config *cfg, const gw_cli *cli) {
  size_t k = 0, nc = 0;
  size_t *idx = sorted_terms(c->terms, c->all, c->n, &k);
  cat_total *cats = idx ? category_totals(c->terms, c->all, c->n, &nc) : NULL;
  if (!cats) {
    free(idx);
    return GW_ENOMEM;
  }
  gw_text_put_count(stdout, c->documents);
  printf(" documents, ");
  gw_text_put_count(stdout, c->characters);
  printf(" characters: %" PRIu64 " terms counted (%.2f per 10,000 characters), %" PRIu64
         " nested; %" PRIu64 " broken, %" PRIu64 " outdated, %" PRIu64 " stale\n",
         c->counted, density(c->counted, c->characters), c->nested, c->broken, c->outdated,
         c->stale);
  printf("Dictionary: %zu terms, %zu of them names recognised by pattern\n\n", c->n,
         generated_count(c));
  if (print_term_table(c, idx, k))
    printf("* a name recognised by pattern (党的X大, X届Y中全会 ...), not listed in terms.tsv\n");
  printf("\nCategories:");
  for (size_t i = 0; i < nc; i++) printf(" %s %" PRIu64 ";", cats[i].name, cats[i].count);
  printf("\n");
  if (cfg->by_section) {
    printf("By section:");
    for (int s = 0; s < N_SECTIONS; s++)
      printf(" %s %" PRIu64 ";", terms_section_label((gw_section_type)s),
             section_total(c->all, c->n, s));
    printf("\n");
  }
  if (c->discovery) {
    printf("\nCandidate terms not in the dictionary (count, documents, kind):\n");
    for (size_t i = 0; i < gw_discovery_candidate_count(c->discovery); i++) {
      const gw_candidate *cand = gw_discovery_candidate_at(c->discovery, i);
      printf("  %6zu %6zu  ", (size_t)cand->count, (size_t)cand->documents);
      gw_text_put_padded(stdout, gw_candidate_kind_name(cand->kind), 10);
      printf("%s\n", cand->text);
    }
  }
  fwrite(c->files_text_buffer, 1, c->files_text_length, stdout);
  terms_text_errors(stdout, cli);
  free(cats);
  free(idx);
  return GW_OK;
}

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

static int open_resources(gw_cli *cli, terms_config *cfg, gw_resources *r) {
  const gw_resource_request want = {
      .terms = 1, .no_default_terms = cfg->no_default_terms,
      .term_files = (const char *const *)cfg->term_files.items,
      .term_file_count = cfg->term_files.count};
  return gw_resources_open(r, cli, &want, &cfg->document);
}

/* One input's work: loaded and matched on a worker (the term dictionary
 * is immutable and shared), counted on the main thread in input order. */
typedef struct terms_work {
  int rc;
  char *message; /* loading failed: the whole message */
  gw_document *doc;
  gw_term_result *result;
  gw_positions positions; /* lines and columns of what is printed */
  gw_error err;  /* matching failed */
} terms_work;

typedef struct terms_run {
  gw_cli *cli;
  terms_config *cfg;
  corpus *c;
  int rc;
} terms_run;

/* Whether the output names a place in the document: the lines and
 * columns are worked out only then. */
static int points_into_file(const terms_config *cfg, const gw_term_result *r) {
  if (gw_term_result_broken_count(r) || gw_term_result_outdated_count(r) ||
      gw_term_result_stale_count(r))
    return 1;
  if (cfg->format == FORMAT_TEXT) return 0;
  size_t nm = gw_term_result_match_count(r);
  if (cfg->all_matches && nm) return 1;
  for (size_t i = 0; i < nm; i++)
    if (gw_term_result_match_at(r, i)->kind == GW_TERM_NESTED) return 1;
  return 0;
}

static void *terms_prepare(void *vrun, unsigned worker, size_t index) {
  terms_run *run = vrun;
  (void)worker;
  terms_work *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->rc = gw_cli_load_input(run->cli, index, &run->cfg->document, &w->doc, &w->message);
  if (w->rc == GW_OK &&
      gw_terms_match(&w->result, run->c->terms, w->doc, &run->cfg->terms, &w->err) != GW_OK)
    w->result = NULL;
  if (w->result && points_into_file(run->cfg, w->result) &&
      gw_positions_build(&w->positions, w->doc)) {
    gw_term_result_free(w->result);
    w->result = NULL;
    w->err.code = GW_ENOMEM;
    w->err.message[0] = '\0';
  }
  return w;
}

static void terms_discard(void *vrun, void *vwork) {
  (void)vrun;
  terms_work *w = vwork;
  if (!w) return;
  gw_term_result_free(w->result);
  gw_positions_free(&w->positions);
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
    int arc = w->result ? analyse(run->c, run->cfg, path, w->doc, &w->positions, w->result) : w->err.code;
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

static int run(gw_cli *cli, terms_config *cfg, gw_resources *r) {
  corpus c;
  memset(&c, 0, sizeof c);
  c.terms = r->terms;
  c.n = gw_terms_term_count(r->terms);
  c.all = calloc(c.n ? c.n : 1, sizeof *c.all);
  c.doc = calloc(c.n ? c.n : 1, sizeof *c.doc);
  c.touched = malloc((c.n ? c.n : 1) * sizeof *c.touched);
  /* The "files" array, inside the top object after its totals. */
  gw_json_init(&c.files, NULL, !cfg->compact);
  gw_json_continue_in(&c.files, 1, 1);
  gw_json_array_begin(&c.files);
  if (cfg->format == FORMAT_TEXT)
    c.files_text = open_memstream(&c.files_text_buffer, &c.files_text_length);
  int rc = c.all && c.doc && c.touched && (cfg->format != FORMAT_TEXT || c.files_text) ? GW_OK : GW_ENOMEM;
  if (rc == GW_OK && cfg->discover && gw_discovery_new(&c.discovery, r->terms, NULL))
    rc = GW_ENOMEM;
  if (rc == GW_OK) {
    terms_run state = {cli, cfg, &c, GW_OK};
    rc = gw_par_map(cli->input_count, (unsigned)cfg->threads, terms_prepare, terms_consume,
                    terms_discard, &state);
  }
  gw_cli_progress_end(cli);
  if (c.files_text && fclose(c.files_text) && rc == GW_OK) rc = GW_ENOMEM;
  if (rc == GW_OK && c.discovery && gw_discovery_compute(c.discovery, NULL, NULL)) rc = GW_ENOMEM;
  if (rc == GW_OK) rc = cfg->format == FORMAT_TEXT ? print_text(&c, cfg, cli) : print_json(&c, cfg, cli);
  gw_json_finish(&c.files);
  free(c.files_text_buffer);
  gw_discovery_free(c.discovery);
  free(c.all);
  free(c.doc);
  free(c.touched);
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
  gw_resources res;
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
  gw_resources_free(&res);
  free(cfg.term_files.items);
  gw_cli_free(&cli);
  return code;
}
