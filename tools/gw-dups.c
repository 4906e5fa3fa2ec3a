/* gw-dups — copy-paste across reports: per document the copy ratio, its
 * template and few-source shares and its sources, per pair the copied
 * passages, template families, and clusters of near-duplicate paragraphs,
 * as one JSON object or JSON Lines. */
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dups_cli.h"
#include "dups_records.h"
#include "dups_text.h"
#include "text_claims.h"
#include "json_writer.h"
#include "options.h"
#include "parallel.h"
#include "positions.h"
#include "text_out.h"
#include "resources.h"
#include "gongwen.h"

enum output_format { FORMAT_JSON, FORMAT_JSONL, FORMAT_TEXT };

typedef struct dups_config {
  enum output_format format;
  gw_document_options document;
  gw_dups_options dups;
  const char *list_path;
  const char *meta_path;    /* --meta */
  gw_meta *meta;            /* its table, NULL without */
  gw_opt_strings base_paths; /* --base, in the order given */
  size_t threads;
  int no_text;  /* no passage text in the output */
  int no_terms; /* official formulations count as copying too */
  int compact;  /* one-line JSON */
} dups_config;

static const char *const formats[] = {"json", "jsonl", "text", NULL}; /* enum output_format */

/* Returns -1 to go on (the inputs start at *first), or an exit code. */
static int parse_args(int argc, char **argv, gw_cli *cli, dups_config *cfg, int *first) {
  gw_dups_options *o = &cfg->dups;
  const gw_opt opts[] = {
      gw_opt_format((int *)&cfg->format, formats,
                    "one JSON object (default); JSON Lines: one\n"
                    "record per line (parameters, document, pair,\n"
                    "family, cluster, error), each naming its documents;\n"
                    "or a summary for the terminal: the most copied\n"
                    "reports, the largest families and the most copied\n"
                    "pairs, with quotes and line numbers",
                    NULL),
      gw_opt_compact(&cfg->compact),
      {.name = "no-text", .kind = GW_OPT_FLAG, .target = &cfg->no_text,
       .help = "leave the passage text out"},
      {.name = "no-terms", .kind = GW_OPT_FLAG, .target = &cfg->no_terms,
       .help = "count official formulations (terms.tsv) as\ncopying too"},
      {.name = "base", .kind = GW_OPT_STRINGS, .target = &cfg->base_paths, .arg = "FILE|DIR",
       .help = "a base document (repeatable): the notice, central\n"
               "document or template every report may contain;\n"
               "text found in it is never copying"},
      gw_opt_dups_meta(&cfg->meta_path),
      gw_opt_dups_template_min(o),
      gw_opt_dups_max_sources(o),
      gw_opt_dups_all_pairs(o),
      gw_opt_threads(&cfg->threads),
      GW_OPT_DUPS_THRESHOLDS(o),
      gw_opt_heading("Inputs:"),
      GW_OPT_INPUT_OPTIONS(&cfg->list_path, &cfg->document)};
  const gw_opt_table table = {
      "[OPTIONS] [FILE|DIR|-]...",
      "Find copy-paste across reports: copied passages between documents, each\n"
      "document's copy ratio and sources, passages shared by many documents\n"
      "(template families, each reported once), and clusters of near-duplicate\n"
      "paragraphs.  Folders are read recursively; no input or '-' reads stdin.\n"
      "A file given twice is analysed once; files with the same text under other\n"
      "names are each reported (exact copies of each other), prepared once.\n",
      opts, sizeof opts / sizeof *opts,
      "Characters are counted without whitespace, punctuation and noise; every\n"
      "template mask counts as one character.  Offsets (start, end) are original\n"
      "file bytes; line and column say where start stands (from 1; the column in\n"
      "characters of its line).\n"
      "\n"
      "Exit status: 0 every input analysed; 1 some inputs could not be read\n"
      "(listed in the JSON, the others analysed); 2 usage error or nothing done.\n"};
  int code = gw_opt_parse(cli, &table, argc, argv, first);
  if (code >= 0) return code;
  if (cfg->compact && cfg->format == FORMAT_TEXT)
    return gw_cli_usage_error(cli, "--compact is for --format json");
  o->threads = (unsigned)cfg->threads;
  return gw_dups_cli_check(cli, o);
}


/* ---- JSON records ---- */

static void write_parameters(gw_json *w, const gw_dups *d, const gw_dups_options *o, int terms,
                             char **paths, size_t n_base) {
  const gw_dups_cli_params params = {o, terms, d, (const char *const *)paths, n_base};
  gw_dups_cli_write_parameters(w, &params, GW_DUPS_PARAMS_ALL);
}

/* ---- the output: records in sections, formatted in chunks on the workers ----
 *
 * The records (parameters, documents, pairs, families, clusters, errors)
 * are cut into chunks of CHUNK, formatted on --threads workers and written
 * in order, so the output is never held whole.  JSON Lines print each
 * record on its line as {"record": TYPE, ...}; the one JSON value is
 * {"parameters": {...}, "documents": [...], ...}, each chunk continuing
 * inside the array where the one before it stopped. */
enum { CHUNK = 256, SECTIONS = 5 };
static const char *const section_names[SECTIONS] = {"documents", "pairs", "families",
                                                    "clusters", "errors"};
static const char *const record_types[SECTIONS] = {"document", "pair", "family", "cluster",
                                                   "error"};

typedef struct output_job {
  const gw_cli *cli;
  const dups_config *cfg;
  const gw_dups *d;
  char **paths;
  const gw_positions *positions; /* of each document */
  size_t n_base;                 /* documents 0 .. n_base - 1 are base ones */
  size_t counts[SECTIONS], records, chunks;
  gw_dups_records writer;        /* the records' fields */
} output_job;

/* The section of record r: -1 for the parameters, else 0 to SECTIONS - 1;
 * *index: r's index in its section. */
static int section_of(const output_job *j, size_t r, size_t *index) {
  *index = 0;
  if (r == 0) return -1;
  r--;
  for (int k = 0; k < SECTIONS; k++) {
    if (r < j->counts[k]) {
      *index = r;
      return k;
    }
    r -= j->counts[k];
  }
  return SECTIONS - 1;
}

static void write_fields(gw_json *w, const output_job *j, int section, size_t i) {
  switch (section) {
  case -1:
    write_parameters(w, j->d, &j->cfg->dups, !j->cfg->no_terms, j->paths, j->n_base);
    break;
  case 0: gw_dups_records_document(w, &j->writer, j->n_base + i); break;
  case 1: gw_dups_records_pair(w, &j->writer, i); break;
  case 2: gw_dups_records_family(w, &j->writer, i); break;
  case 3: gw_dups_records_cluster(w, &j->writer, i); break;
  default: gw_cli_write_failure(w, j->cli, i);
  }
}

/* Empty sections from `from` to `to` (excluded) of the JSON value. */
static void empty_sections(gw_json *w, int from, int to) {
  for (int k = from; k < to; k++) {
    gw_json_key(w, section_names[k]);
    gw_json_array_begin(w);
    gw_json_array_end(w);
  }
}

static void write_record(gw_json *w, const output_job *j, size_t r) {
  size_t i, before;
  int k = section_of(j, r, &i);
  if (j->cfg->format == FORMAT_JSONL) {
    gw_json_object_begin(w);
    gw_json_member_string(w, "record", k < 0 ? "parameters" : record_types[k]);
    write_fields(w, j, k, i);
    gw_json_object_end(w);
    gw_json_newline(w);
    return;
  }
  if (r == 0) {
    gw_json_object_begin(w);
    gw_json_key(w, "parameters");
  } else {
    int previous = section_of(j, r - 1, &before);
    if (previous != k) {
      if (previous >= 0) gw_json_array_end(w);
      empty_sections(w, previous + 1, k);
      gw_json_key(w, section_names[k]);
      gw_json_array_begin(w);
    }
  }
  gw_json_object_begin(w);
  write_fields(w, j, k, i);
  gw_json_object_end(w);
  if (r + 1 == j->records) {
    if (k >= 0) gw_json_array_end(w);
    empty_sections(w, k + 1, SECTIONS);
    gw_json_object_end(w);
    gw_json_newline(w);
  }
}

static void *format_chunk(void *vjob, unsigned worker, size_t c) {
  (void)worker;
  const output_job *j = vjob;
  gw_json *w = malloc(sizeof *w);
  if (!w) return NULL;
  gw_json_init(w, NULL, j->cfg->format == FORMAT_JSON && !j->cfg->compact);
  size_t first = c * CHUNK, end = first + CHUNK < j->records ? first + CHUNK : j->records, i;
  if (j->cfg->format == FORMAT_JSON && first > 0) {
    gw_json_continue_in(w, 1, 1);
    if (section_of(j, first - 1, &i) >= 0) gw_json_continue_in(w, 0, 1);
  }
  for (size_t r = first; r < end; r++) write_record(w, j, r);
  return w;
}

static void discard_chunk(void *vjob, void *vw) {
  (void)vjob;
  gw_json *w = vw;
  if (w) gw_json_finish(w);
  free(w);
}

static int write_chunk(void *vjob, size_t c, void *vw) {
  (void)c;
  gw_json *w = vw;
  int rc = !w ? GW_ENOMEM : w->failed;
  if (!rc && w->len && fwrite(w->text, 1, w->len, stdout) != w->len) rc = GW_EIO;
  discard_chunk(vjob, w);
  return rc;
}

static int output(const gw_cli *cli, const dups_config *cfg, const gw_dups *d, char **paths,
                  const gw_positions *positions, size_t n_base) {
  output_job j = {cli, cfg, d, paths, positions, n_base,
                  {gw_dups_document_count(d) - n_base, gw_dups_pair_count(d),
                   gw_dups_family_count(d), gw_dups_cluster_count(d), cli->failure_count},
                  0, 0,
                  {d, paths, positions, cfg->meta, !cfg->no_text, NULL, NULL, NULL}};
  j.records = 1;
  for (int k = 0; k < SECTIONS; k++) j.records += j.counts[k];
  j.chunks = (j.records + CHUNK - 1) / CHUNK;
  return gw_par_map(j.chunks, (unsigned)cfg->threads, format_chunk, write_chunk, discard_chunk,
                    &j);
}

/* ---- --format text ---- */

enum { TEXT_REPORTS = 10, TEXT_FAMILIES = 5, TEXT_PAIRS = 5 };

static int print_text(FILE *out, const gw_cli *cli, const gw_dups *d, char **paths,
                      const gw_positions *positions, size_t n_base) {
  size_t n = gw_dups_document_count(d), characters = 0;
  for (size_t i = n_base; i < n; i++) characters += gw_dups_document_at(d, i)->characters;
  size_t reports = n - n_base;
  gw_text_put_count(out, reports);
  fputs(reports == 1 ? " report, " : " reports, ", out);
  gw_text_put_count(out, characters);
  fputs(" characters compared", out);
  if (n_base) fprintf(out, " (and %zu base document%s)", n_base, n_base == 1 ? "" : "s");
  fputc('\n', out);
  gw_dups_text_copy_ratio(out, d, n_base);
  size_t width = gw_text_terminal_width();
  gw_dups_view view = {out, d, paths, positions, (width - 8) / 2};
  int rc = gw_dups_text_reports(&view, n_base, TEXT_REPORTS);
  if (!rc) rc = gw_dups_text_families(&view, TEXT_FAMILIES);
  if (!rc) rc = gw_dups_text_pairs(&view, TEXT_PAIRS);
  if (rc) return rc;
  fprintf(out, "\nNear-duplicate paragraph clusters: %zu\n", gw_dups_cluster_count(d));
  gw_dups_cli_print_limits(out, d);
  gw_cli_print_failures(out, cli);
  fputs("\nEvery passage, family and cluster with offsets: gw-dups --format json.\n", out);
  return ferror(out) ? GW_EIO : GW_OK;
}

#define NO_INPUT SIZE_MAX

/* ---- loading: on --threads workers, added in input order ----
 *
 * The workers read, decode and normalize the files, match their official
 * spans (noise, normalizer and terms are immutable and shared; each worker
 * has its own term result) and prepare them for the index; the calling
 * thread adds the prepared documents in input order, so the index, the
 * failures and the output are those of one thread.  The workers may run
 * LOAD_AHEAD inputs ahead (a prepared input waiting is ~10 KB; a small
 * window leaves them waiting whenever the calling thread is not
 * scheduled).  An input whose text an earlier input owns is added as a
 * copy of that input's document: the same document whichever way (which
 * one prepares a text depends on the threads, the results do not). */
enum { LOAD_AHEAD = 1024 };

typedef struct worker_state {
  gw_term_result *result;
  gw_range *spans;
} worker_state;

typedef struct load_work {
  size_t copy_of;       /* the earlier input with the same text, or NO_INPUT */
  int load_rc;
  char *load_message;
  gw_dups_input *input; /* NULL when loading or preparing failed */
  gw_positions positions;
  int prepare_rc;
  gw_error err;
} load_work;

/* Where the documents of a run go: paths and positions by document, and
 * the document of each input by input order (base inputs first). */
typedef struct loaded {
  char **paths;
  gw_positions *positions;
  unsigned char *borrowed; /* by document: its positions are another's */
  size_t *document_of;     /* NO_INPUT: not analysed */
  gw_text_claims claims;
  size_t n;
} loaded;

typedef struct load_run {
  gw_cli *cli;          /* the inputs loaded (the base ones, or the others) */
  const dups_config *cfg;
  const gw_terms *terms;
  gw_dups *d;
  worker_state *workers; /* cfg->threads, and one for the calling thread */
  size_t first_order;    /* the input order of cli's first input */
  loaded *into;
  int is_base;          /* a base document that fails is fatal */
  int fatal;            /* -1 after a fatal error (reported) */
} load_run;

/* Load input `index` and prepare it, unless (may_share) an earlier input
 * owns its text. */
static load_work *load_one(load_run *run, worker_state *ws, size_t index, int may_share) {
  load_work *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->copy_of = NO_INPUT;
  gw_document *doc;
  w->load_rc = gw_cli_load_input(run->cli, index, &run->cfg->document, &doc, &w->load_message);
  if (w->load_rc) return w;
  size_t order = run->first_order + index;
  size_t owner = may_share ? gw_text_claim(&run->into->claims, run->cli->inputs[index].path, doc,
                                           order)
                           : order;
  if (owner < order) {
    w->copy_of = owner;
    gw_document_free(doc);
    return w;
  }
  size_t n_spans;
  w->prepare_rc =
      gw_terms_official_spans(&ws->spans, &n_spans, &ws->result, run->terms, doc, &w->err);
  if (!w->prepare_rc)
    w->prepare_rc = gw_dups_prepare(run->d, doc, ws->spans, n_spans, &w->input, &w->err);
  if (!w->prepare_rc) w->prepare_rc = gw_positions_build(&w->positions, doc);
  gw_document_free(doc);
  return w;
}

static void *load_prepare(void *vrun, unsigned worker, size_t index) {
  load_run *run = vrun;
  return load_one(run, &run->workers[worker], index, 1);
}

static void load_discard(void *vrun, void *vwork) {
  (void)vrun;
  load_work *w = vwork;
  if (!w) return;
  gw_dups_input_free(w->input);
  gw_positions_free(&w->positions);
  free(w->load_message);
  free(w);
}

/* The loaded input into the index as the next document: prepared, or a
 * copy of its text's owner's document. */
static int add_loaded(load_run *run, load_work *w) {
  if (w->copy_of == NO_INPUT) {
    int rc = w->prepare_rc;
    return rc ? rc : gw_dups_add_prepared(run->d, w->input, &w->err);
  }
  size_t document = run->into->document_of[w->copy_of];
  int rc = gw_dups_add_copy(run->d, document, &w->err);
  if (!rc) {
    w->positions = run->into->positions[document];
    run->into->borrowed[run->into->n] = 1;
  }
  return rc;
}

static int load_consume(void *vrun, size_t index, void *vwork) {
  load_run *run = vrun;
  load_work *w = vwork;
  loaded *into = run->into;
  gw_cli *cli = run->cli;
  const char *path = cli->inputs[index].path;
  /* Its text's owner was not analysed: this input is prepared after all,
   * here, and fails or not on its own. */
  if (w && w->copy_of != NO_INPUT && into->document_of[w->copy_of] == NO_INPUT) {
    load_discard(run, w);
    w = load_one(run, &run->workers[run->cfg->threads], index, 0);
  }
  if (!run->is_base) gw_cli_progress(cli, index, cli->input_count, path);
  int rc = !w ? GW_ENOMEM : gw_cli_loaded(cli, index, w->load_rc, w->load_message);
  if (rc == GW_ENOMEM) {
    gw_cli_error(cli, "out of memory");
    run->fatal = -1;
  } else if (rc == GW_OK) {
    rc = add_loaded(run, w);
    if (rc == GW_ENOMEM) {
      /* As for loading: nothing is printed, and the message is this one
       * (gw_positions_build fills no gw_error). */
      gw_cli_error(cli, "out of memory");
      run->fatal = -1;
    } else if (rc == GW_ETOOBIG) {
      gw_cli_error(cli, "%s", w->err.message);
      run->fatal = -1;
    } else if (rc) {
      gw_cli_add_failure(cli, path, w->err.message);
    } else if (gw_dups_cli_set_origin(run->d, into->n, run->cfg->meta, path)) {
      gw_cli_error(cli, "out of memory");
      run->fatal = -1;
    } else {
      if (run->is_base) gw_dups_set_base(run->d, into->n, 1, NULL);
      into->positions[into->n] = w->positions;
      memset(&w->positions, 0, sizeof w->positions);
      into->document_of[run->first_order + index] = into->n;
      into->paths[into->n++] = cli->inputs[index].path;
    }
  }
  /* A base document that cannot be analysed is fatal: the results would
   * count its text as copying. */
  if (!run->fatal && rc && run->is_base) {
    gw_cli_error(cli, "cannot analyse the base document %s", path);
    run->fatal = -1;
  }
  load_discard(run, w);
  return run->fatal;
}

/* Load, prepare and add every input of c (base documents: is_base; c's
 * first input has input order first_order). 0, or -1 after a fatal error
 * (reported). */
static int load_inputs(gw_cli *c, int is_base, size_t first_order, const dups_config *cfg,
                       const gw_terms *terms, gw_dups *d, loaded *into) {
  worker_state *workers = calloc(cfg->threads + 1, sizeof *workers);
  if (!workers) {
    gw_cli_error(c, "out of memory");
    return -1;
  }
  load_run run = {c, cfg, terms, d, workers, first_order, into, is_base, 0};
  gw_par_map_ahead(c->input_count, (unsigned)cfg->threads, LOAD_AHEAD, load_prepare,
                   load_consume, load_discard, &run);
  for (size_t t = 0; t <= cfg->threads; t++) {
    gw_term_result_free(workers[t].result);
    free(workers[t].spans);
  }
  free(workers);
  return run.fatal;
}

/* ---- inputs given twice ---- */

typedef struct file_id {
  dev_t dev;
  ino_t ino;
  size_t order; /* base inputs first, then the others, as given */
} file_id;

static int cmp_file_id(const void *x, const void *y) {
  const file_id *p = x, *q = y;
  if (p->dev != q->dev) return p->dev < q->dev ? -1 : 1;
  if (p->ino != q->ino) return p->ino < q->ino ? -1 : 1;
  return (p->order > q->order) - (p->order < q->order);
}

/* The input at `order` among base's inputs, then cli's. */
static gw_cli_input *input_at(gw_cli *base, gw_cli *cli, size_t order) {
  return order < base->input_count ? &base->inputs[order]
                                   : &cli->inputs[order - base->input_count];
}

/* A file given twice (the same path, or another path to the same file) is
 * analysed once, where it comes first (a base document before the
 * others), with a warning: counted twice it would look copied from itself. */
static int drop_repeated_inputs(gw_cli *base, gw_cli *cli) {
  size_t total = base->input_count + cli->input_count, n = 0;
  file_id *ids = malloc((total + 1) * sizeof *ids);
  char *drop = calloc(total + 1, 1);
  if (!ids || !drop) {
    free(ids);
    free(drop);
    return -1;
  }
  struct stat st;
  for (size_t i = 0; i < total; i++) {
    const char *path = input_at(base, cli, i)->path;
    if (strcmp(path, GW_CLI_STDIN) != 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode))
      ids[n++] = (file_id){st.st_dev, st.st_ino, i};
  }
  qsort(ids, n, sizeof *ids, cmp_file_id);
  for (size_t i = 1; i < n; i++) {
    size_t first = i;
    while (first > 0 && ids[first - 1].dev == ids[i].dev && ids[first - 1].ino == ids[i].ino) first--;
    if (first == i) continue;
    drop[ids[i].order] = 1;
    if (cli->diagnostics)
      fprintf(cli->diagnostics, "%s: warning: %s is %s again: analysed once\n", cli->program,
              input_at(base, cli, ids[i].order)->path, input_at(base, cli, ids[first].order)->path);
  }
  for (int list = 0; list < 2; list++) {
    gw_cli *c = list ? cli : base;
    size_t offset = list ? base->input_count : 0, kept = 0;
    for (size_t i = 0; i < c->input_count; i++) {
      if (drop[offset + i]) free(c->inputs[i].path);
      else c->inputs[kept++] = c->inputs[i];
    }
    c->input_count = kept;
  }
  free(ids);
  free(drop);
  return 0;
}

static int run(gw_cli *cli, gw_cli *base, dups_config *cfg) {
  gw_error err;
  gw_resources r;
  gw_resource_request want = {.terms = !cfg->no_terms};
  gw_dups *d = NULL;
  size_t most = base->input_count + cli->input_count + 1;
  loaded in;
  memset(&in, 0, sizeof in);
  in.paths = calloc(most, sizeof *in.paths);
  in.positions = calloc(most, sizeof *in.positions);
  in.borrowed = calloc(most, 1);
  in.document_of = malloc(most * sizeof *in.document_of);
  int claims = gw_text_claims_init(&in.claims) == 0;
  int rc = -1;
  if (gw_resources_open(&r, cli, &want, &cfg->document)) goto done;
  if (!in.paths || !in.positions || !in.borrowed || !in.document_of || !claims) {
    gw_cli_error(cli, "out of memory");
    goto done;
  }
  for (size_t i = 0; i < most; i++) in.document_of[i] = NO_INPUT;
  if (gw_dups_new(&d, &cfg->dups, &err)) {
    gw_cli_error(cli, "%s", err.message);
    goto done;
  }
  if (load_inputs(base, 1, 0, cfg, r.terms, d, &in)) goto done;
  size_t n_base = in.n;
  if (load_inputs(cli, 0, base->input_count, cfg, r.terms, d, &in)) goto done;
  gw_cli_progress_end(cli);
  if (gw_dups_run(d, &err)) { gw_cli_error(cli, "%s", err.message); goto done; }
  int written = cfg->format == FORMAT_TEXT
                    ? print_text(stdout, cli, d, in.paths, in.positions, n_base)
                    : output(cli, cfg, d, in.paths, in.positions, n_base);
  if (written) {
    gw_cli_error(cli, "%s", written == GW_ENOMEM ? "out of memory" : "cannot write the output");
    goto done;
  }
  rc = 0;
done:
  gw_dups_free(d);
  gw_resources_free(&r);
  for (size_t i = 0; in.positions && i < in.n; i++)
    if (!in.borrowed[i]) gw_positions_free(&in.positions[i]);
  free(in.positions);
  free(in.paths);
  free(in.borrowed);
  free(in.document_of);
  if (claims) gw_text_claims_free(&in.claims);
  return rc;
}

int main(int argc, char **argv) {
  gw_cli cli;
  gw_cli_init(&cli, "gw-dups");
  dups_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.document = (gw_document_options)GW_DOCUMENT_OPTIONS_INIT;
  cfg.dups = (gw_dups_options)GW_DUPS_OPTIONS_INIT;
  cfg.threads = gw_par_default_threads();
  gw_cli base;
  gw_cli_init(&base, "gw-dups");
  int first;
  int code = parse_args(argc, argv, &cli, &cfg, &first);
  if (code < 0) {
    int bad = 0;
    for (size_t i = 0; !bad && i < cfg.base_paths.count; i++)
      bad = gw_cli_add_path(&base, cfg.base_paths.items[i]) || base.failure_count;
    if (bad || gw_dups_cli_load_meta(&cli, cfg.meta_path, &cfg.meta) ||
        gw_cli_collect(&cli, argv + first, (size_t)(argc - first), cfg.list_path) ||
        drop_repeated_inputs(&base, &cli)) {
      code = GW_EXIT_FAILURE;
    } else {
      int rc = run(&cli, &base, &cfg);
      code = gw_cli_finish(&cli);
      if (rc) code = GW_EXIT_FAILURE;
    }
  }
  free(cfg.base_paths.items);
  gw_meta_free(cfg.meta);
  gw_cli_free(&base);
  gw_cli_free(&cli);
  return code;
}
