/* Symbol visibility: the library is compiled with hidden visibility, and only
 * what the public header marks GW_EXPORT is exported. */
#ifndef GONGWEN_EXPORT_H
#define GONGWEN_EXPORT_H
#if defined(__GNUC__) || defined(__clang__)
#define GW_EXPORT __attribute__((visibility("default")))
#else
#define GW_EXPORT
#endif
#endif
