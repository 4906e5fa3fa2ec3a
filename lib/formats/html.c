/*
 * html.c — saved web pages, through libxml2's HTML parser with recovery
 * (the pages people save are rarely valid), no network, errors silenced.
 *
 * The text is the page's main content: the first <main>, else the <article>
 * with the most text, else <body>; scripts, styles, navigation, headers,
 * footers, asides, forms and hidden templates are left out.  Block elements
 * and <br> end a paragraph; h1-h6 give heading levels.  The page is decoded
 * to UTF-8 first, by gongwen's own decoder, following its charset (a <meta>
 * or the XML declaration; GB2312/GBK pages are common) or detecting it, so
 * a bad byte becomes U+FFFD instead of ending libxml2's conversion.
 */
#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "formats.h"
#include "stages.h"

typedef struct html_state {
  gw_text_builder *out;
  size_t blocks; /* block elements seen, for gw_extract_paragraph.source */
  int heading;   /* level of the open h1-h6, or 0 */
} html_state;

static int name_in(const xmlChar *name, const char *const *list, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (strcasecmp((const char *)name, list[i]) == 0) return 1;
  return 0;
}

static int left_out(const xmlNode *node) {
  static const char *const names[] = {
      "script", "style", "noscript", "nav", "header", "footer", "aside",
      "form", "template", "iframe", "svg", "head", "select", "button",
      "object", "embed", "canvas", "audio", "video", "map"};
  return name_in(node->name, names, sizeof names / sizeof names[0]);
}

static int is_block(const xmlNode *node) {
  static const char *const names[] = {
      "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
      "dl", "dt", "dd", "table", "tr", "td", "th", "caption", "section",
      "article", "main", "blockquote", "pre", "address", "center",
      "figure", "figcaption", "hr", "br", "body", "html", "title", "tbody",
      "thead", "tfoot", "details", "summary", "fieldset", "legend"};
  return name_in(node->name, names, sizeof names / sizeof names[0]);
}

static int heading_of(const xmlNode *node) {
  const char *n = (const char *)node->name;
  if ((n[0] == 'h' || n[0] == 'H') && n[1] >= '1' && n[1] <= '6' && !n[2])
    return n[1] - '0';
  return 0;
}

static gw_extract_part part_of(const xmlNode *node) {
  const char *n = (const char *)node->name;
  return strcasecmp(n, "td") == 0 || strcasecmp(n, "th") == 0 ? GW_PART_TABLE
                                                              : GW_PART_BODY;
}

static void end_block(html_state *s, gw_extract_part part) {
  gw_tb_end_paragraph(s->out, part, s->heading, 0, s->blocks);
}

static void walk(html_state *s, const xmlNode *node, int depth) {
  for (; node; node = node->next) {
    if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
      const char *t = (const char *)node->content;
      if (t) gw_tb_append(s->out, t, strlen(t));
      continue;
    }
    if (node->type != XML_ELEMENT_NODE || left_out(node)) continue;
    if (depth > 256) continue; /* pathological nesting: the text so far */
    int block = is_block(node);
    if (block) {
      end_block(s, GW_PART_BODY);
      s->blocks++;
    }
    int outer_heading = s->heading;
    if (heading_of(node)) s->heading = heading_of(node);
    walk(s, node->children, depth + 1);
    if (block) end_block(s, part_of(node));
    s->heading = outer_heading;
  }
}

/* Characters of text under a node, to pick the main article. */
static size_t text_size(const xmlNode *node, int depth) {
  size_t n = 0;
  for (; node && depth < 256; node = node->next) {
    if (node->type == XML_TEXT_NODE && node->content)
      n += strlen((const char *)node->content);
    else if (node->type == XML_ELEMENT_NODE && !left_out(node))
      n += text_size(node->children, depth + 1);
  }
  return n;
}

typedef struct candidates {
  const xmlNode *main, *article, *body;
  size_t article_size;
} candidates;

static void find_content(const xmlNode *node, candidates *c, int depth) {
  for (; node && depth < 256; node = node->next) {
    if (node->type != XML_ELEMENT_NODE || left_out(node)) continue;
    const char *n = (const char *)node->name;
    if (!c->main && strcasecmp(n, "main") == 0) c->main = node;
    if (!c->body && strcasecmp(n, "body") == 0) c->body = node;
    if (strcasecmp(n, "article") == 0) {
      size_t size = text_size(node->children, depth + 1);
      if (size > c->article_size) {
        c->article = node;
        c->article_size = size;
      }
    }
    find_content(node->children, c, depth + 1);
  }
}

/* The charset the page declares in its first bytes, as a gw_encoding. */
static gw_encoding declared_charset(const unsigned char *d, size_t n) {
  static const char *const keys[] = {"charset=", "encoding="};
  if (n > 4096) n = 4096;
  for (size_t k = 0; k < 2; k++) {
    size_t m = strlen(keys[k]);
    for (size_t i = 0; i + m < n; i++) {
      if (strncasecmp((const char *)d + i, keys[k], m) != 0) continue;
      size_t v = i + m;
      while (v < n && (d[v] == '"' || d[v] == '\'' || d[v] == ' ')) v++;
      char name[16];
      size_t len = 0;
      while (v + len < n && len + 1 < sizeof name &&
             (d[v + len] == '-' || d[v + len] == '_' ||
              (d[v + len] >= '0' && d[v + len] <= '9') ||
              ((d[v + len] | 0x20) >= 'a' && (d[v + len] | 0x20) <= 'z'))) {
        name[len] = (char)d[v + len];
        len++;
      }
      name[len] = '\0';
      static const char *const gb[] = {"gb2312", "gbk", "gb18030", "x-gbk",
                                       "cp936", "euc-cn", "hz-gb-2312"};
      for (size_t g = 0; g < sizeof gb / sizeof gb[0]; g++)
        if (strcasecmp(name, gb[g]) == 0) return GW_ENCODING_GB18030;
      if (strcasecmp(name, "utf-8") == 0 || strcasecmp(name, "utf8") == 0)
        return GW_ENCODING_UTF8;
      return GW_ENCODING_AUTO;
    }
  }
  return GW_ENCODING_AUTO;
}

/* Out of memory inside libxml2 2.9's HTML parser.  Where the parser notices
 * itself (htmlErrMemory) it sets instate XML_PARSER_EOF and goes on; where
 * a helper runs out instead (xmlStrdup of the current element's name) the
 * failure is reported with no parser attached and the parser goes on as if
 * nothing happened.  Either way some of its loops never end: the content
 * loop retries the failed copy without moving on, and the loops that skip
 * to the next '>' or blank stop only at a NUL, while xmlNextChar no longer
 * moves once the state is EOF.  Every such report reaches this thread's
 * structured handler (the HTML parser's SAX handler has no serror), so the
 * handler, installed for the parse only, stops the parser: state EOF, SAX
 * off, and the cursor on the input's terminating NUL, where every loop
 * ends.  Not xmlStopParser: it frees the input under the functions still
 * reading it.  The buffer itself is left alone. */
typedef struct html_guard {
  htmlParserCtxtPtr parser;
  int out_of_memory;
} html_guard;

static void stop_when_out_of_memory(void *arg, xmlErrorPtr e) {
  html_guard *g = arg;
  if (!e || e->code != XML_ERR_NO_MEMORY) return;
  g->out_of_memory = 1;
  htmlParserCtxtPtr p = g->parser;
  p->instate = XML_PARSER_EOF;
  p->disableSAX = 1;
  if (p->input && p->input->end) p->input->cur = p->input->end;
}

/* Parse a NUL-terminated UTF-8 page of len bytes.  The input is a plain
 * string with no input buffer behind it and no encoding named (UTF-8 is
 * the HTML parser's own): libxml2 2.9 then never grows, shrinks or
 * converts it, which it cannot do safely out of memory (a failed grow
 * leaves the cursor pointing at nothing), and no converter copies it. */
static htmlDocPtr parse_string(html_guard *guard, const char *text,
                               size_t len) {
  xmlParserInputPtr input =
      xmlNewStringInputStream(guard->parser, (const xmlChar *)text);
  if (!input) return NULL;
  input->length = (int)len;
  input->end = (const xmlChar *)text + len; /* past any NUL inside */
  if (inputPush(guard->parser, input) < 0) {
    xmlFreeInputStream(input);
    return NULL;
  }
  htmlCtxtUseOptions(guard->parser,
                     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                         HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                         HTML_PARSE_NOIMPLIED | HTML_PARSE_IGNORE_ENC);
  htmlParseDocument(guard->parser);
  htmlDocPtr doc = guard->parser->myDoc;
  guard->parser->myDoc = NULL;
  return doc;
}

/* The page's tree in *doc, or a GW_E* code with err filled. */
static int parse_page(htmlDocPtr *doc, const gw_decoded *page,
                      const char *name, gw_error *err) {
  *doc = NULL;
  char *copy = NULL; /* the page's text when the decoder lent the input */
  const char *text = page->owned;
  if (!text) {
    copy = malloc(page->len + 1);
    if (!copy) return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
    memcpy(copy, page->text, page->len);
    copy[page->len] = '\0';
    text = copy;
  }
  html_guard guard = {htmlNewParserCtxt(), 0};
  htmlDocPtr parsed = NULL;
  if (guard.parser) {
    xmlStructuredErrorFunc saved = xmlStructuredError;
    void *saved_context = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(&guard, stop_when_out_of_memory);
    parsed = parse_string(&guard, text, page->len);
    xmlSetStructuredErrorFunc(saved_context, saved);
    if (guard.parser->errNo == XML_ERR_NO_MEMORY) guard.out_of_memory = 1;
    htmlFreeParserCtxt(guard.parser);
  }
  free(copy);
  if (!guard.parser || guard.out_of_memory) {
    xmlFreeDoc(parsed);
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
  }
  if (!parsed)
    return gw_fail(err, GW_EDAMAGED, "%s: a web page that cannot be parsed",
                   name);
  *doc = parsed;
  return GW_OK;
}

int gw_read_html(const unsigned char *data, size_t len, const char *name,
                 gw_text_builder *out, gw_error *err) {
  gw_decoded page;
  memset(&page, 0, sizeof page);
  int rc = gw_decode(data, len, name, declared_charset(data, len), 1, &page,
                     err);
  if (rc < 0) return rc;
  if (page.len > INT32_MAX) {
    gw_decoded_free(&page);
    return gw_fail(err, GW_ETOOBIG, "%s: web page too large", name);
  }
  htmlDocPtr doc;
  rc = parse_page(&doc, &page, name, err);
  gw_decoded_free(&page);
  if (rc < 0) return rc;
  candidates c = {NULL, NULL, NULL, 0};
  const xmlNode *root = xmlDocGetRootElement(doc);
  find_content(root, &c, 0);
  const xmlNode *content = c.main ? c.main : c.article ? c.article : c.body;
  html_state s = {out, 0, 0};
  if (content)
    walk(&s, content->children, 0);
  else
    walk(&s, root, 0); /* a fragment with no <body> */
  end_block(&s, GW_PART_BODY);
  xmlFreeDoc(doc);
  return GW_OK;
}
