/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Settings of a running kernel that change what a fault or memory figure
 * means: transparent huge pages, the zero page, KSM, NUMA balancing,
 * overcommit, swap, the clocksource. The host's go into a run's
 * fingerprint as host.<key>, a guest's as guest.<key>, so that `compare`
 * lists them when two runs differ.
 */
#ifndef XB_SYSKNOBS_H
#define XB_SYSKNOBS_H

#include "util.h"

struct xb_sysknob {
	const char *key;        /* fingerprint key under host. or guest. */
	const char *path;       /* sysfs or procfs file */
	bool bracketed;         /* "always [madvise] never": the [choice] */
};

/* NULL-terminated. */
extern const struct xb_sysknob *const xb_sysknobs[];

/*
 * The value of a knob: the bracketed choice where the file lists
 * choices, else the trimmed text; "absent" when the file does not exist
 * (no THP, no KSM in that kernel) or cannot be read. Caller frees.
 */
char *xb_sysknob_read(const struct xb_sysknob *k);
/* The choice inside [] of a sysfs choice list, "unknown" without one;
 * caller frees. */
char *xb_sysknob_choice(const char *text);

/*
 * The value of the first "key<spaces>: value" line of a /proc file such as
 * /proc/cpuinfo or /proc/meminfo; "unknown" when there is none. Caller
 * frees.
 */
char *xb_proc_field(const char *path, const char *key);

#endif
