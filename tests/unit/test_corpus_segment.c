/* Golden: over corpus/, every policy term of dict/lexicon.txt comes out as
 * one token wherever it occurs (unless it sits inside a longer term), with
 * the built dictionary, noise removal and normalization of the tools.  An
 * occurrence inside a longer term that came out whole, or crossing another
 * term's occurrence, is left out. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongwen.h"
#include "harness.h"

typedef struct terms {
  char **items;
  size_t count;
} terms;

static terms load_lexicon(const char *path) {
  terms t = {NULL, 0};
  FILE *f = fopen(path, "rb");
  if (!f) return t;
  char line[1024];
  size_t cap = 0;
  while (fgets(line, sizeof line, f)) {
    if (line[0] == '#' || line[0] == '\n') continue;
    char *end = strpbrk(line, " \t\r\n");
    if (end) *end = '\0';
    if (strlen(line) < 6) continue; /* one character is no term */
    if (t.count == cap) {
      cap = cap ? cap * 2 : 256;
      t.items = realloc(t.items, cap * sizeof *t.items);
    }
    t.items[t.count++] = strdup(line);
  }
  fclose(f);
  return t;
}

/* Token boundaries of a document in normalized offsets: starts[i] = 1 when
 * a precise-mode token starts at i, ends[i] = 1 when one ends there. */
static void token_boundaries(gw_segmenter *seg, const gw_document *doc,
                             unsigned char *starts, unsigned char *ends) {
  size_t len;
  const char *norm = gw_document_normalized(doc, &len);
  for (size_t p = 0; p < gw_document_paragraph_count(doc); p++) {
    const gw_paragraph *para = gw_document_paragraph_at(doc, p);
    const gw_token *t;
    size_t n;
    size_t base = para->range.norm_start;
    if (gw_segment(seg, norm + base, para->range.norm_end - base, &t, &n, NULL)) continue;
    for (size_t i = 0; i < n; i++) {
      starts[base + t[i].start] = 1;
      ends[base + t[i].end] = 1;
    }
  }
}

/* Whether [s, e) is one token: boundaries at both ends and none inside. */
static int one_token(const unsigned char *starts, const unsigned char *ends,
                     size_t s, size_t e) {
  if (!starts[s] || !ends[e]) return 0;
  for (size_t i = s + 1; i < e; i++)
    if (starts[i]) return 0;
  return 1;
}

typedef struct occurrence {
  size_t start, end;
  size_t term;
} occurrence;

static size_t find_occurrences(const char *norm, size_t len, const terms *t,
                               occurrence **out) {
  size_t n = 0, cap = 64;
  occurrence *occ = malloc(cap * sizeof *occ);
  for (size_t k = 0; k < t->count; k++) {
    size_t tl = strlen(t->items[k]);
    for (const char *at = norm; (at = strstr(at, t->items[k])) != NULL; at += tl) {
      if (n == cap) occ = realloc(occ, (cap *= 2) * sizeof *occ);
      occ[n].start = (size_t)(at - norm);
      occ[n].end = occ[n].start + tl;
      occ[n].term = k;
      n++;
    }
  }
  (void)len;
  *out = occ;
  return n;
}

/* An occurrence that overlaps another term's without either containing the
 * other (主题党日 and 党日活动 in 主题党日活动) cannot always be one token:
 * the path picks one of them. */
static int overlaps_partly(const occurrence *occ, size_t n, size_t i) {
  for (size_t j = 0; j < n; j++) {
    int overlap = occ[j].start < occ[i].end && occ[i].start < occ[j].end;
    int nested = (occ[j].start <= occ[i].start && occ[j].end >= occ[i].end) ||
                 (occ[i].start <= occ[j].start && occ[i].end >= occ[j].end);
    if (j != i && overlap && !nested) return 1;
  }
  return 0;
}

/* A term inside a longer term that came out whole is covered by it. */
static int inside_whole_longer(const occurrence *occ, size_t n, size_t i,
                               const unsigned char *starts,
                               const unsigned char *ends) {
  for (size_t j = 0; j < n; j++)
    if (occ[j].start <= occ[i].start && occ[j].end >= occ[i].end &&
        occ[j].end - occ[j].start > occ[i].end - occ[i].start &&
        one_token(starts, ends, occ[j].start, occ[j].end))
      return 1;
  return 0;
}

int main(void) {
  gw_error err;
  gw_dict *dict = NULL;
  gw_noise *noise = NULL;
  gw_normalizer *normalizer = NULL;
  gw_segmenter *seg = NULL;
  CHECK(gw_dict_load_file(&dict, GW_DATA_BUILD_DIR "/gongwen.gwd", &err) == GW_OK);
  CHECK(gw_noise_load_file(&noise, GW_DICT_SOURCE_DIR "/noise.txt", &err) == GW_OK);
  CHECK(gw_normalizer_new(&normalizer, &err) == GW_OK);
  if (!dict || !noise || !normalizer) return gw_test_report();
  CHECK(gw_segmenter_new(&seg, dict, NULL, &err) == GW_OK);
  terms lexicon = load_lexicon(GW_DICT_SOURCE_DIR "/lexicon.txt");
  CHECK(lexicon.count >= 200);

  gw_document_options opts = GW_DOCUMENT_OPTIONS_INIT;
  opts.noise = noise;
  opts.normalizer = normalizer;
  const char *seeds[] = {"000_c510bc378b158120.txt", "001_84632f9a43899128.txt",
                         "002_1aded01d7d411218.txt", "003_1973e543c9b997a8.txt",
                         "004_c0ae98798d36dd3b.txt"};
  unsigned char *seen = calloc(lexicon.count, 1);
  size_t checked = 0, broken = 0;
  for (size_t d = 0; d < sizeof seeds / sizeof *seeds; d++) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", GW_CORPUS_DIR, seeds[d]);
    gw_document *doc = NULL;
    CHECK(gw_document_load_file(&doc, path, &opts, &err) == GW_OK);
    if (!doc) continue;
    size_t len;
    const char *norm = gw_document_normalized(doc, &len);
    unsigned char *starts = calloc(len + 1, 1), *ends = calloc(len + 1, 1);
    token_boundaries(seg, doc, starts, ends);
    occurrence *occ;
    size_t n = find_occurrences(norm, len, &lexicon, &occ);
    for (size_t i = 0; i < n; i++) {
      if (one_token(starts, ends, occ[i].start, occ[i].end)) {
        checked++;
        seen[occ[i].term] = 1;
        continue;
      }
      if (overlaps_partly(occ, n, i) || inside_whole_longer(occ, n, i, starts, ends))
        continue;
      checked++;
      {
        broken++;
        fprintf(stderr, "%s:%zu: %s is not one token\n", seeds[d], occ[i].start,
                lexicon.items[occ[i].term]);
      }
    }
    free(occ);
    free(starts);
    free(ends);
    gw_document_free(doc);
  }
  size_t distinct = 0;
  for (size_t k = 0; k < lexicon.count; k++) distinct += seen[k];
  printf("%zu occurrences of %zu distinct lexicon terms checked\n", checked, distinct);
  CHECK(distinct >= 60);
  CHECK_EQ_SIZE(broken, 0);

  /* the terms the issue names came out whole somewhere, so the check
   * cannot pass by the lexicon losing them */
  const char *named[] = {"习近平新时代中国特色社会主义思想", "意识形态工作责任制",
                         "一岗双责", "三会一课", "四个意识", "学习强国",
                         "网评员", "主题党日", "网络意识形态工作责任制"};
  for (size_t i = 0; i < sizeof named / sizeof *named; i++) {
    int found = 0;
    for (size_t k = 0; k < lexicon.count && !found; k++)
      found = seen[k] && strcmp(lexicon.items[k], named[i]) == 0;
    if (!found) fprintf(stderr, "named term %s not checked in corpus/\n", named[i]);
    CHECK(found);
  }
  for (size_t k = 0; k < lexicon.count; k++) free(lexicon.items[k]);
  free(lexicon.items);
  free(seen);
  gw_segmenter_free(seg);
  gw_normalizer_free(normalizer);
  gw_noise_free(noise);
  gw_dict_free(dict);
  return gw_test_report();
}
