// SPDX-License-Identifier: GPL-2.0
/* Kernel names: a bzImage's setup header, and package names from apt. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "kernel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xb_strndup((const char *)data, size), *rel = NULL, *save = NULL;
	const char *names[64];
	size_t n = 0;

	if (!xb_bzimage_release_buf(&rel, (const char *)data, size)) {
		if (!*rel || strchr(rel, ' '))
			abort();
		free(rel);
	}
	for (char *l = strtok_r(text, "\n", &save); l && n < 64; l = strtok_r(NULL, "\n", &save))
		names[n++] = l;
	xb_kernel_pick_default(names, n);
	free(text);
	return 0;
}
