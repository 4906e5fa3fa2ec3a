/* The overview as one JSON object: the totals, the copy-ratio
 * distribution, the most copied pairs and every file. */
#include <stdlib.h>

#include "dups_cli.h"
#include "dups_text.h"
#include "json_writer.h"
#include "stats/stats.h"

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void write_copy_ratio(gw_json *w, const gw_dups *d) {
  size_t n = gw_dups_document_count(d);
  double *r = malloc((n + 1) * sizeof *r), sum = 0.0;
  size_t buckets[10] = {0};
  if (!r) {
    w->failed = GW_ENOMEM;
    return;
  }
  for (size_t i = 0; i < n; i++) {
    r[i] = gw_dups_document_at(d, i)->copy_ratio;
    sum += r[i];
    size_t b = (size_t)(r[i] * 10.0);
    buckets[b > 9 ? 9 : b]++;
  }
  qsort(r, n, sizeof *r, cmp_double);
  double median = n == 0 ? 0.0 : n % 2 ? r[n / 2] : (r[n / 2 - 1] + r[n / 2]) / 2.0;
  gw_json_object_begin(w);
  gw_json_member_ratio(w, "mean", n ? sum / (double)n : 0.0);
  gw_json_member_ratio(w, "median", median);
  gw_json_member_ratio(w, "max", n ? r[n - 1] : 0.0);
  gw_json_key(w, "buckets");
  gw_json_array_begin(w);
  for (int b = 0; b < 10; b++) {
    gw_json_object_begin(w);
    gw_json_member_number(w, "from", b / 10.0);
    gw_json_member_number(w, "to", (b + 1) / 10.0);
    gw_json_member_uint(w, "documents", buckets[b]);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
  gw_json_object_end(w);
  free(r);
}

static void write_pairs(gw_json *w, const gw_dups *d, char **paths, size_t top) {
  gw_json_array_begin(w);
  for (size_t i = 0, listed = 0; i < gw_dups_pair_count(d) && listed < top; i++, listed++) {
    const gw_dups_pair *p = gw_dups_pair_at(d, i);
    if (!p->copied_a && !p->copied_b) break; /* pairs come by copied characters */
    gw_json_object_begin(w);
    gw_json_member_path(w, "a", paths[p->a]);
    gw_json_member_path(w, "b", paths[p->b]);
    gw_json_member_ratio(w, "similarity", p->similarity);
    gw_json_member_uint(w, "copied_a", p->copied_a);
    gw_json_member_uint(w, "copied_b", p->copied_b);
    gw_json_member_uint(w, "passages", gw_dups_copy_passages(d, p));
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
}

static void write_files(gw_json *w, const corpus *c, const gw_dups *d, const gw_meta *meta) {
  gw_json_array_begin(w);
  for (size_t i = 0; i < c->documents; i++) {
    const file_record *f = &c->files[i];
    gw_json_object_begin(w);
    gw_json_member_path(w, "path", f->path);
    gw_json_member_string(w, "encoding", gw_encoding_name(f->encoding));
    gw_json_member_uint(w, "characters", f->characters);
    gw_json_member_uint(w, "paragraphs", f->paragraphs);
    gw_json_member_uint(w, "masks", f->masks);
    gw_json_member_uint(w, "removed", f->removed);
    gw_dups_cli_write_unit(w, meta, f->path);
    if (i < gw_dups_document_count(d)) {
      const gw_dups_document *di = gw_dups_document_at(d, i);
      gw_json_key(w, "year");
      if (di->year) gw_json_int(w, di->year);
      else gw_json_null(w);
      gw_json_member_ratio(w, "copy_ratio", di->copy_ratio);
      if (gw_dups_cli_unit(meta, f->path)) {
        gw_json_member_ratio(w, "self_ratio", di->self_ratio);
      } else { /* unknown, not none: the unit is not known */
        gw_json_key(w, "self_ratio");
        gw_json_null(w);
      }
    }
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
}

int stats_write_json(const corpus *c, const gw_dups *d, char **paths, const gw_cli *cli,
                     const stats_config *cfg) {
  gw_json w;
  gw_json_init(&w, stdout, !cfg->compact);
  gw_json_object_begin(&w);
  gw_json_member_uint(&w, "documents", c->documents);
  gw_json_member_uint(&w, "characters", c->characters);
  gw_json_member_uint(&w, "paragraphs", c->paragraphs);
  gw_json_member_uint(&w, "headings", c->headings);
  gw_json_key(&w, "sections");
  gw_json_object_begin(&w);
  for (int s = GW_SECTION_WORK_DONE; s <= GW_SECTION_OTHER; s++)
    gw_json_member_uint(&w, gw_section_type_name((gw_section_type)s), c->sections[s]);
  gw_json_object_end(&w);
  gw_json_member_uint(&w, "tokens", c->tokens);
  gw_json_key(&w, "top_words");
  gw_counter_write(&w, &c->words, cfg->top, "word");
  gw_json_key(&w, "top_terms");
  gw_counter_write(&w, &c->terms, cfg->top, "term");
  gw_json_key(&w, "removed");
  gw_json_object_begin(&w);
  gw_json_member_uint(&w, "spans", c->removed_spans);
  gw_json_member_uint(&w, "bytes", c->removed_bytes);
  for (int k = 0; k <= GW_REMOVED_PINYIN; k++)
    gw_json_member_uint(&w, gw_removal_kind_name((gw_removal_kind)k), c->removed_kinds[k]);
  gw_json_object_end(&w);
  gw_json_key(&w, "masks");
  gw_json_object_begin(&w);
  gw_json_member_uint(&w, "count", c->mask_count);
  gw_json_key(&w, "forms");
  gw_counter_write(&w, &c->masks, cfg->top, "mask");
  gw_json_object_end(&w);
  gw_json_key(&w, "copy_ratio");
  write_copy_ratio(&w, d);
  gw_json_key(&w, "most_copied_pairs");
  write_pairs(&w, d, paths, cfg->pairs);
  gw_dups_cli_write_limits(&w, "copy_limits", d);
  gw_json_key(&w, "files");
  write_files(&w, c, d, cfg->meta);
  gw_json_key(&w, "errors");
  gw_cli_write_failures(&w, cli);
  gw_json_object_end(&w);
  gw_json_newline(&w);
  return gw_json_finish(&w);
}
