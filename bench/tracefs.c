// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tracefs.h"
#include "util.h"

const char *const xb_tracefs_mounts[] = {
	"/sys/kernel/tracing", "/sys/kernel/debug/tracing", NULL,
};

int xb_tracefs_root(char **out, const char *const *candidates)
{
	for (size_t i = 0; candidates[i]; i++) {
		char *events = xb_asprintf("%s/events", candidates[i]);
		bool ok = xb_path_exists(events);

		free(events);
		if (ok) {
			*out = xb_strdup(candidates[i]);
			return 0;
		}
	}
	return -ENOENT;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_event_dir(const char *dir, const char *name)
{
	char *enable;
	bool ok;

	if (name[0] == '.')
		return false;
	enable = xb_asprintf("%s/%s/enable", dir, name);
	ok = xb_path_exists(enable);
	free(enable);
	return ok;
}

int xb_tracefs_discover(struct xb_trace_events *out, const char *root, const char *system)
{
	char *dir = xb_asprintf("%s/events/%s", root, system);
	struct dirent *de;
	DIR *d;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	d = opendir(dir);
	if (!d) {
		rc = -errno;
		goto out;
	}
	while ((de = readdir(d))) {
		if (!is_event_dir(dir, de->d_name))
			continue;
		out->names = xb_realloc(out->names, (out->n + 1) * sizeof(*out->names));
		out->names[out->n++] = xb_strdup(de->d_name);
	}
	closedir(d);
	qsort(out->names, out->n, sizeof(*out->names), cmp_names);
out:
	free(dir);
	return rc;
}

void xb_trace_events_free(struct xb_trace_events *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->names[i]);
	free(e->names);
	memset(e, 0, sizeof(*e));
}

static void count_add(struct xb_trace_counts *c, const char *key, size_t keylen, long n)
{
	for (size_t i = 0; i < c->n; i++)
		if (strlen(c->v[i].key) == keylen && !strncmp(c->v[i].key, key, keylen)) {
			c->v[i].n += n;
			return;
		}
	c->v = xb_realloc(c->v, (c->n + 1) * sizeof(*c->v));
	c->v[c->n].key = xb_strndup(key, keylen);
	c->v[c->n++].n = n;
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && !strncmp(s + len - n, suffix, n);
}

/* VM_FAULT_* flags as __print_flags prints them: NOPAGE, MAJOR|NEEDDSYNC.
 * Other last fields (an address, a count) are no result. */
static bool is_result(const char *s, const char *end)
{
	if (!isupper((unsigned char)*s))
		return false;
	for (; s < end; s++)
		if (!isupper((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    *s != '_' && *s != '|')
			return false;
	return true;
}

/* "<event>.<last field>" for an event that reports a result. */
static void count_result(struct xb_trace_counts *c, const char *ev, size_t evlen,
			 const char *line, size_t linelen)
{
	const char *end = line + linelen, *start;
	char *key;

	while (end > line && isspace((unsigned char)end[-1]))
		end--;
	start = end;
	while (start > line && !isspace((unsigned char)start[-1]))
		start--;
	if (start == end || start < ev + evlen || !is_result(start, end))
		return;
	key = xb_asprintf("%.*s.%.*s", (int)evlen, ev, (int)(end - start), start);
	for (char *p = key + evlen + 1; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			*p = '_';
	count_add(c, key, strlen(key), 1);
	free(key);
}

/*
 * One line of the trace file: "  task-pid  [cpu] flags  ts: event: fields".
 * The task name may hold spaces and colons, so the event is found after
 * the "] " that ends the CPU field and the ": " that ends the timestamp.
 */
static void parse_line(struct xb_trace_counts *c, const char *line, size_t len)
{
	const char *end = line + len, *p, *ev, *colon;
	unsigned long lost;

	if (!line || !len || line[0] == '#')
		return;
	p = memmem(line, len, "[LOST ", 6);
	if (p && sscanf(p, "[LOST %lu EVENTS]", &lost) == 1) {
		count_add(c, "lost", 4, (long)lost);
		return;
	}
	p = memmem(line, len, "] ", 2);
	if (!p)
		return;
	p = memmem(p, (size_t)(end - p), ": ", 2);
	if (!p)
		return;
	ev = p + 2;
	colon = memchr(ev, ':', (size_t)(end - ev));
	if (!colon || colon == ev)
		return;
	count_add(c, ev, (size_t)(colon - ev), 1);
	if (ends_with(ev, (size_t)(colon - ev), "_done") ||
	    ends_with(ev, (size_t)(colon - ev), "_fallback"))
		count_result(c, ev, (size_t)(colon - ev), colon + 1, (size_t)(end - colon - 1));
}

void xb_trace_parse(struct xb_trace_counts *out, const char *text)
{
	memset(out, 0, sizeof(*out));
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);

		parse_line(out, text, len);
		text += len + (nl ? 1 : 0);
	}
}

long xb_trace_get(const struct xb_trace_counts *c, const char *key)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].key, key))
			return c->v[i].n;
	return 0;
}

void xb_trace_counts_free(struct xb_trace_counts *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].key);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* O_TRUNC as a shell's > does: on the trace file it empties the buffer. */
static int write_str(const char *path, const char *s, int flags)
{
	size_t len = strlen(s);
	int fd, rc = 0;

	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC | flags);
	if (fd < 0)
		return -errno;
	if (len && write(fd, s, len) != (ssize_t)len)
		rc = errno ? -errno : -EIO;
	if (close(fd) && !rc)
		rc = -errno;
	return rc;
}

int xb_tracefs_enable(const char *root, const char *system, bool on)
{
	char *path = xb_asprintf("%s/events/%s/enable", root, system);
	int rc = write_str(path, on ? "1" : "0", 0);

	free(path);
	return rc;
}

int xb_tracefs_reset(const char *root, unsigned buffer_kb)
{
	char num[16], *path = xb_asprintf("%s/trace", root);
	int rc = write_str(path, "", 0);

	free(path);
	if (rc || !buffer_kb)
		return rc;
	snprintf(num, sizeof(num), "%u", buffer_kb);
	path = xb_asprintf("%s/buffer_size_kb", root);
	rc = write_str(path, num, 0);
	free(path);
	return rc;
}

int xb_tracefs_read(char **out, const char *root)
{
	char *path = xb_asprintf("%s/trace", root);
	int rc = xb_read_file(out, NULL, path);

	free(path);
	return rc;
}
