/* The limits of copy detection at their edge (gongwen.h: GW_DUPS_STAR_ABOVE,
 * GW_DUPS_REPEAT_PAIRS, GW_DUPS_BAND_ALL_PAIRS): at the limit the results
 * are those of no limit and gw_dups_limits_applied says 0; one past it the
 * documented behaviour takes over and the count says so. */
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dups_index.h"
#include "harness.h"

static uint64_t rng = 16;
static uint32_t next_rand(void) {
  rng = rng * 6364136223846793005ull + 1442695040888963407ull;
  return (uint32_t)(rng >> 33);
}

/* n random Han characters from [from, from + 3000) (never repeating a
 * 3-gram in practice). */
static size_t random_han_from(char *out, size_t n, int32_t from) {
  size_t len = 0;
  for (size_t i = 0; i < n; i++) len += gw_utf8_encode(from + (int32_t)(next_rand() % 3000), out + len);
  out[len] = '\0';
  return len;
}

static size_t random_han(char *out, size_t n) { return random_han_from(out, n, 0x4E00); }

static gw_dups *new_dups(void) {
  gw_dups_options o = GW_DUPS_OPTIONS_INIT;
  o.all_pairs = 1; /* every pair found, so that counts are those compared */
  o.max_sources = 0;
  gw_dups *d = NULL;
  if (gw_dups_new(&d, &o, NULL) != GW_OK) exit(1);
  return d;
}

static void add_text(gw_dups *d, const char *text) {
  gw_document_options opts = GW_DOCUMENT_OPTIONS_INIT;
  gw_document *doc = NULL;
  CHECK(gw_document_load_buffer(&doc, "limits", text, strlen(text), &opts, NULL) == GW_OK);
  CHECK(gw_dups_add(d, doc, NULL, 0, NULL) == GW_OK);
  gw_document_free(doc);
}

/* A passage of 30 characters in `docs` documents, each with text of its
 * own around it: up to GW_DUPS_STAR_ABOVE documents every two are compared
 * (a pair each); beyond, each is compared with the hub (the first) on the
 * fingerprints all of them hold (two others are still compared where a
 * fingerprint at the passage's edge is in fewer of them), and the family
 * is still one of them all, each member whole. */
static void check_star(size_t docs) {
  char passage[128], text[1024];
  random_han(passage, 30);
  gw_dups *d = new_dups();
  for (size_t i = 0; i < docs; i++) {
    size_t n = random_han(text, 40);
    n += (size_t)sprintf(text + n, "。%s。", passage);
    random_han(text + n, 40);
    add_text(d, text);
  }
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  const gw_dups_limits *lim = gw_dups_limits_applied(d);
  int past = docs > GW_DUPS_STAR_ABOVE;
  CHECK(past ? lim->star_above > 0 : lim->star_above == 0);
  size_t all = docs * (docs - 1) / 2, with_hub = 0;
  if (past) CHECK(gw_dups_pair_count(d) < all);
  else CHECK_EQ_SIZE(gw_dups_pair_count(d), all);
  for (size_t i = 0; i < gw_dups_pair_count(d); i++) {
    const gw_dups_pair *p = gw_dups_pair_at(d, i);
    with_hub += p->a == 0 && p->copied_a == 30 && p->copied_b == 30;
  }
  CHECK_EQ_SIZE(with_hub, docs - 1);
  CHECK_EQ_SIZE(gw_dups_family_count(d), 1);
  const gw_dups_family *f = gw_dups_family_at(d, 0);
  CHECK(f && f->documents == docs && f->member_count == docs && f->characters == 30);
  for (size_t i = 0; i < docs; i++) CHECK(gw_dups_document_at(d, i)->copied == 30);
  CHECK(lim->repeat_pairs == 0 && lim->band_all_pairs == 0);
  gw_dups_free(d);
}

/* A phrase of 20 characters nx times in one document and ny times in
 * another, text of their own between: up to GW_DUPS_REPEAT_PAIRS
 * pairings every occurrence is compared with every other (a passage
 * each); beyond, rank by rank on the fingerprints every occurrence holds
 * (fewer passages; those at the phrase's edges, in fewer occurrences,
 * still pair all theirs), and every occurrence is still found. */
static void check_repeat(size_t nx, size_t ny) {
  char phrase[128], text[8192];
  random_han_from(phrase, 20, 0x7000);
  gw_dups *d = new_dups();
  /* The two documents' own text from different characters: no match
   * runs on past the phrase. */
  for (size_t side = 0; side < 2; side++) {
    int32_t own = side ? 0x4E00 : 0x5A00;
    size_t n = 0;
    for (size_t r = 0; r < (side ? ny : nx); r++) {
      n += random_han_from(text + n, 30, own);
      n += (size_t)sprintf(text + n, "，%s，", phrase);
    }
    random_han_from(text + n, 30, own);
    add_text(d, text);
  }
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  const gw_dups_limits *lim = gw_dups_limits_applied(d);
  int past = nx * ny > GW_DUPS_REPEAT_PAIRS;
  CHECK(past ? lim->repeat_pairs > 0 : lim->repeat_pairs == 0);
  CHECK_EQ_SIZE(gw_dups_pair_count(d), 1);
  const gw_dups_pair *p = gw_dups_pair_at(d, 0);
  size_t passages = p ? p->passage_count : 0;
  if (past) CHECK(passages >= (nx > ny ? nx : ny) && (nx == 1 ? passages == ny : passages < nx * ny));
  else CHECK_EQ_SIZE(passages, nx * ny);
  for (size_t i = 0; p && i < p->passage_count; i++)
    CHECK(gw_dups_passage_at(d, p->passage_first + i)->matched == 20);
  /* Every occurrence is found either way. */
  CHECK(p && p->copied_a == 20 * nx && p->copied_b == 20 * ny);
  CHECK(lim->star_above == 0 && lim->band_all_pairs == 0);
  gw_dups_free(d);
}

/* One paragraph in `docs` documents (each with a paragraph of its own):
 * its band keys are the same in every band, so each band has a group of
 * `docs` paragraphs: up to GW_DUPS_BAND_ALL_PAIRS every pair is proposed,
 * beyond it a chain and a star (once per band); the cluster is the same. */
static void check_band(size_t docs) {
  char common[256], text[1024];
  random_han(common, 50);
  gw_dups *d = new_dups();
  for (size_t i = 0; i < docs; i++) {
    size_t n = random_han(text, 50);
    n += (size_t)sprintf(text + n, "。\n%s。\n", common);
    add_text(d, text);
  }
  CHECK(gw_dups_run(d, NULL) == GW_OK);
  const gw_dups_limits *lim = gw_dups_limits_applied(d);
  size_t bands = gw_dups_options_in_use(d)->bands;
  CHECK_EQ_SIZE(lim->band_all_pairs, docs > GW_DUPS_BAND_ALL_PAIRS ? bands : 0);
  CHECK_EQ_SIZE(gw_dups_cluster_count(d), 1);
  const gw_dups_cluster *c = gw_dups_cluster_at(d, 0);
  CHECK(c && c->member_count == docs && c->documents == docs && c->min_jaccard == 1.0);
  for (size_t i = 0; c && i < c->member_count; i++) {
    const gw_dups_member *m = gw_dups_member_at(d, c->member_first + i);
    CHECK(m->document == i && m->paragraph == 1 && m->jaccard == 1.0);
  }
  gw_dups_free(d);
}

/* ---- out of memory names the document ---- */

/* AddressSanitizer and ThreadSanitizer reserve terabytes of address
 * space: no RLIMIT_AS under them.  GCC says so with __SANITIZE_ADDRESS__
 * and __SANITIZE_THREAD__, clang with __has_feature. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GW_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define GW_UNDER_ASAN 1
#endif
#endif

#if !defined(GW_UNDER_ASAN)
static const char *const big_name = "报告-big.txt";

/* The address space the process uses now (VmSize). */
static size_t address_space(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  unsigned long pages = 0;
  if (f) {
    if (fscanf(f, "%lu", &pages) != 1) pages = 0;
    fclose(f);
  }
  return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

enum { NAMED = 0, UNNAMED = 1, ADDED = 2, FAILED = 3 };

/* In a child: a document of 2 M characters added (prepared = 0: the
 * first large block it needs is 28 MB) or prepared before and then added
 * (1) with 2 MB of address space left.  The
 * exit status says whether it ran out of memory and named the document. */
static int add_under_limit(int prepared) {
  size_t chars = 2000000;
  char *text = malloc(3 * chars + 1);
  if (!text) return FAILED;
  random_han(text, chars);
  gw_document_options opts = GW_DOCUMENT_OPTIONS_INIT;
  gw_document *doc = NULL;
  gw_dups *d = new_dups();
  gw_dups_input *in = NULL;
  gw_error err;
  if (gw_document_load_buffer(&doc, big_name, text, strlen(text), &opts, NULL) != GW_OK ||
      (prepared && gw_dups_prepare(d, doc, NULL, 0, &in, NULL) != GW_OK))
    return FAILED;
  size_t limit = address_space() + ((size_t)2 << 20);
  struct rlimit rl = {limit, limit};
  if (setrlimit(RLIMIT_AS, &rl) != 0) return FAILED;
  int rc = prepared ? gw_dups_add_prepared(d, in, &err) : gw_dups_add(d, doc, NULL, 0, &err);
  if (rc == GW_OK) return ADDED;
  if (rc != GW_ENOMEM) return FAILED;
  fprintf(stderr, "(expected) %s\n", err.message);
  return strncmp(err.message, big_name, strlen(big_name)) == 0 ? NAMED : UNNAMED;
}
#endif

/* gw_dups_add and gw_dups_add_prepared out of memory: the message begins
 * with the document's name (issue 16: it said "gw_dups_add: out of
 * memory"). */
static void test_out_of_memory(void) {
#if defined(GW_UNDER_ASAN)
  fprintf(stderr, "note: out of memory skipped (the sanitizer reserves "
                  "terabytes of address space)\n");
#else
  /* valgrind's own allocator shares the address-space limit with the
   * program, so what runs out under it is not the program's allocation. */
  const char *preload = getenv("LD_PRELOAD");
  if (preload && strstr(preload, "vgpreload")) {
    fprintf(stderr, "note: out of memory skipped under valgrind\n");
    return;
  }
  for (int prepared = 0; prepared <= 1; prepared++) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) _exit(add_under_limit(prepared));
    int status = 0;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
    /* Adding a prepared input may find its memory among what preparing
     * freed; out of memory, it names the document too. */
    int ok = WIFEXITED(status) &&
             (WEXITSTATUS(status) == NAMED || (prepared && WEXITSTATUS(status) == ADDED));
    CHECK(ok);
    if (!ok)
      fprintf(stderr, "prepared %d: %s %d\n", prepared, WIFEXITED(status) ? "exit" : "signal",
              WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
  }
#endif
}

/* The limits as the header documents them (tools print these numbers). */
static void test_values(void) {
  CHECK(GW_DUPS_STAR_ABOVE == 8);
  CHECK(GW_DUPS_REPEAT_PAIRS == 16);
  CHECK(GW_DUPS_BAND_ALL_PAIRS == 48);
}

int main(void) {
  test_values();
  check_star(GW_DUPS_STAR_ABOVE);
  check_star(GW_DUPS_STAR_ABOVE + 1);
  check_repeat(4, 4);  /* 16 pairings: every one */
  check_repeat(1, 17); /* 17: rank by rank, which for one occurrence is every one */
  check_repeat(2, 9);  /* 18: rank by rank */
  check_repeat(3, 9);  /* 27: rank by rank, fewer passages than pairings */
  check_band(GW_DUPS_BAND_ALL_PAIRS);
  check_band(GW_DUPS_BAND_ALL_PAIRS + 1);
  test_out_of_memory();
  return gw_test_report();
}
