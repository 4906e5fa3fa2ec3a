/* options.h — the tools' command lines, table-driven: each tool lists its
 * options once (name, kind of argument, where the value goes, its range,
 * its help), and the parsing, the usage errors and the --help text all come
 * from that table.  The man pages are made from --help at build time
 * (man/help2man.c), so they say what the table says.
 *
 * Options shared by several tools are made by the gw_opt_* functions below,
 * so that --format, --compact, --list, --encoding, --replace-invalid,
 * --year, --top, --help and --version mean the same in every tool. */
#ifndef GW_OPTIONS_H
#define GW_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"

typedef enum gw_opt_kind {
  GW_OPT_HEADING,  /* not an option: a heading line in --help ("Copied passages:") */
  GW_OPT_FLAG,     /* int *: set to 1 */
  GW_OPT_STRING,   /* const char **: the argument */
  GW_OPT_STRINGS,  /* gw_opt_strings *: each argument, repeatable */
  GW_OPT_COUNT,    /* size_t *: a whole number in [lo, hi] */
  GW_OPT_INT,      /* int *: a whole number in [lo, hi] */
  GW_OPT_NUMBER,   /* double *: a number in [lo, hi] */
  GW_OPT_CHOICE,   /* int *: the index of the argument in choices */
  GW_OPT_ENCODING, /* gw_encoding * */
  GW_OPT_HELP,
  GW_OPT_VERSION,
  GW_OPT_UNSIGNED, /* unsigned *: a whole number in [lo, hi] */
  GW_OPT_UINT64    /* uint64_t *: a whole number, decimal or 0x hex */
} gw_opt_kind;

typedef struct gw_opt_strings {
  const char **items; /* room for argc items, set by gw_opt_parse */
  size_t count;
} gw_opt_strings;

typedef struct gw_opt {
  const char *name;  /* without "--" */
  gw_opt_kind kind;
  void *target;
  const char *arg;   /* the argument's name in --help ("N", "FILE") */
  const char *help;  /* may hold '\n' for more lines */
  double lo, hi;     /* GW_OPT_COUNT, GW_OPT_INT, GW_OPT_NUMBER */
  const char *const *choices; /* GW_OPT_CHOICE, NULL-terminated */
  int *given;        /* if not NULL, set to 1 when the option is given */
  int show_default;  /* --help ends the help with "(default V)", V read
                        from the target before parsing: the default is
                        written once, where the target is initialised */
  char short_name;   /* a one-letter alias ('o' for -o), 0 for none; the
                        help mentions it (--help lines name long options) */
} gw_opt;

typedef struct gw_opt_table {
  const char *synopsis;    /* "[OPTIONS] [FILE|DIR|-]..." */
  const char *description; /* paragraph(s) after the usage line */
  const gw_opt *opts;
  size_t count;
  const char *epilogue;    /* after the options (exit status...) */
} gw_opt_table;

/* Parse argv by the table.  Returns -1 to go on (the operands start at
 * *first_operand), or an exit code: GW_EXIT_OK after --help or --version,
 * GW_EXIT_FAILURE after a usage error (reported, naming the option as
 * given). */
int gw_opt_parse(gw_cli *cli, const gw_opt_table *table, int argc, char **argv,
                 int *first_operand);

/* The --help text (malloc'd). */
char *gw_opt_usage(const gw_cli *cli, const gw_opt_table *table);
/* It on stdout, as --help prints it: GW_EXIT_OK, or GW_EXIT_FAILURE
 * (reported) when it could not be made or written. */
int gw_opt_print_usage(gw_cli *cli, const gw_opt_table *table);

/* ---- options every tool words the same ---- */

/* A format from choices ("json", "text", NULL), the first the default. */
gw_opt gw_opt_format(int *target, const char *const *choices, const char *help,
                     int *given);
gw_opt gw_opt_compact(int *target);
gw_opt gw_opt_list(const char **target);
gw_opt gw_opt_encoding(gw_encoding *target);
gw_opt gw_opt_replace_invalid(int *target);
gw_opt gw_opt_year(int *target, const char *help);
gw_opt gw_opt_top(size_t *target, const char *help, int *given);
gw_opt gw_opt_dictionary(const char **target);
gw_opt gw_opt_terms(gw_opt_strings *target);
gw_opt gw_opt_no_default_terms(int *target);
/* --threads N: how many documents are worked on at once (1-1024); the
 * caller sets the default, gw_par_default_threads(). */
gw_opt gw_opt_threads(size_t *target);
gw_opt gw_opt_help(void);
/* A heading line in --help ("Copied passages:"). */
gw_opt gw_opt_heading(const char *text);
gw_opt gw_opt_version(void);

/* The options of every tool that reads inputs, ending its table: --list,
 * --encoding, --replace-invalid (into a gw_document_options), --help,
 * --version. */
#define GW_OPT_INPUT_OPTIONS(list_path, document)                          \
  gw_opt_list(list_path), gw_opt_encoding(&(document)->encoding),           \
      gw_opt_replace_invalid(&(document)->replace_invalid), gw_opt_help(), \
      gw_opt_version()

/* The exit-status paragraph of tools that read many inputs. */
extern const char gw_opt_exit_status[];

#endif
