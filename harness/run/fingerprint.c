// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "common.h"
#include "fingerprint.h"
#include "sysknobs.h"

char *xb_cpuinfo_model(const char *cpuinfo)
{
	const char *p = strstr(cpuinfo, "model name");
	const char *colon, *nl;

	if (!p || !(colon = strchr(p, ':')))
		return NULL;
	nl = strchr(colon, '\n');
	char *v = nl ? xb_strndup(colon + 1, (size_t)(nl - colon - 1)) : xb_strdup(colon + 1);
	char *t = xb_strdup(xb_trim(v));

	free(v);
	return t;
}

static void set_take(struct xb_kvlist *fp, const char *key, char *value)
{
	xb_kv_set(fp, key, value);
	free(value);
}

/*
 * What on the host can move a guest's figures or the host's memory
 * figures: THP (QEMU asks for huge pages on guest RAM), the zero page
 * (a host booted with pvm_no_zero_page=1 allocates on every read fault),
 * KSM, swap, the clocksource, the CPU vendor and the command line.
 */
static void fingerprint_host_mm(struct xb_kvlist *fp)
{
	char *text = NULL;

	for (size_t i = 0; xb_sysknobs[i]; i++) {
		char *key = xb_asprintf("host.%s", xb_sysknobs[i]->key);

		set_take(fp, key, xb_sysknob_read(xb_sysknobs[i]));
		free(key);
	}
	set_take(fp, "host.cpu.vendor", xb_proc_field("/proc/cpuinfo", "vendor_id"));
	text = xb_proc_field("/proc/meminfo", "SwapTotal");
	text[strcspn(text, " ")] = 0;
	set_take(fp, "host.swap_kb", text);
	text = NULL;
	if (!xb_read_file(&text, NULL, "/proc/cmdline"))
		xb_kv_set(fp, "host.kernel.cmdline", xb_trim(text));
	free(text);
}

void xb_fingerprint_host(struct xb_kvlist *fp)
{
	struct utsname u;
	char host[256] = "unknown", *cpuinfo = NULL, *model;

	gethostname(host, sizeof(host) - 1);
	xb_kv_set(fp, "host", host);
	if (!uname(&u)) {
		xb_kv_set(fp, "host.kernel", u.release);
		xb_kv_set(fp, "host.arch", u.machine);
	}
	if (!xb_read_file(&cpuinfo, NULL, "/proc/cpuinfo")) {
		model = xb_cpuinfo_model(cpuinfo);
		if (model)
			xb_kv_set(fp, "host.cpu", model);
		free(model);
		free(cpuinfo);
	}
	xb_kv_setf(fp, "host.ncpus", "%ld", sysconf(_SC_NPROCESSORS_ONLN));
	fingerprint_host_mm(fp);
	xb_kv_set(fp, "daxbench.version", xb_version());
	xb_kv_set(fp, "daxbench.commit", xb_git_commit());
	xb_kv_set(fp, "daxbench.dirty", xb_git_dirty() < 0 ? "unknown" :
		  xb_git_dirty() ? "yes" : "no");
}

void xb_fingerprint_kernel(struct xb_kvlist *fp, const struct xb_kernel *k)
{
	xb_kv_set(fp, "kernel.release", k->release);
	if (k->package) {
		xb_kv_set(fp, "kernel.package", k->package);
		xb_kv_set(fp, "kernel.package_version", k->pkg_version);
	} else {
		xb_kv_set(fp, "kernel.image", k->vmlinuz);
	}
	xb_kv_set(fp, "kernel.image_sha256", k->image_sha256);
	if (k->config_sha256[0])
		xb_kv_set(fp, "kernel.config_sha256", k->config_sha256);
}

void xb_fingerprint_kconfig(struct xb_kvlist *fp, const char *config_text,
			    const char *const *names, struct xb_buf *missing)
{
	for (size_t i = 0; names[i]; i++) {
		char *key = xb_asprintf("CONFIG_%s=", names[i]), *val = NULL;
		size_t klen = strlen(key);

		/* at the start of a line: "# CONFIG_X is not set" is unset */
		for (const char *p = config_text; p && *p && !val;
		     p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
			if (!strncmp(p, key, klen))
				val = xb_strndup(p + klen, strcspn(p + klen, "\n"));
		if (!val)
			val = xb_strdup("unset");
		free(key);
		key = xb_asprintf("kernel.config.%s", names[i]);
		xb_kv_set(fp, key, val);
		if (strcmp(val, "y") && strcmp(val, "m"))
			xb_buf_addf(missing, "%sCONFIG_%s=%s", missing->len ? ", " : "", names[i], val);
		free(key);
		free(val);
	}
}
