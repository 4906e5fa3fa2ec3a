/* gw-archive — an archive of earlier reports, and each new batch checked
 * against it: init, add, check, list, remove, merge, verify, import.  The
 * command line read and one command run (tools/archive/) over
 * gw_archive_* (lib/archive/, format in lib/archive/FORMAT.md). */
#include <stdlib.h>
#include <string.h>

#include "archive/archive.h"
#include "cli.h"
#include "dups_cli.h"
#include "gongwen.h"
#include "options.h"
#include "parallel.h"

/* gw-archive --help: this, then each command's options from its table
 * (main), then the notes; the man page is made from it. */
static const char help_description[] =
    "Keep earlier reports in an archive (a folder) and check each new batch\n"
    "against every earlier year: which reports copy another unit's report, or\n"
    "hand in the unit's own earlier report again (self-copy year over year).\n";

static const char help_commands[] =
    "Commands:\n"
    "  init ARCHIVE            make an empty archive; the copy-detection\n"
    "                          parameters are fixed here and stored\n"
    "  add ARCHIVE INPUT...    analyse reports and add them as one new segment\n"
    "  check ARCHIVE INPUT...  the batch against the archive and itself, as\n"
    "                          gw-dups reports it (documents, pairs, families,\n"
    "                          clusters); never a pair or family of archive\n"
    "                          documents alone; adds nothing\n"
    "  list ARCHIVE            segments, documents, units, years, sizes\n"
    "  remove ARCHIVE PATH...  mark documents deleted (--unit U: a unit's all)\n"
    "  merge ARCHIVE           rewrite the segments as one, dropping deleted\n"
    "                          documents; results unchanged\n"
    "  verify ARCHIVE          check every file against its checksum\n"
    "  import ARCHIVE FROM     add the documents of archive FROM (made elsewhere\n"
    "                          with the same parameters) as one new segment";

static const char help_notes[] =
    "check names every document by path, unit, year and where it is from\n"
    "(archive, batch, base); each document's sources are split into\n"
    "self_sources (its own unit's reports: self_earlier, the same unit's report\n"
    "of an earlier year; same_unit; self_later) and sources (other_unit, or\n"
    "unknown when a unit is not known).  Offsets (start, end) are bytes of the\n"
    "original file (of an archived report, the text it was added with); line\n"
    "and column say where start stands (from 1; the column in characters of\n"
    "its line).\n"
    "\n"
    "One writer at a time: a second add, remove or merge is refused while one\n"
    "runs; check, list and verify read one consistent generation meanwhile.\n"
    "\n"
    "Exit status: 0 every input analysed; 1 some inputs could not be read\n"
    "(listed in the output, the others analysed), or verify found damage;\n"
    "2 usage error or nothing done.\n";

typedef struct command {
  const char *name, *synopsis;
  const char *heading; /* of its options in gw-archive --help; NULL: none */
  const gw_opt *opts;
  size_t n;
  int inputs; /* takes operands after ARCHIVE */
  archive_command_fn run;
} command;

static int parse(gw_cli *cli, const char *synopsis, const gw_opt *opts, size_t n, int argc,
                 char **argv, int *first) {
  const gw_opt_table table = {synopsis, "See gw-archive --help.\n", opts, n, gw_opt_exit_status};
  return gw_opt_parse(cli, &table, argc, argv, first);
}

static int is_listed(const gw_opt *opts, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (opts[i].name && strcmp(opts[i].name, name) == 0) return 1;
  return 0;
}

/* The commands, then each one's options from its table, each option once
 * (under the first command that takes it), then the notes. */
static int print_help(gw_cli *cli, const command *commands, size_t n_commands) {
  enum { MOST = 96 };
  gw_opt opts[MOST];
  size_t n = 0;
  opts[n++] = gw_opt_heading(help_commands);
  for (size_t c = 0; c < n_commands; c++) {
    if (!commands[c].heading) continue;
    size_t heading = n;
    opts[n++] = gw_opt_heading(commands[c].heading);
    for (size_t i = 0; i < commands[c].n && n < MOST - 3; i++) {
      const gw_opt *o = &commands[c].opts[i];
      if (o->kind == GW_OPT_HELP || o->kind == GW_OPT_VERSION || o->kind == GW_OPT_HEADING ||
          is_listed(opts, n, o->name))
        continue;
      opts[n++] = *o;
    }
    if (n == heading + 1) n--; /* nothing new */
  }
  opts[n++] = gw_opt_heading("every command:");
  opts[n++] = gw_opt_help();
  opts[n++] = gw_opt_version();
  const gw_opt_table table = {"COMMAND ARCHIVE [OPTIONS] [FILE|DIR|-]...", help_description, opts,
                              n, help_notes};
  return gw_opt_print_usage(cli, &table);
}

/* The defaults: the library's, and every processor. */
static void config_init(archive_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->document = (gw_document_options)GW_DOCUMENT_OPTIONS_INIT;
  cfg->dups = (gw_dups_options)GW_DUPS_OPTIONS_INIT;
  cfg->threads = gw_par_default_threads();
}

/* The options read: -1 to go on, or the exit status of a usage error. */
static int config_settle(gw_cli *cli, archive_config *cfg) {
  if (cfg->compact && cfg->format == ARCHIVE_FORMAT_TEXT)
    return gw_cli_usage_error(cli, "--compact is for --format json");
  cfg->dups.threads = (unsigned)cfg->threads;
  return -1;
}

int main(int argc, char **argv) {
  gw_cli cli;
  gw_cli_init(&cli, "gw-archive");
  if (argc < 2) return gw_cli_usage_error(&cli, "a command is needed (init, add, check, list, "
                                          "remove, merge, verify)");
  const char *cmd = argv[1];
  if (strcmp(cmd, "--version") == 0) return gw_cli_print_version(&cli);
  archive_config cfg;
  config_init(&cfg);
  static const char *const formats[] = {"json", "jsonl", "text", NULL};
  gw_opt meta = {.name = "meta", .kind = GW_OPT_STRING, .target = &cfg.meta_path, .arg = "FILE",
                 .help = "TSV: path, unit, year, title (more columns\n"
                         "kept); without it the unit is the parent\n"
                         "folder's name and the year the one the text\n"
                         "names"};
  gw_dups_options *o = &cfg.dups;
  const gw_opt count_opts[] = {
      gw_opt_dups_shingle_k(o), gw_opt_dups_minhash(o), gw_opt_dups_bands(o), gw_opt_dups_seed(o),
      gw_opt_dups_min_paragraph(o), gw_opt_dups_passage_t(o), gw_opt_dups_passage_k(o),
      {.name = "no-terms", .kind = GW_OPT_FLAG, .target = &cfg.no_terms,
       .help = "count official formulations as copying too"},
      gw_opt_help(), gw_opt_version()};
  const gw_opt add_opts[] = {meta, gw_opt_threads(&cfg.threads),
                             GW_OPT_INPUT_OPTIONS(&cfg.list_path, &cfg.document)};
  const gw_opt check_opts[] = {
      meta,
      gw_opt_format(&cfg.format, formats,
                    "one JSON object (default), JSON Lines, or a\nsummary for the terminal", NULL),
      gw_opt_compact(&cfg.compact),
      {.name = "no-text", .kind = GW_OPT_FLAG, .target = &cfg.no_text,
       .help = "leave the passage text out"},
      {.name = "base", .kind = GW_OPT_STRINGS, .target = &cfg.base, .arg = "FILE|DIR",
       .help = "a base document (repeatable): text found\nin it is never copying"},
      gw_opt_dups_template_min(o), gw_opt_dups_max_sources(o), gw_opt_dups_all_pairs(o),
      gw_opt_dups_min_jaccard(o), gw_opt_dups_min_containment(o), gw_opt_dups_max_gap(o),
      gw_opt_threads(&cfg.threads),
      GW_OPT_INPUT_OPTIONS(&cfg.list_path, &cfg.document)};
  const gw_opt list_opts[] = {
      {.name = "documents", .kind = GW_OPT_FLAG, .target = &cfg.documents,
       .help = "every document, not only the segments and units"},
      gw_opt_compact(&cfg.compact), gw_opt_help(), gw_opt_version()};
  const gw_opt remove_opts[] = {
      {.name = "unit", .kind = GW_OPT_STRINGS, .target = &cfg.units, .arg = "U",
       .help = "every document of unit U (repeatable)"},
      gw_opt_help(), gw_opt_version()};
  const gw_opt plain_opts[] = {gw_opt_help(), gw_opt_version()};
  const command commands[] = {
      {"init", "init ARCHIVE [OPTIONS]", "init:", count_opts,
       sizeof count_opts / sizeof *count_opts, 0, archive_init},
      {"add", "add ARCHIVE [OPTIONS] [FILE|DIR|-]...", "add, check:", add_opts,
       sizeof add_opts / sizeof *add_opts, 1, archive_add},
      {"check", "check ARCHIVE [OPTIONS] [FILE|DIR|-]...", "check:", check_opts,
       sizeof check_opts / sizeof *check_opts, 1, archive_check},
      {"list", "list ARCHIVE [OPTIONS]", "list (and --compact):", list_opts,
       sizeof list_opts / sizeof *list_opts, 0, archive_list},
      {"remove", "remove ARCHIVE [--unit U]... [PATH]...", "remove:", remove_opts,
       sizeof remove_opts / sizeof *remove_opts, 1, archive_remove},
      {"merge", "merge ARCHIVE", NULL, plain_opts, 2, 0, archive_merge},
      {"verify", "verify ARCHIVE", NULL, plain_opts, 2, 0, archive_verify},
      {"import", "import ARCHIVE FROM", NULL, plain_opts, 2, 1, archive_import}};
  size_t n_commands = sizeof commands / sizeof *commands;
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
    int code = print_help(&cli, commands, n_commands);
    free(cfg.base.items);
    free(cfg.units.items);
    gw_cli_free(&cli);
    return code;
  }
  const struct command *c = NULL;
  for (size_t i = 0; i < n_commands; i++)
    if (strcmp(commands[i].name, cmd) == 0) c = &commands[i];
  if (!c) return gw_cli_usage_error(&cli, "unknown command '%s'", cmd);
  int first;
  int code = parse(&cli, c->synopsis, c->opts, c->n, argc - 1, argv + 1, &first);
  if (code >= 0) goto out;
  char **operands = argv + 1 + first;
  size_t n_operands = (size_t)(argc - 1 - first);
  if (!n_operands) {
    code = gw_cli_usage_error(&cli, "%s needs the ARCHIVE folder", cmd);
    goto out;
  }
  cfg.archive = operands[0];
  operands++;
  n_operands--;
  if (!c->inputs && n_operands) {
    code = gw_cli_usage_error(&cli, "%s takes no argument after ARCHIVE ('%s')", cmd, operands[0]);
    goto out;
  }
  code = config_settle(&cli, &cfg);
  if (code < 0) code = c->run(&cli, &cfg, operands, n_operands);
out:
  free(cfg.base.items);
  free(cfg.units.items);
  gw_cli_free(&cli);
  return code;
}
