/*
 * xml_runs.c — plain text runs taken out of libxml2's way.
 *
 * libxml2 2.9 parses character data holding any byte above 0x7F one
 * character at a time (xmlCurrentChar, xmlCopyCharMultiByte): half the
 * instructions of reading a Chinese document.xml.  A run of text between
 * two tags that asks nothing of the parser is taken out of the stream here
 * and the processing instruction <?gw?> put in its place; the parser meets
 * it in document order and its handler hands the run on (xml.c).  Such a
 * run lies inside the root element of a part declared UTF-8, is valid
 * UTF-8 of XML characters, and has no '&' (references), no ']' (the end of
 * a CDATA section) and no line end: so every error the parser finds, and
 * the line it names, is the same with the runs taken out or not.  Runs
 * shorter than the instruction stay (what is handed on is never longer
 * than what came in).  Anything else in the content (a comment, a CDATA
 * section, a processing instruction, a DTD, text after the root) turns this
 * off for the rest of the part: the bytes then pass as they are.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"

#define MARK "<?" GW_XML_RUN_TARGET "?>"
#define MARK_LEN (sizeof MARK - 1)
#define MAX_RUN 65536 /* a longer run is left to the parser */
#define MAX_DECL 256

enum { PROLOG, CONTENT, OFF };          /* the part, as far as read */
enum { TEXT, LT, TAG, QUOTED, DECL };   /* where in the markup */

struct gw_xml_runs {
  int part, at;
  char quote;      /* the quote an attribute value ends with */
  int tag_kind;    /* '/' an end tag, 0 a start tag */
  int slash;       /* the tag's last byte so far was '/' */
  size_t depth;    /* open elements */
  size_t seen;     /* bytes read so far */
  char decl[MAX_DECL]; /* the XML declaration, as read */
  size_t decl_len;
  char *run;       /* the text run being read */
  size_t run_len, run_cap;
  int run_long;    /* past MAX_RUN: handed on as it comes */
  unsigned char recent[3]; /* the markup's last bytes, the latest last */
  int run_kept;    /* the run stays: a byte libxml2 may find wrong lies
                      just before it (its error shows the 4 bytes from
                      there on, which must be the same) */
  char *queue;     /* runs taken out, each after its 4-byte length */
  size_t queue_len, queue_cap, queue_head;
  char *out;       /* what is handed to the parser */
  size_t out_len, out_cap;
};

gw_xml_runs *gw_xml_runs_new(void) {
  gw_xml_runs *r = calloc(1, sizeof *r);
  if (r) memset(r->recent, ' ', sizeof r->recent);
  return r;
}

void gw_xml_runs_free(gw_xml_runs *r) {
  if (!r) return;
  free(r->run);
  free(r->queue);
  free(r->out);
  free(r);
}

static int grow_to(char **buf, size_t *cap, size_t need) {
  void *p = *buf;
  if (gw_reserve(&p, cap, need, 1) < 0) return -1;
  *buf = p;
  return 0;
}

static void put(gw_xml_runs *r, const char *s, size_t n) {
  memcpy(r->out + r->out_len, s, n); /* room made for the whole input */
  r->out_len += n;
}

#define PLAIN_FLAG 0x80000000u /* in a queued run's length */

/* XML's Char production over strict UTF-8, no '&', ']', CR or LF: 0 when
 * not, else 1, or 2 when every character is plain for the text builder
 * (gw_tb_plain), which then copies the run as it stands. */
static int plain_run(const unsigned char *s, size_t n) {
  int plain = 1;
  size_t i = 0;
  while (i < n) {
    unsigned c = s[i];
    /* U+4000-U+9FFF (most Han characters): always XML characters */
    if (c >= 0xE4 && c <= 0xE9 && n - i >= 3 && (s[i + 1] & 0xC0) == 0x80 &&
        (s[i + 2] & 0xC0) == 0x80) {
      i += 3;
      continue;
    }
    if (c < 0x80) {
      if ((c < 0x20 && c != 0x09) || c == '&' || c == ']') return 0;
      if (c <= 0x20 || c == 0x7F) plain = 0;
      i++;
      continue;
    }
    uint32_t cp;
    size_t k;
    if (c >= 0xC2 && c <= 0xDF) {
      cp = c & 0x1F;
      k = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      cp = c & 0x0F;
      k = 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
      cp = c & 0x07;
      k = 4;
    } else {
      return 0;
    }
    if (n - i < k) return 0;
    for (size_t j = 1; j < k; j++) {
      if ((s[i + j] & 0xC0) != 0x80) return 0;
      cp = cp << 6 | (s[i + j] & 0x3F);
    }
    if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
      return 0; /* overlong, or past Unicode */
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
      return 0;
    if (plain && !gw_tb_plain((int32_t)cp)) plain = 0;
    i += k;
  }
  return 1 + plain;
}

/* A whole run of text (n bytes at s): out, or as it is. */
static int take_run(gw_xml_runs *r, const char *s, size_t n) {
  int kind = n >= MARK_LEN && n <= MAX_RUN && !r->run_kept
                 ? plain_run((const unsigned char *)s, n)
                 : 0;
  if (kind) {
    if (grow_to(&r->queue, &r->queue_cap, r->queue_len + 4 + n) < 0)
      return -1;
    uint32_t len = (uint32_t)n | (kind == 2 ? PLAIN_FLAG : 0);
    memcpy(r->queue + r->queue_len, &len, 4);
    memcpy(r->queue + r->queue_len + 4, s, n);
    r->queue_len += 4 + n;
    put(r, MARK, MARK_LEN);
  } else {
    put(r, s, n);
  }
  return 0;
}

/* The run kept across chunks ends (at a '<', or the part's end). */
static int end_run(gw_xml_runs *r) {
  /* (a long run went out as it came) */
  int rc = r->run_len > 0 && !r->run_long
               ? take_run(r, r->run, r->run_len)
               : 0;
  r->run_len = 0;
  r->run_long = 0;
  return rc;
}

/* Text inside the root: kept until its end decides (a long run is handed
 * on at once). */
static int add_text(gw_xml_runs *r, const char *s, size_t n) {
  if (!r->run_long && r->run_len + n > MAX_RUN) {
    r->run_long = 1;
    put(r, r->run, r->run_len);
    r->run_len = 0;
  }
  if (r->run_long) {
    put(r, s, n);
    return 0;
  }
  if (grow_to(&r->run, &r->run_cap, r->run_len + n) < 0) return -1;
  memcpy(r->run + r->run_len, s, n);
  r->run_len += n;
  return 0;
}

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The XML declaration read: on only for UTF-8 (the default, or named). */
static int declared_utf8(const gw_xml_runs *r) {
  const char *d = r->decl;
  size_t n = r->decl_len;
  const char *e = NULL;
  for (size_t i = 0; i + 8 <= n; i++)
    if (memcmp(d + i, "encoding", 8) == 0) {
      e = d + i + 8;
      break;
    }
  if (n < 4 || memcmp(d, "xml", 3) != 0 || !is_space(d[3])) return 0;
  if (!e) return 1;
  const char *end = d + n;
  while (e < end && (*e == ' ' || *e == '\t' || *e == '\r' || *e == '\n')) e++;
  if (e == end || *e++ != '=') return 0;
  while (e < end && (*e == ' ' || *e == '\t' || *e == '\r' || *e == '\n')) e++;
  if (end - e < 7 || (*e != '"' && *e != '\'') || e[6] != *e) return 0;
  static const char utf8[] = "utf-8";
  for (size_t i = 0; i < 5; i++) {
    char c = e[1 + i];
    if (c >= 'A' && c <= 'Z') c = (char)(c | 0x20);
    if (c != utf8[i]) return 0;
  }
  return 1;
}

/* The last bytes of markup handed on (n of them at s). */
static void remember(gw_xml_runs *r, const char *s, size_t n) {
  for (size_t i = n > 3 ? n - 3 : 0; i < n; i++) {
    r->recent[0] = r->recent[1];
    r->recent[1] = r->recent[2];
    r->recent[2] = (unsigned char)s[i];
  }
}

/* One byte of markup or prolog; returns how many bytes it consumed (the
 * run of text up to the next '<' at once). */
static size_t step(gw_xml_runs *r, const char *s, size_t n, int *failed) {
  char c = s[0];
  switch (r->at) {
  case TEXT: {
    if (c == '<') {
      if (r->part == CONTENT && end_run(r) < 0) *failed = 1;
      r->at = LT;
      return 1;
    }
    const char *lt = memchr(s, '<', n);
    size_t k = lt ? (size_t)(lt - s) : n;
    if (r->part == CONTENT) {
      /* a run whole in this chunk is taken from it, not kept first */
      int rc = lt && r->run_len == 0 && !r->run_long ? take_run(r, s, k)
                                                      : add_text(r, s, k);
      if (rc < 0) *failed = 1;
      return k;
    }
    /* the prolog: a BOM and blanks only */
    size_t i = 0;
    if (r->seen == 0 && k >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) i = 3;
    while (i < k && is_space(s[i])) i++;
    if (i < k) r->part = OFF;
    put(r, s, k);
    return k;
  }
  case LT:
    put(r, "<", 1);
    remember(r, "<", 1);
    remember(r, s, 1);
    if (c == '/') {
      r->tag_kind = '/';
      r->at = TAG;
    } else if (c == '?' && r->part == PROLOG && r->decl_len == 0) {
      r->at = DECL;
    } else if (c == '?' || c == '!') {
      r->part = OFF;
      r->at = TEXT;
    } else {
      r->tag_kind = 0;
      r->slash = 0;
      r->at = TAG;
      /* the root's start tag, its name in ASCII (not UTF-16 without a
       * BOM, say) */
      int letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                   c == '_';
      if (r->part == PROLOG) r->part = letter ? CONTENT : OFF;
    }
    put(r, s, 1);
    return 1;
  case DECL:
    put(r, s, 1);
    if (r->decl_len == MAX_DECL) {
      r->part = OFF;
      return 1;
    }
    r->decl[r->decl_len++] = c;
    if (c == '>' && r->decl_len >= 2 && r->decl[r->decl_len - 2] == '?') {
      r->at = TEXT;
      if (!declared_utf8(r)) r->part = OFF;
    }
    return 1;
  case QUOTED: {
    const char *q = memchr(s, r->quote, n);
    size_t k = q ? (size_t)(q - s) + 1 : n;
    put(r, s, k);
    remember(r, s, k);
    if (q) r->at = TAG;
    return k;
  }
  default: { /* TAG: to its end or a quote, at once */
    size_t k = 0;
    while (k < n && s[k] != '>' && s[k] != '"' && s[k] != '\'') k++;
    if (k > 0) r->slash = s[k - 1] == '/'; /* "/>" ends an empty element */
    if (k == n) {
      put(r, s, n);
      remember(r, s, n);
      return n;
    }
    c = s[k];
    put(r, s, k + 1);
    remember(r, s, k);
    if (c != '>') {
      remember(r, s + k, 1);
      r->quote = c;
      r->slash = 0;
      r->at = QUOTED;
      return k + 1;
    }
    r->at = TEXT;
    r->run_kept = 0;
    for (int i = 0; i < 3; i++)
      if (r->recent[i] >= 0x80 || r->recent[i] < 0x20) r->run_kept = 1;
    if (r->tag_kind == '/') {
      if (r->depth > 0) r->depth--;
      if (r->depth == 0) r->part = OFF; /* past the root */
    } else if (!r->slash) {
      r->depth++;
    } else if (r->depth == 0) {
      r->part = OFF; /* an empty root */
    }
    return k + 1;
  }
  }
}

int gw_xml_runs_filter(gw_xml_runs *r, const char *data, size_t len, int last,
                       const char **out, size_t *out_len) {
  r->out_len = 0;
  /* the queue's runs handed on: start it again */
  if (r->queue_head == r->queue_len) r->queue_head = r->queue_len = 0;
  if (r->part == OFF && r->run_len == 0) {
    *out = data;
    *out_len = len;
    return 0;
  }
  if (grow_to(&r->out, &r->out_cap, r->run_len + len + 1) < 0) return -1;
  int failed = 0;
  size_t i = 0;
  while (i < len && !failed) {
    if (r->part == OFF && r->run_len == 0) { /* the rest as it is */
      put(r, data + i, len - i);
      break;
    }
    if (r->part == OFF) { /* a run cut short by the change: as it was */
      put(r, r->run, r->run_len);
      r->run_len = 0;
      continue;
    }
    size_t k = step(r, data + i, len - i, &failed);
    i += k;
    r->seen += k;
  }
  if (!failed && last && r->run_len > 0) { /* the part ends inside a run */
    put(r, r->run, r->run_len);
    r->run_len = 0;
  }
  if (!failed && last && r->at == LT) { /* or with the '<' held back */
    put(r, "<", 1);
    r->at = TEXT;
  }
  if (failed) return -1;
  *out = r->out;
  *out_len = r->out_len;
  return 0;
}

int gw_xml_runs_next(gw_xml_runs *r, const char **text, size_t *len,
                     int *plain) {
  if (r->queue_head + 4 > r->queue_len) return 0;
  uint32_t n;
  memcpy(&n, r->queue + r->queue_head, 4);
  *plain = (n & PLAIN_FLAG) != 0;
  n &= ~PLAIN_FLAG;
  *text = r->queue + r->queue_head + 4;
  *len = n;
  r->queue_head += 4 + n;
  return 1;
}
