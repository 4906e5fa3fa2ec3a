/*
 * reads.h — many small reads of files at once.  A check reads tens of
 * thousands of scattered pieces of its segments (the entries of the values
 * it finds); on a machine where a system call costs more than the read
 * itself, one call for a whole batch (Linux's io_uring) takes a third of
 * the CPU of a pread each.  Where io_uring is missing or refused (an older
 * kernel, a sandbox), each read is a pread.  Private.
 */
#ifndef GW_ARCHIVE_READS_H
#define GW_ARCHIVE_READS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One read: len bytes of fd at off into buf; got: the bytes read, or -1. */
typedef struct gw_read {
  int fd;
  uint64_t off;
  size_t len;
  void *buf;
  ssize_t got;
} gw_read;

typedef struct gw_reads gw_reads;

/* A reader for batches of up to `depth` reads; NULL when out of memory
 * (then gw_reads_run reads one by one). */
gw_reads *gw_reads_new(unsigned depth);
void gw_reads_free(gw_reads *r);
/* All n reads done (in any order), each one's got set.  r may be NULL. */
void gw_reads_run(gw_reads *r, gw_read *reads, size_t n);

#endif
