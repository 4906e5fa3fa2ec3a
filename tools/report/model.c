/* model.c — the page's data, written as it goes (see model.h). */
#include "model.h"

#include <string.h>
#include <time.h>

#include "records.h"
#include "originals.h"

/* The page's data is written straight from the input's records and the
 * documents' texts, never built as a tree first: one writer per kind of
 * record, and each writes a record three ways, as an object (key and
 * value), as a table's row (values only) or as the table's keys, so that a
 * table's keys and its rows cannot disagree. */
typedef enum record_mode { AS_OBJECT, AS_ROW, AS_KEYS } record_mode;

typedef struct record_out {
  gw_json *w;
  record_mode mode;
  int tables;     /* arrays of records inside as tables (the page) */
  int leave_late; /* the late parts left out (the page's gw-data) */
} record_out;

/* Starts a member: nonzero when its value is to be written next. */
static int field(record_out *o, const char *key) {
  if (o->mode == AS_KEYS) {
    gw_json_string(o->w, key);
    return 0;
  }
  if (o->mode == AS_OBJECT) gw_json_key(o->w, key);
  return 1;
}

/* A number of the input as it is, or null when it lacks it (an older
 * gw-dups: the page shows a dash). */
static void write_number_of(gw_json *w, const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItem(o, key);
  if (cJSON_IsNumber(v)) gw_json_number(w, v->valuedouble);
  else gw_json_null(w);
}

static void write_string_or_null(gw_json *w, const char *s) {
  if (s) gw_json_string(w, s);
  else gw_json_null(w);
}

static void write_index_or_null(gw_json *w, long doc) {
  if (doc >= 0) gw_json_number(w, (double)doc);
  else gw_json_null(w);
}

/* A value of the input as it is (gw-dups's parameters, gw-gap's lists). */
static void write_input_value(gw_json *w, const cJSON *v) {
  if (cJSON_IsObject(v)) {
    gw_json_object_begin(w);
    for (const cJSON *c = v->child; c; c = c->next) {
      gw_json_key(w, c->string ? c->string : "");
      write_input_value(w, c);
    }
    gw_json_object_end(w);
  } else if (cJSON_IsArray(v)) {
    gw_json_array_begin(w);
    for (const cJSON *c = v->child; c; c = c->next) write_input_value(w, c);
    gw_json_array_end(w);
  } else if (cJSON_IsNumber(v)) {
    gw_json_number(w, v->valuedouble);
  } else if (cJSON_IsString(v)) {
    gw_json_string(w, v->valuestring);
  } else if (cJSON_IsBool(v)) {
    gw_json_bool(w, cJSON_IsTrue(v));
  } else {
    gw_json_null(w);
  }
}

static void write_range(gw_json *w, const shown_range *s) {
  if (!s->known) {
    gw_json_null(w);
    return;
  }
  gw_json_array_begin(w);
  gw_json_number(w, (double)s->start);
  gw_json_number(w, (double)s->end);
  gw_json_array_end(w);
}

/* A line or a column, null when unknown (0). */
static void write_position(gw_json *w, size_t position) {
  if (position) gw_json_number(w, (double)position);
  else gw_json_null(w);
}

/* A kind of record that comes as an array of the input. */
typedef struct list_kind {
  /* 1: write the item, 0: leave it out, -1: end the list before it */
  int (*accept)(void *ctx, const cJSON *item);
  /* which optional keys the item has: a table needs the same in every row */
  int (*variant)(void *ctx, const cJSON *item);
  void (*write)(record_out *o, void *ctx, const cJSON *item);
} list_kind;

static int accepted(const list_kind *kind, void *ctx, const cJSON *item) {
  return kind->accept ? kind->accept(ctx, item) : 1;
}

/* The items of array that kind accepts, as an array of objects, or with
 * o->tables as a table, {"keys": [KEY...], "rows": [[VALUE...]...]}, when
 * they all have the same keys: a report's documents, pairs, passages and
 * sources would repeat every key name in every element (a third of the
 * first view's bytes).  The page reads both. */
static void write_list(const record_out *parent, const list_kind *kind, void *ctx,
                       const cJSON *array) {
  record_out o = *parent;
  gw_json *w = o.w;
  const cJSON *first = NULL, *item;
  int same_keys = 1, first_variant = 0;
  for (item = cJSON_IsArray(array) ? array->child : NULL; o.tables && item; item = item->next) {
    int take = accepted(kind, ctx, item);
    if (take < 0) break;
    if (!take) continue;
    int variant = kind->variant ? kind->variant(ctx, item) : 0;
    if (!first) {
      first = item;
      first_variant = variant;
    } else if (variant != first_variant) {
      same_keys = 0;
      break;
    }
  }
  int as_table = o.tables && first && same_keys;
  if (as_table) {
    gw_json_object_begin(w);
    gw_json_key(w, "keys");
    gw_json_array_begin(w);
    o.mode = AS_KEYS;
    kind->write(&o, ctx, first);
    gw_json_array_end(w);
    gw_json_key(w, "rows");
  }
  gw_json_array_begin(w);
  o.mode = as_table ? AS_ROW : AS_OBJECT;
  for (item = cJSON_IsArray(array) ? array->child : NULL; item; item = item->next) {
    int take = accepted(kind, ctx, item);
    if (take < 0) break;
    if (!take) continue;
    if (as_table) gw_json_array_begin(w);
    else gw_json_object_begin(w);
    kind->write(&o, ctx, item);
    if (as_table) gw_json_array_end(w);
    else gw_json_object_end(w);
  }
  gw_json_array_end(w);
  if (as_table) gw_json_object_end(w);
}

static int is_copy(const cJSON *passage) {
  const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(passage, "kind"));
  return kind && strcmp(kind, "copy") == 0;
}

/* ---- Sources ---- */

static int source_accept(void *ctx, const cJSON *s) { return source_doc(ctx, s) >= 0; }

/* gw-archive check's sources say what they are to the report */
static int source_variant(void *ctx, const cJSON *s) {
  (void)ctx;
  return cJSON_IsString(cJSON_GetObjectItem(s, "relation"));
}

static void write_source(record_out *o, void *ctx, const cJSON *s) {
  if (field(o, "doc")) gw_json_number(o->w, (double)source_doc(ctx, s));
  if (field(o, "characters")) write_number_of(o->w, s, "characters");
  if (field(o, "share")) write_number_of(o->w, s, "share");
  /* self_earlier, same_unit, self_later, other_unit */
  if (source_variant(ctx, s) && field(o, "relation"))
    gw_json_string(o->w, cJSON_GetStringValue(cJSON_GetObjectItem(s, "relation")));
}

static const list_kind source_kind = {source_accept, source_variant, write_source};

/* ---- Pairs and their passages ---- */

typedef struct pair_docs {
  long a, b;
} pair_docs;

static pair_docs pair_docs_of(const report *r, const cJSON *pair) {
  pair_docs p = {find_doc(r, ref_path(cJSON_GetObjectItem(pair, "a"))),
                 find_doc(r, ref_path(cJSON_GetObjectItem(pair, "b")))};
  return p;
}

/* a record naming no document is left out */
static int pair_accept(void *ctx, const cJSON *pair) {
  pair_docs p = pair_docs_of(ctx, pair);
  return p.a >= 0 && p.b >= 0;
}

typedef struct passage_ctx {
  const report_doc *a, *b;
  size_t number; /* copy passages so far */
} passage_ctx;

/* Without an original, a passage's characters are all the page can show. */
static const char *passage_text(const passage_ctx *c, const cJSON *p) {
  if (c->a->text && c->b->text) return NULL;
  return cJSON_GetStringValue(cJSON_GetObjectItem(p, "text"));
}

static int passage_variant(void *ctx, const cJSON *p) { return passage_text(ctx, p) != NULL; }

static void write_passage(record_out *o, void *ctx, const cJSON *p) {
  passage_ctx *c = ctx;
  gw_json *w = o->w;
  const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(p, "kind"));
  shown_range a = copied_range_of(c->a, cJSON_GetObjectItem(p, "a"));
  shown_range b = copied_range_of(c->b, cJSON_GetObjectItem(p, "b"));
  if (field(o, "kind")) gw_json_string(w, kind ? kind : "copy");
  /* copy passages are numbered, in the input's order (by a's start) */
  if (field(o, "number")) gw_json_number(w, is_copy(p) ? (double)++c->number : 0);
  if (field(o, "a")) write_range(w, &a);
  if (field(o, "b")) write_range(w, &b);
  if (field(o, "line_a")) write_position(w, a.line);
  if (field(o, "line_b")) write_position(w, b.line);
  if (field(o, "column_a")) write_position(w, a.column);
  if (field(o, "column_b")) write_position(w, b.column);
  if (field(o, "characters")) gw_json_number(w, (double)size_of(p, "characters"));
  if (field(o, "matched")) write_number_of(w, p, "matched");
  const char *text = passage_text(c, p);
  if (text && field(o, "text")) gw_json_string(w, text);
}

static const list_kind passage_kind = {NULL, passage_variant, write_passage};

static void write_passages(const record_out *o, const report *r, const cJSON *pair) {
  pair_docs docs = pair_docs_of(r, pair);
  passage_ctx c = {&r->docs[docs.a], &r->docs[docs.b], 0};
  write_list(o, &passage_kind, &c, cJSON_GetObjectItem(pair, "passages"));
}

static void write_pair(record_out *o, void *ctx, const cJSON *pair) {
  const report *r = ctx;
  pair_docs docs = pair_docs_of(r, pair);
  if (field(o, "a")) gw_json_number(o->w, (double)docs.a);
  if (field(o, "b")) gw_json_number(o->w, (double)docs.b);
  if (field(o, "similarity")) write_number_of(o->w, pair, "similarity");
  if (field(o, "copied_a")) write_number_of(o->w, pair, "copied_a");
  if (field(o, "copied_b")) write_number_of(o->w, pair, "copied_b");
  if (!o->leave_late && field(o, "passages")) write_passages(o, r, pair);
}

static const list_kind pair_kind = {pair_accept, NULL, write_pair};

/* Copy passages per document and in all, for the documents' records and
 * the summary, which come before the pairs. */
static void count_passages(report *r, const cJSON *pairs, size_t *pair_count,
                           size_t *copy_total) {
  const cJSON *pair, *p;
  cJSON_ArrayForEach(pair, pairs) {
    if (!pair_accept(r, pair)) continue;
    (*pair_count)++;
    pair_docs docs = pair_docs_of(r, pair);
    cJSON_ArrayForEach(p, cJSON_GetObjectItem(pair, "passages")) {
      if (!is_copy(p)) continue;
      size_t characters = size_of(p, "characters");
      long both[2] = {docs.a, docs.b};
      for (size_t k = 0; k < 2; k++) {
        report_doc *d = &r->docs[both[k]];
        d->copy_passages++;
        if (characters > d->longest_passage) d->longest_passage = characters;
      }
      (*copy_total)++;
    }
  }
}

/* ---- Families and clusters ---- */

typedef struct member_ctx {
  const report *r;
  int of_family; /* else of a cluster */
} member_ctx;

static long member_doc(const report *r, const cJSON *m) {
  const char *path = cJSON_GetStringValue(cJSON_GetObjectItem(m, "path"));
  return path ? find_doc(r, path) : -1;
}

/* a member naming no document ends the list */
static int member_accept(void *ctx, const cJSON *m) {
  return member_doc(((const member_ctx *)ctx)->r, m) >= 0 ? 1 : -1;
}

static void write_member(record_out *o, void *ctx, const cJSON *m) {
  const member_ctx *c = ctx;
  long doc = member_doc(c->r, m);
  shown_range range = copied_range_of(&c->r->docs[doc], m);
  if (field(o, "doc")) gw_json_number(o->w, (double)doc);
  if (field(o, "paragraph")) write_number_of(o->w, m, "paragraph");
  if (field(o, "range")) write_range(o->w, &range);
  if (field(o, "line")) write_position(o->w, range.line);
  if (field(o, "column")) write_position(o->w, range.column);
  if (c->of_family) {
    if (field(o, "characters")) write_number_of(o->w, m, "characters");
  } else {
    if (field(o, "jaccard")) write_number_of(o->w, m, "jaccard");
    if (field(o, "containment")) write_number_of(o->w, m, "containment");
  }
}

static const list_kind member_kind = {member_accept, NULL, write_member};

static void write_cluster(record_out *o, void *ctx, const cJSON *c) {
  if (field(o, "documents")) write_number_of(o->w, c, "documents");
  if (field(o, "size")) write_number_of(o->w, c, "size");
  if (field(o, "min_jaccard")) write_number_of(o->w, c, "min_jaccard");
  if (field(o, "max_jaccard")) write_number_of(o->w, c, "max_jaccard");
  member_ctx members = {ctx, 0};
  if (field(o, "members")) write_list(o, &member_kind, &members, cJSON_GetObjectItem(c, "members"));
}

/* The member standing for a family, as gw-dups chose it (gongwen.h,
 * gw_dups_family: the longest of the earliest year's members, the first of
 * equals): of the members from the earliest report (gw-dups's "earliest":
 * {"path", "year"}), else of all, the first with the family's characters;
 * else the first of them. */
static int family_text_member(const cJSON *f, const cJSON *members) {
  const char *earliest = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(f, "earliest"), "path"));
  double characters = cJSON_GetNumberValue(cJSON_GetObjectItem(f, "characters"));
  int k = 0, first = -1;
  const cJSON *m;
  cJSON_ArrayForEach(m, members) {
    const char *path = cJSON_GetStringValue(cJSON_GetObjectItem(m, "path"));
    if (!earliest || (path && strcmp(path, earliest) == 0)) {
      if (cJSON_GetNumberValue(cJSON_GetObjectItem(m, "characters")) == characters) return k;
      if (first < 0) first = k;
    }
    k++;
  }
  return first < 0 ? 0 : first;
}

/* The family's text as written in the file of the member standing for it,
 * else gw-dups's text of its characters. */
static void write_family_text(gw_json *w, const report *r, const cJSON *f, const cJSON *m) {
  long doc = member_doc(r, m);
  if (doc >= 0 && r->docs[doc].text) {
    const char *text;
    size_t len = shown_text_of(&r->docs[doc], m, &text);
    gw_json_string_n(w, text, len);
    return;
  }
  write_string_or_null(w, cJSON_GetStringValue(cJSON_GetObjectItem(f, "text")));
}

static void write_family(record_out *o, void *ctx, const cJSON *f) {
  const report *r = ctx;
  const cJSON *members = cJSON_GetObjectItem(f, "members");
  int stand = family_text_member(f, members);
  if (field(o, "documents")) write_number_of(o->w, f, "documents");
  if (field(o, "size")) write_number_of(o->w, f, "size");
  if (field(o, "characters")) write_number_of(o->w, f, "characters");
  if (field(o, "earliest_year")) write_number_of(o->w, cJSON_GetObjectItem(f, "earliest"), "year");
  if (field(o, "text_member")) gw_json_number(o->w, stand);
  if (field(o, "text")) write_family_text(o->w, r, f, cJSON_GetArrayItem(members, stand));
  member_ctx c = {r, 1};
  if (field(o, "members")) write_list(o, &member_kind, &c, members);
}

static const list_kind family_kind = {NULL, NULL, write_family};
static const list_kind cluster_kind = {NULL, NULL, write_cluster};

/* ---- Documents ---- */

static void write_document(record_out *o, const report *r, size_t i) {
  const report_doc *d = &r->docs[i];
  const cJSON *rec = d->record;
  gw_json *w = o->w;
  if (field(o, "path")) gw_json_string(w, d->path);
  if (field(o, "unit")) write_string_or_null(w, d->unit);
  if (field(o, "year")) write_index_or_null(w, d->year ? d->year : -1);
  if (field(o, "title")) write_string_or_null(w, d->title);
  if (field(o, "is_base")) gw_json_bool(w, d->is_base);
  if (field(o, "is_archived")) gw_json_bool(w, d->is_archived);
  static const char *const figures[] = {"characters", "official", "base", "copied", "copy_ratio",
                                        "template_copied", "template_ratio", "few_ratio"};
  for (size_t k = 0; k < sizeof figures / sizeof *figures; k++)
    if (field(o, figures[k])) write_number_of(w, rec, figures[k]);
  const cJSON *self_copy = self_copy_of(rec);
  if (field(o, "self_copy")) {
    if (cJSON_IsNumber(self_copy)) gw_json_number(w, self_copy->valuedouble);
    else gw_json_null(w);
  }
  const char *self_path = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "self_source"));
  if (field(o, "self_source")) write_index_or_null(w, self_path ? find_doc(r, self_path) : d->self_source);
  const cJSON *largest;
  long largest_doc = largest_source(r, rec, &largest);
  if (field(o, "largest_source")) write_index_or_null(w, largest_doc);
  if (field(o, "largest_share")) {
    if (largest_doc >= 0) write_number_of(w, largest, "share");
    else gw_json_null(w);
  }
  if (field(o, "sources_total")) write_number_of(w, rec, "sources_total");
  if (!o->leave_late && field(o, "sources"))
    write_list(o, &source_kind, (void *)r, cJSON_GetObjectItem(rec, "sources"));
  if (!o->leave_late && field(o, "base_sources"))
    write_list(o, &source_kind, (void *)r, cJSON_GetObjectItem(rec, "base_sources"));
  if (field(o, "passages")) gw_json_number(w, (double)d->copy_passages);
  if (field(o, "longest")) gw_json_number(w, (double)d->longest_passage);
  if (field(o, "lines")) gw_json_number(w, (double)(d->text ? d->line_count : 0));
  if (field(o, "error")) write_string_or_null(w, d->error);
  if (!o->leave_late && field(o, "text")) write_string_or_null(w, d->text);
}

/* Every document, as write_list writes a list (its records all have the
 * same keys). */
static void write_documents(const record_out *parent, const report *r) {
  record_out o = *parent;
  gw_json *w = o.w;
  int as_table = o.tables && r->doc_count > 0;
  if (as_table) {
    gw_json_object_begin(w);
    gw_json_key(w, "keys");
    gw_json_array_begin(w);
    o.mode = AS_KEYS;
    write_document(&o, r, 0);
    gw_json_array_end(w);
    gw_json_key(w, "rows");
  }
  gw_json_array_begin(w);
  o.mode = as_table ? AS_ROW : AS_OBJECT;
  for (size_t i = 0; i < r->doc_count; i++) {
    if (as_table) gw_json_array_begin(w);
    else gw_json_object_begin(w);
    write_document(&o, r, i);
    if (as_table) gw_json_array_end(w);
    else gw_json_object_end(w);
  }
  gw_json_array_end(w);
  if (as_table) gw_json_object_end(w);
}

/* ---- The draft view: gw-gap's JSON ---- */

/* Broken, outdated or stale formulations of the draft, each with its
 * range in the shown text, its line and its column in place of its offsets,
 * line and column; the other keys as gw-gap gives them. */
static void write_findings(gw_json *w, const report_doc *d, const cJSON *findings) {
  gw_json_array_begin(w);
  const cJSON *f;
  cJSON_ArrayForEach(f, findings) {
    gw_json_object_begin(w);
    for (const cJSON *c = cJSON_IsObject(f) ? f->child : NULL; c; c = c->next) {
      if (c->string && (strcmp(c->string, "start") == 0 || strcmp(c->string, "end") == 0 ||
                        strcmp(c->string, "line") == 0 || strcmp(c->string, "column") == 0))
        continue; /* written below, each once */
      gw_json_key(w, c->string ? c->string : "");
      write_input_value(w, c);
    }
    shown_range range = shown_range_of(d, f);
    gw_json_key(w, "range");
    write_range(w, &range);
    gw_json_key(w, "line");
    write_position(w, range.line);
    gw_json_key(w, "column");
    write_position(w, range.column);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
}

/* What a draft lacks and gets wrong (gw-gap): its sections against the
 * references' and the terms missing with their example sentences, as gw-gap
 * gives them; its broken, outdated and stale formulations marked in its
 * text.  null for copy detection's input. */
static long draft_doc(const report *r, const cJSON *gap) {
  const char *draft = cJSON_GetStringValue(cJSON_GetObjectItem(gap, "draft"));
  return draft ? find_doc(r, draft) : -1;
}

static void write_gap(gw_json *w, const report *r, const cJSON *gap) {
  long doc = draft_doc(r, gap);
  if (doc < 0) {
    gw_json_null(w);
    return;
  }
  gw_json_object_begin(w);
  gw_json_member_number(w, "draft", (double)doc);
  static const char *const figures[] = {"year", "references", "min_share"};
  for (size_t k = 0; k < sizeof figures / sizeof *figures; k++) {
    gw_json_key(w, figures[k]);
    write_number_of(w, gap, figures[k]);
  }
  static const char *const as_is[] = {"structure", "missing", "unique"};
  for (size_t k = 0; k < sizeof as_is / sizeof *as_is; k++) {
    const cJSON *v = cJSON_GetObjectItem(gap, as_is[k]);
    gw_json_key(w, as_is[k]);
    if (v) {
      write_input_value(w, v);
    } else {
      gw_json_array_begin(w);
      gw_json_array_end(w);
    }
  }
  gw_json_key(w, "broken");
  write_findings(w, &r->docs[doc], cJSON_GetObjectItem(gap, "broken"));
  gw_json_key(w, "outdated");
  write_findings(w, &r->docs[doc], cJSON_GetObjectItem(gap, "outdated"));
  gw_json_key(w, "stale");
  write_findings(w, &r->docs[doc], cJSON_GetObjectItem(gap, "stale"));
  gw_json_object_end(w);
}

/* ---- The whole model ---- */

static void write_summary(gw_json *w, const model *m) {
  double characters = 0, copied = 0;
  size_t over30 = 0, over50 = 0, reports = 0, base = 0, archived = 0;
  for (size_t i = 0; i < m->r->doc_count; i++) {
    const report_doc *d = &m->r->docs[i];
    if (d->is_base) { /* not a report */
      base++;
      continue;
    }
    if (d->is_archived) { /* not this batch's */
      archived++;
      continue;
    }
    reports++;
    characters += number_of(d->record, "characters");
    copied += number_of(d->record, "copied");
    double ratio = number_of(d->record, "copy_ratio");
    over30 += ratio >= 0.3;
    over50 += ratio >= 0.5;
  }
  const struct {
    const char *key;
    double value;
  } figures[] = {{"documents", (double)reports},      {"base_documents", (double)base},
                 {"archived_documents", (double)archived}, {"characters", characters},
                 {"copied", copied},                  {"over_30", (double)over30},
                 {"over_50", (double)over50},         {"pairs", (double)m->pairs},
                 {"passages", (double)m->copy_passages}, {"families", (double)m->families},
                 {"clusters", (double)m->clusters},   {"errors", (double)m->errors}};
  gw_json_object_begin(w);
  for (size_t k = 0; k < sizeof figures / sizeof *figures; k++)
    gw_json_member_number(w, figures[k].key, figures[k].value);
  gw_json_object_end(w);
}

/* gw-dups's errors, then the originals that could not be read. */
static void write_errors(gw_json *w, const model *m) {
  gw_json_array_begin(w);
  const cJSON *e, *input = cJSON_GetObjectItem(m->dups, "errors");
  if (cJSON_IsArray(input)) cJSON_ArrayForEach(e, input) write_input_value(w, e);
  for (size_t i = 0; i < m->r->doc_count; i++) {
    if (!m->r->docs[i].error) continue;
    gw_json_object_begin(w);
    gw_json_member_string(w, "path", m->r->docs[i].path);
    gw_json_member_string(w, "error", m->r->docs[i].error);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
}

/* Everything the page shows, in a fixed key order; the page's gw-data
 * (o->leave_late) has no clusters, they are a late part. */
static void write_model(record_out *o, const model *m) {
  gw_json *w = o->w;
  const cJSON *dups = m->dups;
  gw_json_object_begin(w);
  gw_json_member_number(w, "format", 1);
  gw_json_member_string(w, "generator", "gw-report");
  gw_json_member_string(w, "title", m->title);
  gw_json_key(w, "generated");
  write_string_or_null(w, m->generated[0] ? m->generated : NULL);
  gw_json_key(w, "has_families");
  gw_json_bool(w, m->has_families);
  const cJSON *parameters = cJSON_GetObjectItem(dups, "parameters");
  gw_json_key(w, "parameters");
  if (parameters) {
    write_input_value(w, parameters);
  } else {
    gw_json_object_begin(w);
    gw_json_object_end(w);
  }
  gw_json_key(w, "summary");
  write_summary(w, m);
  gw_json_key(w, "documents");
  write_documents(o, m->r);
  gw_json_key(w, "pairs");
  write_list(o, &pair_kind, m->r, cJSON_GetObjectItem(dups, "pairs"));
  gw_json_key(w, "families");
  write_list(o, &family_kind, m->r, cJSON_GetObjectItem(dups, "families"));
  if (!o->leave_late) {
    gw_json_key(w, "clusters");
    write_list(o, &cluster_kind, m->r, cJSON_GetObjectItem(dups, "clusters"));
  }
  gw_json_key(w, "errors");
  write_errors(w, m);
  gw_json_key(w, "gap");
  write_gap(w, m->r, dups);
  gw_json_object_end(w);
}

int model_prepare(model *m, gw_cli *cli, report *r, const cJSON *dups, const report_config *cfg) {
  memset(m, 0, sizeof *m);
  m->r = r;
  m->dups = dups;
  m->title = cfg->title ? cfg->title : "复制检测报告";
  m->pretty = !cfg->compact;
  if (register_documents(r, dups) != 0) return GW_ENOMEM;
  int rc = cfg->meta_rows ? read_meta(r, cfg->meta_rows) : 0;
  if (!rc && (load_originals(cli, r, cfg) != 0 || default_units(r) != 0)) rc = GW_ENOMEM;
  if (rc) return rc;
  if (cfg->timestamp) {
    time_t now = time(NULL);
    struct tm tm;
    strftime(m->generated, sizeof m->generated, "%Y-%m-%d %H:%M UTC", gmtime_r(&now, &tm));
  }
  /* JSON Lines carry no empty arrays: a gw-dups that finds families says so
   * in its parameters */
  m->has_families = cJSON_HasObjectItem(dups, "families") ||
      cJSON_HasObjectItem(dups, "archive") || /* gw-archive check finds families */
      cJSON_HasObjectItem(cJSON_GetObjectItem(dups, "parameters"), "family_min_documents");
  count_passages(r, cJSON_GetObjectItem(dups, "pairs"), &m->pairs, &m->copy_passages);
  find_self_sources(r);
  m->families = (size_t)cJSON_GetArraySize(cJSON_GetObjectItem(dups, "families"));
  m->clusters = (size_t)cJSON_GetArraySize(cJSON_GetObjectItem(dups, "clusters"));
  const cJSON *errors = cJSON_GetObjectItem(dups, "errors");
  m->errors = cJSON_IsArray(errors) ? (size_t)cJSON_GetArraySize(errors) : 0;
  for (size_t i = 0; i < r->doc_count; i++) m->errors += r->docs[i].error != NULL;
  return 0;
}


int model_has_ranking(const model *m) { return draft_doc(m->r, m->dups) < 0; }

int model_write_json(FILE *out, const void *arg) {
  const model *m = arg;
  gw_json w;
  gw_json_init(&w, out, m->pretty);
  record_out o = {&w, AS_OBJECT, 0, 0};
  write_model(&o, m);
  gw_json_newline(&w);
  return gw_json_finish(&w);
}

void model_write_first_view(gw_json *w, const model *m) {
  record_out o = {w, AS_OBJECT, 1, 1};
  write_model(&o, m);
}

/* The first view is drawn before the browser has parsed these, and they
 * are 80-90 % of a report's bytes.  The page splits a block on line
 * breaks (the writer escapes every line break inside a string). */
const char *const model_late_parts[MODEL_LATE_PARTS] = {"text", "sources", "base_sources",
                                                        "passages", "clusters"};

void model_write_late_part(gw_json *w, const model *m, size_t part,
                           void (*line_end)(gw_json *w, void *arg), void *arg) {
  report *r = m->r;
  record_out o = {w, AS_OBJECT, 1, 0};
  const char *key = model_late_parts[part];
  if (part <= 2) {
    for (size_t i = 0; i < r->doc_count && !w->failed; i++) {
      if (part == 0) write_string_or_null(w, r->docs[i].text);
      else write_list(&o, &source_kind, r, cJSON_GetObjectItem(r->docs[i].record, key));
      gw_json_newline(w);
      line_end(w, arg);
    }
    return;
  }
  const cJSON *item;
  cJSON_ArrayForEach(item, cJSON_GetObjectItem(m->dups, part == 3 ? "pairs" : "clusters")) {
    if (part == 3 && !pair_accept(r, item)) continue;
    if (part == 3) {
      write_passages(&o, r, item);
    } else {
      gw_json_object_begin(w);
      write_cluster(&o, r, item);
      gw_json_object_end(w);
    }
    gw_json_newline(w);
    line_end(w, arg);
    if (w->failed) return;
  }
}
