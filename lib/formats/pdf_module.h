/*
 * pdf_module.h — the interface between libgongwen and its PDF module.
 *
 * poppler-glib and the ~60 libraries it pulls in (cairo, NSS, X11, glib…)
 * cost every process about 40 ms of loading and relocation, although most
 * runs read no PDF.  So the poppler code lives in a module of its own,
 * libgongwen-pdf.so, which pdf.c loads with dlopen the first time a PDF is
 * read.  The module knows nothing of libgongwen's internals: it hands each
 * line of text back with its box through the callback below, and pdf.c
 * builds the paragraphs.
 */
#ifndef GW_PDF_MODULE_H
#define GW_PDF_MODULE_H

#include <stddef.h>

/* Bumped whenever anything below changes: a module of another build is
 * refused by name instead of misread. */
#define GW_PDF_MODULE_ABI 1
#define GW_PDF_MODULE_ENTRY "gw_pdf_module_read"
#define GW_PDF_MODULE_FILE "libgongwen-pdf.so"

/* One line of a page, in reading order; y grows downwards. */
typedef struct gw_pdf_line {
  double x1, y1, x2, y2; /* box of the line's glyphs */
  double char_size;      /* median glyph height (about the font size) */
  size_t page;           /* 0-based */
  size_t index;          /* 0-based line number on its page */
  const char *text;      /* UTF-8, not NUL-terminated */
  size_t len;
} gw_pdf_line;

/* Called for every line; a nonzero return stops the reading (out of
 * memory), and the module then returns that value. */
typedef int (*gw_pdf_line_sink)(void *ctx, const gw_pdf_line *line);

/* What the module returns. */
enum {
  GW_PDF_READ_OK = 0,
  GW_PDF_READ_NOMEM = 1,     /* out of memory in the module */
  GW_PDF_READ_ENCRYPTED = 2, /* a password is needed */
  GW_PDF_READ_DAMAGED = 3,   /* why[] says what poppler found */
  GW_PDF_READ_ABI = 4        /* abi is not the module's GW_PDF_MODULE_ABI */
};

/* The module's one exported function, looked up by GW_PDF_MODULE_ENTRY.
 * Reads data[0, len) (borrowed), gives every line to sink, sets *pages;
 * returns GW_PDF_READ_* or the sink's nonzero value.  why (size bytes)
 * receives poppler's message for GW_PDF_READ_DAMAGED, NUL-terminated. */
typedef int (*gw_pdf_read_fn)(int abi, const unsigned char *data, size_t len,
                              gw_pdf_line_sink sink, void *ctx, size_t *pages,
                              char *why, size_t size);

#endif /* GW_PDF_MODULE_H */
