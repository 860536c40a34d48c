// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include "caps.h"
#include "util.h"

/* Entry k names the bit 1u << k (enum xb_cap's order); NULL-terminated. */
static const char *const cap_names[] = {
	"fs_dax", "fs_pagecache", "anon", "writable", "devdax", "shared_image", "kmod",
	"no_struct_page", NULL,
};

int xb_caps_parse(unsigned *out, const char *list)
{
	char *dup = xb_strdup(list), *save = NULL;
	unsigned caps = 0;
	int rc = 0;

	for (char *t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		size_t i;

		t = xb_trim(t);
		if (!*t)
			continue;
		for (i = 0; cap_names[i]; i++)
			if (!strcmp(cap_names[i], t))
				break;
		if (!cap_names[i]) {
			rc = -EINVAL;
			break;
		}
		caps |= 1u << i;
	}
	free(dup);
	if (!rc)
		*out = caps;
	return rc;
}

char *xb_caps_format(unsigned caps)
{
	struct xb_buf b = { 0 };

	for (size_t i = 0; cap_names[i]; i++) {
		if (!(caps & (1u << i)))
			continue;
		if (b.len)
			xb_buf_adds(&b, ",");
		xb_buf_adds(&b, cap_names[i]);
	}
	return xb_buf_detach(&b);
}
