// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "error.h"
#include "plan.h"

int xb_plan_parse(struct xb_kvlist *out, const char *text)
{
	char *dup = xb_strdup(text), *line, *save = NULL;
	int lineno = 0, rc = 0;
	struct xb_kvlist l = { 0 };

	for (line = strtok_r(dup, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq, *t = xb_trim(line);

		lineno++;
		if (!*t || *t == '#')
			continue;
		eq = strchr(t, '=');
		if (!eq || eq == t) {
			rc = xb_error_set(-EINVAL, "plan line %d: expected key=value", lineno);
			break;
		}
		*eq = 0;
		xb_kv_set(&l, xb_trim(t), xb_trim(eq + 1));
	}
	free(dup);
	if (!rc && (!xb_kv_get(&l, "plan.version") ||
		    atoi(xb_kv_get(&l, "plan.version")) != XB_PLAN_VERSION)) {
		rc = xb_error_set(-EINVAL, "plan: missing or unsupported plan.version (want %d)",
				  XB_PLAN_VERSION);
	}
	if (rc)
		xb_kv_free(&l);
	else
		*out = l;
	return rc;
}

int xb_plan_format(struct xb_buf *out, const struct xb_kvlist *plan)
{
	for (size_t i = 0; i < plan->n; i++) {
		if (strchr(plan->v[i].key, '\n') || strchr(plan->v[i].value, '\n') ||
		    strchr(plan->v[i].key, '='))
			return -EINVAL;
		xb_buf_addf(out, "%s=%s\n", plan->v[i].key, plan->v[i].value);
	}
	return 0;
}
