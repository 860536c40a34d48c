/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attribution of faults through tracefs: which fs_dax handler ran, and
 * with what result. The event names differ between kernels (dax_pmd_
 * load_hole_fallback, dax_insert_pfn_mkwrite ... come and go), so they
 * are discovered at run time under events/<system>/, never listed here.
 * Functions return 0 or -errno; none of them prints.
 */
#ifndef XB_TRACEFS_H
#define XB_TRACEFS_H
#ifndef XB_LAYER_BENCH
#error "bench/tracefs.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include <stddef.h>

/* Where tracefs is usually mounted, tried in this order. */
extern const char *const xb_tracefs_mounts[];

/* The first of candidates (NULL-terminated) holding an events/ directory:
 * *out is a malloc'd copy; -ENOENT when none does. */
int xb_tracefs_root(char **out, const char *const *candidates);

/* Sorted names of the events of one system (the directories under
 * events/<system>/ with an enable file). -ENOENT without that system. */
struct xb_trace_events {
	char **names;
	size_t n;
};
int xb_tracefs_discover(struct xb_trace_events *out, const char *root, const char *system);
void xb_trace_events_free(struct xb_trace_events *e);

/* Per-event counts from a trace text. An event whose name ends in _done
 * or _fallback also counts as "<event>.<RESULT>" when the last field of
 * its line is VM_FAULT_* flags (upper case, '|' turned into '_'), which is
 * how a PMD fault that fell back shows. "lost" counts events that the
 * ring buffer dropped ("[LOST n EVENTS]" lines). */
struct xb_trace_count {
	char *key;
	long n;
};
struct xb_trace_counts {
	struct xb_trace_count *v;
	size_t n;
};
void xb_trace_parse(struct xb_trace_counts *out, const char *text);
long xb_trace_get(const struct xb_trace_counts *c, const char *key);
void xb_trace_counts_free(struct xb_trace_counts *c);

/* Enables or disables every event of system (events/<system>/enable). */
int xb_tracefs_enable(const char *root, const char *system, bool on);
/* Empties the ring buffer and sets its size per CPU (0 keeps the size). */
int xb_tracefs_reset(const char *root, unsigned buffer_kb);
/* The trace text as it is now; *out is the caller's. */
int xb_tracefs_read(char **out, const char *root);

#endif
