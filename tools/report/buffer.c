/* buffer.c — bytes gathered in memory (see buffer.h). */
#include "buffer.h"

#include <stdlib.h>
#include <string.h>

#include "grow.h"

int buffer_add(buffer *b, const char *s, size_t n) {
  if (GW_CLI_GROW(b->data, b->cap, b->len + n + 1)) return -1;
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
  return 0;
}

int buffer_adds(buffer *b, const char *s) { return buffer_add(b, s, strlen(s)); }

int buffer_read_stream(FILE *f, buffer *b) {
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    if (buffer_add(b, chunk, n)) return -1;
  if (!b->data && buffer_add(b, "", 0)) return -1;
  return ferror(f) ? -1 : 0;
}
