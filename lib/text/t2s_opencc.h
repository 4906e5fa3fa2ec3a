/*
 * t2s_opencc.h — OpenCC's traditional → simplified converter behind a C
 * boundary that no C++ exception crosses (t2s_opencc.cpp).  OpenCC's own C
 * API catches only std::runtime_error: a std::bad_alloc in a large paragraph
 * would go through the C callers and terminate the process.  Private.
 */
#ifndef GW_T2S_OPENCC_H
#define GW_T2S_OPENCC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gw_opencc gw_opencc;

/* Load an OpenCC configuration ("t2s.json") and its dictionaries.
 * GW_ENOTFOUND when OpenCC cannot load it, GW_ENOMEM; `why` (may be NULL)
 * receives OpenCC's message. */
int gw_opencc_open(gw_opencc **out, const char *config, char *why,
                   size_t why_size);

/* Convert in[0..len): *out is malloc'd and NUL-terminated, *out_len its
 * length.  GW_ENOMEM, or GW_EINVAL with OpenCC's message in `why`.  Only
 * reads the loaded dictionaries: threads may convert with one gw_opencc at
 * once. */
int gw_opencc_convert(const gw_opencc *cc, const char *in, size_t len,
                      char **out, size_t *out_len, char *why,
                      size_t why_size);

void gw_opencc_close(gw_opencc *cc);

#ifdef __cplusplus
}
#endif

#endif /* GW_T2S_OPENCC_H */
