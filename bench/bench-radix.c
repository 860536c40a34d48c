// SPDX-License-Identifier: GPL-2.0
/*
 * radix: what a DAX radix-tree lookup costs when its entries hold sectors
 * (translated through the driver's ->direct_access() on every lookup, as
 * fs/dax did until late 2017) or pfns (decoded directly), in a userspace
 * model (bench/radix) for three backend models, and in the real kernel
 * through the daxbench_radix module (bench/kmod) on the backend's real
 * device: /dev/pmem0 (axonram-emu), /dev/dcssblk0 (dcssblk-emu). The
 * kernel's metrics carry the device's driver (radix.kernel.pmem.*,
 * radix.kernel.dcssblk.*), and the model's figures for that driver are
 * compared with the kernel's here, the comparison sent as a result of its own.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "bench.h"
#include "guest-kmod.h"
#include "kmod/radix-kmod-abi.h"
#include "radix/model.h"
#include "radix/pattern.h"

/* Callgrind's client requests are a few no-op instructions outside
 * valgrind; without the header, instruction counting is not built. */
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define XB_HAVE_CALLGRIND 1
#else
#define XB_HAVE_CALLGRIND 0
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_DUMP_STATS_AT(s) ((void)(s))
#endif

#define MAX_LIST 8
#define KMOD_DIR "/daxbench/radix"
#define KMOD_PATH KMOD_DIR "/daxbench_radix.ko"
#define KMOD_SKIP KMOD_DIR "/kmod.skip"
#define KMOD_DEVICE KMOD_DIR "/device"
#define INSTR_PATH KMOD_DIR "/instructions.txt"
#define INSTR_SKIP KMOD_DIR "/instructions.skip"
#define DEBUGFS "/sys/kernel/debug"
#define KMOD_RUN DEBUGFS "/daxbench_radix/run"
#define AGREE_PCT 15.0

struct size_cfg { uint64_t bytes; char label[16]; };

struct cfg {
	struct size_cfg size[MAX_LIST];
	size_t nsize;
	bool dense, sparse;
	enum xb_pattern pat[3];
	size_t npat;
	long long threads[MAX_LIST];
	size_t nthreads;
	long long reps, samples, batch, stream, sparse_stride, max_entries;
	bool kernel;
	bool components;   /* the kernel's sector path timed in pieces as well */
	char kdev[64];     /* the kernel half's device, /dev/pmem0 by default */
	char kdriver[32];  /* its driver, the device's name without the number: pmem */
	char klabel[48];   /* in the kernel's metric names: the driver, or dcssblk_2dcss */
};

/* ---- parameters ---------------------------------------------------- */

static int bad_param(struct xb_sink *sink, const char *key, const char *want)
{
	char *text = xb_asprintf("bad parameter %s: want %s", key, want);

	sink->note(sink, "error", "radix", text);
	free(text);
	return -EINVAL;
}

static int get_int(long long *out, const struct xb_kvlist *p, const char *key, long long def,
		   long long min, long long max, struct xb_sink *sink)
{
	const char *s = xb_kv_get(p, key);
	char *want;
	int rc = 0;

	*out = def;
	if (s && xb_parse_int(out, s, min, max)) {
		want = xb_asprintf("a whole number in [%lld, %lld]", min, max);
		rc = bad_param(sink, key, want);
		free(want);
	}
	return rc;
}

/* Split a comma list into at most MAX_LIST trimmed items of dup. */
static size_t split(char **item, char *dup)
{
	char *save = NULL;
	size_t n = 0;

	for (char *t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (n == MAX_LIST)
			return MAX_LIST + 1;
		item[n++] = xb_trim(t);
	}
	return n;
}

static int parse_sizes(struct cfg *c, const char *s, struct xb_sink *sink)
{
	char *dup = xb_strdup(s), *item[MAX_LIST];
	size_t n = split(item, dup);
	int rc = n && n <= MAX_LIST ? 0 : -EINVAL;

	for (size_t i = 0; i < n && !rc; i++) {
		uint64_t b;

		if (xb_parse_size(&b, item[i]) || b < XB_PAGE_SIZE || b > (UINT64_C(1) << 50) ||
		    strlen(item[i]) >= sizeof(c->size[i].label))
			rc = -EINVAL;
		else
			c->size[i].bytes = b;
		snprintf(c->size[i].label, sizeof(c->size[i].label), "%s", item[i]);
	}
	c->nsize = n;
	free(dup);
	return rc ? bad_param(sink, "sizes", "up to 8 sizes from 4K to 1P, e.g. 1M,64M,1G,1T") : 0;
}

static int parse_patterns(struct cfg *c, const char *s, struct xb_sink *sink)
{
	char *dup = xb_strdup(s), *item[MAX_LIST];
	size_t n = split(item, dup);
	int rc = n && n <= 3 ? 0 : -EINVAL;

	for (size_t i = 0; i < n && !rc; i++)
		rc = xb_pattern_parse(&c->pat[i], item[i]);
	c->npat = n;
	free(dup);
	return rc ? bad_param(sink, "patterns", "a list of seq, uniform, zipf") : 0;
}

static int parse_density(struct cfg *c, const char *s, struct xb_sink *sink)
{
	char *dup = xb_strdup(s), *item[MAX_LIST];
	size_t n = split(item, dup);
	int rc = n && n <= 2 ? 0 : -EINVAL;

	c->dense = c->sparse = false;
	for (size_t i = 0; i < n && !rc; i++) {
		if (!strcmp(item[i], "dense"))
			c->dense = true;
		else if (!strcmp(item[i], "sparse"))
			c->sparse = true;
		else
			rc = -EINVAL;
	}
	free(dup);
	return rc ? bad_param(sink, "density", "dense, sparse or both") : 0;
}

static int parse_threads(struct cfg *c, const char *s, struct xb_sink *sink)
{
	char *dup = xb_strdup(s), *item[MAX_LIST];
	size_t n = split(item, dup);
	int rc = n && n <= MAX_LIST ? 0 : -EINVAL;

	for (size_t i = 0; i < n && !rc; i++)
		rc = xb_parse_int(&c->threads[i], item[i], 1, 64);
	c->nthreads = n;
	free(dup);
	return rc ? bad_param(sink, "threads", "a list of thread counts from 1 to 64") : 0;
}

static int get_onoff(bool *out, const struct xb_kvlist *p, const char *key, bool def,
		     struct xb_sink *sink)
{
	const char *s = xb_kv_get(p, key);

	*out = s ? !strcmp(s, "on") : def;
	return s && strcmp(s, "on") && strcmp(s, "off") ? bad_param(sink, key, "on or off") : 0;
}

static int parse_cfg(struct cfg *c, const struct xb_kvlist *p, struct xb_sink *sink)
{
	bool instructions;
	int rc;

	memset(c, 0, sizeof(*c));
	rc = parse_sizes(c, xb_kv_get(p, "sizes") ?: "1M,64M,1G,1T", sink);
	if (!rc)
		rc = parse_density(c, xb_kv_get(p, "density") ?: "dense,sparse", sink);
	if (!rc)
		rc = parse_patterns(c, xb_kv_get(p, "patterns") ?: "seq,uniform,zipf", sink);
	if (!rc)
		rc = parse_threads(c, xb_kv_get(p, "threads") ?: "1,2", sink);
	if (!rc)
		rc = get_int(&c->reps, p, "reps", 3, 1, 100, sink);
	if (!rc)
		rc = get_int(&c->samples, p, "samples", 32, 1, 100000, sink);
	if (!rc)
		rc = get_int(&c->batch, p, "batch", 1024, 1, 1 << 20, sink);
	if (!rc)
		rc = get_int(&c->stream, p, "stream", 65536, 1, 1 << 24, sink);
	if (!rc)
		rc = get_int(&c->sparse_stride, p, "sparse_stride", 512, 2, 1 << 20, sink);
	if (!rc)
		rc = get_int(&c->max_entries, p, "max_entries", 1 << 20, 1, 1LL << 30, sink);
	if (!rc)
		rc = get_onoff(&c->kernel, p, "kernel", true, sink);
	if (!rc)
		rc = get_onoff(&c->components, p, "components", false, sink);
	if (!rc)   /* read where the counts are made; checked here */
		rc = get_onoff(&instructions, p, "instructions", true, sink);
	snprintf(c->kdriver, sizeof(c->kdriver), "pmem");
	snprintf(c->klabel, sizeof(c->klabel), "pmem");
	return rc;
}

/* The device the host put in the image (hostbench/radix.c), its driver
 * named after it: /dev/dcssblk0 -> dcssblk. */
static void kernel_device(struct cfg *c)
{
	char *text = NULL;
	const char *base;
	size_t n;

	if (xb_read_file(&text, NULL, KMOD_DEVICE))
		text = xb_strdup("/dev/pmem0");
	snprintf(c->kdev, sizeof(c->kdev), "%s", xb_trim(text));
	free(text);
	base = strrchr(c->kdev, '/') ? strrchr(c->kdev, '/') + 1 : c->kdev;
	n = strlen(base);
	while (n && base[n - 1] >= '0' && base[n - 1] <= '9')
		n--;
	snprintf(c->kdriver, sizeof(c->kdriver), "%.*s", (int)n, base);
	snprintf(c->klabel, sizeof(c->klabel), "%s", c->kdriver);
}

/* ---- helpers ------------------------------------------------------- */

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int metricf(struct xb_sink *sink, char **out, const char *unit, const char *dir,
		   const char *desc, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Declare a metric whose name is printf-formatted; *out is the caller's. */
static int metricf(struct xb_sink *sink, char **out, const char *unit, const char *dir,
		   const char *desc, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	if (vasprintf(out, fmt, ap) < 0)
		abort();
	va_end(ap);
	rc = sink->metric(sink, *out, unit, dir, desc);
	if (rc) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

static int send_one(struct xb_sink *sink, const char *unit, const char *dir, const char *desc,
		    int rep, double v, const char *name)
{
	char *m;
	int rc = metricf(sink, &m, unit, dir, desc, "%s", name);

	if (!rc)
		rc = sink->samples(sink, m, rep, &v, 1);
	free(m);
	return rc;
}

/* ---- the model, timed --------------------------------------------- */

enum variant { V_SECTOR, V_PFN, V_FLAT };

struct shape {           /* one (size, density) */
	const struct size_cfg *size;
	const char *density;
	uint64_t n, stride;
};

struct job {             /* what every thread of one timing runs */
	enum variant v;
	const struct xb_model_tree *tree;
	const struct xb_radix_dev *dev;
	const uint64_t *flat;
	uint64_t stride;
	size_t samples, batch, stream;
	pthread_barrier_t *start;
};

struct worker {
	const struct job *job;
	const uint32_t *ord;
	double *out;          /* samples ns per lookup */
	uint64_t bad, sink;
	pthread_t tid;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	const struct job *j = w->job;
	size_t pos = 0;

	pthread_barrier_wait(j->start);
	for (size_t s = 0; s < j->samples; s++) {
		const uint32_t *o = w->ord + pos;
		double t0 = now_ns(), t1;

		if (j->v == V_SECTOR)
			w->sink += xb_radix_lookup_sector(j->tree, j->dev, o, j->batch, j->stride, &w->bad);
		else if (j->v == V_PFN)
			w->sink += xb_radix_lookup_pfn(j->tree, o, j->batch, j->stride, &w->bad);
		else
			w->sink += xb_radix_lookup_flat(j->flat, o, j->batch);
		t1 = now_ns();
		w->out[s] = (t1 - t0) / (double)j->batch;
		pos += j->batch;
		if (pos + j->batch > j->stream)
			pos = 0;
	}
	return NULL;
}

/*
 * Run job on nthreads threads at once; out gets nthreads * samples values
 * (ns per lookup per batch, each thread timing its own batches). Streams
 * hold stream + batch ordinals so a batch never wraps inside the loop.
 */
static int time_job(double *out, struct job *j, uint32_t *const *streams, int nthreads,
		    uint64_t *bad)
{
	struct worker w[64];
	pthread_barrier_t b;
	int rc = 0, started = 0;

	pthread_barrier_init(&b, NULL, (unsigned)nthreads);
	j->start = &b;
	for (int t = 0; t < nthreads; t++) {
		w[t] = (struct worker){ .job = j, .ord = streams[t], .out = out + t * j->samples };
		if (t == nthreads - 1)
			break;
		rc = -pthread_create(&w[t].tid, NULL, work, &w[t]);
		if (rc)
			break;
		started++;
	}
	if (!rc)
		work(&w[nthreads - 1]);
	for (int t = 0; t < started; t++)
		pthread_join(w[t].tid, NULL);
	pthread_barrier_destroy(&b);
	for (int t = 0; t < nthreads; t++)
		*bad += w[t].bad;
	return rc;
}

static uint32_t **make_streams(const struct cfg *c, const struct shape *sh, enum xb_pattern p,
			       int nthreads)
{
	uint32_t **s = xb_malloc((size_t)nthreads * sizeof(*s));
	size_t len = (size_t)c->stream + (size_t)c->batch;

	for (int t = 0; t < nthreads; t++) {
		s[t] = xb_malloc(len * sizeof(**s));
		xb_pattern_fill(s[t], len, p, sh->n, 0.99, 0x5eed0000u + (uint64_t)t * 7919 + p);
	}
	return s;
}

static void free_streams(uint32_t **s, int nthreads)
{
	for (int t = 0; t < nthreads; t++)
		free(s[t]);
	free(s);
}

/* Where the model's and the kernel's medians go for the comparison: per
 * rep, the sector/pfn ratio and the two paths' median ns. */
enum { R_RATIO, R_SECTOR, R_PFN, R_N };
struct ratio_key { char shape[64]; char pattern[16]; };
struct ratios {
	struct ratio_key key[MAX_LIST * 2 * 3];
	double model[MAX_LIST * 2 * 3][100][R_N];   /* the kernel's driver, 1 thread */
	size_t n;
};

static double (*ratio_slot(struct ratios *r, const char *shape, const char *pat))[R_N]
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->key[i].shape, shape) && !strcmp(r->key[i].pattern, pat))
			return r->model[i];
	if (r->n == XB_ARRAY_SIZE(r->key))
		return NULL;
	snprintf(r->key[r->n].shape, sizeof(r->key[0].shape), "%s", shape);
	snprintf(r->key[r->n].pattern, sizeof(r->key[0].pattern), "%s", pat);
	return r->model[r->n++];
}

struct timing {
	const struct cfg *c;
	const struct shape *sh;
	const char *backend;  /* NULL for the flat floor */
	enum xb_pattern pat;
	int threads;
	struct ratios *ratios;
};

static const char *const variant_name[] = { "sector", "pfn", "flat" };

static int send_variant(struct xb_sink *sink, const struct timing *tm, enum variant v, int rep,
			const double *s, size_t n)
{
	char *m;
	int rc;

	if (v == V_FLAT)
		rc = metricf(sink, &m, "ns", "lower",
			     "flat-array lookup of the same entries and pfn decode: the floor",
			     "radix.model.flat.%s.%s.%s.t%d.ns", tm->sh->size->label, tm->sh->density,
			     xb_pattern_name(tm->pat), tm->threads);
	else
		rc = metricf(sink, &m, "ns", "lower",
			     v == V_SECTOR ? "model: radix lookup of a sector entry + the backend's direct_access"
					   : "model: radix lookup of a pfn entry + pfn to address",
			     "radix.model.%s.%s.%s.%s.%s.t%d.ns", tm->backend, variant_name[v],
			     tm->sh->size->label, tm->sh->density, xb_pattern_name(tm->pat),
			     tm->threads);
	if (!rc)
		rc = sink->samples(sink, m, rep, s, n);
	free(m);
	return rc;
}

static int send_ratio(struct xb_sink *sink, const struct timing *tm, int rep, double sector,
		      double pfn)
{
	double ratio = sector / pfn;
	char *m;
	int rc = metricf(sink, &m, "ratio", "none",
			 "model: median ns per lookup, sector entries over pfn entries, per rep",
			 "radix.model.%s.sector_pfn_ratio.%s.%s.%s.t%d", tm->backend,
			 tm->sh->size->label, tm->sh->density, xb_pattern_name(tm->pat), tm->threads);

	if (!rc)
		rc = sink->samples(sink, m, rep, &ratio, 1);
	free(m);
	/* The kernel measures its device's driver on one thread: keep that
	 * for comparing. */
	if (!rc && tm->threads == 1 && !strcmp(tm->backend, tm->c->kdriver)) {
		char shape[64];
		double (*slot)[R_N];

		snprintf(shape, sizeof(shape), "%s.%s", tm->sh->size->label, tm->sh->density);
		slot = ratio_slot(tm->ratios, shape, xb_pattern_name(tm->pat));
		if (slot && rep < 100) {
			slot[rep][R_RATIO] = ratio;
			slot[rep][R_SECTOR] = sector;
			slot[rep][R_PFN] = pfn;
		}
	}
	return rc;
}

/* One backend's sector and pfn trees (or the floor), every rep. */
static int time_pattern(struct xb_sink *sink, const struct timing *tm, struct job *js,
			struct job *jp)
{
	const struct cfg *c = tm->c;
	size_t n = (size_t)tm->threads * (size_t)c->samples;
	double *ss = xb_malloc(n * sizeof(*ss)), *sp = xb_malloc(n * sizeof(*sp));
	uint32_t **streams = make_streams(c, tm->sh, tm->pat, tm->threads);
	uint64_t bad = 0;
	int rc = 0;

	for (int rep = 0; rep < c->reps && !rc; rep++) {
		rc = time_job(ss, js, streams, tm->threads, &bad);
		if (!rc)
			rc = send_variant(sink, tm, js->v, rep, ss, n);
		if (rc || !jp)
			continue;
		rc = time_job(sp, jp, streams, tm->threads, &bad);
		if (!rc)
			rc = send_variant(sink, tm, V_PFN, rep, sp, n);
		if (!rc)
			rc = send_ratio(sink, tm, rep, xb_median(ss, n), xb_median(sp, n));
	}
	if (!rc && bad) {
		sink->note(sink, "error", "radix", "model lookups missed populated entries");
		rc = -EIO;
	}
	free_streams(streams, tm->threads);
	free(ss);
	free(sp);
	return rc;
}

static int time_all(struct xb_sink *sink, struct timing *tm, struct job *js, struct job *jp)
{
	int rc = 0;

	for (size_t p = 0; p < tm->c->npat && !rc; p++) {
		tm->pat = tm->c->pat[p];
		for (size_t t = 0; t < tm->c->nthreads && !rc; t++) {
			tm->threads = (int)tm->c->threads[t];
			rc = time_pattern(sink, tm, js, jp);
		}
	}
	return rc;
}

static int model_error(struct xb_sink *sink, int rc, const char *what, const struct shape *sh)
{
	char *text = xb_asprintf("model: %s for %s %s failed: %s", what, sh->size->label,
				 sh->density, strerror(-rc));

	sink->note(sink, "error", "radix", text);
	free(text);
	return rc;
}

static int run_backends(struct xb_sink *sink, struct timing *tm, const struct xb_model_tree *ts)
{
	int rc = 0;

	for (size_t b = 0; xb_radix_backends[b] && !rc; b++) {
		struct xb_radix_dev dev;
		struct xb_model_tree tp;
		struct job js = { .v = V_SECTOR, .tree = ts, .dev = &dev, .stride = tm->sh->stride,
				  .samples = (size_t)tm->c->samples, .batch = (size_t)tm->c->batch,
				  .stream = (size_t)tm->c->stream + (size_t)tm->c->batch };
		struct job jp = js;

		xb_model_tree_init(&tp);
		rc = xb_radix_dev_make(&dev, xb_radix_backends[b], tm->sh->n);
		if (!rc)
			rc = xb_radix_fill(&tp, &dev, XB_ENC_PFN, tm->sh->n, tm->sh->stride);
		if (rc) {
			xb_model_tree_destroy(&tp);
			return model_error(sink, rc, "building the pfn tree", tm->sh);
		}
		jp.v = V_PFN;
		jp.tree = &tp;
		tm->backend = xb_radix_backends[b]->name;
		rc = time_all(sink, tm, &js, &jp);
		xb_model_tree_destroy(&tp);
	}
	return rc;
}

static int run_floor(struct xb_sink *sink, struct timing *tm)
{
	struct xb_radix_dev dev;
	struct job jf = { .v = V_FLAT, .stride = tm->sh->stride, .samples = (size_t)tm->c->samples,
			  .batch = (size_t)tm->c->batch,
			  .stream = (size_t)tm->c->stream + (size_t)tm->c->batch };
	uint64_t *flat = NULL;
	int rc;

	rc = xb_radix_dev_make(&dev, xb_radix_backend_find("pmem"), tm->sh->n);
	if (!rc && !(flat = xb_radix_flat(&dev, tm->sh->n)))
		rc = -ENOMEM;
	if (rc)
		return model_error(sink, rc, "building the flat array", tm->sh);
	jf.flat = flat;
	tm->backend = NULL;
	rc = time_all(sink, tm, &jf, NULL);
	free(flat);
	return rc;
}

static int run_shape(struct xb_sink *sink, const struct cfg *c, const struct shape *sh,
		     struct ratios *ratios)
{
	struct timing tm = { .c = c, .sh = sh, .ratios = ratios };
	struct xb_radix_dev dev;
	struct xb_model_tree ts;
	char name[96];
	int rc;

	xb_model_tree_init(&ts);
	rc = xb_radix_dev_make(&dev, xb_radix_backends[0], sh->n);
	if (!rc)
		rc = xb_radix_fill(&ts, &dev, XB_ENC_SECTOR, sh->n, sh->stride);
	if (rc) {
		xb_model_tree_destroy(&ts);
		return model_error(sink, rc, "building the sector tree", sh);
	}
	snprintf(name, sizeof(name), "radix.model.bytes_per_entry.%s.%s", sh->size->label,
		 sh->density);
	rc = send_one(sink, "bytes", "lower",
		      "model: tree node memory per entry (the same for either encoding)", 0,
		      xb_model_tree_bytes_per_entry(&ts), name);
	if (!rc)
		rc = run_floor(sink, &tm);
	if (!rc)
		rc = run_backends(sink, &tm, &ts);
	xb_model_tree_destroy(&ts);
	return rc;
}

/*
 * Shapes: dense has an entry on every page of the file, sparse one every
 * sparse_stride pages (the first page of each stretch). A shape of more
 * than max_entries entries is skipped with a note, never shrunk.
 */
static int for_shapes(struct xb_sink *sink, const struct cfg *c,
		      int (*fn)(struct xb_sink *, const struct cfg *, const struct shape *,
				struct ratios *), struct ratios *ratios, const char *who)
{
	int rc = 0;

	for (size_t i = 0; i < c->nsize && !rc; i++) {
		for (int d = 0; d < 2 && !rc; d++) {
			uint64_t pages = c->size[i].bytes / XB_PAGE_SIZE;
			struct shape sh = { .size = &c->size[i], .density = d ? "sparse" : "dense",
					    .stride = d ? (uint64_t)c->sparse_stride : 1 };

			if (!(d ? c->sparse : c->dense))
				continue;
			sh.n = (pages + sh.stride - 1) / sh.stride;
			if (sh.n > (uint64_t)c->max_entries) {
				char *text = xb_asprintf("%s: %s %s has %llu entries, more than "
							 "max_entries=%lld: not measured",
							 who, sh.size->label, sh.density,
							 (unsigned long long)sh.n, c->max_entries);

				rc = sink->note(sink, "skip", "radix", text);
				free(text);
				continue;
			}
			rc = fn(sink, c, &sh, ratios);
		}
	}
	return rc;
}

/* ---- the kernel half ----------------------------------------------- */

static int kernel_error(struct xb_sink *sink, int rc, const char *what)
{
	char *text = xb_asprintf("kernel: %s: %s", what, strerror(-rc));

	sink->note(sink, "error", "radix", text);
	free(text);
	return rc;
}

static int load_module(struct xb_sink *sink, const struct cfg *c)
{
	char *taint = NULL;
	int rc;

	/* the drivers name their method <driver>_dax_direct_access (pmem, dcssblk) */
	char *args = c->components ? xb_asprintf("device=%s method=%s_dax_direct_access", c->kdev,
						 c->kdriver)
				   : xb_asprintf("device=%s", c->kdev);

	rc = xb_guest_kmod_load(KMOD_PATH, args);
	free(args);
	if (rc)
		return kernel_error(sink, rc, "loading " KMOD_PATH);
	/* An unsigned out-of-tree module taints Debian's kernel: say so. */
	if (!xb_read_file(&taint, NULL, "/proc/sys/kernel/tainted"))
		rc = sink->fact(sink, "kernel.tainted.after_radix_kmod", xb_trim(taint));
	free(taint);
	if (!rc && access(KMOD_RUN, F_OK)) {
		if (mount("debugfs", DEBUGFS, "debugfs", 0, NULL) && errno != EBUSY)
			return kernel_error(sink, -errno, "mounting debugfs");
	}
	return rc;
}

static int kmod_exchange(void **out, size_t *out_len, const void *req, size_t len)
{
	struct xb_buf res = { 0 };
	char buf[65536];
	ssize_t n;
	int fd, rc = 0;

	fd = open(KMOD_RUN, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, req, len) != (ssize_t)len)
		rc = -errno;
	if (!rc && lseek(fd, 0, SEEK_SET) < 0)
		rc = -errno;
	while (!rc && (n = read(fd, buf, sizeof(buf))) > 0)
		xb_buf_add(&res, buf, (size_t)n);
	if (!rc && n < 0)
		rc = -errno;
	close(fd);
	if (rc) {
		xb_buf_free(&res);
		return rc;
	}
	*out_len = res.len;
	*out = xb_buf_detach(&res);
	return 0;
}

static const char *const kpath_name[] = { "sector", "sector_locked", "pfn", "part.load",
					   "part.step", "part.private", "part.method",
					   "part.call", "part.icall", "part.full" };
static const char *const kpath_desc[] = {
	"kernel: xa_load of a sector entry + dax_direct_access (lock per batch)",
	"kernel: xa_load of a sector entry + dax_read_lock + dax_direct_access + unlock",
	"kernel: xa_load of a pfn entry + pfn_to_kaddr",
	"kernel, a piece of the sector path: xa_load of a sector entry alone",
	"kernel, a piece of the sector path: xa_load + the module's sector to pgoff step",
	"kernel, a piece of the sector path: xa_load + step + dax_get_private()",
	"kernel, a piece of the sector path: xa_load + step + the driver's ->direct_access "
	"through a pointer (no dax_direct_access)",
	"kernel, a piece of the sector path: xa_load + step + a direct call of an empty function",
	"kernel, a piece of the sector path: xa_load + step + the same empty function through "
	"a pointer",
	"kernel, a piece of the sector path: xa_load + step + dax_direct_access, in the pieces' "
	"frame",
};

struct kctx {
	struct ratios *ratios;
	struct xb_buf far;
	size_t compared, nfar, walk_agree;
	struct xb_buf joined;   /* a joined device's ratios beside the single segment's */
	struct { char key[64]; double ratio; } single[MAX_LIST * 2 * 3];
	size_t nsingle;
	double trans_k, trans_m;   /* the first pair's translations, kernel and model */
	double icall, call;        /* its pieces: an empty function through a pointer, directly */
	char parts_of[48];         /* the device label whose pieces were measured */
};

static struct kctx *kernel_ctx;   /* for_shapes' callback has one pointer */

/*
 * The sector path's pieces, each the difference of two cuts (medians of
 * the first rep): under icount, instructions per lookup. One note per
 * shape and pattern, so the run says where the translation goes.
 */
static int note_parts(struct xb_sink *sink, const struct cfg *c, const struct shape *sh,
		      enum xb_pattern p, const double *med)
{
	const double *m = med;
	char *text = xb_asprintf(
		"%s %s.%s %s, per lookup: translation (sector - pfn) %.1f = the module's "
		"sector->pgoff step in the pieces' frame %.1f (step - load) - pfn_to_kaddr %.1f "
		"(pfn - load) + the driver's method through a pointer %.1f (method - step; in it "
		"dax_get_private %.1f (private - step); an empty function through a pointer "
		"costs %.1f, directly %.1f) + dax_direct_access's own code %.1f (full - method) + "
		"the sector path's frame against the pieces' %.1f (sector - full)",
		c->klabel, sh->size->label, sh->density, xb_pattern_name(p),
		m[XB_KRADIX_SECTOR] - m[XB_KRADIX_PFN], m[XB_KRADIX_STEP] - m[XB_KRADIX_LOAD],
		m[XB_KRADIX_PFN] - m[XB_KRADIX_LOAD], m[XB_KRADIX_METHOD] - m[XB_KRADIX_STEP],
		m[XB_KRADIX_PRIV] - m[XB_KRADIX_STEP], m[XB_KRADIX_ICALL] - m[XB_KRADIX_STEP],
		m[XB_KRADIX_CALL] - m[XB_KRADIX_STEP], m[XB_KRADIX_FULL] - m[XB_KRADIX_METHOD],
		m[XB_KRADIX_SECTOR] - m[XB_KRADIX_FULL]);
	int rc = sink->note(sink, "info", "radix.kernel.parts", text);

	if (kernel_ctx && !kernel_ctx->call && !strcmp(c->klabel, c->kdriver)) {
		kernel_ctx->icall = m[XB_KRADIX_ICALL] - m[XB_KRADIX_STEP];
		kernel_ctx->call = m[XB_KRADIX_CALL] - m[XB_KRADIX_STEP];
	}
	free(text);
	return rc;
}

static int send_kernel(struct xb_sink *sink, const struct cfg *c, const struct shape *sh,
		       enum xb_pattern p, const struct xb_kradix_result *r, double (*ratio_out)[R_N])
{
	const uint64_t *ns = (const uint64_t *)(r + 1);
	double *v = xb_malloc(r->samples * sizeof(*v)), med[XB_KRADIX_ALL_PATHS];
	int rc = 0;

	for (uint32_t rep = 0; rep < r->reps && !rc; rep++) {
		for (uint32_t k = 0; k < r->paths && !rc; k++) {
			char *m;

			for (uint32_t s = 0; s < r->samples; s++)
				v[s] = (double)ns[((size_t)rep * r->paths + k) * r->samples + s] /
				       r->batch;
			med[k] = xb_median(v, r->samples);
			rc = metricf(sink, &m, "ns", "lower", kpath_desc[k],
				     "radix.kernel.%s.%s.%s.%s.%s.t1.ns", c->klabel, kpath_name[k],
				     sh->size->label,
				     sh->density, xb_pattern_name(p));
			if (!rc)
				rc = sink->samples(sink, m, (int)rep, v, r->samples);
			free(m);
		}
		for (int k = 0; k < 2 && !rc; k++) {
			char name[128];

			snprintf(name, sizeof(name), "radix.kernel.%s.%s_pfn_ratio.%s.%s.%s.t1",
				 c->klabel, kpath_name[k], sh->size->label, sh->density,
				 xb_pattern_name(p));
			rc = send_one(sink, "ratio", "none",
				      "kernel: median ns per lookup, sector path over pfn path, per rep",
				      (int)rep, med[k] / med[XB_KRADIX_PFN], name);
			if (!k && rep < 100) {
				ratio_out[rep][R_RATIO] = med[k] / med[XB_KRADIX_PFN];
				ratio_out[rep][R_SECTOR] = med[k];
				ratio_out[rep][R_PFN] = med[XB_KRADIX_PFN];
			}
		}
		if (!rc && !rep && r->paths == XB_KRADIX_ALL_PATHS)
			rc = note_parts(sink, c, sh, p, med);
	}
	free(v);
	return rc;
}

static int kernel_pattern(struct xb_sink *sink, const struct cfg *c, const struct shape *sh,
			  enum xb_pattern p, double (*ratio_out)[R_N])
{
	size_t len = sizeof(struct xb_kradix_req) + (size_t)c->stream * sizeof(uint32_t);
	struct xb_kradix_req *req = xb_malloc(len);
	struct xb_kradix_result *res = NULL;
	size_t res_len = 0;
	uint32_t paths;
	int rc;

	*req = (struct xb_kradix_req){ .magic = XB_KRADIX_MAGIC, .version = XB_KRADIX_VERSION,
				       .entries = (uint32_t)sh->n, .stride = (uint32_t)sh->stride,
				       .reps = (uint32_t)c->reps, .samples = (uint32_t)c->samples,
				       .batch = (uint32_t)c->batch,
				       .stream_len = (uint32_t)c->stream,
				       .paths = XB_KRADIX_PATHS };
	xb_pattern_fill((uint32_t *)(req + 1), (size_t)c->stream, p, sh->n, 0.99, 0x5eed0000u + p);
	/* the pieces once per device, on its first shape and pattern: they cost
	 * the same in every pair (under icount, to the instruction) */
	if (c->components && kernel_ctx && strcmp(kernel_ctx->parts_of, c->klabel)) {
		req->paths = XB_KRADIX_ALL_PATHS;
		snprintf(kernel_ctx->parts_of, sizeof(kernel_ctx->parts_of), "%s", c->klabel);
	}
	paths = req->paths;
	rc = kmod_exchange((void **)&res, &res_len, req, len);
	free(req);
	if (rc == -ENOENT && paths == XB_KRADIX_ALL_PATHS)
		return kernel_error(sink, rc, "components = on: the module found no symbol "
				    "<driver>_dax_direct_access for the driver's method");
	if (rc)
		return kernel_error(sink, rc, "measuring through " KMOD_RUN);
	if (res_len < sizeof(*res) || res->magic != XB_KRADIX_MAGIC ||
	    res->paths != paths ||
	    res_len != sizeof(*res) + (size_t)res->reps * res->paths * res->samples * 8)
		rc = kernel_error(sink, -EPROTO, "the module's result is malformed");
	else if (res->mismatches || res->bad)
		rc = kernel_error(sink, -EIO, "sector and pfn entries resolved to different "
				  "addresses, or lookups missed");
	else
		rc = send_kernel(sink, c, sh, p, res, ratio_out);
	free(res);
	return rc;
}


/* Median over reps of one component. */
static double rep_median(const double (*v)[R_N], int what, long long reps)
{
	double x[100];

	for (long long i = 0; i < reps && i < 100; i++)
		x[i] = v[i][what];
	return xb_median(x, (size_t)(reps < 100 ? reps : 100));
}

/*
 * The comparison, stored: kernel ratio over model ratio, in percent; and,
 * to say where a difference comes from, the pfn paths (tree walk + decode,
 * the same XArray code on both sides when the model is built on it) and
 * the translations (sector path minus pfn path) side by side.
 */
static int compare(struct xb_sink *sink, struct kctx *k, const struct cfg *c,
		   const struct shape *sh, enum xb_pattern p, const double (*kr)[R_N])
{
	const char *pn = xb_pattern_name(p);
	char shape[64], name[192];
	double (*mr)[R_N], km, mm, diff, kp, mp, kt, mt, walk;
	int rc;

	snprintf(shape, sizeof(shape), "%s.%s", sh->size->label, sh->density);
	mr = ratio_slot(k->ratios, shape, pn);
	if (!mr || !mr[0][R_RATIO])
		return 0;   /* the model did not measure this driver on one thread here */
	km = rep_median(kr, R_RATIO, c->reps);
	mm = rep_median((const double (*)[R_N])mr, R_RATIO, c->reps);
	kp = rep_median(kr, R_PFN, c->reps);
	mp = rep_median((const double (*)[R_N])mr, R_PFN, c->reps);
	kt = rep_median(kr, R_SECTOR, c->reps) - kp;
	mt = rep_median((const double (*)[R_N])mr, R_SECTOR, c->reps) - mp;
	diff = (km / mm - 1) * 100;
	walk = (kp / mp - 1) * 100;
	if (!k->compared) {
		k->trans_k = kt;
		k->trans_m = mt;
	}
	k->compared++;
	k->walk_agree += fabs(walk) <= AGREE_PCT;
	if (fabs(diff) > AGREE_PCT && ++k->nfar)
		xb_buf_addf(&k->far, "%s%s %s: kernel %.3f vs model %.3f (%+.0f%%; pfn path %.0f vs "
			    "%.0f ns, translation %.0f vs %.0f ns)", k->far.len ? "; " : "", shape,
			    pn, km, mm, diff, kp, mp, kt, mt);
	snprintf(name, sizeof(name), "radix.compare.%s.sector_pfn_ratio_diff_pct.%s.%s",
		 c->kdriver, shape, pn);
	rc = send_one(sink, "%", "none",
		      "kernel sector/pfn ratio over the model's (the device's driver, 1 thread), "
		      "minus 1, in percent: medians over reps; within +-15% counts as agreeing",
		      0, diff, name);
	snprintf(name, sizeof(name), "radix.compare.%s.pfn_ns_diff_pct.%s.%s", c->kdriver,
		 shape, pn);
	if (!rc)
		rc = send_one(sink, "%", "none",
			      "kernel pfn path (xa_load + decode) ns over the model's, minus 1, in "
			      "percent: how well the model's tree walk matches the kernel's",
			      0, walk, name);
	snprintf(name, sizeof(name), "radix.compare.%s.translation_ns_ratio.%s.%s", c->kdriver,
		 shape, pn);
	if (!rc && mt > 0)
		rc = send_one(sink, "ratio", "none",
			      "the translation's cost (sector path minus pfn path, ns), kernel over "
			      "model: what the model's direct_access misses or adds",
			      0, kt / mt, name);
	return rc;
}

static void joined_ratio(struct kctx *k, const struct cfg *c, const struct shape *sh,
			 enum xb_pattern p, double ratio);

static int kernel_shape(struct xb_sink *sink, const struct cfg *c, const struct shape *sh,
			struct ratios *ratios)
{
	int rc = 0;

	for (size_t p = 0; p < c->npat && !rc; p++) {
		double kr[100][R_N] = { { 0 } };

		rc = kernel_pattern(sink, c, sh, c->pat[p], kr);
		if (!rc && !strcmp(c->klabel, c->kdriver))
			rc = compare(sink, kernel_ctx, c, sh, c->pat[p], kr);
		if (!rc)
			joined_ratio(kernel_ctx, c, sh, c->pat[p], rep_median(kr, R_RATIO, c->reps));
	}
	return rc;
}

/* The kernel's sector/pfn ratio per shape: kept for the device of one
 * segment, set beside it for a joined device. */
static void joined_ratio(struct kctx *k, const struct cfg *c, const struct shape *sh,
			 enum xb_pattern p, double ratio)
{
	char key[64];

	snprintf(key, sizeof(key), "%s.%s %s", sh->size->label, sh->density, xb_pattern_name(p));
	if (!strcmp(c->klabel, c->kdriver)) {
		if (k->nsingle < XB_ARRAY_SIZE(k->single)) {
			snprintf(k->single[k->nsingle].key, sizeof(k->single[0].key), "%s", key);
			k->single[k->nsingle++].ratio = ratio;
		}
		return;
	}
	for (size_t i = 0; i < k->nsingle; i++)
		if (!strcmp(k->single[i].key, key))
			xb_buf_addf(&k->joined, "%s%s %.3f (one segment %.3f)", k->joined.len ? "; " : "",
				    key, ratio, k->single[i].ratio);
}

/* A block device of `path`'s dcssblk entry (/sys/devices/dcssblk/NAME):
 * its disk under block/, e.g. dcssblk1. 0 or -ENOENT. */
static int dcss_disk(char *out, size_t len, const char *dir)
{
	char *b = xb_asprintf("%s/block", dir);
	DIR *d = opendir(b);
	struct dirent *e;
	int rc = -ENOENT;

	while (d && rc && (e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(out, len, "/dev/%.32s", e->d_name);
			rc = 0;
		}
	if (d)
		closedir(d);
	free(b);
	return rc;
}

/*
 * dcssblk devices joined of more than one DCSS (dcss-emu's
 * joined_segments): their seglist names two segments or more. Each is
 * measured again as a shape of its own, radix.kernel.dcssblk_<n>dcss.*,
 * with a note of its ratios beside the one-segment device's.
 */
static int run_joined(struct xb_sink *sink, const struct cfg *c, struct ratios *ratios,
		      struct kctx *k)
{
	DIR *d = strcmp(c->kdriver, "dcssblk") ? NULL : opendir("/sys/devices/dcssblk");
	struct dirent *e;
	int rc = 0;

	while (d && !rc && (e = readdir(d))) {
		char *dir = xb_asprintf("/sys/devices/dcssblk/%s", e->d_name), *list = NULL;
		char *seg = xb_asprintf("%s/seglist", dir), *text;
		struct cfg cj = *c;
		size_t n = 0;

		if (e->d_name[0] == '.' || xb_read_file(&list, NULL, seg) ||
		    dcss_disk(cj.kdev, sizeof(cj.kdev), dir))
			goto next;
		for (char *q = xb_trim(list); *q; q++)
			if (*q == '\n')
				*q = ':', n++;
		if (++n < 2)
			goto next;
		snprintf(cj.klabel, sizeof(cj.klabel), "dcssblk_%zudcss", n);
		text = xb_asprintf("%s: %s", cj.kdev, list);
		rc = sink->fact(sink, "radix.kernel.joined_device", text);
		free(text);
		if (!rc)
			rc = xb_write_attr("/sys/module/daxbench_radix/parameters/device", cj.kdev);
		if (rc) {
			rc = kernel_error(sink, rc, "choosing the joined device");
			goto next;
		}
		xb_buf_free(&k->joined);
		rc = for_shapes(sink, &cj, kernel_shape, ratios, "kernel");
		if (!rc && k->joined.len) {
			text = xb_asprintf("%s (%s, %zu DCSS joined): kernel sector/pfn ratio per shape, "
					   "beside %s's of one segment: %s", cj.kdev, list, n, c->kdev,
					   k->joined.p);
			rc = sink->note(sink, "info", "radix.kernel.joined", text);
			free(text);
		}
next:
		free(list);
		free(seg);
		free(dir);
	}
	if (d)
		closedir(d);
	return rc;
}

static int run_kernel(struct xb_sink *sink, const struct cfg *c, struct ratios *ratios)
{
	struct kctx k = { .ratios = ratios };
	char *reason = NULL, *text;
	int rc;

	if (access(KMOD_PATH, F_OK)) {
		if (xb_read_file(&reason, NULL, KMOD_SKIP))
			reason = xb_strdup("the module is not in the guest image");
		rc = sink->note(sink, "skip", "radix.kernel", xb_trim(reason));
		free(reason);
		return rc;
	}
	rc = sink->fact(sink, "radix.kernel.device", c->kdev);
	if (!rc)
		rc = load_module(sink, c);
	if (rc)
		return rc;
	kernel_ctx = &k;
	rc = for_shapes(sink, c, kernel_shape, ratios, "kernel");
	if (!rc)
		rc = run_joined(sink, c, ratios, &k);
	kernel_ctx = NULL;
	if (!rc && !k.compared) {
		text = xb_asprintf("no comparison: the model did not measure %s on 1 thread "
				   "(threads= lacks 1)", c->kdriver);
		rc = sink->note(sink, "info", "radix.compare", text);
		free(text);
	} else if (!rc) {
		text = k.far.len
		       ? xb_asprintf("sector/pfn ratio, kernel vs model (%s, 1 thread) differ by "
				     "more than 15%% in %zu of %zu (the pfn paths, the tree walk, "
				     "agree within 15%% in %zu): %s", c->kdriver, k.nfar,
				     k.compared, k.walk_agree, k.far.p)
		       : xb_asprintf("sector/pfn ratio, kernel vs model (%s, 1 thread): all %zu "
				     "comparisons agree within 15%%", c->kdriver, k.compared);
		if (k.call) {
			/* what the pieces measured that the model has no counterpart of */
			char *more = xb_asprintf("%s; the translation (sector - pfn) of the first pair: "
						 "kernel %.1f, model %.1f ns; the kernel's pieces are "
						 "the radix.kernel.parts notes; of its excess, an "
						 "indirect call costs %.1f ns more than a direct one "
						 "(amd64: the retpoline of 6.1, absent in 2017 and in "
						 "the model)", text, k.trans_k, k.trans_m,
						 k.icall - k.call);

			free(text);
			text = more;
		}
		rc = sink->note(sink, k.far.len ? "warning" : "info", "radix.compare", text);
		free(text);
	}
	xb_buf_free(&k.far);
	xb_buf_free(&k.joined);
	return rc;
}

/* ---- instructions per lookup, counted by callgrind on the host ---- */

#define COUNT_LOOKUPS 16384

/* Where counted lookups leave their result, so none is optimised away. */
static volatile uint64_t count_keep;

/*
 * One variant under callgrind: instrumentation on only around the lookups,
 * then a dump labelled "<metric>@<lookups>" that the host's harness parses
 * (harness/hostbench/radix.c). Natively this just runs the loop.
 */
static uint64_t count_variant(const char *metric, enum variant v, const struct job *j,
			      const uint32_t *ord)
{
	char label[192];
	uint64_t sum = 0, bad = 0;

	snprintf(label, sizeof(label), "%s@%d", metric, COUNT_LOOKUPS);
	CALLGRIND_START_INSTRUMENTATION;
	CALLGRIND_ZERO_STATS;
	if (v == V_SECTOR)
		sum = xb_radix_lookup_sector(j->tree, j->dev, ord, COUNT_LOOKUPS, j->stride, &bad);
	else if (v == V_PFN)
		sum = xb_radix_lookup_pfn(j->tree, ord, COUNT_LOOKUPS, j->stride, &bad);
	else
		sum = xb_radix_lookup_flat(j->flat, ord, COUNT_LOOKUPS);
	CALLGRIND_DUMP_STATS_AT(label);
	CALLGRIND_STOP_INSTRUMENTATION;
	return sum + bad;
}

static int count_shape(struct xb_sink *sink, const struct cfg *c, const struct shape *sh,
		       struct ratios *unused)
{
	struct xb_radix_dev dev, pdev;
	struct xb_model_tree ts, tp;
	uint32_t *ord = xb_malloc(COUNT_LOOKUPS * sizeof(*ord));
	uint64_t *flat = NULL, keep = 0;
	char m[160];
	int rc;

	xb_model_tree_init(&ts);
	rc = xb_radix_dev_make(&dev, xb_radix_backend_find("pmem"), sh->n);
	if (!rc)
		rc = xb_radix_fill(&ts, &dev, XB_ENC_SECTOR, sh->n, sh->stride);
	if (!rc && !(flat = xb_radix_flat(&dev, sh->n)))
		rc = -ENOMEM;
	for (size_t b = 0; xb_radix_backends[b] && !rc; b++) {
		const char *be = xb_radix_backends[b]->name;

		xb_model_tree_init(&tp);
		rc = xb_radix_dev_make(&pdev, xb_radix_backends[b], sh->n);
		if (!rc)
			rc = xb_radix_fill(&tp, &pdev, XB_ENC_PFN, sh->n, sh->stride);
		for (size_t p = 0; p < c->npat && !rc; p++) {
			const char *pn = xb_pattern_name(c->pat[p]);
			struct job js = { .tree = &ts, .dev = &pdev, .stride = sh->stride, .flat = flat };
			struct job jp = { .tree = &tp, .dev = &pdev, .stride = sh->stride };

			xb_pattern_fill(ord, COUNT_LOOKUPS, c->pat[p], sh->n, 0.99, 0x5eed0000u + c->pat[p]);
			snprintf(m, sizeof(m), "radix.model.%s.sector.%s.%s.%s.instructions", be,
				 sh->size->label, sh->density, pn);
			keep += count_variant(m, V_SECTOR, &js, ord);
			snprintf(m, sizeof(m), "radix.model.%s.pfn.%s.%s.%s.instructions", be,
				 sh->size->label, sh->density, pn);
			keep += count_variant(m, V_PFN, &jp, ord);
			if (b)
				continue;
			snprintf(m, sizeof(m), "radix.model.flat.%s.%s.%s.instructions",
				 sh->size->label, sh->density, pn);
			keep += count_variant(m, V_FLAT, &js, ord);
		}
		xb_model_tree_destroy(&tp);
	}
	if (rc)
		rc = model_error(sink, rc, "counting instructions", sh);
	count_keep = keep;
	free(flat);
	free(ord);
	xb_model_tree_destroy(&ts);
	return rc;
}

static int quiet_note(struct xb_sink *s, const char *kind, const char *subject, const char *text)
{
	if (!strcmp(kind, "error"))
		fprintf(stderr, "radix-count: %s\n", text);
	return 0;
}

int xb_radix_count_main(const struct xb_kvlist *params)
{
	struct xb_sink sink = { .note = quiet_note };
	struct cfg c;
	int rc;

	if (!XB_HAVE_CALLGRIND) {
		fprintf(stderr, "radix-count: built without valgrind/callgrind.h\n");
		return -ENOTSUP;
	}
	rc = parse_cfg(&c, params, &sink);
	if (!rc)
		rc = for_shapes(&sink, &c, count_shape, NULL, "count");
	return rc;
}

/* The host's counts, carried into the image, sent as this run's metrics. */
static int send_instructions(struct xb_sink *sink)
{
	char *text = NULL, *save = NULL;
	int rc;

	if (xb_read_file(&text, NULL, INSTR_PATH)) {
		if (xb_read_file(&text, NULL, INSTR_SKIP))
			return 0;   /* not asked for */
		rc = sink->note(sink, "skip", "radix.instructions", xb_trim(text));
		free(text);
		return rc;
	}
	rc = sink->fact(sink, "radix.instructions.counted_by",
			"callgrind on the host, model built for the host (bench/radix-count)");
	for (char *line = strtok_r(text, "\n", &save); line && !rc;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[192];
		double v;

		if (sscanf(line, "%191s %lf", name, &v) != 2 || !(v > 0)) {
			sink->note(sink, "error", "radix", "malformed " INSTR_PATH);
			rc = -EINVAL;
			break;
		}
		rc = send_one(sink, "instructions", "lower",
			      "instructions per lookup (callgrind Ir on the host, 16384 lookups)", 0,
			      v, name);
	}
	free(text);
	return rc;
}

/* ---- ops ----------------------------------------------------------- */

static int radix_run(const struct xb_target *t, const struct xb_kvlist *params,
		     struct xb_sink *sink)
{
	struct ratios *ratios;
	struct cfg c;
	char buf[32];
	int rc;

	rc = parse_cfg(&c, params, sink);
	if (rc)
		return rc;
	kernel_device(&c);
	snprintf(buf, sizeof(buf), "%zu", xb_model_tree_node_bytes());
	rc = sink->fact(sink, "radix.model.node_bytes", buf);
	if (!rc)
		rc = sink->fact(sink, "radix.model.tree", xb_model_tree_name());
	if (rc)
		return rc;
	ratios = calloc(1, sizeof(*ratios));
	if (!ratios)
		return -ENOMEM;
	rc = for_shapes(sink, &c, run_shape, ratios, "model");
	if (!rc)
		rc = send_instructions(sink);
	if (!rc && c.kernel)
		rc = run_kernel(sink, &c, ratios);
	free(ratios);
	return rc;
}

static int radix_check(const struct xb_kvlist *params, struct xb_sink *sink)
{
	struct cfg c;

	return parse_cfg(&c, params, sink);
}

static const char *const radix_params[] = {
	"sizes", "density", "patterns", "threads", "reps", "samples", "batch", "stream",
	"sparse_stride", "max_entries", "kernel", "components", "instructions", "modes", NULL
};

const struct xb_bench_ops xb_bench_radix = {
	.name = "radix",
	.description = "DAX radix lookup: sector vs pfn entries, userspace model and kernel module",
	.targets = XB_TARGET_NONE,
	.params = radix_params,
	.check = radix_check,
	.run = radix_run,
};
