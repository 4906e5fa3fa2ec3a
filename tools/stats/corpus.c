/* The corpus tallies: one document's paragraphs, sections, words, masks
 * and removals added to the totals, in input order. */
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "stats/stats.h"

void stats_corpus_init(corpus *c) {
  memset(c, 0, sizeof *c);
  gw_counter_init(&c->words);
  gw_counter_init(&c->masks);
  gw_counter_init(&c->terms);
}

void stats_corpus_free(corpus *c) {
  gw_counter_free(&c->words);
  gw_counter_free(&c->masks);
  gw_counter_free(&c->terms);
  for (size_t i = 0; i < c->documents; i++) gw_positions_free(&c->positions[i]);
  free(c->positions);
  free(c->files);
}

int stats_count_document(corpus *c, const document_words *found, const gw_document *doc,
                         gw_positions *positions, const char *path) {
  size_t norm_len;
  const char *norm = gw_document_normalized(doc, &norm_len);
  size_t np = gw_document_paragraph_count(doc), docno = (size_t)c->documents;
  for (size_t i = 0; i < np; i++) {
    const gw_paragraph *p = gw_document_paragraph_at(doc, i);
    if (p->heading_level > 0) c->headings++;
    if (p->heading_level == 1) c->sections[p->section]++;
  }
  c->tokens += found->tokens;
  if (gw_counter_add_spans(&c->words, norm, found->words, found->count, docno))
    return GW_ENOMEM;
  size_t masks = gw_document_mask_count(doc);
  for (size_t i = 0; i < masks; i++) {
    const gw_range *m = gw_document_mask_at(doc, i);
    if (gw_counter_add(&c->masks, norm + m->norm_start, m->norm_end - m->norm_start, docno))
      return GW_ENOMEM;
  }
  size_t removals = gw_document_removal_count(doc);
  for (size_t i = 0; i < removals; i++) {
    const gw_removal *r = gw_document_removal_at(doc, i);
    c->removed_spans++;
    c->removed_bytes += r->range.end - r->range.start;
    c->removed_kinds[r->kind]++;
  }
  if (GW_CLI_GROW(c->files, c->files_capacity, c->documents + 1) ||
      GW_CLI_GROW(c->positions, c->positions_capacity, c->documents + 1))
    return GW_ENOMEM;
  c->files[c->documents] = (file_record){path, gw_document_encoding(doc),
                                         gw_document_char_count(doc), np, masks, removals};
  c->positions[c->documents] = *positions;
  memset(positions, 0, sizeof *positions);
  c->documents++;
  c->characters += gw_document_char_count(doc);
  c->paragraphs += np;
  c->mask_count += masks;
  return GW_OK;
}
