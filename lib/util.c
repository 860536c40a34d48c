// SPDX-License-Identifier: GPL-2.0
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "util.h"
#include "text.h"

/* Messages quote suite files, guest output and arguments: their control
 * bytes are escaped, never sent to the terminal. */
static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
	char *m = xb_vasprintf(fmt, ap), *e = xb_text_escape(m);

	xb_progress_done();
	fprintf(stderr, "daxbench: %s%s\n", prefix, e);
	free(e);
	free(m);
}

void xb_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void xb_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

void *xb_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		abort();
	return p;
}

void *xb_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		abort();
	return p;
}

void *xb_realloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

char *xb_strdup(const char *s)
{
	return s ? xb_strndup(s, strlen(s)) : NULL;
}

char *xb_strndup(const char *s, size_t n)
{
	char *p = xb_malloc(n + 1);

	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *xb_vasprintf(const char *fmt, va_list ap)
{
	struct xb_buf b = { 0 };

	xb_buf_vaddf(&b, fmt, ap);
	return xb_buf_detach(&b);
}

char *xb_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xb_vasprintf(fmt, ap);
	va_end(ap);
	return s;
}

static void buf_reserve(struct xb_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	if (b->cap * 2 > need)
		need = b->cap * 2;
	b->p = xb_realloc(b->p, need);
	b->cap = need;
}

void xb_buf_add(struct xb_buf *b, const void *data, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = 0;
}

void xb_buf_adds(struct xb_buf *b, const char *s)
{
	xb_buf_add(b, s, strlen(s));
}

void xb_buf_vaddf(struct xb_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	buf_reserve(b, (size_t)n);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void xb_buf_addf(struct xb_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xb_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void xb_buf_free(struct xb_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

char *xb_buf_detach(struct xb_buf *b)
{
	char *p = b->p ? b->p : xb_strdup("");

	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

void xb_kv_add(struct xb_kvlist *l, const char *key, const char *value)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xb_realloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n].key = xb_strdup(key);
	l->v[l->n].value = xb_strdup(value ? value : "");
	l->n++;
}

void xb_kv_set(struct xb_kvlist *l, const char *key, const char *value)
{
	for (size_t i = 0; i < l->n; i++) {
		if (!strcmp(l->v[i].key, key)) {
			free(l->v[i].value);
			l->v[i].value = xb_strdup(value ? value : "");
			return;
		}
	}
	xb_kv_add(l, key, value);
}

void xb_kv_setf(struct xb_kvlist *l, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *v;

	va_start(ap, fmt);
	v = xb_vasprintf(fmt, ap);
	va_end(ap);
	xb_kv_set(l, key, v);
	free(v);
}

const char *xb_kv_get(const struct xb_kvlist *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].key, key))
			return l->v[i].value;
	return NULL;
}

void xb_kv_free(struct xb_kvlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].value);
	}
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

int xb_read_file(char **out, size_t *out_len, const char *path)
{
	struct xb_buf b = { 0 };
	char tmp[65536];
	ssize_t n;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	xb_buf_add(&b, "", 0);
	while ((n = read(fd, tmp, sizeof(tmp))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			xb_buf_free(&b);
			goto out;
		}
		xb_buf_add(&b, tmp, (size_t)n);
	}
	if (out_len)
		*out_len = b.len;
	*out = xb_buf_detach(&b);
out:
	close(fd);
	return rc;
}

int xb_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int xb_write_attr(const char *path, const char *value)
{
	size_t len = strlen(value);
	ssize_t w;
	int fd, rc = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	w = write(fd, value, len);
	if (w < 0)
		rc = -errno;
	else if ((size_t)w != len)
		rc = -EIO;
	if (close(fd) && !rc)
		rc = -errno;
	return rc;
}

int xb_write_file_replace(const char *path, const void *data, size_t len, bool sync)
{
	char *tmp = xb_asprintf("%s.tmp.%d", path, (int)getpid());
	int fd, rc;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	rc = xb_write_all(fd, data, len);
	if (!rc && sync && fsync(fd))
		rc = -errno;
	if (close(fd) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc)
		unlink(tmp);
out:
	free(tmp);
	return rc;
}

int xb_write_file_atomic(const char *path, const void *data, size_t len)
{
	return xb_write_file_replace(path, data, len, true);
}

int xb_mkdir_p(const char *path, unsigned mode)
{
	char *p = xb_strdup(path);
	int rc = 0;

	for (char *s = p + 1; ; s++) {
		if (*s == '/' || !*s) {
			char c = *s;

			*s = 0;
			if (mkdir(p, mode) && errno != EEXIST) {
				rc = -errno;
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return rc;
}

int xb_rm_rf(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return unlink(path) ? -errno : 0;
	d = opendir(path);
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		char *sub;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		sub = xb_asprintf("%s/%s", path, e->d_name);
		if (!rc)
			rc = xb_rm_rf(sub);
		free(sub);
	}
	closedir(d);
	if (!rc && rmdir(path))
		rc = -errno;
	return rc;
}

bool xb_path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

bool xb_is_executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

char *xb_which(const char *prog)
{
	const char *path = getenv("PATH");
	char *dirs, *save = NULL, *found = NULL;

	if (strchr(prog, '/'))
		return xb_is_executable(prog) ? xb_strdup(prog) : NULL;
	dirs = xb_strdup(path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		char *cand = xb_asprintf("%s/%s", *d ? d : ".", prog);

		if (xb_is_executable(cand)) {
			found = cand;
			break;
		}
		free(cand);
	}
	free(dirs);
	return found;
}

static void drain(int fd, struct xb_buf *b)
{
	char tmp[8192];
	ssize_t n = read(fd, tmp, sizeof(tmp));

	if (n > 0)
		xb_buf_add(b, tmp, (size_t)n);
}

int xb_run(const char *const argv[], struct xb_buf *out, struct xb_buf *child_err,
	   int *out_status)
{
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 }, status, rc = 0;
	pid_t pid;

	if ((out && pipe2(po, O_CLOEXEC)) || (child_err && pipe2(pe, O_CLOEXEC))) {
		rc = -errno;
		goto out_close;
	}
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		goto out_close;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		if (devnull >= 0)
			dup2(devnull, 0);
		if (out)
			dup2(po[1], 1);
		if (child_err)
			dup2(pe[1], 2);
		execvp(argv[0], (char *const *)argv);
		fprintf(stderr, "daxbench: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (out)
		close(po[1]), po[1] = -1;
	if (child_err)
		close(pe[1]), pe[1] = -1;
	while (po[0] >= 0 || pe[0] >= 0) {
		struct pollfd fds[2] = { { po[0], POLLIN, 0 }, { pe[0], POLLIN, 0 } };

		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			int *fd = i ? &pe[0] : &po[0];

			if (*fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (fds[i].revents & POLLIN) {
				drain(*fd, i ? child_err : out);
			} else {
				close(*fd);
				*fd = -1;
			}
		}
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			rc = -errno;
			goto out_close;
		}
	}
	if (out_status)
		*out_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
out_close:
	for (int i = 0; i < 2; i++) {
		if (po[i] >= 0)
			close(po[i]);
		if (pe[i] >= 0)
			close(pe[i]);
	}
	return rc;
}

void xb_iso_time(char out[32], double unix_seconds)
{
	time_t t = (time_t)unix_seconds;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

double xb_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

double xb_monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int xb_parse_size(uint64_t *out, const char *s)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -ERANGE;
	switch (*end) {
	case 0: break;
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	default: return -EINVAL;
	}
	if (*end == 'i' && shift)
		end++;
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end)
		return -EINVAL;
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = (uint64_t)v << shift;
	return 0;
}

int xb_parse_int(long long *out, const char *s, long long min, long long max)
{
	char *end;
	long long v;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return errno ? -ERANGE : -EINVAL;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int xb_parse_double(double *out, const char *s, double min, double max)
{
	char *end;
	double v;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v))
		return errno ? -ERANGE : -EINVAL;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

char *xb_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

void xb_hex(char *out, const uint8_t *in, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = 0;
}

int xb_uuid(char out[37])
{
	uint8_t r[16];

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return -errno;
	r[6] = (r[6] & 0x0f) | 0x40;
	r[8] = (r[8] & 0x3f) | 0x80;
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10],
		 r[11], r[12], r[13], r[14], r[15]);
	return 0;
}

static int progress_shown;

bool xb_progress_enabled(void)
{
	const char *ci = getenv("CI");

	return isatty(2) && !(ci && *ci);
}

void xb_progress(const char *fmt, ...)
{
	va_list ap;

	if (!xb_progress_enabled())
		return;
	fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
	progress_shown = 1;
}

void xb_progress_done(void)
{
	if (!progress_shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	progress_shown = 0;
}

int xb_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double xb_median(const double *v, size_t n)
{
	double *s, m;

	if (!n)
		return NAN;
	s = xb_malloc(n * sizeof(*s));
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), xb_cmp_double);
	m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return m;
}
