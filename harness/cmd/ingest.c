// SPDX-License-Identifier: GPL-2.0
/*
 * daxbench ingest: record a results stream that a guest daxbench did not
 * boot itself wrote (a guest booted by hand, a run copied
 * from a z/VM guest), with the same checks and the same one-transaction
 * ingest as `daxbench run`.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "fingerprint.h"
#include "db.h"
#include "error.h"
#include "stream.h"

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
"  --backend NAME    the backend it was measured on (e.g. dcssblk-emu)\n"
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

static int parse_opts(struct ingest_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "stream", required_argument, NULL, 's' },
		{ "backend", required_argument, NULL, 'b' },
		{ "suite", required_argument, NULL, 'S' },
		{ "label", required_argument, NULL, 'l' },
		{ "fact", required_argument, NULL, 'f' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	char *eq;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 's': o->stream = optarg; break;
		case 'b': o->backend = optarg; break;
		case 'S': o->suite = optarg; break;
		case 'l': o->label = optarg; break;
		case 'd': o->db = optarg; break;
		case 'f':
			eq = strchr(optarg, '=');
			if (!eq || eq == optarg) {
				xb_err("--fact wants KEY=VALUE, not '%s'", optarg);
				return XB_EXIT_USAGE;
			}
			*eq = 0;
			xb_kv_set(&o->facts, optarg, eq + 1);
			break;
		case 'h': usage(stdout); return XB_EXIT_OK;
		default: usage(stderr); return XB_EXIT_USAGE;
		}
	}
	if (optind < argc || !o->stream || !o->backend) {
		xb_err("ingest needs --stream FILE and --backend NAME (see daxbench ingest --help)");
		return XB_EXIT_USAGE;
	}
	return -1;
}

static int record(const struct ingest_opts *o, const struct xb_stream *s, struct xb_db *db)
{
	struct xb_boot_record b = { .accel = "tcg", .status = "finished", .stream = s };
	struct xb_run_record r = { 0 };
	int64_t id;
	int rc;

	xb_uuid(r.uuid);
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
	struct xb_buf err = { 0 };
	struct xb_db *db = NULL;
	char *data = NULL;
	size_t len;
	int rc, ret = XB_EXIT_ERROR;

	ret = parse_opts(&o, argc, argv);
	if (ret >= 0)
		goto out;
	ret = XB_EXIT_ERROR;
	rc = xb_read_file(&data, &len, o.stream);
	if (rc) {
		xb_err("cannot read %s: %s", o.stream, strerror(-rc));
		goto out;
	}
	if (xb_stream_parse(&s, data, len, &err)) {
		xb_err("%s: %s", o.stream, err.p ? err.p : "not a results stream");
		goto out;
	}
	if (xb_cmd_db_open(&db, xb_default_db_path(o.db), true))
		goto out;
	if (!record(&o, s, db))
		ret = XB_EXIT_OK;
out:
	xb_db_close(db);
	xb_stream_free(s);
	xb_buf_free(&err);
	xb_kv_free(&o.facts);
	free(data);
	return ret;
}
