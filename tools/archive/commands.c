/* commands.c — gw-archive init, add, remove, merge, import, verify: the
 * archive made, grown and kept (list and check have their own files). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "dups_cli.h"

int archive_init(gw_cli *cli, archive_config *cfg, char **inputs, size_t n_inputs) {
  (void)inputs;
  (void)n_inputs;
  int code = gw_dups_cli_check(cli, &cfg->dups);
  if (code >= 0) return code;
  gw_error err;
  archive_data f;
  int rc = archive_data_open(cli, &f, !cfg->no_terms, 0);
  if (!rc) {
    gw_archive_params p;
    gw_archive_params_init(&p, &cfg->dups, cfg->no_terms ? 0 : f.terms_sum, f.noise_sum);
    if (gw_archive_create(cfg->archive, &p, &err)) {
      gw_cli_error(cli, "%s", err.message);
      rc = -1;
    }
  }
  archive_data_free(&f);
  return rc ? GW_EXIT_FAILURE : GW_EXIT_OK;
}

/* ---- add ---- */

typedef struct add_ctx {
  gw_cli *cli;
  archive_config *cfg;
  gw_archive_writer *w;
  const gw_meta *meta;
  size_t added;
  int fatal;
} add_ctx;

static int add_consume(void *arg, size_t index, archive_loaded *l) {
  add_ctx *c = arg;
  const char *path = c->cli->inputs[index].path;
  archive_entry entry;
  gw_error err;
  int rc = archive_entry_make(&entry, c->meta, path, l->doc) ? GW_ENOMEM : GW_OK;
  if (!rc) {
    rc = gw_archive_writer_add(c->w, l->doc, l->spans, l->n_spans, &entry.e, &c->cfg->document,
                               &err);
    archive_entry_free(&entry);
  }
  archive_loaded_free(l);
  if (rc == GW_ENOMEM || rc == GW_ETOOBIG) {
    gw_cli_error(c->cli, "%s", rc == GW_ENOMEM ? "out of memory" : err.message);
    c->fatal = 1;
    return rc;
  }
  if (rc) return gw_cli_add_failure(c->cli, path, err.message) ? GW_ENOMEM : 0;
  c->added++;
  return 0;
}

int archive_add(gw_cli *cli, archive_config *cfg, char **inputs, size_t n_inputs) {
  gw_meta *meta;
  if (gw_dups_cli_load_meta(cli, cfg->meta_path, &meta)) return GW_EXIT_FAILURE;
  if (gw_cli_collect(cli, inputs, n_inputs, cfg->list_path)) {
    gw_meta_free(meta);
    return GW_EXIT_FAILURE;
  }
  for (size_t i = 0; i < cli->input_count; i++)
    if (strcmp(cli->inputs[i].path, GW_CLI_STDIN) == 0) {
      gw_meta_free(meta);
      return gw_cli_usage_error(cli, "add keeps each report under its path: give files, not stdin");
    }
  archive_data f;
  memset(&f, 0, sizeof f);
  gw_archive *a = archive_open(cli, cfg->archive, GW_ARCHIVE_WRITE, &f);
  gw_archive_writer *w = NULL;
  gw_error err;
  int failed = !a;
  if (!failed && gw_archive_writer_new(&w, a, &err)) {
    gw_cli_error(cli, "%s", err.message);
    failed = 1;
  }
  if (!failed) {
    cfg->document.noise = f.noise;
    cfg->document.normalizer = f.normalizer;
    add_ctx c = {cli, cfg, w, meta, 0, 0};
    int rc = archive_load_all(cli, cfg, f.terms, add_consume, &c);
    if (rc) {
      if (!c.fatal) gw_cli_error(cli, "out of memory");
      failed = 1;
    } else if (gw_archive_writer_commit(w, &err)) {
      gw_cli_error(cli, "%s (the archive is unchanged)", err.message);
      failed = 1;
    } else if (cli->diagnostics) {
      fprintf(cli->diagnostics, "gw-archive: added %zu documents (generation %llu)\n", c.added,
              (unsigned long long)gw_archive_generation(a));
    }
  }
  gw_archive_writer_free(w);
  gw_archive_free(a);
  archive_data_free(&f);
  gw_meta_free(meta);
  int code = gw_cli_finish(cli);
  return failed ? GW_EXIT_FAILURE : code;
}

/* ---- remove, merge, import, verify ---- */

int archive_remove(gw_cli *cli, archive_config *cfg, char **paths, size_t n_paths) {
  if (!n_paths && !cfg->units.count)
    return gw_cli_usage_error(cli, "remove needs a PATH or --unit U");
  gw_archive *a = archive_open(cli, cfg->archive, GW_ARCHIVE_WRITE, NULL);
  if (!a) return GW_EXIT_FAILURE;
  size_t total = gw_archive_document_count(a), n = 0;
  size_t *ids = malloc((total + n_paths + 1) * sizeof *ids);
  int code = GW_EXIT_OK;
  for (size_t i = 0; ids && i < n_paths; i++) {
    size_t id = gw_archive_find(a, paths[i]);
    if (id == GW_NO_OFFSET) {
      gw_cli_error(cli, "%s: not in the archive", paths[i]);
      code = GW_EXIT_SOME_BAD;
    } else {
      ids[n++] = id;
    }
  }
  for (size_t u = 0; ids && u < cfg->units.count; u++) {
    size_t found = 0;
    for (size_t i = 0; i < total; i++) {
      gw_archive_document d;
      gw_archive_document_at(&d, a, i);
      if (!d.deleted && strcmp(d.entry.unit, cfg->units.items[u]) == 0) ids[n++] = i, found++;
    }
    if (!found) {
      gw_cli_error(cli, "no document of unit %s in the archive", cfg->units.items[u]);
      code = GW_EXIT_SOME_BAD;
    }
  }
  gw_error err;
  if (!ids) {
    gw_cli_error(cli, "out of memory");
    code = GW_EXIT_FAILURE;
  } else if (n && gw_archive_remove(a, ids, n, &err)) {
    gw_cli_error(cli, "%s", err.message);
    code = GW_EXIT_FAILURE;
  } else if (!n) {
    code = GW_EXIT_FAILURE;
  } else if (cli->diagnostics) {
    fprintf(cli->diagnostics, "gw-archive: removed %zu documents (generation %llu)\n", n,
            (unsigned long long)gw_archive_generation(a));
  }
  free(ids);
  gw_archive_free(a);
  return code;
}

int archive_merge(gw_cli *cli, archive_config *cfg, char **inputs, size_t n_inputs) {
  (void)inputs;
  (void)n_inputs;
  gw_archive *a = archive_open(cli, cfg->archive, GW_ARCHIVE_WRITE, NULL);
  if (!a) return GW_EXIT_FAILURE;
  gw_error err;
  int code = GW_EXIT_OK;
  if (gw_archive_merge(a, &err)) {
    gw_cli_error(cli, "%s (the archive is unchanged)", err.message);
    code = GW_EXIT_FAILURE;
  }
  gw_archive_free(a);
  return code;
}

int archive_import(gw_cli *cli, archive_config *cfg, char **from, size_t n_from) {
  if (n_from != 1) return gw_cli_usage_error(cli, "import needs ARCHIVE and one FROM archive");
  gw_archive *a = archive_open(cli, cfg->archive, GW_ARCHIVE_WRITE, NULL);
  if (!a) return GW_EXIT_FAILURE;
  gw_error err;
  int code = GW_EXIT_OK;
  size_t before = gw_archive_document_count(a);
  if (gw_archive_import(a, from[0], &err)) {
    gw_cli_error(cli, "%s (the archive is unchanged)", err.message);
    code = GW_EXIT_FAILURE;
  } else if (cli->diagnostics) {
    fprintf(cli->diagnostics, "gw-archive: imported %zu documents (generation %llu)\n",
            gw_archive_document_count(a) - before, (unsigned long long)gw_archive_generation(a));
  }
  gw_archive_free(a);
  return code;
}

int archive_verify(gw_cli *cli, archive_config *cfg, char **inputs, size_t n_inputs) {
  (void)inputs;
  (void)n_inputs;
  gw_archive *a = archive_open(cli, cfg->archive, GW_ARCHIVE_READ, NULL);
  if (!a) return GW_EXIT_SOME_BAD;
  gw_error err;
  int code = GW_EXIT_OK;
  if (gw_archive_verify(a, &err)) {
    gw_cli_error(cli, "%s", err.message);
    code = GW_EXIT_SOME_BAD;
  } else {
    printf("%s: ok: generation %llu, %zu segments, %zu documents\n", cfg->archive,
           (unsigned long long)gw_archive_generation(a), gw_archive_segment_count(a),
           archive_live_documents(a));
  }
  gw_archive_free(a);
  if (fflush(stdout) || ferror(stdout)) return GW_EXIT_FAILURE;
  return code;
}
