/*
 * xml.c — libxml2's streaming reader, set up for untrusted parts: no
 * network, no external entities or DTDs, entities left unexpanded, errors
 * collected for the caller's message instead of printed.
 */
#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"

struct gw_xml {
  xmlTextReaderPtr reader;
  char error[160];
  gw_xml_source source; /* where a streamed part comes from, or all NULL */
};

static void collect_error(void *arg, xmlErrorPtr e) {
  struct gw_xml *x = arg;
  if (!e || x->error[0] || e->level < XML_ERR_ERROR) return;
  const char *m = e->message ? e->message : "malformed XML";
  size_t n = strlen(m);
  while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' ')) n--;
  snprintf(x->error, sizeof x->error, "line %d: %.*s", e->line, (int)n, m);
}

/* libxml2 reports some errors (encoding conversion, I/O) through its
 * per-thread generic handlers, which print to stderr by default. */
static void ignore_error(void *ctx, const char *msg, ...) {
  (void)ctx;
  (void)msg;
}

static void ignore_structured(void *ctx, xmlErrorPtr e) {
  (void)ctx;
  (void)e;
}

void gw_xml_quiet_begin(gw_xml_quiet *saved) {
  xmlInitParser();
  saved->generic = xmlGenericError;
  saved->generic_context = xmlGenericErrorContext;
  saved->structured = xmlStructuredError;
  saved->structured_context = xmlStructuredErrorContext;
  xmlSetGenericErrorFunc(NULL, ignore_error);
  xmlSetStructuredErrorFunc(NULL, ignore_structured);
}

void gw_xml_quiet_end(const gw_xml_quiet *saved) {
  xmlSetGenericErrorFunc(saved->generic_context, saved->generic);
  xmlSetStructuredErrorFunc(saved->structured_context, saved->structured);
}

gw_xml_reader gw_xml_reader_new(const char *data, size_t len,
                                const char *part) {
  if (len > INT32_MAX) return NULL;
  struct gw_xml *x = calloc(1, sizeof *x);
  if (!x) return NULL;
  xmlInitParser();
  x->reader = xmlReaderForMemory(data, (int)len, part, NULL,
                                 XML_PARSE_NONET | XML_PARSE_NOERROR |
                                     XML_PARSE_NOWARNING);
  if (!x->reader) {
    free(x);
    return NULL;
  }
  xmlTextReaderSetStructuredErrorHandler(x->reader, collect_error, x);
  return x;
}

gw_xml_reader gw_xml_reader_new_source(const gw_xml_source *source,
                                       const char *part) {
  struct gw_xml *x = calloc(1, sizeof *x);
  if (!x) {
    source->destroy(source->ctx);
    return NULL;
  }
  x->source = *source;
  xmlInitParser();
  /* No close callback: the source is this reader's, freed with it. */
  x->reader = xmlReaderForIO(source->read, NULL, source->ctx, part, NULL,
                             XML_PARSE_NONET | XML_PARSE_NOERROR |
                                 XML_PARSE_NOWARNING);
  if (!x->reader) {
    source->destroy(source->ctx);
    free(x);
    return NULL;
  }
  xmlTextReaderSetStructuredErrorHandler(x->reader, collect_error, x);
  return x;
}

const char *gw_xml_source_error(gw_xml_reader x) {
  return x->source.error ? x->source.error(x->source.ctx) : NULL;
}

int gw_xml_next(gw_xml_reader x) {
  int r = xmlTextReaderRead(x->reader);
  if (r < 0 && !x->error[0]) snprintf(x->error, sizeof x->error, "malformed XML");
  return r;
}

int gw_xml_skip(gw_xml_reader x) {
  int r = xmlTextReaderNext(x->reader);
  if (r < 0 && !x->error[0]) snprintf(x->error, sizeof x->error, "malformed XML");
  return r;
}

const char *gw_xml_reader_error(gw_xml_reader x) {
  return x->error[0] ? x->error : "malformed XML";
}

void gw_xml_reader_free(gw_xml_reader x) {
  if (!x) return;
  xmlFreeTextReader(x->reader);
  if (x->source.destroy) x->source.destroy(x->source.ctx);
  free(x);
}

int gw_xml_type(gw_xml_reader x) { return xmlTextReaderNodeType(x->reader); }
int gw_xml_empty(gw_xml_reader x) {
  return xmlTextReaderIsEmptyElement(x->reader) == 1;
}
int gw_xml_depth(gw_xml_reader x) { return xmlTextReaderDepth(x->reader); }

const char *gw_xml_name(gw_xml_reader x) {
  const xmlChar *n = xmlTextReaderConstLocalName(x->reader);
  return n ? (const char *)n : "";
}

const char *gw_xml_ns(gw_xml_reader x) {
  const xmlChar *n = xmlTextReaderConstNamespaceUri(x->reader);
  return n ? (const char *)n : "";
}

const char *gw_xml_value(gw_xml_reader x) {
  const xmlChar *v = xmlTextReaderConstValue(x->reader);
  return v ? (const char *)v : "";
}

char *gw_xml_attr(gw_xml_reader x, const char *local_name) {
  if (xmlTextReaderMoveToFirstAttribute(x->reader) != 1) return NULL;
  char *value = NULL;
  do {
    const xmlChar *n = xmlTextReaderConstLocalName(x->reader);
    if (n && strcmp((const char *)n, local_name) == 0) {
      const xmlChar *v = xmlTextReaderConstValue(x->reader);
      value = strdup(v ? (const char *)v : "");
      break;
    }
  } while (xmlTextReaderMoveToNextAttribute(x->reader) == 1);
  xmlTextReaderMoveToElement(x->reader);
  return value;
}
