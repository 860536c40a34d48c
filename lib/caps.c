// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include "caps.h"
#include "util.h"

static const struct {
	unsigned bit;
	const char *name;
} cap_names[] = {
	{ XB_CAP_FS_DAX, "fs_dax" },
	{ XB_CAP_FS_PAGECACHE, "fs_pagecache" },
	{ XB_CAP_ANON, "anon" },
	{ XB_CAP_WRITABLE, "writable" },
	{ XB_CAP_DEVDAX, "devdax" },
	{ XB_CAP_SHARED_IMAGE, "shared_image" },
	{ XB_CAP_KMOD, "kmod" },
	{ XB_CAP_NO_STRUCT_PAGE, "no_struct_page" },
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
		for (i = 0; i < XB_ARRAY_SIZE(cap_names); i++)
			if (!strcmp(cap_names[i].name, t))
				break;
		if (i == XB_ARRAY_SIZE(cap_names)) {
			rc = -EINVAL;
			break;
		}
		caps |= cap_names[i].bit;
	}
	free(dup);
	if (!rc)
		*out = caps;
	return rc;
}

char *xb_caps_format(unsigned caps)
{
	struct xb_buf b = { 0 };

	for (size_t i = 0; i < XB_ARRAY_SIZE(cap_names); i++) {
		if (!(caps & cap_names[i].bit))
			continue;
		if (b.len)
			xb_buf_adds(&b, ",");
		xb_buf_adds(&b, cap_names[i].name);
	}
	return xb_buf_detach(&b);
}
