/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small shared helpers: growable buffers, key/value lists, files,
 * running programs from argument vectors (never through a shell).
 * Functions return 0 or a negative errno.
 */
#ifndef XB_UTIL_H
#define XB_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdarg.h>

#define XB_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* One-line error to stderr, prefixed "daxbench: ". */
void xb_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Warning to stderr, prefixed "daxbench: warning: ". */
void xb_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* qsort() comparator for doubles, ascending. */
int xb_cmp_double(const void *a, const void *b);
/* Median of v[0..n) (the middle of a sorted copy; v is left as it is);
 * NAN when n is 0. */
double xb_median(const double *v, size_t n);

void *xb_malloc(size_t n);              /* aborts on OOM */
void *xb_calloc(size_t n, size_t size); /* zeroed; aborts on OOM */
void *xb_realloc(void *p, size_t n);    /* aborts on OOM */
char *xb_strdup(const char *s);         /* NULL stays NULL */
char *xb_strndup(const char *s, size_t n);
char *xb_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xb_vasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Growable byte buffer, always NUL terminated when p != NULL. */
struct xb_buf {
	char *p;
	size_t len;
	size_t cap;
};
void xb_buf_add(struct xb_buf *b, const void *data, size_t n);
void xb_buf_adds(struct xb_buf *b, const char *s);
void xb_buf_addf(struct xb_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void xb_buf_vaddf(struct xb_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void xb_buf_free(struct xb_buf *b);
/* Takes ownership of the contents; the buffer is reset. Never NULL. */
char *xb_buf_detach(struct xb_buf *b);

/* Ordered key/value list; keys may repeat unless set with xb_kv_set. */
struct xb_kv {
	char *key;
	char *value;
};
struct xb_kvlist {
	struct xb_kv *v;
	size_t n;
	size_t cap;
};
void xb_kv_add(struct xb_kvlist *l, const char *key, const char *value);
/* Replace the value of an existing key, or add it. */
void xb_kv_set(struct xb_kvlist *l, const char *key, const char *value);
void xb_kv_setf(struct xb_kvlist *l, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *xb_kv_get(const struct xb_kvlist *l, const char *key);
void xb_kv_free(struct xb_kvlist *l);

/* Whole file into a NUL-terminated buffer. *out is the caller's. */
int xb_read_file(char **out, size_t *out_len, const char *path);
/* All of data, across short writes and EINTR. */
int xb_write_all(int fd, const void *data, size_t len);
/* One write(2) of value to path, as a sysfs store wants: it acts on the
 * whole buffer, and the kernel's refusal is that write's errno. 0, -errno,
 * or -EIO for a short write. */
int xb_write_attr(const char *path, const char *value);
/* Write to path.tmp.<pid>, fsync when sync, rename over path: readers see
 * the old file or the new one, never a part (without sync, a crash may
 * leave either). */
int xb_write_file_replace(const char *path, const void *data, size_t len, bool sync);
/* xb_write_file_replace() with fsync. */
int xb_write_file_atomic(const char *path, const void *data, size_t len);
int xb_mkdir_p(const char *path, unsigned mode);
/* rm -rf of a directory the suite made itself (never follows symlinks). */
int xb_rm_rf(const char *path);
bool xb_path_exists(const char *path);
bool xb_is_executable(const char *path);
/* Search PATH for a program; returns a malloc'd path or NULL. */
char *xb_which(const char *prog);

/*
 * Run argv[0] (searched in PATH) with argv; no shell. If out is not NULL,
 * stdout is captured into it; if child_err is not NULL, stderr is captured too,
 * otherwise it is inherited. *out_status is the exit status (or 128+signal).
 * Returns 0 when the program ran (whatever its status), -errno otherwise.
 */
int xb_run(const char *const argv[], struct xb_buf *out, struct xb_buf *child_err,
	   int *out_status);

/* UTC time as ISO 8601 "2026-11-24T18:51:49Z". */
void xb_iso_time(char out[32], double unix_seconds);
double xb_now(void);           /* CLOCK_REALTIME in seconds */
double xb_monotonic(void);     /* CLOCK_MONOTONIC in seconds */

/* Parse "64M", "2G", "4096", "512K" into bytes. */
int xb_parse_size(uint64_t *out, const char *s);
/* Parse a decimal integer within [min,max]. */
int xb_parse_int(long long *out, const char *s, long long min, long long max);
/* Parse a finite decimal number within [min,max]. */
int xb_parse_double(double *out, const char *s, double min, double max);

/* Trim leading/trailing whitespace in place; returns s+offset. */
char *xb_trim(char *s);

/* Hex of bytes; out must hold 2*n+1. */
void xb_hex(char *out, const uint8_t *in, size_t n);

/* A random RFC 4122 version-4 UUID string (from getrandom). */
int xb_uuid(char out[37]);

/* True when stderr is a terminal and CI is not set: show progress. */
bool xb_progress_enabled(void);
/* Progress line on stderr (overwritten in place) when enabled. */
void xb_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void xb_progress_done(void);

#endif
