/* help2man.c — a tool's man page from its --help and --version, at build
 * time, so that the page says what --help says (both come from the tool's
 * option table).  Written for the gw-* tools' --help layout:
 *
 *   usage: NAME SYNOPSIS
 *   description paragraph
 *   <blank>
 *     --option ARG         help
 *                          more help
 *   Heading:               (a group of options)
 *   <blank>
 *   further paragraphs ("Exit status: ..." becomes EXIT STATUS)
 *
 * usage: help2man TOOL OUTPUT.1 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_LINES = 512, LINE_MAX_BYTES = 1024 };

typedef struct lines {
  char *line[MAX_LINES];
  size_t count;
} lines;

static int read_command(const char *tool, const char *flag, lines *out) {
  char command[4096];
  snprintf(command, sizeof command, "'%s' %s", tool, flag);
  FILE *p = popen(command, "r");
  if (!p) return -1;
  char buf[LINE_MAX_BYTES];
  out->count = 0;
  while (fgets(buf, sizeof buf, p) && out->count < MAX_LINES) {
    buf[strcspn(buf, "\n")] = '\0';
    out->line[out->count++] = strdup(buf);
  }
  return pclose(p) == 0 && out->count > 0 ? 0 : -1;
}

/* Text for roff: backslashes doubled as \e, a leading '.' or '\'' guarded,
 * and, in option names, '-' as \-. */
static void put_text(FILE *out, const char *s, int dashes) {
  if (*s == '.' || *s == '\'') fputs("\\&", out);
  for (; *s; s++) {
    if (*s == '\\') fputs("\\e", out);
    else if (*s == '-' && dashes) fputs("\\-", out);
    else fputc(*s, out);
  }
}

static const char *skip_spaces(const char *s) {
  while (*s == ' ') s++;
  return s;
}

/* "  --name ARG   help": the name and argument, then the help (or ""). */
static void put_option(FILE *out, const char *line) {
  const char *s = skip_spaces(line);
  const char *gap = strstr(s, "  ");
  size_t head = gap ? (size_t)(gap - s) : strlen(s);
  char name[256];
  snprintf(name, sizeof name, "%.*s", (int)(head < sizeof name ? head : sizeof name - 1), s);
  fputs(".TP\n", out);
  char *arg = strchr(name, ' ');
  if (arg && strncmp(arg, " --", 3) != 0 && strncmp(arg, ", ", 2) != 0) {
    *arg++ = '\0';
    fputs(".BI ", out); /* the name bold, its argument italic */
    put_text(out, name, 1);
    fputs(" \" ", out);
    put_text(out, arg, 0);
    fputs("\"", out);
  } else {
    fputs(".B \"", out);
    put_text(out, name, 1);
    fputs("\"", out);
  }
  fputc('\n', out);
  if (gap) {
    put_text(out, skip_spaces(gap), 0);
    fputc('\n', out);
  }
}

static const char *const tools[] = {"gw-seg", "gw-terms", "gw-gap", "gw-dups", "gw-stats"};

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: help2man TOOL OUTPUT.1\n");
    return 2;
  }
  lines help, version;
  if (read_command(argv[1], "--help", &help) || read_command(argv[1], "--version", &version) ||
      strncmp(help.line[0], "usage: ", 7) != 0) {
    fprintf(stderr, "help2man: %s: cannot read --help and --version\n", argv[1]);
    return 1;
  }
  const char *usage = help.line[0] + 7;
  size_t name_len = strcspn(usage, " ");
  char name[64], upper[64];
  snprintf(name, sizeof name, "%.*s", (int)name_len, usage);
  for (size_t i = 0; i <= strlen(name); i++)
    upper[i] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 32 : name[i]);
  const char *version_text = strrchr(version.line[0], ' ');
  FILE *out = fopen(argv[2], "w");
  if (!out) {
    perror(argv[2]);
    return 1;
  }
  fprintf(out, ".\\\" Made by help2man.c from %s --help; do not edit.\n", name);
  fprintf(out, ".TH %s 1 \"\" \"gongwen%s\" \"gongwen manual\"\n", upper,
          version_text ? version_text : "");
  /* NAME: the description's first sentence. */
  size_t i = 1;
  char summary[LINE_MAX_BYTES * 4] = "";
  for (size_t k = 1; k < help.count && help.line[k][0]; k++) {
    strncat(summary, k > 1 ? " " : "", sizeof summary - strlen(summary) - 1);
    strncat(summary, help.line[k], sizeof summary - strlen(summary) - 1);
  }
  char *stop = strstr(summary, ": ");
  char *period = strstr(summary, ".  ");
  if (period && (!stop || period < stop)) stop = period;
  if (!stop) stop = strchr(summary, '.');
  fprintf(out, ".SH NAME\n%s \\- ", name);
  if (stop) *stop = '\0';
  put_text(out, summary, 0);
  fputs("\n.SH SYNOPSIS\n.B ", out);
  fputs(name, out);
  fputc('\n', out);
  put_text(out, usage + name_len + (usage[name_len] == ' '), 1);
  fputs("\n.SH DESCRIPTION\n", out);
  for (; i < help.count && help.line[i][0]; i++) {
    put_text(out, help.line[i], 0);
    fputc('\n', out);
  }
  fputs(".SH OPTIONS\n", out);
  for (i++; i < help.count && help.line[i][0]; i++) {
    const char *line = help.line[i];
    if (strncmp(line, "  --", 4) == 0 || (line[0] == ' ' && line[1] == ' ' &&
                                           line[2] >= 'a' && line[2] <= 'z')) {
      put_option(out, line); /* an option, or a command ("  init ARCHIVE  ...") */
    } else if (line[0] != ' ') {
      fputs(".SS ", out);
      put_text(out, line, 0);
      fputc('\n', out);
    } else {
      put_text(out, skip_spaces(line), 0);
      fputc('\n', out);
    }
  }
  /* Further paragraphs; "Exit status:" opens its own section. */
  int in_exit = 0;
  for (; i < help.count; i++) {
    const char *line = help.line[i];
    if (!line[0]) {
      fputs(".PP\n", out);
      continue;
    }
    if (strncmp(line, "Exit status: ", 13) == 0) {
      fputs(".SH \"EXIT STATUS\"\n", out);
      line += 13;
      in_exit = 1;
    } else if (!in_exit && i > 0 && !help.line[i - 1][0]) {
      fputs(".SH NOTES\n", out);
    }
    put_text(out, line, 0);
    fputc('\n', out);
  }
  fputs(".SH ENVIRONMENT\n.TP\n.B GONGWEN_DATA_DIR\n"
        "The data folder (the compiled dictionary gongwen.gwd, terms.tsv, noise.txt,\n"
        "stopwords.txt).  By default share/gongwen beside the executable's folder.\n"
        ".SH \"SEE ALSO\"\n",
        out);
  int first = 1;
  for (size_t t = 0; t < sizeof tools / sizeof *tools; t++) {
    if (strcmp(tools[t], name) == 0) continue;
    fprintf(out, "%s.BR %s (1)", first ? "" : ",\n", tools[t]);
    first = 0;
  }
  fputs("\n.PP\nThe README of gongwen describes every JSON field.\n", out);
  int failed = ferror(out) | (fclose(out) != 0);
  for (size_t k = 0; k < help.count; k++) free(help.line[k]);
  for (size_t k = 0; k < version.count; k++) free(version.line[k]);
  return failed;
}
