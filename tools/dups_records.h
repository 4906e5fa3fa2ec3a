/* dups_records.h — copy detection's records as JSON (tools/json_writer):
 * a document with its ratios and sources, a pair with its passages, a
 * family with its members, a cluster of near-duplicate paragraphs; the
 * fields of each record without its braces, so that a caller can add its
 * own (gw-dups's JSON Lines put "record" first).  gw-dups writes them; a
 * tool over another set of documents (gw-archive's check) names the
 * documents its own way through write_name. */
#ifndef GW_DUPS_RECORDS_H
#define GW_DUPS_RECORDS_H

#include <stddef.h>

#include "gongwen.h"
#include "json_writer.h"
#include "positions.h"

typedef struct gw_dups_records {
  const gw_dups *d;
  char **paths;                  /* each document's name */
  const gw_positions *positions; /* each document's (line and column of
                                    every start), or NULL: none */
  const gw_meta *meta;           /* units by path (--meta), or NULL */
  int with_text;                 /* passage and family text */
  /* Where a record names a document under `key`: NULL writes its path
   * (gw_json_member_path); a caller may write an object with more (unit,
   * year, where it comes from). */
  void (*write_name)(gw_json *w, const char *key, size_t document, void *payload);
  void *payload;
} gw_dups_records;

/* "path", characters, official, copied, copy_ratio, year, unit,
 * template_copied, template_ratio, few_ratio, self_copied, self_ratio,
 * base, largest_source, sources_total, sources, base_sources. */
void gw_dups_records_document(gw_json *w, const gw_dups_records *r, size_t document);
/* "a", "b", similarity, copied_a, copied_b, passages (kind, a and b with
 * start, end, line, column; characters, matched, text). */
void gw_dups_records_pair(gw_json *w, const gw_dups_records *r, size_t pair);
/* documents, size, characters, earliest, text, members. */
void gw_dups_records_family(gw_json *w, const gw_dups_records *r, size_t family);
/* documents, size, min_jaccard, max_jaccard, members. */
void gw_dups_records_cluster(gw_json *w, const gw_dups_records *r, size_t cluster);

#endif
