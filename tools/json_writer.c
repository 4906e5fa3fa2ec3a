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
_Static_assert((size_t)GW_JSON_STREAM_ROOM <= (size_t)FLUSH_AT,
               "a reserved stream's buffer holds any reservation");

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

int gw_json_reserve_stream(gw_json *w) {
  /* room_slow writes out what is buffered before a reservation would
   * take it past FLUSH_AT: the buffer never holds more than FLUSH_AT bytes
   * or one reservation. */
  if (!w->failed && w->cap < FLUSH_AT) {
    if (GW_CLI_GROW(w->text, w->cap, FLUSH_AT)) w->failed = GW_ENOMEM;
    else set_fast_end(w);
  }
  return w->failed;
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

/* The separator before a value (in an array after its first element):
 * 0, or its length, ", " pretty and "," compact. */
static inline size_t separator(gw_json *w) {
  if (w->after_key) {
    w->after_key = 0;
    return 0;
  }
  if (w->depth == 0) return 0;
  unsigned top = w->depth - 1;
  if (w->is_object[top]) return 0;
  if (!w->has_items[top]) {
    w->has_items[top] = 1;
    return 0;
  }
  return w->pretty ? 2 : 1;
}

/* Room for a value of up to n bytes, with its separator written before
 * it: where the value goes, or NULL after a failure. */
static inline char *value_room(gw_json *w, size_t n) {
  size_t sep = separator(w);
  char *at = room(w, n + 2);
  if (!at) return NULL;
  at[0] = ',';
  at[1] = ' ';
  w->len += sep;
  return at + sep;
}

static void before_value(gw_json *w) {
  size_t sep = separator(w);
  if (sep) put(w, ", ", sep);
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
_Static_assert(6 * QUOTED_PIECE + 4 <= GW_JSON_STREAM_ROOM,
               "a piece of a string fits the room gw_json_reserve_stream keeps");

static inline int needs_escape(unsigned char c) { return c < 32 || c == '"' || c == '\\'; }

#ifdef __SSE2__
/* The bytes of s[0, 16) that JSON escapes (a control character, '"' or
 * '\\'), one bit each from the lowest. */
static inline unsigned escape_mask16(const char *s) {
  __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
  __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(31)), v);
  __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
  __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
  return (unsigned)_mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, backslash)));
}
#endif

/* Whether s[0, 8) holds a byte that JSON escapes, the 8 bytes tested at
 * once in a 64-bit word: a byte below 32 borrows into its top bit when 32
 * is taken from it, a byte equal to '"' or '\\' when 1 is taken from its
 * difference with them (a borrow can only spread above a byte found, so
 * the answer is exact, in either byte order). */
static inline int word_has_escape(uint64_t x) {
  const uint64_t ones = 0x0101010101010101u, tops = ones * 0x80;
  uint64_t quote = x ^ (ones * '"'), backslash = x ^ (ones * '\\');
  uint64_t found =
      ((x - ones * 32) & ~x) | ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash);
  return (found & tops) != 0;
}

static inline int has_escape8(const char *s) {
  uint64_t x;
  memcpy(&x, s, 8);
  return word_has_escape(x);
}

size_t gw_json_plain_prefix(const char *s, size_t len) {
  size_t i = 0;
#ifdef __SSE2__
  /* A paragraph is a few hundred bytes, nearly always with nothing to
   * escape: looked at 64 bytes at a time (the least byte of four vectors
   * for the control characters), then 16 from the block that has one. */
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  const __m128i last_control = _mm_set1_epi8(31);
  for (; i + 64 <= len; i += 64) {
    const __m128i *p = (const __m128i *)(const void *)(s + i);
    __m128i a = _mm_loadu_si128(p), b = _mm_loadu_si128(p + 1);
    __m128i c = _mm_loadu_si128(p + 2), d = _mm_loadu_si128(p + 3);
    __m128i least = _mm_min_epu8(_mm_min_epu8(a, b), _mm_min_epu8(c, d));
    __m128i found = _mm_cmpeq_epi8(_mm_min_epu8(least, last_control), least);
    found = _mm_or_si128(found, _mm_or_si128(_mm_cmpeq_epi8(a, quote), _mm_cmpeq_epi8(b, quote)));
    found = _mm_or_si128(found, _mm_or_si128(_mm_cmpeq_epi8(c, quote), _mm_cmpeq_epi8(d, quote)));
    found = _mm_or_si128(found,
                         _mm_or_si128(_mm_cmpeq_epi8(a, backslash), _mm_cmpeq_epi8(b, backslash)));
    found = _mm_or_si128(found,
                         _mm_or_si128(_mm_cmpeq_epi8(c, backslash), _mm_cmpeq_epi8(d, backslash)));
    if (_mm_movemask_epi8(found)) break;
  }
  for (; i + 16 <= len; i += 16) {
    unsigned mask = escape_mask16(s + i);
    if (mask) return i + (size_t)__builtin_ctz(mask);
  }
#endif
  while (i + 8 <= len && !has_escape8(s + i)) i += 8;
  while (i < len && !needs_escape((unsigned char)s[i])) i++;
  return i;
}

/* The escape of a byte that needs one at `to`: its end. */
static char *escape_byte(char *to, unsigned char c) {
  static const char hex[] = "0123456789abcdef";
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
  return to;
}

/* s[0, len) escaped into `to` one byte at a time: its end. */
static inline char *escape_bytes(char *to, const char *s, size_t len) {
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (needs_escape(c)) to = escape_byte(to, c);
    else *to++ = (char)c;
  }
  return to;
}

/* s[0, len), 1 to 16 bytes long, copied to `to` when nothing in it needs
 * escaping: 1, else 0 with nothing written.  Read as two words that
 * overlap (the first and last 8 bytes, or 4), never past its end: a key
 * or a short token costs a few instructions whatever its length. */
static inline int copy_short_plain(char *to, const char *s, size_t len) {
  if (len >= 8) {
    uint64_t head, tail;
    memcpy(&head, s, 8);
    memcpy(&tail, s + len - 8, 8);
    if (word_has_escape(head) || word_has_escape(tail)) return 0;
    memcpy(to, &head, 8);
    memcpy(to + len - 8, &tail, 8);
    return 1;
  }
  if (len >= 4) {
    uint32_t head, tail;
    memcpy(&head, s, 4);
    memcpy(&tail, s + len - 4, 4);
    if (word_has_escape((uint64_t)head | (uint64_t)tail << 32)) return 0;
    memcpy(to, &head, 4);
    memcpy(to + len - 4, &tail, 4);
    return 1;
  }
  /* 1 to 3 bytes: the first, the middle and the last cover them. */
  unsigned char first = (unsigned char)s[0], middle = (unsigned char)s[len / 2],
                last = (unsigned char)s[len - 1];
  if (needs_escape(first) || needs_escape(middle) || needs_escape(last)) return 0;
  to[0] = (char)first;
  to[len / 2] = (char)middle;
  to[len - 1] = (char)last;
  return 1;
}

/* s[0, len) escaped into `to` (room for 6 * len bytes): its end.  Blocks
 * of 16 bytes (SSE2), then 8, with nothing to escape are copied whole;
 * the bytes of a block that has something, and the last few, one at a
 * time; escape_into copies short strings (keys) with nothing to escape at
 * once, inline. */
static char *escape_blocks(char *to, const char *s, size_t len) {
  if (len < 8) return escape_bytes(to, s, len);
  size_t i = 0;
  for (;;) {
#ifdef __SSE2__
    for (; i + 16 <= len && !escape_mask16(s + i); i += 16, to += 16) memcpy(to, s + i, 16);
#endif
    for (; i + 8 <= len && !has_escape8(s + i); i += 8, to += 8) memcpy(to, s + i, 8);
    size_t n = len - i > 8 ? 8 : len - i;
    to = escape_bytes(to, s + i, n);
    i += n;
    if (i == len) return to;
  }
}

static inline char *escape_into(char *to, const char *s, size_t len) {
  if (len - 1 < 16 && copy_short_plain(to, s, len)) return to + len;
  return escape_blocks(to, s, len);
}

/* s[0, len) between quotes, after the value's separator, escaped as cJSON
 * escapes: '"', '\\' and the control characters; every other byte as it
 * is. */
static void put_quoted(gw_json *w, const char *s, size_t len) {
  size_t piece = len < QUOTED_PIECE ? len : QUOTED_PIECE;
  char *at = value_room(w, 6 * piece + 2);
  if (!at) return;
  *at = '"';
  char *to = at + 1;
  for (;;) {
    to = escape_into(to, s, piece);
    s += piece;
    len -= piece;
    if (!len) {
      *to++ = '"';
      w->len += (size_t)(to - at);
      return;
    }
    w->len += (size_t)(to - at);
    piece = len < QUOTED_PIECE ? len : QUOTED_PIECE;
    at = to = room(w, 6 * piece + 1);
    if (!at) return;
  }
}

char *gw_json_escape_into(char *to, const char *s, size_t len) {
  return escape_into(to, s, len);
}

char *gw_json_value_reserve(gw_json *w, size_t n) { return value_room(w, n); }

char *gw_json_value_extend(gw_json *w, char *at, size_t n) {
  w->len = (size_t)(at - w->text);
  return room(w, n);
}

void gw_json_value_commit(gw_json *w, const char *end) {
  w->len = (size_t)(end - w->text);
}

void gw_json_key_n(gw_json *w, const char *key, size_t len) {
  if (w->depth == 0) return;
  unsigned top = w->depth - 1;
  /* ",\n", the tabs (as many as may be, set at once), the key quoted and
   * ":\t" in one reservation. */
  char *at = room(w, 2 + GW_JSON_MAX_DEPTH + 6 * len + 4);
  if (!at) return;
  char *to = at;
  if (w->has_items[top]) {
    *to++ = ',';
    if (w->pretty) *to++ = '\n';
  }
  w->has_items[top] = 1;
  if (w->pretty) {
    memset(to, '\t', GW_JSON_MAX_DEPTH);
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

void gw_json_string_n(gw_json *w, const char *s, size_t len) { put_quoted(w, s, len); }

void gw_json_string(gw_json *w, const char *s) { gw_json_string_n(w, s, strlen(s)); }

/* s[0, len) with each byte that is not part of valid UTF-8 as U+FFFD, as
 * gw_text_valid_copy makes it, quoted.  valid: whether s is valid UTF-8
 * (gw_text_is_utf8), known to the caller. */
static void put_valid_quoted(gw_json *w, const char *s, size_t len, int valid) {
  if (valid) {
    put_quoted(w, s, len);
    return;
  }
  char *copy = gw_text_valid_copy(s, len);
  if (!copy) {
    w->failed = GW_ENOMEM;
    return;
  }
  put_quoted(w, copy, strlen(copy));
  free(copy);
}

void gw_json_text(gw_json *w, const char *s, size_t len) {
  put_valid_quoted(w, s, len, gw_text_is_utf8(s, len));
}

static const char digit_pairs[] = "00010203040506070809101112131415161718192021222324"
                                  "25262728293031323334353637383940414243444546474849"
                                  "50515253545556575859606162636465666768697071727374"
                                  "75767778798081828384858687888990919293949596979899";

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* The eight decimal digits of v < 10^8, leading zeros included, in ASCII,
 * the first in the lowest byte.  v / 10^6 in fixed point (48 bits of
 * fraction, the factor rounded up) holds the first two digits in its
 * integer part, and each time its fraction is multiplied by 100 the next
 * two come out: the rounding error, under v / 2^48 < 10^-6, never
 * reaches a digit. */
static inline uint64_t eight_digits(uint64_t v) {
  const uint64_t fraction = ((uint64_t)1 << 48) - 1;
  uint64_t fixed = v * 281474977u; /* ceil(2^48 / 10^6) */
  uint64_t ascii = 0;
  for (int i = 0; i < 4; i++) {
    uint16_t pair;
    memcpy(&pair, digit_pairs + 2 * (fixed >> 48), 2);
    ascii |= (uint64_t)pair << (16 * i);
    fixed = (fixed & fraction) * 100;
  }
  return ascii;
}

/* Decimal digits of v at `to`, with room for 21 bytes: their end. */
static char *udigits_into(char *to, uint64_t v) {
  if (v >= 100000000) {
    to = udigits_into(to, v / 100000000);
    uint64_t ascii = eight_digits(v % 100000000);
    memcpy(to, &ascii, 8);
    return to + 8;
  }
  uint64_t ascii = eight_digits(v);
  /* The leading zeros dropped: whole bytes equal to '0' at the low end. */
  unsigned zeros = v ? (unsigned)__builtin_ctzll(ascii ^ 0x3030303030303030u) / 8 : 7;
  ascii >>= 8 * zeros;
  memcpy(to, &ascii, 8);
  return to + 8 - zeros;
}
#else
static char *udigits_into(char *to, uint64_t v) {
  size_t n = 1;
  for (uint64_t bound = 10; n < 20 && v >= bound; bound *= 10) n++;
  char *end = to + n, *p = end;
  while (v >= 100) {
    p -= 2;
    memcpy(p, digit_pairs + 2 * (v % 100), 2);
    v /= 100;
  }
  if (v >= 10) memcpy(p - 2, digit_pairs + 2 * v, 2);
  else p[-1] = (char)('0' + v);
  return end;
}
#endif

/* Decimal digits of v (negative: with a '-' before them) at `to`, which
 * has room for GW_JSON_NUMBER_ROOM bytes: their end. */
static char *digits_into(char *to, uint64_t v, int negative) {
  if (negative) *to++ = '-';
  return udigits_into(to, v);
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
  char *at = value_room(w, GW_JSON_NUMBER_ROOM);
  if (at) w->len += (size_t)(number_into(at, d) - at);
}

char *gw_json_uint_into(char *to, uint64_t value) {
  return value > INT_MAX ? number_into(to, (double)value) : udigits_into(to, value);
}

/* digits[0, len), a number in decimal, made that number plus delta in
 * place: 1, or 0 when the sum has more digits (digits then undefined).
 * For a small delta only the last two digits change (and seldom one more
 * by a carry). */
static int add_decimal(char *digits, size_t len, uint64_t delta) {
  size_t i = len;
  if (delta < 100 && len >= 2) {
    unsigned last_two = (unsigned)(digits[len - 2] - '0') * 10 +
                        (unsigned)(digits[len - 1] - '0') + (unsigned)delta;
    delta = last_two >= 100;
    memcpy(digits + len - 2, digit_pairs + 2 * (last_two - 100 * delta), 2);
    i = len - 2;
  }
  while (delta) {
    if (i == 0) return 0;
    unsigned digit = (unsigned)(digits[--i] - '0') + (unsigned)(delta % 10);
    delta /= 10;
    if (digit >= 10) {
      digit -= 10;
      delta++;
    }
    digits[i] = (char)('0' + digit);
  }
  return 1;
}

char *gw_json_uint_from_carry(char *to, uint64_t value, const char *base_digits,
                              size_t base_len, uint64_t base) {
  if (value <= INT_MAX && base <= value) {
    memcpy(to, base_digits, GW_JSON_NUMBER_ROOM);
    if (add_decimal(to, base_len, value - base)) return to + base_len;
  }
  return gw_json_uint_into(to, value);
}

void gw_json_uint(gw_json *w, uint64_t value) {
  char *at = value_room(w, GW_JSON_NUMBER_ROOM);
  if (at) w->len += (size_t)(gw_json_uint_into(at, value) - at);
}

void gw_json_int(gw_json *w, long long value) {
  if (value > INT_MAX || value < INT_MIN) {
    gw_json_number(w, (double)value);
    return;
  }
  char *at = value_room(w, GW_JSON_NUMBER_ROOM);
  if (at)
    w->len += (size_t)(digits_into(at, value < 0 ? (uint64_t)(-value) : (uint64_t)value,
                                   value < 0) -
                       at);
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

void gw_json_member_ratio(gw_json *w, const char *key, double ratio) {
  gw_json_member_number(w, key, (double)(long long)(ratio * 10000.0 + 0.5) / 10000.0);
}

void gw_json_member_path(gw_json *w, const char *key, const char *path) {
  size_t len = strlen(path);
  int valid = gw_text_is_utf8(path, len);
  gw_json_key(w, key);
  put_valid_quoted(w, path, len, valid);
  if (valid) return;
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
