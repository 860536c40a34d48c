/* SPDX-License-Identifier: GPL-2.0 */
/* Files of the fake sysfs trees the unit tests build (include after
 * <cmocka.h>): put writes a whole file, get reads one (the caller frees),
 * fake_vpath makes "base/rest" in one of 8 rotating buffers. */
#ifndef XB_TEST_FAKE_FILES_H
#define XB_TEST_FAKE_FILES_H

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "util.h"

static inline void put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static inline char *get(const char *path)
{
	char *text = NULL;

	assert_int_equal(xb_read_file(&text, NULL, path), 0);
	return text;
}

static inline char *fake_vpath(const char *base, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
static inline char *fake_vpath(const char *base, const char *fmt, va_list ap)
{
	static char paths[8][256];
	static int next;
	char *p = paths[next++ % 8];
	int n = snprintf(p, 256, "%s/", base);

	vsnprintf(p + n, (size_t)(256 - n), fmt, ap);
	return p;
}

#endif
