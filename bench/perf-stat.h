/* SPDX-License-Identifier: GPL-2.0 */
/*
 * perf stat around one part of a child process: perf runs the child with
 * its events disabled (--delay=-1) and the child turns them on and off
 * through perf's control descriptors (--control fd:CTL,ACK), so the counts
 * cover only what the child does between the two. perf's CSV output
 * (-x,) is parsed here; an event perf cannot count keeps perf's reason.
 */
#ifndef XB_PERF_STAT_H
#define XB_PERF_STAT_H
#ifndef XB_LAYER_BENCH
#error "bench/perf-stat.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include <stddef.h>
#include "util.h"

/* Where the host puts perf in the guest image. */
#define XB_PERF_GUEST_PATH "/usr/bin/perf"

struct xb_perf_event {
	char *name;            /* as perf prints it: "page-faults", "cycles" */
	bool counted;
	double value;          /* counted: in unit; task-clock in ns */
	char *unit;            /* "count", or "ns" for a time perf gives in msec */
	char *reason;          /* !counted: perf's words ("<not supported>" ...) */
};

struct xb_perf_result {
	struct xb_perf_event *v;
	size_t n;
};

/* perf stat -x, output (lines "value,unit,event,run-time,pct,..."; empty
 * lines, '#' comments and -v's "event: value enabled running" skipped). -EINVAL with the
 * reason in xb_error_last() for a line that is neither a count nor a "<not ...>" marker. */
int xb_perf_parse(struct xb_perf_result *out, const char *csv);
const struct xb_perf_event *xb_perf_get(const struct xb_perf_result *r, const char *name);
void xb_perf_result_free(struct xb_perf_result *r);

/*
 * Run argv under `perf stat -x, -e events --delay=-1 --control fd:C,A`.
 * Every "%CTL" and "%ACK" argument of argv is replaced by the descriptor
 * numbers the child passes to xb_perf_ctl(). The child's stdout goes to
 * *child_out; perf's and the child's stderr to *child_err. 0 with *out parsed;
 * -errno with the reason in xb_error_last(), after that stderr (perf missing,
 * perf or the child failed).
 */
int xb_perf_stat(struct xb_perf_result *out, struct xb_buf *child_out, struct xb_buf *child_err,
		 const char *perf, const char *events, const char *const argv[]);

/* In the child: "enable" or "disable" sent to perf, and perf's ack awaited
 * (so that the counters are on, or off, on return). */
int xb_perf_ctl(int ctl_fd, int ack_fd, const char *cmd);

#endif
