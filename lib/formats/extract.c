/*
 * extract.c — which format a file is, by its bytes, and the reader for it.
 *
 * Detection looks at content only: magic numbers (%PDF-, the OLE2 and ZIP
 * signatures, image and archive signatures), then the container's structure
 * (a ZIP is a Word document when its package relationships name an
 * officeDocument, an OFD when it holds OFD.xml; an OLE2 file is a Word or
 * WPS document when it holds a WordDocument stream), and for web pages the
 * markup at the start.  The file name is used only to say more when a file
 * named .pdf or .docx is empty.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "docs_module.h"
#include "formats.h"
#include "stages.h"

/* Files read into huge pages from this size on. */
#define READ_HUGE_FROM (256 << 10)

struct gw_extract {
  gw_text_builder built;
  gw_format format;
  size_t pages;
};

const char *gw_format_name(gw_format format) {
  switch (format) {
  case GW_FORMAT_TEXT: return "text";
  case GW_FORMAT_DOCX: return "docx";
  case GW_FORMAT_DOC: return "doc";
  case GW_FORMAT_PDF: return "pdf";
  case GW_FORMAT_OFD: return "ofd";
  case GW_FORMAT_HTML: return "html";
  case GW_FORMAT_UNKNOWN: return "unknown";
  }
  return "unknown";
}

const char *gw_extract_part_name(gw_extract_part part) {
  switch (part) {
  case GW_PART_BODY: return "body";
  case GW_PART_TABLE: return "table";
  case GW_PART_TEXT_BOX: return "text_box";
  case GW_PART_FOOTNOTE: return "footnote";
  }
  return "unknown";
}

/* ------------------------------------------------------------------ */
/* Sniffing                                                            */
/* ------------------------------------------------------------------ */

static int starts(const unsigned char *d, size_t n, const char *magic,
                  size_t m) {
  return n >= m && memcmp(d, magic, m) == 0;
}

/* Whether d[0..n) starts with `lower` (ASCII, lower case), ASCII letters'
 * case ignored: strncasecmp's answer in the C locale, the library's. */
static int starts_ci(const unsigned char *d, size_t n, const char *lower) {
  size_t m = strlen(lower);
  if (n < m) return 0;
  for (size_t i = 0; i < m; i++) {
    unsigned c = d[i];
    if (c >= 'A' && c <= 'Z') c |= 0x20;
    if (c != (unsigned char)lower[i]) return 0;
  }
  return 1;
}

/* Binary formats people keep beside their reports, named so the skip says
 * what the file is. */
static const char *known_binary(const unsigned char *d, size_t n) {
  static const struct {
    const char *magic;
    size_t len;
    const char *what;
  } kinds[] = {
      {"\x89PNG\r\n\x1a\n", 8, "a PNG image"},
      {"\xff\xd8\xff", 3, "a JPEG image"},
      {"GIF87a", 6, "a GIF image"},
      {"GIF89a", 6, "a GIF image"},
      {"II*\0", 4, "a TIFF image"},
      {"MM\0*", 4, "a TIFF image"},
      {"{\\rtf", 5, "an RTF document (save it as .docx)"},
      {"Rar!\x1a\x07", 6, "a RAR archive"},
      {"7z\xbc\xaf\x27\x1c", 6, "a 7-Zip archive"},
      {"\x1f\x8b", 2, "a gzip archive"},
      {"%!PS", 4, "a PostScript file"},
  };
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if (starts(d, n, kinds[i].magic, kinds[i].len)) return kinds[i].what;
  return NULL;
}

/* "%PDF-", any case, anywhere in d[0..n): found by its '%' (memchr), which
 * plain text seldom has. */
static int has_pdf_magic(const unsigned char *d, size_t n) {
  const unsigned char *end = d + n;
  for (const unsigned char *p = d;
       (p = memchr(p, '%', (size_t)(end - p))) != NULL; p++)
    if (starts_ci(p + 1, (size_t)(end - p - 1), "pdf-")) return 1;
  return 0;
}

/* A page: markup first (after a BOM and white space), and one of
 * <!doctype html, <html, <head, <body (any case) somewhere after it. */
static int looks_like_html(const unsigned char *d, size_t n) {
  size_t i = starts(d, n, "\xef\xbb\xbf", 3) ? 3 : 0;
  while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' ||
                   d[i] == '\n'))
    i++;
  if (i >= n || d[i] != '<') return 0;
  const unsigned char *end = d + n;
  for (const unsigned char *p = d + i;
       (p = memchr(p, '<', (size_t)(end - p))) != NULL; p++) {
    const unsigned char *tag = p + 1;
    size_t left = (size_t)(end - tag);
    if (left == 0) break;
    switch (tag[0] | 0x20) { /* '!' | 0x20 is '!' */
    case '!':
      if (starts_ci(tag, left, "!doctype html")) return 1;
      break;
    case 'h':
      if (starts_ci(tag, left, "html") || starts_ci(tag, left, "head"))
        return 1;
      break;
    case 'b':
      if (starts_ci(tag, left, "body")) return 1;
      break;
    }
  }
  return 0;
}

/* memchr finds the rare bytes a magic or a tag starts with ('%', '<', NUL)
 * and only there are the bytes after them compared; the signatures are at
 * the start.  (A comparison at every offset was a tenth of gw-terms' time
 * on many small files; glibc's memchr reads 4 KB three times in less.) */
gw_format gw_format_sniff(const void *data, size_t len, const char **what) {
  const unsigned char *d = data;
  size_t n = len < GW_FORMAT_SNIFF_BYTES ? len : GW_FORMAT_SNIFF_BYTES;
  const char *kind = NULL;
  gw_format format = GW_FORMAT_TEXT;
  if (!d) n = 0;
  if (n >= 5 && has_pdf_magic(d, n < 1024 ? n : 1024))
    format = GW_FORMAT_PDF;
  else if (starts(d, n, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8))
    format = GW_FORMAT_DOC;
  else if (starts(d, n, "PK\x03\x04", 4) || starts(d, n, "PK\x05\x06", 4))
    format = GW_FORMAT_DOCX;
  else if ((kind = known_binary(d, n)) != NULL)
    format = GW_FORMAT_UNKNOWN;
  else if (looks_like_html(d, n))
    format = GW_FORMAT_HTML;
  else if (n > 0 && memchr(d, 0, n) && !starts(d, n, "\xff\xfe", 2) &&
           !starts(d, n, "\xfe\xff", 2)) {
    format = GW_FORMAT_UNKNOWN;
    kind = "binary data";
  }
  if (what) *what = kind;
  return format;
}

int gw_format_sniff_file(gw_format *out, const char *path, const char **what,
                         gw_error *err) {
  if (!out || !path)
    return gw_fail(err, GW_EINVAL, "gw_format_sniff_file: NULL argument");
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return gw_fail_at(err, GW_EIO, GW_NO_OFFSET, 0, errno, "%s: %s", path,
                      strerror(errno));
  unsigned char head[GW_FORMAT_SNIFF_BYTES];
  size_t n = 0;
  while (n < sizeof head) {
    ssize_t r = read(fd, head + n, sizeof head - n);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      int e = errno;
      close(fd);
      return gw_fail_at(err, GW_EIO, GW_NO_OFFSET, 0, e, "%s: %s", path,
                        strerror(e));
    }
    if (r == 0) break;
    n += (size_t)r;
  }
  close(fd);
  *out = gw_format_sniff(head, n, what);
  return GW_OK;
}

/* ------------------------------------------------------------------ */
/* Extraction                                                          */
/* ------------------------------------------------------------------ */

/* A ZIP or a web page: through the document module (docs.c). */
static int read_docs(gw_docs_kind kind, const unsigned char *data, size_t len,
                     const char *name, const gw_extract_limits *limits,
                     gw_extract *x, gw_error *err) {
  gw_docs_request r = {.kind = kind, .data = data, .len = len,
                       .name = name, .limits = limits, .out = &x->built,
                       .format = &x->format, .pages = &x->pages, .err = err};
  return gw_read_docs(&r);
}

/* Plain text: decoded as gw_document decodes it, a paragraph per line. */
static int read_text(const unsigned char *data, size_t len, const char *name,
                     gw_text_builder *out, gw_error *err) {
  gw_decoded decoded;
  memset(&decoded, 0, sizeof decoded);
  int rc = gw_decode(data, len, name, GW_ENCODING_AUTO, 0, &decoded, err);
  if (rc < 0) return rc;
  size_t line = 0, start = 0;
  for (size_t i = 0; i <= decoded.len; i++) {
    if (i < decoded.len && decoded.text[i] != '\n' && decoded.text[i] != '\r')
      continue;
    gw_tb_append(out, decoded.text + start, i - start);
    gw_tb_end_paragraph(out, GW_PART_BODY, -1, 0, line);
    if (i < decoded.len && decoded.text[i] == '\r' && i + 1 < decoded.len &&
        decoded.text[i + 1] == '\n')
      i++;
    start = i + 1;
    line++;
  }
  gw_decoded_free(&decoded);
  return GW_OK;
}

static int empty_document_name(const char *name, const char **kind) {
  static const char *const ext[][2] = {
      {".pdf", "PDF"}, {".docx", "Word document"}, {".doc", "Word document"},
      {".wps", "WPS document"}, {".ofd", "OFD document"}};
  size_t n = strlen(name);
  for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
    size_t m = strlen(ext[i][0]);
    if (n > m && strcasecmp(name + n - m, ext[i][0]) == 0) {
      *kind = ext[i][1];
      return 1;
    }
  }
  return 0;
}

static int extract(gw_extract *x, const unsigned char *data, size_t len,
                   const char *name, const gw_extract_limits *limits,
                   gw_error *err) {
  const char *what = NULL;
  const char *kind;
  x->format = gw_format_sniff(data, len, &what);
  if (len == 0 && empty_document_name(name, &kind))
    return gw_fail(err, GW_EDAMAGED, "%s: empty file (0 bytes), not a %s",
                   name, kind);
  switch (x->format) {
  case GW_FORMAT_TEXT: return read_text(data, len, name, &x->built, err);
  case GW_FORMAT_DOCX:
  case GW_FORMAT_OFD:
    return read_docs(GW_DOCS_ZIP, data, len, name, limits, x, err);
  case GW_FORMAT_DOC:
    return gw_read_word(data, len, name, limits, &x->built, err);
  case GW_FORMAT_PDF:
    return gw_read_pdf(data, len, name, &x->built, &x->pages, err);
  case GW_FORMAT_HTML:
    return read_docs(GW_DOCS_HTML, data, len, name, limits, x, err);
  case GW_FORMAT_UNKNOWN: break;
  }
  return gw_fail(err, GW_EUNSUPPORTED,
                 "%s: %s, not a document of a readable format", name,
                 what ? what : "binary data");
}

static int check_options(const gw_extract_options *opts, const char *name,
                         gw_extract_limits *limits, gw_error *err) {
  limits->max_inflated = (size_t)256 << 20;
  limits->max_entries = 65536;
  if (!opts) return GW_OK;
  if (opts->version < 1 || opts->version > GW_EXTRACT_OPTIONS_VERSION)
    return gw_fail(err, GW_EINVAL,
                   "%s: unsupported gw_extract_options version %u (this "
                   "library knows version %d)",
                   name, opts->version, GW_EXTRACT_OPTIONS_VERSION);
  if (opts->max_inflated) limits->max_inflated = opts->max_inflated;
  if (opts->max_entries) limits->max_entries = opts->max_entries;
  return GW_OK;
}

static int load(gw_extract **out, const char *name, const unsigned char *data,
                size_t len, const gw_extract_options *opts, gw_error *err) {
  gw_extract_limits limits;
  int rc = check_options(opts, name, &limits, err);
  if (rc < 0) return rc;
  gw_extract *x = calloc(1, sizeof *x);
  if (!x) return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
  rc = extract(x, data, len, name, &limits, err);
  if (rc == GW_OK && x->built.failed)
    rc = gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
  if (rc == GW_OK && x->built.len > GW_MAX_INPUT)
    rc = gw_fail(err, GW_ETOOBIG, "%s: extracted text too large (%zu bytes)",
                 name, x->built.len);
  if (rc < 0) {
    gw_extract_free(x);
    return rc;
  }
  *out = x;
  return GW_OK;
}

int gw_extract_load_buffer(gw_extract **out, const char *name,
                           const void *data, size_t len,
                           const gw_extract_options *opts, gw_error *err) {
  if (!out)
    return gw_fail(err, GW_EINVAL, "gw_extract_load_buffer: out is NULL");
  *out = NULL;
  if (!name) name = "<buffer>";
  if (!data && len > 0) return gw_fail(err, GW_EINVAL, "%s: data is NULL", name);
  return load(out, name, data ? data : "", len, opts, err);
}

/* A large regular file, read into a buffer on whole huge pages (read
 * into fresh 4 KB pages, the 2.8 MB of a 20,000-paragraph .docx faulted
 * 700 times, a sixth of the time of reading it); NULL when anything is
 * unusual (an error, a file that changed size): gw_read_file then reads
 * it again and says what is wrong.  (Not mapped: a file truncated while
 * mapped would end the process with SIGBUS.) */
static unsigned char *read_large_file(const char *path, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  struct stat st;
  unsigned char *bytes = NULL;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
      st.st_size >= READ_HUGE_FROM && (uintmax_t)st.st_size <= GW_MAX_INPUT) {
    size_t size = (size_t)st.st_size, n = 0, room;
    /* one byte more, to see the end of a file that grew */
    bytes = gw_alloc_huge(size + 1, &room);
    while (bytes && n <= size) {
      ssize_t r = read(fd, bytes + n, size + 1 - n);
      if (r <= 0) break;
      n += (size_t)r;
    }
    if (bytes && n != size) {
      free(bytes);
      bytes = NULL;
    }
    *len = n;
  }
  close(fd);
  return bytes;
}

int gw_extract_load_file(gw_extract **out, const char *path,
                         const gw_extract_options *opts, gw_error *err) {
  if (!out) return gw_fail(err, GW_EINVAL, "gw_extract_load_file: out is NULL");
  *out = NULL;
  if (!path)
    return gw_fail(err, GW_EINVAL, "gw_extract_load_file: path is NULL");
  size_t len;
  unsigned char *bytes = read_large_file(path, &len);
  int rc = bytes ? GW_OK : gw_read_file(path, &bytes, &len, err);
  if (rc < 0) return rc;
  rc = load(out, path, bytes, len, opts, err);
  free(bytes);
  return rc;
}

void gw_extract_free(gw_extract *extract) {
  if (!extract) return;
  gw_tb_free(&extract->built);
  free(extract);
}

gw_format gw_extract_format(const gw_extract *extract) {
  return extract ? extract->format : GW_FORMAT_UNKNOWN;
}

const char *gw_extract_text(const gw_extract *extract, size_t *len) {
  const char *text = extract && extract->built.text ? extract->built.text : "";
  if (len) *len = extract ? extract->built.len : 0;
  return text;
}

size_t gw_extract_paragraph_count(const gw_extract *extract) {
  return extract ? extract->built.count : 0;
}

const gw_extract_paragraph *gw_extract_paragraph_at(const gw_extract *extract,
                                                    size_t index) {
  return extract && index < extract->built.count
             ? &extract->built.paragraphs[index]
             : NULL;
}

size_t gw_extract_page_count(const gw_extract *extract) {
  return extract ? extract->pages : 0;
}

/* ------------------------------------------------------------------ */
/* The document hook                                                   */
/* ------------------------------------------------------------------ */

int gw_formats_to_text(const char *name, unsigned char **bytes, size_t *len,
                       int *converted, gw_error *err) {
  const char *what = NULL, *kind;
  *converted = 0;
  gw_format format = gw_format_sniff(*bytes, *len, &what);
  int empty_document = *len == 0 && empty_document_name(name, &kind);
  /* Plain text, and binary data nothing names, stay with the decoder (which
   * refuses the latter with the offset of its first NUL, as before). */
  if (!empty_document && (format == GW_FORMAT_TEXT ||
                          (format == GW_FORMAT_UNKNOWN &&
                           strcmp(what, "binary data") == 0)))
    return GW_OK;
  gw_extract *x;
  int rc = load(&x, name, *bytes, *len, NULL, err);
  if (rc < 0) return rc;
  unsigned char *text = (unsigned char *)x->built.text;
  if (!text) text = malloc(1); /* nothing extracted: an empty document */
  if (!text) {
    gw_extract_free(x);
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
  }
  free(*bytes);
  *bytes = text;
  *len = x->built.len;
  x->built.text = NULL;
  gw_extract_free(x);
  *converted = 1;
  return GW_OK;
}
