/*
 * zip.c — ZIP containers (DOCX, OFD) through libzip, with caps.
 *
 * The archive is opened from memory with libzip's consistency checks on, so
 * a truncated or patched archive is refused when opened rather than read
 * half.  An entry whose declared size passes what the cap leaves is refused
 * before anything is inflated; while it inflates (into a buffer for
 * gw_zip_read, chunk by chunk into the XML reader for gw_zip_xml, so that a
 * 10 MB document.xml is never held whole), an entry that inflates past its
 * declared size, or entries that together pass the cap, are refused as a
 * ZIP bomb.
 */
#include <isa-l/igzip_lib.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>
#include <zlib.h>

#include "formats.h"

struct gw_zip {
  zip_t *archive;
  const char *name;
  size_t max_inflated;
  size_t inflated; /* bytes inflated so far */
  size_t fast_inflated; /* of which by ISA-L */
  int inflate_by;       /* for the tests: always libzip, always ISA-L */
};

enum { BY_SIZE, ALWAYS_LIBZIP, ALWAYS_ISAL };

/* libzip reports its own and zlib's allocation failures as errors like
 * any other: they are out of memory, not a damaged file.  (Their message
 * cannot tell: libzip's zip_error_strerror says "Malloc failure" whenever
 * it cannot allocate the message itself.) */
static int out_of_memory_in(zip_error_t *ze, const char *name, gw_error *err) {
  if (!ze) return 0;
  int code = zip_error_code_zip(ze);
  if (code != ZIP_ER_MEMORY && !(code == ZIP_ER_ZLIB && zip_error_code_system(ze) == Z_MEM_ERROR))
    return 0;
  return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
}

/* Whether the archive is a well-formed single-disk ZIP as far as opening
 * it goes: an end record whose comment ends the file, a central directory
 * right before it holding exactly the entries it counts, each a complete
 * record (signature, lengths within the directory) pointing at a local
 * header signature before the directory.  ZIP64 archives are not judged
 * (0).  This is every check for which libzip 1.7 answers ZIP_ER_NOZIP
 * ("Not a zip archive") while it opens an archive with ZIP_CHECKCONS. */
static int well_formed_zip(const unsigned char *d, size_t len) {
  enum { END = 22, ENTRY = 46, LOCAL = 30 };
  if (len < END) return 0;
  size_t lowest = len - END > 65535 ? len - END - 65535 : 0;
  size_t end = len - END;
  for (;; end--) {
    if (memcmp(d + end, "PK\5\6", 4) == 0 &&
        end + END + gw_le16(d + end + 20) == len)
      break;
    if (end == lowest) return 0;
  }
  const unsigned char *e = d + end;
  size_t entries = gw_le16(e + 10), size = gw_le32(e + 12),
         offset = gw_le32(e + 16);
  if (gw_le16(e + 4) != 0 || gw_le16(e + 6) != 0 ||
      gw_le16(e + 8) != entries || entries == 0xFFFF ||
      size == 0xFFFFFFFF || offset == 0xFFFFFFFF || offset > end ||
      size != end - offset)
    return 0;
  size_t at = offset, count = 0;
  while (at < end) {
    if (end - at < ENTRY || memcmp(d + at, "PK\1\2", 4) != 0) return 0;
    size_t record = ENTRY + gw_le16(d + at + 28) + gw_le16(d + at + 30) +
                    gw_le16(d + at + 32);
    size_t local = gw_le32(d + at + 42);
    if (record > end - at || local > offset || offset - local < LOCAL ||
        memcmp(d + local, "PK\3\4", 4) != 0)
      return 0;
    at += record;
    count++;
  }
  return count == entries;
}

/* Why libzip could not open the archive.  When it cannot allocate a
 * directory entry, libzip 1.7 leaves the error it started with, "Not a zip
 * archive", so its code cannot tell out of memory from a file that is no
 * ZIP; an archive that passes every one of libzip's not-a-ZIP checks
 * (well_formed_zip) was refused for want of memory. */
static int open_failed(zip_error_t *ze, const unsigned char *data,
                       size_t len, const char *name, gw_error *err) {
  int rc = out_of_memory_in(ze, name, err);
  if (rc) return rc;
  if (zip_error_code_zip(ze) == ZIP_ER_NOZIP && well_formed_zip(data, len))
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
  return gw_fail(err, GW_EDAMAGED, "%s: damaged ZIP container (%s)", name,
                 zip_error_strerror(ze));
}

int gw_zip_open(gw_zip **out, const unsigned char *data, size_t len,
                const char *name, const gw_extract_limits *limits,
                gw_error *err) {
  *out = NULL;
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
  zip_t *archive = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS,
                                              &ze)
                       : NULL;
  if (!archive) {
    /* A buffer source fails only when it cannot allocate itself. */
    int rc = src ? open_failed(&ze, data, len, name, err)
                 : gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
    zip_error_fini(&ze);
    zip_source_free(src);
    return rc;
  }
  zip_error_fini(&ze);
  zip_int64_t entries = zip_get_num_entries(archive, 0);
  if (entries < 0 || (zip_uint64_t)entries > limits->max_entries) {
    zip_discard(archive);
    return gw_fail(err, GW_EDAMAGED,
                   "%s: ZIP container with %lld entries (more than %zu: "
                   "refused as a ZIP bomb)",
                   name, (long long)entries, limits->max_entries);
  }
  gw_zip *zip = calloc(1, sizeof *zip);
  if (!zip) {
    zip_discard(archive);
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
  }
  zip->archive = archive;
  zip->name = name;
  zip->max_inflated = limits->max_inflated;
  *out = zip;
  return GW_OK;
}

void gw_zip_inflate_with_libzip(gw_zip *zip) { zip->inflate_by = ALWAYS_LIBZIP; }

void gw_zip_inflate_with_isal(gw_zip *zip) { zip->inflate_by = ALWAYS_ISAL; }

size_t gw_zip_fast_inflated(const gw_zip *zip) { return zip->fast_inflated; }

void gw_zip_close(gw_zip *zip) {
  if (!zip) return;
  zip_discard(zip->archive);
  free(zip);
}

static zip_int64_t locate(gw_zip *zip, const char *entry) {
  while (*entry == '/') entry++;
  return zip_name_locate(zip->archive, entry, ZIP_FL_NOCASE);
}

int gw_zip_has(gw_zip *zip, const char *entry) {
  return locate(zip, entry) >= 0;
}

size_t gw_zip_declared_size(gw_zip *zip, const char *entry) {
  zip_int64_t index = locate(zip, entry);
  zip_stat_t st;
  zip_stat_init(&st);
  if (index < 0 || zip_stat_index(zip->archive, (zip_uint64_t)index, 0, &st) != 0 ||
      !(st.valid & ZIP_STAT_SIZE) || st.size > SIZE_MAX)
    return 0;
  return (size_t)st.size;
}

static int bomb(gw_zip *zip, const char *entry, gw_error *err) {
  return gw_fail(err, GW_EDAMAGED,
                 "%s: %s inflates past %zu bytes in all: refused as a ZIP "
                 "bomb", zip->name, entry, zip->max_inflated);
}

static int inflate_entry(gw_zip *zip, zip_int64_t index, const char *entry,
                         char *buf, size_t room, size_t *len, gw_error *err) {
  zip_file_t *f = zip_fopen_index(zip->archive, (zip_uint64_t)index, 0);
  if (!f) {
    int oom = out_of_memory_in(zip_get_error(zip->archive), zip->name, err);
    return oom ? oom : gw_fail(err, GW_EDAMAGED, "%s: %s cannot be read (%s)",
                               zip->name, entry, zip_strerror(zip->archive));
  }
  size_t n = 0;
  int rc = GW_OK;
  for (;;) {
    zip_int64_t r = zip_fread(f, buf + n, room - n);
    if (r < 0) {
      rc = out_of_memory_in(zip_file_get_error(f), zip->name, err);
      if (!rc)
        rc = gw_fail(err, GW_EDAMAGED, "%s: %s is damaged (%s)", zip->name,
                     entry, zip_error_strerror(zip_file_get_error(f)));
      break;
    }
    if (r == 0) break;
    n += (size_t)r;
    if (n == room) { /* more than it declared */
      rc = bomb(zip, entry, err);
      break;
    }
  }
  zip_fclose(f);
  *len = n;
  return rc;
}

/* An entry, located and checked before anything is inflated: present,
 * not encrypted, its declared size within what the caps leave. */
static int open_entry(gw_zip *zip, const char *entry, zip_int64_t *index,
                      zip_stat_t *stat, gw_error *err) {
  *index = locate(zip, entry);
  if (*index < 0)
    return gw_fail(err, GW_ENOTFOUND, "%s: %s is missing", zip->name, entry);
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(zip->archive, (zip_uint64_t)*index, 0, &st) != 0 ||
      !(st.valid & ZIP_STAT_SIZE)) {
    int oom = out_of_memory_in(zip_get_error(zip->archive), zip->name, err);
    return oom ? oom : gw_fail(err, GW_EDAMAGED, "%s: %s cannot be read (%s)",
                               zip->name, entry, zip_strerror(zip->archive));
  }
  if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
      st.encryption_method != ZIP_EM_NONE)
    return gw_fail(err, GW_EENCRYPTED, "%s: %s is password-protected",
                   zip->name, entry);
  if (st.size > zip->max_inflated - zip->inflated) return bomb(zip, entry, err);
  *stat = st;
  return GW_OK;
}

int gw_zip_read(gw_zip *zip, const char *entry, char **bytes, size_t *len,
                gw_error *err) {
  *bytes = NULL;
  *len = 0;
  zip_int64_t index;
  zip_stat_t st;
  int rc = open_entry(zip, entry, &index, &st, err);
  if (rc < 0) return rc;
  /* One byte more than declared, to notice an entry that lies about it. */
  size_t room = (size_t)st.size + 1;
  char *buf = malloc(room + 1);
  if (!buf) return gw_fail(err, GW_ENOMEM, "%s: out of memory", zip->name);
  rc = inflate_entry(zip, index, entry, buf, room, len, err);
  if (rc < 0) {
    free(buf);
    *len = 0;
    return rc;
  }
  zip->inflated += *len;
  buf[*len] = '\0';
  *bytes = buf;
  return GW_OK;
}

/* ------------------------------------------------------------------ */
/* Parts inflated as the parser asks for more                          */
/* ------------------------------------------------------------------ */

/* Deflated bytes taken from libzip at a time. */
#define DEFLATED_CHUNK 32768
/* ISA-L builds larger decoding tables than zlib for each block: on the
 * small parts of a short report (a few KB deflated) zlib is as fast, and
 * 100 such reports took 12 % more CPU with ISA-L on every part. */
#define FAST_FROM 16384 /* deflated bytes */

/* A deflated entry inflated by ISA-L's igzip instead of zlib (about four
 * times as fast on a 10 MB document.xml, and streaming, so that the part
 * is still never held whole).  libzip hands over the entry's deflated
 * bytes (ZIP_FL_COMPRESSED); the CRC and the inflated size are checked
 * here.  Whatever is not a clean, complete stream of the declared size and
 * CRC (a damaged entry, trailing bytes) goes back to libzip's own reading,
 * which gives the error it always gave. */
typedef struct fast_inflate {
  zip_file_t *deflated;
  zip_uint64_t deflated_left; /* not yet taken from libzip */
  zip_uint64_t declared;
  zip_uint32_t crc;
  struct inflate_state state;
  unsigned char in[DEFLATED_CHUNK];
} fast_inflate;

typedef struct part_stream {
  gw_zip *zip;
  zip_int64_t index;
  fast_inflate *fast; /* or NULL: libzip inflates (file) */
  zip_file_t *file;
  char *entry;
  zip_uint64_t declared, inflated;
  gw_error error; /* set once the stream failed */
  int failed;
} part_stream;

static fast_inflate *fast_open(gw_zip *zip, zip_int64_t index,
                               const zip_stat_t *st) {
  const zip_uint64_t needed =
      ZIP_STAT_COMP_METHOD | ZIP_STAT_COMP_SIZE | ZIP_STAT_CRC;
  if (zip->inflate_by == ALWAYS_LIBZIP || (st->valid & needed) != needed ||
      st->comp_method != ZIP_CM_DEFLATE ||
      (zip->inflate_by == BY_SIZE && st->comp_size < FAST_FROM))
    return NULL;
  fast_inflate *f = malloc(sizeof *f);
  if (!f) return NULL;
  f->deflated = zip_fopen_index(zip->archive, (zip_uint64_t)index,
                                ZIP_FL_COMPRESSED);
  if (!f->deflated) {
    free(f);
    return NULL;
  }
  f->deflated_left = st->comp_size;
  f->declared = st->size;
  f->crc = st->crc;
  isal_inflate_init(&f->state);
  f->state.crc_flag = ISAL_GZIP_NO_HDR; /* the CRC-32 of what inflates */
  f->state.avail_in = 0;
  return f;
}

static void fast_close(fast_inflate *f) {
  if (!f) return;
  zip_fclose(f->deflated);
  free(f);
}

/* Fill buffer (len bytes) from the entry: the count, short only at its
 * end; -1 when the stream is anything but clean (given back to libzip). */
static zip_int64_t fast_read(fast_inflate *f, char *buffer, size_t len) {
  struct inflate_state *st = &f->state;
  if (len > UINT32_MAX) len = UINT32_MAX;
  st->next_out = (uint8_t *)buffer;
  st->avail_out = (uint32_t)len;
  int stalled = 0; /* calls in a row that moved no byte */
  while (st->avail_out > 0 && st->block_state != ISAL_BLOCK_FINISH) {
    if (st->avail_in == 0 && f->deflated_left > 0) {
      zip_uint64_t want = f->deflated_left < DEFLATED_CHUNK ? f->deflated_left
                                                             : DEFLATED_CHUNK;
      zip_int64_t got = zip_fread(f->deflated, f->in, want);
      if (got <= 0) return -1;
      f->deflated_left -= (zip_uint64_t)got;
      st->next_in = f->in;
      st->avail_in = (uint32_t)got;
    }
    uint32_t in_before = st->avail_in, out_before = st->avail_out;
    /* (with every deflated byte in, it still decodes what it holds and
     * hands on what it inflated last) */
    if (isal_inflate(st) < 0) return -1;
    if (st->avail_in != in_before || st->avail_out != out_before)
      stalled = 0;
    else if (st->block_state != ISAL_BLOCK_FINISH && ++stalled == 4)
      return -1; /* cut short */
  }
  size_t produced = len - st->avail_out;
  /* A stream past its declared size is the caller's to refuse (a bomb);
   * one that ends short of it, with a wrong CRC or with deflated bytes
   * left over is libzip's to judge. */
  if (st->block_state == ISAL_BLOCK_FINISH && st->total_out <= f->declared &&
      (st->total_out != f->declared || st->crc != f->crc ||
       st->avail_in != 0 || f->deflated_left != 0))
    return -1;
  return (zip_int64_t)produced;
}

static void stream_fail(part_stream *s) {
  s->failed = 1;
  if (!out_of_memory_in(zip_file_get_error(s->file), s->zip->name, &s->error))
    gw_fail(&s->error, GW_EDAMAGED, "%s: %s is damaged (%s)", s->zip->name,
            s->entry, zip_error_strerror(zip_file_get_error(s->file)));
}

static int open_file(gw_zip *zip, zip_int64_t index, const char *part,
                     zip_file_t **file, gw_error *err) {
  *file = zip_fopen_index(zip->archive, (zip_uint64_t)index, 0);
  if (*file) return GW_OK;
  int rc = out_of_memory_in(zip_get_error(zip->archive), zip->name, err);
  if (!rc)
    rc = gw_fail(err, GW_EDAMAGED, "%s: %s cannot be read (%s)", zip->name,
                 part, zip_strerror(zip->archive));
  return rc;
}

/* The fast inflater gave up: libzip reads the entry from its start, past
 * what was already handed on (read in the sizes it was handed on in, as
 * libzip alone would have), and goes on from there. */
static int back_to_libzip(part_stream *s, char *buffer, int len) {
  fast_close(s->fast);
  s->fast = NULL;
  if (open_file(s->zip, s->index, s->entry, &s->file, &s->error) < 0) {
    s->failed = 1;
    return -1;
  }
  for (zip_uint64_t skipped = 0; skipped < s->inflated;) {
    zip_uint64_t want = s->inflated - skipped;
    if (want > (zip_uint64_t)len) want = (zip_uint64_t)len;
    zip_int64_t r = zip_fread(s->file, buffer, want);
    if (r < 0) {
      stream_fail(s);
      return -1;
    }
    if (r == 0) break; /* libzip ends sooner: from there on, as it says */
    skipped += (zip_uint64_t)r;
  }
  return 0;
}

static int stream_read(void *ctx, char *buffer, int len) {
  part_stream *s = ctx;
  if (s->failed) return -1;
  if (len <= 0) return 0;
  zip_int64_t r = -1;
  if (s->fast) r = fast_read(s->fast, buffer, (size_t)len);
  if (r < 0 && s->fast && back_to_libzip(s, buffer, len) < 0) return -1;
  if (r < 0) r = zip_fread(s->file, buffer, (zip_uint64_t)len);
  if (r < 0) {
    stream_fail(s);
    return -1;
  }
  s->inflated += (zip_uint64_t)r;
  s->zip->inflated += (size_t)r;
  if (s->fast) s->zip->fast_inflated += (size_t)r;
  /* more than it declared, or past the cap: a bomb */
  if (s->inflated > s->declared || s->zip->inflated > s->zip->max_inflated) {
    s->failed = 1;
    bomb(s->zip, s->entry, &s->error);
    return -1;
  }
  return (int)r;
}

static void stream_destroy(void *ctx) {
  part_stream *s = ctx;
  fast_close(s->fast);
  if (s->file) zip_fclose(s->file);
  free(s->entry);
  free(s);
}

static const char *stream_error(void *ctx) {
  part_stream *s = ctx;
  return s->failed ? s->error.message : NULL;
}

/* The stream of a part, located and checked; *out NULL (GW_OK) when an
 * optional part (role NULL) is absent. */
static int open_stream(gw_zip *zip, const char *part, const char *role,
                       part_stream **out, gw_error *err) {
  *out = NULL;
  gw_error inner;
  zip_int64_t index;
  zip_stat_t st;
  int rc = open_entry(zip, part, &index, &st, &inner);
  if (rc == GW_ENOTFOUND && !role) return GW_OK;
  if (rc == GW_ENOTFOUND)
    return gw_fail(err, GW_EDAMAGED, "%s: the %s %s is missing", zip->name,
                   role, part);
  if (rc < 0) {
    if (err) *err = inner;
    return rc;
  }
  part_stream *s = calloc(1, sizeof *s);
  if (!s || !(s->entry = strdup(part))) {
    free(s);
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", zip->name);
  }
  s->zip = zip;
  s->index = index;
  s->declared = st.size;
  /* (when the fast way cannot start, libzip's own way says why) */
  s->fast = fast_open(zip, index, &st);
  if (!s->fast && (rc = open_file(zip, index, part, &s->file, err)) < 0) {
    free(s->entry);
    free(s);
    return rc;
  }
  *out = s;
  return GW_OK;
}

int gw_zip_xml(gw_zip *zip, const char *part, const char *role,
               gw_xml_reader *reader, gw_error *err) {
  *reader = NULL;
  part_stream *s;
  int rc = open_stream(zip, part, role, &s, err);
  if (rc < 0 || !s) return rc;
  gw_xml_source source = {stream_read, stream_destroy, stream_error, s};
  *reader = gw_xml_reader_new_source(&source, part);
  if (!*reader) return gw_fail(err, GW_ENOMEM, "%s: out of memory", zip->name);
  return GW_OK;
}

static int parse_failed(gw_zip *zip, const char *part, const char *why,
                        int out_of_memory, gw_error *err) {
  if (out_of_memory)
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", zip->name);
  return gw_fail(err, GW_EDAMAGED, "%s: %s: malformed XML (%s)", zip->name,
                 part, why);
}

/* Inflated bytes handed to the parser at a time: small enough to stay in
 * the cache between inflating and parsing. */
#define PARSE_CHUNK 65536

int gw_zip_parse(gw_zip *zip, const char *part, const char *role,
                 const gw_xml_events *events, void *user, gw_error *err) {
  part_stream *s;
  int rc = open_stream(zip, part, role, &s, err);
  if (rc < 0 || !s) return rc;
  gw_xml_push *push = gw_xml_push_new(events, user, part);
  char *chunk = malloc(PARSE_CHUNK);
  if (!push || !chunk)
    rc = gw_fail(err, GW_ENOMEM, "%s: out of memory", zip->name);
  while (rc == GW_OK) {
    int n = stream_read(s, chunk, PARSE_CHUNK);
    if (n < 0) {
      rc = gw_fail(err, s->error.code, "%s", s->error.message);
      break;
    }
    int r = gw_xml_push_feed(push, chunk, (size_t)n, n == 0);
    if (r < 0)
      rc = parse_failed(zip, part, gw_xml_push_error(push),
                        gw_xml_push_out_of_memory(push), err);
    if (r != 0 || n == 0) break;
  }
  free(chunk);
  gw_xml_push_free(push);
  stream_destroy(s);
  return rc;
}

void gw_zip_xml_close(gw_xml_reader reader) { gw_xml_reader_free(reader); }

int gw_zip_xml_failed(gw_xml_reader reader, const char *name,
                      const char *part, gw_error *err) {
  const char *why = gw_xml_source_error(reader);
  if (why) return gw_fail(err, GW_EDAMAGED, "%s", why);
  if (gw_xml_reader_out_of_memory(reader))
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", name);
  return gw_fail(err, GW_EDAMAGED, "%s: %s: malformed XML (%s)", name, part,
                 gw_xml_reader_error(reader));
}

char *gw_zip_resolve(const char *base, const char *target) {
  size_t blen = 0;
  if (target[0] != '/') {
    const char *slash = strrchr(base, '/');
    blen = slash ? (size_t)(slash - base) + 1 : 0;
  }
  size_t tlen = strlen(target);
  char *joined = malloc(blen + tlen + 1);
  if (!joined) return NULL;
  memcpy(joined, base, blen);
  memcpy(joined + blen, target, tlen + 1);
  /* Fold "." and ".." segments in place. */
  char *out = joined;
  size_t o = 0;
  const char *p = joined;
  while (*p) {
    while (*p == '/') p++;
    const char *seg = p;
    while (*p && *p != '/') p++;
    size_t n = (size_t)(p - seg);
    if (n == 0 || (n == 1 && seg[0] == '.')) continue;
    if (n == 2 && seg[0] == '.' && seg[1] == '.') {
      while (o > 0 && out[o - 1] != '/') o--;
      if (o > 0) o--; /* the slash before the dropped segment */
      continue;
    }
    if (o > 0 && out[o - 1] != '/') out[o++] = '/';
    memmove(out + o, seg, n);
    o += n;
  }
  out[o] = '\0';
  return joined;
}
