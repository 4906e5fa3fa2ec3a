/* inputs.c — the inputs given twice: a file named twice, by one path or
 * two, is analysed once. */
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "dups/dups.h"

typedef struct file_id {
  dev_t dev;
  ino_t ino;
  size_t order; /* base inputs first, then the others, as given */
} file_id;

static int cmp_file_id(const void *x, const void *y) {
  const file_id *p = x, *q = y;
  if (p->dev != q->dev) return p->dev < q->dev ? -1 : 1;
  if (p->ino != q->ino) return p->ino < q->ino ? -1 : 1;
  return (p->order > q->order) - (p->order < q->order);
}

/* The input at `order` among base's inputs, then cli's. */
static gw_cli_input *input_at(gw_cli *base, gw_cli *cli, size_t order) {
  return order < base->input_count ? &base->inputs[order]
                                   : &cli->inputs[order - base->input_count];
}

int dups_drop_repeated_inputs(gw_cli *base, gw_cli *cli) {
  size_t total = base->input_count + cli->input_count, n = 0;
  file_id *ids = malloc((total + 1) * sizeof *ids);
  char *drop = calloc(total + 1, 1);
  if (!ids || !drop) {
    free(ids);
    free(drop);
    gw_cli_error(cli, "out of memory");
    return -1;
  }
  struct stat st;
  for (size_t i = 0; i < total; i++) {
    const char *path = input_at(base, cli, i)->path;
    if (strcmp(path, GW_CLI_STDIN) != 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode))
      ids[n++] = (file_id){st.st_dev, st.st_ino, i};
  }
  qsort(ids, n, sizeof *ids, cmp_file_id);
  /* Sorted by file, then order: the first of each run of one file stays. */
  for (size_t i = 1, first = 0; i < n; i++) {
    if (ids[i].dev != ids[first].dev || ids[i].ino != ids[first].ino) {
      first = i;
      continue;
    }
    drop[ids[i].order] = 1;
    if (cli->diagnostics)
      fprintf(cli->diagnostics, "%s: warning: %s is %s again: analysed once\n", cli->program,
              input_at(base, cli, ids[i].order)->path, input_at(base, cli, ids[first].order)->path);
  }
  for (int list = 0; list < 2; list++) {
    gw_cli *c = list ? cli : base;
    size_t offset = list ? base->input_count : 0, kept = 0;
    for (size_t i = 0; i < c->input_count; i++) {
      if (drop[offset + i]) free(c->inputs[i].path);
      else c->inputs[kept++] = c->inputs[i];
    }
    c->input_count = kept;
  }
  free(ids);
  free(drop);
  return 0;
}
