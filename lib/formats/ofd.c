/*
 * ofd.c — OFD documents (GB/T 33190): a ZIP package of XML parts.
 *
 * OFD.xml names the document root (DocBody/DocRoot); Document.xml lists the
 * pages (Pages/Page/@BaseLoc, relative to the document's folder); each
 * page's Content.xml holds text objects (TextObject/@Boundary, @Size) whose
 * TextCode elements place runs of characters at X, Y (the baseline) with
 * DeltaX advances.  Runs are put on lines by their baseline, ordered left to
 * right, and the lines go through layout.c like a PDF's.  Page templates
 * (where running headers live) are not read.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"

typedef struct run {
  double x1, x2, y, size;
  size_t start, len; /* in the page's text buffer */
} run;

typedef struct page_runs {
  run *runs;
  size_t count, capacity;
  char *text;
  size_t text_len, text_capacity;
} page_runs;

typedef struct ofd {
  gw_zip *zip;
  const char *name;
  gw_error *err;
} ofd;

static int malformed(ofd *o, const char *part, gw_xml_reader x) {
  return gw_zip_xml_failed(x, o->name, part, o->err);
}

static int open_part(ofd *o, const char *part, gw_xml_reader *x) {
  return gw_zip_xml(o->zip, part, "part", x, o->err);
}

/* The text of the first element named `local` (malloc'd), or NULL. */
static int element_text(ofd *o, const char *part, const char *local,
                        char **out) {
  gw_xml_reader x;
  *out = NULL;
  int rc = open_part(o, part, &x);
  if (rc < 0) return rc;
  int r, inside = 0;
  while ((r = gw_xml_next(x)) == 1 && !*out) {
    if (gw_xml_type(x) == 1 && strcmp(gw_xml_name(x), local) == 0)
      inside = !gw_xml_empty(x);
    else if (inside && (gw_xml_type(x) == 3 || gw_xml_type(x) == 4)) {
      *out = strdup(gw_xml_value(x));
      if (!*out) {
        rc = gw_fail(o->err, GW_ENOMEM, "%s: out of memory", o->name);
        break;
      }
    } else if (gw_xml_type(x) == 15)
      inside = 0;
  }
  if (rc == GW_OK && r < 0) rc = malformed(o, part, x);
  gw_zip_xml_close(x);
  return rc;
}

/* ------------------------------------------------------------------ */
/* A page                                                              */
/* ------------------------------------------------------------------ */

static double number_at(const char **p) {
  char *end;
  double v = strtod(*p, &end);
  if (end == *p) return NAN;
  *p = end;
  return v;
}

/* The advance over the first `chars - 1` characters of DeltaX ("3.5 3.5"
 * or "g 12 3.5" for twelve of 3.5). */
static double advance(const char *delta, size_t chars, double size) {
  if (chars <= 1) return 0;
  double total = 0;
  size_t done = 0;
  const char *p = delta ? delta : "";
  while (done + 1 < chars) {
    while (*p == ' ') p++;
    if (!*p) break;
    if (*p == 'g') {
      p++;
      double n = number_at(&p), v = number_at(&p);
      if (isnan(n) || isnan(v)) break;
      for (double k = 0; k < n && done + 1 < chars; k++, done++) total += v;
    } else {
      double v = number_at(&p);
      if (isnan(v)) break;
      total += v;
      done++;
    }
  }
  return total + (double)(chars - 1 - done) * size; /* missing: one size */
}

static size_t utf8_chars(const char *s) {
  size_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

static int add_run(page_runs *pr, const run *r, const char *text) {
  size_t len = strlen(text);
  void *runs = pr->runs, *buf = pr->text;
  int rc = gw_reserve(&runs, &pr->capacity, pr->count + 1, sizeof *pr->runs);
  pr->runs = runs;
  if (rc == GW_OK)
    rc = gw_reserve(&buf, &pr->text_capacity, pr->text_len + len + 1, 1);
  pr->text = buf;
  if (rc < 0) return rc;
  run *dst = &pr->runs[pr->count++];
  *dst = *r;
  dst->start = pr->text_len;
  dst->len = len;
  memcpy(pr->text + pr->text_len, text, len);
  pr->text_len += len;
  return GW_OK;
}

typedef struct text_object {
  double x, y, size;
  double code_x, code_y;
  char *delta;
  int in_code;
} text_object;

static void parse_boundary(const char *b, text_object *t) {
  const char *p = b ? b : "";
  double x = number_at(&p), y = number_at(&p);
  t->x = isnan(x) ? 0 : x;
  t->y = isnan(y) ? 0 : y;
}

static int text_code_text(page_runs *pr, text_object *t, const char *text) {
  size_t chars = utf8_chars(text);
  if (chars == 0) return GW_OK;
  run r;
  r.x1 = t->x + t->code_x;
  r.x2 = r.x1 + advance(t->delta, chars, t->size) + t->size;
  r.y = t->y + t->code_y;
  r.size = t->size;
  return add_run(pr, &r, text);
}

static void object_start(gw_xml_reader x, text_object *t) {
  const char *n = gw_xml_name(x);
  if (strcmp(n, "TextObject") == 0) {
    char *b = gw_xml_attr(x, "Boundary"), *s = gw_xml_attr(x, "Size");
    parse_boundary(b, t);
    t->size = s ? atof(s) : 0;
    if (!(t->size > 0 && t->size < 1000)) t->size = 3.5; /* mm, 小四 */
    free(b);
    free(s);
  } else if (strcmp(n, "TextCode") == 0) {
    char *cx = gw_xml_attr(x, "X"), *cy = gw_xml_attr(x, "Y");
    free(t->delta);
    t->delta = gw_xml_attr(x, "DeltaX");
    t->code_x = cx ? atof(cx) : 0;
    t->code_y = cy ? atof(cy) : 0;
    t->in_code = !gw_xml_empty(x);
    free(cx);
    free(cy);
  }
}

static int read_content(ofd *o, const char *part, page_runs *pr) {
  gw_xml_reader x;
  int rc = open_part(o, part, &x);
  if (rc < 0) return rc;
  text_object t;
  memset(&t, 0, sizeof t);
  int r;
  while (rc == GW_OK && (r = gw_xml_next(x)) == 1) {
    int type = gw_xml_type(x);
    if (type == 1) object_start(x, &t);
    else if (type == 15 && strcmp(gw_xml_name(x), "TextCode") == 0)
      t.in_code = 0;
    else if (t.in_code && (type == 3 || type == 4))
      rc = text_code_text(pr, &t, gw_xml_value(x));
  }
  if (rc == GW_ENOMEM) rc = gw_fail(o->err, rc, "%s: out of memory", o->name);
  else if (rc == GW_OK && r < 0) rc = malformed(o, part, x);
  free(t.delta);
  gw_zip_xml_close(x);
  return rc;
}

static int compare_runs(const void *a, const void *b) {
  const run *x = a, *y = b;
  if (x->y != y->y) return x->y < y->y ? -1 : 1;
  return x->x1 < y->x1 ? -1 : x->x1 > y->x1;
}

/* Runs on one baseline (within half a glyph) make a line. */
static int page_lines(page_runs *pr, size_t page, gw_layout *layout) {
  qsort(pr->runs, pr->count, sizeof *pr->runs, compare_runs);
  char *line = malloc(pr->text_len + 1);
  if (!line) return GW_ENOMEM;
  size_t index = 0;
  for (size_t i = 0; i < pr->count;) {
    size_t j = i, len = 0;
    gw_layout_line l;
    memset(&l, 0, sizeof l);
    l.x1 = 1e30;
    l.x2 = -1e30;
    l.y1 = pr->runs[i].y - pr->runs[i].size;
    l.y2 = pr->runs[i].y;
    l.char_size = pr->runs[i].size;
    /* runs of the line, ordered by x (the sort was by y first) */
    while (j < pr->count &&
           fabs(pr->runs[j].y - pr->runs[i].y) < 0.5 * pr->runs[i].size)
      j++;
    size_t n = j - i;
    run *rs = pr->runs + i;
    for (size_t a = 1; a < n; a++) /* insertion sort: lines are short */
      for (size_t b = a; b > 0 && rs[b].x1 < rs[b - 1].x1; b--) {
        run tmp = rs[b];
        rs[b] = rs[b - 1];
        rs[b - 1] = tmp;
      }
    for (size_t k = 0; k < n; k++) {
      memcpy(line + len, pr->text + rs[k].start, rs[k].len);
      len += rs[k].len;
      if (rs[k].x1 < l.x1) l.x1 = rs[k].x1;
      if (rs[k].x2 > l.x2) l.x2 = rs[k].x2;
    }
    l.page = page;
    l.index = index++;
    if (gw_layout_add(layout, &l, line, len) < 0) break;
    i = j;
  }
  free(line);
  return layout->failed ? GW_ENOMEM : GW_OK;
}

/* ------------------------------------------------------------------ */
/* The document                                                        */
/* ------------------------------------------------------------------ */

typedef struct page_list {
  char **parts;
  size_t count, capacity;
} page_list;

static void page_list_free(page_list *pl) {
  for (size_t i = 0; i < pl->count; i++) free(pl->parts[i]);
  free(pl->parts);
}

static int read_pages(ofd *o, const char *doc_part, page_list *pl) {
  gw_xml_reader x;
  int rc = open_part(o, doc_part, &x);
  if (rc < 0) return rc;
  int r;
  while (rc == GW_OK && (r = gw_xml_next(x)) == 1) {
    if (gw_xml_type(x) != 1 || strcmp(gw_xml_name(x), "Page") != 0) continue;
    char *loc = gw_xml_attr(x, "BaseLoc");
    if (!loc) continue;
    char *part = gw_zip_resolve(doc_part, loc);
    free(loc);
    void *parts = pl->parts;
    int grown = gw_reserve(&parts, &pl->capacity, pl->count + 1,
                           sizeof *pl->parts) == GW_OK;
    pl->parts = parts;
    if (!part || !grown) {
      free(part);
      rc = gw_fail(o->err, GW_ENOMEM, "%s: out of memory", o->name);
      break;
    }
    pl->parts[pl->count++] = part;
  }
  if (rc == GW_OK && r < 0) rc = malformed(o, doc_part, x);
  gw_zip_xml_close(x);
  return rc;
}

int gw_read_ofd(gw_zip *zip, const char *name, gw_text_builder *out,
                size_t *pages, gw_error *err) {
  ofd o = {zip, name, err};
  char *root = NULL;
  int rc = element_text(&o, "OFD.xml", "DocRoot", &root);
  if (rc < 0) return rc;
  if (!root)
    return gw_fail(err, GW_EDAMAGED, "%s: OFD.xml names no DocRoot", name);
  char *doc_part = gw_zip_resolve("", root);
  free(root);
  if (!doc_part) return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
  page_list pl = {0};
  rc = read_pages(&o, doc_part, &pl);
  gw_layout layout;
  memset(&layout, 0, sizeof layout);
  for (size_t p = 0; rc == GW_OK && p < pl.count; p++) {
    page_runs pr;
    memset(&pr, 0, sizeof pr);
    rc = read_content(&o, pl.parts[p], &pr);
    if (rc == GW_OK && page_lines(&pr, p, &layout) < 0)
      rc = gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
    free(pr.runs);
    free(pr.text);
  }
  layout.pages = pl.count;
  *pages = pl.count;
  if (rc == GW_OK && layout.count == 0)
    rc = gw_fail(err, GW_ENOTEXT,
                 "%s: an OFD with no text (%zu page%s of images: a scan?); it "
                 "needs OCR", name, pl.count, pl.count == 1 ? "" : "s");
  if (rc == GW_OK && gw_layout_paragraphs(&layout, out) < 0)
    rc = gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
  gw_layout_free(&layout);
  page_list_free(&pl);
  free(doc_part);
  return rc;
}
