/* json_writer.c — JSON written as it goes (see json_writer.h). */
#include "json_writer.h"
#include "grow.h"

#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "gongwen.h"
#include "text_out.h"

/* Written to out when the buffer holds this much. */
enum { FLUSH_AT = 1 << 16 };

/* How far the buffer may fill before room() must look at anything else:
 * its capacity, and for a writer that flushes when full, FLUSH_AT. */
static void set_fast_end(gw_json *w) {
  w->fast_end = w->out && !w->whole_lines && w->cap > FLUSH_AT ? FLUSH_AT : w->cap;
}

void gw_json_init(gw_json *w, FILE *out, int pretty) {
  memset(w, 0, sizeof *w);
  w->out = out;
  w->pretty = pretty;
}

int gw_json_flush(gw_json *w) {
  if (w->out && !w->failed && w->len) {
    if (fwrite(w->text, 1, w->len, w->out) != w->len) w->failed = GW_EIO;
    w->len = 0;
  }
  return w->failed;
}

int gw_json_finish(gw_json *w) {
  int rc = gw_json_flush(w);
  free(w->text);
  w->text = NULL;
  w->len = w->cap = w->fast_end = 0;
  return rc;
}

void gw_json_clear(gw_json *w) {
  w->len = 0;
  w->depth = 0;
  w->after_key = 0;
}

void gw_json_whole_lines(gw_json *w) {
  w->whole_lines = 1;
  set_fast_end(w);
}

void gw_json_fail(gw_json *w, int code) {
  if (!w->failed) w->failed = code;
}

int gw_json_write_parts(FILE *out, gw_json *const *parts, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (parts[i]->failed) return parts[i]->failed;
  for (size_t i = 0; i < n; i++)
    if (parts[i]->len && fwrite(parts[i]->text, 1, parts[i]->len, out) != parts[i]->len)
      return GW_EIO;
  return GW_OK;
}

static char *room_slow(gw_json *w, size_t n) {
  if (w->failed) return NULL;
  if (w->out && !w->whole_lines && w->len + n > FLUSH_AT && w->len && gw_json_flush(w))
    return NULL;
  /* 4 KB at first: a record is seldom shorter. */
  size_t need = w->len + n < 4096 ? 4096 : w->len + n;
  if (w->len + n > w->cap && GW_CLI_GROW(w->text, w->cap, need)) {
    w->failed = GW_ENOMEM;
    return NULL;
  }
  set_fast_end(w);
  return w->text + w->len;
}

/* Room for n more bytes: a pointer to them, or NULL after a failure.  (The
 * test is strict so that an empty writer, whose text is NULL, never takes
 * the fast way.) */
static inline char *room(gw_json *w, size_t n) {
  if (w->len + n < w->fast_end && !w->failed) return w->text + w->len;
  return room_slow(w, n);
}

static void put(gw_json *w, const char *s, size_t n) {
  char *at = room(w, n);
  if (!at) return;
  memcpy(at, s, n);
  w->len += n;
}

static void put_char(gw_json *w, char c) {
  char *at = room(w, 1);
  if (!at) return;
  *at = c;
  w->len++;
}

static void put_tabs(gw_json *w, unsigned n) {
  char *at = room(w, n);
  if (!at) return;
  memset(at, '\t', n);
  w->len += n;
}

/* The separator before a value: in an array after its first element. */
static void before_value(gw_json *w) {
  if (w->after_key) {
    w->after_key = 0;
    return;
  }
  if (w->depth == 0) return;
  unsigned top = w->depth - 1;
  if (!w->is_object[top]) {
    if (w->has_items[top]) put(w, ", ", w->pretty ? 2 : 1);
    w->has_items[top] = 1;
  }
}

static void push(gw_json *w, int is_object, int has_items) {
  if (w->depth == GW_JSON_MAX_DEPTH) {
    w->failed = GW_ENOMEM;
    return;
  }
  w->is_object[w->depth] = (unsigned char)is_object;
  w->has_items[w->depth] = (unsigned char)has_items;
  w->depth++;
}

void gw_json_continue_in(gw_json *w, int is_object, int has_items) {
  push(w, is_object, has_items);
}

void gw_json_object_begin(gw_json *w) {
  before_value(w);
  put(w, "{\n", w->pretty ? 2 : 1);
  push(w, 1, 0);
}

void gw_json_object_end(gw_json *w) {
  if (w->depth == 0) return;
  if (w->pretty) {
    if (w->has_items[w->depth - 1]) put_char(w, '\n');
    put_tabs(w, w->depth - 1);
  }
  put_char(w, '}');
  w->depth--;
}

void gw_json_array_begin(gw_json *w) {
  before_value(w);
  put_char(w, '[');
  push(w, 0, 0);
}

void gw_json_array_end(gw_json *w) {
  if (w->depth == 0) return;
  put_char(w, ']');
  w->depth--;
}

void gw_json_newline(gw_json *w) {
  put_char(w, '\n');
  if (w->whole_lines && w->len >= FLUSH_AT) gw_json_flush(w);
}

/* The longest piece of a string escaped into one reservation: room for
 * its worst case (every byte as \u00XX) is asked for at once. */
enum { QUOTED_PIECE = 4096 };

/* Whether s[0, 16) holds a byte that JSON escapes: a control character,
 * '"' or '\\'. */
static inline int has_escape16(const char *s) {
#ifdef __SSE2__
  __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
  __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(31)), v);
  __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
  __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
  return _mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, backslash))) != 0;
#else
  for (int i = 0; i < 16; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < 32 || c == '"' || c == '\\') return 1;
  }
  return 0;
#endif
}

/* s[0, len) escaped into `to` (room for 6 * len bytes): its end. */
static char *escape_into(char *to, const char *s, size_t len) {
  static const char hex[] = "0123456789abcdef";
  size_t i = 0;
  while (i + 16 <= len && !has_escape16(s + i)) {
    memcpy(to, s + i, 16);
    to += 16;
    i += 16;
  }
  for (; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 32 && c != '"' && c != '\\') {
      *to++ = (char)c;
      continue;
    }
    *to++ = '\\';
    switch (c) {
    case '"': *to++ = '"'; break;
    case '\\': *to++ = '\\'; break;
    case '\b': *to++ = 'b'; break;
    case '\f': *to++ = 'f'; break;
    case '\n': *to++ = 'n'; break;
    case '\r': *to++ = 'r'; break;
    case '\t': *to++ = 't'; break;
    default:
      memcpy(to, "u00", 3);
      to[3] = hex[c >> 4];
      to[4] = hex[c & 15];
      to += 5;
    }
  }
  return to;
}

/* s[0, len) between quotes, escaped as cJSON escapes: '"', '\\' and the
 * control characters; every other byte as it is. */
static void put_quoted(gw_json *w, const char *s, size_t len) {
  int opened = 0;
  for (;;) {
    size_t piece = len < QUOTED_PIECE ? len : QUOTED_PIECE;
    char *at = room(w, 6 * piece + 2);
    if (!at) return;
    char *to = at;
    if (!opened) *to++ = '"';
    opened = 1;
    to = escape_into(to, s, piece);
    s += piece;
    len -= piece;
    if (!len) *to++ = '"';
    w->len += (size_t)(to - at);
    if (!len) return;
  }
}

char *gw_json_escape_into(char *to, const char *s, size_t len) {
  return escape_into(to, s, len);
}

char *gw_json_value_reserve(gw_json *w, size_t n) {
  before_value(w);
  return room(w, n);
}

void gw_json_value_commit(gw_json *w, const char *end) {
  w->len = (size_t)(end - w->text);
}

void gw_json_key(gw_json *w, const char *key) {
  if (w->depth == 0) return;
  unsigned top = w->depth - 1;
  size_t len = strlen(key);
  /* ",\n", the tabs, the key quoted and ":\t" in one reservation. */
  char *at = room(w, 2 + w->depth + 6 * len + 4);
  if (!at) return;
  char *to = at;
  if (w->has_items[top]) {
    *to++ = ',';
    if (w->pretty) *to++ = '\n';
  }
  w->has_items[top] = 1;
  if (w->pretty) {
    memset(to, '\t', w->depth);
    to += w->depth;
  }
  *to++ = '"';
  to = escape_into(to, key, len);
  *to++ = '"';
  *to++ = ':';
  if (w->pretty) *to++ = '\t';
  w->len += (size_t)(to - at);
  w->after_key = 1;
}

void gw_json_string_n(gw_json *w, const char *s, size_t len) {
  before_value(w);
  put_quoted(w, s, len);
}

void gw_json_string(gw_json *w, const char *s) { gw_json_string_n(w, s, strlen(s)); }

/* s[0, len) with each byte that is not part of valid UTF-8 as U+FFFD, as
 * gw_text_valid_copy makes it, quoted. */
static void put_valid_quoted(gw_json *w, const char *s, size_t len) {
  if (gw_text_is_utf8(s, len)) {
    put_quoted(w, s, len);
    return;
  }
  char *valid = gw_text_valid_copy(s, len);
  if (!valid) {
    w->failed = GW_ENOMEM;
    return;
  }
  put_quoted(w, valid, strlen(valid));
  free(valid);
}

void gw_json_text(gw_json *w, const char *s, size_t len) {
  before_value(w);
  put_valid_quoted(w, s, len);
}

/* Decimal digits of v (negative: with a '-' before them) at `to`, which
 * has room for GW_JSON_NUMBER_ROOM bytes: their end. */
static char *digits_into(char *to, uint64_t v, int negative) {
  static const char pairs[] = "00010203040506070809101112131415161718192021222324"
                              "25262728293031323334353637383940414243444546474849"
                              "50515253545556575859606162636465666768697071727374"
                              "75767778798081828384858687888990919293949596979899";
  size_t n = 1;
  for (uint64_t bound = 10; n < 20 && v >= bound; bound *= 10) n++;
  if (negative) *to++ = '-';
  char *end = to + n, *p = end;
  while (v >= 100) {
    p -= 2;
    memcpy(p, pairs + 2 * (v % 100), 2);
    v /= 100;
  }
  if (v >= 10) memcpy(p - 2, pairs + 2 * v, 2);
  else p[-1] = (char)('0' + v);
  return end;
}

static void put_digits(gw_json *w, uint64_t v, int negative) {
  char *at = room(w, GW_JSON_NUMBER_ROOM);
  if (at) w->len += (size_t)(digits_into(at, v, negative) - at);
}

/* A number as cJSON 1.7 prints it at `to` (room for GW_JSON_NUMBER_ROOM
 * bytes): the value of an int exactly as "%d" (cJSON compares with its
 * int copy, saturated at INT_MIN and INT_MAX); otherwise 15 significant
 * digits when they read back as the same value, else 17.  Its end. */
static char *number_into(char *to, double d) {
  if (isnan(d) || isinf(d)) {
    memcpy(to, "null", 4);
    return to + 4;
  }
  int as_int = d >= INT_MAX ? INT_MAX : d <= (double)INT_MIN ? INT_MIN : (int)d;
  if (d == (double)as_int)
    return digits_into(to, as_int < 0 ? (uint64_t)(-(long long)as_int) : (uint64_t)as_int,
                       as_int < 0);
  int n = snprintf(to, GW_JSON_NUMBER_ROOM, "%1.15g", d);
  double back, largest = fabs(d);
  if (sscanf(to, "%lg", &back) == 1 && fabs(back) > largest) largest = fabs(back);
  if (sscanf(to, "%lg", &back) != 1 || fabs(back - d) > largest * DBL_EPSILON)
    n = snprintf(to, GW_JSON_NUMBER_ROOM, "%1.17g", d);
  return to + n;
}

void gw_json_number(gw_json *w, double d) {
  before_value(w);
  char *at = room(w, GW_JSON_NUMBER_ROOM);
  if (at) w->len += (size_t)(number_into(at, d) - at);
}

char *gw_json_uint_into(char *to, uint64_t value) {
  return value > INT_MAX ? number_into(to, (double)value) : digits_into(to, value, 0);
}

void gw_json_uint(gw_json *w, uint64_t value) {
  if (value > INT_MAX) {
    gw_json_number(w, (double)value);
    return;
  }
  before_value(w);
  put_digits(w, value, 0);
}

void gw_json_int(gw_json *w, long long value) {
  if (value > INT_MAX || value < INT_MIN) {
    gw_json_number(w, (double)value);
    return;
  }
  before_value(w);
  put_digits(w, value < 0 ? (uint64_t)(-value) : (uint64_t)value, value < 0);
}

void gw_json_bool(gw_json *w, int value) {
  before_value(w);
  if (value) put(w, "true", 4);
  else put(w, "false", 5);
}

void gw_json_null(gw_json *w) {
  before_value(w);
  put(w, "null", 4);
}

void gw_json_hex64(gw_json *w, uint64_t value) {
  char hex[17];
  snprintf(hex, sizeof hex, "%016" PRIx64, value);
  gw_json_string_n(w, hex, 16);
}

void gw_json_member_string(gw_json *w, const char *key, const char *s) {
  gw_json_key(w, key);
  gw_json_string(w, s);
}

void gw_json_member_uint(gw_json *w, const char *key, uint64_t value) {
  gw_json_key(w, key);
  gw_json_uint(w, value);
}

void gw_json_member_number(gw_json *w, const char *key, double value) {
  gw_json_key(w, key);
  gw_json_number(w, value);
}

void gw_json_member_ratio(gw_json *w, const char *key, double ratio) {
  gw_json_member_number(w, key, (double)(long long)(ratio * 10000.0 + 0.5) / 10000.0);
}

void gw_json_member_path(gw_json *w, const char *key, const char *path) {
  size_t len = strlen(path);
  gw_json_key(w, key);
  gw_json_text(w, path, len);
  if (gw_text_is_utf8(path, len)) return;
  static const char hex[] = "0123456789abcdef";
  size_t key_len = strlen(key);
  char *bytes_key = malloc(key_len + sizeof "_bytes");
  char *digits = malloc(2 * len + 1);
  if (bytes_key && digits) {
    memcpy(bytes_key, key, key_len);
    memcpy(bytes_key + key_len, "_bytes", sizeof "_bytes");
    for (size_t i = 0; i < len; i++) {
      digits[2 * i] = hex[(unsigned char)path[i] >> 4];
      digits[2 * i + 1] = hex[(unsigned char)path[i] & 15];
    }
    gw_json_key(w, bytes_key);
    gw_json_string_n(w, digits, 2 * len);
  } else {
    w->failed = GW_ENOMEM;
  }
  free(bytes_key);
  free(digits);
}
