/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host memory figures of guests that share a file: a QEMU's smaps_rollup,
 * the smaps entry of one mapping (the shared file), the host page cache a
 * file holds (mincore), a /proc/meminfo field. All in KiB; NAN when a
 * field is absent.
 */
#ifndef XB_HOSTMEM_H
#define XB_HOSTMEM_H
#ifndef XB_LAYER_HARNESS
#error "harness/group/hostmem.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stddef.h>
#include <sys/types.h>

struct xb_smaps_fig {
	double rss, pss, shared_clean, shared_dirty, private_clean, private_dirty;
	double anon_huge;       /* AnonHugePages: guest RAM on host THP */
};

/* The fields of struct xb_smaps_fig: metric word, smaps field, where in
 * the struct, direction. NULL-terminated. */
struct xb_smaps_field {
	const char *name, *field;
	size_t off;
	const char *direction;
};
extern const struct xb_smaps_field *const xb_smaps_fields[];

/* "Field:   123 kB" of a meminfo-style file (/proc/meminfo, smaps_rollup). */
double xb_meminfo_kib(const char *path, const char *field);
/* /proc/PID/smaps_rollup; -ESRCH (the error set) when unreadable. */
int xb_smaps_rollup(struct xb_smaps_fig *f, pid_t pid);
/* The same summed over the mappings of file (its path as /proc/PID/maps
 * shows it) in /proc/PID/smaps; -ENOENT when pid maps no such file. */
int xb_smaps_mapping(struct xb_smaps_fig *f, pid_t pid, const char *file);
/* The same parser on smaps text (unit tests). */
int xb_smaps_mapping_text(struct xb_smaps_fig *f, const char *text, const char *file);
/*
 * How many processes map file, those in except[0..nexcept) left out. Pss
 * divides a shared page among every process mapping it, so another
 * process mapping a guest's image (a second daxbench run on the same
 * cached image) lowers the guests' Pss.
 */
int xb_file_mappers(size_t *out, const char *file, const pid_t *except, size_t nexcept);
/* KiB of file resident in the host page cache (mincore). */
int xb_file_cached_kib(double *out, const char *path);

#endif
