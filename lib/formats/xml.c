/*
 * xml.c — libxml2 set up for untrusted parts: no network, no external
 * entities or DTDs, entities left unexpanded, errors collected for the
 * caller's message instead of printed.  Two ways in: the streaming reader
 * (small parts, OFD) and a SAX2 push parser fed chunk by chunk (the .docx
 * parts, where the reader's node copies cost a third of the parse).
 */
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"

struct gw_xml {
  xmlTextReaderPtr reader;
  char error[160];
  int out_of_memory;
  gw_xml_source source; /* where a streamed part comes from, or all NULL */
};

/* The first error, as "line N: why"; running out of memory is noted apart
 * (it is not the part's fault). */
static void note_error(char *error, size_t size, int *out_of_memory,
                       const xmlError *e) {
  if (!e || e->level < XML_ERR_ERROR) return;
  if (e->code == XML_ERR_NO_MEMORY) *out_of_memory = 1;
  if (error[0]) return;
  const char *m = e->message ? e->message : "malformed XML";
  size_t n = strlen(m);
  while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' ')) n--;
  snprintf(error, size, "line %d: %.*s", e->line, (int)n, m);
}

static void collect_error(void *arg, xmlErrorPtr e) {
  struct gw_xml *x = arg;
  note_error(x->error, sizeof x->error, &x->out_of_memory, e);
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

/* Before xmlInitParser: when it runs out of memory it reports through
 * these handlers, and libxml2 keeps a handler set before it. */
void gw_xml_quiet_begin(gw_xml_quiet *saved) {
  saved->generic = xmlGenericError;
  saved->generic_context = xmlGenericErrorContext;
  saved->structured = xmlStructuredError;
  saved->structured_context = xmlStructuredErrorContext;
  xmlSetGenericErrorFunc(NULL, ignore_error);
  xmlSetStructuredErrorFunc(NULL, ignore_structured);
  xmlInitParser();
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
  if (x->out_of_memory) return -1;
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

int gw_xml_reader_out_of_memory(gw_xml_reader x) { return x->out_of_memory; }

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
      if (!value) x->out_of_memory = 1;
      break;
    }
  } while (xmlTextReaderMoveToNextAttribute(x->reader) == 1);
  xmlTextReaderMoveToElement(x->reader);
  return value;
}

/* ------------------------------------------------------------------ */
/* SAX2 push parsing                                                   */
/* ------------------------------------------------------------------ */

struct gw_xml_push {
  xmlParserCtxtPtr ctxt;
  const gw_xml_events *events;
  void *user;
  gw_xml_runs *runs; /* text runs parsed here, not by libxml2; or NULL */
  int stopped;    /* by a handler, not an error */
  int empty_open; /* the last event was an empty element's start */
  int out_of_memory;
  char error[160];
};

static void push_start(void *arg, const xmlChar *local, const xmlChar *prefix,
                       const xmlChar *uri, int namespace_count,
                       const xmlChar **namespaces, int attribute_count,
                       int defaulted, const xmlChar **attributes) {
  (void)prefix;
  (void)namespace_count;
  (void)namespaces;
  (void)defaulted;
  gw_xml_push *p = arg;
  /* libxml2 calls this with the input just past the tag's name and
   * attributes: "/>" there makes it an empty element, which the handlers
   * treat as the reader did (no separate end tag). */
  const xmlChar *cur = p->ctxt->input ? p->ctxt->input->cur : NULL;
  gw_xml_element e = {(const char *)local, uri ? (const char *)uri : "",
                      cur && cur[0] == '/' && cur[1] == '>', attribute_count,
                      (const char *const *)attributes, &p->out_of_memory};
  p->empty_open = e.empty;
  int stop = p->events->start(p->user, &e) != 0;
  if ((stop || p->out_of_memory) && !p->stopped) {
    p->stopped = 1;
    xmlStopParser(p->ctxt);
  }
}

static void push_end(void *arg, const xmlChar *local, const xmlChar *prefix,
                     const xmlChar *uri) {
  (void)prefix;
  gw_xml_push *p = arg;
  /* An empty element's end comes straight after its start. */
  int empty = p->empty_open;
  p->empty_open = 0;
  p->events->end(p->user, (const char *)local, uri ? (const char *)uri : "",
                 empty);
}

static void push_text(void *arg, const xmlChar *text, int len) {
  gw_xml_push *p = arg;
  p->empty_open = 0;
  if (len > 0) p->events->text(p->user, (const char *)text, (size_t)len);
}

/* A run xml_runs.c took out, where it stood (another processing
 * instruction, met when none is waiting, is ignored as before). */
static void push_pi(void *arg, const xmlChar *target, const xmlChar *data) {
  (void)data;
  gw_xml_push *p = arg;
  const char *text;
  size_t len;
  int plain;
  if (!p->runs || strcmp((const char *)target, GW_XML_RUN_TARGET) != 0 ||
      !gw_xml_runs_next(p->runs, &text, &len, &plain))
    return;
  if (plain && p->events->plain_text) {
    p->empty_open = 0;
    p->events->plain_text(p->user, text, len);
  } else {
    push_text(arg, (const xmlChar *)text, (int)len);
  }
}

static void push_error(void *arg, xmlErrorPtr e) {
  gw_xml_push *p = arg;
  note_error(p->error, sizeof p->error, &p->out_of_memory, e);
}

gw_xml_push *gw_xml_push_new(const gw_xml_events *events, void *user,
                             const char *part) {
  gw_xml_push *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->events = events;
  p->user = user;
  /* Only these callbacks: no entity or DTD handlers, so a DTD is parsed
   * but nothing in it is kept or loaded, and a reference to an entity it
   * declares is an error, never expanded. */
  xmlSAXHandler sax;
  memset(&sax, 0, sizeof sax);
  sax.initialized = XML_SAX2_MAGIC;
  sax.startElementNs = push_start;
  sax.endElementNs = push_end;
  sax.characters = push_text;
  sax.cdataBlock = push_text;
  sax.ignorableWhitespace = push_text;
  sax.processingInstruction = push_pi;
  sax.serror = push_error; /* this parser's errors, never printed */
  p->runs = gw_xml_runs_new();
  p->ctxt = p->runs ? xmlCreatePushParserCtxt(&sax, p, NULL, 0, part) : NULL;
  if (!p->ctxt) {
    gw_xml_runs_free(p->runs);
    free(p);
    return NULL;
  }
  xmlCtxtUseOptions(p->ctxt,
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  return p;
}

int gw_xml_push_feed(gw_xml_push *p, const char *data, size_t len, int last) {
  if (len > INT32_MAX) return -1;
  /* libxml2 2.9 reports some allocation failures with no parser attached
   * (xmlStrndup of a name, an attribute value): on this thread's handler,
   * pointed at this parser while it parses, so that out of memory is not
   * taken for malformed XML. */
  xmlStructuredErrorFunc saved = xmlStructuredError;
  void *saved_context = xmlStructuredErrorContext;
  if (p->runs && gw_xml_runs_filter(p->runs, data, len, last, &data, &len) < 0)
    p->out_of_memory = 1;
  if (p->out_of_memory) return -1;
  xmlSetStructuredErrorFunc(p, push_error);
  int rc = xmlParseChunk(p->ctxt, data, (int)len, last);
  xmlSetStructuredErrorFunc(saved_context, saved);
  if (p->out_of_memory) return -1;
  if (p->stopped) return 1;
  if (rc != 0 || !p->ctxt->wellFormed) {
    if (!p->error[0]) snprintf(p->error, sizeof p->error, "malformed XML");
    return -1;
  }
  return 0;
}

const char *gw_xml_push_error(const gw_xml_push *p) {
  return p->error[0] ? p->error : "malformed XML";
}

int gw_xml_push_out_of_memory(const gw_xml_push *p) { return p->out_of_memory; }

void gw_xml_push_free(gw_xml_push *p) {
  if (!p) return;
  /* Even in SAX mode libxml2 keeps a DTD's entity declarations in a
   * document of its own ("for expat compatibility"), left to the caller. */
  if (p->ctxt->myDoc) xmlFreeDoc(p->ctxt->myDoc);
  p->ctxt->myDoc = NULL;
  xmlFreeParserCtxt(p->ctxt);
  gw_xml_runs_free(p->runs);
  free(p);
}

void gw_xml_push_parse_all_text(gw_xml_push *p) {
  gw_xml_runs_free(p->runs);
  p->runs = NULL;
}

/* SAX2 gives each attribute as local name, prefix, URI, value, value end. */
static int attr_find(const gw_xml_element *e, const char *local,
                     const char **value, size_t *len) {
  for (int i = 0; i < e->attribute_count; i++) {
    const char *const *a = e->attributes + 5 * i;
    if (strcmp(a[0], local) == 0) {
      *value = a[3];
      *len = (size_t)(a[4] - a[3]);
      return 1;
    }
  }
  return 0;
}

char *gw_xml_element_attr(const gw_xml_element *e, const char *local) {
  const char *v;
  size_t n;
  if (!attr_find(e, local, &v, &n)) return NULL;
  char *out = malloc(n + 1);
  if (!out) {
    if (e->out_of_memory) *e->out_of_memory = 1;
    return NULL;
  }
  /* Without entity substitution libxml2 hands '&' on as "&#38;" (to be
   * decoded when a tree is built): decoded here, as the reader did. */
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    out[o++] = v[i];
    if (v[i] == '&' && n - i >= 5 && memcmp(v + i, "&#38;", 5) == 0) i += 4;
  }
  out[o] = '\0';
  return out;
}

int gw_xml_element_int(const gw_xml_element *e, const char *local,
                       int fallback) {
  const char *v;
  size_t n;
  if (!attr_find(e, local, &v, &n) || n == 0) return fallback;
  char digits[32];
  if (n >= sizeof digits) n = sizeof digits - 1;
  memcpy(digits, v, n);
  digits[n] = '\0';
  return atoi(digits);
}

int gw_xml_element_has(const gw_xml_element *e, const char *local,
                       const char *value) {
  const char *v;
  size_t n;
  return attr_find(e, local, &v, &n) && strlen(value) == n &&
         memcmp(v, value, n) == 0;
}
