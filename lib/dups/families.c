/*
 * families.c — template families: the copy passages' sides joined into
 * groups of documents holding one text.
 *
 * Members: in a document, sides overlapping on half of the shorter of the
 * two or more are one member (the same text, compared with several
 * documents, or a stretch inside it).  Joins: a passage joins the members
 * of its two sides only when, in each of its two documents, the passages
 * between those two documents cover half of the member or more.  So a
 * report joins a family only where it holds most of the family's text: a
 * short stretch that a third document shares inside a long passage joins
 * neither document to the other's family (it stays copying between the
 * two, counted in their pairs and sources), and an edited copy whose
 * passage with a member was cut in two by an edit still joins through
 * both pieces.  Union-find joins the members into families.  A passage
 * copied into n documents is one family of n members, made in
 * O(n log n) from the O(n) passages that seed_group (runs.c) pairs
 * through a hub.
 */
#include <stdlib.h>
#include <string.h>

#include "dups_stages.h"

GW_DUPS_GROUP_SORT(merge_sides, gw_dups_side, gw_dups_side_before)

int gw_dups_sort_sides(gw_dups_side *sides, size_t n) {
  gw_dups_side *tmp = NULL;
  if (n > GW_DUPS_GROUP_BLOCK && !(tmp = malloc(n * sizeof *tmp))) return GW_ENOMEM;
  merge_sides(sides, n, tmp);
  free(tmp);
  return GW_OK;
}

/* A member: a document's characters [a, b), the union of overlapping
 * sides. */
typedef struct member {
  uint32_t doc, a, b;
} member;

/* A family while it is sorted for the report. */
typedef struct family_sort {
  uint32_t root, first;   /* its first member */
  uint32_t members, documents;
  uint32_t text_member;   /* 0-based in the family */
  uint32_t characters;
  int year;
} family_sort;

static int cmp_family(const void *x, const void *y) {
  const family_sort *p = x, *q = y;
  if (p->documents != q->documents) return p->documents > q->documents ? -1 : 1;
  if (p->characters != q->characters) return p->characters > q->characters ? -1 : 1;
  return (p->first > q->first) - (p->first < q->first);
}

typedef struct family_work {
  member *members;
  size_t n_members;
  uint32_t *member_of;  /* per side (sorted) */
  uint32_t *parent;     /* per member */
  uint32_t *span_member; /* per passage: the member of its first side */
  uint8_t *weak;        /* per passage: a side lies inside a longer text */
  family_sort *fs;      /* per root, then the families reported */
} family_work;

static void family_work_free(family_work *w) {
  free(w->members); free(w->member_of); free(w->parent); free(w->span_member); free(w->weak);
  free(w->fs);
}

/* Sides by document, start, the longest first: a member's first side is
 * the longest of those starting where it starts. */
static int side_longest_first(const gw_dups_side *p, const gw_dups_side *q) {
  if (p->doc != q->doc) return p->doc < q->doc;
  if (p->a != q->a) return p->a < q->a;
  if (p->b != q->b) return p->b > q->b;
  return p->span < q->span;
}

GW_DUPS_GROUP_SORT(sort_longest_first, gw_dups_side, side_longest_first)

/* The members of one document still open to the sides after the one met
 * (those ending after its start), at most OPEN_MEMBERS of them: beyond,
 * the oldest is closed (a side then starts a member where it might have
 * joined one: families are split, never joined wrongly). */
#define OPEN_MEMBERS 32

/* The characters [a, b) and [c, d) share. */
static uint32_t overlap_of(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  uint32_t lo = a > c ? a : c, hi = b < d ? b : d;
  return hi > lo ? hi - lo : 0;
}

/* The member of side s: the open member it overlaps on half of the
 * shorter of the two or more (the largest overlap, the oldest of equals),
 * grown to hold it; else a new member.  open[0 .. *n_open) are member
 * indexes in w, oldest first. */
static uint32_t member_for(family_work *w, const gw_dups_side *s, uint32_t *open,
                           size_t *n_open) {
  size_t kept = 0, best = SIZE_MAX;
  uint32_t best_overlap = 0, len = s->b - s->a;
  for (size_t k = 0; k < *n_open; k++) {
    const member *m = &w->members[open[k]];
    if (m->b <= s->a) continue; /* closed: sides come by start */
    uint32_t overlap = overlap_of(s->a, s->b, m->a, m->b);
    uint32_t shorter = len < m->b - m->a ? len : m->b - m->a;
    if (2 * (uint64_t)overlap >= shorter && overlap > best_overlap) {
      best_overlap = overlap;
      best = kept;
    }
    open[kept++] = open[k];
  }
  *n_open = kept;
  if (best != SIZE_MAX) {
    member *m = &w->members[open[best]];
    if (s->b > m->b) m->b = s->b;
    return open[best];
  }
  uint32_t made = (uint32_t)w->n_members++;
  w->members[made] = (member){s->doc, s->a, s->b};
  if (*n_open == OPEN_MEMBERS) {
    memmove(open, open + 1, (OPEN_MEMBERS - 1) * sizeof *open);
    (*n_open)--;
  }
  open[(*n_open)++] = made;
  return made;
}

/* A side of one document, for the coverage of its member by the passages
 * with one other document. */
typedef struct side_cover {
  uint32_t partner, member; /* the document of its passage's other side; its member */
  uint32_t a, b;
  uint32_t span;
} side_cover;

static int cmp_by_partner(const void *x, const void *y) {
  const side_cover *p = x, *q = y;
  if (p->partner != q->partner) return p->partner < q->partner ? -1 : 1;
  if (p->a != q->a) return p->a < q->a ? -1 : 1;
  if (p->b != q->b) return p->b < q->b ? -1 : 1;
  return (p->span > q->span) - (p->span < q->span);
}

static int cmp_by_member(const void *x, const void *y) {
  const side_cover *p = x, *q = y;
  if (p->member != q->member) return p->member < q->member ? -1 : 1;
  return (p->span > q->span) - (p->span < q->span);
}

/* The characters of [a, b) inside the sorted disjoint intervals iv[0 .. n). */
static size_t covered_of(const member *iv, size_t n, uint32_t a, uint32_t b) {
  size_t lo = 0, hi = n, covered = 0;
  while (lo < hi) { /* the first interval ending after a */
    size_t mid = lo + (hi - lo) / 2;
    if (iv[mid].b <= a) lo = mid + 1; else hi = mid;
  }
  for (size_t i = lo; i < n && iv[i].a < b; i++) covered += overlap_of(a, b, iv[i].a, iv[i].b);
  return covered;
}

/* The passages of one document (side[0 .. n)) weak in it: those whose
 * member the passages with the same other document (any of them, in any
 * member) cover for less than half.  w->weak set for them; iv is scratch
 * for n intervals. */
static void mark_weak(family_work *w, side_cover *side, size_t n, member *iv) {
  if (n > 1) qsort(side, n, sizeof *side, cmp_by_partner);
  for (size_t i = 0; i < n;) {
    size_t j = i, n_iv = 0;
    for (; j < n && side[j].partner == side[i].partner; j++) {
      if (n_iv && side[j].a <= iv[n_iv - 1].b) {
        if (side[j].b > iv[n_iv - 1].b) iv[n_iv - 1].b = side[j].b;
      } else {
        iv[n_iv++] = (member){0, side[j].a, side[j].b};
      }
    }
    if (j - i > 1) qsort(side + i, j - i, sizeof *side, cmp_by_member);
    for (size_t k = i; k < j;) {
      size_t l = k;
      while (l < j && side[l].member == side[k].member) l++;
      const member *m = &w->members[side[k].member];
      if (2 * covered_of(iv, n_iv, m->a, m->b) < (size_t)(m->b - m->a))
        for (size_t x = k; x < l; x++) w->weak[side[x].span] = 1;
      k = l;
    }
    i = j;
  }
}

/* Sides (sorted) → members; each side's member; the members of a passage
 * joined unless it is weak (w->weak, see mark_weak). */
static int join_members(gw_dups_side *sides, size_t n, family_work *w) {
  size_t spans = n / 2;
  w->members = malloc((n + 1) * sizeof *w->members);
  w->member_of = malloc((n + 1) * sizeof *w->member_of);
  w->parent = malloc((n + 1) * sizeof *w->parent);
  w->span_member = malloc((spans + 1) * sizeof *w->span_member);
  w->weak = calloc(spans + 1, 1);
  side_cover *cover = malloc((n + 1) * sizeof *cover);
  member *iv = malloc((n + 1) * sizeof *iv);
  if (!w->members || !w->member_of || !w->parent || !w->span_member || !w->weak || !cover ||
      !iv) {
    free(cover);
    free(iv);
    return GW_ENOMEM;
  }
  /* The other side's document, through the first side met of each
   * passage. */
  for (size_t s = 0; s < spans; s++) w->span_member[s] = UINT32_MAX;
  for (size_t i = 0; i < n; i++) {
    uint32_t *first = &w->span_member[sides[i].span];
    if (*first == UINT32_MAX) {
      *first = (uint32_t)i;
    } else {
      cover[i].partner = sides[*first].doc;
      cover[*first].partner = sides[i].doc;
    }
  }
  uint32_t open[OPEN_MEMBERS];
  size_t n_open = 0, doc_first = 0;
  for (size_t i = 0; i < n; i++) {
    if (i > 0 && sides[i].doc != sides[i - 1].doc) {
      mark_weak(w, cover + doc_first, i - doc_first, iv);
      doc_first = i;
      n_open = 0;
    }
    w->member_of[i] = member_for(w, &sides[i], open, &n_open);
    cover[i].member = w->member_of[i];
    cover[i].a = sides[i].a;
    cover[i].b = sides[i].b;
    cover[i].span = sides[i].span;
  }
  if (n) mark_weak(w, cover + doc_first, n - doc_first, iv);
  free(cover);
  free(iv);
  for (size_t m = 0; m < w->n_members; m++) w->parent[m] = (uint32_t)m;
  for (size_t s = 0; s < spans; s++) w->span_member[s] = UINT32_MAX;
  for (size_t i = 0; i < n; i++) {
    uint32_t *first = &w->span_member[sides[i].span];
    if (*first == UINT32_MAX) { *first = w->member_of[i]; continue; }
    if (w->weak[sides[i].span]) continue;
    uint32_t rx = gw_dups_find_root(w->parent, *first), ry = gw_dups_find_root(w->parent, w->member_of[i]);
    uint32_t r = rx < ry ? rx : ry;
    w->parent[rx] = r;
    w->parent[ry] = r;
  }
  return GW_OK;
}

/* Per member that is a root: its tree's members and distinct documents
 * (members are in document order) into members[] and docs[]. */
static int count_trees(const family_work *w, uint32_t **members, uint32_t **docs) {
  size_t n = w->n_members;
  uint32_t *mem = calloc(n + 1, sizeof *mem), *dc = calloc(n + 1, sizeof *dc);
  uint32_t *last = malloc((n + 1) * sizeof *last);
  if (!mem || !dc || !last) {
    free(mem); free(dc); free(last);
    return GW_ENOMEM;
  }
  for (size_t m = 0; m < n; m++) {
    uint32_t r = gw_dups_find_root(w->parent, (uint32_t)m);
    if (mem[r] == 0 || last[r] != w->members[m].doc) dc[r]++;
    last[r] = w->members[m].doc;
    mem[r]++;
  }
  free(last);
  *members = mem;
  *docs = dc;
  return GW_OK;
}

/* Consecutive pieces of one passage (cut at paragraphs) whose families
 * hold as many documents and members, before any of these joins, are one
 * family: a passage copied whole over several paragraphs.  Pieces are the
 * spans 0 .. n_pieces - 1, in the order cut; whole[p] their passage. */
static int join_whole(family_work *w, const uint32_t *whole, size_t n_pieces) {
  uint32_t *members, *docs;
  if (count_trees(w, &members, &docs)) return GW_ENOMEM;
  uint32_t *root = malloc((n_pieces + 1) * sizeof *root);
  if (!root) {
    free(members); free(docs);
    return GW_ENOMEM;
  }
  for (size_t p = 0; p < n_pieces; p++) root[p] = gw_dups_find_root(w->parent, w->span_member[p]);
  for (size_t p = 0; p + 1 < n_pieces; p++) {
    uint32_t x = root[p], y = root[p + 1];
    if (whole[p] != whole[p + 1] || w->weak[p] || w->weak[p + 1] || x == y ||
        members[x] != members[y] || docs[x] != docs[y])
      continue;
    uint32_t rx = gw_dups_find_root(w->parent, x), ry = gw_dups_find_root(w->parent, y);
    uint32_t r = rx < ry ? rx : ry;
    w->parent[rx] = r;
    w->parent[ry] = r;
  }
  free(root); free(members); free(docs);
  return GW_OK;
}

/* Per root: members, distinct documents (members are in document order),
 * the earliest year; then the families reported, in w->fs[0 .. *n_out). */
static int group(const gw_dups *d, family_work *w, size_t *n_out) {
  size_t n = w->n_members;
  w->fs = calloc(n + 1, sizeof *w->fs);
  uint32_t *last_doc = malloc((n + 1) * sizeof *last_doc);
  if (!w->fs || !last_doc) {
    free(last_doc);
    return GW_ENOMEM;
  }
  for (size_t m = 0; m < n; m++) {
    uint32_t r = gw_dups_find_root(w->parent, (uint32_t)m);
    family_sort *f = &w->fs[r];
    uint32_t doc = w->members[m].doc;
    int year = d->docs[doc].year;
    if (f->members == 0) {
      f->root = r;
      f->first = (uint32_t)m;
      f->year = year;
    } else if (year > 0 && (f->year == 0 || year < f->year)) {
      f->year = year;
    }
    if (f->members == 0 || last_doc[r] != doc) f->documents++;
    last_doc[r] = doc;
    f->members++;
  }
  free(last_doc);
  size_t kept = 0;
  for (size_t m = 0; m < n; m++)
    if (w->fs[m].members && w->fs[m].documents >= GW_DUPS_FAMILY_MIN_DOCUMENTS)
      w->fs[kept++] = w->fs[m];
  *n_out = kept;
  return GW_OK;
}

/* The families reported (fs[0 .. n_fam)) into the handle.  A family's
 * members that follow each other or overlap in a document (the pieces of a
 * passage copied whole, cut at paragraphs) are one member; the text member
 * is the longest member of the earliest year (see below). */
static int write_families(gw_dups *d, family_work *w, size_t n_fam) {
  size_t n = w->n_members;
  member *co = malloc((n + 1) * sizeof *co);   /* members joined, in order */
  uint32_t *co_family = malloc((n + 1) * sizeof *co_family);
  uint32_t *slot = malloc((n + 1) * sizeof *slot); /* by root, then by old index */
  int32_t *last = malloc((n_fam + 1) * sizeof *last); /* its last member in co */
  if (!co || !co_family || !slot || !last) {
    free(co); free(co_family); free(slot); free(last);
    return GW_ENOMEM;
  }
  for (size_t m = 0; m < n; m++) slot[m] = UINT32_MAX;
  for (size_t f = 0; f < n_fam; f++) {
    slot[w->fs[f].root] = (uint32_t)f;
    last[f] = -1;
    w->fs[f].members = 0;
    w->fs[f].characters = 0;
  }
  size_t n_co = 0;
  for (size_t m = 0; m < n; m++) {
    uint32_t f = slot[gw_dups_find_root(w->parent, (uint32_t)m)];
    if (f == UINT32_MAX) continue;
    const member *mb = &w->members[m];
    if (last[f] >= 0 && co[last[f]].doc == mb->doc && mb->a <= co[last[f]].b) {
      if (mb->b > co[last[f]].b) co[last[f]].b = mb->b;
      continue;
    }
    last[f] = (int32_t)n_co;
    co_family[n_co] = f;
    co[n_co++] = *mb;
    w->fs[f].members++;
  }
  /* The text member, now that members are whole: the template as it first
   * appeared, so the earliest year's member (any member when no year is
   * known; the family's year is the earliest known), the longest of those
   * (the most whole copy of that first appearance), the first of equals in
   * input order.  Members come in input order, whatever the threads. */
  for (size_t f = 0; f < n_fam; f++) w->fs[f].text_member = UINT32_MAX;
  uint32_t *seen = (uint32_t *)last; /* members met per family (last is done) */
  for (size_t f = 0; f < n_fam; f++) seen[f] = 0;
  for (size_t c = 0; c < n_co; c++) {
    family_sort *fs = &w->fs[co_family[c]];
    int year = d->docs[co[c].doc].year;
    uint32_t length = co[c].b - co[c].a;
    if ((fs->year == 0 || year == fs->year) &&
        (fs->text_member == UINT32_MAX || length > fs->characters)) {
      fs->text_member = seen[co_family[c]];
      fs->characters = length;
    }
    seen[co_family[c]]++;
  }
  size_t n_mem = n_co;
  if (GW_DUPS_RESERVE(d->families, n_fam + 1) || GW_DUPS_RESERVE(d->family_members, n_mem + 1)) {
    free(co); free(co_family); free(slot); free(last);
    return GW_ENOMEM;
  }
  for (size_t f = 0; f < n_fam; f++) w->fs[f].root = (uint32_t)f; /* old index */
  qsort(w->fs, n_fam, sizeof *w->fs, cmp_family);
  size_t first = 0;
  for (size_t f = 0; f < n_fam; f++) {
    gw_dups_family *fam = &d->families[f];
    fam->documents = w->fs[f].documents;
    fam->member_first = first;
    fam->member_count = 0;
    fam->text_member = w->fs[f].text_member;
    fam->characters = w->fs[f].characters;
    fam->earliest_year = w->fs[f].year;
    slot[w->fs[f].root] = (uint32_t)f; /* old index → reported index */
    first += w->fs[f].members;
  }
  for (size_t c = 0; c < n_co; c++) {
    gw_dups_family *fam = &d->families[slot[co_family[c]]];
    const member *mb = &co[c];
    gw_dups_family_member *out = &d->family_members[fam->member_first + fam->member_count++];
    const gw_dups_doc *dd = &d->docs[mb->doc];
    size_t p = gw_dups_paragraph_at(d, mb->doc, mb->a);
    out->document = mb->doc;
    out->paragraph = p < dd->para_first + dd->para_count ? d->paras[p].paragraph : 0;
    out->range = gw_dups_range_of(d, mb->doc, mb->a, mb->b);
  }
  free(co); free(co_family); free(slot); free(last);
  d->families_count = n_fam;
  d->family_members_count = n_mem;
  return GW_OK;
}

int gw_dups_families(gw_dups *d, gw_dups_side *sides, size_t n) {
  family_work w;
  memset(&w, 0, sizeof w);
  size_t n_fam = 0;
  size_t n_pieces = n / 2;
  uint32_t *whole = malloc((n_pieces + 1) * sizeof *whole);
  if (!whole) return GW_ENOMEM;
  for (size_t i = 0; i < n; i++) whole[sides[i].span] = sides[i].whole;
  gw_dups_side *tmp = n > GW_DUPS_GROUP_BLOCK ? malloc(n * sizeof *tmp) : NULL;
  if (n > GW_DUPS_GROUP_BLOCK && !tmp) {
    free(whole);
    return GW_ENOMEM;
  }
  sort_longest_first(sides, n, tmp);
  free(tmp);
  int rc = join_members(sides, n, &w);
  if (!rc) rc = join_whole(&w, whole, n_pieces);
  free(whole);
  if (!rc) rc = group(d, &w, &n_fam);
  if (!rc) {
    /* Every side learns its family's documents. */
    uint32_t *members, *docs;
    rc = count_trees(&w, &members, &docs);
    for (size_t i = 0; !rc && i < n; i++)
      sides[i].documents = docs[gw_dups_find_root(w.parent, w.member_of[i])];
    if (!rc) { free(members); free(docs); }
  }
  if (!rc) rc = write_families(d, &w, n_fam);
  family_work_free(&w);
  return rc;
}
