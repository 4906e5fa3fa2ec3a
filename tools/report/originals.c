/* originals.c — the original files and offsets into their shown text (see
 * originals.h). */
#include "originals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "records.h"

static size_t utf8_length(unsigned char lead) {
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

/* The shown text of a loaded document with its boundary and line tables. */
static int build_text(report_doc *d, const gw_document *doc) {
  size_t len;
  const char *text = gw_document_text(doc, &len);
  d->text = malloc(len + 1);
  d->bound_original = malloc((len + 1) * sizeof *d->bound_original);
  d->bound_utf16 = malloc((len + 1) * sizeof *d->bound_utf16);
  d->bound_shown = malloc((len + 1) * sizeof *d->bound_shown);
  d->line_starts = malloc((len + 1) * sizeof *d->line_starts);
  if (!d->text || !d->bound_original || !d->bound_utf16 || !d->bound_shown || !d->line_starts)
    return -1;
  size_t out = 0, utf16 = 0;
  d->line_starts[d->line_count++] = 0;
  for (size_t t = 0; t <= len;) {
    d->bound_original[d->bound_count] = gw_document_text_to_original(doc, t);
    d->bound_utf16[d->bound_count] = utf16;
    d->bound_shown[d->bound_count++] = out;
    if (t == len) break;
    size_t n = utf8_length((unsigned char)text[t]);
    if (t + n > len) n = len - t;
    if (text[t] == '\r' && t + 1 < len && text[t + 1] == '\n') {
      t++; /* the LF that follows stands for both */
      continue;
    }
    if (text[t] == '\r' || text[t] == '\n') {
      d->text[out++] = '\n';
      utf16++;
      d->line_starts[d->line_count++] = utf16;
    } else {
      if (n == 4 && GW_CLI_GROW(d->astral, d->astral_cap, d->astral_count + 1)) return -1;
      if (n == 4) d->astral[d->astral_count++] = utf16;
      memcpy(d->text + out, text + t, n);
      out += n;
      utf16 += n == 4 ? 2 : 1;
    }
    t += n;
  }
  d->text[out] = '\0';
  d->text_len = out;
  return 0;
}

/* How many of the sorted values are <= value. */
static size_t count_at_most(const size_t *sorted, size_t n, size_t value) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* How many of the sorted values are < value. */
static size_t count_below(const size_t *sorted, size_t n, size_t value) {
  return value ? count_at_most(sorted, n, value - 1) : 0;
}

/* The shown-text index of an original byte offset: a start snaps back to the
 * boundary at or before it, an end forward to the one at or after it, so
 * that a character is covered whole. */
static size_t to_utf16(const report_doc *d, size_t offset, int is_end) {
  size_t below = count_at_most(d->bound_original, d->bound_count, offset);
  size_t at = below ? below - 1 : 0;
  if (is_end && d->bound_original[at] < offset && at + 1 < d->bound_count) at++;
  return d->bound_utf16[at];
}

/* 1-based line of a shown-text index. */
static size_t line_of(const report_doc *d, size_t utf16) {
  return count_at_most(d->line_starts, d->line_count, utf16);
}

/* 1-based column of a shown-text index on its line, in characters as
 * gw-dups counts them (a character outside the BMP is one column, two
 * UTF-16 code units). */
static size_t column_of(const report_doc *d, size_t utf16, size_t line) {
  size_t start = d->line_starts[line - 1];
  size_t astral = count_below(d->astral, d->astral_count, utf16) -
                  count_below(d->astral, d->astral_count, start);
  return utf16 - start - astral + 1;
}

/* The first line with text, trimmed, at most 40 characters. */
static char *first_line(const report_doc *d) {
  const char *s = d->text;
  while (*s == '\n' || *s == ' ' || *s == '\t') s++;
  const char *end = s;
  size_t chars = 0;
  while (*end && *end != '\n' && chars < 40) {
    end += utf8_length((unsigned char)*end);
    chars++;
  }
  while (end > s && (end[-1] == ' ' || end[-1] == '\t')) end--;
  return strndup(s, (size_t)(end - s));
}

static char *join_path(const char *root, const char *path) {
  if (!root || path[0] == '/') return strdup(path);
  size_t n = strlen(root) + strlen(path) + 2;
  char *out = malloc(n);
  if (out) snprintf(out, n, "%s/%s", root, path);
  return out;
}

/* Where gw-dups ran is unknown: its paths are tried from --root, else from
 * the current folder, then from the JSON file's folder. */
static int load_document(const report_doc *d, const report_config *cfg, gw_document **doc,
                         gw_error *err, char **file) {
  *file = join_path(cfg->root, d->path);
  if (!*file) return GW_ENOMEM;
  int rc = gw_document_load_file(doc, *file, &cfg->document, err);
  if (rc != GW_EIO || cfg->root || !cfg->input_dir || d->path[0] == '/') return rc;
  char *other = join_path(cfg->input_dir, d->path);
  gw_error other_err;
  if (other && gw_document_load_file(doc, other, &cfg->document, &other_err) == 0) {
    free(*file);
    *file = other;
    return 0;
  }
  free(other);
  return rc;
}

/* Diagnostics for the first few unreadable originals, then a count. */
enum { REPORTED_UNREADABLE = 10 };

int load_originals(gw_cli *cli, report *r, const report_config *cfg) {
  for (size_t i = 0; i < r->doc_count; i++) {
    report_doc *d = &r->docs[i];
    char *file = NULL;
    gw_document *doc = NULL;
    gw_error err;
    memset(&err, 0, sizeof err);
    if (strcmp(d->path, GW_CLI_STDIN) == 0) {
      d->error = strdup("read from stdin: the text is not available");
    } else if (load_document(d, cfg, &doc, &err, &file) != 0) {
      if (!file) return -1;
      d->error = strdup(err.message[0] ? err.message : "cannot be read");
    } else if (build_text(d, doc) != 0) {
      gw_document_free(doc);
      free(file);
      return -1;
    }
    if (d->error && ++r->unreadable <= REPORTED_UNREADABLE) {
      /* a gw_error message names the file already */
      if (strncmp(d->error, file, strlen(file)) == 0) gw_cli_error(cli, "%s", d->error);
      else gw_cli_error(cli, "%s: %s", d->path, d->error);
    } else if (!d->error) {
      if (!d->year) d->year = (int)number_of(d->record, "year");
      if (!d->year) d->year = gw_document_year(doc);
      if (!d->title) d->title = first_line(d);
    }
    gw_document_free(doc);
    free(file);
  }
  if (r->unreadable > REPORTED_UNREADABLE)
    gw_cli_error(cli, "%zu more originals could not be read (--root DIR names the folder "
                 "gw-dups ran in)", r->unreadable - REPORTED_UNREADABLE);
  return 0;
}

/* The first boundary at or after `value` in one of d's non-decreasing
 * boundary tables, the last boundary if none is: a position inside a
 * character (or past the end) moves on to where the next one starts. */
static size_t boundary_at_or_after(const report_doc *d, const size_t *table, size_t value) {
  size_t k = count_below(table, d->bound_count, value);
  return k < d->bound_count ? k : d->bound_count - 1;
}

/* Bytes of the shown text from a UTF-16 index (a binary search: a
 * document of a million characters has tens of thousands of ranges). */
static size_t shown_byte(const report_doc *d, size_t utf16) {
  return d->bound_shown[boundary_at_or_after(d, d->bound_utf16, utf16)];
}

/* The UTF-16 index of a byte of the shown text. */
static size_t utf16_of(const report_doc *d, size_t byte) {
  return d->bound_utf16[boundary_at_or_after(d, d->bound_shown, byte)];
}

/* The shown text's bytes [*s, *e) of a range of byte offsets, with the
 * punctuation that belongs to it (gw_dups_widen_shown: （二）, not 二）);
 * an inverted range is empty.  d's original must be loaded. */
static void shown_bytes_of(const report_doc *d, const cJSON *range, int widen, size_t *s,
                           size_t *e) {
  *s = shown_byte(d, to_utf16(d, size_of(range, "start"), 0));
  *e = shown_byte(d, to_utf16(d, size_of(range, "end"), 1));
  if (*e < *s) *e = *s;
  if (widen) gw_dups_widen_shown(s, e, d->text, d->text_len);
}

static shown_range range_in_text(const report_doc *d, const cJSON *range, int widen) {
  shown_range s = {0, 0, 0, 0, 0};
  /* gw-dups, gw-archive check and gw-gap give the line and column where
   * start stands, counted as here (a line ends at LF, CR LF or a lone CR;
   * a column is a character); they are read only where the original is
   * missing, as counting them in the text costs less than cJSON's lookup
   * of the keys (0.2 % fewer instructions for 2,000 reports) and gives the
   * same figures */
  if (!d->text) {
    s.line = size_of(range, "line");
    s.column = size_of(range, "column");
    return s;
  }
  s.known = 1;
  size_t start, end;
  shown_bytes_of(d, range, widen, &start, &end);
  /* the line and column stay those of the copied span's first character,
   * as the records give them; the highlight takes in its punctuation */
  s.start = to_utf16(d, size_of(range, "start"), 0);
  s.line = line_of(d, s.start);
  s.column = column_of(d, s.start, s.line);
  s.start = utf16_of(d, start);
  s.end = utf16_of(d, end);
  return s;
}

shown_range shown_range_of(const report_doc *d, const cJSON *range) {
  return range_in_text(d, range, 0);
}

shown_range copied_range_of(const report_doc *d, const cJSON *range) {
  return range_in_text(d, range, 1);
}

size_t shown_text_of(const report_doc *d, const cJSON *range, const char **text) {
  size_t s, e;
  shown_bytes_of(d, range, 1, &s, &e);
  *text = d->text + s;
  return strnlen(d->text + s, e - s);
}
