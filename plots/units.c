// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "units.h"

struct scale {
	const char *unit;
	double factor;     /* to the base unit of its class */
};

static const struct scale times[] = {
	{ "ns", 1e-9 }, { "us", 1e-6 }, { "ms", 1e-3 }, { "s", 1 },
};
static const struct scale sizes[] = {
	{ "bytes", 1 }, { "KiB", 1024.0 }, { "MiB", 1048576.0 }, { "GiB", 1073741824.0 },
	{ "TiB", 1099511627776.0 },
};

static const struct scale *find(const struct scale *s, size_t n, const char *unit)
{
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(s[i].unit, unit) || (!strcmp(s[i].unit, "bytes") &&
						      (!strcmp(unit, "B") || !strcmp(unit, "byte"))))
			return &s[i];
	return NULL;
}

/* Three significant digits, keeping the trailing zero: 12.0, 1.50, 115. */
static int sig3(char *out, size_t len, double a)
{
	double r = fabs(a);

	if (r >= 99.95 || r == 0)
		return snprintf(out, len, "%.0f", a);
	if (r >= 9.995)
		return snprintf(out, len, "%.1f", a);
	return snprintf(out, len, "%.2f", a);
}

/* The largest unit of s in which |v| is at least 1 (the first when none). */
static void scaled(char out[XB_FMT_LEN], double v, const struct scale *s, size_t n,
		   const struct scale *from)
{
	double base = v * from->factor;
	size_t k = 0;
	int w;

	for (size_t i = 0; i < n; i++)
		if (fabs(base) >= s[i].factor * 0.9995)
			k = i;
	/* a value below one of the smallest unit keeps it: 0.50 ns */
	w = sig3(out, XB_FMT_LEN, base / s[k].factor);
	snprintf(out + w, XB_FMT_LEN - w, " %s", s[k].unit);
}

static void counted(char out[XB_FMT_LEN], double v, const char *unit)
{
	static const char *const pre[] = { "", " k", " M", " G", " T" };
	double a = fabs(v);
	size_t k = 0;
	int w;

	if (a < 10000 && v == floor(v))
		w = snprintf(out, XB_FMT_LEN, "%.0f", v);
	else if (a < 10000)
		w = sig3(out, XB_FMT_LEN, v);
	else {
		while (a >= 999.5 && k + 1 < sizeof(pre) / sizeof(pre[0])) {
			a /= 1000;
			v /= 1000;
			k++;
		}
		w = sig3(out, XB_FMT_LEN, v);
		w += snprintf(out + w, XB_FMT_LEN - w, "%s", pre[k]);
	}
	if (unit && *unit && strcmp(unit, "count"))
		snprintf(out + w, XB_FMT_LEN - w, "%s%s", !strcmp(unit, "%") ? "" : " ", unit);
}

void xb_fmt_human(char out[XB_FMT_LEN], double v, const char *unit)
{
	const struct scale *s;

	if (isnan(v)) {
		snprintf(out, XB_FMT_LEN, "-");
		return;
	}
	if (isinf(v)) {
		snprintf(out, XB_FMT_LEN, v > 0 ? "+inf" : "-inf");
		return;
	}
	if (!unit)
		unit = "";
	if (!strcmp(unit, "bool") && (v == 0 || v == 1)) {
		snprintf(out, XB_FMT_LEN, v ? "yes" : "no");
		return;
	}
	if ((s = find(times, sizeof(times) / sizeof(times[0]), unit)))
		scaled(out, v, times, sizeof(times) / sizeof(times[0]), s);
	else if ((s = find(sizes, sizeof(sizes) / sizeof(sizes[0]), unit)))
		scaled(out, v, sizes, sizeof(sizes) / sizeof(sizes[0]), s);
	else
		counted(out, v, unit);
}

void xb_fmt_pct(char out[XB_FMT_LEN], double pct)
{
	if (isnan(pct))
		snprintf(out, XB_FMT_LEN, "-");
	else if (isinf(pct))
		snprintf(out, XB_FMT_LEN, pct > 0 ? "+inf" : "-inf");
	else if (fabs(pct) < 0.095)
		snprintf(out, XB_FMT_LEN, "%+.2f%%", pct);
	else
		snprintf(out, XB_FMT_LEN, "%+.1f%%", pct);
}

void xb_fmt_p(char out[XB_FMT_LEN], double p)
{
	if (isnan(p))
		snprintf(out, XB_FMT_LEN, "-");
	else if (p < 0.001)
		snprintf(out, XB_FMT_LEN, "<0.001");
	else
		snprintf(out, XB_FMT_LEN, "%.2g", p);
}

enum xb_unit_class xb_unit_class(const char *unit)
{
	if (!unit)
		return XB_UNIT_COUNT;
	if (find(times, sizeof(times) / sizeof(times[0]), unit))
		return XB_UNIT_TIME;
	if (find(sizes, sizeof(sizes) / sizeof(sizes[0]), unit))
		return XB_UNIT_SIZE;
	if (!strcmp(unit, "%") || !strcmp(unit, "ratio"))
		return XB_UNIT_RATIO;
	return XB_UNIT_COUNT;
}

const struct xb_family xb_families[] = {
	{ "fault paths", "page-fault cost: DAX against page cache and anonymous memory" },
	{ "sharing", "host memory of guests sharing one image (daxbench share, dcssblk-emu)" },
	{ "exec", "program startup from a shared image, cold and warm" },
	{ "radix", "sector against pfn entries in fs/dax's radix tree (--suite radix)" },
	{ "struct pages", "memmap cost of a DAX region per namespace mode" },
	{ "capabilities", "what works on a DAX mapping (capprobe, 1 = works)" },
	{ "other", "timer, fio and the rest" },
};
const size_t xb_nfamilies = sizeof(xb_families) / sizeof(xb_families[0]);

size_t xb_metric_family(const char *m)
{
	if (strstr(m, ".exec.") || !strncmp(m, "exec.", 5))
		return 2;
	if (!strncmp(m, "fault.", 6) || !strncmp(m, "faultpath.", 10))
		return 0;
	if (!strncmp(m, "share.", 6))
		return strstr(m, "vmemmap") ? 4 : 1;
	if (!strncmp(m, "radix.", 6))
		return 3;
	if (!strncmp(m, "structpages.", 12))
		return 4;
	if (!strncmp(m, "capprobe.", 9))
		return 5;
	return 6;
}
