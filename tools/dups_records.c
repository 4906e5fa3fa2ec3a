/* dups_records.c — copy detection's records as JSON (see dups_records.h). */
#include "dups_records.h"

#include <string.h>

#include "dups_cli.h"

gw_relation gw_relation_of(const char *unit, int year, const char *other_unit, int other_year) {
  if (!unit[0] || !other_unit[0]) return GW_RELATION_UNKNOWN;
  if (strcmp(unit, other_unit) != 0) return GW_RELATION_OTHER_UNIT;
  if (year && other_year && other_year < year) return GW_RELATION_SELF_EARLIER;
  if (year && other_year && other_year > year) return GW_RELATION_SELF_LATER;
  return GW_RELATION_SAME_UNIT;
}

const char *gw_relation_name(gw_relation r) {
  static const char *const names[] = {"unknown", "other_unit", "same_unit", "self_earlier",
                                      "self_later"};
  return (unsigned)r < sizeof names / sizeof *names ? names[r] : "unknown";
}

int gw_relation_is_own_unit(gw_relation r) {
  return r == GW_RELATION_SAME_UNIT || r == GW_RELATION_SELF_EARLIER ||
         r == GW_RELATION_SELF_LATER;
}

/* The members naming a document where another record names it. */
static void write_reference(gw_json *w, const gw_dups_records *r, size_t document) {
  if (r->write_name) r->write_name(w, document, 1, r->payload);
  else gw_json_member_path(w, "path", r->paths[document]);
}

/* A pair's side: "key": its path, or an object of the hook's members. */
static void write_side(gw_json *w, const gw_dups_records *r, const char *key, size_t document) {
  if (!r->write_name) {
    gw_json_member_path(w, key, r->paths[document]);
    return;
  }
  gw_json_key(w, key);
  gw_json_object_begin(w);
  r->write_name(w, document, 1, r->payload);
  gw_json_object_end(w);
}

static void write_relation(gw_json *w, const gw_dups_records *r, size_t document, size_t other) {
  if (r->relation)
    gw_json_member_string(w, "relation",
                          gw_relation_name(r->relation(document, other, r->payload)));
}

/* "start", "end" (original bytes), "line", "column" (of start, where the
 * positions are known). */
static void write_place(gw_json *w, const gw_dups_records *r, size_t document, size_t start,
                        size_t end) {
  gw_json_member_uint(w, "start", start);
  gw_json_member_uint(w, "end", end);
  if (r->positions) gw_positions_write(w, &r->positions[document], start);
}

static void write_range(gw_json *w, const gw_dups_records *r, const char *key, size_t document,
                        const gw_dups_range *range) {
  gw_json_key(w, key);
  gw_json_object_begin(w);
  write_place(w, r, document, range->start, range->end);
  gw_json_object_end(w);
}

/* "text": the range's characters; a failure (out of memory) fails the
 * writer: a record without its text would pass for a whole one. */
static void write_text(gw_json *w, const gw_dups *d, size_t document, const gw_dups_range *range) {
  char *text;
  size_t len;
  int rc = gw_dups_text(d, document, range->char_start, range->char_end, &text, &len, NULL);
  if (rc) {
    gw_json_fail(w, rc == GW_ENOMEM ? GW_ENOMEM : GW_EIO);
    return;
  }
  gw_json_key(w, "text");
  gw_json_string_n(w, text, len);
  gw_free(text);
}

static void write_source(gw_json *w, const gw_dups_records *r, size_t document,
                         const gw_dups_source *s) {
  gw_json_object_begin(w);
  write_reference(w, r, s->document);
  write_relation(w, r, document, s->document);
  gw_json_member_uint(w, "characters", s->characters);
  gw_json_member_ratio(w, "share", s->share);
  gw_json_object_end(w);
}

/* The sources of `document` from `first` on under key; own_unit 1 or 0:
 * only those of its own unit or only the others (by r->relation), -1 all. */
static void write_sources(gw_json *w, const gw_dups_records *r, const char *key, size_t document,
                          size_t first, size_t count, int own_unit) {
  gw_json_key(w, key);
  gw_json_array_begin(w);
  for (size_t k = 0; k < count; k++) {
    const gw_dups_source *s = gw_dups_source_at(r->d, first + k);
    if (own_unit < 0 ||
        gw_relation_is_own_unit(r->relation(document, s->document, r->payload)) == own_unit)
      write_source(w, r, document, s);
  }
  gw_json_array_end(w);
}

void gw_dups_records_begin(gw_json *w, int lines, const char *type) {
  gw_json_object_begin(w);
  if (lines) gw_json_member_string(w, "record", type);
}

void gw_dups_records_end(gw_json *w, int lines) {
  gw_json_object_end(w);
  if (lines) gw_json_newline(w);
}

void gw_dups_records_document(gw_json *w, const gw_dups_records *r, size_t i) {
  const gw_dups *d = r->d;
  const gw_dups_document *di = gw_dups_document_at(d, i);
  if (r->write_name) r->write_name(w, i, 0, r->payload);
  else gw_json_member_path(w, "path", r->paths[i]);
  gw_json_member_uint(w, "characters", di->characters);
  gw_json_member_uint(w, "official", di->official);
  gw_json_member_uint(w, "copied", di->copied);
  gw_json_member_ratio(w, "copy_ratio", di->copy_ratio);
  if (!r->write_name) {
    gw_json_key(w, "year");
    if (di->year) gw_json_int(w, di->year);
    else gw_json_null(w);
    gw_dups_cli_write_unit(w, r->meta, r->paths[i]);
  }
  gw_json_member_uint(w, "template_copied", di->template_copied);
  gw_json_member_ratio(w, "template_ratio", di->template_ratio);
  gw_json_member_ratio(w, "few_ratio", di->few_ratio);
  if (!r->relation) {
    /* Copying from its own unit's reports is unknown (null), not none,
     * when the report's unit is not known. */
    if (gw_dups_cli_unit(r->meta, r->paths[i])) {
      gw_json_member_uint(w, "self_copied", di->self_copied);
      gw_json_member_ratio(w, "self_ratio", di->self_ratio);
    } else {
      gw_json_key(w, "self_copied");
      gw_json_null(w);
      gw_json_key(w, "self_ratio");
      gw_json_null(w);
    }
  }
  gw_json_member_uint(w, "base", di->base);
  if (!r->relation) {
    gw_json_key(w, "largest_source");
    if (di->source_count) write_source(w, r, i, gw_dups_source_at(d, di->source_first));
    else gw_json_null(w);
  }
  gw_json_member_uint(w, "sources_total", di->source_total);
  if (r->relation) {
    write_sources(w, r, "self_sources", i, di->source_first, di->source_count, 1);
    write_sources(w, r, "sources", i, di->source_first, di->source_count, 0);
  } else {
    write_sources(w, r, "sources", i, di->source_first, di->source_count, -1);
  }
  write_sources(w, r, "base_sources", i, di->base_source_first, di->base_source_count, -1);
}

void gw_dups_records_family(gw_json *w, const gw_dups_records *r, size_t i) {
  const gw_dups *d = r->d;
  const gw_dups_family *f = gw_dups_family_at(d, i);
  const gw_dups_family_member *t = gw_dups_family_member_at(d, f->member_first + f->text_member);
  gw_json_member_uint(w, "documents", f->documents);
  gw_json_member_uint(w, "size", f->member_count);
  gw_json_member_uint(w, "characters", f->characters);
  gw_json_key(w, "earliest");
  if (f->earliest_year) {
    gw_json_object_begin(w);
    write_reference(w, r, t->document);
    if (!r->write_name) {
      gw_json_key(w, "year");
      gw_json_int(w, f->earliest_year);
    }
    gw_json_object_end(w);
  } else {
    gw_json_null(w);
  }
  if (r->with_text) write_text(w, d, t->document, &t->range);
  gw_json_key(w, "members");
  gw_json_array_begin(w);
  for (size_t k = 0; k < f->member_count; k++) {
    const gw_dups_family_member *m = gw_dups_family_member_at(d, f->member_first + k);
    gw_json_object_begin(w);
    write_reference(w, r, m->document);
    gw_json_member_uint(w, "paragraph", m->paragraph);
    write_place(w, r, m->document, m->range.start, m->range.end);
    gw_json_member_uint(w, "characters", m->range.char_end - m->range.char_start);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
}

void gw_dups_records_pair(gw_json *w, const gw_dups_records *r, size_t i) {
  const gw_dups *d = r->d;
  const gw_dups_pair *p = gw_dups_pair_at(d, i);
  write_side(w, r, "a", p->a);
  write_side(w, r, "b", p->b);
  write_relation(w, r, p->b, p->a);
  gw_json_member_ratio(w, "similarity", p->similarity);
  gw_json_member_uint(w, "copied_a", p->copied_a);
  gw_json_member_uint(w, "copied_b", p->copied_b);
  gw_json_key(w, "passages");
  gw_json_array_begin(w);
  for (size_t k = 0; k < p->passage_count; k++) {
    const gw_dups_passage *ps = gw_dups_passage_at(d, p->passage_first + k);
    gw_json_object_begin(w);
    gw_json_member_string(w, "kind", gw_dups_kind_name(ps->kind));
    write_range(w, r, "a", p->a, &ps->a);
    write_range(w, r, "b", p->b, &ps->b);
    gw_json_member_uint(w, "characters", ps->a.char_end - ps->a.char_start);
    gw_json_member_uint(w, "matched", ps->matched);
    if (r->with_text) write_text(w, d, p->a, &ps->a);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
}

void gw_dups_records_cluster(gw_json *w, const gw_dups_records *r, size_t i) {
  const gw_dups *d = r->d;
  const gw_dups_cluster *c = gw_dups_cluster_at(d, i);
  gw_json_member_uint(w, "documents", c->documents);
  gw_json_member_uint(w, "size", c->member_count);
  gw_json_member_ratio(w, "min_jaccard", c->min_jaccard);
  gw_json_member_ratio(w, "max_jaccard", c->max_jaccard);
  gw_json_key(w, "members");
  gw_json_array_begin(w);
  for (size_t k = 0; k < c->member_count; k++) {
    const gw_dups_member *m = gw_dups_member_at(d, c->member_first + k);
    gw_json_object_begin(w);
    write_reference(w, r, m->document);
    gw_json_member_uint(w, "paragraph", m->paragraph);
    write_place(w, r, m->document, m->start, m->end);
    gw_json_member_ratio(w, "jaccard", m->jaccard);
    gw_json_member_ratio(w, "containment", m->containment);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
}
