// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "bench-host.h"

const struct xb_bench_host *const xb_bench_hosts[] = {
	&xb_bench_host_radix,
	&xb_bench_host_fio,
	NULL,
};

const struct xb_bench_host *xb_bench_host_find(const char *bench)
{
	for (size_t i = 0; xb_bench_hosts[i]; i++)
		if (!strcmp(xb_bench_hosts[i]->bench, bench))
			return xb_bench_hosts[i];
	return NULL;
}
