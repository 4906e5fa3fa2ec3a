/*
 * cli.h — what the gw-* tools share: turning arguments (files, folders, `-`,
 * --list FILE) into a list of inputs, loading them as documents while
 * collecting the ones that fail, finding the data directory, diagnostics and
 * progress on stderr, and JSON on stdout.
 *
 * Functions that can fail return 0 or -1; the ones that concern an input
 * record a failure (path + message) so that the tool goes on with the other
 * inputs and lists the bad ones in its output ("errors": [{"path": …,
 * "error": …}]).  The tools write JSON with tools/json_writer.
 */
#ifndef GW_CLI_H
#define GW_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>


#include "gongwen.h"

/* Exit codes, as documented in the README. */
enum {
  GW_EXIT_OK = 0,       /* every input was analysed */
  GW_EXIT_SOME_BAD = 1, /* some inputs could not be read or decoded */
  GW_EXIT_FAILURE = 2   /* usage error, or nothing could be done */
};

/* The path names stdin as an input. */
#define GW_CLI_STDIN "-"

typedef struct gw_cli_input {
  char *path; /* as given, or joined from a folder given ("docs/a/b.txt");
                 GW_CLI_STDIN for stdin */
} gw_cli_input;

typedef struct gw_cli_failure {
  char *path;    /* the input, as in gw_cli_input.path */
  char *message; /* "PATH:OFFSET: what went wrong" (a gw_error message) */
} gw_cli_failure;

typedef struct gw_cli {
  const char *program; /* "gw-seg": prefixes every diagnostic */
  FILE *diagnostics;   /* stderr; NULL keeps quiet (tests) */
  int show_progress;   /* stderr is a terminal */
  gw_cli_input *inputs;
  size_t input_count, input_capacity;
  gw_cli_failure *failures;
  size_t failure_count, failure_capacity;
  size_t loaded;        /* inputs gw_cli_load loaded */
  int progress_visible; /* a progress line is on the terminal */
  double progress_time; /* when it was last drawn (monotonic seconds) */
} gw_cli;

void gw_cli_init(gw_cli *cli, const char *program);
void gw_cli_free(gw_cli *cli);

/* ---- Inputs ---- */

/* Add one argument: GW_CLI_STDIN, a file (anything that is not a folder:
 * pipes such as /dev/fd/63 included) or a folder.  A folder adds the regular
 * files below it, recursively, sorted by path in byte order; names starting
 * with '.' are skipped, symbolic links to folders are not followed.  A path
 * that cannot be examined is recorded as a failure.  -1 only when out of
 * memory. */
int gw_cli_add_path(gw_cli *cli, const char *path);

/* Add every path listed in list_path (one per line, CR LF or LF, blank lines
 * skipped; GW_CLI_STDIN reads the list from stdin) as gw_cli_add_path does.
 * -1 when the list cannot be read or out of memory (either reported). */
int gw_cli_add_list(gw_cli *cli, const char *list_path);

/* The usual command line: the list (if list_path is not NULL), then the
 * arguments; neither means stdin.  0, or -1 after reporting why (the list
 * cannot be read, out of memory). */
int gw_cli_collect(gw_cli *cli, char *const *args, size_t n_args,
                   const char *list_path);

/* ---- Documents ---- */

/* Load input `index` (stdin read whole).  On failure, records it, reports it
 * on stderr and returns the GW_E* code; *doc is then NULL. */
int gw_cli_load(gw_cli *cli, size_t index, const gw_document_options *opts,
                gw_document **doc);

/* gw_cli_load in two halves, for loading on worker threads: the first
 * loads without touching cli (on failure *message, malloc'd, holds the whole
 * message); the second, on the calling thread in input order, counts the
 * input loaded or records its failure, and returns rc (GW_ENOMEM when the
 * failure could not be recorded). */
int gw_cli_load_input(const gw_cli *cli, size_t index, const gw_document_options *opts,
                      gw_document **doc, char **message);
int gw_cli_loaded(gw_cli *cli, size_t index, int rc, const char *message);

/* Record a failed input (reported on stderr at once).  For failures after
 * loading, e.g. in segmentation.  -1 when out of memory. */
int gw_cli_add_failure(gw_cli *cli, const char *path, const char *message);

/* The failures as a JSON array [{"path": …, "error": …}] in the order they
 * happened: paths that could not be collected, then inputs in input order. */
struct gw_json;
void gw_cli_write_failures(struct gw_json *w, const gw_cli *cli);
/* Failure i's members, "path" and "error", inside an open object (a JSON
 * Lines record adds its "record" before them). */
void gw_cli_write_failure(struct gw_json *w, const gw_cli *cli, size_t i);
/* The failures for a terminal: "Could not be read (N):" after a blank
 * line, then each message on its line; nothing when there are none. */
void gw_cli_print_failures(FILE *out, const gw_cli *cli);
/* The end of a tool's JSON: its last member "errors" (the failures), the
 * top object closed, a line end. */
void gw_cli_write_errors_last(struct gw_json *w, const gw_cli *cli);

/* ---- Diagnostics ---- */

/* "PROGRAM: error: MESSAGE" on stderr. */
void gw_cli_error(gw_cli *cli, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Report a usage error with a pointer to --help; returns GW_EXIT_FAILURE. */
int gw_cli_usage_error(gw_cli *cli, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* "PROGRAM: DONE/TOTAL PATH" on one terminal line, redrawn in place at most
 * ten times a second; nothing when stderr is not a terminal. */
void gw_cli_progress(gw_cli *cli, size_t done, size_t total, const char *path);
/* Erase the progress line. */
void gw_cli_progress_end(gw_cli *cli);

/* ---- Options ---- */

/* An --encoding value: utf-8 (utf8), gb18030 (gbk, gb2312), utf-16le,
 * utf-16be or auto.  -1 for anything else. */
int gw_cli_parse_encoding(const char *name, gw_encoding *out);

/* A whole decimal number in [lo, hi] (nothing else in s).  -1 if not. */
int gw_cli_parse_long(const char *s, long lo, long hi, long *out);

/* ---- Data files ---- */

/* The data directory (malloc'd): $GONGWEN_DATA_DIR if set, else
 * <directory of the executable>/../share/gongwen if it exists (the build tree
 * and an installed prefix alike), else gw_cli_install_data_dir(). */
char *gw_cli_data_dir(void);
/* The same rule with its inputs given: env_value and exe_path (a canonical
 * path, as /proc/self/exe) may be NULL. */
char *gw_cli_resolve_data_dir(const char *env_value, const char *exe_path);
/* The data directory compiled in (CMAKE_INSTALL_FULL_DATADIR/gongwen). */
const char *gw_cli_install_data_dir(void);
/* data_dir/name (malloc'd); data_dir NULL means gw_cli_data_dir(). */
char *gw_cli_data_file(const char *data_dir, const char *name);

/* ---- Output ---- */

/* --help and --version on stdout: GW_EXIT_OK, or GW_EXIT_FAILURE (reported)
 * when they could not be written. */
int gw_cli_print_help(gw_cli *cli, const char *text);
int gw_cli_print_version(gw_cli *cli);

/* The exit code from what happened: GW_EXIT_OK when every input was loaded,
 * GW_EXIT_SOME_BAD when some failed, GW_EXIT_FAILURE when none was loaded. */
int gw_cli_exit_code(const gw_cli *cli);

/* End the run: erase the progress line, flush and close stdout, and return
 * the exit code — GW_EXIT_FAILURE (reported) if writing stdout failed or
 * there was no input at all. */
int gw_cli_finish(gw_cli *cli);

#endif /* GW_CLI_H */
