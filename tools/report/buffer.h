/* buffer.h — bytes gathered in memory: the input read whole (gw-dups's
 * JSON from a file, stdin or a gw-dups run) and the CSV built before
 * anything is written.  Always NUL-terminated once something was added. */
#ifndef GW_REPORT_BUFFER_H
#define GW_REPORT_BUFFER_H

#include <stddef.h>
#include <stdio.h>

typedef struct buffer {
  char *data;
  size_t len, cap;
} buffer;

/* 0, or -1 out of memory (b unchanged). */
int buffer_add(buffer *b, const char *s, size_t n);
int buffer_adds(buffer *b, const char *s);
/* All of f added to b (b->data is "" for an empty stream); -1 out of
 * memory or a read error. */
int buffer_read_stream(FILE *f, buffer *b);

#endif
