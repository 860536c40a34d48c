/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by db.c, ingest.c and query.c; not part of the API. */
#ifndef XB_DB_INTERNAL_H
#define XB_DB_INTERNAL_H
#ifndef XB_LAYER_DB_INTERNAL
#error "results-db/db-internal.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include <sqlite3.h>

/* The handle behind db.h's opaque struct xb_db. */
struct xb_db {
	sqlite3 *sql;
	bool readonly;      /* opened with XB_DB_READ */
};

/* An sqlite result code as a negative errno (SQLITE_BUSY -> -EBUSY ...). */
int xb_db_errno(int sqlite_rc);
/* Sets the message "database X: <what> failed: <sqlite message>" (lib/error.h);
 * returns xb_db_errno(). */
int xb_db_fail(sqlite3 *db, int sqlite_rc, const char *what);
/* sqlite3_exec() without callbacks, failures recorded with xb_db_fail(). */
int xb_db_exec(sqlite3 *db, const char *sql, const char *what);

#endif
