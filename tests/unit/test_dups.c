/* Duplicates: masks shingle alike, exact Jaccard in clusters, the winnowing
 * guarantee, the shared passages of seeds 003 and 004 with their offsets,
 * official phrases set apart, frequent phrases still copying, seed 001's
 * advertising never counted, a document against itself and edited copies,
 * a family made of one text (a short stretch inside a long passage joins no
 * other family), determinism. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>

#include "dups_stages.h"
#include "harness.h"
#include "stages.h"

static const char *const seeds[] = {
  "000_c510bc378b158120.txt", "001_84632f9a43899128.txt",
  "002_1aded01d7d411218.txt", "003_1973e543c9b997a8.txt",
  "004_c0ae98798d36dd3b.txt",
};
#define SEED_COUNT 5

static gw_normalizer *nz;
static gw_noise *noise;
static gw_document_options opts = GW_DOCUMENT_OPTIONS_INIT;

static char *read_seed(size_t i, size_t *len) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", GW_CORPUS_DIR, seeds[i]);
  unsigned char *b = NULL;
  gw_error err;
  if (gw_read_file(path, &b, len, &err) != GW_OK) {
    fprintf(stderr, "%s\n", err.message);
    exit(1);
  }
  return (char *)b;
}

static gw_document *load(const char *name, const char *data, size_t len) {
  gw_document *doc = NULL;
  gw_error err;
  if (gw_document_load_buffer(&doc, name, data, len, &opts, &err) != GW_OK) {
    fprintf(stderr, "%s\n", err.message);
    exit(1);
  }
  return doc;
}

static void add_text(gw_dups *d, const char *text) {
  gw_document *doc = load("text", text, strlen(text));
  CHECK(gw_dups_add(d, doc, NULL, 0, NULL) == GW_OK);
  gw_document_free(doc);
}

static void add_bytes(gw_dups *d, const char *name, const char *data, size_t len,
                      const char *official_term) {
  gw_document *doc = load(name, data, len);
  gw_range spans[64];
  size_t n = 0;
  if (official_term) {
    size_t nl, tl = strlen(official_term);
    const char *norm = gw_document_normalized(doc, &nl);
    for (const char *p = norm; n < 64 && (p = strstr(p, official_term)); p += tl) {
      spans[n].norm_start = (size_t)(p - norm);
      spans[n].norm_end = spans[n].norm_start + tl;
      n++;
    }
  }
  CHECK(gw_dups_add(d, doc, spans, n, NULL) == GW_OK);
  gw_document_free(doc);
}

static gw_dups *new_dups(const gw_dups_options *o) {
  gw_dups *d = NULL;
  gw_error err;
  if (gw_dups_new(&d, o, &err) != GW_OK) {
    fprintf(stderr, "%s\n", err.message);
    exit(1);
  }
  return d;
}

static const gw_dups_pair *find_pair(const gw_dups *d, size_t a, size_t b) {
  for (size_t i = 0; i < gw_dups_pair_count(d); i++) {
    const gw_dups_pair *p = gw_dups_pair_at(d, i);
    if (p->a == a && p->b == b) return p;
  }
  return NULL;
}

static size_t count_kind(const gw_dups *d, const gw_dups_pair *p, gw_dups_kind k) {
  size_t n = 0;
  for (size_t i = 0; p && i < p->passage_count; i++)
    n += gw_dups_passage_at(d, p->passage_first + i)->kind == k;
  return n;
}

/* ---- options ---- */

static void test_options(void) {
  gw_dups *d = NULL;
  gw_error err;
  gw_dups_options o = GW_DUPS_OPTIONS_INIT;
  CHECK(gw_dups_new(&d, NULL, &err) == GW_OK && d);
  CHECK(gw_dups_options_in_use(d)->passage_t == 13);
  gw_dups_free(d);
  gw_dups_free(NULL);
  o.passage_t = 14;
  CHECK(gw_dups_new(&d, &o, &err) == GW_EINVAL && !d);
  o = (gw_dups_options)GW_DUPS_OPTIONS_INIT;
  o.bands = 7;
  CHECK(gw_dups_new(&d, &o, &err) == GW_EINVAL);
  o = (gw_dups_options)GW_DUPS_OPTIONS_INIT;
  o.version = 99;
  CHECK(gw_dups_new(&d, &o, &err) == GW_EINVAL);
  CHECK(strstr(err.message, "version") != NULL);
  o = (gw_dups_options)GW_DUPS_OPTIONS_INIT;
  o.passage_k = 14;
  CHECK(gw_dups_new(&d, &o, &err) == GW_EINVAL);
  o = (gw_dups_options)GW_DUPS_OPTIONS_INIT;
  o.template_min = 1;
  CHECK(gw_dups_new(&d, &o, &err) == GW_EINVAL);
  /* A version-1 caller's struct ends before the version-2 fields: they are
   * not read, and keep their defaults. */
  o = (gw_dups_options)GW_DUPS_OPTIONS_INIT;
  o.version = 1;
  o.template_min = 0;
  o.max_sources = 77;
  CHECK(gw_dups_new(&d, &o, &err) == GW_OK && d);
  CHECK(d && gw_dups_options_in_use(d)->template_min == 5 &&
        gw_dups_options_in_use(d)->max_sources == 10 && gw_dups_options_in_use(d)->passage_t == 13);
  gw_dups_free(d);
}

/* ---- **局 and xxx局 shingle alike; punctuation and spaces dropped ---- */

static void test_masks(void) {
  gw_dups *d = new_dups(NULL);
  add_text(d, "标题一\n**局高度重视意识形态工作，认真落实各项部署要求，取得明显成效。\n");
  add_text(d, "标题二\nxxx局高度重视意识形态工作 认真落实各项部署要求,取得明显成效!\n");
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  CHECK_EQ_SIZE(gw_dups_cluster_count(d), 1);
  const gw_dups_cluster *c = gw_dups_cluster_at(d, 0);
  CHECK(c && c->member_count == 2 && c->documents == 2 && c->min_jaccard == 1.0);
  const gw_dups_member *m = gw_dups_member_at(d, c ? c->member_first + 1 : 0);
  CHECK(m && m->document == 1 && m->paragraph == 1 && m->jaccard == 1.0 &&
        m->containment == 1.0);
  /* The member's offsets are the paragraph's bytes in its file. */
  CHECK(m && m->start == strlen("标题二\n"));
  /* One copy passage over the whole paragraph: the mask, 局 and 26 more. */
  const gw_dups_pair *p = find_pair(d, 0, 1);
  CHECK(p && p->passage_count == 1);
  const gw_dups_passage *ps = p ? gw_dups_passage_at(d, p->passage_first) : NULL;
  CHECK(ps && ps->kind == GW_DUPS_COPY && ps->matched == 28);
  CHECK(ps && ps->a.start == strlen("标题一\n") && ps->b.start == strlen("标题二\n"));
  CHECK(ps && ps->b.end == strlen("标题二\nxxx局高度重视意识形态工作 认真落实各项部署要求,取得明显成效"));
  char *text = NULL;
  size_t len = 0;
  if (ps) CHECK(gw_dups_text(d, 1, ps->b.char_start, ps->b.char_end, &text, &len, NULL) == GW_OK);
  CHECK(text && strcmp(text, "**局高度重视意识形态工作认真落实各项部署要求取得明显成效") == 0);
  CHECK_EQ_SIZE(len, text ? strlen(text) : 0);
  gw_free(text);
  CHECK(gw_dups_text(d, 1, 5, 2, &text, NULL, NULL) == GW_EINVAL && !text);
  gw_dups_free(d);
}

/* ---- clusters verified by exact Jaccard (brute force here) ---- */

#define CL_MAX 256
static size_t han_of(const char *s, int32_t *out) {
  size_t n = 0, len = strlen(s);
  for (size_t i = 0; i < len;) {
    int32_t cp;
    i += gw_utf8_next((const unsigned char *)s + i, len - i, &cp);
    if (gw_is_han(cp)) out[n++] = cp;
  }
  return n;
}

static double brute_jaccard(const char *x, const char *y, size_t k) {
  int32_t a[CL_MAX], b[CL_MAX];
  size_t na = han_of(x, a), nb = han_of(y, b), in = 0, ua = 0, ub = 0;
  /* distinct shingles of each */
  for (size_t i = 0; i + k <= na; i++) {
    int dup = 0;
    for (size_t j = 0; j < i && !dup; j++) dup = !memcmp(a + i, a + j, k * 4);
    if (dup) continue;
    ua++;
    int found = 0;
    for (size_t j = 0; j + k <= nb && !found; j++) found = !memcmp(a + i, b + j, k * 4);
    in += found;
  }
  for (size_t i = 0; i + k <= nb; i++) {
    int dup = 0;
    for (size_t j = 0; j < i && !dup; j++) dup = !memcmp(b + i, b + j, k * 4);
    ub += !dup;
  }
  return (double)in / (double)(ua + ub - in);
}

static void test_clusters(void) {
  const char *p0 = "各级党组织要切实履行主体责任，定期研究分析意识形态领域情况，及时解决突出问题。";
  const char *p1 = "各级党组织要切实履行主体责任，定期研判分析意识形态领域情况，及时解决突出问题。";
  const char *p2 = "各级党组织要切实履行主体责任，定期研究分析意识形态领域情况，认真解决突出问题。";
  const char *other = "今年以来共举办专题讲座十二场，覆盖干部职工三百余人次，效果良好。";
  char buf[1024];
  gw_dups *d = new_dups(NULL);
  snprintf(buf, sizeof buf, "%s\n%s\n", other, p0);
  add_text(d, buf);
  snprintf(buf, sizeof buf, "%s\n", p1);
  add_text(d, buf);
  snprintf(buf, sizeof buf, "春节期间开展走访慰问活动，送去党和政府的温暖。\n%s\n", p2);
  add_text(d, buf);
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  CHECK_EQ_SIZE(gw_dups_cluster_count(d), 1);
  const gw_dups_cluster *c = gw_dups_cluster_at(d, 0);
  CHECK(c && c->member_count == 3 && c->documents == 3);
  double j01 = brute_jaccard(p0, p1, 3), j02 = brute_jaccard(p0, p2, 3),
         j12 = brute_jaccard(p1, p2, 3);
  double best0 = j01 > j02 ? j01 : j02;
  double lo = j01 < j02 ? j01 : j02;
  if (j12 < lo) lo = j12;
  const gw_dups_member *m0 = c ? gw_dups_member_at(d, c->member_first) : NULL;
  CHECK(m0 && m0->document == 0 && m0->paragraph == 1);
  CHECK(m0 && m0->jaccard > best0 - 1e-12 && m0->jaccard < best0 + 1e-12);
  CHECK(c && c->min_jaccard > lo - 1e-12 && c->min_jaccard < lo + 1e-12);
  CHECK(j01 < 1.0 && j01 >= 0.5);
  gw_dups_free(d);
  /* Above the threshold nothing is reported on an estimate. */
  gw_dups_options o = GW_DUPS_OPTIONS_INIT;
  o.min_jaccard = j01 + 0.001 > j02 + 0.001 ? j01 + 0.001 : j02 + 0.001;
  if (j12 + 0.001 > o.min_jaccard) o.min_jaccard = j12 + 0.001;
  o.min_containment = 2.0;
  d = new_dups(&o);
  snprintf(buf, sizeof buf, "%s\n%s\n", p0, p1);
  add_text(d, buf);
  snprintf(buf, sizeof buf, "%s\n", p2);
  add_text(d, buf);
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  CHECK_EQ_SIZE(gw_dups_cluster_count(d), 0);
  gw_dups_free(d);
}

/* A short paragraph inside a long one: its Jaccard index with the long one
 * is low, so LSH bands rarely propose the pair; the shared run does, and
 * containment verifies it.  Also the pieces of a paragraph hard-wrapped at
 * uneven widths, each its own paragraph. */
static void test_containment(void) {
  const char *longp =
      "二是压实意识形态工作责任制，把意识形态工作纳入党建工作责任制，"
      "纳入领导班子、领导干部目标管理，与业务工作同部署、同落实、同检查、"
      "同考核，党委书记认真履行第一责任人职责，班子成员落实一岗双责，"
      "定期分析研判意识形态领域情况，对苗头性倾向性问题及时进行处置。";
  const char *pieces[] = {
      "二是压实意识形态工作责任制，把意识形态工作纳入党建工作责任制，",
      "纳入领导班子、领导干部目标管理，与业务工作同部署、同落实、同检查、同考核，",
      "党委书记认真履行第一责任人职责，班子成员落实一岗双责，",
      "定期分析研判意识形态领域情况，对苗头性倾向性问题及时进行处置。",
  };
  char buf[2048];
  gw_dups *d = new_dups(NULL);
  snprintf(buf, sizeof buf, "今年以来共举办专题讲座十二场，覆盖干部职工三百余人次。\n%s\n", longp);
  add_text(d, buf);
  snprintf(buf, sizeof buf, "春节期间开展走访慰问活动。\n\n%s\n\n%s\n\n%s\n\n%s\n",
           pieces[0], pieces[1], pieces[2], pieces[3]);
  add_text(d, buf);
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  CHECK_EQ_SIZE(gw_dups_cluster_count(d), 1);
  const gw_dups_cluster *c = gw_dups_cluster_at(d, 0);
  CHECK(c && c->member_count == 5 && c->documents == 2);
  for (size_t i = 0; c && i < c->member_count; i++) {
    const gw_dups_member *m = gw_dups_member_at(d, c->member_first + i);
    CHECK(m->containment > 0.999);
    if (m->document == 1) CHECK(m->jaccard < 0.5); /* found on containment */
  }
  gw_dups_free(d);
  /* With containment off, the pieces are not near-duplicates of the whole. */
  gw_dups_options o = GW_DUPS_OPTIONS_INIT;
  o.min_containment = 2.0;
  d = new_dups(&o);
  snprintf(buf, sizeof buf, "%s\n", longp);
  add_text(d, buf);
  snprintf(buf, sizeof buf, "%s\n\n%s\n", pieces[0], pieces[2]);
  add_text(d, buf);
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  CHECK_EQ_SIZE(gw_dups_cluster_count(d), 0);
  gw_dups_free(d);
}

/* ---- the sort the index uses ---- */

static int cmp_record(const void *x, const void *y) {
  const uint64_t *p = x, *q = y;
  if (p[0] != q[0]) return p[0] < q[0] ? -1 : 1;
  return (p[1] > q[1]) - (p[1] < q[1]);
}

static void test_sort(void) {
  /* Random keys, runs of equal keys (a boilerplate paragraph in many
   * documents), and keys equal but for their low bytes: gw_dups_sort must
   * give what qsort gives. */
  size_t sizes[] = {0, 1, 5, 24, 25, 300, 5000, 100000};
  uint64_t state = 7;
  for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
    size_t n = sizes[s];
    uint64_t *a = malloc((2 * n + 1) * sizeof *a), *b = malloc((2 * n + 1) * sizeof *b);
    for (size_t i = 0; i < n; i++) {
      state = gw_dups_mix(state + i);
      uint64_t key = state;
      if (i % 7 == 0) key = 0x1234567890abcdefull;            /* equal keys */
      else if (i % 5 == 0) key = 0xfedcba9876543200ull | (state & 3); /* low bytes */
      a[2 * i] = key;
      a[2 * i + 1] = gw_dups_mix(state ^ 99) % 1000;
    }
    memcpy(b, a, 2 * n * sizeof *a);
    CHECK(gw_dups_sort(a, n, 2 * sizeof *a, cmp_record) == GW_OK);
    qsort(b, n, 2 * sizeof *b, cmp_record);
    CHECK(memcmp(a, b, 2 * n * sizeof *a) == 0);
    free(a);
    free(b);
  }
}

/* ---- the winnowing guarantee ---- */

static uint64_t rng = 42;
static uint32_t next_rand(void) {
  rng = rng * 6364136223846793005ull + 1442695040888963407ull;
  return (uint32_t)(rng >> 33);
}

static size_t random_han(char *out, size_t chars) {
  size_t n = 0;
  for (size_t i = 0; i < chars; i++) {
    n += gw_utf8_encode(0x4E00 + (int32_t)(next_rand() % 6000), out + n);
    if (next_rand() % 40 == 0) out[n++] = '\n';
  }
  return n;
}

static void check_guarantee(unsigned t, unsigned k, int trials) {
  gw_dups_options o = GW_DUPS_OPTIONS_INIT;
  o.passage_t = t;
  o.passage_k = k;
  int found = 0;
  /* Random Han text is partly traditional: no folding here, so that both
   * copies of the run stay alike whatever surrounds them. */
  opts.normalizer = NULL;
  for (int trial = 0; trial < trials; trial++) {
    static char a[8192], b[8192], run[256];
    size_t rl = 0;
    for (unsigned i = 0; i < t; i++)
      rl += gw_utf8_encode(0x4E00 + (int32_t)(next_rand() % 6000), run + rl);
    size_t a1 = random_han(a, 20 + next_rand() % 200);
    memcpy(a + a1, run, rl);
    size_t a_at = a1;
    /* The characters after the run differ, so the match is exactly t. */
    a1 += rl;
    a1 += gw_utf8_encode(0x9F00, a + a1);
    a1 += random_han(a + a1, 20 + next_rand() % 200);
    size_t b1 = random_han(b, 20 + next_rand() % 200);
    b1 += gw_utf8_encode(0x9F01, b + b1);
    size_t b_at = b1;
    memcpy(b + b1, run, rl);
    b1 += rl;
    b1 += gw_utf8_encode(0x9F02, b + b1);
    b1 += random_han(b + b1, 20 + next_rand() % 200);
    gw_dups *d = new_dups(&o);
    add_bytes(d, "a", a, a1, NULL);
    add_bytes(d, "b", b, b1, NULL);
    CHECK(gw_dups_run(d, NULL) == GW_OK);
    const gw_dups_pair *p = find_pair(d, 0, 1);
    int ok = 0;
    for (size_t i = 0; p && i < p->passage_count; i++) {
      const gw_dups_passage *ps = gw_dups_passage_at(d, p->passage_first + i);
      if (ps->a.start <= a_at && ps->a.end >= a_at + rl && ps->b.start <= b_at &&
          ps->b.end >= b_at + rl && ps->kind == GW_DUPS_COPY)
        ok = 1;
    }
    found += ok;
    if (!ok) {
      fprintf(stderr, "missed: run at a %zu b %zu (%zu bytes)\n", a_at, b_at, rl);
      for (size_t i = 0; p && i < p->passage_count; i++) {
        const gw_dups_passage *ps = gw_dups_passage_at(d, p->passage_first + i);
        fprintf(stderr, "  passage a %zu-%zu b %zu-%zu kind %d\n", ps->a.start,
                ps->a.end, ps->b.start, ps->b.end, (int)ps->kind);
      }
    }
    gw_dups_free(d);
  }
  opts.normalizer = nz;
  CHECK(found == trials);
  if (found != trials) fprintf(stderr, "t=%u k=%u: %d of %d found\n", t, k, found, trials);
}

/* ---- the corpus ---- */

static void add_seeds(gw_dups *d, const char *official_term) {
  for (size_t i = 0; i < SEED_COUNT; i++) {
    size_t len;
    char *s = read_seed(i, &len);
    add_bytes(d, seeds[i], s, len, official_term);
    free(s);
  }
}

static int has_passage(const gw_dups *d, const gw_dups_pair *p, size_t as, size_t ae,
                       size_t bs, size_t be, size_t matched) {
  for (size_t i = 0; p && i < p->passage_count; i++) {
    const gw_dups_passage *ps = gw_dups_passage_at(d, p->passage_first + i);
    if (ps->kind == GW_DUPS_COPY && ps->a.start == as && ps->a.end == ae &&
        ps->b.start == bs && ps->b.end == be && ps->matched == matched)
      return 1;
  }
  return 0;
}

static void test_corpus(void) {
  gw_dups *d = new_dups(NULL);
  add_seeds(d, NULL);
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  CHECK_EQ_SIZE(gw_dups_document_count(d), 5);
  const gw_dups_pair *p = find_pair(d, 3, 4);
  CHECK(p != NULL);
  /* Checked by hand: 003 bytes 5657..5702 and 004 bytes 5286..5331 are
   * 特别注意掌握网络舆情，牢牢掌握 (14 characters), and 003 3452..3506 and 004
   * 4362..4416 are 式，不断加强党员干部思想建设工作力度 (17). */
  CHECK(has_passage(d, p, 5657, 5702, 5286, 5331, 14));
  CHECK(has_passage(d, p, 3452, 3506, 4362, 4416, 17));
  /* Frequency never hides copying: 习近平新时代中国特色社会主义思想, in
   * every seed and not given as official here, is copied between 003 and
   * 004 too, and all five seeds hold it: a family of five, a template. */
  size_t term_copies = 0;
  for (size_t k = 0; p && k < p->passage_count; k++) {
    const gw_dups_passage *ps = gw_dups_passage_at(d, p->passage_first + k);
    char *text = NULL;
    CHECK(gw_dups_text(d, 3, ps->a.char_start, ps->a.char_end, &text, NULL, NULL) == GW_OK);
    if (text && strcmp(text, "习近平新时代中国特色社会主义思想") == 0)
      term_copies += ps->kind == GW_DUPS_COPY;
    gw_free(text);
  }
  CHECK(term_copies > 0);
  size_t p34_copied = p ? p->copied_a : 0;
  CHECK(p34_copied > 31);
  int five = 0;
  for (size_t f = 0; f < gw_dups_family_count(d); f++) {
    const gw_dups_family *fam = gw_dups_family_at(d, f);
    const gw_dups_family_member *m = gw_dups_family_member_at(d, fam->member_first + fam->text_member);
    char *text = NULL;
    CHECK(gw_dups_text(d, m->document, m->range.char_start, m->range.char_end, &text, NULL,
                       NULL) == GW_OK);
    if (fam->documents == 5 && text && strstr(text, "习近平新时代中国特色社会主义思想")) five = 1;
    gw_free(text);
  }
  CHECK(five);
  const gw_dups_document *d3 = gw_dups_document_at(d, 3);
  CHECK(d3 && d3->template_copied > 0 && d3->template_copied < d3->copied);
  CHECK(d3 && d3->source_count == 4 && d3->copy_ratio > 0.0);
  CHECK(d3 && fabs(d3->template_ratio + d3->few_ratio - d3->copy_ratio) < 1e-9);
  gw_dups_free(d);

  /* 001 and 002 share six passages, four of them the term with a character
   * or two around it; given as an official span it is not copied, and the
   * passage is reported apart, once: 002 holds the term once (001's four
   * places are not each listed with that one place). */
  d = new_dups(NULL);
  add_seeds(d, NULL);
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  p = find_pair(d, 1, 2);
  CHECK(p && p->copied_a == 102 && count_kind(d, p, GW_DUPS_COPY) == 6);
  gw_dups_free(d);
  d = new_dups(NULL);
  add_seeds(d, "习近平新时代中国特色社会主义思想");
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  p = find_pair(d, 1, 2);
  CHECK(p && p->copied_a == 13 + 23 && count_kind(d, p, GW_DUPS_COPY) == 2 &&
        count_kind(d, p, GW_DUPS_OFFICIAL) == 1);
  CHECK(gw_dups_document_at(d, 1)->official == 4 * 16);
  gw_dups_free(d);

  /* A term inside a copied sentence is not copied, but the sentence still
   * is: 网络舆情 in 特别注意掌握网络舆情，牢牢掌握 leaves 10 copied. */
  d = new_dups(NULL);
  add_seeds(d, "网络舆情");
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  p = find_pair(d, 3, 4);
  CHECK(has_passage(d, p, 5657, 5702, 5286, 5331, 14));
  CHECK(p && p->copied_a == p34_copied - 4);
  gw_dups_free(d);
}

/* The advertising lines of seed 001 are noise: a file of nothing but them
 * shares nothing with seed 001, and a copy of seed 001 counts none of it. */
static void test_advertising(void) {
  size_t len;
  char *s = read_seed(1, &len);
  const char *ad = strstr(s, "【哒哒素材库】");
  CHECK(ad != NULL);
  if (!ad) { free(s); return; }
  const char *ad_end = strstr(ad, "谨防假冒！");
  CHECK(ad_end != NULL);
  ad_end += strlen("谨防假冒！");
  gw_dups *d = new_dups(NULL);
  add_bytes(d, "001", s, len, NULL);
  add_bytes(d, "ads", ad, (size_t)(ad_end - ad), NULL);
  add_bytes(d, "001-copy", s, len, NULL);
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  CHECK(find_pair(d, 0, 1) == NULL && find_pair(d, 1, 2) == NULL);
  CHECK_EQ_SIZE(gw_dups_document_at(d, 1)->characters, 0);
  const gw_dups_pair *p = find_pair(d, 0, 2);
  CHECK(p && p->copied_a == gw_dups_document_at(d, 0)->characters);
  char *text = NULL;
  CHECK(gw_dups_text(d, 0, 0, gw_dups_document_at(d, 0)->characters, &text, NULL, NULL) == GW_OK);
  CHECK(text && !strstr(text, "哒哒") && !strstr(text, "素材库"));
  gw_free(text);
  gw_dups_free(d);
  free(s);
}

/* A document against itself, an edited copy and a shortened copy. */
static void test_self(void) {
  size_t len;
  char *s = read_seed(3, &len);
  gw_dups *d = new_dups(NULL);
  add_bytes(d, "003", s, len, NULL);
  add_bytes(d, "003-copy", s, len, NULL);
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  size_t n = gw_dups_document_at(d, 0)->characters;
  CHECK_EQ_SIZE(n, 2907);
  const gw_dups_pair *p = find_pair(d, 0, 1);
  CHECK(p && p->similarity == 1.0 && p->copied_a == n && p->copied_b == n);
  CHECK(p && p->passage_count == 1);
  const gw_dups_passage *ps = p ? gw_dups_passage_at(d, p->passage_first) : NULL;
  CHECK(ps && ps->a.char_start == 0 && ps->a.char_end == n && ps->matched == n);
  CHECK(ps && ps->a.start == ps->b.start && ps->a.end == ps->b.end);
  CHECK(gw_dups_document_at(d, 0)->copy_ratio == 1.0);
  CHECK(gw_dups_document_at(d, 1)->copy_ratio == 1.0);
  gw_dups_free(d);

  /* One character replaced mid-document: still one passage over all of it,
   * every character but one matched. */
  char *e = malloc(len);
  memcpy(e, s, len);
  char *at = strstr(e, "特别注意掌握网络舆情");
  CHECK(at != NULL);
  if (at) memcpy(at, "持", 3); /* 特 → 持 */
  d = new_dups(NULL);
  add_bytes(d, "003", s, len, NULL);
  add_bytes(d, "003-edited", e, len, NULL);
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  p = find_pair(d, 0, 1);
  CHECK(p && p->passage_count == 1 && p->copied_a == n && p->copied_b == n);
  ps = p ? gw_dups_passage_at(d, p->passage_first) : NULL;
  CHECK(ps && ps->matched == n - 1 && ps->a.char_end == n);
  CHECK(gw_dups_document_at(d, 1)->copy_ratio == 1.0);
  gw_dups_free(d);

  /* A paragraph deleted from the copy: the copy is all copied, the
   * original's copied characters are the copy's characters. */
  memcpy(e, s, len);
  char *para = strstr(e, "\n一是把握导向");
  char *para_end = para ? strchr(para + 1, '\n') : NULL;
  CHECK(para && para_end);
  size_t elen = len;
  if (para && para_end) {
    memmove(para, para_end, (size_t)(e + len - para_end));
    elen = len - (size_t)(para_end - para);
  }
  d = new_dups(NULL);
  add_bytes(d, "003", s, len, NULL);
  add_bytes(d, "003-cut", e, elen, NULL);
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  size_t m = gw_dups_document_at(d, 1)->characters;
  CHECK(m < n - 100);
  p = find_pair(d, 0, 1);
  CHECK(p && p->copied_a == m && p->copied_b == m);
  /* Two long passages, before and after the cut (and the term repeated on
   * both sides matching across it). */
  size_t long_ones = 0, covered = 0;
  for (size_t i = 0; p && i < p->passage_count; i++) {
    const gw_dups_passage *x = gw_dups_passage_at(d, p->passage_first + i);
    if (x->matched > 1000) { long_ones++; covered += x->b.char_end - x->b.char_start; }
  }
  CHECK(long_ones == 2 && covered == m);
  CHECK(gw_dups_document_at(d, 1)->copy_ratio == 1.0);
  double r = gw_dups_document_at(d, 0)->copy_ratio;
  CHECK(r == (double)m / (double)n);
  gw_dups_free(d);
  free(e);
  free(s);
}

/* A phrase shared by most documents is copying all the same (the rule that
 * hid it is gone): four documents are a family of four, each with the
 * phrase copied; five make it a template (template_min 5). */
static void test_frequent_phrase(void) {
  const char *phrase = "坚持以人民为中心的发展思想推动高质量发展";
  char buf[5][4096];
  for (int i = 0; i < 5; i++) {
    size_t n = random_han(buf[i], 40);
    n += (size_t)sprintf(buf[i] + n, "，%s，", phrase);
    n += random_han(buf[i] + n, 40);
    buf[i][n] = '\0';
  }
  for (int docs = 4; docs <= 5; docs++) {
    gw_dups *d = new_dups(NULL);
    for (int i = 0; i < docs; i++) add_bytes(d, "g", buf[i], strlen(buf[i]), NULL);
    CHECK(gw_dups_run(d, NULL) == GW_OK);
    CHECK_EQ_SIZE(gw_dups_pair_count(d), (size_t)(docs * (docs - 1) / 2));
    for (size_t i = 0; i < gw_dups_pair_count(d); i++) {
      const gw_dups_pair *p = gw_dups_pair_at(d, i);
      CHECK(p->copied_a == 20 && count_kind(d, p, GW_DUPS_COPY) == 1);
    }
    for (int i = 0; i < docs; i++) {
      const gw_dups_document *di = gw_dups_document_at(d, (size_t)i);
      CHECK(di->copied == 20 && di->template_copied == (docs >= 5 ? 20u : 0u));
    }
    CHECK_EQ_SIZE(gw_dups_family_count(d), 1);
    const gw_dups_family *f = gw_dups_family_at(d, 0);
    CHECK(f && f->documents == (size_t)docs && f->member_count == (size_t)docs &&
          f->characters == 20);
    gw_dups_free(d);
  }
}

/* n random Han characters, no line break. */
static size_t han_only(char *out, size_t chars) {
  size_t n = 0;
  for (size_t i = 0; i < chars; i++) n += gw_utf8_encode(0x4E00 + (int32_t)(next_rand() % 6000), out + n);
  out[n] = '\0';
  return n;
}

/* Whether a family has a member in document doc. */
static int family_holds(const gw_dups *d, const gw_dups_family *f, size_t doc) {
  for (size_t k = 0; k < f->member_count; k++)
    if (gw_dups_family_member_at(d, f->member_first + k)->document == doc) return 1;
  return 0;
}

/* A family is one text: two reports sharing a long passage, inside which
 * lies a short stretch that `copies` reports of a template also hold
 * (inside the template's own text), are a pair, not members of the
 * template's family; their copying is not template copying.  The template's
 * copies are one family of `copies`.  With six copies every two documents
 * are compared; with ten, each with a hub (the first document holding a
 * fingerprint: the pair's first report or a copy, by the order added). */
static void test_family_one_text(void) {
  char stretch[128], passage[2048], templ[2048];
  han_only(stretch, 20);
  size_t pn = han_only(passage, 90);
  strcpy(passage + pn, stretch);
  han_only(passage + strlen(passage), 90);
  size_t tn = han_only(templ, 40);
  strcpy(templ + tn, stretch);
  han_only(templ + strlen(templ), 40);
  size_t passage_chars = 200, templ_chars = 100;
  for (int copies = 6; copies <= 10; copies += 4) {
    for (int pair_first = 0; pair_first <= 1; pair_first++) {
      char doc[12][4096];
      size_t n_docs = (size_t)copies + 2;
      for (size_t i = 0; i < n_docs; i++) {
        size_t n = han_only(doc[i], 30);
        int is_pair = pair_first ? i < 2 : i >= (size_t)copies;
        n += (size_t)sprintf(doc[i] + n, "，%s，", is_pair ? passage : templ);
        han_only(doc[i] + n, 30);
      }
      size_t p = pair_first ? 0 : (size_t)copies, q = p + 1;
      gw_dups *d = new_dups(NULL);
      for (size_t i = 0; i < n_docs; i++) add_bytes(d, "doc", doc[i], strlen(doc[i]), NULL);
      CHECK(gw_dups_run(d, NULL) == GW_OK);
      const gw_dups_pair *pq = find_pair(d, p, q);
      CHECK(pq && pq->copied_a >= passage_chars && pq->copied_b >= passage_chars);
      CHECK_EQ_SIZE(gw_dups_family_count(d), 1);
      const gw_dups_family *f = gw_dups_family_at(d, 0);
      CHECK(f && f->documents == (size_t)copies && f->member_count == (size_t)copies &&
            f->characters >= templ_chars && f->characters < templ_chars + 4);
      CHECK(f && !family_holds(d, f, p) && !family_holds(d, f, q));
      for (size_t i = 0; i < n_docs; i++) {
        const gw_dups_document *di = gw_dups_document_at(d, i);
        if (i == p || i == q) {
          CHECK(di->copied >= passage_chars && di->template_copied == 0 &&
                di->template_ratio == 0.0 && di->few_ratio == di->copy_ratio);
        } else {
          CHECK(di->copied >= templ_chars && di->template_copied == di->copied);
        }
      }
      gw_dups_free(d);
    }
  }
}

/* A family's text is the template as it first appeared: the members of
 * the earliest year, the longest of them (the most whole copy), the first
 * of equals in input order.  A template P+Q is copied whole into documents
 * 1, 2 and 3 and without Q into document 0 (first in input order, so the
 * first member); each document also shares a stretch of its own with one
 * other, which is no part of the family. */
static const gw_dups_family_member *text_member_of(const gw_dups *d, const gw_dups_family *f) {
  return gw_dups_family_member_at(d, f->member_first + f->text_member);
}

static void test_family_text(void) {
  char p[512], q[256], doc[4][4096];
  size_t p_chars = 60, q_chars = 30;
  han_only(p, p_chars);
  han_only(q, q_chars);
  for (size_t i = 0; i < 4; i++) {
    size_t n = han_only(doc[i], 40);
    n += (size_t)sprintf(doc[i] + n, "。%s%s。", p, i == 0 ? "" : q);
    han_only(doc[i] + n, 40);
  }
  gw_dups *d = new_dups(NULL);
  for (size_t i = 0; i < 4; i++) add_bytes(d, "doc", doc[i], strlen(doc[i]), NULL);
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  CHECK_EQ_SIZE(gw_dups_family_count(d), 1);
  const gw_dups_family *f = gw_dups_family_at(d, 0);
  CHECK(f && f->documents == 4 && f->earliest_year == 0);
  /* No year known: the longest member, the first of equals (the first
   * member, document 0's, is the shortest). */
  const gw_dups_family_member *t = f ? text_member_of(d, f) : NULL;
  CHECK(t && t->document == 1 && f->text_member == 1);
  CHECK(f && f->characters == p_chars + q_chars);
  CHECK(t && t->range.char_end - t->range.char_start == f->characters);
  /* The earliest year first, however short: document 0 of 2018. */
  gw_error err;
  CHECK(gw_dups_set_origin(d, 0, NULL, 2018, &err) == GW_OK);
  for (size_t i = 1; i < 4; i++) CHECK(gw_dups_set_origin(d, i, NULL, 2020, &err) == GW_OK);
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  f = gw_dups_family_at(d, 0);
  t = f ? text_member_of(d, f) : NULL;
  CHECK(f && f->earliest_year == 2018 && t && t->document == 0 && f->characters == p_chars);
  /* Among the earliest year's members, the longest: 0 and 3 of 2018. */
  CHECK(gw_dups_set_origin(d, 3, NULL, 2018, &err) == GW_OK);
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  f = gw_dups_family_at(d, 0);
  t = f ? text_member_of(d, f) : NULL;
  CHECK(f && f->earliest_year == 2018 && t && t->document == 3 &&
        f->characters == p_chars + q_chars);
  /* A year known beats an unknown one: 1 and 2 unknown (their text holds
   * no year; a year given cannot be taken back, so a new index), 0 and 3
   * of 2021 and 2019: 3. */
  gw_dups_free(d);
  d = new_dups(NULL);
  for (size_t i = 0; i < 4; i++) add_bytes(d, "doc", doc[i], strlen(doc[i]), NULL);
  CHECK(gw_dups_set_origin(d, 0, NULL, 2021, &err) == GW_OK);
  CHECK(gw_dups_set_origin(d, 3, NULL, 2019, &err) == GW_OK);
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  f = gw_dups_family_at(d, 0);
  t = f ? text_member_of(d, f) : NULL;
  CHECK(f && f->earliest_year == 2019 && t && t->document == 3);
  gw_dups_free(d);
}

/* The same documents give the same results, field by field. */
/* The same pairs, passages, ratios and clusters. */
static void check_same_results(const gw_dups *x, const gw_dups *y) {
  CHECK_EQ_SIZE(gw_dups_pair_count(x), gw_dups_pair_count(y));
  for (size_t i = 0; i < gw_dups_pair_count(x) && i < gw_dups_pair_count(y); i++) {
    const gw_dups_pair *a = gw_dups_pair_at(x, i), *b = gw_dups_pair_at(y, i);
    CHECK(a->a == b->a && a->b == b->b && a->copied_a == b->copied_a &&
          a->passage_count == b->passage_count);
    for (size_t k = 0; k < a->passage_count && k < b->passage_count; k++) {
      const gw_dups_passage *pa = gw_dups_passage_at(x, a->passage_first + k);
      const gw_dups_passage *pb = gw_dups_passage_at(y, b->passage_first + k);
      CHECK(pa->a.start == pb->a.start && pa->b.end == pb->b.end && pa->kind == pb->kind);
    }
  }
  CHECK_EQ_SIZE(gw_dups_document_count(x), gw_dups_document_count(y));
  for (size_t i = 0; i < gw_dups_document_count(x) && i < gw_dups_document_count(y); i++)
    CHECK(gw_dups_document_at(x, i)->copied == gw_dups_document_at(y, i)->copied);
  CHECK_EQ_SIZE(gw_dups_cluster_count(x), gw_dups_cluster_count(y));
  for (size_t i = 0; i < gw_dups_cluster_count(x) && i < gw_dups_cluster_count(y); i++)
    CHECK(gw_dups_cluster_at(x, i)->member_count == gw_dups_cluster_at(y, i)->member_count);
  CHECK_EQ_SIZE(gw_dups_family_count(x), gw_dups_family_count(y));
  for (size_t i = 0; i < gw_dups_family_count(x) && i < gw_dups_family_count(y); i++) {
    const gw_dups_family *a = gw_dups_family_at(x, i), *b = gw_dups_family_at(y, i);
    CHECK(a->member_count == b->member_count && a->documents == b->documents &&
          a->characters == b->characters && a->text_member == b->text_member);
    for (size_t k = 0; k < a->member_count && k < b->member_count; k++) {
      const gw_dups_family_member *ma = gw_dups_family_member_at(x, a->member_first + k);
      const gw_dups_family_member *mb = gw_dups_family_member_at(y, b->member_first + k);
      CHECK(ma->document == mb->document && ma->range.start == mb->range.start &&
            ma->range.end == mb->range.end);
    }
  }
}

static void test_deterministic(void) {
  gw_dups_options one = GW_DUPS_OPTIONS_INIT, four = GW_DUPS_OPTIONS_INIT;
  one.threads = 1;
  four.threads = 4;
  gw_dups *x = new_dups(&one), *y = new_dups(&four);
  add_seeds(x, NULL);
  add_seeds(y, NULL);
  CHECK(gw_dups_run(x, NULL) == GW_OK && gw_dups_run(y, NULL) == GW_OK);
  CHECK(gw_dups_run(x, NULL) == GW_OK); /* running again changes nothing */
  CHECK(gw_dups_family_count(x) > 0);
  check_same_results(x, y);
  gw_dups_free(x);
  gw_dups_free(y);
}

/* A base document's text is never copying: what the others share with it
 * is counted apart and names it; made an ordinary document again, it is. */
static void test_base(void) {
  char notice[1024], doc[3][2048];
  size_t nn = random_han(notice, 60);
  notice[nn] = '\0';
  for (int i = 0; i < 3; i++) {
    size_t n = random_han(doc[i], 40);
    n += (size_t)sprintf(doc[i] + n, "。%s。", notice);
    n += random_han(doc[i] + n, 40);
    doc[i][n] = '\0';
  }
  gw_dups *d = new_dups(NULL);
  add_bytes(d, "notice", notice, nn, NULL);
  for (int i = 0; i < 3; i++) add_bytes(d, "doc", doc[i], strlen(doc[i]), NULL);
  gw_error err;
  CHECK(gw_dups_set_base(d, 4, 1, &err) == GW_EINVAL);
  CHECK(gw_dups_set_base(d, 0, 1, &err) == GW_OK);
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  CHECK_EQ_SIZE(gw_dups_pair_count(d), 0);
  CHECK_EQ_SIZE(gw_dups_family_count(d), 0);
  size_t notice_chars = gw_dups_document_at(d, 0)->characters;
  CHECK(gw_dups_document_at(d, 0)->is_base);
  for (size_t i = 1; i < 4; i++) {
    const gw_dups_document *di = gw_dups_document_at(d, i);
    CHECK(di->copied == 0 && di->base == notice_chars && di->source_count == 0 &&
          di->base_source_count == 1 &&
          gw_dups_source_at(d, di->base_source_first)->document == 0);
    /* the share of its non-official text taken from the notice: the base
     * characters over characters less official ones, never above 1 */
    const gw_dups_source *bs = gw_dups_source_at(d, di->base_source_first);
    double expected = (double)di->base / (double)(di->characters - di->official);
    CHECK(bs->share > 0 && bs->share <= 1.0 && bs->share - expected < 1e-9 &&
          expected - bs->share < 1e-9);
  }
  CHECK(gw_dups_set_base(d, 0, 0, NULL) == GW_OK);
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  CHECK_EQ_SIZE(gw_dups_family_count(d), 1);
  CHECK(gw_dups_family_at(d, 0)->documents == 4);
  for (size_t i = 1; i < 4; i++) {
    const gw_dups_document *di = gw_dups_document_at(d, i);
    CHECK(di->copied == notice_chars && di->base == 0 && di->base_source_count == 0);
  }
  gw_dups_free(d);
}

/* Units and years from the caller (a metadata table): the family's
 * earliest member follows the years given, and copying from an earlier
 * report of the same unit is self-copy; an unknown unit, a later report or
 * another unit's report is not. */
static void test_origin(void) {
  char shared[512], doc[4][2048];
  size_t sn = random_han(shared, 60);
  shared[sn] = '\0';
  for (int i = 0; i < 4; i++) {
    size_t n = random_han(doc[i], 40);
    n += (size_t)sprintf(doc[i] + n, "。%s。", shared);
    n += random_han(doc[i] + n, 40);
    doc[i][n] = '\0';
  }
  gw_dups *d = new_dups(NULL);
  for (int i = 0; i < 4; i++) add_bytes(d, "doc", doc[i], strlen(doc[i]), NULL);
  gw_error err;
  CHECK(gw_dups_set_origin(d, 4, "甲局", 2020, &err) == GW_EINVAL);
  CHECK(gw_dups_set_origin(d, 0, "甲局", -1, &err) == GW_EINVAL);
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  CHECK_EQ_SIZE(gw_dups_family_count(d), 1);
  CHECK(gw_dups_family_at(d, 0)->earliest_year == 0);
  for (size_t i = 0; i < 4; i++) CHECK(gw_dups_document_at(d, i)->self_copied == 0);
  /* 0 and 2 of one unit, 2 the later; 1 of another unit; 3's unit unknown */
  char unit[16];
  strcpy(unit, "甲局");
  CHECK(gw_dups_set_origin(d, 0, unit, 2021, &err) == GW_OK);
  strcpy(unit, "乙局"); /* the string is the handle's copy */
  CHECK(gw_dups_set_origin(d, 1, unit, 2019, &err) == GW_OK);
  CHECK(gw_dups_set_origin(d, 2, "甲局", 2023, &err) == GW_OK);
  CHECK(gw_dups_set_origin(d, 3, NULL, 2018, &err) == GW_OK);
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  const gw_dups_family *f = gw_dups_family_at(d, 0);
  CHECK(f && f->earliest_year == 2018 &&
        gw_dups_family_member_at(d, f->member_first + f->text_member)->document == 3);
  CHECK(gw_dups_document_at(d, 2)->year == 2023);
  const gw_dups_document *later = gw_dups_document_at(d, 2);
  CHECK(later->self_copied == later->copied && later->copied > 0);
  CHECK(later->self_ratio > 0 && later->self_ratio == later->copy_ratio);
  for (size_t i = 0; i < 4; i++)
    if (i != 2) CHECK(gw_dups_document_at(d, i)->self_copied == 0);
  /* the same year: not earlier */
  CHECK(gw_dups_set_origin(d, 2, "甲局", 2021, &err) == GW_OK);
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  CHECK(gw_dups_document_at(d, 2)->self_copied == 0);
  /* year 0 keeps the year; units met again are the same unit */
  CHECK(gw_dups_set_origin(d, 2, "甲局", 0, &err) == GW_OK);
  CHECK(gw_dups_set_origin(d, 0, "甲局", 2020, &err) == GW_OK);
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  CHECK(gw_dups_document_at(d, 2)->year == 2021 && gw_dups_document_at(d, 2)->self_copied > 0);
  /* many units: the table grows */
  for (int i = 0; i < 300; i++) {
    snprintf(unit, sizeof unit, "unit%d", i);
    CHECK(gw_dups_set_origin(d, 1, unit, 0, &err) == GW_OK);
  }
  CHECK(gw_dups_set_origin(d, 1, "甲局", 2019, &err) == GW_OK);
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  CHECK(gw_dups_document_at(d, 0)->self_copied > 0); /* 2020, 1 is 2019 */
  gw_dups_free(d);
}

/* Documents prepared on threads of their own and added in order, and an
 * index extended after a run, give what adding them all at once gives. */
typedef struct prepare_job {
  const gw_dups *dups;
  size_t seed;
  gw_dups_input *input;
  int rc;
} prepare_job;

static void *prepare_seed(void *arg) {
  prepare_job *job = arg;
  size_t len;
  char *s = read_seed(job->seed, &len);
  gw_document *doc = load(seeds[job->seed], s, len);
  job->rc = gw_dups_prepare(job->dups, doc, NULL, 0, &job->input, NULL);
  gw_document_free(doc);
  free(s);
  return NULL;
}

static void test_prepared(void) {
  gw_dups *x = new_dups(NULL), *y = new_dups(NULL), *z = new_dups(NULL);
  add_seeds(x, NULL);
  CHECK(gw_dups_run(x, NULL) == GW_OK);
  prepare_job jobs[SEED_COUNT];
  pthread_t threads[SEED_COUNT];
  for (size_t i = 0; i < SEED_COUNT; i++) {
    jobs[i] = (prepare_job){y, i, NULL, -1};
    CHECK(pthread_create(&threads[i], NULL, prepare_seed, &jobs[i]) == 0);
  }
  for (size_t i = 0; i < SEED_COUNT; i++) {
    pthread_join(threads[i], NULL);
    CHECK(jobs[i].rc == GW_OK);
    CHECK(jobs[i].rc || gw_dups_add_prepared(y, jobs[i].input, NULL) == GW_OK);
    gw_dups_input_free(jobs[i].input);
  }
  CHECK(gw_dups_run(y, NULL) == GW_OK);
  check_same_results(x, y);
  /* An input is added once, and only to the handle it was prepared for. */
  prepare_job again = {z, 0, NULL, -1};
  prepare_seed(&again);
  CHECK(again.rc == GW_OK);
  gw_error err;
  CHECK(gw_dups_add_prepared(y, again.input, &err) == GW_EINVAL);
  CHECK(gw_dups_add_prepared(z, again.input, NULL) == GW_OK);
  CHECK(gw_dups_add_prepared(z, again.input, &err) == GW_EINVAL);
  gw_dups_input_free(again.input);
  gw_dups_free(z);
  z = new_dups(NULL);
  /* Three seeds, a run, then the other two and a run again. */
  for (size_t i = 0; i < SEED_COUNT; i++) {
    size_t len;
    char *s = read_seed(i, &len);
    add_bytes(z, seeds[i], s, len, NULL);
    free(s);
    if (i == 2) CHECK(gw_dups_run(z, NULL) == GW_OK);
  }
  CHECK(gw_dups_run(z, NULL) == GW_OK);
  check_same_results(x, z);
  gw_dups_free(x);
  gw_dups_free(y);
  gw_dups_free(z);
}

/* ---- characters beyond the Basic Multilingual Plane ---- */

/* Prepared (gw_dups_prepare, as the tools add documents) into d. */
static void add_prepared_text(gw_dups *d, const char *name, const char *text) {
  gw_document *doc = load(name, text, strlen(text));
  gw_dups_input *in = NULL;
  CHECK(gw_dups_prepare(d, doc, NULL, 0, &in, NULL) == GW_OK);
  CHECK(in && gw_dups_add_prepared(d, in, NULL) == GW_OK);
  gw_dups_input_free(in);
  gw_document_free(doc);
}

/* A document wholly in the BMP is kept in 16 bits, one with a character
 * beyond it (U+20000..: CJK extension B, 4 bytes in UTF-8) in 32; copies
 * between the two are found as between any two, with their offsets, and
 * the results are those of gw_dups_add (every document in 32 bits). */
static void test_wide_characters(void) {
  static const char *const texts[] = {
      /* 0: BMP only, a mask; its second paragraph is copied into 1 and 2. */
      "标题甲\n"
      "**局高度重视意识形态工作，认真落实各项部署要求，取得明显成效，群众满意度持续提升。\n"
      "本单位今年共组织学习活动十二次，覆盖干部职工三百余人。\n",
      /* 1: the same paragraph, then one with U+20000 and U+2A6A5 inside. */
      "标题乙\n"
      "**局高度重视意识形态工作，认真落实各项部署要求，取得明显成效，群众满意度持续提升。\n"
      "本单位𠀀今年共组织学习活动十二次，覆盖干部𪚥职工三百余人。\n",
      /* 2: BMP only, 1's second paragraph without its two wide characters:
       * the copy with 1 stops at each of them. */
      "标题丙\n"
      "**局高度重视意识形态工作，认真落实各项部署要求，取得明显成效，群众满意度持续提升。\n"
      "本单位今年共组织学习活动十二次，覆盖干部职工三百余人。\n",
      /* 3: wide, 1's second paragraph copied whole. */
      "标题丁\n"
      "另起一段与其他报告无关的文字内容用于区分。\n"
      "本单位𠀀今年共组织学习活动十二次，覆盖干部𪚥职工三百余人。\n",
  };
  gw_dups *x = new_dups(NULL), *y = new_dups(NULL);
  for (size_t i = 0; i < 4; i++) {
    add_prepared_text(x, "wide", texts[i]);
    add_text(y, texts[i]);
  }
  /* Kept in 16 bits where every character fits, else in 32. */
  CHECK(x->docs[0].cp16 && !x->docs[0].cp && x->docs[2].cp16);
  CHECK(!x->docs[1].cp16 && x->docs[1].cp && !x->docs[3].cp16);
  for (size_t i = 0; i < 4; i++) CHECK(!y->docs[i].cp16 && y->docs[i].cp);
  CHECK(gw_dups_run(x, NULL) == GW_OK && gw_dups_run(y, NULL) == GW_OK);
  check_same_results(x, y);
  /* 16 bits against 32: from the first paragraph of 0 and 1 on, over 1's
   * 𠀀 (a gap), to the end of 覆盖干部 (before 𪚥 in 1). */
  const char *last = "覆盖干部";
  const gw_dups_pair *p = find_pair(x, 0, 1);
  CHECK(p && p->passage_count == 1);
  const gw_dups_passage *ps = p ? gw_dups_passage_at(x, p->passage_first) : NULL;
  CHECK(ps && ps->kind == GW_DUPS_COPY);
  CHECK(ps && ps->a.start == strlen("标题甲\n") && ps->b.start == strlen("标题乙\n"));
  CHECK(ps && ps->a.end == (size_t)(strstr(texts[0], last) - texts[0]) + strlen(last));
  CHECK(ps && ps->b.end == (size_t)(strstr(texts[1], last) - texts[1]) + strlen(last));
  /* 32 bits against 32: the paragraph with the wide characters, whole, its
   * offsets in bytes of UTF-8 (4 for each wide character). */
  p = find_pair(x, 1, 3);
  const char *wide = "本单位𠀀今年共组织学习活动十二次，覆盖干部𪚥职工三百余人";
  size_t at1 = (size_t)(strstr(texts[1], wide) - texts[1]);
  size_t at3 = (size_t)(strstr(texts[3], wide) - texts[3]);
  int found = 0;
  for (size_t i = 0; p && i < p->passage_count; i++) {
    const gw_dups_passage *q = gw_dups_passage_at(x, p->passage_first + i);
    if (q->a.start == at1 && q->a.end == at1 + strlen(wide) && q->b.start == at3 &&
        q->b.end == at3 + strlen(wide)) {
      found = 1;
      char *text = NULL;
      CHECK(gw_dups_text(x, 3, q->b.char_start, q->b.char_end, &text, NULL, NULL) == GW_OK);
      CHECK(text && strcmp(text, "本单位𠀀今年共组织学习活动十二次覆盖干部𪚥职工三百余人") == 0);
      gw_free(text);
    }
  }
  CHECK(found);
  /* 32 bits against 16: the same with 2 (equal to 0). */
  p = find_pair(x, 1, 2);
  CHECK(p && p->passage_count == 1);
  ps = p ? gw_dups_passage_at(x, p->passage_first) : NULL;
  CHECK(ps && ps->a.start == strlen("标题乙\n") && ps->b.start == strlen("标题丙\n"));
  CHECK(ps && ps->a.end == (size_t)(strstr(texts[1], last) - texts[1]) + strlen(last));
  CHECK(ps && ps->b.end == (size_t)(strstr(texts[2], last) - texts[2]) + strlen(last));
  /* A near-duplicate cluster across the widths: 0, 1 and 2's first
   * paragraphs, all equal. */
  int mixed = 0;
  for (size_t c = 0; c < gw_dups_cluster_count(x); c++) {
    const gw_dups_cluster *cl = gw_dups_cluster_at(x, c);
    mixed |= cl->member_count == 3 && cl->min_jaccard == 1.0;
  }
  CHECK(mixed);
  gw_dups_free(x);
  gw_dups_free(y);
}

/* gw_dups_run frees the fingerprints and band keys once used; whatever
 * needs them again makes the same ones from the characters: another run,
 * a copy added after the run, more documents added. */
static void test_sketches_dropped(void) {
  gw_dups *x = new_dups(NULL), *y = new_dups(NULL);
  add_seeds(x, NULL);
  add_prepared_text(x, "wide", "标题\n本单位𠀀今年共组织学习活动十二次，覆盖干部𪚥职工三百余人。\n");
  size_t n_fps = x->fps_count, n_keys = x->elig_count * x->opts.bands;
  gw_dups_fp *fps = malloc((n_fps + 1) * sizeof *fps);
  uint64_t *keys = malloc((n_keys + 1) * sizeof *keys);
  memcpy(fps, x->fps, n_fps * sizeof *fps);
  memcpy(keys, x->keys, n_keys * sizeof *keys);
  CHECK(gw_dups_run(x, NULL) == GW_OK);
  CHECK(x->sketches_dropped && !x->fps && !x->keys && x->fps_count == 0);
  CHECK(gw_dups_restore_sketches(x) == GW_OK && !x->sketches_dropped);
  CHECK_EQ_SIZE(x->fps_count, n_fps);
  CHECK(x->fps_count == n_fps && memcmp(x->fps, fps, n_fps * sizeof *fps) == 0);
  CHECK(x->keys && memcmp(x->keys, keys, n_keys * sizeof *keys) == 0);
  CHECK(gw_dups_restore_sketches(x) == GW_OK); /* nothing to do */
  /* Run, add a copy of document 3 (its sketches copied), run again: as a
   * handle given the same documents at once. */
  CHECK(gw_dups_run(x, NULL) == GW_OK);
  CHECK(gw_dups_add_copy(x, 3, NULL) == GW_OK && !x->sketches_dropped);
  CHECK(gw_dups_run(x, NULL) == GW_OK);
  add_seeds(y, NULL);
  add_prepared_text(y, "wide", "标题\n本单位𠀀今年共组织学习活动十二次，覆盖干部𪚥职工三百余人。\n");
  CHECK(gw_dups_add_copy(y, 3, NULL) == GW_OK);
  CHECK(gw_dups_run(y, NULL) == GW_OK);
  check_same_results(x, y);
  CHECK(gw_dups_pair_count(x) > 0 && find_pair(x, 3, SEED_COUNT + 1));
  free(fps);
  free(keys);
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
  test_options();
  test_masks();
  test_clusters();
  test_containment();
  test_sort();
  check_guarantee(13, 8, 300);
  check_guarantee(10, 5, 200);
  check_guarantee(13, 13, 100);
  test_corpus();
  test_advertising();
  test_self();
  test_frequent_phrase();
  test_family_one_text();
  test_family_text();
  test_deterministic();
  test_base();
  test_origin();
  test_prepared();
  test_wide_characters();
  test_sketches_dropped();
  gw_noise_free(noise);
  gw_normalizer_free(nz);
  return gw_test_report();
}
