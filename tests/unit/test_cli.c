/* The tools' shared code: collecting inputs from folders and lists, loading
 * with failures collected, the data directory, JSON output, exit codes. */
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "harness.h"
#include "json_writer.h"
#include "options.h"
#include "parallel.h"
#include "positions.h"
#include "text_out.h"

static char tmp[256];

/* tmp/rel.  The buffers are reused round-robin: enough for the paths one
 * test holds at a time. */
static char *path_of(const char *rel) {
  static char buf[64][512];
  static int next;
  char *out = buf[next++ % 64];
  snprintf(out, sizeof buf[0], "%s/%s", tmp, rel);
  return out;
}

static void write_file(const char *rel, const void *bytes, size_t len) {
  FILE *f = fopen(path_of(rel), "wb");
  if (!f || fwrite(bytes, 1, len, f) != len || fclose(f) != 0) {
    perror(rel);
    exit(1);
  }
}

static void make_dir(const char *rel) {
  if (mkdir(path_of(rel), 0700) != 0) {
    perror(rel);
    exit(1);
  }
}

static void make_link(const char *target, const char *rel) {
  if (symlink(target, path_of(rel)) != 0) {
    perror(rel);
    exit(1);
  }
}

/* tree/ holds what a walk must find, skip and report. */
static void make_tree(void) {
  const char *files[] = {"tree/b.txt", "tree/a.txt", "tree/B.txt",
                         "tree/a/z.txt", "tree/sub/deeper/c.txt",
                         "tree/.hidden.txt", "tree/.git/config",
                         "tree/sub/.swap", "other/x.txt",
                         /* not reports: a folder contributes .txt files */
                         "tree/README.md", "tree/sub/original.pdf"};
  make_dir("tree");
  make_dir("tree/a");
  make_dir("tree/sub");
  make_dir("tree/sub/deeper");
  make_dir("tree/.git");
  make_dir("other");
  for (size_t i = 0; i < sizeof files / sizeof *files; i++)
    write_file(files[i], "text\n", 5);
  make_link("../other", "tree/linked-dir");   /* not followed */
  make_link("../other/x.txt", "tree/link.txt"); /* a file: taken */
  make_link("nowhere.txt", "tree/dangling");   /* reported */
  if (mkfifo(path_of("tree/fifo"), 0600) != 0) perror("mkfifo");
}

static void check_inputs(const gw_cli *cli, const char *const *expected,
                         size_t n) {
  CHECK_EQ_SIZE(cli->input_count, n);
  for (size_t i = 0; i < n && i < cli->input_count; i++) {
    if (strcmp(cli->inputs[i].path, expected[i]) != 0) {
      fprintf(stderr, "input %zu: expected %s, got %s\n", i, expected[i],
              cli->inputs[i].path);
      CHECK(0);
    }
  }
}

static void test_walk(void) {
  gw_cli cli;
  gw_cli_init(&cli, "gw-test");
  cli.diagnostics = NULL;
  char tree[512];
  snprintf(tree, sizeof tree, "%s/tree", tmp);
  CHECK(gw_cli_add_path(&cli, tree) == 0);
  /* Byte order of whole paths: "B" < "a", and "a.txt" < "a/z.txt". */
  const char *expected[] = {path_of("tree/B.txt"), path_of("tree/a.txt"),
                            path_of("tree/a/z.txt"), path_of("tree/b.txt")};
  const char *expected2[] = {path_of("tree/link.txt"),
                             path_of("tree/sub/deeper/c.txt")};
  const char *all[6] = {expected[0], expected[1], expected[2], expected[3],
                        expected2[0], expected2[1]};
  check_inputs(&cli, all, 6);
  CHECK_EQ_SIZE(cli.failure_count, 1);
  if (cli.failure_count == 1) {
    CHECK(strcmp(cli.failures[0].path, path_of("tree/dangling")) == 0);
    char message[600];
    snprintf(message, sizeof message, "%s: No such file or directory",
             path_of("tree/dangling"));
    CHECK(strcmp(cli.failures[0].message, message) == 0);
  }
  gw_cli_free(&cli);

  /* A trailing slash is not doubled; a hidden file named explicitly is
   * taken; a missing one is reported; "-" is stdin. */
  gw_cli_init(&cli, "gw-test");
  cli.diagnostics = NULL;
  snprintf(tree, sizeof tree, "%s/tree/sub/", tmp);
  CHECK(gw_cli_add_path(&cli, tree) == 0);
  CHECK(gw_cli_add_path(&cli, path_of("tree/.hidden.txt")) == 0);
  CHECK(gw_cli_add_path(&cli, path_of("missing.txt")) == 0);
  CHECK(gw_cli_add_path(&cli, "-") == 0);
  const char *given[] = {path_of("tree/sub/deeper/c.txt"),
                         path_of("tree/.hidden.txt"), "-"};
  check_inputs(&cli, given, 3);
  CHECK_EQ_SIZE(cli.failure_count, 1);
  if (cli.failure_count == 1)
    CHECK(strcmp(cli.failures[0].path, path_of("missing.txt")) == 0);
  gw_cli_free(&cli);
}

static void test_list_and_collect(void) {
  char list[2048];
  int n = snprintf(list, sizeof list, "%s\r\n\n%s\n%s",
                   path_of("other/x.txt"), path_of("tree/a"),
                   path_of("tree/b.txt")); /* no final newline */
  write_file("list.txt", list, (size_t)n);

  gw_cli cli;
  gw_cli_init(&cli, "gw-test");
  cli.diagnostics = NULL;
  char *args[] = {path_of("tree/B.txt")};
  CHECK(gw_cli_collect(&cli, args, 1, path_of("list.txt")) == 0);
  const char *expected[] = {path_of("other/x.txt"), path_of("tree/a/z.txt"),
                            path_of("tree/b.txt"), path_of("tree/B.txt")};
  check_inputs(&cli, expected, 4);
  CHECK_EQ_SIZE(cli.failure_count, 0);
  gw_cli_free(&cli);

  gw_cli_init(&cli, "gw-test");
  cli.diagnostics = NULL;
  CHECK(gw_cli_collect(&cli, NULL, 0, NULL) == 0);
  const char *stdin_only[] = {"-"};
  check_inputs(&cli, stdin_only, 1);
  /* An unreadable list is a usage error, not a bad input. */
  CHECK(gw_cli_collect(&cli, NULL, 0, path_of("no-list.txt")) == -1);
  CHECK_EQ_SIZE(cli.failure_count, 0);
  gw_cli_free(&cli);
}

/* Diagnostics name the program and the failure, as the library words it. */
static void test_load_and_report(void) {
  write_file("good.txt", "一、总体情况\n", 19);
  write_file("bad.bin", "\x7f" "ELF\0\0\0\0", 8);
  FILE *diag = tmpfile();
  gw_cli cli;
  gw_cli_init(&cli, "gw-test");
  cli.diagnostics = diag;
  CHECK(gw_cli_add_path(&cli, path_of("good.txt")) == 0);
  CHECK(gw_cli_add_path(&cli, path_of("bad.bin")) == 0);
  gw_document *doc = NULL;
  CHECK(gw_cli_load(&cli, 0, NULL, &doc) == GW_OK);
  CHECK(doc != NULL);
  gw_document_free(doc);
  CHECK(gw_cli_load(&cli, 1, NULL, &doc) == GW_EBINARY);
  CHECK(doc == NULL);
  CHECK_EQ_SIZE(cli.loaded, 1);
  CHECK_EQ_SIZE(cli.failure_count, 1);
  CHECK(gw_cli_exit_code(&cli) == GW_EXIT_SOME_BAD);

  char expected[1024], got[1024] = "";
  snprintf(expected, sizeof expected,
           "gw-test: error: %s: not a text file (NUL bytes at offset 4)\n",
           path_of("bad.bin"));
  rewind(diag);
  size_t n = fread(got, 1, sizeof got - 1, diag);
  got[n] = '\0';
  CHECK(strcmp(got, expected) == 0);
  fclose(diag);

  gw_json w;
  gw_json_init(&w, NULL, 0);
  gw_cli_write_failures(&w, &cli);
  snprintf(expected, sizeof expected,
           "[{\"path\":\"%s\",\"error\":\"%s: not a text file (NUL bytes at "
           "offset 4)\"}]",
           path_of("bad.bin"), path_of("bad.bin"));
  CHECK(w.len == strlen(expected) && memcmp(w.text, expected, w.len) == 0);
  gw_json_finish(&w);
  gw_cli_free(&cli);
}

static void test_exit_codes(void) {
  gw_cli cli;
  gw_cli_init(&cli, "gw-test");
  cli.diagnostics = NULL;
  CHECK(gw_cli_exit_code(&cli) == GW_EXIT_FAILURE); /* nothing done */
  cli.loaded = 2;
  CHECK(gw_cli_exit_code(&cli) == GW_EXIT_OK);
  CHECK(gw_cli_add_failure(&cli, "x.txt", "x.txt:3: invalid UTF-8 sequence") ==
        0);
  CHECK(gw_cli_exit_code(&cli) == GW_EXIT_SOME_BAD);
  cli.loaded = 0;
  CHECK(gw_cli_exit_code(&cli) == GW_EXIT_FAILURE);
  gw_cli_free(&cli);
}

/* Paths may differ in spelling (symbolic links in the build path). */
static int same_file(const char *path, const struct stat *st) {
  struct stat other;
  return stat(path, &other) == 0 && other.st_dev == st->st_dev &&
         other.st_ino == st->st_ino;
}

static void test_data_dir(void) {
  CHECK(strcmp(gw_cli_install_data_dir(), "") != 0);
  char *dir = gw_cli_resolve_data_dir("/custom/data", "/opt/gw/bin/gw-seg");
  CHECK(dir && strcmp(dir, "/custom/data") == 0);
  free(dir);

  /* <exe dir>/../share/gongwen, canonical, when it exists. */
  make_dir("prefix");
  make_dir("prefix/bin");
  make_dir("prefix/share");
  dir = gw_cli_resolve_data_dir(NULL, path_of("prefix/bin/gw-seg"));
  CHECK(dir && strcmp(dir, gw_cli_install_data_dir()) == 0);
  free(dir);
  make_dir("prefix/share/gongwen");
  dir = gw_cli_resolve_data_dir("", path_of("prefix/bin/gw-seg"));
  CHECK(dir && strcmp(dir, path_of("prefix/share/gongwen")) == 0);
  free(dir);

  setenv("GONGWEN_DATA_DIR", "/from/env", 1);
  dir = gw_cli_data_dir();
  CHECK(dir && strcmp(dir, "/from/env") == 0);
  free(dir);
  char *file = gw_cli_data_file(NULL, "noise.txt");
  CHECK(file && strcmp(file, "/from/env/noise.txt") == 0);
  free(file);
  file = gw_cli_data_file("/d/", "gongwen.gwd");
  CHECK(file && strcmp(file, "/d/gongwen.gwd") == 0);
  free(file);

  /* Without the variable: beside this executable (build/bin) if the build
   * tree has its data, else the install path. */
  unsetenv("GONGWEN_DATA_DIR");
  dir = gw_cli_data_dir();
  struct stat build;
  if (stat(GW_DATA_BUILD_DIR, &build) == 0)
    CHECK(dir && same_file(dir, &build));
  else
    CHECK(dir && strcmp(dir, gw_cli_install_data_dir()) == 0);
  free(dir);
}

/* 64-bit hashes as 16 hex digits, in a line of JSON Lines and pretty. */
static void test_json(void) {
  const uint64_t values[] = {UINT64_C(0x0123456789abcdef), 1, UINT64_MAX};
  const char *hex[] = {"\"0123456789abcdef\"", "\"0000000000000001\"", "\"ffffffffffffffff\""};
  for (size_t i = 0; i < 3; i++) {
    gw_json w;
    gw_json_init(&w, NULL, 0);
    gw_json_hex64(&w, values[i]);
    CHECK(w.len == strlen(hex[i]) && memcmp(w.text, hex[i], w.len) == 0);
    gw_json_finish(&w);
  }
  for (int pretty = 0; pretty < 2; pretty++) {
    gw_json w;
    gw_json_init(&w, NULL, pretty);
    gw_json_object_begin(&w);
    gw_json_key(&w, "hash");
    gw_json_hex64(&w, UINT64_C(0xbeef));
    gw_json_member_number(&w, "ratio", 0.5);
    gw_json_object_end(&w);
    gw_json_newline(&w);
    const char *want = pretty ? "{\n\t\"hash\":\t\"000000000000beef\",\n\t\"ratio\":\t0.5\n}\n"
                              : "{\"hash\":\"000000000000beef\",\"ratio\":0.5}\n";
    CHECK(w.len == strlen(want) && memcmp(w.text, want, w.len) == 0);
    gw_json_finish(&w);
  }
}

static void remove_tree(void) {
  const char *paths[] = {
      "tree/fifo", "tree/dangling", "tree/link.txt", "tree/linked-dir",
      "tree/sub/.swap", "tree/.git/config", "tree/.hidden.txt",
      "tree/sub/deeper/c.txt", "tree/a/z.txt", "tree/B.txt", "tree/a.txt",
      "tree/b.txt", "other/x.txt", "list.txt", "good.txt", "bad.bin",
      "stdout.txt"};
  const char *dirs[] = {"tree/.git", "tree/sub/deeper", "tree/sub", "tree/a",
                        "tree", "other", "prefix/share/gongwen",
                        "prefix/share", "prefix/bin", "prefix"};
  for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
    unlink(path_of(paths[i]));
  for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++)
    rmdir(path_of(dirs[i]));
  rmdir(tmp);
}

/* A file name in JSON: valid text as cJSON writes it; bytes that are not
 * UTF-8 as U+FFFD, so that cJSON's parser (and any other) reads it back;
 * the bytes in hex beside. */
static void test_json_path(void) {
  const char *samples[] = {"plain", "意识形态\"q\"\\\n\t\x01", "gbk\xd6\xd0.txt",
                           "bad\xff\x1b[31m\xe5\x8a", "\xed\xa0\x80surrogate"};
  const char *expected[] = {
      "{\"path\":\"plain\"}", "{\"path\":\"意识形态\\\"q\\\"\\\\\\n\\t\\u0001\"}",
      "{\"path\":\"gbk��.txt\",\"path_bytes\":\"67626bd6d02e747874\"}",
      "{\"path\":\"bad�\\u001b[31m��\",\"path_bytes\":\"626164ff1b5b33316de58a\"}",
      "{\"path\":\"���surrogate\",\"path_bytes\":\"eda080737572726f67617465\"}"};
  for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
    gw_json w;
    gw_json_init(&w, NULL, 0);
    gw_json_object_begin(&w);
    gw_json_member_path(&w, "path", samples[i]);
    gw_json_object_end(&w);
    char *printed = strndup(w.text ? w.text : "", w.len);
    int same = printed && strcmp(printed, expected[i]) == 0;
    CHECK(same);
    if (!same) fprintf(stderr, "  got %s, want %s\n", printed ? printed : "", expected[i]);
    cJSON *parsed = printed ? cJSON_Parse(printed) : NULL;
    CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(parsed, "path")));
    cJSON_Delete(parsed);
    free(printed);
    gw_json_finish(&w);
  }
}

/* The option table: values, ranges, choices, repeated options, errors that
 * name the option, and --help made from the table. */
static void test_options(void) {
  gw_cli cli;
  gw_cli_init(&cli, "gw-test");
  cli.diagnostics = NULL;
  static const char *const formats[] = {"json", "text", NULL};
  int format = 0, flag = 0, year = 0, top_given = 0, first = 0;
  size_t top = 7;
  double share = 0.5;
  const char *list = NULL;
  gw_opt_strings terms = {0};
  gw_document_options doc = GW_DOCUMENT_OPTIONS_INIT;
  const gw_opt opts[] = {
      gw_opt_format(&format, formats, "output", NULL),
      {.name = "flag", .kind = GW_OPT_FLAG, .target = &flag, .help = "a flag"},
      {.name = "share", .kind = GW_OPT_NUMBER, .target = &share, .arg = "X",
       .help = "a share\nover two lines", .lo = 0, .hi = 1},
      gw_opt_year(&year, "the year"),
      gw_opt_top(&top, "how many", &top_given),
      gw_opt_terms(&terms),
      GW_OPT_INPUT_OPTIONS(&list, &doc)};
  const gw_opt_table table = {"[OPTIONS] FILE...", "Tests.\n", opts,
                              sizeof opts / sizeof *opts, "Exit status: none.\n"};
  char *argv[] = {"gw-test", "--format", "text", "--flag", "--share=0.25", "--year",
                  "2023", "--top", "3", "--terms", "a.tsv", "--terms=b.tsv", "--list",
                  "l.txt", "--encoding", "gbk", "--replace-invalid", "input.txt", NULL};
  int argc = (int)(sizeof argv / sizeof *argv) - 1;
  CHECK(gw_opt_parse(&cli, &table, argc, argv, &first) == -1);
  CHECK(format == 1 && flag == 1 && share == 0.25 && year == 2023);
  CHECK(top == 3 && top_given == 1);
  CHECK_EQ_SIZE(terms.count, 2);
  CHECK(terms.count == 2 && strcmp(terms.items[1], "b.tsv") == 0);
  CHECK(list && strcmp(list, "l.txt") == 0);
  CHECK(doc.encoding == GW_ENCODING_GB18030 && doc.replace_invalid == 1);
  CHECK(first == argc - 1 && strcmp(argv[first], "input.txt") == 0);
  free(terms.items);
  terms = (gw_opt_strings){0};

  char *bad[][3] = {{"gw-test", "--top", "x"},        {"gw-test", "--top", "-1"},
                    {"gw-test", "--share", "1.5"},    {"gw-test", "--share", "nan"},
                    {"gw-test", "--format", "xml"},   {"gw-test", "--year", "1800"},
                    {"gw-test", "--encoding", "koi8"}, {"gw-test", "--bogus", "x"},
                    {"gw-test", "x", "--top"}};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    CHECK(gw_opt_parse(&cli, &table, 3, bad[i], &first) == GW_EXIT_FAILURE);
    free(terms.items);
    terms = (gw_opt_strings){0};
  }

  char *usage = gw_opt_usage(&cli, &table);
  CHECK(usage && strcmp(usage,
                        "usage: gw-test [OPTIONS] FILE...\n"
                        "Tests.\n"
                        "\n"
                        "  --format json|text   output\n"
                        "  --flag               a flag\n"
                        "  --share X            a share\n"
                        "                       over two lines\n"
                        "  --year YEAR          the year\n"
                        "  --top N              how many\n"
                        "  --terms FILE         add a term file (terms.tsv format), repeatable\n"
                        "  --list FILE          read input paths from FILE, one per line\n"
                        "  --encoding ENC       utf-8, gb18030, utf-16le or utf-16be (default: detect)\n"
                        "  --replace-invalid    replace invalid UTF-8 with U+FFFD instead of failing\n"
                        "  --help, --version\n"
                        "\n"
                        "Exit status: none.\n") == 0);
  free(usage);
  gw_cli_free(&cli);
}

/* The unsigned and 64-bit kinds, and defaults shown from the targets. */
static void test_option_kinds(void) {
  gw_cli cli;
  gw_cli_init(&cli, "gw-test");
  cli.diagnostics = NULL;
  unsigned k = 3;
  uint64_t seed = 0x9e3779b97f4a7c15ull;
  double share = 0.5;
  int first = 0;
  const gw_opt opts[] = {
      gw_opt_heading("Numbers:"),
      {.name = "k", .kind = GW_OPT_UNSIGNED, .target = &k, .arg = "N", .help = "k\nsecond line",
       .lo = 1, .hi = 64, .show_default = 1},
      {.name = "seed", .kind = GW_OPT_UINT64, .target = &seed, .arg = "N", .help = "seed",
       .show_default = 1},
      {.name = "share", .kind = GW_OPT_NUMBER, .target = &share, .arg = "X", .help = "share",
       .lo = 0, .hi = 1, .show_default = 1}};
  const gw_opt_table table = {"[OPTIONS]", "Tests.\n", opts, sizeof opts / sizeof *opts, NULL};
  char *usage = gw_opt_usage(&cli, &table);
  CHECK(usage && strcmp(usage,
                        "usage: gw-test [OPTIONS]\n"
                        "Tests.\n"
                        "\n"
                        "Numbers:\n"
                        "  --k N                k\n"
                        "                       second line (default 3)\n"
                        "  --seed N             seed (default 0x9e3779b97f4a7c15)\n"
                        "  --share X            share (default 0.5)\n") == 0);
  free(usage);
  char *argv[] = {"gw-test", "--k", "64", "--seed", "0x10", NULL};
  CHECK(gw_opt_parse(&cli, &table, 5, argv, &first) == -1);
  CHECK(k == 64 && seed == 16);
  char *decimal[] = {"gw-test", "--seed", "18446744073709551615", NULL};
  CHECK(gw_opt_parse(&cli, &table, 3, decimal, &first) == -1);
  CHECK(seed == UINT64_MAX);
  char *bad[][3] = {{"gw-test", "--k", "65"},     {"gw-test", "--k", "0"},
                    {"gw-test", "--k", "abc"},    {"gw-test", "--seed", "-1"},
                    {"gw-test", "--seed", "0x"},  {"gw-test", "--seed", "1e3"}};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    CHECK(gw_opt_parse(&cli, &table, 3, bad[i], &first) == GW_EXIT_FAILURE);
  CHECK(k == 64 && seed == UINT64_MAX);
  gw_cli_free(&cli);
}

/* ---- the JSON writer against cJSON ---- */

static uint64_t rng_state = 88172645463325252ull;
static uint64_t rng(void) { return gw_test_xorshift(&rng_state); }

/* A string of ASCII, control characters, quotes, backslashes and Han. */
static void random_text(char *out, size_t cap) {
  static const char *const pieces[] = {"a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\r", "\b",
                                       "\f", "\x01", "\x1f", "\x7f", "\xE5\x85\xAC", "\xE6\x96\x87",
                                       "\xF0\x9F\x98\x80", "0", "{", "]"};
  size_t len = 0, n = rng() % 12;
  for (size_t i = 0; i < n; i++) {
    const char *p = pieces[rng() % (sizeof pieces / sizeof *pieces)];
    size_t l = strlen(p);
    if (len + l + 1 > cap) break;
    memcpy(out + len, p, l);
    len += l;
  }
  out[len] = '\0';
}

static double random_number(void) {
  switch (rng() % 8) {
  case 0: return (double)(rng() % 100000);
  case 1: return (double)(long long)(rng() % 20000) / 10000.0; /* a ratio, 4 decimals */
  case 2: return (double)(rng() % 10000000000ull);           /* past INT_MAX */
  case 3: return -(double)(rng() % 3000000000ull);
  case 4: return (double)rng() / 3.0;
  case 5: return 1.0 / (double)(1 + rng() % 1000000000);
  case 6: return (double)(rng() % 10) * 1e20;
  default: return (double)(rng() % 2147483648ull);
  }
}

/* The same random value into the cJSON tree and the writer. */
static cJSON *random_value(gw_json *w, int depth) {
  char text[128];
  unsigned kind = depth > 4 ? 2 + (unsigned)(rng() % 4) : (unsigned)(rng() % 6);
  switch (kind) {
  case 0: {
    cJSON *o = cJSON_CreateObject();
    gw_json_object_begin(w);
    for (size_t n = rng() % 4, i = 0; i < n; i++) {
      random_text(text, sizeof text);
      gw_json_key(w, text);
      cJSON_AddItemToObject(o, text, random_value(w, depth + 1));
    }
    gw_json_object_end(w);
    return o;
  }
  case 1: {
    cJSON *a = cJSON_CreateArray();
    gw_json_array_begin(w);
    for (size_t n = rng() % 4, i = 0; i < n; i++)
      cJSON_AddItemToArray(a, random_value(w, depth + 1));
    gw_json_array_end(w);
    return a;
  }
  case 2:
    random_text(text, sizeof text);
    gw_json_string(w, text);
    return cJSON_CreateString(text);
  case 3: {
    double d = random_number();
    gw_json_number(w, d);
    return cJSON_CreateNumber(d);
  }
  case 4: {
    uint64_t v = rng() % 5 == 0 ? rng() % 100000000000ull : rng() % 100000;
    gw_json_uint(w, v);
    return cJSON_CreateNumber((double)v);
  }
  default:
    if (rng() % 3 == 0) {
      gw_json_null(w);
      return cJSON_CreateNull();
    }
    {
      int b = (int)(rng() % 2);
      gw_json_bool(w, b);
      return cJSON_CreateBool(b);
    }
  }
}

static void test_json_writer_as_cjson(void) {
  size_t mismatches = 0, unparsed = 0;
  for (int round = 0; round < 2000; round++) {
    int pretty = round % 2;
    uint64_t seed = rng_state;
    gw_json w;
    gw_json_init(&w, NULL, pretty);
    /* A root object, as the tools write. */
    gw_json_object_begin(&w);
    cJSON *root = cJSON_CreateObject();
    for (size_t n = rng() % 5, i = 0; i < n; i++) {
      char key[16];
      snprintf(key, sizeof key, "k%zu", i);
      gw_json_key(&w, key);
      cJSON_AddItemToObject(root, key, random_value(&w, 1));
    }
    gw_json_object_end(&w);
    char *expected = pretty ? cJSON_Print(root) : cJSON_PrintUnformatted(root);
    CHECK(w.failed == GW_OK);
    if (!expected || w.len != strlen(expected) || memcmp(w.text, expected, w.len) != 0) {
      if (!mismatches++)
        fprintf(stderr, "writer differs from cJSON (seed %llu):\n%.*s\n---\n%s\n",
                (unsigned long long)seed, (int)w.len, w.text, expected ? expected : "(null)");
    }
    /* What it wrote reads back. */
    char *copy = malloc(w.len + 1);
    memcpy(copy, w.text, w.len);
    copy[w.len] = '\0';
    cJSON *back = cJSON_Parse(copy);
    unparsed += back == NULL;
    cJSON_Delete(back);
    free(copy);
    cJSON_free(expected);
    cJSON_Delete(root);
    CHECK(gw_json_finish(&w) == GW_OK);
  }
  CHECK_EQ_SIZE(mismatches, 0);
  CHECK_EQ_SIZE(unparsed, 0);
}

static int writer_text_is(gw_json *w, const char *expected) {
  return w->len == strlen(expected) && memcmp(w->text, expected, w->len) == 0;
}

static void test_json_writer_paths_and_pieces(void) {
  gw_json w;
  gw_json_init(&w, NULL, 0);
  gw_json_object_begin(&w);
  gw_json_member_path(&w, "path", "gbk\xd6\xd0.txt");
  gw_json_member_path(&w, "b", "ok.txt");
  gw_json_key(&w, "text");
  gw_json_text(&w, "a\xff" "b", 3);
  gw_json_object_end(&w);
  CHECK(writer_text_is(&w, "{\"path\":\"gbk\xEF\xBF\xBD\xEF\xBF\xBD.txt\",\"path_bytes\":"
                           "\"67626bd6d02e747874\",\"b\":\"ok.txt\",\"text\":\"a\xEF\xBF\xBD"
                           "b\"}"));
  gw_json_clear(&w);
  gw_json_hex64(&w, 0x9e3779b97f4a7c15ull);
  CHECK(writer_text_is(&w, "\"9e3779b97f4a7c15\""));

  /* An array written in two pieces, the second continuing the first. */
  const char *whole = "{\n\t\"a\":\t[{\n\t\t\t\"x\":\t1\n\t\t}, {\n\t\t\t\"x\":\t2\n\t\t}]\n}";
  gw_json one, two;
  gw_json_init(&one, NULL, 1);
  gw_json_object_begin(&one);
  gw_json_key(&one, "a");
  gw_json_array_begin(&one);
  gw_json_object_begin(&one);
  gw_json_member_uint(&one, "x", 1);
  gw_json_object_end(&one);
  gw_json_init(&two, NULL, 1);
  gw_json_continue_in(&two, 1, 1);
  gw_json_continue_in(&two, 0, 1);
  gw_json_object_begin(&two);
  gw_json_member_uint(&two, "x", 2);
  gw_json_object_end(&two);
  gw_json_array_end(&two);
  gw_json_object_end(&two);
  size_t n1 = one.len;
  CHECK(n1 + two.len == strlen(whole) && memcmp(one.text, whole, n1) == 0 &&
        memcmp(two.text, whole + n1, two.len) == 0);
  gw_json_finish(&one);
  gw_json_finish(&two);
  gw_json_finish(&w);
}

/* Lines and columns in UTF-8, UTF-8 with a BOM, GB18030 and UTF-16LE: the
 * column in characters, lines ended by LF, CR LF or CR. */
static void check_position(const char *bytes, size_t len, size_t offset, size_t line,
                           size_t column) {
  gw_document *doc = NULL;
  gw_error err;
  CHECK(gw_document_load_buffer(&doc, "t", bytes, len, NULL, &err) == GW_OK);
  if (!doc) return;
  gw_positions p;
  CHECK(gw_positions_build(&p, doc) == GW_OK);
  size_t l, c;
  gw_positions_at(&p, offset, &l, &c);
  if (l != line || c != column)
    fprintf(stderr, "offset %zu: line %zu column %zu, expected %zu %zu\n", offset, l, c, line,
            column);
  CHECK(l == line && c == column);
  gw_positions_free(&p);
  gw_document_free(doc);
}

static void test_positions(void) {
  /* "ab\r\n甲乙\r丙\n丁" */
  static const char utf8[] = "ab\r\n\xE7\x94\xB2\xE4\xB9\x99\r\xE4\xB8\x99\n\xE4\xB8\x81";
  check_position(utf8, sizeof utf8 - 1, 0, 1, 1);
  check_position(utf8, sizeof utf8 - 1, 1, 1, 2);
  check_position(utf8, sizeof utf8 - 1, 4, 2, 1);
  check_position(utf8, sizeof utf8 - 1, 7, 2, 2);
  check_position(utf8, sizeof utf8 - 1, 11, 3, 1);
  check_position(utf8, sizeof utf8 - 1, 15, 4, 1);
  static const char bom[] = "\xEF\xBB\xBF" "ab\n\xE7\x94\xB2\xE4\xB9\x99";
  check_position(bom, sizeof bom - 1, 3, 1, 1);
  check_position(bom, sizeof bom - 1, 9, 2, 2);
  /* 标题\r\n甲乙，丙 in GB18030 */
  static const char gbk[] = "\xb1\xea\xcc\xe2\r\n\xbc\xd7\xd2\xd2\xa3\xac\xb1\xfb";
  check_position(gbk, sizeof gbk - 1, 2, 1, 2);
  check_position(gbk, sizeof gbk - 1, 6, 2, 1);
  check_position(gbk, sizeof gbk - 1, 12, 2, 4);
  /* a\n甲乙 in UTF-16LE with its BOM */
  static const char utf16[] = "\xff\xfe" "a\0\n\0\x32\x75\x59\x4e";
  check_position(utf16, sizeof utf16 - 1, 2, 1, 1);
  check_position(utf16, sizeof utf16 - 1, 6, 2, 1);
  check_position(utf16, sizeof utf16 - 1, 8, 2, 2);
}

/* gw_segmenter_paragraph_tokens, what gw-seg's writers read, hands the
 * tokens gw_segmenter_paragraph_token_at gives one by one; NULL and 0 after
 * a failed call. */
static void test_paragraph_tokens(void) {
  gw_dict *dict = NULL;
  gw_error err;
  CHECK(gw_dict_load_file(&dict, GW_DATA_BUILD_DIR "/gongwen.gwd", &err) == GW_OK);
  static const char text[] = "\xEF\xBB\xBF第一章 总则\r\n为了规范管理，制定本办法。\n\n"
                             "二、 工作要求 abc 123\n";
  gw_document *doc = NULL;
  CHECK(gw_document_load_buffer(&doc, "t.txt", text, sizeof text - 1, NULL, &err) == GW_OK);
  gw_segment_options search = GW_SEGMENT_OPTIONS_INIT;
  search.mode = GW_SEGMENT_SEARCH;
  for (int mode = 0; mode < 2 && dict && doc; mode++) {
    gw_segmenter *seg = NULL;
    CHECK(gw_segmenter_new(&seg, dict, mode ? &search : NULL, &err) == GW_OK);
    if (!seg) continue;
    size_t total = 0;
    for (size_t p = 0; p < gw_document_paragraph_count(doc); p++) {
      CHECK(gw_segment_paragraph(seg, doc, p, &err) == GW_OK);
      size_t n = 99;
      const gw_paragraph_token *all = gw_segmenter_paragraph_tokens(seg, &n);
      CHECK_EQ_SIZE(n, gw_segmenter_paragraph_token_count(seg));
      for (size_t i = 0; i < n; i++) CHECK(all + i == gw_segmenter_paragraph_token_at(seg, i));
      total += n;
    }
    CHECK(total > 10);
    size_t n = 99;
    CHECK(gw_segment_paragraph(seg, doc, gw_document_paragraph_count(doc), &err) != GW_OK);
    CHECK(gw_segmenter_paragraph_tokens(seg, &n) == NULL);
    CHECK_EQ_SIZE(n, 0);
    gw_segmenter_free(seg);
  }
  size_t n = 99;
  CHECK(gw_segmenter_paragraph_tokens(NULL, &n) == NULL);
  CHECK_EQ_SIZE(n, 0);
  gw_document_free(doc);
  gw_dict_free(dict);
}

/* gw_text_valid_copy: ASCII and common Han characters (its short ways)
 * copied as they are, other valid sequences too, each invalid byte (a
 * lone continuation byte, a Han lead byte cut short or followed by a
 * non-continuation byte, an overlong form, a surrogate) U+FFFD, and the
 * copy stopped at a NUL. */
static void test_valid_copy(void) {
  static const struct {
    const char *in;
    size_t len;
    const char *want;
  } cases[] = {
      {"", 0, ""},
      {"abc 12", 6, "abc 12"},
      {"\xE4\xB8\xAD\xE6\x96\x87", 6, "\xE4\xB8\xAD\xE6\x96\x87"},             /* 中文 */
      {"\xE9\xBE\xA5x", 4, "\xE9\xBE\xA5x"},                                   /* U+9FA5 */
      {"\xE3\x80\x80\xEF\xBC\x8C\xC2\xA0\xF0\x9F\x98\x80", 12,
       "\xE3\x80\x80\xEF\xBC\x8C\xC2\xA0\xF0\x9F\x98\x80"},                    /* other lengths */
      {"\x80x", 2, "\xEF\xBF\xBDx"},                                           /* lone continuation */
      {"a\xE4\xB8", 3, "a\xEF\xBF\xBD\xEF\xBF\xBD"},                           /* cut at the end */
      {"\xE4\xB8x", 3, "\xEF\xBF\xBD\xEF\xBF\xBDx"},                           /* cut before x */
      {"\xE4x\xAD", 3, "\xEF\xBF\xBDx\xEF\xBF\xBD"},
      {"\xE0\x80\xAF", 3, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},             /* overlong */
      {"\xED\xA0\x80", 3, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},             /* surrogate */
      {"\xE4\xB8\xAD\0\xE6\x96\x87", 7, "\xE4\xB8\xAD"},                       /* NUL */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *copy = gw_text_valid_copy(cases[i].in, cases[i].len);
    CHECK(copy != NULL);
    if (!copy) continue;
    if (strcmp(copy, cases[i].want) != 0) fprintf(stderr, "valid copy case %zu\n", i);
    CHECK(strcmp(copy, cases[i].want) == 0);
    free(copy);
  }
}

/* What the map's workers saw: the highest worker index that prepared an
 * input, and the inputs consumed in order. */
typedef struct worker_probe {
  atomic_uint highest_worker;
  size_t next_consumed;
  int out_of_order;
} worker_probe;

static void *probe_prepare(void *ctx, unsigned worker, size_t index) {
  worker_probe *p = ctx;
  unsigned seen = atomic_load(&p->highest_worker);
  while (worker > seen && !atomic_compare_exchange_weak(&p->highest_worker, &seen, worker)) {
  }
  return (void *)(uintptr_t)(index + 1);
}

static int probe_consume(void *ctx, size_t index, void *result) {
  worker_probe *p = ctx;
  if ((uintptr_t)result != index + 1 || index != p->next_consumed) p->out_of_order = 1;
  p->next_consumed++;
  return 0;
}

static void probe_discard(void *ctx, void *result) {
  (void)ctx;
  (void)result;
}

/* gw_par_worker_count sizes what the tools keep per worker (a segmenter
 * each): the map must never hand out a worker index at or past it, for
 * fewer inputs than threads too. */
static void test_worker_count(void) {
  CHECK_EQ_SIZE(gw_par_worker_count(8, 1), 1);
  CHECK_EQ_SIZE(gw_par_worker_count(8, 0), 1);
  CHECK_EQ_SIZE(gw_par_worker_count(0, 5), 1);
  CHECK_EQ_SIZE(gw_par_worker_count(4, 100), 4);
  CHECK_EQ_SIZE(gw_par_worker_count(3, 3), 3);
  static const size_t inputs[] = {1, 2, 3, 7, 64};
  for (size_t k = 0; k < sizeof inputs / sizeof *inputs; k++) {
    worker_probe p = {0};
    CHECK(gw_par_map(inputs[k], 8, probe_prepare, probe_consume, probe_discard, &p) == 0);
    CHECK(atomic_load(&p.highest_worker) < gw_par_worker_count(8, inputs[k]));
    CHECK_EQ_SIZE(p.next_consumed, inputs[k]);
    CHECK(!p.out_of_order);
  }
}

int main(void) {
  const char *base = getenv("TMPDIR");
  snprintf(tmp, sizeof tmp, "%s/gw_cli_XXXXXX", base && *base ? base : "/tmp");
  if (!mkdtemp(tmp)) {
    perror("mkdtemp");
    return 1;
  }
  make_tree();
  test_walk();
  test_list_and_collect();
  test_load_and_report();
  test_exit_codes();
  test_data_dir();
  test_json();
  test_json_path();
  test_options();
  test_option_kinds();
  test_json_writer_as_cjson();
  test_json_writer_paths_and_pieces();
  test_positions();
  test_paragraph_tokens();
  test_valid_copy();
  test_worker_count();
  remove_tree();
  return gw_test_report();
}
