/* Fuzz target: user dictionaries in jieba's format.  The input is read as a
 * user dictionary file (gw_dict_add_user_file: the word-list reader), and
 * its lines are added one by one as words (gw_dict_add_user_word); text is
 * then segmented with both dictionaries, so that the user tries built from
 * fuzzed words are walked too.  Each input starts from the shipped
 * dictionary freshly opened (opening maps the file: cheap). */
#define _GNU_SOURCE /* fileno */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_support.h"

#define MAX_WORDS 16

static gw_dict *open_dict(void) {
  gw_dict *dict = NULL;
  FUZZ_CHECK(gw_dict_load_file(&dict, fuzz_dict_path(), NULL) == GW_OK);
  return dict;
}

static void segment_with(const gw_dict *dict, const uint8_t *data, size_t size) {
  gw_segmenter *seg = NULL;
  FUZZ_CHECK(gw_segmenter_new(&seg, dict, NULL, NULL) == GW_OK);
  const gw_token *tokens;
  size_t n;
  FUZZ_CHECK(gw_segment(seg, (const char *)data, size, &tokens, &n, NULL) == GW_OK);
  fuzz_check_tokens(tokens, n, size);
  gw_segmenter_free(seg);
}

/* The input as a file: an unlinked temporary file, named through /proc. */
static const char *as_file(const uint8_t *data, size_t size) {
  static FILE *file;
  static char path[64];
  if (!file) {
    file = tmpfile();
    FUZZ_CHECK(file != NULL);
    snprintf(path, sizeof path, "/proc/self/fd/%d", fileno(file));
  }
  FUZZ_CHECK(ftruncate(fileno(file), 0) == 0);
  FUZZ_CHECK(pwrite(fileno(file), data, size, 0) == (ssize_t)size);
  return path;
}

static void add_file(const uint8_t *data, size_t size) {
  gw_dict *dict = open_dict();
  size_t base_words = gw_dict_word_count(dict);
  gw_error err;
  int rc = gw_dict_add_user_file(dict, as_file(data, size), &err);
  if (rc != GW_OK) {
    FUZZ_CHECK(rc == GW_EFORMAT || rc == GW_ENOMEM);
    FUZZ_CHECK(err.code == rc && err.message[0] != '\0');
  } else {
    FUZZ_CHECK(gw_dict_word_count(dict) >= base_words);
  }
  segment_with(dict, data, size);
  gw_dict_free(dict);
}

static void add_words(const uint8_t *data, size_t size) {
  gw_dict *dict = open_dict();
  size_t pos = 0;
  for (int line = 0; line < MAX_WORDS && pos < size; line++) {
    const uint8_t *nl = memchr(data + pos, '\n', size - pos);
    size_t end = nl ? (size_t)(nl - data) : size;
    const char *word = (const char *)data + pos;
    size_t len = end - pos;
    /* Every other word with a frequency of its own, the others suggested. */
    double freq = line % 2 ? (double)(1 + len) : -1;
    if (gw_dict_add_user_word(dict, word, len, freq, NULL) == GW_OK)
      FUZZ_CHECK(gw_dict_frequency(dict, word, len) > 0);
    pos = end + 1;
  }
  segment_with(dict, data, size);
  gw_dict_free(dict);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  add_file(data, size);
  add_words(data, size);
  return 0;
}
