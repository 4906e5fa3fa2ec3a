/* gw-dups — copy-paste across reports: per document the copy ratio, its
 * template and few-source shares and its sources, per pair the copied
 * passages, template families, and clusters of near-duplicate paragraphs,
 * as one JSON object or JSON Lines. */
/* sched_getaffinity (the cores this process may use) is a GNU extension. */
#define _GNU_SOURCE
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gongwen.h"

enum output_format { FORMAT_JSON, FORMAT_JSONL };

typedef struct dups_config {
  enum output_format format;
  gw_document_options document;
  gw_dups_options dups;
  const char *list_path;
  const char **base_paths; /* --base, in the order given */
  size_t base_count;
  unsigned threads;
  int text;      /* passage text in the output */
  int terms;     /* official spans from the data directory's terms.tsv */
  int compact;   /* one-line JSON */
} dups_config;

static const char usage_text[] =
    "usage: gw-dups [OPTIONS] [FILE|DIR|-]...\n"
    "Find copy-paste across reports: copied passages between documents, each\n"
    "document's copy ratio and sources, passages shared by many documents\n"
    "(template families, each reported once), and clusters of near-duplicate\n"
    "paragraphs.  Folders are read recursively; no input or '-' reads stdin.\n"
    "A file given twice is analysed once.\n"
    "\n"
    "  --format json|jsonl    one JSON object (default), or JSON Lines: one\n"
    "                         record per line (parameters, document, pair,\n"
    "                         family, cluster, error), each naming its documents\n"
    "  --compact              JSON on one line\n"
    "  --no-text              leave the passage text out\n"
    "  --no-terms             count official formulations (terms.tsv) as\n"
    "                         copying too\n"
    "  --base FILE|DIR        a base document (repeatable): the notice, central\n"
    "                         document or template every report may contain;\n"
    "                         text found in it is never copying\n"
    "  --template-min N       a passage shared by N documents or more is a\n"
    "                         template (default 5)\n"
    "  --max-sources N        sources listed per document, 0 for all (10)\n"
    "  --all-pairs            every pair found, also those sharing only\n"
    "                         official or base text\n"
    "  --threads N            threads (default: every core this process may use)\n"
    "  --list FILE            read input paths from FILE, one per line\n"
    "  --encoding ENC         utf-8, gb18030, utf-16le or utf-16be (default: detect)\n"
    "  --replace-invalid      replace invalid UTF-8 with U+FFFD instead of failing\n"
    "Paragraph clusters:\n"
    "  --shingle-k N          characters per shingle (default 3)\n"
    "  --minhash N            MinHash values per paragraph (default 120)\n"
    "  --bands N              LSH bands, dividing --minhash (default 40)\n"
    "  --seed N               hash seed (default 0x9e3779b97f4a7c15)\n"
    "  --min-jaccard X        exact Jaccard for a near-duplicate pair (0.5)\n"
    "  --min-containment X    ... or exact containment (0.8)\n"
    "  --min-paragraph N      shorter paragraphs are not clustered (10)\n"
    "Copied passages:\n"
    "  --passage-t N          every shared run of N characters is found, N <= 13 (13)\n"
    "  --passage-k N          fingerprint length, <= passage-t (8)\n"
    "  --max-gap N            edited characters bridged inside a passage (4)\n"
    "  --help, --version\n"
    "\n"
    "Characters are counted without whitespace, punctuation and noise; every\n"
    "template mask counts as one character.  Offsets are original file bytes.\n"
    "\n"
    "Exit status: 0 every input analysed; 1 some inputs could not be read\n"
    "(listed in the JSON, the others analysed); 2 usage error or nothing done.\n";

/* Ratios to four decimals (all are in [0, 1]). */
static double round4(double x) { return (double)(long long)(x * 10000.0 + 0.5) / 10000.0; }

static int parse_unsigned(const char *s, unsigned *out) {
  char *end;
  unsigned long long v = strtoull(s, &end, 0);
  if (!*s || *end || *s == '-' || v > 100000000ull) return -1;
  *out = (unsigned)v;
  return 0;
}

static int parse_fraction(const char *s, double *out) {
  char *end;
  double v = strtod(s, &end);
  if (!*s || *end || !(v > 0.0) || v > 1000.0) return -1;
  *out = v;
  return 0;
}

enum { OPT_FORMAT = 256, OPT_COMPACT, OPT_NO_TEXT, OPT_NO_TERMS, OPT_LIST, OPT_ENCODING,
       OPT_REPLACE, OPT_K, OPT_MINHASH, OPT_BANDS, OPT_SEED, OPT_MIN_J,
       OPT_MIN_C, OPT_MIN_PARA, OPT_T, OPT_PK, OPT_GAP, OPT_BASE, OPT_TEMPLATE_MIN,
       OPT_MAX_SOURCES, OPT_ALL_PAIRS, OPT_THREADS, OPT_HELP, OPT_VERSION };

/* The cores this process may run on. */
static unsigned available_cores(void) {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
    return (unsigned)CPU_COUNT(&set);
  return 1;
}

/* Returns -1 to go on, or an exit code. */
static int parse_args(int argc, char **argv, gw_cli *cli, dups_config *cfg) {
  static const struct option options[] = {
      {"format", required_argument, NULL, OPT_FORMAT},
      {"compact", no_argument, NULL, OPT_COMPACT},
      {"no-text", no_argument, NULL, OPT_NO_TEXT},
      {"no-terms", no_argument, NULL, OPT_NO_TERMS},
      {"list", required_argument, NULL, OPT_LIST},
      {"encoding", required_argument, NULL, OPT_ENCODING},
      {"replace-invalid", no_argument, NULL, OPT_REPLACE},
      {"shingle-k", required_argument, NULL, OPT_K},
      {"minhash", required_argument, NULL, OPT_MINHASH},
      {"bands", required_argument, NULL, OPT_BANDS},
      {"seed", required_argument, NULL, OPT_SEED},
      {"min-jaccard", required_argument, NULL, OPT_MIN_J},
      {"min-containment", required_argument, NULL, OPT_MIN_C},
      {"min-paragraph", required_argument, NULL, OPT_MIN_PARA},
      {"passage-t", required_argument, NULL, OPT_T},
      {"passage-k", required_argument, NULL, OPT_PK},
      {"max-gap", required_argument, NULL, OPT_GAP},
      {"base", required_argument, NULL, OPT_BASE},
      {"template-min", required_argument, NULL, OPT_TEMPLATE_MIN},
      {"max-sources", required_argument, NULL, OPT_MAX_SOURCES},
      {"all-pairs", no_argument, NULL, OPT_ALL_PAIRS},
      {"threads", required_argument, NULL, OPT_THREADS},
      {"help", no_argument, NULL, OPT_HELP},
      {"version", no_argument, NULL, OPT_VERSION},
      {NULL, 0, NULL, 0}};
  int c, which = 0;
  opterr = 0;
  gw_dups_options *o = &cfg->dups;
  while ((c = getopt_long(argc, argv, "", options, &which)) != -1) {
    int bad = 0;
    switch (c) {
    case OPT_FORMAT:
      if (strcmp(optarg, "json") == 0) cfg->format = FORMAT_JSON;
      else if (strcmp(optarg, "jsonl") == 0) cfg->format = FORMAT_JSONL;
      else return gw_cli_usage_error(cli, "unknown format '%s' (json or jsonl)", optarg);
      break;
    case OPT_COMPACT: cfg->compact = 1; break;
    case OPT_NO_TEXT: cfg->text = 0; break;
    case OPT_NO_TERMS: cfg->terms = 0; break;
    case OPT_LIST: cfg->list_path = optarg; break;
    case OPT_ENCODING:
      if (gw_cli_parse_encoding(optarg, &cfg->document.encoding))
        return gw_cli_usage_error(cli, "unknown encoding '%s'", optarg);
      break;
    case OPT_REPLACE: cfg->document.replace_invalid = 1; break;
    case OPT_K: bad = parse_unsigned(optarg, &o->shingle_k); break;
    case OPT_MINHASH: bad = parse_unsigned(optarg, &o->minhash_count); break;
    case OPT_BANDS: bad = parse_unsigned(optarg, &o->bands); break;
    case OPT_SEED: {
      char *end;
      o->seed = strtoull(optarg, &end, 0);
      bad = !*optarg || *end;
      break;
    }
    case OPT_MIN_J: bad = parse_fraction(optarg, &o->min_jaccard); break;
    case OPT_MIN_C: bad = parse_fraction(optarg, &o->min_containment); break;
    case OPT_MIN_PARA: bad = parse_unsigned(optarg, &o->min_paragraph_chars); break;
    case OPT_T: bad = parse_unsigned(optarg, &o->passage_t); break;
    case OPT_PK: bad = parse_unsigned(optarg, &o->passage_k); break;
    case OPT_GAP: bad = parse_unsigned(optarg, &o->max_gap); break;
    case OPT_BASE: {
      const char **b = realloc(cfg->base_paths, (cfg->base_count + 1) * sizeof *b);
      if (!b) return gw_cli_usage_error(cli, "out of memory");
      cfg->base_paths = b;
      b[cfg->base_count++] = optarg;
      break;
    }
    case OPT_TEMPLATE_MIN: bad = parse_unsigned(optarg, &o->template_min); break;
    case OPT_MAX_SOURCES: bad = parse_unsigned(optarg, &o->max_sources); break;
    case OPT_ALL_PAIRS: o->all_pairs = 1; break;
    case OPT_THREADS:
      bad = parse_unsigned(optarg, &cfg->threads) || cfg->threads < 1 || cfg->threads > 1024;
      break;
    case OPT_HELP: fputs(usage_text, stdout); return GW_EXIT_OK;
    case OPT_VERSION: printf("gw-dups (gongwen) %s\n", gw_version()); return GW_EXIT_OK;
    default:
      return gw_cli_usage_error(cli, "unknown or incomplete option '%s'", argv[optind - 1]);
    }
    if (bad) return gw_cli_usage_error(cli, "bad value '%s' for --%s", optarg, options[which].name);
  }
  if (!cfg->threads) cfg->threads = available_cores();
  o->threads = cfg->threads;
  gw_error err;
  gw_dups *probe;
  if (gw_dups_new(&probe, o, &err)) return gw_cli_usage_error(cli, "%s", err.message);
  gw_dups_free(probe);
  return -1;
}

/* ---- JSON records ---- */

static cJSON *range_json(const gw_dups_range *r) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "start", (double)r->start);
  cJSON_AddNumberToObject(o, "end", (double)r->end);
  return o;
}

static cJSON *parameters_json(const gw_dups_options *o, int terms, char **paths,
                              size_t n_base) {
  cJSON *p = cJSON_CreateObject();
  if (!p) return NULL;
  cJSON_AddNumberToObject(p, "shingle_k", o->shingle_k);
  cJSON_AddNumberToObject(p, "minhash", o->minhash_count);
  cJSON_AddNumberToObject(p, "bands", o->bands);
  cJSON_AddItemToObject(p, "seed", gw_cli_json_hex64(o->seed));
  cJSON_AddNumberToObject(p, "min_jaccard", o->min_jaccard);
  cJSON_AddNumberToObject(p, "min_containment", o->min_containment);
  cJSON_AddNumberToObject(p, "min_paragraph", o->min_paragraph_chars);
  cJSON_AddNumberToObject(p, "passage_t", o->passage_t);
  cJSON_AddNumberToObject(p, "passage_k", o->passage_k);
  cJSON_AddNumberToObject(p, "window", o->passage_t - o->passage_k + 1);
  cJSON_AddNumberToObject(p, "max_gap", o->max_gap);
  cJSON_AddBoolToObject(p, "official_terms", terms);
  cJSON_AddNumberToObject(p, "template_min", o->template_min);
  cJSON_AddNumberToObject(p, "max_sources", o->max_sources);
  cJSON_AddBoolToObject(p, "all_pairs", o->all_pairs);
  cJSON_AddNumberToObject(p, "family_min_documents", GW_DUPS_FAMILY_MIN_DOCUMENTS);
  cJSON *limits = cJSON_AddObjectToObject(p, "limits");
  cJSON_AddNumberToObject(limits, "band_all_pairs", GW_DUPS_BAND_ALL_PAIRS);
  cJSON_AddNumberToObject(limits, "star_above", GW_DUPS_STAR_ABOVE);
  cJSON_AddNumberToObject(limits, "repeat_pairs", GW_DUPS_REPEAT_PAIRS);
  cJSON *base = cJSON_AddArrayToObject(p, "base");
  for (size_t i = 0; i < n_base; i++) cJSON_AddItemToArray(base, cJSON_CreateString(paths[i]));
  return p;
}

static cJSON *source_json(const gw_dups_source *s, char **paths) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "path", paths[s->document]);
  cJSON_AddNumberToObject(o, "characters", (double)s->characters);
  cJSON_AddNumberToObject(o, "share", round4(s->share));
  return o;
}

static void add_year(cJSON *o, int year) {
  if (year) cJSON_AddNumberToObject(o, "year", year);
  else cJSON_AddNullToObject(o, "year");
}

static cJSON *document_json(const gw_dups *d, size_t i, char **paths) {
  const gw_dups_document *di = gw_dups_document_info(d, i);
  cJSON *o = cJSON_CreateObject();
  if (!o) return NULL;
  cJSON_AddStringToObject(o, "path", paths[i]);
  cJSON_AddNumberToObject(o, "characters", (double)di->characters);
  cJSON_AddNumberToObject(o, "official", (double)di->official);
  cJSON_AddNumberToObject(o, "copied", (double)di->copied);
  cJSON_AddNumberToObject(o, "copy_ratio", round4(di->copy_ratio));
  add_year(o, di->year);
  cJSON_AddNumberToObject(o, "template_copied", (double)di->template_copied);
  cJSON_AddNumberToObject(o, "template_ratio", round4(di->template_ratio));
  cJSON_AddNumberToObject(o, "few_ratio", round4(di->few_ratio));
  cJSON_AddNumberToObject(o, "base", (double)di->base);
  if (di->source_count)
    cJSON_AddItemToObject(o, "largest_source", source_json(gw_dups_source_at(d, di->source_first), paths));
  else
    cJSON_AddNullToObject(o, "largest_source");
  cJSON_AddNumberToObject(o, "sources_total", (double)di->source_total);
  cJSON *list = cJSON_AddArrayToObject(o, "sources");
  for (size_t s = 0; s < di->source_count; s++)
    cJSON_AddItemToArray(list, source_json(gw_dups_source_at(d, di->source_first + s), paths));
  list = cJSON_AddArrayToObject(o, "base_sources");
  for (size_t s = 0; s < di->base_source_count; s++)
    cJSON_AddItemToArray(list,
                         source_json(gw_dups_source_at(d, di->base_source_first + s), paths));
  return o;
}

static void add_text(cJSON *o, const gw_dups *d, size_t document, const gw_dups_range *r) {
  char *text;
  if (gw_dups_text(d, document, r->char_start, r->char_end, &text, NULL, NULL) == GW_OK) {
    cJSON_AddStringToObject(o, "text", text);
    free(text);
  }
}

static cJSON *family_json(const gw_dups *d, size_t i, char **paths, int with_text) {
  const gw_dups_family *f = gw_dups_family_at(d, i);
  const gw_dups_family_member *t = gw_dups_family_member_at(d, f->member_first + f->text_member);
  cJSON *o = cJSON_CreateObject();
  if (!o) return NULL;
  cJSON_AddNumberToObject(o, "documents", (double)f->documents);
  cJSON_AddNumberToObject(o, "size", (double)f->member_count);
  cJSON_AddNumberToObject(o, "characters", (double)f->characters);
  if (f->earliest_year) {
    cJSON *e = cJSON_AddObjectToObject(o, "earliest");
    cJSON_AddStringToObject(e, "path", paths[t->document]);
    cJSON_AddNumberToObject(e, "year", f->earliest_year);
  } else {
    cJSON_AddNullToObject(o, "earliest");
  }
  if (with_text) add_text(o, d, t->document, &t->range);
  cJSON *list = cJSON_AddArrayToObject(o, "members");
  for (size_t k = 0; k < f->member_count; k++) {
    const gw_dups_family_member *m = gw_dups_family_member_at(d, f->member_first + k);
    cJSON *x = cJSON_CreateObject();
    cJSON_AddStringToObject(x, "path", paths[m->document]);
    cJSON_AddNumberToObject(x, "paragraph", (double)m->paragraph);
    cJSON_AddNumberToObject(x, "start", (double)m->range.start);
    cJSON_AddNumberToObject(x, "end", (double)m->range.end);
    cJSON_AddNumberToObject(x, "characters", (double)(m->range.char_end - m->range.char_start));
    cJSON_AddItemToArray(list, x);
  }
  return o;
}

static cJSON *pair_json(const gw_dups *d, size_t i, char **paths, int with_text) {
  const gw_dups_pair *p = gw_dups_pair_at(d, i);
  cJSON *o = cJSON_CreateObject();
  if (!o) return NULL;
  cJSON_AddStringToObject(o, "a", paths[p->a]);
  cJSON_AddStringToObject(o, "b", paths[p->b]);
  cJSON_AddNumberToObject(o, "similarity", round4(p->similarity));
  cJSON_AddNumberToObject(o, "copied_a", (double)p->copied_a);
  cJSON_AddNumberToObject(o, "copied_b", (double)p->copied_b);
  cJSON *list = cJSON_AddArrayToObject(o, "passages");
  for (size_t k = 0; k < p->passage_count; k++) {
    const gw_dups_passage *ps = gw_dups_passage_at(d, p->passage_first + k);
    cJSON *x = cJSON_CreateObject();
    cJSON_AddStringToObject(x, "kind", gw_dups_kind_name(ps->kind));
    cJSON_AddItemToObject(x, "a", range_json(&ps->a));
    cJSON_AddItemToObject(x, "b", range_json(&ps->b));
    cJSON_AddNumberToObject(x, "characters", (double)(ps->a.char_end - ps->a.char_start));
    cJSON_AddNumberToObject(x, "matched", (double)ps->matched);
    if (with_text) add_text(x, d, p->a, &ps->a);
    cJSON_AddItemToArray(list, x);
  }
  return o;
}

static cJSON *cluster_json(const gw_dups *d, size_t i, char **paths) {
  const gw_dups_cluster *c = gw_dups_cluster_at(d, i);
  cJSON *o = cJSON_CreateObject();
  if (!o) return NULL;
  cJSON_AddNumberToObject(o, "documents", (double)c->documents);
  cJSON_AddNumberToObject(o, "size", (double)c->member_count);
  cJSON_AddNumberToObject(o, "min_jaccard", round4(c->min_jaccard));
  cJSON_AddNumberToObject(o, "max_jaccard", round4(c->max_jaccard));
  cJSON *list = cJSON_AddArrayToObject(o, "members");
  for (size_t k = 0; k < c->member_count; k++) {
    const gw_dups_member *m = gw_dups_member_at(d, c->member_first + k);
    cJSON *x = cJSON_CreateObject();
    cJSON_AddStringToObject(x, "path", paths[m->document]);
    cJSON_AddNumberToObject(x, "paragraph", (double)m->paragraph);
    cJSON_AddNumberToObject(x, "start", (double)m->start);
    cJSON_AddNumberToObject(x, "end", (double)m->end);
    cJSON_AddNumberToObject(x, "jaccard", round4(m->jaccard));
    cJSON_AddNumberToObject(x, "containment", round4(m->containment));
    cJSON_AddItemToArray(list, x);
  }
  return o;
}

/* JSON Lines: {"record": TYPE, ...fields}, or NULL. */
static cJSON *record_json(const char *type, cJSON *fields) {
  if (!fields) return NULL;
  cJSON *o = cJSON_CreateObject();
  if (!o) { cJSON_Delete(fields); return NULL; }
  cJSON_AddStringToObject(o, "record", type);
  cJSON *child = fields->child;
  fields->child = NULL;
  cJSON_Delete(fields);
  /* Move the fields after "record", keeping their order. */
  while (child) {
    cJSON *next = child->next;
    child->next = child->prev = NULL;
    const char *key = child->string;
    child->string = NULL;
    cJSON_AddItemToObject(o, key, child);
    cJSON_free((void *)key);
    child = next;
  }
  return o;
}

/* ---- output on two threads ----
 *
 * The records (parameters, documents, pairs, clusters, errors) are cut
 * into chunks of CHUNK; a helper thread formats every odd chunk while the
 * main thread formats the even ones and writes them all in order.  The
 * helper stays at most RING chunks ahead, so the output is never held
 * whole.  JSON Lines print each record on its line; the one JSON value is
 * printed record by record exactly as cJSON_Print prints the whole tree
 * (which took a second at 200,000 paragraphs, on one thread). */
enum { CHUNK = 256, RING = 8 };

typedef struct text_buffer {
  char *text;
  size_t len, cap;
} text_buffer;

typedef struct output_job {
  const gw_cli *cli;
  const dups_config *cfg;
  const gw_dups *d;
  char **paths;
  size_t n_base;             /* documents 0 .. n_base - 1 are base ones */
  size_t nd, np, nf, nc, records, chunks;
  text_buffer ring[RING];    /* odd chunk c in ring[(c / 2) % RING] */
  size_t ready;              /* odd chunks formatted: 1, 3, ... below it */
  size_t written;            /* chunks written */
  int failed, stop;
  pthread_mutex_t lock;
  pthread_cond_t cond;
} output_job;

/* Record r's fields (JSON: the value itself), or NULL. */
static cJSON *fields_at(const output_job *j, size_t r, const char **type) {
  if (r == 0) {
    *type = "parameters";
    return parameters_json(&j->cfg->dups, j->cfg->terms, j->paths, j->n_base);
  }
  r--;
  if (r < j->nd) { *type = "document"; return document_json(j->d, j->n_base + r, j->paths); }
  r -= j->nd;
  if (r < j->np) { *type = "pair"; return pair_json(j->d, r, j->paths, j->cfg->text); }
  r -= j->np;
  if (r < j->nf) { *type = "family"; return family_json(j->d, r, j->paths, j->cfg->text); }
  r -= j->nf;
  if (r < j->nc) { *type = "cluster"; return cluster_json(j->d, r, j->paths); }
  r -= j->nc;
  *type = "error";
  cJSON *e = cJSON_CreateObject();
  if (e) {
    cJSON_AddStringToObject(e, "path", j->cli->failures[r].path);
    cJSON_AddStringToObject(e, "error", j->cli->failures[r].message);
  }
  return e;
}

static int append(text_buffer *b, const char *text, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n + 1) cap *= 2;
    char *t = realloc(b->text, cap);
    if (!t) return -1;
    b->text = t;
    b->cap = cap;
  }
  memcpy(b->text + b->len, text, n);
  b->len += n;
  return 0;
}

static int append_str(text_buffer *b, const char *text) {
  return append(b, text, strlen(text));
}

/* One JSON value, printed as cJSON_Print prints the whole: the sections
 * after "parameters", each an array of records. */
enum { SECTIONS = 5 };
static const char *const section_names[SECTIONS] = {"documents", "pairs", "families",
                                                    "clusters", "errors"};

/* The section of record r: -1 for the parameters, else 0 to SECTIONS - 1. */
static int section_of(const output_job *j, size_t r) {
  if (r == 0) return -1;
  size_t end = 1;
  size_t counts[SECTIONS] = {j->nd, j->np, j->nf, j->nc,
                             j->records - 1 - j->nd - j->np - j->nf - j->nc};
  for (int k = 0; k < SECTIONS; k++) {
    end += counts[k];
    if (r < end) return k;
  }
  return SECTIONS - 1;
}

/* The text between the value of section `from` (its last record written)
 * and the first record of section `to` (SECTIONS: the end of the output). */
static int between_sections(const output_job *j, int from, int to, text_buffer *b) {
  int pretty = !j->cfg->compact;
  if (from >= 0 && append_str(b, "]")) return -1;
  for (int k = from + 1; k <= to && k < SECTIONS; k++) {
    char head[64];
    int n = snprintf(head, sizeof head, pretty ? ",\n\t\"%s\":\t[" : ",\"%s\":[",
                     section_names[k]);
    if (append(b, head, (size_t)n)) return -1;
    if (k < to && append_str(b, "]")) return -1; /* an empty section */
  }
  if (to == SECTIONS) return append_str(b, pretty ? "\n}\n" : "}\n");
  return 0;
}

/* Record r as JSON Lines ({"record": TYPE, ...}) or as part of the one
 * JSON value, into b. */
static int format_record(const output_job *j, size_t r, text_buffer *b) {
  const char *type;
  cJSON *o = fields_at(j, r, &type);
  if (j->cfg->format == FORMAT_JSONL) {
    o = record_json(type, o);
    char *line = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    if (!line) return -1;
    int rc = append_str(b, line) || append_str(b, "\n") ? -1 : 0;
    cJSON_free(line);
    return rc;
  }
  int pretty = !j->cfg->compact, k = section_of(j, r);
  char *text = !o ? NULL : pretty ? cJSON_Print(o) : cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  if (!text) return -1;
  int rc = 0;
  if (r == 0) rc = append_str(b, pretty ? "{\n\t\"parameters\":\t" : "{\"parameters\":");
  else if (section_of(j, r - 1) == k) rc = append_str(b, pretty ? ", " : ",");
  else rc = between_sections(j, section_of(j, r - 1), k, b);
  /* Printed alone, the value is indented as at depth 0; in the whole it
   * sits at depth 1 (parameters) or 2 (an array's element). */
  const char *indent = k < 0 ? "\t" : "\t\t";
  for (const char *p = text; !rc && *p;) {
    const char *nl = pretty ? strchr(p, '\n') : NULL;
    size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
    rc = append(b, p, n);
    if (!rc && nl) rc = append_str(b, indent);
    p += n;
  }
  cJSON_free(text);
  if (!rc && r + 1 == j->records) rc = between_sections(j, k, SECTIONS, b);
  return rc;
}

/* Chunk c's records into b (emptied first).  0 or -1. */
static int format_chunk(const output_job *j, size_t c, text_buffer *b) {
  b->len = 0;
  size_t end = (c + 1) * CHUNK < j->records ? (c + 1) * CHUNK : j->records;
  for (size_t r = c * CHUNK; r < end; r++)
    if (format_record(j, r, b)) return -1;
  return 0;
}

static void *format_odd_chunks(void *arg) {
  output_job *j = arg;
  for (size_t c = 1; c < j->chunks; c += 2) {
    pthread_mutex_lock(&j->lock);
    while (!j->stop && c >= j->written + 2 * RING) pthread_cond_wait(&j->cond, &j->lock);
    int stop = j->stop;
    pthread_mutex_unlock(&j->lock);
    if (stop) break;
    int rc = format_chunk(j, c, &j->ring[(c / 2) % RING]);
    pthread_mutex_lock(&j->lock);
    if (rc) j->failed = 1;
    j->ready = c + 1;
    pthread_cond_broadcast(&j->cond);
    pthread_mutex_unlock(&j->lock);
    if (rc) break;
  }
  return NULL;
}

static int write_lines(output_job *j) {
  text_buffer own = {NULL, 0, 0};
  pthread_t helper;
  int threaded = pthread_create(&helper, NULL, format_odd_chunks, j) == 0;
  int rc = 0;
  for (size_t c = 0; c < j->chunks && !rc; c++) {
    const text_buffer *b = &own;
    if (c % 2 == 0 || !threaded) {
      rc = format_chunk(j, c, &own);
    } else {
      pthread_mutex_lock(&j->lock);
      while (!j->failed && j->ready <= c) pthread_cond_wait(&j->cond, &j->lock);
      rc = j->failed ? -1 : 0;
      pthread_mutex_unlock(&j->lock);
      b = &j->ring[(c / 2) % RING];
    }
    if (!rc && b->len && fwrite(b->text, 1, b->len, stdout) != b->len) rc = -1;
    pthread_mutex_lock(&j->lock);
    j->written = c + 1;
    if (rc) j->stop = 1;
    pthread_cond_broadcast(&j->cond);
    pthread_mutex_unlock(&j->lock);
  }
  if (threaded) {
    pthread_mutex_lock(&j->lock);
    j->stop = 1;
    pthread_cond_broadcast(&j->cond);
    pthread_mutex_unlock(&j->lock);
    pthread_join(helper, NULL);
  }
  free(own.text);
  return rc;
}

static int output(const gw_cli *cli, const dups_config *cfg, const gw_dups *d,
                  char **paths, size_t n_base) {
  output_job j;
  memset(&j, 0, sizeof j);
  j.cli = cli;
  j.cfg = cfg;
  j.d = d;
  j.paths = paths;
  j.n_base = n_base;
  j.nd = gw_dups_document_count(d) - n_base;
  j.np = gw_dups_pair_count(d);
  j.nf = gw_dups_family_count(d);
  j.nc = gw_dups_cluster_count(d);
  j.records = 1 + j.nd + j.np + j.nf + j.nc + cli->failure_count;
  j.chunks = (j.records + CHUNK - 1) / CHUNK;
  if (pthread_mutex_init(&j.lock, NULL)) return -1;
  if (pthread_cond_init(&j.cond, NULL)) {
    pthread_mutex_destroy(&j.lock);
    return -1;
  }
  int rc = write_lines(&j);
  for (size_t i = 0; i < RING; i++) free(j.ring[i].text);
  pthread_cond_destroy(&j.cond);
  pthread_mutex_destroy(&j.lock);
  return rc;
}


/* ---- main ---- */

/* The official spans of a document: every term match (terms.tsv). */
static int official_spans(const gw_terms *terms, gw_term_result **result,
                          const gw_document *doc, gw_range **spans, size_t *n,
                          gw_error *err) {
  *n = 0;
  if (!terms) return GW_OK;
  gw_terms_options opts = GW_TERMS_OPTIONS_INIT;
  opts.matches_only = 1;
  int rc = *result ? gw_terms_rematch(*result, terms, doc, &opts, err)
                   : gw_terms_match(result, terms, doc, &opts, err);
  if (rc) return rc;
  size_t count = gw_term_result_match_count(*result);
  gw_range *r = realloc(*spans, (count + 1) * sizeof *r);
  if (!r) return GW_ENOMEM;
  *spans = r;
  for (size_t i = 0; i < count; i++) r[i] = gw_term_result_match(*result, i)->range;
  *n = count;
  return GW_OK;
}

/* ---- loading on threads ----
 *
 * --threads threads read, decode and normalize the files (input i on thread
 * i % threads), match their official spans (noise, normalizer and terms
 * are immutable and shared; each thread has its own term result) and
 * prepare them for the index; the main thread takes the prepared documents
 * in input order and adds them, so the index, the failures and the output
 * are those of one thread.  A thread stays at most WINDOW inputs ahead of
 * the main thread (a prepared input waiting is ~10 KB; a small window
 * leaves the loaders waiting whenever the main thread is not scheduled). */
enum { WINDOW = 1024, BATCH = 16 };

typedef struct load_slot {
  gw_dups_input *input; /* NULL when loading or preparing failed */
  int rc;               /* loading */
  int prepare_rc;       /* official spans and preparing */
  int ready;
  gw_error err;
} load_slot;

typedef struct load_shared {
  const gw_cli *cli;
  const gw_document_options *opts;
  const gw_terms *terms;
  const gw_dups *dups;
  size_t loaders;
  load_slot *slots;
  size_t count;
  size_t consumed;    /* inputs the main thread has taken */
  size_t awaited;     /* the input the main thread sleeps for, or SIZE_MAX */
  int loaders_waiting;
  int stop;
  pthread_mutex_t lock;
  pthread_cond_t cond;
} load_shared;

typedef struct load_worker {
  load_shared *sh;
  size_t first;
} load_worker;

static void *load_thread(void *arg) {
  load_worker *w = arg;
  load_shared *sh = w->sh;
  gw_term_result *result = NULL;
  gw_range *spans = NULL;
  for (size_t i = w->first; i < sh->count; i += sh->loaders) {
    pthread_mutex_lock(&sh->lock);
    while (!sh->stop && i >= sh->consumed + WINDOW) {
      sh->loaders_waiting++;
      pthread_cond_wait(&sh->cond, &sh->lock);
      sh->loaders_waiting--;
    }
    int stop = sh->stop;
    pthread_mutex_unlock(&sh->lock);
    if (stop) break;
    load_slot *sl = &sh->slots[i];
    memset(&sl->err, 0, sizeof sl->err);
    gw_document *doc = NULL;
    sl->rc = gw_document_load_file(&doc, sh->cli->inputs[i].path, sh->opts, &sl->err);
    if (!sl->rc) {
      size_t n_spans;
      sl->prepare_rc = official_spans(sh->terms, &result, doc, &spans, &n_spans, &sl->err);
      if (!sl->prepare_rc)
        sl->prepare_rc = gw_dups_prepare(sh->dups, doc, spans, n_spans, &sl->input, &sl->err);
      gw_document_free(doc);
    }
    pthread_mutex_lock(&sh->lock);
    sl->ready = 1;
    if (sh->awaited == i) pthread_cond_broadcast(&sh->cond);
    pthread_mutex_unlock(&sh->lock);
  }
  gw_term_result_free(result);
  free(spans);
  return NULL;
}

/* Load every input (none is stdin) into d, as the loop in run() does.
 * 0, or -1 after a fatal error (reported). */
static int load_parallel(gw_cli *cli, dups_config *cfg, const gw_terms *terms,
                         gw_dups *d, char **paths, size_t *n_out) {
  size_t n = *n_out;
  load_shared sh;
  memset(&sh, 0, sizeof sh);
  sh.cli = cli;
  sh.opts = &cfg->document;
  sh.terms = terms;
  sh.dups = d;
  sh.count = cli->input_count;
  sh.awaited = SIZE_MAX;
  sh.slots = calloc(sh.count, sizeof *sh.slots);
  if (!sh.slots) { gw_cli_error(cli, "out of memory"); return -1; }
  if (pthread_mutex_init(&sh.lock, NULL)) {
    free(sh.slots);
    gw_cli_error(cli, "cannot start threads");
    return -1;
  }
  if (pthread_cond_init(&sh.cond, NULL)) {
    pthread_mutex_destroy(&sh.lock);
    free(sh.slots);
    gw_cli_error(cli, "cannot start threads");
    return -1;
  }
  sh.loaders = cfg->threads;
  load_worker *workers = calloc(sh.loaders, sizeof *workers);
  pthread_t *threads = calloc(sh.loaders, sizeof *threads);
  int *started = calloc(sh.loaders, sizeof *started);
  int rc = 0;
  if (!workers || !threads || !started) { gw_cli_error(cli, "out of memory"); rc = -1; }
  for (size_t t = 0; !rc && t < sh.loaders; t++) {
    workers[t].sh = &sh;
    workers[t].first = t;
    started[t] = pthread_create(&threads[t], NULL, load_thread, &workers[t]) == 0;
    if (!started[t]) { gw_cli_error(cli, "cannot start threads"); rc = -1; break; }
  }
  for (size_t i = 0; !rc && i < sh.count; i++) {
    gw_cli_progress(cli, i, cli->input_count, cli->inputs[i].path);
    load_slot *sl = &sh.slots[i];
    pthread_mutex_lock(&sh.lock);
    /* Woken once per BATCH inputs, not once per input: the wake-ups of a
     * thread sleeping on every document cost more than adding it. */
    if (!sl->ready) {
      size_t batch_end = i + BATCH - 1 < sh.count ? i + BATCH - 1 : sh.count - 1;
      sh.awaited = batch_end;
      while (!sh.slots[batch_end].ready) pthread_cond_wait(&sh.cond, &sh.lock);
    }
    while (!sl->ready) {
      sh.awaited = i;
      pthread_cond_wait(&sh.cond, &sh.lock);
    }
    sh.awaited = SIZE_MAX;
    pthread_mutex_unlock(&sh.lock);
    const char *path = cli->inputs[i].path;
    if (sl->rc) { /* as gw_cli_load reports it */
      if (!sl->err.message[0])
        snprintf(sl->err.message, sizeof sl->err.message, "%s: %s", path, gw_strerror(sl->rc));
      gw_cli_add_failure(cli, path, sl->err.message);
    } else {
      cli->loaded++;
      int r = sl->prepare_rc;
      if (!r) r = gw_dups_add_prepared(d, sl->input, &sl->err);
      gw_dups_input_free(sl->input);
      sl->input = NULL;
      if (r == GW_ENOMEM || r == GW_ETOOBIG) { gw_cli_error(cli, "%s", sl->err.message); rc = -1; }
      else if (r) gw_cli_add_failure(cli, path, sl->err.message);
      else paths[n++] = cli->inputs[i].path;
    }
    pthread_mutex_lock(&sh.lock);
    sh.consumed = i + 1;
    if (sh.loaders_waiting) pthread_cond_broadcast(&sh.cond);
    pthread_mutex_unlock(&sh.lock);
  }
  pthread_mutex_lock(&sh.lock);
  sh.stop = 1;
  pthread_cond_broadcast(&sh.cond);
  pthread_mutex_unlock(&sh.lock);
  for (size_t t = 0; started && t < sh.loaders; t++)
    if (started[t]) pthread_join(threads[t], NULL);
  free(workers);
  free(threads);
  free(started);
  for (size_t i = 0; i < sh.count; i++) gw_dups_input_free(sh.slots[i].input);
  pthread_cond_destroy(&sh.cond);
  pthread_mutex_destroy(&sh.lock);
  free(sh.slots);
  *n_out = n;
  return rc;
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

/* Load, match and add input i of c (stdin included) as the loop of run()
 * does.  0, 1 when the input failed (recorded), -1 after a fatal error
 * (reported). */
static int add_one(gw_cli *c, size_t i, dups_config *cfg, const gw_terms *terms,
                   gw_term_result **result, gw_range **spans, gw_dups *d) {
  gw_error err;
  gw_document *doc;
  if (gw_cli_load(c, i, &cfg->document, &doc)) return 1;
  size_t n_spans;
  int r = official_spans(terms, result, doc, spans, &n_spans, &err);
  if (!r) r = gw_dups_add(d, doc, *spans, n_spans, &err);
  gw_document_free(doc);
  if (r == GW_ENOMEM || r == GW_ETOOBIG) { gw_cli_error(c, "%s", err.message); return -1; }
  if (r) { gw_cli_add_failure(c, c->inputs[i].path, err.message); return 1; }
  return 0;
}

/* The base documents, first in the index; any that cannot be analysed is
 * a fatal error (the results would count its text as copying). */
static int add_base(gw_cli *cli, gw_cli *base, dups_config *cfg, const gw_terms *terms,
                    gw_term_result **result, gw_range **spans, gw_dups *d, char **paths,
                    size_t *n) {
  for (size_t i = 0; i < base->input_count; i++) {
    int r = add_one(base, i, cfg, terms, result, spans, d);
    if (r) {
      if (r > 0) gw_cli_error(cli, "cannot analyse the base document %s", base->inputs[i].path);
      return -1;
    }
    gw_dups_set_base(d, *n, 1, NULL);
    paths[(*n)++] = base->inputs[i].path;
  }
  return 0;
}

static int run(gw_cli *cli, gw_cli *base, dups_config *cfg) {
  gw_error err;
  char *data_dir = gw_cli_data_dir();
  char *noise_path = data_dir ? gw_cli_data_file(data_dir, "noise.txt") : NULL;
  gw_noise *noise = NULL;
  gw_normalizer *nz = NULL;
  gw_dups *d = NULL;
  gw_terms *terms = NULL;
  gw_term_result *result = NULL;
  gw_range *spans = NULL;
  char *terms_path = data_dir && cfg->terms ? gw_cli_data_file(data_dir, "terms.tsv") : NULL;
  char **paths = calloc(base->input_count + cli->input_count + 1, sizeof *paths);
  int rc = -1;
  if (!noise_path || !paths || (cfg->terms && !terms_path)) {
    gw_cli_error(cli, "out of memory");
    goto done;
  }
  if (gw_noise_load(&noise, noise_path, &err) || gw_normalizer_new(&nz, &err) ||
      gw_dups_new(&d, &cfg->dups, &err) ||
      (terms_path && gw_terms_load(&terms, terms_path, &err))) {
    gw_cli_error(cli, "%s", err.message);
    goto done;
  }
  cfg->document.noise = noise;
  cfg->document.normalizer = nz;
  size_t n = 0;
  if (add_base(cli, base, cfg, terms, &result, &spans, d, paths, &n)) goto done;
  size_t n_base = n;
  int has_stdin = 0;
  for (size_t i = 0; i < cli->input_count; i++)
    if (strcmp(cli->inputs[i].path, GW_CLI_STDIN) == 0) has_stdin = 1;
  if (!has_stdin && cli->input_count > 1) {
    if (load_parallel(cli, cfg, terms, d, paths, &n)) goto done;
  } else {
    for (size_t i = 0; i < cli->input_count; i++) {
      gw_cli_progress(cli, i, cli->input_count, cli->inputs[i].path);
      int r = add_one(cli, i, cfg, terms, &result, &spans, d);
      if (r < 0) goto done;
      if (r == 0) paths[n++] = cli->inputs[i].path;
    }
  }
  gw_cli_progress_end(cli);
  if (gw_dups_run(d, &err)) { gw_cli_error(cli, "%s", err.message); goto done; }
  if (output(cli, cfg, d, paths, n_base)) { gw_cli_error(cli, "cannot write the output"); goto done; }
  rc = 0;
done:
  gw_dups_free(d);
  gw_term_result_free(result);
  gw_terms_free(terms);
  free(spans);
  free(terms_path);
  gw_normalizer_free(nz);
  gw_noise_free(noise);
  free(paths);
  free(noise_path);
  free(data_dir);
  return rc;
}

int main(int argc, char **argv) {
  gw_cli cli;
  gw_cli_init(&cli, "gw-dups");
  dups_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.document = (gw_document_options)GW_DOCUMENT_OPTIONS_INIT;
  cfg.dups = (gw_dups_options)GW_DUPS_OPTIONS_INIT;
  cfg.text = 1;
  cfg.terms = 1;
  gw_cli base;
  gw_cli_init(&base, "gw-dups");
  int code = parse_args(argc, argv, &cli, &cfg);
  if (code < 0) {
    int bad = 0;
    for (size_t i = 0; !bad && i < cfg.base_count; i++)
      bad = gw_cli_add_path(&base, cfg.base_paths[i]) || base.failure_count;
    if (bad || gw_cli_collect(&cli, argv + optind, (size_t)(argc - optind), cfg.list_path) ||
        drop_repeated_inputs(&base, &cli)) {
      code = GW_EXIT_FAILURE;
    } else {
      int rc = run(&cli, &base, &cfg);
      code = gw_cli_finish(&cli);
      if (rc) code = GW_EXIT_FAILURE;
    }
  }
  free(cfg.base_paths);
  gw_cli_free(&base);
  gw_cli_free(&cli);
  return code;
}
