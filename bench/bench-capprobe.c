// SPDX-License-Identifier: GPL-2.0
/*
 * capprobe: what works on a DAX file mapping, and what does not.
 *
 * A DAX mapping of a device without struct page (dcssblk and axonram,
 * CONFIG_FS_DAX_LIMITED) maps raw pfns: everything that wants a struct page
 * for a user address - get_user_pages() under O_DIRECT, vmsplice,
 * io_uring buffer registration, /proc/PID/mem, process_vm_readv - may fail
 * there, while plain loads and stores work. Each probe below does one such
 * operation on a freshly mapped, prefaulted file and says whether it
 * works, fails (with the errno), crashes (with the signal) or hangs.
 *
 * Every probe runs in a child process of its own: a probe that kills its
 * process (a SIGBUS on a pfn the kernel would not map) is a result, not the
 * end of the benchmark. The outcome of each goes out as an "info" note,
 * subject capprobe.<mode>.<probe>, text "works", "fails ENAME: message",
 * "crashes SIGNAME" or "hangs", and as a metric capprobe.<mode>.<probe>.works
 * (one sample, 1 or 0) so that a comparison between kernels sees a
 * capability disappear. `daxbench capabilities` shows the matrix.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "bench.h"

#define PAGE 4096u
#define NPAGES 64u                     /* 256 KiB: a few probes' I/O sizes */
#define LEN ((size_t)NPAGES * PAGE)
#define IO_LEN (16u * PAGE)            /* fits a default 64 KiB pipe */
#define FILE_NAME "daxbench-capprobe.dat"
#define PROBE_TIMEOUT_S 20

struct env {
	const char *path;              /* the probe file */
	const char *device;            /* block device under the mount, or NULL */
	int fd;
	char *map;                     /* LEN bytes, MAP_SHARED, prefaulted */
};

static unsigned char pattern(size_t off)
{
	return (unsigned char)(off / PAGE * 7 + 1 + off % 251);
}

/* 0 when map holds the file's pattern over [off, off + len). */
static int check_pattern(const char *map, size_t off, size_t len)
{
	for (size_t i = off; i < off + len; i++)
		if ((unsigned char)map[i - off] != pattern(i))
			return -EIO;
	return 0;
}

static int probe_odirect_read(struct env *e)
{
	ssize_t n;
	int fd, rc = 0;

	if (!e->device)
		return -ENODEV;
	/* A read of the block device under the mount, not of the DAX file:
	 * DAX files do their own copying, while a block device's direct I/O
	 * must pin the user buffer - the DAX mapping - with get_user_pages. */
	fd = open(e->device, O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = pread(fd, e->map, IO_LEN, 0);
	if (n < 0)
		rc = -errno;
	else if ((size_t)n != IO_LEN)
		rc = -EIO;
	close(fd);
	return rc;
}

static int probe_vmsplice(struct env *e)
{
	struct iovec iov = { e->map, IO_LEN };
	char *buf = xb_malloc(IO_LEN);
	size_t got = 0;
	int p[2], rc = 0;
	ssize_t n;

	if (pipe(p)) {
		free(buf);
		return -errno;
	}
	n = vmsplice(p[1], &iov, 1, 0);
	if (n < 0) {
		rc = -errno;
		goto out;
	}
	while (got < (size_t)n) {
		ssize_t r = read(p[0], buf + got, (size_t)n - got);

		if (r <= 0) {
			rc = r < 0 ? -errno : -EIO;
			goto out;
		}
		got += (size_t)r;
	}
	rc = check_pattern(buf, 0, got);
out:
	close(p[0]);
	close(p[1]);
	free(buf);
	return rc;
}

#if defined(__NR_io_uring_setup) && defined(__NR_io_uring_register)
/* Raw syscalls: liburing need not be there, and only two calls are needed.
 * The parameter block of io_uring_setup is 120 bytes in every kernel
 * version; zeroed, it asks for nothing special. */
static int probe_io_uring_register(struct env *e)
{
	unsigned char params[120] = { 0 };
	struct iovec iov = { e->map, IO_LEN };
	const unsigned register_buffers = 0;   /* IORING_REGISTER_BUFFERS */
	int ring, rc = 0;

	ring = (int)syscall(__NR_io_uring_setup, 4, params);
	if (ring < 0)
		return -errno;
	if (syscall(__NR_io_uring_register, ring, register_buffers, &iov, 1) < 0)
		rc = -errno;
	close(ring);
	return rc;
}
#else
static int probe_io_uring_register(struct env *e)
{
	(void)e;
	return -ENOSYS;
}
#endif

/* Reaps a grandchild: its signal becomes ours, so a crash in it is
 * recorded as a crash of the probe. */
static int reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (WIFSIGNALED(status)) {
		signal(WTERMSIG(status), SIG_DFL);
		raise(WTERMSIG(status));
	}
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EIO;
}

/* Child writes every page and reads it back, through a mapping it
 * inherited (fork copies no DAX ptes of a shared mapping: it refaults). */
static int touch_in_child(char *map)
{
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (!pid) {
		for (size_t i = 0; i < LEN; i += PAGE) {
			map[i] = (char)pattern(i);
			if ((unsigned char)map[i] != pattern(i))
				_exit(1);
		}
		_exit(0);
	}
	return reap(pid);
}

static int probe_fork_shared(struct env *e)
{
	int rc = touch_in_child(e->map);

	return rc ? rc : check_pattern(e->map, 0, LEN);
}

/* A private mapping copies on write from the DAX pfn: the parent dirties
 * one page before the fork, the child all of them after it. */
static int probe_fork_private(struct env *e)
{
	char *priv = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE, e->fd, 0);
	int rc;

	if (priv == MAP_FAILED)
		return -errno;
	priv[0] = (char)~pattern(0);
	rc = touch_in_child(priv);
	if (!rc && (unsigned char)priv[0] != (unsigned char)~pattern(0))
		rc = -EIO;
	munmap(priv, LEN);
	return rc;
}

static int probe_madvise_dontneed(struct env *e)
{
	if (madvise(e->map, LEN, MADV_DONTNEED))
		return -errno;
	return check_pattern(e->map, 0, LEN);
}

static int probe_madvise_willneed(struct env *e)
{
	if (madvise(e->map, LEN, MADV_WILLNEED))
		return -errno;
	return check_pattern(e->map, 0, LEN);
}

static int probe_mprotect(struct env *e)
{
	if (mprotect(e->map, LEN, PROT_READ))
		return -errno;
	if (check_pattern(e->map, 0, LEN))
		return -EIO;
	if (mprotect(e->map, LEN, PROT_READ | PROT_WRITE))
		return -errno;
	e->map[0] = (char)pattern(0);
	return 0;
}

static int probe_mremap(struct env *e)
{
	/* Reserve a new place, then move the mapping there. */
	char *to = mmap(NULL, LEN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *moved;

	if (to == MAP_FAILED)
		return -errno;
	moved = mremap(e->map, LEN, LEN, MREMAP_MAYMOVE | MREMAP_FIXED, to);
	if (moved == MAP_FAILED)
		return -errno;
	e->map = moved;
	return check_pattern(moved, 0, LEN);
}

static int probe_mlock(struct env *e)
{
	if (mlock(e->map, LEN))
		return -errno;
	munlock(e->map, LEN);
	return 0;
}

/* Both reach the mapping through get_user_pages of another mm path. */
static int probe_proc_mem(struct env *e)
{
	char *buf = xb_malloc(IO_LEN);
	ssize_t n;
	int fd, rc;

	fd = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	n = pread(fd, buf, IO_LEN, (off_t)(uintptr_t)e->map);
	rc = n < 0 ? -errno : (size_t)n != IO_LEN ? -EIO : check_pattern(buf, 0, IO_LEN);
	close(fd);
	free(buf);
	return rc;
}

static int probe_process_vm_readv(struct env *e)
{
	char *buf = xb_malloc(IO_LEN);
	struct iovec local = { buf, IO_LEN }, remote = { e->map, IO_LEN };
	ssize_t n;
	int rc;

	n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
	rc = n < 0 ? -errno : (size_t)n != IO_LEN ? -EIO : check_pattern(buf, 0, IO_LEN);
	free(buf);
	return rc;
}

static const struct probe {
	const char *name;
	int (*fn)(struct env *e);
} probes[] = {
	{ "odirect_read", probe_odirect_read },
	{ "vmsplice", probe_vmsplice },
	{ "io_uring_register", probe_io_uring_register },
	{ "fork_shared", probe_fork_shared },
	{ "fork_private", probe_fork_private },
	{ "madvise_dontneed", probe_madvise_dontneed },
	{ "madvise_willneed", probe_madvise_willneed },
	{ "mprotect", probe_mprotect },
	{ "mremap", probe_mremap },
	{ "mlock", probe_mlock },
	{ "proc_mem_read", probe_proc_mem },
	{ "process_vm_readv", probe_process_vm_readv },
};

/* The probe process: map, prefault, probe, report the errno on fd. */
static void __attribute__((noreturn)) child(const struct probe *p, struct env *e, int fd)
{
	int rc = 0;

	alarm(PROBE_TIMEOUT_S);
	e->fd = open(e->path, O_RDWR | O_CLOEXEC);
	if (e->fd < 0)
		rc = -errno;
	if (!rc) {
		e->map = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, e->fd, 0);
		if (e->map == MAP_FAILED)
			rc = -errno;
	}
	/* Prefault: the probes ask about mapped pages, not about faults. */
	if (!rc)
		rc = check_pattern(e->map, 0, LEN);
	if (!rc)
		rc = p->fn(e);
	if (write(fd, &rc, sizeof(rc)) != sizeof(rc))
		_exit(3);
	_exit(0);
}

/* Outcome of one probe as note text; *works set when it worked. */
static char *run_probe(const struct probe *p, struct env *e, bool *works)
{
	int pfd[2], rc = 0, status;
	ssize_t n;
	pid_t pid;

	*works = false;
	if (pipe2(pfd, O_CLOEXEC))
		return xb_asprintf("fails %s: pipe: %s", strerrorname_np(errno), strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		rc = errno;
		close(pfd[0]);
		close(pfd[1]);
		return xb_asprintf("fails %s: fork: %s", strerrorname_np(rc), strerror(rc));
	}
	if (!pid) {
		close(pfd[0]);
		child(p, e, pfd[1]);
	}
	close(pfd[1]);
	n = read(pfd[0], &rc, sizeof(rc));
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status))
		return WTERMSIG(status) == SIGALRM ? xb_strdup("hangs") :
			xb_asprintf("crashes SIG%s", sigabbrev_np(WTERMSIG(status)));
	if (n != sizeof(rc))
		return xb_strdup("fails: the probe process reported nothing");
	*works = !rc;
	if (!rc)
		return xb_strdup("works");
	return xb_asprintf("fails %s: %s", strerrorname_np(-rc), strerror(-rc));
}

static int make_file(const char *path, struct xb_sink *sink)
{
	unsigned char *buf = xb_malloc(LEN);
	int fd, rc = 0;

	for (size_t i = 0; i < LEN; i++)
		buf[i] = pattern(i);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	rc = xb_write_all(fd, buf, LEN);
	if (!rc && fsync(fd))
		rc = -errno;
	close(fd);
out:
	if (rc)
		xb_sink_notef(sink, "error", "capprobe", "cannot write %s: %s", path,
			      strerror(-rc));
	free(buf);
	return rc;
}

/* The block device mounted on dir (the last /proc/mounts entry for it). */
static char *mount_source(const char *dir)
{
	char *text = NULL, *save = NULL, *found = NULL;

	if (xb_read_file(&text, NULL, "/proc/mounts"))
		return NULL;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char src[256], mnt[256];

		if (sscanf(l, "%255s %255s", src, mnt) == 2 && !strcmp(mnt, dir) &&
		    !strncmp(src, "/dev/", 5)) {
			free(found);
			found = xb_strdup(src);
		}
	}
	free(text);
	return found;
}

static int probe_all(const struct xb_target *t, struct env *e, struct xb_sink *sink)
{
	int rc = 0;

	for (size_t i = 0; i < XB_ARRAY_SIZE(probes) && !rc; i++) {
		char *subject = xb_asprintf("capprobe.%s.%s", t->mode, probes[i].name);
		char *metric = xb_asprintf("%s.works", subject);
		bool works = false;
		char *text = NULL;
		double v;

		/* Fresh contents each time: odirect_read overwrites the file. */
		rc = make_file(e->path, sink);
		if (!rc) {
			text = run_probe(&probes[i], e, &works);
			rc = sink->note(sink, "info", subject, text);
		}
		v = works;
		if (!rc)
			rc = sink->metric(sink, metric, "bool", "higher",
					  "1 when the operation worked on a mapped file of this target");
		if (!rc)
			rc = sink->samples(sink, metric, 0, &v, 1);
		free(text);
		free(metric);
		free(subject);
	}
	return rc;
}

/* /proc/sys/kernel/tainted, or -1 when unreadable. */
static long tainted(void)
{
	char *text = NULL;
	long v = -1;

	if (!xb_read_file(&text, NULL, "/proc/sys/kernel/tainted"))
		v = strtol(text, NULL, 10);
	free(text);
	return v;
}

static int capprobe_run(const struct xb_target *t, const struct xb_kvlist *params,
			struct xb_sink *sink)
{
	struct env e = { 0 };
	char *path = xb_asprintf("%s/%s", t->dir, FILE_NAME);
	long before = tainted(), after;
	int rc;

	(void)params;
	e.path = path;
	e.device = mount_source(t->dir);
	rc = probe_all(t, &e, sink);
	/* A probe that works or fails cleanly may still leave the kernel
	 * complaining ("BUG: Bad page map" taints it with B): say so. */
	after = tainted();
	if (!rc && after != before)
		rc = xb_sink_notef(sink, "warning", "capprobe",
				   "kernel taint changed from %ld to %ld while probing the %s target (see the console)",
				   before, after, t->mode);
	unlink(path);
	free((char *)e.device);
	free(path);
	return rc;
}

static const char *const capprobe_params[] = { "modes", NULL };

const struct xb_bench_ops xb_bench_capprobe = {
	.name = "capprobe",
	.description = "which operations work on a DAX mapping (O_DIRECT, vmsplice, io_uring, fork, madvise ...)",
	.targets = XB_TARGET_DAX | XB_TARGET_PAGECACHE,
	.params = capprobe_params,
	.run = capprobe_run,
};
