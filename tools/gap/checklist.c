/* checklist.c — gw-gap --checklist: the terms a draft must use, one per
 * line (the first TAB column; '#' comments). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gap.h"
#include "grow.h"

/* Appends to a growable buffer; -1 when out of memory. */
static int append(char **buf, size_t *len, size_t *cap, const char *s, size_t n) {
  if (gw_cli_grow((void **)buf, cap, *len + n + 1, 1)) return -1;
  memcpy(*buf + *len, s, n);
  *len += n;
  (*buf)[*len] = '\0';
  return 0;
}

static int checklist_has(char **terms, size_t n, const char *s) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(terms[i], s) == 0) return 1;
  return 0;
}

/* The terms of the checklist; those not in the dictionary are added to it,
 * category 清单 (checklist).  The added lines keep their line numbers (every
 * other line of the file stands as an empty line), so that an error in one
 * names the checklist's own line.  A term listed twice counts once. */
int gap_load_checklist(gw_cli *cli, gw_terms *terms, const char *path, char ***out, size_t *n) {
  FILE *f = fopen(path, "r");
  if (!f) return gw_cli_error(cli, "%s: cannot read the checklist: %s", path, strerror(errno)), -1;
  char *line = NULL, *extra = NULL;
  size_t line_cap = 0, extra_len = 0, extra_cap = 0, added = 0, out_cap = 0;
  ssize_t got;
  *out = NULL;
  *n = 0;
  int rc = 0;
  errno = 0;
  while (rc == 0 && (got = getline(&line, &line_cap, f)) >= 0) {
    size_t l = strcspn(line, "\t\r\n");
    line[l] = '\0';
    char *s = line;
    while (*s == ' ') s++;
    l = strlen(s);
    while (l && s[l - 1] == ' ') s[--l] = '\0';
    int listed = l && s[0] != '#' && !checklist_has(*out, *n, s);
    if (listed) {
      char *copy = GW_CLI_GROW(*out, out_cap, *n + 1) ? NULL : strdup(s);
      if (!copy) { rc = -1; break; }
      (*out)[(*n)++] = copy;
    }
    if (listed && gw_terms_find(terms, s, l) == GW_NO_OFFSET) {
      rc = append(&extra, &extra_len, &extra_cap, s, l) ||
           append(&extra, &extra_len, &extra_cap, "\t\xE6\xB8\x85\xE5\x8D\x95", 7);
      added++;
    }
    if (rc == 0) rc = append(&extra, &extra_len, &extra_cap, "\n", 1);
    errno = 0;
  }
  int read_errno = rc == 0 && ferror(f) ? (errno ? errno : EIO) : 0;
  fclose(f);
  free(line);
  if (read_errno) {
    gw_cli_error(cli, "%s: cannot read the checklist: %s", path, strerror(read_errno));
    rc = -1;
  } else if (rc) {
    gw_cli_error(cli, "out of memory");
  } else if (added) {
    gw_error err;
    if (gw_terms_add_buffer(terms, path, extra, extra_len, &err))
      rc = (gw_cli_error(cli, "%s", err.message), -1);
  }
  free(extra);
  return rc;
}
