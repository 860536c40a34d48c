// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include "hyperfine-json.h"
#include "error.h"

int xb_hyperfine_times(double **out, size_t *out_n, const char *json)
{
	json_error_t jerr;
	json_t *root = json_loads(json, 0, &jerr), *times;
	double *v = NULL;
	size_t n;
	int rc = -EBADMSG;

	if (!root)
		return xb_error_set(rc, "hyperfine JSON unreadable: %s (line %d)", jerr.text,
				    jerr.line);
	times = json_object_get(json_array_get(json_object_get(root, "results"), 0), "times");
	n = json_array_size(times);
	if (!n) {
		xb_error_set(rc, "hyperfine JSON has no results[0].times");
		goto out;
	}
	v = xb_malloc(n * sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		json_t *t = json_array_get(times, i);

		v[i] = json_number_value(t);
		if (!json_is_number(t) || !isfinite(v[i]) || v[i] < 0) {
			xb_error_set(rc, "hyperfine JSON: times[%zu] is not a time in seconds", i);
			goto out;
		}
	}
	*out = v;
	*out_n = n;
	v = NULL;
	rc = 0;
out:
	free(v);
	json_decref(root);
	return rc;
}
