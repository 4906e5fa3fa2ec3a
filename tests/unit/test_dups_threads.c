/* Copy detection on several threads: a generated set with template
 * families (2 to 120 documents, exact and edited copies), near-duplicate
 * paragraphs, exact duplicate documents, repetitive text, official and base
 * text gives the same results, every field of every record, for 1, 2, 3, 4
 * and 13 threads, and again on a second run; the parallel sort and the task
 * runner on their own. */
#include <stdarg.h>
#include <stdlib.h>

#include "dups_stages.h"
#include "harness.h"

/* ---- the generated set ---- */

static uint64_t rng = 2026;
static uint32_t next_rand(void) {
  rng = rng * 6364136223846793005ull + 1442695040888963407ull;
  return (uint32_t)(rng >> 33);
}

#define DOCS 160
#define PARAS 10
#define PARA_MAX 512 /* bytes of a paragraph */

typedef struct corpus {
  char para[DOCS][PARAS][PARA_MAX];
  char used[DOCS][PARAS]; /* a planted paragraph */
} corpus;

/* n random Han characters from a range common in both scripts. */
static size_t random_han(char *out, size_t n) {
  size_t len = 0;
  for (size_t i = 0; i < n; i++) len += gw_utf8_encode(0x4E00 + (int32_t)(next_rand() % 3000), out + len);
  return len;
}

static void random_paragraph(char *out) {
  size_t len = random_han(out, 40 + next_rand() % 50);
  strcpy(out + len, "。");
}

/* A copy of src with `edits` characters substituted. */
static void edited_copy(char *out, const char *src, int edits) {
  strcpy(out, src);
  size_t chars = strlen(out) / 3 - 1; /* three bytes each, then 。 */
  for (int e = 0; e < edits; e++) {
    size_t at = 3 * (next_rand() % chars);
    char c[4];
    gw_utf8_encode(0x6000 + (int32_t)(next_rand() % 1000), c);
    memcpy(out + at, c, 3);
  }
}

/* A free paragraph slot of a random document other than `not_doc`. */
static void free_slot(corpus *c, size_t first_doc, size_t not_doc, size_t *doc, size_t *para) {
  for (;;) {
    *doc = first_doc + next_rand() % (DOCS - 8 - first_doc);
    *para = next_rand() % PARAS;
    if (*doc != not_doc && !c->used[*doc][*para]) return;
  }
}

static const char *const official_term = "坚持以人民为中心的发展思想";

static void make_corpus(corpus *c) {
  memset(c, 0, sizeof *c);
  for (size_t d = 0; d < DOCS; d++)
    for (size_t p = 0; p < PARAS; p++) random_paragraph(c->para[d][p]);
  /* Document 0 is the base: three of its paragraphs in twelve documents. */
  for (size_t p = 0; p < PARAS; p++) c->used[0][p] = 1;
  for (int i = 0; i < 12; i++) {
    size_t d, p;
    free_slot(c, 1, 0, &d, &p);
    strcpy(c->para[d][p], c->para[0][i % 3]);
    c->used[d][p] = 1;
  }
  /* Families: a source paragraph copied into size - 1 other documents,
   * most exactly, some with two characters changed; the largest hold more
   * documents than any limit. */
  static const int sizes[] = {2, 2, 3, 3, 4, 5, 5, 6, 8, 9, 12, 20, 30, 49, 60, 120};
  for (size_t f = 0; f < sizeof sizes / sizeof *sizes; f++) {
    size_t sd, sp;
    free_slot(c, 1, 0, &sd, &sp);
    c->used[sd][sp] = 1;
    for (int m = 1; m < sizes[f]; m++) {
      size_t d, p;
      free_slot(c, 1, sd, &d, &p);
      edited_copy(c->para[d][p], c->para[sd][sp], next_rand() % 10 < 7 ? 0 : 2);
      c->used[d][p] = 1;
    }
  }
  /* Near duplicates: a paragraph with five characters changed. */
  for (int i = 0; i < 20; i++) {
    size_t sd, sp, d, p;
    free_slot(c, 1, 0, &sd, &sp);
    c->used[sd][sp] = 1;
    free_slot(c, 1, sd, &d, &p);
    edited_copy(c->para[d][p], c->para[sd][sp], 5);
    c->used[d][p] = 1;
  }
  /* An official formulation in twenty documents. */
  for (int i = 0; i < 20; i++) {
    size_t d, p;
    free_slot(c, 1, 0, &d, &p);
    size_t len = random_han(c->para[d][p], 20);
    len += (size_t)sprintf(c->para[d][p] + len, "，%s，", official_term);
    len += random_han(c->para[d][p] + len, 20);
    strcpy(c->para[d][p] + len, "。");
    c->used[d][p] = 1;
  }
  /* Repetitive text: a phrase eight times in each of two documents. */
  char phrase[64];
  size_t pl = random_han(phrase, 10);
  phrase[pl] = '\0';
  for (size_t d = DOCS - 8; d < DOCS - 6; d++) {
    c->para[d][0][0] = '\0';
    for (int r = 0; r < 8; r++) strcat(c->para[d][0], phrase);
    strcat(c->para[d][0], "。");
  }
  /* Exact duplicate documents. */
  for (size_t i = 0; i < 3; i++) memcpy(c->para[DOCS - 3 + i], c->para[10 + i], sizeof c->para[0]);
}

static gw_dups *analyse(const corpus *c, unsigned threads) {
  gw_dups_options o = GW_DUPS_OPTIONS_INIT;
  o.threads = threads;
  o.all_pairs = 1; /* the pairs sharing only official or base text too */
  gw_dups *d = NULL;
  if (gw_dups_new(&d, &o, NULL) != GW_OK) return NULL;
  gw_document_options dopts = GW_DOCUMENT_OPTIONS_INIT;
  static char text[PARAS * (PARA_MAX + 1)];
  for (size_t i = 0; i < DOCS; i++) {
    text[0] = '\0';
    for (size_t p = 0; p < PARAS; p++) {
      strcat(text, c->para[i][p]);
      strcat(text, "\n");
    }
    gw_document *doc = NULL;
    CHECK(gw_document_load_buffer(&doc, "generated", text, strlen(text), &dopts, NULL) == GW_OK);
    size_t nl, tl = strlen(official_term), n = 0;
    gw_range spans[PARAS];
    const char *norm = gw_document_normalized(doc, &nl);
    for (const char *at = norm; n < PARAS && (at = strstr(at, official_term)); at += tl) {
      spans[n].norm_start = (size_t)(at - norm);
      spans[n].norm_end = spans[n].norm_start + tl;
      n++;
    }
    CHECK(gw_dups_add(d, doc, spans, n, NULL) == GW_OK);
    gw_document_free(doc);
  }
  CHECK(gw_dups_set_base(d, 0, 1, NULL) == GW_OK);
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  return d;
}

/* ---- every result as text ---- */

typedef struct text_buf {
  char *s;
  size_t len, cap;
} text_buf;

static void put(text_buf *b, const char *fmt, ...) {
  va_list ap;
  if (!b->s) { /* never offset a null pointer, even by zero */
    b->cap = 4096;
    b->s = malloc(b->cap);
    if (!b->s) abort();
  }
  for (;;) {
    va_start(ap, fmt);
    int n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n >= 0 && b->len + (size_t)n < b->cap) {
      b->len += (size_t)n;
      return;
    }
    b->cap = b->cap ? 2 * b->cap + (size_t)n : 4096;
    b->s = realloc(b->s, b->cap);
    if (!b->s) abort();
  }
}

static void put_range(text_buf *b, const gw_dups_range *r) {
  put(b, " [%zu,%zu)[%zu,%zu)", r->start, r->end, r->char_start, r->char_end);
}

static char *digest(const gw_dups *d) {
  text_buf b = {NULL, 0, 0};
  put(&b, "");
  const gw_dups_limits *lim = gw_dups_limits_applied(d);
  put(&b, "limits %zu %zu %zu\n", lim->band_all_pairs, lim->star_above, lim->repeat_pairs);
  for (size_t i = 0; i < gw_dups_document_count(d); i++) {
    const gw_dups_document *di = gw_dups_document_at(d, i);
    put(&b, "doc %zu %zu %zu %zu %.17g %zu %zu %.17g %.17g %zu %d %d\n", di->characters,
        di->official, di->copied, di->base, di->copy_ratio, di->template_copied,
        di->source_total, di->template_ratio, di->few_ratio, di->base_source_count, di->year,
        di->is_base);
    for (size_t s = 0; s < di->source_count; s++) {
      const gw_dups_source *src = gw_dups_source_at(d, di->source_first + s);
      put(&b, " source %zu %zu %.17g\n", src->document, src->characters, src->share);
    }
    for (size_t s = 0; s < di->base_source_count; s++) {
      const gw_dups_source *src = gw_dups_source_at(d, di->base_source_first + s);
      put(&b, " base %zu %zu %.17g\n", src->document, src->characters, src->share);
    }
  }
  for (size_t i = 0; i < gw_dups_pair_count(d); i++) {
    const gw_dups_pair *p = gw_dups_pair_at(d, i);
    put(&b, "pair %zu %zu %.17g %zu %zu\n", p->a, p->b, p->similarity, p->copied_a, p->copied_b);
    for (size_t k = 0; k < p->passage_count; k++) {
      const gw_dups_passage *ps = gw_dups_passage_at(d, p->passage_first + k);
      put(&b, " passage %s %zu", gw_dups_kind_name(ps->kind), ps->matched);
      put_range(&b, &ps->a);
      put_range(&b, &ps->b);
      put(&b, "\n");
    }
  }
  for (size_t i = 0; i < gw_dups_cluster_count(d); i++) {
    const gw_dups_cluster *cl = gw_dups_cluster_at(d, i);
    put(&b, "cluster %zu %.17g %.17g\n", cl->documents, cl->min_jaccard, cl->max_jaccard);
    for (size_t k = 0; k < cl->member_count; k++) {
      const gw_dups_member *m = gw_dups_member_at(d, cl->member_first + k);
      put(&b, " member %zu %zu %zu %zu %.17g %.17g\n", m->document, m->paragraph, m->start,
          m->end, m->jaccard, m->containment);
    }
  }
  for (size_t i = 0; i < gw_dups_family_count(d); i++) {
    const gw_dups_family *f = gw_dups_family_at(d, i);
    put(&b, "family %zu %zu %zu %d\n", f->documents, f->text_member, f->characters,
        f->earliest_year);
    for (size_t k = 0; k < f->member_count; k++) {
      const gw_dups_family_member *m = gw_dups_family_member_at(d, f->member_first + k);
      put(&b, " member %zu %zu", m->document, m->paragraph);
      put_range(&b, &m->range);
      put(&b, "\n");
    }
  }
  return b.s;
}

static size_t count_lines(const char *s, const char *prefix) {
  size_t n = 0, pl = strlen(prefix);
  for (const char *line = s; *line; line = strchr(line, '\n') + 1)
    n += strncmp(line, prefix, pl) == 0;
  return n;
}

static void test_threads(void) {
  static corpus c;
  make_corpus(&c);
  gw_dups *one = analyse(&c, 1);
  CHECK(one != NULL);
  if (!one) return;
  char *expected = digest(one);
  /* The set holds what the parallel stages split: families over the
   * limits (each applied), pairs, passages of every kind, clusters. */
  const gw_dups_limits *lim = gw_dups_limits_applied(one);
  CHECK(lim->band_all_pairs > 0 && lim->star_above > 0 && lim->repeat_pairs > 0);
  CHECK(gw_dups_family_count(one) >= 12);
  CHECK(gw_dups_family_at(one, 0) && gw_dups_family_at(one, 0)->documents > 60 &&
        gw_dups_family_at(one, 0)->member_count >= 120);
  CHECK(gw_dups_pair_count(one) > 100);
  CHECK(gw_dups_cluster_count(one) >= 20);
  CHECK(count_lines(expected, " passage official") > 0);
  CHECK(count_lines(expected, " base ") > 0);
  CHECK(strlen(expected) > 100000);
  CHECK(gw_dups_run(one, NULL) == GW_OK);
  char *again = digest(one);
  CHECK(strcmp(expected, again) == 0);
  free(again);
  static const unsigned threads[] = {2, 3, 4, 13};
  for (size_t t = 0; t < sizeof threads / sizeof *threads; t++) {
    gw_dups *d = analyse(&c, threads[t]);
    char *got = d ? digest(d) : NULL;
    CHECK(got && strcmp(expected, got) == 0);
    if (got && strcmp(expected, got) != 0) {
      size_t at = 0;
      while (expected[at] == got[at]) at++;
      fprintf(stderr, "%u threads differ at byte %zu: %.80s\n", threads[t], at, got + at);
    }
    free(got);
    gw_dups_free(d);
  }
  free(expected);
  gw_dups_free(one);
}

/* ---- the machinery ---- */

static int cmp_record(const void *x, const void *y) {
  const uint64_t *p = x, *q = y;
  if (p[0] != q[0]) return p[0] < q[0] ? -1 : 1;
  return (p[1] > q[1]) - (p[1] < q[1]);
}

static void test_sort_threads(void) {
  size_t n = 200000;
  uint64_t *a = malloc(2 * n * sizeof *a), *b = malloc(2 * n * sizeof *b);
  uint64_t state = 11;
  for (size_t i = 0; i < n; i++) {
    state = gw_dups_mix(state + i);
    /* equal keys (a hot bucket) and keys equal but for the low bytes */
    a[2 * i] = i % 7 == 0 ? 0x1234567890abcdefull
               : i % 5 == 0 ? 0xfedcba9876543200ull | (state & 3) : state;
    a[2 * i + 1] = gw_dups_mix(state ^ 5) % 1000;
  }
  memcpy(b, a, 2 * n * sizeof *a);
  qsort(b, n, 2 * sizeof *b, cmp_record);
  uint64_t *c = malloc(2 * n * sizeof *c);
  for (unsigned threads = 1; threads <= 5; threads++) {
    memcpy(c, a, 2 * n * sizeof *a);
    CHECK(gw_dups_sort_threads(c, n, 2 * sizeof *c, cmp_record, threads) == GW_OK);
    CHECK(memcmp(b, c, 2 * n * sizeof *b) == 0);
  }
  free(a);
  free(b);
  free(c);
}

/* Pairs given in batches, most of them many times over (as the bands give
 * them): each listed once, in the order first given, through many growths
 * of the set. */
static void test_distinct_pairs(void) {
  size_t n = 300000, distinct = 40000;
  uint64_t *given = malloc(n * sizeof *given), *expected = malloc(n * sizeof *expected);
  uint8_t *seen = calloc(distinct, 1);
  uint64_t state = 7;
  size_t n_expected = 0;
  for (size_t i = 0; i < n; i++) {
    state = gw_dups_mix(state + i);
    /* x < y; x 0 too (a pair is never 0); a few pairs again within a batch */
    uint32_t v = (uint32_t)(state % distinct), x = v / 200, y = 200 + v % 200 + x;
    given[i] = (uint64_t)x << 32 | y;
    if (!seen[v]) { seen[v] = 1; expected[n_expected++] = given[i]; }
  }
  gw_dups_pair_set set;
  memset(&set, 0, sizeof set);
  int rc = GW_OK;
  for (size_t at = 0, batch = 1; at < n && !rc; at += batch, batch = batch % 1200 + 7)
    rc = gw_dups_add_distinct_pairs(&set, given + at, at + batch <= n ? batch : n - at);
  CHECK(rc == GW_OK);
  CHECK(gw_dups_add_distinct_pairs(&set, given, 0) == GW_OK);
  CHECK_EQ_SIZE(set.list.count, n_expected);
  CHECK(set.list.count == n_expected &&
        memcmp(set.list.pair, expected, n_expected * sizeof *expected) == 0);
  CHECK(n_expected > distinct / 2 && n_expected < n / 4);
  free(set.list.pair);
  gw_dups_pair_set_free_slots(&set);
  CHECK(set.slot == NULL && set.slots == 0);
  free(given);
  free(expected);
  free(seen);
}

/* An array grown element by element past 32 MiB (a mapping of its own from
 * there, then moved by mremap): every value kept through each move. */
static void test_grow_mapped(void) {
  uint64_t *a = NULL;
  size_t cap = 0, n = 10u << 20, moves = 0; /* 80 MiB */
  int rc = GW_OK;
  for (size_t i = 0; i < n && !rc; i++) {
    size_t before = cap;
    rc = gw_dups_grow_mapped((void **)&a, &cap, i + 1, sizeof *a);
    if (!rc) a[i] = gw_dups_mix(i);
    if (!rc && cap != before) {
      moves++;
      size_t wrong = 0;
      for (size_t j = 0; j < i; j++) wrong += a[j] != gw_dups_mix(j);
      CHECK_EQ_SIZE(wrong, 0);
    }
  }
  CHECK(rc == GW_OK);
  CHECK(cap >= n && moves > 5);
  size_t wrong = 0;
  for (size_t j = 0; j < n; j++) wrong += a[j] != gw_dups_mix(j);
  CHECK_EQ_SIZE(wrong, 0);
  CHECK(gw_dups_grow_mapped((void **)&a, &cap, 5, sizeof *a) == GW_OK && cap >= n);
  gw_dups_free_mapped(a, cap, sizeof *a);
  gw_dups_free_mapped(NULL, 0, sizeof *a);
}

typedef struct count_work {
  size_t *done;   /* per task: how often it ran */
  size_t workers; /* worker indexes seen below this */
  int fail_at;    /* the task that fails, or -1 */
  int bad_worker;
} count_work;

static int count_task(void *arg, size_t task, size_t worker) {
  count_work *w = arg;
  w->done[task]++;
  if (worker >= w->workers) w->bad_worker = 1;
  return (int)task == w->fail_at ? GW_ENOMEM : GW_OK;
}

static void test_parallel(void) {
  size_t done[100];
  for (unsigned threads = 0; threads <= 8; threads += 4) {
    memset(done, 0, sizeof done);
    count_work w = {done, gw_dups_workers(threads, 100), -1, 0};
    CHECK(gw_dups_parallel(threads, 100, count_task, &w) == GW_OK);
    size_t once = 0;
    for (size_t i = 0; i < 100; i++) once += done[i] == 1;
    CHECK_EQ_SIZE(once, 100);
    CHECK(!w.bad_worker);
  }
  CHECK_EQ_SIZE(gw_dups_workers(8, 3), 3);
  CHECK_EQ_SIZE(gw_dups_workers(0, 3), 1);
  CHECK_EQ_SIZE(gw_dups_workers(4, 0), 1);
  /* A failure is returned, and stops the tasks not yet started (on one
   * thread: exactly those after it). */
  memset(done, 0, sizeof done);
  count_work fail = {done, 1, 10, 0};
  CHECK(gw_dups_parallel(1, 100, count_task, &fail) == GW_ENOMEM);
  CHECK(done[10] == 1 && done[11] == 0);
  memset(done, 0, sizeof done);
  fail.workers = 4;
  CHECK(gw_dups_parallel(4, 100, count_task, &fail) == GW_ENOMEM);
  CHECK(gw_dups_parallel(4, 0, count_task, &fail) == GW_OK);
}

int main(void) {
  test_parallel();
  test_sort_threads();
  test_distinct_pairs();
  test_grow_mapped();
  test_threads();
  return gw_test_report();
}
