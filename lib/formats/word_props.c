/*
 * word_props.c — what a paragraph of a Word binary document is: its heading
 * level, whether it lies in a table cell, and the automatic number Word
 * shows before it ([MS-DOC] 2.4.6 "Determining Paragraph Properties", 3.7
 * "List formatting").
 *
 * A paragraph's direct properties are found by the byte offset of its mark:
 * PlcBtePapx (table stream) names the 512-byte PapxFkp page of the
 * WordDocument stream whose runs cover that offset, and the run's PAPX gives
 * the style (istd) and a grpprl of sprms: sprmPIlfo (which list override),
 * sprmPIlvl (which level), sprmPOutLvl, sprmPFInTable.  What the paragraph
 * does not say, its style or the style's istdBase chain may (STSH): headings
 * are numbered through their style, and a built-in "heading N" style (sti
 * 1-9) gives the level whatever its localized name; a user style gives it
 * by its name ("标题 2"), as in the .docx reader.  Numbers come from the
 * LFO the ilfo names, its LST (found by lsid) and the LVL of the level: a
 * number format (MSONFC) and a text in which characters 0-8, at the places
 * rgbxchNums lists, stand for the numbers of levels 1-9.
 *
 * A PAPX too large for its page (Word's limit is about 488 bytes: a table
 * row of many columns, many tab stops) holds only sprmPHugePapx, the offset
 * of the real grpprl in the Data stream ([MS-DOC] 2.6.2, PrcData), which
 * is read from there.
 *
 * Characters are found the same way in the ChpxFkp pages (PlcBteChpx):
 * a run whose CHPX says sprmCFRMarkDel is a tracked deletion, left out as
 * the .docx reader leaves out w:del.
 *
 * Every table is checked against its stream before use; one that does not
 * fit is left out as a whole, so a damaged file reads as text without
 * numbers rather than from outside its buffers.  Counters are kept per LFO,
 * as the .docx reader keeps them per w:num.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "word.h"

#define NO_STYLE 0x0FFF
#define UNSET INT_MIN
#define LEVEL_TEXT 32     /* UTF-16 units of a level's text kept */
#define MAX_OVERRIDES 0x7FF /* the largest ilfo sprmPIlfo can name */
#define NFC_BULLET 23

static uint32_t le16(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}
static uint32_t le32(const unsigned char *p) {
  return le16(p) | le16(p + 2) << 16;
}

/* ------------------------------------------------------------------ */
/* Sprms                                                               */
/* ------------------------------------------------------------------ */

typedef struct para_sprms {
  int ilfo;     /* UNSET, or sprmPIlfo's signed value */
  int ilvl;     /* -1 unset */
  int outline;  /* -1 unset; 0-8 a level, 9 body text */
  int in_table; /* -1 unset */
} para_sprms;

static const para_sprms unset_sprms = {UNSET, -1, -1, -1};

/* The size of the operand at g[at] of the sprm `op`, or 0 when it does not
 * fit in len.  spra gives it, except for the variable-length ones. */
static size_t operand_size(uint32_t op, const unsigned char *g, size_t at,
                           size_t len) {
  static const unsigned char fixed[8] = {1, 1, 2, 4, 2, 2, 0, 3};
  size_t size = fixed[op >> 13];
  if (size == 0) {
    if (op == 0xD608 || op == 0xD606) { /* sprmTDefTable: cb counts one more */
      if (at + 2 > len) return 0;
      uint32_t cb = le16(g + at);
      size = 2 + (cb ? cb - 1 : 0);
    } else if (op == 0xC615 && at < len && g[at] == 255) {
      /* sprmPChgTabs too long for its byte: PChgTabsDel, PChgTabsAdd */
      if (at + 2 > len) return 0;
      size_t del = g[at + 1], add_at = at + 2 + 4 * del;
      if (add_at >= len) return 0;
      size = 2 + 4 * del + 1 + 3 * (size_t)g[add_at];
    } else {
      if (at >= len) return 0;
      size = 1 + (size_t)g[at];
    }
  }
  return at + size <= len ? size : 0;
}

/* The sprm at *at of a grpprl: its opcode and operand, *at moved past it.
 * 0 at the end, or where a sprm runs past the end. */
static int next_sprm(const unsigned char *g, size_t len, size_t *at,
                     uint32_t *op, const unsigned char **operand) {
  if (*at + 2 > len) return 0;
  *op = le16(g + *at);
  size_t size = operand_size(*op, g, *at + 2, len);
  if (size == 0) return 0;
  *operand = g + *at + 2;
  *at += 2 + size;
  return 1;
}

/* The paragraph sprms of a grpprl that matter here.  sprmPHugePapx is
 * followed into data (the Data stream) when given, once: the grpprl found
 * there is read with data NULL. */
static void read_sprms(const unsigned char *g, size_t len,
                       const unsigned char *data, size_t data_len,
                       para_sprms *out) {
  size_t at = 0;
  uint32_t op;
  const unsigned char *v;
  while (next_sprm(g, len, &at, &op, &v)) {
    switch (op) {
    case 0x6646: /* sprmPHugePapx: a PrcData (cbGrpprl, grpprl) in Data */
      if (data) {
        uint32_t off = le32(v);
        if (off < data_len && data_len - off >= 2 &&
            le16(data + off) <= data_len - off - 2)
          read_sprms(data + off + 2, le16(data + off), NULL, 0, out);
      }
      break;
    case 0x260A: out->ilvl = v[0]; break;                  /* sprmPIlvl */
    case 0x460B: out->ilfo = (int16_t)le16(v); break;      /* sprmPIlfo */
    case 0x2640: out->outline = v[0]; break;               /* sprmPOutLvl */
    case 0x2416: out->in_table = v[0] != 0; break;         /* sprmPFInTable */
    default: break;
    }
  }
}

/* Whether a character grpprl marks a tracked deletion (sprmCFRMarkDel: 1,
 * or 0x81, the opposite of the style, which never deletes). */
static int marks_deletion(const unsigned char *g, size_t len) {
  size_t at = 0;
  uint32_t op;
  const unsigned char *v;
  int deleted = 0;
  while (next_sprm(g, len, &at, &op, &v))
    if (op == 0x0800) deleted = v[0] == 1 || v[0] == 0x81;
  return deleted;
}

/* ------------------------------------------------------------------ */
/* The tables                                                          */
/* ------------------------------------------------------------------ */

typedef struct word_style {
  int defined;
  uint32_t sti, base; /* built-in style id; istdBase, NO_STYLE for none */
  int named_level;    /* from a user style's name, or 0 */
  para_sprms sprms;   /* of a paragraph style's UpxPapx */
} word_style;

typedef struct word_level {
  int start;
  unsigned nfc;
  int legal;                 /* fLegal: numbers shown as decimal */
  unsigned char places[9];   /* rgbxchNums: 1-based places of numbers */
  uint16_t text[LEVEL_TEXT]; /* xst, placeholders 0-8 */
  size_t text_len;
} word_level;

typedef struct word_list {
  uint32_t lsid;
  int simple; /* fSimpleList: one level */
  word_level levels[GW_LIST_LEVELS];
} word_list;

typedef struct word_override {
  const word_list *list;               /* NULL: an lsid no LST has */
  word_level *own[GW_LIST_LEVELS];     /* LFOLVL fFormatting, or NULL */
  int start[GW_LIST_LEVELS];           /* LFOLVL fStartAt, or UNSET */
  gw_list_counters counters;
} word_override;

struct gw_word_props {
  const unsigned char *doc, *table, *data; /* data: NULL without a Data
                                              stream */
  size_t doc_len, table_len, data_len;
  word_style *styles;
  size_t style_count;
  const unsigned char *papx_bins; /* PlcBtePapx */
  size_t papx_bin_count;
  const unsigned char *chpx_bins; /* PlcBteChpx */
  size_t chpx_bin_count;
  uint32_t chpx_from, chpx_to;    /* the character run last looked up */
  int chpx_deleted;               /* whether it is a tracked deletion */
  word_list *lists;
  size_t list_count;
  word_override *overrides;
  size_t override_count;
};

/* [fc, fc + lcb) inside the table stream, at least `min` bytes. */
static const unsigned char *table_part(const gw_word_props *p, uint32_t fc,
                                       uint32_t lcb, size_t min) {
  if (lcb < min || (uint64_t)fc + lcb > p->table_len) return NULL;
  return p->table + fc;
}

/* The heading level a user style's name gives (a style named "标题 1"
 * that is not Word's built-in heading 1). */
static int name_level(const unsigned char *utf16, size_t cch) {
  char name[64];
  size_t o = 0;
  for (size_t i = 0; i < cch; i++) {
    char piece[4];
    uint32_t c = le16(utf16 + 2 * i);
    size_t n = gw_utf8_encode(c >= 0xD800 && c <= 0xDFFF ? 0xFFFD : (int32_t)c,
                              piece);
    if (o + n >= sizeof name) return 0;
    memcpy(name + o, piece, n);
    o += n;
  }
  name[o] = '\0';
  return gw_heading_level_of_style_name(name);
}

/* One STD: its sti and base, and for a paragraph style the sprms of its
 * UpxPapx (after the Stdf and the name). */
static void read_style(const unsigned char *std, size_t len, size_t base_len,
                       word_style *out) {
  if (len < base_len) return;
  out->defined = 1;
  out->sti = le16(std) & 0x0FFF;
  out->base = le16(std + 2) >> 4;
  out->sprms = unset_sprms;
  if ((le16(std + 2) & 0x0F) != 1) return; /* stk: not a paragraph style */
  size_t q = base_len;
  if (q + 2 > len) return;
  size_t cch = le16(std + q);
  if (q + 2 + 2 * cch <= len) out->named_level = name_level(std + q + 2, cch);
  q += 2 + 2 * cch + 2; /* xstzName: cch, chars, NUL */
  if (q + 2 > len) return;
  size_t upx = le16(std + q);
  q += 2;
  if (upx < 2 || q + upx > len) return;
  read_sprms(std + q + 2, upx - 2, NULL, 0, &out->sprms); /* after the
                                                   UPX's istd */
}

static int read_styles(gw_word_props *p, const gw_word_tables *t) {
  const unsigned char *s = table_part(p, t->fc_styles, t->lcb_styles, 6);
  if (!s) return GW_OK;
  size_t lcb = t->lcb_styles, header = le16(s);
  if (header < 4 || 2 + header > lcb) return GW_OK;
  size_t count = le16(s + 2), base_len = le16(s + 4);
  if (base_len < 10) return GW_OK;
  if (count > (lcb - 2 - header) / 2) count = (lcb - 2 - header) / 2;
  if (count == 0) return GW_OK;
  p->styles = calloc(count, sizeof *p->styles);
  if (!p->styles) return GW_ENOMEM;
  p->style_count = count;
  size_t at = 2 + header;
  for (size_t istd = 0; istd < count && at + 2 <= lcb; istd++) {
    size_t len = le16(s + at);
    at += 2;
    if (len > lcb - at) break;
    if (len) read_style(s + at, len, base_len, &p->styles[istd]);
    at += len;
  }
  return GW_OK;
}

static const word_style *style_at(const gw_word_props *p, uint32_t istd) {
  return istd < p->style_count && p->styles[istd].defined ? &p->styles[istd]
                                                          : NULL;
}

/* A PlcBtePapx or PlcBteChpx: n + 1 offsets, n page numbers. */
static void read_bins(const gw_word_props *p, uint32_t fc, uint32_t lcb,
                      const unsigned char **bins, size_t *count) {
  const unsigned char *plc = table_part(p, fc, lcb, 12);
  if (!plc || (lcb - 4) % 8 != 0) return;
  *bins = plc;
  *count = (lcb - 4) / 8;
}

/* One LVL at *at of [base, base + len): its LVLF, two grpprls skipped, and
 * its text.  0, or -1 when it does not fit. */
static int read_level(const unsigned char *base, size_t len, size_t *at,
                      word_level *out) {
  size_t q = *at;
  if (q + 28 > len) return -1;
  const unsigned char *f = base + q;
  out->start = (int32_t)le32(f);
  out->nfc = f[4];
  out->legal = (f[5] >> 2) & 1;
  memcpy(out->places, f + 6, sizeof out->places);
  q += 28 + (size_t)f[24] + f[25]; /* cbGrpprlChpx, cbGrpprlPapx */
  if (q + 2 > len) return -1;
  size_t cch = le16(base + q);
  q += 2;
  if (cch > (len - q) / 2) return -1;
  out->text_len = cch < LEVEL_TEXT ? cch : LEVEL_TEXT;
  for (size_t i = 0; i < out->text_len; i++)
    out->text[i] = (uint16_t)le16(base + q + 2 * i);
  *at = q + 2 * cch;
  return 0;
}

/* PlfLst: cLst LSTFs, then the LVLs of every list in that order (after the
 * PlfLst, outside lcbPlfLst). */
static int read_lists(gw_word_props *p, const gw_word_tables *t) {
  const unsigned char *plf = table_part(p, t->fc_lists, t->lcb_lists, 2);
  if (!plf) return GW_OK;
  int count = (int16_t)le16(plf);
  if (count <= 0 || 2 + 28 * (size_t)count > t->lcb_lists) return GW_OK;
  /* Every list needs at least one LVL of 30 bytes: a forged count is
   * refused before anything is allocated for it. */
  size_t at = (size_t)t->fc_lists + 2 + 28 * (size_t)count;
  if ((size_t)count * 30 > p->table_len - at) return GW_OK;
  word_list *lists = calloc((size_t)count, sizeof *lists);
  if (!lists) return GW_ENOMEM;
  for (int i = 0; i < count; i++) {
    const unsigned char *lstf = plf + 2 + 28 * (size_t)i;
    lists[i].lsid = le32(lstf);
    lists[i].simple = lstf[26] & 1;
    int levels = lists[i].simple ? 1 : GW_LIST_LEVELS;
    for (int l = 0; l < levels; l++)
      if (read_level(p->table, p->table_len, &at, &lists[i].levels[l]) < 0) {
        free(lists);
        return GW_OK;
      }
  }
  p->lists = lists;
  p->list_count = (size_t)count;
  return GW_OK;
}

static void free_overrides(word_override *o, size_t count) {
  for (size_t i = 0; i < count; i++)
    for (int l = 0; l < GW_LIST_LEVELS; l++) free(o[i].own[l]);
  free(o);
}

/* One LFOData: cp, then clfolvl LFOLVLs, each with an LVL when it replaces
 * the level's formatting.  0, GW_EDAMAGED when it does not fit, or
 * GW_ENOMEM. */
static int read_override_data(const unsigned char *base, size_t len,
                              size_t *at, size_t levels, word_override *o) {
  size_t q = *at + 4;
  if (q > len) return GW_EDAMAGED;
  for (size_t k = 0; k < levels; k++) {
    if (q + 8 > len) return GW_EDAMAGED;
    int32_t start = (int32_t)le32(base + q);
    uint32_t flags = le32(base + q + 4);
    q += 8;
    unsigned ilvl = flags & 0x0F;
    word_level level;
    if ((flags >> 5) & 1) { /* fFormatting */
      memset(&level, 0, sizeof level);
      if (read_level(base, len, &q, &level) < 0) return GW_EDAMAGED;
    }
    if (ilvl >= GW_LIST_LEVELS) continue;
    if ((flags >> 4) & 1) o->start[ilvl] = start; /* fStartAt */
    if ((flags >> 5) & 1) {
      word_level *own = o->own[ilvl] ? o->own[ilvl] : malloc(sizeof *own);
      if (!own) return GW_ENOMEM;
      *own = level;
      o->own[ilvl] = own;
    }
  }
  *at = q;
  return 0;
}

static const word_list *list_by_id(const gw_word_props *p, uint32_t lsid) {
  for (size_t i = 0; i < p->list_count; i++)
    if (p->lists[i].lsid == lsid) return &p->lists[i];
  return NULL;
}

/* PlfLfo: lfoMac LFOs of 16 bytes, then an LFOData for each. */
static int read_overrides(gw_word_props *p, const gw_word_tables *t) {
  const unsigned char *plf =
      table_part(p, t->fc_overrides, t->lcb_overrides, 4);
  if (!plf || !p->lists) return GW_OK;
  size_t lcb = t->lcb_overrides, count = le32(plf);
  if (count == 0 || count > (lcb - 4) / 16) return GW_OK;
  size_t kept = count < MAX_OVERRIDES ? count : MAX_OVERRIDES;
  word_override *o = calloc(kept, sizeof *o);
  if (!o) return GW_ENOMEM;
  size_t at = 4 + 16 * count;
  for (size_t i = 0; i < kept; i++) {
    const unsigned char *lfo = plf + 4 + 16 * i;
    o[i].list = list_by_id(p, le32(lfo));
    for (int l = 0; l < GW_LIST_LEVELS; l++) o[i].start[l] = UNSET;
    int rc = read_override_data(plf, lcb, &at, lfo[12], &o[i]);
    if (rc < 0) { /* damaged: no override is trusted */
      free_overrides(o, kept);
      return rc == GW_ENOMEM ? rc : GW_OK;
    }
  }
  p->overrides = o;
  p->override_count = kept;
  return GW_OK;
}

int gw_word_props_new(gw_word_props **out, const gw_word_streams *streams,
                      const gw_word_tables *tables) {
  *out = NULL;
  gw_word_props *p = calloc(1, sizeof *p);
  if (!p) return GW_ENOMEM;
  p->doc = streams->doc;
  p->doc_len = streams->doc_len;
  p->table = streams->table;
  p->table_len = streams->table_len;
  p->data = streams->data;
  p->data_len = streams->data ? streams->data_len : 0;
  read_bins(p, tables->fc_papx_bins, tables->lcb_papx_bins, &p->papx_bins,
            &p->papx_bin_count);
  read_bins(p, tables->fc_chpx_bins, tables->lcb_chpx_bins, &p->chpx_bins,
            &p->chpx_bin_count);
  int rc = read_styles(p, tables);
  if (rc == GW_OK) rc = read_lists(p, tables);
  if (rc == GW_OK) rc = read_overrides(p, tables);
  if (rc < 0) {
    gw_word_props_free(p);
    return rc;
  }
  *out = p;
  return GW_OK;
}

void gw_word_props_free(gw_word_props *p) {
  if (!p) return;
  free(p->styles);
  free(p->lists);
  free_overrides(p->overrides, p->override_count);
  free(p);
}

/* ------------------------------------------------------------------ */
/* A paragraph's PAPX                                                  */
/* ------------------------------------------------------------------ */

typedef struct papx {
  uint32_t istd;
  const unsigned char *grpprl;
  size_t len;
  uint32_t run_end; /* the offset after the run's paragraph mark */
} papx;

/* The greatest i < n with fcs[i] <= fc, given fcs[0..n] ascending, when
 * fc < fcs[n]; -1 otherwise. */
static long find_run(const unsigned char *fcs, size_t n, uint32_t fc) {
  if (n == 0 || fc < le32(fcs) || fc >= le32(fcs + 4 * n)) return -1;
  size_t lo = 0, hi = n; /* fcs[lo] <= fc < fcs[hi] */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (le32(fcs + 4 * mid) <= fc) lo = mid;
    else hi = mid;
  }
  return (long)lo;
}

/* The FKP page (PapxFkp or ChpxFkp, whose run entries take entry_size
 * bytes) holding fc, and the run in it: the page, or NULL. */
static const unsigned char *fkp_run(const gw_word_props *p,
                                    const unsigned char *bins, size_t n,
                                    uint32_t fc, size_t entry_size,
                                    size_t *runs, size_t *run) {
  long bin = find_run(bins, n, fc);
  if (bin < 0) return NULL;
  uint32_t pn = le32(bins + 4 * (n + 1) + 4 * (size_t)bin) & 0x3FFFFF;
  if (((uint64_t)pn + 1) * 512 > p->doc_len) return NULL;
  const unsigned char *page = p->doc + (size_t)pn * 512;
  *runs = page[511];
  if (*runs == 0 || 4 * (*runs + 1) + entry_size * *runs > 511) return NULL;
  long i = find_run(page, *runs, fc);
  if (i < 0) return NULL;
  *run = (size_t)i;
  return page;
}

static int papx_at(const gw_word_props *p, uint32_t fc, papx *out) {
  size_t runs, run;
  const unsigned char *page =
      fkp_run(p, p->papx_bins, p->papx_bin_count, fc, 13, &runs, &run);
  if (!page) return 0;
  out->run_end = le32(page + 4 * run + 4);
  out->istd = 0;
  out->grpprl = NULL;
  out->len = 0;
  size_t bx = 2 * (size_t)page[4 * (runs + 1) + 13 * run];
  if (bx == 0) return 1; /* no PAPX: the Normal style's properties */
  size_t at, len;
  if (page[bx] != 0) {
    at = bx + 1;
    len = 2 * (size_t)page[bx] - 1;
  } else {
    if (bx + 1 >= 511) return 0;
    at = bx + 2;
    len = 2 * (size_t)page[bx + 1];
  }
  if (len < 2 || at + len > 511) return 0;
  out->istd = le16(page + at);
  out->grpprl = page + at + 2;
  out->len = len - 2;
  return 1;
}

int gw_word_deleted(gw_word_props *p, uint32_t fc) {
  if (fc >= p->chpx_from && fc < p->chpx_to) return p->chpx_deleted;
  size_t runs, run;
  const unsigned char *page =
      fkp_run(p, p->chpx_bins, p->chpx_bin_count, fc, 1, &runs, &run);
  if (!page) return 0;
  p->chpx_from = le32(page + 4 * run);
  p->chpx_to = le32(page + 4 * run + 4);
  size_t at = 2 * (size_t)page[4 * (runs + 1) + run];
  p->chpx_deleted = at != 0 && at + 1 + page[at] <= 511 &&
                    marks_deletion(page + at + 1, page[at]);
  return p->chpx_deleted;
}

int gw_word_paragraph_ends(const gw_word_props *p, uint32_t fc,
                           uint32_t width) {
  papx x;
  return papx_at(p, fc, &x) && x.run_end == fc + width;
}

/* ------------------------------------------------------------------ */
/* Numbers                                                             */
/* ------------------------------------------------------------------ */

static const word_level *level_of(const word_override *o, int ilvl) {
  if (o->own[ilvl]) return o->own[ilvl];
  return &o->list->levels[o->list->simple ? 0 : ilvl];
}

static int start_of(const word_override *o, int ilvl) {
  return o->start[ilvl] != UNSET ? o->start[ilvl] : level_of(o, ilvl)->start;
}

static int is_placeholder(const word_level *lv, size_t i) {
  if (lv->text[i] >= GW_LIST_LEVELS) return 0;
  for (size_t k = 0; k < sizeof lv->places && lv->places[k]; k++)
    if (lv->places[k] == i + 1) return 1;
  return 0;
}

static size_t put_text(char *out, size_t o, size_t size, const char *s,
                       size_t n) {
  if (o + n >= size) return o;
  memcpy(out + o, s, n);
  return o + n;
}

/* Count the paragraph at level ilvl of override o and write its number. */
static void number(word_override *o, int ilvl, char *out, size_t size) {
  const word_level *lv = level_of(o, ilvl);
  out[0] = '\0';
  if (lv->nfc == NFC_BULLET) return;
  gw_list_advance(&o->counters, ilvl, start_of(o, ilvl));
  size_t w = 0;
  for (size_t i = 0; i < lv->text_len; i++) {
    uint32_t c = lv->text[i];
    char piece[32];
    size_t n;
    if (is_placeholder(lv, i)) {
      int l = (int)c;
      const char *format =
          lv->legal ? "decimal" : gw_number_format_of_nfc(level_of(o, l)->nfc);
      gw_number_format(format, gw_list_current(&o->counters, l, start_of(o, l)),
                       piece, sizeof piece);
      n = strlen(piece);
    } else {
      if (c >= 0xD800 && c <= 0xDBFF && i + 1 < lv->text_len &&
          lv->text[i + 1] >= 0xDC00 && lv->text[i + 1] <= 0xDFFF)
        c = 0x10000 + ((c - 0xD800) << 10) + (lv->text[++i] - 0xDC00u);
      else if (c >= 0xD800 && c <= 0xDFFF)
        c = 0xFFFD;
      n = gw_utf8_encode((int32_t)c, piece);
    }
    w = put_text(out, w, size, piece, n);
  }
  out[w] = '\0';
}

void gw_word_paragraph_at(gw_word_props *p, uint32_t fc,
                          gw_word_paragraph *out) {
  memset(out, 0, sizeof *out);
  papx x;
  para_sprms own = unset_sprms;
  uint32_t istd = 0;
  if (papx_at(p, fc, &x)) {
    istd = x.istd;
    read_sprms(x.grpprl, x.len, p->data, p->data_len, &own);
  }
  int ilfo = own.ilfo, ilvl = own.ilvl, level = -1;
  if (own.outline >= 0) level = own.outline < 9 ? own.outline + 1 : 0;
  /* What the paragraph leaves unsaid, its style chain says; 32 steps end a
   * loop of istdBase. */
  const word_style *st = style_at(p, istd);
  for (int steps = 0; st && steps < 32; steps++) {
    if (ilfo == UNSET) ilfo = st->sprms.ilfo;
    if (ilvl < 0) ilvl = st->sprms.ilvl;
    if (level < 0 && st->sprms.outline >= 0)
      level = st->sprms.outline < 9 ? st->sprms.outline + 1 : 0;
    if (level < 0 && st->sti >= 1 && st->sti <= 9) level = (int)st->sti;
    if (level < 0 && st->named_level) level = st->named_level;
    st = style_at(p, st->base);
  }
  out->heading_level = level > 0 ? level : 0;
  out->in_table = own.in_table > 0;
  if (ilvl < 0) ilvl = 0;
  if (ilfo >= 1 && (size_t)ilfo <= p->override_count &&
      ilvl < GW_LIST_LEVELS && p->overrides[ilfo - 1].list)
    number(&p->overrides[ilfo - 1], ilvl, out->number, sizeof out->number);
}
