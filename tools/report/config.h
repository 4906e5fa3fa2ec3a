/* config.h — what gw-report was asked to do: its options, read by main
 * (gw-report.c) and used by the input (which gw-dups to run, with what),
 * the originals (where to find them, how to decode them) and the model
 * (title, units, timestamp). */
#ifndef GW_REPORT_CONFIG_H
#define GW_REPORT_CONFIG_H

#include "gongwen.h"

typedef struct report_config {
  gw_document_options document;
  const char *output;    /* NULL: stdout */
  const char *csv;       /* NULL: beside output */
  const char *root;      /* relative document paths resolve here */
  char *input_dir;       /* the JSON file's folder: tried when root is not
                            given and a path is not found from here */
  const char *meta;      /* TSV: path, unit, year, title */
  gw_meta *meta_rows;    /* meta read, before anything is run or written */
  const char *title;
  int format_json;       /* print the data model, not the page */
  int compact;           /* ... on one line, as the page embeds it */
  int no_csv;
  int timestamp;
} report_config;

#endif
