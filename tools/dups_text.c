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

/* A passage as it stands in its file, on one line, when the file is UTF-8
 * and can be read again; NULL otherwise (the caller then shows the
 * characters compared, without punctuation). */
static char *original_passage(const char *path, const gw_dups_range *r, size_t *len) {
  if (strcmp(path, GW_CLI_STDIN) == 0 || r->end <= r->start) return NULL;
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t n = r->end - r->start;
  char *text = malloc(n + 1);
  int ok = text && fseek(f, (long)r->start, SEEK_SET) == 0 && fread(text, 1, n, f) == n &&
           gw_text_is_utf8(text, n);
  fclose(f);
  if (!ok) {
    free(text);
    return NULL;
  }
  *len = gw_text_one_line(text, n);
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

static int put_quote(const gw_dups_view *t, size_t document, const gw_dups_range *r) {
  return gw_dups_text_quote(t->out, t->d, document, r, t->paths[document], t->excerpt_chars);
}

/* "PATH line L" (or PATH alone without positions). */
static void put_place(const gw_dups_view *t, size_t document, size_t offset) {
  gw_text_put_name(t->out, t->paths[document]);
  if (!t->positions) return;
  size_t line, column;
  gw_positions_at(&t->positions[document], offset, &line, &column);
  fprintf(t->out, " line %zu", line);
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
static int sample_passage(const gw_dups_view *t, const gw_dups_pair *p) {
  const gw_dups_passage *best = gw_dups_longest_copy(t->d, p);
  if (!best) return GW_OK;
  if (t->positions) {
    fputs("      ", t->out);
    put_place(t, p->a, best->a.start);
    fputs(" ~ ", t->out);
    put_place(t, p->b, best->b.start);
    fputc('\n', t->out);
  }
  return put_quote(t, p->a, &best->a);
}

int gw_dups_text_pairs(const gw_dups_view *t, size_t limit) {
  FILE *out = t->out;
  fputs("\nMost copied pairs:\n", out);
  size_t listed = 0;
  int rc = GW_OK;
  for (size_t i = 0; !rc && i < gw_dups_pair_count(t->d) && listed < limit; i++) {
    const gw_dups_pair *p = gw_dups_pair_at(t->d, i);
    if (!p->copied_a && !p->copied_b) break; /* pairs come by copied characters */
    size_t copies = gw_dups_copy_passages(t->d, p);
    fputs("  ", out);
    gw_text_put_name(out, t->paths[p->a]);
    fputs(" ~ ", out);
    gw_text_put_name(out, t->paths[p->b]);
    fputs(": similarity ", out);
    gw_text_put_percent(out, p->similarity);
    fprintf(out, ", %zu and %zu characters in %zu passage%s\n", p->copied_a, p->copied_b,
            copies, copies == 1 ? "" : "s");
    rc = sample_passage(t, p);
    listed++;
  }
  if (!listed) fputs("  none\n", out);
  return rc;
}

typedef struct ranked_family {
  size_t index, documents, characters;
} ranked_family;

/* Most documents first, then the longest text, then as found. */
static int by_reach(const void *a, const void *b) {
  const ranked_family *x = a, *y = b;
  if (x->documents != y->documents) return x->documents > y->documents ? -1 : 1;
  if (x->characters != y->characters) return x->characters > y->characters ? -1 : 1;
  return (x->index > y->index) - (x->index < y->index);
}


int gw_dups_text_families(const gw_dups_view *t, size_t limit) {
  FILE *out = t->out;
  size_t n = gw_dups_family_count(t->d);
  fputs("\nLargest families (text shared by several reports):\n", out);
  if (!n) {
    fputs("  none\n", out);
    return GW_OK;
  }
  ranked_family *ranked = malloc(n * sizeof *ranked);
  if (!ranked) return GW_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    const gw_dups_family *f = gw_dups_family_at(t->d, i);
    ranked[i] = (ranked_family){i, f->documents, f->characters};
  }
  qsort(ranked, n, sizeof *ranked, by_reach);
  int rc = GW_OK;
  for (size_t k = 0; !rc && k < n && k < limit; k++) {
    const gw_dups_family *f = gw_dups_family_at(t->d, ranked[k].index);
    fprintf(out, "  %zu reports, %zu characters", f->documents, f->characters);
    if (f->earliest_year) fprintf(out, ", earliest %d", f->earliest_year);
    fputc('\n', out);
    const gw_dups_family_member *text =
        gw_dups_family_member_at(t->d, f->member_first + f->text_member);
    rc = put_quote(t, text->document, &text->range);
    fputs("      ", out);
    put_members(t, f);
    fputc('\n', out);
  }
  if (n > limit) fprintf(out, "  ... %zu more\n", n - limit);
  free(ranked);
  return rc;
}
