/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Comparisons against the results database: run selectors, the per-boot
 * values of each side, the fingerprint fields that differ, and stored
 * comparisons (schema v2, db.h). Nothing here prints: failures return a
 * negative errno with a one-line reason (lib/error.h).
 *
 * A selector is one or more terms joined by ',' (all must hold); only
 * finished runs are selected:
 *   N | id:N | id:N-M       run id, or an id range
 *   UUIDPREFIX | uuid:P     uuid or a prefix (>= 8 hex digits bare)
 *   latest                  the most recently started run
 *   label:GLOB              run label (sqlite GLOB: * and ?)
 *   kernel:GLOB             kernel.release (or guest.kernel.release)
 *   commit:PREFIX           daxbench.commit the runs were made with
 *   fp:KEY=GLOB             any fingerprint field
 *   since:TIME | until:TIME started at or after / before TIME (UTC,
 *                           YYYY-MM-DD[THH:MM[:SS]] or unix seconds)
 */
#ifndef XB_COMPARE_DB_H
#define XB_COMPARE_DB_H
#ifndef XB_LAYER_DB
#error "results-db/compare-db.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include <stdint.h>
#include "util.h"
#include "compare.h"

struct xb_db;

struct xb_id_list {
	int64_t *ids;
	size_t n;
};

/* Runs a selector names, ascending id. -EINVAL: bad selector; -ENOENT:
 * no finished run matches. */
int xb_select_runs(struct xb_id_list *out, struct xb_db *db, const char *selector);
void xb_id_list_free(struct xb_id_list *l);

/* Per-boot statistics compared: bit i is xb_cmp_stat_names[i]. */
enum { XB_STAT_P50 = 1, XB_STAT_P90 = 2, XB_STAT_P99 = 4 };
extern const char *const xb_cmp_stat_names[3];
/* Per-boot quantiles are compared only for metrics with at least this many
 * samples in every boot; per-repetition metrics get p50 (median of reps). */
#define XB_CMP_MIN_SAMPLES_FOR_TAILS 100

/* Fingerprint fields whose difference refuses a comparison unless forced. */
extern const char *const xb_cmp_refuse_keys[];

struct xb_fp_diff {
	char *key;
	char *values_a;   /* distinct values, ", "-joined; "(none)" when absent */
	char *values_b;
	bool refuse;      /* a key of xb_cmp_refuse_keys, differing */
};

struct xb_comparison_row {
	char *metric;
	char *unit;
	char *direction;
	const char *stat;         /* p50 | p90 | p99 of each boot */
	double *va, *vb;          /* the per-boot values, r.na and r.nb of them */
	struct xb_cmp_row r;
};

struct xb_comparison {
	char *selector_a, *selector_b;
	char *name_a, *name_b;    /* short names: kernel release, cmdline extras */
	char *clock;              /* "wall" or "icount"; "wall | icount" when mixed */
	struct xb_id_list runs_a, runs_b;
	size_t boots_a, boots_b;
	/* When each side ran: first start, last end (unix seconds). Sides whose
	 * spans do not overlap were measured in separate blocks of time. */
	double span_a[2], span_b[2];
	bool interleaved;
	struct xb_fp_diff *diffs;
	size_t ndiffs;
	size_t nrefuse;           /* diffs with refuse set */
	struct xb_comparison_row *rows;  /* by metric name, then stat */
	size_t nrows;
	size_t only_one_side;     /* metrics present on one side only, skipped */
	size_t regressions, improvements, no_change, inconclusive;
	double alpha;
	struct xb_cmp_judging judging;  /* alpha, threshold, deterministic clock */
	int64_t id;               /* after xb_comparison_store, else 0 */
};

struct xb_compare_opts {
	unsigned stats;           /* XB_STAT_* mask; 0: p50 | p90 */
	double alpha;             /* 0: XB_CMP_ALPHA */
	double threshold_pct;     /* half-width of "no change"; 0: the clock's */
};

/*
 * Judged rows (direction lower or higher) a comparison of the suite named
 * `suite` is likely to have with the stats mask: those of the newest
 * finished run of that suite in db (0 when there is none).
 */
int xb_comparison_rows_expected(size_t *out, struct xb_db *db, const char *suite,
				unsigned stats);

/*
 * Select both sides, load the per-boot statistics, diff the fingerprints
 * and compute every row with its verdict. Refusal is the caller's call
 * (nrefuse > 0). *out is the caller's (xb_comparison_free).
 */
int xb_comparison_build(struct xb_comparison *out, struct xb_db *db, const char *sel_a,
			const char *sel_b, const struct xb_compare_opts *o);
/* Record it in one transaction; sets c->id. */
int xb_comparison_store(struct xb_db *db, struct xb_comparison *c, bool forced,
			const char *daxbench_commit);
void xb_comparison_free(struct xb_comparison *c);

/*
 * Resampling check of the method on recorded boots (daxbench compare
 * --simulate): for each of `trials`, draw n boots a side from the pooled
 * boots of both sides of c (without replacement when the pool holds 2n,
 * else with), multiply side B by (1 + shift), judge all rows together as
 * a comparison would, and count per row how often the verdict is the
 * change injected (shift != 0) or any regression/improvement (shift == 0).
 */
struct xb_sim_result {
	char *metric;
	const char *stat;
	size_t trials;
	size_t detected;          /* shift != 0: verdict says worse/better as injected */
	size_t false_pos;         /* shift == 0: any regression or improvement */
	size_t raw_pos;           /* shift == 0: p < alpha before BH */
};
int xb_comparison_simulate(struct xb_sim_result **out, size_t *out_n,
			   const struct xb_comparison *c, size_t nboots, double shift,
			   size_t trials, unsigned seed);
void xb_sim_results_free(struct xb_sim_result *r, size_t n);

/* A stored comparison (daxbench compare), read back for the report. */
struct xb_stored_comparison {
	int64_t id;
	double created_at;        /* unix seconds */
	char *name_a, *name_b;
	int regressions, improvements, inconclusive;
};

/* Every stored comparison, newest (highest id) first. */
int xb_stored_comparisons(struct xb_stored_comparison **out, size_t *out_n,
			  struct xb_db *db);
void xb_stored_comparisons_free(struct xb_stored_comparison *v, size_t n);

/*
 * Stored comparison id built again from the runs it compared (their
 * per-boot values, for plots): the same rows as when it was stored unless
 * its --threshold or --stat differed from o's. *out is the caller's
 * (xb_comparison_free); -ENOENT when id or a side's runs are gone.
 */
int xb_stored_comparison_rebuild(struct xb_comparison *out, struct xb_db *db, int64_t id,
				 const struct xb_compare_opts *o);
/* One row of a stored comparison; a REAL column sqlite holds as NULL is NAN. */
struct xb_stored_row {
	char *metric;
	char *stat;
	int64_t n_a, n_b;
	double median_a, median_b, change_pct, ci_lo_pct, ci_hi_pct, q;
	char *verdict;
};

/* The rows of comparison id, by metric name then stat. */
int xb_stored_comparison_rows(struct xb_stored_row **out, size_t *out_n, struct xb_db *db,
			      int64_t id);
void xb_stored_rows_free(struct xb_stored_row *v, size_t n);

#endif
