/*
 * t2s.c — the normalizer: traditional → simplified folding for the
 * normalized view, from OpenCC's t2s.
 *
 * A char → char table, generated at build time from OpenCC's conversion of
 * every Han character of the BMP (t2s_table_gen.c) and copied into each
 * gw_normalizer; and, for paragraphs that are clearly traditional,
 * OpenCC's phrase conversion
 * (gw_t2s_convert_paragraph()).  OpenCC is reached through t2s_opencc.h,
 * which keeps its C++ exceptions out.
 */
#include <stdlib.h>
#include <string.h>

#include "t2s.h"

#include "t2s_table.h"

/* The table's pairs, generated at build time (t2s_table_gen.c, where the
 * characters it leaves alone are listed). */
static void fill_tables(gw_normalizer *nz) {
  for (size_t k = 0; k < sizeof t2s_generated_pairs / sizeof *t2s_generated_pairs; k++) {
    uint32_t i = t2s_generated_pairs[k][0] - T2S_BMP_FIRST;
    nz->bmp[i] = t2s_generated_pairs[k][1];
    nz->changes[i / 64] |= (uint64_t)1 << (i % 64);
  }
}

int gw_normalizer_new(gw_normalizer **out, gw_error *err) {
  if (!out) return gw_fail(err, GW_EINVAL, "gw_normalizer_new: out is NULL");
  *out = NULL;
  gw_normalizer *nz = calloc(1, sizeof *nz);
  if (!nz) return gw_fail(err, GW_ENOMEM, "%s: out of memory", T2S_CONFIG);
  char why[256];
  int rc = gw_opencc_open(&nz->cc, T2S_CONFIG, why, sizeof why);
  if (rc == GW_ENOMEM)
    rc = gw_fail(err, rc, "%s: out of memory", T2S_CONFIG);
  else if (rc < 0)
    rc = gw_fail(err, GW_ENOTFOUND,
                 "%s: cannot load OpenCC's traditional-to-simplified "
                 "configuration (install the Debian package "
                 "'libopencc-data'): %s",
                 T2S_CONFIG, why);
  if (rc < 0) {
    gw_normalizer_free(nz);
    return rc;
  }
  fill_tables(nz);
  *out = nz;
  return GW_OK;
}

void gw_normalizer_free(gw_normalizer *normalizer) {
  if (!normalizer) return;
  gw_opencc_close(normalizer->cc);
  free(normalizer);
}

/* The table converts character by character and leaves the ambiguous
 * characters (t2s_table_gen.c's t2s_keep) alone.  In a paragraph that is clearly traditional
 * (normalize.c: at least 1 in 20 Han characters converted), OpenCC's phrase
 * conversion of the paragraph as the text had it decides instead, so
 * 乾淨 → 干净 but 乾坤 stays, 關於 → 关于, 計畫 → 计划. */
int gw_t2s_convert_paragraph(const gw_normalizer *nz, char *para, size_t n,
                             size_t para_start,
                             const gw_t2s_original *originals, size_t count,
                             char **scratch, size_t *scratch_cap,
                             int *in_opencc) {
  if (*scratch_cap < n + 1) {
    char *p = realloc(*scratch, n + 1);
    if (!p) return GW_ENOMEM;
    *scratch = p;
    *scratch_cap = n + 1;
  }
  char *pre = *scratch;
  memcpy(pre, para, n);
  for (size_t i = 0; i < count; i++)
    gw_utf8_encode(originals[i].orig, pre + (originals[i].off - para_start));
  char *conv;
  size_t cn;
  int rc = gw_opencc_convert(nz->cc, pre, n, &conv, &cn, NULL, 0);
  if (rc == GW_ENOMEM) {
    *in_opencc = 1;
    return rc;
  }
  if (rc < 0) return GW_OK; /* another OpenCC error: the table's stands */
  /* OpenCC's output ends at a NUL in the paragraph. */
  cn = strlen(conv);
  size_t i = 0, j = 0;
  unsigned char *o = (unsigned char *)para;
  while (i < n && j < cn) {
    int32_t a, b;
    size_t la = gw_utf8_next(o + i, n - i, &a);
    size_t lb = gw_utf8_next((const unsigned char *)conv + j, cn - j, &b);
    if (la != lb) break; /* lengths changed: keep the rest as it is */
    if (a != b) memcpy(o + i, conv + j, la);
    i += la;
    j += lb;
  }
  free(conv);
  return GW_OK;
}
