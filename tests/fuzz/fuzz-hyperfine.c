// SPDX-License-Identifier: GPL-2.0
/* hyperfine's --export-json, as daxbench share reads it. */
#include <math.h>
#include <stdlib.h>
#include "fuzz.h"
#include "error.h"
#include "hyperfine-json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xb_strndup((const char *)data, size);
	double *v = NULL;
	size_t n = 0;

	xb_error_clear();
	if (!xb_hyperfine_times(&v, &n, text)) {
		for (size_t i = 0; i < n; i++)
			if (!isfinite(v[i]) || v[i] < 0)
				abort();   /* only real times get through */
		free(v);
	} else if (!*xb_error_last()) {
		abort();   /* every refusal says why */
	}
	xb_error_clear();
	free(text);
	return 0;
}
