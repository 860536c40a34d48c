// SPDX-License-Identifier: GPL-2.0
/*
 * structpages: what the struct pages (memmap) of a DAX region cost, per
 * namespace mode, as the kernel itself counts memory.
 *
 * The guest's memmap= region is put in each mode in turn (ndns.c: raw,
 * fsdax with the memmap in RAM (map=mem) or on the device (map=dev),
 * device-dax map=dev and map=mem), then disabled and enabled again reps
 * times. Disabling frees the memmap (memunmap_pages), enabling allocates
 * it again (devm_memremap_pages): the free memory before and after an
 * enable differs by the memmap in RAM plus the small structures of the
 * devices themselves. Free memory is MemFree plus the pages waiting on
 * per-CPU free lists (MemFree leaves those out, and a freed 2 MiB vmemmap
 * block can sit there), read after folding the per-CPU counter deltas; on
 * 6.11 and later /proc/vmstat's nr_memmap_pages counts the memmap
 * directly and is stored beside it. What map=dev puts on the device
 * instead is read from sysfs: the data offset (pfn/dax resource minus the
 * namespace's start: info block, memmap, alignment) and the usable size.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "ndns.h"

#define GiB (1024.0 * 1024 * 1024)
#define DEFAULT_MAPS "raw,fsdax.mem,fsdax.dev,devdax.dev,devdax.mem"
#define SUBJECT "structpages"

struct sp_params {
	bool maps[XB_NDNS_NMODES];
	long long reps;
};

static const struct {
	const char *suffix, *unit, *direction, *what;
} metrics[] = {
	{ "struct_page_bytes_per_gib", "bytes", "lower", "RAM the enabled mode costs per GiB "
	  "of namespace: drop of free memory (MemFree + per-CPU lists) across an enable" },
	{ "free_drop.kib", "KiB", "lower", "drop of MemFree + per-CPU free lists across an "
	  "enable" },
	{ "memfree_drop.kib", "KiB", "lower", "drop of /proc/meminfo MemFree across an enable" },
	{ "memtotal_drop.kib", "KiB", "none", "drop of /proc/meminfo MemTotal across an enable" },
	{ "vmstat_memmap.kib", "KiB", "lower", "growth of /proc/vmstat nr_memmap_pages across "
	  "an enable (kernels 6.11 on)" },
	{ "enable_ms", "ms", "lower", "time to enable the namespace in this mode (memmap "
	  "allocated and initialised)" },
	{ "device_reserved.bytes", "bytes", "none", "namespace bytes before the data: info "
	  "block, memmap when map=dev, alignment (pfn/dax resource - namespace start)" },
	{ "device_reserved_bytes_per_gib", "bytes", "lower", "device_reserved per GiB of "
	  "namespace" },
	{ "usable.bytes", "bytes", "higher", "data size the mode offers (pfn/dax size; the "
	  "namespace's when raw)" },
	{ "align.bytes", "bytes", "none", "the mode's alignment (0 when raw)" },
};

/* Keeps the first error note's text, so that a mode the kernel refuses
 * becomes one "skip" note with the kernel's reason, not an error. */
struct capture {
	struct xb_sink sink;
	struct xb_buf text;
};

static int capture_note(struct xb_sink *s, const char *kind, const char *subject,
			const char *text)
{
	struct capture *c = s->priv;

	if (!strcmp(kind, "error") && !c->text.len)
		xb_buf_adds(&c->text, text);
	return 0;
}

static int parse_params(struct sp_params *p, const struct xb_kvlist *params,
			struct xb_sink *sink)
{
	const char *maps = xb_kv_get(params, "maps") ?: DEFAULT_MAPS;
	char *dup = xb_strdup(maps), *save = NULL;
	int rc = 0, n = 0;

	memset(p, 0, sizeof(*p));
	for (char *m = strtok_r(dup, ",", &save); m && !rc; m = strtok_r(NULL, ",", &save)) {
		enum xb_ndns_mode mode;

		if (xb_ndns_mode_find(&mode, xb_trim(m))) {
			rc = xb_sink_notef(sink, "error", SUBJECT, "bad parameter maps: unknown "
					   "'%s' (want some of " DEFAULT_MAPS ")", xb_trim(m)) ?: -EINVAL;
			break;
		}
		p->maps[mode] = true;
		n++;
	}
	free(dup);
	if (!rc && !n)
		rc = xb_sink_notef(sink, "error", SUBJECT, "bad parameter maps: empty") ?: -EINVAL;
	if (!rc)
		rc = xb_bench_param_int(&p->reps, params, "reps", 5, 1, 100, sink, SUBJECT);
	return rc;
}

static int send1(struct xb_sink *sink, enum xb_ndns_mode m, const char *suffix, int rep,
		 double v)
{
	char *name = xb_asprintf(SUBJECT ".%s.%s", xb_ndns_mode_name(m), suffix);
	int rc = sink->samples(sink, name, rep, &v, 1);

	free(name);
	return rc;
}

static int declare(struct xb_sink *sink, enum xb_ndns_mode m)
{
	int rc = 0;

	for (size_t i = 0; i < XB_ARRAY_SIZE(metrics) && !rc; i++) {
		char *name = xb_asprintf(SUBJECT ".%s.%s", xb_ndns_mode_name(m), metrics[i].suffix);
		char *desc = xb_asprintf("%s (%s)", metrics[i].what, xb_ndns_mode_name(m));

		rc = sink->metric(sink, name, metrics[i].unit, metrics[i].direction, desc);
		free(name);
		free(desc);
	}
	return rc;
}

/* The sysfs side of an enabled mode, once. */
static int report_layout(struct xb_ndns *n, enum xb_ndns_mode m, struct xb_sink *sink)
{
	struct xb_ndns_info info;
	double reserved, gib = (double)n->ns_size / GiB;
	int rc;

	rc = xb_ndns_info(&info, n, sink);
	if (rc)
		return rc;
	reserved = (double)(info.data_start - n->ns_start);
	rc = send1(sink, m, "device_reserved.bytes", 0, reserved);
	if (!rc)
		rc = send1(sink, m, "device_reserved_bytes_per_gib", 0, reserved / gib);
	if (!rc)
		rc = send1(sink, m, "usable.bytes", 0, (double)info.data_size);
	if (!rc)
		rc = send1(sink, m, "align.bytes", 0, (double)info.align);
	if (!rc)
		rc = xb_sink_notef(sink, "info", SUBJECT, "%s: %s holds %s as %s, data at +%.0f "
				   "bytes, %llu bytes usable, align %llu", xb_ndns_mode_name(m),
				   info.node, n->ns, xb_ndns_mode_name(m), reserved,
				   (unsigned long long)info.data_size,
				   (unsigned long long)info.align);
	xb_ndns_info_free(&info);
	return rc;
}

static int read_mem(struct xb_meminfo *out, struct xb_sink *sink)
{
	int rc = xb_meminfo_read(out);

	if (rc)
		xb_sink_notef(sink, "error", SUBJECT, "reading /proc/meminfo, /proc/zoneinfo: %s",
			      strerror(-rc));
	return rc;
}

/* One disable / enable cycle; the enable is what the figures are about. */
static int cycle(struct xb_ndns *n, enum xb_ndns_mode m, int rep, struct xb_sink *sink)
{
	struct xb_meminfo a, b;
	double t0, t1, free_drop, gib = (double)n->ns_size / GiB;
	int rc;

	rc = xb_ndns_disable(n, sink);
	if (!rc)
		rc = read_mem(&a, sink);
	if (rc)
		return rc;
	t0 = xb_monotonic();
	rc = xb_ndns_enable(n, sink);
	t1 = xb_monotonic();
	if (!rc)
		rc = read_mem(&b, sink);
	if (rc)
		return rc;
	free_drop = (double)((a.mem_free_kib + a.pcp_kib) - (b.mem_free_kib + b.pcp_kib));
	rc = send1(sink, m, "free_drop.kib", rep, free_drop);
	if (!rc)
		rc = send1(sink, m, "struct_page_bytes_per_gib", rep, free_drop * 1024 / gib);
	if (!rc)
		rc = send1(sink, m, "memfree_drop.kib", rep,
			   (double)(a.mem_free_kib - b.mem_free_kib));
	if (!rc)
		rc = send1(sink, m, "memtotal_drop.kib", rep,
			   (double)(a.mem_total_kib - b.mem_total_kib));
	if (!rc && a.memmap_kib >= 0 && b.memmap_kib >= 0)
		rc = send1(sink, m, "vmstat_memmap.kib", rep, (double)(b.memmap_kib - a.memmap_kib));
	if (!rc)
		rc = send1(sink, m, "enable_ms", rep, (t1 - t0) * 1e3);
	return rc;
}

/* 0 measured, 1 unavailable (skip note sent), -errno. */
static int measure(struct xb_ndns *n, enum xb_ndns_mode m, long long reps,
		   struct xb_sink *sink)
{
	struct capture cap = { .sink = { .note = capture_note } };
	int rc;

	cap.sink.priv = &cap;
	rc = xb_ndns_configure(n, m, 0, &cap.sink);
	if (rc == -EOPNOTSUPP) {
		char *subject = xb_asprintf(SUBJECT ".%s", xb_ndns_mode_name(m));

		rc = xb_sink_notef(sink, "skip", subject, "%s unavailable on this kernel: %s",
				   xb_ndns_mode_name(m), cap.text.p ? cap.text.p : "refused");
		free(subject);
		xb_buf_free(&cap.text);
		return rc ? rc : 1;
	}
	if (rc) {
		xb_sink_notef(sink, "error", SUBJECT, "%s: %s", xb_ndns_mode_name(m),
			      cap.text.p ? cap.text.p : strerror(-rc));
		xb_buf_free(&cap.text);
		return rc;
	}
	xb_buf_free(&cap.text);
	rc = declare(sink, m);
	if (!rc)
		rc = report_layout(n, m, sink);
	for (long long r = 0; r < reps && !rc; r++)
		rc = cycle(n, m, (int)r, sink);
	return rc;
}

static int sp_run(const struct xb_target *t, const struct xb_kvlist *params,
		  struct xb_sink *sink)
{
	struct sp_params p;
	struct xb_ndns n;
	enum xb_ndns_mode found;
	int rc;

	rc = parse_params(&p, params, sink);
	if (rc)
		return rc;
	if (!t->dir)
		return xb_sink_notef(sink, "error", SUBJECT, "target %s has no namespace",
				     t->mode) ?: -EINVAL;
	rc = xb_ndns_open(&n, t->dir, sink);
	if (rc)
		return rc;
	found = n.mode;
	{
		char *v = xb_asprintf("%llu", (unsigned long long)n.ns_size);

		rc = sink->fact(sink, "structpages.namespace_bytes", v);
		free(v);
	}
	for (int m = 0; m < XB_NDNS_NMODES && !rc; m++)
		if (p.maps[m]) {
			rc = measure(&n, (enum xb_ndns_mode)m, p.reps, sink);
			rc = rc > 0 ? 0 : rc;
		}
	/* Left as found, also after an error, so the next benchmark meets
	 * what it expects; the first error is the one returned. */
	if (n.mode != found) {
		int r2 = xb_ndns_configure(&n, found, found == XB_NDNS_DEVDAX_DEV ? 2u << 20 : 0,
					   sink);

		if (!rc)
			rc = r2;
	}
	xb_ndns_close(&n);
	return rc;
}

static int sp_check(const struct xb_kvlist *params, struct xb_sink *sink)
{
	struct sp_params p;

	return parse_params(&p, params, sink);
}

static const char *const sp_params[] = { "maps", "reps", "modes", NULL };

const struct xb_bench_ops xb_bench_structpages = {
	.name = "structpages",
	.description = "RAM and device cost of a DAX region's struct pages per namespace mode "
		       "(raw, fsdax map=mem/dev, devdax), from the kernel's own accounting",
	.targets = XB_TARGET_DEVDAX,
	.params = sp_params,
	.check = sp_check,
	.run = sp_run,
};
