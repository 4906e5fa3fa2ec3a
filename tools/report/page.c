/* page.c — the template with its slots filled (see page.h). */
#include "page.h"

#include <string.h>

#include "json_writer.h"
#include "model.h"
#include "report_template.h"

/* What w holds, on out inside a <script> block: '<' only occurs inside
 * JSON strings, where \u003c reads the same, so "</script>" and "<!--" in
 * a report cannot end the block.  w is left empty and where it was in the
 * JSON (its text and len are the public fields json_writer.h names; the
 * writer has no call that drops its text and keeps its place). */
static void drain_into_script(gw_json *w, FILE *out) {
  if (w->failed || !w->len) return;
  const char *p = w->text, *end = w->text + w->len;
  while (p < end) {
    const char *lt = memchr(p, '<', (size_t)(end - p));
    size_t n = (size_t)((lt ? lt : end) - p);
    if (fwrite(p, 1, n, out) != n || (lt && fputs("\\u003c", out) == EOF)) {
      gw_json_fail(w, GW_EIO);
      return;
    }
    p += n + (lt != NULL);
  }
  w->len = 0;
}

static void drain_line(gw_json *w, void *out) { drain_into_script(w, out); }

/* The template with its slots filled, in their order in report.html (each
 * a line of its own): the style, the data the first view needs (records as
 * tables, the late parts left out), the script, then the late parts. */
int page_write(FILE *out, const void *arg) {
  const model *m = arg;
  gw_json w;
  gw_json_init(&w, NULL, 0);
  const char *page = gw_report_template_html;
  const char *slots[] = {"@CSS@", "@DATA@", "@JS@", "@LATE@"};
  int rc = 0;
  for (size_t k = 0; k < sizeof slots / sizeof *slots && !rc; k++) {
    const char *at = strstr(page, slots[k]);
    if (!at || fwrite(page, 1, (size_t)(at - page), out) != (size_t)(at - page)) {
      rc = GW_EIO;
      break;
    }
    if (k == 0) rc = fputs(gw_report_template_css, out) == EOF ? GW_EIO : 0;
    if (k == 1) {
      model_write_first_view(&w, m);
      drain_into_script(&w, out);
      rc = w.failed;
    }
    if (k == 2) rc = fputs(gw_report_template_js, out) == EOF ? GW_EIO : 0;
    for (size_t i = 0; k == 3 && i < MODEL_LATE_PARTS && !rc; i++) {
      if (fprintf(out, "%s<script id=\"gw-late-%s\" type=\"application/x-ndjson\">\n",
                  i ? "\n" : "", model_late_parts[i]) < 0) {
        rc = GW_EIO;
        break;
      }
      model_write_late_part(&w, m, i, drain_line, out);
      rc = w.failed ? w.failed : fputs("</script>", out) == EOF ? GW_EIO : 0;
    }
    page = at + strlen(slots[k]);
  }
  if (!rc && fputs(page, out) == EOF) rc = GW_EIO;
  int finish = gw_json_finish(&w);
  return rc ? rc : finish;
}
