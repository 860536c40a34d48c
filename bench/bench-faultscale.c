// SPDX-License-Identifier: GPL-2.0
/*
 * faultscale: N threads faulting disjoint ranges of one shared mapping of
 * one file, N = 1 .. threads (at most the CPUs online), the scalability
 * view of will-it-scale's page_fault tests on a DAX mount. Each thread
 * reads one byte per 4 KiB page of its range; its faults per second is
 * the faults getrusage(RUSAGE_THREAD) counted over its own elapsed time,
 * one sample per thread.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include "bench.h"
#include "fault-util.h"

#define FILE_NAME "daxbench-faultscale.dat"

struct worker {
	pthread_t tid;
	pthread_barrier_t *start;
	char *base;
	size_t npages;
	double fps;
};

struct scale {
	const struct xb_target *t;
	struct xb_sink *sink;
	uint64_t size;
	size_t npages;
	long long reps, threads;
	char *path;
	char *fill;
	char subject[64];
};

static int scale_note(struct scale *s, const char *kind, const char *text)
{
	return s->sink->note(s->sink, kind, s->subject, text);
}

static int parse(struct scale *s, const struct xb_kvlist *params)
{
	const char *size = xb_kv_get(params, "file_size");
	const char *threads = xb_kv_get(params, "threads");
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	s->threads = ncpu > 0 ? ncpu : 1;
	if (xb_fault_parse_size(&s->size, &s->npages, size ? size : "16M", s->sink, s->subject))
		return -EINVAL;
	if (xb_bench_param_int(&s->reps, params, "reps", 3, 1, 1000, s->sink, s->subject))
		return -EINVAL;
	if (threads && strcmp(threads, "ncpu") && xb_parse_int(&s->threads, threads, 1, 256)) {
		scale_note(s, "error", "bad parameter threads: want ncpu or 1 to 256");
		return -EINVAL;
	}
	return 0;
}

/* This thread's faults so far (the page cache maps up to 16 pages per
 * fault, so pages touched are not faults taken). */
static long thread_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	return ru.ru_minflt + ru.ru_majflt;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct timespec t0, t1;
	long f0;

	pthread_barrier_wait(w->start);
	f0 = thread_faults();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	xb_fault_touch(w->base, w->npages, 1, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	w->fps = (double)(thread_faults() - f0) / (xb_elapsed_ns(&t0, &t1) / 1e9);
	return NULL;
}

static int run_threads(struct scale *s, struct worker *w, int n, char *base)
{
	size_t per = s->npages / (size_t)n;
	pthread_barrier_t start;
	int rc = 0, i;

	pthread_barrier_init(&start, NULL, (unsigned)n);
	for (i = 0; i < n && !rc; i++) {
		w[i] = (struct worker) { .start = &start, .base = base + i * per * XB_PAGE,
					 .npages = per };
		rc = -pthread_create(&w[i].tid, NULL, work, &w[i]);
	}
	if (rc) {
		scale_note(s, "error", "pthread_create failed");
		abort();    /* the started threads wait at the barrier forever */
	}
	for (i = 0; i < n; i++)
		pthread_join(w[i].tid, NULL);
	pthread_barrier_destroy(&start);
	return 0;
}

static int one(struct scale *s, struct worker *w, int n, int rep)
{
	char *name = xb_asprintf("fault.%s.scale.read.t%d.faults_per_s", s->t->mode, n);
	int fd = -1, rc = 0;
	double v[256];
	char *base;

	if (s->path)
		rc = xb_fault_make_file(&fd, s->path, s->size, s->fill, 0, s->t, s->sink,
					s->subject);
	if (rc)
		goto out;
	base = mmap(NULL, s->size, PROT_READ, fd < 0 ? MAP_PRIVATE | MAP_ANONYMOUS : MAP_SHARED,
		    fd, 0);
	if (base == MAP_FAILED) {
		rc = -errno;
		xb_sink_notef(s->sink, "error", s->subject, "mmap %llu bytes: %s",
			      (unsigned long long)s->size, strerror(-rc));
		goto out;
	}
	madvise(base, s->size, MADV_NOHUGEPAGE);
	run_threads(s, w, n, base);
	munmap(base, s->size);
	for (int i = 0; i < n; i++)
		v[i] = w[i].fps;
	rc = s->sink->metric(s->sink, name, "faults/s", "higher", "read faults per second "
			     "of each of N threads faulting disjoint ranges of one mapping");
	if (!rc)
		rc = s->sink->samples(s->sink, name, rep, v, (size_t)n);
out:
	if (fd >= 0)
		close(fd);
	free(name);
	return rc;
}

static int scale_run(const struct xb_target *t, const struct xb_kvlist *params,
		     struct xb_sink *sink)
{
	struct scale s = { .t = t, .sink = sink };
	struct worker w[256];
	int rc;

	snprintf(s.subject, sizeof(s.subject), "faultscale.%s", t->mode);
	rc = parse(&s, params);
	if (!rc && t->kind != XB_TARGET_ANON)
		rc = xb_fault_prepare_file(&s.path, &s.fill, t, FILE_NAME, s.size, sink,
					   s.subject);
	for (long long r = 0; r < s.reps && !rc; r++)
		for (int n = 1; n <= s.threads && !rc; n++)
			rc = one(&s, w, n, (int)r);
	if (s.path)
		unlink(s.path);
	free(s.path);
	free(s.fill);
	return rc;
}

static int scale_check(const struct xb_kvlist *params, struct xb_sink *sink)
{
	struct scale s = { .sink = sink, .subject = "faultscale.check" };

	return parse(&s, params);
}

static const char *const scale_params[] = { "file_size", "reps", "threads", "modes", NULL };

const struct xb_bench_ops xb_bench_faultscale = {
	.name = "faultscale",
	.description = "read faults per second per thread, 1..N threads on disjoint ranges",
	.targets = XB_TARGET_DAX | XB_TARGET_PAGECACHE | XB_TARGET_ANON,
	.params = scale_params,
	.check = scale_check,
	.run = scale_run,
};
