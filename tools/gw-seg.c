/* gw-seg — segment reports into words: SIGHAN-style text, JSON Lines per
 * paragraph, or corpus statistics as JSON. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "cli.h"
#include "options.h"
#include "parallel.h"
#include "positions.h"
#include "resources.h"
#include "counter.h"
#include "json_writer.h"
#include "text_out.h"
#include "gongwen.h"

enum output_format { FORMAT_TEXT, FORMAT_JSONL, FORMAT_STATS };

typedef struct seg_config {
  enum output_format format;
  gw_segment_options segment;
  gw_document_options document;
  const char *list_path;
  const char *dict_path;    /* compiled dictionary; NULL: the data dir's */
  gw_opt_strings user_dicts;
  size_t top;
  int stats, search, no_hmm, with_path, compact;
  size_t threads;
} seg_config;

/* What --stats accumulates over the corpus. */
typedef struct corpus_stats {
  gw_counter words;
  gw_counter masks;
  const gw_counter *stopwords;
  gw_json files;   /* the "files" array so far */
  gw_json removed; /* the removed spans so far */
  uint64_t documents, characters, paragraphs, tokens, mask_count;
  uint64_t removed_spans, removed_bytes;
  uint64_t kinds[GW_TOKEN_OTHER + 1];
} corpus_stats;

/* ------------------------------------------------------------------ */
/* Segmenting a document paragraph by paragraph                         */
/* ------------------------------------------------------------------ */

typedef int (*paragraph_fn)(void *ctx, const gw_document *doc, size_t index,
                            const char *norm, const gw_token *tokens, size_t n);

static int for_each_paragraph(gw_segmenter *seg, const gw_document *doc,
                              paragraph_fn fn, void *ctx, gw_error *err) {
  size_t norm_len;
  const char *norm = gw_document_normalized(doc, &norm_len);
  size_t count = gw_document_paragraph_count(doc);
  for (size_t i = 0; i < count; i++) {
    const gw_paragraph *p = gw_document_paragraph_at(doc, i);
    const gw_token *tokens;
    size_t n;
    const char *text = norm + p->range.norm_start;
    int rc = gw_segment(seg, text, p->range.norm_end - p->range.norm_start,
                        &tokens, &n, err);
    if (rc) return rc;
    rc = fn(ctx, doc, i, text, tokens, n);
    if (rc) return rc;
  }
  return GW_OK;
}

/* Each paragraph's tokens placed in the document's three views (text and
 * JSON Lines output): fn reads them from seg. */
typedef int (*placed_fn)(void *ctx, const gw_document *doc, size_t index, const char *norm,
                         const gw_segmenter *seg);

static int for_each_placed_paragraph(gw_segmenter *seg, const gw_document *doc, placed_fn fn,
                                     void *ctx, gw_error *err) {
  size_t norm_len;
  const char *norm = gw_document_normalized(doc, &norm_len);
  size_t count = gw_document_paragraph_count(doc);
  for (size_t i = 0; i < count; i++) {
    int rc = gw_segment_paragraph(seg, doc, i, err);
    if (!rc) rc = fn(ctx, doc, i, norm, seg);
    if (rc) return rc;
  }
  return GW_OK;
}

/* ------------------------------------------------------------------ */
/* --format text                                                        */
/* ------------------------------------------------------------------ */

/* Tokens are printed from the decoded text (so a full-width digit stays
 * full-width), placed on the input line where they stand: each line end
 * between two tokens ends an output line, and what normalization removed
 * (noise, spaces inside words) is left out. */
typedef struct text_writer {
  FILE *out;
  const char *text;
  size_t text_len;
  size_t at;         /* text offset printed up to */
  int line_has_word; /* a word is already on the current output line */
  int failed;        /* a write failed: GW_EIO is returned */
  /* Output gathered here and written at the end of each paragraph (or when
   * full): one stdio call per paragraph instead of two per token. */
  size_t pending;
  char buf[32768];
} text_writer;

static void flush_pending(text_writer *w) {
  if (w->pending && fwrite(w->buf, 1, w->pending, w->out) != w->pending) w->failed = 1;
  w->pending = 0;
}

static void put_char(text_writer *w, char c) {
  if (w->pending == sizeof w->buf) flush_pending(w);
  w->buf[w->pending++] = c;
}

static void put_bytes(text_writer *w, const char *s, size_t n) {
  if (w->pending + n > sizeof w->buf) {
    flush_pending(w);
    if (n > sizeof w->buf) {
      if (fwrite(s, 1, n, w->out) != n) w->failed = 1;
      return;
    }
  }
  memcpy(w->buf + w->pending, s, n);
  w->pending += n;
}

static int is_line_end(const char *text, size_t len, size_t i) {
  return text[i] == '\n' || (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n'));
}

static void emit_line_ends(text_writer *w, size_t upto) {
  for (; w->at < upto; w->at++)
    if (is_line_end(w->text, w->text_len, w->at)) {
      put_char(w, '\n');
      w->line_has_word = 0;
    }
}

/* Whether s[0..n), n <= 16, with 16 bytes readable from s, holds a byte
 * at or below the space (a space, a tab, a line end: what a token is cut
 * at). */
static inline int has_blank16(const char *s, size_t n) {
#ifdef __SSE2__
  __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
  __m128i at_or_below = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(' ')), v);
  return ((unsigned)_mm_movemask_epi8(at_or_below) & ((1u << n) - 1u)) != 0;
#else
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] <= ' ') return 1;
  return 0;
#endif
}

static int print_text_paragraph(void *ctx, const gw_document *doc, size_t index,
                                const char *norm, const gw_segmenter *seg) {
  text_writer *w = ctx;
  size_t n = gw_segmenter_paragraph_token_count(seg);
  for (size_t i = 0; i < n; i++) {
    const gw_paragraph_token *t = gw_segmenter_paragraph_token_at(seg, i);
    if (t->kind == GW_TOKEN_SPACE || t->sub) continue;
    size_t start = t->text_start;
    size_t end = t->text_end;
    if (start < w->at) start = w->at;
    emit_line_ends(w, start);
    if (w->line_has_word) put_char(w, ' ');
    /* Most tokens are a few bytes with nothing to cut at: one 16-byte copy
     * (only the token's bytes count). */
    size_t n_bytes = end - start;
    if (n_bytes <= 16 && start + 16 <= w->text_len && w->pending + 16 <= sizeof w->buf &&
        !has_blank16(w->text + start, n_bytes)) {
      memcpy(w->buf + w->pending, w->text + start, 16);
      w->pending += n_bytes;
      if (n_bytes) w->line_has_word = 1;
      w->at = end;
      continue;
    }
    /* Print the token in stretches between what it must not show: line
     * ends (which end the output line) and spaces normalization removed. */
    size_t run = start;
    for (size_t k = start; k < end; k++) {
      char c = w->text[k];
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') continue;
      put_bytes(w, w->text + run, k - run);
      if (k > run) w->line_has_word = 1;
      run = k + 1;
      if (is_line_end(w->text, w->text_len, k)) {
        put_char(w, '\n');
        w->line_has_word = 0;
      }
    }
    put_bytes(w, w->text + run, end - run);
    if (end > run) w->line_has_word = 1;
    w->at = end;
  }
  (void)doc;
  (void)index;
  (void)norm;
  flush_pending(w);
  /* Stop at the first failed write: what follows cannot be printed either. */
  return w->failed ? GW_EIO : GW_OK;
}

static int print_text(FILE *out, gw_segmenter *seg, const gw_document *doc, gw_error *err) {
  text_writer w; /* its buffer needs no clearing */
  memset(&w, 0, offsetof(text_writer, buf));
  w.out = out;
  w.text = gw_document_text(doc, &w.text_len);
  int rc = for_each_placed_paragraph(seg, doc, print_text_paragraph, &w, err);
  if (rc) {
    /* Cut short: the line the last paragraph ended is ended all the same,
     * so that what was printed is whole lines. */
    if (rc != GW_EIO && w.line_has_word) put_char(&w, '\n');
  } else {
    emit_line_ends(&w, w.text_len);
    /* A last line without its line end still ends an output line. */
    if (w.text_len && !is_line_end(w.text, w.text_len, w.text_len - 1)) put_char(&w, '\n');
  }
  flush_pending(&w);
  if (!rc && w.failed) rc = GW_EIO;
  return rc;
}

/* ------------------------------------------------------------------ */
/* --format jsonl                                                       */
/* ------------------------------------------------------------------ */

static void write_range(gw_json *w, size_t start, size_t end) {
  gw_json_member_uint(w, "start", start);
  gw_json_member_uint(w, "end", end);
}

typedef struct jsonl_ctx {
  gw_json *w;
  const char *path;
  gw_positions positions;
} jsonl_ctx;

static int print_jsonl_paragraph(void *vctx, const gw_document *doc, size_t index,
                                 const char *norm, const gw_segmenter *seg) {
  jsonl_ctx *ctx = vctx;
  gw_json *w = ctx->w;
  const gw_paragraph *p = gw_document_paragraph_at(doc, index);
  gw_json_object_begin(w);
  gw_json_member_path(w, "path", ctx->path);
  gw_json_member_uint(w, "paragraph", index);
  write_range(w, p->range.start, p->range.end);
  gw_positions_write(w, &ctx->positions, p->range.start);
  gw_json_key(w, "heading_level");
  gw_json_int(w, p->heading_level);
  gw_json_member_string(w, "section", gw_section_type_name(p->section));
  gw_json_key(w, "tokens");
  gw_json_array_begin(w);
  size_t n = gw_segmenter_paragraph_token_count(seg);
  for (size_t i = 0; i < n; i++) {
    const gw_paragraph_token *t = gw_segmenter_paragraph_token_at(seg, i);
    if (t->kind == GW_TOKEN_SPACE) continue;
    gw_json_object_begin(w);
    gw_json_key(w, "text");
    gw_json_string_n(w, norm + t->range.norm_start, t->range.norm_end - t->range.norm_start);
    gw_json_member_string(w, "kind", gw_token_kind_name(t->kind));
    write_range(w, t->range.start, t->range.end);
    if (t->sub) {
      gw_json_key(w, "sub");
      gw_json_bool(w, 1);
    }
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
  gw_json_object_end(w);
  gw_json_newline(w);
  return w->failed;
}

/* ------------------------------------------------------------------ */
/* --stats                                                              */
/* ------------------------------------------------------------------ */

typedef struct stats_ctx {
  corpus_stats *stats;
  size_t document;
  uint64_t tokens;
} stats_ctx;

static int stats_paragraph(void *vctx, const gw_document *doc, size_t index,
                           const char *norm, const gw_token *tokens, size_t n) {
  stats_ctx *ctx = vctx;
  corpus_stats *st = ctx->stats;
  (void)doc;
  (void)index;
  for (size_t i = 0; i < n; i++) {
    if (tokens[i].kind == GW_TOKEN_SPACE || tokens[i].sub) continue;
    st->kinds[tokens[i].kind]++;
    ctx->tokens++;
    const char *w = norm + tokens[i].start;
    size_t len = tokens[i].end - tokens[i].start;
    if (gw_is_top_word(st->stopwords, w, len, tokens[i].kind) &&
        gw_counter_add(&st->words, w, len, ctx->document))
      return GW_ENOMEM;
  }
  return GW_OK;
}

static void write_removal(gw_json *w, const gw_document *doc, const gw_positions *positions,
                          const char *path, const gw_removal *r) {
  gw_json_object_begin(w);
  gw_json_member_path(w, "path", path);
  gw_json_member_string(w, "kind", gw_removal_kind_name(r->kind));
  gw_json_member_uint(w, "start", r->range.start);
  gw_json_member_uint(w, "end", r->range.end);
  gw_positions_write(w, positions, r->range.start);
  /* The text as it stands in an original UTF-8 file; other encodings are
   * shown by offsets only. */
  if (gw_document_encoding(doc) == GW_ENCODING_UTF8 ||
      gw_document_encoding(doc) == GW_ENCODING_UTF8_BOM) {
    size_t text_len;
    const char *text = gw_document_original(doc, &text_len);
    /* With --replace-invalid the bytes may hold invalid UTF-8: shown as
     * U+FFFD, as the document shows them. */
    char *s = gw_text_valid_copy(text + r->range.start, r->range.end - r->range.start);
    if (!s) gw_json_fail(w, GW_ENOMEM);
    /* Trailing line ends of a removed line are not worth showing. */
    size_t l = s ? strlen(s) : 0;
    while (l && (s[l - 1] == '\n' || s[l - 1] == '\r')) l--;
    gw_json_key(w, "text");
    gw_json_string_n(w, s ? s : "", l);
    free(s);
  }
  gw_json_object_end(w);
}

static int stats_document(gw_segmenter *seg, corpus_stats *st, const char *path,
                          const gw_document *doc, gw_error *err) {
  stats_ctx ctx = {st, (size_t)st->documents, 0};
  int rc = for_each_paragraph(seg, doc, stats_paragraph, &ctx, err);
  if (rc) return rc;
  size_t norm_len;
  const char *norm = gw_document_normalized(doc, &norm_len);
  size_t masks = gw_document_mask_count(doc);
  for (size_t i = 0; i < masks; i++) {
    const gw_range *m = gw_document_mask_at(doc, i);
    if (gw_counter_add(&st->masks, norm + m->norm_start, m->norm_end - m->norm_start,
                       (size_t)st->documents))
      return GW_ENOMEM;
  }
  size_t removals = gw_document_removal_count(doc);
  gw_positions positions = {0};
  if (removals && gw_positions_build(&positions, doc)) return GW_ENOMEM;
  for (size_t i = 0; i < removals; i++) {
    const gw_removal *r = gw_document_removal_at(doc, i);
    st->removed_spans++;
    st->removed_bytes += r->range.end - r->range.start;
    write_removal(&st->removed, doc, &positions, path, r);
  }
  gw_positions_free(&positions);
  gw_json *f = &st->files;
  gw_json_object_begin(f);
  gw_json_member_path(f, "path", path);
  gw_json_member_string(f, "encoding", gw_encoding_name(gw_document_encoding(doc)));
  gw_json_member_uint(f, "characters", gw_document_char_count(doc));
  gw_json_member_uint(f, "paragraphs", gw_document_paragraph_count(doc));
  gw_json_member_uint(f, "tokens", ctx.tokens);
  gw_json_member_uint(f, "masks", masks);
  gw_json_member_uint(f, "removed", removals);
  gw_json_object_end(f);
  if (st->removed.failed || st->files.failed) return GW_ENOMEM;
  st->documents++;
  st->characters += gw_document_char_count(doc);
  st->paragraphs += gw_document_paragraph_count(doc);
  st->tokens += ctx.tokens;
  st->mask_count += masks;
  return GW_OK;
}

/* The two lists written as documents come, each inside its place in the
 * output: "removed"."items" and "files". */
static void stats_lists_begin(corpus_stats *st, int pretty) {
  gw_json_init(&st->removed, NULL, pretty);
  gw_json_continue_in(&st->removed, 1, 1);
  gw_json_continue_in(&st->removed, 1, 1);
  gw_json_array_begin(&st->removed);
  gw_json_init(&st->files, NULL, pretty);
  gw_json_continue_in(&st->files, 1, 1);
  gw_json_array_begin(&st->files);
}

/* The statistics on stdout, whole or not at all: GW_OK, GW_ENOMEM or
 * GW_EIO. */
static int print_stats(corpus_stats *st, const gw_cli *cli, size_t top, int pretty) {
  gw_json head, middle, tail;
  gw_json_init(&head, NULL, pretty);
  gw_json_init(&middle, NULL, pretty);
  gw_json_init(&tail, NULL, pretty);
  gw_json_object_begin(&head);
  gw_json_member_uint(&head, "documents", st->documents);
  gw_json_member_uint(&head, "characters", st->characters);
  gw_json_member_uint(&head, "paragraphs", st->paragraphs);
  gw_json_member_uint(&head, "tokens", st->tokens);
  gw_json_key(&head, "token_kinds");
  gw_json_object_begin(&head);
  for (int k = 0; k <= GW_TOKEN_OTHER; k++)
    if (k != GW_TOKEN_SPACE)
      gw_json_member_uint(&head, gw_token_kind_name((gw_token_kind)k), st->kinds[k]);
  gw_json_object_end(&head);
  gw_json_key(&head, "top_words");
  gw_counter_write(&head, &st->words, top, "word");
  gw_json_key(&head, "masks");
  gw_json_object_begin(&head);
  gw_json_member_uint(&head, "count", st->mask_count);
  gw_json_key(&head, "forms");
  gw_counter_write(&head, &st->masks, (size_t)-1, "mask");
  gw_json_object_end(&head);
  gw_json_key(&head, "removed");
  gw_json_object_begin(&head);
  gw_json_member_uint(&head, "spans", st->removed_spans);
  gw_json_member_uint(&head, "bytes", st->removed_bytes);
  gw_json_key(&head, "items");
  gw_json_array_end(&st->removed);
  gw_json_continue_in(&middle, 1, 1);
  gw_json_continue_in(&middle, 1, 1);
  gw_json_object_end(&middle);
  gw_json_key(&middle, "files");
  gw_json_array_end(&st->files);
  gw_json_continue_in(&tail, 1, 1);
  gw_cli_write_errors_last(&tail, cli);
  gw_json *const parts[] = {&head, &st->removed, &middle, &st->files, &tail};
  int rc = gw_json_write_parts(stdout, parts, 5);
  gw_json_finish(&head);
  gw_json_finish(&middle);
  gw_json_finish(&tail);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Options and main                                                     */
/* ------------------------------------------------------------------ */

static const char *const formats[] = {"text", "jsonl", NULL}; /* enum output_format */

/* Returns -1 to go on (the inputs start at *first), or an exit code. */
static int parse_args(int argc, char **argv, gw_cli *cli, seg_config *cfg, int *first) {
  const gw_opt opts[] = {
      gw_opt_format((int *)&cfg->format, formats,
                    "text: words separated by spaces, one output line per\n"
                    "input line (SIGHAN format); jsonl: one JSON object\n"
                    "per paragraph with tokens, kinds and byte offsets,\n"
                    "and the line and column where it starts",
                    NULL),
      {.name = "stats", .kind = GW_OPT_FLAG, .target = &cfg->stats,
       .help = "corpus statistics as one JSON object"},
      {.name = "compact", .kind = GW_OPT_FLAG, .target = &cfg->compact,
       .help = "--stats: the JSON on one line"},
      {.name = "search", .kind = GW_OPT_FLAG, .target = &cfg->search,
       .help = "search mode: also the words inside long words"},
      {.name = "no-hmm", .kind = GW_OPT_FLAG, .target = &cfg->no_hmm,
       .help = "no unknown-word model"},
      {.name = "dict", .kind = GW_OPT_STRINGS, .target = &cfg->user_dicts, .arg = "FILE",
       .help = "add a user dictionary (jieba format), repeatable"},
      {.name = "with-path", .kind = GW_OPT_FLAG, .target = &cfg->with_path,
       .help = "--format text: a line '==> PATH <==' before each file's\nwords"},
      gw_opt_dictionary(&cfg->dict_path),
      gw_opt_top(&cfg->top, "words listed by --stats (default 50)", NULL),
      gw_opt_threads(&cfg->threads),
      GW_OPT_INPUT_OPTIONS(&cfg->list_path, &cfg->document)};
  const gw_opt_table table = {
      "[OPTIONS] [FILE|DIR|-]...",
      "Segment Chinese reports into words.  Folders are read recursively; no\n"
      "input or '-' reads stdin.\n",
      opts, sizeof opts / sizeof *opts, gw_opt_exit_status};
  int code = gw_opt_parse(cli, &table, argc, argv, first);
  if (code >= 0) return code;
  if (cfg->compact && !cfg->stats) return gw_cli_usage_error(cli, "--compact is for --stats");
  if (cfg->stats) cfg->format = FORMAT_STATS;
  if (cfg->search) cfg->segment.mode = GW_SEGMENT_SEARCH;
  if (cfg->no_hmm) cfg->segment.hmm = 0;
  return -1;
}

typedef struct resources {
  gw_resources data;
  gw_segmenter **segmenters; /* one per worker: a segmenter is not shared */
  size_t segmenter_count;
} resources;

static void resources_free(resources *r) {
  for (size_t i = 0; i < r->segmenter_count; i++) gw_segmenter_free(r->segmenters[i]);
  free(r->segmenters);
  gw_resources_free(&r->data);
}

static int open_resources(gw_cli *cli, seg_config *cfg, resources *r) {
  gw_resource_request want = {.dict = 1, .dict_path = cfg->dict_path,
                              .user_dicts = cfg->user_dicts.items,
                              .user_dict_count = cfg->user_dicts.count,
                              .stopwords = cfg->format == FORMAT_STATS};
  if (gw_resources_open(&r->data, cli, &want, &cfg->document)) return -1;
  gw_error err;
  r->segmenters = calloc(cfg->threads, sizeof *r->segmenters);
  if (!r->segmenters) return gw_cli_error(cli, "out of memory"), -1;
  for (; r->segmenter_count < cfg->threads; r->segmenter_count++)
    if (gw_segmenter_new(&r->segmenters[r->segmenter_count], r->data.dict, &cfg->segment, &err))
      return gw_cli_error(cli, "%s", err.message), -1;
  return 0;
}

/* One input's work: loaded (and, for text and JSON Lines, its output
 * rendered) on a worker; written or counted on the main thread in input
 * order. */
typedef struct seg_work {
  int load_rc;
  char *load_message;
  gw_document *doc;   /* --stats: counted on the main thread */
  int rc;             /* segmenting and rendering */
  char message[GW_ERROR_MESSAGE_MAX];
  char *out;          /* the rendered output (when not written directly) */
  size_t out_len;
} seg_work;

typedef struct seg_run {
  gw_cli *cli;
  seg_config *cfg;
  resources *r;
  corpus_stats *stats;
  /* One thread: rendered straight to stdout (in order anyway, and a
   * document's output is never held whole).  A document cut short by
   * running out of memory then leaves its first paragraphs printed, in
   * whole lines (JSON Lines: whole records), before the run stops with
   * 'out of memory' and exit 2. */
  int direct;
  int rc;
} seg_run;

static int render(FILE *out, const seg_run *run, unsigned worker, const char *path,
                  const gw_document *doc, gw_error *err) {
  gw_segmenter *seg = run->r->segmenters[worker];
  if (run->cfg->format == FORMAT_JSONL) {
    gw_json w;
    gw_json_init(&w, out, 0);
    gw_json_whole_lines(&w); /* out never gets a record cut short */
    jsonl_ctx ctx = {&w, path, {0}};
    int rc = gw_positions_build(&ctx.positions, doc);
    if (!rc) rc = for_each_placed_paragraph(seg, doc, print_jsonl_paragraph, &ctx, err);
    gw_positions_free(&ctx.positions);
    if (rc) gw_json_clear(&w); /* the record the failure cut */
    int written = gw_json_finish(&w);
    return rc ? rc : written;
  }
  if (run->cfg->with_path &&
      (fputs("==> ", out) == EOF || gw_text_put_name(out, path) < 0 || fputs(" <==\n", out) == EOF))
    return GW_EIO;
  return print_text(out, seg, doc, err);
}

static void *seg_prepare(void *vrun, unsigned worker, size_t index) {
  seg_run *run = vrun;
  seg_work *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->load_rc = gw_cli_load_input(run->cli, index, &run->cfg->document, &w->doc, &w->load_message);
  if (w->load_rc || run->cfg->format == FORMAT_STATS) return w;
  gw_error err;
  err.message[0] = '\0';
  const char *path = run->cli->inputs[index].path;
  if (run->direct) {
    w->rc = render(stdout, run, worker, path, w->doc, &err);
  } else {
    FILE *out = open_memstream(&w->out, &w->out_len);
    if (!out) {
      w->rc = GW_ENOMEM;
    } else {
      w->rc = render(out, run, worker, path, w->doc, &err);
      /* A failed write may only show in the stream's error flag, and
       * fclose may fail on the last flush. */
      int lost = ferror(out);
      if (fclose(out) != 0) lost = 1;
      /* A memory stream's writes fail only when it cannot grow. */
      if (w->rc == GW_EIO || (lost && w->rc == GW_OK)) w->rc = GW_ENOMEM;
    }
    if (w->rc == GW_ENOMEM) { /* a truncated rendering is never written */
      free(w->out);
      w->out = NULL;
      w->out_len = 0;
    }
  }
  snprintf(w->message, sizeof w->message, "%s", err.message);
  gw_document_free(w->doc);
  w->doc = NULL;
  return w;
}

static void seg_discard(void *vrun, void *vwork) {
  (void)vrun;
  seg_work *w = vwork;
  if (!w) return;
  gw_document_free(w->doc);
  free(w->load_message);
  free(w->out);
  free(w);
}

static int seg_consume(void *vrun, size_t index, void *vwork) {
  seg_run *run = vrun;
  seg_work *w = vwork;
  gw_cli *cli = run->cli;
  const char *path = cli->inputs[index].path;
  gw_cli_progress(cli, index, cli->input_count, path);
  if (!w) return run->rc = GW_ENOMEM;
  int rc = gw_cli_loaded(cli, index, w->load_rc, w->load_message);
  if (rc == GW_ENOMEM) run->rc = rc;
  if (w->load_rc == GW_OK) {
    gw_error err;
    err.message[0] = '\0';
    if (w->doc) {
      rc = stats_document(run->r->segmenters[0], run->stats, path, w->doc, &err);
    } else {
      rc = w->rc;
      snprintf(err.message, sizeof err.message, "%s", w->message);
      if (w->out_len && fwrite(w->out, 1, w->out_len, stdout) != w->out_len && rc == GW_OK)
        rc = GW_EIO;
    }
    /* Out of memory stops the run (main says so), a write error too. */
    if (rc && rc != GW_EIO && rc != GW_ENOMEM)
      gw_cli_add_failure(cli, path, err.message[0] ? err.message : gw_strerror(rc));
    if (rc) run->rc = rc;
  }
  seg_discard(run, w);
  return run->rc == GW_EIO || run->rc == GW_ENOMEM ? run->rc : 0;
}

static int run(gw_cli *cli, seg_config *cfg, resources *r) {
  corpus_stats stats;
  memset(&stats, 0, sizeof stats);
  gw_counter_init(&stats.words);
  gw_counter_init(&stats.masks);
  stats.stopwords = &r->data.stopwords;
  stats_lists_begin(&stats, !cfg->compact);
  seg_run state = {cli, cfg, r, &stats, r->segmenter_count == 1, GW_OK};
  gw_par_map(cli->input_count, (unsigned)r->segmenter_count, seg_prepare, seg_consume,
             seg_discard, &state);
  int rc = state.rc;
  gw_cli_progress_end(cli);
  if (cfg->format == FORMAT_STATS && rc == GW_OK) {
    rc = print_stats(&stats, cli, cfg->top, !cfg->compact);
  }
  gw_json_finish(&stats.files);
  gw_json_finish(&stats.removed);
  gw_counter_free(&stats.words);
  gw_counter_free(&stats.masks);
  return rc;
}

int main(int argc, char **argv) {
  gw_cli cli;
  gw_cli_init(&cli, "gw-seg");
  seg_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.segment = (gw_segment_options)GW_SEGMENT_OPTIONS_INIT;
  cfg.document = (gw_document_options)GW_DOCUMENT_OPTIONS_INIT;
  cfg.top = 50;
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
  free(cfg.user_dicts.items);
  gw_cli_free(&cli);
  return code;
}
