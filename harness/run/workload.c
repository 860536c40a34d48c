// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "workload.h"
#include "error.h"
#include "backends.h"
#include "bench.h"
#include "clock.h"
#include "error.h"
#include "fs-table.h"
#include "sha256.h"

enum section { SEC_NONE, SEC_SUITE, SEC_GUEST, SEC_BACKEND, SEC_BENCH };

struct parser {
	struct xb_suite *s;
	const char *path;
	int line;
	enum section sec;
	char *sec_arg;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	char *m;

	va_start(ap, fmt);
	m = xb_vasprintf(fmt, ap);
	va_end(ap);
	xb_error_set(-EINVAL, "%s:%d: %s", p->path, p->line, m);
	free(m);
	return -EINVAL;
}

static int begin_section(struct parser *p, char *t)
{
	char *end = strchr(t, ']'), *arg;

	if (!end || xb_trim(end + 1)[0])
		return fail(p, "malformed section header '%s'", t);
	*end = 0;
	t = xb_trim(t + 1);
	arg = strchr(t, ' ');
	if (arg)
		*arg++ = 0;
	arg = arg ? xb_trim(arg) : NULL;
	free(p->sec_arg);
	p->sec_arg = xb_strdup(arg);
	if (!strcmp(t, "suite") && !arg)
		p->sec = SEC_SUITE;
	else if (!strcmp(t, "guest") && !arg)
		p->sec = SEC_GUEST;
	else if (!strcmp(t, "backend") && arg) {
		if (!xb_backend_find(arg))
			return fail(p, "unknown backend '%s' (see `daxbench run --help`)", arg);
		p->sec = SEC_BACKEND;
	} else if (!strcmp(t, "bench") && arg) {
		struct xb_suite_bench *b;

		if (!xb_bench_find(arg))
			return fail(p, "unknown benchmark '%s'", arg);
		for (size_t i = 0; i < p->s->nbenches; i++)
			if (!strcmp(p->s->benches[i].name, arg))
				return fail(p, "benchmark '%s' appears twice", arg);
		p->s->benches = xb_realloc(p->s->benches, (p->s->nbenches + 1) * sizeof(*b));
		b = &p->s->benches[p->s->nbenches++];
		memset(b, 0, sizeof(*b));
		b->name = xb_strdup(arg);
		b->line = p->line;
		p->sec = SEC_BENCH;
	} else {
		return fail(p, "unknown section [%s%s]; expected [suite], [guest], [backend NAME] or [bench NAME]",
			    t, arg ? " ..." : "");
	}
	return 0;
}

static int uint_value(struct parser *p, unsigned *out, const char *k, const char *v,
		      long long min, long long max)
{
	long long n;

	if (xb_parse_int(&n, v, min, max))
		return fail(p, "%s must be a whole number in range, not '%s'", k, v);
	*out = (unsigned)n;
	return 0;
}

static int set_str(struct parser *p, char **dst, const char *k, const char *v)
{
	if (*dst)
		return fail(p, "'%s' is set twice", k);
	*dst = xb_strdup(v);
	return 0;
}

static int suite_key(struct parser *p, const char *k, const char *v)
{
	struct xb_suite *s = p->s;

	if (!strcmp(k, "name"))
		return set_str(p, &s->name, k, v);
	if (!strcmp(k, "description"))
		return set_str(p, &s->description, k, v);
	if (!strcmp(k, "backend")) {
		if (!xb_backend_find(v))
			return fail(p, "unknown backend '%s'", v);
		return set_str(p, &s->backend, k, v);
	}
	if (!strcmp(k, "fs")) {
		if (!xb_fs_find(v))
			return fail(p, "unknown filesystem '%s' (ext4 or xfs)", v);
		return set_str(p, &s->fs, k, v);
	}
	if (!strcmp(k, "boots"))
		return uint_value(p, &s->boots, k, v, 1, 1000);
	return fail(p, "unknown key '%s' in [suite]", k);
}

static int guest_key(struct parser *p, const char *k, const char *v)
{
	struct xb_suite *s = p->s;

	if (!strcmp(k, "smp"))
		return uint_value(p, &s->smp, k, v, 1, 64);
	if (!strcmp(k, "cpu"))
		return set_str(p, &s->cpu, k, v);
	if (!strcmp(k, "append")) {
		if (strpbrk(v, "\n"))
			return fail(p, "append must be one line");
		return set_str(p, &s->append, k, v);
	}
	if (!strcmp(k, "clock")) {
		enum xb_clock clk;

		if (xb_clock_parse(&clk, v))
			return fail(p, "clock is auto, wall or icount, not '%s'", v);
		return set_str(p, &s->clock, k, v);
	}
	if (!strcmp(k, "inject_dax_spin")) {
		s->inject = true;
		return uint_value(p, &s->inject_spin, k, v, 0, 100000000);
	}
	if (!strcmp(k, "timeout")) {
		unsigned t = 0;
		int rc = uint_value(p, &t, k, v, 5, 86400);

		s->timeout_s = t;
		return rc;
	}
	return fail(p, "unknown key '%s' in [guest]", k);
}

static int bench_key(struct parser *p, const char *k, const char *v)
{
	struct xb_suite_bench *b = &p->s->benches[p->s->nbenches - 1];
	const struct xb_bench_ops *ops = xb_bench_find(b->name);

	if (ops->params) {
		size_t i;

		for (i = 0; ops->params[i]; i++)
			if (!strcmp(ops->params[i], k))
				break;
		if (!ops->params[i])
			return fail(p, "benchmark %s has no parameter '%s'", b->name, k);
	}
	if (xb_kv_get(&b->params, k))
		return fail(p, "'%s' is set twice", k);
	xb_kv_add(&b->params, k, v);
	b->lines = xb_realloc(b->lines, b->params.n * sizeof(int));
	b->lines[b->params.n - 1] = p->line;
	return 0;
}

static int key_value(struct parser *p, char *t)
{
	char *eq = strchr(t, '='), *k, *v;

	if (!eq)
		return fail(p, "expected 'key = value', got '%s'", t);
	*eq = 0;
	k = xb_trim(t);
	v = xb_trim(eq + 1);
	if (!*k || !*v)
		return fail(p, "empty key or value");
	switch (p->sec) {
	case SEC_SUITE: return suite_key(p, k, v);
	case SEC_GUEST: return guest_key(p, k, v);
	case SEC_BENCH: return bench_key(p, k, v);
	case SEC_BACKEND: {
		char *full = xb_asprintf("%s.%s", p->sec_arg, k);
		int rc = 0;

		if (xb_kv_get(&p->s->all_backend_params, full))
			rc = fail(p, "'%s' is set twice", k);
		else
			xb_kv_add(&p->s->all_backend_params, full, v);
		free(full);
		return rc;
	}
	default:
		return fail(p, "'%s' outside any section", k);
	}
}

/*
 * Values are checked by the benchmark's own code. To name the line, check
 * the parameters cumulatively: the first prefix refused ends in the culprit
 * (a missing parameter takes its valid default).
 */
static int check_bench(const struct xb_suite *s, const struct xb_suite_bench *b)
{
	const struct xb_bench_ops *ops = xb_bench_find(b->name);
	int rc = 0;

	for (size_t k = 0; k <= b->params.n && !rc; k++) {
		struct xb_kvlist prefix = { .v = b->params.v, .n = k, .cap = k };

		rc = xb_bench_check(ops, &prefix);
		if (rc)
			xb_error_set(rc, "%s:%d: [bench %s] %s", s->path,
				     k ? b->lines[k - 1] : b->line, b->name, xb_error_last());
	}
	return rc;
}

static int finish(struct xb_suite *s)
{
	if (!s->name)
		return xb_error_set(-EINVAL, "%s: [suite] has no name", s->path);
	if (!s->nbenches)
		return xb_error_set(-EINVAL, "%s: no [bench NAME] section: nothing to measure",
				    s->path);
	for (size_t i = 0; i < s->nbenches; i++)
		if (check_bench(s, &s->benches[i]))
			return -EINVAL;
	if (!s->backend)
		s->backend = xb_strdup("axonram-emu");
	if (!s->fs)
		s->fs = xb_strdup("ext4");
	if (!s->boots)
		s->boots = 1;
	if (!s->smp)
		s->smp = 1;
	if (!s->timeout_s)
		s->timeout_s = 600;
	return xb_suite_set_backend(s, s->backend);
}

int xb_suite_set_backend(struct xb_suite *s, const char *backend)
{
	const struct xb_backend_ops *ops = xb_backend_find(backend);
	size_t plen = strlen(backend);

	if (!ops)
		return xb_error_set(-EINVAL, "unknown backend '%s'", backend);
	if (s->backend != backend) {
		free(s->backend);
		s->backend = xb_strdup(backend);
	}
	xb_kv_free(&s->backend_params);
	for (size_t i = 0; i < s->all_backend_params.n; i++) {
		const struct xb_kv *kv = &s->all_backend_params.v[i];

		if (!strncmp(kv->key, backend, plen) && kv->key[plen] == '.')
			xb_kv_add(&s->backend_params, kv->key + plen + 1, kv->value);
	}
	/* its message is the reason */
	return xb_backend_check_params(ops, &s->backend_params);
}

int xb_suite_parse(struct xb_suite **out, const char *text, const char *path)
{
	struct xb_suite *s = calloc(1, sizeof(*s));
	struct parser p = { .s = s, .path = path };
	char *dup = xb_strdup(text), *cur = dup;
	int rc = 0;

	if (!s)
		abort();
	s->path = xb_strdup(path);
	xb_sha256_hex(s->sha256, text, strlen(text));
	while (cur && !rc) {
		char *nl = strchr(cur, '\n'), *t;

		if (nl)
			*nl = 0;
		p.line++;
		t = xb_trim(cur);
		cur = nl ? nl + 1 : NULL;
		if (!*t || *t == '#' || *t == ';')
			continue;
		rc = *t == '[' ? begin_section(&p, t) : key_value(&p, t);
	}
	if (!rc)
		rc = finish(s);
	free(dup);
	free(p.sec_arg);
	if (rc)
		xb_suite_free(s);
	else
		*out = s;
	return rc;
}

int xb_suite_load(struct xb_suite **out, const char *path)
{
	char *text = NULL;
	size_t len;
	int rc;

	rc = xb_read_file(&text, &len, path);
	if (rc)
		return xb_error_set(rc, "cannot read suite file %s: %s", path, strerror(-rc));
	if (strlen(text) != len) {
		rc = xb_error_set(-EINVAL, "%s: suite file contains a NUL byte", path);
		goto out;
	}
	rc = xb_suite_parse(out, text, path);
out:
	free(text);
	return rc;
}

void xb_suite_free(struct xb_suite *s)
{
	if (!s)
		return;
	free(s->path);
	free(s->name);
	free(s->description);
	free(s->backend);
	free(s->fs);
	free(s->cpu);
	free(s->append);
	free(s->clock);
	xb_kv_free(&s->backend_params);
	xb_kv_free(&s->all_backend_params);
	for (size_t i = 0; i < s->nbenches; i++) {
		free(s->benches[i].name);
		free(s->benches[i].lines);
		xb_kv_free(&s->benches[i].params);
	}
	free(s->benches);
	free(s);
}
