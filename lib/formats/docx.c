/*
 * docx.c — Office Open XML word processing documents (Word, WPS).
 *
 * The main part is found through the package relationships (_rels/.rels,
 * then the main part's own relationships for styles, numbering, footnotes
 * and endnotes), never by a fixed path.  Each part is parsed with libxml2's
 * SAX2 push parser as it is inflated (xml.c, zip.c), so a large document is
 * never held whole, as a tree or as nodes.
 *
 * What the text is: paragraphs (w:p) in order; a table cell's paragraphs
 * as one paragraph per cell, row by row; text boxes once (mc:Fallback
 * repeats the mc:Choice and is skipped) and after the paragraph that anchors
 * them; footnotes and endnotes after the body; tracked deletions, moved-from
 * text and field instructions left out, insertions kept; headers and footers
 * never read (page numbers).  Automatic numbering is rebuilt from
 * numbering.xml (一、 （一） 1. …), since the outline of a report depends on
 * it and it is not in the text; heading levels come from the paragraph's or
 * its style's outline level or the style's name ("heading 2", "标题 2")
 * through the basedOn chain, since Chinese documents use localized style ids.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "formats.h"

#define MAX_LEVELS GW_LIST_LEVELS
/* A part's declared size reserves text room up to this at once (the
 * declaration is the file's word, not to be trusted for more). */
#define MAX_TEXT_HINT ((size_t)32 << 20)

/* ------------------------------------------------------------------ */
/* Reading a part                                                      */
/* ------------------------------------------------------------------ */

typedef struct docx {
  gw_zip *zip;
  const char *name;
  gw_error *err;
} docx;

static int oom(docx *d) {
  return gw_fail(d->err, GW_ENOMEM, "%s: out of memory", d->name);
}

/* A part of the package; optional ones may be absent (nothing parsed). */
static int parse_part(docx *d, const char *part, int required,
                      const gw_xml_events *events, void *user) {
  return gw_zip_parse(d->zip, part, required ? "main part" : NULL, events,
                      user, d->err);
}

static int ns_is_w(const char *ns) {
  size_t n = strlen(ns);
  static const char tr[] = "wordprocessingml/2006/main";
  return (n >= sizeof tr - 1 && strcmp(ns + n - (sizeof tr - 1), tr) == 0) ||
         strcmp(ns, "http://purl.oclc.org/ooxml/wordprocessingml/main") == 0;
}

static int is_w(const gw_xml_element *e, const char *local) {
  return strcmp(e->local, local) == 0 && ns_is_w(e->ns);
}

static int is_w_end(const char *local, const char *ns, const char *want) {
  return strcmp(local, want) == 0 && ns_is_w(ns);
}

/* An ST_OnOff property: present without w:val, or "true", "on", "1". */
static int on_off_attr(const gw_xml_element *e) {
  char *v = gw_xml_element_attr(e, "val");
  int on = !v || strcmp(v, "true") == 0 || strcmp(v, "on") == 0 ||
           strcmp(v, "1") == 0;
  free(v);
  return on;
}

static void ignore_end(void *user, const char *local, const char *ns,
                       int empty) {
  (void)user;
  (void)local;
  (void)ns;
  (void)empty;
}

static void ignore_text(void *user, const char *text, size_t len) {
  (void)user;
  (void)text;
  (void)len;
}

/* ------------------------------------------------------------------ */
/* Relationships                                                       */
/* ------------------------------------------------------------------ */

static int type_is(const char *type, const char *suffix) {
  size_t n = strlen(type), m = strlen(suffix);
  return n > m && type[n - m - 1] == '/' && strcmp(type + n - m, suffix) == 0;
}

typedef struct rels_reading {
  docx *d;
  const char *source;
  const char *const *types;
  char **targets;
  size_t n;
  int rc;
} rels_reading;

static int rels_start(void *user, const gw_xml_element *e) {
  rels_reading *r = user;
  if (strcmp(e->local, "Relationship") != 0) return 0;
  char *type = gw_xml_element_attr(e, "Type");
  char *target = gw_xml_element_attr(e, "Target");
  char *mode = gw_xml_element_attr(e, "TargetMode");
  int external = mode && strcasecmp(mode, "External") == 0;
  for (size_t i = 0; type && target && !external && i < r->n; i++)
    if (!r->targets[i] && type_is(type, r->types[i])) {
      r->targets[i] = gw_zip_resolve(r->source, target);
      if (!r->targets[i]) r->rc = oom(r->d);
    }
  free(type);
  free(target);
  free(mode);
  return r->rc != GW_OK;
}

/* The targets of relationships of the given types (suffixes of their Type
 * URI), resolved against `source`; absent ones stay NULL. */
static int read_rels(docx *d, const char *rels_part, const char *source,
                     const char *const *types, char **targets, size_t n) {
  static const gw_xml_events events = {rels_start, ignore_end, ignore_text,
                                       ignore_text};
  rels_reading r = {d, source, types, targets, n, GW_OK};
  int rc = parse_part(d, rels_part, 0, &events, &r);
  return r.rc != GW_OK ? r.rc : rc;
}

/* "word/document.xml" → "word/_rels/document.xml.rels". */
static char *rels_of(const char *part) {
  const char *slash = strrchr(part, '/');
  size_t dir = slash ? (size_t)(slash - part) + 1 : 0;
  char *out = malloc(strlen(part) + sizeof "_rels/.rels");
  if (!out) return NULL;
  memcpy(out, part, dir);
  sprintf(out + dir, "_rels/%s.rels", part + dir);
  return out;
}

/* ------------------------------------------------------------------ */
/* Styles                                                              */
/* ------------------------------------------------------------------ */

typedef struct style {
  char *id, *based_on, *num_id;
  int outline;     /* 0-8, or -1 */
  int named_level; /* from "heading N" / "标题 N", or 0 */
  int ilvl;        /* -1 when the style's numPr gives none */
} style;

typedef struct styles {
  style *items;
  size_t count, capacity;
} styles;

static void styles_free(styles *s) {
  for (size_t i = 0; i < s->count; i++) {
    free(s->items[i].id);
    free(s->items[i].based_on);
    free(s->items[i].num_id);
  }
  free(s->items);
}

static const style *style_find(const styles *s, const char *id) {
  for (size_t i = 0; id && i < s->count; i++)
    if (strcmp(s->items[i].id, id) == 0) return &s->items[i];
  return NULL;
}

/* Store an attribute value in *slot (replacing the old one). */
static void set_attr(const gw_xml_element *e, const char *local, char **slot) {
  char *v = gw_xml_element_attr(e, local);
  if (!v) return;
  free(*slot);
  *slot = v;
}

typedef struct styles_reading {
  docx *d;
  styles *out;
  style *cur;
  int rc;
} styles_reading;

static int styles_start(void *user, const gw_xml_element *e) {
  styles_reading *r = user;
  style *cur = r->cur;
  if (is_w(e, "style")) {
    char *type = gw_xml_element_attr(e, "type");
    int paragraph = !type || strcmp(type, "paragraph") == 0;
    free(type);
    r->cur = NULL;
    if (!paragraph || e->empty) return 0;
    styles *out = r->out;
    void *items = out->items;
    if (gw_reserve(&items, &out->capacity, out->count + 1,
                   sizeof *out->items) < 0) {
      r->rc = oom(r->d);
      return 1;
    }
    out->items = items;
    cur = &out->items[out->count];
    memset(cur, 0, sizeof *cur);
    cur->outline = cur->ilvl = -1;
    cur->id = gw_xml_element_attr(e, "styleId");
    if (!cur->id) cur->id = strdup("");
    if (!cur->id) {
      r->rc = oom(r->d);
      return 1;
    }
    out->count++;
    r->cur = cur;
  } else if (cur && is_w(e, "name")) {
    char *v = gw_xml_element_attr(e, "val");
    if (v) cur->named_level = gw_heading_level_of_style_name(v);
    free(v);
  } else if (cur && is_w(e, "basedOn")) {
    set_attr(e, "val", &cur->based_on);
  } else if (cur && is_w(e, "outlineLvl")) {
    cur->outline = gw_xml_element_int(e, "val", -1);
  } else if (cur && is_w(e, "numId")) {
    set_attr(e, "val", &cur->num_id);
  } else if (cur && is_w(e, "ilvl")) {
    cur->ilvl = gw_xml_element_int(e, "val", -1);
  }
  return 0;
}

static void styles_end(void *user, const char *local, const char *ns,
                       int empty) {
  styles_reading *r = user;
  if (!empty && is_w_end(local, ns, "style")) r->cur = NULL;
}

static int read_styles(docx *d, const char *part, styles *out) {
  static const gw_xml_events events = {styles_start, styles_end, ignore_text,
                                       ignore_text};
  styles_reading r = {d, out, NULL, GW_OK};
  int rc = parse_part(d, part, 0, &events, &r);
  return r.rc != GW_OK ? r.rc : rc;
}

/* The heading level a style gives (1-9, 0 body) through its basedOn chain;
 * the chain is cut at 32 steps, which also ends a loop. */
static int style_level(const styles *s, const char *id) {
  const style *st = style_find(s, id);
  for (int steps = 0; st && steps < 32; steps++) {
    if (st->outline >= 0 && st->outline < MAX_LEVELS) return st->outline + 1;
    if (st->outline >= MAX_LEVELS) return 0; /* "body text" level */
    if (st->named_level) return st->named_level;
    st = style_find(s, st->based_on);
  }
  return 0;
}

/* The numbering a style gives through its basedOn chain. */
static const style *style_numbering(const styles *s, const char *id) {
  const style *st = style_find(s, id);
  for (int steps = 0; st && steps < 32; steps++) {
    if (st->num_id) return st;
    st = style_find(s, st->based_on);
  }
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Numbering                                                           */
/* ------------------------------------------------------------------ */

typedef struct level {
  char *format;   /* numFmt: decimal, chineseCounting … */
  char *text;     /* lvlText: "%1、" */
  int start;
  int legal;      /* isLgl: every number shown as decimal */
} level;

typedef struct abstract_num {
  char *id;
  level levels[MAX_LEVELS];
} abstract_num;

typedef struct num {
  char *id, *abstract_id;
  int start_override[MAX_LEVELS]; /* -1 none */
  gw_list_counters counters;
} num;

typedef struct numbering {
  abstract_num *abstracts;
  size_t abstract_count, abstract_capacity;
  num *nums;
  size_t num_count, num_capacity;
} numbering;

static void numbering_free(numbering *n) {
  for (size_t i = 0; i < n->abstract_count; i++) {
    free(n->abstracts[i].id);
    for (int l = 0; l < MAX_LEVELS; l++) {
      free(n->abstracts[i].levels[l].format);
      free(n->abstracts[i].levels[l].text);
    }
  }
  for (size_t i = 0; i < n->num_count; i++) {
    free(n->nums[i].id);
    free(n->nums[i].abstract_id);
  }
  free(n->abstracts);
  free(n->nums);
}

/* One more zeroed element at the end of *items. */
static void *grow_one(void *items, size_t *count, size_t *capacity,
                      size_t size) {
  if (gw_reserve(&items, capacity, *count + 1, size) < 0) return NULL;
  memset((char *)items + *count * size, 0, size);
  (*count)++;
  return items;
}

typedef struct numbering_cursor {
  abstract_num *abstract;
  num *num;
  int level; /* -1 outside a w:lvl */
} numbering_cursor;

typedef struct numbering_reading {
  docx *d;
  numbering *out;
  numbering_cursor c;
  int rc;
} numbering_reading;

static int numbering_start(void *user, const gw_xml_element *e) {
  numbering_reading *r = user;
  numbering *n = r->out;
  numbering_cursor *c = &r->c;
  if (is_w(e, "abstractNum")) {
    abstract_num *a = grow_one(n->abstracts, &n->abstract_count,
                               &n->abstract_capacity, sizeof *a);
    if (!a) {
      r->rc = oom(r->d);
      return 1;
    }
    n->abstracts = a;
    c->abstract = &a[n->abstract_count - 1];
    c->abstract->id = gw_xml_element_attr(e, "abstractNumId");
    c->num = NULL;
  } else if (is_w(e, "num")) {
    num *m = grow_one(n->nums, &n->num_count, &n->num_capacity, sizeof *m);
    if (!m) {
      r->rc = oom(r->d);
      return 1;
    }
    n->nums = m;
    c->num = &m[n->num_count - 1];
    c->num->id = gw_xml_element_attr(e, "numId");
    for (int l = 0; l < MAX_LEVELS; l++) c->num->start_override[l] = -1;
    c->abstract = NULL;
  } else if (is_w(e, "lvl") || is_w(e, "lvlOverride")) {
    c->level = gw_xml_element_int(e, "ilvl", -1);
    if (c->level >= MAX_LEVELS) c->level = -1;
  } else if (c->level >= 0 && c->abstract) {
    level *lv = &c->abstract->levels[c->level];
    if (is_w(e, "numFmt")) set_attr(e, "val", &lv->format);
    else if (is_w(e, "lvlText")) set_attr(e, "val", &lv->text);
    else if (is_w(e, "start")) lv->start = gw_xml_element_int(e, "val", 1);
    else if (is_w(e, "isLgl")) lv->legal = on_off_attr(e);
  } else if (c->num) {
    if (is_w(e, "abstractNumId")) set_attr(e, "val", &c->num->abstract_id);
    else if (c->level >= 0 && is_w(e, "startOverride"))
      c->num->start_override[c->level] = gw_xml_element_int(e, "val", 1);
  }
  return 0;
}

static void numbering_end(void *user, const char *local, const char *ns,
                          int empty) {
  (void)empty;
  numbering_reading *r = user;
  if (is_w_end(local, ns, "lvl") || is_w_end(local, ns, "lvlOverride"))
    r->c.level = -1;
}

static int read_numbering(docx *d, const char *part, numbering *out) {
  static const gw_xml_events events = {numbering_start, numbering_end,
                                       ignore_text, ignore_text};
  numbering_reading r = {d, out, {NULL, NULL, -1}, GW_OK};
  int rc = parse_part(d, part, 0, &events, &r);
  return r.rc != GW_OK ? r.rc : rc;
}

static num *num_find(numbering *n, const char *id) {
  for (size_t i = 0; id && i < n->num_count; i++)
    if (n->nums[i].id && strcmp(n->nums[i].id, id) == 0) return &n->nums[i];
  return NULL;
}

static abstract_num *abstract_find(numbering *n, const char *id) {
  for (size_t i = 0; id && i < n->abstract_count; i++)
    if (n->abstracts[i].id && strcmp(n->abstracts[i].id, id) == 0)
      return &n->abstracts[i];
  return NULL;
}

/* Where a level of this w:num counts from: its startOverride, else the
 * abstract level's start. */
static int level_start(const num *m, const abstract_num *a, int l) {
  if (m->start_override[l] >= 0) return m->start_override[l];
  return a->levels[l].start ? a->levels[l].start : 1;
}

/* Advance the counters of list `num_id` at level ilvl and write the
 * paragraph's number ("一、", "（二）", "1.2") into out. */
static void number_paragraph(numbering *n, const char *num_id, int ilvl,
                             char *out, size_t size) {
  out[0] = '\0';
  num *m = num_find(n, num_id);
  abstract_num *a = m ? abstract_find(n, m->abstract_id) : NULL;
  if (!a || ilvl < 0 || ilvl >= MAX_LEVELS) return;
  const level *lv = &a->levels[ilvl];
  if (!lv->text || (lv->format && strcmp(lv->format, "bullet") == 0)) return;
  gw_list_advance(&m->counters, ilvl, level_start(m, a, ilvl));
  size_t o = 0;
  for (const char *p = lv->text; *p && o + 1 < size; p++) {
    if (p[0] == '%' && p[1] >= '1' && p[1] <= '9') {
      int l = p[1] - '1';
      char num_text[32];
      gw_number_format(lv->legal ? "decimal" : a->levels[l].format,
                       gw_list_current(&m->counters, l, level_start(m, a, l)),
                       num_text, sizeof num_text);
      size_t k = strlen(num_text);
      if (o + k >= size) break;
      memcpy(out + o, num_text, k);
      o += k;
      p++;
    } else {
      out[o++] = *p;
    }
  }
  out[o] = '\0';
}

/* ------------------------------------------------------------------ */
/* Body text                                                           */
/* ------------------------------------------------------------------ */

typedef struct body_state {
  docx *d;
  const styles *styles;
  numbering *numbering;
  gw_text_builder *main, *boxes; /* text boxes wait for their anchor */
  gw_extract_part part;          /* of the story being read */
  size_t paragraphs;             /* w:p seen, for gw_extract_paragraph.source */
  int in_box;                    /* depth of w:txbxContent */
  int in_cell;                   /* depth of w:tc */
  int in_ppr;
  int in_t;         /* inside w:t: its text is the paragraph's */
  int skip_depth;   /* inside a subtree left out, its depth */
  const char *w_ns; /* the WordprocessingML namespace as last seen */
  char *root;       /* the root element's name is written here, or NULL */
  size_t root_size;
  /* the open paragraph, for the main text and for text boxes */
  struct open_paragraph {
    char *style, *num_id;
    int ilvl, outline, numbered;
    size_t source;
  } para[2];
} body_state;

static struct open_paragraph *current(body_state *s) {
  return &s->para[s->in_box > 0];
}

static gw_text_builder *target(body_state *s) {
  return s->in_box > 0 ? s->boxes : s->main;
}

static void paragraph_reset(struct open_paragraph *p) {
  free(p->style);
  free(p->num_id);
  memset(p, 0, sizeof *p);
  p->ilvl = p->outline = -1;
}

static int paragraph_level(body_state *s, const struct open_paragraph *p) {
  if (p->outline >= 0) return p->outline < MAX_LEVELS ? p->outline + 1 : 0;
  return style_level(s->styles, p->style);
}

/* At the end of w:pPr: the paragraph's number, if it has one, starts its
 * text. */
static void paragraph_number(body_state *s) {
  struct open_paragraph *p = current(s);
  if (p->numbered) return;
  p->numbered = 1;
  const char *num_id = p->num_id;
  int ilvl = p->ilvl;
  if (!num_id) {
    const style *st = style_numbering(s->styles, p->style);
    if (!st) return;
    num_id = st->num_id;
    if (ilvl < 0) ilvl = st->ilvl;
  }
  if (strcmp(num_id, "0") == 0) return; /* numbering switched off */
  char number[GW_NUMBER_MAX];
  number_paragraph(s->numbering, num_id, ilvl < 0 ? 0 : ilvl, number,
                   sizeof number);
  gw_tb_append(target(s), number, strlen(number));
}

static void flush_boxes(body_state *s) {
  gw_text_builder *b = s->boxes;
  for (size_t i = 0; i < b->count; i++) {
    const gw_extract_paragraph *p = &b->paragraphs[i];
    gw_tb_append(s->main, b->text + p->start, p->end - p->start);
    gw_tb_end_paragraph(s->main, GW_PART_TEXT_BOX, p->heading_level, 0,
                        p->source);
  }
  if (b->failed) s->main->failed = 1;
  b->len = b->count = b->paragraph_start = 0;
}

static void paragraph_end(body_state *s) {
  struct open_paragraph *p = current(s);
  paragraph_number(s); /* a paragraph without w:pPr may be numbered by style */
  if (s->in_cell > 0 && s->in_box == 0) {
    gw_tb_append(target(s), " ", 1); /* the cell goes on */
  } else {
    gw_extract_part part = s->in_box > 0 ? GW_PART_TEXT_BOX : s->part;
    gw_tb_end_paragraph(target(s), part, paragraph_level(s, p), 0, p->source);
  }
  paragraph_reset(p);
  if (s->in_box == 0 && s->in_cell == 0) flush_boxes(s);
}

/* Elements whose whole subtree is left out: mc:Fallback, and these of
 * WordprocessingML (by their first letter first: this runs for every
 * element of the part). */
static int skipped_other(const gw_xml_element *e) {
  return strcmp(e->local, "Fallback") == 0 &&
         strcmp(e->ns,
                "http://schemas.openxmlformats.org/markup-compatibility/"
                "2006") == 0;
}

static int skipped_w(const char *n) {
  switch (n[0]) {
  case 'd':
    return strcmp(n, "del") == 0 || strcmp(n, "delText") == 0 ||
           strcmp(n, "delInstrText") == 0;
  case 'm': return strcmp(n, "moveFrom") == 0;
  case 'i': return strcmp(n, "instrText") == 0;
  case 'r': return strcmp(n, "rPr") == 0;
  case 'f': return strcmp(n, "footnoteReference") == 0;
  case 'e': return strcmp(n, "endnoteReference") == 0;
  case 's': return strcmp(n, "sectPr") == 0;
  default: return 0;
  }
}

static void body_start(body_state *s, const gw_xml_element *e) {
  const char *n = e->local;
  /* none of the names below starts otherwise (w:r, the commonest, and
   * the other elements of no interest leave here) */
  switch (n[0]) {
  case 'p': case 't': case 'n': case 'o': case 'i': case 'b': case 'c': break;
  default: return;
  }
  struct open_paragraph *p = current(s);
  if (strcmp(n, "p") == 0) {
    paragraph_reset(p);
    p->source = s->paragraphs++;
  } else if (strcmp(n, "t") == 0) {
    s->in_t = !e->empty;
  } else if (strcmp(n, "pPr") == 0) {
    s->in_ppr = 1;
  } else if (strcmp(n, "pStyle") == 0 && s->in_ppr) {
    set_attr(e, "val", &p->style);
  } else if (strcmp(n, "numId") == 0 && s->in_ppr) {
    set_attr(e, "val", &p->num_id);
  } else if (strcmp(n, "ilvl") == 0 && s->in_ppr) {
    p->ilvl = gw_xml_element_int(e, "val", -1);
  } else if (strcmp(n, "outlineLvl") == 0 && s->in_ppr) {
    p->outline = gw_xml_element_int(e, "val", -1);
  } else if (strcmp(n, "tab") == 0 && !s->in_ppr) {
    gw_tb_append(target(s), "\t", 1);
  } else if (strcmp(n, "br") == 0 || strcmp(n, "cr") == 0) {
    gw_tb_append(target(s), " ", 1);
  } else if (strcmp(n, "noBreakHyphen") == 0) {
    gw_tb_append(target(s), "-", 1);
  } else if (strcmp(n, "txbxContent") == 0 && !e->empty) {
    s->in_box++;
  } else if (strcmp(n, "tc") == 0 && !e->empty && s->in_box == 0) {
    s->in_cell++;
  }
}

static void body_end(body_state *s, const char *n, int empty) {
  if (strcmp(n, "p") == 0) {
    paragraph_end(s);
  } else if (strcmp(n, "t") == 0) {
    s->in_t = 0;
  } else if (strcmp(n, "pPr") == 0) {
    s->in_ppr = 0;
    paragraph_number(s);
  } else if (strcmp(n, "txbxContent") == 0 && !empty) {
    if (s->in_box > 0) s->in_box--;
  } else if (strcmp(n, "tc") == 0 && !empty && s->in_box == 0) {
    if (s->in_cell > 0) s->in_cell--;
    gw_tb_end_paragraph(s->main, GW_PART_TABLE, 0, 0, s->para[0].source);
    if (s->in_cell == 0) flush_boxes(s);
  }
}

/* Footnotes and endnotes (e in WordprocessingML): separators (w:type set)
 * are not notes. */
static int is_separator_note(const gw_xml_element *e) {
  if (strcmp(e->local, "footnote") != 0 && strcmp(e->local, "endnote") != 0)
    return 0;
  char *type = gw_xml_element_attr(e, "type");
  int sep = type && strcmp(type, "normal") != 0;
  free(type);
  return sep;
}

/* Whether ns is WordprocessingML's, remembering the last such string: the
 * parser hands every element the same interned URI. */
static int story_ns_is_w(body_state *s, const char *ns) {
  if (ns == s->w_ns) return 1;
  if (!ns_is_w(ns)) return 0;
  s->w_ns = ns;
  return 1;
}

static int story_start(void *user, const gw_xml_element *e) {
  body_state *s = user;
  if (s->skip_depth > 0) {
    s->skip_depth++;
    return 0;
  }
  if (s->root && !s->root[0]) {
    snprintf(s->root, s->root_size, "%s", e->local);
    if (!is_w(e, "document")) return 1;
  }
  int w = story_ns_is_w(s, e->ns);
  if (w ? skipped_w(e->local) || is_separator_note(e) : skipped_other(e)) {
    s->skip_depth = 1; /* down to 0 again at the element's own end */
    return 0;
  }
  if (w) body_start(s, e);
  return 0;
}

static void story_end(void *user, const char *local, const char *ns,
                      int empty) {
  body_state *s = user;
  if (s->skip_depth > 0) {
    s->skip_depth--;
    return;
  }
  if (story_ns_is_w(s, ns)) body_end(s, local, empty);
}

static void story_text(void *user, const char *text, size_t len) {
  body_state *s = user;
  if (s->in_t && s->skip_depth == 0) gw_tb_append(target(s), text, len);
}

static void story_plain_text(void *user, const char *text, size_t len) {
  body_state *s = user;
  if (s->in_t && s->skip_depth == 0) gw_tb_append_plain(target(s), text, len);
}

static int read_story(body_state *s, const char *part, int required,
                      char *root, size_t root_size) {
  static const gw_xml_events events = {story_start, story_end, story_text,
                                       story_plain_text};
  s->root = root;
  s->root_size = root_size;
  s->in_t = s->skip_depth = 0;
  s->w_ns = NULL;
  return parse_part(s->d, part, required, &events, s);
}

/* ------------------------------------------------------------------ */
/* The package                                                         */
/* ------------------------------------------------------------------ */

enum { REL_STYLES, REL_NUMBERING, REL_FOOTNOTES, REL_ENDNOTES, REL_COUNT };

static int not_a_document(docx *d, const char *root) {
  const char *what = strcmp(root, "workbook") == 0 ? "an Excel workbook"
                     : strcmp(root, "presentation") == 0
                         ? "a PowerPoint presentation"
                         : "an Office package";
  return gw_fail(d->err, GW_EUNSUPPORTED,
                 "%s: %s (main part <%s>), not a word-processing document",
                 d->name, what, root);
}

static int read_stories(docx *d, const char *main_part, char *const *rels,
                        gw_text_builder *out) {
  styles st = {0};
  numbering lists = {0};
  gw_text_builder boxes = {0};
  int rc = read_styles(d, rels[REL_STYLES] ? rels[REL_STYLES] : "", &st);
  if (rc == GW_OK && rels[REL_NUMBERING])
    rc = read_numbering(d, rels[REL_NUMBERING], &lists);
  body_state s;
  memset(&s, 0, sizeof s);
  s.d = d;
  s.styles = &st;
  s.numbering = &lists;
  s.main = out;
  s.boxes = &boxes;
  paragraph_reset(&s.para[0]);
  paragraph_reset(&s.para[1]);
  char root[64] = "";
  /* The text is at most what the part inflates to (capped as it inflates):
   * room for it at once rather than by doublings into fresh pages. */
  size_t declared = gw_zip_declared_size(d->zip, main_part);
  gw_tb_reserve(out, declared < MAX_TEXT_HINT ? declared : MAX_TEXT_HINT);
  if (rc == GW_OK) rc = read_story(&s, main_part, 1, root, sizeof root);
  if (rc == GW_OK && strcmp(root, "document") != 0)
    rc = root[0] ? not_a_document(d, root)
                 : gw_fail(d->err, GW_EDAMAGED, "%s: %s is empty", d->name,
                           main_part);
  s.part = GW_PART_FOOTNOTE;
  for (int i = REL_FOOTNOTES; rc == GW_OK && i <= REL_ENDNOTES; i++)
    if (rels[i]) {
      s.in_box = s.in_cell = s.in_ppr = 0;
      rc = read_story(&s, rels[i], 0, NULL, 0);
    }
  if (rc == GW_OK && boxes.failed) out->failed = 1;
  paragraph_reset(&s.para[0]);
  paragraph_reset(&s.para[1]);
  gw_tb_free(&boxes);
  styles_free(&st);
  numbering_free(&lists);
  return rc;
}

int gw_read_docx(gw_zip *zip, const char *name, gw_text_builder *out,
                 gw_error *err) {
  docx d = {zip, name, err};
  if (!gw_zip_has(zip, "_rels/.rels"))
    return gw_fail(err, GW_EDAMAGED,
                   "%s: the package relationships (_rels/.rels) are missing",
                   name);
  static const char *const main_type[] = {"officeDocument"};
  char *main_part = NULL;
  int rc = read_rels(&d, "_rels/.rels", "", main_type, &main_part, 1);
  if (rc < 0) {
    free(main_part); /* found before the part turned out malformed */
    return rc;
  }
  if (!main_part)
    return gw_fail(err, GW_EUNSUPPORTED,
                   "%s: a ZIP package naming no main document "
                   "(no officeDocument relationship)", name);
  static const char *const types[REL_COUNT] = {"styles", "numbering",
                                               "footnotes", "endnotes"};
  char *rels[REL_COUNT] = {NULL};
  char *rels_part = rels_of(main_part);
  rc = rels_part ? read_rels(&d, rels_part, main_part, types, rels, REL_COUNT)
                 : oom(&d);
  if (rc == GW_OK) rc = read_stories(&d, main_part, rels, out);
  for (int i = 0; i < REL_COUNT; i++) free(rels[i]);
  free(rels_part);
  free(main_part);
  return rc;
}
