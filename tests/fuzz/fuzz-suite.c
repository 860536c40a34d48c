// SPDX-License-Identifier: GPL-2.0
/* Suite (workload) files. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "workload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xb_strndup((const char *)data, size);
	struct xb_buf err = { 0 };
	struct xb_suite *s = NULL;

	if (!xb_suite_parse(&s, text, "fuzz.suite", &err)) {
		if (!s->name || !s->nbenches || !s->boots)
			abort();
		xb_suite_free(s);
	} else if (!err.len) {
		abort();   /* every refusal says why */
	}
	xb_buf_free(&err);
	free(text);
	return 0;
}
