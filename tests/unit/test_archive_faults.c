/* The archive under faults: corrupted and truncated files reported by
 * name, other parameters refused naming the difference, one writer at a
 * time, add and merge killed (SIGKILL) at many moments leaving the
 * previous generation readable and the leftovers cleaned by the next
 * writer, a full disk (RLIMIT_FSIZE) failing add with the archive
 * unchanged, readers checking in a loop while a writer adds and merges. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

#include "test_archive_util.h"

static const int four[] = {0, 1, 2, 3};

static void fresh(char *dir, size_t cap, const char *name) {
  snprintf(dir, cap, "%s/%s", root, name);
  make_archive(dir, four, 4);
}

static void flip_byte(const char *path, long offset_from, int from_end) {
  int fd = open(path, O_RDWR);
  off_t size = lseek(fd, 0, SEEK_END);
  off_t at = from_end ? size - offset_from : offset_from;
  unsigned char c;
  if (pread(fd, &c, 1, at) != 1) exit(1);
  c ^= 0x5a;
  if (pwrite(fd, &c, 1, at) != 1) exit(1);
  close(fd);
}

static void test_corruption(void) {
  char dir[300], seg[400], manifest[400];
  gw_archive *a;
  gw_error err;
  /* A document record: refused on open, naming the segment. */
  fresh(dir, sizeof dir, "c1");
  snprintf(seg, sizeof seg, "%s/seg-00000001.gws", dir);
  flip_byte(seg, 208 + 10, 0); /* DOCS starts after the 208-byte header */
  CHECK(gw_archive_open(&a, dir, GW_ARCHIVE_READ, NULL, &err) == GW_EDAMAGED && !a);
  CHECK(strstr(err.message, "seg-00000001.gws") != NULL);
  /* The prepared documents (the file's end): open reads only what it
   * needs; verify finds it. */
  fresh(dir, sizeof dir, "c2");
  snprintf(seg, sizeof seg, "%s/seg-00000001.gws", dir);
  flip_byte(seg, 20, 1);
  CHECK(gw_archive_open(&a, dir, GW_ARCHIVE_READ, NULL, &err) == GW_OK);
  if (a) {
    CHECK(gw_archive_verify(a, &err) == GW_EDAMAGED);
    CHECK(strstr(err.message, "seg-00000001.gws") != NULL);
    gw_archive_free(a);
  }
  /* A document's text: loading it fails, naming it. */
  fresh(dir, sizeof dir, "c3");
  snprintf(seg, sizeof seg, "%s/seg-00000001.gws", dir);
  CHECK(gw_archive_open(&a, dir, GW_ARCHIVE_READ, NULL, &err) == GW_OK);
  gw_archive_document d;
  gw_archive_document_at(&d, a, 0);
  char first[128];
  snprintf(first, sizeof first, "%s", d.entry.path);
  gw_archive_free(a);
  /* The text section starts after DOCS (4 records) and STRINGS. */
  {
    size_t len;
    char *bytes = slurp(seg, &len);
    const unsigned char *h = (const unsigned char *)bytes + 32 + 2 * 24;
    unsigned long long text_off = 0;
    for (int i = 7; i >= 0; i--) text_off = text_off << 8 | h[i];
    free(bytes);
    flip_byte(seg, (long)text_off + 40, 0);
  }
  CHECK(gw_archive_open(&a, dir, GW_ARCHIVE_READ, NULL, &err) == GW_OK);
  if (a) {
    gw_document *doc;
    CHECK(gw_archive_document_load(&doc, a, 0, &opts, &err) == GW_EDAMAGED);
    CHECK(strstr(err.message, first) != NULL && strstr(err.message, "seg-00000001.gws"));
    gw_archive_text *text = NULL;
    CHECK(gw_archive_text_load(&text, a, 0, &err) == GW_EDAMAGED && text == NULL);
    CHECK(strstr(err.message, first) != NULL && strstr(err.message, "seg-00000001.gws"));
    CHECK(gw_archive_verify(a, &err) == GW_EDAMAGED);
    gw_archive_free(a);
  }
  /* Truncated. */
  fresh(dir, sizeof dir, "c4");
  snprintf(seg, sizeof seg, "%s/seg-00000001.gws", dir);
  CHECK(truncate(seg, 1000) == 0);
  CHECK(gw_archive_open(&a, dir, GW_ARCHIVE_READ, NULL, &err) == GW_EDAMAGED);
  CHECK(strstr(err.message, "seg-00000001.gws: truncated") != NULL);
  /* The manifest: damaged, truncated, missing a segment. */
  fresh(dir, sizeof dir, "c5");
  snprintf(manifest, sizeof manifest, "%s/MANIFEST", dir);
  flip_byte(manifest, 30, 0);
  CHECK(gw_archive_open(&a, dir, GW_ARCHIVE_READ, NULL, &err) == GW_EDAMAGED);
  CHECK(strstr(err.message, "MANIFEST") != NULL);
  fresh(dir, sizeof dir, "c6");
  snprintf(manifest, sizeof manifest, "%s/MANIFEST", dir);
  CHECK(truncate(manifest, 100) == 0);
  CHECK(gw_archive_open(&a, dir, GW_ARCHIVE_READ, NULL, &err) == GW_EDAMAGED);
  CHECK(strstr(err.message, "MANIFEST: damaged manifest: truncated") != NULL);
  fresh(dir, sizeof dir, "c7");
  snprintf(seg, sizeof seg, "%s/seg-00000001.gws", dir);
  CHECK(unlink(seg) == 0);
  CHECK(gw_archive_open(&a, dir, GW_ARCHIVE_READ, NULL, &err) == GW_EDAMAGED);
  CHECK(strstr(err.message, "missing") != NULL);
}

static void test_parameters(void) {
  char dir[300];
  fresh(dir, sizeof dir, "p");
  gw_archive_params p;
  gw_archive *a;
  gw_error err;
  params(&p);
  CHECK(gw_archive_open(&a, dir, GW_ARCHIVE_READ, &p, &err) == GW_OK);
  gw_archive_free(a);
  p.seed ^= 1;
  CHECK(gw_archive_open(&a, dir, GW_ARCHIVE_READ, &p, &err) == GW_EINVAL && !a);
  CHECK(strstr(err.message, "seed") != NULL);
  params(&p);
  p.passage_k = 7;
  CHECK(gw_archive_open(&a, dir, GW_ARCHIVE_WRITE, &p, &err) == GW_EINVAL);
  CHECK(strstr(err.message, "passage_k 8; this run uses 7") != NULL);
  params(&p);
  p.terms_checksum = 99;
  CHECK(gw_archive_open(&a, dir, GW_ARCHIVE_READ, &p, &err) == GW_EINVAL);
  CHECK(strstr(err.message, "terms dictionary") != NULL);
  params(&p);
  strcpy(p.normalizer, "0.0.9");
  CHECK(gw_archive_open(&a, dir, GW_ARCHIVE_READ, &p, &err) == GW_EINVAL);
  CHECK(strstr(err.message, "normalizer") != NULL);
  /* A check asking for other index parameters is refused too. */
  CHECK(gw_archive_open(&a, dir, GW_ARCHIVE_READ, NULL, &err) == GW_OK);
  gw_archive_check_options o = {GW_ARCHIVE_CHECK_OPTIONS_VERSION, GW_DUPS_OPTIONS_INIT, opts,
                                NULL};
  o.dups.bands = 30;
  gw_archive_check *c;
  CHECK(gw_archive_check_new(&c, a, &o, &err) == GW_EINVAL && !c);
  CHECK(strstr(err.message, "bands") != NULL);
  gw_archive_free(a);
}

static void test_lock(void) {
  char dir[300];
  fresh(dir, sizeof dir, "l");
  gw_archive *a, *b;
  gw_error err;
  CHECK(gw_archive_open(&a, dir, GW_ARCHIVE_WRITE, NULL, &err) == GW_OK);
  CHECK(gw_archive_open(&b, dir, GW_ARCHIVE_WRITE, NULL, &err) == GW_EIO && !b);
  CHECK(err.sys_errno == EWOULDBLOCK);
  CHECK(strstr(err.message, "another writer") != NULL);
  /* Readers need no lock. */
  CHECK(gw_archive_open(&b, dir, GW_ARCHIVE_READ, NULL, &err) == GW_OK);
  gw_archive_free(b);
  gw_archive_free(a);
  CHECK(gw_archive_open(&b, dir, GW_ARCHIVE_WRITE, NULL, &err) == GW_OK);
  gw_archive_free(b);
}

/* Files in dir ending in suffix, or starting with seg- and not named by
 * the manifest (leftovers). */
static size_t count_leftovers(const char *dir) {
  gw_archive *a;
  gw_error err;
  size_t n = 0;
  if (gw_archive_open(&a, dir, GW_ARCHIVE_READ, NULL, &err)) return 1000;
  DIR *dh = opendir(dir);
  struct dirent *de;
  while (dh && (de = readdir(dh))) {
    size_t len = strlen(de->d_name);
    if (len > 4 && strcmp(de->d_name + len - 4, ".tmp") == 0) n++;
    else if (strncmp(de->d_name, "seg-", 4) == 0) {
      int named = 0;
      for (size_t i = 0; i < gw_archive_segment_count(a); i++)
        named |= strcmp(gw_archive_segment_at(a, i)->name, de->d_name) == 0;
      n += !named;
    }
  }
  if (dh) closedir(dh);
  gw_archive_free(a);
  return n;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Writer work in a child: add docs 4..7 under a prefix, or merge. */
static int child_work(const char *dir, int iteration) {
  gw_error err;
  if (iteration % 3 == 2) {
    gw_archive *a;
    if (gw_archive_open(&a, dir, GW_ARCHIVE_WRITE, NULL, &err)) return 1;
    int rc = gw_archive_merge(a, &err);
    gw_archive_free(a);
    return rc != 0;
  }
  static const int batch[] = {4, 5, 6, 7};
  char prefix[32];
  snprintf(prefix, sizeof prefix, "i%03d/", iteration);
  return add_prefixed(dir, batch, 4, prefix, &err) != 0;
}

static void test_kill(void) {
  char dir[300];
  fresh(dir, sizeof dir, "k");
  /* How long one add takes, to spread the kills over it. */
  double t0 = now();
  pid_t pid = fork();
  if (pid == 0) _exit(child_work(dir, 0));
  int status;
  waitpid(pid, &status, 0);
  double span = now() - t0;
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  int killed = 0, completed = 0;
  for (int i = 1; i <= 60; i++) {
    gw_archive *a;
    gw_error err;
    if (gw_archive_open(&a, dir, GW_ARCHIVE_READ, NULL, &err)) die(dir, &err);
    uint64_t before = gw_archive_generation(a);
    size_t docs_before = 0;
    for (size_t s = 0; s < gw_archive_segment_count(a); s++)
      docs_before += gw_archive_segment_at(a, s)->documents - gw_archive_segment_at(a, s)->deleted;
    gw_archive_free(a);
    pid = fork();
    if (pid == 0) _exit(child_work(dir, i));
    useconds_t delay = (useconds_t)(span * 1.3e6 * (i % 20) / 20.0);
    usleep(delay);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) killed++;
    else completed++;
    /* Readable, at the previous generation or the next, whole. */
    int rc = gw_archive_open(&a, dir, GW_ARCHIVE_READ, NULL, &err);
    CHECK(rc == GW_OK);
    if (rc) {
      fprintf(stderr, "after kill %d: %s\n", i, err.message);
      continue;
    }
    uint64_t after = gw_archive_generation(a);
    CHECK(after == before || after == before + 1);
    size_t docs_after = 0;
    for (size_t s = 0; s < gw_archive_segment_count(a); s++)
      docs_after += gw_archive_segment_at(a, s)->documents - gw_archive_segment_at(a, s)->deleted;
    if (i % 3 == 2) CHECK(docs_after == docs_before); /* merge loses nothing */
    else CHECK(docs_after == docs_before || docs_after == docs_before + 4);
    CHECK(gw_archive_verify(a, &err) == GW_OK);
    for (size_t k = 0; k < gw_archive_document_count(a); k++) {
      gw_archive_document d;
      gw_archive_document_at(&d, a, k);
      gw_document *doc;
      if (d.deleted) continue;
      CHECK(gw_archive_document_load(&doc, a, k, &opts, &err) == GW_OK);
      gw_document_free(doc);
    }
    gw_archive_free(a);
    /* The next writer removes what the killed one left. */
    if (gw_archive_open(&a, dir, GW_ARCHIVE_WRITE, NULL, &err)) die(dir, &err);
    gw_archive_free(a);
    CHECK_EQ_SIZE(count_leftovers(dir), 0);
  }
  CHECK(killed > 0);
  fprintf(stderr, "kill test: %d killed, %d completed (one add: %.1f ms)\n", killed, completed,
          span * 1e3);
}

static void test_full_disk(void) {
  /* valgrind shares the file-size limit with the program it runs; the
   * native and sanitizer runs test this case. */
  const char *preload = getenv("LD_PRELOAD");
  if (preload && strstr(preload, "vgpreload")) {
    fprintf(stderr, "note: full disk skipped under valgrind\n");
    return;
  }
  char dir[300];
  fresh(dir, sizeof dir, "f");
  char manifest[400];
  snprintf(manifest, sizeof manifest, "%s/MANIFEST", dir);
  size_t len;
  char *before = slurp(manifest, &len);
  pid_t pid = fork();
  if (pid == 0) {
    free(before);
    struct rlimit r = {20000, 20000};
    signal(SIGXFSZ, SIG_IGN);
    if (setrlimit(RLIMIT_FSIZE, &r)) _exit(3);
    static const int batch[] = {8, 9, 10, 11, 12, 13};
    gw_error err;
    int rc = add_prefixed(dir, batch, 6, "", &err);
    /* Refused with the file and the reason. */
    _exit(rc == GW_EIO && strstr(err.message, ".tmp") && strstr(err.message, "too large") ? 0 : 1);
  }
  int status;
  waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  size_t after_len;
  char *after = slurp(manifest, &after_len);
  CHECK(before && after && len == after_len && memcmp(before, after, len) == 0);
  free(before);
  free(after);
  CHECK_EQ_SIZE(count_leftovers(dir), 0);
  gw_archive *a;
  gw_error err;
  CHECK(gw_archive_open(&a, dir, GW_ARCHIVE_READ, NULL, &err) == GW_OK);
  if (a) {
    CHECK(gw_archive_verify(a, &err) == GW_OK);
    CHECK_EQ_SIZE(gw_archive_document_count(a), 4);
    gw_archive_free(a);
  }
}

/* A reader checking a batch in a loop while a writer adds and merges:
 * never an error, never a generation going back. */
static void test_reader_during_writer(void) {
  char dir[300];
  fresh(dir, sizeof dir, "r");
  pid_t pid = fork();
  if (pid == 0) {
    int bad = 0;
    for (int i = 100; i < 112; i++) bad |= child_work(dir, i);
    _exit(bad);
  }
  gw_document *batch[2] = {load(&docs[18]), load(&docs[20])};
  int rounds = 0, failures = 0, status = 0;
  uint64_t last = 0;
  for (;;) {
    int done = waitpid(pid, &status, WNOHANG) == pid;
    gw_archive *a;
    gw_error err;
    int rc = gw_archive_open(&a, dir, GW_ARCHIVE_READ, NULL, &err);
    if (!rc) {
      if (gw_archive_generation(a) < last) failures++;
      last = gw_archive_generation(a);
      gw_archive_check_options o = {GW_ARCHIVE_CHECK_OPTIONS_VERSION, GW_DUPS_OPTIONS_INIT, opts,
                                    terms};
      gw_archive_check *c;
      rc = gw_archive_check_new(&c, a, &o, &err);
      for (int k = 0; !rc && k < 2; k++) {
        gw_archive_entry e = {docs[18 + 2 * k].path, "", 0, "", ""};
        rc = gw_archive_check_add(c, batch[k], NULL, 0, &e, 0, &err);
      }
      if (!rc) rc = gw_archive_check_run(c, &err);
      gw_archive_check_free(c);
      gw_archive_free(a);
    }
    if (rc) {
      fprintf(stderr, "reader: %s\n", err.message);
      failures++;
    }
    rounds++;
    if (done) break;
  }
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  CHECK(failures == 0);
  CHECK(rounds > 1);
  CHECK(last >= 2 + 12);
  gw_document_free(batch[0]);
  gw_document_free(batch[1]);
}

int main(void) {
  setup();
  test_corruption();
  test_parameters();
  test_lock();
  test_full_disk();
  test_kill();
  test_reader_during_writer();
  return teardown();
}
