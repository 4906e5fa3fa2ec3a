/*
 * t2s_table_gen.c — build-time generator of the normalizer's
 * traditional → simplified character table (t2s_table.h), from OpenCC's
 * t2s.json as installed on the build machine.
 *
 * The table used to be built in every gw_normalizer_new() by converting each
 * Han character of the BMP through OpenCC: 240 million instructions (about
 * a twentieth of a second) at the start of every process, whatever the size
 * of its input.  The conversion is the same here, once per build.
 *
 * Usage: t2s_table_gen OUTPUT.h    (exit status 1 with a message on failure)
 */
#include <opencc/opencc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t2s.h"

/* Characters that OpenCC's t2s character table changes although they are
 * also correct simplified characters, used in simplified text in the
 * phrases OpenCC's TSPhrases keeps them in (乾坤, 宫商角徵羽, 哪吒, 蒜薹,
 * 毕昇, 八濛山, 幺麽…).  Converting them one by one would corrupt
 * simplified text, so the table leaves them alone; in a paragraph that is
 * traditional (see gw_t2s_convert_paragraph()) OpenCC's phrase conversion
 * decides.  Found by dumping OpenCC 1.1's TSCharacters and TSPhrases: the
 * keys whose first candidate differs from themselves and that OpenCC itself
 * outputs as a candidate or inside a phrase.  著 is added because older
 * OpenCC releases map 著→着, which breaks 著作 (《习近平著作选读》), and 甯,
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

static int fail(const char *what) {
  fprintf(stderr, "t2s_table_gen: %s\n", what);
  return 1;
}

/* Every covered character converted once, one per line so that no phrase
 * can span two of them; the one-for-one changes are written as pairs. */
static int write_table(opencc_t cc, FILE *out) {
  char *in = malloc(T2S_COUNT * 4);
  if (!in) return fail("out of memory");
  size_t n = 0;
  for (int32_t cp = T2S_BMP_FIRST; cp < T2S_BMP_END; cp++) {
    n += gw_utf8_encode(cp, in + n);
    in[n++] = '\n';
  }
  char *conv = opencc_convert_utf8(cc, in, n);
  free(in);
  if (!conv) return fail(opencc_error());
  fprintf(out,
          "/* t2s_table.h — generated at build time by t2s_table_gen from "
          "OpenCC's t2s.json:\n"
          " * {traditional, simplified} for each BMP Han character that "
          "OpenCC converts\n"
          " * one for one (t2s.c).  Do not edit. */\n"
          "static const uint32_t t2s_generated_pairs[][2] = {\n");
  const char *p = conv;
  size_t pairs = 0;
  int rc = 0;
  for (int32_t cp = T2S_BMP_FIRST; cp < T2S_BMP_END; cp++) {
    const char *nl = strchr(p, '\n');
    if (!nl) {
      rc = fail("unexpected OpenCC output");
      break;
    }
    int32_t to;
    size_t k = nl > p ? gw_utf8_next((const unsigned char *)p,
                                     (size_t)(nl - p), &to) : 0;
    if (k > 0 && k == (size_t)(nl - p) && to > 0 && to != cp &&
        !keep_as_is(cp)) {
      fprintf(out, "  {0x%04X, 0x%04X},\n", (unsigned)cp, (unsigned)to);
      pairs++;
    }
    p = nl + 1;
  }
  opencc_convert_utf8_free(conv);
  if (!rc && pairs == 0) rc = fail("OpenCC converted no character");
  fprintf(out, "};\n");
  return rc;
}

int main(int argc, char **argv) {
  if (argc != 2) return fail("usage: t2s_table_gen OUTPUT.h");
  opencc_t cc = opencc_open(T2S_CONFIG);
  if (cc == (opencc_t)-1) {
    fprintf(stderr,
            "t2s_table_gen: cannot load OpenCC's %s (install the Debian "
            "package 'libopencc-data'): %s\n",
            T2S_CONFIG, opencc_error());
    return 1;
  }
  char tmp[4096];
  if (snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]) >= (int)sizeof tmp)
    return fail("output path too long");
  FILE *out = fopen(tmp, "w");
  if (!out) return fail("cannot write the output");
  int rc = write_table(cc, out);
  opencc_close(cc);
  if (fclose(out) != 0 && !rc) rc = fail("cannot write the output");
  if (!rc && rename(tmp, argv[1]) != 0) rc = fail("cannot rename the output");
  if (rc) remove(tmp);
  return rc;
}
