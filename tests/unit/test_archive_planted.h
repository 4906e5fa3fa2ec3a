/* A planted set for the archive's tests: random Han reports with copies
 * planted between them (a template shared by six, pairs across the split,
 * a unit's own earlier report handed in again, a near-duplicate paragraph,
 * copying inside the archive alone, a passage reaching the batch through
 * two archive documents), made from a fixed seed. */
#ifndef GW_ARCHIVE_PLANTED_H
#define GW_ARCHIVE_PLANTED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLANTED_DOCS 24
#define PLANTED_SPLIT 16 /* documents [0, 16) go to the archive */

typedef struct planted_doc {
  char path[64];
  char unit[16];
  int year;
  char *text;
  size_t len;
} planted_doc;

static uint64_t planted_rng;

static uint32_t planted_next(void) {
  planted_rng = planted_rng * 6364136223846793005ull + 1442695040888963407ull;
  return (uint32_t)(planted_rng >> 33);
}

typedef struct pbuf {
  char *s;
  size_t len, cap;
} pbuf;

static void pb_put(pbuf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    b->cap = (b->len + n + 1) * 2;
    b->s = realloc(b->s, b->cap);
    if (!b->s) exit(1);
  }
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

static void pb_str(pbuf *b, const char *s) { pb_put(b, s, strlen(s)); }

static void pb_han(pbuf *b, size_t n) {
  for (size_t i = 0; i < n; i++) {
    uint32_t cp = 0x4E00 + planted_next() % 3000;
    char u[3] = {(char)(0xE0 | (cp >> 12)), (char)(0x80 | ((cp >> 6) & 0x3F)),
                 (char)(0x80 | (cp & 0x3F))};
    pb_put(b, u, 3);
  }
}

/* A paragraph of random sentences. */
static char *planted_paragraph(void) {
  pbuf b = {0};
  size_t sentences = 2 + planted_next() % 3;
  for (size_t s = 0; s < sentences; s++) {
    pb_han(&b, 12 + planted_next() % 18);
    pb_str(&b, planted_next() % 4 ? "\xEF\xBC\x8C" : "");
    pb_han(&b, 6 + planted_next() % 10);
    pb_str(&b, "\xE3\x80\x82");
  }
  return b.s;
}

/* Every third character of a paragraph changed: near, not equal. */
static char *planted_edit(const char *p, unsigned every) {
  char *e = strdup(p);
  size_t n = strlen(e), k = 0;
  for (size_t i = 0; i + 3 <= n; i += 3) {
    if ((unsigned char)e[i] < 0xE4 || (unsigned char)e[i] > 0xE9) continue;
    if (++k % every) continue;
    e[i + 2] = (char)(0x80 | (((unsigned char)e[i + 2] + 7) & 0x3F));
  }
  return e;
}

/* paragraphs[d][p]: each document's own paragraphs, the plants replacing
 * some. */
#define PLANTED_PARAS 8

static void planted_make(planted_doc *docs) {
  planted_rng = 20261204;
  char *paras[PLANTED_DOCS][PLANTED_PARAS];
  for (int d = 0; d < PLANTED_DOCS; d++)
    for (int p = 0; p < PLANTED_PARAS; p++) paras[d][p] = planted_paragraph();
  char *tmpl = planted_paragraph();
  static const int template_docs[] = {1, 4, 7, 10, 17, 20};
  for (size_t i = 0; i < sizeof template_docs / sizeof *template_docs; i++) {
    free(paras[template_docs[i]][3]);
    paras[template_docs[i]][3] = strdup(tmpl);
  }
  free(tmpl);
#define PLANT(dst, dp, src, sp) (free(paras[dst][dp]), paras[dst][dp] = strdup(paras[src][sp]))
  PLANT(18, 5, 3, 2);                    /* batch copies archive */
  free(paras[19][1]);
  paras[19][1] = planted_edit(paras[5][6], 9); /* edited copy */
  for (int p = 0; p < PLANTED_PARAS; p += 2) PLANT(21, p, 2, p); /* own earlier report */
  PLANT(22, 4, 16, 7);                   /* inside the batch */
  PLANT(6, 2, 8, 2);                     /* inside the archive only */
  PLANT(11, 6, 9, 6);                    /* 9 → 11 → 23 and 12 */
  PLANT(23, 0, 11, 6);
  free(paras[12][0]);
  {
    pbuf b = {0};
    pb_str(&b, paras[11][6]);
    pb_str(&b, paras[11][7]);
    paras[12][0] = b.s;
  }
  free(paras[16][2]);
  paras[16][2] = planted_edit(paras[13][4], 5); /* near-duplicate paragraph */
#undef PLANT
  static const char official[] = "\xE4\xB9\xA0\xE8\xBF\x91\xE5\xB9\xB3\xE6\x96\xB0\xE6\x97\xB6"
                                 "\xE4\xBB\xA3\xE4\xB8\xAD\xE5\x9B\xBD\xE7\x89\xB9\xE8\x89\xB2"
                                 "\xE7\xA4\xBE\xE4\xBC\x9A\xE4\xB8\xBB\xE4\xB9\x89\xE6\x80\x9D"
                                 "\xE6\x83\xB3"; /* 习近平新时代中国特色社会主义思想 */
  for (int d = 0; d < PLANTED_DOCS; d++) {
    planted_doc *pd = &docs[d];
    int unit = d == 21 ? 2 : d % 7;
    pd->year = d < PLANTED_SPLIT ? 2021 + d % 2 : 2023;
    snprintf(pd->unit, sizeof pd->unit, "u%02d", unit);
    snprintf(pd->path, sizeof pd->path, "%s/%d-r%02d.txt", pd->unit, pd->year, d);
    pbuf b = {0};
    char year[32];
    snprintf(year, sizeof year, "%d\xE5\xB9\xB4\xE5\xB7\xA5\xE4\xBD\x9C\xE6\x80\xBB\xE7\xBB\x93\n",
             pd->year); /* YYYY年工作总结 */
    pb_str(&b, year);
    for (int p = 0; p < PLANTED_PARAS; p++) {
      if (p == 1) pb_str(&b, official);
      pb_str(&b, paras[d][p]);
      pb_str(&b, "\n");
      free(paras[d][p]);
    }
    pd->text = b.s;
    pd->len = b.len;
  }
}

static void planted_free(planted_doc *docs) {
  for (int d = 0; d < PLANTED_DOCS; d++) free(docs[d].text);
}

#endif
