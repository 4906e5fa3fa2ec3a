/* gw-seg --format text: the words separated by spaces, one output line per
 * input line (SIGHAN format). */
#include <stddef.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "seg/seg.h"

/* Tokens are printed from the decoded text (so a full-width digit stays
 * full-width), placed on the input line where they stand: each line end
 * between two tokens ends an output line, and what normalization removed
 * (noise, spaces inside words) is left out. */
typedef struct text_writer {
  FILE *out;
  const char *text;
  size_t text_len;
  size_t at;         /* text offset printed up to */
  int line_has_word; /* a word is already on the current output line */
  int failed;        /* a write failed: GW_EIO is returned */
  /* Output gathered here and written when full and at the end: one stdio
   * call per 64 KB instead of two per token (stdio passes a write that
   * size straight on: one system call, where its own 4 KB buffer took
   * sixteen). */
  size_t pending;
  char buf[65536];
} text_writer;

static void flush_pending(text_writer *w) {
  if (w->pending && fwrite(w->buf, 1, w->pending, w->out) != w->pending) w->failed = 1;
  w->pending = 0;
}

static void put_char(text_writer *w, char c) {
  if (w->pending == sizeof w->buf) flush_pending(w);
  w->buf[w->pending++] = c;
}

static void put_bytes(text_writer *w, const char *s, size_t n) {
  if (w->pending + n > sizeof w->buf) {
    flush_pending(w);
    if (n > sizeof w->buf) {
      if (fwrite(s, 1, n, w->out) != n) w->failed = 1;
      return;
    }
  }
  memcpy(w->buf + w->pending, s, n);
  w->pending += n;
}

static int is_line_end(const char *text, size_t len, size_t i) {
  return text[i] == '\n' || (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n'));
}

/* The line ends in text[at, upto) printed, at moved to upto.  What lies
 * between tokens (blanks, line ends, removed noise) is looked at 16 bytes
 * at a time for a '\n' or '\r'. */
static void emit_line_ends(text_writer *w, size_t upto) {
  size_t i = w->at;
#ifdef __SSE2__
  const __m128i newline = _mm_set1_epi8('\n'), carriage_return = _mm_set1_epi8('\r');
  while (i + 16 <= upto) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(w->text + i));
    unsigned ends = (unsigned)_mm_movemask_epi8(
        _mm_or_si128(_mm_cmpeq_epi8(v, newline), _mm_cmpeq_epi8(v, carriage_return)));
    if (!ends) {
      i += 16;
      continue;
    }
    i += (size_t)__builtin_ctz(ends);
    if (is_line_end(w->text, w->text_len, i)) {
      put_char(w, '\n');
      w->line_has_word = 0;
    }
    i++;
  }
#endif
  for (; i < upto; i++)
    if (is_line_end(w->text, w->text_len, i)) {
      put_char(w, '\n');
      w->line_has_word = 0;
    }
  w->at = i;
}

/* Whether s[0..n), n <= 16, with 16 bytes readable from s, holds a byte
 * at or below the space (a space, a tab, a line end: what a token is cut
 * at). */
static inline int has_blank16(const char *s, size_t n) {
#ifdef __SSE2__
  __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
  __m128i at_or_below = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(' ')), v);
  return ((unsigned)_mm_movemask_epi8(at_or_below) & ((1u << n) - 1u)) != 0;
#else
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] <= ' ') return 1;
  return 0;
#endif
}

/* A token printed the slow way: after the line ends before it, cut at what
 * it must not show.  start..end is the token's text range. */
static void print_token(text_writer *w, size_t start, size_t end) {
  if (start < w->at) start = w->at;
  emit_line_ends(w, start);
  if (w->line_has_word) put_char(w, ' ');
  size_t n_bytes = end - start;
  if (n_bytes <= 16 && start + 16 <= w->text_len && w->pending + 16 <= sizeof w->buf &&
      !has_blank16(w->text + start, n_bytes)) {
    memcpy(w->buf + w->pending, w->text + start, 16);
    w->pending += n_bytes;
    if (n_bytes) w->line_has_word = 1;
    w->at = end;
    return;
  }
  /* Print the token in stretches between what it must not show: line
   * ends (which end the output line) and spaces normalization removed. */
  size_t run = start;
  for (size_t k = start; k < end; k++) {
    char c = w->text[k];
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') continue;
    put_bytes(w, w->text + run, k - run);
    if (k > run) w->line_has_word = 1;
    run = k + 1;
    if (is_line_end(w->text, w->text_len, k)) {
      put_char(w, '\n');
      w->line_has_word = 0;
    }
  }
  put_bytes(w, w->text + run, end - run);
  if (end > run) w->line_has_word = 1;
  w->at = end;
}

/* The first byte at or below the space in text[from, to), or to.  A
 * paragraph's stretch is a few hundred bytes: looked at 64 at a time (the
 * least byte of four vectors), then 16. */
static size_t first_blank(const char *text, size_t from, size_t to) {
#ifdef __SSE2__
  const __m128i space = _mm_set1_epi8(' ');
  for (; from + 64 <= to; from += 64) {
    const __m128i *p = (const __m128i *)(const void *)(text + from);
    __m128i least = _mm_min_epu8(_mm_min_epu8(_mm_loadu_si128(p), _mm_loadu_si128(p + 1)),
                                 _mm_min_epu8(_mm_loadu_si128(p + 2), _mm_loadu_si128(p + 3)));
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(least, space), least))) break;
  }
  for (; from + 16 <= to; from += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(text + from));
    unsigned at_or_below = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(v, space), v));
    if (at_or_below) return from + (size_t)__builtin_ctz(at_or_below);
  }
#endif
  for (; from < to; from++)
    if ((unsigned char)text[from] <= ' ') return from;
  return to;
}

enum {
  /* Text looked at ahead at a time for the short way (below); its output,
   * at most twice as long, always fits the buffer once flushed. */
  FAST_SPAN = 1 << 14
};

/* Room at *out (the write position) for the short way's output of
 * `bytes` bytes of text: a space and the token per token (each one byte at
 * least), and a copy of 16 bytes past the last; the buffer is flushed when
 * it might not fit. */
static void stretch_room(text_writer *w, char **out, size_t bytes) {
  if ((size_t)(w->buf + sizeof w->buf - *out) < 2 * bytes + 17) {
    w->pending = (size_t)(*out - w->buf);
    flush_pending(w);
    *out = w->buf;
  }
}

/* Where the short way ends for tokens from `start` (at most `to`): the
 * first blank after it, no further than 16 bytes before the text's end (a
 * token is copied 16 bytes at a time) or FAST_SPAN; with room for their
 * output (stretch_room). */
static size_t fast_stretch(text_writer *w, char **out, size_t start, size_t to) {
  size_t limit = w->text_len >= 15 ? w->text_len - 15 : 0;
  if (to < limit) limit = to;
  if (limit > start + FAST_SPAN) limit = start + FAST_SPAN;
  if (start >= limit) return start;
  size_t end = first_blank(w->text, start, limit);
  stretch_room(w, out, end - start);
  return end;
}

/* 16 bytes from `from` to `to` (which may overlap nothing). */
static inline void copy16(char *to, const char *from) {
#ifdef __SSE2__
  _mm_storeu_si128((__m128i *)(void *)to, _mm_loadu_si128((const __m128i *)(const void *)from));
#else
  memcpy(to, from, 16);
#endif
}

/* A token of the short way longer than 16 bytes: copied 16 at a time (its
 * stretch leaves 16 bytes readable past it, and room past it). */
static char *copy_long(char *out, const char *from, size_t n) {
  for (size_t k = 0; k < n; k += 16) copy16(out + k, from + k);
  return out + n;
}

/* A token the short way does not take, printed through the writer (the
 * state kept in locals stored and loaded again around it). */
static void print_token_slow(text_writer *w, char **out, size_t *at, int *line_has_word,
                             size_t fast_end, size_t start, size_t end) {
  w->pending = (size_t)(*out - w->buf);
  w->at = *at;
  w->line_has_word = *line_has_word;
  print_token(w, start, end);
  *out = w->buf + w->pending;
  *at = w->at;
  *line_has_word = w->line_has_word;
  /* What the token printed came out of the room asked for its stretch
   * (an empty token's space did not): asked for again for the rest. */
  if (*at < fast_end) stretch_room(w, out, fast_end - *at);
}

static int print_text_paragraph(void *ctx, const gw_document *doc, size_t index,
                                const char *norm, const gw_segmenter *seg) {
  text_writer *w = ctx;
  size_t n;
  const gw_paragraph_token *t = gw_segmenter_paragraph_tokens(seg, &n);
  if (!n) return w->failed ? GW_EIO : GW_OK;
  const gw_paragraph_token *const last = t + n;
  /* How far the paragraph's tokens reach (sub-words end within it). */
  const size_t to = last[-1].text_end;
  /* The writer's state in locals while tokens take the short way: the
   * copies into the buffer (char) would otherwise make the compiler load
   * it again after each one. */
  const char *const text = w->text;
  char *out = w->buf + w->pending;
  size_t at = w->at;
  int line_has_word = w->line_has_word;
  /* Tokens in [at, fast_end) have no blank in them, 16 bytes readable past
   * them and room in the buffer. */
  size_t fast_end = 0;
  while (t < last) {
    if (t->kind == GW_TOKEN_SPACE || t->sub) {
      t++;
      continue;
    }
    size_t start = t->text_start, end = t->text_end;
    /* Most tokens start where the one before ended, with nothing to cut
     * at: the separating space (when the line has a word) and the token,
     * copied 16 bytes at a time, of which only its bytes count.  Past the
     * stretch looked at, the next one is looked at first. */
    if (start == at && start >= fast_end) fast_end = fast_stretch(w, &out, start, to);
    if (start != at || end > fast_end || end == start) {
      print_token_slow(w, &out, &at, &line_has_word, fast_end, start, end);
      t++;
      continue;
    }
    *out = ' ';
    out += line_has_word;
    if (end - start <= 16) {
      copy16(out, text + start);
      out += end - start;
    } else {
      out = copy_long(out, text + start, end - start);
    }
    at = end;
    line_has_word = 1;
    /* The tokens after it in the stretch: a space before each.  A sub
     * token needs no test here: it lies inside the token before it, which
     * was printed (at is that token's end), so it never starts at `at`
     * with a byte in it; it stops this loop and is skipped above. */
    for (t++; t < last; t++) {
      if (t->kind == GW_TOKEN_SPACE) continue;
      start = t->text_start;
      end = t->text_end;
      if (start != at || end > fast_end || end - start - 1 >= 16) break;
      *out = ' ';
      copy16(out + 1, text + start);
      out += end - start + 1;
      at = end;
    }
  }
  w->pending = (size_t)(out - w->buf);
  w->at = at;
  w->line_has_word = line_has_word;
  (void)doc;
  (void)index;
  (void)norm;
  /* Stop at the first failed write: what follows cannot be printed either. */
  return w->failed ? GW_EIO : GW_OK;
}

int seg_print_text(FILE *out, gw_segmenter *seg, const gw_document *doc, gw_error *err) {
  text_writer w; /* its buffer needs no clearing */
  memset(&w, 0, offsetof(text_writer, buf));
  w.out = out;
  w.text = gw_document_text(doc, &w.text_len);
  int rc = seg_for_each_paragraph(seg, doc, print_text_paragraph, &w, err);
  if (rc) {
    /* Cut short: the line the last paragraph ended is ended all the same,
     * so that what was printed is whole lines. */
    if (rc != GW_EIO && w.line_has_word) put_char(&w, '\n');
  } else {
    emit_line_ends(&w, w.text_len);
    /* A last line without its line end still ends an output line. */
    if (w.text_len && !is_line_end(w.text, w.text_len, w.text_len - 1)) put_char(&w, '\n');
  }
  flush_pending(&w);
  if (!rc && w.failed) rc = GW_EIO;
  return rc;
}
