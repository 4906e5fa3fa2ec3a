/* csv.h — the unit ranking as CSV, for Excel: UTF-8 with a BOM, CR LF line
 * ends, the ranking as the page shows it first. */
#ifndef GW_REPORT_CSV_H
#define GW_REPORT_CSV_H

#include "buffer.h"
#include "documents.h"

/* The ranking of r's reports into b: 0, or -1 out of memory. */
int csv_build(const report *r, buffer *b);

/* Where the CSV goes beside the page: report.html -> report.csv, anything
 * else with .csv appended.  NULL out of memory. */
char *csv_beside(const char *html);

#endif
