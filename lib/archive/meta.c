/*
 * meta.c — a metadata table (TSV: path, unit, year, title, more columns kept
 * as they are) giving each report the unit that wrote it and its year, for
 * the archive and the report.  The format is in lib/archive/FORMAT.md.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct gw_meta {
  char *name;          /* the file's name, for errors */
  char *text;          /* the file's bytes; every field points into it */
  gw_meta_row *rows;   /* in file order */
  size_t row_count;
  const char **extras; /* every row's extra columns, one array */
  size_t *by_path;     /* row indexes sorted by path */
};

void gw_meta_free(gw_meta *meta) {
  if (!meta) return;
  free(meta->name);
  free(meta->text);
  free(meta->rows);
  free(meta->extras);
  free(meta->by_path);
  free(meta);
}

/* "./a/b.txt" and "a/b.txt" name one file. */
static const char *without_dot_slash(const char *path) {
  while (path[0] == '.' && path[1] == '/') {
    path += 2;
    while (*path == '/') path++;
  }
  return path;
}

/* A year column: empty (0) or a whole number 1 to 9999. */
static int parse_year(const char *s, int *year) {
  *year = 0;
  if (!*s) return 0;
  long v = 0;
  for (const char *p = s; *p; p++) {
    if (*p < '0' || *p > '9' || p - s >= 4) return -1;
    v = v * 10 + (*p - '0');
  }
  if (v < 1) return -1;
  *year = (int)v;
  return 0;
}

/* Split the text in place into lines and TAB-separated fields: counts the
 * rows (non-blank, non-comment lines) and their fields beyond the fourth. */
static void count_rows(const char *text, size_t len, size_t *rows, size_t *extras) {
  *rows = *extras = 0;
  for (size_t i = 0; i < len;) {
    size_t end = i;
    while (end < len && text[end] != '\n') end++;
    size_t e = end;
    while (e > i && text[e - 1] == '\r') e--;
    if (e > i && text[i] != '#') {
      size_t tabs = 0;
      for (size_t j = i; j < e; j++) tabs += text[j] == '\t';
      (*rows)++;
      if (tabs > 3) *extras += tabs - 3;
    }
    i = end + 1;
  }
}

/* Sort row indexes by path: a merge sort, since qsort's comparison cannot
 * reach the rows without global state. */
static void sort_by_path(size_t *idx, size_t *tmp, size_t n, const gw_meta_row *rows) {
  if (n < 2) return;
  size_t h = n / 2;
  sort_by_path(idx, tmp, h, rows);
  sort_by_path(idx + h, tmp, n - h, rows);
  size_t i = 0, j = h, k = 0;
  while (i < h && j < n)
    tmp[k++] = strcmp(rows[idx[j]].path, rows[idx[i]].path) < 0 ? idx[j++] : idx[i++];
  while (i < h) tmp[k++] = idx[i++];
  while (j < n) tmp[k++] = idx[j++];
  memcpy(idx, tmp, n * sizeof *idx);
}

static int fill_rows(gw_meta *m, size_t len, gw_error *err) {
  char *text = m->text;
  size_t line = 0, r = 0, x = 0;
  for (size_t i = 0; i < len;) {
    size_t end = i;
    while (end < len && text[end] != '\n') end++;
    size_t e = end;
    line++;
    while (e > i && text[e - 1] == '\r') e--;
    text[e] = '\0';
    if (memchr(text + i, '\0', e - i))
      return gw_fail_at(err, GW_EFORMAT, GW_NO_OFFSET, line, 0,
                        "%s:%zu: a NUL byte in the line", m->name, line);
    if (e == i || text[i] == '#') {
      i = end + 1;
      continue;
    }
    gw_meta_row *row = &m->rows[r];
    const char *fields[4] = {"", "", "", ""};
    char *p = text + i;
    size_t k = 0;
    row->extras = m->extras + x;
    row->extra_count = 0;
    for (;;) {
      char *tab = strchr(p, '\t');
      if (tab) *tab = '\0';
      if (k < 4) fields[k] = p;
      else m->extras[x++] = p, row->extra_count++;
      k++;
      if (!tab) break;
      p = tab + 1;
    }
    /* An optional header line: path TAB unit TAB year ... */
    if (r == 0 && strcmp(fields[0], "path") == 0 && strcmp(fields[2], "year") == 0) {
      x -= row->extra_count;
      i = end + 1;
      continue;
    }
    row->path = without_dot_slash(fields[0]);
    row->unit = fields[1];
    row->title = fields[3];
    row->line = line;
    if (!*row->path)
      return gw_fail_at(err, GW_EFORMAT, GW_NO_OFFSET, line, 0,
                        "%s:%zu: the path (first column) is empty", m->name, line);
    if (parse_year(fields[2], &row->year))
      return gw_fail_at(err, GW_EFORMAT, GW_NO_OFFSET, line, 0,
                        "%s:%zu: the year is not a number from 1 to 9999: '%s'",
                        m->name, line, fields[2]);
    r++;
    i = end + 1;
  }
  m->row_count = r;
  return GW_OK;
}

static int index_paths(gw_meta *m, gw_error *err) {
  size_t n = m->row_count;
  size_t *tmp = malloc((n + 1) * sizeof *tmp);
  m->by_path = malloc((n + 1) * sizeof *m->by_path);
  if (!tmp || !m->by_path) {
    free(tmp);
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", m->name);
  }
  for (size_t i = 0; i < n; i++) m->by_path[i] = i;
  sort_by_path(m->by_path, tmp, n, m->rows);
  free(tmp);
  for (size_t i = 1; i < n; i++) {
    const gw_meta_row *a = &m->rows[m->by_path[i - 1]], *b = &m->rows[m->by_path[i]];
    if (strcmp(a->path, b->path) == 0) {
      const gw_meta_row *later = a->line > b->line ? a : b, *first = a->line > b->line ? b : a;
      return gw_fail_at(err, GW_EFORMAT, GW_NO_OFFSET, later->line, 0,
                        "%s:%zu: %s is given again (first on line %zu)", m->name,
                        later->line, later->path, first->line);
    }
  }
  return GW_OK;
}

int gw_meta_load_buffer(gw_meta **out, const char *name, const char *text, size_t len,
                        gw_error *err) {
  *out = NULL;
  if (!text && len) return gw_fail(err, GW_EINVAL, "gw_meta_load_buffer: invalid argument");
  if (!name) name = "<buffer>";
  gw_meta *m = calloc(1, sizeof *m);
  if (m) m->name = strdup(name);
  if (m) m->text = malloc(len + 1);
  if (!m || !m->name || !m->text) {
    gw_meta_free(m);
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
  }
  /* A spreadsheet's export may start with a BOM. */
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) text += 3, len -= 3;
  if (len) memcpy(m->text, text, len);
  m->text[len] = '\0';
  size_t rows, extras;
  count_rows(m->text, len, &rows, &extras);
  m->rows = calloc(rows + 1, sizeof *m->rows);
  m->extras = calloc(extras + 1, sizeof *m->extras);
  if (!m->rows || !m->extras) {
    gw_meta_free(m);
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
  }
  int rc = fill_rows(m, len, err);
  if (!rc) rc = index_paths(m, err);
  if (rc) {
    gw_meta_free(m);
    return rc;
  }
  *out = m;
  return GW_OK;
}

int gw_meta_load_file(gw_meta **out, const char *path, gw_error *err) {
  *out = NULL;
  unsigned char *bytes;
  size_t len;
  int rc = gw_read_file(path, &bytes, &len, err);
  if (rc) return rc;
  rc = gw_meta_load_buffer(out, path, (const char *)bytes, len, err);
  free(bytes);
  return rc;
}

size_t gw_meta_row_count(const gw_meta *meta) { return meta->row_count; }

const gw_meta_row *gw_meta_row_at(const gw_meta *meta, size_t index) {
  return index < meta->row_count ? &meta->rows[index] : NULL;
}

const gw_meta_row *gw_meta_find(const gw_meta *meta, const char *path) {
  if (!path) return NULL;
  path = without_dot_slash(path);
  size_t lo = 0, hi = meta->row_count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(meta->rows[meta->by_path[mid]].path, path);
    if (c == 0) return &meta->rows[meta->by_path[mid]];
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}
