/*
 * t2s.c — the normalizer: traditional → simplified folding for the
 * normalized view, from OpenCC's t2s.
 *
 * A char → char table built once per gw_normalizer by converting every Han
 * character of the BMP through OpenCC (one per line, so that no phrase spans
 * two of them), keeping the one-for-one changes; and, for paragraphs that
 * are clearly traditional, OpenCC's phrase conversion
 * (gw_t2s_convert_paragraph()).  OpenCC is reached through t2s_opencc.h,
 * which keeps its C++ exceptions out.
 */
#include <stdlib.h>
#include <string.h>

#include "t2s.h"

static const char T2S_CONFIG[] = "t2s.json";

/* Characters that OpenCC's t2s character table changes although they are
 * also correct simplified characters, used in simplified text in the
 * phrases OpenCC's TSPhrases keeps them in (乾坤, 宫商角徵羽, 哪吒, 蒜薹,
 * 毕昇, 八濛山, 幺麽…).  Converting them one by one would corrupt
 * simplified text, so the table leaves them alone; in a paragraph that is
 * traditional (see gw_t2s_convert_paragraph()) OpenCC's phrase conversion decides.
 * Found by dumping OpenCC 1.1's TSCharacters and TSPhrases: the keys whose
 * first candidate differs from themselves and that OpenCC itself outputs
 * as a candidate or inside a phrase.  著 is added because older OpenCC
 * releases map 著→着, which breaks 著作 (《习近平著作选读》), and 甯,
 * a standard simplified character for the surname. */
static const int32_t t2s_keep[] = {
  0x4E7E, /* 乾 */ 0x524B, /* 剋 */ 0x5412, /* 吒 */ 0x5925, /* 夥 */
  0x5FB5, /* 徵 */ 0x65BC, /* 於 */ 0x6607, /* 昇 */ 0x6FDB, /* 濛 */
  0x752F, /* 甯 */ 0x82E7, /* 苧 */ 0x8457, /* 著 */ 0x85B9, /* 薹 */
  0x9EBD, /* 麽 */
};

static int keep_as_is(int32_t cp) {
  for (size_t i = 0; i < sizeof t2s_keep / sizeof t2s_keep[0]; i++)
    if (t2s_keep[i] == cp) return 1;
  return 0;
}

/* Convert every covered character through OpenCC once, one per line so
 * that no phrase can span two of them, and keep the one-for-one changes. */
static int build_tables(gw_normalizer *nz, gw_error *err) {
  char *in = malloc(T2S_COUNT * 4);
  if (!in) return gw_fail(err, GW_ENOMEM, "%s: out of memory", T2S_CONFIG);
  size_t n = 0;
  for (int32_t cp = T2S_BMP_FIRST; cp < T2S_BMP_END; cp++) {
    n += gw_utf8_encode(cp, in + n);
    in[n++] = '\n';
  }
  char *conv, why[256];
  size_t conv_len;
  int rc = gw_opencc_convert(nz->cc, in, n, &conv, &conv_len, why, sizeof why);
  free(in);
  if (rc < 0)
    return gw_fail(err, rc, "%s: OpenCC conversion failed: %s", T2S_CONFIG,
                   why);
  const char *p = conv;
  for (int32_t cp = T2S_BMP_FIRST; cp < T2S_BMP_END; cp++) {
    const char *nl = strchr(p, '\n');
    if (!nl) {
      rc = gw_fail(err, GW_EINVAL, "%s: unexpected OpenCC output", T2S_CONFIG);
      break;
    }
    int32_t to;
    size_t k = nl > p ? gw_utf8_next((const unsigned char *)p,
                                     (size_t)(nl - p), &to) : 0;
    if (k > 0 && k == (size_t)(nl - p) && to > 0 && to != cp &&
        !keep_as_is(cp)) {
      uint32_t i = (uint32_t)(cp - T2S_BMP_FIRST);
      nz->bmp[i] = (uint32_t)to;
      nz->changes[i / 64] |= (uint64_t)1 << (i % 64);
    }
    p = nl + 1;
  }
  free(conv);
  return rc;
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
  else
    rc = build_tables(nz, err);
  if (rc < 0) {
    gw_normalizer_free(nz);
    return rc;
  }
  *out = nz;
  return GW_OK;
}

void gw_normalizer_free(gw_normalizer *normalizer) {
  if (!normalizer) return;
  gw_opencc_close(normalizer->cc);
  free(normalizer);
}

/* The table converts character by character and leaves the ambiguous
 * characters (t2s_keep) alone.  In a paragraph that is clearly traditional
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
