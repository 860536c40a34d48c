/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Importing the runs of another daxbench database (another machine's).
 * Runs are identified by uuid, so merging twice adds nothing. The other
 * database is never written: a temporary copy of it is migrated up to this
 * build's schema first; one newer than this build is refused.
 */
#ifndef XB_MERGE_H
#define XB_MERGE_H
#ifndef XB_LAYER_DB
#error "results-db/merge.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include "util.h"

struct xb_db;

struct xb_merge_stats {
	int source_version;   /* schema version the other database had */
	long runs_added;
	long runs_present;    /* already here: skipped */
	long metrics_added;
};

/*
 * Merge the runs of the database at path other into db, in one
 * transaction. tmpdir holds the migrated copy while it runs. -EINVAL when a
 * metric's unit or direction differ between the two (nothing merged),
 * -EPROTONOSUPPORT / -EBADMSG / -ENOENT for an other that is newer, not a
 * daxbench database or missing; each with one message (lib/error.h).
 */
int xb_db_merge(struct xb_merge_stats *out, struct xb_db *db, const char *other,
		const char *tmpdir);

/*
 * As xb_db_merge, and every run it adds gets each of facts as a fingerprint
 * entry (replacing the run's own entry of that key), in the same
 * transaction: a LAVA job's id, device type and DUT (daxbench ingest-lava).
 * Runs already here are left as they are, so importing twice adds nothing.
 */
int xb_db_merge_facts(struct xb_merge_stats *out, struct xb_db *db, const char *other,
		      const char *tmpdir, const struct xb_kvlist *facts);

#endif
