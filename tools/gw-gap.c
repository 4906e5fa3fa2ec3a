/* gw-gap — what a draft lacks, as advice a drafter can act on: the sections
 * the reference reports have and the draft does not (or has much shorter),
 * the terms and formulations the references (a corpus folder) or a
 * checklist use and the draft does not, ranked by how much they mark
 * reports of this kind, each with the part of the report the references
 * use it in and one sentence from the body of one of them; the terms only
 * the draft uses; the draft's broken, outdated and stale formulations. */
#include <errno.h>
#include <inttypes.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "grow.h"
#include "options.h"
#include "parallel.h"
#include "positions.h"
#include "terms_json.h"
#include "text_out.h"
#include "gongwen.h"

#define N_SECTIONS (GW_SECTION_OTHER + 1)

/* A general-text document is taken to hold about one word per
 * WORD_CHARS characters (jieba's words on news text are 1.6 characters
 * long, gw-seg's on reports 2.3). */
#define WORD_CHARS 2.0
/* Example sentences of this many characters read best; a shorter one is
 * often a bare list item (三是…), a longer one a whole paragraph. */
#define EXAMPLE_MIN_CHARS 20
#define EXAMPLE_MAX_CHARS 120
/* A section is expected when at least this share of the references have
 * it, and much shorter when the draft's is under this share of the
 * references' median (a third: a short report's sections are often half
 * as long as a long one's, and that is no gap). */
#define SECTION_EXPECTED_SHARE 0.5
#define SECTION_SHORT_SHARE (1.0 / 3.0)

enum output_format { FORMAT_JSON, FORMAT_TEXT };

typedef struct gap_config {
  enum output_format format;
  gw_document_options document;
  gw_terms_options terms;
  const char *draft;
  const char *corpus_dir;
  const char *checklist;
  const char *dict_path;
  gw_opt_strings term_files;
  int no_default_terms;
  double min_share;
  size_t top;
  size_t threads;
  int compact;
} gap_config;

/* ---- text of the normalized view ---- */

/* Code points in s[a, b), line ends excluded. */
static size_t count_chars(const char *s, size_t a, size_t b) {
  size_t n = 0;
  for (size_t i = a; i < b; i++) n += ((unsigned char)s[i] & 0xC0) != 0x80 && s[i] != '\n';
  return n;
}

/* A heading as a name: without its marker (一、 （一）, as the document's
 * structure reads it) and the punctuation that ends it.  Sets *start and
 * returns the length. */
static size_t heading_name(const char *s, size_t len, size_t *start) {
  static const char *const ends[] = {"：", ":", "。", "；", " ", NULL};
  size_t i;
  gw_text_heading_marker(&i, s, len);
  size_t end = len;
  for (int trimmed = 1; trimmed && end > i;) {
    trimmed = 0;
    for (size_t k = 0; ends[k]; k++) {
      size_t n = strlen(ends[k]);
      if (end - i >= n && memcmp(s + end - n, ends[k], n) == 0) {
        end -= n;
        trimmed = 1;
      }
    }
  }
  *start = i;
  return end - i;
}

/* The name of the section paragraph p is in, as this report calls it
 * (malloc'd): its level-1 heading without the number, or the name of its
 * type when it has none (the opening before the first heading). */
static char *section_name_of(const gw_document *doc, const gw_paragraph *p) {
  if (p->section_heading == GW_NO_OFFSET || p->section == GW_SECTION_NONE)
    return strdup(terms_section_label(p->section));
  size_t len, start;
  const char *norm = gw_document_normalized(doc, &len);
  const gw_paragraph *h = gw_document_paragraph_at(doc, p->section_heading);
  const char *text = norm + h->range.norm_start;
  size_t n = heading_name(text, h->range.norm_end - h->range.norm_start, &start);
  return n ? strndup(text + start, n) : strdup(terms_section_label(p->section));
}

/* How often each heading names a section type, across the references. */
typedef struct name_count {
  char *name;
  size_t references;
} name_count;

typedef struct name_tally {
  name_count *items;
  size_t count, cap;
} name_tally;

static int name_tally_add(name_tally *t, char *name) {
  for (size_t i = 0; i < t->count; i++)
    if (strcmp(t->items[i].name, name) == 0) {
      t->items[i].references++;
      free(name);
      return 0;
    }
  if (GW_CLI_GROW(t->items, t->cap, t->count + 1)) return free(name), -1;
  t->items[t->count++] = (name_count){name, 1};
  return 0;
}

/* The name most references give the type (the first seen among equals),
 * or its usual name. */
static const char *name_tally_best(const name_tally *t, gw_section_type type) {
  const name_count *best = NULL;
  for (size_t i = 0; i < t->count; i++)
    if (!best || t->items[i].references > best->references) best = &t->items[i];
  return best ? best->name : terms_section_label(type);
}

static void name_tally_free(name_tally *t) {
  for (size_t i = 0; i < t->count; i++) free(t->items[i].name);
  free(t->items);
}

/* ---- the sections of one report ---- */

/* Which of the section types a report has (a level-1 heading of the
 * type), and the characters under them (their headings excluded). */
typedef struct outline {
  int has[N_SECTIONS];
  size_t characters[N_SECTIONS];
} outline;

static void outline_of(const gw_document *doc, outline *o) {
  memset(o, 0, sizeof *o);
  size_t len;
  const char *norm = gw_document_normalized(doc, &len);
  for (size_t i = 0; i < gw_document_paragraph_count(doc); i++) {
    const gw_paragraph *p = gw_document_paragraph_at(doc, i);
    if (p->section_heading == i) {
      o->has[p->section] = 1;
      continue;
    }
    if (!p->is_title)
      o->characters[p->section] += count_chars(norm, p->range.norm_start, p->range.norm_end);
  }
}

/* The references' sections of one type: how many have it, their lengths
 * (for the median), their names. */
typedef struct section_use {
  size_t references;
  size_t *characters;
  size_t cap;
  name_tally names;
} section_use;

static int section_use_add(section_use *u, size_t characters) {
  if (GW_CLI_GROW(u->characters, u->cap, u->references + 1)) return -1;
  u->characters[u->references++] = characters;
  return 0;
}

static int size_cmp(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return x < y ? -1 : x > y;
}

/* The median length (the lower middle one of an even count). */
static size_t section_use_median(section_use *u) {
  if (!u->references) return 0;
  qsort(u->characters, u->references, sizeof *u->characters, size_cmp);
  return u->characters[(u->references - 1) / 2];
}

/* ---- per term: which references use it, where, and one example ---- */

/* One sentence of a reference that uses a term. */
typedef struct example {
  const char *path; /* the reference, as the inputs name it */
  char *text;       /* the sentence in the normalized view */
  gw_range range;
  size_t line, column; /* where it starts in the reference */
  gw_section_type section;
  char *name;       /* of the section, as the reference calls it */
} example;

static void example_free(example *e) {
  free(e->text);
  free(e->name);
  memset(e, 0, sizeof *e);
}

typedef struct term_use {
  uint64_t documents;
  uint64_t section[N_SECTIONS];           /* occurrences */
  uint64_t section_documents[N_SECTIONS]; /* references using it there */
  int in_draft;
  int broken_in_draft;
  uint64_t draft_count;
  int checklist;
  int has_example;
  int example_good; /* of a length that reads well: no need to look on */
  example example;  /* the chosen sentence */
} term_use;

/* Keep the first example that reads well; until one is found, the first
 * one from the body (never a title or heading).  `at`: the document's
 * positions, built here the first time an example is kept.  GW_OK or
 * GW_ENOMEM. */
static int offer_example(term_use *u, const char *path, const gw_document *doc,
                         gw_positions *at, const gw_term_match *m) {
  if (u->example_good) return GW_OK;
  gw_range r;
  if (gw_term_match_sentence(&r, doc, m) != 1) return GW_OK;
  size_t len;
  const char *norm = gw_document_normalized(doc, &len);
  size_t chars = count_chars(norm, r.norm_start, r.norm_end);
  int good = chars >= EXAMPLE_MIN_CHARS && chars <= EXAMPLE_MAX_CHARS;
  if (u->has_example && !good) return GW_OK;
  const gw_paragraph *p = gw_document_paragraph_at(doc, m->paragraph);
  example e = {path, strndup(norm + r.norm_start, r.norm_end - r.norm_start), r, 0, 0,
               p->section, section_name_of(doc, p)};
  if (!e.text || !e.name || (!at->line_count && gw_positions_build(at, doc))) {
    example_free(&e);
    return GW_ENOMEM;
  }
  gw_positions_at(at, r.start, &e.line, &e.column);
  example_free(&u->example);
  u->example = e;
  u->has_example = 1;
  u->example_good = good;
  return GW_OK;
}

/* ---- options ---- */

static const char *const formats[] = {"json", "text", NULL}; /* enum output_format */

/* Returns -1 to go on, or an exit code. */
static int parse_args(int argc, char **argv, gw_cli *cli, gap_config *cfg) {
  const gw_opt opts[] = {
      {.name = "corpus", .kind = GW_OPT_STRING, .target = &cfg->corpus_dir, .arg = "DIR",
       .help = "reference reports (read recursively; the draft itself\n"
               "is skipped if it is among them)"},
      {.name = "checklist", .kind = GW_OPT_STRING, .target = &cfg->checklist, .arg = "FILE",
       .help = "terms the draft must use, one per line ('#' comments;\n"
               "a term not in the dictionary is added)"},
      {.name = "min-share", .kind = GW_OPT_NUMBER, .target = &cfg->min_share, .arg = "X",
       .help = "consider a corpus term only when at least this share of\n"
               "the references use it (0-1, default 0.2; and two\n"
               "references at least)",
       .lo = 0, .hi = 1},
      gw_opt_top(&cfg->top, "corpus terms listed, most telling first (default 20)", NULL),
      gw_opt_dictionary(&cfg->dict_path),
      gw_opt_format((int *)&cfg->format, formats, "JSON (default) or text for a drafter", NULL),
      gw_opt_compact(&cfg->compact),
      gw_opt_terms(&cfg->term_files),
      gw_opt_no_default_terms(&cfg->no_default_terms),
      gw_opt_year(&cfg->terms.year, "the draft's year for outdated formulations"),
      gw_opt_threads(&cfg->threads),
      gw_opt_encoding(&cfg->document.encoding),
      gw_opt_replace_invalid(&cfg->document.replace_invalid),
      gw_opt_help(),
      gw_opt_version()};
  const gw_opt_table table = {
      "[OPTIONS] DRAFT --corpus DIR | --checklist FILE",
      "What a draft report lacks compared with reference reports (a folder) or a\n"
      "checklist of terms: the sections the references have, the terms they use\n"
      "(ranked by how much they mark reports of this kind, each with an example\n"
      "sentence); the terms only the draft uses; the draft's broken, outdated and\n"
      "stale formulations.\n",
      opts, sizeof opts / sizeof *opts,
      "Exit status: 0 the draft and every reference analysed; 1 some references\n"
      "could not be read (listed in the JSON); 2 usage error, or the draft could\n"
      "not be read.\n"};
  int first;
  int code = gw_opt_parse(cli, &table, argc, argv, &first);
  if (code >= 0) return code;
  if (first != argc - 1) return gw_cli_usage_error(cli, "give exactly one DRAFT file");
  cfg->draft = argv[first];
  if (!cfg->corpus_dir && !cfg->checklist)
    return gw_cli_usage_error(cli, "give --corpus DIR and/or --checklist FILE");
  if (cfg->no_default_terms && !cfg->term_files.count)
    return gw_cli_usage_error(cli, "--no-default-terms needs at least one --terms FILE");
  if (cfg->compact && cfg->format != FORMAT_JSON)
    return gw_cli_usage_error(cli, "--compact is for --format json");
  return -1;
}

/* ---- the checklist: terms one per line (first TAB column) ---- */

/* Appends to a growable buffer; -1 when out of memory. */
static int append(char **buf, size_t *len, size_t *cap, const char *s, size_t n) {
  if (gw_cli_grow((void **)buf, cap, *len + n + 1, 1)) return -1;
  memcpy(*buf + *len, s, n);
  *len += n;
  (*buf)[*len] = '\0';
  return 0;
}

static int checklist_has(char **terms, size_t n, const char *s) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(terms[i], s) == 0) return 1;
  return 0;
}

/* The terms of the checklist; those not in the dictionary are added to it,
 * category 清单 (checklist).  The added lines keep their line numbers (every
 * other line of the file stands as an empty line), so that an error in one
 * names the checklist's own line.  A term listed twice counts once. */
static int load_checklist(gw_cli *cli, gw_terms *terms, const char *path, char ***out,
                          size_t *n) {
  FILE *f = fopen(path, "r");
  if (!f) return gw_cli_error(cli, "%s: cannot read the checklist: %s", path, strerror(errno)), -1;
  char *line = NULL, *extra = NULL;
  size_t line_cap = 0, extra_len = 0, extra_cap = 0, added = 0, out_cap = 0;
  ssize_t got;
  *out = NULL;
  *n = 0;
  int rc = 0;
  errno = 0;
  while (rc == 0 && (got = getline(&line, &line_cap, f)) >= 0) {
    size_t l = strcspn(line, "\t\r\n");
    line[l] = '\0';
    char *s = line;
    while (*s == ' ') s++;
    l = strlen(s);
    while (l && s[l - 1] == ' ') s[--l] = '\0';
    int listed = l && s[0] != '#' && !checklist_has(*out, *n, s);
    if (listed) {
      char *copy = GW_CLI_GROW(*out, out_cap, *n + 1) ? NULL : strdup(s);
      if (!copy) { rc = -1; break; }
      (*out)[(*n)++] = copy;
    }
    if (listed && gw_terms_find(terms, s, l) == GW_NO_OFFSET) {
      rc = append(&extra, &extra_len, &extra_cap, s, l) ||
           append(&extra, &extra_len, &extra_cap, "\t\xE6\xB8\x85\xE5\x8D\x95", 7);
      added++;
    }
    if (rc == 0) rc = append(&extra, &extra_len, &extra_cap, "\n", 1);
    errno = 0;
  }
  int read_errno = rc == 0 && ferror(f) ? (errno ? errno : EIO) : 0;
  fclose(f);
  free(line);
  if (read_errno) {
    gw_cli_error(cli, "%s: cannot read the checklist: %s", path, strerror(read_errno));
    rc = -1;
  } else if (rc) {
    gw_cli_error(cli, "out of memory");
  } else if (added) {
    gw_error err;
    if (gw_terms_add_buffer(terms, path, extra, extra_len, &err))
      rc = (gw_cli_error(cli, "%s", err.message), -1);
  }
  free(extra);
  return rc;
}

typedef struct resources {
  char *data_dir;
  gw_terms *terms;
  gw_dict *dict;
  gw_noise *noise;
  gw_normalizer *normalizer;
  char **checklist;
  size_t checklist_count;
} resources;

static void resources_free(resources *r) {
  gw_terms_free(r->terms);
  gw_dict_free(r->dict);
  gw_normalizer_free(r->normalizer);
  gw_noise_free(r->noise);
  free(r->data_dir);
  for (size_t i = 0; i < r->checklist_count; i++) free(r->checklist[i]);
  free(r->checklist);
}

static int open_resources(gw_cli *cli, gap_config *cfg, resources *r) {
  gw_error err;
  r->data_dir = gw_cli_data_dir();
  if (!r->data_dir) return gw_cli_error(cli, "out of memory"), -1;
  if (terms_load_for_tool(cli, r->data_dir, cfg->no_default_terms,
                          cfg->term_files.items, cfg->term_files.count,
                          &r->terms))
    return -1;
  if (cfg->checklist &&
      load_checklist(cli, r->terms, cfg->checklist, &r->checklist, &r->checklist_count))
    return -1;
  char *dict_path = cfg->dict_path ? strdup(cfg->dict_path)
                                   : gw_cli_data_file(r->data_dir, "gongwen.gwd");
  int drc = dict_path ? gw_dict_load_file(&r->dict, dict_path, &err) : GW_ENOMEM;
  free(dict_path);
  if (drc) return gw_cli_error(cli, "%s", drc == GW_ENOMEM ? "out of memory" : err.message), -1;
  char *noise_path = gw_cli_data_file(r->data_dir, "noise.txt");
  if (!noise_path) return gw_cli_error(cli, "out of memory"), -1;
  int rc = gw_noise_load_file(&r->noise, noise_path, &err);
  free(noise_path);
  if (rc) return gw_cli_error(cli, "%s", err.message), -1;
  if (gw_normalizer_new(&r->normalizer, &err)) return gw_cli_error(cli, "%s", err.message), -1;
  cfg->document.noise = r->noise;
  cfg->document.normalizer = r->normalizer;
  return 0;
}

/* ---- the references: loaded and matched on workers, tallied in order ---- */

typedef struct gap_run {
  gw_cli *cli;
  gap_config *cfg;
  const gw_terms *terms;
  term_use *use;
  uint8_t *seen;
  size_t n;
  uint64_t references;
  uint64_t reference_characters;
  section_use sections[N_SECTIONS];
  int draft_stat;
  struct stat draft_st;
  int rc;
} gap_run;

typedef struct gap_work {
  int skipped; /* the draft itself, found in the corpus */
  int load_rc;
  char *load_message;
  gw_document *doc;
  gw_term_result *result;
  gw_error err;
} gap_work;

static void *gap_prepare(void *vrun, unsigned worker, size_t index) {
  gap_run *run = vrun;
  (void)worker;
  gap_work *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  const char *path = run->cli->inputs[index + 1].path;
  struct stat st;
  if (run->draft_stat && stat(path, &st) == 0 && st.st_dev == run->draft_st.st_dev &&
      st.st_ino == run->draft_st.st_ino) {
    w->skipped = 1;
    return w;
  }
  w->load_rc = gw_cli_load_input(run->cli, index + 1, &run->cfg->document, &w->doc,
                                 &w->load_message);
  if (w->load_rc == GW_OK &&
      gw_terms_match(&w->result, run->terms, w->doc, &run->cfg->terms, &w->err) != GW_OK)
    w->result = NULL;
  return w;
}

static void gap_discard(void *vrun, void *vwork) {
  (void)vrun;
  gap_work *w = vwork;
  if (!w) return;
  gw_term_result_free(w->result);
  gw_document_free(w->doc);
  free(w->load_message);
  free(w);
}

/* A reference's sections: which it has, how long, what it calls them. */
static int tally_outline(gap_run *run, const gw_document *doc) {
  outline o;
  outline_of(doc, &o);
  for (int s = GW_SECTION_WORK_DONE; s < GW_SECTION_OTHER; s++)
    if (o.has[s] && section_use_add(&run->sections[s], o.characters[s])) return GW_ENOMEM;
  /* Each name once per reference: the first heading of the type. */
  for (size_t i = 0; i < gw_document_paragraph_count(doc); i++) {
    const gw_paragraph *p = gw_document_paragraph_at(doc, i);
    gw_section_type s = p->section;
    if (p->section_heading != i || s == GW_SECTION_NONE || s == GW_SECTION_OTHER ||
        !o.has[s])
      continue;
    o.has[s] = 0;
    char *name = section_name_of(doc, p);
    if (!name || name_tally_add(&run->sections[s].names, name)) return GW_ENOMEM;
  }
  return GW_OK;
}

static int tally_reference(gap_run *run, const char *path, const gw_document *doc,
                           const gw_term_result *res) {
  run->references++;
  run->reference_characters += gw_document_char_count(doc);
  gw_positions at = {0};
  int rc = GW_OK;
  memset(run->seen, 0, run->n * N_SECTIONS);
  for (size_t k = 0; k < gw_term_result_match_count(res); k++) {
    const gw_term_match *m = gw_term_result_match_at(res, k);
    if (m->kind == GW_TERM_OVERLAPPING) continue;
    term_use *u = &run->use[m->term];
    uint8_t *seen = &run->seen[m->term * N_SECTIONS];
    u->section[m->section]++;
    if (!seen[m->section]) u->section_documents[m->section]++;
    int first = 1;
    for (int s = 0; s < N_SECTIONS; s++) first &= !seen[s];
    if (first) u->documents++;
    seen[m->section] = 1;
    if ((rc = offer_example(u, path, doc, &at, m))) break;
  }
  gw_positions_free(&at);
  return rc ? rc : tally_outline(run, doc);
}

static int gap_consume(void *vrun, size_t index, void *vwork) {
  gap_run *run = vrun;
  gap_work *w = vwork;
  const char *path = run->cli->inputs[index + 1].path;
  if (!w) return run->rc = GW_ENOMEM;
  if (!w->skipped &&
      gw_cli_loaded(run->cli, index + 1, w->load_rc, w->load_message) == GW_ENOMEM)
    run->rc = GW_ENOMEM;
  else if (!w->skipped && w->load_rc == GW_OK && !w->result)
    gw_cli_add_failure(run->cli, path, w->err.message);
  else if (!w->skipped && w->load_rc == GW_OK && tally_reference(run, path, w->doc, w->result))
    run->rc = GW_ENOMEM;
  gap_discard(run, w);
  return run->rc;
}

/* ---- the report ---- */

static double round_to(double x, double unit) {
  return (double)(long long)(x / unit + 0.5) * unit;
}

/* Whether the draft's year has left a term behind: replaced (a newer
 * formulation, a new name, the next congress) or a campaign ended before
 * it.  Such a term is no advice, whatever the references of earlier years
 * wrote. */
static int out_of_date(const gw_terms *terms, const gw_term *t, int year) {
  if (!year) return 0;
  if (t->superseded_by) {
    size_t s = gw_terms_find(terms, t->superseded_by, strlen(t->superseded_by));
    int since = t->ended ? t->ended
                         : s != GW_NO_OFFSET ? gw_terms_term_at(terms, s)->introduced : 0;
    return since && year > since;
  }
  return t->ended && year > t->ended;
}

/* The share of general-text documents as long as the average reference
 * expected to use the term (any of its forms), from the dictionary's word
 * frequencies: 1 - (1 - p)^words, each word drawn on its own. */
static double general_share(const gw_terms *terms, const gw_dict *dict, size_t index,
                            uint64_t words) {
  const gw_term *t = gw_terms_term_at(terms, index);
  double p = gw_dict_probability(dict, t->text, strlen(t->text));
  for (size_t v = 0; v < t->variant_count; v++) {
    const char *form = gw_terms_variant_at(terms, index, v);
    double q = gw_dict_probability(dict, form, strlen(form));
    if (q > p) p = q;
  }
  double none = 1, base = 1 - p;
  for (uint64_t w = words; w; w >>= 1, base *= base)
    if (w & 1) none *= base;
  return 1 - none;
}

typedef struct missing_item {
  size_t term;
  int checklist;
  uint64_t documents;
  double share, general, score;
} missing_item;

/* Checklist terms first (they are required), then the most telling. */
static int missing_cmp(const void *a, const void *b) {
  const missing_item *x = a, *y = b;
  if (x->checklist != y->checklist) return x->checklist ? -1 : 1;
  if (x->score != y->score) return x->score > y->score ? -1 : 1;
  if (x->documents != y->documents) return x->documents > y->documents ? -1 : 1;
  return x->term < y->term ? -1 : x->term > y->term;
}

typedef struct gap_report {
  const gap_config *cfg;
  const gw_terms *terms;
  const gw_dict *dict;
  term_use *use;
  size_t n;
  uint64_t references;
  uint64_t words;          /* of the average reference (WORD_CHARS) */
  section_use *sections;   /* N_SECTIONS */
  const char *names[N_SECTIONS];
  int year;
} gap_report;

/* The terms the draft lacks: every checklist term, and the corpus terms
 * used by min_share of the references (two at least), ranked, the first
 * `top` of them (malloc'd, NULL when out of memory).  *omitted: corpus
 * terms beyond top. */
static missing_item *missing_items(const gap_report *g, size_t *count, size_t *omitted) {
  missing_item *miss = calloc(g->n ? g->n : 1, sizeof *miss);
  size_t nm = 0, listed = 0, corpus_listed = 0;
  *count = *omitted = 0;
  if (!miss) return NULL;
  uint64_t floor_documents = g->references >= 2 ? 2 : 1;
  for (size_t t = 0; t < g->n; t++) {
    const term_use *u = &g->use[t];
    if (u->in_draft || u->broken_in_draft) continue;
    double share = g->references ? (double)u->documents / (double)g->references : 0;
    int by_corpus = u->documents >= floor_documents &&
                    share >= g->cfg->min_share - 1e-9 &&
                    !out_of_date(g->terms, gw_terms_term_at(g->terms, t), g->year);
    if (!u->checklist && !by_corpus) continue;
    double general = general_share(g->terms, g->dict, t, g->words);
    miss[nm++] = (missing_item){t, u->checklist, u->documents, share, general,
                                share * (1 - general)};
  }
  qsort(miss, nm, sizeof *miss, missing_cmp);
  for (size_t j = 0; j < nm; j++) {
    if (!miss[j].checklist && corpus_listed++ >= g->cfg->top) (*omitted)++;
    else miss[listed++] = miss[j];
  }
  *count = listed;
  return miss;
}

static void write_example(gw_json *w, const example *e) {
  gw_json_object_begin(w);
  gw_json_member_path(w, "path", e->path);
  gw_json_member_string(w, "text", e->text);
  gw_json_member_uint(w, "start", e->range.start);
  gw_json_member_uint(w, "end", e->range.end);
  gw_json_member_uint(w, "line", e->line);
  gw_json_member_uint(w, "column", e->column);
  gw_json_member_string(w, "section", gw_section_type_name(e->section));
  gw_json_member_string(w, "name", e->name);
  gw_json_object_end(w);
}

static void write_missing(gw_json *w, const gap_report *g, const missing_item *m) {
  const term_use *u = &g->use[m->term];
  const gw_term *term = gw_terms_term_at(g->terms, m->term);
  gw_json_object_begin(w);
  gw_json_member_string(w, "term", term->text);
  gw_json_member_string(w, "category", term->category);
  gw_json_key(w, "checklist");
  gw_json_bool(w, u->checklist);
  gw_json_member_uint(w, "documents", u->documents);
  gw_json_member_number(w, "share", round_to(m->share, 0.01));
  gw_json_member_number(w, "general", round_to(m->general, 0.001));
  gw_json_member_number(w, "score", round_to(m->score, 0.001));
  gw_json_key(w, "sections");
  gw_json_array_begin(w);
  for (int s = 0; s < N_SECTIONS; s++) {
    if (!u->section[s]) continue;
    gw_json_object_begin(w);
    gw_json_member_string(w, "section", gw_section_type_name((gw_section_type)s));
    gw_json_member_string(w, "name", g->names[s]);
    gw_json_member_uint(w, "documents", u->section_documents[s]);
    gw_json_member_uint(w, "count", u->section[s]);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
  gw_json_key(w, "example");
  if (u->has_example) write_example(w, &u->example);
  else gw_json_null(w);
  gw_json_object_end(w);
}

/* The draft's sections.  A heading that holds the name the references
 * give another section covers that one too (存在问题及下一步工作打算 holds
 * 下一步工作打算): one section, under two names. */
static void draft_outline_of(const gap_report *g, const gw_document *draft, outline *o) {
  outline_of(draft, o);
  for (size_t i = 0; i < gw_document_paragraph_count(draft); i++) {
    const gw_paragraph *p = gw_document_paragraph_at(draft, i);
    if (p->section_heading != i) continue;
    char *name = section_name_of(draft, p);
    for (int s = GW_SECTION_WORK_DONE; name && s < GW_SECTION_OTHER; s++) {
      const name_tally *names = &g->sections[s].names;
      for (size_t k = 0; !o->has[s] && k < names->count; k++)
        if (strstr(name, names->items[k].name)) {
          o->has[s] = 1;
          o->characters[s] = o->characters[p->section];
        }
    }
    free(name);
  }
}

/* A section the references have or the draft has, against the draft's:
 * "missing" when half the references or more have one the draft lacks,
 * "shorter" when the draft's is under a third of the references' median
 * length. */
typedef struct structure_row {
  gw_section_type section;
  size_t references, median;
  int draft_has;
  size_t draft_characters;
  const char *gap; /* NULL: none */
} structure_row;

static size_t structure_rows(const gap_report *g, const outline *draft,
                             structure_row rows[N_SECTIONS]) {
  size_t n = 0;
  for (int s = GW_SECTION_WORK_DONE; s < GW_SECTION_OTHER; s++) {
    section_use *u = &g->sections[s];
    if (!u->references && !draft->has[s]) continue;
    size_t median = section_use_median(u);
    const char *gap = NULL;
    if (!draft->has[s] &&
        (double)u->references >= SECTION_EXPECTED_SHARE * (double)g->references)
      gap = "missing";
    else if (draft->has[s] && u->references &&
             (double)draft->characters[s] < SECTION_SHORT_SHARE * (double)median)
      gap = "shorter";
    rows[n++] = (structure_row){(gw_section_type)s, u->references, median, draft->has[s],
                                draft->characters[s], gap};
  }
  return n;
}

static void write_structure(gw_json *w, const gap_report *g, const structure_row *rows,
                            size_t n) {
  gw_json_array_begin(w);
  for (size_t i = 0; i < n; i++) {
    const structure_row *r = &rows[i];
    gw_json_object_begin(w);
    gw_json_member_string(w, "section", gw_section_type_name(r->section));
    gw_json_member_string(w, "name", g->names[r->section]);
    gw_json_member_uint(w, "references", r->references);
    gw_json_member_uint(w, "median_characters", r->median);
    gw_json_key(w, "draft_characters");
    if (r->draft_has) gw_json_uint(w, r->draft_characters);
    else gw_json_null(w);
    gw_json_key(w, "gap");
    if (r->gap) gw_json_string(w, r->gap);
    else gw_json_null(w);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
}

/* Terms the draft uses and no reference does. */
static int is_unique(const gap_report *g, size_t t) {
  return g->cfg->corpus_dir && g->use[t].draft_count && !g->use[t].documents;
}

static void write_unique(gw_json *w, const gap_report *g) {
  gw_json_array_begin(w);
  for (size_t t = 0; t < g->n; t++) {
    if (!is_unique(g, t)) continue;
    gw_json_object_begin(w);
    gw_json_member_string(w, "term", gw_terms_term_at(g->terms, t)->text);
    gw_json_member_string(w, "category", gw_terms_term_at(g->terms, t)->category);
    gw_json_member_uint(w, "count", g->use[t].draft_count);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
}

/* What the report says, worked out before anything is written. */
typedef struct gap_findings {
  const gw_document *draft;
  gw_positions draft_positions;
  const gw_term_result *result;
  structure_row rows[N_SECTIONS];
  size_t row_count;
  missing_item *missing;
  size_t missing_count, omitted;
} gap_findings;

/* The JSON on stdout, whole or not at all: GW_OK, GW_ENOMEM or GW_EIO. */
static int print_json(const gw_cli *cli, const gap_report *g, const gap_findings *f) {
  gw_json w;
  gw_json_init(&w, NULL, !g->cfg->compact);
  gw_json_object_begin(&w);
  gw_json_member_path(&w, "draft", cli->inputs[0].path);
  gw_json_key(&w, "year");
  if (g->year) gw_json_int(&w, g->year);
  else gw_json_null(&w);
  gw_json_member_uint(&w, "references", g->references);
  gw_json_member_number(&w, "min_share", g->cfg->min_share);
  gw_json_member_uint(&w, "top", g->cfg->top);
  gw_json_key(&w, "structure");
  write_structure(&w, g, f->rows, f->row_count);
  gw_json_key(&w, "missing");
  gw_json_array_begin(&w);
  for (size_t i = 0; i < f->missing_count; i++) write_missing(&w, g, &f->missing[i]);
  gw_json_array_end(&w);
  gw_json_member_uint(&w, "omitted", f->omitted);
  gw_json_key(&w, "unique");
  write_unique(&w, g);
  terms_json_findings(&w, g->terms, f->draft, &f->draft_positions, f->result);
  gw_cli_write_errors_last(&w, cli);
  gw_json *const parts[] = {&w};
  int rc = gw_json_write_parts(stdout, parts, 1);
  gw_json_finish(&w);
  return rc;
}

/* ---- --format text: advice for a drafter ---- */

static void print_structure(const gap_report *g, const gap_findings *f) {
  int any = 0;
  for (size_t i = 0; i < f->row_count; i++) {
    const structure_row *r = &f->rows[i];
    if (!r->gap) continue;
    if (!any++) printf("Sections:\n");
    if (strcmp(r->gap, "missing") == 0)
      printf("  missing  %s: %zu of %" PRIu64 " references have this section; the draft has none\n",
             g->names[r->section], r->references, g->references);
    else
      printf("  shorter  %s: %zu characters in the draft, %zu in the median reference\n",
             g->names[r->section], r->draft_characters, r->median);
  }
  if (!any && g->references)
    printf("Sections: the draft has every section most references have.\n");
  if (g->references) printf("\n");
}

/* "in 工作开展情况 (4 of them), 下一步工作打算 (1)": the parts that use
 * it most first. */
static void print_parts(const gap_report *g, const term_use *u) {
  int printed[N_SECTIONS] = {0};
  for (int n = 0;; n++) {
    int best = -1;
    for (int s = 0; s < N_SECTIONS; s++)
      if (u->section[s] && !printed[s] &&
          (best < 0 || u->section_documents[s] > u->section_documents[best]))
        best = s;
    if (best < 0) break;
    printf(n ? ", %s (%" PRIu64 ")" : ", in %s (%" PRIu64 " of them)", g->names[best],
           u->section_documents[best]);
    printed[best] = 1;
  }
}

static void print_missing(const gap_report *g, const gap_findings *f) {
  printf("Terms the draft lacks");
  if (g->references) printf(" (most telling first: used by many references, rare in general text)");
  printf(":\n");
  for (size_t i = 0; i < f->missing_count; i++) {
    const term_use *u = &g->use[f->missing[i].term];
    const gw_term *term = gw_terms_term_at(g->terms, f->missing[i].term);
    printf("%3zu. %s  [%s]", i + 1, term->text, term->category);
    if (u->checklist) printf("  (on the checklist)");
    printf("\n");
    if (g->references) {
      printf("     used by %" PRIu64 " of %" PRIu64 " references", u->documents, g->references);
      print_parts(g, u);
      printf("\n");
    }
    if (u->has_example) {
      const example *e = &u->example;
      printf("     e.g. \xE2\x80\x9C");
      gw_text_put_excerpt(stdout, e->text, strlen(e->text), 100);
      printf("\xE2\x80\x9D\n          (");
      gw_text_put_name(stdout, e->path);
      printf(" line %zu, %s)\n", e->line, e->name);
    }
  }
  if (!f->missing_count) printf("  none\n");
  if (f->omitted) printf("  ... and %zu more (--top N lists more)\n", f->omitted);
}

static void print_text(const gw_cli *cli, const gap_report *g, const gap_findings *f) {
  const gap_config *cfg = g->cfg;
  printf("Draft ");
  gw_text_put_name(stdout, cli->inputs[0].path);
  if (g->year) printf(" (year %d)", g->year);
  else printf(" (year unknown)");
  if (cfg->corpus_dir) printf(", compared with %" PRIu64 " reference reports", g->references);
  if (cfg->checklist) printf("%s the checklist", cfg->corpus_dir ? " and" : ", checked against");
  printf("\n\n");
  print_structure(g, f);
  print_missing(g, f);
  if (cfg->corpus_dir) {
    int n = 0;
    printf("\nTerms no reference uses:\n");
    for (size_t t = 0; t < g->n; t++) {
      if (!is_unique(g, t)) continue;
      n++;
      printf("  %s  [%s]", gw_terms_term_at(g->terms, t)->text,
             gw_terms_term_at(g->terms, t)->category);
      if (g->use[t].draft_count > 1) printf(", %" PRIu64 " times", g->use[t].draft_count);
      printf("\n");
    }
    if (!n) printf("  none\n");
  }
  printf("\nBroken, outdated and stale formulations in the draft:\n");
  if (!terms_text_findings(stdout, "  ", g->terms, f->draft, &f->draft_positions, f->result))
    printf("  none\n");
  terms_text_errors(stdout, cli);
}

/* The report, as JSON or text: GW_OK, GW_ENOMEM or GW_EIO. */
static int report(const gw_cli *cli, const gap_report *g, const gw_document *draft,
                  const gw_term_result *dres) {
  gap_findings f;
  memset(&f, 0, sizeof f);
  f.draft = draft;
  f.result = dres;
  outline draft_outline;
  draft_outline_of(g, draft, &draft_outline);
  f.row_count = structure_rows(g, &draft_outline, f.rows);
  f.missing = missing_items(g, &f.missing_count, &f.omitted);
  int rc = f.missing ? gw_positions_build(&f.draft_positions, draft) : GW_ENOMEM;
  if (rc == GW_OK && g->cfg->format == FORMAT_TEXT) print_text(cli, g, &f);
  else if (rc == GW_OK) rc = print_json(cli, g, &f);
  gw_positions_free(&f.draft_positions);
  free(f.missing);
  return rc;
}

/* ---- main work ---- */

static void gap_run_free(gap_run *run) {
  for (size_t t = 0; run->use && t < run->n; t++) example_free(&run->use[t].example);
  free(run->use);
  free(run->seen);
  for (int s = 0; s < N_SECTIONS; s++) {
    free(run->sections[s].characters);
    name_tally_free(&run->sections[s].names);
  }
}

/* What the draft uses and quotes broken: neither is missing. */
static void mark_draft(term_use *use, const gw_term_result *dres) {
  for (size_t i = 0; i < gw_term_result_match_count(dres); i++) {
    const gw_term_match *m = gw_term_result_match_at(dres, i);
    use[m->term].in_draft = 1;
    if (m->kind == GW_TERM_COUNTED) use[m->term].draft_count++;
  }
  for (size_t i = 0; i < gw_term_result_broken_count(dres); i++)
    use[gw_term_result_broken_at(dres, i)->term].broken_in_draft = 1;
}

/* 0 ok; GW_ENOMEM; *draft_failed when the draft cannot be analysed. */
static int run(gw_cli *cli, gap_config *cfg, resources *r, int *draft_failed) {
  gap_run state;
  memset(&state, 0, sizeof state);
  state.cli = cli;
  state.cfg = cfg;
  state.terms = r->terms;
  state.n = gw_terms_term_count(r->terms);
  state.use = calloc(state.n ? state.n : 1, sizeof *state.use);
  state.seen = calloc(state.n ? state.n : 1, N_SECTIONS);
  if (!state.use || !state.seen) return gap_run_free(&state), GW_ENOMEM;
  for (size_t i = 0; i < r->checklist_count; i++) {
    size_t t = gw_terms_find(r->terms, r->checklist[i], strlen(r->checklist[i]));
    if (t != GW_NO_OFFSET) state.use[t].checklist = 1;
  }
  state.draft_stat = stat(cfg->draft, &state.draft_st) == 0;
  /* Input 0 is the draft; the references follow. */
  gw_document *draft = NULL;
  gw_term_result *dres = NULL;
  gw_error err;
  int load_rc = gw_cli_load(cli, 0, &cfg->document, &draft); /* says why itself */
  int match_rc = load_rc ? GW_OK : gw_terms_match(&dres, r->terms, draft, &cfg->terms, &err);
  if (match_rc && match_rc != GW_ENOMEM)
    gw_cli_error(cli, "%s: %s", cli->inputs[0].path, err.message);
  if (load_rc || match_rc) {
    *draft_failed = 1;
    gw_document_free(draft);
    gap_run_free(&state);
    /* main says "out of memory" */
    return load_rc == GW_ENOMEM || match_rc == GW_ENOMEM ? GW_ENOMEM : GW_OK;
  }
  mark_draft(state.use, dres);
  if (cli->input_count > 1)
    gw_par_map(cli->input_count - 1, (unsigned)cfg->threads, gap_prepare, gap_consume,
               gap_discard, &state);
  int rc = state.rc;
  gap_report g = {cfg, r->terms, r->dict, state.use, state.n, state.references, 0,
                  state.sections, {NULL}, gw_term_result_year(dres)};
  if (state.references)
    g.words = (uint64_t)((double)state.reference_characters / (double)state.references /
                             WORD_CHARS + 0.5);
  for (int s = 0; s < N_SECTIONS; s++)
    g.names[s] = s == GW_SECTION_NONE || s == GW_SECTION_OTHER
                     ? terms_section_label((gw_section_type)s)
                     : name_tally_best(&state.sections[s].names, (gw_section_type)s);
  if (rc == GW_OK) rc = report(cli, &g, draft, dres);
  gap_run_free(&state);
  gw_term_result_free(dres);
  gw_document_free(draft);
  return rc;
}

int main(int argc, char **argv) {
  gw_cli cli;
  gw_cli_init(&cli, "gw-gap");
  gap_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.document = (gw_document_options)GW_DOCUMENT_OPTIONS_INIT;
  cfg.terms = (gw_terms_options)GW_TERMS_OPTIONS_INIT;
  cfg.min_share = 0.2;
  cfg.top = 20;
  cfg.threads = gw_par_default_threads();
  int code = parse_args(argc, argv, &cli, &cfg);
  resources res;
  memset(&res, 0, sizeof res);
  if (code < 0) {
    int draft_failed = 0;
    struct stat st;
    if (stat(cfg.draft, &st) == 0 && S_ISDIR(st.st_mode)) {
      gw_cli_error(&cli, "%s: cannot read the draft: it is a folder (give one file)", cfg.draft);
      code = GW_EXIT_FAILURE;
    } else if (gw_cli_add_path(&cli, cfg.draft) || cli.input_count != 1 ||
        (cfg.corpus_dir && gw_cli_add_path(&cli, cfg.corpus_dir)) ||
        open_resources(&cli, &cfg, &res)) {
      code = GW_EXIT_FAILURE;
    } else {
      int rc = run(&cli, &cfg, &res, &draft_failed);
      if (rc == GW_ENOMEM) gw_cli_error(&cli, "out of memory");
      code = gw_cli_finish(&cli);
      if (rc == GW_ENOMEM || rc == GW_EIO || draft_failed) code = GW_EXIT_FAILURE;
    }
  }
  resources_free(&res);
  free(cfg.term_files.items);
  gw_cli_free(&cli);
  return code;
}
