// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "sysknobs.h"

#define THP "/sys/kernel/mm/transparent_hugepage/"

const struct xb_sysknob xb_sysknobs[] = {
	{ "thp.enabled", THP "enabled", true },
	{ "thp.defrag", THP "defrag", true },
	{ "thp.shmem_enabled", THP "shmem_enabled", true },
	{ "thp.use_zero_page", THP "use_zero_page", false },
	{ "ksm.run", "/sys/kernel/mm/ksm/run", false },
	{ "vm.overcommit_memory", "/proc/sys/vm/overcommit_memory", false },
	{ "vm.swappiness", "/proc/sys/vm/swappiness", false },
	{ "kernel.numa_balancing", "/proc/sys/kernel/numa_balancing", false },
	{ "clocksource", "/sys/devices/system/clocksource/clocksource0/current_clocksource",
	  false },
	{ NULL, NULL, false },
};

char *xb_sysknob_choice(const char *text)
{
	const char *open = strchr(text, '['), *close = open ? strchr(open, ']') : NULL;

	return close ? xb_strndup(open + 1, (size_t)(close - open - 1)) : xb_strdup("unknown");
}

char *xb_sysknob_read(const struct xb_sysknob *k)
{
	char *text = NULL, *v;

	if (xb_read_file(&text, NULL, k->path))
		return xb_strdup("absent");
	v = k->bracketed ? xb_sysknob_choice(text) : xb_strdup(xb_trim(text));
	free(text);
	return v;
}

char *xb_proc_field(const char *path, const char *key)
{
	char *text = NULL, *save = NULL, *found = NULL;
	size_t n = strlen(key);

	if (xb_read_file(&text, NULL, path))
		return xb_strdup("unknown");
	for (char *line = strtok_r(text, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':'), *p = line + n;

		if (!colon || strncmp(line, key, n))
			continue;
		while (*p == ' ' || *p == '\t')
			p++;
		if (p == colon)
			found = xb_strdup(xb_trim(colon + 1));
	}
	free(text);
	return found ? found : xb_strdup("unknown");
}
