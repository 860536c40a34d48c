// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include "clock.h"
#include "util.h"

static const char *const names[] = {
	[XB_CLOCK_AUTO] = "auto", [XB_CLOCK_WALL] = "wall", [XB_CLOCK_ICOUNT] = "icount", NULL,
};

int xb_clock_parse(enum xb_clock *out, const char *s)
{
	for (size_t i = 0; names[i]; i++)
		if (s && !strcmp(s, names[i])) {
			*out = (enum xb_clock)i;
			return 0;
		}
	return -EINVAL;
}

const char *xb_clock_name(enum xb_clock c)
{
	return names[c];
}

const char *xb_clock_of(const char *fp_value)
{
	return fp_value && *fp_value ? fp_value : names[XB_CLOCK_WALL];
}

bool xb_clock_unit_is_time(const char *unit)
{
	static const char *const time[] = { "ns", "us", "ms", "s" };
	size_t n = unit ? strlen(unit) : 0;

	for (size_t i = 0; i < XB_ARRAY_SIZE(time); i++)
		if (unit && !strcmp(unit, time[i]))
			return true;
	return (n > 2 && !strcmp(unit + n - 2, "/s")) || (n > 6 && !strcmp(unit + n - 6, "_per_s"));
}

char *xb_clock_unit_label(const char *unit, const char *clock)
{
	if (!strcmp(xb_clock_of(clock), "icount") && xb_clock_unit_is_time(unit))
		return xb_asprintf("%s (icount)", unit);
	return xb_strdup(unit ? unit : "");
}

const char xb_clock_icount_captures[] =
	"icount time counts guest instructions (QEMU -icount shift=0: 1 \"ns\" = 1 instruction, "
	"a rep-prefixed string instruction once per iteration): it captures code-path length - "
	"extra instructions, page poisoning and zeroing, locking work, more page-table levels - "
	"and is the same from boot to boot.";

const char xb_clock_icount_misses[] =
	"It cannot see cache and TLB misses, memory latency or contention: every instruction "
	"costs the same, so icount \"ns\" are not real nanoseconds and an icount change is a "
	"change in work done, not in time taken.";
