/* input.h — what gw-report reads: gw-dups's JSON or JSON Lines (a file or
 * stdin), gw-archive check's or gw-gap's, or gw-dups run over the files and
 * folders given; parsed into one object in gw-dups's shape. */
#ifndef GW_REPORT_INPUT_H
#define GW_REPORT_INPUT_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "buffer.h"
#include "cli.h"
#include "config.h"

/* The input of args (n of them; "-" is stdin) into in: one file that holds
 * JSON is read as it is (cfg->input_dir set to its folder), anything else
 * is analysed by the gw-dups beside this program.  0, or -1 after the
 * error was reported. */
int input_read(gw_cli *cli, char **args, size_t n, buffer *in, report_config *cfg);

/* The input as one object: JSON, or JSON Lines gathered into the same
 * shape; gw-archive check's records put in gw-dups's shape (see input.c).
 * 0, or -1 after the error was reported. */
int input_parse(gw_cli *cli, const char *text, cJSON **out);

#endif
