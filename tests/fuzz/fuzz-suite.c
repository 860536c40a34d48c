// SPDX-License-Identifier: GPL-2.0
/* Suite (workload) files. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "error.h"
#include "workload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xb_strndup((const char *)data, size);
	struct xb_suite *s = NULL;

	xb_error_clear();
	if (!xb_suite_parse(&s, text, "fuzz.suite")) {
		if (!s->name || !s->nbenches || !s->boots)
			abort();
		xb_suite_free(s);
	} else if (!*xb_error_last()) {
		abort();   /* every refusal says why */
	}
	xb_error_clear();
	free(text);
	return 0;
}
