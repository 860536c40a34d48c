// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <time.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "config.h"
#include "version.h"
#include "cmd.h"
#include "common.h"
#include "text.h"
#include "error.h"

volatile int xb_interrupted;

static void on_signal(int sig)
{
	xb_interrupted = sig;
}

void xb_signals_install(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

const char *xb_version(void)
{
	return XB_VERSION;
}

const char *xb_git_commit(void)
{
	static char commit[64];

	if (!commit[0]) {
		const char *sp = strchr(XB_GIT_VERSION, ' ');
		size_t n = sp ? (size_t)(sp - XB_GIT_VERSION) : strlen(XB_GIT_VERSION);

		snprintf(commit, sizeof(commit), "%.*s", (int)n, XB_GIT_VERSION);
	}
	return commit;
}

int xb_git_dirty(void)
{
	const char *sp = strchr(XB_GIT_VERSION, ' ');

	if (!sp || !strcmp(sp + 1, "unknown"))
		return -1;
	return sp[1] == '1';
}

char *xb_cache_dir(const char *given)
{
	const char *env = getenv("DAXBENCH_CACHE"), *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");

	if (given)
		return xb_strdup(given);
	if (env && *env)
		return xb_strdup(env);
	if (xdg && *xdg)
		return xb_asprintf("%s/daxbench", xdg);
	return xb_asprintf("%s/.cache/daxbench", home && *home ? home : "/tmp");
}

int xb_cache_dir_export(char **out, const char *given)
{
	*out = xb_cache_dir(given);
	if (setenv("DAXBENCH_CACHE", *out, 1))
		return xb_error_set(-errno, "setenv DAXBENCH_CACHE: %s", strerror(errno));
	return 0;
}

static char *self_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	buf[n] = 0;
	slash = strrchr(buf, '/');
	if (slash)
		*slash = 0;
	return xb_strdup(buf);
}

/* env if set, else REL from the binary's folder (meson.build: the layout). */
static int install_dir(char **out, const char *env, const char *rel, const char *what)
{
	const char *e = getenv(env);
	char *dir;

	*out = NULL;
	if (e && *e) {
		*out = xb_strdup(e);
		return 0;
	}
	if (rel[0] == '/') {
		*out = xb_strdup(rel);
		return 0;
	}
	dir = self_dir();
	if (!dir)
		return xb_error_set(-ENOENT, "cannot find the %s: /proc/self/exe is unreadable (set %s)",
				    what, env);
	*out = xb_asprintf("%s/%s", dir, rel);
	free(dir);
	return 0;
}

/* DIR/rel of an installed folder, as a real path; for programs, only an
 * executable counts. Else -ENOENT: "PATH <missing>". */
static int installed_path(char **out, const char *env, const char *dir_rel, const char *what,
			  const char *rel, bool program, const char *missing)
{
	char *dir = NULL, *p;
	int rc = install_dir(&dir, env, dir_rel, what);

	*out = NULL;
	if (rc)
		return rc;
	p = xb_asprintf("%s/%s", dir, rel);
	free(dir);
	if (!program || xb_is_executable(p))
		*out = realpath(p, NULL);   /* "bin/../share/daxbench/..." said plainly */
	if (!*out)
		rc = xb_error_set(-ENOENT, "%s %s", p, missing);
	free(p);
	return rc;
}

int xb_data_path(char **out, const char *rel)
{
	return installed_path(out, "DAXBENCH_DATADIR", XB_DATADIR_REL, "data folder", rel, false,
			      "is missing: daxbench is not fully built or installed "
			      "(`ninja -C build` or `meson install`)");
}

int xb_libexec_path(char **out, const char *rel)
{
	return installed_path(out, "DAXBENCH_LIBEXECDIR", XB_LIBEXECDIR_REL, "helper programs",
			      rel, true, "is not built or installed: run `ninja -C build` or "
			      "`meson install`");
}

int xb_guest_program_path(char **out)
{
	return xb_guest_program_path_arch(out, NULL);
}

/* arch NULL: this machine's; "s390x": the cross-built one (bench/s390x). */
int xb_guest_program_path_arch(char **out, const char *arch)
{
	const char *env = getenv(arch ? "DAXBENCH_GUEST_S390X" : "DAXBENCH_GUEST");
	int rc;

	*out = NULL;
	if (env && *env) {
		*out = xb_strdup(env);
		return 0;
	}
	rc = xb_libexec_path(out, arch ? "s390x/daxbench-guest" : "daxbench-guest");
	if (rc && arch)
		return xb_error_set(-ENOENT, "the %s in-guest program is not built: install gcc-s390x-linux-gnu, then `meson setup --reconfigure build && ninja -C build` (or set DAXBENCH_GUEST_S390X)",
				    arch);
	if (rc)
		return xb_error_set(-ENOENT, "the in-guest program daxbench-guest is not built or installed: run `ninja -C build` (or set DAXBENCH_GUEST)");
	return 0;
}

int xb_suite_path(char **out, const char *name)
{
	const char *env = getenv("DAXBENCH_WORKLOADS");
	char *rel, *found = NULL;

	*out = NULL;
	if (strchr(name, '/') || strstr(name, ".suite")) {
		if (!xb_path_exists(name))
			return xb_error_set(-ENOENT, "no suite file %s", name);
		*out = xb_strdup(name);
		return 0;
	}
	if (env && *env) {
		found = xb_asprintf("%s/%s.suite", env, name);
		if (!xb_path_exists(found)) {
			free(found);
			found = NULL;
		}
	}
	rel = xb_asprintf("workloads/%s.suite", name);
	if (!found && xb_data_path(&found, rel))
		found = NULL;
	free(rel);
	if (!found)
		return xb_error_set(-ENOENT, "unknown suite '%s': no %s.suite in workloads/ (see `daxbench run --help`)",
				    name, name);
	*out = found;
	return 0;
}

int xb_need_program(char **out, const char *prog, const char *debian_package)
{
	*out = xb_which(prog);
	if (!*out)
		return xb_error_set(-ENOENT, "%s is not installed: apt-get install %s", prog,
				    debian_package);
	return 0;
}

int xb_run_in(const char *dir, const char *const argv[], struct xb_buf *out,
	      struct xb_buf *child_err, int *out_status)
{
	char *old = NULL;
	int rc;

	if (dir) {
		old = getcwd(NULL, 0);
		if (!old || chdir(dir)) {
			rc = -errno;
			free(old);
			return rc;
		}
	}
	rc = xb_run(argv, out, child_err, out_status);
	if (old) {
		if (chdir(old) && !rc)
			rc = -errno;
		free(old);
	}
	return rc;
}

/* Unix seconds (git log %ct) or ISO 8601 with an offset or Z (%cI). */
int xb_parse_commit_date(long long *out, const char *s)
{
	struct tm tm = { 0 };
	const char *end;
	long off;

	if (!xb_parse_int(out, s, 1, 1LL << 40))
		return 0;
	end = strptime(s, "%Y-%m-%dT%H:%M:%S%z", &tm);
	if (!end || *end)
		return -EINVAL;
	off = tm.tm_gmtoff;   /* timegm() resets it: read it first */
	*out = (long long)timegm(&tm) - off;
	return 0;
}

int xb_check_utf8(const char *option, const char *arg)
{
	if (xb_utf8_valid(arg))
		return 0;
	return xb_error_set(-EINVAL, "%s is not valid UTF-8: '%s' (give text in UTF-8)", option,
			    arg);
}
