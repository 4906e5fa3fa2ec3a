/* The SAX2 push parser with plain text runs taken out of libxml2's way
 * (xml_runs.c) against the same parser given every byte: the same events
 * (element starts with their attributes, ends, the text between them), the
 * same answer and the same error, for the XML parts of the fixtures fed in
 * chunks of many sizes, for hand-written edge cases, and for thousands of
 * mutations of a document.xml (bytes that end runs, break UTF-8, open
 * markup, at random places; cuts). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "harness.h"

/* ---- the events as one string ---- */

typedef struct trace {
  char *s;
  size_t len, cap;
  int in_text; /* the last event was text: the next text joins it */
} trace;

static void add(trace *t, const char *s, size_t n) {
  if (t->len + n + 1 > t->cap) {
    size_t cap = t->cap ? t->cap : 4096;
    while (cap < t->len + n + 1) cap *= 2;
    char *grown = realloc(t->s, cap);
    if (!grown) abort();
    t->s = grown;
    t->cap = cap;
  }
  memcpy(t->s + t->len, s, n);
  t->len += n;
  t->s[t->len] = '\0';
}

static void adds(trace *t, const char *s) { add(t, s, strlen(s)); }

static int on_start(void *user, const gw_xml_element *e) {
  trace *t = user;
  t->in_text = 0;
  adds(t, "\n<");
  adds(t, e->ns);
  adds(t, "|");
  adds(t, e->local);
  for (int i = 0; i < e->attribute_count; i++) {
    const char *const *a = e->attributes + 5 * i;
    adds(t, " ");
    adds(t, a[0]);
    adds(t, "=");
    add(t, a[3], (size_t)(a[4] - a[3]));
  }
  adds(t, e->empty ? "/>" : ">");
  return 0;
}

static void on_end(void *user, const char *local, const char *ns,
                   int empty) {
  trace *t = user;
  t->in_text = 0;
  adds(t, "\n</");
  adds(t, ns);
  adds(t, "|");
  adds(t, local);
  adds(t, empty ? " empty>" : ">");
}

static void on_text(void *user, const char *text, size_t len) {
  trace *t = user;
  if (!t->in_text) adds(t, "\nT:");
  t->in_text = 1;
  add(t, text, len);
}

/* Whether every character of a run is one the text builder copies as it
 * stands, decoded here on its own. */
static int all_plain(const char *text, size_t len) {
  const unsigned char *u = (const unsigned char *)text;
  for (size_t i = 0; i < len;) {
    int32_t cp;
    size_t k = gw_utf8_next(u + i, len - i, &cp);
    if (cp < 0 || !gw_tb_plain(cp)) return 0;
    i += k;
  }
  return 1;
}

static size_t plain_runs, plain_wrong;

/* A run flagged plain: the builder must copy it as it stands (after a
 * pending space), so gw_tb_append gives the same text. */
static void on_plain_text(void *user, const char *text, size_t len) {
  gw_text_builder appended = {0}, copied = {0};
  gw_tb_append(&appended, "x ", 2);
  gw_tb_append(&appended, text, len);
  gw_tb_append(&copied, "x ", 2);
  gw_tb_append_plain(&copied, text, len);
  if (!all_plain(text, len) || appended.len != copied.len ||
      memcmp(appended.text, copied.text, copied.len) != 0)
    plain_wrong++;
  plain_runs++;
  gw_tb_free(&appended);
  gw_tb_free(&copied);
  on_text(user, text, len);
}

static const gw_xml_events events = {on_start, on_end, on_text,
                                     on_plain_text};

/* Parse in chunks of `chunk` bytes; the trace ends with the answer, on a
 * line of its own (an error message's own line ends are made spaces). */
static trace parse(const char *xml, size_t len, size_t chunk, int runs) {
  trace t = {NULL, 0, 0, 0};
  adds(&t, "");
  gw_xml_push *p = gw_xml_push_new(&events, &t, "part.xml");
  if (!p) abort();
  if (!runs) gw_xml_push_parse_all_text(p);
  int r = 0;
  size_t at = 0;
  do {
    size_t n = len - at < chunk ? len - at : chunk;
    r = gw_xml_push_feed(p, xml + at, n, at + n == len);
    at += n;
  } while (r == 0 && at < len);
  if (r == 0 && len == 0) r = gw_xml_push_feed(p, xml, 0, 1);
  char end[256];
  snprintf(end, sizeof end, "\n= %d %s", r,
           r < 0 ? gw_xml_push_error(p) : "");
  for (char *c = end + 1; *c; c++)
    if (*c == '\n') *c = ' ';
  adds(&t, end);
  gw_xml_push_free(p);
  return t;
}

static size_t compared, differed, taken_out;

/* The same events and answer; for a part that fails, the same error only
 * (its events are thrown away with the part: how much text libxml2 hands
 * on before it finds the fault depends on where its buffers end). */
static int same(const trace *a, const trace *b) {
  const char *ea = strrchr(a->s, '\n'), *eb = strrchr(b->s, '\n');
  if (strcmp(ea, eb) != 0) return 0;
  if (strncmp(ea, "\n= -1 ", 6) == 0) return 1;
  return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

static int failed(const trace *t) {
  return strncmp(strrchr(t->s, '\n'), "\n= -1 ", 6) == 0;
}

static void compare(const char *xml, size_t len, size_t chunk,
                    const char *what) {
  trace a = parse(xml, len, chunk, 1), b = parse(xml, len, chunk, 0);
  compared++;
  if (!same(&a, &b) && chunk < 4093 && failed(&a) && failed(&b)) {
    /* libxml2 2.9's push parser names a fault near a chunk's end
     * differently by where the chunk ends (with every byte given to it,
     * too); with bytes taken out its chunks end elsewhere: the part whole
     * must then give the same error both ways */
    free(a.s);
    free(b.s);
    a = parse(xml, len, (size_t)1 << 30, 1);
    b = parse(xml, len, (size_t)1 << 30, 0);
  }
  if (!same(&a, &b)) {
    if (differed++ < 5) {
      fprintf(stderr, "%s, chunks of %zu: events differ\n--- runs out:%s\n"
                      "--- all parsed:%s\n", what, chunk,
              a.len > 2000 ? a.s + a.len - 2000 : a.s,
              b.len > 2000 ? b.s + b.len - 2000 : b.s);
    }
  }
  free(a.s);
  free(b.s);
}

/* Whether the filter takes any run out of xml (so that a comparison
 * tests something). */
static int takes_out(const char *xml, size_t len) {
  gw_xml_runs *r = gw_xml_runs_new();
  const char *out;
  size_t out_len, n = 0;
  if (r && gw_xml_runs_filter(r, xml, len, 1, &out, &out_len) == 0) {
    const char *text;
    size_t text_len;
    int plain;
    while (gw_xml_runs_next(r, &text, &text_len, &plain)) {
      n++;
      if (plain != all_plain(text, text_len)) plain_wrong++;
    }
  }
  gw_xml_runs_free(r);
  return n > 0;
}

static const size_t chunks[] = {1, 2, 3, 5, 7, 13, 64, 4093, 65536};

static void compare_all_chunks(const char *xml, size_t len,
                               const char *what) {
  taken_out += takes_out(xml, len);
  for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++)
    compare(xml, len, chunks[i], what);
}

/* ---- the parts of the fixtures ---- */

static char *part_of(const char *file, const char *part, size_t *len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", GW_FORMATS_DIR, file);
  unsigned char *bytes;
  size_t n;
  if (gw_read_file(path, &bytes, &n, NULL) != GW_OK) return NULL;
  gw_extract_limits limits = {256u << 20, 65536};
  gw_zip *zip;
  char *xml = NULL;
  if (gw_zip_open(&zip, bytes, n, file, &limits, NULL) == GW_OK) {
    if (gw_zip_read(zip, part, &xml, len, NULL) != GW_OK) xml = NULL;
    gw_zip_close(zip);
  }
  free(bytes);
  return xml;
}

static void test_fixture_parts(void) {
  static const char *const parts[][2] = {
      {"report.docx", "word/document.xml"},
      {"report.docx", "word/styles.xml"},
      {"report.docx", "word/numbering.xml"},
      {"report.docx", "word/footnotes.xml"},
      {"report.docx", "word/_rels/document.xml.rels"},
      {"report.docx", "_rels/.rels"},
      {"report.docx", "[Content_Types].xml"},
      {"lists.docx", "word/document.xml"},
      {"lists.docx", "word/numbering.xml"},
      {"bad-xml.docx", "word/document.xml"},
      {"report.ofd", "OFD.xml"},
      {"report.ofd", "Doc_0/Document.xml"},
      {"report.ofd", "Doc_0/Pages/Page_0/Content.xml"},
  };
  size_t found = 0;
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
    size_t len;
    char *xml = part_of(parts[i][0], parts[i][1], &len);
    if (!xml) {
      fprintf(stderr, "%s: no %s\n", parts[i][0], parts[i][1]);
      continue;
    }
    found++;
    char what[256];
    snprintf(what, sizeof what, "%s %s", parts[i][0], parts[i][1]);
    compare_all_chunks(xml, len, what);
    free(xml);
  }
  CHECK(found >= 10);
}

/* ---- edge cases by hand ---- */

static void test_edges(void) {
  /* each with its length: some hold NULs */
#define CASE(literal) {literal, sizeof literal - 1}
  static const struct {
    const char *xml;
    size_t len;
  } cases[] = {
      CASE("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>落实意识形态工作</a>"),
      CASE("\xef\xbb\xbf<?xml version='1.0' encoding='utf-8'?>\n<a><b>一岗双责一岗双责</b>"
      "<c x=\"1>2\" y='/'>守土有责、守土负责</c><d/>尾巴文字文字文字</a>"),
      CASE("<a>text &amp; more text here</a>"),
      CASE("<a>文字]]>文字文字</a>"),
      CASE("<a>文字文字\n文字文字</a>"),
      CASE("<a>文字文字\r\n文字文字</a>"),
      CASE("<a>文字文字\x01文字</a>"),
      CASE("<a>bad \xc3\x28 utf-8 here</a>"),
      CASE("<a>overlong \xe0\x80\x80 here</a>"),
      CASE("<a>surrogate \xed\xa0\x80 here</a>"),
      CASE("<a>nonchar \xef\xbf\xbe here</a>"),
      CASE("<a>ok \xef\xbf\xbd and \xf0\x9f\x98\x80 here</a>"),
      CASE("<a>past \xf4\x90\x80\x80 unicode</a>"),
      CASE("<a>before comment<!-- c --> after comment text</a>"),
      CASE("<a>before cdata<![CDATA[ x < y ]]> after cdata text</a>"),
      CASE("<a>before pi<?gw?> after the pi text</a>"),
      CASE("<?gw?><a>the pi before the root</a><?gw?>"),
      CASE("<a>long enough text</a>trailing text after"),
      CASE("<a>long enough text</a>trailing text after<b/>"),
      CASE("<a/>text after an empty root<b/>"),
      CASE("<a>long enough text</a>        <!-- blanks after the root -->"),
      CASE("<a>long enough text</a>   "),
      CASE("<a/>text after an empty root"),
      CASE("<!DOCTYPE a [<!ENTITY e \"entity text\">]><a>text &e; text text</a>"),
      CASE("<?xml version=\"1.0\" encoding=\"GBK\"?><a>\xc2\xe4\xca\xb5\xc2\xe4\xca\xb5</a>"),
      CASE("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\xe9 caf\xe9 caf\xe9</a>"),
      CASE("\xff\xfe<\0a\0>\0x\0y\0z\0w\0v\0u\0<\0/\0a\0>\0"),
      CASE("<\0a\0>\0x\0y\0z\0w\0v\0u\0<\0/\0a\0>\0"),
      CASE("<a><b>mismatched tags here</c></a>"),
      CASE("<a><b>unclosed element text"),
      CASE("<a>text at the very end without close"),
      CASE("<a>text with a lone < inside it</a>"),
      CASE("<a b=\"unterminated>text text text</a>"),
      CASE("<a>123456</a><a>second root text</a>"),
      CASE("<a>12345</a>"),
      CASE("<a>\t\ttabs\tand text\t</a>"),
      CASE("<a><b>\xe3\x80\x80\xe3\x80\x80缩进的段落</b><b>nel\xc2\x85" "c1\xc2\x80"
           "nbsp\xc2\xa0</b><b>bom\xef\xbb\xbf" "anchor\xef\xbf\xb9\xef\xbf\xbb</b>"
           "<b>en\xe2\x80\x82" "em\xe2\x80\x8a" "line\xe2\x80\xa8" "end</b><b>del\x7f"
           "x</b><b>\xe2\x80\x8bzero width</b><b>全角，标点。“引号”</b></a>"),
      CASE("<a xmlns=\"urn:x\" xmlns:w=\"urn:w\"><w:t>命名空间里的文字</w:t></a>"),
      CASE("<a><b/>after empty child text<c / >x</c></a>"),
      CASE("<a>text &#x4E00;&#19968; refs</a>"),
      CASE(""),
      CASE("<"),
      CASE("<a>"),
      CASE("<a>text"),
  };
#undef CASE
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char what[32];
    snprintf(what, sizeof what, "edge case %zu", i);
    compare_all_chunks(cases[i].xml, cases[i].len, what);
  }
}

/* ---- mutations ---- */

static uint64_t next_random(uint64_t *state) { /* xorshift64* */
  *state ^= *state >> 12;
  *state ^= *state << 25;
  *state ^= *state >> 27;
  return *state * 0x2545F4914F6CDD1DULL;
}

static void test_mutations(size_t rounds) {
  size_t len;
  char *xml = part_of("report.docx", "word/document.xml", &len);
  CHECK(xml != NULL);
  if (!xml) return;
  static const char bytes[] = {'<', '>', '&', ']', '\n', '\r', '"', '\'',
                               '/', '?', '!', '=', ' ', 0,    'x'};
  static const unsigned char high[] = {0x80, 0xBF, 0xC3, 0xE4, 0xED,
                                       0xEF, 0xF0, 0xF4, 0xF8, 0xFF};
  char *m = malloc(len + 8);
  uint64_t state = 0x853C49E6748FEA9BULL;
  for (size_t round = 0; round < rounds; round++) {
    memcpy(m, xml, len);
    size_t n = len;
    size_t changes = 1 + next_random(&state) % 3;
    for (size_t k = 0; k < changes; k++) {
      uint64_t r = next_random(&state);
      size_t at = (size_t)(r % n);
      char c = r >> 40 & 1 ? bytes[(r >> 8) % sizeof bytes]
                           : (char)high[(r >> 8) % sizeof high];
      switch ((r >> 32) % 4) {
      case 0: /* insert */
        memmove(m + at + 1, m + at, n - at);
        m[at] = c;
        n++;
        break;
      case 1: /* cut */
        n = at + 1;
        break;
      default: /* replace */
        m[at] = c;
      }
    }
    char what[48];
    snprintf(what, sizeof what, "mutation %zu", round);
    size_t chunk = chunks[next_random(&state) % (sizeof chunks /
                                                 sizeof chunks[0])];
    compare(m, n, chunk, what);
    compare(m, n, 65536, what);
  }
  free(m);
  free(xml);
}

int main(void) {
  gw_xml_quiet quiet;
  gw_xml_quiet_begin(&quiet);
  test_fixture_parts();
  test_edges();
  test_mutations(1500);
  gw_xml_quiet_end(&quiet);
  printf("%zu parses compared, %zu inputs with runs taken out\n", compared,
         taken_out);
  CHECK_EQ_SIZE(differed, 0);
  CHECK(taken_out >= 10); /* the filter did take text out */
  printf("%zu runs handed on as plain\n", plain_runs);
  CHECK_EQ_SIZE(plain_wrong, 0);
  CHECK(plain_runs >= 100);
  return gw_test_report();
}
