// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "error.h"
#include "util.h"

static __thread char *last;

static int set(int rc, char *msg)
{
	free(last);
	last = msg;
	return rc < 0 ? rc : -EIO;
}

int xb_error_set(int rc, const char *fmt, ...)
{
	va_list ap;
	char *m;

	va_start(ap, fmt);
	m = xb_vasprintf(fmt, ap);
	va_end(ap);
	return set(rc, m);
}

int xb_error_wrap(int rc, const char *fmt, ...)
{
	va_list ap;
	char *p, *m;

	va_start(ap, fmt);
	p = xb_vasprintf(fmt, ap);
	va_end(ap);
	m = last && *last ? xb_asprintf("%s: %s", p, last) : xb_strdup(p);
	free(p);
	return set(rc, m);
}

const char *xb_error_last(void)
{
	return last ? last : "";
}

char *xb_error_take(void)
{
	char *m = last ? last : xb_strdup("");

	last = NULL;
	return m;
}

void xb_error_clear(void)
{
	free(last);
	last = NULL;
}

void xb_error_print(int rc)
{
	if (last && *last)
		xb_err("%s", last);
	else
		xb_err("%s", strerror(rc < 0 ? -rc : EIO));
	xb_error_clear();
}
