/*
 * archive_handle.h — the gw_archive handle, shared by archive.c, writer.c
 * and check.c.  Private.
 */
#ifndef GW_ARCHIVE_HANDLE_H
#define GW_ARCHIVE_HANDLE_H

#include "manifest.h"

struct gw_archive {
  char *dir;
  int writable;
  int lock_fd;               /* flock'd while writable */
  gw_manifest m;             /* the generation open, its segments mapped */
  gw_archive_segment *views; /* per segment, for gw_archive_segment_at */
  int views_ready;
  size_t doc_total;
};

int gw_archive_open_segments(gw_archive *a, gw_error *err);
int gw_archive_refresh_views(gw_archive *a, gw_error *err);
int gw_archive_need_writer(const gw_archive *a, gw_error *err);
int gw_archive_params_compare(const char *dir, const gw_archive_params *have,
                              const gw_archive_params *want, gw_error *err);
const gw_seg *gw_archive_locate(const gw_archive *a, size_t i, uint32_t *local,
                                size_t *segment);
/* Write b as the next segment and commit a generation with it appended
 * (replace_all: with it alone, the old segment files then removed). */
int gw_archive_commit_segment(gw_archive *a, const gw_seg_builder *b, int replace_all,
                              gw_error *err);

#include "archive_text.h"

/* The prepared document (what gw_dups_prepare computed) of document
 * `local` of s, checked against its checksum and record and opened into
 * *out (only checked when out is NULL).  GW_EDAMAGED names the segment and
 * the document. */
int gw_archive_prepared_open(const gw_archive *a, const gw_seg *s, uint32_t local,
                             gw_dups_prepared *out, gw_error *err);

/* A buffer that grows (8-byte aligned, as a prepared document wants). */
typedef struct gw_archive_buffer {
  uint64_t *words;
  size_t cap; /* words */
} gw_archive_buffer;

/* The same, read with pread into buf rather than through the map (a
 * candidate's pages would each cost a fault) when s's file is open. */
int gw_archive_prepared_read(const gw_archive *a, const gw_seg *s, uint32_t local,
                             gw_archive_buffer *buf, gw_dups_prepared *out, gw_error *err);

#endif
