/*
 * pdf.c — PDFs read through the PDF module (libgongwen-pdf.so, built from
 * pdf_poppler.c), which is loaded when the first PDF is read: a process
 * that reads none never maps poppler and its libraries (pdf_module.h).
 *
 * The module is found beside the code of libgongwen (module.h).  Nothing is
 * cached: dlopen finds a module it has loaded already by its path, and
 * RTLD_NODELETE keeps it (glib's type system cannot be unloaded).
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "module.h"
#include "pdf_module.h"

#define POPPLER_PACKAGE "libpoppler-glib8"

typedef struct line_collector {
  gw_layout *layout;
} line_collector;

static int collect_line(void *ctx, const gw_pdf_line *in) {
  line_collector *c = ctx;
  gw_layout_line line;
  memset(&line, 0, sizeof line);
  line.x1 = in->x1;
  line.y1 = in->y1;
  line.x2 = in->x2;
  line.y2 = in->y2;
  line.char_size = in->char_size;
  line.page = in->page;
  line.index = in->index;
  return gw_layout_add(c->layout, &line, in->text, in->len) == GW_OK
             ? GW_PDF_READ_OK
             : GW_PDF_READ_NOMEM;
}

static int module_failed(int status, const char *why, const char *module,
                         const char *name, gw_error *err) {
  switch (status) {
  case GW_PDF_READ_NOMEM:
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
  case GW_PDF_READ_ENCRYPTED:
    return gw_fail(err, GW_EENCRYPTED, "%s: password-protected PDF", name);
  case GW_PDF_READ_DAMAGED:
    return gw_fail(err, GW_EDAMAGED, "%s: damaged PDF (%s)", name,
                   why[0] ? why : "cannot be opened");
  default:
    return gw_fail(err, GW_ENOTFOUND,
                   "%s: cannot read PDFs: %s is the PDF module of another "
                   "build of gongwen", name, module);
  }
}

int gw_read_pdf_with_module(const char *module, const unsigned char *data,
                            size_t len, const char *name,
                            gw_text_builder *out, size_t *pages,
                            gw_error *err) {
  /* RTLD_LAZY: each library binds as it would linked into the program
   * (eagerly where it asks to); RTLD_NOW bound every symbol of poppler's
   * libraries, 3.8 M more instructions (7 %) for the first PDF. */
  void *handle = dlopen(module, RTLD_LAZY | RTLD_LOCAL | RTLD_NODELETE);
  if (!handle) {
    const char *why = dlerror();
    if (!why) why = module;
    if (strstr(why, "poppler"))
      return gw_fail(err, GW_ENOTFOUND,
                     "%s: cannot read PDFs: the PDF module cannot be loaded "
                     "(%s); it needs poppler-glib: install the Debian "
                     "package '%s'", name, why, POPPLER_PACKAGE);
    return gw_fail(err, GW_ENOTFOUND,
                   "%s: cannot read PDFs: the PDF module cannot be loaded "
                   "(%s)", name, why);
  }
  gw_pdf_read_fn read_pdf = (gw_pdf_read_fn)dlsym(handle, GW_PDF_MODULE_ENTRY);
  if (!read_pdf) {
    dlclose(handle);
    return gw_fail(err, GW_ENOTFOUND,
                   "%s: cannot read PDFs: %s is not gongwen's PDF module",
                   name, module);
  }
  gw_layout layout;
  memset(&layout, 0, sizeof layout);
  line_collector collector = {&layout};
  char why[256];
  size_t n = 0;
  int status = read_pdf(GW_PDF_MODULE_ABI, data, len, collect_line, &collector,
                    &n, why, sizeof why);
  dlclose(handle); /* the module stays (RTLD_NODELETE) */
  int rc = GW_OK;
  if (status != GW_PDF_READ_OK) {
    rc = module_failed(status, why, module, name, err);
  } else {
    *pages = n;
    layout.pages = n;
    if (layout.count == 0)
      rc = gw_fail(err, GW_ENOTEXT,
                   "%s: a PDF with no text layer (%zu page%s of images: a "
                   "scan?); it needs OCR", name, n, n == 1 ? "" : "s");
    if (rc == GW_OK) rc = gw_layout_paragraphs(&layout, out);
    if (rc == GW_ENOMEM) rc = gw_fail(err, rc, "%s: out of memory", name);
  }
  gw_layout_free(&layout);
  return rc;
}

int gw_read_pdf(const unsigned char *data, size_t len, const char *name,
                gw_text_builder *out, size_t *pages, gw_error *err) {
  char path[PATH_MAX];
  if (gw_module_find((uintptr_t)&gw_read_pdf, GW_PDF_MODULE_FILE, path) >= 0)
    return gw_read_pdf_with_module(path, data, len, name, out, pages, err);
  return gw_fail(err, GW_ENOTFOUND,
                 "%s: cannot read PDFs: gongwen's PDF module is not "
                 "installed (no %s)", name, path);
}
