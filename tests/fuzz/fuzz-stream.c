// SPDX-License-Identifier: GPL-2.0
/* The results stream parser. An input starting with 'R' is taken as the
 * records of a stream and framed with the magic line and a correct end line,
 * so the fuzzer reaches record parsing past the CRC check. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "crc32.h"
#include "error.h"
#include "stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xb_buf in = { 0 };
	struct xb_stream *s = NULL;
	size_t recs = 0;

	if (size && data[0] == 'R') {
		xb_buf_adds(&in, "DAXBENCH-STREAM 1\n");
		xb_buf_add(&in, data + 1, size - 1);
		for (size_t i = 1; i < size; i++)
			recs += data[i] == '\n';
		xb_buf_addf(&in, "end\t%zu\t%08x\n", recs, (unsigned)xb_crc32(0, in.p, in.len));
	} else {
		xb_buf_add(&in, data, size);
	}
	if (!xb_stream_parse(&s, in.p, in.len)) {
		/* what parsed must be self-consistent */
		for (size_t i = 0; i < s->nseries; i++)
			if (!xb_stream_find_metric(s, s->series[i].metric))
				abort();
		xb_stream_free(s);
	} else {
		xb_error_clear();
	}
	xb_buf_free(&in);
	return 0;
}
