/* gw-seg --format jsonl: one JSON object per paragraph, with its place
 * (byte offsets, line and column), its heading level and section, and
 * its tokens with their kinds and byte offsets. */
#include <string.h>

#include "positions.h"
#include "seg/seg.h"

enum {
  /* What stands between a token's text and its start offset,
   * `","kind":"word","start":` (28 bytes for the longest name), is kept
   * per kind in a block this long and copied whole. */
  KIND_ROOM = 32,
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
  /* Its last two digits, when it has 2 to 14 (so that 16 bytes copy it
   * whole): a token that starts there and ends within the same hundred
   * takes the short way (write_offsets); else 100. */
  unsigned last_two;
} jsonl_ctx;

static const char digit_pairs[] = "00010203040506070809101112131415161718192021222324"
                                  "25262728293031323334353637383940414243444546474849"
                                  "50515253545556575859606162636465666768697071727374"
                                  "75767778798081828384858687888990919293949596979899";

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

#define END_KEY ",\"end\":"

/* `START,"end":END` of a token at `at`.  Most tokens start where the one
 * before ended, a few bytes further on in the same hundred: the start is
 * the last end's digits, the end those with the last two replaced, each
 * copied as 16 bytes.  Others are written from the digits of their start
 * (gw_json_uint_from). */
static char *write_offsets(jsonl_ctx *ctx, char *at, size_t start, size_t end) {
  static const char end_key[8] = END_KEY; /* padded to the size copied */
  size_t len = ctx->last_end_length;
  unsigned last_two = ctx->last_two + (unsigned)(end - start);
  if (start == ctx->last_end && end - start < 100 && last_two < 100) {
    memcpy(at, ctx->last_end_digits, 16);
    at += len;
    memcpy(at, end_key, sizeof end_key);
    at += sizeof END_KEY - 1;
    memcpy(ctx->last_end_digits + len - 2, digit_pairs + 2 * last_two, 2);
    memcpy(at, ctx->last_end_digits, 16);
    ctx->last_end = end;
    ctx->last_two = last_two;
    return at + len;
  }
  size_t start_length;
  if (ctx->last_end_length && start == ctx->last_end) {
    memcpy(at, ctx->last_end_digits, GW_JSON_NUMBER_ROOM);
    start_length = ctx->last_end_length;
  } else {
    start_length = (size_t)(gw_json_uint_into(at, start) - at);
    memcpy(ctx->last_end_digits, at, GW_JSON_NUMBER_ROOM);
  }
  at += start_length;
  memcpy(at, end_key, sizeof end_key); /* and what the number overwrites */
  at += sizeof END_KEY - 1;
  /* The end from the start's digits, in last_end_digits now. */
  char *end_at = gw_json_uint_from(at, end, ctx->last_end_digits, start_length, start);
  memcpy(ctx->last_end_digits, at, GW_JSON_NUMBER_ROOM);
  ctx->last_end = end;
  ctx->last_end_length = (size_t)(end_at - at);
  /* The short way next time: 2 to 14 digits, their last two a number. */
  len = ctx->last_end_length;
  ctx->last_two = 100;
  if (len >= 2 && len <= 14 && (unsigned)(at[len - 2] - '0') < 10 &&
      (unsigned)(at[len - 1] - '0') < 10)
    ctx->last_two = (unsigned)(at[len - 2] - '0') * 10 + (unsigned)(at[len - 1] - '0');
  return end_at;
}

/* How a token's text is written: escaped, or as it is (no byte in the
 * paragraph to escape), and then with 16 bytes copied at once for a short
 * one (16 bytes readable from each token's start). */
enum text_way { TEXT_ESCAPED, TEXT_AS_IS, TEXT_AS_IS_16 };

#define TEXT_KEY "{\"text\":\""
/* What comes before a token's text, `,{"text":"` (`[{"text":"` for a
 * paragraph's first token), padded to the size copied at once. */
static const char text_key[16] = "," TEXT_KEY, first_text_key[16] = "[" TEXT_KEY;

/* One token as gw_json would write it, {"text": …, "kind": …, "start": …,
 * "end": …} with "sub": true after them for a word inside a longer one,
 * and `key` before it (text_key or first_text_key), laid out at `at`
 * (room for TOKEN_ROOM + 6 * its length bytes): its end.  A paragraph's
 * tokens are most of the output. */
static char *write_token(jsonl_ctx *ctx, char *at, const gw_paragraph_token *t,
                         enum text_way way, const char *key) {
  static const char sub_member[] = ",\"sub\":true";
  const char *text = ctx->norm + t->range.norm_start;
  size_t len = t->range.norm_end - t->range.norm_start;
  memcpy(at, key, 16); /* and what the text overwrites */
  at += sizeof TEXT_KEY; /* and the ',' or '[' */
  if (way == TEXT_AS_IS_16 && len <= 16) {
    memcpy(at, text, 16);
    at += len;
  } else if (way != TEXT_ESCAPED) {
    memcpy(at, text, len);
    at += len;
  } else {
    at = gw_json_escape_into(at, text, len);
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
  at = write_offsets(ctx, at, t->range.start, t->range.end);
  if (t->sub) {
    memcpy(at, sub_member, sizeof sub_member - 1);
    at += sizeof sub_member - 1;
  }
  *at++ = '}';
  return at;
}

/* Room for `need` more bytes from *at (up to *limit), asked for a
 * TOKENS_PIECE at a time: 0, or -1 after a failure. */
static inline int token_room(gw_json *w, char **at, char **limit, size_t need) {
  if ((size_t)(*limit - *at) >= need) return 0;
  size_t more = need > TOKENS_PIECE ? need : TOKENS_PIECE;
  *at = gw_json_value_extend(w, *at, more);
  if (!*at) return -1;
  *limit = *at + more;
  return 0;
}

/* The paragraph's tokens as a JSON array at `at` (room up to limit),
 * more room asked for a TOKENS_PIECE at a time: its end, or NULL after a
 * failure. */
static char *write_tokens(jsonl_ctx *ctx, char *at, char *limit, const gw_paragraph *p,
                          const gw_segmenter *seg) {
  gw_json *w = ctx->w;
  /* A paragraph with nothing to escape (nearly all of them) has its
   * tokens' text copied as it is. */
  size_t para_start = p->range.norm_start, para_end = p->range.norm_end;
  enum text_way para_way = TEXT_ESCAPED;
  if (para_end <= ctx->norm_len && para_start <= para_end &&
      gw_json_plain_prefix(ctx->norm + para_start, para_end - para_start) ==
          para_end - para_start)
    para_way = para_end + 16 <= ctx->norm_len ? TEXT_AS_IS_16 : TEXT_AS_IS;
  size_t n;
  const gw_paragraph_token *t = gw_segmenter_paragraph_tokens(seg, &n);
  const gw_paragraph_token *const last = t + n;
  /* Each token is written with the ',' before it; the first one's is the
   * array's '['. */
  const char *key = first_text_key;
  for (; t < last; t++) {
    if (t->kind == GW_TOKEN_SPACE) continue;
    if (token_room(w, &at, &limit, TOKEN_ROOM + 6 * (t->range.norm_end - t->range.norm_start)))
      return NULL;
    /* Tokens lie in their paragraph; checked all the same, without a
     * branch. */
    int inside = (t->range.norm_start >= para_start) & (t->range.norm_end <= para_end);
    at = write_token(ctx, at, t, inside ? para_way : TEXT_ESCAPED, key);
    key = text_key;
  }
  if (token_room(w, &at, &limit, 3)) return NULL;
  if (key == first_text_key) *at++ = '[';
  *at++ = ']';
  return at;
}

/* `KEY` (a constant: `,"name":`) and an unsigned number at `at`. */
#define MEMBER_UINT(at, key, value) \
  (memcpy((at), (key), sizeof(key) - 1), gw_json_uint_into((at) + sizeof(key) - 1, (value)))

enum {
  /* A record's members before its tokens, less the head: six numbers,
   * their keys, the section's name escaped and its key. */
  MEMBERS_ROOM = 6 * GW_JSON_NUMBER_ROOM + 128 + 6 * 32
};

/* One record, laid out whole as gw_json would write it: the head
 * (`{"path":…`), "paragraph", "start", "end", "line", "column",
 * "heading_level", "section" and "tokens", then the line end. */
static int print_jsonl_paragraph(void *vctx, const gw_document *doc, size_t index,
                                 const char *norm, const gw_segmenter *seg) {
  jsonl_ctx *ctx = vctx;
  gw_json *w = ctx->w;
  (void)norm; /* ctx->norm, with its length */
  const gw_paragraph *p = gw_document_paragraph_at(doc, index);
  size_t line, column;
  if (gw_positions_walk_at(&ctx->positions, p->range.start, &line, &column))
    gw_json_fail(w, GW_ENOMEM);
  const char *section = gw_section_type_name(p->section);
  size_t section_len = strlen(section);
  size_t room = ctx->head.len + MEMBERS_ROOM + 6 * section_len + TOKENS_PIECE;
  char *at = gw_json_value_reserve(w, room);
  if (!at) return w->failed;
  char *limit = at + room;
  memcpy(at, ctx->head.text, ctx->head.len);
  at += ctx->head.len;
  at = MEMBER_UINT(at, ",\"paragraph\":", index);
  at = MEMBER_UINT(at, ",\"start\":", p->range.start);
  at = MEMBER_UINT(at, ",\"end\":", p->range.end);
  at = MEMBER_UINT(at, ",\"line\":", line);
  at = MEMBER_UINT(at, ",\"column\":", column);
  static const char level_key[] = ",\"heading_level\":";
  memcpy(at, level_key, sizeof level_key - 1);
  at += sizeof level_key - 1;
  int level = p->heading_level;
  if (level < 0) *at++ = '-';
  at = gw_json_uint_into(at, level < 0 ? 0u - (uint64_t)level : (uint64_t)level);
  static const char section_key[] = ",\"section\":\"";
  memcpy(at, section_key, sizeof section_key - 1);
  at = gw_json_escape_into(at + sizeof section_key - 1, section, section_len);
  static const char tokens_key[] = "\",\"tokens\":";
  memcpy(at, tokens_key, sizeof tokens_key - 1);
  at += sizeof tokens_key - 1;
  at = write_tokens(ctx, at, limit, p, seg);
  if (!at) return w->failed;
  /* write_tokens left room for the '}'. */
  *at++ = '}';
  gw_json_value_commit(w, at);
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
  ctx.last_two = 100; /* no end written yet */
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
