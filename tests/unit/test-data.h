/* SPDX-License-Identifier: GPL-2.0 */
/* A file of tests/data (under $XB_TEST_SRCDIR), read whole; the test
 * fails when it cannot be. The caller frees it. Include after cmocka.h. */
#ifndef XB_TEST_DATA_H
#define XB_TEST_DATA_H

#include <stdlib.h>
#include "util.h"

static inline char *data(const char *name)
{
	const char *root = getenv("XB_TEST_SRCDIR");
	char *path, *text = NULL;

	assert_non_null(root);
	path = xb_asprintf("%s/tests/data/%s", root, name);
	assert_int_equal(xb_read_file(&text, NULL, path), 0);
	free(path);
	return text;
}

#endif
