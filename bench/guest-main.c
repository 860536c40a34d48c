// SPDX-License-Identifier: GPL-2.0
/*
 * daxbench-guest: the program a guest's /init runs. It reads the plan,
 * makes each target the plan allows (mkfs and mount for the file targets,
 * checking that DAX is what it claims), runs the benchmarks on them and
 * writes everything to the results stream. Whatever happens, the stream
 * is closed with its end marker so the host reads the reason of a failure
 * from it; as PID 1 (or with --poweroff) it then powers the machine off.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include "caps.h"
#include "error.h"
#include "fs-table.h"
#include "guest-setup.h"
#include "ndns.h"
#include "plan.h"
#include "stream-format.h"
#include "stream-writer.h"

#define PROG "daxbench-guest"
#define MAX_BENCHES 32

struct opts {
	const char *plan;
	const char *stream;
	bool poweroff;
};

struct guest {
	struct xb_kvlist plan;
	unsigned caps;
	const struct xb_bench_ops *benches[MAX_BENCHES];
	size_t nbenches;
	bool device_ready;
	bool dax_active;
	char *ns_dir;                   /* devdax target: the plan device's namespace */
	struct xb_stream_writer *w;
	struct xb_sink out;             /* the stream itself */
	struct xb_sink sink;            /* what the rest sees: see below */
	struct xb_kvlist facts;         /* facts already sent */
	int nerrors;                    /* error notes sent */
};

static void stage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Where file targets are mounted: the plan's mount_dir (a native run on a
 * test machine gets a private directory), /mnt/dax in a guest. */
static const char *mount_dir(const struct guest *g)
{
	const char *d = xb_kv_get(&g->plan, "mount_dir");

	return d && *d ? d : XB_GUEST_MNT;
}

static void stage(const char *fmt, ...)
{
	va_list ap;

	printf(PROG ": stage ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/*
 * The sink handed to benchmarks and setup wraps the stream's: an error or
 * warning note is also printed on the console, where someone watching a
 * boot sees it, and a fact sent twice with the same value (clocksource
 * comes from the setup and from the timer benchmark) goes out once.
 */
static int sink_metric(struct xb_sink *s, const char *name, const char *unit,
		       const char *direction, const char *description)
{
	struct guest *g = s->priv;

	return g->out.metric(&g->out, name, unit, direction, description);
}

static int sink_samples(struct xb_sink *s, const char *metric, int rep,
			const double *v, size_t n)
{
	struct guest *g = s->priv;

	return g->out.samples(&g->out, metric, rep, v, n);
}

static int sink_fact(struct xb_sink *s, const char *key, const char *value)
{
	struct guest *g = s->priv;
	const char *sent = xb_kv_get(&g->facts, key);

	if (sent && !strcmp(sent, value))
		return 0;
	xb_kv_set(&g->facts, key, value);
	return g->out.fact(&g->out, key, value);
}

static int sink_note(struct xb_sink *s, const char *kind, const char *subject,
		     const char *text)
{
	struct guest *g = s->priv;

	if (!strcmp(kind, "error"))
		g->nerrors++;
	if (strcmp(kind, "info"))
		fprintf(stderr, PROG ": %s: %s: %s\n", kind, subject, text);
	return g->out.note(&g->out, kind, subject, text);
}

static void guest_sink(struct guest *g)
{
	xb_stream_writer_sink(&g->out, g->w);
	g->sink = (struct xb_sink) {
		.priv = g, .metric = sink_metric, .samples = sink_samples,
		.fact = sink_fact, .note = sink_note,
	};
}

static int plan_error(struct guest *g, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int plan_error(struct guest *g, int rc, const char *fmt, ...)
{
	char *text;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		abort();
	va_end(ap);
	g->sink.note(&g->sink, "error", "plan", text);
	free(text);
	return rc;
}

static int load_benches(struct guest *g)
{
	const char *list = xb_kv_get(&g->plan, "benches");
	char *dup, *save = NULL;
	int rc = 0;

	if (!list)
		return plan_error(g, -EINVAL, "no benches= line");
	dup = xb_strdup(list);
	for (char *n = strtok_r(dup, ",", &save); n && !rc; n = strtok_r(NULL, ",", &save)) {
		const struct xb_bench_ops *b = xb_bench_find(xb_trim(n));
		struct xb_kvlist params = { 0 };

		if (!b) {
			rc = plan_error(g, -EINVAL, "unknown benchmark '%s'", xb_trim(n));
			break;
		}
		if (g->nbenches == MAX_BENCHES) {
			rc = plan_error(g, -E2BIG, "more than %d benchmarks", MAX_BENCHES);
			break;
		}
		xb_guest_bench_params(&params, &g->plan, b->name);
		rc = xb_bench_check(b, &params);
		if (rc)
			plan_error(g, rc, "%s", xb_error_last());
		g->benches[g->nbenches++] = b;
		xb_kv_free(&params);
	}
	free(dup);
	return rc;
}

static int load_plan(struct guest *g, const char *path)
{
	const char *caps;
	char *text = NULL;
	int rc;

	stage("plan %s", path);
	rc = xb_read_file(&text, NULL, path);
	if (rc)
		return plan_error(g, rc, "cannot read %s: %s", path, strerror(-rc));
	rc = xb_plan_parse(&g->plan, text);
	free(text);
	if (rc)
		return plan_error(g, rc, "%s: %s", path, xb_error_last());
	caps = xb_kv_get(&g->plan, "caps");
	if (!caps)
		return plan_error(g, -EINVAL, "no caps= line");
	if (xb_caps_parse(&g->caps, caps))
		return plan_error(g, -EINVAL, "caps '%s': unknown capability", caps);
	return load_benches(g);
}

/* The filesystem the plan names, or NULL after an error note. */
static const struct xb_fs *plan_fs(struct guest *g)
{
	const char *name = xb_kv_get(&g->plan, "fs");
	const struct xb_fs *fs = name ? xb_fs_find(name) : NULL;

	if (!fs)
		plan_error(g, -EINVAL, "fs '%s' is not one of the known filesystems",
			   name ? name : "");
	return fs;
}

static int prepare_device(struct guest *g, const char *device, const struct xb_fs *fs)
{
	const char *wait = xb_kv_get(&g->plan, "device.wait_s");
	double wait_s = XB_GUEST_WAIT_S;
	char *end = NULL;
	int rc;

	if (g->device_ready)
		return 0;
	if (wait) {
		wait_s = strtod(wait, &end);
		if (end == wait || *end || !(wait_s >= 0 && wait_s < 3600))
			return plan_error(g, -EINVAL, "device.wait_s '%s': want seconds, 0 to 3600",
					  wait);
	}
	stage("wait %s", device);
	rc = xb_guest_wait_device(device, wait_s, &g->sink);
	if (!rc)
		rc = xb_guest_device_facts(device, fs, &g->sink);
	g->device_ready = !rc;
	return rc;
}

/* A fresh filesystem per target, so one target's files and free-space
 * layout cannot shape the next one's numbers. */
/* The plan's device and filesystem, the device waited for. */
static int plan_device(struct guest *g, const char **out_device, const struct xb_fs **out_fs)
{
	*out_device = xb_kv_get(&g->plan, "device");
	*out_fs = plan_fs(g);
	if (!*out_fs)
		return -EINVAL;
	if (!*out_device)
		return plan_error(g, -EINVAL, "no device= line");
	return prepare_device(g, *out_device, *out_fs);
}

static int mount_target(struct guest *g, const struct xb_guest_target *t)
{
	const char *device;
	const struct xb_fs *fs;
	int rc;

	rc = plan_device(g, &device, &fs);
	if (rc)
		return rc;
	stage("mkfs %s %s", fs->name, device);
	rc = xb_guest_mkfs(fs, device, &g->sink);
	if (rc)
		return rc;
	stage("mount %s %s %s", t->mode, device, mount_dir(g));
	rc = xb_guest_mount(fs, device, mount_dir(g), t->dax, &g->sink);
	if (!rc && t->dax) {
		g->dax_active = true;
		rc = g->sink.fact(&g->sink, "dax.active", "always");
	}
	return rc;
}

/* The namespace behind the plan's device, which the devdax target's
 * benchmarks reconfigure (bench/ndns.h); the device itself stays unmounted. */
static int devdax_target(struct guest *g)
{
	const char *device;
	const struct xb_fs *fs;
	char *ns = NULL;
	int rc;

	rc = plan_device(g, &device, &fs);
	if (!rc)
		rc = xb_ndns_of_blockdev(&ns, "/sys/block", XB_NDNS_SYS, device, &g->sink);
	if (!rc)
		rc = g->sink.fact(&g->sink, "devdax.namespace", ns);
	if (!rc)
		g->ns_dir = xb_asprintf(XB_NDNS_SYS "/devices/%s", ns);
	free(ns);
	return rc;
}

static int skip_target(struct guest *g, const struct xb_guest_target *t,
		       const struct xb_bench_ops *const *want, size_t nwant, unsigned missing)
{
	const char *backend = xb_kv_get(&g->plan, "backend");
	char *names = xb_caps_format(missing);
	int rc = 0;

	for (size_t i = 0; i < nwant && !rc; i++) {
		char *subject = xb_asprintf("%s.%s", want[i]->name, t->mode);
		char *text = xb_asprintf("target %s needs capabilities the backend %s lacks: %s",
					 t->mode, backend ? backend : "(unnamed)", names);

		rc = g->sink.note(&g->sink, "skip", subject, text);
		free(subject);
		free(text);
	}
	free(names);
	return rc;
}

static int run_benches(struct guest *g, const struct xb_guest_target *gt,
		       const struct xb_bench_ops *const *want, size_t nwant)
{
	struct xb_target t = {
		.kind = gt->kind, .mode = gt->mode,
		.dir = gt->fs ? mount_dir(g) : gt->kind == XB_TARGET_DEVDAX ? g->ns_dir : NULL,
	};
	int rc = 0;

	for (size_t i = 0; i < nwant && !rc; i++) {
		struct xb_kvlist params = { 0 };

		stage("%s %s", want[i]->name, gt->mode);
		xb_guest_bench_params(&params, &g->plan, want[i]->name);
		rc = want[i]->run(&t, &params, &g->sink);
		xb_kv_free(&params);
		/* Each benchmark's results leave the guest as it finishes. */
		if (!rc)
			rc = xb_stream_writer_flush(g->w);
	}
	return rc;
}

static int run_target(struct guest *g, const struct xb_guest_target *t)
{
	const struct xb_bench_ops *want[MAX_BENCHES];
	size_t nwant = 0;
	unsigned missing;
	int rc, rc2;

	for (size_t i = 0; i < g->nbenches; i++) {
		struct xb_kvlist params = { 0 };

		xb_guest_bench_params(&params, &g->plan, g->benches[i]->name);
		if (xb_guest_bench_wants(g->benches[i], t, &params))
			want[nwant++] = g->benches[i];
		xb_kv_free(&params);
	}
	if (!nwant)
		return 0;
	missing = xb_guest_missing_caps(t, g->caps);
	if (missing)
		return skip_target(g, t, want, nwant, missing);
	if (t->fs) {
		rc = mount_target(g, t);
		if (rc)
			return rc;
	}
	if (t->kind == XB_TARGET_DEVDAX && !g->ns_dir) {
		rc = devdax_target(g);
		if (rc)
			return rc;
	}
	rc = run_benches(g, t, want, nwant);
	if (t->fs) {
		stage("umount %s", mount_dir(g));
		rc2 = xb_guest_umount(mount_dir(g), &g->sink);
		if (!rc)
			rc = rc2;
	}
	return rc;
}

static int run(struct guest *g, const struct opts *o)
{
	int rc;

	rc = load_plan(g, o->plan);
	if (rc)
		return rc;
	stage("facts");
	rc = xb_guest_facts(&g->sink);
	if (!rc)
		rc = xb_guest_inject(&g->plan, &g->sink);
	for (size_t i = 0; xb_guest_targets[i] && !rc; i++)
		rc = run_target(g, xb_guest_targets[i]);
	if (!rc)
		rc = xb_guest_inject_done(&g->plan, &g->sink);
	if (!rc && !g->dax_active)
		rc = g->sink.fact(&g->sink, "dax.active", "none");
	return rc;
}

/*
 * The stream must arrive byte for byte: a tty in its default cooked mode
 * turns \n into \r\n, which breaks the CRC. CLOCAL, and opening with
 * O_NONBLOCK, keep the open from waiting for a modem carrier.
 */
static int open_stream(int *out, const char *path)
{
	struct termios tio;
	int fd, rc = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOCTTY | O_NONBLOCK | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (isatty(fd)) {
		if (tcgetattr(fd, &tio)) {
			rc = -errno;
			goto out_close;
		}
		cfmakeraw(&tio);
		tio.c_cflag |= CLOCAL;
		tio.c_cflag &= ~(tcflag_t)CRTSCTS;
		if (tcsetattr(fd, TCSANOW, &tio)) {
			rc = -errno;
			goto out_close;
		}
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)) {
		rc = -errno;
		goto out_close;
	}
	*out = fd;
	return 0;
out_close:
	close(fd);
	return rc;
}

/* Waits until every byte has left: the host reads the stream only after
 * the guest powers off, and a powered-off UART sends nothing more. */
static int finish_stream(int fd)
{
	int rc = 0;

	if (isatty(fd)) {
		if (tcdrain(fd))
			rc = -errno;
	} else if (fsync(fd) && errno != EINVAL) {
		rc = -errno;
	}
	if (close(fd) && !rc)
		rc = -errno;
	return rc;
}

static int guest_main(const struct opts *o)
{
	struct guest g = { 0 };
	int fd = -1, rc, rc2;

	rc = open_stream(&fd, o->stream);
	if (rc) {
		fprintf(stderr, PROG ": error: cannot open stream %s: %s\n", o->stream,
			strerror(-rc));
		return rc;
	}
	rc = xb_stream_writer_open(&g.w, fd);
	if (rc) {
		fprintf(stderr, PROG ": error: cannot write stream %s: %s\n", o->stream,
			strerror(-rc));
		close(fd);
		return rc;
	}
	guest_sink(&g);
	rc = run(&g, o);
	/* Whatever failed without saying so still gets a reason on record. */
	if (rc && !g.nerrors)
		g.sink.note(&g.sink, "error", "run", strerror(-rc));
	stage("%s", rc ? "failed" : "done");
	rc2 = xb_stream_writer_close(g.w);
	if (!rc2)
		rc2 = finish_stream(fd);
	else
		close(fd);
	if (rc2)
		fprintf(stderr, PROG ": error: writing stream %s: %s\n", o->stream,
			strerror(-rc2));
	xb_kv_free(&g.plan);
	xb_kv_free(&g.facts);
	free(g.ns_dir);
	return rc ? rc : rc2;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [--plan FILE] [--stream FILE] [--poweroff] [--help]\n"
		"\n"
		"Runs the benchmarks a daxbench plan names and writes the results stream.\n"
		"\n"
		"  --plan FILE     plan to follow (default " XB_PLAN_GUEST_PATH ")\n"
		"  --stream FILE   results stream, a file or a tty made raw\n"
		"                  (default " XB_STREAM_GUEST_TTY ")\n"
		"  --poweroff      sync and power off at the end (implied as PID 1)\n"
		"  --help          this text\n"
		"\n"
		"  " PROG " " XB_FAULTPATH_CHILD " ...  (first) one pass of a faultpath path, run\n"
		"                  by the faultpath benchmark as perf stat's child\n"
		"\n"
		"Exit status: 0 ok, 1 error (reason in the stream and on stderr), 2 usage.\n");
}

/* 0 to run, 1 when --help was answered, -EINVAL on a usage error. */
static int parse_args(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "plan", required_argument, NULL, 'p' },
		{ "stream", required_argument, NULL, 's' },
		{ "poweroff", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': o->plan = optarg; break;
		case 's': o->stream = optarg; break;
		case 'P': o->poweroff = true; break;
		case 'h': usage(stdout); return 1;
		default: return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, PROG ": unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

static void power_off(void)
{
	sync();
#ifdef __x86_64__
	/* x86 powers off through ACPI only; without it (daxbench's own kernel
	 * config for --kernel-src) the kernel would halt, and QEMU wait for
	 * its timeout. A reset ends QEMU too: daxbench starts it -no-reboot. */
	if (access("/sys/firmware/acpi", F_OK))
		reboot(RB_AUTOBOOT);
#endif
	reboot(RB_POWER_OFF);
	/* Only reached on failure; as PID 1 the kernel panics when we exit. */
	fprintf(stderr, PROG ": error: reboot(RB_POWER_OFF): %s\n", strerror(errno));
}

int main(int argc, char **argv)
{
	struct opts o = { XB_PLAN_GUEST_PATH, XB_STREAM_GUEST_TTY, getpid() == 1 };
	int rc, status;

	/* A stream that goes to a closed pipe is an error to report, not a
	 * reason to die before the end marker and the poweroff. */
	signal(SIGPIPE, SIG_IGN);
	if (argc > 1 && !strcmp(argv[1], XB_FAULTPATH_CHILD))
		return xb_faultpath_child_main(argc - 1, argv + 1);
	xb_faultpath_reexec = true;
	rc = parse_args(&o, argc, argv);
	if (rc > 0) {
		status = 0;
	} else if (rc < 0) {
		usage(stderr);
		status = 2;
	} else {
		status = guest_main(&o) ? 1 : 0;
	}
	fflush(NULL);
	if (o.poweroff)
		power_off();
	return status;
}
