// SPDX-License-Identifier: GPL-2.0
/* daxbench: dispatch to the builtin named by the first argument. */
#include <stdio.h>
#include <string.h>
#include "cmd.h"

/* One builtin per file in cmd/, in the order `daxbench --help` lists them. */
#define CMD(...) &(const struct xb_cmd){ __VA_ARGS__ }
static const struct xb_cmd *const commands[] = {
	CMD("run", "boot a kernel in a guest, run a suite, record the results", xb_cmd_run),
	CMD("list", "list recorded runs", xb_cmd_list),
	CMD("show", "show one run: fingerprint and per-metric statistics", xb_cmd_show),
	CMD("kernels", "list the Debian kernels --kernel can name", xb_cmd_kernels),
	CMD("list-backends", "the backends a suite can name, what each offers", xb_cmd_list_backends),
	CMD("list-benches", "the benchmarks a suite can name, what each needs", xb_cmd_list_benches),
	CMD("compare", "compare two sets of runs boot by boot: verdict per metric", xb_cmd_compare),
	CMD("compare-kernels", "boot two kernels in turn (A B B A ...) and compare them", xb_cmd_compare_kernels),
	CMD("bisect", "find the kernel commit that regressed a metric: git bisect, daxbench compare as the test", xb_cmd_bisect),
	CMD("calibrate", "inject known DAX fault shifts: what this machine can detect", xb_cmd_calibrate),
	CMD("publish", "publish a static site of every metric's trend across kernels", xb_cmd_publish),
	CMD("report", "the DAX report from the database, as Markdown", xb_cmd_report),
	CMD("db", "db merge OTHER.db: import another machine's runs", xb_cmd_db),
	CMD("capabilities", "what works on a DAX mapping, per backend and kernel", xb_cmd_capabilities),
	CMD("ingest", "record a results stream written elsewhere (s390x guests)", xb_cmd_ingest),
	CMD("ingest-lava", "record the runs a LAVA job of lava/daxbench.yaml handed back", xb_cmd_ingest_lava),
	CMD("share", "N guests sharing one /usr image: memory per guest, exec startup", xb_cmd_share),
	CMD("plot", "one run's detail plots (fault CDF, memory, exec, radix) with their gnuplot scripts", xb_cmd_plot),
	NULL,
};
#undef CMD

static void usage(FILE *f)
{
	fprintf(f,
"usage: daxbench <command> [options]\n"
"\n"
"daxbench measures DAX (direct access, once XIP) in QEMU guests it boots\n"
"itself and keeps every sample, with a full fingerprint, in sqlite.\n"
"\n"
"Commands:\n");
	for (size_t i = 0; commands[i]; i++)
		fprintf(f, "  %-16s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(f,
"\n"
"`daxbench <command> --help` (or `daxbench help <command>`, or `man\n"
"daxbench-<command>`) describes each. `daxbench --version` prints the\n"
"version and the git commit it was built from.\n"
"\n"
"Exit status: 0 ok, 1 error, 2 usage, 3 regression found, 77 skipped.\n");
}

static const struct xb_cmd *find(const char *name)
{
	for (size_t i = 0; commands[i]; i++)
		if (!strcmp(name, commands[i]->name))
			return commands[i];
	return NULL;
}

static int unknown_command(const char *name)
{
	fprintf(stderr, "daxbench: unknown command '%s'\ntry 'daxbench --help'\n", name);
	return XB_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	const struct xb_cmd *cmd;

	if (argc < 2) {
		usage(stderr);
		return XB_EXIT_USAGE;
	}
	/* `daxbench help CMD` is `daxbench CMD --help` */
	if (!strcmp(argv[1], "help") && argc == 3) {
		char *help[] = { argv[2], "--help", NULL };

		cmd = find(argv[2]);
		return cmd ? cmd->fn(2, help) : unknown_command(argv[2]);
	}
	if (!strcmp(argv[1], "help") && argc > 3) {
		fprintf(stderr, "daxbench: help takes one command, not %d\ntry 'daxbench --help'\n",
			argc - 2);
		return XB_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return XB_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		if (xb_git_dirty() < 0)   /* not built from a git checkout: a release tarball */
			printf("daxbench %s\n", xb_version());
		else
			printf("daxbench %s (commit %s%s)\n", xb_version(), xb_git_commit(),
			       xb_git_dirty() == 1 ? ", dirty" : "");
		return XB_EXIT_OK;
	}
	cmd = find(argv[1]);
	return cmd ? cmd->fn(argc - 1, argv + 1) : unknown_command(argv[1]);
}
