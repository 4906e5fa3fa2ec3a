/* input.h — what gw-report reads: gw-dups's JSON or JSON Lines (a file or
 * stdin), gw-archive check's or gw-gap's, or gw-dups run over the files and
 * folders given; parsed into one object in gw-dups's shape. */
#ifndef GW_REPORT_INPUT_H
#define GW_REPORT_INPUT_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "buffer.h"
#include "cli.h"
#include "config.h"

/* The input of args (n of them; "-" is stdin) into in: one file that holds
 * JSON is read as it is (cfg->input_dir set to its folder), anything else
 * is analysed by the gw-dups beside this program.  0, or -1 after the
 * error was reported. */
int input_read(gw_cli *cli, char **args, size_t n, buffer *in, report_config *cfg);

/* The input as one object: JSON, or JSON Lines gathered into the same
 * shape; gw-archive check's records put in gw-dups's shape (see input.c).
 * 0, or -1 after the error was reported. */
int input_parse(gw_cli *cli, const char *text, cJSON **out);

/* ---- Reading the records ---- */

static inline double number_of(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItem(o, key);
  return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

/* A count or byte offset of the input: out-of-range values are clamped, as
 * converting them to size_t would be undefined. */
static inline size_t size_of(const cJSON *o, const char *key) {
  double v = number_of(o, key);
  if (!(v > 0)) return 0;
  return v >= 9007199254740992.0 ? (size_t)9007199254740992ull : (size_t)v;
}

/* A document as gw-dups names it (its path) or as gw-archive check does
 * (an object: path, unit, year, from). */
static inline const char *ref_path(const cJSON *ref) {
  return cJSON_IsObject(ref) ? cJSON_GetStringValue(cJSON_GetObjectItem(ref, "path"))
                             : cJSON_GetStringValue(ref);
}

#endif
