/* cli.c — shared code of the gw-* tools (see cli.h). */
#include "cli.h"
#include "grow.h"
#include "json_writer.h"
#include "folder_formats.h"

#include "text_out.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef GW_INSTALL_DATADIR
#error "GW_INSTALL_DATADIR must be defined (tools/CMakeLists.txt)"
#endif

/* ------------------------------------------------------------------ */
/* Small helpers                                                        */
/* ------------------------------------------------------------------ */

static char *join_path(const char *dir, const char *name) {
  size_t dlen = strlen(dir), nlen = strlen(name);
  int slash = dlen > 0 && dir[dlen - 1] != '/';
  char *path = malloc(dlen + (size_t)slash + nlen + 1);
  if (!path) return NULL;
  memcpy(path, dir, dlen);
  if (slash) path[dlen] = '/';
  memcpy(path + dlen + (size_t)slash, name, nlen + 1);
  return path;
}

static char *copy_string(const char *s) {
  size_t n = strlen(s) + 1;
  char *copy = malloc(n);
  if (copy) memcpy(copy, s, n);
  return copy;
}

static double monotonic_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------ */
/* Setup and diagnostics                                                */
/* ------------------------------------------------------------------ */

void gw_cli_init(gw_cli *cli, const char *program) {
  memset(cli, 0, sizeof *cli);
  cli->program = program;
  cli->diagnostics = stderr;
  cli->show_progress = isatty(STDERR_FILENO);
}

void gw_cli_free(gw_cli *cli) {
  if (!cli) return;
  for (size_t i = 0; i < cli->input_count; i++) free(cli->inputs[i].path);
  for (size_t i = 0; i < cli->failure_count; i++) {
    free(cli->failures[i].path);
    free(cli->failures[i].message);
  }
  free(cli->inputs);
  free(cli->failures);
  memset(cli, 0, sizeof *cli);
}

void gw_cli_progress_end(gw_cli *cli) {
  if (!cli->progress_visible) return;
  fputs("\r\033[K", stderr);
  cli->progress_visible = 0;
}

void gw_cli_progress(gw_cli *cli, size_t done, size_t total,
                     const char *path) {
  if (!cli->show_progress) return;
  double now = monotonic_seconds();
  if (cli->progress_visible && done < total && now - cli->progress_time < 0.1)
    return;
  fprintf(stderr, "\r\033[K%s: %zu/%zu %s", cli->program, done, total,
          path ? path : "");
  fflush(stderr);
  cli->progress_visible = 1;
  cli->progress_time = now;
}

/* Diagnostics name files, and a file name may hold control characters
 * (an escape sequence, a line end) or bytes that are not UTF-8: they are
 * shown as \xNN so that the terminal shows the name and stays sane.
 * A message of ordinary length is formatted on the stack: the errors that
 * matter most come when memory has run out, and must still say what
 * happened to which file. */
static void report(gw_cli *cli, const char *fmt, va_list ap) {
  if (!cli->diagnostics) return;
  if (cli->diagnostics == stderr) gw_cli_progress_end(cli);
  char on_stack[1024];
  va_list again;
  va_copy(again, ap);
  int len = vsnprintf(on_stack, sizeof on_stack, fmt, ap);
  char *message = NULL;
  if (len >= 0 && (size_t)len < sizeof on_stack) {
    message = on_stack;
  } else if (len >= 0) {
    message = malloc((size_t)len + 1);
    if (message) vsnprintf(message, (size_t)len + 1, fmt, again);
  }
  va_end(again);
  fprintf(cli->diagnostics, "%s: error: ", cli->program);
  if (message) gw_text_put_name(cli->diagnostics, message);
  else fputs("out of memory", cli->diagnostics);
  fputc('\n', cli->diagnostics);
  if (message != on_stack) free(message);
}

void gw_cli_error(gw_cli *cli, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  report(cli, fmt, ap);
  va_end(ap);
}

int gw_cli_usage_error(gw_cli *cli, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  report(cli, fmt, ap);
  va_end(ap);
  if (cli->diagnostics)
    fprintf(cli->diagnostics, "Try '%s --help' for more information.\n",
            cli->program);
  return GW_EXIT_FAILURE;
}

int gw_cli_add_failure(gw_cli *cli, const char *path, const char *message) {
  gw_cli_error(cli, "%s", message);
  if (GW_CLI_GROW(cli->failures, cli->failure_capacity, cli->failure_count + 1)) return -1;
  gw_cli_failure *f = &cli->failures[cli->failure_count];
  f->path = copy_string(path);
  f->message = copy_string(message);
  if (!f->path || !f->message) {
    free(f->path);
    free(f->message);
    return -1;
  }
  cli->failure_count++;
  return 0;
}

/* A failure worded as the library words it: "PATH: strerror". */
static int add_errno_failure(gw_cli *cli, const char *path, int sys_errno) {
  const char *reason = strerror(sys_errno);
  size_t size = strlen(path) + strlen(reason) + 3;
  char *message = malloc(size);
  if (!message) return -1;
  snprintf(message, size, "%s: %s", path, reason);
  int rc = gw_cli_add_failure(cli, path, message);
  free(message);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Inputs                                                               */
/* ------------------------------------------------------------------ */

/* What walking one folder argument finds: the paths of its reports, and
 * the paths that could not be examined with their errno, both sorted before
 * they are added so that inputs and errors come in path order, not in the
 * order the file system lists them. */
typedef struct path_list {
  char **paths;
  int *errnos; /* parallel to paths in a list of failures */
  size_t count, capacity, errnos_capacity;
} path_list;

typedef struct walk_state {
  path_list found, failed;
} walk_state;

static int path_list_take(path_list *list, char *path, int sys_errno,
                          int with_errno) {
  if (!path || GW_CLI_GROW(list->paths, list->capacity, list->count + 1) ||
      (with_errno && GW_CLI_GROW(list->errnos, list->errnos_capacity, list->count + 1))) {
    free(path);
    return -1;
  }
  if (with_errno) list->errnos[list->count] = sys_errno;
  list->paths[list->count++] = path;
  return 0;
}

static void path_list_free(path_list *list) {
  for (size_t i = 0; i < list->count; i++) free(list->paths[i]);
  free(list->paths);
  free(list->errnos);
}

static int compare_paths(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct failed_path {
  char *path;
  int sys_errno;
} failed_path;

static int compare_failed(const void *a, const void *b) {
  return strcmp(((const failed_path *)a)->path, ((const failed_path *)b)->path);
}

static int add_input(gw_cli *cli, const char *path) {
  if (GW_CLI_GROW(cli->inputs, cli->input_capacity, cli->input_count + 1)) return -1;
  char *copy = copy_string(path);
  if (!copy) return -1;
  cli->inputs[cli->input_count++].path = copy;
  return 0;
}

static int walk(walk_state *w, const char *dir);

static int walk_failure(walk_state *w, const char *path, int sys_errno) {
  return path_list_take(&w->failed, copy_string(path), sys_errno, 1);
}

/* One directory entry: a regular file (directly or through a link) is an
 * input; a real folder is walked; links to folders are not, since they can
 * loop; devices, sockets and pipes inside folders are skipped. */
static int walk_entry(walk_state *w, char *path) {
  struct stat st;
  int rc = 0;
  if (lstat(path, &st) != 0) {
    rc = walk_failure(w, path, errno);
  } else if (S_ISDIR(st.st_mode)) {
    rc = walk(w, path);
  } else if (S_ISLNK(st.st_mode) && stat(path, &st) != 0) {
    rc = walk_failure(w, path, errno); /* a dangling link */
  } else {
    if (S_ISREG(st.st_mode)) return path_list_take(&w->found, path, 0, 0);
  }
  free(path);
  return rc;
}

static int walk(walk_state *w, const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return walk_failure(w, dir, errno);
  int rc = 0;
  for (;;) {
    errno = 0;
    struct dirent *entry = readdir(d);
    if (!entry) {
      if (errno) rc = walk_failure(w, dir, errno);
      break;
    }
    if (entry->d_name[0] == '.') continue; /* hidden, . and .. */
    char *path = join_path(dir, entry->d_name);
    rc = path ? walk_entry(w, path) : -1;
    if (rc < 0) break;
  }
  closedir(d);
  return rc;
}

static int add_walk_failures(gw_cli *cli, const path_list *failed) {
  failed_path *sorted = malloc((failed->count ? failed->count : 1) * sizeof *sorted);
  if (!sorted) return -1;
  for (size_t i = 0; i < failed->count; i++)
    sorted[i] = (failed_path){failed->paths[i], failed->errnos[i]};
  qsort(sorted, failed->count, sizeof *sorted, compare_failed);
  int rc = 0;
  for (size_t i = 0; i < failed->count && rc == 0; i++)
    rc = add_errno_failure(cli, sorted[i].path, sorted[i].sys_errno);
  free(sorted);
  return rc;
}

static int add_folder(gw_cli *cli, const char *dir) {
  walk_state w;
  memset(&w, 0, sizeof w);
  int rc = walk(&w, dir);
  if (rc == 0) rc = add_walk_failures(cli, &w.failed);
  if (rc == 0) {
    if (w.found.count > 1)
      qsort(w.found.paths, w.found.count, sizeof *w.found.paths, compare_paths);
    for (size_t i = 0; i < w.found.count && rc == 0; i++) {
      /* which files a folder contributes: folder_formats.c */
      char why[GW_ERROR_MESSAGE_MAX];
      int kind = gw_cli_folder_file(w.found.paths[i], why, sizeof why);
      if (kind == GW_FOLDER_READ) rc = add_input(cli, w.found.paths[i]);
      if (kind == GW_FOLDER_SKIP)
        rc = gw_cli_add_failure(cli, w.found.paths[i], why);
    }
  }
  path_list_free(&w.found);
  path_list_free(&w.failed);
  return rc;
}

int gw_cli_add_path(gw_cli *cli, const char *path) {
  if (strcmp(path, GW_CLI_STDIN) == 0) return add_input(cli, path);
  struct stat st;
  if (stat(path, &st) != 0) return add_errno_failure(cli, path, errno);
  if (S_ISDIR(st.st_mode)) return add_folder(cli, path);
  return add_input(cli, path);
}

int gw_cli_add_list(gw_cli *cli, const char *list_path) {
  int from_stdin = strcmp(list_path, GW_CLI_STDIN) == 0;
  FILE *f = from_stdin ? stdin : fopen(list_path, "r");
  if (!f) {
    gw_cli_error(cli, "%s: %s", list_path, strerror(errno));
    return -1;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  int rc = 0;
  errno = 0;
  while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
      line[--n] = '\0';
    if (n > 0) rc = gw_cli_add_path(cli, line);
    errno = 0;
  }
  /* getline out of memory stops as if at the end, with errno set. */
  int read_errno = rc == 0 && (ferror(f) || (errno == ENOMEM && !feof(f)))
                       ? (errno ? errno : EIO) : 0;
  free(line);
  if (!from_stdin) fclose(f);
  if (read_errno) {
    gw_cli_error(cli, "%s: %s", list_path, strerror(read_errno));
    return -1;
  }
  if (rc) gw_cli_error(cli, "out of memory");
  return rc;
}

int gw_cli_collect(gw_cli *cli, char *const *args, size_t n_args,
                   const char *list_path) {
  if (list_path && gw_cli_add_list(cli, list_path) < 0) return -1; /* reported */
  int rc = 0;
  if (!list_path && n_args == 0) rc = gw_cli_add_path(cli, GW_CLI_STDIN);
  for (size_t i = 0; rc == 0 && i < n_args; i++) rc = gw_cli_add_path(cli, args[i]);
  if (rc) gw_cli_error(cli, "out of memory");
  return rc;
}

/* ------------------------------------------------------------------ */
/* Documents                                                            */
/* ------------------------------------------------------------------ */

static int stdin_failure(gw_error *err, int code, int sys_errno) {
  err->code = code;
  err->sys_errno = sys_errno;
  err->offset = GW_NO_OFFSET;
  snprintf(err->message, sizeof err->message, "%s: %s", GW_CLI_STDIN,
           sys_errno ? strerror(sys_errno) : gw_strerror(code));
  return code;
}

/* stdin whole, since the library wants a buffer.  Capped where the
 * library's 32-bit offsets end, so a runaway pipe fails instead of eating
 * memory. */
/* The library judges a file by its first megabyte and reads no further when
 * that is binary (/dev/zero); stdin is read here, so it is judged here the
 * same way, by loading that megabyte. */
enum { STDIN_PROBE = 1 << 20 };

static int stdin_start_is_binary(const unsigned char *bytes,
                                 const gw_document_options *opts,
                                 gw_error *err) {
  gw_document *doc = NULL;
  int rc = gw_document_load_buffer(&doc, GW_CLI_STDIN, bytes, STDIN_PROBE,
                                   opts, err);
  gw_document_free(doc);
  return rc == GW_EBINARY;
}

static int read_stdin(unsigned char **bytes, size_t *len,
                      const gw_document_options *opts, gw_error *err) {
  size_t cap = 1 << 16, n = 0;
  int probed = 0;
  unsigned char *buf = malloc(cap);
  if (!buf) return stdin_failure(err, GW_ENOMEM, 0);
  for (;;) {
    n += fread(buf + n, 1, cap - n, stdin);
    if (ferror(stdin)) {
      int e = errno ? errno : EIO;
      free(buf);
      return stdin_failure(err, GW_EIO, e);
    }
    if (feof(stdin)) break;
    if (!probed && n >= STDIN_PROBE) {
      probed = 1;
      if (stdin_start_is_binary(buf, opts, err)) {
        free(buf);
        return GW_EBINARY;
      }
    }
    if (cap > UINT32_MAX || GW_CLI_GROW(buf, cap, cap + 1)) {
      free(buf);
      return stdin_failure(err, cap <= UINT32_MAX ? GW_ENOMEM : GW_ETOOBIG,
                           0);
    }
  }
  *bytes = buf;
  *len = n;
  return GW_OK;
}

static int load_stdin(gw_document **doc, const gw_document_options *opts,
                      gw_error *err) {
  unsigned char *bytes;
  size_t len;
  int rc = read_stdin(&bytes, &len, opts, err);
  if (rc != GW_OK) return rc;
  rc = gw_document_load_buffer(doc, GW_CLI_STDIN, bytes, len, opts, err);
  free(bytes);
  return rc;
}

/* A file's bytes, whole (NULL with errno set when they cannot be read). */
static unsigned char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0;
  unsigned char *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap || ferror(f)) break;
    if (cap > UINT32_MAX || GW_CLI_GROW(buf, cap, cap + 1)) {
      free(buf);
      buf = NULL;
      break;
    }
  }
  int failed = ferror(f);
  fclose(f);
  if (failed) {
    free(buf);
    return NULL;
  }
  *len = n;
  return buf;
}

/* "PATH:OFFSET: reason" whole.  The library's message has room for 512
 * bytes, so a long path pushes the reason out (and may be cut inside a
 * character); the tool knows the path, so it writes the path itself and
 * takes the reason from the library again with an empty name. */
static char *failure_message(const char *path, const gw_document_options *opts,
                             gw_error *err, int rc) {
  size_t len = strlen(err->message);
  if (len > 0 && len + 1 < sizeof err->message) return copy_string(err->message);
  gw_error again;
  memset(&again, 0, sizeof again);
  char reason[GW_ERROR_MESSAGE_MAX + 64];
  size_t bytes_len = 0;
  unsigned char *bytes = NULL;
  if (rc == GW_EIO || strcmp(path, GW_CLI_STDIN) == 0 ||
      !(bytes = read_file(path, &bytes_len))) {
    snprintf(reason, sizeof reason, ": %s",
             err->sys_errno ? strerror(err->sys_errno) : gw_strerror(rc));
  } else {
    gw_document *doc = NULL;
    int rc2 = gw_document_load_buffer(&doc, "", bytes, bytes_len, opts, &again);
    gw_document_free(doc);
    if (rc2 != GW_OK && again.message[0])
      snprintf(reason, sizeof reason, "%s", again.message);
    else
      snprintf(reason, sizeof reason, ": %s", gw_strerror(rc));
  }
  free(bytes);
  size_t size = strlen(path) + strlen(reason) + 1;
  char *message = malloc(size);
  if (message) snprintf(message, size, "%s%s", path, reason);
  return message;
}

/* Whether the first bytes of a file look like UTF-16 without a byte order
 * mark: NUL bytes (the high byte of line ends, spaces, ASCII), nearly all
 * at even offsets or nearly all at odd ones. */
static int looks_like_utf16(const char *path) {
  FILE *f = strcmp(path, GW_CLI_STDIN) == 0 ? NULL : fopen(path, "rb");
  if (!f) return 0;
  unsigned char buf[4096];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  size_t zeros[2] = {0, 0};
  for (size_t i = 0; i < n; i++) zeros[i % 2] += buf[i] == 0;
  size_t all = zeros[0] + zeros[1], most = zeros[0] > zeros[1] ? zeros[0] : zeros[1];
  return all >= 2 && most * 10 >= all * 9;
}

/* What to try next, after the reason: "" when there is nothing to say. */
static const char *failure_hint(const char *path, const gw_document_options *opts,
                                const char *message, int rc) {
  if (rc != GW_EBINARY && rc != GW_EENCODING) return "";
  if ((!opts || opts->encoding == GW_ENCODING_AUTO) && looks_like_utf16(path))
    return " (UTF-16 without a byte order mark? try --encoding utf-16le or utf-16be)";
  if (rc == GW_EENCODING && strstr(message, "invalid UTF-8") &&
      (!opts || !opts->replace_invalid))
    return " (--replace-invalid reads it with U+FFFD for the bad bytes)";
  return "";
}

static char *with_hint(char *message, const char *hint) {
  if (!message || !*hint) return message;
  size_t len = strlen(message), hint_len = strlen(hint);
  char *longer = realloc(message, len + hint_len + 1);
  if (!longer) {
    free(message);
    return NULL;
  }
  memcpy(longer + len, hint, hint_len + 1);
  return longer;
}

int gw_cli_load_input(const gw_cli *cli, size_t index, const gw_document_options *opts,
                      gw_document **doc, char **message) {
  const char *path = cli->inputs[index].path;
  gw_error err;
  memset(&err, 0, sizeof err);
  *message = NULL;
  int rc = strcmp(path, GW_CLI_STDIN) == 0
               ? load_stdin(doc, opts, &err)
               : gw_document_load_file(doc, path, opts, &err);
  if (rc == GW_OK) return rc;
  *doc = NULL;
  *message = failure_message(path, opts, &err, rc);
  if (*message) *message = with_hint(*message, failure_hint(path, opts, *message, rc));
  return rc;
}

int gw_cli_loaded(gw_cli *cli, size_t index, int rc, const char *message) {
  if (rc == GW_OK) {
    cli->loaded++;
    return rc;
  }
  if (!message || gw_cli_add_failure(cli, cli->inputs[index].path, message) < 0)
    return GW_ENOMEM;
  return rc;
}

int gw_cli_load(gw_cli *cli, size_t index, const gw_document_options *opts,
                gw_document **doc) {
  char *message;
  int rc = gw_cli_load_input(cli, index, opts, doc, &message);
  rc = gw_cli_loaded(cli, index, rc, message);
  free(message);
  return rc;
}

void gw_cli_write_failure(gw_json *w, const gw_cli *cli, size_t i) {
  gw_json_member_path(w, "path", cli->failures[i].path);
  gw_json_key(w, "error");
  gw_json_text(w, cli->failures[i].message, strlen(cli->failures[i].message));
}

void gw_cli_write_failures(gw_json *w, const gw_cli *cli) {
  gw_json_array_begin(w);
  for (size_t i = 0; i < cli->failure_count; i++) {
    gw_json_object_begin(w);
    gw_cli_write_failure(w, cli, i);
    gw_json_object_end(w);
  }
  gw_json_array_end(w);
}

void gw_cli_print_failures(FILE *out, const gw_cli *cli) {
  if (!cli->failure_count) return;
  fprintf(out, "\nCould not be read (%zu):\n", cli->failure_count);
  for (size_t i = 0; i < cli->failure_count; i++) {
    fputs("  ", out);
    gw_text_put_name(out, cli->failures[i].message);
    fputc('\n', out);
  }
}

void gw_cli_write_errors_last(gw_json *w, const gw_cli *cli) {
  gw_json_key(w, "errors");
  gw_cli_write_failures(w, cli);
  gw_json_object_end(w);
  gw_json_newline(w);
}

/* ------------------------------------------------------------------ */
/* Data directory                                                       */
/* ------------------------------------------------------------------ */

const char *gw_cli_install_data_dir(void) { return GW_INSTALL_DATADIR; }

static int is_directory(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* <folder of the executable>/../share/gongwen if it is a folder.  The path
 * of the executable is canonical, so its folder's parent is found by cutting
 * two components (realpath is not POSIX-2008 base in glibc). */
static char *data_dir_beside(const char *exe_path) {
  const char *bin_end = strrchr(exe_path, '/');
  if (!bin_end) return NULL;
  size_t prefix_len = (size_t)(bin_end - exe_path);
  while (prefix_len > 0 && exe_path[prefix_len - 1] != '/') prefix_len--;
  static const char rel[] = "share/gongwen";
  char *dir = malloc(prefix_len + sizeof rel);
  if (!dir) return NULL;
  memcpy(dir, exe_path, prefix_len);
  memcpy(dir + prefix_len, rel, sizeof rel);
  if (is_directory(dir)) return dir;
  free(dir);
  return NULL;
}

char *gw_cli_resolve_data_dir(const char *env_value, const char *exe_path) {
  /* An explicit setting is obeyed even if wrong: falling back silently
   * would hide the mistake behind other data. */
  if (env_value && *env_value) return copy_string(env_value);
  if (exe_path) {
    char *beside = data_dir_beside(exe_path);
    if (beside) return beside;
  }
  return copy_string(GW_INSTALL_DATADIR);
}

/* The running executable, resolved by the kernel (NULL if unknown). */
static char *executable_path(void) {
  size_t cap = 256;
  for (;;) {
    char *buf = malloc(cap);
    if (!buf) return NULL;
    ssize_t n = readlink("/proc/self/exe", buf, cap);
    if (n < 0) {
      free(buf);
      return NULL;
    }
    if ((size_t)n < cap) {
      buf[n] = '\0';
      return buf;
    }
    free(buf);
    cap *= 2;
  }
}

char *gw_cli_data_dir(void) {
  char *exe = executable_path();
  char *dir = gw_cli_resolve_data_dir(getenv("GONGWEN_DATA_DIR"), exe);
  free(exe);
  return dir;
}

char *gw_cli_data_file(const char *data_dir, const char *name) {
  if (data_dir) return join_path(data_dir, name);
  char *dir = gw_cli_data_dir();
  if (!dir) return NULL;
  char *path = join_path(dir, name);
  free(dir);
  return path;
}

/* ------------------------------------------------------------------ */
/* Output                                                               */
/* ------------------------------------------------------------------ */

/* stdout flushed and checked: what was printed reached its file. */
static int stdout_ok(gw_cli *cli) {
  if (fflush(stdout) == 0 && !ferror(stdout)) return 1;
  gw_cli_error(cli, "writing output failed: %s", errno ? strerror(errno) : "I/O error");
  return 0;
}

int gw_cli_print_help(gw_cli *cli, const char *text) {
  errno = 0;
  fputs(text, stdout);
  return stdout_ok(cli) ? GW_EXIT_OK : GW_EXIT_FAILURE;
}

int gw_cli_print_version(gw_cli *cli) {
  errno = 0;
  printf("%s (gongwen) %s\n", cli->program, gw_version());
  return stdout_ok(cli) ? GW_EXIT_OK : GW_EXIT_FAILURE;
}

int gw_cli_exit_code(const gw_cli *cli) {
  if (cli->loaded == 0) return GW_EXIT_FAILURE;
  return cli->failure_count ? GW_EXIT_SOME_BAD : GW_EXIT_OK;
}

/* Output that never reached its file must not look like success (as jq). */
static int close_stdout(gw_cli *cli) {
  int failed = fflush(stdout) != 0 || ferror(stdout);
  int saved = errno;
  if (fclose(stdout) != 0 && !failed) {
    failed = 1;
    saved = errno;
  }
  if (!failed) return 0;
  gw_cli_error(cli, "writing output failed: %s",
               saved ? strerror(saved) : "I/O error");
  return -1;
}

int gw_cli_finish(gw_cli *cli) {
  gw_cli_progress_end(cli);
  if (cli->input_count == 0 && cli->failure_count == 0)
    gw_cli_error(cli, "no input files");
  if (close_stdout(cli) < 0) return GW_EXIT_FAILURE;
  return gw_cli_exit_code(cli);
}

int gw_cli_parse_encoding(const char *name, gw_encoding *out) {
  static const struct {
    const char *name;
    gw_encoding encoding;
  } table[] = {{"utf-8", GW_ENCODING_UTF8},       {"utf8", GW_ENCODING_UTF8},
               {"gb18030", GW_ENCODING_GB18030},  {"gbk", GW_ENCODING_GB18030},
               {"gb2312", GW_ENCODING_GB18030},   {"utf-16le", GW_ENCODING_UTF16LE},
               {"utf-16be", GW_ENCODING_UTF16BE}, {"auto", GW_ENCODING_AUTO}};
  for (size_t i = 0; i < sizeof table / sizeof *table; i++)
    if (strcmp(name, table[i].name) == 0) {
      *out = table[i].encoding;
      return 0;
    }
  return -1;
}

int gw_cli_parse_long(const char *s, long lo, long hi, long *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (!*s || *end || errno || v < lo || v > hi) return -1;
  *out = v;
  return 0;
}
