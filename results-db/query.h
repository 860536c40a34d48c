/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading runs back from the results database (schema: db.h). Nothing here
 * prints: a failure returns a negative errno and appends a one-line reason
 * to err (which may be NULL) for the caller to report.
 */
#ifndef XB_QUERY_H
#define XB_QUERY_H
#ifndef XB_LAYER_DB
#error "results-db/query.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include "util.h"
#include "stats.h"

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
int xb_query_list_runs(struct xb_run_list *out, sqlite3 *db,
		       const struct xb_list_filter *filter, struct xb_buf *err);
void xb_run_list_free(struct xb_run_list *l);

/*
 * The id of the run a selector names: NULL or "latest" (the most recently
 * started run), a numeric id, a uuid, or a uuid prefix of at least
 * XB_QUERY_MIN_PREFIX characters. -ENOENT when nothing matches, -ENOTUNIQ
 * when several runs do.
 */
#define XB_QUERY_MIN_PREFIX 8
int xb_query_resolve_run(int64_t *out_id, sqlite3 *db, const char *selector,
			 struct xb_buf *err);

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
int xb_query_load_run(struct xb_run_detail **out, sqlite3 *db, int64_t id,
		      struct xb_buf *err);
void xb_run_detail_free(struct xb_run_detail *d);

/* n samples from a samples.vals blob (little-endian IEEE-754 doubles). */
void xb_query_decode_samples(double *out, const void *blob, size_t n);

#endif
