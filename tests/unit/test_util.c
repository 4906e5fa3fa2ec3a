/* Offset maps and UTF-8 helpers. */
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

int main(void) {
  test_identity();
  test_fold();
  test_removal();
  test_character_runs();
  test_utf8();
  return gw_test_report();
}
