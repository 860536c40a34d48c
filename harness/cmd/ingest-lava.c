// SPDX-License-Identifier: GPL-2.0
/*
 * daxbench ingest-lava: take home what a finished LAVA job handed back
 * (lava/daxbench.yaml: the DUT's results database, its facts, or the reason
 * it failed) into this database, each run carrying the job's id, device type
 * and DUT in its fingerprint. A merge by run uuid: importing twice adds
 * nothing; a failed job records nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cmd.h"
#include "options.h"
#include "db.h"
#include "error.h"
#include "merge.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: daxbench ingest-lava --job-id ID --device-type TYPE --dut NAME\n"
"                            [--lava-version V] [--lava-url URL] [--db PATH] RESULTS\n"
"\n"
"Record the runs of a finished LAVA job of lava/daxbench.yaml. RESULTS is\n"
"the folder the job handed back (the QEMU job's 9p share, tuxrun's\n"
"--shared folder, or the downloaded artifact): results.db, the DUT's\n"
"database, and lava-facts.txt (the job id the DUT saw); or a results.db.\n"
"Each run it adds keeps its own fingerprint (host is the DUT's hostname,\n"
"backend native) and gets lava.job_id, lava.device_type, lava.dut and, when\n"
"given, lava.version and lava.url; compare, trends and publish then treat\n"
"them as local runs. Runs already here (same uuid) are skipped, so a job\n"
"imported twice adds nothing. A job that failed (daxbench-failed.txt, no\n"
"results.db) or handed back another job's results is refused, and nothing\n"
"is recorded.\n"
"\n"
"Options:\n"
"  --job-id ID        the LAVA job id\n"
"  --device-type T    its device type (qemu, or the lab's)\n"
"  --dut NAME         the device it ran on (LAVA's actual_device)\n"
"  --lava-version V   the dispatcher's version (lava-run's lava-dispatcher)\n"
"  --lava-url URL     the job's page on the LAVA server\n"
"  --db PATH          results database (default: $" XB_DB_ENV ", else ./" XB_DEFAULT_DB ")\n"
"  --help             this text\n"
"\n"
"Exit status: 0 recorded (or nothing new), 1 error (failed job, another job's\n"
"results, damaged database), 2 usage.\n");
}

struct lava_opts {
	const char *job, *type, *dut, *version, *url, *db, *results;
};

static int parse_one(void *ctx, int key, const char *arg)
{
	struct lava_opts *o = ctx;

	switch (key) {
	case 'j': o->job = arg; return 0;
	case 't': o->type = arg; return 0;
	case 'd': o->dut = arg; return 0;
	case 'v': o->version = arg; return 0;
	case 'u': o->url = arg; return 0;
	}
	return -EINVAL;
}

/* 0 go on, 1 help printed, <0 usage error (xb_opts_parse) */
static int parse_opts(struct lava_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "job-id", required_argument, NULL, 'j' },
		{ "device-type", required_argument, NULL, 't' },
		{ "dut", required_argument, NULL, 'd' },
		{ "lava-version", required_argument, NULL, 'v' },
		{ "lava-url", required_argument, NULL, 'u' },
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
	if (so.nargs != 1 || !o->job || !o->type || !o->dut || !*o->job || !*o->type ||
	    !*o->dut) {
		xb_err("ingest-lava needs --job-id, --device-type, --dut and one RESULTS folder");
		xb_opts_try("ingest-lava");
		return -EINVAL;
	}
	o->results = argv[so.first_arg];
	return 0;
}

/* The value of KEY= in a facts file's lines, or NULL. */
static char *fact(const char *text, const char *key)
{
	size_t kl = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, key, kl) && p[kl] == '=')
			return xb_strndup(p + kl + 1, strcspn(p + kl + 1, "\n"));
	return NULL;
}

/*
 * The results database of RESULTS, after the checks that make a bad job
 * record nothing: it did not fail, and it is the job it is said to be.
 */
static int results_db(char **out, const struct lava_opts *o)
{
	struct stat st;
	char *failed, *facts, *text = NULL, *seen = NULL;
	int rc = 0;

	*out = NULL;
	if (stat(o->results, &st))
		return xb_error_set(-ENOENT, "%s: %s", o->results, strerror(errno));
	if (!S_ISDIR(st.st_mode)) {
		*out = xb_strdup(o->results);
		return 0;
	}
	failed = xb_asprintf("%s/daxbench-failed.txt", o->results);
	facts = xb_asprintf("%s/lava-facts.txt", o->results);
	*out = xb_asprintf("%s/results.db", o->results);
	if (!xb_read_file(&text, NULL, failed)) {
		rc = xb_error_set(-EIO, "LAVA job %s failed on %s: %s: nothing recorded", o->job,
				  o->dut, xb_trim(text));
	} else if (!xb_path_exists(*out)) {
		rc = xb_error_set(-ENOENT, "%s holds no results.db: LAVA job %s handed back no results (did its daxbench test case pass?)",
				  o->results, o->job);
	} else if (!xb_read_file(&text, NULL, facts) && (seen = fact(text, "lava.job_id")) &&
		   *seen && strcmp(seen, o->job)) {
		rc = xb_error_set(-EINVAL, "%s holds the results of LAVA job %s, not of job %s: nothing recorded",
				  o->results, seen, o->job);
	}
	if (rc) {
		free(*out);
		*out = NULL;
	}
	free(seen);
	free(text);
	free(facts);
	free(failed);
	return rc;
}

int xb_cmd_ingest_lava(int argc, char **argv)
{
	struct lava_opts o = { 0 };
	struct xb_kvlist facts = { 0 };
	struct xb_merge_stats st;
	struct xb_db *db = NULL;
	const char *tmp = getenv("TMPDIR");
	char *path = NULL;
	int rc, ret = XB_EXIT_ERROR;

	rc = parse_opts(&o, argc, argv);
	if (rc)
		return xb_opts_exit(rc);
	rc = results_db(&path, &o);
	if (rc) {
		xb_error_print(rc);
		goto out;
	}
	xb_kv_set(&facts, "lava.job_id", o.job);
	xb_kv_set(&facts, "lava.device_type", o.type);
	xb_kv_set(&facts, "lava.dut", o.dut);
	if (o.version)
		xb_kv_set(&facts, "lava.version", o.version);
	if (o.url)
		xb_kv_set(&facts, "lava.url", o.url);
	if (xb_cmd_db_open(&db, xb_default_db_path(o.db), XB_DB_CREATE))
		goto out;
	rc = xb_db_merge_facts(&st, db, path, tmp && *tmp ? tmp : "/tmp", &facts);
	if (rc) {
		xb_error_print(rc);
		goto out;
	}
	printf("LAVA job %s (%s on %s): %ld runs added, %ld already present, %ld metrics added\n",
	       o.job, o.type, o.dut, st.runs_added, st.runs_present, st.metrics_added);
	ret = XB_EXIT_OK;
out:
	xb_db_close(db);
	xb_kv_free(&facts);
	free(path);
	return ret;
}
