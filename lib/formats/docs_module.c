/*
 * docs_module.c — the document module (libgongwen-docs.so): .docx, OFD and
 * web pages through libzip, libxml2 and ISA-L, loaded by docs.c only when
 * such a document is read (docs_module.h says why).
 */
#include <pthread.h>
#include <string.h>

#include "docs_module.h"
#include "gongwen_version.h"

/* A ZIP: a Word document when its package relationships or content types
 * are there, an OFD when it holds OFD.xml; OpenDocument and other archives
 * refused by name. */
static int read_zip(const gw_docs_request *r) {
  gw_zip *zip;
  int rc = gw_zip_open(&zip, r->data, r->len, r->name, r->limits, r->err);
  if (rc < 0) return rc;
  if (gw_zip_has(zip, "_rels/.rels") || gw_zip_has(zip, "[Content_Types].xml")) {
    *r->format = GW_FORMAT_DOCX;
    rc = gw_read_docx(zip, r->name, r->out, r->err);
  } else if (gw_zip_has(zip, "OFD.xml")) {
    *r->format = GW_FORMAT_OFD;
    rc = gw_read_ofd(zip, r->name, r->out, r->pages, r->err);
  } else if (gw_zip_has(zip, "mimetype") && gw_zip_has(zip, "content.xml")) {
    rc = gw_fail(r->err, GW_EUNSUPPORTED,
                 "%s: an OpenDocument file, which is not read (save it as "
                 ".docx)", r->name);
  } else {
    rc = gw_fail(r->err, GW_EUNSUPPORTED,
                 "%s: a ZIP archive holding no Word or OFD document", r->name);
  }
  gw_zip_close(zip);
  return rc;
}

/* libxml2 set up once per process, before the first document on any
 * thread.  Left to each reading thread's first gw_xml_quiet_begin, libxml2
 * 2.9's xmlInitParser on one thread raced with another thread's first use
 * of its per-thread state (ThreadSanitizer: xmlInitializeGlobalState
 * reading the mutex xmlInitGlobals was making) when several threads read
 * the first documents of a folder at once.  A constructor would run under
 * the loader's lock, which orders it as well but which ThreadSanitizer
 * cannot see; the once flag is the module's only state, and like the
 * module it stays for the process. */
static pthread_once_t libxml2_once = PTHREAD_ONCE_INIT;

static void set_up_libxml2(void) {
  gw_xml_quiet quiet;
  gw_xml_quiet_begin(&quiet); /* xmlInitParser, its reports silenced */
  gw_xml_quiet_end(&quiet);
}

int gw_docs_module_read(int abi, const char *version,
                        const gw_docs_request *r) {
  if (abi != GW_DOCS_MODULE_ABI || !version ||
      strcmp(version, GW_VERSION_STRING) != 0)
    return GW_DOCS_READ_ABI;
  pthread_once(&libxml2_once, set_up_libxml2);
  /* libxml2's own reports silenced for this thread, around the reading
   * only (formats.h, gw_xml_quiet). */
  gw_xml_quiet quiet;
  gw_xml_quiet_begin(&quiet);
  int rc = r->kind == GW_DOCS_HTML
               ? gw_read_html(r->data, r->len, r->name, r->out, r->err)
               : read_zip(r);
  gw_xml_quiet_end(&quiet);
  return rc;
}
