/* The tools' shared code: collecting inputs from folders and lists, loading
 * with failures collected, the data directory, JSON output, exit codes. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "harness.h"

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

  cJSON *errors = gw_cli_failures_json(&cli);
  char *json = cJSON_PrintUnformatted(errors);
  snprintf(expected, sizeof expected,
           "[{\"path\":\"%s\",\"error\":\"%s: not a text file (NUL bytes at "
           "offset 4)\"}]",
           path_of("bad.bin"), path_of("bad.bin"));
  CHECK(json && strcmp(json, expected) == 0);
  cJSON_free(json);
  cJSON_Delete(errors);
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

/* Runs print(value) with stdout sent to a file; returns what it wrote. */
static char *capture_stdout(int (*print)(const cJSON *), const cJSON *value,
                            int *rc) {
  fflush(stdout);
  int saved = dup(STDOUT_FILENO);
  int fd = open(path_of("stdout.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  dup2(fd, STDOUT_FILENO);
  close(fd);
  *rc = print(value);
  fflush(stdout);
  dup2(saved, STDOUT_FILENO);
  close(saved);
  static char buf[256];
  FILE *f = fopen(path_of("stdout.txt"), "rb");
  size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
  if (f) fclose(f);
  buf[n] = '\0';
  return buf;
}

static int print_pretty(const cJSON *v) { return gw_cli_print_json(v, 1); }

static void test_json(void) {
  char hex[17];
  gw_cli_hex64(UINT64_C(0x0123456789abcdef), hex);
  CHECK(strcmp(hex, "0123456789abcdef") == 0);
  gw_cli_hex64(1, hex);
  CHECK(strcmp(hex, "0000000000000001") == 0);
  gw_cli_hex64(UINT64_MAX, hex);
  CHECK(strcmp(hex, "ffffffffffffffff") == 0);

  cJSON *obj = cJSON_CreateObject();
  cJSON_AddItemToObject(obj, "hash", gw_cli_json_hex64(UINT64_C(0xbeef)));
  cJSON_AddNumberToObject(obj, "ratio", 0.5);
  int rc;
  char *out = capture_stdout(gw_cli_print_json_line, obj, &rc);
  CHECK(rc == 0);
  CHECK(strcmp(out, "{\"hash\":\"000000000000beef\",\"ratio\":0.5}\n") == 0);
  out = capture_stdout(print_pretty, obj, &rc);
  CHECK(rc == 0);
  CHECK(strcmp(out, "{\n\t\"hash\":\t\"000000000000beef\",\n\t\"ratio\":\t0.5\n}\n") ==
        0);
  cJSON_Delete(obj);
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
  remove_tree();
  return gw_test_report();
}
