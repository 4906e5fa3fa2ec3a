/*
 * module.h — where libgongwen finds its modules: shared objects it loads
 * with dlopen only when an input needs them (pdf_module.h, docs_module.h),
 * so that a process that reads none never maps their libraries.
 *
 * A module lives in the folder GW_MODULE_DIR next to libgongwen.so, both in
 * the build tree and once installed.  When libgongwen is linked into the
 * program (the static library), it is found from the program's folder, as
 * installed (bin/ → lib/gongwen) and as built (bin/ → lib/gongwen in the
 * build tree), and at last in the installed folder itself.  Nothing is
 * cached: dlopen finds a module it has loaded already by its path, and
 * RTLD_NODELETE keeps it once loaded.
 */
#ifndef GW_MODULE_H
#define GW_MODULE_H

#include <limits.h>
#include <stdint.h>

/* Beside libgongwen, in a folder of its own (not libraries to link with). */
#define GW_MODULE_DIR "gongwen"
#define GW_MODULE_CANDIDATES 4

/* The candidate paths of the module file `file` (say
 * "libgongwen-pdf.so"), in order, into paths[]; returns how many.  anchor
 * is the address of a function of libgongwen ((uintptr_t)&fn), to find
 * its file. */
int gw_module_candidates(uintptr_t anchor, const char *file,
                         char paths[GW_MODULE_CANDIDATES][PATH_MAX]);
/* The first candidate that exists, into path: its index, or -1 when none
 * does (then path is the first candidate, or the file's bare name). */
int gw_module_find(uintptr_t anchor, const char *file, char path[PATH_MAX]);
/* Whether dlerror()'s message (NULL when it could not even be made) says
 * that dlopen ran out of memory. */
int gw_module_out_of_memory(const char *why);

#endif /* GW_MODULE_H */
