/* gw-seg --format jsonl: one JSON object per paragraph, with its place
 * (byte offsets, line and column), its heading level and section, and
 * its tokens with their kinds and byte offsets. */
#include <string.h>

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
  const char *kind_names[GW_TOKEN_OTHER + 1];
  size_t kind_lengths[GW_TOKEN_OTHER + 1];
} jsonl_ctx;

/* One token as gw_json would write it, {"text": …, "kind": …, "start": …,
 * "end": …} with "sub": true after them for a word inside a longer one,
 * laid out here: a paragraph's tokens are most of the output. */
static void write_token(jsonl_ctx *ctx, const char *norm, const gw_paragraph_token *t) {
  static const char text_key[] = "{\"text\":\"", kind_key[] = "\",\"kind\":\"",
                    start_key[] = "\",\"start\":", end_key[] = ",\"end\":",
                    sub_member[] = ",\"sub\":true";
  const char *text = norm + t->range.norm_start;
  size_t len = t->range.norm_end - t->range.norm_start;
  const char *kind = ctx->kind_names[t->kind];
  size_t kind_len = ctx->kind_lengths[t->kind];
  char *at = gw_json_value_reserve(
      ctx->w, sizeof text_key + sizeof kind_key + sizeof start_key + sizeof end_key +
                  sizeof sub_member + 6 * (len + kind_len) + 2 * GW_JSON_NUMBER_ROOM + 1);
  if (!at) return;
  memcpy(at, text_key, sizeof text_key - 1);
  at = gw_json_escape_into(at + sizeof text_key - 1, text, len);
  memcpy(at, kind_key, sizeof kind_key - 1);
  at = gw_json_escape_into(at + sizeof kind_key - 1, kind, kind_len);
  memcpy(at, start_key, sizeof start_key - 1);
  at = gw_json_uint_into(at + sizeof start_key - 1, t->range.start);
  memcpy(at, end_key, sizeof end_key - 1);
  at = gw_json_uint_into(at + sizeof end_key - 1, t->range.end);
  if (t->sub) {
    memcpy(at, sub_member, sizeof sub_member - 1);
    at += sizeof sub_member - 1;
  }
  *at++ = '}';
  gw_json_value_commit(ctx->w, at);
}

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
    write_token(ctx, norm, t);
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
  jsonl_ctx ctx = {&w, path, {0}, {0}, {0}};
  for (int k = 0; k <= GW_TOKEN_OTHER; k++) {
    ctx.kind_names[k] = gw_token_kind_name((gw_token_kind)k);
    ctx.kind_lengths[k] = strlen(ctx.kind_names[k]);
  }
  int rc = gw_positions_build(&ctx.positions, doc);
  if (!rc) rc = seg_for_each_paragraph(seg, doc, print_jsonl_paragraph, &ctx, err);
  gw_positions_free(&ctx.positions);
  if (rc) gw_json_clear(&w); /* the record the failure cut */
  int written = gw_json_finish(&w);
  return rc ? rc : written;
}
