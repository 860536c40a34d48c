// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "sysknobs.h"

#define THP "/sys/kernel/mm/transparent_hugepage/"

#define KNOB(...) &(const struct xb_sysknob){ __VA_ARGS__ }
const struct xb_sysknob *const xb_sysknobs[] = {
	KNOB("thp.enabled", THP "enabled", true),
	KNOB("thp.defrag", THP "defrag", true),
	KNOB("thp.shmem_enabled", THP "shmem_enabled", true),
	KNOB("thp.use_zero_page", THP "use_zero_page", false),
	KNOB("ksm.run", "/sys/kernel/mm/ksm/run", false),
	KNOB("vm.overcommit_memory", "/proc/sys/vm/overcommit_memory", false),
	KNOB("vm.swappiness", "/proc/sys/vm/swappiness", false),
	KNOB("kernel.numa_balancing", "/proc/sys/kernel/numa_balancing", false),
	KNOB("clocksource", "/sys/devices/system/clocksource/clocksource0/current_clocksource",
	     false),
	NULL,
};
#undef KNOB

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
