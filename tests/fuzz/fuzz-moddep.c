// SPDX-License-Identifier: GPL-2.0
/* A kernel's modules.dep (first line of the input names the module to
 * resolve). */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "modules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xb_strndup((const char *)data, size), *nl = strchr(text, '\n');
	struct xb_moddep *d = NULL;
	struct xb_kvlist out = { 0 };

	if (nl) {
		*nl = 0;
		if (!xb_moddep_parse(&d, nl + 1, NULL)) {
			xb_moddep_resolve(&out, d, text);
			xb_moddep_free(d);
		}
	}
	xb_kv_free(&out);
	free(text);
	return 0;
}
