/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Benchmarks: the code that measures. Each benchmark is one file filling a
 * struct xb_bench_ops, listed in xb_benches[] (bench.c). A benchmark never
 * prints and never touches a database: it hands samples to a sink, which
 * the guest program connects to the results stream.
 */
#ifndef XB_BENCH_H
#define XB_BENCH_H
#ifndef XB_LAYER_BENCH
#error "bench/bench.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include "util.h"

/* Where a benchmark measures. */
enum xb_target_kind {
	XB_TARGET_NONE      = 1u << 0, /* runs once, needs no memory target */
	XB_TARGET_DAX       = 1u << 1, /* a directory on a DAX mount */
	XB_TARGET_PAGECACHE = 1u << 2, /* the same device mounted without dax */
	XB_TARGET_ANON      = 1u << 3, /* anonymous memory */
	XB_TARGET_DEVDAX    = 1u << 4, /* the region as device-dax (bench/ndns.h) */
};

struct xb_target {
	enum xb_target_kind kind;
	const char *mode;   /* "dax", "pagecache", "anon", "none": goes into metric names */
	const char *dir;    /* directory to create files in; NULL for anon/none;
			     * devdax: the namespace's directory under
			     * /sys/bus/nd/devices, which its benchmarks reconfigure */
};

/* Where samples go. Each returns 0 or -errno. */
struct xb_sink {
	void *priv;
	/* Declare a metric before sending samples of it. direction: lower|higher|none */
	int (*metric)(struct xb_sink *s, const char *name, const char *unit,
		      const char *direction, const char *description);
	/* n raw samples of repetition rep (0-based) of a declared metric. */
	int (*samples)(struct xb_sink *s, const char *metric, int rep,
		       const double *v, size_t n);
	/* A fact about the environment (goes into the run fingerprint). */
	int (*fact)(struct xb_sink *s, const char *key, const char *value);
	/* kind: warning | skip | info | error */
	int (*note)(struct xb_sink *s, const char *kind, const char *subject,
		    const char *text);
};

struct xb_stream_writer;
/* A sink whose callbacks write to w (lib/stream-writer.h). */
void xb_stream_writer_sink(struct xb_sink *out, struct xb_stream_writer *w);

/* sink->note() with printf formatting. */
int xb_sink_notef(struct xb_sink *s, const char *kind, const char *subject,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int xb_sink_vnotef(struct xb_sink *s, const char *kind, const char *subject,
		   const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

/*
 * Whole-number parameter name of params into *out: def when absent, else
 * lo..hi, or an "error" note on sink under subject ("bad parameter reps
 * 'x': want 1 to 1000") and -EINVAL.
 */
int xb_bench_param_int(long long *out, const struct xb_kvlist *params, const char *name,
		       long long def, long long lo, long long hi, struct xb_sink *sink,
		       const char *subject);

struct xb_bench_ops {
	const char *name;
	const char *description;
	unsigned targets;  /* enum xb_target_kind bits it can run on */
	/* Parameter names it accepts (NULL-terminated), so the harness can
	 * refuse a misspelt one in a workload file before booting anything. */
	const char *const *params;
	/*
	 * Measure on one target. params holds this benchmark's plan entries
	 * with the "bench.<name>." prefix removed. Returns 0, or -errno after
	 * sending an "error" note that says what failed.
	 */
	int (*run)(const struct xb_target *t, const struct xb_kvlist *params,
		   struct xb_sink *sink);
	/*
	 * Validate params without measuring, refusing what run() would refuse,
	 * with the same error notes, so the host can reject a workload file
	 * before it boots anything. NULL when there is nothing to check.
	 */
	int (*check)(const struct xb_kvlist *params, struct xb_sink *sink);
};

/*
 * Parameter names, modes and values of one benchmark (ops->check); -EINVAL
 * with a one-line reason in xb_error_last(). Run by the harness on the
 * workload file and by the guest program on its plan.
 */
int xb_bench_check(const struct xb_bench_ops *b, const struct xb_kvlist *params);

/* The benchmarks, one file each (bench-<name>.c). */
extern const struct xb_bench_ops xb_bench_timer;
extern const struct xb_bench_ops xb_bench_fault;
extern const struct xb_bench_ops xb_bench_radix;
/* radix-count: the model's lookups under callgrind, one dump per variant. */
int xb_radix_count_main(const struct xb_kvlist *params);
extern const struct xb_bench_ops xb_bench_faultpath;
extern const struct xb_bench_ops xb_bench_fio;
extern const struct xb_bench_ops xb_bench_faultscale;

/* The faultpath benchmark's paths in its order; NULL past the last. */
const char *xb_faultpath_name(size_t i);
/* faultpath's perf pass runs this program again as perf's child with
 * XB_FAULTPATH_CHILD first; a program that passes such arguments to
 * xb_faultpath_child_main() sets xb_faultpath_reexec (daxbench-guest). */
#define XB_FAULTPATH_CHILD "--faultpath-child"
extern bool xb_faultpath_reexec;
int xb_faultpath_child_main(int argc, char **argv);
extern const struct xb_bench_ops xb_bench_capprobe;
extern const struct xb_bench_ops xb_bench_structpages;

/* Every benchmark, NULL-terminated; a new one is one file and one entry here. */
extern const struct xb_bench_ops *const xb_benches[];
/* The benchmark of that name in table (NULL-terminated), NULL when none. */
const struct xb_bench_ops *xb_bench_find_in(const struct xb_bench_ops *const *table,
					   const char *name);
/* ... in xb_benches[]. */
const struct xb_bench_ops *xb_bench_find(const char *name);

#endif
