/* gw-stats — the corpus overview: documents, characters, paragraphs and
 * sections, top words and terms, noise removed, masks, the copy-ratio
 * distribution and the most-copied pairs, as one JSON object. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "grow.h"
#include "options.h"
#include "parallel.h"
#include "resources.h"
#include "dups_cli.h"
#include "dups_text.h"
#include "counter.h"
#include "json_writer.h"
#include "text_out.h"
#include "gongwen.h"

enum output_format { FORMAT_TEXT, FORMAT_JSON };

typedef struct stats_config {
  enum output_format format;
  int format_given;
  gw_document_options document;
  gw_dups_options dups; /* copy detection, with gw-dups's options */
  const char *list_path;
  const char *meta_path; /* --meta */
  gw_meta *meta;         /* its table, NULL without */
  const char *dict_path;
  size_t top, pairs;
  int top_given, pairs_given; /* else each format's own default */
  int compact;
  size_t threads;
} stats_config;


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
      gw_opt_dups_meta(&cfg->meta_path),
      gw_opt_dups_template_min(&cfg->dups),
      GW_OPT_DUPS_THRESHOLDS(&cfg->dups),
      gw_opt_heading("Inputs:"),
      GW_OPT_INPUT_OPTIONS(&cfg->list_path, &cfg->document)};
  const gw_opt_table table = {
      "[OPTIONS] [FILE|DIR|-]...",
      "Overview of a corpus of reports: documents, characters, the most copied\n"
      "reports and pairs (as gw-dups finds them, with the same options), top\n"
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
  cfg->dups.threads = (unsigned)cfg->threads;
  return gw_dups_cli_check(cli, &cfg->dups);
}

/* What --format json lists for each file. */
typedef struct file_record {
  const char *path;
  gw_encoding encoding;
  size_t characters, paragraphs, masks, removed;
} file_record;

typedef struct corpus {
  gw_counter words, masks, terms;
  const gw_counter *stopwords;
  uint64_t documents, characters, paragraphs, headings, tokens, mask_count;
  uint64_t sections[GW_SECTION_OTHER + 1];
  uint64_t removed_spans, removed_bytes;
  uint64_t removed_kinds[GW_REMOVED_PINYIN + 1];
  file_record *files; /* one per document counted, in input order */
  gw_positions *positions; /* theirs: line numbers in the summary */
  size_t files_capacity, positions_capacity;
} corpus;

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

/* Every token counted, and the top-word candidates (gw_is_top_word). */
static int find_words(document_words *out, gw_segmenter *seg, const gw_counter *stopwords,
                      const gw_document *doc, gw_error *err) {
  size_t norm_len;
  const char *norm = gw_document_normalized(doc, &norm_len);
  size_t np = gw_document_paragraph_count(doc);
  for (size_t i = 0; i < np; i++) {
    const gw_paragraph *p = gw_document_paragraph_at(doc, i);
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
      if (!gw_is_top_word(stopwords, w, len, kind)) continue;
      if (GW_CLI_GROW(out->words, out->capacity, out->count + 1)) return GW_ENOMEM;
      out->words[out->count++] = (word_ref){(size_t)(w - norm), len};
    }
  }
  return GW_OK;
}

static int count_document(corpus *c, const document_words *found, const gw_document *doc,
                          gw_positions *positions, const char *path) {
  size_t norm_len;
  const char *norm = gw_document_normalized(doc, &norm_len);
  size_t np = gw_document_paragraph_count(doc), docno = (size_t)c->documents;
  for (size_t i = 0; i < np; i++) {
    const gw_paragraph *p = gw_document_paragraph_at(doc, i);
    if (p->heading_level > 0) c->headings++;
    if (p->heading_level == 1) c->sections[p->section]++;
  }
  c->tokens += found->tokens;
  for (size_t i = 0; i < found->count; i++)
    if (gw_counter_add(&c->words, norm + found->words[i].start, found->words[i].len, docno))
      return GW_ENOMEM;
  size_t masks = gw_document_mask_count(doc);
  for (size_t i = 0; i < masks; i++) {
    const gw_range *m = gw_document_mask_at(doc, i);
    if (gw_counter_add(&c->masks, norm + m->norm_start, m->norm_end - m->norm_start, docno))
      return GW_ENOMEM;
  }
  size_t removals = gw_document_removal_count(doc);
  for (size_t i = 0; i < removals; i++) {
    const gw_removal *r = gw_document_removal_at(doc, i);
    c->removed_spans++;
    c->removed_bytes += r->range.end - r->range.start;
    c->removed_kinds[r->kind]++;
  }
  if (GW_CLI_GROW(c->files, c->files_capacity, c->documents + 1) ||
      GW_CLI_GROW(c->positions, c->positions_capacity, c->documents + 1))
    return GW_ENOMEM;
  c->files[c->documents] = (file_record){path, gw_document_encoding(doc),
                                         gw_document_char_count(doc), np, masks, removals};
  c->positions[c->documents] = *positions;
  memset(positions, 0, sizeof *positions);
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

static void write_copy_ratio(gw_json *w, const gw_dups *d) {
  size_t n = gw_dups_document_count(d);
  double *r = malloc((n + 1) * sizeof *r), sum = 0.0;
  size_t buckets[10] = {0};
  if (!r) {
    w->failed = GW_ENOMEM;
    return;
  }
  for (size_t i = 0; i < n; i++) {
    r[i] = gw_dups_document_at(d, i)->copy_ratio;
    sum += r[i];
    size_t b = (size_t)(r[i] * 10.0);
    buckets[b > 9 ? 9 : b]++;
  }
  qsort(r, n, sizeof *r, cmp_double);
  double median = n == 0 ? 0.0 : n % 2 ? r[n / 2] : (r[n / 2 - 1] + r[n / 2]) / 2.0;
  gw_json_object_begin(w);
  gw_json_member_ratio(w, "mean", n ? sum / (double)n : 0.0);
  gw_json_member_ratio(w, "median", median);
  gw_json_member_ratio(w, "max", n ? r[n - 1] : 0.0);
  gw_json_key(w, "buckets");
  gw_json_array_begin(w);
  for (int b = 0; b < 10; b++) {
    gw_json_object_begin(w);
    gw_json_member_number(w, "from", b / 10.0);
    gw_json_member_number(w, "to", (b + 1) / 10.0);
    gw_json_member_uint(w, "documents", buckets[b]);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
  gw_json_object_end(w);
  free(r);
}

static void write_pairs(gw_json *w, const gw_dups *d, char **paths, size_t top) {
  gw_json_array_begin(w);
  for (size_t i = 0, listed = 0; i < gw_dups_pair_count(d) && listed < top; i++, listed++) {
    const gw_dups_pair *p = gw_dups_pair_at(d, i);
    if (!p->copied_a && !p->copied_b) break; /* pairs come by copied characters */
    gw_json_object_begin(w);
    gw_json_member_path(w, "a", paths[p->a]);
    gw_json_member_path(w, "b", paths[p->b]);
    gw_json_member_ratio(w, "similarity", p->similarity);
    gw_json_member_uint(w, "copied_a", p->copied_a);
    gw_json_member_uint(w, "copied_b", p->copied_b);
    gw_json_member_uint(w, "passages", gw_dups_copy_passages(d, p));
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
}

static void write_files(gw_json *w, const corpus *c, const gw_dups *d, const gw_meta *meta) {
  gw_json_array_begin(w);
  for (size_t i = 0; i < c->documents; i++) {
    const file_record *f = &c->files[i];
    gw_json_object_begin(w);
    gw_json_member_path(w, "path", f->path);
    gw_json_member_string(w, "encoding", gw_encoding_name(f->encoding));
    gw_json_member_uint(w, "characters", f->characters);
    gw_json_member_uint(w, "paragraphs", f->paragraphs);
    gw_json_member_uint(w, "masks", f->masks);
    gw_json_member_uint(w, "removed", f->removed);
    gw_dups_cli_write_unit(w, meta, f->path);
    if (i < gw_dups_document_count(d)) {
      const gw_dups_document *di = gw_dups_document_at(d, i);
      gw_json_key(w, "year");
      if (di->year) gw_json_int(w, di->year);
      else gw_json_null(w);
      gw_json_member_ratio(w, "copy_ratio", di->copy_ratio);
      if (gw_dups_cli_unit(meta, f->path)) {
        gw_json_member_ratio(w, "self_ratio", di->self_ratio);
      } else { /* unknown, not none: the unit is not known */
        gw_json_key(w, "self_ratio");
        gw_json_null(w);
      }
    }
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
}

/* The overview as one JSON object on stdout: the writer's failure. */
static int write_overview(const corpus *c, const gw_dups *d, char **paths, const gw_cli *cli,
                          const stats_config *cfg) {
  gw_json w;
  gw_json_init(&w, stdout, !cfg->compact);
  gw_json_object_begin(&w);
  gw_json_member_uint(&w, "documents", c->documents);
  gw_json_member_uint(&w, "characters", c->characters);
  gw_json_member_uint(&w, "paragraphs", c->paragraphs);
  gw_json_member_uint(&w, "headings", c->headings);
  gw_json_key(&w, "sections");
  gw_json_object_begin(&w);
  for (int s = GW_SECTION_WORK_DONE; s <= GW_SECTION_OTHER; s++)
    gw_json_member_uint(&w, gw_section_type_name((gw_section_type)s), c->sections[s]);
  gw_json_object_end(&w);
  gw_json_member_uint(&w, "tokens", c->tokens);
  gw_json_key(&w, "top_words");
  gw_counter_write(&w, &c->words, cfg->top, "word");
  gw_json_key(&w, "top_terms");
  gw_counter_write(&w, &c->terms, cfg->top, "term");
  gw_json_key(&w, "removed");
  gw_json_object_begin(&w);
  gw_json_member_uint(&w, "spans", c->removed_spans);
  gw_json_member_uint(&w, "bytes", c->removed_bytes);
  for (int k = 0; k <= GW_REMOVED_PINYIN; k++)
    gw_json_member_uint(&w, gw_removal_kind_name((gw_removal_kind)k), c->removed_kinds[k]);
  gw_json_object_end(&w);
  gw_json_key(&w, "masks");
  gw_json_object_begin(&w);
  gw_json_member_uint(&w, "count", c->mask_count);
  gw_json_key(&w, "forms");
  gw_counter_write(&w, &c->masks, cfg->top, "mask");
  gw_json_object_end(&w);
  gw_json_key(&w, "copy_ratio");
  write_copy_ratio(&w, d);
  gw_json_key(&w, "most_copied_pairs");
  write_pairs(&w, d, paths, cfg->pairs);
  gw_dups_cli_write_limits(&w, "copy_limits", d);
  gw_json_key(&w, "files");
  write_files(&w, c, d, cfg->meta);
  gw_json_key(&w, "errors");
  gw_cli_write_failures(&w, cli);
  gw_json_object_end(&w);
  gw_json_newline(&w);
  return gw_json_finish(&w);
}


/* ---- --format text: what an inspector wants to see first ---- */

enum { TEXT_REPORTS = 5, TEXT_FAMILIES = 3, TEXT_PAIRS = 5, TEXT_TOP = 10, EXCERPT_CHARS = 40 };

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

/* GW_OK, or GW_ENOMEM (the summary then cut short). */
static int print_text(FILE *out, const corpus *c, const gw_dups *d, char **paths,
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
  gw_dups_text_copy_ratio(out, d, 0);
  gw_dups_view t = {out, d, paths, c->positions, EXCERPT_CHARS};
  int rc = gw_dups_text_reports(&t, 0, pairs < TEXT_REPORTS ? TEXT_REPORTS : pairs);
  if (!rc) rc = gw_dups_text_families(&t, TEXT_FAMILIES);
  if (!rc) rc = gw_dups_text_pairs(&t, pairs);
  if (rc) return rc;
  gw_dups_cli_print_limits(out, d);
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
  gw_cli_print_failures(out, cli);
  fputs("\nEverything, per file too: gw-stats --format json; the passages: gw-dups.\n", out);
  return GW_OK;
}

/* ---- one document's work: on a worker, then in input order ---- */

typedef struct stats_work {
  int load_rc;
  char *load_message;
  gw_document *doc;
  gw_term_result *result; /* every match: official spans, counted terms */
  gw_dups_input *input;
  gw_positions positions;
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
  for (size_t m = 0; m < n_spans; m++) spans[m] = gw_term_result_match_at(w->result, m)->range;
  rc = gw_dups_prepare(run->dups, w->doc, spans, n_spans, &w->input, &w->err);
  free(spans);
  if (!rc && run->cfg->format == FORMAT_TEXT) rc = gw_positions_build(&w->positions, w->doc);
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
  gw_positions_free(&w->positions);
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
    const gw_term_match *tm = gw_term_result_match_at(w->result, m);
    const char *t = gw_terms_term_at(run->terms, tm->term)->text;
    if (tm->kind == GW_TERM_COUNTED && gw_counter_add(&c->terms, t, strlen(t), run->documents))
      return GW_ENOMEM;
  }
  int rc = gw_dups_add_prepared(run->dups, w->input, &run->err);
  if (!rc) rc = gw_dups_cli_set_origin(run->dups, run->documents, run->cfg->meta, path);
  if (rc) return rc;
  rc = count_document(c, &w->words, w->doc, &w->positions, path);
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
  gw_resources r;
  gw_resource_request want = {.dict = 1, .dict_path = cfg->dict_path, .terms = 1,
                              .stopwords = 1};
  char **paths = calloc(cli->input_count + 1, sizeof *paths);
  gw_segmenter **segs = calloc(cfg->threads, sizeof *segs);
  gw_dups *d = NULL;
  if (gw_resources_open(&r, cli, &want, &cfg->document)) goto done;
  if (!paths || !segs) {
    gw_cli_error(cli, "out of memory");
    goto done;
  }
  if (new_segmenters(segs, cfg->threads, r.dict, &err) || gw_dups_new(&d, &cfg->dups, &err)) {
    gw_cli_error(cli, "%s", err.message);
    goto done;
  }
  c.stopwords = &r.stopwords;
  stats_run state = {cli, cfg, &c, r.terms, d, segs, paths, 0, GW_OK, {0}};
  if (gw_par_map(cli->input_count, (unsigned)cfg->threads, stats_prepare, stats_consume,
                 stats_discard, &state)) {
    /* A document half counted cannot be taken back: stop. */
    if (state.rc == GW_ENOMEM) gw_cli_error(cli, "out of memory");
    else gw_cli_error(cli, "%s", state.err.message[0] ? state.err.message : gw_strerror(state.rc));
    goto done;
  }
  gw_cli_progress_end(cli);
  if (gw_dups_run(d, &err)) { gw_cli_error(cli, "%s", err.message); goto done; }
  if (cfg->format == FORMAT_TEXT ? print_text(stdout, &c, d, paths, cli, cfg) == GW_ENOMEM
                                 : write_overview(&c, d, paths, cli, cfg) == GW_ENOMEM) {
    gw_cli_error(cli, "out of memory");
    goto done;
  } /* a failed write is reported by gw_cli_finish */
  rc = 0;
done:
  gw_dups_free(d);
  for (size_t i = 0; segs && i < cfg->threads; i++) gw_segmenter_free(segs[i]);
  free(segs);
  gw_resources_free(&r);
  gw_counter_free(&c.words);
  gw_counter_free(&c.masks);
  gw_counter_free(&c.terms);
  for (size_t i = 0; i < c.documents; i++) gw_positions_free(&c.positions[i]);
  free(c.positions);
  free(c.files);
  free(paths);
  return rc;
}

int main(int argc, char **argv) {
  gw_cli cli;
  gw_cli_init(&cli, "gw-stats");
  stats_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.document = (gw_document_options)GW_DOCUMENT_OPTIONS_INIT;
  cfg.dups = (gw_dups_options)GW_DUPS_OPTIONS_INIT;
  cfg.format = FORMAT_TEXT;
  cfg.top = 20;
  cfg.pairs = 10;
  cfg.threads = gw_par_default_threads();
  int first;
  int code = parse_args(argc, argv, &cli, &cfg, &first);
  if (code < 0) {
    if (gw_dups_cli_load_meta(&cli, cfg.meta_path, &cfg.meta) ||
        gw_cli_collect(&cli, argv + first, (size_t)(argc - first), cfg.list_path)) {
      code = GW_EXIT_FAILURE;
    } else {
      int rc = run(&cli, &cfg);
      code = gw_cli_finish(&cli);
      if (rc) code = GW_EXIT_FAILURE;
    }
  }
  gw_meta_free(cfg.meta);
  gw_cli_free(&cli);
  return code;
}
