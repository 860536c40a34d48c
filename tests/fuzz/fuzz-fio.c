// SPDX-License-Identifier: GPL-2.0
/* fio's --output-format=json, as the guest reads it. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "error.h"
#include "fio-json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xb_strndup((const char *)data, size);
	struct xb_fio_result r;

	memset(&r, 0, sizeof(r));
	if (!xb_fio_parse(&r, text))
		xb_fio_result_free(&r);
	else if (!*xb_error_last())
		abort();
	xb_error_clear();
	free(text);
	return 0;
}
