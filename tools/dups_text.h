/* dups_text.h — copy detection as a terminal shows it, shared by gw-dups
 * and gw-stats (--format text): the reports ranked by copy ratio with
 * their main source, the most copied pairs and the largest families, each
 * with a short quote of its text as it stands in the file and, where the
 * positions are known, the line it starts on. */
#ifndef GW_DUPS_TEXT_H
#define GW_DUPS_TEXT_H

#include <stddef.h>
#include <stdio.h>

#include "gongwen.h"
#include "positions.h"

typedef struct gw_dups_view {
  FILE *out;
  const gw_dups *d;
  char **paths;                  /* each document's name */
  const gw_positions *positions; /* each document's, or NULL: no line numbers */
  size_t excerpt_chars;          /* the longest quote, in characters */
} gw_dups_view;

/* The passages of a pair that are copying (not official or base text). */
size_t gw_dups_copy_passages(const gw_dups *d, const gw_dups_pair *p);
/* Its longest copy passage (the first of the longest), or NULL: the one a
 * summary quotes. */
const gw_dups_passage *gw_dups_longest_copy(const gw_dups *d, const gw_dups_pair *p);

/* Each of these returns GW_OK, or GW_ENOMEM (what it printed is then
 * not the whole of its section). */

/* "Most copied reports ...": documents from `first` on (base documents
 * before it are not ranked), at most `limit`. */
int gw_dups_text_reports(const gw_dups_view *t, size_t first, size_t limit);
/* "Most copied pairs:", at most `limit`, each with its longest passage. */
int gw_dups_text_pairs(const gw_dups_view *t, size_t limit);
/* "Largest families:", at most `limit`, each with its text and where its
 * first members stand. */
int gw_dups_text_families(const gw_dups_view *t, size_t limit);

/* “the passage” of document (range r), cut to `width` characters, on its
 * own line: as it stands in the file at `path` when path is not NULL and
 * the file is UTF-8 and can be read again, else as compared (characters,
 * masks as **).  GW_OK or GW_ENOMEM. */
int gw_dups_text_quote(FILE *out, const gw_dups *d, size_t document, const gw_dups_range *r,
                       const char *path, size_t width);

/* The width of the terminal on stdout ($COLUMNS, else 80 when stdout is
 * not a terminal), at least 40. */
size_t gw_text_terminal_width(void);

#endif
