// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hostmem.h"
#include "error.h"
#include "util.h"

static double field_kib(const char *text, const char *field)
{
	size_t n = strlen(field);

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, field, n) && p[n] == ':')
			return strtod(p + n + 1, NULL);
	return NAN;
}

double xb_meminfo_kib(const char *path, const char *field)
{
	char *text = NULL;
	double v;

	if (xb_read_file(&text, NULL, path))
		return NAN;
	v = field_kib(text, field);
	free(text);
	return v;
}

#define FIELD(n, f, dir) &(const struct xb_smaps_field){ #n, f, offsetof(struct xb_smaps_fig, n), dir }
const struct xb_smaps_field *const xb_smaps_fields[] = {
	FIELD(rss, "Rss", "lower"),
	FIELD(pss, "Pss", "lower"),
	FIELD(shared_clean, "Shared_Clean", "none"),
	FIELD(shared_dirty, "Shared_Dirty", "none"),
	FIELD(private_clean, "Private_Clean", "none"),
	FIELD(private_dirty, "Private_Dirty", "lower"),
	FIELD(anon_huge, "AnonHugePages", "lower"),
	NULL,
};
#undef FIELD

static double *slot(struct xb_smaps_fig *f, const struct xb_smaps_field *k)
{
	return (double *)((char *)f + k->off);
}

static void fill(struct xb_smaps_fig *f, const char *text)
{
	for (size_t i = 0; xb_smaps_fields[i]; i++)
		*slot(f, xb_smaps_fields[i]) = field_kib(text, xb_smaps_fields[i]->field);
}

int xb_smaps_rollup(struct xb_smaps_fig *f, pid_t pid)
{
	char path[64], *text = NULL;
	int rc;

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	rc = xb_read_file(&text, NULL, path);
	if (!rc)
		fill(f, text);
	free(text);
	if (rc || isnan(f->rss) || isnan(f->pss))
		return xb_error_set(-ESRCH, "cannot read %s (QEMU gone?)", path);
	return 0;
}

/* A mapping's header line: "start-end perms offset dev inode   path". */
static const char *header_path(const char *line, const char *end)
{
	const char *p = line;

	for (int field = 0; field < 5; field++) {
		while (p < end && *p != ' ')
			p++;
		while (p < end && *p == ' ')
			p++;
	}
	return p;
}

int xb_smaps_mapping_text(struct xb_smaps_fig *f, const char *text, const char *file)
{
	struct xb_smaps_fig sum = { 0 };
	size_t flen = strlen(file);
	bool in = false, found = false;

	for (const char *l = text; l && *l; ) {
		const char *end = strchr(l, '\n'), *colon;

		if (!end)
			end = l + strlen(l);
		colon = memchr(l, ':', (size_t)(end - l));
		/* a header starts "hex-hex ", a field "Name:" */
		if (strspn(l, "0123456789abcdef") && l[strspn(l, "0123456789abcdef")] == '-') {
			const char *p = header_path(l, end);

			in = (size_t)(end - p) == flen && !memcmp(p, file, flen);
			found |= in;
		} else if (in && colon) {
			char name[32];
			size_t n = (size_t)(colon - l);
			double v = strtod(colon + 1, NULL);

			if (n < sizeof(name)) {
				memcpy(name, l, n);
				name[n] = 0;
				for (size_t i = 0; xb_smaps_fields[i]; i++)
					if (!strcmp(name, xb_smaps_fields[i]->field))
						*slot(&sum, xb_smaps_fields[i]) += v;
			}
		}
		l = *end ? end + 1 : end;
	}
	if (!found)
		return -ENOENT;
	*f = sum;
	return 0;
}

int xb_smaps_mapping(struct xb_smaps_fig *f, pid_t pid, const char *file)
{
	char path[64], *text = NULL;
	int rc;

	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	rc = xb_read_file(&text, NULL, path);
	if (rc)
		xb_error_set(rc, "cannot read %s (QEMU gone?)", path);
	else if ((rc = xb_smaps_mapping_text(f, text, file)))
		xb_error_set(rc, "process %d does not map %s", (int)pid, file);
	free(text);
	return rc;
}

/* Whether maps text (of /proc/PID/maps) has a mapping of file. */
static bool maps_file(const char *text, const char *file)
{
	size_t flen = strlen(file);

	for (const char *l = text; l && *l; ) {
		const char *end = strchr(l, '\n'), *p;

		if (!end)
			end = l + strlen(l);
		p = header_path(l, end);
		if ((size_t)(end - p) == flen && !memcmp(p, file, flen))
			return true;
		l = *end ? end + 1 : end;
	}
	return false;
}

static bool listed(pid_t pid, const pid_t *pids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

int xb_file_mappers(size_t *out, const char *file, const pid_t *except, size_t nexcept)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	size_t n = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		pid_t pid = (pid_t)strtol(e->d_name, NULL, 10);
		char path[64], *text = NULL;

		if (pid <= 0 || listed(pid, except, nexcept))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
		if (!xb_read_file(&text, NULL, path))  /* gone, or not ours to read */
			n += maps_file(text, file);
		free(text);
	}
	closedir(d);
	*out = n;
	return 0;
}

int xb_file_cached_kib(double *out, const char *path)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *vec = NULL;
	struct stat st = { 0 };
	void *m = MAP_FAILED;
	size_t pages, resident = 0;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		rc = -errno;
		goto out;
	}
	if (!st.st_size) {
		*out = 0;
		goto out;
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		rc = -errno;
		goto out;
	}
	pages = ((size_t)st.st_size + (size_t)page - 1) / (size_t)page;
	vec = xb_malloc(pages);
	if (mincore(m, (size_t)st.st_size, vec)) {
		rc = -errno;
		goto out;
	}
	for (size_t i = 0; i < pages; i++)
		resident += vec[i] & 1;
	*out = (double)resident * (double)page / 1024;
out:
	if (rc)
		xb_error_set(rc, "host page cache of %s unreadable (open, mmap or mincore): %s",
			     path, strerror(-rc));
	if (m != MAP_FAILED)
		munmap(m, (size_t)st.st_size);
	if (fd >= 0)
		close(fd);
	free(vec);
	return rc;
}
