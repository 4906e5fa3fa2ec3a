/*
 * docs_module.h — the interface between libgongwen and its document module.
 *
 * The readers of .docx, OFD and web pages need libzip, libxml2 and ISA-L,
 * and behind them ICU, OpenSSL's libcrypto, liblzma, libbz2, zlib and
 * libstdc++: loading and relocating them was 7.5 M of the 8.8 M
 * instructions of a one-line run of gw-seg, which reads no such document.
 * So those readers (zip.c, xml.c, xml_runs.c, docx.c, ofd.c, html.c) live
 * in a module of their own, libgongwen-docs.so (docs_module.c), which
 * docs.c loads with dlopen the first time such a document is read
 * (module.h says where it is found).
 *
 * The module is built from the same sources as libgongwen, with its own
 * hidden copy of the helpers the readers use (the text builder, layout,
 * list numbering, the decoder), and fills libgongwen's own structures:
 * a module of another build is refused by its ABI number and version.
 */
#ifndef GW_DOCS_MODULE_H
#define GW_DOCS_MODULE_H

#include "formats.h"

/* Bumped whenever anything below, or gw_text_builder, gw_extract_limits
 * or gw_error, changes. */
#define GW_DOCS_MODULE_ABI 1
#define GW_DOCS_MODULE_ENTRY "gw_docs_module_read"
#define GW_DOCS_MODULE_FILE "libgongwen-docs.so"

/* What the module is asked to read. */
typedef enum gw_docs_kind {
  GW_DOCS_ZIP = 1, /* a ZIP: .docx (Word, WPS), OFD, or refused by name */
  GW_DOCS_HTML = 2 /* a web page */
} gw_docs_kind;

typedef struct gw_docs_request {
  gw_docs_kind kind;
  const unsigned char *data; /* borrowed */
  size_t len;
  const char *name;
  const gw_extract_limits *limits;
  gw_text_builder *out; /* appended to; freed by libgongwen */
  gw_format *format;    /* set for a ZIP: GW_FORMAT_DOCX or GW_FORMAT_OFD */
  size_t *pages;        /* set for an OFD */
  gw_error *err;
} gw_docs_request;

/* A positive return: abi or version is not the module's. */
#define GW_DOCS_READ_ABI 1

/* The module's one exported function, looked up by GW_DOCS_MODULE_ENTRY:
 * GW_OK, a GW_E* code with request->err filled ("NAME: why", as the
 * readers always said it), or GW_DOCS_READ_ABI. */
typedef int (*gw_docs_read_fn)(int abi, const char *version,
                               const gw_docs_request *request);

/* The entry itself, docs_module.c: exported from the module alone. */
__attribute__((visibility("default"))) int
gw_docs_module_read(int abi, const char *version,
                    const gw_docs_request *request);

/* docs.c: the request read through the module at that path (the tests
 * name a missing one, or a library that is not the module), and through
 * the module found beside libgongwen. */
int gw_read_docs_with_module(const char *module,
                             const gw_docs_request *request);
int gw_read_docs(const gw_docs_request *request);
/* A copy of the library compiled with GW_DOCS_LINKED and the module's
 * sources in it (tests/fuzz's, whose coverage libFuzzer follows into the
 * readers) reads through that code instead: gw_read_docs loads nothing. */

#endif /* GW_DOCS_MODULE_H */
