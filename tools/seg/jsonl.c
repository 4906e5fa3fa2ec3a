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

enum {
  /* What stands between a token's text and its start offset,
   * `","kind":"word","start":`, is kept per kind in a block this long and
   * copied whole. */
  KIND_ROOM = 48,
  /* A token's record but for its text, and what is copied past its end:
   * `{"text":"` and 16 bytes of text copied at once, the kind block, two
   * numbers, `,"end":`, `,"sub":true`, '}', and the ',' before it and the
   * ']' after the last. */
  TOKEN_ROOM = 16 + 16 + KIND_ROOM + 2 * GW_JSON_NUMBER_ROOM + 8 + 16 + 4,
  /* Room asked for at a time as a paragraph's tokens are laid out. */
  TOKENS_PIECE = 1 << 14
};

typedef struct jsonl_ctx {
  gw_json *w;
  gw_json head; /* `{"path":…` (and "path_bytes"), each record's start */
  const char *norm; /* the document's normalized text */
  size_t norm_len;
  /* The paragraphs' starts come in order: walked to, not tabled. */
  gw_positions_walk positions;
  const char *kind_names[GW_TOKEN_OTHER + 1];
  size_t kind_lengths[GW_TOKEN_OTHER + 1];
  /* `","kind":"NAME","start":` for each kind; length 0: too long for its
   * block, written piece by piece. */
  char kind_members[GW_TOKEN_OTHER + 1][KIND_ROOM];
  size_t kind_member_lengths[GW_TOKEN_OTHER + 1];
  /* The last token's end offset as written: most tokens start where the
   * one before them ends. */
  size_t last_end;
  char last_end_digits[GW_JSON_NUMBER_ROOM];
  size_t last_end_length; /* 0: none yet */
} jsonl_ctx;

static const char kind_key[] = "\",\"kind\":\"", start_key[] = "\",\"start\":";

static void set_kind_members(jsonl_ctx *ctx) {
  for (int k = 0; k <= GW_TOKEN_OTHER; k++) {
    const char *name = gw_token_kind_name((gw_token_kind)k);
    size_t len = strlen(name);
    ctx->kind_names[k] = name;
    ctx->kind_lengths[k] = len;
    ctx->kind_member_lengths[k] = 0;
    char member[KIND_ROOM + 6 * 16];
    if (len > 16) continue;
    char *at = member;
    memcpy(at, kind_key, sizeof kind_key - 1);
    at = gw_json_escape_into(at + sizeof kind_key - 1, name, len);
    memcpy(at, start_key, sizeof start_key - 1);
    at += sizeof start_key - 1;
    size_t member_len = (size_t)(at - member);
    if (member_len > KIND_ROOM) continue;
    memcpy(ctx->kind_members[k], member, member_len);
    ctx->kind_member_lengths[k] = member_len;
  }
}

/* One token as gw_json would write it, {"text": …, "kind": …, "start": …,
 * "end": …} with "sub": true after them for a word inside a longer one,
 * laid out at `at` (room for TOKEN_ROOM + 6 * its length bytes): its end.
 * A paragraph's tokens are most of the output.  plain: the token's text
 * needs no escaping. */
static char *write_token(jsonl_ctx *ctx, char *at, const gw_paragraph_token *t, int plain) {
#define TEXT_KEY "{\"text\":\""
#define END_KEY ",\"end\":"
  /* Padded to the sizes copied at once. */
  static const char text_key[16] = TEXT_KEY, end_key[8] = END_KEY,
                    sub_member[] = ",\"sub\":true";
  const char *text = ctx->norm + t->range.norm_start;
  size_t len = t->range.norm_end - t->range.norm_start;
  memcpy(at, text_key, sizeof text_key); /* and what the text overwrites */
  at += sizeof TEXT_KEY - 1;
  if (!plain) {
    at = gw_json_escape_into(at, text, len);
  } else if (len <= 16 && t->range.norm_start + 16 <= ctx->norm_len) {
    memcpy(at, text, 16);
    at += len;
  } else {
    memcpy(at, text, len);
    at += len;
  }
  size_t member_len = ctx->kind_member_lengths[t->kind];
  if (member_len) {
    memcpy(at, ctx->kind_members[t->kind], KIND_ROOM);
    at += member_len;
  } else {
    memcpy(at, kind_key, sizeof kind_key - 1);
    at = gw_json_escape_into(at + sizeof kind_key - 1, ctx->kind_names[t->kind],
                             ctx->kind_lengths[t->kind]);
    memcpy(at, start_key, sizeof start_key - 1);
    at += sizeof start_key - 1;
  }
  size_t start_length;
  if (ctx->last_end_length && t->range.start == ctx->last_end) {
    memcpy(at, ctx->last_end_digits, GW_JSON_NUMBER_ROOM);
    start_length = ctx->last_end_length;
  } else {
    start_length = (size_t)(gw_json_uint_into(at, t->range.start) - at);
    memcpy(ctx->last_end_digits, at, GW_JSON_NUMBER_ROOM);
  }
  at += start_length;
  memcpy(at, end_key, sizeof end_key); /* and what the number overwrites */
  at += sizeof END_KEY - 1;
  /* The end from the start's digits, in last_end_digits now. */
  char *end = gw_json_uint_from(at, t->range.end, ctx->last_end_digits, start_length,
                                t->range.start);
  memcpy(ctx->last_end_digits, at, GW_JSON_NUMBER_ROOM);
  ctx->last_end = t->range.end;
  ctx->last_end_length = (size_t)(end - at);
  at = end;
  if (t->sub) {
    memcpy(at, sub_member, sizeof sub_member - 1);
    at += sizeof sub_member - 1;
  }
  *at++ = '}';
  return at;
}

/* The paragraph's tokens as a JSON array, laid out here in pieces of room
 * asked for a TOKENS_PIECE at a time. */
static void write_tokens(jsonl_ctx *ctx, const gw_paragraph *p, const gw_segmenter *seg) {
  gw_json *w = ctx->w;
  /* A paragraph with nothing to escape (nearly all of them) has its
   * tokens' text copied as it is. */
  size_t para_start = p->range.norm_start, para_end = p->range.norm_end;
  int plain_paragraph =
      para_end <= ctx->norm_len && para_start <= para_end &&
      gw_json_plain_prefix(ctx->norm + para_start, para_end - para_start) ==
          para_end - para_start;
  char *at = gw_json_value_reserve(w, TOKENS_PIECE);
  if (!at) return;
  char *limit = at + TOKENS_PIECE;
  *at++ = '[';
  int first = 1;
  size_t n;
  const gw_paragraph_token *const tokens = gw_segmenter_paragraph_tokens(seg, &n);
  for (const gw_paragraph_token *t = tokens; t < tokens + n; t++) {
    if (t->kind == GW_TOKEN_SPACE) continue;
    size_t need = TOKEN_ROOM + 6 * (t->range.norm_end - t->range.norm_start);
    if ((size_t)(limit - at) < need) {
      size_t more = need > TOKENS_PIECE ? need : TOKENS_PIECE;
      at = gw_json_value_extend(w, at, more);
      if (!at) return;
      limit = at + more;
    }
    if (!first) *at++ = ',';
    first = 0;
    int plain = plain_paragraph && t->range.norm_start >= para_start &&
                t->range.norm_end <= para_end;
    at = write_token(ctx, at, t, plain);
  }
  *at++ = ']';
  gw_json_value_commit(w, at);
}

static int print_jsonl_paragraph(void *vctx, const gw_document *doc, size_t index,
                                 const char *norm, const gw_segmenter *seg) {
  jsonl_ctx *ctx = vctx;
  gw_json *w = ctx->w;
  (void)norm; /* ctx->norm, with its length */
  const gw_paragraph *p = gw_document_paragraph_at(doc, index);
  char *at = gw_json_value_reserve(w, ctx->head.len);
  if (at) {
    memcpy(at, ctx->head.text, ctx->head.len);
    gw_json_value_commit(w, at + ctx->head.len);
  }
  gw_json_continue_in(w, 1, 1); /* the object the head opened */
  gw_json_member_uint(w, "paragraph", index);
  write_range(w, p->range.start, p->range.end);
  gw_positions_walk_write(w, &ctx->positions, p->range.start);
  gw_json_key(w, "heading_level");
  gw_json_int(w, p->heading_level);
  gw_json_member_string(w, "section", gw_section_type_name(p->section));
  gw_json_key(w, "tokens");
  write_tokens(ctx, p, seg);
  gw_json_object_end(w);
  gw_json_newline(w);
  return w->failed;
}

int seg_print_jsonl(FILE *out, gw_segmenter *seg, const char *path, const gw_document *doc,
                    gw_error *err) {
  gw_json w;
  gw_json_init(&w, out, 0);
  gw_json_whole_lines(&w); /* out never gets a record cut short */
  jsonl_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.w = &w;
  /* The same for every record: written once. */
  gw_json_init(&ctx.head, NULL, 0);
  gw_json_object_begin(&ctx.head);
  gw_json_member_path(&ctx.head, "path", path);
  ctx.norm = gw_document_normalized(doc, &ctx.norm_len);
  set_kind_members(&ctx);
  int rc = ctx.head.failed;
  gw_positions_walk_init(&ctx.positions, doc);
  /* The document's start walked to first: a document whose text is not
   * its original's bytes builds its table of positions here, so that
   * running out of memory for it stops before any record. */
  size_t line, column;
  if (!rc) rc = gw_positions_walk_at(&ctx.positions, 0, &line, &column);
  if (!rc) rc = seg_for_each_paragraph(seg, doc, print_jsonl_paragraph, &ctx, err);
  gw_positions_walk_free(&ctx.positions);
  gw_json_finish(&ctx.head);
  if (rc) gw_json_clear(&w); /* the record the failure cut */
  int written = gw_json_finish(&w);
  return rc ? rc : written;
}
