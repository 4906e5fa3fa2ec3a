/*
 * docs_module.c — the document module (libgongwen-docs.so): .docx, OFD and
 * web pages through libzip, libxml2 and ISA-L, loaded by docs.c only when
 * such a document is read (docs_module.h says why).
 */
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

int gw_docs_module_read(int abi, const char *version,
                        const gw_docs_request *r) {
  if (abi != GW_DOCS_MODULE_ABI || !version ||
      strcmp(version, GW_VERSION_STRING) != 0)
    return GW_DOCS_READ_ABI;
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
