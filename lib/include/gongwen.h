/*
 * gongwen.h — the one public header of libgongwen.
 *
 * libgongwen analyses Chinese official reports (公文), the way the data flows:
 *
 *   file ─▶ formats (Word, WPS, PDF, OFD, HTML → text) ─▶ decode (UTF-8,
 *   GB18030, UTF-16) ─▶ normalize (a normalized view that sees through
 *   scraping and PDF noise, with a map back to the original bytes) ─▶
 *   structure (paragraphs, headings, sections, masks, noise, the year)
 *     ├─▶ segment: words with byte offsets (gw_dict, gw_segmenter)
 *     ├─▶ terms: policy terms, broken and outdated formulations, new-term
 *     │   discovery (gw_terms, gw_term_result, gw_discovery)
 *     └─▶ dups: copied passages, template families, near-duplicate
 *         paragraphs, copy ratios across a corpus (gw_dups)
 *           └─▶ archive: earlier years' reports kept on disk with what
 *               dups computed, a new batch checked against them
 *               (gw_meta, gw_archive, gw_archive_writer, gw_archive_check)
 *
 * The sections below follow that order.
 *
 * Conventions (kept by every function below)
 * ------------------------------------------
 * - Every exported name starts with gw_; handles are opaque.  Names are
 *   gw_<module>_<verb or thing>: constructors gw_x_new (empty or from
 *   options), gw_x_load_file and gw_x_load_buffer (parsed from a file or from
 *   memory); destructors gw_x_free; lists gw_x_<thing>_count(h) and
 *   gw_x_<thing>_at(h, index).
 * - A function that can fail returns 0 (GW_OK) or a negative GW_E* code.  When
 *   the caller passes a non-NULL gw_error, it is filled with the code and a
 *   message naming the file and, where there is one, the byte offset or line.
 *   Passing NULL for the error is always allowed.
 * - The output parameter comes first: `int gw_x_new(gw_x **out, ...)`; on
 *   failure *out is NULL.  Every gw_x_free accepts NULL.
 * - Ownership: the caller owns what a constructor returns and releases it
 *   with the matching gw_x_free; memory the library allocates for the caller
 *   otherwise (gw_dups_text) is released with gw_free.  Pointers returned by
 *   accessors (text, paragraphs, tokens) are borrowed: they stay valid until
 *   the owning handle is freed or, for a segmenter's tokens, until the next
 *   call on that segmenter.  A NULL handle given to an accessor is a caller
 *   error (as with free's double free), not checked.
 * - Options structs carry a version and have an _INIT macro; NULL means the
 *   defaults.  Any version from 1 to the current one is accepted: fields a
 *   newer version appended take their defaults for an older caller.
 * - Text is UTF-8 with an explicit length.  Positions are 0-based half-open
 *   byte ranges [start, end).  Every finding carries offsets into the
 *   ORIGINAL file bytes (before decoding), so a caller can highlight it; for
 *   Word, PDF, OFD and HTML files the original is the extracted text.
 * - The library never prints, never exits, never aborts (out of memory is
 *   GW_ENOMEM everywhere), and has no global mutable state.
 *
 * Thread safety
 * -------------
 * Immutable once built, shared by any number of threads: gw_dict (add user
 * dictionaries before sharing it), gw_noise, gw_normalizer, gw_terms (add every file before sharing it), and a
 * loaded gw_document, gw_extract or gw_meta.  One per thread: gw_segmenter
 * (per-call scratch space), gw_term_result, gw_discovery.  gw_dups: not
 * thread-safe, except gw_dups_prepare, which any number of threads may call
 * at once; gw_dups_run starts up to options.threads threads of its own and
 * joins them before it returns.  gw_archive, gw_archive_writer and
 * gw_archive_check: not thread-safe, except the archive's document loaders
 * (gw_archive_document_load and its kin), which several threads may call at
 * once; gw_archive_check_run uses threads as gw_dups_run does.
 */
#ifndef GONGWEN_H
#define GONGWEN_H

#include <stddef.h>
#include <stdint.h>

#include "gongwen_export.h"
#include "gongwen_version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Status codes and errors                                              */
/* ------------------------------------------------------------------ */

enum {
  GW_OK = 0,
  GW_ENOMEM = -1,    /* out of memory */
  GW_EINVAL = -2,    /* invalid argument or option */
  GW_EIO = -3,       /* cannot open or read a file (see gw_error.sys_errno) */
  GW_EISDIR = -4,    /* a directory was given where a file is needed */
  GW_EBINARY = -5,   /* the bytes are not text (NUL-heavy or binary) */
  GW_EENCODING = -6, /* invalid UTF-8, or undecodable in any known encoding */
  GW_EFORMAT = -7,   /* a malformed data file; the error names file:line */
  GW_ETOOBIG = -8,   /* input larger than the library handles (4 GiB - 16) */
  GW_ENOTFOUND = -9  /* a required data file could not be found */
};

#define GW_ERROR_MESSAGE_MAX 512

typedef struct gw_error {
  int code;          /* GW_E* */
  int sys_errno;     /* errno for GW_EIO, else 0 */
  size_t offset;     /* byte offset into the named file, or GW_NO_OFFSET */
  size_t line;       /* 1-based line in a data file, or 0 */
  char message[GW_ERROR_MESSAGE_MAX]; /* "FILE:OFFSET: what went wrong" */
} gw_error;

#define GW_NO_OFFSET ((size_t)-1)

/* A static English description of a GW_E* code. */
GW_EXPORT const char *gw_strerror(int code);

/* The library's version string, e.g. "0.1.0" (may differ from the header's
 * GW_VERSION_STRING when linked against another build). */
GW_EXPORT const char *gw_version(void);

/* Releases memory the library allocated for the caller (gw_dups_text);
 * NULL is allowed. */
GW_EXPORT void gw_free(void *memory);

/* ------------------------------------------------------------------ */
/* Noise patterns (dict/noise.txt)                                     */
/* ------------------------------------------------------------------ */

/* Compiled noise patterns: spans that are kept out of every analysis and
 * reported as removed noise (scraping markers, advertising lines). The file
 * format is documented in dict/README.md. */
typedef struct gw_noise gw_noise;

GW_EXPORT int gw_noise_load_file(gw_noise **out, const char *path, gw_error *err);
/* Parse patterns from memory; `name` is used in error messages. */
GW_EXPORT int gw_noise_load_buffer(gw_noise **out, const char *name,
                             const char *text, size_t len, gw_error *err);
GW_EXPORT void gw_noise_free(gw_noise *noise);

/* ------------------------------------------------------------------ */
/* Normalizer: traditional → simplified folding (OpenCC's t2s)         */
/* ------------------------------------------------------------------ */

typedef struct gw_normalizer gw_normalizer;

/* Builds the character folding table once (OpenCC's t2s, converted at
 * build time); paragraphs that are mostly traditional are also converted
 * phrase by phrase as OpenCC's t2s.json does, from its dictionaries
 * compiled into the library (OpenCC is not needed at run time).  Share it
 * between documents and threads: any number of threads may normalize with
 * one gw_normalizer at once.  Fails only with GW_ENOMEM. */
GW_EXPORT int gw_normalizer_new(gw_normalizer **out, gw_error *err);
GW_EXPORT void gw_normalizer_free(gw_normalizer *normalizer);

/* The version of the normalized view (decoding, noise removal, folding,
 * masks, paragraphs and their offsets): raised by every change that makes
 * any document's normalized text, masks or paragraphs differ, so that what
 * was stored from normalized text (an archive) is never mixed with a
 * library that would normalize the same file otherwise.
 * gw_normalizer_version() is the one this library was built with. */
#define GW_NORMALIZER_VERSION 1
GW_EXPORT unsigned gw_normalizer_version(void);

/* ------------------------------------------------------------------ */
/* Documents                                                           */
/* ------------------------------------------------------------------ */

typedef enum gw_encoding {
  GW_ENCODING_AUTO = -1, /* only as an option: detect */
  GW_ENCODING_UTF8 = 0,
  GW_ENCODING_UTF8_BOM,
  GW_ENCODING_UTF16LE, /* with BOM */
  GW_ENCODING_UTF16BE, /* with BOM */
  GW_ENCODING_GB18030  /* GB18030, a superset of GBK and GB2312 */
} gw_encoding;

/* "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "gb18030" ("auto" and
 * "unknown" for the other values). */
GW_EXPORT const char *gw_encoding_name(gw_encoding encoding);

#define GW_DOCUMENT_OPTIONS_VERSION 1

typedef struct gw_document_options {
  unsigned version;       /* GW_DOCUMENT_OPTIONS_VERSION */
  int replace_invalid;    /* nonzero: invalid sequences of the decoded
                             encoding become U+FFFD instead of an error */
  gw_encoding encoding;   /* GW_ENCODING_AUTO to detect; a forced encoding
                             drops its own BOM if present */
  const gw_noise *noise;  /* NULL: no noise patterns */
  const gw_normalizer *normalizer; /* NULL: no traditional→simplified folding */
} gw_document_options;

#define GW_DOCUMENT_OPTIONS_INIT \
  { GW_DOCUMENT_OPTIONS_VERSION, 0, GW_ENCODING_AUTO, NULL, NULL }

typedef struct gw_document gw_document;

/* Load a file.  Fails with GW_EIO (missing, unreadable), GW_EISDIR,
 * GW_EBINARY, GW_EENCODING (with the byte offset of the first bad sequence)
 * or GW_ETOOBIG.  A file (or device, or pipe) longer than a megabyte whose
 * first megabyte is NUL-heavy is refused as GW_EBINARY there, without
 * reading the rest.  opts may be NULL for defaults. */
GW_EXPORT int gw_document_load_file(gw_document **out, const char *path,
                                    const gw_document_options *opts,
                                    gw_error *err);
/* Load from memory (the bytes are copied).  `name` names the document in
 * errors and may be NULL ("<buffer>"). */
GW_EXPORT int gw_document_load_buffer(gw_document **out, const char *name,
                                      const void *data, size_t len,
                                      const gw_document_options *opts,
                                      gw_error *err);
GW_EXPORT void gw_document_free(gw_document *doc);

GW_EXPORT const char *gw_document_name(const gw_document *doc);
GW_EXPORT gw_encoding gw_document_encoding(const gw_document *doc);
/* Number of invalid sequences replaced by U+FFFD (replace_invalid only). */
GW_EXPORT size_t gw_document_replacements(const gw_document *doc);

/* Three views of the same document:
 *  - original:   the file's bytes, as given;
 *  - text:       decoded to UTF-8, BOM dropped, line ends kept as they were;
 *  - normalized: the view every analysis runs on (see README "Normalized
 *                view"): full-width letters and digits folded, traditional
 *                characters folded to simplified, CR/CRLF as LF, hard-wrapped
 *                lines joined, spaces inside Chinese text, page numbers,
 *                pinyin annotations and noise spans removed; one LF between
 *                paragraphs. */
GW_EXPORT const char *gw_document_original(const gw_document *doc, size_t *len);
GW_EXPORT const char *gw_document_text(const gw_document *doc, size_t *len);
GW_EXPORT const char *gw_document_normalized(const gw_document *doc,
                                             size_t *len);

/* Offset maps.  A normalized offset maps to the text/original offset of the
 * character it came from.  Map a range's start with gw_document_to_text /
 * gw_document_to_original and its exclusive end with the _end functions, so
 * that a folded character is covered whole and removed bytes after it are
 * not: at the end of the view, _end gives the end of the last character
 * (before trailing blank lines or noise) while the start functions give the
 * length of the source. */
GW_EXPORT size_t gw_document_to_text(const gw_document *doc, size_t norm_off);
GW_EXPORT size_t gw_document_to_text_end(const gw_document *doc,
                                         size_t norm_end);
GW_EXPORT size_t gw_document_to_original(const gw_document *doc,
                                         size_t norm_off);
GW_EXPORT size_t gw_document_to_original_end(const gw_document *doc,
                                             size_t norm_end);
/* text offset → original offset (identity for UTF-8 without BOM). */
GW_EXPORT size_t gw_document_text_to_original(const gw_document *doc,
                                              size_t text_off);

/* A byte range in the three views. */
typedef struct gw_range {
  size_t start, end;           /* original file bytes */
  size_t norm_start, norm_end; /* normalized view (empty for removed spans) */
} gw_range;

typedef enum gw_section_type {
  GW_SECTION_NONE = 0,   /* before the first section heading */
  GW_SECTION_WORK_DONE,  /* 工作开展情况, 主要做法, 主要成效, 落实情况 … */
  GW_SECTION_PROBLEMS,   /* 存在的问题, 问题和不足, 差距 … */
  GW_SECTION_NEXT_STEPS, /* 下一步工作打算, 整改措施, 工作计划 … */
  GW_SECTION_OTHER       /* a section heading of no known type */
} gw_section_type;
/* How many section types there are (for arrays indexed by the type). */
#define GW_SECTION_COUNT (GW_SECTION_OTHER + 1)

/* "none", "work_done", "problems", "next_steps", "other". */
GW_EXPORT const char *gw_section_type_name(gw_section_type type);

typedef struct gw_paragraph {
  gw_range range;          /* the whole paragraph */
  int heading_level;       /* 0 body; 1 一、; 2 （一）; 3 1. or 1、; 4 （1） */
  int is_title;            /* the document's title line */
  gw_section_type section; /* type of the level-1 section it belongs to */
  size_t section_heading;  /* index of that section's heading paragraph, or
                              GW_NO_OFFSET before the first section */
} gw_paragraph;

GW_EXPORT size_t gw_document_paragraph_count(const gw_document *doc);
GW_EXPORT const gw_paragraph *gw_document_paragraph_at(const gw_document *doc,
                                                    size_t index);

/* Inline enumerations: 一是…二是…, （1）… inside a paragraph. */
typedef struct gw_enumeration {
  gw_range marker;   /* the marker itself, e.g. 一是 */
  size_t paragraph;  /* index of the paragraph containing it */
  int ordinal;       /* 1 for 一是, 2 for 二是 … */
} gw_enumeration;

GW_EXPORT size_t gw_document_enumeration_count(const gw_document *doc);
GW_EXPORT const gw_enumeration *gw_document_enumeration_at(const gw_document *doc,
                                                        size_t index);

/* Template masks: **局's **, ***, xxx, XX, xx月's xx, x篇's x, *次's *, ××. */
GW_EXPORT size_t gw_document_mask_count(const gw_document *doc);
GW_EXPORT const gw_range *gw_document_mask_at(const gw_document *doc,
                                           size_t index);

/* What the normalized view left out. */
typedef enum gw_removal_kind {
  GW_REMOVED_NOISE = 0, /* a span matching a noise pattern */
  GW_REMOVED_PAGE_NUMBER, /* —1—, - 2 -, 第3页 */
  GW_REMOVED_PINYIN       /* (zé) after a character */
} gw_removal_kind;

typedef struct gw_removal {
  gw_range range;       /* norm_start == norm_end: where it was removed */
  gw_removal_kind kind;
  int pattern;          /* index of the noise pattern that matched, or -1 */
} gw_removal;

GW_EXPORT size_t gw_document_removal_count(const gw_document *doc);
GW_EXPORT const gw_removal *gw_document_removal_at(const gw_document *doc,
                                                size_t index);
GW_EXPORT const char *gw_removal_kind_name(gw_removal_kind kind);

/* Characters (code points) of the normalized view, newlines excluded. */
GW_EXPORT size_t gw_document_char_count(const gw_document *doc);
/* The year a report was written, from its text: a year (19xx/20xx + 年) in
 * the title line, else the first "YYYY年以来", else in the first paragraph,
 * else in a level-1 heading, else the year written most often (ties: the
 * latest); 0 when the text names no year. */
GW_EXPORT int gw_document_year(const gw_document *doc);

/* The heading marker a line starts with, read as the document's structure
 * reads it (gw_paragraph.heading_level): 一、 (1), （一） (2), 1. or 1、 (3),
 * （1） (4), ASCII or full-width brackets, after any indentation; not
 * 三、四月份, 2023.5 or 一是.  Returns the level, 0 when the line has no
 * marker.  *marker_len (when marker_len is not NULL) gets the bytes of the
 * marker with the indentation before it, 0 when there is none, so that
 * line + *marker_len is where the heading's own words begin.  For a
 * paragraph: the normalized view from p->range.norm_start to norm_end. */
GW_EXPORT int gw_text_heading_marker(size_t *marker_len, const char *line,
                                     size_t len);

/* ------------------------------------------------------------------ */
/* Dictionary                                                          */
/* ------------------------------------------------------------------ */

/* A compiled dictionary (gongwen's binary format, loaded by mmap), plus any
 * user dictionaries added before it is shared. */
typedef struct gw_dict gw_dict;

/* Compile word lists in jieba's format ("word [freq] [tag]" per line) into
 * gongwen's binary dictionary at out_path.  Later sources override the
 * frequency and tag of words in earlier ones.  hmm_dir, if not NULL, is the
 * directory of jieba's finalseg tables (prob_start.py, prob_trans.py,
 * prob_emit.py), whose HMM is stored in the dictionary for unknown words. */
GW_EXPORT int gw_dict_compile(const char *const *sources, size_t n_sources,
                              const char *hmm_dir, const char *out_path,
                              gw_error *err);

/* Open a compiled dictionary. */
GW_EXPORT int gw_dict_load_file(gw_dict **out, const char *path, gw_error *err);

/* Add a user dictionary in jieba's format.  A word's frequency, when given,
 * is honoured as jieba does (it replaces the dictionary's); a word without a
 * frequency gets one just high enough to be kept whole.  Not thread-safe:
 * add before sharing the dictionary. */
GW_EXPORT int gw_dict_add_user_file(gw_dict *dict, const char *path,
                                    gw_error *err);
GW_EXPORT int gw_dict_add_user_word(gw_dict *dict, const char *word,
                                    size_t len, double freq, gw_error *err);
GW_EXPORT void gw_dict_free(gw_dict *dict);

/* Number of words (base plus user). */
GW_EXPORT size_t gw_dict_word_count(const gw_dict *dict);
/* Frequency of a word, 0 if absent. */
GW_EXPORT double gw_dict_frequency(const gw_dict *dict, const char *word,
                                   size_t len);
/* The word's probability in the text the dictionary was counted on (its
 * frequency over the sum of all frequencies, as the segmenter weighs it),
 * 0 if absent: how common a word is in general text (jieba's counts). */
GW_EXPORT double gw_dict_probability(const gw_dict *dict, const char *word,
                                     size_t len);

/* ------------------------------------------------------------------ */
/* Segmentation                                                        */
/* ------------------------------------------------------------------ */

typedef enum gw_token_kind {
  GW_TOKEN_WORD = 0,  /* a dictionary word or single Han character */
  GW_TOKEN_NEW_WORD,  /* a word found by the unknown-word model */
  GW_TOKEN_NUMBER,    /* 123, 3.5, 一百二十 is WORD; Arabic digits only */
  GW_TOKEN_DATE,      /* 2023年, 10月, 5日, 2023年10月 as one token */
  GW_TOKEN_PERCENT,   /* 100%, 3.5% */
  GW_TOKEN_LATIN,     /* ASCII letters (and digits inside them) */
  GW_TOKEN_MASK,      /* template masks: **, xxx, XX, ×× */
  GW_TOKEN_PUNCT,     /* punctuation and symbols */
  GW_TOKEN_SPACE,     /* whitespace */
  GW_TOKEN_OTHER      /* anything else (emoji, private use, U+FFFD) */
} gw_token_kind;

/* "word", "new_word", "number", "date", "percent", "latin", "mask", "punct",
 * "space", "other". */
GW_EXPORT const char *gw_token_kind_name(gw_token_kind kind);

typedef struct gw_token {
  size_t start, end;  /* byte range in the text given to gw_segment */
  gw_token_kind kind;
  int sub;            /* search mode: 1 for a word emitted inside a longer
                         token (it overlaps that token), else 0 */
} gw_token;

typedef enum gw_segment_mode {
  GW_SEGMENT_PRECISE = 0,
  GW_SEGMENT_SEARCH  /* also the dictionary words inside long tokens */
} gw_segment_mode;

#define GW_SEGMENT_OPTIONS_VERSION 1

typedef struct gw_segment_options {
  unsigned version;     /* GW_SEGMENT_OPTIONS_VERSION */
  gw_segment_mode mode;
  int hmm;              /* nonzero: join unknown characters with the HMM */
} gw_segment_options;

#define GW_SEGMENT_OPTIONS_INIT \
  { GW_SEGMENT_OPTIONS_VERSION, GW_SEGMENT_PRECISE, 1 }

typedef struct gw_segmenter gw_segmenter;

/* The segmenter borrows dict, which must outlive it.  opts may be NULL. */
GW_EXPORT int gw_segmenter_new(gw_segmenter **out, const gw_dict *dict,
                               const gw_segment_options *opts, gw_error *err);
GW_EXPORT void gw_segmenter_free(gw_segmenter *seg);

/* Segment UTF-8 text.  *tokens points into the segmenter and stays valid
 * until the next gw_segment call on it.  Tokens cover the text in order
 * (search-mode sub tokens come right after the token that contains them).
 * Invalid UTF-8 bytes come out as one OTHER token each. */
GW_EXPORT int gw_segment(gw_segmenter *seg, const char *text, size_t len,
                         const gw_token **tokens, size_t *n_tokens,
                         gw_error *err);

/* A token of a document's paragraph, placed in the document's three views:
 * range.norm_start / norm_end in the normalized view (its text is
 * gw_document_normalized() + norm_start); text_start / text_end in the
 * decoded text (gw_document_text), the values gw_document_to_text(norm_start)
 * and gw_document_to_text_end(norm_end) give; range.start / end in the
 * original file, those of gw_document_to_original(norm_start) and
 * gw_document_to_original_end(norm_end). */
typedef struct gw_paragraph_token {
  gw_range range;
  size_t text_start, text_end;
  gw_token_kind kind;
  int sub;            /* as gw_token.sub */
} gw_paragraph_token;

/* Segment paragraph `paragraph` of doc (gw_document_paragraph_at) and place
 * every token in the original file: what gw_segment gives for the
 * paragraph's normalized text, each offset mapped, with the maps walked
 * once for the whole paragraph rather than searched twice per token.  The
 * tokens are read with the two functions below; they stay valid until the
 * next gw_segment_paragraph or gw_segment call on seg (which this call also
 * uses: tokens an earlier gw_segment returned are gone).  GW_EINVAL for a
 * paragraph the document does not have.  The document is only read: threads
 * may each segment paragraphs of one document with their own segmenter. */
GW_EXPORT int gw_segment_paragraph(gw_segmenter *seg, const gw_document *doc,
                                   size_t paragraph, gw_error *err);
/* Tokens of the last gw_segment_paragraph call (0 / NULL after a failed
 * one, or an index out of range). */
GW_EXPORT size_t gw_segmenter_paragraph_token_count(const gw_segmenter *seg);
GW_EXPORT const gw_paragraph_token *gw_segmenter_paragraph_token_at(
    const gw_segmenter *seg, size_t index);
/* All of them at once: the first, *n_tokens set to their number (NULL and
 * 0 where gw_segmenter_paragraph_token_count gives 0).  A writer of every
 * token reads them without a call per token. */
GW_EXPORT const gw_paragraph_token *gw_segmenter_paragraph_tokens(
    const gw_segmenter *seg, size_t *n_tokens);

/* ------------------------------------------------------------------ */
/* Duplicates                                                          */
/* ------------------------------------------------------------------ */

/* Copy-paste across a corpus: near-duplicate paragraphs (clusters), copied
 * passages between documents (pairs, copy ratios) and passages shared by
 * many documents (template families).
 *
 * Every document is reduced to its "characters": the normalized view with
 * whitespace, punctuation and symbols dropped, ASCII letters lower-cased and
 * every template mask (**, xxx, ×× …) made one and the same character, so
 * that **局 and xxx局 compare equal.  Counts named "characters" below count
 * these.
 *
 * - Paragraphs: character k-gram shingles, seeded one-permutation MinHash
 *   signatures (optimal densification) and LSH banding give candidate
 *   pairs, and so do paragraphs that share a run found for the passages (a
 *   short paragraph inside a long one, whose Jaccard index is too low for
 *   the bands); each candidate is verified with the EXACT Jaccard index and
 *   containment of the shingle sets (for shingle_k <= 3 the characters
 *   themselves, not hashes), so no pair is ever reported on an estimate.
 *   Verified pairs are joined into clusters.  A band key shared by more than
 *   GW_DUPS_BAND_ALL_PAIRS paragraphs proposes a chain and a star through
 *   its first paragraph instead of every pair (the cluster is the same; a
 *   member's best Jaccard is then the best among the pairs verified).
 * - Passages: winnowing fingerprints of passage_k-grams over each whole
 *   document with window passage_t - passage_k + 1, so that every shared run
 *   of at least passage_t characters is found; matching fingerprints are
 *   extended into maximal exact runs, and runs on the same alignment with
 *   small gaps (edits) merged into spans.  Characters inside the caller's
 *   official spans (dictionary terms and fixed formulations) and characters
 *   found in base documents (gw_dups_set_base) are never copied characters.
 *   A span made, for half or more of its characters in either document, of
 *   official or base characters is reported as "official" or "base"
 *   (whichever has more), not as copying.  Frequency never hides copying.
 * - Families: copy passages joined through the documents they share are
 *   one family: a template that n documents used is reported once, with
 *   its n members.  A document joins a family only where it holds most of
 *   the family's text: in a document, passages overlapping on half of the
 *   shorter or more are one member, and a passage joins the members of its
 *   two documents only when, in each, the passages between those two
 *   documents cover half of the member or more.  A short stretch that a
 *   third document shares inside a long passage two documents share is
 *   copying between those documents (pairs, sources, copy ratio), never a
 *   join between the long passage's documents and the third's family.
 *   Cost stays linear in the family's size: a fingerprint found in more than
 *   GW_DUPS_STAR_ABOVE documents pairs each of them with one of them (the
 *   first base document holding it, else the first document) rather than
 *   with every other; and between two documents a fingerprint repeated so
 *   often that its occurrences pair up more than GW_DUPS_REPEAT_PAIRS ways
 *   is paired rank by rank (as in repetitive text).  Both limits only
 *   choose which pairs of a family are compared and listed: a member joins
 *   through the hub as through any other member (by the rule above).
 * - Per document: copy ratio, the share copied from templates (families of
 *   template_min documents or more) and from few sources, its sources
 *   ranked by copied characters (at most max_sources), the base documents
 *   its text was found in.  Pairs are kept when one document is among the
 *   other's listed sources and they share copied characters (all_pairs:
 *   every pair found, those sharing only official or base text too).
 *
 * The index is plain data (per document its characters, offsets and flags,
 * its fingerprints and its paragraphs' band keys, all fixed-width integers):
 * it is designed so that it can be written to a file and extended with new
 * documents later.  A gw_dups is not thread-safe (except gw_dups_prepare);
 * results are borrowed until gw_dups_free.  Output is deterministic for the
 * same documents in the same order, whatever the number of threads. */

/* The limits above (the output's parameters name them;
 * gw_dups_limits_applied says how often each applied). */
#define GW_DUPS_BAND_ALL_PAIRS 48
#define GW_DUPS_STAR_ABOVE 8
#define GW_DUPS_REPEAT_PAIRS 16
/* Families of fewer documents are pairs, not reported as families. */
#define GW_DUPS_FAMILY_MIN_DOCUMENTS 3

#define GW_DUPS_OPTIONS_VERSION 2

typedef struct gw_dups_options {
  unsigned version;             /* GW_DUPS_OPTIONS_VERSION */
  unsigned shingle_k;           /* paragraph shingle length (3) */
  unsigned minhash_count;       /* MinHash values per paragraph (120) */
  unsigned bands;               /* LSH bands; divides minhash_count (40) */
  uint64_t seed;                /* seeds every hash */
  double min_jaccard;           /* paragraph pairs at or above (0.5) */
  double min_containment;       /* ... or with containment at or above
                                   (0.8; > 1 disables) */
  unsigned min_paragraph_chars; /* shorter paragraphs are not clustered (10) */
  unsigned passage_t;           /* guaranteed passage length, <= 13 (13) */
  unsigned passage_k;           /* fingerprint length, < passage_t (8) */
  unsigned max_gap;             /* edit gap merged inside a span (4) */
  double generic_fraction;      /* ignored since version 2: frequency no */
  unsigned generic_min_documents; /* longer hides copying (0.5, 3) */
  /* version 2 (a version-1 caller gets the defaults) */
  unsigned template_min;        /* a family of this many documents or more
                                   is a template (5) */
  unsigned max_sources;         /* sources listed per document; 0: all (10) */
  int all_pairs;                /* keep every pair found (0) */
  unsigned threads;             /* threads gw_dups_run may use, the caller's
                                   included; 0 or 1: the caller's only (2) */
} gw_dups_options;

#define GW_DUPS_OPTIONS_INIT \
  { GW_DUPS_OPTIONS_VERSION, 3, 120, 40, 0x9e3779b97f4a7c15ull, 0.5, 0.8, \
    10, 13, 8, 4, 0.5, 3, 5, 10, 0, 2 }

typedef struct gw_dups gw_dups;

/* opts may be NULL for defaults; GW_EINVAL for inconsistent options. */
GW_EXPORT int gw_dups_new(gw_dups **out, const gw_dups_options *opts,
                          gw_error *err);
GW_EXPORT void gw_dups_free(gw_dups *dups);
GW_EXPORT const gw_dups_options *gw_dups_options_in_use(const gw_dups *dups);

/* Add a document (index = the number added before).  The document is read
 * during the call only.  Errors name the document (gw_document_name).  `official` lists normalized ranges (only norm_start
 * and norm_end are read) of dictionary terms and fixed formulations, which
 * never count as copying; NULL with n_official 0 for none. */
GW_EXPORT int gw_dups_add(gw_dups *dups, const gw_document *doc,
                          const gw_range *official, size_t n_official,
                          gw_error *err);

/* gw_dups_add in two halves, so that the work needing the document alone
 * can be done on other threads: gw_dups_prepare reads the document (and
 * nothing of the handle that adding changes: any number of threads may
 * prepare for one handle at once, also while another thread adds to it);
 * gw_dups_add_prepared moves the result into the index, numbered like
 * gw_dups_add (an input is added once, to the handle it was prepared for).
 * The input is the caller's to free, added or not; the memory of its
 * characters belongs to the handle and is freed with it. */
typedef struct gw_dups_input gw_dups_input;
GW_EXPORT int gw_dups_prepare(const gw_dups *dups, const gw_document *doc,
                              const gw_range *official, size_t n_official,
                              gw_dups_input **out, gw_error *err);
GW_EXPORT int gw_dups_add_prepared(gw_dups *dups, gw_dups_input *input,
                                   gw_error *err);
GW_EXPORT void gw_dups_input_free(gw_dups_input *input);

/* Add document `document` (added before) once more, as another report with
 * the same text: the same file handed in by another unit, under another
 * name.  Nothing is read or computed again: its characters are shared and
 * its paragraphs, fingerprints and band keys copied (the results are those
 * of adding the same document again with gw_dups_add).  Numbered like
 * gw_dups_add; its base flag, unit and year are set apart, as for any
 * document.  GW_EINVAL for an index not added, GW_ENOMEM, GW_ETOOBIG. */
GW_EXPORT int gw_dups_add_copy(gw_dups *dups, size_t document, gw_error *err);

/* Make a document added before a base document (is_base 1) or not (0): its
 * text is what every report may contain (the notice that asked for the
 * reports, a central document, a template all were told to follow), so
 * text found in it is never copying; other documents' records name it.
 * GW_EINVAL for an index not added. */
GW_EXPORT int gw_dups_set_base(gw_dups *dups, size_t document, int is_base,
                               gw_error *err);

/* A document's unit (the office that wrote it) and year as the caller knows
 * them, from a metadata table (gw_meta) for instance: year > 0 replaces the
 * year read from its text (0 leaves the year as it is), unit NULL or ""
 * makes the unit unknown (units are compared byte for byte; the string is
 * copied).  Read
 * by the next gw_dups_run: a family's earliest member is the earliest by
 * these years, and copying from an earlier report of the same unit is
 * counted apart as self-copy (gw_dups_document.self_copied).  GW_EINVAL for
 * an index not added or a negative year, GW_ENOMEM. */
GW_EXPORT int gw_dups_set_origin(gw_dups *dups, size_t document, const char *unit,
                                 int year, gw_error *err);

/* Compute clusters, passages, families and ratios over the documents added
 * so far (again after adding more).  Every stage works on up to
 * options.threads threads, the caller's and ones it starts (only the
 * caller's if it cannot), splitting its work by ranges of documents,
 * fingerprints, bands or pairs; the results do not depend on them, byte
 * for byte.  Not to be called on one
 * gw_dups from two threads at once. */
GW_EXPORT int gw_dups_run(gw_dups *dups, gw_error *err);

/* A range of a document: original file bytes and the document's characters
 * (as defined above, 0-based). */
typedef struct gw_dups_range {
  size_t start, end;           /* original file bytes */
  size_t char_start, char_end; /* characters */
} gw_dups_range;

typedef struct gw_dups_source {
  size_t document;   /* the other document */
  size_t characters; /* this document's characters copied with it */
  double share;      /* characters / countable characters */
} gw_dups_source;

/* A document's "countable" characters: all but the official ones and those
 * found in base documents. */
typedef struct gw_dups_document {
  size_t characters;   /* all characters */
  size_t official;     /* characters inside official spans */
  size_t copied;       /* characters, neither official nor base, in copy
                          passages */
  double copy_ratio;   /* copied / countable, 0 if none */
  size_t source_first, source_count; /* gw_dups_source indexes, by
                                        characters descending, then
                                        document; at most max_sources */
  size_t base;         /* characters, not official, found in base documents */
  size_t template_copied; /* copied characters in families of template_min
                             documents or more */
  double template_ratio;  /* template_copied / countable */
  double few_ratio;       /* (copied - template_copied) / countable */
  size_t source_total;    /* sources before the max_sources cut */
  size_t base_source_first, base_source_count; /* gw_dups_source indexes:
                             the base documents its text was found in, by
                             characters descending */
  int year;               /* the report's year (gw_dups_set_origin, else from
                             its text), 0: unknown */
  int is_base;            /* a base document (gw_dups_set_base) */
  size_t self_copied;     /* copied characters it shares with an earlier
                             report of its own unit (both years known, see
                             gw_dups_set_origin), among the pairs compared */
  double self_ratio;      /* self_copied / countable */
} gw_dups_document;

typedef enum gw_dups_kind {
  GW_DUPS_COPY = 0,  /* copy evidence */
  GW_DUPS_OFFICIAL,  /* official formulations: not copying */
  GW_DUPS_GENERIC,   /* no longer produced (version 1's generic phrases) */
  GW_DUPS_BASE       /* text of a base document: not copying */
} gw_dups_kind;

/* "copy", "official", "generic", "base". */
GW_EXPORT const char *gw_dups_kind_name(gw_dups_kind kind);

typedef struct gw_dups_passage {
  gw_dups_kind kind;
  gw_dups_range a, b;  /* in the pair's documents a and b */
  size_t matched;      /* characters matched exactly (<= span length) */
} gw_dups_passage;

typedef struct gw_dups_pair {
  size_t a, b;             /* documents, a < b */
  double similarity;       /* (copied_a + copied_b) / (countable a + b) */
  size_t copied_a, copied_b; /* characters of each in copy passages */
  size_t passage_first, passage_count; /* copy and official, by a.start */
} gw_dups_pair;

typedef struct gw_dups_member {
  size_t document, paragraph; /* paragraph index in its document */
  size_t start, end;          /* original bytes of the paragraph */
  double jaccard;             /* best exact Jaccard with another member */
  double containment;         /* best exact containment with another member */
} gw_dups_member;

typedef struct gw_dups_cluster {
  size_t member_first, member_count; /* by document, then paragraph */
  size_t documents;                  /* distinct documents */
  double min_jaccard, max_jaccard;   /* over the verified pairs joining it */
} gw_dups_cluster;

GW_EXPORT size_t gw_dups_document_count(const gw_dups *dups);
GW_EXPORT const gw_dups_document *gw_dups_document_at(const gw_dups *dups,
                                                        size_t index);
GW_EXPORT const gw_dups_source *gw_dups_source_at(const gw_dups *dups,
                                                  size_t index);
/* The pairs kept (see above: sharing copied characters, one among the
 * other's sources; all_pairs: every pair with a passage), by copied
 * characters descending, then a, then b. */
GW_EXPORT size_t gw_dups_pair_count(const gw_dups *dups);
GW_EXPORT const gw_dups_pair *gw_dups_pair_at(const gw_dups *dups,
                                              size_t index);
GW_EXPORT const gw_dups_passage *gw_dups_passage_at(const gw_dups *dups,
                                                    size_t index);
/* Clusters by documents descending, members descending, first member. */
GW_EXPORT size_t gw_dups_cluster_count(const gw_dups *dups);
GW_EXPORT const gw_dups_cluster *gw_dups_cluster_at(const gw_dups *dups,
                                                    size_t index);
GW_EXPORT const gw_dups_member *gw_dups_member_at(const gw_dups *dups,
                                                  size_t index);

/* A family: one passage copied into several documents, each copy a
 * member.  The members are joined by copy passages (directly or through
 * other members) covering most of each; their text is alike, not always
 * equal (edits).
 *
 * A family's text is that of one member, its text member: the template as
 * it first appeared, which is what an inspector looks for.  Of the members
 * from the earliest year (every member when no member's year is known) it
 * is the longest, the first of equals in input order; the same whatever
 * the threads.  Its `characters` are that member's (as counted above:
 * punctuation is not), its text gw_dups_text over that member's range, and
 * as written in its file the member's original bytes (to show them whole,
 * see gw_dups_widen_shown). */
typedef struct gw_dups_family {
  size_t documents;                  /* distinct documents holding it */
  size_t member_first, member_count; /* by document, then position */
  size_t text_member;                /* the member standing for the family
                                        (0-based in it, see above) */
  size_t characters;                 /* that member's characters */
  int earliest_year;                 /* its year; 0: no member's is known */
} gw_dups_family;

typedef struct gw_dups_family_member {
  size_t document;
  size_t paragraph;      /* the paragraph its first character is in */
  gw_dups_range range;
} gw_dups_family_member;

/* How often each limit of the header's description applied in the last
 * gw_dups_run: 0 when it did not (the results are then those of no limit
 * at all); otherwise it chose which pairs were compared and listed there.
 * The counts do not depend on the threads. */
typedef struct gw_dups_limits {
  size_t band_all_pairs; /* band keys (one per band) shared by more than
                            GW_DUPS_BAND_ALL_PAIRS paragraphs: a chain and a
                            star instead of every pair */
  size_t star_above;     /* fingerprints in more than GW_DUPS_STAR_ABOVE
                            documents: each paired with a hub */
  size_t repeat_pairs;   /* a fingerprint's occurrences in two documents
                            pairing up more than GW_DUPS_REPEAT_PAIRS ways
                            (one per fingerprint and two documents): paired
                            rank by rank */
} gw_dups_limits;

/* Borrowed until the next gw_dups_run or gw_dups_free. */
GW_EXPORT const gw_dups_limits *gw_dups_limits_applied(const gw_dups *dups);

/* Families of GW_DUPS_FAMILY_MIN_DOCUMENTS documents or more, by documents
 * descending, characters descending, then first member. */
GW_EXPORT size_t gw_dups_family_count(const gw_dups *dups);
GW_EXPORT const gw_dups_family *gw_dups_family_at(const gw_dups *dups,
                                                  size_t index);
GW_EXPORT const gw_dups_family_member *gw_dups_family_member_at(
    const gw_dups *dups, size_t index);

/* The characters [char_start, char_end) of a document as UTF-8 (a mask
 * shows as "**"), NUL-terminated; release with gw_free. */
GW_EXPORT int gw_dups_text(const gw_dups *dups, size_t document,
                           size_t char_start, size_t char_end, char **out,
                           size_t *len, gw_error *err);

/* A range as a reader should see it in its original text: the bytes
 * [*start, *end) of text[0 .. len) (UTF-8) widened over the punctuation
 * that belongs to them, which a range (starting at its first character,
 * ending after its last) leaves out: the opening brackets and quotes just
 * before it (（二）, not 二）), and just after it the closing brackets and
 * quotes and one mark ending the sentence (。！？；：…), in either order
 * (。” and ”。).  Only punctuation touching the range is taken, by at most
 * GW_DUPS_SHOWN_MARGIN bytes each side, so a window of the text holding
 * that many bytes either side of the range (offsets moved with it) gives
 * the same range.  Counts do not change: punctuation is never a counted
 * character.  Pure and thread-safe.  GW_EINVAL (nothing changed) for
 * *start > *end or *end > len. */
#define GW_DUPS_SHOWN_MARGIN 16
GW_EXPORT int gw_dups_widen_shown(size_t *start, size_t *end, const char *text,
                                  size_t len);

/* Terms */
/* ------------------------------------------------------------------ */
/* Policy terms and fixed formulations (dict/terms.tsv)                 */
/* ------------------------------------------------------------------ */

/* A term dictionary compiled into a matcher (an Aho-Corasick automaton over
 * code points, and patterns for generated names: numbered congresses and
 * plenums, five-year plans, the two sessions, local Party congresses).  The
 * file format (term, category, variants, introduced, superseded_by, note,
 * ended; TAB-separated; @format and @names directives) is documented in
 * dict/README.md.
 * Adding files is not thread-safe; once the last file is added the gw_terms
 * is immutable and may be shared by any number of threads. */
typedef struct gw_terms gw_terms;

typedef struct gw_term {
  const char *text;          /* canonical form, e.g. 同部署、同落实、同检查、同考核 */
  const char *category;      /* 理论, 会议精神, 数字概括, 制度机制, 提法口号 … */
  int introduced;            /* year, 0 when not given */
  const char *superseded_by; /* the newer formulation (a term), or NULL */
  const char *note;          /* "" when none */
  size_t variant_count;      /* other forms (gw_terms_variant_at) */
  size_t part_count;         /* parts of a multi-part formulation (its form
                                separated by 、 or ，), 1 otherwise */
  int introduced_month;      /* 1–12 when the file gives YYYY-MM, else 0 */
  int ended;                 /* the year a campaign ended or an old name was
                                replaced (column `ended`), 0 when not given */
  int generated;             /* 1: a generated name (党的二十一大,
                                二十届五中全会) made by pattern, not read from
                                a file (see @names in dict/README.md) */
} gw_term;

/* An empty dictionary; add files with gw_terms_add_file. */
GW_EXPORT int gw_terms_new(gw_terms **out, gw_error *err);
/* gw_terms_new + gw_terms_add_file.  A malformed line is GW_EFORMAT
 * "FILE:LINE: what is wrong" (gw_error.line set); a missing file is
 * GW_ENOTFOUND. */
GW_EXPORT int gw_terms_load_file(gw_terms **out, const char *path, gw_error *err);
/* Add the terms of a file (users' term files have the same format).  A form
 * already in the dictionary under another term is an error.  The matcher is
 * rebuilt; on error the dictionary keeps the terms it had. */
GW_EXPORT int gw_terms_add_file(gw_terms *terms, const char *path,
                                gw_error *err);
/* The same from memory; `name` names it in errors. */
GW_EXPORT int gw_terms_add_buffer(gw_terms *terms, const char *name,
                                  const char *text, size_t len,
                                  gw_error *err);
GW_EXPORT void gw_terms_free(gw_terms *terms);

GW_EXPORT size_t gw_terms_term_count(const gw_terms *terms);
GW_EXPORT const gw_term *gw_terms_term_at(const gw_terms *terms, size_t index);
/* Variant k (0-based) of term `index`, or NULL. */
GW_EXPORT const char *gw_terms_variant_at(const gw_terms *terms, size_t index,
                                       size_t k);
/* Part k of a multi-part formulation (for a one-part term, its text). */
GW_EXPORT const char *gw_terms_part_at(const gw_terms *terms, size_t index,
                                    size_t k);
/* The term whose canonical form or variant is text[0..len) (separators
 * 、，, spaces, quotes and 《》 ignored), or GW_NO_OFFSET. */
GW_EXPORT size_t gw_terms_find(const gw_terms *terms, const char *text,
                               size_t len);


typedef enum gw_term_match_kind {
  GW_TERM_COUNTED = 0, /* leftmost-longest, non-overlapping: counted */
  GW_TERM_NESTED,      /* inside a counted match (意识形态工作 inside
                          网络意识形态工作责任制): reported, not counted */
  GW_TERM_OVERLAPPING  /* overlaps a counted match partly: not counted */
} gw_term_match_kind;

/* "counted", "nested", "overlapping". */
GW_EXPORT const char *gw_term_match_kind_name(gw_term_match_kind kind);

typedef struct gw_term_match {
  size_t term;             /* index in the gw_terms */
  size_t form;             /* 0: the canonical form matched; k: variant k-1 */
  gw_range range;          /* original bytes and normalized view */
  size_t paragraph;        /* paragraph index */
  gw_section_type section; /* that paragraph's section type */
  gw_term_match_kind kind;
  size_t outer;            /* nested/overlapping: index of the counted match
                              it lies in; GW_NO_OFFSET for counted ones */
} gw_term_match;

/* Problems of a broken formulation (bits of gw_broken_formulation.problems). */
enum {
  GW_FORMULATION_MISSING = 1,   /* a part is left out */
  GW_FORMULATION_REORDERED = 2, /* parts in another order */
  GW_FORMULATION_ALTERED = 4    /* a part written differently */
};

/* A multi-part fixed formulation quoted with a part missing, reordered or
 * altered (同部署、同落实、同考核; 重大事情亲自处置 for 重大事件亲自处置). */
typedef struct gw_broken_formulation {
  size_t term;             /* the formulation; its text is the canonical form */
  gw_range range;          /* the quotation as written */
  size_t paragraph;
  gw_section_type section;
  unsigned problems;       /* GW_FORMULATION_* bits */
  uint32_t missing;        /* bit k: part k is missing (parts ≤ 32) */
  uint32_t altered;        /* bit k: part k is altered */
  gw_range altered_range[4]; /* where the first four altered parts stand,
                                in part order of the set bits */
} gw_broken_formulation;

typedef enum gw_outdated_kind {
  GW_OUTDATED_SUPERSEDED = 0, /* a formulation replaced by a newer one */
  GW_OUTDATED_MEETING,        /* a congress or plenum cited as the current
                                 guide after the next congress met */
  GW_OUTDATED_RENAMED         /* an institution's old name (a term with
                                 both superseded_by and ended) */
} gw_outdated_kind;

/* "superseded", "meeting", "renamed". */
GW_EXPORT const char *gw_outdated_kind_name(gw_outdated_kind kind);

/* A term cited in a report written after it was replaced (report year >
 * since), unless the sentence recalls it as history (回顾, 召开, 以来, 原…;
 * the rule is in dict/README.md).  A numbered meeting is outdated once the
 * next congress has met, and only where it is cited as the guide (学习贯彻,
 * 为指导, or its 精神). */
typedef struct gw_outdated_formulation {
  size_t match;     /* index of the match (gw_term_result_match_at) */
  size_t term;
  size_t successor; /* index of the superseded_by term (the next congress) */
  int since;        /* the year it was replaced: the term's `ended`, else
                       the successor's introduced year */
  gw_outdated_kind kind;
} gw_outdated_formulation;

/* A campaign (a term with an `ended` year and no superseded_by) cited as
 * ongoing (深入推进, 正在开展, 扎实开展 … before it in its clause) in a
 * report written after it ended; one cited as done (开展了, 以来, 成果) is
 * not stale. */
typedef struct gw_stale_formulation {
  size_t match;     /* index of the match (gw_term_result_match_at) */
  size_t term;
  int started;      /* the campaign's introduced year (0: not given) */
  int ended;
} gw_stale_formulation;

#define GW_TERMS_OPTIONS_VERSION 2

typedef struct gw_terms_options {
  unsigned version;  /* GW_TERMS_OPTIONS_VERSION */
  int year;          /* the report's year for outdated formulations; 0: from
                        the text (gw_document_year) */
  int matches_only;  /* nonzero: the matches alone, no broken or outdated
                        formulations (and no year): less work */
} gw_terms_options;

#define GW_TERMS_OPTIONS_INIT { GW_TERMS_OPTIONS_VERSION, 0, 0 }

/* What gw_terms_match finds in one document. */
typedef struct gw_term_result gw_term_result;

/* Match the terms in the document's normalized view (noise never counts),
 * paragraph by paragraph, and check the formulations.  Matches come in
 * order of position (counted before the nested ones that start with it).
 * Borrows terms and doc only during the call.  opts may be NULL. */
GW_EXPORT int gw_terms_match(gw_term_result **out, const gw_terms *terms,
                             const gw_document *doc,
                             const gw_terms_options *opts, gw_error *err);
GW_EXPORT void gw_term_result_free(gw_term_result *result);
/* Match another document into an existing result, reusing its memory (for
 * a corpus: one result per thread, documents one after another).  The
 * previous findings are gone; on failure the result is empty. */
GW_EXPORT int gw_terms_rematch(gw_term_result *result, const gw_terms *terms,
                               const gw_document *doc,
                               const gw_terms_options *opts, gw_error *err);

GW_EXPORT size_t gw_term_result_match_count(const gw_term_result *result);
GW_EXPORT const gw_term_match *gw_term_result_match_at(
    const gw_term_result *result, size_t index);
GW_EXPORT size_t gw_term_result_broken_count(const gw_term_result *result);
GW_EXPORT const gw_broken_formulation *gw_term_result_broken_at(
    const gw_term_result *result, size_t index);
GW_EXPORT size_t gw_term_result_outdated_count(const gw_term_result *result);
GW_EXPORT const gw_outdated_formulation *gw_term_result_outdated_at(
    const gw_term_result *result, size_t index);
/* The year the outdated check used (0: unknown, nothing judged outdated). */
GW_EXPORT int gw_term_result_year(const gw_term_result *result);
/* The sentence a match stands in (from the end of the previous sentence
 * through the 。！？； that ends its own, within its paragraph), for a
 * report's example.  Returns 1 when it is body text, 0 when it is the
 * title or a heading (a heading paragraph's first sentence: the sentences
 * after it in the same paragraph, as in "（一）加强领导。我局…", are body;
 * *out is filled either way: an example should come from the body),
 * GW_EINVAL for a match not of this document. */
GW_EXPORT int gw_term_match_sentence(gw_range *out, const gw_document *doc,
                                     const gw_term_match *match);
GW_EXPORT size_t gw_term_result_stale_count(const gw_term_result *result);
GW_EXPORT const gw_stale_formulation *gw_term_result_stale_at(
    const gw_term_result *result, size_t index);

/* A document's official formulations as copy detection takes them (the
 * `official` spans of gw_dups_prepare): the range of every term match, in
 * match order.  terms NULL: no spans.  *spans is grown with realloc and
 * reused from one document to the next (release it with gw_free);
 * *scratch (NULL at first) is a match result kept for reuse, released with
 * gw_term_result_free.  On failure *n is 0 and both stay the caller's. */
GW_EXPORT int gw_terms_official_spans(gw_range **spans, size_t *n,
                                      gw_term_result **scratch,
                                      const gw_terms *terms,
                                      const gw_document *doc, gw_error *err);

/* Discovery: candidate terms not in the dictionary yet, across a corpus.
 * Add documents one by one (one gw_discovery per thread), then compute. */
typedef enum gw_candidate_kind {
  GW_CANDIDATE_NUMBERED = 0, /* 四个意识 (numeral + 个 + 2–4 Han, quoted or
                                2 Han), 三会一课 / 一岗双责 (N X N Y) */
  GW_CANDIDATE_PARALLEL,     /* 同X、同Y、同Z: three or more items of one
                                length sharing a first or last part */
  GW_CANDIDATE_NGRAM         /* a frequent Han n-gram (3–6) with high
                                cohesion (PMI) and boundary entropy */
} gw_candidate_kind;

/* "numbered", "parallel", "ngram". */
GW_EXPORT const char *gw_candidate_kind_name(gw_candidate_kind kind);

typedef struct gw_candidate {
  const char *text;       /* normalized form; parallel lists joined by 、 */
  gw_candidate_kind kind;
  size_t count;           /* occurrences */
  size_t documents;       /* documents it occurs in */
  double pmi;             /* ngram: weakest split's pointwise mutual
                             information (log2); 0 for the other kinds */
  double left_entropy, right_entropy; /* ngram: of the neighbouring
                                         characters (bits) */
} gw_candidate;

#define GW_DISCOVERY_OPTIONS_VERSION 1

typedef struct gw_discovery_options {
  unsigned version;     /* GW_DISCOVERY_OPTIONS_VERSION */
  size_t min_count;     /* occurrences (default 3; numbered/parallel: 1) */
  size_t min_documents; /* documents (default 2; numbered/parallel: 1) */
  double min_pmi;       /* ngram (default 4.0) */
  double min_entropy;   /* ngram, both sides (default 1.0) */
} gw_discovery_options;

#define GW_DISCOVERY_OPTIONS_INIT { GW_DISCOVERY_OPTIONS_VERSION, 3, 2, 4.0, 1.0 }

typedef struct gw_discovery gw_discovery;

/* known (may be NULL): terms whose forms are never candidates; borrowed,
 * must outlive the discovery. */
GW_EXPORT int gw_discovery_new(gw_discovery **out, const gw_terms *known,
                               gw_error *err);
GW_EXPORT int gw_discovery_add(gw_discovery *discovery,
                               const gw_document *doc, gw_error *err);
/* Compute the candidates (again after more documents).  Sorted by kind,
 * then count (descending), then text bytes.  opts may be NULL. */
GW_EXPORT int gw_discovery_compute(gw_discovery *discovery,
                                   const gw_discovery_options *opts,
                                   gw_error *err);
GW_EXPORT size_t gw_discovery_candidate_count(const gw_discovery *discovery);
GW_EXPORT const gw_candidate *gw_discovery_candidate_at(
    const gw_discovery *discovery, size_t index);
GW_EXPORT void gw_discovery_free(gw_discovery *discovery);

/* ------------------------------------------------------------------ */
/* Documents in other formats: Word, WPS, PDF, OFD, web pages          */
/* ------------------------------------------------------------------ */

/* gw_document_load_file and gw_document_load_buffer read every format below
 * directly: the format is detected from the bytes (magic numbers and
 * container structure, never the file name), the text is extracted, and the
 * extracted text is what the document's views start from.  For such a
 * document, gw_document_original returns the extracted text (UTF-8, one LF
 * after every paragraph) and every byte offset indexes that text; the
 * paragraphs of a gw_extract (below) locate it in the original file (page,
 * paragraph number, part).  A plain-text file is read as before.
 *
 * Failures: GW_EUNSUPPORTED (a binary file of no readable format, a ZIP or
 * OLE2 file holding no document), GW_EDAMAGED (truncated or malformed
 * container, malformed XML, missing main part, a ZIP bomb past the caps),
 * GW_EENCRYPTED (password-protected), GW_ENOTEXT (a PDF or OFD with no text
 * layer: a scan, which needs OCR).  The message names the file and why. */

enum {
  GW_EUNSUPPORTED = -10, /* binary data of no format the library reads */
  GW_EDAMAGED = -11,     /* a document file that is truncated or malformed */
  GW_EENCRYPTED = -12,   /* a password-protected document */
  GW_ENOTEXT = -13       /* a document with no text layer (needs OCR) */
};

typedef enum gw_format {
  GW_FORMAT_TEXT = 0, /* plain text, decoded by gw_document as before */
  GW_FORMAT_DOCX,     /* Office Open XML word processing (Word, WPS) */
  GW_FORMAT_DOC,      /* Word 97-2003 binary or Kingsoft WPS (.doc, .wps) */
  GW_FORMAT_PDF,
  GW_FORMAT_OFD,      /* GB/T 33190 */
  GW_FORMAT_HTML,     /* a saved web page */
  GW_FORMAT_UNKNOWN   /* binary data of no readable format */
} gw_format;

/* "text", "docx", "doc", "pdf", "ofd", "html", "unknown". */
GW_EXPORT const char *gw_format_name(gw_format format);

/* The format the first bytes of a file announce (len may be the whole file
 * or its first GW_FORMAT_SNIFF_BYTES).  Containers are recognized by magic
 * here (any ZIP is GW_FORMAT_DOCX or GW_FORMAT_OFD only once opened: a ZIP
 * sniffs as GW_FORMAT_DOCX); extraction checks the structure.  When the
 * result is GW_FORMAT_UNKNOWN and `what` is not NULL, *what names the kind
 * of data when known ("PNG image", "ZIP archive"…) or is "binary data". */
#define GW_FORMAT_SNIFF_BYTES 4096
GW_EXPORT gw_format gw_format_sniff(const void *data, size_t len,
                                    const char **what);
/* The same from a file's first bytes (GW_EIO when it cannot be read). */
GW_EXPORT int gw_format_sniff_file(gw_format *out, const char *path,
                                   const char **what, gw_error *err);

#define GW_EXTRACT_OPTIONS_VERSION 1

typedef struct gw_extract_options {
  unsigned version;       /* GW_EXTRACT_OPTIONS_VERSION */
  size_t max_inflated;    /* ZIP containers: bytes inflated in all (0: 256
                             MiB); past it the file is refused as a bomb */
  size_t max_entries;     /* ZIP containers: entries (0: 65536) */
} gw_extract_options;

#define GW_EXTRACT_OPTIONS_INIT { GW_EXTRACT_OPTIONS_VERSION, 0, 0 }

/* Where an extracted paragraph stood in the original file. */
typedef enum gw_extract_part {
  GW_PART_BODY = 0,
  GW_PART_TABLE,    /* a table cell (one paragraph per cell, row order) */
  GW_PART_TEXT_BOX, /* a text box, after the paragraph that anchors it */
  GW_PART_FOOTNOTE  /* footnotes and endnotes, after the body */
} gw_extract_part;

/* "body", "table", "text_box", "footnote". */
GW_EXPORT const char *gw_extract_part_name(gw_extract_part part);

typedef struct gw_extract_paragraph {
  size_t start, end;    /* bytes of the extracted text, its LF excluded */
  size_t page;          /* 1-based page it starts on (PDF, OFD), else 0 */
  size_t source;        /* 0-based number in the original: the paragraph
                           element (w:p, HTML block) or Word paragraph mark
                           for DOCX, DOC, HTML; the line on its page for PDF
                           and OFD */
  int heading_level;    /* from the document's own markup: DOCX and DOC
                           heading style or outline level, HTML h1-h6 (1-9);
                           0 body; -1 where the format has none (PDF, OFD) */
  gw_extract_part part;
} gw_extract_paragraph;

/* Text extracted from a document file.  Immutable once loaded. */
typedef struct gw_extract gw_extract;

/* Extract a file or a buffer of any gw_format (plain text is decoded as
 * gw_document would and split at its line ends).  opts may be NULL. */
GW_EXPORT int gw_extract_load_file(gw_extract **out, const char *path,
                                   const gw_extract_options *opts,
                                   gw_error *err);
GW_EXPORT int gw_extract_load_buffer(gw_extract **out, const char *name,
                                     const void *data, size_t len,
                                     const gw_extract_options *opts,
                                     gw_error *err);
GW_EXPORT void gw_extract_free(gw_extract *extract);

GW_EXPORT gw_format gw_extract_format(const gw_extract *extract);
/* The extracted UTF-8 text: paragraphs in reading order, one LF after each. */
GW_EXPORT const char *gw_extract_text(const gw_extract *extract, size_t *len);
GW_EXPORT size_t gw_extract_paragraph_count(const gw_extract *extract);
GW_EXPORT const gw_extract_paragraph *gw_extract_paragraph_at(
    const gw_extract *extract, size_t index);
/* Pages of a PDF or OFD (0 for other formats). */
GW_EXPORT size_t gw_extract_page_count(const gw_extract *extract);

/* ------------------------------------------------------------------ */
/* Metadata: each report's unit, year and title (a TSV file)            */
/* ------------------------------------------------------------------ */

/* A metadata table, one row per report: path TAB unit TAB year TAB title,
 * any further columns kept as they are.  Lines starting with '#' and blank
 * lines are skipped, CR LF or LF ends a line, a UTF-8 BOM is dropped, and a
 * first row reading "path TAB unit TAB year ..." is a header.  Empty
 * columns are allowed (unit and title "", year 0).  A path starting with
 * "./" names the same file as without it.  Errors are GW_EFORMAT
 * "FILE:LINE: what is wrong" with gw_error.line set: an empty path, a year
 * that is not a whole number from 1 to 9999, a path given twice, a NUL
 * byte.  Immutable once loaded (shareable between threads). */
typedef struct gw_meta gw_meta;

typedef struct gw_meta_row {
  const char *path;    /* as written, "./" prefixes dropped */
  const char *unit;    /* "" when not given */
  int year;            /* 0 when not given */
  const char *title;   /* "" when not given */
  size_t extra_count;  /* columns after the fourth */
  const char *const *extras;
  size_t line;         /* 1-based line in the file */
} gw_meta_row;

GW_EXPORT int gw_meta_load_file(gw_meta **out, const char *path, gw_error *err);
/* `name` names the table in errors and may be NULL ("<buffer>"). */
GW_EXPORT int gw_meta_load_buffer(gw_meta **out, const char *name,
                                  const char *text, size_t len, gw_error *err);
GW_EXPORT void gw_meta_free(gw_meta *meta);
/* Rows in file order. */
GW_EXPORT size_t gw_meta_row_count(const gw_meta *meta);
GW_EXPORT const gw_meta_row *gw_meta_row_at(const gw_meta *meta, size_t index);
/* The row of a path (compared byte for byte after dropping "./"), or NULL. */
GW_EXPORT const gw_meta_row *gw_meta_find(const gw_meta *meta, const char *path);

/* ------------------------------------------------------------------ */
/* The archive: earlier reports kept on disk for copy detection          */
/* ------------------------------------------------------------------ */

/* An archive is a directory of immutable segments and a MANIFEST naming
 * the live ones (format: lib/archive/FORMAT.md).  Each segment holds its
 * documents' metadata, original text (reloading it gives the identical
 * document and offsets), paragraph table, and the sorted band keys and
 * winnowing fingerprints gw_dups computed, read by mmap.  A writer adds a
 * segment under a temporary name, fsyncs it, and commits a new manifest
 * generation by write-to-temporary, fsync, rename and fsync of the
 * directory: a crash at any moment leaves the previous generation whole.
 * One writer at a time (flock on ARCHIVE/LOCK); readers need no lock and
 * see the one generation they opened.  Document indexes run over the
 * segments in manifest order, each segment's documents sorted by path.
 *
 * The parameters that change results are fixed when the archive is made
 * and stored; opening with other parameters is refused (GW_EINVAL) naming
 * the difference.  A truncated or corrupted file is GW_EDAMAGED naming it;
 * a second writer gets GW_EIO with sys_errno EWOULDBLOCK.
 * A gw_archive is not thread-safe; gw_archive_document_load and
 * gw_archive_text_load may be called from several threads at once. */

#define GW_ARCHIVE_FORMAT_VERSION 3

typedef struct gw_archive_params {
  unsigned shingle_k, minhash_count, bands, min_paragraph_chars;
  unsigned passage_t, passage_k;   /* window = passage_t - passage_k + 1 */
  uint64_t seed;
  uint64_t terms_checksum;         /* gw_archive_checksum of the terms
                                      file; 0: official terms not used */
  uint64_t noise_checksum;         /* of the noise patterns; 0: none */
  char normalizer[32];             /* the normalizer's version
                                      (gw_normalizer_version(), decimal) */
} gw_archive_params;

/* The parameters of dups (NULL: the defaults) with the given checksums and
 * this library's normalizer. */
GW_EXPORT void gw_archive_params_init(gw_archive_params *out,
                                      const gw_dups_options *dups,
                                      uint64_t terms_checksum,
                                      uint64_t noise_checksum);
/* The index parameters of p (shingle_k, minhash_count, bands, seed,
 * min_paragraph_chars, passage_t, passage_k) into out; its other fields kept. */
GW_EXPORT void gw_archive_params_to_dups(gw_dups_options *out,
                                         const gw_archive_params *p);
/* gw-sum64 (FORMAT.md) of a file's bytes, for the checksums above. */
GW_EXPORT int gw_archive_checksum(uint64_t *out, const char *path, gw_error *err);

/* Make an empty archive in dir (created if missing; it must be empty). */
GW_EXPORT int gw_archive_create(const char *dir, const gw_archive_params *params,
                                gw_error *err);

enum { GW_ARCHIVE_READ = 0, GW_ARCHIVE_WRITE = 1 };

typedef struct gw_archive gw_archive;

/* Open an archive's current generation.  GW_ARCHIVE_WRITE takes the lock
 * (held until gw_archive_free) and removes what an interrupted writer left
 * (temporary files, segments no manifest names).  expected, when not NULL,
 * must equal the stored parameters. */
GW_EXPORT int gw_archive_open(gw_archive **out, const char *dir, int mode,
                              const gw_archive_params *expected, gw_error *err);
GW_EXPORT void gw_archive_free(gw_archive *archive);
GW_EXPORT const gw_archive_params *gw_archive_params_in_use(const gw_archive *a);
/* GW_OK when expected equals the stored parameters, else GW_EINVAL naming
 * the first difference. */
GW_EXPORT int gw_archive_params_match(const gw_archive *a,
                                      const gw_archive_params *expected,
                                      gw_error *err);
GW_EXPORT uint64_t gw_archive_generation(const gw_archive *a);

typedef struct gw_archive_segment {
  const char *name;     /* file name in the archive's directory */
  size_t documents;     /* all, deleted ones included */
  size_t deleted;
  uint64_t bytes;
  size_t first;         /* index of its first document */
} gw_archive_segment;

GW_EXPORT size_t gw_archive_segment_count(const gw_archive *a);
GW_EXPORT const gw_archive_segment *gw_archive_segment_at(const gw_archive *a,
                                                          size_t index);

/* What a report is added with. */
typedef struct gw_archive_entry {
  const char *path;   /* names it in the archive (unique among the live) */
  const char *unit;   /* "" when unknown */
  int year;           /* 0 when unknown */
  const char *title;  /* "" when none */
  const char *extras; /* further metadata columns, TAB-joined, or "" */
} gw_archive_entry;

typedef struct gw_archive_document {
  gw_archive_entry entry;
  int text_year;       /* the year from its text (gw_document_year) */
  size_t segment;
  int deleted;
  size_t characters;   /* as gw_dups counts them */
  size_t bytes;        /* of its original text */
  size_t paragraphs;
} gw_archive_document;

/* Every document, deleted ones included (deleted is then 1). */
GW_EXPORT size_t gw_archive_document_count(const gw_archive *a);
/* Filled into *out; GW_EINVAL for an index out of range. */
GW_EXPORT int gw_archive_document_at(gw_archive_document *out,
                                     const gw_archive *a, size_t index);
/* The live document added under path, or GW_NO_OFFSET. */
GW_EXPORT size_t gw_archive_find(const gw_archive *a, const char *path);
/* The document as it was added (its text checked against its checksum),
 * loaded with opts' noise and normalizer and the encoding options it was
 * added with. */
GW_EXPORT int gw_archive_document_load(gw_document **out, const gw_archive *a,
                                       size_t index,
                                       const gw_document_options *opts,
                                       gw_error *err);

/* An archived document's text decoded only, as gw_archive_document_load's
 * document gives it (gw_document_original, gw_document_text and the map
 * between them) without its noise patterns, normalized view or structure:
 * what a tool needs for lines and columns, at a fraction of a load's cost.
 * The text is checked against its checksum (GW_EDAMAGED names it); a text
 * gw_archive_document_load would refuse is refused with the same error. */
typedef struct gw_archive_text gw_archive_text;
GW_EXPORT int gw_archive_text_load(gw_archive_text **out, const gw_archive *a,
                                   size_t index, gw_error *err);
GW_EXPORT void gw_archive_text_free(gw_archive_text *t);
/* The original bytes' length (gw_document_original). */
GW_EXPORT size_t gw_archive_text_original_length(const gw_archive_text *t);
/* The decoded text (gw_document_text: UTF-8, BOM dropped). */
GW_EXPORT const char *gw_archive_text_decoded(const gw_archive_text *t,
                                              size_t *len);
/* gw_document_encoding and gw_document_replacements of the document. */
GW_EXPORT gw_encoding gw_archive_text_encoding(const gw_archive_text *t);
GW_EXPORT size_t gw_archive_text_replacements(const gw_archive_text *t);
/* gw_document_text_to_original: the original offset of a decoded one. */
GW_EXPORT size_t gw_archive_text_to_original(const gw_archive_text *t,
                                             size_t text_offset);

/* Mark documents deleted (tombstones) and commit a new generation. */
GW_EXPORT int gw_archive_remove(gw_archive *a, const size_t *indexes, size_t n,
                                gw_error *err);
/* Rewrite every segment with its live documents into one new segment and
 * commit; document order (and so every result) is unchanged. */
GW_EXPORT int gw_archive_merge(gw_archive *a, gw_error *err);
/* Add the live documents of another archive made with the same parameters
 * (segments built elsewhere from a disjoint batch) as one new segment, after
 * verifying it; GW_EINVAL for other parameters or a path already here. */
GW_EXPORT int gw_archive_import(gw_archive *a, const char *from_dir,
                                gw_error *err);
/* Check every file against its checksum and every segment's records. */
GW_EXPORT int gw_archive_verify(const gw_archive *a, gw_error *err);

/* Adding a batch of reports as one new segment. */
typedef struct gw_archive_writer gw_archive_writer;

/* a must be open for writing and outlive the writer. */
GW_EXPORT int gw_archive_writer_new(gw_archive_writer **out, gw_archive *a,
                                    gw_error *err);
/* Analyse doc (read during the call only; official as in gw_dups_add).
 * GW_EINVAL for a path already in the archive or in the batch.
 * `encoding` and `replace_invalid` are the options doc was loaded with. */
GW_EXPORT int gw_archive_writer_add(gw_archive_writer *w, const gw_document *doc,
                                    const gw_range *official, size_t n_official,
                                    const gw_archive_entry *entry,
                                    const gw_document_options *loaded_with,
                                    gw_error *err);
/* Write the segment (documents sorted by path) and commit a generation;
 * nothing when no document was added.  On failure the archive is as it
 * was. */
GW_EXPORT int gw_archive_writer_commit(gw_archive_writer *w, gw_error *err);
GW_EXPORT void gw_archive_writer_free(gw_archive_writer *w);

/* Checking a batch against the archive: candidates are the first live
 * archive holders (max(GW_DUPS_STAR_ABOVE + 1, template_min) of them, in
 * archive order) of each winnowing fingerprint of the batch, and the
 * documents with a paragraph sharing a band key with a batch paragraph
 * and passing gw_dups's exact test with it; their prepared index data, as
 * stored when they were added, runs with the batch through gw_dups, so a
 * batch document's pairs, spans, ratios and sources are the ones gw_dups
 * finds over archive + batch.  Families and clusters are computed over the
 * candidates (lib/archive/FORMAT.md says what that leaves out). */
#define GW_ARCHIVE_CHECK_OPTIONS_VERSION 1

typedef struct gw_archive_check_options {
  unsigned version;                /* GW_ARCHIVE_CHECK_OPTIONS_VERSION */
  gw_dups_options dups;            /* its index parameters must be the
                                      archive's; the others are free */
  gw_document_options document;    /* unused since format 2 (candidates
                                      are never reloaded) */
  const gw_terms *terms;           /* official spans; NULL: none */
} gw_archive_check_options;

typedef struct gw_archive_check gw_archive_check;

/* a must outlive the check (and opts' terms, noise, normalizer). */
GW_EXPORT int gw_archive_check_new(gw_archive_check **out, const gw_archive *a,
                                   const gw_archive_check_options *opts,
                                   gw_error *err);
/* A batch document (borrowed until gw_archive_check_run returns; entry's
 * strings too), or a base document (is_base 1, see gw_dups_set_base). */
GW_EXPORT int gw_archive_check_add(gw_archive_check *c, const gw_document *doc,
                                   const gw_range *official, size_t n_official,
                                   const gw_archive_entry *entry, int is_base,
                                   gw_error *err);
/* Find the candidates and run gw_dups over base documents, candidates (in
 * archive order) and the batch (in the order added). */
GW_EXPORT int gw_archive_check_run(gw_archive_check *c, gw_error *err);
/* The results: documents [0, base) are the base documents,
 * [base, base + archived) the archive's candidates, then the batch. */
GW_EXPORT const gw_dups *gw_archive_check_dups(const gw_archive_check *c);
GW_EXPORT size_t gw_archive_check_base_count(const gw_archive_check *c);
GW_EXPORT size_t gw_archive_check_archived_count(const gw_archive_check *c);
/* Result document i's entry (an archive document's as stored); NULL past
 * the end. */
GW_EXPORT const gw_archive_entry *gw_archive_check_entry_at(
    const gw_archive_check *c, size_t i);
/* Result document i's index in the archive; GW_NO_OFFSET for a base document,
 * a batch document or past the end. */
GW_EXPORT size_t gw_archive_check_archive_index_at(const gw_archive_check *c,
                                                   size_t i);
GW_EXPORT void gw_archive_check_free(gw_archive_check *c);

#ifdef __cplusplus
}
#endif

#endif /* GONGWEN_H */
