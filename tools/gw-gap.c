/* gw-gap — what a draft lacks: the terms and formulations that reference
 * reports (a corpus folder) or a checklist use and the draft does not, the
 * terms only the draft uses, and the draft's broken and outdated
 * formulations. */
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "options.h"
#include "parallel.h"
#include "terms_json.h"
#include "gongwen.h"

#define N_SECTIONS (GW_SECTION_OTHER + 1)

enum output_format { FORMAT_JSON, FORMAT_TEXT };

typedef struct gap_config {
  enum output_format format;
  gw_document_options document;
  gw_terms_options terms;
  const char *draft;
  const char *corpus_dir;
  const char *checklist;
  gw_opt_strings term_files;
  int no_default_terms;
  double min_share;
  size_t threads;
  int compact;
} gap_config;

/* Per term: which references use it, where, and one example. */
typedef struct term_use {
  uint64_t documents;
  uint64_t section[N_SECTIONS];
  int in_draft;
  uint64_t draft_count;
  int checklist;
  cJSON *example; /* the first reference's sentence */
} term_use;

/* ---- sentences ---- */

static int is_sentence_end(const char *s, size_t i, size_t *len) {
  static const char *const ends[] = {"\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F", "\xEF\xBC\x9B"};
  for (size_t k = 0; k < 4; k++)
    if (memcmp(s + i, ends[k], 3) == 0) { *len = 3; return 1; }
  if (s[i] == '!' || s[i] == '?' || s[i] == ';') { *len = 1; return 1; }
  return 0;
}

/* The sentence around a match: from after the previous 。！？； in the
 * paragraph to its next one (included). */
static cJSON *example_json(const char *path, const gw_document *doc, const gw_term_match *m) {
  size_t len;
  const char *norm = gw_document_normalized(doc, &len);
  const gw_paragraph *p = gw_document_paragraph(doc, m->paragraph);
  size_t a = p->range.norm_start, b = p->range.norm_end, el;
  for (size_t i = p->range.norm_start; i < m->range.norm_start; i++)
    if (i + 3 <= len && is_sentence_end(norm, i, &el) && i + el <= m->range.norm_start) a = i + el;
  size_t e = b;
  for (size_t i = m->range.norm_end; i < b; i++)
    if (i + 3 <= len && is_sentence_end(norm, i, &el)) { e = i + el < b ? i + el : b; break; }
  cJSON *o = cJSON_CreateObject();
  gw_cli_json_add_path(o, "path", path);
  char *s = strndup(norm + a, e - a);
  cJSON_AddStringToObject(o, "text", s ? s : "");
  free(s);
  cJSON_AddNumberToObject(o, "start", (double)gw_document_to_original(doc, a));
  cJSON_AddNumberToObject(o, "end", (double)gw_document_to_original_end(doc, e));
  cJSON_AddStringToObject(o, "section", gw_section_type_name(p->section));
  return o;
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
       .help = "report a corpus term when at least this share of the\n"
               "references use it (0-1, default 0.5)",
       .lo = 0, .hi = 1},
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
      "checklist of terms, the terms only the draft uses, and the draft's broken\n"
      "and outdated formulations.\n",
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
  if (*len + n + 1 > *cap) {
    size_t want = (*len + n + 1) * 2;
    char *grown = realloc(*buf, want);
    if (!grown) return -1;
    *buf = grown;
    *cap = want;
  }
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
  size_t line_cap = 0, extra_len = 0, extra_cap = 0, added = 0;
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
      char **v = realloc(*out, (*n + 1) * sizeof *v);
      char *copy = v ? strdup(s) : NULL;
      if (v) *out = v;
      if (!copy) { rc = -1; break; }
      v[(*n)++] = copy;
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

/* ---- main work ---- */

typedef struct resources {
  char *data_dir;
  gw_terms *terms;
  gw_noise *noise;
  gw_normalizer *normalizer;
  char **checklist;
  size_t checklist_count;
} resources;

static void resources_free(resources *r) {
  gw_terms_free(r->terms);
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
  char *noise_path = gw_cli_data_file(r->data_dir, "noise.txt");
  int rc = gw_noise_load(&r->noise, noise_path, &err);
  free(noise_path);
  if (rc) return gw_cli_error(cli, "%s", err.message), -1;
  if (gw_normalizer_new(&r->normalizer, &err)) return gw_cli_error(cli, "%s", err.message), -1;
  cfg->document.noise = r->noise;
  cfg->document.normalizer = r->normalizer;
  return 0;
}

typedef struct missing_item {
  size_t term;
  uint64_t documents;
} missing_item;

static int missing_cmp(const void *a, const void *b) {
  const missing_item *x = a, *y = b;
  if (x->documents != y->documents) return x->documents > y->documents ? -1 : 1;
  return x->term < y->term ? -1 : x->term > y->term;
}

static void print_text(const cJSON *o) {
  const cJSON *e, *s;
  const cJSON *refs = cJSON_GetObjectItemCaseSensitive(o, "references");
  gw_cli_put_json_path(stdout, o, "draft");
  printf(": compared with %d reference reports", refs ? (int)refs->valuedouble : 0);
  const cJSON *year = cJSON_GetObjectItemCaseSensitive(o, "year");
  if (cJSON_IsNumber(year)) printf(" (year %d)", (int)year->valuedouble);
  printf("\n\nMissing terms:\n");
  int n = 0;
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(o, "missing")) {
    n++;
    printf("  %s [%s]", cJSON_GetObjectItemCaseSensitive(e, "term")->valuestring,
           cJSON_GetObjectItemCaseSensitive(e, "category")->valuestring);
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "checklist"))) printf(" (checklist)");
    printf(": used by %d of %d references", (int)cJSON_GetObjectItemCaseSensitive(e, "documents")->valuedouble,
           refs ? (int)refs->valuedouble : 0);
    int first = 1;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(e, "sections")) {
      printf("%s%s %d", first ? ", in " : ", ", cJSON_GetObjectItemCaseSensitive(s, "section")->valuestring,
             (int)cJSON_GetObjectItemCaseSensitive(s, "count")->valuedouble);
      first = 0;
    }
    printf("\n");
    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(e, "example");
    if (cJSON_IsObject(ex)) {
      printf("      e.g. %s (", cJSON_GetObjectItemCaseSensitive(ex, "text")->valuestring);
      gw_cli_put_json_path(stdout, ex, "path");
      printf(")\n");
    }
  }
  if (!n) printf("  none\n");
  printf("\nTerms no reference uses:\n");
  n = 0;
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(o, "unique")) {
    n++;
    printf("  %s [%s] x%d\n", cJSON_GetObjectItemCaseSensitive(e, "term")->valuestring,
           cJSON_GetObjectItemCaseSensitive(e, "category")->valuestring,
           (int)cJSON_GetObjectItemCaseSensitive(e, "count")->valuedouble);
  }
  if (!n) printf("  none\n");
  printf("\nBroken formulations:\n");
  n = 0;
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(o, "broken")) {
    n++;
    printf("  %s  (bytes %d-%d)  should be: %s", cJSON_GetObjectItemCaseSensitive(e, "found")->valuestring,
           (int)cJSON_GetObjectItemCaseSensitive(e, "start")->valuedouble,
           (int)cJSON_GetObjectItemCaseSensitive(e, "end")->valuedouble,
           cJSON_GetObjectItemCaseSensitive(e, "term")->valuestring);
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(e, "missing")) printf("; missing %s", s->valuestring);
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(e, "altered"))
      printf("; %s for %s", cJSON_GetObjectItemCaseSensitive(s, "found")->valuestring,
             cJSON_GetObjectItemCaseSensitive(s, "part")->valuestring);
    printf("\n");
  }
  if (!n) printf("  none\n");
  printf("\nOutdated formulations:\n");
  n = 0;
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(o, "outdated")) {
    n++;
    printf("  %s  (bytes %d-%d)  superseded by %s since %d\n",
           cJSON_GetObjectItemCaseSensitive(e, "term")->valuestring,
           (int)cJSON_GetObjectItemCaseSensitive(e, "start")->valuedouble,
           (int)cJSON_GetObjectItemCaseSensitive(e, "end")->valuedouble,
           cJSON_GetObjectItemCaseSensitive(e, "superseded_by")->valuestring,
           (int)cJSON_GetObjectItemCaseSensitive(e, "since")->valuedouble);
  }
  if (!n) printf("  none\n");
  const cJSON *errors = cJSON_GetObjectItemCaseSensitive(o, "errors");
  if (cJSON_GetArraySize(errors)) {
    printf("\nErrors:\n");
    cJSON_ArrayForEach(e, errors) printf("  %s\n", cJSON_GetObjectItemCaseSensitive(e, "error")->valuestring);
  }
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

static void tally_reference(gap_run *run, const char *path, const gw_document *doc,
                            const gw_term_result *res) {
  run->references++;
  memset(run->seen, 0, run->n);
  for (size_t k = 0; k < gw_term_result_match_count(res); k++) {
    const gw_term_match *m = gw_term_result_match(res, k);
    if (m->kind == GW_TERM_OVERLAPPING) continue;
    term_use *u = &run->use[m->term];
    u->section[m->section]++;
    if (!run->seen[m->term]) {
      run->seen[m->term] = 1;
      u->documents++;
      if (!u->example) u->example = example_json(path, doc, m);
    }
  }
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
  else if (!w->skipped && w->load_rc == GW_OK)
    tally_reference(run, path, w->doc, w->result);
  gap_discard(run, w);
  return run->rc;
}

/* 0 ok; GW_EXIT_FAILURE when the draft cannot be analysed; GW_ENOMEM. */
static int run(gw_cli *cli, gap_config *cfg, resources *r, int *draft_failed) {
  const gw_terms *terms = r->terms;
  size_t n = gw_terms_count(terms);
  term_use *use = calloc(n ? n : 1, sizeof *use);
  uint8_t *seen = calloc(n ? n : 1, 1);
  if (!use || !seen) { free(use); free(seen); return GW_ENOMEM; }
  for (size_t i = 0; i < r->checklist_count; i++) {
    size_t t = gw_terms_find(terms, r->checklist[i], strlen(r->checklist[i]));
    if (t != GW_NO_OFFSET) use[t].checklist = 1;
  }
  struct stat draft_st;
  int draft_stat = stat(cfg->draft, &draft_st) == 0;
  /* Input 0 is the draft; the references follow. */
  gw_document *draft = NULL;
  gw_term_result *dres = NULL;
  gw_error err;
  int rc = GW_OK;
  if (gw_cli_load(cli, 0, &cfg->document, &draft) ||
      gw_terms_match(&dres, terms, draft, &cfg->terms, &err)) {
    *draft_failed = 1;
    gw_document_free(draft);
    free(use);
    free(seen);
    return GW_OK;
  }
  for (size_t i = 0; i < gw_term_result_match_count(dres); i++) {
    const gw_term_match *m = gw_term_result_match(dres, i);
    use[m->term].in_draft = 1;
    if (m->kind == GW_TERM_COUNTED) use[m->term].draft_count++;
  }
  gap_run state = {cli, cfg, terms, use, seen, n, 0, draft_stat, draft_st, GW_OK};
  if (cli->input_count > 1)
    gw_par_map(cli->input_count - 1, (unsigned)cfg->threads, gap_prepare, gap_consume,
               gap_discard, &state);
  rc = state.rc;
  uint64_t references = state.references;
  /* The report. */
  cJSON *o = cJSON_CreateObject();
  gw_cli_json_add_path(o, "draft", cli->inputs[0].path);
  int year = gw_term_result_year(dres);
  if (year) cJSON_AddNumberToObject(o, "year", year);
  else cJSON_AddNullToObject(o, "year");
  cJSON_AddNumberToObject(o, "references", (double)references);
  cJSON_AddNumberToObject(o, "min_share", cfg->min_share);
  missing_item *miss = calloc(n ? n : 1, sizeof *miss);
  size_t nm = 0;
  for (size_t t = 0; miss && t < n; t++) {
    if (use[t].in_draft) continue;
    int by_corpus = references && use[t].documents &&
                    (double)use[t].documents >= cfg->min_share * (double)references - 1e-9;
    if (use[t].checklist || by_corpus) {
      miss[nm].term = t;
      miss[nm++].documents = use[t].documents;
    }
  }
  if (miss) qsort(miss, nm, sizeof *miss, missing_cmp);
  cJSON *ml = cJSON_AddArrayToObject(o, "missing");
  for (size_t j = 0; j < nm; j++) {
    const term_use *u = &use[miss[j].term];
    const gw_term *term = gw_terms_get(terms, miss[j].term);
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "term", term->text);
    cJSON_AddStringToObject(e, "category", term->category);
    cJSON_AddBoolToObject(e, "checklist", u->checklist);
    cJSON_AddNumberToObject(e, "documents", (double)u->documents);
    cJSON_AddNumberToObject(e, "share", references ? (double)(long long)((double)u->documents / (double)references * 100 + 0.5) / 100 : 0);
    cJSON *sl = cJSON_AddArrayToObject(e, "sections");
    for (int s = 0; s < N_SECTIONS; s++) {
      if (!u->section[s]) continue;
      cJSON *so = cJSON_CreateObject();
      cJSON_AddStringToObject(so, "section", gw_section_type_name((gw_section_type)s));
      cJSON_AddNumberToObject(so, "count", (double)u->section[s]);
      cJSON_AddItemToArray(sl, so);
    }
    if (u->example) cJSON_AddItemReferenceToObject(e, "example", u->example);
    else cJSON_AddNullToObject(e, "example");
    cJSON_AddItemToArray(ml, e);
  }
  free(miss);
  cJSON *ul = cJSON_AddArrayToObject(o, "unique");
  for (size_t t = 0; cfg->corpus_dir && t < n; t++) {
    if (!use[t].draft_count || use[t].documents) continue;
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "term", gw_terms_get(terms, t)->text);
    cJSON_AddStringToObject(e, "category", gw_terms_get(terms, t)->category);
    cJSON_AddNumberToObject(e, "count", (double)use[t].draft_count);
    cJSON_AddItemToArray(ul, e);
  }
  cJSON *bl = cJSON_AddArrayToObject(o, "broken");
  for (size_t i = 0; i < gw_term_result_broken_count(dres); i++)
    cJSON_AddItemToArray(bl, terms_json_broken(terms, draft, gw_term_result_broken(dres, i)));
  cJSON *ol = cJSON_AddArrayToObject(o, "outdated");
  for (size_t i = 0; i < gw_term_result_outdated_count(dres); i++) {
    const gw_outdated_formulation *od = gw_term_result_outdated(dres, i);
    const gw_term_match *m = gw_term_result_match(dres, od->match);
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "term", gw_terms_get(terms, od->term)->text);
    cJSON_AddStringToObject(e, "superseded_by", gw_terms_get(terms, od->successor)->text);
    cJSON_AddNumberToObject(e, "since", od->since);
    terms_json_place(e, draft, &m->range, m->paragraph);
    cJSON_AddItemToArray(ol, e);
  }
  cJSON_AddItemToObject(o, "errors", gw_cli_failures_json(cli));
  if (cfg->format == FORMAT_TEXT) print_text(o);
  else rc = gw_cli_print_json(o, !cfg->compact);
  cJSON_Delete(o);
  for (size_t t = 0; t < n; t++) cJSON_Delete(use[t].example);
  free(use);
  free(seen);
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
  cfg.min_share = 0.5;
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
