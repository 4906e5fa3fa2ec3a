/* resources.h — the data files a tool works with, found once: the data
 * directory (gw_cli_data_dir), and in it the compiled dictionary, the
 * noise rules, the term list and the stop words, each opened only when
 * the tool asks for it.  Every tool loads documents, so the noise rules
 * and the normalizer are always opened and set in the document options. */
#ifndef GW_RESOURCES_H
#define GW_RESOURCES_H

#include <stddef.h>

#include "cli.h"
#include "counter.h"
#include "gongwen.h"

typedef struct gw_resource_request {
  int dict;                      /* the compiled dictionary */
  const char *dict_path;         /* ... from this file, not gongwen.gwd */
  const char *const *user_dicts; /* jieba-format word lists added to it */
  size_t user_dict_count;
  int terms;                     /* the term list: terms.tsv ... */
  int no_default_terms;          /* ... or not, only term_files */
  const char *const *term_files; /* more term lists (terms.tsv format) */
  size_t term_file_count;
  int stopwords;                 /* stopwords.txt */
} gw_resource_request;

typedef struct gw_resources {
  char *data_dir;
  gw_dict *dict;       /* NULL unless asked for */
  gw_terms *terms;     /* NULL unless asked for */
  gw_counter stopwords; /* empty unless asked for */
  gw_noise *noise;
  gw_normalizer *normalizer;
} gw_resources;

/* Open what `want` asks for, and set document->noise and ->normalizer
 * (document may be NULL).  0, or -1 after reporting what could not be
 * opened (gw_resources_free frees what was). */
int gw_resources_open(gw_resources *r, gw_cli *cli, const gw_resource_request *want,
                      gw_document_options *document);
void gw_resources_free(gw_resources *r);

#endif
