/* options.c — table-driven command lines (see options.h). */
#include "options.h"
#include "grow.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_out.h"

enum { OPTION_VALUE_BASE = 256, HELP_COLUMN = 23 };

const char gw_opt_exit_status[] =
    "Exit status: 0 every input analysed; 1 some inputs could not be read\n"
    "(listed in the output, the others analysed); 2 usage error or nothing done.\n";

/* ---- --help ---- */

typedef struct text_buffer {
  char *text;
  size_t len, cap;
  int failed;
} text_buffer;

static void put(text_buffer *b, const char *s, size_t n) {
  if (b->failed) return;
  /* Twice what is needed: usage text comes in a few long pieces. */
  if (b->len + n + 1 > b->cap && GW_CLI_GROW(b->text, b->cap, (b->len + n + 1) * 2)) {
    b->failed = 1;
    return;
  }
  memcpy(b->text + b->len, s, n);
  b->len += n;
  b->text[b->len] = '\0';
}

static void puts_buffer(text_buffer *b, const char *s) { put(b, s, strlen(s)); }

static void pad_to(text_buffer *b, size_t used, size_t column) {
  if (used >= column) {
    puts_buffer(b, "\n");
    used = 0;
  }
  for (; used < column; used++) put(b, " ", 1);
}

/* " (default V)": the target's value before parsing. */
static void put_default(text_buffer *b, const gw_opt *o) {
  char value[64];
  switch (o->kind) {
  case GW_OPT_COUNT: snprintf(value, sizeof value, "%zu", *(const size_t *)o->target); break;
  case GW_OPT_INT: snprintf(value, sizeof value, "%d", *(const int *)o->target); break;
  case GW_OPT_UNSIGNED: snprintf(value, sizeof value, "%u", *(const unsigned *)o->target); break;
  case GW_OPT_NUMBER: snprintf(value, sizeof value, "%g", *(const double *)o->target); break;
  case GW_OPT_UINT64:
    snprintf(value, sizeof value, "0x%" PRIx64, *(const uint64_t *)o->target);
    break;
  default: return;
  }
  puts_buffer(b, " (default ");
  puts_buffer(b, value);
  puts_buffer(b, ")");
}

/* "  --name ARG" and the help, its further lines under the first. */
static void usage_option(text_buffer *b, const gw_opt *o) {
  if (o->kind == GW_OPT_HEADING) {
    puts_buffer(b, o->help);
    puts_buffer(b, "\n");
    return;
  }
  if (o->kind == GW_OPT_VERSION) return; /* on --help's line */
  size_t start = b->len;
  puts_buffer(b, "  --");
  puts_buffer(b, o->name);
  if (o->kind == GW_OPT_HELP) {
    puts_buffer(b, ", --version\n");
    return;
  }
  if (o->arg) {
    puts_buffer(b, " ");
    puts_buffer(b, o->arg);
  } else if (o->kind == GW_OPT_CHOICE) {
    for (size_t i = 0; o->choices[i]; i++) {
      puts_buffer(b, i ? "|" : " ");
      puts_buffer(b, o->choices[i]);
    }
  }
  pad_to(b, b->failed ? 0 : b->len - start, HELP_COLUMN);
  for (const char *line = o->help; *line;) {
    size_t n = strcspn(line, "\n");
    put(b, line, n);
    if (o->show_default && !line[n]) put_default(b, o);
    puts_buffer(b, "\n");
    line += n;
    if (*line == '\n') {
      line++;
      pad_to(b, 0, HELP_COLUMN);
    }
  }
}

char *gw_opt_usage(const gw_cli *cli, const gw_opt_table *table) {
  text_buffer b = {0};
  puts_buffer(&b, "usage: ");
  puts_buffer(&b, cli->program);
  puts_buffer(&b, " ");
  puts_buffer(&b, table->synopsis);
  puts_buffer(&b, "\n");
  puts_buffer(&b, table->description);
  puts_buffer(&b, "\n");
  for (size_t i = 0; i < table->count; i++) usage_option(&b, &table->opts[i]);
  if (table->epilogue) {
    puts_buffer(&b, "\n");
    puts_buffer(&b, table->epilogue);
  }
  if (b.failed) {
    free(b.text);
    return NULL;
  }
  return b.text;
}

/* ---- parsing ---- */

int gw_opt_print_usage(gw_cli *cli, const gw_opt_table *table) {
  char *text = gw_opt_usage(cli, table);
  if (!text) {
    gw_cli_error(cli, "out of memory");
    return GW_EXIT_FAILURE;
  }
  int code = gw_cli_print_help(cli, text);
  free(text);
  return code;
}

/* "json or text", "a, b or c". */
static void choice_list(char *out, size_t size, const char *const *choices) {
  size_t n = 0, len = 0;
  while (choices[n]) n++;
  out[0] = '\0';
  for (size_t i = 0; i < n && len < size; i++)
    len += (size_t)snprintf(out + len, size - len, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ",
                            choices[i]);
}

static int number_error(gw_cli *cli, const gw_opt *o, const char *given, const char *value) {
  if (o->kind == GW_OPT_NUMBER)
    return gw_cli_usage_error(cli, "%s needs a number from %g to %g, not '%s'", given, o->lo, o->hi,
                              value);
  return gw_cli_usage_error(cli, "%s needs a whole number from %.0f to %.0f, not '%s'", given,
                            o->lo, o->hi, value);
}

/* The option's value into its target; an exit code on a usage error, -1
 * to go on. */
static int take_value(gw_cli *cli, const gw_opt_table *table, const gw_opt *o,
                      const char *given, const char *value) {
  if (o->given) *o->given = 1;
  switch (o->kind) {
  case GW_OPT_FLAG: *(int *)o->target = 1; return -1;
  case GW_OPT_STRING: *(const char **)o->target = value; return -1;
  case GW_OPT_STRINGS: {
    gw_opt_strings *list = o->target;
    list->items[list->count++] = value;
    return -1;
  }
  case GW_OPT_COUNT:
  case GW_OPT_INT:
  case GW_OPT_UNSIGNED: {
    long v;
    if (gw_cli_parse_long(value, (long)o->lo, (long)o->hi, &v))
      return number_error(cli, o, given, value);
    if (o->kind == GW_OPT_COUNT) *(size_t *)o->target = (size_t)v;
    else if (o->kind == GW_OPT_UNSIGNED) *(unsigned *)o->target = (unsigned)v;
    else *(int *)o->target = (int)v;
    return -1;
  }
  case GW_OPT_UINT64: {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(value, &end, 0);
    if (!*value || *end || errno || *value == '-')
      return gw_cli_usage_error(cli, "%s needs a whole number (decimal, or hex after 0x), not '%s'",
                                given, value);
    *(uint64_t *)o->target = (uint64_t)v;
    return -1;
  }
  case GW_OPT_NUMBER: {
    char *end;
    errno = 0;
    double v = strtod(value, &end);
    if (!*value || *end || errno || !isfinite(v) || v < o->lo || v > o->hi)
      return number_error(cli, o, given, value);
    *(double *)o->target = v;
    return -1;
  }
  case GW_OPT_CHOICE:
    for (int i = 0; o->choices[i]; i++)
      if (strcmp(value, o->choices[i]) == 0) {
        *(int *)o->target = i;
        return -1;
      }
    {
      char list[256];
      choice_list(list, sizeof list, o->choices);
      return gw_cli_usage_error(cli, "unknown value '%s' for %s (%s)", value, given, list);
    }
  case GW_OPT_ENCODING:
    if (gw_cli_parse_encoding(value, o->target) == 0) return -1;
    return gw_cli_usage_error(cli,
                              "unknown encoding '%s' for %s (utf-8, gb18030, utf-16le or "
                              "utf-16be)",
                              value, given);
  case GW_OPT_HELP: return gw_opt_print_usage(cli, table);
  case GW_OPT_VERSION: return gw_cli_print_version(cli);
  case GW_OPT_HEADING: break;
  }
  return -1;
}

static int has_argument(gw_opt_kind kind) {
  return kind != GW_OPT_FLAG && kind != GW_OPT_HELP && kind != GW_OPT_VERSION;
}

/* The option as the user wrote it, without "=value": the error names it. */
static void given_name(char *out, size_t size, const char *arg) {
  size_t n = strcspn(arg, "=");
  snprintf(out, size, "%.*s", (int)(n < size - 1 ? n : size - 1), arg);
}

int gw_opt_parse(gw_cli *cli, const gw_opt_table *table, int argc, char **argv,
                 int *first_operand) {
  struct option *longopts = calloc(table->count + 1, sizeof *longopts);
  if (!longopts) {
    gw_cli_error(cli, "out of memory");
    return GW_EXIT_FAILURE;
  }
  size_t n = 0;
  char shorts[64] = ":"; /* getopt's: ':' first reports a missing argument */
  size_t shorts_len = 1;
  for (size_t i = 0; i < table->count; i++) {
    const gw_opt *o = &table->opts[i];
    if (o->kind == GW_OPT_HEADING) continue;
    if (o->short_name && shorts_len + 3 < sizeof shorts) {
      shorts[shorts_len++] = o->short_name;
      if (has_argument(o->kind)) shorts[shorts_len++] = ':';
      shorts[shorts_len] = '\0';
    }
    if (o->kind == GW_OPT_STRINGS) {
      gw_opt_strings *list = o->target;
      if (!list->items) list->items = calloc((size_t)argc, sizeof *list->items);
      if (!list->items) {
        free(longopts);
        gw_cli_error(cli, "out of memory");
        return GW_EXIT_FAILURE;
      }
    }
    longopts[n++] = (struct option){o->name, has_argument(o->kind) ? required_argument : no_argument,
                                    NULL, OPTION_VALUE_BASE + (int)i};
  }
  int code = -1, c;
  opterr = 0;
  optind = 1;
  while (code < 0 && (c = getopt_long(argc, argv, shorts, longopts, NULL)) != -1) {
    char given[128];
    for (size_t i = 0; c > 0 && c != ':' && c < OPTION_VALUE_BASE && i < table->count; i++)
      if (table->opts[i].short_name == c && table->opts[i].kind != GW_OPT_HEADING)
        c = OPTION_VALUE_BASE + (int)i;
    if (c == ':' || c < OPTION_VALUE_BASE) {
      given_name(given, sizeof given, argv[optind - 1]);
      code = c == ':' ? gw_cli_usage_error(cli, "%s needs an argument", given)
                      : gw_cli_usage_error(cli, "unknown option '%s'", given);
      break;
    }
    /* Named in full, as --help names it, even when given abbreviated. */
    const gw_opt *o = &table->opts[c - OPTION_VALUE_BASE];
    snprintf(given, sizeof given, "--%s", o->name);
    code = take_value(cli, table, o, given, optarg);
  }
  free(longopts);
  *first_operand = optind;
  return code;
}

/* ---- options every tool words the same ---- */

gw_opt gw_opt_format(int *target, const char *const *choices, const char *help,
                     int *given) {
  return (gw_opt){.name = "format", .kind = GW_OPT_CHOICE, .target = target,
                  .help = help, .choices = choices, .given = given};
}

gw_opt gw_opt_compact(int *target) {
  return (gw_opt){.name = "compact", .kind = GW_OPT_FLAG, .target = target,
                  .help = "JSON on one line"};
}

gw_opt gw_opt_list(const char **target) {
  return (gw_opt){.name = "list", .kind = GW_OPT_STRING, .target = target, .arg = "FILE",
                  .help = "read input paths from FILE, one per line"};
}

gw_opt gw_opt_encoding(gw_encoding *target) {
  return (gw_opt){.name = "encoding", .kind = GW_OPT_ENCODING, .target = target, .arg = "ENC",
                  .help = "utf-8, gb18030, utf-16le or utf-16be (default: detect)"};
}

gw_opt gw_opt_replace_invalid(int *target) {
  return (gw_opt){.name = "replace-invalid", .kind = GW_OPT_FLAG, .target = target,
                  .help = "replace invalid UTF-8 with U+FFFD instead of failing"};
}

gw_opt gw_opt_year(int *target, const char *help) {
  return (gw_opt){.name = "year", .kind = GW_OPT_INT, .target = target, .arg = "YEAR",
                  .help = help, .lo = 1900, .hi = 2100};
}

gw_opt gw_opt_top(size_t *target, const char *help, int *given) {
  return (gw_opt){.name = "top", .kind = GW_OPT_COUNT, .target = target, .arg = "N",
                  .help = help, .lo = 0, .hi = 100000000, .given = given};
}

gw_opt gw_opt_dictionary(const char **target) {
  return (gw_opt){.name = "dictionary", .kind = GW_OPT_STRING, .target = target, .arg = "FILE",
                  .help = "use this compiled dictionary (.gwd)"};
}

gw_opt gw_opt_terms(gw_opt_strings *target) {
  return (gw_opt){.name = "terms", .kind = GW_OPT_STRINGS, .target = target, .arg = "FILE",
                  .help = "add a term file (terms.tsv format), repeatable"};
}

gw_opt gw_opt_no_default_terms(int *target) {
  return (gw_opt){.name = "no-default-terms", .kind = GW_OPT_FLAG, .target = target,
                  .help = "do not load the data directory's terms.tsv"};
}

gw_opt gw_opt_threads(size_t *target) {
  return (gw_opt){.name = "threads", .kind = GW_OPT_COUNT, .target = target, .arg = "N",
                  .help = "documents worked on at once (default: every core\nthis process may use); "
                          "the output is the same",
                  .lo = 1, .hi = 1024};
}

gw_opt gw_opt_heading(const char *text) {
  return (gw_opt){.kind = GW_OPT_HEADING, .help = text};
}

gw_opt gw_opt_help(void) { return (gw_opt){.name = "help", .kind = GW_OPT_HELP}; }

gw_opt gw_opt_version(void) { return (gw_opt){.name = "version", .kind = GW_OPT_VERSION}; }
