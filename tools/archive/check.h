/* check.h — gw-archive check's results as its outputs see them
 * (check.c runs the check, check_output.c writes it). */
#ifndef GW_ARCHIVE_CHECK_H
#define GW_ARCHIVE_CHECK_H

#include <stddef.h>

#include "archive.h"
#include "gongwen.h"
#include "positions.h"

/* The result documents are the base documents (nb), then the archived
 * candidates (na), then the batch (the rest of n). */
typedef struct check_view {
  const gw_archive_check *c;
  const gw_dups *d;
  size_t nb, na, n;
  int text;                      /* passage and family text in the records */
  const gw_positions *positions; /* each document's */
} check_view;

/* The records that hold a batch report, as one JSON object or JSON Lines
 * (cfg->format), written whole or not at all: GW_OK, GW_ENOMEM or GW_EIO. */
int check_write_records(gw_cli *cli, const archive_config *cfg, const gw_archive *a,
                        const check_view *v);
/* The summary for a terminal, written whole or not at all: the same
 * codes. */
int check_write_text(const gw_cli *cli, const gw_archive *a, const check_view *v);

#endif
