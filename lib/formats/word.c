/*
 * word.c — Word 97-2003 binary documents and Kingsoft WPS files (.doc,
 * .wps): OLE2 compound files (ole.c), text found through the piece
 * table.
 *
 * The WordDocument stream starts with the FIB, which gives the lengths of
 * the stories (main text, footnotes, headers …, in character positions)
 * and where the CLX lies in the table stream (0Table or 1Table, as a FIB bit
 * says).  The CLX's piece table maps runs of character positions to byte
 * offsets in the WordDocument stream, each run either UTF-16LE or
 * "compressed" 8-bit (Windows-1252).  The main text, with each text box
 * (its own story) after the paragraph holding its anchor, then the footnotes
 * and endnotes are read; headers are not (page numbers).  In the text, 0x0D
 * ends a paragraph, 0x07 a table cell, and a field's instruction (between
 * 0x13 and 0x14) is left out while its result (to 0x15) is kept.
 *
 * What each paragraph is comes from its properties (word_props.c), found by
 * the byte offset of its mark: the automatic number Word shows before it
 * (一、 （一） 1. …, which is not in the text), its heading level, and
 * whether it lies in a table cell, whose paragraphs make one paragraph as
 * in the .docx reader.  Tracked deletions (character runs marked so) are
 * left out, insertions kept, as the .docx reader reads w:del and w:ins.
 */
#include <stdlib.h>
#include <string.h>

#include "word.h"

typedef struct stream {
  unsigned char *bytes;
  size_t len;
} stream;

static uint32_t u16(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}
static uint32_t u32(const unsigned char *p) {
  return u16(p) | u16(p + 2) << 16;
}

/* Read a whole stream of the compound file; absent: bytes NULL, GW_OK. */
static int read_stream(const gw_ole *ole, const char *child, size_t cap,
                       stream *out, gw_error *err) {
  int rc = gw_ole_read(ole, child, cap, &out->bytes, &out->len, err);
  return rc == GW_ENOTFOUND ? GW_OK : rc;
}

/* ------------------------------------------------------------------ */
/* The FIB and the piece table                                         */
/* ------------------------------------------------------------------ */

typedef struct fib {
  int table1;        /* the table stream is 1Table */
  uint32_t ccp_text, ccp_ftn, ccp_hdd, ccp_atn, ccp_edn, ccp_txbx;
  uint32_t fc_clx, lcb_clx;
  uint32_t fc_boxes, lcb_boxes; /* PlcftxbxTxt: the text boxes' ranges */
  uint32_t fc_shapes, lcb_shapes; /* PlcSpaMom: the shapes' anchors */
  gw_word_tables tables;
} fib;

/* FibRgFcLcb97 pairs: fcStshf, fcPlcfBteChpx, fcPlcfBtePapx, fcClx,
 * fcPlcSpaMom, fcPlcftxbxTxt, fcPlfLst, fcPlfLfo. */
enum { FC_STSHF = 1, FC_BTE_CHPX = 12, FC_BTE_PAPX = 13, FC_CLX = 33,
       FC_SPA_MOM = 40, FC_TXBX = 56, FC_PLF_LST = 73, FC_PLF_LFO = 74 };

static int damaged(gw_error *err, const char *name, const char *why) {
  return gw_fail(err, GW_EDAMAGED, "%s: damaged Word document (%s)", name,
                 why);
}

static int read_fib(const stream *doc, const char *name, fib *f,
                    gw_error *err) {
  const unsigned char *b = doc->bytes;
  if (doc->len < 0x22) return damaged(err, name, "FIB truncated");
  uint32_t ident = u16(b);
  if (ident == 0xA5DC)
    return gw_fail(err, GW_EUNSUPPORTED,
                   "%s: a Word 6/95 document, which is not read (save it "
                   "as .docx)", name);
  if (ident != 0xA5EC) return damaged(err, name, "no Word signature");
  uint32_t flags = u16(b + 0x0A);
  if (flags & 0x0100)
    return gw_fail(err, GW_EENCRYPTED, "%s: password-protected Word document",
                   name);
  f->table1 = (flags & 0x0200) != 0;
  size_t off = 32;
  size_t csw = u16(b + off);
  off += 2 + csw * 2;
  if (off + 2 > doc->len) return damaged(err, name, "FIB truncated");
  size_t cslw = u16(b + off);
  off += 2;
  size_t lw = off;
  off += cslw * 4;
  if (cslw < 11 || off + 2 > doc->len)
    return damaged(err, name, "FIB truncated");
  size_t cb_fclcb = u16(b + off);
  off += 2;
  size_t fclcb = off;
  if (cb_fclcb < 34 || fclcb + 34 * 8 > doc->len)
    return damaged(err, name, "FIB truncated");
  f->ccp_text = u32(b + lw + 3 * 4);
  f->ccp_ftn = u32(b + lw + 4 * 4);
  f->ccp_hdd = u32(b + lw + 5 * 4);
  f->ccp_atn = u32(b + lw + 7 * 4);
  f->ccp_edn = u32(b + lw + 8 * 4);
  f->ccp_txbx = u32(b + lw + 9 * 4);
  f->fc_clx = u32(b + fclcb + FC_CLX * 8);
  f->lcb_clx = u32(b + fclcb + FC_CLX * 8 + 4);
  memset(&f->tables, 0, sizeof f->tables);
  /* Word 97 and later list every table; an older or cut FIB reads as text
   * without paragraph properties. */
  if (cb_fclcb > FC_PLF_LFO && fclcb + (FC_PLF_LFO + 1) * 8 <= doc->len) {
    gw_word_tables *t = &f->tables;
    t->fc_styles = u32(b + fclcb + FC_STSHF * 8);
    t->lcb_styles = u32(b + fclcb + FC_STSHF * 8 + 4);
    t->fc_chpx_bins = u32(b + fclcb + FC_BTE_CHPX * 8);
    t->lcb_chpx_bins = u32(b + fclcb + FC_BTE_CHPX * 8 + 4);
    t->fc_papx_bins = u32(b + fclcb + FC_BTE_PAPX * 8);
    t->lcb_papx_bins = u32(b + fclcb + FC_BTE_PAPX * 8 + 4);
    t->fc_lists = u32(b + fclcb + FC_PLF_LST * 8);
    t->lcb_lists = u32(b + fclcb + FC_PLF_LST * 8 + 4);
    t->fc_overrides = u32(b + fclcb + FC_PLF_LFO * 8);
    t->lcb_overrides = u32(b + fclcb + FC_PLF_LFO * 8 + 4);
    f->fc_boxes = u32(b + fclcb + FC_TXBX * 8);
    f->lcb_boxes = u32(b + fclcb + FC_TXBX * 8 + 4);
    f->fc_shapes = u32(b + fclcb + FC_SPA_MOM * 8);
    f->lcb_shapes = u32(b + fclcb + FC_SPA_MOM * 8 + 4);
  }
  return GW_OK;
}

typedef struct pieces {
  const unsigned char *cps; /* n + 1 character positions */
  const unsigned char *pcds; /* n piece descriptors of 8 bytes */
  size_t n;
} pieces;

static int read_clx(const stream *table, const fib *f, const char *name,
                    pieces *out, gw_error *err) {
  if ((uint64_t)f->fc_clx + f->lcb_clx > table->len)
    return damaged(err, name, "piece table outside the table stream");
  const unsigned char *b = table->bytes + f->fc_clx;
  size_t pos = 0, lcb = f->lcb_clx;
  while (pos < lcb && b[pos] == 0x01) { /* Prc: property modifiers */
    if (pos + 3 > lcb) return damaged(err, name, "CLX truncated");
    pos += 3 + u16(b + pos + 1);
  }
  if (pos + 5 > lcb || b[pos] != 0x02)
    return damaged(err, name, "no piece table in the CLX");
  size_t plc = u32(b + pos + 1);
  if (plc < 4 || plc > lcb - pos - 5 || (plc - 4) % 12 != 0)
    return damaged(err, name, "piece table of a wrong size");
  out->n = (plc - 4) / 12;
  out->cps = b + pos + 5;
  out->pcds = out->cps + 4 * (out->n + 1);
  return GW_OK;
}

/* ------------------------------------------------------------------ */
/* Text                                                                */
/* ------------------------------------------------------------------ */

/* Windows-1252 0x80-0x9F, which "compressed" pieces use. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

/* A text box of the main document: the characters [from, to) of the text
 * box story, in the document's character positions. */
typedef struct text_box {
  uint32_t from, to;
  uint32_t lid;  /* the shape whose text it is (FTXBXS lid); 0: none, as
                    in the placeholder box that ends the story (spids
                    start at 1024) */
  int read;      /* its text is out: each box once */
} text_box;

/* A text box's anchor in the main text. */
typedef struct anchor {
  uint32_t cp;  /* its character position (PlcSpaMom) */
  size_t box;   /* the text box, an index in the box list */
  size_t unit;  /* the first character collected at or after cp; SIZE_MAX
                   while none is */
} anchor;

typedef struct box_list {
  text_box *boxes;
  size_t count;
  anchor *anchors; /* ascending by character position, then by box */
  size_t anchored;
  size_t next;     /* the first anchor whose box is not yet out */
} box_list;

typedef struct text_state {
  gw_text_builder *out;
  gw_word_props *props;  /* NULL: paragraphs without properties */
  gw_extract_part part;
  size_t paragraphs;     /* paragraph marks so far */
  int fields;            /* open fields */
  int instructions;      /* open fields still in their instruction */
  uint32_t instr_mask;   /* bit k: field k is in its instruction */
  int32_t high;          /* a pending high surrogate, or 0 */
  int begun;             /* the open paragraph has its properties */
  size_t described;      /* 1 + the mark whose properties were read */
  gw_word_paragraph para; /* the open paragraph's properties */
  int ended;             /* the last character ended a paragraph */
  box_list *boxes;       /* the main text's text boxes, each put after the
                            paragraph holding its anchor; NULL elsewhere */
} text_state;

/* A character that may end a paragraph, where it lies in the stream. */
typedef struct mark {
  size_t unit;       /* index in the collected characters */
  uint32_t fc, width; /* byte offset in the WordDocument stream, 1 or 2 */
} mark;

typedef struct marks {
  mark *items;
  size_t count, capacity;
} marks;

static void end_paragraph(text_state *s, gw_extract_part part) {
  int level = part == GW_PART_TABLE ? 0 : s->para.heading_level;
  s->ended = 1;
  gw_tb_end_paragraph(s->out, part, level, 0, s->paragraphs++);
}

/* The first character of a paragraph: read the properties of the mark that
 * ends it (once, however often a page break splits it) and put its number
 * first. */
static void begin_paragraph(text_state *s, const marks *m, size_t k) {
  s->begun = 1;
  if (k < m->count && s->described == k + 1) return;
  memset(&s->para, 0, sizeof s->para);
  if (k >= m->count || !s->props) return;
  s->described = k + 1;
  gw_word_paragraph_at(s->props, m->items[k].fc, &s->para);
  gw_tb_append(s->out, s->para.number, strlen(s->para.number));
}

static void field_char(text_state *s, unsigned c) {
  if (c == 0x13) {
    if (s->fields < 32) s->instr_mask |= 1u << s->fields;
    s->fields++;
  } else if (s->fields > 0 && s->fields <= 32) {
    uint32_t bit = 1u << (s->fields - 1);
    if (c == 0x14) s->instr_mask &= ~bit;
    if (c == 0x15) {
      s->instr_mask &= ~bit;
      s->fields--;
    }
  } else if (s->fields > 32 && c == 0x15) {
    s->fields--;
  }
}

static void put_char(text_state *s, uint32_t c) {
  if (c == 0x13 || c == 0x14 || c == 0x15) {
    field_char(s, c);
    return;
  }
  if (s->instr_mask) return; /* inside a field instruction */
  if (c >= 0xD800 && c <= 0xDBFF) {
    s->high = (int32_t)c;
    return;
  }
  if (c >= 0xDC00 && c <= 0xDFFF && s->high) {
    gw_tb_append_cp(s->out, 0x10000 + ((s->high - 0xD800) << 10) +
                                (int32_t)(c - 0xDC00));
    s->high = 0;
    return;
  }
  s->high = 0;
  switch (c) {
  case 0x0D:
    s->begun = 0;
    if (s->para.in_table) gw_tb_append_cp(s->out, ' '); /* the cell goes on */
    else end_paragraph(s, s->part);
    return;
  case 0x07: s->begun = 0; end_paragraph(s, GW_PART_TABLE); return;
  case 0x0C: s->begun = 0; end_paragraph(s, s->part); return; /* page or
                                                    section break */
  case 0x0B: case 0x09: case 0x0E: gw_tb_append_cp(s->out, ' '); return;
  case 0x1E: gw_tb_append_cp(s->out, '-'); return;
  default: gw_tb_append_cp(s->out, (int32_t)c); /* controls are dropped */
  }
}

/* Note where a paragraph may end: 0x0D and 0x07 always, a 0x0C only where
 * the property pages end a paragraph after it (a section break). */
static int note_mark(marks *m, const gw_word_props *props, uint32_t c,
                     size_t unit, uint64_t fc, uint32_t width) {
  if (c != 0x0D && c != 0x07 && c != 0x0C) return GW_OK;
  if (fc > UINT32_MAX) return GW_OK;
  if (c == 0x0C &&
      !(props && gw_word_paragraph_ends(props, (uint32_t)fc, width)))
    return GW_OK;
  void *items = m->items;
  if (gw_reserve(&items, &m->capacity, m->count + 1, sizeof *m->items) < 0)
    return GW_ENOMEM;
  m->items = items;
  m->items[m->count++] = (mark){unit, (uint32_t)fc, width};
  return GW_OK;
}

/* Collect the characters [from, to) of the document's character positions
 * (UTF-16 code units, or bytes of compressed pieces as Unicode), where
 * paragraphs may end among them, and which character each anchor (ascending,
 * none where n_anchors is 0) comes before. */
static int collect_range(const stream *doc, const pieces *p,
                         gw_word_props *props, uint32_t from,
                         uint32_t to, uint32_t **units, size_t *count,
                         marks *m, anchor *anchors, size_t n_anchors,
                         const char *name, gw_error *err) {
  *units = NULL;
  *count = 0;
  if (to <= from) return GW_OK;
  if ((uint64_t)(to - from) > doc->len) /* at least a byte a character */
    return damaged(err, name, "story longer than the document stream");
  uint32_t *u = malloc((size_t)(to - from) * sizeof *u);
  if (!u) return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
  size_t n = 0, next_anchor = 0;
  for (size_t i = 0; i < p->n; i++) {
    uint32_t cp0 = u32(p->cps + 4 * i), cp1 = u32(p->cps + 4 * (i + 1));
    if (cp1 <= from || cp0 >= to || cp1 <= cp0) continue;
    uint32_t a = from > cp0 ? from : cp0, b = to < cp1 ? to : cp1;
    uint32_t fc = u32(p->pcds + 8 * i + 2);
    int compressed = (fc & 0x40000000u) != 0;
    uint32_t width = compressed ? 1 : 2;
    uint64_t start = compressed ? (fc & ~0x40000000u) / 2 + (uint64_t)(a - cp0)
                                : fc + 2 * (uint64_t)(a - cp0);
    uint64_t bytes = (uint64_t)(b - a) * width;
    if (start + bytes > doc->len || n + (b - a) > (size_t)(to - from)) {
      free(u);
      return damaged(err, name, "a text piece outside the document stream");
    }
    const unsigned char *t = doc->bytes + start;
    for (uint32_t k = 0; k < b - a; k++) {
      uint32_t c = compressed ? t[k] : u16(t + 2 * k);
      if (compressed && c >= 0x80 && c < 0xA0) c = cp1252_high[c - 0x80];
      uint64_t at = start + (uint64_t)k * width;
      while (next_anchor < n_anchors && anchors[next_anchor].cp <= a + k)
        anchors[next_anchor++].unit = n; /* a deleted anchor: the next */
      if (props && at <= UINT32_MAX && gw_word_deleted(props, (uint32_t)at))
        continue; /* a tracked deletion: read as if accepted */
      if (note_mark(m, props, c, n, at, width) < 0) {
        free(u);
        return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
      }
      u[n++] = c;
    }
  }
  *units = u;
  *count = n;
  return GW_OK;
}

static int read_anchored_boxes(const stream *doc, const pieces *p,
                               text_state *s, size_t upto, const char *name,
                               gw_error *err);

/* Emit the characters [from, to); in the main text, each text box after
 * the paragraph holding its anchor. */
static int read_range(const stream *doc, const pieces *p, uint32_t from,
                      uint32_t to, text_state *s, const char *name,
                      gw_error *err) {
  uint32_t *units;
  size_t n;
  marks m = {NULL, 0, 0};
  box_list *boxes = s->boxes;
  int rc = collect_range(doc, p, s->props, from, to, &units, &n, &m,
                         boxes ? boxes->anchors : NULL,
                         boxes ? boxes->anchored : 0, name, err);
  if (rc < 0) return rc;
  s->begun = 0;
  s->described = 0;
  size_t k = 0; /* the first mark not passed */
  for (size_t i = 0; i < n && rc == GW_OK; i++) {
    while (k < m.count && m.items[k].unit < i) k++;
    if (!s->begun) begin_paragraph(s, &m, k);
    s->ended = 0;
    put_char(s, units[i]);
    /* a Word paragraph's end, not a page break inside one */
    if (boxes && s->ended && k < m.count && m.items[k].unit == i)
      rc = read_anchored_boxes(doc, p, s, i, name, err);
  }
  free(units);
  free(m.items);
  if (rc == GW_OK && gw_tb_paragraph_open(s->out)) end_paragraph(s, s->part);
  if (rc == GW_OK && boxes) rc = read_anchored_boxes(doc, p, s, n, name, err);
  return rc;
}

/* One text box, unless it is out already, as a story of its own. */
static int read_box(const stream *doc, const pieces *p, text_state *s,
                    text_box *box, const char *name, gw_error *err) {
  if (box->read) return GW_OK;
  box->read = 1;
  text_state inner = *s;
  inner.part = GW_PART_TEXT_BOX;
  inner.fields = 0;
  inner.instr_mask = 0;
  inner.high = 0;
  inner.boxes = NULL;
  int rc = read_range(doc, p, box->from, box->to, &inner, name, err);
  s->paragraphs = inner.paragraphs;
  return rc;
}

/* The text boxes whose anchors come at or before character `upto` of the
 * main text, in anchor order. */
static int read_anchored_boxes(const stream *doc, const pieces *p,
                               text_state *s, size_t upto, const char *name,
                               gw_error *err) {
  box_list *l = s->boxes;
  int rc = GW_OK;
  while (rc == GW_OK && l->next < l->anchored &&
         l->anchors[l->next].unit <= upto)
    rc = read_box(doc, p, s, &l->boxes[l->anchors[l->next++].box], name,
                  err);
  return rc;
}

/* The text box story (the text of every text box of the main document, one
 * after the other), cut into boxes by PlcftxbxTxt; a box Word has deleted
 * and keeps for reuse (FTXBXS fReusable) is left out.  Without a usable
 * PlcftxbxTxt the story is one box, with no anchor. */
static int list_text_boxes(const stream *table, const fib *f, uint32_t start,
                           box_list *l) {
  size_t n = f->lcb_boxes >= 4 + 26 ? (f->lcb_boxes - 4) / 26 : 0;
  if (n == 0 || (f->lcb_boxes - 4) % 26 != 0 ||
      (uint64_t)f->fc_boxes + f->lcb_boxes > table->len)
    n = 0;
  l->boxes = calloc(n ? n : 1, sizeof *l->boxes);
  if (!l->boxes) return GW_ENOMEM;
  if (n == 0) {
    l->boxes[l->count++] = (text_box){start, start + f->ccp_txbx, 0, 0};
    return GW_OK;
  }
  const unsigned char *cps = table->bytes + f->fc_boxes;
  const unsigned char *boxes = cps + 4 * (n + 1);
  for (size_t i = 0; i < n; i++) {
    uint32_t from = u32(cps + 4 * i), to = u32(cps + 4 * (i + 1));
    const unsigned char *ftxbxs = boxes + 22 * i;
    if (u16(ftxbxs + 8) != 0 || to <= from || to > f->ccp_txbx) continue;
    l->boxes[l->count++] =
        (text_box){start + from, start + to, u32(ftxbxs + 14), 0};
  }
  return GW_OK;
}

typedef struct shape {
  uint32_t lid, cp;
} shape;

static int compare_shapes(const void *a, const void *b) {
  const shape *x = a, *y = b;
  if (x->lid != y->lid) return x->lid < y->lid ? -1 : 1;
  return (x->cp > y->cp) - (x->cp < y->cp);
}

static int compare_anchors(const void *a, const void *b) {
  const anchor *x = a, *y = b;
  if (x->cp != y->cp) return x->cp < y->cp ? -1 : 1;
  return (x->box > y->box) - (x->box < y->box);
}

/* The first anchor in the main text of the shape `lid`, if any. */
static const shape *shape_of(const shape *shapes, size_t n, uint32_t lid) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (shapes[mid].lid < lid) lo = mid + 1;
    else hi = mid;
  }
  return lo < n && shapes[lo].lid == lid ? &shapes[lo] : NULL;
}

/* Anchor each text box through its shape: FTXBXS lid is the spid of a
 * shape in PlcSpaMom, whose character position is the anchor in the main
 * text (the drawing data is not needed).  A box with no such shape, or
 * without a usable PlcSpaMom, has no anchor. */
static int anchor_text_boxes(const stream *table, const fib *f, box_list *l) {
  size_t n = f->lcb_shapes >= 4 + 30 ? (f->lcb_shapes - 4) / 30 : 0;
  if (n == 0 || (f->lcb_shapes - 4) % 30 != 0 ||
      (uint64_t)f->fc_shapes + f->lcb_shapes > table->len || l->count == 0)
    return GW_OK;
  shape *shapes = malloc(n * sizeof *shapes);
  l->anchors = malloc(l->count * sizeof *l->anchors);
  if (!shapes || !l->anchors) {
    free(shapes);
    return GW_ENOMEM;
  }
  const unsigned char *cps = table->bytes + f->fc_shapes;
  const unsigned char *spas = cps + 4 * (n + 1);
  size_t in_main = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t cp = u32(cps + 4 * i);
    if (cp < f->ccp_text) shapes[in_main++] = (shape){u32(spas + 26 * i), cp};
  }
  if (in_main > 1) qsort(shapes, in_main, sizeof *shapes, compare_shapes);
  for (size_t i = 0; i < l->count; i++) {
    if (l->boxes[i].lid == 0) continue;
    const shape *sh = shape_of(shapes, in_main, l->boxes[i].lid);
    if (sh) l->anchors[l->anchored++] = (anchor){sh->cp, i, SIZE_MAX};
  }
  if (l->anchored > 1)
    qsort(l->anchors, l->anchored, sizeof *l->anchors, compare_anchors);
  free(shapes);
  return GW_OK;
}

static int read_text(const gw_word_streams *streams, const fib *f,
                     const char *name, gw_text_builder *out, gw_error *err) {
  const stream doc_stream = {(unsigned char *)streams->doc, streams->doc_len};
  const stream table_stream = {(unsigned char *)streams->table,
                               streams->table_len};
  const stream *doc = &doc_stream, *table = &table_stream;
  pieces p;
  int rc = read_clx(table, f, name, &p, err);
  if (rc < 0) return rc;
  text_state s;
  memset(&s, 0, sizeof s);
  s.out = out;
  s.part = GW_PART_BODY;
  if (gw_word_props_new(&s.props, streams, &f->tables) < 0)
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
  /* The stories follow each other in character positions: the main text,
   * footnotes, headers, comments, endnotes, text boxes. */
  uint64_t main_end = f->ccp_text;
  uint64_t ftn_end = main_end + f->ccp_ftn;
  uint64_t edn_start = ftn_end + f->ccp_hdd + f->ccp_atn;
  uint64_t txbx_start = edn_start + f->ccp_edn;
  box_list boxes;
  memset(&boxes, 0, sizeof boxes);
  if (f->ccp_txbx && txbx_start + f->ccp_txbx <= UINT32_MAX &&
      (list_text_boxes(table, f, (uint32_t)txbx_start, &boxes) < 0 ||
       anchor_text_boxes(table, f, &boxes) < 0))
    rc = gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
  s.boxes = boxes.anchored ? &boxes : NULL;
  if (rc == GW_OK)
    rc = read_range(doc, &p, 0, (uint32_t)main_end, &s, name, err);
  s.boxes = NULL;
  /* Text boxes with no anchor after the body, then footnotes and endnotes */
  for (size_t i = 0; i < boxes.count && rc == GW_OK; i++)
    rc = read_box(doc, &p, &s, &boxes.boxes[i], name, err);
  free(boxes.boxes);
  free(boxes.anchors);
  s.part = GW_PART_FOOTNOTE;
  s.fields = 0;
  s.instr_mask = 0;
  if (rc == GW_OK && f->ccp_ftn && ftn_end <= UINT32_MAX)
    rc = read_range(doc, &p, (uint32_t)main_end, (uint32_t)ftn_end, &s, name,
                    err);
  if (rc == GW_OK && f->ccp_edn && edn_start + f->ccp_edn <= UINT32_MAX)
    rc = read_range(doc, &p, (uint32_t)edn_start,
                    (uint32_t)(edn_start + f->ccp_edn), &s, name, err);
  gw_word_props_free(s.props);
  return rc;
}

int gw_read_word_streams(const gw_word_streams *streams, const char *name,
                         gw_text_builder *out, gw_error *err) {
  const stream doc = {(unsigned char *)streams->doc, streams->doc_len};
  fib f;
  memset(&f, 0, sizeof f);
  int rc = read_fib(&doc, name, &f, err);
  if (rc == GW_OK) rc = read_text(streams, &f, name, out, err);
  return rc;
}

/* ------------------------------------------------------------------ */
/* The compound file                                                   */
/* ------------------------------------------------------------------ */

static int not_word(const gw_ole *ole, const char *name, gw_error *err) {
  if (gw_ole_has(ole, "EncryptedPackage"))
    return gw_fail(err, GW_EENCRYPTED,
                   "%s: password-protected Office document", name);
  const char *what = gw_ole_has(ole, "Workbook") || gw_ole_has(ole, "Book")
                         ? "an Excel workbook"
                     : gw_ole_has(ole, "PowerPoint Document")
                         ? "a PowerPoint presentation"
                         : "an OLE2 compound file";
  return gw_fail(err, GW_EUNSUPPORTED,
                 "%s: %s holding no Word or WPS document", name, what);
}

int gw_read_word(const unsigned char *data, size_t len, const char *name,
                 const gw_extract_limits *limits, gw_text_builder *out,
                 gw_error *err) {
  gw_ole *ole;
  int rc = gw_ole_open(&ole, data, len, name, err);
  if (rc < 0) return rc;
  stream doc = {NULL, 0}, table = {NULL, 0}, extra = {NULL, 0};
  rc = read_stream(ole, "WordDocument", limits->max_inflated, &doc, err);
  if (rc == GW_OK && !doc.bytes) rc = not_word(ole, name, err);
  fib f;
  memset(&f, 0, sizeof f);
  if (rc == GW_OK) rc = read_fib(&doc, name, &f, err);
  const char *table_name = f.table1 ? "1Table" : "0Table";
  if (rc == GW_OK)
    rc = read_stream(ole, table_name, limits->max_inflated, &table, err);
  if (rc == GW_OK && !table.bytes)
    rc = damaged(err, name, f.table1 ? "no 1Table stream" : "no 0Table stream");
  /* Data holds pictures, and the paragraph properties too large for their
   * property page (sprmPHugePapx); absent in many files. */
  if (rc == GW_OK)
    rc = read_stream(ole, "Data", limits->max_inflated, &extra, err);
  if (rc == GW_OK) {
    gw_word_streams streams = {doc.bytes, table.bytes, extra.bytes,
                               doc.len, table.len, extra.len};
    rc = gw_read_word_streams(&streams, name, out, err);
  }
  free(doc.bytes);
  free(table.bytes);
  free(extra.bytes);
  gw_ole_close(ole);
  return rc;
}
