/* gw-stats — the corpus overview: documents, characters, paragraphs and
 * sections, top words and terms, noise removed, masks, the copy-ratio
 * distribution and the most-copied pairs, as one JSON object. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "options.h"
#include "parallel.h"
#include "counter.h"
#include "text_out.h"
#include "gongwen.h"

enum output_format { FORMAT_TEXT, FORMAT_JSON };

typedef struct stats_config {
  enum output_format format;
  int format_given;
  gw_document_options document;
  const char *list_path;
  const char *dict_path;
  size_t top, pairs;
  int top_given, pairs_given; /* else each format's own default */
  int compact;
  size_t threads;
} stats_config;

/* Ratios to four decimals (all are in [0, 1]). */
static double round4(double x) { return (double)(long long)(x * 10000.0 + 0.5) / 10000.0; }

static const char *const formats[] = {"text", "json", NULL}; /* enum output_format */

/* Returns -1 to go on (the inputs start at *first), or an exit code. */
static int parse_args(int argc, char **argv, gw_cli *cli, stats_config *cfg, int *first) {
  const gw_opt opts[] = {
      gw_opt_format((int *)&cfg->format, formats, "the summary (default) or the JSON object",
                    &cfg->format_given),
      gw_opt_compact(&cfg->compact),
      gw_opt_top(&cfg->top, "words, terms and masks listed (default 10 in text,\n20 in JSON)",
                 &cfg->top_given),
      {.name = "pairs", .kind = GW_OPT_COUNT, .target = &cfg->pairs, .arg = "N",
       .help = "most copied pairs listed (default 5 in text, 10 in\nJSON)", .lo = 0,
       .hi = 100000000, .given = &cfg->pairs_given},
      gw_opt_dictionary(&cfg->dict_path),
      gw_opt_threads(&cfg->threads),
      GW_OPT_INPUT_OPTIONS(&cfg->list_path, &cfg->document)};
  const gw_opt_table table = {
      "[OPTIONS] [FILE|DIR|-]...",
      "Overview of a corpus of reports: documents, characters, the most copied\n"
      "reports and pairs (as gw-dups finds them with its default parameters), top\n"
      "terms and words, template masks, noise removed.  A short summary for a\n"
      "terminal by default; --format json gives everything as one JSON object\n"
      "(also paragraphs and sections, the copy-ratio distribution, per file).\n"
      "Folders are read recursively; no input or '-' reads stdin.\n",
      opts, sizeof opts / sizeof *opts, gw_opt_exit_status};
  int code = gw_opt_parse(cli, &table, argc, argv, first);
  if (code >= 0) return code;
  if (cfg->compact) {
    if (cfg->format_given && cfg->format != FORMAT_JSON)
      return gw_cli_usage_error(cli, "--compact is for --format json");
    cfg->format = FORMAT_JSON;
  }
  return -1;
}

typedef struct corpus {
  gw_counter words, masks, terms;
  const gw_counter *stopwords;
  uint64_t documents, characters, paragraphs, headings, tokens, mask_count;
  uint64_t sections[GW_SECTION_OTHER + 1];
  uint64_t removed_spans, removed_bytes;
  uint64_t removed_kinds[GW_REMOVED_PINYIN + 1];
  cJSON *files;
} corpus;

static size_t utf8_chars(const char *s, size_t n) {
  size_t chars = 0;
  for (size_t i = 0; i < n; i++) chars += ((unsigned char)s[i] & 0xC0) != 0x80;
  return chars;
}

/* A top-word candidate: bytes of the normalized view. */
typedef struct word_ref {
  size_t start, len;
} word_ref;

/* What segmenting one document gives the overview, found on a worker. */
typedef struct document_words {
  word_ref *words;
  size_t count, capacity;
  uint64_t tokens;
} document_words;

/* Top words are content words, as gw-seg --stats counts them: two or more
 * characters (or a Latin word), not a stop word. */
static int find_words(document_words *out, gw_segmenter *seg, const gw_counter *stopwords,
                      const gw_document *doc, gw_error *err) {
  size_t norm_len;
  const char *norm = gw_document_normalized(doc, &norm_len);
  size_t np = gw_document_paragraph_count(doc);
  for (size_t i = 0; i < np; i++) {
    const gw_paragraph *p = gw_document_paragraph(doc, i);
    const gw_token *tokens;
    size_t n;
    const char *text = norm + p->range.norm_start;
    int rc = gw_segment(seg, text, p->range.norm_end - p->range.norm_start, &tokens, &n, err);
    if (rc) return rc;
    for (size_t k = 0; k < n; k++) {
      gw_token_kind kind = tokens[k].kind;
      if (kind == GW_TOKEN_SPACE || tokens[k].sub) continue;
      out->tokens++;
      const char *w = text + tokens[k].start;
      size_t len = tokens[k].end - tokens[k].start;
      if (kind != GW_TOKEN_WORD && kind != GW_TOKEN_NEW_WORD && kind != GW_TOKEN_LATIN) continue;
      if (kind != GW_TOKEN_LATIN && utf8_chars(w, len) < 2) continue;
      if (stopwords && gw_counter_find(stopwords, w, len)) continue;
      if (out->count == out->capacity) {
        size_t cap = out->capacity ? out->capacity * 2 : 256;
        word_ref *grown = realloc(out->words, cap * sizeof *grown);
        if (!grown) return GW_ENOMEM;
        out->words = grown;
        out->capacity = cap;
      }
      out->words[out->count++] = (word_ref){(size_t)(w - norm), len};
    }
  }
  return GW_OK;
}

static int count_document(corpus *c, const document_words *found, const gw_document *doc,
                          const char *path) {
  size_t norm_len;
  const char *norm = gw_document_normalized(doc, &norm_len);
  size_t np = gw_document_paragraph_count(doc), docno = (size_t)c->documents;
  for (size_t i = 0; i < np; i++) {
    const gw_paragraph *p = gw_document_paragraph(doc, i);
    if (p->heading_level > 0) c->headings++;
    if (p->heading_level == 1) c->sections[p->section]++;
  }
  c->tokens += found->tokens;
  for (size_t i = 0; i < found->count; i++)
    if (gw_counter_add(&c->words, norm + found->words[i].start, found->words[i].len, docno))
      return GW_ENOMEM;
  size_t masks = gw_document_mask_count(doc);
  for (size_t i = 0; i < masks; i++) {
    const gw_range *m = gw_document_mask(doc, i);
    if (gw_counter_add(&c->masks, norm + m->norm_start, m->norm_end - m->norm_start, docno))
      return GW_ENOMEM;
  }
  size_t removals = gw_document_removal_count(doc);
  for (size_t i = 0; i < removals; i++) {
    const gw_removal *r = gw_document_removal(doc, i);
    c->removed_spans++;
    c->removed_bytes += r->range.end - r->range.start;
    c->removed_kinds[r->kind]++;
  }
  cJSON *f = cJSON_CreateObject();
  if (!f) return GW_ENOMEM;
  gw_cli_json_add_path(f, "path", path);
  cJSON_AddStringToObject(f, "encoding", gw_encoding_name(gw_document_encoding(doc)));
  cJSON_AddNumberToObject(f, "characters", (double)gw_document_char_count(doc));
  cJSON_AddNumberToObject(f, "paragraphs", (double)np);
  cJSON_AddNumberToObject(f, "masks", (double)masks);
  cJSON_AddNumberToObject(f, "removed", (double)removals);
  cJSON_AddItemToArray(c->files, f);
  c->documents++;
  c->characters += gw_document_char_count(doc);
  c->paragraphs += np;
  c->mask_count += masks;
  return GW_OK;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static cJSON *copy_ratio_json(const gw_dups *d) {
  size_t n = gw_dups_document_count(d);
  cJSON *o = cJSON_CreateObject();
  double *r = malloc((n + 1) * sizeof *r), sum = 0.0;
  size_t buckets[10] = {0};
  if (!o || !r) { free(r); cJSON_Delete(o); return NULL; }
  for (size_t i = 0; i < n; i++) {
    r[i] = gw_dups_document_info(d, i)->copy_ratio;
    sum += r[i];
    size_t b = (size_t)(r[i] * 10.0);
    buckets[b > 9 ? 9 : b]++;
  }
  qsort(r, n, sizeof *r, cmp_double);
  double median = n == 0 ? 0.0 : n % 2 ? r[n / 2] : (r[n / 2 - 1] + r[n / 2]) / 2.0;
  cJSON_AddNumberToObject(o, "mean", n ? round4(sum / (double)n) : 0.0);
  cJSON_AddNumberToObject(o, "median", round4(median));
  cJSON_AddNumberToObject(o, "max", n ? round4(r[n - 1]) : 0.0);
  cJSON *list = cJSON_AddArrayToObject(o, "buckets");
  for (int b = 0; b < 10; b++) {
    cJSON *x = cJSON_CreateObject();
    cJSON_AddNumberToObject(x, "from", b / 10.0);
    cJSON_AddNumberToObject(x, "to", (b + 1) / 10.0);
    cJSON_AddNumberToObject(x, "documents", (double)buckets[b]);
    cJSON_AddItemToArray(list, x);
  }
  free(r);
  return o;
}

/* A pair's passages that are copy evidence (not official or generic). */
static size_t copy_passages(const gw_dups *d, const gw_dups_pair *p) {
  size_t copies = 0;
  for (size_t k = 0; k < p->passage_count; k++)
    copies += gw_dups_passage_at(d, p->passage_first + k)->kind == GW_DUPS_COPY;
  return copies;
}

static cJSON *pairs_json(const gw_dups *d, char **paths, size_t top) {
  cJSON *list = cJSON_CreateArray();
  if (!list) return NULL;
  for (size_t i = 0, listed = 0; i < gw_dups_pair_count(d) && listed < top; i++, listed++) {
    const gw_dups_pair *p = gw_dups_pair_at(d, i);
    if (!p->copied_a && !p->copied_b) break; /* pairs come by copied characters */
    size_t copies = copy_passages(d, p);
    cJSON *o = cJSON_CreateObject();
    gw_cli_json_add_path(o, "a", paths[p->a]);
    gw_cli_json_add_path(o, "b", paths[p->b]);
    cJSON_AddNumberToObject(o, "similarity", round4(p->similarity));
    cJSON_AddNumberToObject(o, "copied_a", (double)p->copied_a);
    cJSON_AddNumberToObject(o, "copied_b", (double)p->copied_b);
    cJSON_AddNumberToObject(o, "passages", (double)copies);
    cJSON_AddItemToArray(list, o);
  }
  return list;
}

static cJSON *overview_json(corpus *c, const gw_dups *d, char **paths,
                            const gw_cli *cli, const stats_config *cfg) {
  cJSON *o = cJSON_CreateObject();
  if (!o) return NULL;
  cJSON_AddNumberToObject(o, "documents", (double)c->documents);
  cJSON_AddNumberToObject(o, "characters", (double)c->characters);
  cJSON_AddNumberToObject(o, "paragraphs", (double)c->paragraphs);
  cJSON_AddNumberToObject(o, "headings", (double)c->headings);
  cJSON *sections = cJSON_AddObjectToObject(o, "sections");
  for (int s = GW_SECTION_WORK_DONE; s <= GW_SECTION_OTHER; s++)
    cJSON_AddNumberToObject(sections, gw_section_type_name((gw_section_type)s), (double)c->sections[s]);
  cJSON_AddNumberToObject(o, "tokens", (double)c->tokens);
  cJSON_AddItemToObject(o, "top_words", gw_counter_json(&c->words, cfg->top, "word"));
  cJSON_AddItemToObject(o, "top_terms", gw_counter_json(&c->terms, cfg->top, "term"));
  cJSON *removed = cJSON_AddObjectToObject(o, "removed");
  cJSON_AddNumberToObject(removed, "spans", (double)c->removed_spans);
  cJSON_AddNumberToObject(removed, "bytes", (double)c->removed_bytes);
  for (int k = 0; k <= GW_REMOVED_PINYIN; k++)
    cJSON_AddNumberToObject(removed, gw_removal_kind_name((gw_removal_kind)k), (double)c->removed_kinds[k]);
  cJSON *masks = cJSON_AddObjectToObject(o, "masks");
  cJSON_AddNumberToObject(masks, "count", (double)c->mask_count);
  cJSON_AddItemToObject(masks, "forms", gw_counter_json(&c->masks, cfg->top, "mask"));
  cJSON_AddItemToObject(o, "copy_ratio", copy_ratio_json(d));
  cJSON_AddItemToObject(o, "most_copied_pairs", pairs_json(d, paths, cfg->pairs));
  cJSON *files = c->files;
  c->files = NULL;
  /* Each file's copy ratio beside what was counted for it, walking the
   * list once (fetching item i by index would be quadratic). */
  cJSON *file = files ? files->child : NULL;
  for (size_t i = 0; file && i < gw_dups_document_count(d); i++, file = file->next)
    cJSON_AddNumberToObject(file, "copy_ratio",
                            round4(gw_dups_document_info(d, i)->copy_ratio));
  cJSON_AddItemToObject(o, "files", files);
  cJSON_AddItemToObject(o, "errors", gw_cli_failures_json(cli));
  return o;
}


/* ---- --format text: what an inspector wants to see first ---- */

enum { TEXT_REPORTS = 5, TEXT_PAIRS = 5, TEXT_TOP = 10, EXCERPT_CHARS = 40 };

typedef struct ranked_document {
  size_t index;
  double ratio;
} ranked_document;

static int by_ratio(const void *a, const void *b) {
  const ranked_document *x = a, *y = b;
  if (x->ratio != y->ratio) return x->ratio > y->ratio ? -1 : 1;
  return (x->index > y->index) - (x->index < y->index);
}

/* The reports with the highest copy ratio, each with its largest source. */
static void text_copied_reports(FILE *out, const gw_dups *d, char **paths, size_t limit) {
  size_t n = gw_dups_document_count(d), copied = 0;
  ranked_document *ranked = malloc((n ? n : 1) * sizeof *ranked);
  if (!ranked) return;
  for (size_t i = 0; i < n; i++) {
    double r = gw_dups_document_info(d, i)->copy_ratio;
    if (r > 0) ranked[copied++] = (ranked_document){i, r};
  }
  qsort(ranked, copied, sizeof *ranked, by_ratio);
  fputs("\nMost copied reports (copy ratio: characters copied from another report\n"
        "over its own, official formulations excluded):\n", out);
  if (!copied) fputs("  none\n", out);
  for (size_t k = 0; k < copied && k < limit; k++) {
    const gw_dups_document *di = gw_dups_document_info(d, ranked[k].index);
    fputs("  ", out);
    gw_text_put_percent(out, ranked[k].ratio);
    fputs("  ", out);
    gw_text_put_name(out, paths[ranked[k].index]);
    if (di->source_count) {
      const gw_dups_source *src = gw_dups_source_at(d, di->source_first);
      fputs("  main source ", out);
      gw_text_put_name(out, paths[src->document]);
      fputs(" (", out);
      gw_text_put_percent(out, src->share);
      fputs(")", out);
    }
    fputc('\n', out);
  }
  if (copied > limit) fprintf(out, "  ... %zu more\n", copied - limit);
  free(ranked);
}

/* A passage as it stands in its file, on one line, when the file is UTF-8
 * and can be read again; NULL otherwise (the caller then shows the
 * characters compared, without punctuation). */
static char *original_passage(const char *path, const gw_dups_range *r, size_t *len) {
  if (strcmp(path, GW_CLI_STDIN) == 0 || r->end <= r->start) return NULL;
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t n = r->end - r->start;
  char *text = malloc(n + 1);
  int ok = text && fseek(f, (long)r->start, SEEK_SET) == 0 && fread(text, 1, n, f) == n &&
           gw_text_is_utf8(text, n);
  fclose(f);
  if (!ok) {
    free(text);
    return NULL;
  }
  *len = gw_text_one_line(text, n);
  text[*len] = '\0';
  return text;
}

/* The pair's longest copied passage, cut to a line. */
static void text_sample_passage(FILE *out, const gw_dups *d, char **paths,
                                const gw_dups_pair *p) {
  const gw_dups_passage *best = NULL;
  for (size_t k = 0; k < p->passage_count; k++) {
    const gw_dups_passage *ps = gw_dups_passage_at(d, p->passage_first + k);
    if (ps->kind == GW_DUPS_COPY &&
        (!best || ps->a.char_end - ps->a.char_start > best->a.char_end - best->a.char_start))
      best = ps;
  }
  if (!best) return;
  size_t len;
  char *text = original_passage(paths[p->a], &best->a, &len);
  if (!text && gw_dups_text(d, p->a, best->a.char_start, best->a.char_end, &text, &len, NULL))
    return;
  fputs("      \xE2\x80\x9C", out);
  gw_text_put_excerpt(out, text, len, EXCERPT_CHARS);
  fputs("\xE2\x80\x9D\n", out);
  free(text);
}

static void text_copied_pairs(FILE *out, const gw_dups *d, char **paths, size_t limit) {
  fputs("\nMost copied pairs:\n", out);
  size_t listed = 0;
  for (size_t i = 0; i < gw_dups_pair_count(d) && listed < limit; i++) {
    const gw_dups_pair *p = gw_dups_pair_at(d, i);
    if (!p->copied_a && !p->copied_b) break; /* pairs come by copied characters */
    size_t copies = copy_passages(d, p);
    fputs("  ", out);
    gw_text_put_name(out, paths[p->a]);
    fputs(" ~ ", out);
    gw_text_put_name(out, paths[p->b]);
    fputs(": similarity ", out);
    gw_text_put_percent(out, p->similarity);
    fprintf(out, ", %zu and %zu characters in %zu passage%s\n", p->copied_a, p->copied_b,
            copies, copies == 1 ? "" : "s");
    text_sample_passage(out, d, paths, p);
    listed++;
  }
  if (!listed) fputs("  none\n", out);
}

/* "label: a 201, b 130, ..." from a counter, at most `limit` entries. */
static void text_counts(FILE *out, const char *label, const gw_counter *c, size_t limit,
                        int with_documents) {
  size_t n;
  const gw_count **sorted = gw_counter_sorted(c, &n);
  if (!sorted) return;
  fprintf(out, "%s:", label);
  if (!n) fputs(" none", out);
  for (size_t i = 0; i < n && i < limit; i++) {
    fputs(i ? ", " : " ", out);
    gw_text_put_name(out, sorted[i]->key);
    fputc(' ', out);
    gw_text_put_count(out, sorted[i]->count);
    if (with_documents) fprintf(out, " (%llu)", (unsigned long long)sorted[i]->documents);
  }
  if (n > limit) fputs(", ...", out);
  fputc('\n', out);
  free(sorted);
}

static void print_text(FILE *out, const corpus *c, const gw_dups *d, char **paths,
                       const gw_cli *cli, const stats_config *cfg) {
  size_t top = cfg->top_given ? cfg->top : TEXT_TOP;
  size_t pairs = cfg->pairs_given ? cfg->pairs : TEXT_PAIRS;
  gw_text_put_count(out, c->documents);
  fputs(c->documents == 1 ? " report, " : " reports, ", out);
  gw_text_put_count(out, c->characters);
  fputs(" characters, ", out);
  gw_text_put_count(out, c->paragraphs);
  fputs(" paragraphs (", out);
  gw_text_put_count(out, c->headings);
  fputs(" headings)\n", out);
  size_t n = gw_dups_document_count(d), high = 0;
  double sum = 0, max = 0;
  for (size_t i = 0; i < n; i++) {
    double r = gw_dups_document_info(d, i)->copy_ratio;
    sum += r;
    if (r > max) max = r;
    high += r >= 0.3;
  }
  fputs("Copy ratio: mean ", out);
  gw_text_put_percent(out, n ? sum / (double)n : 0);
  fputs(", max ", out);
  gw_text_put_percent(out, max);
  fprintf(out, "; %zu of %zu report%s at 30%% or more\n", high, n, n == 1 ? "" : "s");
  text_copied_reports(out, d, paths, pairs < TEXT_REPORTS ? TEXT_REPORTS : pairs);
  text_copied_pairs(out, d, paths, pairs);
  fputc('\n', out);
  text_counts(out, "Top terms, count (reports)", &c->terms, top, 1);
  text_counts(out, "Top words", &c->words, top, 0);
  fputs("Template masks: ", out);
  gw_text_put_count(out, c->mask_count);
  fputc('\n', out);
  fputs("Removed before analysis: ", out);
  gw_text_put_count(out, c->removed_spans);
  fputs(" spans, ", out);
  gw_text_put_count(out, c->removed_bytes);
  fputs(" bytes (", out);
  for (int k = 0; k <= GW_REMOVED_PINYIN; k++)
    fprintf(out, "%s%s %llu", k ? ", " : "", gw_removal_kind_name((gw_removal_kind)k),
            (unsigned long long)c->removed_kinds[k]);
  fputs(")\nSections: ", out);
  for (int s = GW_SECTION_WORK_DONE; s <= GW_SECTION_OTHER; s++)
    fprintf(out, "%s%s %llu", s == GW_SECTION_WORK_DONE ? "" : ", ",
            gw_section_type_name((gw_section_type)s), (unsigned long long)c->sections[s]);
  fputc('\n', out);
  if (cli->failure_count) {
    fprintf(out, "\nCould not be read (%zu):\n", cli->failure_count);
    for (size_t i = 0; i < cli->failure_count; i++) {
      fputs("  ", out);
      gw_text_put_name(out, cli->failures[i].message);
      fputc('\n', out);
    }
  }
  fputs("\nEverything, per file too: gw-stats --format json; the passages: gw-dups.\n", out);
}

/* ---- one document's work: on a worker, then in input order ---- */

typedef struct stats_work {
  int load_rc;
  char *load_message;
  gw_document *doc;
  gw_term_result *result; /* every match: official spans, counted terms */
  gw_dups_input *input;
  document_words words;
  int rc; /* matching, preparing, segmenting */
  gw_error err;
} stats_work;

typedef struct stats_run {
  gw_cli *cli;
  stats_config *cfg;
  corpus *c;
  const gw_terms *terms;
  gw_dups *dups;
  gw_segmenter **segs;
  char **paths;
  size_t documents;
  int rc;
  gw_error err;
} stats_run;

static int new_segmenters(gw_segmenter **segs, size_t n, const gw_dict *dict, gw_error *err) {
  for (size_t i = 0; i < n; i++)
    if (gw_segmenter_new(&segs[i], dict, NULL, err)) return -1;
  return 0;
}

/* Terms (all as official spans), the copy-detection input and the words. */
static int prepare_document(stats_run *run, unsigned worker, stats_work *w) {
  gw_terms_options match_opts = GW_TERMS_OPTIONS_INIT;
  match_opts.matches_only = 1;
  int rc = gw_terms_match(&w->result, run->terms, w->doc, &match_opts, &w->err);
  if (rc) return rc;
  size_t n_spans = gw_term_result_match_count(w->result);
  gw_range *spans = malloc((n_spans + 1) * sizeof *spans);
  if (!spans) return GW_ENOMEM;
  for (size_t m = 0; m < n_spans; m++) spans[m] = gw_term_result_match(w->result, m)->range;
  rc = gw_dups_prepare(run->dups, w->doc, spans, n_spans, &w->input, &w->err);
  free(spans);
  if (rc) return rc;
  return find_words(&w->words, run->segs[worker], run->c->stopwords, w->doc, &w->err);
}

static void *stats_prepare(void *vrun, unsigned worker, size_t index) {
  stats_run *run = vrun;
  stats_work *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->load_rc = gw_cli_load_input(run->cli, index, &run->cfg->document, &w->doc, &w->load_message);
  if (w->load_rc == GW_OK) w->rc = prepare_document(run, worker, w);
  return w;
}

static void stats_discard(void *vrun, void *vwork) {
  (void)vrun;
  stats_work *w = vwork;
  if (!w) return;
  gw_dups_input_free(w->input);
  gw_term_result_free(w->result);
  gw_document_free(w->doc);
  free(w->words.words);
  free(w->load_message);
  free(w);
}

static int consume_document(stats_run *run, stats_work *w, const char *path) {
  if (w->rc) {
    run->err = w->err;
    return w->rc;
  }
  corpus *c = run->c;
  size_t n_matches = gw_term_result_match_count(w->result);
  for (size_t m = 0; m < n_matches; m++) {
    const gw_term_match *tm = gw_term_result_match(w->result, m);
    const char *t = gw_terms_get(run->terms, tm->term)->text;
    if (tm->kind == GW_TERM_COUNTED && gw_counter_add(&c->terms, t, strlen(t), run->documents))
      return GW_ENOMEM;
  }
  int rc = gw_dups_add_prepared(run->dups, w->input, &run->err);
  if (rc) return rc;
  rc = count_document(c, &w->words, w->doc, path);
  if (rc) return rc;
  run->paths[run->documents++] = (char *)path;
  return GW_OK;
}

static int stats_consume(void *vrun, size_t index, void *vwork) {
  stats_run *run = vrun;
  stats_work *w = vwork;
  gw_cli *cli = run->cli;
  const char *path = cli->inputs[index].path;
  gw_cli_progress(cli, index, cli->input_count, path);
  run->err.message[0] = '\0';
  if (!w) return run->rc = GW_ENOMEM;
  int rc = gw_cli_loaded(cli, index, w->load_rc, w->load_message);
  if (rc == GW_ENOMEM) run->rc = rc;
  else if (w->load_rc == GW_OK) run->rc = consume_document(run, w, path);
  stats_discard(run, w);
  return run->rc;
}

static int run(gw_cli *cli, stats_config *cfg) {
  gw_error err;
  int rc = -1;
  corpus c;
  memset(&c, 0, sizeof c);
  gw_counter_init(&c.words);
  gw_counter_init(&c.masks);
  gw_counter_init(&c.terms);
  gw_counter stopwords;
  gw_counter_init(&stopwords);
  c.files = cJSON_CreateArray();
  char *data_dir = gw_cli_data_dir();
  char *dict_path = cfg->dict_path ? strdup(cfg->dict_path)
                                   : data_dir ? gw_cli_data_file(data_dir, "gongwen.gwd") : NULL;
  char *noise_path = data_dir ? gw_cli_data_file(data_dir, "noise.txt") : NULL;
  char *stop_path = data_dir ? gw_cli_data_file(data_dir, "stopwords.txt") : NULL;
  char *terms_path = data_dir ? gw_cli_data_file(data_dir, "terms.tsv") : NULL;
  gw_terms *terms = NULL;
  char **paths = calloc(cli->input_count + 1, sizeof *paths);
  gw_dict *dict = NULL;
  gw_segmenter **segs = calloc(cfg->threads, sizeof *segs);
  gw_noise *noise = NULL;
  gw_normalizer *nz = NULL;
  gw_dups *d = NULL;
  if (!c.files || !dict_path || !noise_path || !stop_path || !terms_path || !paths || !segs) {
    gw_cli_error(cli, "out of memory");
    goto done;
  }
  if (gw_dict_open(&dict, dict_path, &err) || new_segmenters(segs, cfg->threads, dict, &err) ||
      gw_noise_load(&noise, noise_path, &err) || gw_normalizer_new(&nz, &err) ||
      gw_dups_new(&d, NULL, &err) || gw_terms_load(&terms, terms_path, &err)) {
    gw_cli_error(cli, "%s", err.message);
    goto done;
  }
  if (gw_counter_load_words(&stopwords, stop_path)) {
    gw_cli_error(cli, "%s: cannot read the stop words", stop_path);
    goto done;
  }
  c.stopwords = &stopwords;
  cfg->document.noise = noise;
  cfg->document.normalizer = nz;
  stats_run state = {cli, cfg, &c, terms, d, segs, paths, 0, GW_OK, {0}};
  if (gw_par_map(cli->input_count, (unsigned)cfg->threads, stats_prepare, stats_consume,
                 stats_discard, &state)) {
    /* A document half counted cannot be taken back: stop. */
    if (state.rc == GW_ENOMEM) gw_cli_error(cli, "out of memory");
    else gw_cli_error(cli, "%s", state.err.message[0] ? state.err.message : gw_strerror(state.rc));
    goto done;
  }
  gw_cli_progress_end(cli);
  if (gw_dups_run(d, &err)) { gw_cli_error(cli, "%s", err.message); goto done; }
  if (cfg->format == FORMAT_TEXT) {
    print_text(stdout, &c, d, paths, cli, cfg);
  } else {
    cJSON *out = overview_json(&c, d, paths, cli, cfg);
    int printed = out ? gw_cli_print_json(out, !cfg->compact) : GW_ENOMEM;
    cJSON_Delete(out);
    if (printed == GW_ENOMEM) {
      gw_cli_error(cli, "out of memory");
      goto done;
    } /* a failed write is reported by gw_cli_finish */
  }
  rc = 0;
done:
  gw_dups_free(d);
  gw_terms_free(terms);
  free(terms_path);
  gw_normalizer_free(nz);
  gw_noise_free(noise);
  for (size_t i = 0; segs && i < cfg->threads; i++) gw_segmenter_free(segs[i]);
  free(segs);
  gw_dict_free(dict);
  gw_counter_free(&c.words);
  gw_counter_free(&c.masks);
  gw_counter_free(&c.terms);
  gw_counter_free(&stopwords);
  cJSON_Delete(c.files);
  free(paths);
  free(dict_path);
  free(noise_path);
  free(stop_path);
  free(data_dir);
  return rc;
}

int main(int argc, char **argv) {
  gw_cli cli;
  gw_cli_init(&cli, "gw-stats");
  stats_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.document = (gw_document_options)GW_DOCUMENT_OPTIONS_INIT;
  cfg.format = FORMAT_TEXT;
  cfg.top = 20;
  cfg.pairs = 10;
  cfg.threads = gw_par_default_threads();
  int first;
  int code = parse_args(argc, argv, &cli, &cfg, &first);
  if (code < 0) {
    if (gw_cli_collect(&cli, argv + first, (size_t)(argc - first), cfg.list_path)) {
      code = GW_EXIT_FAILURE;
    } else {
      int rc = run(&cli, &cfg);
      code = gw_cli_finish(&cli);
      if (rc) code = GW_EXIT_FAILURE;
    }
  }
  gw_cli_free(&cli);
  return code;
}
