// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fnmatch.h>
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
	struct xb_kvlist pre;      /* modules.softdep: name -> "a b", loaded before it */
	struct xb_kvlist post;     /* name -> "c", loaded after it */
	struct xb_kvlist alias;    /* modules.alias: pattern -> module, in file order */
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

/* modules.alias and modules.softdep name modules with '-' or '_' alike, as
 * kmod's alias_normalize() does: one spelling for lookups. */
static void normalise(char *s)
{
	for (; *s; s++)
		if (*s == '-')
			*s = '_';
}

static void add_words(struct xb_kvlist *l, const char *name, const struct xb_buf *words)
{
	if (words->len)
		xb_kv_add(l, name, words->p);
}

/* "softdep MOD pre: A B post: C" */
static void parse_softdep(struct xb_moddep *d, char *line)
{
	struct xb_buf pre = { 0 }, post = { 0 }, *cur = NULL;
	char *save = NULL, *name, *t;

	if (!(t = strtok_r(line, " \t", &save)) || strcmp(t, "softdep"))
		return;
	if (!(name = strtok_r(NULL, " \t", &save)))
		return;
	normalise(name);
	while ((t = strtok_r(NULL, " \t", &save))) {
		if (!strcmp(t, "pre:"))
			cur = &pre;
		else if (!strcmp(t, "post:"))
			cur = &post;
		else if (cur) {
			normalise(t);
			xb_buf_addf(cur, "%s%s", cur->len ? " " : "", t);
		}
	}
	add_words(&d->pre, name, &pre);
	add_words(&d->post, name, &post);
	xb_buf_free(&pre);
	xb_buf_free(&post);
}

/* "alias PATTERN MODULE" */
static void parse_alias(struct xb_moddep *d, char *line)
{
	char *save = NULL, *t, *pattern, *mod;

	if (!(t = strtok_r(line, " \t", &save)) || strcmp(t, "alias"))
		return;
	pattern = strtok_r(NULL, " \t", &save);
	mod = strtok_r(NULL, " \t", &save);
	if (!pattern || !mod)
		return;
	normalise(pattern);
	normalise(mod);
	xb_kv_add(&d->alias, pattern, mod);
}

void xb_moddep_parse_extra(struct xb_moddep *d, const char *softdep_text, const char *alias_text)
{
	const char *text[] = { softdep_text, alias_text };

	for (int k = 0; k < 2; k++) {
		char *copy, *save = NULL;

		if (!text[k])
			continue;
		copy = xb_strdup(text[k]);
		for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			if (*l != '#')
				(k ? parse_alias : parse_softdep)(d, l);
		free(copy);
	}
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
	if (!rc) {
		char *sd = NULL, *al = NULL, *sd_path = xb_asprintf("%s/modules.softdep", modules_dir);
		char *al_path = xb_asprintf("%s/modules.alias", modules_dir);

		/* both optional: a tree without them has no soft dependencies */
		xb_read_file(&sd, NULL, sd_path);
		xb_read_file(&al, NULL, al_path);
		xb_moddep_parse_extra(*out, sd, al);
		free(sd);
		free(al);
		free(sd_path);
		free(al_path);
	}
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
	xb_kv_free(&d->pre);
	xb_kv_free(&d->post);
	xb_kv_free(&d->alias);
	free(d);
}

static int resolve(struct xb_kvlist *out, const struct xb_moddep *d, const char *name,
		   int depth);

/*
 * Soft dependencies, as modprobe treats them: each word is a module or an
 * alias, and one the kernel lacks is skipped (they are optional).
 */
static int resolve_soft(struct xb_kvlist *out, const struct xb_moddep *d, const char *words,
			int depth)
{
	char *copy, *save = NULL;
	int rc = 0;

	if (!words)
		return 0;
	copy = xb_strdup(words);
	for (char *w = strtok_r(copy, " ", &save); w && !rc; w = strtok_r(NULL, " ", &save)) {
		rc = resolve(out, d, w, depth + 1);
		if (rc == -ENOENT)
			rc = 0;
	}
	free(copy);
	return rc;
}

/* An alias: every module whose modules.alias pattern matches, in file
 * order, as `modprobe ALIAS` loads them all. -ENOENT when none does. */
static int resolve_alias(struct xb_kvlist *out, const struct xb_moddep *d, const char *name,
			 int depth)
{
	int rc = -ENOENT;

	for (size_t i = 0; i < d->alias.n && rc != -ELOOP; i++) {
		if (fnmatch(d->alias.v[i].key, name, 0))
			continue;
		if (!find(d, d->alias.v[i].value) && !xb_kv_get(&d->builtin, d->alias.v[i].value))
			continue;
		int r = resolve(out, d, d->alias.v[i].value, depth + 1);

		if (r == 0 || r == -ELOOP || rc == -ENOENT)
			rc = r;
	}
	return rc;
}

static int resolve(struct xb_kvlist *out, const struct xb_moddep *d, const char *name,
		   int depth)
{
	const struct mod *m;
	int rc;

	if (depth > 64)
		return -ELOOP;
	if (xb_kv_get(&d->builtin, name))
		return 0;
	m = find(d, name);
	if (!m)
		return resolve_alias(out, d, name, depth);
	if (xb_kv_get(out, m->path))
		return 0;
	rc = resolve_soft(out, d, xb_kv_get(&d->pre, name), depth);
	if (rc)
		return rc;
	for (size_t i = 0; i < m->ndeps; i++) {
		rc = resolve(out, d, m->deps[i], depth + 1);
		if (rc)
			return rc;
	}
	if (!xb_kv_get(out, m->path))
		xb_kv_add(out, m->path, m->name);
	return resolve_soft(out, d, xb_kv_get(&d->post, name), depth);
}

int xb_moddep_resolve(struct xb_kvlist *out, const struct xb_moddep *d, const char *name)
{
	char *norm = name_of(name);
	int rc = resolve(out, d, norm, 0);

	if (rc == -ENOENT)
		xb_error_set(rc, "kernel module %s (or one it depends on) is not in this kernel's modules.dep",
			     name);
	else if (rc == -ELOOP)
		xb_error_set(rc, "modules.dep or modules.softdep has a dependency loop through %s", name);
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
