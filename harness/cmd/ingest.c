// SPDX-License-Identifier: GPL-2.0
/*
 * daxbench ingest: record a results stream that a guest daxbench did not
 * boot itself wrote (a guest booted by hand, a run copied
 * from a z/VM guest), with the same checks and the same one-transaction
 * ingest as `daxbench run`.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "options.h"
#include "fingerprint.h"
#include "db.h"
#include "error.h"
#include "stream.h"
#include "query.h"
#include "backends.h"
#include "sha256.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: daxbench ingest --stream FILE --backend NAME [--suite NAME] [--label TEXT]\n"
"                       [--fact KEY=VALUE]... [--db PATH]\n"
"\n"
"Record one boot's results stream (lib/stream-format.h) as a finished run:\n"
"the stream is checked (magic, sequence, record count, CRC) and rejected\n"
"whole when damaged. The run's fingerprint gets backend, suite, this\n"
"host's facts, each --fact, and the guest's own facts (guest.*).\n"
"\n"
"Options:\n"
"  --stream FILE     the results stream\n"
"  --backend NAME    the backend it was measured on (daxbench list-backends)\n"
"  --suite NAME      suite name to record (default: ingested)\n"
"  --label TEXT      a label for the run\n"
"  --fact KEY=VALUE  a fingerprint entry (repeatable), e.g. qemu.binary=PATH\n"
"  --db PATH         results database (default: $" XB_DB_ENV ", else ./" XB_DEFAULT_DB ")\n"
"  --help            this text\n"
"\n"
"Exit status: 0 recorded, 1 error (damaged stream, database), 2 usage.\n");
}

struct ingest_opts {
	const char *stream, *backend, *suite, *label, *db;
	struct xb_kvlist facts;
};

static int parse_one(void *ctx, int key, const char *arg)
{
	struct ingest_opts *o = ctx;
	const char *eq;
	char *k;

	switch (key) {
	case 's': o->stream = arg; return 0;
	case 'b': o->backend = arg; return 0;
	case 'S': o->suite = arg; return xb_check_utf8("--suite", arg);
	case 'l': o->label = arg; return xb_check_utf8("--label", arg);
	case 'f':
		eq = strchr(arg, '=');
		if (!eq || eq == arg)
			return xb_error_set(-EINVAL, "--fact wants KEY=VALUE, not '%s'", arg);
		k = xb_strndup(arg, (size_t)(eq - arg));
		xb_kv_set(&o->facts, k, eq + 1);
		free(k);
		return 0;
	}
	return -EINVAL;
}

/* 0 go on, 1 help printed, <0 usage error (xb_opts_parse) */
static int parse_opts(struct ingest_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "stream", required_argument, NULL, 's' },
		{ "backend", required_argument, NULL, 'b' },
		{ "suite", required_argument, NULL, 'S' },
		{ "label", required_argument, NULL, 'l' },
		{ "fact", required_argument, NULL, 'f' },
		{ 0 },
	};
	const struct xb_opts_spec spec = { .shared = XB_OPT_DB, .longopts = longopts,
		.parse = parse_one, .ctx = o, .usage = usage };
	struct xb_opts so;
	int rc;

	rc = xb_opts_parse(&so, &spec, argc, argv);
	if (rc)
		return rc;
	o->db = so.db;
	if (so.nargs || !o->stream || !o->backend) {
		xb_err("ingest needs --stream FILE and --backend NAME");
		xb_opts_try("ingest");
		return -EINVAL;
	}
	if (!xb_backend_find(o->backend)) {
		struct xb_buf names = { 0 };

		for (size_t i = 0; xb_backends[i]; i++)
			xb_buf_addf(&names, "%s%s", i ? ", " : "", xb_backends[i]->name);
		xb_err("unknown backend '%s' for --backend: valid backends are %s", o->backend,
		       names.p);
		xb_buf_free(&names);
		return -EINVAL;
	}
	return 0;
}

/*
 * The run's uuid is derived from the stream's bytes (an RFC 9562 version 8
 * uuid over its SHA-256), so ingesting one stream twice names the same run
 * and stores it once, as `db merge` does with the uuids of runs.
 */
static void stream_uuid(char out[37], const char *data, size_t len)
{
	uint8_t d[32];
	struct xb_sha256 h;

	xb_sha256_init(&h);
	xb_sha256_update(&h, data, len);
	xb_sha256_final(&h, d);
	d[6] = (uint8_t)((d[6] & 0x0f) | 0x80);
	d[8] = (uint8_t)((d[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x", d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7],
		 d[8], d[9], d[10], d[11], d[12], d[13], d[14], d[15]);
}

static int record(const struct ingest_opts *o, const struct xb_stream *s, struct xb_db *db,
		  const char *uuid)
{
	struct xb_boot_record b = { .accel = "tcg", .status = "finished", .stream = s };
	struct xb_run_record r = { 0 };
	int64_t id;
	int rc;

	memcpy(r.uuid, uuid, sizeof(r.uuid));
	r.label = o->label;
	r.suite = o->suite ? o->suite : "ingested";
	r.status = "finished";
	r.started = r.ended = b.started = b.ended = xb_now();
	xb_fingerprint_host(&r.fingerprint);
	r.host = xb_kv_get(&r.fingerprint, "host");
	xb_kv_set(&r.fingerprint, "suite", r.suite);
	xb_kv_set(&r.fingerprint, "backend", o->backend);
	for (size_t i = 0; i < o->facts.n; i++)
		xb_kv_set(&r.fingerprint, o->facts.v[i].key, o->facts.v[i].value);
	if (xb_kv_get(&o->facts, "qemu.accel"))
		b.accel = xb_kv_get(&o->facts, "qemu.accel");
	r.boots = &b;
	r.nboots = 1;
	rc = xb_db_record_run(db, &r, &id);
	if (rc) {
		xb_error_print(rc);
		xb_err("the stream could not be recorded: %s", strerror(-rc));
	} else
		printf("run %lld recorded from %s (uuid %s)\n", (long long)id, o->stream, r.uuid);
	xb_kv_free(&r.fingerprint);
	return rc;
}

int xb_cmd_ingest(int argc, char **argv)
{
	struct ingest_opts o = { 0 };
	struct xb_stream *s = NULL;
	struct xb_db *db = NULL;
	char *data = NULL, uuid[37];
	int64_t id;
	size_t len;
	int rc, ret = XB_EXIT_ERROR;

	ret = parse_opts(&o, argc, argv);
	if (ret) {
		ret = xb_opts_exit(ret);
		goto out;
	}
	ret = XB_EXIT_ERROR;
	rc = xb_read_file(&data, &len, o.stream);
	if (rc) {
		xb_err("cannot read %s: %s", o.stream, strerror(-rc));
		goto out;
	}
	rc = xb_stream_parse(&s, data, len);
	if (rc) {
		xb_error_print(xb_error_wrap(rc, "%s", o.stream));
		goto out;
	}
	if (xb_cmd_db_open(&db, xb_default_db_path(o.db), XB_DB_CREATE))
		goto out;
	stream_uuid(uuid, data, len);
	rc = xb_query_resolve_run(&id, db, uuid);
	if (!rc) {
		printf("%s is already recorded as run %lld (uuid %s): nothing added\n",
		       o.stream, (long long)id, uuid);
		ret = XB_EXIT_OK;
	} else if (rc != -ENOENT) {
		xb_error_print(rc);
	} else {
		xb_error_clear();
		if (!record(&o, s, db, uuid))
			ret = XB_EXIT_OK;
	}
out:
	xb_db_close(db);
	xb_stream_free(s);
	xb_kv_free(&o.facts);
	free(data);
	return ret;
}
