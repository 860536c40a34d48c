// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "guest-kmod.h"

int xb_guest_kmod_load(const char *path, const char *params)
{
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, params, 0) && errno != EEXIST)
		rc = -errno;
	close(fd);
	return rc;
}
