// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "error.h"
#include "modules.h"
#include "initramfs.h"

struct mod {
	char *name;     /* normalised: '-' -> '_' */
	char *path;     /* relative, as in modules.dep */
	char **deps;    /* names */
	size_t ndeps;
};

struct xb_moddep {
	struct mod *mods;
	size_t n;
	struct xb_kvlist builtin;  /* name -> "" */
};

/* "kernel/fs/ext4/ext4.ko.xz" -> "ext4" */
static char *name_of(const char *path)
{
	const char *base = strrchr(path, '/');
	char *name, *dot;

	name = xb_strdup(base ? base + 1 : path);
	dot = strstr(name, ".ko");
	if (dot)
		*dot = 0;
	for (char *p = name; *p; p++)
		if (*p == '-')
			*p = '_';
	return name;
}

static const struct mod *find(const struct xb_moddep *d, const char *name)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->mods[i].name, name))
			return &d->mods[i];
	return NULL;
}

static void parse_line(struct xb_moddep *d, char *line)
{
	char *colon = strchr(line, ':'), *save = NULL;
	struct mod *m;

	if (!colon)
		return;
	*colon = 0;
	d->mods = xb_realloc(d->mods, (d->n + 1) * sizeof(*d->mods));
	m = &d->mods[d->n++];
	m->path = xb_strdup(xb_trim(line));
	m->name = name_of(m->path);
	m->deps = NULL;
	m->ndeps = 0;
	for (char *t = strtok_r(colon + 1, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		m->deps = xb_realloc(m->deps, (m->ndeps + 1) * sizeof(char *));
		m->deps[m->ndeps++] = name_of(t);
	}
}

int xb_moddep_parse(struct xb_moddep **out, const char *dep_text, const char *builtin_text)
{
	struct xb_moddep *d = calloc(1, sizeof(*d));
	char *text = xb_strdup(dep_text), *save = NULL;

	if (!d)
		abort();
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		parse_line(d, l);
	free(text);
	if (builtin_text) {
		text = xb_strdup(builtin_text);
		save = NULL;
		for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			char *name = name_of(xb_trim(l));

			xb_kv_add(&d->builtin, name, "");
			free(name);
		}
		free(text);
	}
	*out = d;
	return 0;
}

int xb_moddep_load(struct xb_moddep **out, const char *modules_dir)
{
	char *dep_path = xb_asprintf("%s/modules.dep", modules_dir);
	char *bi_path = xb_asprintf("%s/modules.builtin", modules_dir);
	char *dep = NULL, *bi = NULL;
	int rc;

	rc = xb_read_file(&dep, NULL, dep_path);
	if (rc) {
		xb_error_set(rc, "cannot read %s: %s (run depmod -b for that tree)", dep_path, strerror(-rc));
		goto out;
	}
	if (xb_read_file(&bi, NULL, bi_path))
		bi = NULL;
	rc = xb_moddep_parse(out, dep, bi);
out:
	free(dep);
	free(bi);
	free(dep_path);
	free(bi_path);
	return rc;
}

void xb_moddep_free(struct xb_moddep *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->mods[i].name);
		free(d->mods[i].path);
		for (size_t j = 0; j < d->mods[i].ndeps; j++)
			free(d->mods[i].deps[j]);
		free(d->mods[i].deps);
	}
	free(d->mods);
	xb_kv_free(&d->builtin);
	free(d);
}

static int resolve(struct xb_kvlist *out, const struct xb_moddep *d, const char *name,
		   int depth)
{
	const struct mod *m;
	int rc;

	if (xb_kv_get(&d->builtin, name))
		return 0;
	m = find(d, name);
	if (!m)
		return -ENOENT;
	if (xb_kv_get(out, m->path))
		return 0;
	if (depth > 64)
		return -ELOOP;
	for (size_t i = 0; i < m->ndeps; i++) {
		rc = resolve(out, d, m->deps[i], depth + 1);
		if (rc)
			return rc;
	}
	if (!xb_kv_get(out, m->path))
		xb_kv_add(out, m->path, m->name);
	return 0;
}

int xb_moddep_resolve(struct xb_kvlist *out, const struct xb_moddep *d, const char *name)
{
	char *norm = name_of(name);
	int rc = resolve(out, d, norm, 0);

	if (rc == -ENOENT)
		xb_error_set(rc, "kernel module %s (or one it depends on) is not in this kernel's modules.dep",
			     name);
	else if (rc == -ELOOP)
		xb_error_set(rc, "modules.dep has a dependency loop through %s", name);
	free(norm);
	return rc;
}

int xb_module_add_to_image(struct xb_image *img, char **out_rel, const char *modules_dir,
			   const char *release, const char *rel)
{
	const char *ext = strstr(rel, ".ko.");
	char *host = xb_asprintf("%s/%s", modules_dir, rel), *guest;
	struct xb_buf data = { 0 }, err = { 0 };
	int rc = 0, status;

	*out_rel = ext ? xb_strndup(rel, (size_t)(ext - rel) + 3) : xb_strdup(rel);
	guest = xb_asprintf("/lib/modules/%s/%s", release, *out_rel);
	if (!ext) {
		xb_image_file(img, guest, host, 0644);
		goto out;
	}
	const char *tool = !strcmp(ext, ".ko.xz") ? "xz" : !strcmp(ext, ".ko.zst") ? "zstd" :
			   !strcmp(ext, ".ko.gz") ? "gzip" : NULL;
	const char *argv[] = { tool, "-dc", host, NULL };

	if (!tool) {
		rc = xb_error_set(-ENOTSUP, "module %s: unknown compression", rel);
		goto out;
	}
	rc = xb_run(argv, &data, &err, &status);
	if (!rc && status)
		rc = -EIO;
	if (rc)
		xb_error_set(rc, "cannot decompress %s with %s: %s", host, tool,
			     err.p ? xb_trim(err.p) : strerror(-rc));
	else
		xb_image_data(img, guest, data.p, data.len, 0644);
out:
	xb_buf_free(&data);
	xb_buf_free(&err);
	free(host);
	free(guest);
	return rc;
}
