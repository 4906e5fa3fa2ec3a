/* The JSON writer's fast paths: long strings escaped in pieces, values
 * laid out by the caller (gw_json_value_reserve), and a writer that
 * flushes to a file as it fills, each against cJSON or the writer's own
 * plain calls.  (test_cli checks the writer's layout against cJSON.) */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "harness.h"
#include "json_writer.h"
#include "gongwen.h"

static uint64_t rng_state = 0x2545f4914f6cdd1dull;
static uint64_t rng(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

/* len bytes of text: long clean runs (ASCII, Han) with, now and then, a
 * byte JSON escapes, so that escapes fall on every side of the 16-byte
 * blocks and of the writer's 4096-byte pieces. */
static void random_text(char *out, size_t len) {
  static const char clean[] = "abcdefghijklmnopqrstuvwxyz0123456789 /{}[]";
  static const char escaped[] = "\"\\\n\t\r\b\f\x01\x1f";
  size_t i = 0;
  while (i < len) {
    unsigned pick = (unsigned)(rng() % 64);
    if (pick == 0) {
      out[i++] = escaped[rng() % (sizeof escaped - 1)];
    } else if (pick < 8 && i + 3 <= len) {
      memcpy(out + i, "\xE5\x85\xAC", 3); /* 公 */
      i += 3;
    } else {
      out[i++] = clean[rng() % (sizeof clean - 1)];
    }
  }
  out[len] = '\0';
}

/* Strings up to 20,000 bytes, as cJSON writes them. */
static void test_long_strings(void) {
  size_t mismatches = 0;
  char *text = malloc(20001);
  for (int round = 0; round < 200; round++) {
    size_t len = round < 40 ? (size_t)round : (size_t)(rng() % 20000);
    if (round == 40) len = 4096; /* one piece exactly, and around it */
    if (round == 41) len = 4097;
    if (round == 42) len = 8192 + 16;
    random_text(text, len);
    len = strlen(text);
    gw_json w;
    gw_json_init(&w, NULL, 0);
    gw_json_string_n(&w, text, len);
    cJSON *s = cJSON_CreateString(text);
    char *expected = cJSON_PrintUnformatted(s);
    if (!expected || w.len != strlen(expected) || memcmp(w.text, expected, w.len) != 0)
      mismatches++;
    cJSON_free(expected);
    cJSON_Delete(s);
    CHECK(gw_json_finish(&w) == GW_OK);
  }
  free(text);
  CHECK_EQ_SIZE(mismatches, 0);
}

/* A value laid out by the caller gives the bytes the plain calls give. */
static void test_caller_laid_values(void) {
  static const uint64_t numbers[] = {0, 9, 10, 99, 100, 12345, INT_MAX, (uint64_t)INT_MAX + 1,
                                     4294967296ull, 1000000000000ull, 9007199254740993ull,
                                     UINT64_MAX};
  char text[300];
  size_t mismatches = 0;
  for (int round = 0; round < 500; round++) {
    random_text(text, (size_t)(rng() % 200));
    uint64_t n = round < 12 ? numbers[round] : rng() >> (rng() % 64);
    gw_json plain, laid;
    gw_json_init(&plain, NULL, 0);
    gw_json_init(&laid, NULL, 0);
    gw_json_array_begin(&plain);
    gw_json_array_begin(&laid);
    for (int item = 0; item < 3; item++) {
      gw_json_object_begin(&plain);
      gw_json_key(&plain, "t");
      gw_json_string(&plain, text);
      gw_json_member_uint(&plain, "n", n);
      gw_json_object_end(&plain);

      size_t len = strlen(text);
      char *at = gw_json_value_reserve(&laid, 6 * len + GW_JSON_NUMBER_ROOM + 16);
      CHECK(at != NULL);
      if (!at) break;
      memcpy(at, "{\"t\":\"", 6);
      at = gw_json_escape_into(at + 6, text, len);
      memcpy(at, "\",\"n\":", 6);
      at = gw_json_uint_into(at + 6, n);
      *at++ = '}';
      gw_json_value_commit(&laid, at);
    }
    gw_json_array_end(&plain);
    gw_json_array_end(&laid);
    if (plain.len != laid.len || memcmp(plain.text, laid.text, plain.len) != 0) {
      if (!mismatches++)
        fprintf(stderr, "laid out differs:\n%.*s\n---\n%.*s\n", (int)plain.len, plain.text,
                (int)laid.len, laid.text);
    }
    CHECK(gw_json_finish(&plain) == GW_OK);
    CHECK(gw_json_finish(&laid) == GW_OK);
  }
  CHECK_EQ_SIZE(mismatches, 0);
}

/* A writer that writes to a file as its buffer fills (and one that writes
 * whole lines only) leaves in the file what a writer in memory holds. */
static void test_flushing_writers(void) {
  for (int whole_lines = 0; whole_lines <= 1; whole_lines++) {
    FILE *f = tmpfile();
    CHECK(f != NULL);
    if (!f) return;
    gw_json memory, file;
    gw_json_init(&memory, NULL, 0);
    gw_json_init(&file, f, 0);
    if (whole_lines) gw_json_whole_lines(&file);
    char text[3000];
    for (int record = 0; record < 400; record++) {
      random_text(text, (size_t)(rng() % sizeof text));
      gw_json *both[] = {&memory, &file};
      for (int k = 0; k < 2; k++) {
        gw_json_object_begin(both[k]);
        gw_json_member_uint(both[k], "record", (uint64_t)record);
        gw_json_member_string(both[k], "text", text);
        gw_json_object_end(both[k]);
        gw_json_newline(both[k]);
      }
    }
    CHECK(gw_json_finish(&file) == GW_OK);
    long size = ftell(f);
    CHECK(size > (1 << 17)); /* flushed several times over */
    char *back = malloc((size_t)size);
    rewind(f);
    CHECK(back && fread(back, 1, (size_t)size, f) == (size_t)size);
    CHECK(back && (size_t)size == memory.len && memcmp(back, memory.text, memory.len) == 0);
    free(back);
    fclose(f);
    CHECK(gw_json_finish(&memory) == GW_OK);
  }
}

int main(void) {
  test_long_strings();
  test_caller_laid_values();
  test_flushing_writers();
  return gw_test_report();
}
