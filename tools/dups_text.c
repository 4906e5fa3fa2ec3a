/* dups_text.c — copy detection as a terminal shows it (see dups_text.h). */
#include "dups_text.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "text_out.h"

size_t gw_dups_copy_passages(const gw_dups *d, const gw_dups_pair *p) {
  size_t copies = 0;
  for (size_t k = 0; k < p->passage_count; k++)
    copies += gw_dups_passage_at(d, p->passage_first + k)->kind == GW_DUPS_COPY;
  return copies;
}

size_t gw_text_terminal_width(void) {
  struct winsize ws;
  size_t width = 80;
  const char *columns = getenv("COLUMNS");
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    width = ws.ws_col;
  else if (columns && atoi(columns) > 0)
    width = (size_t)atoi(columns);
  return width < 40 ? 40 : width;
}

void gw_dups_text_copy_ratio(FILE *out, const gw_dups *d, size_t first) {
  size_t n = gw_dups_document_count(d), high = 0, reports = n > first ? n - first : 0;
  double sum = 0, max = 0;
  for (size_t i = first; i < n; i++) {
    double r = gw_dups_document_at(d, i)->copy_ratio;
    sum += r;
    if (r > max) max = r;
    high += r >= 0.3;
  }
  fputs("Copy ratio: mean ", out);
  gw_text_put_percent(out, reports ? sum / (double)reports : 0);
  fputs(", max ", out);
  gw_text_put_percent(out, max);
  fprintf(out, "; %zu of %zu report%s at 30%% or more\n", high, reports, reports == 1 ? "" : "s");
}

typedef struct ranked_document {
  size_t index;
  double ratio;
} ranked_document;

static int by_ratio(const void *a, const void *b) {
  const ranked_document *x = a, *y = b;
  if (x->ratio != y->ratio) return x->ratio > y->ratio ? -1 : 1;
  return (x->index > y->index) - (x->index < y->index);
}

int gw_dups_text_reports(const gw_dups_view *t, size_t first, size_t limit) {
  FILE *out = t->out;
  size_t n = gw_dups_document_count(t->d), copied = 0;
  ranked_document *ranked = malloc((n ? n : 1) * sizeof *ranked);
  if (!ranked) return GW_ENOMEM;
  for (size_t i = first; i < n; i++) {
    double r = gw_dups_document_at(t->d, i)->copy_ratio;
    if (r > 0) ranked[copied++] = (ranked_document){i, r};
  }
  qsort(ranked, copied, sizeof *ranked, by_ratio);
  fputs("\nMost copied reports (copy ratio: characters copied from another report\n"
        "over its own, official formulations excluded):\n", out);
  if (!copied) fputs("  none\n", out);
  for (size_t k = 0; k < copied && k < limit; k++) {
    const gw_dups_document *di = gw_dups_document_at(t->d, ranked[k].index);
    fputs("  ", out);
    gw_text_put_percent(out, ranked[k].ratio);
    fputs("  ", out);
    gw_text_put_name(out, t->paths[ranked[k].index]);
    if (di->source_count) {
      const gw_dups_source *src = gw_dups_source_at(t->d, di->source_first);
      fputs("  main source ", out);
      gw_text_put_name(out, t->paths[src->document]);
      fputs(" (", out);
      gw_text_put_percent(out, src->share);
      fputs(")", out);
    }
    fputc('\n', out);
  }
  if (copied > limit) fprintf(out, "  ... %zu more\n", copied - limit);
  free(ranked);
  return GW_OK;
}

/* A passage as it stands in its file, with the punctuation that belongs to
 * it (gw_dups_widen_shown: （二）, not 二）), on one line, when the file is
 * UTF-8 and can be read again; NULL otherwise (the caller then shows the
 * characters compared, without punctuation). */
static char *original_passage(const char *path, const gw_dups_range *r, size_t *len) {
  if (strcmp(path, GW_CLI_STDIN) == 0 || r->end <= r->start) return NULL;
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t lo = r->start > GW_DUPS_SHOWN_MARGIN ? r->start - GW_DUPS_SHOWN_MARGIN : 0;
  size_t want = r->end + GW_DUPS_SHOWN_MARGIN - lo, start = r->start - lo, end = r->end - lo;
  char *text = malloc(want + 1);
  size_t got = text && fseek(f, (long)lo, SEEK_SET) == 0 ? fread(text, 1, want, f) : 0;
  int ok = got >= end && gw_dups_widen_shown(&start, &end, text, got) == GW_OK &&
           gw_text_is_utf8(text + start, end - start);
  fclose(f);
  if (!ok) {
    free(text);
    return NULL;
  }
  memmove(text, text + start, end - start);
  *len = gw_text_one_line(text, end - start);
  text[*len] = '\0';
  return text;
}

int gw_dups_text_quote(FILE *out, const gw_dups *d, size_t document, const gw_dups_range *r,
                       const char *path, size_t width) {
  size_t len;
  char *text = path ? original_passage(path, r, &len) : NULL;
  int from_library = !text;
  int rc = from_library ? gw_dups_text(d, document, r->char_start, r->char_end, &text, &len, NULL)
                        : GW_OK;
  if (rc) return rc;
  fputs("      \xE2\x80\x9C", out);
  gw_text_put_excerpt(out, text, len, width);
  fputs("\xE2\x80\x9D\n", out);
  if (from_library)
    gw_free(text);
  else
    free(text);
  return GW_OK;
}

/* In a batch, whether document i is one of the batch's. */
static int in_batch(const gw_dups_batch *b, size_t document) { return document >= b->first; }

/* A document as a pair or family names it. */
static void put_name(const gw_dups_view *t, const gw_dups_batch *b, size_t document) {
  if (b) b->put_name(t->out, document, b->payload);
  else gw_text_put_name(t->out, t->paths[document]);
}

static int put_quote(const gw_dups_view *t, const gw_dups_batch *b, size_t document,
                     const gw_dups_range *r) {
  return gw_dups_text_quote(t->out, t->d, document, r, b ? NULL : t->paths[document],
                            t->excerpt_chars);
}

/* "PATH line L" (or PATH alone without positions); in a batch, whose
 * names stand on the line above, "line L". */
static void put_place(const gw_dups_view *t, const gw_dups_batch *b, size_t document,
                      size_t offset) {
  if (!b) gw_text_put_name(t->out, t->paths[document]);
  if (!t->positions) return;
  size_t line, column;
  gw_positions_at(&t->positions[document], offset, &line, &column);
  fprintf(t->out, b ? "line %zu" : " line %zu", line);
}

enum { MEMBERS_SHOWN = 3 };

/* The first reports of a family, each once with the lines its copies
 * start on ("PATH lines 18 and 20": a report may hold the passage twice;
 * members come by document), then how many reports more. */
static void put_members(const gw_dups_view *t, const gw_dups_family *f) {
  size_t shown = 0, m = 0;
  while (m < f->member_count && shown < MEMBERS_SHOWN) {
    size_t document = gw_dups_family_member_at(t->d, f->member_first + m)->document;
    size_t end = m + 1;
    while (end < f->member_count &&
           gw_dups_family_member_at(t->d, f->member_first + end)->document == document)
      end++;
    if (shown++) fputs(", ", t->out);
    gw_text_put_name(t->out, t->paths[document]);
    if (t->positions) fputs(end - m > 1 ? " lines" : " line", t->out);
    for (size_t k = m; t->positions && k < end; k++) {
      const gw_dups_family_member *member = gw_dups_family_member_at(t->d, f->member_first + k);
      size_t line, column;
      gw_positions_at(&t->positions[document], member->range.start, &line, &column);
      fprintf(t->out, "%s%zu", k == m ? " " : k + 1 == end ? " and " : ", ", line);
    }
    m = end;
  }
  if (f->documents > shown)
    fprintf(t->out, ", and %zu more report%s", f->documents - shown,
            f->documents - shown > 1 ? "s" : "");
}

const gw_dups_passage *gw_dups_longest_copy(const gw_dups *d, const gw_dups_pair *p) {
  const gw_dups_passage *best = NULL;
  for (size_t k = 0; k < p->passage_count; k++) {
    const gw_dups_passage *ps = gw_dups_passage_at(d, p->passage_first + k);
    if (ps->kind == GW_DUPS_COPY &&
        (!best || ps->a.char_end - ps->a.char_start > best->a.char_end - best->a.char_start))
      best = ps;
  }
  return best;
}

/* The pair's longest copied passage, cut to a line. */
static int sample_passage(const gw_dups_view *t, const gw_dups_batch *b, const gw_dups_pair *p) {
  const gw_dups_passage *best = gw_dups_longest_copy(t->d, p);
  if (!best) return GW_OK;
  if (t->positions) {
    fputs("      ", t->out);
    put_place(t, b, p->a, best->a.start);
    fputs(" ~ ", t->out);
    put_place(t, b, p->b, best->b.start);
    fputc('\n', t->out);
  }
  return put_quote(t, b, p->a, &best->a);
}

/* The pairs (with a batch report, in a batch) with copying. */
static int pairs(const gw_dups_view *t, const gw_dups_batch *b, size_t limit) {
  FILE *out = t->out;
  fputs(b ? "\nMost copied pairs with a batch report:\n" : "\nMost copied pairs:\n", out);
  size_t listed = 0;
  int rc = GW_OK;
  for (size_t i = 0; !rc && i < gw_dups_pair_count(t->d) && listed < limit; i++) {
    const gw_dups_pair *p = gw_dups_pair_at(t->d, i);
    if (!p->copied_a && !p->copied_b) break; /* pairs come by copied characters */
    if (b && !in_batch(b, p->a) && !in_batch(b, p->b)) continue;
    size_t copies = gw_dups_copy_passages(t->d, p);
    fputs("  ", out);
    put_name(t, b, p->a);
    fputs(" ~ ", out);
    put_name(t, b, p->b);
    fputs(b ? "\n    similarity " : ": similarity ", out);
    gw_text_put_percent(out, p->similarity);
    fprintf(out, ", %zu and %zu characters in %zu passage%s", p->copied_a, p->copied_b, copies,
            copies == 1 ? "" : "s");
    if (b) fprintf(out, ", %s", gw_relation_name(b->relation(p->b, p->a, b->payload)));
    fputc('\n', out);
    rc = sample_passage(t, b, p);
    listed++;
  }
  if (!listed) fputs("  none\n", out);
  return rc;
}

int gw_dups_text_pairs(const gw_dups_view *t, size_t limit) { return pairs(t, NULL, limit); }

int gw_dups_text_batch_pairs(const gw_dups_view *t, const gw_dups_batch *b, size_t limit) {
  return pairs(t, b, limit);
}

/* A batch family's first members, each on its line with the line it
 * starts on, then how many more. */
static void put_member_lines(const gw_dups_view *t, const gw_dups_batch *b,
                             const gw_dups_family *f) {
  for (size_t k = 0; k < f->member_count && k < MEMBERS_SHOWN; k++) {
    const gw_dups_family_member *m = gw_dups_family_member_at(t->d, f->member_first + k);
    fputs("      ", t->out);
    put_name(t, b, m->document);
    fputc(' ', t->out);
    put_place(t, b, m->document, m->range.start);
    fputc('\n', t->out);
  }
  if (f->member_count > MEMBERS_SHOWN)
    fprintf(t->out, "      ... %zu more\n", f->member_count - MEMBERS_SHOWN);
}

/* The members of f from batch b. */
static size_t batch_members(const gw_dups_view *t, const gw_dups_batch *b,
                            const gw_dups_family *f) {
  size_t n = 0;
  for (size_t k = 0; k < f->member_count; k++)
    n += in_batch(b, gw_dups_family_member_at(t->d, f->member_first + k)->document);
  return n;
}

/* The families (holding a batch report, in a batch), in the library's
 * order: most documents, then most characters, first. */
static int families(const gw_dups_view *t, const gw_dups_batch *b, size_t limit) {
  FILE *out = t->out;
  fputs(b ? "\nLargest families holding a batch report (text shared by several reports;\n"
            "archive members are the candidates loaded):\n"
          : "\nLargest families (text shared by several reports):\n",
        out);
  size_t listed = 0, total = 0;
  int rc = GW_OK;
  for (size_t i = 0; !rc && i < gw_dups_family_count(t->d); i++) {
    const gw_dups_family *f = gw_dups_family_at(t->d, i);
    size_t from_batch = b ? batch_members(t, b, f) : 0;
    if (b && !from_batch) continue;
    total++;
    if (listed == limit) continue;
    fprintf(out, "  %zu reports", f->documents);
    if (b) fprintf(out, " (%zu member%s from the batch)", from_batch, from_batch == 1 ? "" : "s");
    fprintf(out, ", %zu characters", f->characters);
    if (f->earliest_year) fprintf(out, ", earliest %d", f->earliest_year);
    fputc('\n', out);
    const gw_dups_family_member *text =
        gw_dups_family_member_at(t->d, f->member_first + f->text_member);
    rc = put_quote(t, b, text->document, &text->range);
    if (b) {
      put_member_lines(t, b, f);
    } else {
      fputs("      ", out);
      put_members(t, f);
      fputc('\n', out);
    }
    listed++;
  }
  if (!listed) fputs("  none\n", out);
  else if (total > listed)
    fprintf(out, b ? "  ... %zu more families\n" : "  ... %zu more\n", total - listed);
  return rc;
}

int gw_dups_text_families(const gw_dups_view *t, size_t limit) {
  return families(t, NULL, limit);
}

int gw_dups_text_batch_families(const gw_dups_view *t, const gw_dups_batch *b, size_t limit) {
  return families(t, b, limit);
}

void gw_dups_text_self_copies(const gw_dups_view *t, const gw_dups_batch *b, size_t limit) {
  FILE *out = t->out;
  fputs("\nSelf-copy year over year (a unit's own report of an earlier year):\n", out);
  size_t listed = 0, more = 0;
  for (size_t i = b->first; i < gw_dups_document_count(t->d); i++) {
    const gw_dups_document *di = gw_dups_document_at(t->d, i);
    for (size_t s = 0; s < di->source_count; s++) {
      const gw_dups_source *src = gw_dups_source_at(t->d, di->source_first + s);
      if (b->relation(i, src->document, b->payload) != GW_RELATION_SELF_EARLIER) continue;
      if (listed == limit) {
        more++;
        continue;
      }
      fputs("  ", out);
      gw_text_put_percent(out, src->share);
      fputs("  ", out);
      put_name(t, b, i);
      fputs(" from ", out);
      put_name(t, b, src->document);
      fputc('\n', out);
      listed++;
    }
  }
  if (!listed) fputs("  none\n", out);
  if (more) fprintf(out, "  ... %zu more\n", more);
}
