/* A program of another project: built against an installed gongwen with
 * find_package(gongwen) or pkg-config, and run on the installed data; with
 * a second argument, it prints the text of that document (a .docx: read
 * through the document module installed beside the library). */
#include <stdio.h>
#include <string.h>

#include <gongwen.h>

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  gw_error err;
  if (argc > 2) {
    gw_extract *doc;
    if (gw_extract_load_file(&doc, argv[2], NULL, &err)) {
      fprintf(stderr, "%s\n", err.message);
      return 1;
    }
    size_t len;
    const char *text = gw_extract_text(doc, &len);
    fwrite(text, 1, len, stdout);
    gw_extract_free(doc);
  }
  gw_dict *dict;
  if (gw_dict_load_file(&dict, argv[1], &err)) {
    fprintf(stderr, "%s\n", err.message);
    return 1;
  }
  gw_segmenter *seg;
  if (gw_segmenter_new(&seg, dict, NULL, &err)) return 1;
  const char *text = "全面落实意识形态工作责任制";
  const gw_token *tokens;
  size_t n;
  if (gw_segment(seg, text, strlen(text), &tokens, &n, &err)) return 1;
  for (size_t i = 0; i < n; i++)
    printf("%.*s/%s\n", (int)(tokens[i].end - tokens[i].start),
           text + tokens[i].start, gw_token_kind_name(tokens[i].kind));
  gw_segmenter_free(seg);
  gw_dict_free(dict);
  return strcmp(gw_version(), GW_VERSION_STRING) != 0;
}
