// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>
#include <string.h>
#include "arch.h"

/* x86: no_timer_check, as for share's guests: on a loaded host a TCG vCPU
 * can miss the IO-APIC timer check at boot and panic ("IO-APIC + timer
 * doesn't work!"); it changes nothing after boot. */
static const struct xb_arch amd64 = {
	.name = "amd64",
	.qemu = "qemu-system-x86_64",
	.qemu_package = "qemu-system-x86",
	.append = "console=ttyS0 panic=-1 oops=panic loglevel=4 no_timer_check",
	.kernel_flavour = "-amd64-unsigned",
};

static const char *const s390x_packages[] = {
	"busybox-static", "e2fsprogs", "libext2fs2", "libcom-err2", "libblkid1", "libuuid1",
	"libc6", "coreutils", NULL,
};
static const char *const s390x_libs[] = {
	"ld64.so.1", "libext2fs.so.2", "libcom_err.so.2", "libblkid.so.1", "libuuid.so.1",
	"libe2p.so.2", "libc.so.6", NULL,
};

/* s390x: no console= (the SCLP console is the default), and the guest's
 * lines go through the kernel log at level 4. */
static const struct xb_arch s390x = {
	.name = "s390x",
	.qemu = "qemu-system-s390x",
	.qemu_package = "qemu-system-misc",
	.append = "panic=-1 oops=panic loglevel=5",
	.kernel_flavour = "-s390x",
	/* firmware (s390-ccw.img) from the installed qemu-system-misc */
	.firmware = "/usr/share/qemu",
	.machine = "s390-ccw-virtio",
	.console = "sclplmconsole",
	.stream_bus = "virtio-serial-ccw",
	.foreign = true,
	.init_kmsg = true,
	.packages = s390x_packages,
	.libs = s390x_libs,
	.triplet = "s390x-linux-gnu",
	.kernel_arch = "s390",
};

const struct xb_arch *const xb_arches[] = { &amd64, &s390x, NULL };

const struct xb_arch *xb_arch_find(const char *name)
{
	if (!name)
		return &amd64;
	for (size_t i = 0; xb_arches[i]; i++)
		if (!strcmp(xb_arches[i]->name, name))
			return xb_arches[i];
	return NULL;
}
