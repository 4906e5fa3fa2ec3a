/*
 * reads.c — batches of reads through io_uring (Debian's liburing), or
 * pread (reads.h).  The ring is the reader's own, never shared between
 * threads, so liburing's single-issuer calls are all it needs.
 */
#define _GNU_SOURCE
#include "reads.h"

#include <errno.h>
#include <liburing.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

struct gw_reads {
  unsigned depth;
  bool has_ring; /* false: pread */
  struct io_uring ring;
};

static void read_one(gw_read *r) {
  size_t done = 0;
  while (done < r->len) {
    ssize_t got = pread(r->fd, (char *)r->buf + done, r->len - done, (off_t)(r->off + done));
    if (got <= 0) break;
    done += (size_t)got;
  }
  r->got = done == r->len ? (ssize_t)done : -1;
}

static void ring_close(gw_reads *r) {
  if (r->has_ring) io_uring_queue_exit(&r->ring);
  r->has_ring = false;
}

/* The ring set up, or has_ring left false (then pread): io_uring missing
 * (ENOSYS), refused by a sandbox's seccomp filter (EPERM), out of locked
 * memory (ENOMEM), or a depth the kernel does not take (EINVAL). */
static void ring_open(gw_reads *r) {
  if (io_uring_queue_init(r->depth, &r->ring, 0) < 0) return;
  r->has_ring = true;
  if (r->ring.sq.ring_entries < r->depth) r->depth = r->ring.sq.ring_entries;
}

/* The completions posted so far given to their reads; how many. */
static unsigned ring_reap(gw_reads *r, gw_read *reads, unsigned n) {
  unsigned reaped = 0;
  struct io_uring_cqe *c;
  while (io_uring_peek_cqe(&r->ring, &c) == 0) {
    uint64_t j = io_uring_cqe_get_data64(c);
    if (j < n) reads[j].got = c->res;
    io_uring_cqe_seen(&r->ring, c);
    reaped++;
  }
  return reaped;
}

/* reads[0..n), n <= depth, submitted and waited for: 0, or -1 when the
 * ring failed (the reads not completed are then left with got -1). */
static int ring_batch(gw_reads *r, gw_read *reads, unsigned n) {
  for (unsigned j = 0; j < n; j++) {
    struct io_uring_sqe *e = io_uring_get_sqe(&r->ring);
    if (!e) return -1; /* cannot happen with n <= depth: nothing submitted yet */
    io_uring_prep_read(e, reads[j].fd, reads[j].buf, (unsigned)reads[j].len, reads[j].off);
    io_uring_sqe_set_data64(e, j);
    reads[j].got = -1;
  }
  unsigned submitted = 0, done = 0, failures = 0;
  while (done < n) {
    /* Submits what the kernel has not taken yet, waits for the rest. */
    int rc = io_uring_submit_and_wait(&r->ring, n - done);
    if (rc < 0) {
      /* Interrupted or busy: again.  Otherwise, with nothing in flight,
       * the ring is given up; reads in flight are waited for (they write
       * into the caller's buffers). */
      bool again = rc == -EINTR || rc == -EAGAIN || rc == -EBUSY;
      if ((!again && submitted == done) || ++failures > 1000) return -1;
      continue;
    }
    submitted += (unsigned)rc;
    done += ring_reap(r, reads, n);
  }
  return 0;
}

gw_reads *gw_reads_new(unsigned depth) {
  gw_reads *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->depth = depth ? depth : 1;
  ring_open(r);
  return r;
}

void gw_reads_free(gw_reads *r) {
  if (!r) return;
  ring_close(r);
  free(r);
}

void gw_reads_run(gw_reads *r, gw_read *reads, size_t n) {
  for (size_t i = 0; i < n; i++) reads[i].got = -1;
  for (size_t i = 0; r && r->has_ring && i < n;) {
    unsigned batch = n - i < r->depth ? (unsigned)(n - i) : r->depth;
    if (ring_batch(r, reads + i, batch)) ring_close(r); /* the rest by pread */
    i += batch;
  }
  /* What the ring did not read whole (all of them without a ring). */
  for (size_t i = 0; i < n; i++)
    if (reads[i].got != (ssize_t)reads[i].len) read_one(&reads[i]);
}
