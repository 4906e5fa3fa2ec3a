/*
 * reads.c — batches of reads through io_uring, or pread (reads.h).  The
 * ring is set up with the raw system calls (no library needed): the
 * submission queue, its entries and the completion queue mapped from the
 * ring's descriptor, as io_uring_setup(2) describes.
 */
#define _GNU_SOURCE
#include "reads.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__linux__) && __has_include(<linux/io_uring.h>)
#include <linux/io_uring.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#define GW_HAVE_IO_URING 1
#endif

struct gw_reads {
  unsigned depth;
  int ring; /* -1: pread */
#ifdef GW_HAVE_IO_URING
  void *sq_map, *cq_map;
  size_t sq_len, cq_len;
  struct io_uring_sqe *sqes;
  size_t sqes_len;
  unsigned *sq_tail, *sq_array, sq_mask;
  unsigned *cq_head, *cq_tail, cq_mask;
  struct io_uring_cqe *cqes;
#endif
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

#ifdef GW_HAVE_IO_URING
static void ring_close(gw_reads *r) {
  if (r->sqes) munmap(r->sqes, r->sqes_len);
  if (r->cq_map && r->cq_map != r->sq_map) munmap(r->cq_map, r->cq_len);
  if (r->sq_map) munmap(r->sq_map, r->sq_len);
  if (r->ring >= 0) close(r->ring);
  r->sqes = NULL;
  r->sq_map = r->cq_map = NULL;
  r->ring = -1;
}

/* The ring set up, or r->ring left -1 (then pread). */
static void ring_open(gw_reads *r) {
  struct io_uring_params p;
  memset(&p, 0, sizeof p);
  r->ring = (int)syscall(__NR_io_uring_setup, r->depth, &p);
  if (r->ring < 0) {
    r->ring = -1;
    return;
  }
  r->sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
  r->cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
  int single = (p.features & IORING_FEAT_SINGLE_MMAP) != 0;
  if (single && r->cq_len > r->sq_len) r->sq_len = r->cq_len;
  r->sq_map = mmap(NULL, r->sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->ring,
                   IORING_OFF_SQ_RING);
  if (r->sq_map == MAP_FAILED) r->sq_map = NULL;
  r->cq_map = single || !r->sq_map
                  ? r->sq_map
                  : mmap(NULL, r->cq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
                         r->ring, IORING_OFF_CQ_RING);
  if (r->cq_map == MAP_FAILED) r->cq_map = NULL;
  r->sqes_len = p.sq_entries * sizeof(struct io_uring_sqe);
  r->sqes = r->cq_map ? mmap(NULL, r->sqes_len, PROT_READ | PROT_WRITE,
                             MAP_SHARED | MAP_POPULATE, r->ring, IORING_OFF_SQES)
                      : MAP_FAILED;
  if (r->sqes == MAP_FAILED) {
    r->sqes = NULL;
    ring_close(r);
    return;
  }
  char *sq = r->sq_map, *cq = r->cq_map;
  r->sq_tail = (unsigned *)(void *)(sq + p.sq_off.tail);
  r->sq_array = (unsigned *)(void *)(sq + p.sq_off.array);
  r->sq_mask = *(unsigned *)(void *)(sq + p.sq_off.ring_mask);
  r->cq_head = (unsigned *)(void *)(cq + p.cq_off.head);
  r->cq_tail = (unsigned *)(void *)(cq + p.cq_off.tail);
  r->cq_mask = *(unsigned *)(void *)(cq + p.cq_off.ring_mask);
  r->cqes = (struct io_uring_cqe *)(void *)(cq + p.cq_off.cqes);
  if (p.sq_entries < r->depth) r->depth = p.sq_entries;
}

/* reads[0..n), n <= depth, submitted and waited for: 0, or -1 when the
 * ring failed (the reads not completed are then left with got -1). */
static int ring_batch(gw_reads *r, gw_read *reads, unsigned n) {
  unsigned tail = *r->sq_tail;
  for (unsigned j = 0; j < n; j++) {
    unsigned at = (tail + j) & r->sq_mask;
    struct io_uring_sqe *e = &r->sqes[at];
    memset(e, 0, sizeof *e);
    e->opcode = IORING_OP_READ;
    e->fd = reads[j].fd;
    e->off = reads[j].off;
    e->addr = (uint64_t)(uintptr_t)reads[j].buf;
    e->len = (uint32_t)reads[j].len;
    e->user_data = j;
    r->sq_array[at] = at;
    reads[j].got = -1;
  }
  atomic_store_explicit((_Atomic unsigned *)r->sq_tail, tail + n, memory_order_release);
  unsigned submitted = 0, done = 0, failures = 0;
  while (done < n) {
    long rc = syscall(__NR_io_uring_enter, r->ring, n - submitted, n - done,
                      IORING_ENTER_GETEVENTS, NULL, 0);
    if (rc < 0) {
      /* Interrupted or busy: again.  Otherwise, with nothing in flight,
       * the ring is given up; reads in flight are waited for (they write
       * into the caller's buffers). */
      int again = errno == EINTR || errno == EAGAIN || errno == EBUSY;
      if ((!again && submitted == done) || ++failures > 1000) return -1;
      continue;
    }
    submitted += (unsigned)rc;
    unsigned head = *r->cq_head;
    unsigned end = atomic_load_explicit((_Atomic unsigned *)r->cq_tail, memory_order_acquire);
    for (; head != end; head++, done++) {
      const struct io_uring_cqe *c = &r->cqes[head & r->cq_mask];
      if (c->user_data < n) reads[c->user_data].got = c->res;
    }
    atomic_store_explicit((_Atomic unsigned *)r->cq_head, head, memory_order_release);
  }
  return 0;
}
#endif

gw_reads *gw_reads_new(unsigned depth) {
  gw_reads *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->depth = depth ? depth : 1;
  r->ring = -1;
#ifdef GW_HAVE_IO_URING
  ring_open(r);
#endif
  return r;
}

void gw_reads_free(gw_reads *r) {
  if (!r) return;
#ifdef GW_HAVE_IO_URING
  ring_close(r);
#endif
  free(r);
}

void gw_reads_run(gw_reads *r, gw_read *reads, size_t n) {
  for (size_t i = 0; i < n; i++) reads[i].got = -1;
#ifdef GW_HAVE_IO_URING
  for (size_t i = 0; r && r->ring >= 0 && i < n;) {
    unsigned batch = n - i < r->depth ? (unsigned)(n - i) : r->depth;
    if (ring_batch(r, reads + i, batch)) ring_close(r); /* the rest by pread */
    i += batch;
  }
#else
  (void)r;
#endif
  /* What the ring did not read whole (all of them without a ring). */
  for (size_t i = 0; i < n; i++)
    if (reads[i].got != (ssize_t)reads[i].len) read_one(&reads[i]);
}
