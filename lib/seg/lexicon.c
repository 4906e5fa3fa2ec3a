/* lexicon.c — opening a compiled dictionary by mmap, word look-ups, and user
 * dictionaries in jieba's format added at run time. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "lexicon.h"
#include "wordlist.h"

/* ------------------------------------------------------------------ */
/* Opening                                                             */
/* ------------------------------------------------------------------ */

static int section_fits(uint64_t offset, uint64_t count, size_t elem,
                        size_t file_size) {
  if (offset % 8 || offset > file_size) return 0;
  return count <= (file_size - offset) / elem;
}

/* Why the file is not a dictionary this library reads, naming the header
 * field (by its offset) that says so; GW_OK if it is one. */
static int check_header(const gw_dict_header *h, size_t size, const char *path,
                        gw_error *err) {
  if (size < sizeof h->magic || memcmp(h->magic, GW_DICT_MAGIC, 8) != 0)
    return gw_fail_at(err, GW_EFORMAT, 0, 0, 0,
                      "%s: offset 0: not a compiled gongwen dictionary", path);
  if (size < sizeof *h)
    return gw_fail_at(err, GW_EFORMAT, size, 0, 0,
                      "%s: offset %zu: the file ends inside the header (truncated)",
                      path, size);
  if (h->format != GW_DICT_FORMAT)
    return gw_fail_at(err, GW_EFORMAT, offsetof(gw_dict_header, format), 0, 0,
                      "%s: offset %zu: dictionary format %u, this library reads "
                      "format %u (rebuild it with gw-dict-compile)",
                      path, offsetof(gw_dict_header, format), h->format, GW_DICT_FORMAT);
  if (h->byte_order != GW_DICT_BYTE_ORDER)
    return gw_fail_at(err, GW_EFORMAT, offsetof(gw_dict_header, byte_order), 0, 0,
                      "%s: offset %zu: written in another byte order (rebuild it)",
                      path, offsetof(gw_dict_header, byte_order));
  if (h->file_size != size)
    return gw_fail_at(err, GW_EFORMAT, offsetof(gw_dict_header, file_size), 0, 0,
                      "%s: offset %zu: the header says %llu bytes, the file has %zu "
                      "(truncated or damaged)",
                      path, offsetof(gw_dict_header, file_size),
                      (unsigned long long)h->file_size, size);
  /* Each field, and the section it describes, must fit. */
  static const struct {
    size_t field;
    const char *what;
  } fields[] = {{offsetof(gw_dict_header, unit_count), "trie"},
                {offsetof(gw_dict_header, alphabet_size), "alphabet"},
                {offsetof(gw_dict_header, bmp_codes_offset), "character codes"},
                {offsetof(gw_dict_header, astral_count), "astral codes"},
                {offsetof(gw_dict_header, emit_offset), "HMM emissions"}};
  int bad[5] = {
      h->unit_count == 0 || h->unit_count > INT32_MAX || h->unit_count <= h->alphabet_size ||
          !section_fits(h->units_offset, h->unit_count, sizeof(gw_dat_unit), size),
      h->alphabet_size >= 0xFFFF,
      !section_fits(h->bmp_codes_offset, 0x10000, sizeof(uint16_t), size),
      !section_fits(h->astral_offset, h->astral_count, sizeof(gw_astral_code), size),
      !section_fits(h->emit_offset, h->alphabet_size + 1, sizeof(gw_hmm_emit), size)};
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
    if (bad[i])
      return gw_fail_at(err, GW_EFORMAT, fields[i].field, 0, 0,
                        "%s: offset %zu: the %s section does not fit in the file "
                        "(damaged)",
                        path, fields[i].field, fields[i].what);
  return GW_OK;
}

int gw_dict_load_file(gw_dict **out, const char *path, gw_error *err) {
  if (!out || !path) return gw_fail(err, GW_EINVAL, "gw_dict_load_file: no path");
  *out = NULL;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    return gw_fail_at(err, e == ENOENT ? GW_ENOTFOUND : GW_EIO, GW_NO_OFFSET,
                      0, e, "%s: %s", path, strerror(e));
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
    close(fd);
    return gw_fail(err, GW_EFORMAT, "%s: not a compiled gongwen dictionary", path);
  }
  size_t size = (size_t)st.st_size;
  void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
  int e = errno;
  close(fd);
  if (map == MAP_FAILED)
    return gw_fail_at(err, GW_EIO, GW_NO_OFFSET, 0, e, "%s: %s", path, strerror(e));
  const gw_dict_header *h = map;
  int rc = check_header(h, size, path, err);
  if (rc) {
    munmap(map, size);
    return rc;
  }
  gw_dict *d = calloc(1, sizeof *d);
  if (!d) {
    munmap(map, size);
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", path);
  }
  const char *base = map;
  d->map = map;
  d->map_size = size;
  d->header = h;
  d->units = (const gw_dat_unit *)(const void *)(base + h->units_offset);
  d->unit_count = (size_t)h->unit_count;
  d->bmp_codes = (const uint16_t *)(const void *)(base + h->bmp_codes_offset);
  d->astral = (const gw_astral_code *)(const void *)(base + h->astral_offset);
  d->astral_count = (size_t)h->astral_count;
  d->emit = (const gw_hmm_emit *)(const void *)(base + h->emit_offset);
  *out = d;
  return GW_OK;
}

void gw_dict_free(gw_dict *dict) {
  if (!dict) return;
  if (dict->map) munmap(dict->map, dict->map_size);
  gw_word_list_free(&dict->user);
  free(dict->extra_codes);
  free(dict->user_units);
  free(dict->user_logp);
  free(dict);
}

/* ------------------------------------------------------------------ */
/* Codes and look-ups                                                  */
/* ------------------------------------------------------------------ */

static const gw_astral_code *find_code(const gw_astral_code *a, size_t n,
                                       uint32_t cp) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (a[mid].cp < cp) lo = mid + 1;
    else hi = mid;
  }
  return lo < n && a[lo].cp == cp ? &a[lo] : NULL;
}

uint32_t gw_dict_rare_code(const gw_dict *d, int32_t cp) {
  if (cp < 0) return 0;
  const gw_astral_code *hit = NULL;
  if (cp >= 0x10000) hit = find_code(d->astral, d->astral_count, (uint32_t)cp);
  if (!hit) hit = find_code(d->extra_codes, d->extra_count, (uint32_t)cp);
  return hit ? hit->code : 0;
}

/* Walk a trie along the characters of word; the node reached, or NONE. */
static uint32_t walk(const gw_dict *d, const gw_dat_unit *units, uint32_t alphabet,
                     const char *word, size_t len) {
  uint32_t s = GW_DAT_ROOT;
  for (size_t i = 0; i < len && s != GW_DAT_NONE;) {
    int32_t cp;
    i += gw_utf8_next((const unsigned char *)word + i, len - i, &cp);
    uint32_t code = gw_dict_code(d, cp);
    s = code ? gw_dat_step_within(units, s, code, alphabet) : GW_DAT_NONE;
  }
  return s;
}

static uint32_t base_value(const gw_dict *d, const char *word, size_t len) {
  uint32_t s = walk(d, d->units, (uint32_t)d->header->alphabet_size, word, len);
  return s == GW_DAT_NONE ? GW_DAT_NONE : d->units[s].value;
}

static uint32_t user_index(const gw_dict *d, const char *word, size_t len) {
  if (!d->user_units) return GW_DAT_NONE;
  uint32_t s = walk(d, d->user_units, (uint32_t)(d->header->alphabet_size + d->extra_count), word, len);
  return s == GW_DAT_NONE ? GW_DAT_NONE : d->user_units[s].value;
}

double gw_dict_word_logp(const gw_dict *d, const char *word, size_t len) {
  uint32_t v = user_index(d, word, len);
  if (v != GW_DAT_NONE) return d->user_logp[v];
  v = base_value(d, word, len);
  return v == GW_DAT_NONE ? GW_LOG_ZERO : gw_dict_value_logp(v);
}

double gw_dict_frequency(const gw_dict *d, const char *word, size_t len) {
  if (!d || !word) return 0;
  uint32_t v = user_index(d, word, len);
  if (v != GW_DAT_NONE) return d->user.words[v].freq;
  v = base_value(d, word, len);
  if (v == GW_DAT_NONE) return 0;
  /* Stored as a log-probability; frequencies are counts, so round. */
  return floor(exp((double)gw_dict_value_logp(v) + d->header->log_total) + 0.5);
}

size_t gw_dict_word_count(const gw_dict *d) {
  if (!d) return 0;
  size_t n = (size_t)d->header->word_count;
  for (size_t i = 0; i < d->user.count; i++) {
    const gw_word *w = &d->user.words[i];
    const char *s = d->user.pool + w->offset;
    /* Count each new word once: at its last definition. */
    if (user_index(d, s, w->length) == i && base_value(d, s, w->length) == GW_DAT_NONE)
      n++;
  }
  return n;
}

/* ------------------------------------------------------------------ */
/* User words                                                          */
/* ------------------------------------------------------------------ */

/* jieba's suggest_freq: the frequency that makes the word just beat the
 * best way to cut it with the dictionary as it is (or its current one). */
static double suggested_frequency(const gw_dict *d, const char *word,
                                  size_t len) {
  enum { MAX_CHARS = 256 };
  size_t pos[MAX_CHARS + 1], n = 0, i = 0;
  while (i < len && n < MAX_CHARS) {
    int32_t cp;
    pos[n++] = i;
    i += gw_utf8_next((const unsigned char *)word + i, len - i, &cp);
  }
  if (i < len || n < 2) return 1;
  pos[n] = len;
  double best[MAX_CHARS + 1];
  best[n] = 0;
  double unseen = -d->header->log_total; /* log(1 / total), as jieba */
  for (size_t a = n; a-- > 0;) {
    best[a] = unseen + best[a + 1];
    for (size_t b = a + 1; b <= n; b++) {
      if (a == 0 && b == n) continue;
      double lp = gw_dict_word_logp(d, word + pos[a], pos[b] - pos[a]);
      if (lp > GW_LOG_ZERO / 2 && lp + best[b] > best[a]) best[a] = lp + best[b];
    }
  }
  double freq = floor(exp(best[0] + d->header->log_total)) + 1;
  double current = gw_dict_frequency(d, word, len);
  return freq > current ? freq : current;
}

static int cmp_code_entry(const void *pa, const void *pb) {
  const gw_astral_code *a = pa, *b = pb;
  return (a->cp > b->cp) - (a->cp < b->cp);
}

/* Give every character of word a code, adding codes above the base
 * alphabet for characters no base word has. */
static int assign_codes(gw_dict *d, const char *word, size_t len) {
  for (size_t i = 0; i < len;) {
    int32_t cp;
    i += gw_utf8_next((const unsigned char *)word + i, len - i, &cp);
    if (gw_dict_code(d, cp)) continue;
    if (d->extra_count == d->extra_cap) {
      size_t cap = d->extra_cap ? d->extra_cap * 2 : 64;
      gw_astral_code *p = realloc(d->extra_codes, cap * sizeof *p);
      if (!p) return GW_ENOMEM;
      d->extra_codes = p;
      d->extra_cap = cap;
    }
    d->extra_codes[d->extra_count].cp = (uint32_t)cp;
    d->extra_codes[d->extra_count].code =
        (uint32_t)(d->header->alphabet_size + d->extra_count + 1);
    d->extra_count++;
    qsort(d->extra_codes, d->extra_count, sizeof *d->extra_codes, cmp_code_entry);
  }
  return GW_OK;
}

typedef struct user_key {
  uint32_t *codes;
  size_t length;
  uint32_t index;
} user_key;

static int cmp_user_key(const void *pa, const void *pb) {
  const user_key *a = pa, *b = pb;
  size_t n = a->length < b->length ? a->length : b->length;
  for (size_t i = 0; i < n; i++)
    if (a->codes[i] != b->codes[i]) return a->codes[i] < b->codes[i] ? -1 : 1;
  if (a->length != b->length) return a->length < b->length ? -1 : 1;
  return (a->index > b->index) - (a->index < b->index);
}

static int rebuild_user_trie(gw_dict *d) {
  size_t n = d->user.count, total = 0;
  for (size_t i = 0; i < n; i++) total += d->user.words[i].length;
  uint32_t *pool = malloc((total ? total : 1) * sizeof *pool);
  user_key *uk = malloc((n ? n : 1) * sizeof *uk);
  gw_dat_key *keys = malloc((n ? n : 1) * sizeof *keys);
  float *logp = malloc((n ? n : 1) * sizeof *logp);
  gw_dat_unit *units = NULL;
  size_t unit_count = 0, used = 0, k = 0;
  int rc = GW_ENOMEM;
  if (!pool || !uk || !keys || !logp) goto out;
  for (size_t i = 0; i < n; i++) {
    const gw_word *w = &d->user.words[i];
    const char *s = d->user.pool + w->offset;
    uk[i].codes = pool + used;
    uk[i].length = 0;
    uk[i].index = (uint32_t)i;
    for (size_t b = 0; b < w->length;) {
      int32_t cp;
      b += gw_utf8_next((const unsigned char *)s + b, w->length - b, &cp);
      pool[used++] = gw_dict_code(d, cp);
      uk[i].length++;
    }
    logp[i] = w->freq > 0 ? (float)(log(w->freq) - d->header->log_total)
                          : (float)GW_LOG_ZERO;
  }
  qsort(uk, n, sizeof *uk, cmp_user_key);
  for (size_t i = 0; i < n; i++) {
    /* The last definition of a word wins (it sorts last among equals). */
    if (i + 1 < n && uk[i].length == uk[i + 1].length &&
        memcmp(uk[i].codes, uk[i + 1].codes, uk[i].length * sizeof *pool) == 0)
      continue;
    keys[k].codes = uk[i].codes;
    keys[k].length = uk[i].length;
    keys[k].value = uk[i].index;
    k++;
  }
  rc = gw_dat_build(keys, k, (uint32_t)(d->header->alphabet_size + d->extra_count),
                    &units, &unit_count);
  if (rc == GW_OK) {
    free(d->user_units);
    free(d->user_logp);
    d->user_units = units;
    d->user_unit_count = unit_count;
    d->user_logp = logp;
    logp = NULL;
  }
out:
  free(pool);
  free(uk);
  free(keys);
  free(logp);
  return rc;
}

static int push_user_word(gw_dict *d, const char *word, size_t len,
                          double freq) {
  if (freq < 0) freq = suggested_frequency(d, word, len);
  int rc = assign_codes(d, word, len);
  return rc ? rc : gw_word_list_push(&d->user, word, len, freq);
}

int gw_dict_add_user_word(gw_dict *d, const char *word, size_t len,
                          double freq, gw_error *err) {
  if (!d || !word || len == 0 || memchr(word, '\0', len) || !gw_valid_utf8(word, len))
    return gw_fail(err, GW_EINVAL, "user word: empty or not valid UTF-8");
  if (!(freq >= 0) && freq != -1)
    return gw_fail(err, GW_EINVAL, "user word: frequency must be >= 0, or -1 to suggest one");
  int rc = push_user_word(d, word, len, freq);
  if (!rc) rc = rebuild_user_trie(d);
  return rc ? gw_fail(err, rc, "user word: %s", gw_strerror(rc)) : GW_OK;
}

int gw_dict_add_user_file(gw_dict *d, const char *path, gw_error *err) {
  if (!d || !path) return gw_fail(err, GW_EINVAL, "user dictionary: no path");
  gw_word_list wl = {0};
  int rc = gw_word_list_load(&wl, path, err);
  if (rc) {
    gw_word_list_free(&wl);
    return rc;
  }
  /* A word without a frequency gets one suggested against the dictionary
   * as it stands before this file, as jieba's load_userdict does. */
  for (size_t i = 0; i < wl.count && rc == GW_OK; i++)
    rc = push_user_word(d, wl.pool + wl.words[i].offset, wl.words[i].length,
                        wl.words[i].freq);
  gw_word_list_free(&wl);
  if (!rc) rc = rebuild_user_trie(d);
  return rc ? gw_fail(err, rc, "%s: %s", path, gw_strerror(rc)) : GW_OK;
}
