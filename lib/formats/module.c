/*
 * module.c — the paths of libgongwen's modules (module.h).
 */
#define _GNU_SOURCE /* dl_iterate_phdr */
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gw_module_paths.h"
#include "module.h"

typedef struct object_search {
  uintptr_t address;
  int visited;      /* objects seen before the one holding address */
  int found;
  char path[PATH_MAX]; /* that object's file ("" for the program) */
} object_search;

static int find_object(struct dl_phdr_info *info, size_t size, void *data) {
  object_search *s = data;
  (void)size;
  for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    uintptr_t start = (uintptr_t)info->dlpi_addr + ph->p_vaddr;
    if (ph->p_type == PT_LOAD && s->address >= start &&
        s->address - start < ph->p_memsz) {
      s->found = 1;
      /* the first object is the program itself, whatever its name */
      const char *name = s->visited == 0 ? NULL : info->dlpi_name;
      size_t len = name ? strlen(name) : 0;
      if (len >= sizeof s->path) len = 0; /* cannot be told: as a program */
      if (len) memcpy(s->path, name, len);
      s->path[len] = '\0';
      return 1;
    }
  }
  s->visited++;
  return 0;
}

static void folder_of(char *path) {
  char *slash = strrchr(path, '/');
  if (slash)
    *slash = '\0';
  else
    strcpy(path, ".");
}

/* paths[*n] = folder/middle/file, unless it would not fit. */
static void add_candidate(char paths[][PATH_MAX], int *n, const char *folder,
                          const char *middle, const char *file) {
  int len = snprintf(paths[*n], PATH_MAX, "%s/%s/%s", folder, middle, file);
  if (len > 0 && len < PATH_MAX) (*n)++;
}

int gw_module_candidates(uintptr_t anchor, const char *file,
                         char paths[GW_MODULE_CANDIDATES][PATH_MAX]) {
  object_search s;
  memset(&s, 0, sizeof s);
  s.address = anchor;
  dl_iterate_phdr(find_object, &s);
  int n = 0;
  if (s.found && s.path[0]) { /* the shared library */
    folder_of(s.path);
    add_candidate(paths, &n, s.path, GW_MODULE_DIR, file);
    return n;
  }
  char program[PATH_MAX];
  ssize_t len = readlink("/proc/self/exe", program, sizeof program - 1);
  if (len > 0) {
    program[len] = '\0';
    folder_of(program);
    add_candidate(paths, &n, program, GW_MODULE_FROM_BINDIR, file);
    add_candidate(paths, &n, program, "../lib/" GW_MODULE_DIR, file);
  }
  add_candidate(paths, &n, GW_MODULE_INSTALLED, ".", file);
  return n;
}

int gw_module_find(uintptr_t anchor, const char *file, char path[PATH_MAX]) {
  char paths[GW_MODULE_CANDIDATES][PATH_MAX];
  int n = gw_module_candidates(anchor, file, paths);
  for (int i = 0; i < n; i++)
    if (access(paths[i], F_OK) == 0) {
      strcpy(path, paths[i]);
      return i;
    }
  snprintf(path, PATH_MAX, "%s", n > 0 ? paths[0] : file);
  return -1;
}

/* glibc's dlerror says "…: Cannot allocate memory" (strerror(ENOMEM)) when
 * the loader's allocations or mappings fail, and "out of memory" alone when
 * even its message could not be made. */
int gw_module_out_of_memory(const char *why) {
  return !why || strstr(why, "Cannot allocate memory") ||
         strstr(why, "out of memory");
}
