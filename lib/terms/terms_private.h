/*
 * terms_private.h — the compiled term dictionary shared by the files of
 * terms/: dictionary.c (parsing terms.tsv, compiling the keys), automaton.c
 * (the Aho-Corasick automata and the scan), integrity.c (broken
 * formulations) and match.c (matching a document, outdated formulations).
 * Private.
 */
#ifndef GW_TERMS_PRIVATE_H
#define GW_TERMS_PRIVATE_H

#include "internal.h"
#include "names.h"

#define MAX_KEY_CHARS 63
#define MAX_PARTS 32
#define RING 64 /* > MAX_KEY_CHARS, power of two */

enum { SEP_NONE = 0, SEP_PART = 1, SEP_TRANSPARENT = 2 };
#define CLS_PART 0xFFFFu
#define CLS_TRANSPARENT 0xFFFEu
#define CLS_MAX 0xFFF0u

static inline int gw_terms_sep_kind(int32_t cp) {
  switch (cp) {
  case 0x3001: case 0xFF0C: case ',': case 0xFF1B: case ';':
    return SEP_PART;
  case ' ': case '\t': case 0x3000: case 0x201C: case 0x201D: case 0x2018:
  case 0x2019: case '"': case '\'': case 0x300A: case 0x300B: case 0x300C:
  case 0x300D: case 0x3008: case 0x3009:
    return SEP_TRANSPARENT;
  default:
    return SEP_NONE;
  }
}

/* ------------------------------------------------------------------ */
/* Data                                                                 */
/* ------------------------------------------------------------------ */

typedef struct term_entry {
  gw_term pub;
  char *text, *category, *superseded, *note;
  char **variants;
  char **parts;
  size_t part_count;
  size_t successor; /* resolved superseded_by, or GW_NO_OFFSET */
  size_t file;      /* index in gw_terms.files */
  size_t line;
  gw_name name;     /* the generated name this term is (kind NONE: none) */
} term_entry;

typedef struct key_rec {
  int32_t *cps;
  size_t len;          /* code points */
  size_t bytes;        /* UTF-8 length */
  size_t term, form;   /* parts automaton: first occurrence index */
  size_t occ_count;    /* parts automaton: occurrences */
  uint64_t boundaries; /* bit i: a part separator may stand before char i */
} key_rec;

typedef struct part_occ {
  size_t term, part;
} part_occ;

typedef struct automaton {
  uint32_t *first;   /* node n's edges: [first[n], first[n+1]) */
  uint32_t *edge_cls;
  uint32_t *edge_to;
  uint32_t *fail;
  int32_t *out;      /* key ending here, or -1 */
  uint32_t *out_link; /* next state on the fail chain with an output, 0: none */
  uint32_t *first_out; /* the state itself if it has an output, else out_link */
  /* Bit (class % 64) set for each class a state has an edge for: most
   * steps leave a state by a class it has no edge for, and the bit says so
   * without probing the hash. */
  uint64_t *edge_bits;
  uint32_t *root_next; /* per class */
  /* The whole transition function, failure links followed, when it is
   * small enough (DFA_MAX_CELLS): row per state, column per class; bit
   * DFA_OUTPUT marks a state with a key ending there (itself or on its
   * fail chain).  One load per character where the hash and the fail links
   * took several branches.  NULL: the steps go through the hash. */
  uint16_t *dfa;
  size_t stride; /* the classes: c->class_count */
  size_t nodes, edges;
  /* The edges of every state but the root again, hashed by (state, class):
   * one probe where a binary search over the edges took several. */
  struct edge_slot { uint64_t key; uint32_t to; } *slots; /* key 0: empty */
  uint64_t slot_mask;
  unsigned slot_shift;
} automaton;

#define DFA_OUTPUT 0x8000u
#define DFA_STATE 0x7FFFu
/* At most this many cells (two bytes each) in an automaton's table; 401
 * terms make about 1.5 million. */
#define DFA_MAX_CELLS ((size_t)4 << 20)

typedef struct compiled {
  key_rec *keys;
  size_t key_count;
  key_rec *pkeys;
  size_t pkey_count;
  part_occ *occs; /* grouped by part key */
  size_t occ_count;
  uint32_t *key_hash; /* open addressing: key index + 1, 0 empty */
  size_t hash_cap;
  /* Each BMP code point's class (low 16 bits) and CP_* bits
   * (shifted by CP_SHIFT): whether it starts a key of either automaton,
   * whether it may cue a generated name; one load per character in the
   * scan.  The scan steps over the characters with none of the bits it
   * needs while both automata are at their root. */
  uint32_t *cp_info;
  int32_t *astral_cp;
  uint32_t *astral_cls;
  size_t astral_count;
  uint32_t class_count;
  automaton terms_ac, parts_ac;
  /* The term of each generated name (GW_NO_OFFSET: not recognised), by
   * gw_terms_name_slot; NULL when no file asked for generated names. */
  size_t *name_term;
} compiled;

/* Kinds of generated names a file may ask for (@names KIND CATEGORY). */
#define GW_NAME_KINDS 7
typedef struct names_request {
  char *category;   /* NULL: not requested */
  size_t file, line;
} names_request;

/* Format versions of a term file (@format N): 1 the six columns, 2 adds
 * the `ended` column, YYYY-MM dates and the @names directive. */
#define GW_TERMS_FORMAT 2

struct gw_terms {
  term_entry *entries;
  size_t count, cap;
  size_t file_entries; /* entries read from files; generated ones follow */
  char **files;
  size_t file_count;
  names_request names[GW_NAME_KINDS];
  compiled c;
};

/* The slot of a generated name in compiled.name_term, or GW_NO_OFFSET. */
static inline size_t gw_terms_name_slot(gw_name_kind kind, int number, int sub) {
  if (kind <= GW_NAME_NONE || kind >= GW_NAME_KINDS || number < 0 ||
      number > GW_NAME_MAX_NUMBER || sub < 0 || sub > 9)
    return GW_NO_OFFSET;
  return ((size_t)kind * (GW_NAME_MAX_NUMBER + 1) + (size_t)number) * 10 + (size_t)sub;
}
#define GW_TERMS_NAME_SLOTS ((size_t)GW_NAME_KINDS * (GW_NAME_MAX_NUMBER + 1) * 10)


/* ------------------------------------------------------------------ */
/* Shared by the files of terms/                                        */
/* ------------------------------------------------------------------ */

/* Grow *p (elements of `size`) to hold at least `need`; 0 or -1. */
int gw_terms_grow(void **p, size_t *cap, size_t need, size_t size);

/* Code points of s[0..n) into out (at most max); returns the count or -1
 * when more than max.  Separators are dropped; part separators set bits. */
long gw_terms_form_key(const char *s, size_t n, int32_t *out, size_t max,
                       uint64_t *boundaries);

/* Bits of compiled.cp_info. */
#define CP_SHIFT 16
enum {
  CP_STARTS_TERM = 1 << CP_SHIFT, /* begins a key of the terms' automaton */
  CP_STARTS_PART = 2 << CP_SHIFT, /* begins a key of the parts' automaton */
  CP_NAME_CUE = 4 << CP_SHIFT,    /* 届 规 两 党 代 大 (gw_terms_scan_both) */
  CP_NAME_START = 8 << CP_SHIFT   /* gw_name_can_start() */
};
#define CP_CLASS 0xFFFFu

/* The character at u[i] (i < len): its code point in *cp, its length, as
 * gw_utf8_next gives them; ASCII and the three-byte sequences of Chinese
 * text without its tests. */
static inline size_t gw_terms_next_cp(const unsigned char *u, size_t i, size_t len,
                                      int32_t *cp) {
  if (u[i] < 0x80) {
    *cp = u[i];
    return 1;
  }
  if (gw_utf8_bmp3(u + i, len - i)) {
    *cp = (int32_t)(((u[i] & 0x0F) << 12) | ((u[i + 1] & 0x3F) << 6) | (u[i + 2] & 0x3F));
    return 3;
  }
  return gw_utf8_next(u + i, len - i, cp);
}

/* automaton.c */
int gw_terms_build_classes(compiled *c);
/* c->cp_info's CP_* bits, once both automata are built. */
int gw_terms_build_cp_info(compiled *c);
int gw_terms_build_automaton(automaton *a, const compiled *c, const key_rec *keys,
                             size_t nkeys);
void gw_terms_automaton_free(automaton *a);

/* ------------------------------------------------------------------ */
/* Scanning                                                             */
/* ------------------------------------------------------------------ */

typedef struct hit {
  size_t start, end; /* offsets in the scanned text */
  size_t key;
} hit;

typedef struct hits {
  hit *v;
  size_t n, cap;
} hits;

/* Scan s[0..len) with the terms' automaton a and, unless b is NULL, the
 * parts' automaton b at once (the text decoded once): every key ending at
 * each character, in text order, appended to out and bout.  Unless
 * may_hold_name is NULL, *may_hold_name is set to 1 when the text may hold
 * a generated name (it has 届, 规, 两会, 党代, 代表, or a numeral before
 * 大): only then are the name patterns tried. */
int gw_terms_scan_both(const compiled *c, const automaton *a, const key_rec *keys,
                       hits *out, const automaton *b, const key_rec *bkeys,
                       hits *bout, const char *s, size_t len, int *may_hold_name);
/* Hits by start, longest first, then key. */
int gw_terms_hit_cmp(const void *a, const void *b);

/* ------------------------------------------------------------------ */
/* Results                                                              */
/* ------------------------------------------------------------------ */

struct gw_term_result {
  gw_term_match *matches;
  size_t match_count, match_cap;
  gw_broken_formulation *broken;
  size_t broken_count, broken_cap;
  gw_outdated_formulation *outdated;
  size_t outdated_count, outdated_cap;
  gw_stale_formulation *stale;
  size_t stale_count, stale_cap;
  int year;
  /* Scratch kept for gw_terms_rematch: one paragraph's hits (terms,
   * parts), and its code points (separators dropped) with their offsets. */
  hits th, ph;
  int32_t *cps;
  size_t *offs;
  size_t cps_cap, offs_cap;
};

static inline gw_range gw_terms_doc_range(const gw_document *doc, size_t ns, size_t ne) {
  gw_range r;
  r.norm_start = ns;
  r.norm_end = ne;
  r.start = gw_document_to_original(doc, ns);
  r.end = gw_document_to_original_end(doc, ne);
  return r;
}

/* The term a generated name at cps[0..n) stands for (the longest name
 * there), or GW_NO_OFFSET; *length: its length in code points. */
size_t gw_terms_name_term(const gw_terms *t, const int32_t *cps, size_t n, size_t *length);

/* judge.c: the outdated and stale formulations among r's matches, for
 * r->year (nothing when it is 0). */
int gw_terms_judge(gw_term_result *r, const gw_terms *t, const gw_document *doc);

/* The start of the character that ends at s[at] (lo <= result < at), and
 * that character in *cp. */
static inline size_t gw_terms_char_before(const char *s, size_t lo, size_t at, int32_t *cp) {
  size_t a = at - 1;
  while (a > lo && ((unsigned char)s[a] & 0xC0) == 0x80) a--;
  gw_utf8_next((const unsigned char *)s + a, at - a, cp);
  return a;
}

/* integrity.c: broken formulations in paragraph `paragraph` (text s[0..len))
 * from its part hits ph, sorted by gw_terms_hit_cmp. */
int gw_terms_find_broken(gw_term_result *r, const gw_terms *t, const gw_document *doc,
                         size_t paragraph, const char *s, size_t len, const hits *ph);

#endif /* GW_TERMS_PRIVATE_H */
