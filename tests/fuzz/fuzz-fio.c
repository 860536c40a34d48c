// SPDX-License-Identifier: GPL-2.0
/* fio's --output-format=json, as the guest reads it. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "fio-json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xb_strndup((const char *)data, size);
	struct xb_fio_result r;
	struct xb_buf err = { 0 };

	memset(&r, 0, sizeof(r));
	if (!xb_fio_parse(&r, text, &err))
		xb_fio_result_free(&r);
	else if (!err.len)
		abort();
	xb_buf_free(&err);
	free(text);
	return 0;
}
