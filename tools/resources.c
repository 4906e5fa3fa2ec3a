/* resources.c — the data files a tool works with (see resources.h). */
#include "resources.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "terms_json.h"

/* Report why a resource could not be opened; -1 for the caller to return. */
static int failed(gw_cli *cli, const char *message) {
  gw_cli_error(cli, "%s", message);
  return -1;
}

static int open_dict(gw_resources *r, gw_cli *cli, const gw_resource_request *want) {
  gw_error err;
  char *path = want->dict_path ? strdup(want->dict_path)
                               : gw_cli_data_file(r->data_dir, "gongwen.gwd");
  if (!path) return failed(cli, "out of memory");
  int rc = gw_dict_load_file(&r->dict, path, &err);
  free(path);
  if (rc) return failed(cli, err.message);
  for (size_t i = 0; i < want->user_dict_count; i++)
    if (gw_dict_add_user_file(r->dict, want->user_dicts[i], &err)) return failed(cli, err.message);
  return 0;
}

static int open_stopwords(gw_resources *r, gw_cli *cli) {
  char *path = gw_cli_data_file(r->data_dir, "stopwords.txt");
  if (!path) return failed(cli, "out of memory");
  int rc = gw_counter_load_words(&r->stopwords, path);
  if (rc && errno == ENOMEM) gw_cli_error(cli, "%s: out of memory", path);
  else if (rc) gw_cli_error(cli, "%s: cannot read the stop words (%s)", path, strerror(errno));
  free(path);
  return rc ? -1 : 0;
}

int gw_resources_open(gw_resources *r, gw_cli *cli, const gw_resource_request *want,
                      gw_document_options *document) {
  gw_error err;
  memset(r, 0, sizeof *r);
  gw_counter_init(&r->stopwords);
  r->data_dir = gw_cli_data_dir();
  if (!r->data_dir) return failed(cli, "out of memory");
  if (want->dict && open_dict(r, cli, want)) return -1;
  char *noise_path = gw_cli_data_file(r->data_dir, "noise.txt");
  if (!noise_path) return failed(cli, "out of memory");
  int rc = gw_noise_load_file(&r->noise, noise_path, &err);
  free(noise_path);
  if (rc) return failed(cli, err.message);
  if (gw_normalizer_new(&r->normalizer, &err)) return failed(cli, err.message);
  if (want->terms && terms_load_for_tool(cli, r->data_dir, want->no_default_terms,
                                         want->term_files, want->term_file_count, &r->terms))
    return -1;
  if (want->stopwords && open_stopwords(r, cli)) return -1;
  if (document) {
    document->noise = r->noise;
    document->normalizer = r->normalizer;
  }
  return 0;
}

void gw_resources_free(gw_resources *r) {
  gw_terms_free(r->terms);
  gw_normalizer_free(r->normalizer);
  gw_noise_free(r->noise);
  gw_dict_free(r->dict);
  gw_counter_free(&r->stopwords);
  free(r->data_dir);
  memset(r, 0, sizeof *r);
}
