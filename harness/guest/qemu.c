// SPDX-License-Identifier: GPL-2.0
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "common.h"
#include "error.h"
#include "qemu.h"
#include "arch.h"
#include "clock.h"

#define CONSOLE_TAIL_LINES 40
/* After a panic message, how long QEMU gets to exit by itself (panic=-1
 * reboots at once, and -no-reboot turns that into an exit). */
#define PANIC_GRACE_S 10.0

void xb_argv_add(struct xb_argv *a, const char *s)
{
	a->v = xb_realloc(a->v, (a->n + 2) * sizeof(char *));
	a->v[a->n++] = xb_strdup(s);
	a->v[a->n] = NULL;
}

void xb_argv_addf(struct xb_argv *a, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xb_vasprintf(fmt, ap);
	va_end(ap);
	xb_argv_add(a, s);
	free(s);
}

void xb_argv_free(struct xb_argv *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	a->v = NULL;
	a->n = 0;
}

int xb_qemu_argv(struct xb_argv *a, const struct xb_qemu_opts *o)
{
	const struct xb_arch *ar = xb_arch_find(o->arch);

	assert(ar);   /* the run checked the backend's architecture */
	xb_argv_add(a, o->binary);
	xb_argv_add(a, "-nodefaults");
	xb_argv_add(a, "-no-user-config");
	xb_argv_add(a, "-display");
	xb_argv_add(a, "none");
	xb_argv_add(a, "-no-reboot");
	/* Guest RAM not offered to the host's KSM (QEMU's default offers it):
	 * a host running ksmd would otherwise merge guests' pages and move
	 * their memory figures. share's ksm mode turns it on again (a later
	 * -machine mem-merge=on wins). */
	xb_argv_add(a, "-machine");
	xb_argv_add(a, "mem-merge=off");
	xb_argv_add(a, "-accel");
	if (o->icount) {
		assert(!strcmp(o->accel, "tcg"));
		xb_argv_add(a, XB_ICOUNT_ACCEL);
		xb_argv_add(a, "-icount");
		xb_argv_add(a, XB_ICOUNT_OPTS);
		xb_argv_add(a, "-rtc");
		xb_argv_add(a, XB_ICOUNT_RTC);
	} else {
		xb_argv_add(a, strcmp(o->accel, "tcg") ? o->accel : "tcg,thread=multi");
	}
	if (o->cpu) {
		xb_argv_add(a, "-cpu");
		xb_argv_add(a, o->cpu);
	}
	xb_argv_add(a, "-m");
	xb_argv_addf(a, "%u%s%s", o->mem_mb, o->mem_extra ? "" : "M",
		     o->mem_extra ? o->mem_extra : "");
	xb_argv_add(a, "-smp");
	xb_argv_addf(a, "%u", o->smp ? o->smp : 1);
	xb_argv_add(a, "-kernel");
	xb_argv_add(a, o->kernel);
	xb_argv_add(a, "-initrd");
	xb_argv_add(a, o->initrd);
	xb_argv_add(a, "-append");
	xb_argv_add(a, o->append);
	xb_argv_add(a, "-chardev");
	xb_argv_addf(a, "file,id=con,path=%s", o->console_path);
	if (ar->firmware) {
		xb_argv_add(a, "-L");
		xb_argv_add(a, ar->firmware);
	}
	if (ar->machine) {
		xb_argv_add(a, "-machine");
		xb_argv_add(a, ar->machine);
	}
	if (ar->console) {
		xb_argv_add(a, "-device");
		xb_argv_addf(a, "%s,chardev=con", ar->console);
	}
	if (ar->stream_bus && o->stream_path) {
		xb_argv_add(a, "-device");
		xb_argv_add(a, ar->stream_bus);
		xb_argv_add(a, "-chardev");
		xb_argv_addf(a, "file,id=res,path=%s", o->stream_path);
		xb_argv_add(a, "-device");
		xb_argv_add(a, "virtserialport,chardev=res,name=stream");
	}
	if (ar->console)
		goto extra;
	xb_argv_add(a, "-serial");
	xb_argv_add(a, "chardev:con");
	if (o->stream_path) {
		xb_argv_add(a, "-chardev");
		xb_argv_addf(a, "file,id=res,path=%s", o->stream_path);
		xb_argv_add(a, "-serial");
		xb_argv_add(a, "chardev:res");
	}
extra:
	for (size_t i = 0; o->extra && i < o->extra->n; i++)
		xb_argv_add(a, o->extra->v[i]);
	return 0;
}

static pid_t spawn(const struct xb_argv *a, const char *stderr_path, const char *console)
{
	pid_t parent = getpid(), pid = fork();

	if (pid != 0)
		return pid;
	/* own process group: a terminal's Ctrl-C reaches daxbench, which
	 * stops the guest and records why; and die with daxbench */
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/*
	 * No transparent huge pages for guest RAM, whatever the host's THP
	 * setting: QEMU madvises its RAM MADV_HUGEPAGE, and then one guest
	 * write makes the host allocate 2 MiB, so a guest's host memory (the
	 * sharing figures) and its TLB behaviour under TCG would depend on
	 * the host. The flag survives execve.
	 */
	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	if (getppid() != parent)
		_exit(127);
	int fd = open("/dev/null", O_RDWR);

	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
	}
	if (console)   /* the program itself is the console */
		stderr_path = console;
	fd = stderr_path ? open(stderr_path, O_WRONLY | O_CREAT | O_TRUNC, 0644) : -1;
	if (fd >= 0) {
		dup2(fd, 2);
		if (console)
			dup2(fd, 1);
	}
	execvp(a->v[0], a->v);
	fprintf(stderr, "cannot run %s: %s\n", a->v[0], strerror(errno));
	_exit(127);
}

/* New console lines since *off: progress and the two lines that matter. */
static void scan_console(struct xb_qemu_result *r, const char *path, size_t *off,
			 struct xb_buf *partial, const char *label)
{
	char buf[8192];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	while ((n = pread(fd, buf, sizeof(buf), (off_t)*off)) > 0) {
		*off += (size_t)n;
		xb_buf_add(partial, buf, (size_t)n);
	}
	close(fd);
	for (char *nl; partial->p && (nl = strchr(partial->p, '\n')); ) {
		char *line = partial->p, *s;

		*nl = 0;
		if ((s = strstr(line, "daxbench-guest: stage ")))
			xb_progress("%s: %s", label, xb_trim(s + 22));
		if ((s = strstr(line, "daxbench-guest: error: ")) && !r->guest_error)
			r->guest_error = xb_strdup(xb_trim(s + 23));
		if ((s = strstr(line, "Kernel panic - not syncing")) && !r->panicked) {
			r->panicked = true;
			free(r->reason);
			r->reason = xb_asprintf("kernel panic: %s", xb_trim(s));
		}
		size_t rest = partial->len - (size_t)(nl + 1 - partial->p);

		memmove(partial->p, nl + 1, rest + 1);
		partial->len = rest;
	}
}

static void stop(pid_t pid)
{
	kill(pid, SIGTERM);
	for (int i = 0; i < 20; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return;
		usleep(100000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static const char *console_name(const struct xb_qemu_opts *o)
{
	return o->binary && strstr(o->binary, "qemu") ? "QEMU" : "the benchmark program";
}

static void describe_exit(struct xb_qemu_result *r, int status, const struct xb_qemu_opts *o)
{
	char *err_tail;

	if (WIFSIGNALED(status)) {
		r->status = 128 + WTERMSIG(status);
		if (!r->reason)
			r->reason = xb_asprintf("%s was killed by signal %d (%s)",
					console_name(o), WTERMSIG(status),
						strsignal(WTERMSIG(status)));
		return;
	}
	r->status = WEXITSTATUS(status);
	if (r->status == 0 || r->reason)
		return;
	err_tail = o->stderr_path ? xb_file_tail(o->stderr_path, 2) : NULL;
	r->reason = xb_asprintf("%s exited with status %d%s%s", console_name(o), r->status,
				err_tail && *err_tail ? ": " : "",
				err_tail ? xb_trim(err_tail) : "");
	for (char *p = r->reason; *p; p++)
		if (*p == '\n')
			*p = ' ';
	free(err_tail);
}

int xb_qemu_boot(struct xb_qemu_result *r, const struct xb_qemu_opts *o)
{
	struct xb_argv a = { 0 };
	int rc;

	xb_qemu_argv(&a, o);
	rc = xb_supervise(r, &a, o, false);
	xb_argv_free(&a);
	return rc;
}

int xb_supervise(struct xb_qemu_result *r, const struct xb_argv *a,
		 const struct xb_qemu_opts *o, bool console_is_stdout)
{
	struct xb_buf partial = { 0 };
	double t0, panic_at = 0;
	bool killed = false;
	size_t off = 0;
	int status = 0;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	unlink(o->console_path);
	if (o->stream_path)
		unlink(o->stream_path);
	r->started = xb_now();
	t0 = xb_monotonic();
	pid = spawn(a, o->stderr_path, console_is_stdout ? o->console_path : NULL);
	if (pid < 0) {
		int rc = -errno;

		xb_error_set(rc, "cannot start %s: %s", a->v[0], strerror(-rc));
		return rc;
	}
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		double el = xb_monotonic() - t0;

		scan_console(r, o->console_path, &off, &partial, o->label);
		if (w == pid)
			break;
		if (xb_interrupted) {
			r->interrupted = true;
			r->reason = xb_strdup("interrupted: daxbench received a signal and stopped the guest");
			stop(pid);
			killed = true;
			break;
		}
		if (el > o->timeout_s) {
			r->timed_out = true;
			free(r->reason);
			r->reason = xb_asprintf("guest hung: no power-off within %.0f s, %s killed",
						o->timeout_s, console_name(o));
			stop(pid);
			killed = true;
			break;
		}
		if (r->panicked && !panic_at)
			panic_at = el;
		if (r->panicked && el - panic_at > PANIC_GRACE_S) {
			stop(pid);
			killed = true;
			break;
		}
		usleep(100000);
	}
	xb_progress_done();
	r->ended = xb_now();
	if (!killed)
		describe_exit(r, status, o);
	r->console_tail = xb_file_tail(o->console_path, CONSOLE_TAIL_LINES);
	xb_buf_free(&partial);
	return 0;
}

int xb_qemu_spawn(pid_t *out, const struct xb_qemu_opts *o)
{
	struct xb_argv a = { 0 };
	int rc = 0;

	xb_qemu_argv(&a, o);
	unlink(o->console_path);
	if (o->stream_path)
		unlink(o->stream_path);
	*out = spawn(&a, o->stderr_path, NULL);
	if (*out < 0) {
		rc = -errno;
		xb_error_set(rc, "cannot start %s: %s", a.v[0], strerror(-rc));
	}
	xb_argv_free(&a);
	return rc;
}

void xb_qemu_stop(pid_t pid)
{
	stop(pid);
}

void xb_qemu_result_free(struct xb_qemu_result *r)
{
	free(r->reason);
	free(r->guest_error);
	free(r->console_tail);
	memset(r, 0, sizeof(*r));
}

char *xb_qemu_version(const char *binary)
{
	const char *argv[] = { binary, "--version", NULL };
	struct xb_buf o = { 0 };
	char *nl, *v = NULL;
	int status;

	if (!xb_run(argv, &o, NULL, &status) && !status && o.p) {
		nl = strchr(o.p, '\n');
		if (nl)
			*nl = 0;
		v = xb_strdup(xb_trim(o.p));
	}
	xb_buf_free(&o);
	return v;
}

char *xb_file_tail(const char *path, int max_lines)
{
	char *data = NULL, *p;
	size_t len;
	int lines = 0;

	if (xb_read_file(&data, &len, path))
		return NULL;
	for (p = data + len; p > data; p--) {
		if (p[-1] == '\n' && p != data + len && ++lines >= max_lines)
			break;
	}
	/* strip the CRs of a serial console */
	struct xb_buf b = { 0 };

	for (char *q = p; *q; q++)
		if (*q != '\r')
			xb_buf_add(&b, q, 1);
	free(data);
	return xb_buf_detach(&b);
}
