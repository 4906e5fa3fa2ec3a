/*
 * wrap.h — lines of the decoded text and the hard-wrap analysis (wrap.c),
 * for normalize.c.  Private.
 */
#ifndef GW_WRAP_H
#define GW_WRAP_H

#include "internal.h"

/* Line ends (LF, CRLF, CR) found with memchr, cached so CR-only text stays
 * linear. */
typedef struct gw_line_scanner {
  const char *src;
  size_t len, lf, cr;
} gw_line_scanner;

void gw_line_scanner_init(gw_line_scanner *sc, const char *src, size_t len);
/* The line starting at pos: its content ends at *le, the next line starts
 * at *next. */
void gw_line_scanner_line(gw_line_scanner *sc, size_t pos, size_t *le,
                          size_t *next);

/* Whether, and how, a document is hard-wrapped. */
typedef struct gw_wrap_info {
  int hard;
  uint32_t min_cps, min_width; /* a line this long was filled to the wrap
                                  (0: the text does not wrap this way) */
  int indents;         /* paragraphs start with an indented line */
} gw_wrap_info;

/* Decide from text[0..len) (cheap unless its average line is short).
 * GW_ENOMEM or GW_OK. */
int gw_wrap_analyze(gw_wrap_info *w, const char *text, size_t len);

/* Was text[ls, le) filled up to the wrap (by either measure that wraps)? */
int gw_wrap_line_full(const gw_wrap_info *w, const char *text, size_t ls,
                      size_t le);

/* The previous content line, as normalized, and what followed it. */
typedef struct gw_wrap_prev {
  const char *text;
  size_t len;
  int is_first;     /* the document's first line */
  int full;         /* filled to the wrap (gw_wrap_line_full) */
  int blank_after;  /* a blank line since */
} gw_wrap_prev;

/* Join the line text[ls, le) to the previous content line? */
int gw_wrap_join(const gw_wrap_info *w, const gw_wrap_prev *prev,
                 const char *text, size_t ls, size_t le);

#endif /* GW_WRAP_H */
