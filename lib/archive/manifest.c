/*
 * manifest.c — the archive's commit point: MANIFEST, a small text file
 * naming the format version, the parameters, the generation and the live
 * segments with their tombstones, ending in its own checksum.  A new
 * generation is written to MANIFEST.tmp, fsynced, renamed over MANIFEST,
 * and the directory fsynced.  Layout in FORMAT.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "manifest.h"

void gw_manifest_clear(gw_manifest *m) {
  for (size_t i = 0; i < m->seg_count; i++) {
    free(m->segs[i].name);
    free(m->segs[i].deleted);
  }
  free(m->segs);
  memset(m, 0, sizeof *m);
}

/* ---- text ---- */

typedef struct sbuf {
  char *s;
  size_t len, cap;
  int failed;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) GW_PRINTF(2, 3);
static void sb_printf(sbuf *b, const char *fmt, ...) {
  if (b->failed) return;
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
    va_end(ap);
    if (n < 0) { b->failed = 1; return; }
    if (b->s && b->len + (size_t)n < b->cap) { b->len += (size_t)n; return; }
    if (GW_GROW(b->s, b->cap, b->len + (size_t)n + 1) != GW_OK) b->failed = 1;
    if (b->failed) return;
  }
}

static char *manifest_text(const gw_manifest *m, size_t *len) {
  sbuf b = {0};
  const gw_archive_params *p = &m->params;
  sb_printf(&b, "gongwen-archive %d\n", GW_ARCHIVE_FORMAT_VERSION);
  sb_printf(&b, "generation %" PRIu64 "\n", m->generation);
  sb_printf(&b, "normalizer %s\n", p->normalizer);
  sb_printf(&b, "prepared %d\n", GW_DUPS_PREPARED_VERSION);
  sb_printf(&b, "shingle_k %u\nminhash %u\nbands %u\nmin_paragraph %u\n", p->shingle_k,
            p->minhash_count, p->bands, p->min_paragraph_chars);
  sb_printf(&b, "passage_t %u\npassage_k %u\nwindow %u\n", p->passage_t, p->passage_k,
            p->passage_t - p->passage_k + 1);
  sb_printf(&b, "seed %016" PRIx64 "\nterms %016" PRIx64 "\nnoise %016" PRIx64 "\n", p->seed,
            p->terms_checksum, p->noise_checksum);
  sb_printf(&b, "next_segment %" PRIu64 "\n", m->next_segment);
  for (size_t i = 0; i < m->seg_count; i++) {
    const gw_seg *s = &m->segs[i];
    sb_printf(&b, "segment %s %u %" PRIu64 " %016" PRIx64 " %zu\n", s->name, s->doc_count,
              s->bytes, s->sum, s->deleted_count);
    if (s->deleted_count) {
      sb_printf(&b, "deleted");
      for (uint32_t d = 0; d < s->doc_count; d++)
        if (s->deleted[d]) sb_printf(&b, " %u", d);
      sb_printf(&b, "\n");
    }
  }
  if (!b.failed) sb_printf(&b, "checksum %016" PRIx64 "\n", gw_archive_sum(b.s, b.len));
  if (b.failed) {
    free(b.s);
    return NULL;
  }
  *len = b.len;
  return b.s;
}

/* ---- parsing ---- */

typedef struct parser {
  const char *path;
  char *text;
  size_t line;
  char *next;
} parser;

/* The next line (NUL-terminated in place), or NULL at the end. */
static char *next_line(parser *ps) {
  if (!ps->next || !*ps->next) return NULL;
  char *line = ps->next;
  char *nl = strchr(line, '\n');
  if (nl) {
    *nl = '\0';
    ps->next = nl + 1;
  } else {
    ps->next = NULL;
  }
  ps->line++;
  return line;
}

static int bad(parser *ps, gw_error *err, const char *what) {
  return gw_fail_at(err, GW_EDAMAGED, GW_NO_OFFSET, ps->line, 0, "%s:%zu: damaged manifest: %s",
                    ps->path, ps->line, what);
}

/* "key VALUE" with a number; base 10 or 16. */
static int keyed_number(parser *ps, const char *key, int base, uint64_t *out, gw_error *err) {
  char *line = next_line(ps);
  size_t k = strlen(key);
  if (!line || strncmp(line, key, k) != 0 || line[k] != ' ') return bad(ps, err, key);
  char *end;
  errno = 0;
  unsigned long long v = strtoull(line + k + 1, &end, base);
  if (errno || end == line + k + 1 || *end) return bad(ps, err, key);
  *out = v;
  return GW_OK;
}

static int keyed_unsigned(parser *ps, const char *key, unsigned *out, gw_error *err) {
  uint64_t v = 0;
  int rc = keyed_number(ps, key, 10, &v, err);
  if (!rc && v > 100000000u) rc = bad(ps, err, key);
  if (!rc) *out = (unsigned)v;
  return rc;
}

static int parse_segment(parser *ps, char *line, gw_manifest *m, gw_error *err) {
  char name[64];
  unsigned docs;
  unsigned long long bytes, sum;
  size_t deleted;
  int used = 0;
  if (sscanf(line, "segment %63s %u %llu %llx %zu%n", name, &docs, &bytes, &sum, &deleted,
             &used) != 5 || line[used] || deleted > docs)
    return bad(ps, err, "segment line");
  if (strncmp(name, "seg-", 4) != 0 || strchr(name, '/')) return bad(ps, err, "segment name");
  if (GW_GROW(m->segs, m->seg_cap, m->seg_count + 1) != GW_OK)
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", ps->path);
  gw_seg *s = &m->segs[m->seg_count];
  memset(s, 0, sizeof *s);
  s->name = strdup(name);
  s->deleted = calloc(docs + 1, 1);
  m->seg_count++;
  if (!s->name || !s->deleted) return gw_fail(err, GW_ENOMEM, "%s: out of memory", ps->path);
  s->seq = strtoull(name + 4, NULL, 10);
  s->doc_count = docs;
  s->bytes = bytes;
  s->sum = sum;
  s->deleted_count = deleted;
  if (!deleted) return GW_OK;
  char *dl = next_line(ps);
  if (!dl || strncmp(dl, "deleted", 7) != 0) return bad(ps, err, "deleted line");
  char *p = dl + 7;
  for (size_t i = 0; i < deleted; i++) {
    char *end;
    if (*p != ' ') return bad(ps, err, "deleted line");
    unsigned long v = strtoul(p + 1, &end, 10);
    if (end == p + 1 || v >= docs || s->deleted[v]) return bad(ps, err, "deleted line");
    s->deleted[v] = 1;
    p = end;
  }
  if (*p) return bad(ps, err, "deleted line");
  return GW_OK;
}

static int parse(parser *ps, size_t len, gw_manifest *m, gw_error *err) {
  /* The checksum line covers everything before it. */
  char *last = len ? ps->text + len - 1 : ps->text;
  if (len < 2 || *last != '\n')
    return gw_fail(err, GW_EDAMAGED, "%s: damaged manifest: truncated (no final line)", ps->path);
  char *cl = last;
  while (cl > ps->text && cl[-1] != '\n') cl--;
  unsigned long long sum;
  int used = 0;
  if (sscanf(cl, "checksum %16llx%n", &sum, &used) != 1 || cl[used] != '\n')
    return gw_fail(err, GW_EDAMAGED, "%s: damaged manifest: truncated (no checksum line)",
                   ps->path);
  if (gw_archive_sum(ps->text, (size_t)(cl - ps->text)) != sum)
    return gw_fail(err, GW_EDAMAGED, "%s: damaged manifest: checksum mismatch", ps->path);
  *cl = '\0';
  ps->next = ps->text;
  char *line = next_line(ps);
  unsigned version;
  if (!line || sscanf(line, "gongwen-archive %u", &version) != 1)
    return bad(ps, err, "not a gongwen archive manifest");
  if (version != GW_ARCHIVE_FORMAT_VERSION)
    return gw_fail(err, GW_EINVAL, "%s: archive format version %u; this library reads "
                   "version %d only (make a new archive with init and add the reports "
                   "again)", ps->path, version, GW_ARCHIVE_FORMAT_VERSION);
  gw_archive_params *p = &m->params;
  unsigned window;
  int rc = keyed_number(ps, "generation", 10, &m->generation, err);
  if (!rc) {
    line = next_line(ps);
    if (!line || strncmp(line, "normalizer ", 11) != 0 || strlen(line + 11) >= sizeof p->normalizer)
      rc = bad(ps, err, "normalizer");
    else
      strcpy(p->normalizer, line + 11);
  }
  unsigned prepared;
  if (!rc) rc = keyed_unsigned(ps, "prepared", &prepared, err);
  if (!rc && prepared != GW_DUPS_PREPARED_VERSION)
    rc = gw_fail(err, GW_EINVAL, "%s: the archive holds prepared documents of version %u; "
                 "this library's are version %d (make a new archive with init and add the "
                 "reports again)", ps->path, prepared, GW_DUPS_PREPARED_VERSION);
  if (!rc) rc = keyed_unsigned(ps, "shingle_k", &p->shingle_k, err);
  if (!rc) rc = keyed_unsigned(ps, "minhash", &p->minhash_count, err);
  if (!rc) rc = keyed_unsigned(ps, "bands", &p->bands, err);
  if (!rc) rc = keyed_unsigned(ps, "min_paragraph", &p->min_paragraph_chars, err);
  if (!rc) rc = keyed_unsigned(ps, "passage_t", &p->passage_t, err);
  if (!rc) rc = keyed_unsigned(ps, "passage_k", &p->passage_k, err);
  if (!rc) rc = keyed_unsigned(ps, "window", &window, err);
  if (!rc) rc = keyed_number(ps, "seed", 16, &p->seed, err);
  if (!rc) rc = keyed_number(ps, "terms", 16, &p->terms_checksum, err);
  if (!rc) rc = keyed_number(ps, "noise", 16, &p->noise_checksum, err);
  if (!rc) rc = keyed_number(ps, "next_segment", 10, &m->next_segment, err);
  while (!rc && (line = next_line(ps)) != NULL) rc = parse_segment(ps, line, m, err);
  size_t first = 0;
  for (size_t i = 0; !rc && i < m->seg_count; i++) {
    m->segs[i].first = first;
    first += m->segs[i].doc_count;
  }
  return rc;
}

int gw_manifest_read(gw_manifest *m, const char *dir, gw_error *err) {
  memset(m, 0, sizeof *m);
  char *path = gw_archive_join(dir, GW_MANIFEST_NAME);
  if (!path) return gw_fail(err, GW_ENOMEM, "%s: out of memory", dir);
  unsigned char *bytes;
  size_t len;
  gw_error e;
  int rc = gw_read_file(path, &bytes, &len, &e);
  if (rc) {
    if (rc == GW_EIO && e.sys_errno == ENOENT)
      rc = gw_fail_at(err, GW_ENOTFOUND, GW_NO_OFFSET, 0, ENOENT,
                      "%s: not an archive (no %s; make one with init)", dir, GW_MANIFEST_NAME);
    else if (err) *err = e;
    free(path);
    return rc;
  }
  parser ps = {path, (char *)bytes, 0, NULL};
  char *text = realloc(bytes, len + 1);
  if (!text) {
    free(bytes);
    free(path);
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", dir);
  }
  text[len] = '\0';
  ps.text = text;
  if (strlen(text) != len) rc = gw_fail(err, GW_EDAMAGED, "%s: damaged manifest: NUL byte", path);
  else rc = parse(&ps, len, m, err);
  free(text);
  free(path);
  if (rc) gw_manifest_clear(m);
  return rc;
}

int gw_archive_fsync_dir(const char *dir, gw_error *err) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || fsync(fd)) {
    int e = errno;
    if (fd >= 0) close(fd);
    return gw_fail_at(err, GW_EIO, GW_NO_OFFSET, 0, e, "%s: %s", dir, strerror(e));
  }
  close(fd);
  return GW_OK;
}

int gw_manifest_write(const gw_manifest *m, const char *dir, gw_error *err) {
  size_t len = 0;
  char *text = manifest_text(m, &len);
  char *tmp = gw_archive_join(dir, GW_MANIFEST_NAME ".tmp");
  char *path = gw_archive_join(dir, GW_MANIFEST_NAME);
  int rc = GW_OK;
  if (!text || !tmp || !path) {
    rc = gw_fail(err, GW_ENOMEM, "%s: out of memory", dir);
    goto done;
  }
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    int e = errno;
    rc = gw_fail_at(err, GW_EIO, GW_NO_OFFSET, 0, e, "%s: %s", tmp, strerror(e));
    goto done;
  }
  size_t off = 0;
  int failed = 0, e = 0;
  while (off < len) {
    ssize_t w = write(fd, text + off, len - off);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) { failed = 1; e = errno; break; }
    off += (size_t)w;
  }
  if (!failed && fsync(fd)) failed = 1, e = errno;
  if (close(fd) && !failed) failed = 1, e = errno;
  if (!failed && rename(tmp, path)) failed = 1, e = errno;
  if (failed) {
    unlink(tmp);
    rc = gw_fail_at(err, GW_EIO, GW_NO_OFFSET, 0, e, "%s: %s", tmp, strerror(e));
    goto done;
  }
  rc = gw_archive_fsync_dir(dir, err);
done:
  free(text);
  free(tmp);
  free(path);
  return rc;
}

char *gw_archive_join(const char *dir, const char *name) {
  size_t a = strlen(dir), b = strlen(name);
  char *p = malloc(a + b + 2);
  if (!p) return NULL;
  memcpy(p, dir, a);
  p[a] = '/';
  memcpy(p + a + 1, name, b + 1);
  return p;
}
