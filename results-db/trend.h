/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trends: every metric across kernels. A point is one kernel (its git
 * commit when the run was given --kernel-commit, else its Debian release
 * and package version); the per-boot medians of all its runs are pooled
 * into the point's median, quartiles and range. A series is a backend (and
 * the machine, when the database holds runs of several) and a clock:
 * icount runs are never pooled with wall runs ("axonram-emu icount"). Points are
 * ordered by commit date when every point of a series has one, else by
 * Debian version order of the package version (the release when none).
 * Nothing here prints: errors are returned with one message (lib/error.h).
 */
#ifndef XB_TREND_H
#define XB_TREND_H
#ifndef XB_LAYER_DB
#error "results-db/trend.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdint.h>
#include "util.h"
#include "changepoint.h"

struct xb_db;

/* What a run contributes to trends, from runs and its fingerprint. */
struct xb_trend_run {
	int64_t id;
	char *uuid;
	char *series;      /* backend, or backend@host when several hosts, then
			    * " icount" for instruction time (wall: nothing) */
	char *point;       /* point identity */
	char *label;       /* point label: describe, short commit or release */
	char *order_ver;   /* version for ordering */
	double commit_date;/* unix seconds, NAN when unknown */
	const char *clock; /* "wall" or "icount" (lib/clock.h) */
};

struct xb_trend_runs {
	struct xb_trend_run *v;   /* ascending id */
	size_t n;
	bool multi_host;
};

int xb_trend_runs_load(struct xb_trend_runs *out, struct xb_db *db);
void xb_trend_runs_free(struct xb_trend_runs *r);
/* The finished run of that id, NULL when none. */
const struct xb_trend_run *xb_trend_runs_find(const struct xb_trend_runs *runs, int64_t id);

struct xb_trend_point {
	const struct xb_trend_run *first;  /* identity, label, order of the point */
	size_t nboots;                     /* per-boot medians pooled */
	double median, q1, q3, min, max;
	int64_t *runs;                     /* run ids, ascending */
	double *run_medians;               /* per run: median of its per-boot medians */
	size_t nruns;
};

struct xb_trend_series {
	char *name;
	const char *clock;                 /* of all its runs: "wall" or "icount" */
	struct xb_trend_point *pts;        /* in kernel order */
	size_t n;
	bool by_date;                      /* ordered by commit date */
};

struct xb_metric_def {
	int64_t id;
	char *name;
	char *unit;
	char *direction;                   /* lower | higher | none */
	char *description;
};

struct xb_trend {
	struct xb_metric_def m;
	struct xb_trend_series *series;    /* sorted by name */
	size_t nseries;
};

/* Every metric with at least one summary of a finished run, by name. */
int xb_trend_metrics(struct xb_metric_def **out, size_t *out_n, struct xb_db *db);
void xb_metric_defs_free(struct xb_metric_def *m, size_t n);

int xb_trend_load(struct xb_trend **out, struct xb_db *db, const struct xb_trend_runs *runs,
		  const struct xb_metric_def *m);
void xb_trend_free(struct xb_trend *t);

/* A detected change point, placed on its series. */
struct xb_trend_cp {
	struct xb_changepoint cp;
	const struct xb_trend_point *at, *prev;
	int regression;    /* 1 worse in the metric's direction, 0 better, -1 none */
	bool is_new;       /* not stored before this call */
};

/*
 * Detect change points of series s (medians of its points) and store them:
 * rows of this metric and series not detected again are deleted, the
 * others keep their first_seen. *out (caller's) the change points found;
 * *out_outliers (caller's, when not NULL) the indices of points set aside
 * as one-kernel excursions.
 */
int xb_trend_changepoints(struct xb_trend_cp **out, size_t *out_n, struct xb_db *db,
			  const struct xb_trend *t, const struct xb_trend_series *s,
			  const struct xb_cp_options *o, double now,
			  size_t **out_outliers, size_t *out_noutliers);

/* Percent change from a to b; NAN when a is 0. */
double xb_trend_change_pct(double a, double b);

/* One metric's trend with the change points of each of its series. */
struct xb_trend_metric {
	struct xb_trend *t;
	struct xb_trend_cp **cps;   /* per series: t->nseries arrays */
	size_t *ncps;
	size_t **outliers;          /* per series: indices of one-kernel excursions */
	size_t *noutliers;
};

/* Every metric's trend, its change points detected and stored. */
struct xb_trend_analysis {
	struct xb_trend_runs runs;
	struct xb_metric_def *defs; /* n, by name (xb_trend_metrics) */
	struct xb_trend_metric *m;  /* n, one per def */
	size_t n;
	double now;                 /* first_seen / last_seen of this analysis */
	struct xb_cp_options opts;  /* the detection's */
};

/*
 * The results-db step of `daxbench publish`, run before any plot: load the
 * trend of every metric, detect the change points of each series and store
 * them (xb_trend_changepoints), all in one transaction. 0 or -errno with
 * one message (lib/error.h); *out is the caller's (xb_trend_analysis_free).
 */
int xb_trend_analyze(struct xb_trend_analysis *out, struct xb_db *db,
		     const struct xb_cp_options *o, double now);
void xb_trend_analysis_free(struct xb_trend_analysis *a);

#endif
