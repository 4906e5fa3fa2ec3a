/*
 * docs.c — .docx, OFD and web pages read through the document module
 * (libgongwen-docs.so, docs_module.h), loaded when the first of them is
 * read: a process that reads none never maps libzip, libxml2, ISA-L and
 * the libraries behind them.
 *
 * The module is found beside the code of libgongwen (module.h).  Nothing is
 * cached: dlopen finds a module it has loaded already by its path, and
 * RTLD_NODELETE keeps it (libxml2 is set up once per process and must not
 * be unloaded after).
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "docs_module.h"
#include "gongwen_version.h"
#include "module.h"

/* What a kind of document is called in the messages. */
static const char *documents_of(gw_docs_kind kind) {
  return kind == GW_DOCS_HTML ? "web pages" : "Word and OFD documents";
}

/* Whether dlopen's message is about a library the module needs rather
 * than the module itself (whose own faults it names by the module's path):
 * then the Debian packages of its libraries are named. */
static int names_a_dependency(const char *why, const char *module) {
  return strncmp(why, module, strlen(module)) != 0;
}

int gw_read_docs_with_module(const char *module, const gw_docs_request *r) {
  const char *what = documents_of(r->kind);
  /* RTLD_LAZY: each library binds as it did when libgongwen linked them
   * (eagerly where it asks to, as libxml2 and libstdc++ do); RTLD_NOW
   * bound every symbol of libzip, ICU and libcrypto too, 1.9 M more
   * instructions (a fifth more) for the first document. */
  void *handle = dlopen(module, RTLD_LAZY | RTLD_LOCAL | RTLD_NODELETE);
  if (!handle) {
    const char *why = dlerror();
    if (gw_module_out_of_memory(why))
      return gw_fail(r->err, GW_ENOMEM, "%s: out of memory", r->name);
    if (names_a_dependency(why, module))
      return gw_fail(r->err, GW_ENOTFOUND,
                     "%s: cannot read %s: the document module cannot be "
                     "loaded (%s); it needs libzip, libxml2 and ISA-L: "
                     "install the Debian packages 'libzip4', 'libxml2' and "
                     "'libisal2'", r->name, what, why);
    return gw_fail(r->err, GW_ENOTFOUND,
                   "%s: cannot read %s: the document module cannot be "
                   "loaded (%s)", r->name, what, why);
  }
  gw_docs_read_fn read_docs =
      (gw_docs_read_fn)dlsym(handle, GW_DOCS_MODULE_ENTRY);
  int rc;
  if (!read_docs)
    rc = gw_fail(r->err, GW_ENOTFOUND,
                 "%s: cannot read %s: %s is not gongwen's document module",
                 r->name, what, module);
  else if ((rc = read_docs(GW_DOCS_MODULE_ABI, GW_VERSION_STRING, r)) > 0)
    rc = gw_fail(r->err, GW_ENOTFOUND,
                 "%s: cannot read %s: %s is the document module of another "
                 "build of gongwen", r->name, what, module);
  dlclose(handle); /* the module stays (RTLD_NODELETE) */
  return rc;
}

#ifdef GW_DOCS_LINKED
int gw_read_docs(const gw_docs_request *r) {
  return gw_docs_module_read(GW_DOCS_MODULE_ABI, GW_VERSION_STRING, r);
}
#else
int gw_read_docs(const gw_docs_request *r) {
  char path[PATH_MAX];
  if (gw_module_find((uintptr_t)&gw_read_docs, GW_DOCS_MODULE_FILE, path) >= 0)
    return gw_read_docs_with_module(path, r);
  return gw_fail(r->err, GW_ENOTFOUND,
                 "%s: cannot read %s: gongwen's document module is not "
                 "installed (no %s)", r->name, documents_of(r->kind), path);
}
#endif
