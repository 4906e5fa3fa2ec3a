/* sections.c — the sections of a report as gw-gap compares them: which
 * types it has, how long each is, and what the report calls them. */
#include <stdlib.h>
#include <string.h>

#include "gap.h"
#include "grow.h"
#include "terms_json.h"

size_t gap_count_chars(const char *s, size_t a, size_t b) {
  size_t n = 0;
  for (size_t i = a; i < b; i++) n += ((unsigned char)s[i] & 0xC0) != 0x80 && s[i] != '\n';
  return n;
}

/* A heading as a name: without its marker (一、 （一）, as the document's
 * structure reads it) and the punctuation that ends it.  Sets *start and
 * returns the length. */
static size_t heading_name(const char *s, size_t len, size_t *start) {
  static const char *const ends[] = {"：", ":", "。", "；", " ", NULL};
  size_t i;
  gw_text_heading_marker(&i, s, len);
  size_t end = len;
  for (int trimmed = 1; trimmed && end > i;) {
    trimmed = 0;
    for (size_t k = 0; ends[k]; k++) {
      size_t n = strlen(ends[k]);
      if (end - i >= n && memcmp(s + end - n, ends[k], n) == 0) {
        end -= n;
        trimmed = 1;
      }
    }
  }
  *start = i;
  return end - i;
}

char *gap_section_name(const gw_document *doc, const gw_paragraph *p) {
  if (p->section_heading == GW_NO_OFFSET || p->section == GW_SECTION_NONE)
    return strdup(terms_section_label(p->section));
  size_t len, start;
  const char *norm = gw_document_normalized(doc, &len);
  const gw_paragraph *h = gw_document_paragraph_at(doc, p->section_heading);
  const char *text = norm + h->range.norm_start;
  size_t n = heading_name(text, h->range.norm_end - h->range.norm_start, &start);
  return n ? strndup(text + start, n) : strdup(terms_section_label(p->section));
}

int gap_names_add(gap_names *t, char *name) {
  for (size_t i = 0; i < t->count; i++)
    if (strcmp(t->items[i].name, name) == 0) {
      t->items[i].references++;
      free(name);
      return 0;
    }
  if (GW_CLI_GROW(t->items, t->cap, t->count + 1)) return free(name), -1;
  t->items[t->count++] = (gap_name_count){name, 1};
  return 0;
}

const char *gap_names_best(const gap_names *t, gw_section_type type) {
  const gap_name_count *best = NULL;
  for (size_t i = 0; i < t->count; i++)
    if (!best || t->items[i].references > best->references) best = &t->items[i];
  return best ? best->name : terms_section_label(type);
}

void gap_names_free(gap_names *t) {
  for (size_t i = 0; i < t->count; i++) free(t->items[i].name);
  free(t->items);
}

void gap_outline_of(const gw_document *doc, gap_outline *o) {
  memset(o, 0, sizeof *o);
  size_t len;
  const char *norm = gw_document_normalized(doc, &len);
  for (size_t i = 0; i < gw_document_paragraph_count(doc); i++) {
    const gw_paragraph *p = gw_document_paragraph_at(doc, i);
    if (p->section_heading == i) {
      o->has[p->section] = 1;
      continue;
    }
    if (!p->is_title)
      o->characters[p->section] += gap_count_chars(norm, p->range.norm_start, p->range.norm_end);
  }
}

int gap_section_use_add(gap_section_use *u, size_t characters) {
  if (GW_CLI_GROW(u->characters, u->cap, u->references + 1)) return -1;
  u->characters[u->references++] = characters;
  return 0;
}

static int size_cmp(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return x < y ? -1 : x > y;
}

size_t gap_section_use_median(gap_section_use *u) {
  if (!u->references) return 0;
  qsort(u->characters, u->references, sizeof *u->characters, size_cmp);
  return u->characters[(u->references - 1) / 2];
}
