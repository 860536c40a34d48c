// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "error.h"
#include "perf-stat.h"

#define ACK_TIMEOUT_MS 60000    /* perf answers at once; TCG under load is slow */

void xb_perf_result_free(struct xb_perf_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].name);
		free(r->v[i].unit);
		free(r->v[i].reason);
	}
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

const struct xb_perf_event *xb_perf_get(const struct xb_perf_result *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].name, name))
			return &r->v[i];
	return NULL;
}

/* One CSV line: value, unit, event, then fields daxbench does not use. */
static int parse_line(struct xb_perf_event *e, char *line)
{
	char *f[3], *end;
	int nf = 0;

	/* strsep, not strtok: the unit of a count is an empty field */
	for (char *p = line; nf < 3 && p; nf++)
		f[nf] = strsep(&p, ",");
	if (nf < 3 || !*f[2]) {
		return xb_error_set(-EINVAL, "perf stat output: not a 'value,unit,event' line: '%.80s'",
				    line);
	}
	memset(e, 0, sizeof(*e));
	if (f[0][0] == '<') {
		e->reason = xb_strdup(f[0]);
	} else {
		errno = 0;
		e->value = strtod(f[0], &end);
		if (errno || end == f[0] || *end || e->value < 0) {
			return xb_error_set(-EINVAL, "perf stat output: '%.40s' of %.40s is not a count",
					    f[0], f[2]);
		}
		e->counted = true;
	}
	/* perf prints times in msec with -x: stored in ns like every time here */
	if (!strcmp(f[1], "msec")) {
		e->value *= 1e6;
		e->unit = xb_strdup("ns");
	} else {
		e->unit = xb_strdup(*f[1] ? f[1] : "count");
	}
	e->name = xb_strdup(f[2]);
	return 0;
}

/* -v's "task-clock: 5350123 5350123 5350123": the count unrounded (the CSV
 * gives task-clock in msec with two decimals, 10 us steps). */
static void exact_values(struct xb_perf_result *r, const char *line)
{
	const char *colon = strstr(line, ": ");
	char *end;
	double v;

	if (!colon)
		return;
	errno = 0;
	v = strtod(colon + 2, &end);
	if (errno || end == colon + 2)
		return;
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].counted && strlen(r->v[i].name) == (size_t)(colon - line) &&
		    !strncmp(r->v[i].name, line, (size_t)(colon - line)))
			r->v[i].value = v;
}

int xb_perf_parse(struct xb_perf_result *out, const char *csv)
{
	char *dup = xb_strdup(csv), *save = NULL;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	for (char *l = strtok_r(dup, "\n", &save); l && !rc; l = strtok_r(NULL, "\n", &save)) {
		l = xb_trim(l);
		/* comments, and -v's "event: value enabled running" lines */
		if (!*l || *l == '#' || (!strchr(l, ',') && strstr(l, ": ")))
			continue;
		out->v = xb_realloc(out->v, (out->n + 1) * sizeof(*out->v));
		rc = parse_line(&out->v[out->n], l);
		if (!rc)
			out->n++;
	}
	free(dup);
	if (!rc && !out->n) {
		rc = xb_error_set(-EINVAL, "perf stat output: no event counted or reported");
	}
	if (rc) {
		xb_perf_result_free(out);
		return rc;
	}
	dup = xb_strdup(csv);
	for (char *l = strtok_r(dup, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		if (!strchr(l, ','))
			exact_values(out, xb_trim(l));
	free(dup);
	return 0;
}

/* perf writes sizeof("ack\n"), its NUL included: NULs are skipped. */
int xb_perf_ctl(int ctl_fd, int ack_fd, const char *cmd)
{
	char line[64], ack[5] = { 0 };
	size_t got = 0;
	int n = snprintf(line, sizeof(line), "%s\n", cmd);

	ssize_t w = write(ctl_fd, line, (size_t)n);

	if (w != n)
		return w < 0 ? -errno : -EIO;
	while (got < 4) {
		struct pollfd p = { ack_fd, POLLIN, 0 };
		ssize_t r;

		n = poll(&p, 1, ACK_TIMEOUT_MS);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? -errno : -ETIMEDOUT;
		r = read(ack_fd, ack + got, 1);
		if (r <= 0)
			return r ? -errno : -EPIPE;
		got += ack[got] != 0;
	}
	return strcmp(ack, "ack\n") ? -EPROTO : 0;
}

static char *subst(const char *arg, const int fd[2])
{
	if (!strcmp(arg, "%CTL"))
		return xb_asprintf("%d", fd[0]);
	if (!strcmp(arg, "%ACK"))
		return xb_asprintf("%d", fd[1]);
	return xb_strdup(arg);
}

/* perf, its options, then the child's argv with the descriptors filled in. */
static const char **perf_argv(char ***out_owned, size_t *out_n, const char *perf,
			      const char *events, const char *outfile, const int perf_fd[2],
			      const int child_fd[2], const char *const argv[])
{
	size_t n = 0, nargs = 0;
	const char **v;
	char **own;

	while (argv[nargs])
		nargs++;
	v = xb_malloc((nargs + 16) * sizeof(*v));
	own = xb_malloc((nargs + 4) * sizeof(*own));
	own[0] = xb_asprintf("fd:%d,%d", perf_fd[0], perf_fd[1]);
	own[1] = xb_strdup(events);
	own[2] = xb_strdup(outfile);
	v[n++] = perf;
	v[n++] = "stat";
	v[n++] = "-v";          /* says why an event is not supported */
	v[n++] = "-x,";
	v[n++] = "--delay=-1";
	v[n++] = "--control";
	v[n++] = own[0];
	v[n++] = "-e";
	v[n++] = own[1];
	v[n++] = "-o";
	v[n++] = own[2];
	v[n++] = "--";
	for (size_t i = 0; i < nargs; i++)
		v[n++] = own[3 + i] = subst(argv[i], child_fd);
	v[n] = NULL;
	*out_owned = own;
	*out_n = nargs + 3;
	return v;
}

/* perf -v says "cycles event is not supported by the kernel." on stderr:
 * a better reason than the "<not supported>" of the CSV. */
static void reasons_from_stderr(struct xb_perf_result *r, const char *err)
{
	for (size_t i = 0; i < r->n && err; i++) {
		char *what = xb_asprintf("%s event is not supported", r->v[i].name);
		const char *at = r->v[i].counted ? NULL : strstr(err, what);

		if (at) {
			const char *end = strchr(at, '\n');

			free(r->v[i].reason);
			r->v[i].reason = xb_asprintf("perf stat: %.*s", end ? (int)(end - at) :
						     (int)strlen(at), at);
		}
		free(what);
	}
}

/* What perf and its child wrote to stderr: the failure's context. */
static const char *stderr_of(const struct xb_buf *b)
{
	return b->p ? b->p : "";
}

int xb_perf_stat(struct xb_perf_result *out, struct xb_buf *child_out, struct xb_buf *child_err,
		 const char *perf, const char *events, const char *const argv[])
{
	char outfile[] = "/tmp/daxbench-perf-XXXXXX", **own = NULL, *csv = NULL;
	int ctl[2] = { -1, -1 }, ack[2] = { -1, -1 }, status = 0, fd, rc;
	const char **v = NULL;
	size_t nown = 0, len;

	memset(out, 0, sizeof(*out));
	fd = mkstemp(outfile);
	if (fd < 0) {
		rc = -errno;
		return xb_error_set(rc, "mkstemp %s: %s", outfile, strerror(-rc));
	}
	close(fd);
	/* Inherited by perf and through it by the child: no O_CLOEXEC. */
	if (pipe(ctl) || pipe(ack)) {
		rc = -errno;
		xb_error_set(rc, "pipe: %s", strerror(-rc));
		goto out;
	}
	v = perf_argv(&own, &nown, perf, events, outfile, (int[]){ ctl[0], ack[1] },
		      (int[]){ ctl[1], ack[0] }, argv);
	rc = xb_run(v, child_out, child_err, &status);
	if (rc)
		xb_error_set(rc, "cannot run %s: %s", perf, strerror(-rc));
	else if (status)
		rc = xb_error_set(-EIO, "%s\n%s stat exited %d", stderr_of(child_err), perf, status);
	if (!rc) {
		rc = xb_read_file(&csv, &len, outfile);
		if (rc)
			xb_error_set(rc, "%scannot read %s: %s", stderr_of(child_err), outfile,
				     strerror(-rc));
	}
	if (!rc) {
		rc = xb_perf_parse(out, csv);
		if (rc)
			xb_error_set(rc, "%s%s", stderr_of(child_err), xb_error_last());
	}
	if (!rc)
		reasons_from_stderr(out, stderr_of(child_err));
out:
	for (int i = 0; i < 2; i++) {
		if (ctl[i] >= 0)
			close(ctl[i]);
		if (ack[i] >= 0)
			close(ack[i]);
	}
	for (size_t i = 0; i < nown; i++)
		free(own[i]);
	free(own);
	free(v);
	free(csv);
	unlink(outfile);
	return rc;
}
