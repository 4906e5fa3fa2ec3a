/* text_out.c — pieces of `--format text` output (see text_out.h). */
#include "text_out.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/* The length of the valid UTF-8 sequence at s[0, len), 0 if invalid. */
static size_t valid_sequence(const unsigned char *s, size_t len,
                             int32_t *code_point) {
  utf8proc_int32_t cp;
  utf8proc_ssize_t n = utf8proc_iterate(s, (utf8proc_ssize_t)len, &cp);
  if (n <= 0) return 0;
  *code_point = cp;
  return (size_t)n;
}

static int is_control(int32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
}

static int char_width(int32_t cp) {
  int w = utf8proc_charwidth(cp);
  return w < 0 ? 0 : w;
}

int gw_text_put_name(FILE *out, const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  size_t len = 0;
  while (p[len]) len++;
  int columns = 0;
  for (size_t i = 0; i < len;) {
    int32_t cp = 0;
    size_t n = valid_sequence(p + i, len - i, &cp);
    if (n == 0 || is_control(cp)) {
      if (fprintf(out, "\\x%02X", p[i]) < 0) return -1;
      columns += 4;
      i++;
      continue;
    }
    if (fwrite(p + i, 1, n, out) != n) return -1;
    columns += char_width(cp);
    i += n;
  }
  return columns;
}

size_t gw_text_width(const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  size_t width = 0;
  for (size_t i = 0; i < len;) {
    int32_t cp = 0;
    size_t n = valid_sequence(p + i, len - i, &cp);
    width += n ? (size_t)char_width(cp) : 1;
    i += n ? n : 1;
  }
  return width;
}

void gw_text_put_padded(FILE *out, const char *s, size_t width) {
  int columns = gw_text_put_name(out, s);
  for (size_t w = columns < 0 ? width : (size_t)columns; w < width; w++)
    fputc(' ', out);
}

void gw_text_put_count(FILE *out, uint64_t n) {
  char digits[32];
  int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
  for (int i = 0; i < len; i++) {
    if (i > 0 && (len - i) % 3 == 0) fputc(',', out);
    fputc(digits[i], out);
  }
}

void gw_text_put_percent(FILE *out, double share) {
  fprintf(out, "%.1f%%", share * 100.0);
}

void gw_text_put_excerpt(FILE *out, const char *s, size_t len,
                         size_t max_chars) {
  size_t end = 0, chars = 0;
  while (end < len && chars < max_chars) {
    end++;
    while (end < len && ((unsigned char)s[end] & 0xC0) == 0x80) end++;
    chars++;
  }
  fwrite(s, 1, end, out);
  if (end < len) fputs("\xE2\x80\xA6", out);
}

/* Whether s (with `left` bytes) starts with a three-byte character whose
 * lead rules out overlong forms and surrogates (E1-EC, EE-EF: every Han
 * character and the common marks) and two continuation bytes: valid
 * without utf8proc's general decoding. */
static inline int plain_three_bytes(const unsigned char *s, size_t left) {
  return left >= 3 && (s[0] - 0xE1u <= 0xECu - 0xE1u || s[0] - 0xEEu <= 1u) &&
         ((s[1] ^ 0x80u) | (s[2] ^ 0x80u)) < 0x40u;
}

int gw_text_is_utf8(const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  for (size_t i = 0; i < len;) {
    if (p[i] < 0x80) {
      i++;
      continue;
    }
    if (plain_three_bytes(p + i, len - i)) {
      i += 3;
      continue;
    }
    int32_t cp;
    size_t n = valid_sequence(p + i, len - i, &cp);
    if (!n) return 0;
    i += n;
  }
  return 1;
}

size_t gw_text_one_line(char *s, size_t len) {
  size_t out = 0;
  for (size_t i = 0; i < len; i++) {
    int blank = s[i] == '\n' || s[i] == '\r' || s[i] == '\t' || s[i] == ' ';
    if (blank && (out == 0 || s[out - 1] == ' ')) continue;
    s[out++] = blank ? ' ' : s[i];
  }
  while (out > 0 && s[out - 1] == ' ') out--;
  return out;
}

size_t gw_text_sequence_length(const char *s, size_t len) {
  int32_t cp;
  return len ? valid_sequence((const unsigned char *)s, len, &cp) : 0;
}

char *gw_text_valid_copy(const char *s, size_t len) {
  const char *nul = memchr(s, '\0', len);
  if (nul) len = (size_t)(nul - s);
  char *out = malloc(len * 3 + 1), *o = out;
  if (!out) return NULL;
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = 0; i < len;) {
    /* Most bytes are ASCII or a plain three-byte character. */
    if (u[i] < 0x80) {
      *o++ = s[i++];
      continue;
    }
    if (plain_three_bytes(u + i, len - i)) {
      memcpy(o, s + i, 3);
      o += 3;
      i += 3;
      continue;
    }
    size_t n = gw_text_sequence_length(s + i, len - i);
    if (n) {
      memcpy(o, s + i, n);
      o += n;
      i += n;
    } else {
      memcpy(o, "\xEF\xBF\xBD", 3);
      o += 3;
      i++;
    }
  }
  *o = '\0';
  return out;
}
