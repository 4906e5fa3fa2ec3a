/* json_writer.h — the tools' JSON, written as it goes: one JSON value or
 * JSON Lines, pretty or compact, with no tree built.  Escaping is done
 * here once: strings as cJSON writes them (so the output of the tools did
 * not change when they moved off cJSON trees), text from outside that is
 * not UTF-8 with U+FFFD for each bad byte, and file names that are not
 * UTF-8 also as hex bytes in a `*_bytes` field next to the name.
 *
 * Pretty output is laid out as cJSON_Print lays it out: each object
 * member on its own line indented by tabs, "key":<TAB>value, array
 * elements on one line separated by ", ".
 *
 * Calls never fail one by one: the first failure (out of memory, a write
 * that failed) is kept and returned by gw_json_finish, and nothing is
 * written after it. */
#ifndef GW_JSON_WRITER_H
#define GW_JSON_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum {
  GW_JSON_MAX_DEPTH = 32,
  GW_JSON_NUMBER_ROOM = 32 /* the most bytes a number is written in, and more */
};

typedef struct gw_json {
  FILE *out;      /* written to when the buffer fills; NULL: all kept in text */
  char *text;     /* what is not written yet (all of it without out) */
  size_t len, cap;
  int pretty;
  int failed;     /* GW_ENOMEM or GW_EIO, the first failure */
  unsigned depth; /* containers open */
  unsigned char is_object[GW_JSON_MAX_DEPTH];
  unsigned char has_items[GW_JSON_MAX_DEPTH];
  size_t fast_end; /* the buffer fills up to here with no other check */
  int after_key;  /* a key was written, its value comes next */
  int whole_lines; /* written to out at line ends only */
} gw_json;

/* out NULL keeps the text in memory (w->text, w->len). */
void gw_json_init(gw_json *w, FILE *out, int pretty);
/* Write what is buffered to out (nothing without out); the failure so far,
 * GW_OK, GW_ENOMEM or GW_EIO. */
int gw_json_flush(gw_json *w);
/* Flush and free the buffer: the failure so far (GW_OK when none). */
int gw_json_finish(gw_json *w);
/* Drop what is buffered and not yet written to out (all of the text of a
 * writer without out), keeping its memory. */
void gw_json_clear(gw_json *w);
/* Write to out at line ends only (gw_json_newline), never in the middle
 * of a line: what reaches out is whole lines, whatever stops the writing
 * (JSON Lines read by another program as they come). */
void gw_json_whole_lines(gw_json *w);
/* For a writer with out (not one in whole lines): its whole buffer had
 * now, so that it never allocates again and can fail only by a write:
 * room for any one reservation (a key of up to 5,000 bytes, a piece of a
 * string, a number, a value the caller lays out of up to
 * GW_JSON_STREAM_ROOM bytes) once what is buffered is written out.
 * Output that must not stop half-way for want of memory asks for it
 * before its first byte.  The failure so far (GW_ENOMEM when the buffer
 * could not be had). */
enum { GW_JSON_STREAM_ROOM = 1 << 15 };
int gw_json_reserve_stream(gw_json *w);
/* Record a failure of the caller's own (an allocation for what it was
 * about to write): kept as the writer's own are, the first one wins. */
void gw_json_fail(gw_json *w, int code);
/* The texts of writers without out, in order, on out: all or nothing.
 * When one of them failed, nothing is written and its failure returned;
 * else GW_OK, or GW_EIO when a write fails. */
int gw_json_write_parts(FILE *out, gw_json *const *parts, size_t n);

void gw_json_object_begin(gw_json *w);
void gw_json_object_end(gw_json *w);
void gw_json_array_begin(gw_json *w);
void gw_json_array_end(gw_json *w);
/* A line end after a whole value: the end of the JSON, or of one line of
 * JSON Lines. */
void gw_json_newline(gw_json *w);

/* Continue inside a container that another writer opened and wrote items
 * to (has_items) or not: for output cut into pieces written apart, each
 * piece starting where the one before it stops.  Writes nothing. */
void gw_json_continue_in(gw_json *w, int is_object, int has_items);

/* The name of the next member of the open object: key[0, len), escaped
 * as a string is.  gw_json_key takes a C string; inline, so that the
 * length of a constant key is known when compiled. */
void gw_json_key_n(gw_json *w, const char *key, size_t len);
static inline void gw_json_key(gw_json *w, const char *key) {
  gw_json_key_n(w, key, strlen(key));
}

/* Values.  Strings are written as given (valid UTF-8 expected). */
void gw_json_string(gw_json *w, const char *s);
void gw_json_string_n(gw_json *w, const char *s, size_t len);
/* Text from outside: each byte that is not part of valid UTF-8 becomes
 * U+FFFD. */
void gw_json_text(gw_json *w, const char *s, size_t len);
/* A number as cJSON prints it (integers plain, others with up to 17
 * significant digits, NaN and infinities as null). */
void gw_json_number(gw_json *w, double value);
void gw_json_uint(gw_json *w, uint64_t value);
void gw_json_int(gw_json *w, long long value);
void gw_json_bool(gw_json *w, int value);
void gw_json_null(gw_json *w);
/* 64-bit hashes as a string of 16 lowercase hex digits: JSON numbers lose
 * bits past 2^53. */
void gw_json_hex64(gw_json *w, uint64_t value);

/* A value the caller lays out itself, for one written many times over (a
 * token of JSON Lines, or a whole array of them), compact only:
 * gw_json_value_reserve writes the separator before it and gives room for
 * n bytes (NULL after a failure); the caller writes the value there, with
 * the helpers below for its strings and numbers, asks for more room with
 * gw_json_value_extend when it needs it, and gw_json_value_commit says
 * where it ends. */
char *gw_json_value_reserve(gw_json *w, size_t n);
/* Room for n more bytes of the value being laid out, which has reached
 * `at`: where to go on writing it (the text may have moved, and what was
 * laid out before `at` may have been written to out), or NULL after a
 * failure. */
char *gw_json_value_extend(gw_json *w, char *at, size_t n);
void gw_json_value_commit(gw_json *w, const char *end);
/* s[0, len) escaped as gw_json_string escapes it, without the quotes, at
 * `to` (room for 6 * len bytes): its end. */
char *gw_json_escape_into(char *to, const char *s, size_t len);
/* How many bytes at the start of s[0, len) a string writes as they are
 * (no '"', '\\' or control character among them): len when s needs no
 * escaping, so that a caller may copy it as it is. */
size_t gw_json_plain_prefix(const char *s, size_t len);
/* value as gw_json_uint writes it, at `to` (room for GW_JSON_NUMBER_ROOM
 * bytes): its end. */
char *gw_json_uint_into(char *to, uint64_t value);
/* value as gw_json_uint_into writes it, at `to` (room for
 * GW_JSON_NUMBER_ROOM bytes), from what gw_json_uint_into wrote for a
 * nearby base (base_len bytes at base_digits, GW_JSON_NUMBER_ROOM of them
 * readable): for an end offset from its start, the difference added to
 * the start's digits, cheaper than writing it anew.  Its end.
 * (gw_json_uint_from_carry: the same, out of line, for any difference.) */
char *gw_json_uint_from_carry(char *to, uint64_t value, const char *base_digits,
                              size_t base_len, uint64_t base);
static inline char *gw_json_uint_from(char *to, uint64_t value, const char *base_digits,
                                      size_t base_len, uint64_t base) {
  /* Inline where only the last two digits change, as for most tokens. */
  if (value <= 2147483647u && base <= value && value - base < 100 && base_len >= 2) {
    unsigned last_two = (unsigned)(base_digits[base_len - 2] - '0') * 10 +
                        (unsigned)(base_digits[base_len - 1] - '0') + (unsigned)(value - base);
    if (last_two < 100) {
      memcpy(to, base_digits, GW_JSON_NUMBER_ROOM);
      to[base_len - 2] = (char)('0' + last_two / 10);
      to[base_len - 1] = (char)('0' + last_two % 10);
      return to + base_len;
    }
  }
  return gw_json_uint_from_carry(to, value, base_digits, base_len, base);
}

/* key and value together (inline, as gw_json_key). */
static inline void gw_json_member_string(gw_json *w, const char *key, const char *s) {
  gw_json_key(w, key);
  gw_json_string(w, s);
}
static inline void gw_json_member_uint(gw_json *w, const char *key, uint64_t value) {
  gw_json_key(w, key);
  gw_json_uint(w, value);
}
static inline void gw_json_member_number(gw_json *w, const char *key, double value) {
  gw_json_key(w, key);
  gw_json_number(w, value);
}
/* A ratio in [0, 1] rounded to four decimals, as the tools print shares. */
void gw_json_member_ratio(gw_json *w, const char *key, double ratio);
/* A file name under key as gw_json_text writes it, and when it is not
 * valid UTF-8, key + "_bytes": its bytes in hex, so that the file can be
 * found again ("gbk\xd6\xd0.txt" gives "path": "gbk\ufffd\ufffd.txt",
 * "path_bytes": "67626bd6d02e747874"). */
void gw_json_member_path(gw_json *w, const char *key, const char *path);

#endif
