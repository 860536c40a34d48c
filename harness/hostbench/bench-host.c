// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench-host.h"

const struct xb_bench_host *const xb_bench_hosts[] = {
	&xb_bench_host_radix,
	&xb_bench_host_fio,
	&xb_bench_host_faultpath,
	NULL,
};

/* An ELF file, not a script (Debian's /usr/bin/perf can be a wrapper
 * that runs perf_<kernel version>). */
static bool is_elf(const char *path)
{
	char magic[4] = { 0 };
	FILE *f = fopen(path, "rb");
	bool elf = f && fread(magic, 1, 4, f) == 4 && !memcmp(magic, "\177ELF", 4);

	if (f)
		fclose(f);
	return elf;
}

int xb_bench_host_optional_program(struct xb_image *img, const char *name,
				   const char *guest_path)
{
	char *host = xb_which(name);
	int rc = 0;

	if (!host)
		return 0;
	if (strcmp(host, guest_path))
		xb_warn("%s is %s, not %s: the guest will not find it", name, host, guest_path);
	else if (!is_elf(host))
		xb_warn("%s is not an ELF program (a wrapper script?): not copied into the "
			"guest, which records it unavailable", host);
	else
		rc = xb_image_program(img, host);
	free(host);
	return rc;
}

const struct xb_bench_host *xb_bench_host_find(const char *bench)
{
	for (size_t i = 0; xb_bench_hosts[i]; i++)
		if (!strcmp(xb_bench_hosts[i]->bench, bench))
			return xb_bench_hosts[i];
	return NULL;
}
