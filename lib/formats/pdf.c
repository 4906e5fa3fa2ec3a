/*
 * pdf.c — PDFs read through the PDF module (libgongwen-pdf.so, built from
 * pdf_poppler.c), which is loaded when the first PDF is read: a process
 * that reads none never maps poppler and its libraries (pdf_module.h).
 *
 * The module is found beside the code of libgongwen: in the folder
 * GW_PDF_MODULE_DIR next to libgongwen.so, both in the build tree and once
 * installed.  When libgongwen is linked into the program (the static
 * library), it is found from the program's folder, as installed (bin/ →
 * lib/gongwen) and as built (bin/ → lib/gongwen in the build tree), and at
 * last in the installed folder itself.  Nothing is cached: dlopen finds a
 * module it has loaded already by its path, and RTLD_NODELETE keeps it
 * (glib's type system cannot be unloaded).
 */
#define _GNU_SOURCE /* dl_iterate_phdr */
#include <dlfcn.h>
#include <link.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats.h"
#include "gw_pdf_paths.h"
#include "pdf_module.h"

#define POPPLER_PACKAGE "libpoppler-glib8"

typedef struct object_search {
  uintptr_t address;
  int visited;      /* objects seen before the one holding address */
  int found;
  char path[PATH_MAX]; /* that object's file ("" for the program) */
} object_search;

static int find_object(struct dl_phdr_info *info, size_t size, void *data) {
  object_search *s = data;
  (void)size;
  for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    uintptr_t start = (uintptr_t)info->dlpi_addr + ph->p_vaddr;
    if (ph->p_type == PT_LOAD && s->address >= start &&
        s->address - start < ph->p_memsz) {
      s->found = 1;
      /* the first object is the program itself, whatever its name */
      const char *name = s->visited == 0 ? NULL : info->dlpi_name;
      size_t len = name ? strlen(name) : 0;
      if (len >= sizeof s->path) len = 0; /* cannot be told: as a program */
      if (len) memcpy(s->path, name, len);
      s->path[len] = '\0';
      return 1;
    }
  }
  s->visited++;
  return 0;
}

static void folder_of(char *path) {
  char *slash = strrchr(path, '/');
  if (slash)
    *slash = '\0';
  else
    strcpy(path, ".");
}

/* paths[*n] = folder/middle/module file, unless it would not fit. */
static void add_candidate(char paths[][PATH_MAX], int *n, const char *folder,
                          const char *middle) {
  int len = snprintf(paths[*n], PATH_MAX, "%s/%s/%s", folder, middle,
                     GW_PDF_MODULE_FILE);
  if (len > 0 && len < PATH_MAX) (*n)++;
}

/* The module's candidate paths, in order, into paths[] (PATH_MAX each, at
 * most 4); returns how many. */
static int module_candidates(char paths[][PATH_MAX]) {
  object_search s;
  memset(&s, 0, sizeof s);
  s.address = (uintptr_t)&gw_read_pdf;
  dl_iterate_phdr(find_object, &s);
  int n = 0;
  if (s.found && s.path[0]) { /* the shared library */
    folder_of(s.path);
    add_candidate(paths, &n, s.path, GW_PDF_MODULE_DIR);
    return n;
  }
  char program[PATH_MAX];
  ssize_t len = readlink("/proc/self/exe", program, sizeof program - 1);
  if (len > 0) {
    program[len] = '\0';
    folder_of(program);
    add_candidate(paths, &n, program, GW_PDF_MODULE_FROM_BINDIR);
    add_candidate(paths, &n, program, "../lib/" GW_PDF_MODULE_DIR);
  }
  add_candidate(paths, &n, GW_PDF_MODULE_INSTALLED, ".");
  return n;
}

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
  void *handle = dlopen(module, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
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
  char paths[4][PATH_MAX];
  int n = module_candidates(paths);
  for (int i = 0; i < n; i++)
    if (access(paths[i], F_OK) == 0)
      return gw_read_pdf_with_module(paths[i], data, len, name, out, pages,
                                     err);
  return gw_fail(err, GW_ENOTFOUND,
                 "%s: cannot read PDFs: gongwen's PDF module is not "
                 "installed (no %s)", name,
                 n > 0 ? paths[0] : GW_PDF_MODULE_FILE);
}
