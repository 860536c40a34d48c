// SPDX-License-Identifier: GPL-2.0
/* hyperfine's --export-json, as daxbench share reads it. */
#include <math.h>
#include <stdlib.h>
#include "fuzz.h"
#include "hyperfine-json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xb_strndup((const char *)data, size);
	struct xb_buf err = { 0 };
	double *v = NULL;
	size_t n = 0;

	if (!xb_hyperfine_times(&v, &n, text, &err)) {
		for (size_t i = 0; i < n; i++)
			if (!isfinite(v[i]) || v[i] < 0)
				abort();   /* only real times get through */
		free(v);
	} else if (!err.len) {
		abort();
	}
	xb_buf_free(&err);
	free(text);
	return 0;
}
