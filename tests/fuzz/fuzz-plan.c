// SPDX-License-Identifier: GPL-2.0
/* The guest's plan file, parsed and written back. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "error.h"
#include "plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xb_strndup((const char *)data, size);
	struct xb_kvlist plan = { 0 }, again = { 0 };
	struct xb_buf out = { 0 };

	if (!xb_plan_parse(&plan, text)) {
		if (xb_plan_format(&out, &plan) || xb_plan_parse(&again, out.p) ||
		    again.n != plan.n)
			abort();   /* what was read must write and read back */
		xb_kv_free(&again);
		xb_kv_free(&plan);
	}
	xb_buf_free(&out);
	xb_error_clear();
	free(text);
	return 0;
}
