// SPDX-License-Identifier: GPL-2.0
/*
 * Host side of the radix benchmark: count the model's instructions per
 * lookup under callgrind (bench/radix-count), and build the daxbench_radix module
 * (bench/kmod, kmod.c) against the guest kernel's Debian headers (a
 * foreign guest's cross-compiled) and put it in the image with the device
 * it translates on (the backend's: /dev/pmem0, /dev/dcssblk0). Headers
 * that are not installed are not an error: the image then carries the
 * reason, and the guest records a skip.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include "error.h"
#include "config.h"
#include "common.h"
#include "error.h"
#include "bench-host.h"
#include "kmod.h"
#include "sha256.h"

#define KMOD_NAME "daxbench_radix"
#define GUEST_DIR "/daxbench/radix"

static void add_skip(struct xb_image *img, const char *reason)
{
	xb_image_data(img, GUEST_DIR "/kmod.skip", reason, strlen(reason), 0644);
}

static int radix_kmod(struct xb_image *img, const struct xb_image_ctx *ctx)
{
	const char *kernel = xb_kv_get(ctx->params, "kernel");
	char *ko = NULL, *skip = NULL;
	int rc;

	if (kernel && !strcmp(kernel, "off"))
		return 0;
	rc = xb_kmod_build(&ko, &skip, KMOD_NAME, ctx->kernel->release, ctx->arch,
			   ctx->cache_dir);
	if (!rc && skip) {
		add_skip(img, skip);
	} else if (!rc) {
		xb_image_file(img, GUEST_DIR "/" KMOD_NAME ".ko", ko, 0644);
		if (ctx->device)
			xb_image_data(img, GUEST_DIR "/device", ctx->device, strlen(ctx->device),
				      0644);
	}
	free(ko);
	free(skip);
	return rc;
}

/* ---- instructions per lookup ------------------------------------- */

static char *radix_count_path(void)
{
	char *found = NULL;

	if (xb_libexec_path(&found, "radix-count"))
		return NULL;
	return found;
}

/* One callgrind dump: its label "<metric>@<lookups>" and its total Ir. */
static int parse_dump(struct xb_buf *out, const char *path)
{
	char *text = NULL, *label, *tot, *at;
	unsigned long long ir;
	long lookups;
	int rc = xb_read_file(&text, NULL, path);

	if (rc)
		return xb_error_set(rc, "cannot read %s: %s", path, strerror(-rc));
	label = strstr(text, "desc: Trigger: Client Request: ");
	tot = strstr(text, "\ntotals: ");
	if (!label) {   /* the final dump at exit: not a variant */
		free(text);
		return 0;
	}
	label += strlen("desc: Trigger: Client Request: ");
	label[strcspn(label, "\n")] = 0;
	at = strchr(label, '@');
	if (!tot || !at || sscanf(tot, "\ntotals: %llu", &ir) != 1 ||
	    sscanf(at + 1, "%ld", &lookups) != 1 || lookups <= 0) {
		rc = xb_error_set(-EPROTO, "unexpected callgrind output in %s", path);
	} else {
		*at = 0;
		xb_buf_addf(out, "%s %.3f\n", label, (double)ir / (double)lookups);
	}
	free(text);
	return rc;
}

static int parse_dumps(struct xb_buf *out, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	if (!d) {
		rc = -errno;
		return xb_error_set(rc, "cannot list %s: %s", dir, strerror(-rc));
	}
	while (!rc && (e = readdir(d))) {
		char *path;

		if (strncmp(e->d_name, "cg.out.", 7))
			continue;
		path = xb_asprintf("%s/%s", dir, e->d_name);
		rc = parse_dump(out, path);
		free(path);
	}
	closedir(d);
	return rc;
}

static int run_callgrind(struct xb_buf *out, const char *valgrind, const char *prog,
			 const struct xb_kvlist *params, const char *tmp)
{
	char *outfile = xb_asprintf("--callgrind-out-file=%s/cg.out", tmp);
	const char **argv = xb_malloc((params->n + 6) * sizeof(*argv));
	struct xb_buf err = { 0 };
	size_t n = 0;
	int status = 0, rc;

	argv[n++] = valgrind;
	argv[n++] = "--tool=callgrind";
	argv[n++] = "--instr-atstart=no";
	argv[n++] = outfile;
	argv[n++] = prog;
	for (size_t i = 0; i < params->n; i++)
		argv[n++] = xb_asprintf("%s=%s", params->v[i].key, params->v[i].value);
	argv[n] = NULL;
	rc = xb_mkdir_p(tmp, 0755);
	if (rc) {
		xb_error_set(rc, "cannot create %s: %s", tmp, strerror(-rc));
	} else {
		rc = xb_run(argv, NULL, &err, &status);
		if (rc)
			xb_error_set(rc, "cannot run %s: %s", valgrind, strerror(-rc));
	}
	if (!rc && status)
		rc = xb_error_set(-EIO, "counting the radix model's instructions under callgrind "
				  "failed (exit %d): %.300s", status, err.len ? err.p : "");
	if (!rc)
		rc = parse_dumps(out, tmp);
	for (size_t i = 5; i < n; i++)
		free((char *)argv[i]);
	free(argv);
	free(outfile);
	xb_buf_free(&err);
	return rc;
}

/*
 * Counts are cached by what determines them: the program's bytes, the
 * parameters and valgrind's version.
 */
static int radix_instructions(struct xb_image *img, const struct xb_image_ctx *ctx)
{
	const char *on = xb_kv_get(ctx->params, "instructions");
	char *valgrind = NULL, *prog = NULL, *dir = NULL, *cached = NULL, *tmp = NULL;
	struct xb_buf key = { 0 }, out = { 0 }, ver = { 0 };
	char prog_hash[65], hash[65];
	int rc = 0;

	if (on && !strcmp(on, "off"))
		return 0;
	valgrind = xb_which("valgrind");
	prog = radix_count_path();
	if (!valgrind || !prog) {
		const char *why = !valgrind ? "valgrind is not installed on the host: apt-get install valgrind"
					    : "bench/radix-count is not built";

		xb_image_data(img, GUEST_DIR "/instructions.skip", why, strlen(why), 0644);
		goto out;
	}
	rc = xb_sha256_file_hex(prog_hash, prog);
	if (rc) {
		xb_error_set(rc, "cannot read %s: %s", prog, strerror(-rc));
	} else {
		const char *argv[] = { valgrind, "--version", NULL };
		int status;

		xb_run(argv, &ver, NULL, &status);
		xb_buf_addf(&key, "%s\n%s\n", prog_hash, ver.len ? ver.p : "");
		for (size_t i = 0; i < ctx->params->n; i++)
			xb_buf_addf(&key, "%s=%s\n", ctx->params->v[i].key, ctx->params->v[i].value);
		xb_sha256_hex(hash, key.p, key.len);
		dir = xb_asprintf("%s/radix-instr", ctx->cache_dir);
		cached = xb_asprintf("%s/%.32s.txt", dir, hash);
	}
	if (rc || xb_path_exists(cached))
		goto add;
	xb_progress("radix: counting the model's instructions under callgrind");
	tmp = xb_asprintf("%s/tmp-%d", dir, (int)getpid());
	rc = run_callgrind(&out, valgrind, prog, ctx->params, tmp);
	xb_progress_done();
	xb_rm_rf(tmp);
	if (!rc && (rc = xb_write_file_atomic(cached, out.p ? out.p : "", out.len)))
		xb_error_set(rc, "cannot write %s: %s", cached, strerror(-rc));
add:
	if (!rc)
		xb_image_file(img, GUEST_DIR "/instructions.txt", cached, 0644);
out:
	xb_buf_free(&key);
	xb_buf_free(&out);
	xb_buf_free(&ver);
	free(valgrind);
	free(prog);
	free(dir);
	free(cached);
	free(tmp);
	return rc;
}

static int radix_prepare(struct xb_image *img, const struct xb_image_ctx *ctx)
{
	int rc = radix_instructions(img, ctx);

	return rc ? rc : radix_kmod(img, ctx);
}

const struct xb_bench_host xb_bench_host_radix = {
	.bench = "radix",
	.foreign = true,
	.prepare = radix_prepare,
};
