/* json_compare — the golden tests' structural comparison of two JSON
 * values: the same keys in the same order, arrays of the same length, the
 * same strings, booleans and nulls, numbers equal to within a millionth.
 * Whitespace and layout do not count, so a golden file survives a change of
 * indentation but not a field that vanishes, moves or changes.
 *   json_compare EXPECTED ACTUAL
 * Exit 0 when they match; 1 with the first difference on stdout, as a path
 * (files[4].broken[0].start) and both values; 2 when a file cannot be read
 * or parsed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

static char *read_all(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t len = 0, cap = 1 << 16;
  char *buf = malloc(cap);
  size_t got;
  while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
    len += got;
    if (cap - len < 2) {
      char *grown = realloc(buf, cap * 2);
      if (!grown) free(buf);
      buf = grown;
      cap *= 2;
    }
  }
  int failed = ferror(f);
  fclose(f);
  if (!buf || failed) return free(buf), NULL;
  buf[len] = '\0';
  return buf;
}

static cJSON *parse_file(const char *path) {
  char *text = read_all(path);
  cJSON *v = text ? cJSON_Parse(text) : NULL;
  if (!v) fprintf(stderr, "json_compare: %s: cannot read or parse\n", path);
  free(text);
  return v;
}

static void put_value(const cJSON *v) {
  char *s = v ? cJSON_PrintUnformatted(v) : NULL;
  if (s && strlen(s) > 200) strcpy(s + 197, "...");
  fputs(s ? s : "(nothing)", stdout);
  free(s);
}

static int differ(const char *path, const cJSON *want, const cJSON *got, const char *why) {
  printf("%s: %s\n  expected ", *path ? path : "(top)", why);
  put_value(want);
  printf("\n  got      ");
  put_value(got);
  printf("\n");
  return 1;
}

/* 0 when equal; 1 after printing the first difference. */
static int compare(const char *path, const cJSON *want, const cJSON *got) {
  char sub[1024];
  if (cJSON_IsBool(want) && cJSON_IsBool(got)) {
    if (cJSON_IsTrue(want) != cJSON_IsTrue(got)) return differ(path, want, got, "another value");
    return 0;
  }
  if ((want->type & 0xFF) != (got->type & 0xFF)) return differ(path, want, got, "another type");
  if (cJSON_IsNumber(want)) {
    double a = want->valuedouble, b = got->valuedouble;
    if (fabs(a - b) > 1e-6 * fmax(1.0, fabs(a))) return differ(path, want, got, "another number");
  } else if (cJSON_IsString(want)) {
    if (strcmp(want->valuestring, got->valuestring) != 0)
      return differ(path, want, got, "another string");
  } else if (cJSON_IsArray(want)) {
    int n = cJSON_GetArraySize(want), m = cJSON_GetArraySize(got);
    const cJSON *a = want->child, *b = got->child;
    for (int i = 0; a && b; i++, a = a->next, b = b->next) {
      snprintf(sub, sizeof sub, "%s[%d]", path, i);
      if (compare(sub, a, b)) return 1;
    }
    if (n != m) return differ(path, want, got, n > m ? "fewer elements" : "more elements");
  } else if (cJSON_IsObject(want)) {
    const cJSON *a = want->child, *b = got->child;
    for (; a && b; a = a->next, b = b->next) {
      snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", a->string);
      if (strcmp(a->string, b->string) != 0) {
        printf("%s: another key here (a key vanished, or the keys moved)\n"
               "  expected key \"%s\"\n  got key      \"%s\"\n", sub, a->string, b->string);
        return 1;
      }
      if (compare(sub, a, b)) return 1;
    }
    if (a) {
      snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", a->string);
      return differ(sub, a, NULL, "missing");
    }
    if (b) {
      snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", b->string);
      return differ(sub, NULL, b, "not expected");
    }
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: json_compare EXPECTED ACTUAL\n");
    return 2;
  }
  cJSON *want = parse_file(argv[1]), *got = parse_file(argv[2]);
  int rc = want && got ? compare("", want, got) : 2;
  cJSON_Delete(want);
  cJSON_Delete(got);
  return rc;
}
