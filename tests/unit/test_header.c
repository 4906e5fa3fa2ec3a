/* The public header compiles alone, as C11 with -pedantic (see
 * tests/CMakeLists.txt), and its option initializers are usable. */
#include <gongwen.h>

int main(void) {
  gw_document_options doc = GW_DOCUMENT_OPTIONS_INIT;
  gw_segment_options seg = GW_SEGMENT_OPTIONS_INIT;
  return (doc.version == GW_DOCUMENT_OPTIONS_VERSION &&
          seg.version == GW_SEGMENT_OPTIONS_VERSION && seg.hmm == 1)
             ? 0
             : 1;
}
