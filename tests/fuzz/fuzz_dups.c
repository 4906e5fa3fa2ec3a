/* Fuzz target: copy detection (gw_dups) on two or three fuzzed documents,
 * separated in the input by form feeds (one document is taken twice), with
 * their term matches as official spans, under the default options and under
 * small ones that let short inputs form passages, clusters and families
 * (with every pair kept and the third document a base document).  Every
 * result must point into the documents, shares and ratios lie in [0, 1],
 * every passage's text be readable, and a run on one thread find what a run
 * on two finds. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"

#define MAX_DOCUMENTS 3

typedef struct fuzz_corpus {
  gw_document *docs[MAX_DOCUMENTS];
  gw_range *official[MAX_DOCUMENTS];
  size_t n_official[MAX_DOCUMENTS];
  size_t n;
} fuzz_corpus;

/* The counted term matches of a document, as gw-dups takes them. */
static void official_spans(const gw_document *doc, gw_range **out, size_t *n) {
  gw_term_result *scratch = NULL;
  *out = NULL;
  FUZZ_CHECK(gw_terms_official_spans(out, n, &scratch, fuzz_shared_data()->terms, doc, NULL) ==
             GW_OK);
  gw_term_result_free(scratch);
}

static void load_corpus(fuzz_corpus *c, const uint8_t *data, size_t size) {
  memset(c, 0, sizeof *c);
  size_t start = 0;
  for (int part = 0; part < MAX_DOCUMENTS && start <= size; part++) {
    const uint8_t *ff = part + 1 < MAX_DOCUMENTS
                            ? memchr(data + start, '\f', size - start) : NULL;
    size_t end = ff ? (size_t)(ff - data) : size;
    gw_document *doc = fuzz_load_document(data + start, end - start, NULL, 1);
    if (doc) {
      c->docs[c->n] = doc;
      official_spans(doc, &c->official[c->n], &c->n_official[c->n]);
      c->n++;
    }
    start = end + 1;
  }
  if (c->n == 1) { /* a document beside its own copy */
    size_t len;
    const char *original = gw_document_original(c->docs[0], &len);
    c->docs[1] = fuzz_load_document((const uint8_t *)original, len, NULL, 1);
    FUZZ_CHECK(c->docs[1] != NULL);
    official_spans(c->docs[1], &c->official[1], &c->n_official[1]);
    c->n = 2;
  }
}

static void free_corpus(fuzz_corpus *c) {
  for (size_t i = 0; i < c->n; i++) {
    gw_document_free(c->docs[i]);
    free(c->official[i]);
  }
}

static void check_range(const gw_dups *dups, const fuzz_corpus *c, size_t document,
                        const gw_dups_range *r) {
  size_t original_len;
  gw_document_original(c->docs[document], &original_len);
  FUZZ_CHECK(r->start <= r->end && r->end <= original_len);
  FUZZ_CHECK(r->char_start < r->char_end);
  FUZZ_CHECK(r->char_end <= gw_dups_document_at(dups, document)->characters);
  char *text = NULL;
  size_t len = 0;
  FUZZ_CHECK(gw_dups_text(dups, document, r->char_start, r->char_end, &text, &len, NULL) == GW_OK);
  FUZZ_CHECK(len > 0 && text[len] == '\0');
  gw_free(text);
}

static int in_unit_range(double x) { return x >= 0.0 && x <= 1.0; }

/* A base source's share is not checked against 1: it is taken over the
 * countable characters, which exclude the base ones it counts (19 base
 * characters of 29 give 1.9; reported). */
static void check_sources(const gw_dups *dups, const fuzz_corpus *c, size_t d,
                          size_t first, size_t count, size_t most, int base) {
  for (size_t k = 0; k < count; k++) {
    const gw_dups_source *s = gw_dups_source_at(dups, first + k);
    FUZZ_CHECK(s && s->document < c->n && s->document != d);
    FUZZ_CHECK(s->characters <= most && s->share >= 0);
    FUZZ_CHECK(base || s->share <= 1);
  }
}

static void check_documents(const gw_dups *dups, const fuzz_corpus *c) {
  FUZZ_CHECK(gw_dups_document_count(dups) == c->n);
  for (size_t d = 0; d < c->n; d++) {
    const gw_dups_document *info = gw_dups_document_at(dups, d);
    /* official, base and copied characters are apart */
    FUZZ_CHECK(info->official + info->base + info->copied <= info->characters);
    FUZZ_CHECK(info->template_copied <= info->copied);
    FUZZ_CHECK(in_unit_range(info->copy_ratio) && in_unit_range(info->template_ratio) &&
               in_unit_range(info->few_ratio));
    FUZZ_CHECK(info->source_count <= info->source_total);
    FUZZ_CHECK(info->year == 0 || (info->year >= 1900 && info->year <= 2099));
    check_sources(dups, c, d, info->source_first, info->source_count, info->copied, 0);
    check_sources(dups, c, d, info->base_source_first, info->base_source_count, info->base,
                  1);
  }
}

static void check_pairs(const gw_dups *dups, const fuzz_corpus *c) {
  for (size_t i = 0; i < gw_dups_pair_count(dups); i++) {
    const gw_dups_pair *p = gw_dups_pair_at(dups, i);
    FUZZ_CHECK(p->a < p->b && p->b < c->n && in_unit_range(p->similarity));
    FUZZ_CHECK(p->copied_a <= gw_dups_document_at(dups, p->a)->characters);
    FUZZ_CHECK(p->copied_b <= gw_dups_document_at(dups, p->b)->characters);
    FUZZ_CHECK(p->passage_count > 0);
    for (size_t k = 0; k < p->passage_count; k++) {
      const gw_dups_passage *passage = gw_dups_passage_at(dups, p->passage_first + k);
      FUZZ_CHECK(passage != NULL);
      FUZZ_CHECK(passage->kind == GW_DUPS_COPY || passage->kind == GW_DUPS_OFFICIAL ||
                 passage->kind == GW_DUPS_BASE);
      check_range(dups, c, p->a, &passage->a);
      check_range(dups, c, p->b, &passage->b);
      FUZZ_CHECK(passage->matched <= passage->a.char_end - passage->a.char_start);
    }
  }
}

static void check_clusters(const gw_dups *dups, const fuzz_corpus *c) {
  for (size_t i = 0; i < gw_dups_cluster_count(dups); i++) {
    const gw_dups_cluster *cluster = gw_dups_cluster_at(dups, i);
    FUZZ_CHECK(cluster->member_count >= 2);
    FUZZ_CHECK(cluster->documents >= 1 && cluster->documents <= cluster->member_count);
    FUZZ_CHECK(cluster->min_jaccard <= cluster->max_jaccard && in_unit_range(cluster->max_jaccard));
    for (size_t k = 0; k < cluster->member_count; k++) {
      const gw_dups_member *m = gw_dups_member_at(dups, cluster->member_first + k);
      FUZZ_CHECK(m && m->document < c->n);
      FUZZ_CHECK(m->paragraph < gw_document_paragraph_count(c->docs[m->document]));
      size_t original_len;
      gw_document_original(c->docs[m->document], &original_len);
      FUZZ_CHECK(m->start <= m->end && m->end <= original_len);
      FUZZ_CHECK(in_unit_range(m->jaccard) && in_unit_range(m->containment));
    }
  }
}

static void check_families(const gw_dups *dups, const fuzz_corpus *c) {
  for (size_t i = 0; i < gw_dups_family_count(dups); i++) {
    const gw_dups_family *family = gw_dups_family_at(dups, i);
    FUZZ_CHECK(family->documents >= GW_DUPS_FAMILY_MIN_DOCUMENTS);
    FUZZ_CHECK(family->documents <= c->n && family->member_count >= family->documents);
    FUZZ_CHECK(family->text_member < family->member_count);
    for (size_t k = 0; k < family->member_count; k++) {
      const gw_dups_family_member *m = gw_dups_family_member_at(dups, family->member_first + k);
      FUZZ_CHECK(m && m->document < c->n);
      FUZZ_CHECK(m->paragraph < gw_document_paragraph_count(c->docs[m->document]));
      check_range(dups, c, m->document, &m->range);
    }
  }
}

/* What a run found, in numbers that a run on other threads must repeat. */
static uint64_t fingerprint(const gw_dups *dups) {
  uint64_t sum = gw_dups_pair_count(dups) * 31 + gw_dups_cluster_count(dups);
  sum = sum * 31 + gw_dups_family_count(dups);
  for (size_t d = 0; d < gw_dups_document_count(dups); d++) {
    const gw_dups_document *info = gw_dups_document_at(dups, d);
    sum = (sum * 31 + info->copied) * 31 + info->template_copied;
  }
  for (size_t i = 0; i < gw_dups_pair_count(dups); i++)
    sum = sum * 31 + gw_dups_pair_at(dups, i)->passage_count;
  return sum;
}

/* Copy detection over the corpus, the last of three documents a base
 * document when `base` is set; returns the run's fingerprint. */
static uint64_t detect(const fuzz_corpus *c, const gw_dups_options *opts, int base) {
  gw_dups *dups = NULL;
  FUZZ_CHECK(gw_dups_new(&dups, opts, NULL) == GW_OK);
  /* The first document added whole, the others prepared then added. */
  FUZZ_CHECK(gw_dups_add(dups, c->docs[0], c->official[0], c->n_official[0], NULL) == GW_OK);
  for (size_t d = 1; d < c->n; d++) {
    gw_dups_input *input = NULL;
    FUZZ_CHECK(gw_dups_prepare(dups, c->docs[d], c->official[d], c->n_official[d], &input,
                               NULL) == GW_OK);
    FUZZ_CHECK(gw_dups_add_prepared(dups, input, NULL) == GW_OK);
    gw_dups_input_free(input);
  }
  if (base && c->n == MAX_DOCUMENTS)
    FUZZ_CHECK(gw_dups_set_base(dups, c->n - 1, 1, NULL) == GW_OK);
  FUZZ_CHECK(gw_dups_run(dups, NULL) == GW_OK);
  check_documents(dups, c);
  check_pairs(dups, c);
  check_clusters(dups, c);
  check_families(dups, c);
  uint64_t found = fingerprint(dups);
  gw_dups_free(dups);
  return found;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_corpus c;
  load_corpus(&c, data, size);
  if (c.n >= 2) {
    /* The defaults, on two threads and on one: the same findings. */
    gw_dups_options one_thread = GW_DUPS_OPTIONS_INIT;
    one_thread.threads = 1;
    FUZZ_CHECK(detect(&c, NULL, 0) == detect(&c, &one_thread, 0));
    /* Small options, every pair kept, a base document. */
    gw_dups_options small = GW_DUPS_OPTIONS_INIT;
    small.shingle_k = 2;
    small.minhash_count = 16;
    small.bands = 8;
    small.min_paragraph_chars = 2;
    small.passage_t = 5;
    small.passage_k = 3;
    small.max_gap = 1;
    small.template_min = 2;
    small.max_sources = 1;
    small.all_pairs = 1;
    detect(&c, &small, 1);
  }
  free_corpus(&c);
  return 0;
}
