/* json_compare — the golden tests' judge: EXPECTED and ACTUAL parsed (one
 * JSON value, or JSON Lines: one value per line, compared as a list) and
 * compared as values, not as text: the same members in the same order, the
 * same array lengths, the same strings, numbers and literals.  Each
 * difference is printed with where it is ("$.pairs[0].passages[2].a.line:
 * expected 15, got 16"), at most MAX_SHOWN of them.
 *   json_compare EXPECTED ACTUAL      exit 0 same, 1 different, 2 unreadable */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_SHOWN = 20, MAX_PATH = 4096 };

static size_t differences;

static char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap + 1);
  while (buf) {
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap) break;
    char *grown = realloc(buf, 2 * cap + 1);
    if (!grown) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = grown;
    cap *= 2;
  }
  fclose(f);
  if (buf) buf[n] = '\0';
  *len = n;
  return buf;
}

/* One value, or the lines of JSON Lines as an array. */
static cJSON *parse(const char *path) {
  size_t len;
  char *text = read_all(path, &len);
  if (!text) {
    fprintf(stderr, "json_compare: cannot read %s\n", path);
    return NULL;
  }
  const char *end = NULL;
  cJSON *value = cJSON_ParseWithOpts(text, &end, 0);
  if (value && end && strspn(end, " \t\r\n") == strlen(end)) {
    free(text);
    return value;
  }
  cJSON_Delete(value);
  cJSON *lines = cJSON_CreateArray();
  size_t line_no = 0;
  for (char *line = text; *line;) {
    char *nl = strchr(line, '\n');
    if (nl) *nl = '\0';
    line_no++;
    if (*line) {
      cJSON *item = cJSON_Parse(line);
      if (!item) {
        fprintf(stderr, "json_compare: %s:%zu is not JSON\n", path, line_no);
        cJSON_Delete(lines);
        free(text);
        return NULL;
      }
      cJSON_AddItemToArray(lines, item);
    }
    if (!nl) break;
    line = nl + 1;
  }
  free(text);
  return lines;
}

static void differ(const char *where, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void differ(const char *where, const char *fmt, ...) {
  if (differences++ >= MAX_SHOWN) return;
  va_list ap;
  va_start(ap, fmt);
  printf("%s: ", where);
  vprintf(fmt, ap);
  putchar('\n');
  va_end(ap);
}

static const char *kind(const cJSON *v) {
  if (cJSON_IsObject(v)) return "an object";
  if (cJSON_IsArray(v)) return "an array";
  if (cJSON_IsString(v)) return "a string";
  if (cJSON_IsNumber(v)) return "a number";
  if (cJSON_IsBool(v)) return "a boolean";
  return "null";
}

/* A short rendering of a value for the message. */
static void brief(const cJSON *v, char *out, size_t size) {
  char *text = cJSON_PrintUnformatted(v);
  if (!text) {
    snprintf(out, size, "?");
    return;
  }
  if (strlen(text) > 60) snprintf(out, size, "%.57s...", text);
  else snprintf(out, size, "%s", text);
  cJSON_free(text);
}

static void compare(const cJSON *x, const cJSON *y, char *path, size_t len) {
  char a[80], b[80];
  if (strcmp(kind(x), kind(y)) != 0) {
    brief(x, a, sizeof a);
    brief(y, b, sizeof b);
    differ(path, "expected %s %s, got %s %s", kind(x), a, kind(y), b);
    return;
  }
  if (cJSON_IsObject(x)) {
    const cJSON *p = x->child, *q = y->child;
    for (; p && q; p = p->next, q = q->next) {
      int n = snprintf(path + len, MAX_PATH - len, ".%s", p->string);
      if (strcmp(p->string, q->string) != 0) {
        differ(path, "expected member \"%s\", got \"%s\" (members differ or are out of order)",
               p->string, q->string);
        path[len] = '\0';
        return;
      }
      compare(p, q, path, len + (size_t)n < MAX_PATH ? len + (size_t)n : len);
      path[len] = '\0';
    }
    if (p) differ(path, "member \"%s\" missing (and what follows)", p->string);
    if (q) differ(path, "unexpected member \"%s\" (and what follows)", q->string);
    return;
  }
  if (cJSON_IsArray(x)) {
    int nx = cJSON_GetArraySize(x), ny = cJSON_GetArraySize(y);
    if (nx != ny) differ(path, "expected %d elements, got %d", nx, ny);
    const cJSON *p = x->child, *q = y->child;
    for (int i = 0; p && q; p = p->next, q = q->next, i++) {
      int n = snprintf(path + len, MAX_PATH - len, "[%d]", i);
      compare(p, q, path, len + (size_t)n < MAX_PATH ? len + (size_t)n : len);
      path[len] = '\0';
    }
    return;
  }
  int same = cJSON_IsString(x)   ? strcmp(x->valuestring, y->valuestring) == 0
             : cJSON_IsNumber(x) ? x->valuedouble == y->valuedouble ||
                                       fabs(x->valuedouble - y->valuedouble) <= 1e-12
             : cJSON_IsBool(x)   ? cJSON_IsTrue(x) == cJSON_IsTrue(y)
                                 : 1;
  if (!same) {
    brief(x, a, sizeof a);
    brief(y, b, sizeof b);
    differ(path, "expected %s, got %s", a, b);
  }
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: json_compare EXPECTED ACTUAL\n");
    return 2;
  }
  cJSON *expected = parse(argv[1]), *actual = parse(argv[2]);
  if (!expected || !actual) return 2;
  char path[MAX_PATH] = "$";
  compare(expected, actual, path, 1);
  if (differences > MAX_SHOWN) printf("... %zu differences in all\n", differences);
  if (differences) printf("%s and %s differ (expected, actual)\n", argv[1], argv[2]);
  cJSON_Delete(expected);
  cJSON_Delete(actual);
  return differences ? 1 : 0;
}
