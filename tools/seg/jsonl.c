/* gw-seg --format jsonl: one JSON object per paragraph, with its place
 * (byte offsets, line and column), its heading level and section, and
 * its tokens with their kinds and byte offsets. */
#include "positions.h"
#include "seg/seg.h"

static void write_range(gw_json *w, size_t start, size_t end) {
  gw_json_member_uint(w, "start", start);
  gw_json_member_uint(w, "end", end);
}

typedef struct jsonl_ctx {
  gw_json *w;
  const char *path;
  gw_positions positions;
} jsonl_ctx;

static int print_jsonl_paragraph(void *vctx, const gw_document *doc, size_t index,
                                 const char *norm, const gw_segmenter *seg) {
  jsonl_ctx *ctx = vctx;
  gw_json *w = ctx->w;
  const gw_paragraph *p = gw_document_paragraph_at(doc, index);
  gw_json_object_begin(w);
  gw_json_member_path(w, "path", ctx->path);
  gw_json_member_uint(w, "paragraph", index);
  write_range(w, p->range.start, p->range.end);
  gw_positions_write(w, &ctx->positions, p->range.start);
  gw_json_key(w, "heading_level");
  gw_json_int(w, p->heading_level);
  gw_json_member_string(w, "section", gw_section_type_name(p->section));
  gw_json_key(w, "tokens");
  gw_json_array_begin(w);
  size_t n = gw_segmenter_paragraph_token_count(seg);
  for (size_t i = 0; i < n; i++) {
    const gw_paragraph_token *t = gw_segmenter_paragraph_token_at(seg, i);
    if (t->kind == GW_TOKEN_SPACE) continue;
    gw_json_object_begin(w);
    gw_json_key(w, "text");
    gw_json_string_n(w, norm + t->range.norm_start, t->range.norm_end - t->range.norm_start);
    gw_json_member_string(w, "kind", gw_token_kind_name(t->kind));
    write_range(w, t->range.start, t->range.end);
    if (t->sub) {
      gw_json_key(w, "sub");
      gw_json_bool(w, 1);
    }
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
  gw_json_object_end(w);
  gw_json_newline(w);
  return w->failed;
}

int seg_print_jsonl(FILE *out, gw_segmenter *seg, const char *path, const gw_document *doc,
                    gw_error *err) {
  gw_json w;
  gw_json_init(&w, out, 0);
  gw_json_whole_lines(&w); /* out never gets a record cut short */
  jsonl_ctx ctx = {&w, path, {0}};
  int rc = gw_positions_build(&ctx.positions, doc);
  if (!rc) rc = seg_for_each_paragraph(seg, doc, print_jsonl_paragraph, &ctx, err);
  gw_positions_free(&ctx.positions);
  if (rc) gw_json_clear(&w); /* the record the failure cut */
  int written = gw_json_finish(&w);
  return rc ? rc : written;
}
