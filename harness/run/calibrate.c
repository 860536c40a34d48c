// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include "calibrate.h"
#include "json.h"
#include "stats.h"

/*
 * The loop's cost is linear in spin (one compare, one increment, one jump
 * per iteration), so two points fix it: the probe's own constant cost is in
 * both medians and cancels. The base median is that of spin 0, i.e. with
 * the probe in place, which is also what every comparison's side A runs.
 */
int xb_calib_cost(double *out_ns, double base_ns, double probe_ns, unsigned probe_spin)
{
	if (!probe_spin || !(probe_ns > base_ns) || !(base_ns > 0))
		return -EINVAL;
	*out_ns = (probe_ns - base_ns) / probe_spin;
	return 0;
}

int xb_calib_plan(struct xb_calib_shift *out, const double *target_pct, size_t n,
		  double base_ns, double cost_ns)
{
	if (!(base_ns > 0) || !(cost_ns > 0))
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		double spin = round(target_pct[i] / 100.0 * base_ns / cost_ns);

		out[i].target_pct = target_pct[i];
		out[i].spin = spin < 1 ? 1 : spin > 1e8 ? 100000000u : (unsigned)spin;
		out[i].planned_pct = 100.0 * out[i].spin * cost_ns / base_ns;
	}
	return 0;
}

int xb_calib_row_add(struct xb_calib_row *r, double change_pct, bool caught,
		     unsigned false_calls, unsigned untouched)
{
	if (r->trials >= XB_CALIB_MAX_TRIALS)
		return -ENOSPC;
	r->change_pct[r->trials++] = change_pct;
	r->caught += caught;
	r->false_calls += false_calls;
	r->untouched += untouched;
	return 0;
}

/* Median, min and max of the trials' changes; NaN without trials. */
static struct xb_summary measured(const struct xb_calib_row *r)
{
	struct xb_summary s = { .median = NAN, .min = NAN, .max = NAN };

	if (r->trials)
		xb_stats_summarize(&s, r->change_pct, r->trials);
	return s;
}

void xb_calib_table_text(struct xb_buf *out, const struct xb_calib_row *rows, size_t n)
{
	xb_buf_addf(out, "%-6s  %6s  %9s  %7s  %-24s  %6s  %-9s  %s\n", "clock", "target",
		    "spin", "planned", "measured (min..max)", "rounds", "caught", "false calls");
	for (size_t i = 0; i < n; i++) {
		const struct xb_calib_row *r = &rows[i];
		struct xb_summary s = measured(r);
		char range[64], caught[32];

		snprintf(range, sizeof(range), "%+.2f%% (%+.1f..%+.1f)", s.median, s.min, s.max);
		snprintf(caught, sizeof(caught), "%u of %u", r->caught, r->trials);
		xb_buf_addf(out, "%-6s  %5.1f%%  %9u  %6.2f%%  %-24s  %6u  %-9s  %u of %u\n",
			    r->clock, r->shift.target_pct, r->shift.spin, r->shift.planned_pct,
			    range, r->rounds, caught, r->false_calls, r->untouched);
	}
}

static void row_json(struct xb_json *j, const struct xb_calib_row *r)
{
	struct xb_summary s = measured(r);

	xb_json_obj_open(j);
	xb_json_key(j, "clock"); xb_json_str(j, r->clock);
	xb_json_key(j, "target_pct"); xb_json_num(j, r->shift.target_pct);
	xb_json_key(j, "spin"); xb_json_int(j, r->shift.spin);
	xb_json_key(j, "planned_pct"); xb_json_num(j, r->shift.planned_pct);
	xb_json_key(j, "measured_pct"); xb_json_num(j, s.median);
	xb_json_key(j, "measured_min_pct"); xb_json_num(j, s.min);
	xb_json_key(j, "measured_max_pct"); xb_json_num(j, s.max);
	xb_json_key(j, "rounds"); xb_json_int(j, r->rounds);
	xb_json_key(j, "trials"); xb_json_int(j, r->trials);
	xb_json_key(j, "caught"); xb_json_int(j, r->caught);
	xb_json_key(j, "false_calls"); xb_json_int(j, r->false_calls);
	xb_json_key(j, "untouched_rows"); xb_json_int(j, r->untouched);
	xb_json_obj_close(j);
}

void xb_calib_table_json(struct xb_buf *out, const struct xb_calib_row *rows, size_t n,
			 double base_ns, double cost_ns)
{
	struct xb_json j = { 0 };

	xb_json_obj_open(&j);
	xb_json_key(&j, "schema_version"); xb_json_int(&j, XB_JSON_SCHEMA_VERSION);
	xb_json_key(&j, "metric"); xb_json_str(&j, XB_CALIB_METRIC);
	xb_json_key(&j, "base_ns"); xb_json_num(&j, base_ns);
	xb_json_key(&j, "ns_per_spin"); xb_json_num(&j, cost_ns);
	xb_json_key(&j, "rows");
	xb_json_arr_open(&j);
	for (size_t i = 0; i < n; i++)
		row_json(&j, &rows[i]);
	xb_json_arr_close(&j);
	xb_json_obj_close(&j);
	xb_json_take(out, &j);
}
