/*
 * formats.h — private interface of the document readers (lib/formats/).
 *
 * Every reader turns the bytes of one format into a gw_text_builder: UTF-8
 * text, one LF after each paragraph, and a gw_extract_paragraph record per
 * paragraph.  extract.c detects the format, runs the reader and owns the
 * result; layout.c orders positioned lines (PDF, OFD) into paragraphs.
 */
#ifndef GW_FORMATS_H
#define GW_FORMATS_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/xmlerror.h>

#include "internal.h"

/* ---- the text being extracted ---- */

typedef struct gw_text_builder {
  char *text;
  size_t len, capacity;
  gw_extract_paragraph *paragraphs;
  size_t count, paragraph_capacity;
  size_t paragraph_start; /* where the open paragraph's text starts */
  int pending_space;      /* a collapsed run of whitespace before more text */
  int failed;             /* out of memory: every later call is a no-op */
} gw_text_builder;

/* Append UTF-8 text to the open paragraph.  Control characters are dropped,
 * tabs, line ends and other whitespace become one space between words (never
 * at the paragraph's start), invalid UTF-8 becomes U+FFFD, so the result is
 * always valid UTF-8 the decoder accepts. */
void gw_tb_append(gw_text_builder *b, const char *s, size_t n);
void gw_tb_append_cp(gw_text_builder *b, int32_t cp);
/* gw_tb_append of text known to be valid UTF-8 of plain characters only
 * (gw_tb_plain): copied as it stands. */
void gw_tb_append_plain(gw_text_builder *b, const char *s, size_t n);

/* Whitespace, collapsed to one space between words (ideographic spaces
 * too: documents indent paragraphs with them). */
static inline int gw_tb_space(int32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x0B ||
         cp == 0x0C || cp == 0x2028 || cp == 0x2029 || cp == 0x85 ||
         cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A);
}
/* Control characters and invisible marks, dropped. */
static inline int gw_tb_dropped(int32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) ||
         cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) /* annotations */;
}
/* A character copied as it stands (the bulk of any text): printable ASCII
 * but the space, and anything from U+00A0 on that is neither whitespace,
 * dropped nor a surrogate. */
static inline int gw_tb_plain(int32_t cp) {
  return (cp > 0x20 && cp < 0x7F) ||
         (cp >= 0xA0 && !gw_tb_space(cp) && !gw_tb_dropped(cp) &&
          !(cp >= 0xD800 && cp <= 0xDFFF));
}
/* Room for a text of about `bytes` made at once (a hint from the size of
 * what the text comes from: one allocation, on huge pages when large). */
void gw_tb_reserve(gw_text_builder *b, size_t bytes);
/* Close the open paragraph with these attributes; an empty one (nothing but
 * spaces) leaves nothing. */
void gw_tb_end_paragraph(gw_text_builder *b, gw_extract_part part,
                         int heading_level, size_t page, size_t source);
/* Whether the open paragraph has text yet. */
int gw_tb_paragraph_open(const gw_text_builder *b);
void gw_tb_free(gw_text_builder *b);

/* Make room for `need` elements of `size` bytes in *items (capacity in
 * *capacity, doubled as needed).  0, or GW_ENOMEM with *items untouched. */
int gw_reserve(void **items, size_t *capacity, size_t need, size_t size);

/* Little-endian fields of binary containers (ZIP, OLE2). */
static inline uint32_t gw_le16(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}
static inline uint32_t gw_le32(const unsigned char *p) {
  return gw_le16(p) | gw_le16(p + 2) << 16;
}

/* ---- limits shared by the readers ---- */

typedef struct gw_extract_limits {
  size_t max_inflated; /* bytes a container may inflate to, in all */
  size_t max_entries;  /* entries a ZIP may list */
} gw_extract_limits;

/* ---- readers: 0 or a GW_E* code with err filled ("NAME: why") ---- */

typedef struct gw_zip gw_zip;

int gw_read_docx(gw_zip *zip, const char *name, gw_text_builder *out,
                 gw_error *err);
int gw_read_ofd(gw_zip *zip, const char *name, gw_text_builder *out,
                size_t *pages, gw_error *err);
int gw_read_word(const unsigned char *data, size_t len, const char *name,
                 const gw_extract_limits *limits, gw_text_builder *out,
                 gw_error *err);
int gw_read_pdf(const unsigned char *data, size_t len, const char *name,
                gw_text_builder *out, size_t *pages, gw_error *err);
int gw_read_html(const unsigned char *data, size_t len, const char *name,
                 gw_text_builder *out, gw_error *err);
/* gw_read_pdf with the PDF module at that path (the tests name a missing
 * one, or a library that is not the module): GW_ENOTFOUND with the reason
 * when it cannot be loaded. */
int gw_read_pdf_with_module(const char *module, const unsigned char *data,
                            size_t len, const char *name,
                            gw_text_builder *out, size_t *pages,
                            gw_error *err);

typedef struct gw_xml *gw_xml_reader;
typedef struct gw_xml_events gw_xml_events;

/* ---- zip.c: ZIP containers with caps ---- */

/* Open a ZIP held in memory (borrowed: data must outlive the handle).
 * GW_EDAMAGED for a truncated or malformed archive, too many entries. */
int gw_zip_open(gw_zip **out, const unsigned char *data, size_t len,
                const char *name, const gw_extract_limits *limits,
                gw_error *err);
void gw_zip_close(gw_zip *zip);
/* For the tests: inflate every deflated entry through libzip (and zlib),
 * as before ISA-L, or every one through ISA-L (not only the large ones);
 * and how many bytes ISA-L inflated. */
void gw_zip_inflate_with_libzip(gw_zip *zip);
void gw_zip_inflate_with_isal(gw_zip *zip);
size_t gw_zip_fast_inflated(const gw_zip *zip);
/* Whether an entry exists (exact name, or without a leading '/'). */
int gw_zip_has(gw_zip *zip, const char *entry);
/* The size an entry declares it inflates to, or 0 (absent, unknown). */
size_t gw_zip_declared_size(gw_zip *zip, const char *entry);
/* Inflate one entry into a malloc'd buffer (NUL-terminated, *len without
 * it).  GW_ENOTFOUND when absent (message names the entry), GW_EDAMAGED when
 * it is corrupt or the archive's inflated total would pass the cap. */
int gw_zip_read(gw_zip *zip, const char *entry, char **bytes, size_t *len,
                gw_error *err);

/* A streaming reader over an XML part, inflated as the reader goes (the
 * part is never held whole; the caps apply as it inflates).  A missing part
 * is GW_EDAMAGED ("NAME: the <role> PART is missing"), except that with
 * role NULL it is optional: GW_OK with *reader NULL.  Free with
 * gw_zip_xml_close. */
int gw_zip_xml(gw_zip *zip, const char *part, const char *role,
               gw_xml_reader *reader, gw_error *err);
void gw_zip_xml_close(gw_xml_reader reader);
/* After gw_xml_next or gw_xml_skip gave -1: GW_EDAMAGED with "NAME: PART:
 * malformed XML (line N: why)", or the container's own message when the
 * part could not be inflated (damaged, a ZIP bomb). */
int gw_zip_xml_failed(gw_xml_reader reader, const char *name,
                      const char *part, gw_error *err);

/* Parse an XML part with SAX handlers, inflated chunk by chunk into the
 * push parser (caps as for gw_zip_xml).  A missing part as for gw_zip_xml
 * (role NULL: optional, GW_OK with nothing parsed).  Errors: "NAME: PART:
 * malformed XML (line N: why)", GW_ENOMEM "NAME: out of memory", or the
 * container's own message. */
int gw_zip_parse(gw_zip *zip, const char *part, const char *role,
                 const gw_xml_events *events, void *user, gw_error *err);

/* Resolve a part name relative to the folder of `base` ("word/document.xml"
 * + "../media/x" → "media/x"; a leading '/' is absolute).  Malloc'd. */
char *gw_zip_resolve(const char *base, const char *target);

/* ---- ole.c: OLE2 compound files ---- */

typedef struct gw_ole gw_ole;

/* Open a compound file held in memory (borrowed).  GW_EDAMAGED when its
 * header, FAT, directory or mini stream is broken. */
int gw_ole_open(gw_ole **out, const unsigned char *data, size_t len,
                const char *name, gw_error *err);
void gw_ole_close(gw_ole *ole);
/* Whether the root storage holds a stream of that name (case ignored). */
int gw_ole_has(const gw_ole *ole, const char *stream);
/* A root stream, whole, malloc'd: GW_ENOTFOUND when absent, GW_EDAMAGED
 * when its chain leaves the file or it is larger than cap. */
int gw_ole_read(const gw_ole *ole, const char *stream, size_t cap,
                unsigned char **bytes, size_t *len, gw_error *err);

/* ---- xml.c: libxml2 set up safely (no network, no entities, no output) ---- */

/* libxml2's per-thread error handlers, silenced around an extraction and
 * restored after it (a host application's own handlers are left as they
 * were, and other threads' are never touched).  Each parser's own errors
 * go to its per-parser handler (the SAX serror, the reader's structured
 * handler) and into the caller's message; these are for what libxml2 2.9
 * reports with no parser to hand: xmlInitParser, xmlStrdup and its other
 * allocations running out of memory, which would print "parser error : out
 * of memory" on stderr. */
typedef struct gw_xml_quiet {
  xmlGenericErrorFunc generic;
  void *generic_context;
  xmlStructuredErrorFunc structured;
  void *structured_context;
} gw_xml_quiet;
void gw_xml_quiet_begin(gw_xml_quiet *saved);
void gw_xml_quiet_end(const gw_xml_quiet *saved);

/* A streaming reader over a buffer, with errors collected instead of
 * printed.  NULL when out of memory. */
gw_xml_reader gw_xml_reader_new(const char *data, size_t len,
                                const char *part);
/* Where a reader's bytes come from when they are not in one buffer: read
 * as libxml2's xmlInputReadCallback (bytes, 0 at the end, -1 on failure,
 * when error(ctx) then says why: "NAME: …"), destroy once with the
 * reader. */
typedef struct gw_xml_source {
  int (*read)(void *ctx, char *buffer, int len);
  void (*destroy)(void *ctx);
  const char *(*error)(void *ctx);
  void *ctx;
} gw_xml_source;
/* A streaming reader over a source, which it owns from now on (destroyed
 * at once when the reader cannot be made: NULL, out of memory). */
gw_xml_reader gw_xml_reader_new_source(const gw_xml_source *source,
                                       const char *part);
/* Why the source failed, or NULL. */
const char *gw_xml_source_error(gw_xml_reader reader);
/* Next node: 1, 0 at the end, -1 on a parse error (then the message is in
 * gw_xml_reader_error). */
int gw_xml_next(gw_xml_reader reader);
/* Skip the current element's subtree: like gw_xml_next, the reader is then
 * on the node after it. */
int gw_xml_skip(gw_xml_reader reader);
const char *gw_xml_reader_error(gw_xml_reader reader);
void gw_xml_reader_free(gw_xml_reader reader);
/* The current node: element start (1), end (15), text/cdata/whitespace
 * (3, 4, 13, 14) as xmlTextReaderNodeType. */
int gw_xml_type(gw_xml_reader reader);
int gw_xml_empty(gw_xml_reader reader);
int gw_xml_depth(gw_xml_reader reader);
const char *gw_xml_name(gw_xml_reader reader); /* local name */
const char *gw_xml_ns(gw_xml_reader reader);   /* namespace URI or "" */
const char *gw_xml_value(gw_xml_reader reader); /* text of a text node */
/* An attribute by local name, any namespace; malloc'd or NULL (absent,
 * or out of memory: then the next gw_xml_next fails as out of memory). */
char *gw_xml_attr(gw_xml_reader reader, const char *local_name);
/* Whether the reader stopped because memory ran out. */
int gw_xml_reader_out_of_memory(gw_xml_reader reader);

/* A SAX2 push parser: the part's bytes are fed in chunks as they are
 * inflated, and each element start, end and run of text goes to a handler
 * as it is parsed (nothing is kept or copied per node). */
typedef struct gw_xml_element {
  const char *local, *ns; /* local name; namespace URI or "" */
  int empty;              /* <x/>: its end follows at once, flagged empty */
  int attribute_count;
  const char *const *attributes; /* libxml2's: 5 pointers per attribute */
  int *out_of_memory; /* set when an attribute cannot be copied */
} gw_xml_element;
struct gw_xml_events {
  /* Non-zero stops the parse there (not an error). */
  int (*start)(void *user, const gw_xml_element *element);
  void (*end)(void *user, const char *local, const char *ns, int empty);
  /* Character data, in pieces of whole characters. */
  void (*text)(void *user, const char *text, size_t len);
  /* Optional: character data all of plain characters (gw_tb_plain), in
   * valid UTF-8; without it such text goes to text() too. */
  void (*plain_text)(void *user, const char *text, size_t len);
};
typedef struct gw_xml_push gw_xml_push;

/* xml_runs.c: text runs between tags that need nothing of libxml2, taken
 * out of the stream and left as the processing instruction
 * <?GW_XML_RUN_TARGET?> (see there for which). */
#define GW_XML_RUN_TARGET "gw"
typedef struct gw_xml_runs gw_xml_runs;
gw_xml_runs *gw_xml_runs_new(void); /* NULL when out of memory */
void gw_xml_runs_free(gw_xml_runs *runs);
/* What to hand the parser for the next chunk (*out valid until the next
 * call; never longer than len plus one byte held back before); -1 when out
 * of memory. */
int gw_xml_runs_filter(gw_xml_runs *runs, const char *data, size_t len,
                       int last, const char **out, size_t *out_len);
/* The run the next instruction stands for: 1, or 0 when none waits;
 * *plain says whether it is all plain characters (gw_tb_plain). */
int gw_xml_runs_next(gw_xml_runs *runs, const char **text, size_t *len,
                     int *plain);
/* NULL when out of memory. */
gw_xml_push *gw_xml_push_new(const gw_xml_events *events, void *user,
                             const char *part);
/* Parse the next chunk (last: the part ends with it): 0, 1 when a handler
 * stopped the parse, -1 on a parse error (gw_xml_push_error says why). */
int gw_xml_push_feed(gw_xml_push *push, const char *data, size_t len,
                     int last);
const char *gw_xml_push_error(const gw_xml_push *push); /* "line N: why" */
/* Leave every text run to libxml2 (before the first chunk): the events are
 * the same, only slower; for tests. */
void gw_xml_push_parse_all_text(gw_xml_push *push);
int gw_xml_push_out_of_memory(const gw_xml_push *push);
void gw_xml_push_free(gw_xml_push *push);
/* An attribute of an element by local name, any namespace: malloc'd (NULL
 * when absent or out of memory: then the parse stops, and the part fails
 * as out of memory), as an int (fallback when absent or empty), or whether
 * it has that value. */
char *gw_xml_element_attr(const gw_xml_element *element, const char *local);
int gw_xml_element_int(const gw_xml_element *element, const char *local,
                       int fallback);
int gw_xml_element_has(const gw_xml_element *element, const char *local,
                       const char *value);

/* ---- layout.c: positioned lines (PDF, OFD) into paragraphs ---- */

typedef struct gw_layout_line {
  double x1, y1, x2, y2;  /* box of the line's glyphs; y grows downwards */
  double char_size;       /* typical glyph width (about the font size) */
  size_t start, len;      /* the line's UTF-8 text in gw_layout.text */
  size_t page;            /* 0-based */
  size_t index;           /* 0-based line number on its page */
} gw_layout_line;

typedef struct gw_layout {
  char *text;
  size_t text_len, text_capacity;
  gw_layout_line *lines;
  size_t count, capacity;
  size_t pages;
  int failed;
} gw_layout;

/* Add a line (text copied) of page `page`, in reading order. */
int gw_layout_add(gw_layout *layout, const gw_layout_line *line,
                  const char *text, size_t len);
/* Drop running headers and footers (first or last lines of their page
 * repeated on other pages, digits aside, and bare page numbers), join lines
 * into paragraphs (a new one after a short line, at an indented line, after
 * a large vertical gap; a paragraph goes on across a page break), and
 * append them to out. */
int gw_layout_paragraphs(gw_layout *layout, gw_text_builder *out);
void gw_layout_free(gw_layout *layout);

/* ---- numbering.c: automatic list numbers (.docx and .doc) ---- */

#define GW_LIST_LEVELS 9
#define GW_NUMBER_MAX 160 /* bytes of a rendered number ("（十二）", "1.2.3.") */

/* The counters of one list: a level's value and whether it has started. */
typedef struct gw_list_counters {
  int value[GW_LIST_LEVELS];
  unsigned char started[GW_LIST_LEVELS];
} gw_list_counters;

/* A paragraph at `level`: that level counts on (or starts at `start`) and
 * every level below it starts again. */
void gw_list_advance(gw_list_counters *c, int level, int start);
/* A level's value as a placeholder shows it; one never used yet counts
 * from `start`. */
int gw_list_current(gw_list_counters *c, int level, int start);
/* n in an OOXML number format (ST_NumberFormat: "decimal",
 * "chineseCounting", "lowerRoman" …; "none" and "bullet" give ""). */
void gw_number_format(const char *format, int n, char *out, size_t size);
/* The OOXML name of a binary-format number format code (MSONFC). */
const char *gw_number_format_of_nfc(unsigned nfc);
/* 1-9 for a style named "heading N", "标题 N" or "标题N" (case ignored),
 * else 0. */
int gw_heading_level_of_style_name(const char *name);

/* ---- word.c: the Word binary format once its streams are read ---- */

/* The streams of a Word document: WordDocument, its table stream (the one
 * the FIB names) and Data (NULL when the file has none). */
typedef struct gw_word_streams {
  const unsigned char *doc, *table, *data;
  size_t doc_len, table_len, data_len;
} gw_word_streams;

/* The text of a Word document's streams, as gw_read_word gives it; exposed
 * for the unit tests, which damage the tables inside the streams. */
int gw_read_word_streams(const gw_word_streams *streams, const char *name,
                         gw_text_builder *out, gw_error *err);

/* ---- extract.c: the hook gw_document uses ---- */

/* When *bytes hold a document format (not plain text, not unrecognized
 * binary data, which the decoder refuses as before), replace them by the
 * extracted text (the old buffer is freed) and set *converted.  On failure
 * *bytes are left as they were. */
int gw_formats_to_text(const char *name, unsigned char **bytes, size_t *len,
                       int *converted, gw_error *err);

#endif /* GW_FORMATS_H */
