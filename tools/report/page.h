/* page.h — the inspector's page: the template (report.html, .css, .js,
 * compiled in) with the model's data in its slots. */
#ifndef GW_REPORT_PAGE_H
#define GW_REPORT_PAGE_H

#include <stdio.h>

/* The page of a prepared model (model.h) on out: a writer for write_file,
 * GW_OK, GW_ENOMEM or GW_EIO. */
int page_write(FILE *out, const void *model);

#endif
