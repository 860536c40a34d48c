/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Numbers as a reader wants them: a metric's value in the unit it was
 * recorded in (lib/stream-format.h "met" lines), printed with three
 * significant digits and the unit scaled to fit ("12.0 us", "115 MiB",
 * "15.7 k pages"), and the families the report groups metrics by.
 */
#ifndef XB_UNITS_H
#define XB_UNITS_H
#ifndef XB_LAYER_PLOTS
#error "plots/units.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stddef.h>

#define XB_FMT_LEN 40

/* v (in unit) into out: "-" for NaN, "+inf"/"-inf"; time units (ns, us,
 * ms, s) scaled to ns..s, sizes (bytes, KiB, MiB, GiB) to binary prefixes,
 * counts and unknown units with k/M/G past 10000 and the unit after;
 * a bool of 0 or 1 is "no" or "yes". */
void xb_fmt_human(char out[XB_FMT_LEN], double v, const char *unit);
/* A signed percentage, "+12.3%"; "-" for NaN. */
void xb_fmt_pct(char out[XB_FMT_LEN], double pct);

/* A p- or q-value: "0.032", "<0.001", "-" for NaN; never e-notation. */
void xb_fmt_p(char out[XB_FMT_LEN], double p);

/* What a unit measures; latencies sort before sizes, sizes before counts. */
enum xb_unit_class { XB_UNIT_TIME, XB_UNIT_SIZE, XB_UNIT_RATIO, XB_UNIT_COUNT };
enum xb_unit_class xb_unit_class(const char *unit);

/* The family a metric belongs to, by its name: "fault paths", "sharing",
 * "exec", "radix", "struct pages", "capabilities", or "other". */
struct xb_family {
	const char *name;
	const char *what;      /* a one-line explanation for headings */
};
extern const struct xb_family xb_families[];
extern const size_t xb_nfamilies;
/* Index into xb_families[] of metric name. */
size_t xb_metric_family(const char *metric);

#endif
