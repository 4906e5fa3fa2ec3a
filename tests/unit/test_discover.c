/* Unit tests of candidate discovery (lib/terms/discover.c). */
#include <stdio.h>
#include <string.h>

#include "gongwen.h"
#include "harness.h"

static gw_document *doc_from(const char *text) {
  gw_document *d = NULL;
  CHECK(gw_document_load_buffer(&d, "doc", text, strlen(text), NULL, NULL) == GW_OK);
  return d;
}

static const gw_candidate *find(const gw_discovery *d, const char *text) {
  for (size_t i = 0; i < gw_discovery_candidate_count(d); i++)
    if (strcmp(gw_discovery_candidate_at(d, i)->text, text) == 0) return gw_discovery_candidate_at(d, i);
  return NULL;
}

static const char *const docs[] = {
    "树牢“四个意识”，坚决做到两个维护。落实三会一课制度，履行一岗双责。"
    "坚持守土有责、守土负责、守土尽责。推进网格化管理工作。加强网格化管理队伍。\n",
    "增强四个意识，落实一岗双责，坚持同部署、同落实、同检查、同考核。"
    "深化网格化管理机制。完善网格化管理平台。我们是一个整体。\n",
    "开展三会一课。创新网格化管理方式，提升网格化管理水平，依托网格化管理系统。\n"};

static void run(const gw_terms *known, gw_discovery **out) {
  gw_discovery *d = NULL;
  CHECK(gw_discovery_new(&d, known, NULL) == GW_OK);
  for (size_t i = 0; i < 3; i++) {
    gw_document *doc = doc_from(docs[i]);
    CHECK(gw_discovery_add(d, doc, NULL) == GW_OK);
    gw_document_free(doc);
  }
  gw_discovery_options o = GW_DISCOVERY_OPTIONS_INIT;
  o.min_entropy = 0.5;
  o.min_pmi = 1.0;
  CHECK(gw_discovery_compute(d, &o, NULL) == GW_OK);
  *out = d;
}

int main(void) {
  gw_discovery *d;
  run(NULL, &d);
  const gw_candidate *c = find(d, "四个意识");
  CHECK(c && c->kind == GW_CANDIDATE_NUMBERED && c->count == 2 && c->documents == 2);
  c = find(d, "两个维护");
  CHECK(c && c->kind == GW_CANDIDATE_NUMBERED && c->count == 1);
  c = find(d, "三会一课");
  CHECK(c && c->kind == GW_CANDIDATE_NUMBERED && c->count == 2 && c->documents == 2);
  c = find(d, "一岗双责");
  CHECK(c && c->kind == GW_CANDIDATE_NUMBERED && c->count == 2);
  CHECK(find(d, "一个整体") == NULL); /* 一个 is "a", no formulation */
  c = find(d, "守土有责、守土负责、守土尽责");
  CHECK(c && c->kind == GW_CANDIDATE_PARALLEL && c->count == 1);
  c = find(d, "同部署、同落实、同检查、同考核");
  CHECK(c && c->kind == GW_CANDIDATE_PARALLEL);
  /* 网格化管理: 7 times in 3 documents, different neighbours each time. */
  c = find(d, "网格化管理");
  CHECK(c && c->kind == GW_CANDIDATE_NGRAM && c->count == 7 && c->documents == 3);
  CHECK(c && c->pmi > 1.0 && c->left_entropy > 1.0 && c->right_entropy > 1.0);
  /* Its pieces are not: always followed by the same character. */
  CHECK(find(d, "网格化管") == NULL);
  CHECK(find(d, "格化管理") == NULL);
  /* Sorted by kind, then count. */
  for (size_t i = 1; i < gw_discovery_candidate_count(d); i++) {
    const gw_candidate *a = gw_discovery_candidate_at(d, i - 1), *b = gw_discovery_candidate_at(d, i);
    CHECK(a->kind < b->kind || (a->kind == b->kind && a->count >= b->count));
  }
  gw_discovery_free(d);
  /* Known terms are never candidates. */
  gw_terms *t = NULL;
  const char *tsv = "四个意识\t数字概括\n三会一课\t数字概括\n守土有责、守土负责、守土尽责\t提法口号\n网格化管理\t制度机制\n";
  CHECK(gw_terms_new(&t, NULL) == GW_OK && gw_terms_add_buffer(t, "k.tsv", tsv, strlen(tsv), NULL) == GW_OK);
  run(t, &d);
  CHECK(find(d, "四个意识") == NULL);
  CHECK(find(d, "三会一课") == NULL);
  CHECK(find(d, "守土有责、守土负责、守土尽责") == NULL);
  CHECK(find(d, "网格化管理") == NULL);
  CHECK(find(d, "一岗双责") != NULL);
  gw_discovery_free(d);
  gw_terms_free(t);
  CHECK(gw_discovery_compute(NULL, NULL, NULL) == GW_EINVAL);
  return gw_test_report();
}
