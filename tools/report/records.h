/* records.h — reading the input's records (cJSON objects in gw-dups's
 * shape, input.h): a figure, a count or offset, a document reference. */
#ifndef GW_REPORT_RECORDS_H
#define GW_REPORT_RECORDS_H

#include <stddef.h>

#include <cjson/cJSON.h>

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
