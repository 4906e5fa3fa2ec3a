/* gw-seg --stats: corpus statistics as one JSON object (token kinds, top
 * words, masks, removed spans, per file), counted in input order. */
#include <stdlib.h>
#include <string.h>

#include "positions.h"
#include "segmenting.h"
#include "text_out.h"
#include "seg/seg.h"

/* One paragraph's tokens counted by kind and its top words into st->words
 * (the stop words excluded there), in one pass. */
static int count_paragraph(void *ctx, const char *text, const gw_token *found, size_t n) {
  seg_stats *st = ctx;
  return gw_counter_add_top_words(&st->words, text, found, n, (size_t)st->documents, st->kinds)
             ? GW_ENOMEM
             : GW_OK;
}

static uint64_t kinds_total(const seg_stats *st) {
  uint64_t total = 0;
  for (int k = 0; k <= GW_TOKEN_OTHER; k++) total += st->kinds[k];
  return total;
}

/* Each paragraph of doc segmented, its tokens counted by kind and its top
 * words into st->words: GW_OK, GW_ENOMEM or the segmenter's failure (the
 * paragraphs counted before it stay counted, as they always did). */
static int count_words(seg_stats *st, gw_segmenter *seg, const gw_document *doc,
                       uint64_t *tokens_out, gw_error *err) {
  uint64_t before = kinds_total(st);
  int rc = gw_for_each_segmented_paragraph(seg, doc, count_paragraph, st, err);
  if (!rc) *tokens_out = kinds_total(st) - before;
  return rc;
}

static void write_removal(gw_json *w, const gw_document *doc, gw_positions_walk *positions,
                          const char *path, const gw_removal *r) {
  gw_json_object_begin(w);
  gw_json_member_path(w, "path", path);
  gw_json_member_string(w, "kind", gw_removal_kind_name(r->kind));
  gw_json_member_uint(w, "start", r->range.start);
  gw_json_member_uint(w, "end", r->range.end);
  gw_positions_walk_write(w, positions, r->range.start);
  /* The text as it stands in an original UTF-8 file; other encodings are
   * shown by offsets only. */
  if (gw_document_encoding(doc) == GW_ENCODING_UTF8 ||
      gw_document_encoding(doc) == GW_ENCODING_UTF8_BOM) {
    size_t text_len;
    const char *text = gw_document_original(doc, &text_len);
    const char *s = text + r->range.start;
    size_t l = r->range.end - r->range.start;
    /* With --replace-invalid the bytes may hold invalid UTF-8: shown as
     * U+FFFD, as the document shows them, up to a NUL.  Most spans are
     * valid without one: shown from the document, not copied. */
    char *copy = NULL;
    if (memchr(s, '\0', l) || !gw_text_is_utf8(s, l)) {
      s = copy = gw_text_valid_copy(s, l);
      if (!copy) gw_json_fail(w, GW_ENOMEM);
      l = copy ? strlen(copy) : 0;
    }
    /* Trailing line ends of a removed line are not worth showing. */
    while (l && (s[l - 1] == '\n' || s[l - 1] == '\r')) l--;
    gw_json_key(w, "text");
    gw_json_string_n(w, s ? s : "", l);
    free(copy);
  }
  gw_json_object_end(w);
}

int seg_stats_add(seg_stats *st, gw_segmenter *seg, const char *path, const gw_document *doc,
                  gw_error *err) {
  uint64_t tokens = 0;
  int rc = count_words(st, seg, doc, &tokens, err);
  if (rc) return rc;
  size_t norm_len;
  const char *norm = gw_document_normalized(doc, &norm_len);
  size_t masks = gw_document_mask_count(doc);
  for (size_t i = 0; i < masks; i++) {
    const gw_range *m = gw_document_mask_at(doc, i);
    if (gw_counter_add(&st->masks, norm + m->norm_start, m->norm_end - m->norm_start,
                       (size_t)st->documents))
      return GW_ENOMEM;
  }
  size_t removals = gw_document_removal_count(doc);
  /* A few offsets of the file, in order: walked to, not tabled. */
  gw_positions_walk positions;
  gw_positions_walk_init(&positions, doc);
  for (size_t i = 0; i < removals; i++) {
    const gw_removal *r = gw_document_removal_at(doc, i);
    st->removed_spans++;
    st->removed_bytes += r->range.end - r->range.start;
    write_removal(&st->removed, doc, &positions, path, r);
  }
  gw_positions_walk_free(&positions);
  gw_json *f = &st->files;
  gw_json_object_begin(f);
  gw_json_member_path(f, "path", path);
  gw_json_member_string(f, "encoding", gw_encoding_name(gw_document_encoding(doc)));
  gw_json_member_uint(f, "characters", gw_document_char_count(doc));
  gw_json_member_uint(f, "paragraphs", gw_document_paragraph_count(doc));
  gw_json_member_uint(f, "tokens", tokens);
  gw_json_member_uint(f, "masks", masks);
  gw_json_member_uint(f, "removed", removals);
  gw_json_object_end(f);
  if (st->removed.failed || st->files.failed) return GW_ENOMEM;
  st->documents++;
  st->characters += gw_document_char_count(doc);
  st->paragraphs += gw_document_paragraph_count(doc);
  st->tokens += tokens;
  st->mask_count += masks;
  return GW_OK;
}

int seg_stats_init(seg_stats *st, const gw_counter *stopwords, int pretty) {
  memset(st, 0, sizeof *st);
  gw_counter_init(&st->words);
  gw_counter_init(&st->masks);
  int rc = gw_counter_exclude(&st->words, stopwords) ? GW_ENOMEM : GW_OK;
  /* The two lists written as documents come, each inside its place in the
   * output: "removed"."items" and "files". */
  gw_json_init(&st->removed, NULL, pretty);
  gw_json_continue_in(&st->removed, 1, 1);
  gw_json_continue_in(&st->removed, 1, 1);
  gw_json_array_begin(&st->removed);
  gw_json_init(&st->files, NULL, pretty);
  gw_json_continue_in(&st->files, 1, 1);
  gw_json_array_begin(&st->files);
  return rc;
}

void seg_stats_free(seg_stats *st) {
  gw_json_finish(&st->files);
  gw_json_finish(&st->removed);
  gw_counter_free(&st->words);
  gw_counter_free(&st->masks);
}

int seg_stats_print(seg_stats *st, const gw_cli *cli, size_t top, int pretty) {
  gw_json head, middle, tail;
  gw_json_init(&head, NULL, pretty);
  gw_json_init(&middle, NULL, pretty);
  gw_json_init(&tail, NULL, pretty);
  gw_json_object_begin(&head);
  gw_json_member_uint(&head, "documents", st->documents);
  gw_json_member_uint(&head, "characters", st->characters);
  gw_json_member_uint(&head, "paragraphs", st->paragraphs);
  gw_json_member_uint(&head, "tokens", st->tokens);
  gw_json_key(&head, "token_kinds");
  gw_json_object_begin(&head);
  for (int k = 0; k <= GW_TOKEN_OTHER; k++)
    if (k != GW_TOKEN_SPACE)
      gw_json_member_uint(&head, gw_token_kind_name((gw_token_kind)k), st->kinds[k]);
  gw_json_object_end(&head);
  gw_json_key(&head, "top_words");
  gw_counter_write(&head, &st->words, top, "word");
  gw_json_key(&head, "masks");
  gw_json_object_begin(&head);
  gw_json_member_uint(&head, "count", st->mask_count);
  gw_json_key(&head, "forms");
  gw_counter_write(&head, &st->masks, (size_t)-1, "mask");
  gw_json_object_end(&head);
  gw_json_key(&head, "removed");
  gw_json_object_begin(&head);
  gw_json_member_uint(&head, "spans", st->removed_spans);
  gw_json_member_uint(&head, "bytes", st->removed_bytes);
  gw_json_key(&head, "items");
  gw_json_array_end(&st->removed);
  gw_json_continue_in(&middle, 1, 1);
  gw_json_continue_in(&middle, 1, 1);
  gw_json_object_end(&middle);
  gw_json_key(&middle, "files");
  gw_json_array_end(&st->files);
  gw_json_continue_in(&tail, 1, 1);
  gw_cli_write_errors_last(&tail, cli);
  gw_json *const parts[] = {&head, &st->removed, &middle, &st->files, &tail};
  int rc = gw_json_write_parts(stdout, parts, 5);
  gw_json_finish(&head);
  gw_json_finish(&middle);
  gw_json_finish(&tail);
  return rc;
}
