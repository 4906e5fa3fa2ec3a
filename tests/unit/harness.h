/* A tiny test harness: CHECK records a failure and goes on; each test file's
 * main returns gw_test_report(), which prints "N passed, N failed". */
#ifndef GW_TEST_HARNESS_H
#define GW_TEST_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int gw_test_passed, gw_test_failed;

#define CHECK(cond)                                                           \
  do {                                                                        \
    if (cond) {                                                               \
      gw_test_passed++;                                                       \
    } else {                                                                  \
      gw_test_failed++;                                                       \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                         \
  } while (0)

#define CHECK_EQ_SIZE(a, b)                                                   \
  do {                                                                        \
    size_t gw_a_ = (size_t)(a), gw_b_ = (size_t)(b);                          \
    if (gw_a_ == gw_b_) {                                                     \
      gw_test_passed++;                                                       \
    } else {                                                                  \
      gw_test_failed++;                                                       \
      fprintf(stderr, "%s:%d: %s == %s failed: %zu != %zu\n", __FILE__,       \
              __LINE__, #a, #b, gw_a_, gw_b_);                                \
    }                                                                         \
  } while (0)

/* Compare a byte range with a NUL-terminated expected string. */
#define CHECK_STRN(ptr, len, expected)                                        \
  do {                                                                        \
    const char *gw_p_ = (const char *)(ptr);                                  \
    size_t gw_l_ = (size_t)(len);                                             \
    const char *gw_e_ = (expected);                                           \
    if (gw_l_ == strlen(gw_e_) && memcmp(gw_p_, gw_e_, gw_l_) == 0) {         \
      gw_test_passed++;                                                       \
    } else {                                                                  \
      gw_test_failed++;                                                       \
      fprintf(stderr, "%s:%d: expected \"%s\", got \"%.*s\"\n", __FILE__,     \
              __LINE__, gw_e_, (int)gw_l_, gw_p_);                            \
    }                                                                         \
  } while (0)

static inline int gw_test_report(void) {
  printf("%d passed, %d failed\n", gw_test_passed, gw_test_failed);
  return gw_test_failed ? 1 : 0;
}

/* Marsaglia's xorshift64: the same pseudo-random sequence on every run and
 * machine, from the seed each test keeps in its own state. */
static inline uint64_t gw_test_xorshift(uint64_t *state) {
  *state ^= *state << 13;
  *state ^= *state >> 7;
  *state ^= *state << 17;
  return *state;
}

#endif
