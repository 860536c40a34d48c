/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading runs back from the results database (schema: db.h). Nothing here
 * prints: a failure returns a negative errno with a one-line reason for the
 * caller to report (lib/error.h).
 */
#ifndef XB_QUERY_H
#define XB_QUERY_H
#ifndef XB_LAYER_DB
#error "results-db/query.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stddef.h>
#include <stdint.h>
#include "util.h"
#include "stats.h"

struct xb_db;

/* One row of `daxbench list`. */
struct xb_run_info {
	int64_t id;
	char *uuid;
	char *label;           /* NULL when none */
	char *suite;
	char *status;          /* finished | failed */
	char *reason;          /* NULL when none */
	double started;        /* unix seconds */
	double ended;
	char *kernel_release;  /* fingerprint kernel.release, else guest.kernel.release */
	char *backend;         /* fingerprint backend; NULL when not recorded */
	size_t nmetrics;       /* metrics with samples */
};

struct xb_run_list {
	struct xb_run_info *runs;
	size_t n;
};

struct xb_list_filter {
	size_t limit;          /* 0: no limit */
	const char *status;    /* finished | failed; NULL: any */
};

/* Runs, most recently started first. *out is the caller's (xb_run_list_free). */
int xb_query_list_runs(struct xb_run_list *out, struct xb_db *db,
		       const struct xb_list_filter *filter);
void xb_run_list_free(struct xb_run_list *l);

/*
 * The id of the run a selector names: NULL or "latest" (the most recently
 * started run), a numeric id, a uuid, or a uuid prefix of at least
 * XB_QUERY_MIN_PREFIX characters. -ENOENT when nothing matches, -ENOTUNIQ
 * when several runs do.
 */
#define XB_QUERY_MIN_PREFIX 8
int xb_query_resolve_run(int64_t *out_id, struct xb_db *db, const char *selector);

struct xb_boot_info {
	int idx;
	double started;
	double ended;
	char *accel;
	char *status;
	char *reason;          /* NULL when none */
};

struct xb_note_info {
	int boot;
	char *kind;            /* warning | skip | info | error */
	char *subject;
	char *text;
};

/* One boot's samples of a metric, its repetitions pooled. */
struct xb_boot_summary {
	int boot;
	size_t nreps;
	struct xb_summary s;
};

struct xb_metric_result {
	char *name;
	char *unit;
	char *direction;       /* lower | higher | none */
	char *description;
	struct xb_summary all; /* every raw sample of every boot and repetition */
	size_t nreps;          /* repetitions over all boots */
	struct xb_boot_summary *boots;  /* ascending boot index */
	size_t nboots;
};

struct xb_run_detail {
	struct xb_run_info info;
	char *host;
	char *console_tail;
	char *artifacts;
	struct xb_kvlist fingerprint;     /* sorted by key */
	struct xb_boot_info *boots;       /* ascending index */
	size_t nboots;
	struct xb_note_info *notes;       /* by boot, in stream order */
	size_t nnotes;
	struct xb_metric_result *metrics; /* sorted by name */
	size_t nmetrics;
};

/* Everything about run id. -ENOENT when there is no such run. */
int xb_query_load_run(struct xb_run_detail **out, struct xb_db *db, int64_t id);
void xb_run_detail_free(struct xb_run_detail *d);

/* n samples from a samples.vals blob (little-endian IEEE-754 doubles). */
void xb_query_decode_samples(double *out, const void *blob, size_t n);

/* Every raw sample of one metric of a run, all boots and repetitions. */
struct xb_pooled {
	char *name;
	double *v;             /* ascending */
	size_t n;
};

struct xb_pooled_list {
	struct xb_pooled *m;   /* in the order the metrics were first recorded */
	size_t n;
};

/* The pooled samples of every metric of run whose name matches the sqlite
 * GLOB pattern glob. *out is the caller's (xb_pooled_free). */
int xb_query_pooled_samples(struct xb_pooled_list *out, struct xb_db *db, int64_t run,
			    const char *glob);
void xb_pooled_free(struct xb_pooled_list *p);

/* The fingerprint of a run, sorted by key; *out is the caller's (xb_kv_free). */
int xb_query_fingerprint(struct xb_kvlist *out, struct xb_db *db, int64_t run);

/* The stored summary (repetitions pooled) of one metric of a run: its
 * median and sample count; -ENOENT when the run has none. */
int xb_query_summary_median(double *out_median, int64_t *out_n, struct xb_db *db,
			    int64_t run, const char *metric);

/* One capprobe result (a note capprobe.<probe>) of a finished run. */
struct xb_capprobe_note {
	int64_t run_id;
	char *backend;         /* fingerprint backend, else "?" */
	char *kernel;          /* kernel.release, else guest.kernel.release, else "?" */
	char *probe;           /* <mode>.<probe> */
	char *text;            /* works | fails ERRNO | ... */
};

/* Every capprobe note of every finished run, newest run first, each run's
 * in recording order. On an error *out holds the notes read before it. */
int xb_query_capprobes(struct xb_capprobe_note **out, size_t *out_n, struct xb_db *db);
void xb_capprobe_notes_free(struct xb_capprobe_note *v, size_t n);

#endif
