/*
 * folder_formats.h — which files of a folder the tools read (cli.c's folder
 * walk asks): .txt files, and every Word, WPS, PDF, OFD or web-page document
 * whatever its name (detected by content); a binary file of no readable
 * format is listed as skipped, with what it is; other text files (a
 * README.md) are left alone.
 */
#ifndef GW_FOLDER_FORMATS_H
#define GW_FOLDER_FORMATS_H

#include <stddef.h>

enum { GW_FOLDER_LEAVE = 0, GW_FOLDER_READ = 1, GW_FOLDER_SKIP = -1 };

/* GW_FOLDER_READ, GW_FOLDER_LEAVE, or GW_FOLDER_SKIP with the reason in
 * message ("PATH: skipped: a PNG image, not a document of a readable
 * format", or why the file could not be examined). */
int gw_cli_folder_file(const char *path, char *message, size_t size);

#endif
