/* csv.c — the unit ranking as CSV (see csv.h). */
#include "csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "records.h"

static int csv_field(buffer *b, const char *s) {
  if (!strpbrk(s, ",\"\r\n")) return buffer_adds(b, s);
  int rc = buffer_adds(b, "\"");
  for (; *s && !rc; s++) rc = *s == '"' ? buffer_adds(b, "\"\"") : buffer_add(b, s, 1);
  return rc || buffer_adds(b, "\"");
}

/* A figure, or nothing when unknown; a share as a percentage. */
static int csv_number(buffer *b, int known, double value, int percent) {
  char text[64] = "";
  if (known && percent) snprintf(text, sizeof text, "%.1f%%", value * 100.0);
  else if (known) snprintf(text, sizeof text, "%.0f", value);
  return buffer_adds(b, text);
}

static int csv_number_of(buffer *b, const cJSON *o, const char *key, int percent) {
  const cJSON *v = cJSON_GetObjectItem(o, key);
  return csv_number(b, cJSON_IsNumber(v), cJSON_IsNumber(v) ? v->valuedouble : 0, percent);
}

typedef struct ranked {
  double ratio;
  size_t doc;
} ranked;

static int ratio_order(const void *a, const void *b) {
  const ranked *x = a, *y = b;
  if (x->ratio != y->ratio) return x->ratio > y->ratio ? -1 : 1;
  return x->doc < y->doc ? -1 : x->doc > y->doc;
}

/* The ranking as the page shows it first (复制比 descending, base documents
 * and the archive's left out), for Excel: UTF-8 with a BOM, CR LF line
 * ends. */
int csv_build(const report *r, buffer *b) {
  ranked *order = malloc((r->doc_count + 1) * sizeof *order);
  if (!order) return -1;
  for (size_t i = 0; i < r->doc_count; i++)
    order[i] = (ranked){number_of(r->docs[i].record, "copy_ratio"), i};
  qsort(order, r->doc_count, sizeof *order, ratio_order);
  int rc = buffer_adds(b, "\xEF\xBB\xBF" "单位,年份,文件,标题,字数,复制字数,复制比,模板复制比,"
                          "少数来源复制比,本单位往年复制比,最大来源,最大来源占比,复制段落数,最长段落字数\r\n");
  for (size_t k = 0; k < r->doc_count && !rc; k++) {
    const report_doc *d = &r->docs[order[k].doc];
    const cJSON *rec = d->record;
    if (d->is_base || d->is_archived) continue; /* not a report of this batch */
    const cJSON *largest, *self_copy = self_copy_of(rec);
    long largest_doc = largest_source(r, rec, &largest);
    rc = csv_field(b, d->unit ? d->unit : "") || buffer_adds(b, ",") ||
         csv_number(b, d->year != 0, d->year, 0) || buffer_adds(b, ",") ||
         csv_field(b, d->path) || buffer_adds(b, ",") ||
         csv_field(b, d->title ? d->title : "") || buffer_adds(b, ",") ||
         csv_number_of(b, rec, "characters", 0) || buffer_adds(b, ",") ||
         csv_number_of(b, rec, "copied", 0) || buffer_adds(b, ",") ||
         csv_number_of(b, rec, "copy_ratio", 1) || buffer_adds(b, ",") ||
         csv_number_of(b, rec, "template_ratio", 1) || buffer_adds(b, ",") ||
         csv_number_of(b, rec, "few_ratio", 1) || buffer_adds(b, ",") ||
         csv_number(b, cJSON_IsNumber(self_copy), cJSON_IsNumber(self_copy) ? self_copy->valuedouble : 0, 1) ||
         buffer_adds(b, ",") ||
         csv_field(b, largest_doc >= 0 ? r->docs[largest_doc].path : "") || buffer_adds(b, ",") ||
         (largest_doc >= 0 ? csv_number_of(b, largest, "share", 1) : 0) || buffer_adds(b, ",") ||
         csv_number(b, 1, (double)d->copy_passages, 0) || buffer_adds(b, ",") ||
         csv_number(b, 1, (double)d->longest_passage, 0) || buffer_adds(b, "\r\n");
  }
  free(order);
  return rc;
}

/* report.html -> report.csv; anything else gets .csv appended. */
char *csv_beside(const char *html) {
  size_t n = strlen(html);
  const char *dot = strrchr(html, '.');
  const char *slash = strrchr(html, '/');
  if (dot && (!slash || dot > slash) && (strcmp(dot, ".html") == 0 || strcmp(dot, ".htm") == 0))
    n = (size_t)(dot - html);
  char *out = malloc(n + 5);
  if (out) {
    memcpy(out, html, n);
    memcpy(out + n, ".csv", 5);
  }
  return out;
}

