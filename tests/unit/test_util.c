/* Offset maps, growable arrays and UTF-8 helpers. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "internal.h"

static void test_identity(void) {
  gw_offset_map m = {0};
  CHECK(gw_offset_map_add(&m, 0, 0, 0) == GW_OK);
  CHECK(gw_offset_map_add(&m, 10, 10, 10) == GW_OK);
  CHECK_EQ_SIZE(m.count, 0);
  CHECK_EQ_SIZE(gw_offset_map_start(&m, 7), 7);
  CHECK_EQ_SIZE(gw_offset_map_end(&m, 7), 7);
  gw_offset_map_free(&m);
}

/* "a，b" (，is 3 bytes) folded to "a,b": the comma is one byte in the
 * normalized view, three in the source. */
static void test_fold(void) {
  gw_offset_map m = {0};
  CHECK(gw_offset_map_add(&m, 1, 1, 1) == GW_OK);   /* ',' ← '，' at 1 */
  CHECK(gw_offset_map_add(&m, 2, 4, 4) == GW_OK);   /* 'b' ← 4 */
  CHECK_EQ_SIZE(gw_offset_map_start(&m, 0), 0);
  CHECK_EQ_SIZE(gw_offset_map_start(&m, 1), 1);
  CHECK_EQ_SIZE(gw_offset_map_end(&m, 2), 4);       /* covers '，' whole */
  CHECK_EQ_SIZE(gw_offset_map_start(&m, 2), 4);
  CHECK_EQ_SIZE(gw_offset_map_end(&m, 3), 5);
  gw_offset_map_free(&m);
}

/* "ab##x##cd" with "##x##" removed: "abcd". */
static void test_removal(void) {
  gw_offset_map m = {0};
  CHECK(gw_offset_map_add(&m, 2, 7, 2) == GW_OK);
  CHECK_EQ_SIZE(gw_offset_map_end(&m, 2), 2);   /* "ab" ends before noise */
  CHECK_EQ_SIZE(gw_offset_map_start(&m, 2), 7); /* "c" after it */
  CHECK_EQ_SIZE(gw_offset_map_end(&m, 4), 9);
  CHECK_EQ_SIZE(gw_offset_map_start(&m, 1), 1);
  gw_offset_map_free(&m);
}

/* GBK "中文a国" (2+2+1+2 bytes) decoded to UTF-8 (3+3+1+3): two runs of
 * characters with one byte-for-byte character between them. */
static void test_character_runs(void) {
  gw_offset_map m = {0};
  CHECK(gw_offset_map_add_char(&m, 0, 3, 0, 2) == GW_OK);
  CHECK(gw_offset_map_add_char(&m, 3, 3, 2, 2) == GW_OK);
  CHECK(gw_offset_map_add_char(&m, 6, 1, 4, 1) == GW_OK);
  CHECK(gw_offset_map_add_char(&m, 7, 3, 5, 2) == GW_OK);
  CHECK(gw_offset_map_add(&m, 10, 7, 7) == GW_OK); /* the end */
  CHECK_EQ_SIZE(m.count, 4); /* 中文, a, 国, the end: not one per byte run change */
  CHECK_EQ_SIZE(gw_offset_map_start(&m, 0), 0);
  CHECK_EQ_SIZE(gw_offset_map_start(&m, 3), 2);
  CHECK_EQ_SIZE(gw_offset_map_start(&m, 4), 2);    /* inside 文: its start */
  CHECK_EQ_SIZE(gw_offset_map_end(&m, 4), 4);      /* ...or its end */
  CHECK_EQ_SIZE(gw_offset_map_start(&m, 6), 4);    /* a */
  CHECK_EQ_SIZE(gw_offset_map_end(&m, 6), 4);
  CHECK_EQ_SIZE(gw_offset_map_start(&m, 7), 5);    /* 国 */
  CHECK_EQ_SIZE(gw_offset_map_end(&m, 7), 5);
  CHECK_EQ_SIZE(gw_offset_map_end(&m, 10), 7);
  CHECK_EQ_SIZE(gw_offset_map_start(&m, 10), 7);
  gw_offset_map_free(&m);
}

static void test_utf8(void) {
  const unsigned char han[] = "\xe4\xb8\xad"; /* 中 */
  int32_t cp;
  CHECK_EQ_SIZE(gw_utf8_next(han, 3, &cp), 3);
  CHECK(cp == 0x4E2D);
  CHECK_EQ_SIZE(gw_utf8_next(han, 2, &cp), 1); /* truncated */
  CHECK(cp == -1);
  const unsigned char overlong[] = "\xc0\xaf";
  CHECK_EQ_SIZE(gw_utf8_next(overlong, 2, &cp), 1);
  CHECK(cp == -1);
  const unsigned char surrogate[] = "\xed\xa0\x80";
  gw_utf8_next(surrogate, 3, &cp);
  CHECK(cp == -1);
  char out[4];
  CHECK_EQ_SIZE(gw_utf8_encode(0x4E2D, out), 3);
  CHECK(memcmp(out, han, 3) == 0);
  CHECK_EQ_SIZE(gw_utf8_encode(0x1F600, out), 4);
  CHECK(gw_is_han(0x4E2D) && !gw_is_han('a'));
  CHECK(strcmp(gw_strerror(GW_EENCODING), "invalid or undecodable text") == 0);
}

/* A map with every kind of anchor (removals, anchors sharing `from`,
 * character runs), its lookups made through a cursor in a shuffled order:
 * the same answers as the binary searches, wherever the hint was left. */
static void test_near_lookups(void) {
  gw_offset_map m = {0};
  size_t from = 0, to = 0;
  unsigned seed = 12345;
  for (int i = 0; i < 3000; i++) {
    seed = seed * 1103515245u + 12345u;
    switch ((seed >> 16) % 4) {
    case 0: /* bytes removed before the next character */
      to += 1 + (seed >> 8) % 5;
      CHECK(gw_offset_map_add(&m, from, to, to - 1) == GW_OK);
      break;
    case 1: /* an empty stretch: a second anchor at the same `from` */
      CHECK(gw_offset_map_add(&m, from, to + 2, to) == GW_OK);
      CHECK(gw_offset_map_add(&m, from, to + 4, to + 2) == GW_OK);
      to += 4;
      break;
    case 2: /* a run of two-byte characters that are three bytes here */
      for (int k = 0; k < 3; k++, from += 3, to += 2)
        CHECK(gw_offset_map_add_char(&m, from, 3, to, 2) == GW_OK);
      continue;
    default:
      break;
    }
    size_t n = 1 + (seed >> 4) % 7; /* copied byte for byte */
    from += n;
    to += n;
  }
  CHECK(m.count > 1000);
  size_t hint = 0, far_hint = m.count + 7, mismatches = 0;
  for (size_t i = 0; i < 4 * from; i++) {
    seed = seed * 1103515245u + 12345u;
    /* mostly ascending with small steps back, sometimes anywhere */
    size_t pos = (seed >> 16) % 8 == 0 ? (seed >> 3) % (from + 3)
                                        : (i / 4 + (seed >> 20) % 9) % (from + 3);
    size_t h = hint;
    if (gw_offset_map_start_near(&m, pos, &hint) != gw_offset_map_start(&m, pos) ||
        gw_offset_map_end_near(&m, pos, &h) != gw_offset_map_end(&m, pos) ||
        gw_offset_map_start_near(&m, pos, &far_hint) != gw_offset_map_start(&m, pos))
      mismatches++;
  }
  CHECK_EQ_SIZE(mismatches, 0);
  gw_offset_map_free(&m);
  /* No anchor at all, and positions before the first one. */
  gw_offset_map e = {0};
  size_t h = 3;
  CHECK_EQ_SIZE(gw_offset_map_start_near(&e, 5, &h), 5);
  CHECK(gw_offset_map_add(&e, 4, 9, 6) == GW_OK);
  CHECK_EQ_SIZE(gw_offset_map_start_near(&e, 2, &h), 2);
  CHECK_EQ_SIZE(gw_offset_map_end_near(&e, 4, &h), 6);
  CHECK_EQ_SIZE(gw_offset_map_start_near(&e, 4, &h), 9);
  gw_offset_map_free(&e);
}

/* gw_grow: exactly what a first call asks, then geometric steps, the
 * contents kept across the move a large array makes. */
static void test_grow(void) {
  uint32_t *a = NULL;
  size_t cap = 0;
  CHECK(GW_GROW(a, cap, 1000) == GW_OK);
  CHECK_EQ_SIZE(cap, 1000);
  for (uint32_t i = 0; i < 1000; i++) a[i] = i * 7u;
  CHECK(GW_GROW(a, cap, 1001) == GW_OK);
  CHECK_EQ_SIZE(cap, 2000);
  CHECK(GW_GROW(a, cap, 10) == GW_OK); /* never shrinks */
  CHECK_EQ_SIZE(cap, 2000);
  size_t big = (GW_GROW_FAST / sizeof *a) + 5; /* past the fourfold size */
  CHECK(GW_GROW(a, cap, big) == GW_OK);
  CHECK_EQ_SIZE(cap, big);
  a[big - 1] = 1;
  CHECK(GW_GROW(a, cap, big + 1) == GW_OK);
  CHECK_EQ_SIZE(cap, 4 * big); /* large arrays grow fourfold */
  size_t bad = 0;
  for (uint32_t i = 0; i < 1000; i++) bad += a[i] != i * 7u;
  CHECK_EQ_SIZE(bad, 0);
  CHECK(a[big - 1] == 1);
  size_t before = cap;
  CHECK(GW_GROW(a, cap, SIZE_MAX / 2) == GW_ENOMEM); /* cannot be asked */
  CHECK_EQ_SIZE(cap, before);
  CHECK(a[999] == 999 * 7u);
  free(a);
  unsigned char *small = gw_alloc_large(0);
  CHECK(small != NULL);
  free(small);
  /* A large buffer starts on a huge page, so none of it is left to small
   * pages; all of it can be written. */
  unsigned char *large = gw_alloc_large(GW_ALIGN_ALLOC + 3);
  CHECK(large != NULL);
  CHECK((uintptr_t)large % GW_HUGE_PAGE == 0);
  memset(large, 7, GW_ALIGN_ALLOC + 3);
  CHECK(large[GW_ALIGN_ALLOC + 2] == 7);
  free(large);
}

/* Address space and resident memory now (/proc/self/statm, in bytes),
 * read without stdio so that reading them allocates nothing. */
static void memory_now(size_t *address_space, size_t *resident) {
  char buf[128] = {0};
  unsigned long size = 0, rss = 0;
  int fd = open("/proc/self/statm", O_RDONLY);
  if (fd >= 0) {
    ssize_t n = read(fd, buf, sizeof buf - 1);
    if (n <= 0 || sscanf(buf, "%lu %lu", &size, &rss) != 2) size = rss = 0;
    close(fd);
  }
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  *address_space = (size_t)size * page;
  *resident = (size_t)rss * page;
}

/* Whether an address-space change is the one expected.  Exact, except
 * under valgrind (its preload in LD_PRELOAD), whose own mappings come and
 * go between the two readings: there the change may exceed the expected
 * by less than a huge page, which still tells a mapping that kept a huge
 * page of alignment slack (or lost its head) from one that did not. */
static int space_change_is(size_t change, size_t expected) {
  const char *preload = getenv("LD_PRELOAD");
  if (!preload || !strstr(preload, "vgpreload")) return change == expected;
  return change >= expected && change < expected + GW_HUGE_PAGE;
}

/* gw_huge_array_grow: malloc's while small, then a mapping of whole huge
 * pages, 2 MB-aligned, taking exactly those pages of address space and
 * memory only where written, moved (not copied) as it grows; the
 * contents kept through every move. */
static void test_huge_array(void) {
  uint64_t *a = NULL;
  size_t cap = 0;
  CHECK(GW_HUGE_ARRAY_GROW(a, cap, 10) == GW_OK && cap == 16); /* at least 16 */
  for (uint64_t i = 0; i < 16; i++) a[i] = i * 3u;
  size_t large = GW_LARGE_ALLOC / sizeof *a; /* past the threshold */
  CHECK(GW_HUGE_ARRAY_GROW(a, cap, large) == GW_OK);
  /* The elements start after the two-word head of an aligned mapping, and
   * the rest of its last huge page is room. */
  CHECK((uintptr_t)a % GW_HUGE_PAGE == 2 * sizeof(size_t));
  CHECK((cap * sizeof *a + 2 * sizeof(size_t)) % GW_HUGE_PAGE == 0);
  CHECK(cap >= large);
  for (uint64_t i = 16; i < cap; i++) a[i] = i * 3u;
  size_t space0, rss0, space1, rss1;
  memory_now(&space0, &rss0);
  size_t before = cap, need = (size_t)(64 << 20) / sizeof *a;
  CHECK(GW_HUGE_ARRAY_GROW(a, cap, need) == GW_OK);
  memory_now(&space1, &rss1);
  /* Address space for the new pages only, no slack for the alignment;
   * no memory for the pages not written (the old ones moved, not copied
   * into fresh ones). */
  CHECK(space_change_is(space1 - space0, (cap - before) * sizeof *a));
  CHECK(rss1 < rss0 + GW_HUGE_PAGE);
  CHECK((uintptr_t)a % GW_HUGE_PAGE == 2 * sizeof(size_t));
  size_t bad = 0;
  for (uint64_t i = 0; i < before; i++) bad += a[i] != i * 3u;
  CHECK_EQ_SIZE(bad, 0);
  a[cap - 1] = 5; /* all of it can be written */
  size_t kept = cap;
  CHECK(GW_HUGE_ARRAY_GROW(a, cap, SIZE_MAX / 2) == GW_ENOMEM); /* cannot be asked */
  CHECK_EQ_SIZE(cap, kept);
  CHECK(a[cap - 1] == 5 && a[before - 1] == (before - 1) * 3u);
  memory_now(&space0, &rss0);
  gw_huge_array_free(a); /* its whole mapping given back */
  memory_now(&space1, &rss1);
  CHECK(space_change_is(space0 - space1, kept * sizeof *a + 2 * sizeof(size_t)));
  gw_huge_array_free(NULL);
  /* Large from the first call: a mapping at once. */
  uint32_t *b = NULL;
  size_t bcap = 0;
  memory_now(&space0, &rss0);
  CHECK(GW_HUGE_ARRAY_GROW(b, bcap, (size_t)(5 << 20) / sizeof *b) == GW_OK);
  memory_now(&space1, &rss1);
  CHECK(space_change_is(space1 - space0, (size_t)6 << 20));
  CHECK_EQ_SIZE(bcap * sizeof *b + 2 * sizeof(size_t), (size_t)6 << 20);
  b[0] = 1;
  b[bcap - 1] = 2;
  CHECK(b[0] + b[bcap - 1] == 3);
  gw_huge_array_free(b);
}

/* A huge array grown element by element to 80 MiB, as the duplicate
 * index's fingerprints grow (malloc's, then a mapping moved by mremap at
 * each step): every value kept through each move. */
static void test_huge_array_appends(void) {
  uint64_t *a = NULL;
  size_t cap = 0, n = 10u << 20, moves = 0;
  int rc = GW_OK;
  for (size_t i = 0; i < n && rc == GW_OK; i++) {
    size_t had = cap;
    rc = GW_HUGE_ARRAY_GROW(a, cap, i + 1);
    if (rc != GW_OK) break;
    a[i] = i * 0x9e3779b97f4a7c15u;
    if (cap == had) continue;
    moves++;
    size_t wrong = 0;
    for (size_t j = 0; j < i; j++) wrong += a[j] != j * 0x9e3779b97f4a7c15u;
    CHECK_EQ_SIZE(wrong, 0);
  }
  CHECK(rc == GW_OK && cap >= n && moves > 5);
  CHECK(GW_HUGE_ARRAY_GROW(a, cap, 5) == GW_OK && cap >= n); /* never shrinks */
  size_t wrong = 0;
  for (size_t j = 0; j < n; j++) wrong += a[j] != j * 0x9e3779b97f4a7c15u;
  CHECK_EQ_SIZE(wrong, 0);
  gw_huge_array_free(a);
}

int main(void) {
  test_near_lookups();
  test_grow();
  test_huge_array();
  test_huge_array_appends();
  test_identity();
  test_fold();
  test_removal();
  test_character_runs();
  test_utf8();
  return gw_test_report();
}
