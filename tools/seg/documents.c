/* gw-seg's documents: each input read and segmented on a worker (and, for
 * text and JSON Lines, its output rendered there), then written or
 * counted on the main thread in input order. */
#include <stdlib.h>
#include <string.h>

#include "parallel.h"
#include "text_out.h"
#include "seg/seg.h"

void seg_resources_free(seg_resources *r) {
  for (size_t i = 0; i < r->segmenter_count; i++) gw_segmenter_free(r->segmenters[i]);
  free(r->segmenters);
  gw_resources_free(&r->data);
}

int seg_resources_open(seg_resources *r, gw_cli *cli, seg_config *cfg) {
  gw_resource_request want = {.dict = 1, .dict_path = cfg->dict_path,
                              .user_dicts = cfg->user_dicts.items,
                              .user_dict_count = cfg->user_dicts.count,
                              .stopwords = cfg->format == SEG_FORMAT_STATS};
  if (gw_resources_open(&r->data, cli, &want, &cfg->document)) return -1;
  gw_error err;
  /* A segmenter per worker, and gw_par_map starts no more workers than
   * there are inputs: one file needs one segmenter, whatever --threads
   * (each costs its tables' setup and pages). */
  size_t count = gw_par_worker_count(cfg->threads, cli->input_count);
  r->segmenters = calloc(count, sizeof *r->segmenters);
  if (!r->segmenters) return gw_cli_error(cli, "out of memory"), -1;
  for (; r->segmenter_count < count; r->segmenter_count++)
    if (gw_segmenter_new(&r->segmenters[r->segmenter_count], r->data.dict, &cfg->segment, &err))
      return gw_cli_error(cli, "%s", err.message), -1;
  return 0;
}

int seg_for_each_paragraph(gw_segmenter *seg, const gw_document *doc, seg_paragraph_fn fn,
                           void *ctx, gw_error *err) {
  size_t norm_len;
  const char *norm = gw_document_normalized(doc, &norm_len);
  size_t count = gw_document_paragraph_count(doc);
  for (size_t i = 0; i < count; i++) {
    int rc = gw_segment_paragraph(seg, doc, i, err);
    if (!rc) rc = fn(ctx, doc, i, norm, seg);
    if (rc) return rc;
  }
  return GW_OK;
}

/* One input's work: loaded (and, for text and JSON Lines, its output
 * rendered) on a worker; written or counted on the main thread in input
 * order. */
typedef struct seg_work {
  int load_rc;
  char *load_message;
  gw_document *doc;   /* --stats: counted on the main thread */
  int rc;             /* segmenting and rendering */
  char message[GW_ERROR_MESSAGE_MAX];
  char *out;          /* the rendered output (when not written directly) */
  size_t out_len;
} seg_work;

typedef struct seg_run {
  gw_cli *cli;
  const seg_config *cfg;
  seg_resources *r;
  seg_stats *stats;
  /* One worker (one thread, or one input): rendered straight to stdout
   * (in order anyway, and a document's output is never held whole: the
   * JSON Lines of a 20 MB report are 200 MB).  A document cut short by
   * running out of memory then leaves its first paragraphs printed, in
   * whole lines (JSON Lines: whole records), before the run stops with
   * 'out of memory' and exit 2. */
  int direct;
  int rc;
} seg_run;

static int render(FILE *out, const seg_run *run, unsigned worker, const char *path,
                  const gw_document *doc, gw_error *err) {
  gw_segmenter *seg = run->r->segmenters[worker];
  if (run->cfg->format == SEG_FORMAT_JSONL) return seg_print_jsonl(out, seg, path, doc, err);
  if (run->cfg->with_path &&
      (fputs("==> ", out) == EOF || gw_text_put_name(out, path) < 0 || fputs(" <==\n", out) == EOF))
    return GW_EIO;
  return seg_print_text(out, seg, doc, err);
}

static void *seg_prepare(void *vrun, unsigned worker, size_t index) {
  seg_run *run = vrun;
  seg_work *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->load_rc = gw_cli_load_input(run->cli, index, &run->cfg->document, &w->doc, &w->load_message);
  if (w->load_rc || run->cfg->format == SEG_FORMAT_STATS) return w;
  gw_error err;
  err.message[0] = '\0';
  const char *path = run->cli->inputs[index].path;
  if (run->direct) {
    w->rc = render(stdout, run, worker, path, w->doc, &err);
  } else {
    FILE *out = open_memstream(&w->out, &w->out_len);
    if (!out) {
      w->rc = GW_ENOMEM;
    } else {
      w->rc = render(out, run, worker, path, w->doc, &err);
      /* A failed write may only show in the stream's error flag, and
       * fclose may fail on the last flush. */
      int lost = ferror(out);
      if (fclose(out) != 0) lost = 1;
      /* A memory stream's writes fail only when it cannot grow. */
      if (w->rc == GW_EIO || (lost && w->rc == GW_OK)) w->rc = GW_ENOMEM;
    }
    if (w->rc == GW_ENOMEM) { /* a truncated rendering is never written */
      free(w->out);
      w->out = NULL;
      w->out_len = 0;
    }
  }
  snprintf(w->message, sizeof w->message, "%s", err.message);
  gw_document_free(w->doc);
  w->doc = NULL;
  return w;
}

static void seg_discard(void *vrun, void *vwork) {
  (void)vrun;
  seg_work *w = vwork;
  if (!w) return;
  gw_document_free(w->doc);
  free(w->load_message);
  free(w->out);
  free(w);
}

static int seg_consume(void *vrun, size_t index, void *vwork) {
  seg_run *run = vrun;
  seg_work *w = vwork;
  gw_cli *cli = run->cli;
  const char *path = cli->inputs[index].path;
  gw_cli_progress(cli, index, cli->input_count, path);
  if (!w) return run->rc = GW_ENOMEM;
  int rc = gw_cli_loaded(cli, index, w->load_rc, w->load_message);
  if (rc == GW_ENOMEM) run->rc = rc;
  if (w->load_rc == GW_OK) {
    gw_error err;
    err.message[0] = '\0';
    if (w->doc) {
      rc = seg_stats_add(run->stats, run->r->segmenters[0], path, w->doc, &err);
    } else {
      rc = w->rc;
      snprintf(err.message, sizeof err.message, "%s", w->message);
      if (w->out_len && fwrite(w->out, 1, w->out_len, stdout) != w->out_len && rc == GW_OK)
        rc = GW_EIO;
    }
    /* Out of memory stops the run (main says so), a write error too. */
    if (rc && rc != GW_EIO && rc != GW_ENOMEM)
      gw_cli_add_failure(cli, path, err.message[0] ? err.message : gw_strerror(rc));
    if (rc) run->rc = rc;
  }
  seg_discard(run, w);
  return run->rc == GW_EIO || run->rc == GW_ENOMEM ? run->rc : 0;
}

int seg_read_documents(gw_cli *cli, const seg_config *cfg, seg_resources *r, seg_stats *stats) {
  /* gw_par_map starts no more workers than there are inputs. */
  int one_worker = r->segmenter_count == 1 || cli->input_count == 1;
  seg_run state = {cli, cfg, r, stats, one_worker, GW_OK};
  gw_par_map(cli->input_count, (unsigned)r->segmenter_count, seg_prepare, seg_consume,
             seg_discard, &state);
  return state.rc;
}
