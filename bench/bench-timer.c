// SPDX-License-Identifier: GPL-2.0
/*
 * timer: what the clock every other benchmark uses costs and resolves.
 * The fault benchmark brackets each page touch with two CLOCK_MONOTONIC
 * reads, so their overhead is part of every fault sample; this measures it
 * on the same kernel and clocksource.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench.h"

#define CLOCKSOURCE_PATH "/sys/devices/system/clocksource/clocksource0/current_clocksource"

static int64_t ts_ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

static int note_error(struct xb_sink *sink, int rc, const char *key)
{
	char *text = xb_asprintf("bad parameter %s: want a whole number >= 1", key);

	sink->note(sink, "error", "timer", text);
	free(text);
	return rc;
}

static int get_param(long long *out, const struct xb_kvlist *params, const char *key,
		     long long def, long long max, struct xb_sink *sink)
{
	const char *s = xb_kv_get(params, key);

	*out = def;
	if (s && xb_parse_int(out, s, 1, max))
		return note_error(sink, -EINVAL, key);
	return 0;
}

/*
 * Two calls back to back: the difference between their readings spans
 * exactly one call (from where the first read the clock to where the
 * second did), which is the cost a timed region pays for its bracket.
 * The smallest non-zero difference is the finest step the clock shows.
 */
static void measure(double *ovh, size_t n, int64_t *out_min_step)
{
	struct timespec a, b;
	int64_t min_step = 0;

	for (size_t i = 0; i < n; i++) {
		int64_t d;

		clock_gettime(CLOCK_MONOTONIC, &a);
		clock_gettime(CLOCK_MONOTONIC, &b);
		d = ts_ns(&b) - ts_ns(&a);
		ovh[i] = (double)d;
		if (d > 0 && (!min_step || d < min_step))
			min_step = d;
	}
	*out_min_step = min_step;
}

static int send_facts(struct xb_sink *sink)
{
	struct timespec res;
	char *cs = NULL, buf[32];
	int rc = 0;

	if (!xb_read_file(&cs, NULL, CLOCKSOURCE_PATH)) {
		rc = sink->fact(sink, "clocksource", xb_trim(cs));
		free(cs);
	}
	if (!rc && !clock_getres(CLOCK_MONOTONIC, &res)) {
		snprintf(buf, sizeof(buf), "%lld", (long long)ts_ns(&res));
		rc = sink->fact(sink, "timer.getres.ns", buf);
	}
	return rc;
}

static int declare(struct xb_sink *sink)
{
	int rc;

	rc = sink->metric(sink, "timer.overhead.ns", "ns", "lower",
			  "time between two back-to-back clock_gettime(CLOCK_MONOTONIC) readings");
	if (!rc)
		rc = sink->metric(sink, "timer.resolution.ns", "ns", "lower",
				  "smallest non-zero difference between two CLOCK_MONOTONIC "
				  "readings (never below the cost of one call)");
	return rc;
}

static int timer_run(const struct xb_target *t, const struct xb_kvlist *params,
		     struct xb_sink *sink)
{
	long long reps, n;
	double *ovh = NULL;
	int rc;

	rc = get_param(&reps, params, "reps", 3, 1000, sink);
	if (!rc)
		rc = get_param(&n, params, "samples", 10000, 10000000, sink);
	if (rc)
		return rc;
	rc = send_facts(sink);
	if (!rc)
		rc = declare(sink);
	if (rc)
		return rc;
	ovh = xb_malloc((size_t)n * sizeof(*ovh));
	for (long long r = 0; r < reps && !rc; r++) {
		int64_t step;
		double step_d;

		/* Warm-up: the vDSO page and the array faulted in untimed. */
		measure(ovh, (size_t)n, &step);
		measure(ovh, (size_t)n, &step);
		rc = sink->samples(sink, "timer.overhead.ns", (int)r, ovh, (size_t)n);
		if (rc)
			break;
		if (!step) {
			/* A clock that never moved between two calls has a step
			 * coarser than the call: no figure is better than a 0. */
			rc = sink->note(sink, "warning", "timer",
					"no two CLOCK_MONOTONIC readings differed: resolution unknown");
			continue;
		}
		step_d = (double)step;
		rc = sink->samples(sink, "timer.resolution.ns", (int)r, &step_d, 1);
	}
	free(ovh);
	return rc;
}

static int timer_check(const struct xb_kvlist *params, struct xb_sink *sink)
{
	long long v;
	int rc = get_param(&v, params, "reps", 3, 1000, sink);

	return rc ? rc : get_param(&v, params, "samples", 10000, 10000000, sink);
}

static const char *const timer_params[] = { "reps", "samples", "modes", NULL };

const struct xb_bench_ops xb_bench_timer = {
	.name = "timer",
	.description = "clock_gettime(CLOCK_MONOTONIC) overhead and resolution",
	.targets = XB_TARGET_NONE,
	.params = timer_params,
	.check = timer_check,
	.run = timer_run,
};
