// SPDX-License-Identifier: GPL-2.0
/*
 * daxbench-share-guest: the program each guest of a sharing experiment
 * runs (daxbench share, and the sharing guests of the dcssblk-emu backend,
 * which name their device and stream with daxbench.dev= and
 * daxbench.stream=). It mounts the shared /usr image read-only (DAX or
 * not, as the kernel command line's daxbench.mode says), optionally times
 * exec startup of programs from it, runs the fixed workload (exec a set of
 * its programs through the image's own loader, read a set of its files),
 * writes what the guest itself sees (Cached, MemFree, the struct-page cost
 * of the DAX region, bytes read) to the results stream, prints
 * "daxbench-share: ready" and then WAITS: the host measures every guest's
 * memory while all of them are alive, then stops them. The mount is
 * read-only with noload, so stopping a guest loses nothing.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "plan.h"
#include "stream-format.h"
#include "stream-writer.h"

#define PROG "daxbench-share-guest"
#define MNT "/mnt/usr"
#define SHARE_PLAN "/daxbench/share-plan"
#define HYPERFINE "/usr/bin/hyperfine"
#define MAX_PROGS 8
#define MAX_ARGS 8

struct prog {
	char *name;
	char *argv[MAX_ARGS + 1];
};

struct guest {
	char mode[32];          /* dax | pagecache | blk */
	char dev[64];
	char stream[64];        /* results channel: a tty, or a virtio port (s390x) */
	char fs[16];            /* ext4 | erofs */
	bool exec_bench;
	bool no_read;           /* daxbench.read=0: no read workload */
	struct xb_kvlist plan;
	struct prog progs[MAX_PROGS];
	size_t nprogs;
	struct xb_stream_writer *w;
};

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	printf(PROG ": ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* daxbench.mode=, .dev=, .fs=, .stream=, .exec=1, .read=0 from /proc/cmdline. */
static void parse_cmdline(struct guest *g)
{
	char buf[4096] = { 0 }, *save = NULL;
	FILE *f = fopen("/proc/cmdline", "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
	}
	for (char *t = strtok_r(buf, " \n", &save); t; t = strtok_r(NULL, " \n", &save)) {
		if (!strncmp(t, "daxbench.mode=", 14))
			snprintf(g->mode, sizeof(g->mode), "%s", t + 14);
		else if (!strncmp(t, "daxbench.fs=", 12))
			snprintf(g->fs, sizeof(g->fs), "%s", t + 12);
		else if (!strncmp(t, "daxbench.dev=", 13))
			snprintf(g->dev, sizeof(g->dev), "%s", t + 13);
		else if (!strncmp(t, "daxbench.stream=", 16))
			snprintf(g->stream, sizeof(g->stream), "%s", t + 16);
		else if (!strcmp(t, "daxbench.exec=1"))
			g->exec_bench = true;
		else if (!strcmp(t, "daxbench.read=0"))
			g->no_read = true;
	}
}

/* exec.N=name|/path|arg|arg ... in the plan. */
static int load_plan(struct guest *g)
{
	char *text = NULL;
	int rc = xb_read_file(&text, NULL, SHARE_PLAN);

	if (!rc)
		rc = xb_plan_parse(&g->plan, text);
	free(text);
	for (int i = 0; !rc && i < MAX_PROGS; i++) {
		char key[16], *save = NULL, *s;
		const char *v;
		int k = 0;

		snprintf(key, sizeof(key), "exec.%d", i);
		v = xb_kv_get(&g->plan, key);
		if (!v)
			break;
		s = xb_strdup(v);
		struct prog *p = &g->progs[g->nprogs++];

		p->name = strtok_r(s, "|", &save);
		for (char *a; k < MAX_ARGS && (a = strtok_r(NULL, "|", &save)); )
			p->argv[k++] = a;
		if (!p->name || !k)
			rc = -EINVAL;
	}
	return rc;
}

static long meminfo_kib(const char *field)
{
	char line[256];
	size_t n = strlen(field);
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, field, n) && line[n] == ':')
			v = strtol(line + n + 1, NULL, 10);
	if (f)
		fclose(f);
	return v;
}

static int emit1(struct guest *g, const char *name, const char *unit, const char *desc,
		 double v)
{
	int rc = xb_stream_write_metric(g->w, name, unit, "none", desc);

	return rc ? rc : xb_stream_write_samples(g->w, name, 0, &v, 1);
}

static int wait_device(const char *dev, double limit_s)
{
	double t0 = now();
	struct stat st;

	while (stat(dev, &st)) {
		if (now() - t0 > limit_s)
			return -ENODEV;
		usleep(50000);
	}
	return 0;
}

/* nd_pmem is loaded here, not by /init, so that the memory its probe takes
 * - the struct pages (vmemmap) of the DAX region - is seen as the drop of
 * MemFree across the load. */
static int load_pmem(struct guest *g, double *out_vmemmap_kib)
{
	char path[512], rel[256] = { 0 }, line[256];
	FILE *f = fopen("/daxbench/late-modules", "r");
	long before, after;
	int fd, rc = 0;

	*out_vmemmap_kib = -1;
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		snprintf(rel, sizeof(rel), "%s", xb_trim(line));
	fclose(f);
	if (!*rel)
		return 0;
	snprintf(path, sizeof(path), "/lib/modules/%s", rel);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	sync();
	before = meminfo_kib("MemFree");
	if (syscall(SYS_finit_module, fd, "", 0))
		rc = -errno;
	close(fd);
	if (!rc && !strcmp(g->mode, "blk"))
		return 0;
	if (!rc)
		rc = wait_device(g->dev, 20);
	after = meminfo_kib("MemFree");
	if (!rc && before > 0 && after > 0)
		*out_vmemmap_kib = (double)(before - after);
	return rc;
}

static bool dax_active(void)
{
	char line[512];
	bool dax = false;
	FILE *f = fopen("/proc/mounts", "r");

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, " " MNT " ") && strstr(line, "dax"))
			dax = true;
	if (f)
		fclose(f);
	return dax;
}

static int mount_image(struct guest *g)
{
	bool dax = !strcmp(g->mode, "dax");
	int rc;

	mkdir("/mnt", 0755);
	mkdir(MNT, 0755);
	rc = wait_device(g->dev, 30);
	if (rc) {
		say("error: device %s did not appear", g->dev);
		return rc;
	}
	bool erofs = !strcmp(g->fs, "erofs");
	/* ext4: noload, no journal replay on a read-only image; erofs has no
	 * journal, and dax=always gives DAX to its flat, plain files */
	const char *opts = erofs ? (dax ? "dax=always" : "") : (dax ? "noload,dax" : "noload");

	if (mount(g->dev, MNT, erofs ? "erofs" : "ext4", MS_RDONLY, opts)) {
		rc = -errno;
		say("error: mount of the shared %s image failed: %s", erofs ? "erofs" : "ext4",
		    strerror(-rc));
		return rc;
	}
	if (dax != dax_active()) {
		say("error: %s", dax ? "DAX requested but the mount is not DAX" :
				       "a page-cache mount shows dax");
		return -EINVAL;
	}
	rc = xb_stream_write_hdr(g->w, "mount.fs", g->fs);
	return rc ? rc : xb_stream_write_hdr(g->w, "mount.dax", dax ? "1" : "0");
}

/* fork, chroot into the image (its own loader and libraries), exec, wait. */
static int run_prog(const struct prog *p, double *out_s)
{
	double t0 = now();
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		if (chroot(MNT) || chdir("/"))
			_exit(126);
		execv(p->argv[0], p->argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	*out_s = now() - t0;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return -ENOEXEC;
	return 0;
}

/* The command line hyperfine runs for a program: "/bin/chroot MNT prog
 * args" (busybox chroot, then the image's loader); NULL-terminated, the
 * strings are p's. */
static void chroot_cmd(const char *out[MAX_ARGS + 3], const struct prog *p)
{
	int k = 0;

	out[k++] = "/bin/chroot";
	out[k++] = MNT;
	for (int i = 0; p->argv[i]; i++)
		out[k++] = p->argv[i];
	out[k] = NULL;
}

/* hyperfine (copied into the initramfs from the host, where installed) on
 * the same command line as timer_cmd(): --shell=none, --warmup 1, the same
 * number of runs. Its --export-json goes into the stream as a note; the
 * host parses it and compares. */
static int hyperfine(struct guest *g, const struct prog *p, long long reps)
{
	struct xb_buf cmd = { 0 };
	const char *argv[MAX_ARGS + 3];
	char runs[32], subject[64], *json = NULL;
	int status, rc = 0;
	pid_t pid;

	if (access(HYPERFINE, X_OK))
		return 0;
	chroot_cmd(argv, p);
	for (int k = 0; argv[k]; k++)
		xb_buf_addf(&cmd, "%s%s", k ? " " : "", argv[k]);
	snprintf(runs, sizeof(runs), "%lld", reps);
	unlink("/tmp/hyperfine.json");
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execl(HYPERFINE, HYPERFINE, "--shell=none", "--warmup", "1", "--runs", runs,
		      "--style", "none", "--export-json", "/tmp/hyperfine.json", cmd.p, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) || xb_read_file(&json, NULL, "/tmp/hyperfine.json")) {
		snprintf(subject, sizeof(subject), "hyperfine.%s", p->name);
		rc = xb_stream_write_note(g->w, "warning", subject, "hyperfine did not run or wrote no JSON");
		goto out;
	}
	snprintf(subject, sizeof(subject), "hyperfine.%s", p->name);
	rc = xb_stream_write_note(g->w, "info", subject, json);
out:
	free(json);
	xb_buf_free(&cmd);
	return rc;
}

/* posix_spawn of the command line and wait, spawned the way hyperfine
 * 1.15 spawns it (Rust's Command: posix_spawn, a vfork-style clone, stdin,
 * stdout and stderr on /dev/null, every signal disposition reset to its
 * default, an empty signal mask, the parent's environment). */
static int run_cmd(char *const argv[], double *out_s)
{
	extern char **environ;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t all, none;
	double t0;
	pid_t pid;
	int status, rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawnattr_init(&at);
	sigfillset(&all);
	sigemptyset(&none);
	posix_spawnattr_setsigdefault(&at, &all);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	t0 = now();
	rc = posix_spawn(&pid, argv[0], &fa, &at, argv, environ);
	if (!rc && waitpid(pid, &status, 0) != pid)
		rc = errno;
	*out_s = now() - t0;
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	if (rc)
		return -rc;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -ENOEXEC;
}

/* The in-guest timer on exactly hyperfine's command line, with its
 * warmup: one untimed run, then reps timed, into v (us). */
static int timer_cmd(const struct prog *p, long long reps, double *v)
{
	const char *argv[MAX_ARGS + 3];
	double t;
	int rc;

	chroot_cmd(argv, p);
	rc = run_cmd((char *const *)argv, &t);
	for (long long k = 0; !rc && k < reps; k++) {
		rc = run_cmd((char *const *)argv, &t);
		v[k] = t * 1e6;
	}
	if (rc)
		say("error: '/bin/chroot " MNT " %s' failed: %s", p->argv[0], strerror(-rc));
	return rc;
}

/* The cross-check of one program: the in-guest timer on hyperfine's
 * command line for reps runs, hyperfine for reps runs, the timer again
 * for reps runs. Both timer batches go into exec.<prog>.cmd.warm.us (2 x
 * reps samples, bracketing hyperfine in time, so a drift of the machine's
 * speed during the check falls on both sides); how far the second batch's
 * median moved from the first's is exec.<prog>.cmd.drift.pct, the noise
 * floor the hyperfine difference is read against. */
static int crosscheck(struct guest *g, const struct prog *p, long long reps)
{
	double *v = calloc(2 * (size_t)reps, sizeof(double)), *c = NULL, drift;
	char name[128];
	int rc = timer_cmd(p, reps, v);

	if (!rc)
		rc = hyperfine(g, p, reps);
	if (!rc)
		rc = timer_cmd(p, reps, v + reps);
	snprintf(name, sizeof(name), "exec.%s.cmd.warm.us", p->name);
	if (!rc)
		rc = xb_stream_write_metric(g->w, name, "us", "lower",
					    "posix_spawn+wait of hyperfine's command line "
					    "'/bin/chroot MNT prog' as hyperfine spawns it, "
					    "1 warmup; reps before and reps after hyperfine");
	if (!rc)
		rc = xb_stream_write_samples(g->w, name, 0, v, 2 * (size_t)reps);
	if (!rc) {
		c = xb_malloc(2 * (size_t)reps * sizeof(double));
		memcpy(c, v, 2 * (size_t)reps * sizeof(double));
		drift = 100 * (xb_median(c + reps, (size_t)reps) / xb_median(c, (size_t)reps) - 1);
		snprintf(name, sizeof(name), "exec.%s.cmd.drift.pct", p->name);
		rc = emit1(g, name, "%", "median of the timer batch after hyperfine against the one before", drift);
	}
	free(c);
	free(v);
	return rc;
}

static void drop_caches(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

	sync();
	if (fd >= 0) {
		if (write(fd, "3", 1) != 1)
			say("warning: %s", "drop_caches failed");
		close(fd);
	}
}

/* Cold: the first exec of each program after dropping the caches (for
 * DAX there is no file cache to drop: every exec maps the device). Warm:
 * reps more, back to back. */
static int exec_bench(struct guest *g)
{
	long long reps = 20;
	const char *r = xb_kv_get(&g->plan, "exec_reps");
	int rc = 0;

	if (r && xb_parse_int(&reps, r, 1, 10000))
		return -EINVAL;
	for (size_t i = 0; !rc && i < g->nprogs; i++) {
		const struct prog *p = &g->progs[i];
		double cold, *warm = calloc((size_t)reps, sizeof(double));
		char name[128];

		drop_caches();
		rc = run_prog(p, &cold);
		for (long long k = 0; !rc && k < reps; k++)
			rc = run_prog(p, &warm[k]);
		if (!rc) {
			for (long long k = 0; k < reps; k++)
				warm[k] *= 1e6;
			snprintf(name, sizeof(name), "exec.%s.cold.us", p->name);
			rc = emit1(g, name, "us", "fork+exec+wait, first after drop_caches", cold * 1e6);
			snprintf(name, sizeof(name), "exec.%s.warm.us", p->name);
			if (!rc)
				rc = xb_stream_write_metric(g->w, name, "us", "lower",
							    "fork+exec+wait, repeated");
			if (!rc)
				rc = xb_stream_write_samples(g->w, name, 0, warm, (size_t)reps);
			if (!rc && !access(HYPERFINE, X_OK))
				rc = crosscheck(g, p, reps);
		} else {
			say("error: exec of %s from the image failed", p->name);
		}
		free(warm);
	}
	return rc;
}

static int read_tree(const char *dir, double *bytes, double *files)
{
	static char buf[1 << 16];
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		char path[4096];
		struct stat st;
		ssize_t n;
		int fd;

		if (e->d_name[0] == '.' && (!e->d_name[1] || !strcmp(e->d_name, "..")))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (lstat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			read_tree(path, bytes, files);
			continue;
		}
		if (!S_ISREG(st.st_mode) || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			*bytes += (double)n;
		*files += 1;
		close(fd);
	}
	closedir(d);
	return 0;
}

/* The fixed workload: every program once, then every file under the
 * plan's read= directories (comma-separated, inside the image). */
static int workload(struct guest *g)
{
	const char *dirs = xb_kv_get(&g->plan, "read");
	double bytes = 0, files = 0, t, t0 = now();
	char *copy = xb_strdup(dirs ? dirs : ""), *save = NULL;
	int rc = 0;

	for (size_t i = 0; !rc && i < g->nprogs; i++)
		rc = run_prog(&g->progs[i], &t);
	for (char *d = strtok_r(copy, ",", &save); !rc && d; d = strtok_r(NULL, ",", &save)) {
		char path[1024];

		snprintf(path, sizeof(path), MNT "%s", d);
		rc = read_tree(path, &bytes, &files);
	}
	free(copy);
	if (rc)
		return rc;
	rc = emit1(g, "workload.read.bytes", "B", "file data the workload read", bytes);
	if (!rc)
		rc = emit1(g, "workload.read.files", "count", "files the workload read", files);
	if (!rc)
		rc = emit1(g, "workload.s", "s", "workload duration", now() - t0);
	return rc;
}

static int open_stream(int *out, const char *path)
{
	struct termios tio;
	int fd = open(path, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (!tcgetattr(fd, &tio)) {
		cfmakeraw(&tio);
		tio.c_cflag |= CLOCAL;
		tio.c_cflag &= ~(tcflag_t)CRTSCTS;
		tcsetattr(fd, TCSANOW, &tio);
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	*out = fd;
	return 0;
}

static int measure(struct guest *g)
{
	double vmemmap = -1, region = 0;
	char path[128], *sz = NULL;
	long cached0, cached1;
	int rc;

	rc = load_pmem(g, &vmemmap);
	if (rc) {
		say("error: loading nd_pmem failed: %s", strerror(-rc));
		return rc;
	}
	snprintf(path, sizeof(path), "/sys/block/%s/size", strrchr(g->dev, '/') + 1);
	if (!xb_read_file(&sz, NULL, path))
		region = strtod(sz, NULL) * 512;
	free(sz);
	rc = mount_image(g);
	if (!rc && vmemmap >= 0 && region > 0) {
		rc = emit1(g, "guest.vmemmap.kib", "KiB",
			   "MemFree drop across the nd_pmem probe (struct pages of the region)",
			   vmemmap);
		if (!rc)
			rc = emit1(g, "guest.region.bytes", "B", "size of the shared device", region);
	}
	cached0 = meminfo_kib("Cached");
	/* share's exec boot (daxbench.exec=1 daxbench.read=0) times execs
	 * only: the host takes nothing else from it, so it skips reading the
	 * image; dcssblk-emu's first sharing guest does both */
	if (!rc && g->exec_bench)
		rc = exec_bench(g);
	if (!rc && !g->no_read)
		rc = workload(g);
	cached1 = meminfo_kib("Cached");
	if (!rc)
		rc = emit1(g, "guest.cached.kib", "KiB", "Cached after the workload", (double)cached1);
	if (!rc)
		rc = emit1(g, "guest.cached_delta.kib", "KiB", "Cached growth over the workload",
			   (double)(cached1 - cached0));
	if (!rc)
		rc = emit1(g, "guest.memfree.kib", "KiB", "MemFree after the workload",
			   (double)meminfo_kib("MemFree"));
	return rc;
}

int main(void)
{
	struct guest g = { .dev = "/dev/pmem0", .stream = XB_STREAM_GUEST_TTY, .fs = "ext4" };
	int fd = -1, rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	parse_cmdline(&g);
	rc = open_stream(&fd, g.stream);
	if (rc) {
		say("error: cannot open the results channel: %s", strerror(-rc));
		goto wait;
	}
	rc = xb_stream_writer_open(&g.w, fd);
	if (rc)
		goto wait;
	xb_stream_write_hdr(g.w, "share.mode", g.mode);
	rc = load_plan(&g);
	if (rc)
		xb_stream_write_note(g.w, "error", "plan", "cannot read " SHARE_PLAN);
	if (!rc)
		rc = measure(&g);
	if (rc)
		xb_stream_write_note(g.w, "error", "share", strerror(-rc));
	xb_stream_writer_close(g.w);
	tcdrain(fd);
wait:
	/* the host counts on this line: it measures now, then stops us */
	say("%s", rc ? "failed" : "ready");
	for (;;)
		pause();
}
