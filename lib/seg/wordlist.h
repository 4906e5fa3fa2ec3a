/* wordlist.h — word lists in jieba's format ("word [freq] [tag]" per line),
 * read by the dictionary compiler and by user dictionaries.  Private. */
#ifndef GW_WORDLIST_H
#define GW_WORDLIST_H

#include <stddef.h>

#include "gongwen.h"

typedef struct gw_word {
  size_t offset, length; /* in the list's pool */
  double freq;           /* -1 when the line gave none */
} gw_word;

typedef struct gw_word_list {
  char *pool;            /* words, each NUL-terminated */
  size_t pool_len, pool_cap;
  gw_word *words;
  size_t count, cap;
} gw_word_list;

void gw_word_list_free(gw_word_list *wl);
int gw_word_list_push(gw_word_list *wl, const char *word, size_t len,
                      double freq);
/* Append every word of a file; errors name FILE:LINE. */
int gw_word_list_load(gw_word_list *wl, const char *path, gw_error *err);

int gw_valid_utf8(const char *s, size_t n);

#endif
