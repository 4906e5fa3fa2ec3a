/* text_out.h — the small pieces of the tools' `--format text` output: names
 * printed so that a terminal shows them safely, columns padded by display
 * width (a Han character takes two), grouped numbers and percentages, and
 * excerpts cut on character boundaries. */
#ifndef GW_TEXT_OUT_H
#define GW_TEXT_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* s as a terminal may show it: control characters (C0, DEL, C1) and bytes
 * that are not part of valid UTF-8 become \xNN, a backslash stays a
 * backslash.  Returns the display columns written; -1 when the write fails. */
int gw_text_put_name(FILE *out, const char *s);

/* The display width of valid UTF-8 (wide and fullwidth characters count
 * two, combining marks zero); an invalid byte counts one. */
size_t gw_text_width(const char *s, size_t len);

/* s, then spaces up to `width` columns (none when s is wider). */
void gw_text_put_padded(FILE *out, const char *s, size_t width);

/* 12,703: digits in groups of three. */
void gw_text_put_count(FILE *out, uint64_t n);

/* A share in [0, 1] as a percentage with one decimal: "2.4%". */
void gw_text_put_percent(FILE *out, double share);

/* The first `max_chars` characters of s[0, len) (cut at a character
 * boundary) followed by "…" when something was cut. */
void gw_text_put_excerpt(FILE *out, const char *s, size_t len,
                         size_t max_chars);

/* The length of the valid UTF-8 sequence starting s[0, len), or 0 when
 * s[0] does not start one. */
size_t gw_text_sequence_length(const char *s, size_t len);

/* s[0, len) up to its first NUL as a malloc'd string, each byte that is
 * not part of valid UTF-8 replaced by U+FFFD; NULL when out of memory. */
char *gw_text_valid_copy(const char *s, size_t len);

/* Whether s[0, len) is valid UTF-8. */
int gw_text_is_utf8(const char *s, size_t len);

/* s[0, len) on one line: each run of line ends, tabs and spaces becomes one
 * space (in place); returns the new length. */
size_t gw_text_one_line(char *s, size_t len);

#endif
