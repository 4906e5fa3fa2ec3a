/*
 * manifest.h — the archive's commit point in memory (manifest.c).  Private.
 */
#ifndef GW_ARCHIVE_MANIFEST_H
#define GW_ARCHIVE_MANIFEST_H

#include "archive_private.h"

#define GW_MANIFEST_NAME "MANIFEST"
#define GW_LOCK_NAME "LOCK"

typedef struct gw_manifest {
  uint64_t generation;
  uint64_t next_segment;   /* the number the next segment file gets */
  gw_archive_params params;
  gw_seg *segs;            /* in order; mapped by the archive */
  size_t seg_count, seg_cap;
} gw_manifest;

/* Read and check dir/MANIFEST (GW_ENOTFOUND when there is none). */
int gw_manifest_read(gw_manifest *m, const char *dir, gw_error *err);
/* Commit m as dir's current generation (temporary file, fsync, rename,
 * fsync of the directory). */
int gw_manifest_write(const gw_manifest *m, const char *dir, gw_error *err);
/* Frees the segments' names and tombstones (not their maps). */
void gw_manifest_clear(gw_manifest *m);

int gw_archive_fsync_dir(const char *dir, gw_error *err);
/* dir/name, malloc'd (NULL when out of memory). */
char *gw_archive_join(const char *dir, const char *name);

#endif
