/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daxbench command: subcommands dispatched from the commands[] table in
 * main.c, one builtin per file (cmd/<name>.c), perf-style. Each returns an exit
 * status as documented in `daxbench --help`.
 */
#ifndef XB_CMD_H
#define XB_CMD_H
#ifndef XB_LAYER_HARNESS
#error "harness/cmd.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include "common.h"   /* every builtin uses the harness's shared helpers */
#include "db.h"       /* enum xb_db_mode */

enum {
	XB_EXIT_OK = 0,
	XB_EXIT_ERROR = 1,
	XB_EXIT_USAGE = 2,
	XB_EXIT_REGRESSION = 3,
	XB_EXIT_SKIP = 77,
};

struct xb_cmd {
	const char *name;
	const char *summary;
	int (*fn)(int argc, char **argv);
};

int xb_cmd_run(int argc, char **argv);
int xb_cmd_show(int argc, char **argv);
int xb_cmd_list(int argc, char **argv);
int xb_cmd_kernels(int argc, char **argv);
int xb_cmd_publish(int argc, char **argv);
int xb_cmd_report(int argc, char **argv);
int xb_cmd_db(int argc, char **argv);
int xb_cmd_compare(int argc, char **argv);
int xb_cmd_compare_kernels(int argc, char **argv);
int xb_cmd_calibrate(int argc, char **argv);
int xb_cmd_bisect(int argc, char **argv);
int xb_cmd_capabilities(int argc, char **argv);
int xb_cmd_ingest(int argc, char **argv);
int xb_cmd_ingest_lava(int argc, char **argv);
int xb_cmd_share(int argc, char **argv);
int xb_cmd_plot(int argc, char **argv);

/* xb_db_open() that prints its error (cmd/db.c). */
struct xb_db;
int xb_cmd_db_open(struct xb_db **out, const char *path, enum xb_db_mode mode);
int xb_cmd_list_backends(int argc, char **argv);
int xb_cmd_list_benches(int argc, char **argv);

#endif
