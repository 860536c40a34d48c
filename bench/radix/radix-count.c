// SPDX-License-Identifier: GPL-2.0
/*
 * radix-count: runs the radix model's lookups once per variant for the
 * harness to count under callgrind on the host (instructions per lookup do
 * not depend on a noisy machine, and TCG guests have no counters).
 * Arguments: the radix benchmark's parameters as key=value.
 * Exit status: 0 ok, 1 error, 2 usage.
 */
#include <stdio.h>
#include <string.h>
#include "bench.h"

int main(int argc, char **argv)
{
	struct xb_kvlist params = { 0 };
	int rc;

	for (int i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (!eq || eq == argv[i]) {
			fprintf(stderr, "usage: radix-count [key=value ...] (radix benchmark parameters)\n");
			return 2;
		}
		*eq = 0;
		xb_kv_set(&params, argv[i], eq + 1);
	}
	rc = xb_radix_count_main(&params);
	xb_kv_free(&params);
	return rc ? 1 : 0;
}
