// SPDX-License-Identifier: GPL-2.0
/* Run selectors of daxbench compare, against a database with a few runs. */
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include "fuzz.h"
#include "compare-db.h"
#include "db.h"
#include "error.h"

static struct xb_db *db;

static struct xb_db *open_db(void)
{
	char path[] = "/tmp/xb-fuzz-selector-XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0)
		abort();
	close(fd);
	unlink(path);
	if (xb_db_open(&db, path, true))
		abort();
	unlink(path);   /* the open handle keeps it while the fuzzer runs */
	return db;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *sel = xb_strndup((const char *)data, size);
	struct xb_id_list ids = { 0 };

	if (!db)
		open_db();
	if (!memchr(data, 0, size) && xb_select_runs(&ids, db, sel) && !*xb_error_last())
		abort();   /* a refused selector says why */
	xb_error_clear();
	xb_id_list_free(&ids);
	free(sel);
	return 0;
}
