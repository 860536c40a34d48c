// SPDX-License-Identifier: GPL-2.0
/* Namespace modes through /sys/bus/nd; see ndns.h for why not ndctl. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "ndns.h"

#define NODE_WAIT_S 10.0
#define INFO_BLOCK_BYTES 8192   /* what ndctl zeroes: the info block is at 4 KiB */
#define SUBJECT "ndns"

static const struct {
	const char *name;
	const char *seed;       /* region attribute naming the idle device */
	const char *driver;     /* nd bus driver that binds it */
	const char *map;        /* its "mode" attribute */
} modes[XB_NDNS_NMODES] = {
	[XB_NDNS_RAW] = { "raw", NULL, "nd_pmem", NULL },
	[XB_NDNS_FSDAX_MEM] = { "fsdax.mem", "pfn_seed", "nd_pmem", "ram" },
	[XB_NDNS_FSDAX_DEV] = { "fsdax.dev", "pfn_seed", "nd_pmem", "pmem" },
	[XB_NDNS_DEVDAX_DEV] = { "devdax.dev", "dax_seed", "dax_pmem", "pmem" },
	[XB_NDNS_DEVDAX_MEM] = { "devdax.mem", "dax_seed", "dax_pmem", "ram" },
};

const char *xb_ndns_mode_name(enum xb_ndns_mode m)
{
	return m < XB_NDNS_NMODES ? modes[m].name : "?";
}

int xb_ndns_mode_find(enum xb_ndns_mode *out, const char *name)
{
	for (int m = 0; m < XB_NDNS_NMODES; m++)
		if (!strcmp(modes[m].name, name)) {
			*out = (enum xb_ndns_mode)m;
			return 0;
		}
	return -EINVAL;
}

static int fail(struct xb_sink *sink, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct xb_sink *sink, int rc, const char *fmt, ...)
{
	va_list ap;

	if (sink) {
		va_start(ap, fmt);
		xb_sink_vnotef(sink, "error", SUBJECT, fmt, ap);
		va_end(ap);
	}
	return rc;
}

static char *dev_path(const struct xb_ndns *n, const char *dev, const char *attr)
{
	return attr ? xb_asprintf("%s/devices/%s/%s", n->sys, dev, attr) :
		      xb_asprintf("%s/devices/%s", n->sys, dev);
}

/* An attribute's value, trimmed, into *out (the caller's). */
static int read_attr(char **out, const char *path)
{
	char *s = NULL;
	int rc = xb_read_file(&s, NULL, path);

	if (rc)
		return rc;
	*out = xb_strdup(xb_trim(s));
	free(s);
	return 0;
}

static int read_u64(uint64_t *out, const char *path)
{
	char *s = NULL, *end;
	int rc = read_attr(&s, path);

	if (rc)
		return rc;
	errno = 0;
	*out = strtoull(s, &end, 0);
	rc = (end == s || *end || errno) ? -EINVAL : 0;
	free(s);
	return rc;
}

static int write_dev_attr(const struct xb_ndns *n, const char *dev, const char *attr,
			  const char *value, struct xb_sink *sink)
{
	char *path = dev_path(n, dev, attr);
	int rc = xb_write_attr(path, value);

	if (rc)
		fail(sink, rc, "writing '%s' to %s: %s", value, path, strerror(-rc));
	free(path);
	return rc;
}

static bool is_bound(const struct xb_ndns *n, const char *dev)
{
	char *path = dev_path(n, dev, "driver");
	bool bound = !access(path, F_OK);

	free(path);
	return bound;
}

static int bind(const struct xb_ndns *n, const char *dev, const char *driver,
		struct xb_sink *sink)
{
	char *path = xb_asprintf("%s/drivers/%s/bind", n->sys, driver);
	int rc = xb_write_attr(path, dev);

	if (rc)
		fail(sink, rc, "binding %s to %s (%s): %s", dev, driver, path, strerror(-rc));
	free(path);
	return rc;
}

static int unbind(const struct xb_ndns *n, const char *dev, struct xb_sink *sink)
{
	if (!is_bound(n, dev))
		return 0;
	return write_dev_attr(n, dev, "driver/unbind", dev, sink);
}

/* The last path component of the link target of path. */
static int link_name(char **out, const char *path)
{
	char buf[PATH_MAX];
	ssize_t len = readlink(path, buf, sizeof(buf) - 1);

	if (len < 0)
		return -errno;
	buf[len] = 0;
	*out = xb_strdup(basename(buf));
	return 0;
}

/* The region holding ns: the parent directory of its device directory. */
static int region_of(char **out, const struct xb_ndns *n)
{
	char *path = dev_path(n, n->ns, NULL), *real = realpath(path, NULL);
	int rc = real ? 0 : -errno;

	if (real) {
		*out = xb_strdup(basename(dirname(real)));
		free(real);
	}
	free(path);
	return rc;
}

/* Refuses anything but a legacy e820 io namespace: nothing a user named. */
static int check_legacy(const struct xb_ndns *n, struct xb_sink *sink)
{
	char *uevent = NULL, *path = dev_path(n, n->ns, NULL), *real = realpath(path, NULL);
	char *provider = NULL, *ppath = NULL;
	int rc;

	free(path);
	if (!real)
		return fail(sink, -errno, "%s: %s: %s", n->ns, n->sys, strerror(errno));
	/* .../ndbusN/regionM/namespaceM.K */
	ppath = xb_asprintf("%s/../../provider", real);
	path = xb_asprintf("%s/uevent", real);
	rc = xb_read_file(&uevent, NULL, path);
	if (rc) {
		fail(sink, rc, "reading %s: %s", path, strerror(-rc));
		goto out;
	}
	if (!strstr(uevent, "DEVTYPE=nd_namespace_io")) {
		rc = fail(sink, -EPERM, "%s is not a legacy (io) namespace: daxbench reconfigures "
			  "only the region the guest's memmap= set aside", n->ns);
		goto out;
	}
	rc = read_attr(&provider, ppath);
	if (!rc && strcmp(provider, "e820"))
		rc = -EPERM;
	if (rc)
		fail(sink, rc, "%s: bus provider '%s' (%s), not e820: refusing to reconfigure it",
		     n->ns, provider ? provider : "unreadable", ppath);
out:
	free(uevent);
	free(provider);
	free(ppath);
	free(path);
	free(real);
	return rc;
}

/* Which pfn or dax device names ns in its "namespace" attribute. */
static int find_claim(struct xb_ndns *n)
{
	char *dir = xb_asprintf("%s/devices", n->sys);
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	free(dir);
	if (!d)
		return -errno;
	while ((e = readdir(d)) && !n->claim) {
		char *path, *ns = NULL, *map = NULL;
		bool dax = !strncmp(e->d_name, "dax", 3), pfn = !strncmp(e->d_name, "pfn", 3);

		if (!dax && !pfn)
			continue;
		path = dev_path(n, e->d_name, "namespace");
		if (!read_attr(&ns, path) && !strcmp(ns, n->ns)) {
			free(path);
			path = dev_path(n, e->d_name, "mode");
			rc = read_attr(&map, path);
			n->claim = xb_strdup(e->d_name);
			n->mode = dax ? (!rc && !strcmp(map, "ram") ? XB_NDNS_DEVDAX_MEM :
					 XB_NDNS_DEVDAX_DEV) :
				  (!rc && !strcmp(map, "ram") ? XB_NDNS_FSDAX_MEM : XB_NDNS_FSDAX_DEV);
		}
		free(path);
		free(ns);
		free(map);
	}
	closedir(d);
	return rc;
}

int xb_ndns_of_blockdev(char **out_ns, const char *sysblock, const char *sys,
			const char *dev, struct xb_sink *sink)
{
	char *dup = xb_strdup(dev), *link, *holder = NULL;
	int rc;

	link = xb_asprintf("%s/%s/device", sysblock, basename(dup));
	rc = link_name(&holder, link);
	if (rc) {
		fail(sink, rc, "%s: no namespace behind it (%s: %s)", dev, link, strerror(-rc));
		goto out;
	}
	if (!strncmp(holder, "namespace", 9)) {
		*out_ns = holder;
		holder = NULL;
	} else {
		char *path = xb_asprintf("%s/devices/%s/namespace", sys, holder);

		rc = read_attr(out_ns, path);
		if (rc)
			fail(sink, rc, "%s: reading %s: %s", dev, path, strerror(-rc));
		free(path);
	}
out:
	free(holder);
	free(link);
	free(dup);
	return rc;
}

int xb_ndns_open(struct xb_ndns *n, const char *ns_dir, struct xb_sink *sink)
{
	const char *slash = strrchr(ns_dir, '/');
	size_t len = slash ? (size_t)(slash - ns_dir) : 0;
	char *path;
	int rc;

	memset(n, 0, sizeof(*n));
	if (!slash || len < 8 || strncmp(slash - 8, "/devices", 8) || !slash[1])
		return fail(sink, -EINVAL, "'%s' is not a namespace directory "
			    "(<sys>/devices/namespaceN.M)", ns_dir);
	n->sys = xb_strndup(ns_dir, len - 8);
	n->ns = xb_strdup(slash + 1);
	n->mode = XB_NDNS_RAW;
	rc = check_legacy(n, sink);
	if (rc)
		goto out;
	path = dev_path(n, n->ns, "resource");
	rc = read_u64(&n->ns_start, path);
	free(path);
	if (!rc) {
		path = dev_path(n, n->ns, "size");
		rc = read_u64(&n->ns_size, path);
		free(path);
	}
	if (rc) {
		fail(sink, rc, "%s: reading its resource and size: %s", n->ns, strerror(-rc));
		goto out;
	}
	rc = find_claim(n);
	if (rc)
		fail(sink, rc, "%s: finding the pfn or dax device that holds it: %s", n->ns,
		     strerror(-rc));
out:
	if (rc)
		xb_ndns_close(n);
	return rc;
}

void xb_ndns_close(struct xb_ndns *n)
{
	free(n->sys);
	free(n->ns);
	free(n->claim);
	memset(n, 0, sizeof(*n));
}

static const char *active(const struct xb_ndns *n)
{
	return n->claim ? n->claim : n->ns;
}

/* A child directory of dir whose name starts with prefix: "block/pmem0",
 * or the dev_dax "dax0.0" under an nd_dax device. */
static int child(char **out, const char *dir, const char *prefix, bool dotted)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = -ENOENT;

	if (!d)
		return -errno;
	while ((e = readdir(d)) && rc) {
		if (strncmp(e->d_name, prefix, strlen(prefix)) || (dotted && !strchr(e->d_name, '.')))
			continue;
		*out = xb_strdup(e->d_name);
		rc = 0;
	}
	closedir(d);
	return rc;
}

/* The /dev node of the enabled device, waited for (devtmpfs). */
static int node_of(char **out, const struct xb_ndns *n, struct xb_sink *sink)
{
	bool dax = n->mode == XB_NDNS_DEVDAX_DEV || n->mode == XB_NDNS_DEVDAX_MEM;
	char *dir = dax ? dev_path(n, active(n), NULL) : dev_path(n, active(n), "block");
	double deadline = xb_monotonic() + NODE_WAIT_S;
	struct timespec nap = { 0, 20000000L };
	char *name = NULL;
	int rc;

	while ((rc = child(&name, dir, dax ? "dax" : "pmem", dax)) == -ENOENT &&
	       xb_monotonic() < deadline)
		nanosleep(&nap, NULL);
	if (!rc) {
		*out = xb_asprintf("/dev/%s", name);
		while (access(*out, F_OK) && xb_monotonic() < deadline)
			nanosleep(&nap, NULL);
		if (access(*out, F_OK)) {
			rc = -ENODEV;
			free(*out);
		}
	}
	if (rc)
		fail(sink, rc, "%s enabled as %s, but no %s device appeared under %s within %g s",
		     active(n), xb_ndns_mode_name(n->mode), dax ? "device-dax" : "block", dir,
		     NODE_WAIT_S);
	free(name);
	free(dir);
	return rc;
}

int xb_ndns_disable(struct xb_ndns *n, struct xb_sink *sink)
{
	return unbind(n, active(n), sink);
}

int xb_ndns_enable(struct xb_ndns *n, struct xb_sink *sink)
{
	if (is_bound(n, active(n)))
		return 0;
	return bind(n, active(n), modes[n->mode].driver, sink);
}

/* Gives the namespace back: the claiming device disabled and detached
 * (the kernel then deletes it unless it is the seed), or the raw
 * namespace disabled. */
static int release(struct xb_ndns *n, struct xb_sink *sink)
{
	int rc = unbind(n, active(n), sink);

	if (!rc && n->claim) {
		rc = write_dev_attr(n, n->claim, "namespace", "\n", sink);
		free(n->claim);
		n->claim = NULL;
		n->mode = XB_NDNS_RAW;
	}
	return rc;
}

/* Zeroes the first 8 KiB through the raw block device, force_raw set so
 * that the probe does not claim the namespace for the old info block. */
static int wipe_info_block(struct xb_ndns *n, struct xb_sink *sink)
{
	static const char zero[INFO_BLOCK_BYTES];
	char *node = NULL;
	int fd, rc;

	rc = write_dev_attr(n, n->ns, "force_raw", "1", sink);
	if (!rc)
		rc = bind(n, n->ns, "nd_pmem", sink);
	if (!rc)
		rc = node_of(&node, n, sink);
	if (rc)
		goto out;
	fd = open(node, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t w = pwrite(fd, zero, sizeof(zero), 0);

		/* a short write sets no errno: -EIO, never a stale 0 */
		if (w != (ssize_t)sizeof(zero))
			rc = w < 0 ? -errno : -EIO;
		else if (fsync(fd))
			rc = -errno;
	} else {
		rc = -errno;
	}
	if (rc)
		rc = fail(sink, rc, "zeroing the info block through %s: %s", node,
			  strerror(-rc));
	if (fd >= 0)
		close(fd);
	if (!rc)
		rc = unbind(n, n->ns, sink);
out:
	if (write_dev_attr(n, n->ns, "force_raw", "0", sink) && !rc)
		rc = -EIO;
	free(node);
	return rc;
}

/* The seed of the region configured for mode m and bound. */
static int claim_with_seed(struct xb_ndns *n, enum xb_ndns_mode m, uint64_t align,
			   struct xb_sink *sink)
{
	char *region = NULL, *seed = NULL, *path = NULL, uuid[37], *a = NULL;
	int rc;

	rc = region_of(&region, n);
	if (rc) {
		fail(sink, rc, "%s: cannot find its region: %s", n->ns, strerror(-rc));
		return rc;
	}
	path = dev_path(n, region, modes[m].seed);
	rc = read_attr(&seed, path);
	if (rc || !*seed) {
		rc = fail(sink, -EOPNOTSUPP, "%s: no %s (%s): this kernel or its modules (%s) "
			  "do not offer %s", region, modes[m].seed,
			  rc ? strerror(-rc) : "empty", modes[m].driver, modes[m].name);
		goto out;
	}
	rc = xb_uuid(uuid);
	if (!rc)
		rc = write_dev_attr(n, seed, "uuid", uuid, sink);
	if (!rc)
		rc = write_dev_attr(n, seed, "mode", modes[m].map, sink);
	if (!rc && align) {
		a = xb_asprintf("%llu", (unsigned long long)align);
		rc = write_dev_attr(n, seed, "align", a, sink);
	}
	if (!rc)
		rc = write_dev_attr(n, seed, "namespace", n->ns, sink);
	if (rc)
		goto out;
	n->claim = xb_strdup(seed);
	n->mode = m;
	rc = bind(n, seed, modes[m].driver, sink);
out:
	free(a);
	free(region);
	free(seed);
	free(path);
	return rc;
}

int xb_ndns_configure(struct xb_ndns *n, enum xb_ndns_mode m, uint64_t align,
		      struct xb_sink *sink)
{
	bool was_claimed = n->claim != NULL;
	int rc;

	rc = release(n, sink);
	if (rc)
		return rc;
	if (m == XB_NDNS_RAW) {
		rc = was_claimed ? wipe_info_block(n, sink) : 0;
		return rc ? rc : bind(n, n->ns, "nd_pmem", sink);
	}
	rc = claim_with_seed(n, m, align, sink);
	if (!rc)
		return 0;
	/* Not offered here: give the namespace back, raw (wiping what the
	 * failed probe may have written), the reason already noted. */
	if (n->claim && !release(n, NULL))
		wipe_info_block(n, NULL);
	bind(n, n->ns, "nd_pmem", NULL);
	return -EOPNOTSUPP;
}

int xb_ndns_info(struct xb_ndns_info *out, const struct xb_ndns *n, struct xb_sink *sink)
{
	char *path;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!n->claim) {
		out->data_start = n->ns_start;
		out->data_size = n->ns_size;
	} else {
		path = dev_path(n, n->claim, "resource");
		rc = read_u64(&out->data_start, path);
		free(path);
		path = dev_path(n, n->claim, "size");
		if (!rc)
			rc = read_u64(&out->data_size, path);
		free(path);
		path = dev_path(n, n->claim, "align");
		if (!rc)
			rc = read_u64(&out->align, path);
		free(path);
		if (rc)
			return fail(sink, rc, "%s: reading resource, size, align: %s", n->claim,
				    strerror(-rc));
	}
	return node_of(&out->node, n, sink);
}

void xb_ndns_info_free(struct xb_ndns_info *i)
{
	free(i->node);
	i->node = NULL;
}

int xb_ndns_devdax(char **out_node, uint64_t *out_size, const char *ns_dir, uint64_t align,
		   struct xb_sink *sink)
{
	struct xb_ndns n;
	struct xb_ndns_info info;
	uint64_t now = 0;
	char *path;
	int rc;

	rc = xb_ndns_open(&n, ns_dir, sink);
	if (rc)
		return rc;
	if (n.mode == XB_NDNS_DEVDAX_DEV) {
		path = dev_path(&n, n.claim, "align");
		read_u64(&now, path);
		free(path);
	}
	if (n.mode != XB_NDNS_DEVDAX_DEV || now != align)
		rc = xb_ndns_configure(&n, XB_NDNS_DEVDAX_DEV, align, sink);
	else
		rc = xb_ndns_enable(&n, sink);
	if (!rc)
		rc = xb_ndns_info(&info, &n, sink);
	if (!rc) {
		*out_node = info.node;
		*out_size = info.data_size;
	}
	xb_ndns_close(&n);
	return rc;
}

/* ---- free memory as the kernel counts it ----------------------------- */

/* The number after key (a whole word at a line's start) in text; -1. */
static long long field(const char *text, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		char *end;
		long long v;

		if (strncmp(p, key, n) || (p[n] != ' ' && p[n] != ':' && p[n] != '\t'))
			continue;
		p += n + (p[n] == ':');
		v = strtoll(p, &end, 10);
		if (end != p && v >= 0)
			return v;
	}
	return -1;
}

int xb_meminfo_parse(struct xb_meminfo *out, const char *meminfo, const char *zoneinfo,
		     const char *vmstat)
{
	long long pcp = 0, memmap;

	out->mem_total_kib = field(meminfo, "MemTotal");
	out->mem_free_kib = field(meminfo, "MemFree");
	if (out->mem_total_kib < 0 || out->mem_free_kib < 0)
		return -EINVAL;
	/* Per-CPU lists: "pagesets / cpu: N / count: PAGES" per zone and CPU. */
	for (const char *p = zoneinfo; p && (p = strstr(p, "count:")); p += 6) {
		char *end;
		long long v = strtoll(p + 6, &end, 10);

		if (end == p + 6 || v < 0)
			return -EINVAL;
		pcp += v;
	}
	out->pcp_kib = pcp * (long long)(sysconf(_SC_PAGESIZE) / 1024);
	memmap = vmstat ? field(vmstat, "nr_memmap_pages") : -1;
	if (memmap < 0 && vmstat)
		memmap = field(vmstat, "nr_memmap");
	out->memmap_kib = memmap < 0 ? -1 : memmap * (long long)(sysconf(_SC_PAGESIZE) / 1024);
	return 0;
}

int xb_meminfo_read(struct xb_meminfo *out)
{
	char *mi = NULL, *zi = NULL, *vs = NULL;
	int rc;

	/* Folds each CPU's pending counter deltas in; absent before 4.4. */
	xb_write_attr("/proc/sys/vm/stat_refresh", "1");
	rc = xb_read_file(&mi, NULL, "/proc/meminfo");
	if (!rc)
		rc = xb_read_file(&zi, NULL, "/proc/zoneinfo");
	if (!rc) {
		xb_read_file(&vs, NULL, "/proc/vmstat");
		rc = xb_meminfo_parse(out, mi, zi, vs);
	}
	free(mi);
	free(zi);
	free(vs);
	return rc;
}
