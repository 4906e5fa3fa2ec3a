/* dups_records.h — copy detection's records as JSON (tools/json_writer):
 * a document with its ratios and sources, a pair with its passages, a
 * family with its members, a cluster of near-duplicate paragraphs; the
 * fields of each record without its braces, so that a caller can add its
 * own (JSON Lines put "record" first).  gw-dups writes them with documents
 * named by path; gw-archive's check, over archived and new reports, names
 * each with its unit, year and where it comes from, and says what each
 * source is to the report (its own unit's earlier report, another unit's)
 * through the two hooks below. */
#ifndef GW_DUPS_RECORDS_H
#define GW_DUPS_RECORDS_H

#include <stddef.h>

#include "gongwen.h"
#include "json_writer.h"
#include "positions.h"

/* What one report is to another, by their units and years. */
typedef enum gw_relation {
  GW_RELATION_UNKNOWN,      /* a unit is not known */
  GW_RELATION_OTHER_UNIT,
  GW_RELATION_SAME_UNIT,    /* its own unit's, the same or an unknown year */
  GW_RELATION_SELF_EARLIER, /* its own unit's report of an earlier year */
  GW_RELATION_SELF_LATER    /* ... of a later year */
} gw_relation;

/* What the report of (other_unit, other_year) is to the report of (unit,
 * year); "" or 0 when not known. */
gw_relation gw_relation_of(const char *unit, int year, const char *other_unit, int other_year);
/* "unknown", "other_unit", "same_unit", "self_earlier", "self_later". */
const char *gw_relation_name(gw_relation r);
/* Whether it is the report's own unit's (same_unit, self_*). */
int gw_relation_is_own_unit(gw_relation r);

typedef struct gw_dups_records {
  const gw_dups *d;
  char **paths;                  /* each document's name */
  const gw_positions *positions; /* each document's (line and column of
                                    every start), or NULL: none */
  const gw_meta *meta;           /* units by path (--meta), or NULL */
  int with_text;                 /* passage and family text */
  /* How records name a document.  NULL: by its path ("path": P in a
   * document record, a source or a member, "a": P and "b": P in a pair, a
   * family's earliest as {"path": P, "year": Y}).  Else the members that
   * name it, written inside the open object and its year among them: a
   * source, a member and a family's earliest hold them, a pair's "a" and
   * "b" are objects of them, and a document record starts with them (and
   * has no "year" and "unit" of its own).  as_reference: 1 where another
   * record names the document, 0 at the head of its own record. */
  void (*write_name)(gw_json *w, size_t document, int as_reference, void *payload);
  /* What document `other` is to `document`, or NULL.  With it, a source
   * says it as "relation" after its name, a pair after "b" (what a is to
   * b, the later document), and a document lists the sources of its own
   * unit apart, as "self_sources" before "sources" (and has no
   * self_copied, self_ratio and largest_source: the relations say it). */
  gw_relation (*relation)(size_t document, size_t other, void *payload);
  void *payload;
} gw_dups_records;

/* A record's braces.  In JSON Lines (lines) a record stands on its own
 * line and says its type first, {"record": TYPE, ...}; in the one JSON
 * object it is an element of its section's array, without a type. */
void gw_dups_records_begin(gw_json *w, int lines, const char *type);
void gw_dups_records_end(gw_json *w, int lines);

/* Named by path: "path", characters, official, copied, copy_ratio, year,
 * unit, template_copied, template_ratio, few_ratio, self_copied,
 * self_ratio, base, largest_source, sources_total, sources, base_sources.
 * With the hooks: the name, characters, official, copied, copy_ratio,
 * template_copied, template_ratio, few_ratio, base, sources_total,
 * self_sources, sources, base_sources. */
void gw_dups_records_document(gw_json *w, const gw_dups_records *r, size_t document);
/* "a", "b", (relation,) similarity, copied_a, copied_b, passages (kind, a
 * and b with start, end, line, column; characters, matched, text). */
void gw_dups_records_pair(gw_json *w, const gw_dups_records *r, size_t pair);
/* documents, size, characters, earliest, text, members. */
void gw_dups_records_family(gw_json *w, const gw_dups_records *r, size_t family);
/* documents, size, min_jaccard, max_jaccard, members. */
void gw_dups_records_cluster(gw_json *w, const gw_dups_records *r, size_t cluster);

#endif
