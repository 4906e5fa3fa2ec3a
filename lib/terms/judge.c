/*
 * judge.c — outdated and stale formulations: a term cited in a report
 * written after it was replaced or after its campaign ended, judged by the
 * words around it (its frame), so that a report that recalls history is
 * not flagged.
 *
 * The frame of a match is its clause: the text before it back to the
 * nearest 。！？；，： (at most FRAME_CHARS characters), and the few
 * characters right after it.
 *   history   原 right before it; 回顾, 召开, 开展了, 总结, 期间, 历经 in the
 *             clause before it; 以来, 召开, 期间, 成果, 提出, 作出, 确立,
 *             以后, 之后, 后, 前, 时, 结束, 闭幕, 上的 right after it.
 *             A match in a history frame is never outdated nor stale.
 *   guide     贯彻, 落实, 学习, 领会 in the clause before it, or 为指导,
 *             为指引, 指引下, 为统领 right after it: a meeting cited as the
 *             current guide.  A meeting cited with its 精神 counts as
 *             guide too (学习贯彻 is often far ahead, before a list).
 *   ongoing   推进, 开展, 抓好, 启动, 开展好 in the clause before it: a
 *             campaign cited as under way.
 * Rules: a term with superseded_by (a formulation, or with `ended` an
 * institution's old name) is outdated when the report's year is after the
 * year it was replaced, unless in a history frame; a numbered meeting is
 * outdated after the next congress met, in a guide frame; a campaign (an
 * `ended` year, no superseded_by) is stale after its end, in an ongoing
 * frame.
 */
#include <stdlib.h>
#include <string.h>

#include "terms_private.h"

#define FRAME_CHARS 24
#define AFTER_BYTES 12 /* four Han characters */

static const char *const history_before[] = {"回顾", "召开", "开展了", "总结", "期间",
                                             "历经", NULL};
static const char *const history_after[] = {"以来", "召开", "期间", "成果", "提出", "作出",
                                            "确立", "以后", "之后", "后", "前", "时",
                                            "结束", "闭幕", "上的", NULL};
static const char *const guide_before[] = {"贯彻", "落实", "学习", "领会", NULL};
static const char *const guide_after[] = {"为指导", "为指引", "指引下", "为统领", NULL};
static const char *const ongoing_before[] = {"推进", "开展", "抓好", "启动", NULL};

static int is_clause_break(int32_t cp) {
  return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF1B || cp == 0xFF0C ||
         cp == 0xFF1A || cp == '\n' || cp == '!' || cp == '?' || cp == ';';
}

/* Where the clause that holds s[at] begins (in s[lo, at)). */
static size_t clause_start(const char *s, size_t lo, size_t at) {
  size_t b = at, chars = 0;
  while (b > lo && chars < FRAME_CHARS) {
    int32_t cp;
    size_t a = gw_terms_char_before(s, lo, b, &cp);
    if (is_clause_break(cp)) break;
    b = a;
    chars++;
  }
  return b;
}

static int contains_any(const char *s, size_t a, size_t b, const char *const *words) {
  for (size_t w = 0; words[w]; w++) {
    size_t n = strlen(words[w]);
    for (size_t i = a; i + n <= b; i++)
      if (memcmp(s + i, words[w], n) == 0) return 1;
  }
  return 0;
}

static int starts_with_any(const char *s, size_t at, size_t end, const char *const *words) {
  for (size_t w = 0; words[w]; w++) {
    size_t n = strlen(words[w]);
    if (at + n <= end && memcmp(s + at, words[w], n) == 0) return 1;
  }
  return 0;
}

typedef struct frame {
  int history, guide, ongoing, spirit;
} frame;

static frame frame_of(const char *norm, const gw_paragraph *p, const gw_term_match *m) {
  frame f = {0, 0, 0, 0};
  size_t lo = p->range.norm_start, hi = p->range.norm_end;
  size_t a = m->range.norm_start, b = m->range.norm_end;
  size_t c = clause_start(norm, lo, a);
  size_t after_end = b + AFTER_BYTES < hi ? b + AFTER_BYTES : hi;
  static const char yuan[] = "原", spirit[] = "精神";
  f.history = (a >= lo + 3 && memcmp(norm + a - 3, yuan, 3) == 0) ||
              contains_any(norm, c, a, history_before) ||
              starts_with_any(norm, b, after_end, history_after);
  f.guide = contains_any(norm, c, a, guide_before) ||
            starts_with_any(norm, b, after_end, guide_after);
  f.spirit = (b >= a + 6 && memcmp(norm + b - 6, spirit, 6) == 0) ||
             starts_with_any(norm, b, hi, (const char *const[]){spirit, NULL});
  f.ongoing = contains_any(norm, c, a, ongoing_before);
  return f;
}

static int push_outdated(gw_term_result *r, size_t match, size_t term, size_t successor,
                         int since, gw_outdated_kind kind) {
  if (gw_terms_grow((void **)&r->outdated, &r->outdated_cap, r->outdated_count + 1,
                    sizeof *r->outdated))
    return GW_ENOMEM;
  gw_outdated_formulation *o = &r->outdated[r->outdated_count++];
  o->match = match;
  o->term = term;
  o->successor = successor;
  o->since = since;
  o->kind = kind;
  return GW_OK;
}

static int push_stale(gw_term_result *r, size_t match, const term_entry *e, size_t term) {
  if (gw_terms_grow((void **)&r->stale, &r->stale_cap, r->stale_count + 1, sizeof *r->stale))
    return GW_ENOMEM;
  gw_stale_formulation *st = &r->stale[r->stale_count++];
  st->match = match;
  st->term = term;
  st->started = e->pub.introduced;
  st->ended = e->pub.ended;
  return GW_OK;
}

static int is_meeting(const term_entry *e) {
  return e->name.kind == GW_NAME_CONGRESS || e->name.kind == GW_NAME_PLENUM ||
         e->name.kind == GW_NAME_ALL_PLENUMS;
}

int gw_terms_judge(gw_term_result *r, const gw_terms *t, const gw_document *doc) {
  size_t len;
  const char *norm = gw_document_normalized(doc, &len);
  int rc = GW_OK;
  for (size_t i = 0; i < r->match_count && r->year && rc == GW_OK; i++) {
    const gw_term_match *m = &r->matches[i];
    const term_entry *e = &t->entries[m->term];
    /* A term inside a longer one is that one's mention (党的十九大 inside
     * 党的十九大和十九届历次全会精神): judged once, as the longer term. */
    if (m->kind != GW_TERM_COUNTED) continue;
    int replaced = e->successor != GW_NO_OFFSET;
    int campaign = !replaced && e->pub.ended;
    if (!replaced && !campaign) continue;
    int since = replaced ? (e->pub.ended ? e->pub.ended
                                         : t->entries[e->successor].pub.introduced)
                         : e->pub.ended;
    if (r->year <= since) continue;
    frame f = frame_of(norm, gw_document_paragraph(doc, m->paragraph), m);
    if (f.history) continue;
    if (campaign) {
      if (f.ongoing) rc = push_stale(r, i, e, m->term);
    } else if (is_meeting(e) && !e->superseded) {
      if (f.guide || f.spirit)
        rc = push_outdated(r, i, m->term, e->successor, since, GW_OUTDATED_MEETING);
    } else {
      rc = push_outdated(r, i, m->term, e->successor, since,
                         e->pub.ended ? GW_OUTDATED_RENAMED : GW_OUTDATED_SUPERSEDED);
    }
  }
  return rc;
}

const char *gw_outdated_kind_name(gw_outdated_kind kind) {
  switch (kind) {
  case GW_OUTDATED_SUPERSEDED: return "superseded";
  case GW_OUTDATED_MEETING: return "meeting";
  case GW_OUTDATED_RENAMED: return "renamed";
  }
  return "unknown";
}
