/* A document added again with gw_dups_add_copy (the same file handed in by
 * several units) gives the results of adding it again with gw_dups_add,
 * every field of every record, without preparing it again: its characters
 * are the original's.  N copies among other reports are one family of N,
 * ratio 1 each.  Also after a run, beside a base document and with years
 * set apart. */
#include <stdlib.h>

#include "dups_stages.h"
#include "harness.h"

static const char *const seeds[] = {
  "000_c510bc378b158120.txt", "001_84632f9a43899128.txt",
  "002_1aded01d7d411218.txt", "003_1973e543c9b997a8.txt",
  "004_c0ae98798d36dd3b.txt",
};
#define SEED_COUNT 5
#define COPIED_SEED 3
#define OFFICIAL_TERM "习近平新时代中国特色社会主义思想"

static gw_normalizer *nz;
static gw_noise *noise;
static gw_document_options opts = GW_DOCUMENT_OPTIONS_INIT;
static gw_document *seed_doc[SEED_COUNT];

static gw_document *load_seed(size_t i) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", GW_CORPUS_DIR, seeds[i]);
  gw_document *doc = NULL;
  gw_error err;
  if (gw_document_load_file(&doc, path, &opts, &err) != GW_OK) {
    fprintf(stderr, "%s\n", err.message);
    exit(1);
  }
  return doc;
}

static void add_seed(gw_dups *d, size_t i) {
  gw_range spans[64];
  size_t n = 0, nl, tl = strlen(OFFICIAL_TERM);
  const char *norm = gw_document_normalized(seed_doc[i], &nl);
  for (const char *p = norm; n < 64 && (p = strstr(p, OFFICIAL_TERM)); p += tl) {
    spans[n].norm_start = (size_t)(p - norm);
    spans[n].norm_end = spans[n].norm_start + tl;
    n++;
  }
  CHECK(gw_dups_add(d, seed_doc[i], spans, n, NULL) == GW_OK);
}

static gw_dups *new_dups(unsigned threads) {
  gw_dups_options o = GW_DUPS_OPTIONS_INIT;
  o.threads = threads;
  gw_dups *d = NULL;
  CHECK(gw_dups_new(&d, &o, NULL) == GW_OK);
  return d;
}

static int same_range(const gw_dups_range *x, const gw_dups_range *y) {
  return x->start == y->start && x->end == y->end && x->char_start == y->char_start &&
         x->char_end == y->char_end;
}

static int same_source(const gw_dups *x, const gw_dups *y, size_t i, size_t j) {
  const gw_dups_source *a = gw_dups_source_at(x, i), *b = gw_dups_source_at(y, j);
  return a && b && a->document == b->document && a->characters == b->characters &&
         a->share == b->share;
}

static void check_documents(const gw_dups *x, const gw_dups *y) {
  CHECK_EQ_SIZE(gw_dups_document_count(x), gw_dups_document_count(y));
  for (size_t i = 0; i < gw_dups_document_count(x) && i < gw_dups_document_count(y); i++) {
    const gw_dups_document *a = gw_dups_document_at(x, i), *b = gw_dups_document_at(y, i);
    CHECK(a->characters == b->characters && a->official == b->official &&
          a->copied == b->copied && a->copy_ratio == b->copy_ratio && a->base == b->base &&
          a->template_copied == b->template_copied && a->few_ratio == b->few_ratio &&
          a->source_total == b->source_total && a->source_count == b->source_count &&
          a->base_source_count == b->base_source_count && a->year == b->year &&
          a->is_base == b->is_base && a->self_copied == b->self_copied);
    for (size_t k = 0; k < a->source_count && k < b->source_count; k++)
      CHECK(same_source(x, y, a->source_first + k, b->source_first + k));
    for (size_t k = 0; k < a->base_source_count && k < b->base_source_count; k++)
      CHECK(same_source(x, y, a->base_source_first + k, b->base_source_first + k));
  }
}

static void check_pairs(const gw_dups *x, const gw_dups *y) {
  CHECK_EQ_SIZE(gw_dups_pair_count(x), gw_dups_pair_count(y));
  for (size_t i = 0; i < gw_dups_pair_count(x) && i < gw_dups_pair_count(y); i++) {
    const gw_dups_pair *a = gw_dups_pair_at(x, i), *b = gw_dups_pair_at(y, i);
    CHECK(a->a == b->a && a->b == b->b && a->similarity == b->similarity &&
          a->copied_a == b->copied_a && a->copied_b == b->copied_b &&
          a->passage_count == b->passage_count);
    for (size_t k = 0; k < a->passage_count && k < b->passage_count; k++) {
      const gw_dups_passage *pa = gw_dups_passage_at(x, a->passage_first + k);
      const gw_dups_passage *pb = gw_dups_passage_at(y, b->passage_first + k);
      CHECK(pa->kind == pb->kind && same_range(&pa->a, &pb->a) && same_range(&pa->b, &pb->b) &&
            pa->matched == pb->matched);
    }
  }
}

static void check_families_clusters(const gw_dups *x, const gw_dups *y) {
  CHECK_EQ_SIZE(gw_dups_family_count(x), gw_dups_family_count(y));
  for (size_t i = 0; i < gw_dups_family_count(x) && i < gw_dups_family_count(y); i++) {
    const gw_dups_family *a = gw_dups_family_at(x, i), *b = gw_dups_family_at(y, i);
    CHECK(a->documents == b->documents && a->member_count == b->member_count &&
          a->text_member == b->text_member && a->characters == b->characters &&
          a->earliest_year == b->earliest_year);
    for (size_t k = 0; k < a->member_count && k < b->member_count; k++) {
      const gw_dups_family_member *ma = gw_dups_family_member_at(x, a->member_first + k);
      const gw_dups_family_member *mb = gw_dups_family_member_at(y, b->member_first + k);
      CHECK(ma->document == mb->document && ma->paragraph == mb->paragraph &&
            same_range(&ma->range, &mb->range));
    }
  }
  CHECK_EQ_SIZE(gw_dups_cluster_count(x), gw_dups_cluster_count(y));
  for (size_t i = 0; i < gw_dups_cluster_count(x) && i < gw_dups_cluster_count(y); i++) {
    const gw_dups_cluster *a = gw_dups_cluster_at(x, i), *b = gw_dups_cluster_at(y, i);
    CHECK(a->member_count == b->member_count && a->documents == b->documents &&
          a->min_jaccard == b->min_jaccard && a->max_jaccard == b->max_jaccard);
    for (size_t k = 0; k < a->member_count && k < b->member_count; k++) {
      const gw_dups_member *ma = gw_dups_member_at(x, a->member_first + k);
      const gw_dups_member *mb = gw_dups_member_at(y, b->member_first + k);
      CHECK(ma->document == mb->document && ma->paragraph == mb->paragraph &&
            ma->start == mb->start && ma->jaccard == mb->jaccard &&
            ma->containment == mb->containment);
    }
  }
}

static void check_same_results(const gw_dups *x, const gw_dups *y) {
  check_documents(x, y);
  check_pairs(x, y);
  check_families_clusters(x, y);
  const gw_dups_limits *a = gw_dups_limits_applied(x), *b = gw_dups_limits_applied(y);
  CHECK(a->band_all_pairs == b->band_all_pairs && a->star_above == b->star_above &&
        a->repeat_pairs == b->repeat_pairs);
}

/* The members of family fam in document doc, and their characters. */
static size_t members_in(const gw_dups *d, const gw_dups_family *fam, size_t doc,
                         size_t *characters) {
  size_t n = 0;
  *characters = 0;
  for (size_t k = 0; k < fam->member_count; k++) {
    const gw_dups_family_member *m = gw_dups_family_member_at(d, fam->member_first + k);
    if (m->document != doc) continue;
    n++;
    *characters += m->range.char_end - m->range.char_start;
  }
  return n;
}

/* The seeds, then `copies` more reports with seed 3's bytes: in x added as
 * documents, in y as copies of document 3.  Seed 3's year is set to 1999
 * before the copies are added (a copy has the year of its own text), the
 * first copy is a base document when `base_copy`. */
static void add_both(gw_dups *x, gw_dups *y, size_t copies, int base_copy) {
  for (size_t i = 0; i < SEED_COUNT; i++) {
    add_seed(x, i);
    add_seed(y, i);
  }
  CHECK(gw_dups_set_origin(x, COPIED_SEED, "某局", 1999, NULL) == GW_OK);
  CHECK(gw_dups_set_origin(y, COPIED_SEED, "某局", 1999, NULL) == GW_OK);
  for (size_t c = 0; c < copies; c++) {
    add_seed(x, COPIED_SEED);
    CHECK(gw_dups_add_copy(y, COPIED_SEED, NULL) == GW_OK);
  }
  if (base_copy) {
    CHECK(gw_dups_set_base(x, SEED_COUNT, 1, NULL) == GW_OK);
    CHECK(gw_dups_set_base(y, SEED_COUNT, 1, NULL) == GW_OK);
  }
}

static void test_family_of_copies(void) {
  enum { COPIES = 7 };
  gw_dups *x = new_dups(1), *y = new_dups(4);
  add_both(x, y, COPIES, 0);
  CHECK(gw_dups_run(x, NULL) == GW_OK && gw_dups_run(y, NULL) == GW_OK);
  check_same_results(x, y);
  /* Prepared once: the copies' characters are the original's. */
  for (size_t c = 0; c < COPIES; c++)
    CHECK(y->docs[SEED_COUNT + c].cp == y->docs[COPIED_SEED].cp &&
          y->docs[SEED_COUNT + c].flags != y->docs[COPIED_SEED].flags);
  CHECK(x->docs[SEED_COUNT].cp != x->docs[COPIED_SEED].cp);
  /* One family of the eight (each text in pieces between the official
   * phrases), every copy in it alike; ratio 1 each. */
  const gw_dups_family *fam = NULL;
  size_t chars, most = 0;
  for (size_t f = 0; f < gw_dups_family_count(y); f++) {
    const gw_dups_family *g = gw_dups_family_at(y, f);
    if (members_in(y, g, COPIED_SEED, &chars) && chars > most) {
      fam = g;
      most = chars;
    }
  }
  CHECK(fam != NULL);
  if (fam) {
    CHECK_EQ_SIZE(fam->documents, COPIES + 1);
    CHECK(fam->earliest_year == 1999);
    size_t pieces = members_in(y, fam, COPIED_SEED, &chars), copy_chars;
    const gw_dups_document *info = gw_dups_document_at(y, COPIED_SEED);
    CHECK(pieces > 0 && chars >= info->characters - info->official);
    CHECK_EQ_SIZE(fam->member_count, pieces * (COPIES + 1));
    for (size_t c = 0; c < COPIES; c++) {
      CHECK_EQ_SIZE(members_in(y, fam, SEED_COUNT + c, &copy_chars), pieces);
      CHECK_EQ_SIZE(copy_chars, chars);
    }
  }
  const gw_dups_document *seed = gw_dups_document_at(y, COPIED_SEED);
  CHECK(seed->copy_ratio == 1.0 && seed->year == 1999);
  for (size_t c = 0; c < COPIES; c++) {
    const gw_dups_document *copy = gw_dups_document_at(y, SEED_COUNT + c);
    CHECK(copy->copy_ratio == 1.0);
    CHECK(copy->characters == seed->characters && copy->official == seed->official);
    CHECK(copy->year != 1999); /* its text's year, not the one set on seed 3 */
  }
  gw_dups_free(x);
  gw_dups_free(y);
}

/* A copy made a base document: the reports' text found in it is never
 * copying, in both handles alike (the copy has flags of its own). */
static void test_base_copy(void) {
  gw_dups *x = new_dups(2), *y = new_dups(2);
  add_both(x, y, 2, 1);
  CHECK(gw_dups_run(x, NULL) == GW_OK && gw_dups_run(y, NULL) == GW_OK);
  check_same_results(x, y);
  const gw_dups_document *seed = gw_dups_document_at(y, COPIED_SEED);
  CHECK(seed->copied == 0 && seed->base == seed->characters - seed->official);
  CHECK(gw_dups_document_at(y, SEED_COUNT)->is_base);
  gw_dups_free(x);
  gw_dups_free(y);
}

/* A document with no characters (punctuation only) copied into a handle
 * that has no fingerprints, paragraphs to sign or far records at all. */
static void test_empty_copy(void) {
  gw_dups *d = new_dups(2);
  const char *text = "，。、；";
  gw_document *doc = NULL;
  CHECK(gw_document_load_buffer(&doc, "empty", text, strlen(text), &opts, NULL) == GW_OK);
  CHECK(gw_dups_add(d, doc, NULL, 0, NULL) == GW_OK);
  gw_document_free(doc);
  CHECK(gw_dups_add_copy(d, 0, NULL) == GW_OK);
  CHECK(gw_dups_add_copy(d, 1, NULL) == GW_OK);
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  CHECK_EQ_SIZE(gw_dups_document_count(d), 3);
  CHECK_EQ_SIZE(gw_dups_pair_count(d), 0);
  CHECK(gw_dups_document_at(d, 2) && gw_dups_document_at(d, 2)->characters == 0);
  gw_dups_free(d);
}

/* Copies added after a run (the fingerprints then sorted by hash), and
 * errors. */
static void test_after_run(void) {
  gw_dups *x = new_dups(1), *y = new_dups(3);
  add_both(x, y, 1, 0);
  CHECK(gw_dups_run(x, NULL) == GW_OK && gw_dups_run(y, NULL) == GW_OK);
  add_seed(x, COPIED_SEED);
  add_seed(x, 0);
  CHECK(gw_dups_add_copy(y, SEED_COUNT, NULL) == GW_OK); /* a copy of a copy */
  CHECK(gw_dups_add_copy(y, 0, NULL) == GW_OK);
  CHECK(gw_dups_run(x, NULL) == GW_OK && gw_dups_run(y, NULL) == GW_OK);
  check_same_results(x, y);
  CHECK(gw_dups_document_at(y, SEED_COUNT + 2)->copy_ratio == 1.0);
  gw_error err;
  CHECK(gw_dups_add_copy(y, gw_dups_document_count(y), &err) == GW_EINVAL);
  CHECK(strstr(err.message, "no document") != NULL);
  CHECK(gw_dups_add_copy(NULL, 0, NULL) == GW_EINVAL);
  gw_dups_free(x);
  gw_dups_free(y);
}

int main(void) {
  gw_error err;
  if (gw_normalizer_new(&nz, &err) != GW_OK ||
      gw_noise_load_file(&noise, GW_DICT_SOURCE_DIR "/noise.txt", &err) != GW_OK) {
    fprintf(stderr, "%s\n", err.message);
    return 1;
  }
  opts.normalizer = nz;
  opts.noise = noise;
  for (size_t i = 0; i < SEED_COUNT; i++) seed_doc[i] = load_seed(i);
  test_family_of_copies();
  test_base_copy();
  test_after_run();
  test_empty_copy();
  for (size_t i = 0; i < SEED_COUNT; i++) gw_document_free(seed_doc[i]);
  gw_noise_free(noise);
  gw_normalizer_free(nz);
  return gw_test_report();
}
