/* The JSON writer's fast paths: strings checked 16 and 8 bytes at a time
 * and long ones escaped in pieces, keys, numbers two digits a step,
 * values laid out by the caller (gw_json_value_reserve and _extend), and
 * a writer that flushes to a file as it fills, each against cJSON, the C
 * library or the writer's own plain calls.  (test_cli checks the writer's
 * layout against cJSON.) */
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "harness.h"
#include "json_writer.h"
#include "gongwen.h"
#include "text_out.h"

static uint64_t rng_state = 0x2545f4914f6cdd1dull;
static uint64_t rng(void) { return gw_test_xorshift(&rng_state); }

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

/* A writer to file f finished (and f closed) holds what memory holds,
 * having been flushed several times over. */
static void check_file_holds(gw_json *file, FILE *f, const gw_json *memory) {
  CHECK(gw_json_finish(file) == GW_OK);
  long size = ftell(f);
  CHECK(size > (1 << 17));
  char *back = malloc((size_t)size);
  rewind(f);
  CHECK(back && fread(back, 1, (size_t)size, f) == (size_t)size);
  CHECK(back && (size_t)size == memory->len && memcmp(back, memory->text, memory->len) == 0);
  free(back);
  fclose(f);
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
    check_file_holds(&file, f, &memory);
    CHECK(gw_json_finish(&memory) == GW_OK);
  }
}

/* A writer to a file whose buffer was reserved (gw_json_reserve_stream)
 * never allocates again, whatever it writes: strings of every length up
 * to several pieces with escapes, keys, numbers, values laid out by the
 * caller of up to GW_JSON_STREAM_ROOM bytes, pretty and compact; and it
 * leaves in the file what a writer in memory holds. */
static void test_reserved_stream(void) {
  for (int pretty = 0; pretty <= 1; pretty++) {
    FILE *f = tmpfile();
    CHECK(f != NULL);
    if (!f) return;
    gw_json memory, file;
    gw_json_init(&memory, NULL, pretty);
    gw_json_init(&file, f, pretty);
    CHECK(gw_json_reserve_stream(&file) == GW_OK);
    const char *buffer = file.text;
    size_t cap = file.cap;
    static char text[20001];
    gw_json *both[] = {&memory, &file};
    for (int k = 0; k < 2; k++) gw_json_array_begin(both[k]);
    for (int record = 0; record < 300; record++) {
      size_t len = record % 10 == 0 ? sizeof text - 1 : (size_t)(rng() % 5000);
      random_text(text, len);
      size_t laid = record % 7 == 0 ? GW_JSON_STREAM_ROOM : (size_t)(rng() % 100);
      for (int k = 0; k < 2; k++) {
        gw_json_object_begin(both[k]);
        gw_json_member_uint(both[k], "record", (uint64_t)record);
        gw_json_member_string(both[k], "text", text);
        gw_json_member_number(both[k], "share", (double)record / 7.0);
        gw_json_key(both[k], "laid");
        char *at = gw_json_value_reserve(both[k], laid);
        CHECK(at != NULL);
        if (!at) break;
        memset(at, '7', laid ? laid : 1);
        gw_json_value_commit(both[k], at + (laid ? laid : 1));
        gw_json_object_end(both[k]);
      }
      CHECK(file.text == buffer && file.cap == cap);
    }
    for (int k = 0; k < 2; k++) {
      gw_json_array_end(both[k]);
      gw_json_newline(both[k]);
    }
    check_file_holds(&file, f, &memory);
    CHECK(gw_json_finish(&memory) == GW_OK);
  }
}

/* cJSON's string for text (NUL-terminated): what gw_json_string_n must
 * give for it; free with cJSON_free. */
static char *cjson_string(const char *text) {
  cJSON *s = cJSON_CreateString(text);
  char *printed = s ? cJSON_PrintUnformatted(s) : NULL;
  cJSON_Delete(s);
  return printed;
}

/* Whether gw_json_string_n(text) gives what cJSON gives. */
static int string_as_cjson(const char *text) {
  gw_json w;
  gw_json_init(&w, NULL, 0);
  gw_json_string_n(&w, text, strlen(text));
  char *expected = cjson_string(text);
  int same = expected && w.len == strlen(expected) && memcmp(w.text, expected, w.len) == 0;
  if (!same)
    fprintf(stderr, "string differs: %.*s against %s\n", (int)w.len, w.text,
            expected ? expected : "(null)");
  cJSON_free(expected);
  gw_json_finish(&w);
  return same;
}

/* The naive answer gw_json_plain_prefix must give. */
static size_t naive_plain_prefix(const char *s, size_t len) {
  size_t i = 0;
  while (i < len && (unsigned char)s[i] >= 32 && s[i] != '"' && s[i] != '\\') i++;
  return i;
}

/* Every byte that JSON escapes (each control character, '"', '\\'), and
 * bytes next to them that it does not (' ', '!', '#', '[', ']', 0x7f,
 * 0x80, 0xff, and the bytes that differ from '"' and '\\' by one bit or
 * carry a borrow in a 64-bit word), at every position of strings 1 to 40
 * bytes long, so that each falls in the 16-byte and 8-byte blocks and in
 * the bytes after the last block; and two of them in one block. */
static void test_escapes_everywhere(void) {
  unsigned char bytes[64];
  size_t n_bytes = 0;
  for (unsigned c = 1; c < 32; c++) bytes[n_bytes++] = (unsigned char)c;
  static const unsigned char more[] = {'"', '\\', ' ', '!', '#', '[', ']', 0x7f, 0x80, 0xff,
                                       0x02 | 0x20, 0x62, 0xa2, 0x5d, 0xdc, 0x1f + 0x80, 0xa0};
  memcpy(bytes + n_bytes, more, sizeof more);
  n_bytes += sizeof more;
  size_t mismatches = 0, prefix_mismatches = 0;
  char text[48];
  for (size_t b = 0; b < n_bytes; b++) {
    for (size_t len = 1; len <= 40; len++) {
      for (size_t at = 0; at < len; at++) {
        /* Han characters around it (bytes >= 0x80), or ASCII letters. */
        for (size_t i = 0; i < len; i++) text[i] = (len + b) % 2 ? (char)('a' + i % 26) : "\xE5\x85\xAC"[i % 3];
        text[at] = (char)bytes[b];
        text[len] = '\0';
        if (!string_as_cjson(text)) mismatches++;
        if (gw_json_plain_prefix(text, len) != naive_plain_prefix(text, len)) prefix_mismatches++;
        /* and a second one further on in the same block or the next */
        size_t second = at + 1 + (b + len) % 9;
        if (second < len) {
          text[second] = (char)bytes[(b + 1) % n_bytes];
          if (!string_as_cjson(text)) mismatches++;
          if (gw_json_plain_prefix(text, len) != naive_plain_prefix(text, len))
            prefix_mismatches++;
        }
      }
    }
  }
  /* Longer strings, for the 64-byte blocks: each byte at every position
   * of strings 60 to 200 bytes long (the prefix only). */
  char long_text[200];
  for (size_t b = 0; b < n_bytes; b++) {
    for (size_t len = 60; len <= sizeof long_text; len += 7) {
      for (size_t at = 0; at < len; at++) {
        for (size_t i = 0; i < len; i++)
          long_text[i] = (len + b) % 2 ? (char)('a' + i % 26) : "\xE5\x85\xAC"[i % 3];
        long_text[at] = (char)bytes[b];
        if (gw_json_plain_prefix(long_text, len) != naive_plain_prefix(long_text, len))
          prefix_mismatches++;
      }
      for (size_t i = 0; i < len; i++) long_text[i] = (char)('a' + i % 26);
      if (gw_json_plain_prefix(long_text, len) != len) prefix_mismatches++;
    }
  }
  CHECK_EQ_SIZE(mismatches, 0);
  CHECK_EQ_SIZE(prefix_mismatches, 0);
  CHECK_EQ_SIZE(gw_json_plain_prefix("", 0), 0);
  CHECK_EQ_SIZE(gw_json_plain_prefix("\"", 1), 0);
  /* The NUL byte, which cJSON cannot be given. */
  gw_json w;
  gw_json_init(&w, NULL, 0);
  gw_json_string_n(&w, "a\0b\x7f", 4);
  CHECK_STRN(w.text, w.len, "\"a\\u0000b\x7f\"");
  gw_json_finish(&w);
}

/* Text that is not UTF-8: each bad byte as U+FFFD, the rest escaped as a
 * string. */
static void test_invalid_utf8(void) {
  gw_json w;
  gw_json_init(&w, NULL, 0);
  gw_json_array_begin(&w);
  gw_json_text(&w, "a\xff\"b", 4);
  gw_json_text(&w, "\xE5\x85", 2); /* a character cut short */
  gw_json_text(&w, "\xE5\x85\xAC\t", 4);
  gw_json_array_end(&w);
  CHECK_STRN(w.text, w.len,
             "[\"a\xEF\xBF\xBD\\\"b\",\"\xEF\xBF\xBD\xEF\xBF\xBD\",\"\xE5\x85\xAC\\t\"]");
  gw_json_finish(&w);
}

/* gw_text_is_utf8 (which takes ASCII and most three-byte characters
 * without utf8proc) against utf8proc's reading byte by byte
 * (gw_text_sequence_length): every lead byte followed by every second
 * byte and a third of each class, alone, cut short and after ASCII. */
static void test_is_utf8(void) {
  static const unsigned char thirds[] = {0x00, 0x41, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xE4, 0xFF};
  size_t checked = 0;
  for (unsigned lead = 0; lead < 256; lead++)
    for (unsigned second = 0; second < 256; second++)
      for (size_t t = 0; t < sizeof thirds; t++) {
        char s[5] = {'a', (char)lead, (char)second, (char)thirds[t], (char)0x80};
        for (size_t len = 1; len <= 5; len++) {
          /* from s + 1: the lead first; from s: after ASCII */
          for (size_t from = 0; from < 2 && from < len; from++) {
            const char *p = s + from;
            size_t n = len - from, i = 0, step;
            while (i < n && (step = gw_text_sequence_length(p + i, n - i)) > 0) i += step;
            if (gw_text_is_utf8(p, n) != (i == n)) {
              CHECK(gw_text_is_utf8(p, n) == (i == n));
              return;
            }
            checked++;
          }
        }
      }
  CHECK(checked > 4000000);
}

/* Keys: constant and not, with bytes to escape, compact and pretty, as
 * cJSON lays them out. */
static void test_keys(void) {
  static const char *const keys[] = {"", "a", "start", "heading_level", "a\"b", "tab\there",
                                     "sixteen_bytes_ab", "seventeen_bytes_a", "back\\slash",
                                     "\xE5\x85\xAC\xE5\x8F\xB8", "control\x01\x1f"};
  size_t n = sizeof keys / sizeof *keys;
  for (int pretty = 0; pretty <= 1; pretty++) {
    cJSON *root = cJSON_CreateObject(), *inner = cJSON_CreateObject();
    gw_json w;
    gw_json_init(&w, NULL, pretty);
    gw_json_object_begin(&w);
    for (size_t i = 0; i < n; i++) {
      cJSON_AddNumberToObject(root, keys[i], (double)i);
      gw_json_member_uint(&w, keys[i], i);
    }
    gw_json_key(&w, "inner");
    gw_json_object_begin(&w);
    for (size_t i = 0; i < n; i++) {
      char key[64];
      snprintf(key, sizeof key, "%s%zu", keys[i], i); /* not a constant */
      cJSON_AddStringToObject(inner, key, keys[n - 1 - i]);
      gw_json_member_string(&w, key, keys[n - 1 - i]);
    }
    gw_json_object_end(&w);
    cJSON_AddItemToObject(root, "inner", inner);
    gw_json_object_end(&w);
    char *expected = pretty ? cJSON_Print(root) : cJSON_PrintUnformatted(root);
    CHECK(expected && w.len == strlen(expected) && memcmp(w.text, expected, w.len) == 0);
    cJSON_free(expected);
    cJSON_Delete(root);
    CHECK(gw_json_finish(&w) == GW_OK);
  }
}

/* Integers as the C library prints them (and as cJSON does past INT_MAX,
 * where they are doubles): every value to 200,000, each power of ten and
 * its neighbours, the ends of int, and random values of every size;
 * negative ones through gw_json_int.  Doubles as cJSON prints them. */
static void test_numbers(void) {
  size_t mismatches = 0;
  char expected[64], laid[GW_JSON_NUMBER_ROOM + 8];
  uint64_t values[2000];
  size_t n_values = 0;
  for (uint64_t p = 1; p <= 1000000000000000000ull; p *= 10) {
    values[n_values++] = p - 1;
    values[n_values++] = p;
    values[n_values++] = p + 1;
    values[n_values++] = 2 * p - 1;
    values[n_values++] = 99 * p;
  }
  values[n_values++] = INT_MAX;
  values[n_values++] = (uint64_t)INT_MAX - 1;
  values[n_values++] = (uint64_t)INT_MAX + 1;
  values[n_values++] = 99999999;
  values[n_values++] = 100000000;
  values[n_values++] = 281474976710656ull;
  values[n_values++] = UINT64_MAX;
  while (n_values < sizeof values / sizeof *values) values[n_values++] = rng() >> (rng() % 64);
  for (size_t i = 0; i < n_values + 200000; i++) {
    uint64_t v = i < n_values ? values[i] : (uint64_t)(i - n_values);
    for (int negative = 0; negative <= 1; negative++) {
      if (negative && v > (uint64_t)INT_MAX + 1) continue;
      long long signed_v = negative ? -(long long)v : (long long)v;
      if (!negative && v > INT_MAX) {
        cJSON *number = cJSON_CreateNumber((double)v);
        char *printed = cJSON_PrintUnformatted(number);
        snprintf(expected, sizeof expected, "%s", printed ? printed : "");
        cJSON_free(printed);
        cJSON_Delete(number);
      } else if (!negative) {
        snprintf(expected, sizeof expected, "%" PRIu64, v);
      } else {
        snprintf(expected, sizeof expected, "%lld", signed_v);
      }
      gw_json w;
      gw_json_init(&w, NULL, 0);
      if (negative) gw_json_int(&w, signed_v);
      else gw_json_uint(&w, v);
      int same = w.len == strlen(expected) && memcmp(w.text, expected, w.len) == 0;
      if (!negative) {
        memset(laid, 'x', sizeof laid);
        char *end = gw_json_uint_into(laid, v);
        same = same && (size_t)(end - laid) == strlen(expected) &&
               memcmp(laid, expected, strlen(expected)) == 0;
      }
      if (!same && !mismatches++)
        fprintf(stderr, "number %s%" PRIu64 ": got %.*s\n", negative ? "-" : "", v, (int)w.len,
                w.text);
      gw_json_finish(&w);
    }
  }
  CHECK_EQ_SIZE(mismatches, 0);

  /* A number from a nearby one's digits, as gw_json_uint_into writes it:
   * small and large differences, carries that lengthen it, values past
   * INT_MAX, a base above the value. */
  static const uint64_t bases[][2] = {{0, 0},          {0, 3},          {7, 10},
                                      {98, 101},       {99, 100},       {99, 199},
                                      {9999999, 10000002}, {99999999, 100000000},
                                      {1234, 1234 + 99}, {1234, 1234 + 100}, {1299, 1300},
                                      {(uint64_t)INT_MAX - 5, INT_MAX},
                                      {(uint64_t)INT_MAX - 5, (uint64_t)INT_MAX + 1},
                                      {(uint64_t)INT_MAX + 1, (uint64_t)INT_MAX + 3},
                                      {50, 40},        {5, 123456789}};
  size_t from_mismatches = 0;
  for (size_t i = 0; i < sizeof bases / sizeof *bases + 100000; i++) {
    uint64_t base, value;
    if (i < sizeof bases / sizeof *bases) {
      base = bases[i][0];
      value = bases[i][1];
    } else {
      base = rng() >> (rng() % 64);
      value = base + (rng() % 4 ? rng() % 200 : rng() >> (rng() % 64));
    }
    char base_digits[GW_JSON_NUMBER_ROOM], from[GW_JSON_NUMBER_ROOM + 8];
    char *base_end = gw_json_uint_into(base_digits, base);
    char *end = gw_json_uint_from(from, value, base_digits, (size_t)(base_end - base_digits), base);
    snprintf(expected, sizeof expected, "%.*s", (int)(gw_json_uint_into(laid, value) - laid), laid);
    if (((size_t)(end - from) != strlen(expected) || memcmp(from, expected, strlen(expected))) &&
        !from_mismatches++)
      fprintf(stderr, "%" PRIu64 " from %" PRIu64 ": %.*s\n", value, base, (int)(end - from), from);
  }
  CHECK_EQ_SIZE(from_mismatches, 0);

  static const double doubles[] = {0.0, 0.5, -0.5, 0.1, 1.0 / 3.0, 2.5e-8, 1e15, 1e16,
                                   1e300, -1e-300, 123456789.125, 0.0001, 0.6667,
                                   2147483647.5, -2147483648.0, -2147483649.0, 4294967296.0,
                                   9007199254740993.0, NAN, INFINITY, -INFINITY};
  size_t double_mismatches = 0;
  for (size_t i = 0; i < sizeof doubles / sizeof *doubles + 500; i++) {
    double d = i < sizeof doubles / sizeof *doubles
                   ? doubles[i]
                   : ldexp((double)(rng() >> 11) / 9007199254740992.0, (int)(rng() % 200) - 100) *
                         (rng() % 2 ? 1 : -1);
    gw_json w;
    gw_json_init(&w, NULL, 0);
    gw_json_number(&w, d);
    cJSON *number = cJSON_CreateNumber(d);
    char *printed = cJSON_PrintUnformatted(number);
    if ((!printed || w.len != strlen(printed) || memcmp(w.text, printed, w.len) != 0) &&
        !double_mismatches++)
      fprintf(stderr, "number %.17g: %.*s against %s\n", d, (int)w.len, w.text,
              printed ? printed : "(null)");
    cJSON_free(printed);
    cJSON_Delete(number);
    gw_json_finish(&w);
  }
  CHECK_EQ_SIZE(double_mismatches, 0);
  /* -0 as 0, as the tools always wrote it (cJSON's int comparison; newer
   * cJSON prints "-0"). */
  gw_json w;
  gw_json_init(&w, NULL, 0);
  gw_json_number(&w, -0.0);
  CHECK_STRN(w.text, w.len, "0");
  gw_json_finish(&w);
}

/* A whole array laid out by the caller in small pieces of room
 * (gw_json_value_extend), in memory and into a file that fills as it
 * goes, gives what the plain calls give. */
static void test_extended_values(void) {
  for (int to_file = 0; to_file <= 1; to_file++) {
    FILE *f = to_file ? tmpfile() : NULL;
    CHECK(!to_file || f != NULL);
    if (to_file && !f) return;
    gw_json plain, laid;
    gw_json_init(&plain, NULL, 0);
    gw_json_init(&laid, f, 0);
    char text[200];
    for (int record = 0; record < 300; record++) {
      size_t items = rng() % 300;
      gw_json_object_begin(&plain);
      gw_json_object_begin(&laid);
      gw_json_member_uint(&plain, "record", (uint64_t)record);
      gw_json_member_uint(&laid, "record", (uint64_t)record);
      gw_json_key(&plain, "items");
      gw_json_key(&laid, "items");
      gw_json_array_begin(&plain);
      size_t piece = 64 + rng() % 2000;
      char *at = gw_json_value_reserve(&laid, piece);
      CHECK(at != NULL);
      if (!at) break;
      char *limit = at + piece;
      *at++ = '[';
      for (size_t i = 0; i < items; i++) {
        random_text(text, (size_t)(rng() % 150));
        size_t len = strlen(text);
        uint64_t n = rng() >> (rng() % 64);
        gw_json_object_begin(&plain);
        gw_json_member_string(&plain, "t", text);
        gw_json_member_uint(&plain, "n", n);
        gw_json_object_end(&plain);
        size_t need = 6 * len + GW_JSON_NUMBER_ROOM + 16;
        if ((size_t)(limit - at) < need) {
          at = gw_json_value_extend(&laid, at, need);
          CHECK(at != NULL);
          if (!at) break;
          limit = at + need;
        }
        if (i) *at++ = ',';
        memcpy(at, "{\"t\":\"", 6);
        at = gw_json_escape_into(at + 6, text, len);
        memcpy(at, "\",\"n\":", 6);
        at = gw_json_uint_into(at + 6, n);
        *at++ = '}';
      }
      if (!at) break;
      if (limit == at) at = gw_json_value_extend(&laid, at, 1);
      *at++ = ']';
      gw_json_value_commit(&laid, at);
      gw_json_array_end(&plain);
      gw_json_object_end(&plain);
      gw_json_object_end(&laid);
      gw_json_newline(&plain);
      gw_json_newline(&laid);
    }
    if (to_file) {
      check_file_holds(&laid, f, &plain);
    } else {
      CHECK(laid.len == plain.len && memcmp(laid.text, plain.text, plain.len) == 0);
      CHECK(gw_json_finish(&laid) == GW_OK);
    }
    CHECK(gw_json_finish(&plain) == GW_OK);
  }
}

int main(void) {
  test_long_strings();
  test_escapes_everywhere();
  test_invalid_utf8();
  test_is_utf8();
  test_keys();
  test_numbers();
  test_caller_laid_values();
  test_extended_values();
  test_flushing_writers();
  test_reserved_stream();
  return gw_test_report();
}
