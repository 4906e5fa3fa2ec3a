/* The metadata table (gw_meta): columns, comments, header, errors naming
 * the file and line. */
#include <string.h>

#include "gongwen.h"
#include "harness.h"

static gw_meta *load(const char *text, gw_error *err) {
  gw_meta *m = NULL;
  memset(err, 0, sizeof *err);
  gw_meta_load_buffer(&m, "units.tsv", text, strlen(text), err);
  return m;
}

static void test_rows(void) {
  gw_error err;
  gw_meta *m = load("\xEF\xBB\xBFpath\tunit\tyear\ttitle\textra\n"
                    "# a comment\n"
                    "\n"
                    "./2023/a.txt\t\xE5\xB8\x82\xE5\xB1\x80\t2023\tSelf-check\tx1\tx2\r\n"
                    "2022/b.txt\tB\t\t\n"
                    "c.txt\n", &err);
  CHECK(m != NULL);
  if (!m) return;
  CHECK_EQ_SIZE(gw_meta_row_count(m), 3);
  const gw_meta_row *a = gw_meta_row_at(m, 0);
  CHECK(strcmp(a->path, "2023/a.txt") == 0);
  CHECK(strcmp(a->unit, "\xE5\xB8\x82\xE5\xB1\x80") == 0);
  CHECK(a->year == 2023);
  CHECK(strcmp(a->title, "Self-check") == 0);
  CHECK_EQ_SIZE(a->extra_count, 2);
  CHECK(strcmp(a->extras[0], "x1") == 0 && strcmp(a->extras[1], "x2") == 0);
  CHECK_EQ_SIZE(a->line, 4);
  const gw_meta_row *b = gw_meta_row_at(m, 1);
  CHECK(b->year == 0 && strcmp(b->unit, "B") == 0 && strcmp(b->title, "") == 0);
  CHECK_EQ_SIZE(b->extra_count, 0);
  const gw_meta_row *c = gw_meta_row_at(m, 2);
  CHECK(strcmp(c->path, "c.txt") == 0 && strcmp(c->unit, "") == 0 && c->year == 0);
  CHECK(gw_meta_find(m, "2023/a.txt") == a);
  CHECK(gw_meta_find(m, "./2023/a.txt") == a);
  CHECK(gw_meta_find(m, "c.txt") == c);
  CHECK(gw_meta_find(m, "d.txt") == NULL);
  CHECK(gw_meta_row_at(m, 3) == NULL);
  gw_meta_free(m);
}

static void test_errors(void) {
  gw_error err;
  CHECK(load("a.txt\tA\t2023\n\tB\t2022\n", &err) == NULL);
  CHECK(err.code == GW_EFORMAT && err.line == 2);
  CHECK(strstr(err.message, "units.tsv:2:") != NULL);
  CHECK(load("a.txt\tA\t20x3\n", &err) == NULL);
  CHECK(err.code == GW_EFORMAT && err.line == 1);
  CHECK(strstr(err.message, "units.tsv:1: the year") != NULL);
  CHECK(strstr(err.message, "'20x3'") != NULL);
  CHECK(load("a.txt\tA\t12345\n", &err) == NULL);
  CHECK(err.code == GW_EFORMAT);
  CHECK(load("a.txt\tA\t2023\n# x\n./a.txt\tB\t2024\n", &err) == NULL);
  CHECK(err.code == GW_EFORMAT && err.line == 3);
  CHECK(strstr(err.message, "units.tsv:3: a.txt is given again (first on line 1)") != NULL);
  static const char nul[] = "a.txt\tA\n b\0c\tB\n";
  gw_meta *m = NULL;
  CHECK(gw_meta_load_buffer(&m, "units.tsv", nul, sizeof nul - 1, &err) == GW_EFORMAT);
  CHECK(m == NULL && err.line == 2);
  /* A missing file is an I/O error naming it. */
  CHECK(gw_meta_load_file(&m, "/nonexistent/units.tsv", &err) == GW_EIO);
  CHECK(strstr(err.message, "/nonexistent/units.tsv") != NULL);
  gw_meta_free(NULL);
}

static void test_empty(void) {
  gw_error err;
  gw_meta *m = load("", &err);
  CHECK(m != NULL);
  if (m) CHECK_EQ_SIZE(gw_meta_row_count(m), 0);
  CHECK(m && gw_meta_find(m, "a") == NULL);
  gw_meta_free(m);
}

int main(void) {
  test_rows();
  test_errors();
  test_empty();
  return gw_test_report();
}
