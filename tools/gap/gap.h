/* gap.h — what gw-gap's parts share: the options, the sections of a report
 * and their names (sections.c), what the references use and where
 * (references.c), the terms the draft lacks, ranked (findings.c), the
 * checklist (checklist.c) and the report written (output.c).  The data
 * flows: draft and references read → tallies → findings → JSON or text. */
#ifndef GW_GAP_H
#define GW_GAP_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "gongwen.h"
#include "options.h"
#include "positions.h"

enum gap_format { GAP_FORMAT_JSON, GAP_FORMAT_TEXT };

typedef struct gap_config {
  enum gap_format format;
  gw_document_options document;
  gw_terms_options terms;
  const char *draft;
  const char *corpus_dir;
  const char *checklist;
  const char *dict_path;
  gw_opt_strings term_files;
  int no_default_terms;
  double min_share;
  size_t top;
  size_t threads;
  int compact;
} gap_config;

/* Code points in s[a, b), line ends excluded. */
size_t gap_count_chars(const char *s, size_t a, size_t b);

/* ---- sections (sections.c) ---- */

/* The name of the section paragraph p is in, as this report calls it
 * (malloc'd, NULL when out of memory): its level-1 heading without the
 * marker, or the name of its type when it has none. */
char *gap_section_name(const gw_document *doc, const gw_paragraph *p);

/* How often each heading names a section type, across the references. */
typedef struct gap_name_count {
  char *name;
  size_t references;
} gap_name_count;

typedef struct gap_names {
  gap_name_count *items;
  size_t count, cap;
} gap_names;

/* Counts `name` (taken over, freed here when already counted).  0 or -1
 * when out of memory. */
int gap_names_add(gap_names *t, char *name);
/* The name most references give the type (the first seen among equals),
 * or its usual name. */
const char *gap_names_best(const gap_names *t, gw_section_type type);
void gap_names_free(gap_names *t);

/* Which of the section types a report has (a level-1 heading of the
 * type), and the characters under them (their headings excluded). */
typedef struct gap_outline {
  int has[GW_SECTION_COUNT];
  size_t characters[GW_SECTION_COUNT];
} gap_outline;

void gap_outline_of(const gw_document *doc, gap_outline *o);

/* The references' sections of one type: how many have it, their lengths
 * (for the median), their names. */
typedef struct gap_section_use {
  size_t references;
  size_t *characters;
  size_t cap;
  gap_names names;
} gap_section_use;

/* 0 or -1 when out of memory. */
int gap_section_use_add(gap_section_use *u, size_t characters);
/* The median length (the lower middle one of an even count). */
size_t gap_section_use_median(gap_section_use *u);

/* ---- what the references use (references.c) ---- */

/* One sentence of a reference that uses a term. */
typedef struct gap_example {
  const char *path; /* the reference, as the inputs name it */
  char *text;       /* the sentence in the normalized view */
  gw_range range;
  size_t line, column; /* where it starts in the reference */
  gw_section_type section;
  char *name;       /* of the section, as the reference calls it */
} gap_example;

typedef struct gap_term_use {
  uint64_t documents;
  uint64_t section[GW_SECTION_COUNT];           /* occurrences */
  uint64_t section_documents[GW_SECTION_COUNT]; /* references using it there */
  int in_draft;
  int broken_in_draft;
  uint64_t draft_count;
  int checklist;
  int has_example;
  int example_good; /* of a length that reads well: no need to look on */
  gap_example example; /* the chosen sentence */
} gap_term_use;

/* Per term (use[t] for term t) and per section, over the references. */
typedef struct gap_tallies {
  gap_term_use *use;
  size_t n; /* terms */
  uint64_t references;
  uint64_t reference_characters;
  gap_section_use sections[GW_SECTION_COUNT];
} gap_tallies;

/* Empty tallies for the terms: 0 or GW_ENOMEM (free them either way). */
int gap_tallies_init(gap_tallies *t, const gw_terms *terms);
void gap_tallies_free(gap_tallies *t);
/* What the draft uses and quotes broken: neither is missing. */
void gap_tallies_mark_draft(gap_tallies *t, const gw_term_result *draft);
/* The references, inputs 1 onwards of cli (the draft, cfg->draft, skipped
 * where it is among them), loaded and matched on cfg->threads workers and
 * tallied in input order; one that cannot be read is listed as a failure
 * of cli.  GW_OK or GW_ENOMEM. */
int gap_tallies_read(gap_tallies *t, gw_cli *cli, const gap_config *cfg,
                     const gw_terms *terms);

/* ---- the findings (findings.c) ---- */

/* What the report is made from. */
typedef struct gap_report {
  const gap_config *cfg;
  const gw_terms *terms;
  const gw_dict *dict;
  gap_term_use *use;
  size_t n;
  uint64_t references;
  uint64_t words;             /* of the average reference */
  gap_section_use *sections;  /* GW_SECTION_COUNT */
  const char *names[GW_SECTION_COUNT];
  int year;
} gap_report;

/* The report of tallies t for a draft of `year`: the words of the average
 * reference and the name most references give each section. */
void gap_report_init(gap_report *g, const gap_config *cfg, const gw_terms *terms,
                     const gw_dict *dict, gap_tallies *t, int year);

typedef struct gap_missing {
  size_t term;
  int checklist;
  uint64_t documents;
  double share, general, score;
} gap_missing;

/* A section the references have or the draft has, against the draft's:
 * "missing" when half the references or more have one the draft lacks,
 * "shorter" when the draft's is under a third of the references' median
 * length. */
typedef struct gap_structure_row {
  gw_section_type section;
  size_t references, median;
  int draft_has;
  size_t draft_characters;
  const char *gap; /* NULL: none */
} gap_structure_row;

/* What the report says, worked out before anything is written. */
typedef struct gap_findings {
  const gw_document *draft;
  gw_positions_walk draft_positions; /* primed: terms_positions_prime */
  const gw_term_result *result;
  gap_structure_row rows[GW_SECTION_COUNT];
  size_t row_count;
  gap_missing *missing;
  size_t missing_count, omitted;
} gap_findings;

/* The findings on the draft (result: its term matches).  GW_OK or
 * GW_ENOMEM; gap_findings_free either way. */
int gap_findings_make(gap_findings *f, const gap_report *g, const gw_document *draft,
                      const gw_term_result *result);
void gap_findings_free(gap_findings *f);

/* Terms the draft uses and no reference does. */
int gap_is_unique(const gap_report *g, size_t term);

/* ---- the report written (output.c) ---- */

/* The JSON on stdout, whole or not at all: GW_OK, GW_ENOMEM or GW_EIO.
 * (f is not const: its walk through the draft's lines moves as the
 * places are written.) */
int gap_write_json(const gw_cli *cli, const gap_report *g, gap_findings *f);
/* Advice for a drafter on stdout. */
void gap_print_text(const gw_cli *cli, const gap_report *g, gap_findings *f);

/* ---- the checklist (checklist.c) ---- */

/* The terms of the checklist at path (malloc'd, *n of them); those not in
 * the dictionary are added to terms.  0, or -1 after the error is
 * reported. */
int gap_load_checklist(gw_cli *cli, gw_terms *terms, const char *path, char ***out, size_t *n);

#endif
