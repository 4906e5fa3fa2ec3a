/* Decoding: encoding detection, offsets back to the input, errors, reading
 * files.  Fixtures are generated here (with iconv where another encoding is
 * needed) rather than committed as binary files. */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "stages.h"

static char tmp_dir[256];

static void make_tmp_dir(void) {
  const char *base = getenv("TMPDIR");
  snprintf(tmp_dir, sizeof tmp_dir, "%s/gw_decode_XXXXXX",
           base && *base ? base : "/tmp");
  if (!mkdtemp(tmp_dir)) {
    perror("mkdtemp");
    exit(1);
  }
}

static void tmp_path(char *out, size_t size, const char *name) {
  snprintf(out, size, "%s/%s", tmp_dir, name);
}

static void write_file(const char *path, const void *bytes, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(bytes, 1, len, f) != len || fclose(f) != 0) {
    perror(path);
    exit(1);
  }
}

static unsigned char *read_or_die(const char *path, size_t *len) {
  unsigned char *bytes;
  gw_error err;
  if (gw_read_file(path, &bytes, len, &err) != GW_OK) {
    fprintf(stderr, "%s\n", err.message);
    exit(1);
  }
  return bytes;
}

/* Converts with a fresh iconv, independently of decode.c's walking. */
static char *convert(const char *to, const char *from, const void *in,
                     size_t in_len, size_t *out_len) {
  iconv_t cd = iconv_open(to, from);
  size_t cap = in_len * 4 + 16;
  char *out = malloc(cap);
  char *ip = (char *)in, *op = out;
  size_t il = in_len, ol = cap;
  if (cd == (iconv_t)-1 || !out ||
      iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
    fprintf(stderr, "iconv %s→%s failed\n", from, to);
    exit(1);
  }
  iconv_close(cd);
  *out_len = (size_t)(op - out);
  return out;
}

static int decode(const void *bytes, size_t len, gw_encoding forced,
                  int replace, gw_decoded *d, gw_error *err) {
  return gw_decode(bytes, len, "x.txt", forced, replace, d, err);
}

/* Every character of the text maps to input bytes that decode to exactly
 * that character, and the end of the text maps to the end of the input. */
static void check_map_per_char(const gw_decoded *d, const unsigned char *input,
                               size_t input_len, const char *encoding) {
  iconv_t cd = iconv_open("UTF-8", encoding);
  size_t bad = 0;
  for (size_t t = 0; t < d->len;) {
    int32_t cp;
    size_t clen = gw_utf8_next((const unsigned char *)d->text + t,
                               d->len - t, &cp);
    size_t o = gw_offset_map_start(&d->to_original, t);
    size_t o_end = gw_offset_map_end(&d->to_original, t + clen);
    char buf[16], *ip = (char *)input + o, *op = buf;
    size_t il = o_end - o, ol = sizeof buf;
    iconv(cd, NULL, NULL, NULL, NULL);
    if (o_end <= o || o_end > input_len ||
        iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || il != 0 ||
        (size_t)(op - buf) != clen || memcmp(buf, d->text + t, clen) != 0)
      bad++;
    t += clen;
  }
  iconv_close(cd);
  CHECK_EQ_SIZE(bad, 0);
  CHECK_EQ_SIZE(gw_offset_map_end(&d->to_original, d->len), input_len);
}

static void test_encoding_names(void) {
  CHECK(strcmp(gw_encoding_name(GW_ENCODING_UTF8), "utf-8") == 0);
  CHECK(strcmp(gw_encoding_name(GW_ENCODING_UTF8_BOM), "utf-8-bom") == 0);
  CHECK(strcmp(gw_encoding_name(GW_ENCODING_UTF16LE), "utf-16le") == 0);
  CHECK(strcmp(gw_encoding_name(GW_ENCODING_UTF16BE), "utf-16be") == 0);
  CHECK(strcmp(gw_encoding_name(GW_ENCODING_GB18030), "gb18030") == 0);
}

static void test_utf8(void) {
  const char in[] = "一、总体情况\r\n工作abc";
  gw_decoded d;
  CHECK(decode(in, sizeof in - 1, GW_ENCODING_AUTO, 0, &d, NULL) == GW_OK);
  CHECK(d.encoding == GW_ENCODING_UTF8);
  CHECK(d.text == in); /* not copied */
  CHECK(d.owned == NULL);
  CHECK_EQ_SIZE(d.len, sizeof in - 1);
  CHECK_EQ_SIZE(d.to_original.count, 0);
  CHECK_EQ_SIZE(gw_offset_map_start(&d.to_original, 6), 6);
  gw_decoded_free(&d);
}

static void test_utf8_bom(void) {
  const char in[] = "\xEF\xBB\xBF中文\r\nab";
  gw_decoded d;
  CHECK(decode(in, sizeof in - 1, GW_ENCODING_AUTO, 0, &d, NULL) == GW_OK);
  CHECK(d.encoding == GW_ENCODING_UTF8_BOM);
  CHECK_STRN(d.text, d.len, "中文\r\nab");
  CHECK(d.text == in + 3); /* BOM skipped, not copied */
  CHECK_EQ_SIZE(gw_offset_map_start(&d.to_original, 0), 3);
  CHECK_EQ_SIZE(gw_offset_map_start(&d.to_original, 3), 6);  /* 文 */
  CHECK_EQ_SIZE(gw_offset_map_start(&d.to_original, 8), 11); /* a */
  CHECK_EQ_SIZE(gw_offset_map_end(&d.to_original, 6), 9);
  CHECK_EQ_SIZE(gw_offset_map_end(&d.to_original, d.len), sizeof in - 1);
  gw_decoded_free(&d);
}

/* "A中😀\r\nb": 😀 is a surrogate pair (4 bytes in UTF-16 and UTF-8), 中 is 2
 * bytes in UTF-16 and 3 in UTF-8. */
static void check_utf16(const unsigned char *in, size_t len, gw_encoding enc,
                        const char *iconv_name) {
  gw_decoded d;
  CHECK(decode(in, len, GW_ENCODING_AUTO, 0, &d, NULL) == GW_OK);
  CHECK(d.encoding == enc);
  CHECK_STRN(d.text, d.len, "A中😀\r\nb");
  const gw_offset_map *m = &d.to_original;
  CHECK_EQ_SIZE(gw_offset_map_start(m, 0), 2);  /* A after the BOM */
  CHECK_EQ_SIZE(gw_offset_map_start(m, 1), 4);  /* 中 */
  CHECK_EQ_SIZE(gw_offset_map_end(m, 4), 6);    /* 中 ends */
  CHECK_EQ_SIZE(gw_offset_map_start(m, 4), 6);  /* 😀 */
  CHECK_EQ_SIZE(gw_offset_map_end(m, 8), 10);   /* 😀 ends */
  CHECK_EQ_SIZE(gw_offset_map_start(m, 8), 10); /* \r */
  CHECK_EQ_SIZE(gw_offset_map_start(m, 9), 12); /* \n */
  CHECK_EQ_SIZE(gw_offset_map_start(m, 10), 14); /* b */
  CHECK_EQ_SIZE(gw_offset_map_end(m, 11), 16);
  check_map_per_char(&d, in, len, iconv_name);
  gw_decoded_free(&d);
}

static void test_utf16(void) {
  const unsigned char le[] = {0xFF, 0xFE, 'A', 0, 0x2D, 0x4E, 0x3D, 0xD8,
                              0x00, 0xDE, '\r', 0, '\n', 0, 'b', 0};
  const unsigned char be[] = {0xFE, 0xFF, 0, 'A', 0x4E, 0x2D, 0xD8, 0x3D,
                              0xDE, 0x00, 0, '\r', 0, '\n', 0, 'b'};
  check_utf16(le, sizeof le, GW_ENCODING_UTF16LE, "UTF-16LE");
  check_utf16(be, sizeof be, GW_ENCODING_UTF16BE, "UTF-16BE");
}

static void test_utf16_errors(void) {
  /* A, an unpaired high surrogate, B */
  const unsigned char lone[] = {0xFF, 0xFE, 'A', 0, 0x00, 0xD8, 'B', 0};
  gw_decoded d;
  gw_error err;
  CHECK(decode(lone, sizeof lone, GW_ENCODING_AUTO, 0, &d, &err) ==
        GW_EENCODING);
  CHECK_EQ_SIZE(err.offset, 4);
  CHECK(strcmp(err.message, "x.txt:4: invalid UTF-16 sequence") == 0);
  CHECK(d.text == NULL && d.owned == NULL);

  CHECK(decode(lone, sizeof lone, GW_ENCODING_AUTO, 1, &d, &err) == GW_OK);
  CHECK_STRN(d.text, d.len, "A\xEF\xBF\xBD" "B");
  CHECK_EQ_SIZE(d.replacements, 1);
  CHECK_EQ_SIZE(gw_offset_map_start(&d.to_original, 1), 4);
  CHECK_EQ_SIZE(gw_offset_map_end(&d.to_original, 4), 6);
  CHECK_EQ_SIZE(gw_offset_map_start(&d.to_original, 4), 6);
  gw_decoded_free(&d);

  const unsigned char odd[] = {0xFE, 0xFF, 0, 'A', 0};
  CHECK(decode(odd, sizeof odd, GW_ENCODING_AUTO, 0, &d, &err) ==
        GW_EENCODING);
  CHECK_EQ_SIZE(err.offset, 4);

  /* U+0000 everywhere: binary even though it is valid UTF-16. */
  const unsigned char nuls[] = {0xFF, 0xFE, 'A', 0, 0, 0, 0, 0, 0, 0};
  CHECK(decode(nuls, sizeof nuls, GW_ENCODING_AUTO, 0, &d, &err) ==
        GW_EBINARY);
  CHECK_EQ_SIZE(err.offset, 4);
}

/* The GB18030 twin of every seed report, made here with iconv, decodes to
 * exactly the report's bytes, with a map entry per character. */
static void test_gbk_file(void) {
  static const char *const seeds[] = {
      "000_c510bc378b158120.txt", "001_84632f9a43899128.txt",
      "002_1aded01d7d411218.txt", "003_1973e543c9b997a8.txt",
      "004_c0ae98798d36dd3b.txt"};
  for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", GW_CORPUS_DIR, seeds[i]);
    size_t utf8_len, gbk_len;
    unsigned char *utf8 = read_or_die(path, &utf8_len);
    unsigned char *gbk =
        (unsigned char *)convert("GB18030", "UTF-8", utf8, utf8_len, &gbk_len);
    gw_decoded d;
    gw_error err;
    CHECK(gw_decode(gbk, gbk_len, seeds[i], GW_ENCODING_AUTO, 0, &d, &err) ==
          GW_OK);
    CHECK(d.encoding == GW_ENCODING_GB18030);
    CHECK_EQ_SIZE(d.len, utf8_len);
    CHECK(d.len == utf8_len && memcmp(d.text, utf8, utf8_len) == 0);
    CHECK(d.text[d.len] == '\0');
    check_map_per_char(&d, gbk, gbk_len, "GB18030");
    gw_decoded_free(&d);
    free(gbk);
    free(utf8);
  }
}

/* 4-byte GB18030 sequences: U+0080 (81 30 81 30) and U+20000 (95 32 82 36). */
static void test_gb18030_four_byte(void) {
  const unsigned char in[] = {'a', 0x81, 0x30, 0x81, 0x30, 0xD6, 0xD0,
                              0x95, 0x32, 0x82, 0x36, 'b'};
  gw_decoded d;
  CHECK(decode(in, sizeof in, GW_ENCODING_AUTO, 0, &d, NULL) == GW_OK);
  CHECK(d.encoding == GW_ENCODING_GB18030);
  CHECK_STRN(d.text, d.len, "a\xC2\x80中\xF0\xA0\x80\x80" "b");
  const gw_offset_map *m = &d.to_original;
  CHECK_EQ_SIZE(gw_offset_map_start(m, 1), 1);  /* U+0080 */
  CHECK_EQ_SIZE(gw_offset_map_end(m, 3), 5);
  CHECK_EQ_SIZE(gw_offset_map_start(m, 3), 5);  /* 中 */
  CHECK_EQ_SIZE(gw_offset_map_start(m, 6), 7);  /* U+20000 */
  CHECK_EQ_SIZE(gw_offset_map_end(m, 10), 11);
  CHECK_EQ_SIZE(gw_offset_map_start(m, 10), 11); /* b */
  CHECK_EQ_SIZE(gw_offset_map_end(m, 11), 12);
  check_map_per_char(&d, in, sizeof in, "GB18030");
  gw_decoded_free(&d);
}

/* The seed reports converted to GBK are GBK; the same reports in UTF-8 with
 * one damaged byte are invalid UTF-8, not GBK. */
static void test_detection_rule(void) {
  size_t len, gbk_len;
  unsigned char *utf8 =
      read_or_die(GW_CORPUS_DIR "/000_c510bc378b158120.txt", &len);
  char *gbk = convert("GB18030", "UTF-8", utf8, len, &gbk_len);
  gw_decoded d;
  gw_error err;
  CHECK(decode(gbk, gbk_len, GW_ENCODING_AUTO, 0, &d, &err) == GW_OK);
  CHECK(d.encoding == GW_ENCODING_GB18030);
  CHECK(d.len == len && memcmp(d.text, utf8, len) == 0);
  gw_decoded_free(&d);

  /* Find a Chinese character past the first kilobyte, break its 2nd byte. */
  size_t at = 1000;
  while (utf8[at] < 0xE0) at++;
  utf8[at + 1] = 'x';
  CHECK(decode(utf8, len, GW_ENCODING_AUTO, 0, &d, &err) == GW_EENCODING);
  CHECK_EQ_SIZE(err.offset, at);
  free(gbk);
  free(utf8);
}

static void test_invalid_utf8(void) {
  char in[2048];
  size_t n = 0;
  while (n < 1233) { memcpy(in + n, "中", 3); n += 3; }
  in[n++] = 'a';   /* n == 1234 */
  in[n++] = '\xFF';
  memcpy(in + n, "中文", 6);
  n += 6;
  gw_decoded d;
  gw_error err;
  CHECK(decode(in, n, GW_ENCODING_AUTO, 0, &d, &err) == GW_EENCODING);
  CHECK(err.code == GW_EENCODING);
  CHECK_EQ_SIZE(err.offset, 1234);
  CHECK(strcmp(err.message, "x.txt:1234: invalid UTF-8 sequence") == 0);

  /* Truncated at the end of the input. */
  CHECK(decode("中文\xE4\xB8", 8, GW_ENCODING_AUTO, 0, &d, &err) ==
        GW_EENCODING);
  CHECK_EQ_SIZE(err.offset, 6);

  /* Neither UTF-8 nor GB18030 (0x80 is not a GB18030 byte). */
  CHECK(decode("abc\x80" "def", 7, GW_ENCODING_AUTO, 0, &d, &err) ==
        GW_EENCODING);
  CHECK(strcmp(err.message,
               "x.txt:3: neither UTF-8 nor GB18030 (invalid byte sequence)") ==
        0);
}

/* Maximal subparts: FF | E4 B8 | F0 | 80 | ED | A0 | 80 → 7 × U+FFFD. */
#define BAD_UTF8 "中文a\xFF" "b\xE4\xB8" "c\xF0\x80" "d\xED\xA0\x80" "e"
#define FIXED "中文a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD\xEF\xBF\xBD" \
  "d\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "e"
#define TAIL "中文中文中文中文"

static void check_replaced(const char *in, size_t len, size_t shift,
                           gw_encoding enc) {
  gw_decoded d;
  CHECK(decode(in, len, GW_ENCODING_AUTO, 1, &d, NULL) == GW_OK);
  CHECK(d.encoding == enc);
  CHECK_STRN(d.text, d.len, FIXED TAIL);
  CHECK_EQ_SIZE(d.replacements, 7);
  const gw_offset_map *m = &d.to_original;
  CHECK_EQ_SIZE(gw_offset_map_start(m, 6), 6 + shift);   /* a */
  CHECK_EQ_SIZE(gw_offset_map_start(m, 7), 7 + shift);   /* FFFD ← FF */
  CHECK_EQ_SIZE(gw_offset_map_end(m, 10), 8 + shift);
  CHECK_EQ_SIZE(gw_offset_map_start(m, 10), 8 + shift);  /* b */
  CHECK_EQ_SIZE(gw_offset_map_start(m, 11), 9 + shift);  /* FFFD ← E4 B8 */
  CHECK_EQ_SIZE(gw_offset_map_end(m, 14), 11 + shift);
  CHECK_EQ_SIZE(gw_offset_map_start(m, 14), 11 + shift); /* c */
  CHECK_EQ_SIZE(gw_offset_map_start(m, 15), 12 + shift); /* FFFD ← F0 */
  CHECK_EQ_SIZE(gw_offset_map_start(m, 18), 13 + shift); /* FFFD ← 80 */
  CHECK_EQ_SIZE(gw_offset_map_start(m, 21), 14 + shift); /* d */
  CHECK_EQ_SIZE(gw_offset_map_start(m, 25), 16 + shift); /* FFFD ← A0 */
  CHECK_EQ_SIZE(gw_offset_map_start(m, 31), 18 + shift); /* e */
  CHECK_EQ_SIZE(gw_offset_map_start(m, 32), 19 + shift); /* 中 */
  CHECK_EQ_SIZE(gw_offset_map_end(m, d.len), len);
  gw_decoded_free(&d);
}

static void test_replace(void) {
  const char plain[] = BAD_UTF8 TAIL;
  const char bom[] = "\xEF\xBB\xBF" BAD_UTF8 TAIL;
  check_replaced(plain, sizeof plain - 1, 0, GW_ENCODING_UTF8);
  check_replaced(bom, sizeof bom - 1, 3, GW_ENCODING_UTF8_BOM);
}

/* An offset inside a U+FFFD maps into the bytes it replaced, also when
 * they were fewer than its three: "a\xE5" is 2 bytes, its text 4. */
static void test_replacement_inside(void) {
  gw_decoded d;
  CHECK(decode("a\xE5", 2, GW_ENCODING_AUTO, 1, &d, NULL) == GW_OK);
  CHECK_STRN(d.text, d.len, "a\xEF\xBF\xBD");
  const gw_offset_map *m = &d.to_original;
  for (size_t t = 1; t < 4; t++) {
    CHECK_EQ_SIZE(gw_offset_map_start(m, t), 1);
    CHECK_EQ_SIZE(gw_offset_map_end(m, t + 1), 2);
  }
  CHECK_EQ_SIZE(gw_offset_map_start(m, 4), 2);
  gw_decoded_free(&d);
  /* Two bytes for one U+FFFD, then text: its offsets stay exact. */
  CHECK(decode("\xE4\xB8z\xE4\xB8", 5, GW_ENCODING_UTF8, 1, &d, NULL) ==
        GW_OK);
  CHECK_STRN(d.text, d.len, "\xEF\xBF\xBDz\xEF\xBF\xBD");
  m = &d.to_original;
  CHECK_EQ_SIZE(gw_offset_map_start(m, 2), 0);
  CHECK_EQ_SIZE(gw_offset_map_end(m, 2), 2);
  CHECK_EQ_SIZE(gw_offset_map_start(m, 3), 2); /* z */
  CHECK_EQ_SIZE(gw_offset_map_end(m, 4), 3);
  CHECK_EQ_SIZE(gw_offset_map_start(m, 6), 3);
  CHECK_EQ_SIZE(gw_offset_map_end(m, 6), 5);
  CHECK_EQ_SIZE(gw_offset_map_start(m, 7), 5);
  gw_decoded_free(&d);
  /* No position of any text maps past the end of its input. */
  static const char *const inputs[] = {"\xE5", "\xF0\x9F", "x\xF0\x9F\x98",
                                       "\xC3"};
  for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
    size_t n = strlen(inputs[i]);
    CHECK(decode(inputs[i], n, GW_ENCODING_UTF8, 1, &d, NULL) == GW_OK);
    for (size_t t = 0; t <= d.len; t++) {
      CHECK(gw_offset_map_start(&d.to_original, t) <= n);
      CHECK(gw_offset_map_end(&d.to_original, t) <= n);
    }
    gw_decoded_free(&d);
  }
}

/* The NUL rule on a prefix: what gw_decode would refuse, with its message;
 * UTF-16 judged by its code units. */
static void test_check_prefix(void) {
  unsigned char zeros[4096] = {0};
  gw_error err;
  static const gw_encoding all[] = {GW_ENCODING_AUTO, GW_ENCODING_UTF8,
                                    GW_ENCODING_GB18030, GW_ENCODING_UTF16LE,
                                    GW_ENCODING_UTF16BE};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
    CHECK(gw_decode_check_prefix(zeros, sizeof zeros, "z", all[i], &err) ==
          GW_EBINARY);
    CHECK(strcmp(err.message, "z: not a text file (NUL bytes at offset 0)") ==
          0);
  }
  /* UTF-16 text is half NUL bytes, and fine. */
  size_t len;
  char *utf16 = convert("UTF-16", "UTF-8", "意识形态工作责任制abc", 27 + 3, &len);
  CHECK(gw_decode_check_prefix((unsigned char *)utf16, len, "u", GW_ENCODING_AUTO,
                               NULL) == GW_OK);
  CHECK(gw_decode_check_prefix((unsigned char *)utf16 + 2, len - 2, "u",
                               GW_ENCODING_UTF16LE, NULL) == GW_OK);
  /* Without its BOM it is NUL-heavy bytes. */
  CHECK(gw_decode_check_prefix((unsigned char *)utf16 + 2, len - 2, "u",
                               GW_ENCODING_AUTO, NULL) == GW_EBINARY);
  free(utf16);
  /* A stray NUL in text, and a prefix ending inside a character, pass. */
  char text[2048];
  memset(text, 'a', sizeof text);
  text[100] = '\0';
  memcpy(text + sizeof text - 2, "\xE4\xB8", 2);
  CHECK(gw_decode_check_prefix((unsigned char *)text, sizeof text, "t",
                               GW_ENCODING_AUTO, NULL) == GW_OK);
}

static int refuse_all(const unsigned char *bytes, size_t len, void *payload,
                      gw_error *err) {
  (void)bytes;
  *(size_t *)payload = len;
  return gw_fail(err, GW_EBINARY, "refused");
}

/* The check runs once the prefix is in, and the reading stops there;
 * a file shorter than the prefix is read whole without it. */
static void test_read_checked(void) {
  size_t seen = 0;
  gw_read_check check = {1 << 16, refuse_all, &seen};
  unsigned char *bytes = NULL;
  size_t len = 0;
  gw_error err;
  CHECK(gw_read_file_checked("/dev/zero", &check, &bytes, &len, &err) ==
        GW_EBINARY);
  CHECK(bytes == NULL);
  CHECK_EQ_SIZE(seen, 1 << 16);
  char path[512];
  tmp_path(path, sizeof path, "big.txt");
  char *big = malloc(200000);
  memset(big, 'x', 200000);
  write_file(path, big, 200000);
  seen = 0;
  CHECK(gw_read_file_checked(path, &check, &bytes, &len, &err) == GW_EBINARY);
  CHECK_EQ_SIZE(seen, 1 << 16);
  check.after = 300000;
  CHECK(gw_read_file_checked(path, &check, &bytes, &len, &err) == GW_OK);
  CHECK(len == 200000 && bytes && memcmp(bytes, big, len) == 0);
  free(bytes);
  free(big);
  unlink(path);
}

static void test_binary(void) {
  unsigned char elf[64] = {0x7F, 'E', 'L', 'F', 2, 1, 1};
  gw_decoded d;
  gw_error err;
  CHECK(gw_decode(elf, sizeof elf, "x.bin", GW_ENCODING_AUTO, 0, &d, &err) ==
        GW_EBINARY);
  CHECK_EQ_SIZE(err.offset, 7);
  CHECK(strcmp(err.message, "x.bin: not a text file (NUL bytes at offset 7)") ==
        0);
  /* Refused even with replace_invalid or a forced 8-bit encoding. */
  CHECK(gw_decode(elf, sizeof elf, "x.bin", GW_ENCODING_AUTO, 1, &d, &err) ==
        GW_EBINARY);
  CHECK(gw_decode(elf, sizeof elf, "x.bin", GW_ENCODING_GB18030, 0, &d,
                  &err) == GW_EBINARY);

  /* Random bytes without NULs: undecodable and full of control bytes. */
  unsigned char noise[4096];
  uint32_t x = 12345;
  for (size_t i = 0; i < sizeof noise; i++) {
    x = x * 1103515245u + 12345u;
    noise[i] = (unsigned char)((x >> 16) % 255 + 1);
  }
  CHECK(gw_decode(noise, sizeof noise, "x.bin", GW_ENCODING_AUTO, 0, &d,
                  &err) == GW_EBINARY);
  CHECK(strstr(err.message, "x.bin: not a text file") == err.message);
  CHECK(gw_decode(noise, sizeof noise, "x.bin", GW_ENCODING_AUTO, 1, &d,
                  &err) == GW_EBINARY);

  /* UTF-16 without BOM is not guessed: its NULs make it binary. */
  size_t len, u16_len;
  unsigned char *utf8 =
      read_or_die(GW_CORPUS_DIR "/000_c510bc378b158120.txt", &len);
  char *u16 = convert("UTF-16LE", "UTF-8", utf8, len, &u16_len);
  CHECK(gw_decode((unsigned char *)u16, u16_len, "x.bin", GW_ENCODING_AUTO, 0, &d, &err) ==
        GW_EBINARY);
  free(u16);
  free(utf8);

  /* One stray NUL in a long text is kept. */
  char text[4096];
  for (size_t i = 0; i < sizeof text; i++) text[i] = (char)('a' + i % 26);
  text[100] = '\0';
  CHECK(decode(text, sizeof text, GW_ENCODING_AUTO, 0, &d, &err) == GW_OK);
  CHECK_EQ_SIZE(d.len, sizeof text);
  gw_decoded_free(&d);
  /* One in a hundred is too many. */
  for (size_t i = 99; i < sizeof text; i += 100) text[i] = '\0';
  CHECK(decode(text, sizeof text, GW_ENCODING_AUTO, 0, &d, &err) ==
        GW_EBINARY);
  CHECK_EQ_SIZE(err.offset, 99);
}

static void test_empty(void) {
  gw_decoded d;
  CHECK(decode("", 0, GW_ENCODING_AUTO, 0, &d, NULL) == GW_OK);
  CHECK_EQ_SIZE(d.len, 0);
  CHECK(d.text != NULL);
  CHECK(d.encoding == GW_ENCODING_UTF8);
  gw_decoded_free(&d);

  char path[512];
  tmp_path(path, sizeof path, "empty.txt");
  write_file(path, "", 0);
  unsigned char *bytes = NULL;
  size_t len = 99;
  CHECK(gw_read_file(path, &bytes, &len, NULL) == GW_OK);
  CHECK_EQ_SIZE(len, 0);
  CHECK(bytes != NULL);
  free(bytes);
  unlink(path);
}

static void test_forced(void) {
  gw_decoded d;
  gw_error err;
  /* 中 in UTF-8 is E4 B8 AD: E4 B8 is a GB18030 pair, AD is cut off. */
  CHECK(decode("中", 3, GW_ENCODING_GB18030, 0, &d, &err) == GW_EENCODING);
  CHECK(strcmp(err.message, "x.txt:2: invalid GB18030 sequence") == 0);
  /* 中 in GBK is D6 D0: not UTF-8. */
  CHECK(decode("\xD6\xD0", 2, GW_ENCODING_UTF8, 0, &d, &err) ==
        GW_EENCODING);
  CHECK_EQ_SIZE(err.offset, 0);
  CHECK(decode("\xD6\xD0", 2, GW_ENCODING_GB18030, 0, &d, &err) == GW_OK);
  CHECK_STRN(d.text, d.len, "中");
  gw_decoded_free(&d);
  /* An unassigned 4-byte sequence is one U+FFFD; a broken pair loses only
   * its lead byte. */
  const char gb[] = "a\x84\x31\xA5\x30" "b\x81 c";
  CHECK(decode(gb, sizeof gb - 1, GW_ENCODING_GB18030, 0, &d, &err) ==
        GW_EENCODING);
  CHECK_EQ_SIZE(err.offset, 1);
  CHECK(decode(gb, sizeof gb - 1, GW_ENCODING_GB18030, 1, &d, &err) == GW_OK);
  CHECK_STRN(d.text, d.len, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD c");
  CHECK_EQ_SIZE(d.replacements, 2);
  CHECK_EQ_SIZE(gw_offset_map_start(&d.to_original, 1), 1);
  CHECK_EQ_SIZE(gw_offset_map_end(&d.to_original, 4), 5);
  CHECK_EQ_SIZE(gw_offset_map_start(&d.to_original, 4), 5); /* b */
  CHECK_EQ_SIZE(gw_offset_map_start(&d.to_original, 5), 6);
  CHECK_EQ_SIZE(gw_offset_map_start(&d.to_original, 8), 7); /* space */
  CHECK_EQ_SIZE(gw_offset_map_end(&d.to_original, d.len), sizeof gb - 1);
  gw_decoded_free(&d);

  /* UTF-16 without BOM only when asked for. */
  CHECK(decode("A\0-N", 4, GW_ENCODING_UTF16LE, 0, &d, &err) == GW_OK);
  CHECK_STRN(d.text, d.len, "A中");
  CHECK_EQ_SIZE(gw_offset_map_start(&d.to_original, 1), 2);
  gw_decoded_free(&d);
  CHECK(decode("ab", 2, (gw_encoding)42, 0, &d, &err) == GW_EINVAL);
}

static void test_read_errors(void) {
  unsigned char *bytes = NULL;
  size_t len = 0;
  gw_error err;
  char expected[600];

  CHECK(gw_read_file(tmp_dir, &bytes, &len, &err) == GW_EISDIR);
  snprintf(expected, sizeof expected, "%s: is a directory", tmp_dir);
  CHECK(strcmp(err.message, expected) == 0);
  CHECK(bytes == NULL);

  char path[512];
  tmp_path(path, sizeof path, "missing.txt");
  CHECK(gw_read_file(path, &bytes, &len, &err) == GW_EIO);
  CHECK(err.sys_errno == ENOENT);
  snprintf(expected, sizeof expected, "%s: No such file or directory", path);
  CHECK(strcmp(err.message, expected) == 0);

  /* A sparse file just past the limit: refused before reading. */
  tmp_path(path, sizeof path, "huge.txt");
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd >= 0 && ftruncate(fd, (off_t)GW_MAX_INPUT + 1) == 0) {
    CHECK(gw_read_file(path, &bytes, &len, &err) == GW_ETOOBIG);
    CHECK(bytes == NULL);
  } else {
    fprintf(stderr, "note: cannot create a sparse file, GW_ETOOBIG skipped\n");
  }
  if (fd >= 0) close(fd);
  unlink(path);
}

/* A 10 MB single line, in UTF-8 and in GB18030. */
static void test_long_line(void) {
  const char *chars = "中华人民共和国国务院办公厅关于加强作风建设的通知";
  size_t unit = strlen(chars), len = 0, cap = 10u << 20;
  char *utf8 = malloc(cap);
  while (len + unit <= cap) { memcpy(utf8 + len, chars, unit); len += unit; }

  char path[512];
  tmp_path(path, sizeof path, "long.txt");
  write_file(path, utf8, len);
  size_t read_len;
  unsigned char *bytes = read_or_die(path, &read_len);
  CHECK_EQ_SIZE(read_len, len);
  gw_decoded d;
  CHECK(gw_decode(bytes, read_len, path, GW_ENCODING_AUTO, 0, &d, NULL) ==
        GW_OK);
  CHECK(d.encoding == GW_ENCODING_UTF8);
  CHECK(d.text == (const char *)bytes);
  CHECK_EQ_SIZE(d.len, len);
  gw_decoded_free(&d);
  free(bytes);
  unlink(path);

  size_t gb_len;
  char *gb = convert("GB18030", "UTF-8", utf8, len, &gb_len);
  CHECK(gw_decode((unsigned char *)gb, gb_len, "long.gbk", GW_ENCODING_AUTO, 0,
                  &d, NULL) == GW_OK);
  CHECK(d.encoding == GW_ENCODING_GB18030);
  CHECK(d.len == len && memcmp(d.text, utf8, len) == 0);
  /* Every character is 3 bytes in UTF-8 and 2 in GBK. */
  size_t mid = (len / 2) / 3 * 3;
  CHECK_EQ_SIZE(gw_offset_map_start(&d.to_original, mid), mid / 3 * 2);
  CHECK_EQ_SIZE(gw_offset_map_end(&d.to_original, len), gb_len);
  gw_decoded_free(&d);
  free(gb);
  free(utf8);
}

/* The length of the longest valid UTF-8 prefix, written plainly from the
 * Unicode standard's table of well-formed sequences (Table 3-7). */
static size_t reference_valid_prefix(const unsigned char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned c = s[i];
    size_t need;
    unsigned lo = 0x80, hi = 0xBF;
    if (c < 0x80) { i++; continue; }
    if (c >= 0xC2 && c <= 0xDF) need = 1;
    else if (c >= 0xE0 && c <= 0xEF) need = 2;
    else if (c >= 0xF0 && c <= 0xF4) need = 3;
    else return i;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
    if (n - i <= need) return i;
    for (size_t k = 1; k <= need; k++) {
      if (s[i + k] < lo || s[i + k] > hi) return i;
      lo = 0x80;
      hi = 0xBF;
    }
    i += need + 1;
  }
  return i;
}

/* The validator reads 32 (AVX2) or 64 (SSE2) bytes at a time where it
 * can: texts of every length around a few blocks, of characters of every
 * length (the edge sequences of each lead included), with bad bytes, cut
 * characters and NULs at every kind of position, against the plain
 * validator above; the longer texts (up to 1,600 bytes) let a NUL or two
 * pass the NUL rule, so the count the blocks keep is checked too. */
static void test_utf8_blocks(void) {
  static const char *const pieces[] = {
      "a", "\n", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF",
      "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF", "中", "文",
      "，", "。", "\xF3\xA0\x80\x80"};
  static const unsigned char bad[] = {0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF,
                                      0xC0, 0xC1, 0xC2, 0xE0, 0xED, 0xEF,
                                      0xF0, 0xF4, 0xF5, 0xFF, 0x00, 0x41};
  unsigned char buf[1700];
  uint32_t x = 2024;
  size_t mismatches = 0;
  for (int round = 0; round < 24000; round++) {
    x = x * 1103515245u + 12345u;
    size_t target = (x >> 8) % (round < 20000 ? 300 : 1600), n = 0;
    while (n < target) {
      x = x * 1103515245u + 12345u;
      const char *p = pieces[(x >> 16) % (sizeof pieces / sizeof *pieces)];
      size_t l = strlen(p);
      memcpy(buf + n, p, l);
      n += l;
    }
    x = x * 1103515245u + 12345u;
    int changes = (int)((x >> 16) % 4);
    for (int c = 0; c < changes && n > 0; c++) {
      x = x * 1103515245u + 12345u;
      size_t at = (x >> 8) % n;
      x = x * 1103515245u + 12345u;
      if ((x >> 16) % 8 == 0) n = at; /* cut */
      else buf[at] = bad[(x >> 16) % sizeof bad];
    }
    size_t nuls = 0, first_nul = n;
    for (size_t i = 0; i < n; i++)
      if (buf[i] == 0 && nuls++ == 0) first_nul = i;
    size_t valid = reference_valid_prefix(buf, n);
    gw_decoded d;
    gw_error err;
    int rc = gw_decode(buf, n, "x", GW_ENCODING_UTF8, 0, &d, &err);
    int ok;
    if (n && nuls > n / 512) ok = rc == GW_EBINARY && err.offset == first_nul;
    else if (valid == n) ok = rc == GW_OK && d.len == n;
    else ok = rc == GW_EENCODING && err.offset == valid;
    if (!ok && mismatches++ < 5)
      fprintf(stderr, "utf8 blocks: round %d, %zu bytes: rc %d, offset %zu, "
              "expected prefix %zu, %zu NULs\n", round, n, rc,
              rc < 0 ? err.offset : 0, valid, nuls);
    if (rc == GW_OK) gw_decoded_free(&d);
  }
  CHECK_EQ_SIZE(mismatches, 0);
}

int main(void) {
  make_tmp_dir();
  test_encoding_names();
  test_utf8();
  test_utf8_bom();
  test_utf16();
  test_utf16_errors();
  test_gbk_file();
  test_gb18030_four_byte();
  test_detection_rule();
  test_invalid_utf8();
  test_utf8_blocks();
  test_replace();
  test_replacement_inside();
  test_check_prefix();
  test_read_checked();
  test_binary();
  test_empty();
  test_forced();
  test_read_errors();
  test_long_line();
  rmdir(tmp_dir);
  return gw_test_report();
}
