/* folder_formats.c — see folder_formats.h. */
#include "folder_formats.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "gongwen.h"

/* Folders hold more than reports (a README, notes), so plain text counts
 * only when named .txt. */
static int is_report_name(const char *name) {
  size_t n = strlen(name);
  return n > 4 && strcasecmp(name + n - 4, ".txt") == 0;
}

int gw_cli_folder_file(const char *path, char *message, size_t size) {
  const char *name = strrchr(path, '/');
  if (is_report_name(name ? name + 1 : path)) return GW_FOLDER_READ;
  gw_format format;
  const char *what = NULL;
  gw_error err;
  if (gw_format_sniff_file(&format, path, &what, &err) < 0) {
    snprintf(message, size, "%s", err.message);
    return GW_FOLDER_SKIP;
  }
  if (format == GW_FORMAT_TEXT) return GW_FOLDER_LEAVE;
  if (format != GW_FORMAT_UNKNOWN) return GW_FOLDER_READ;
  snprintf(message, size,
           "%s: skipped: %s, not a document of a readable format", path, what);
  return GW_FOLDER_SKIP;
}
