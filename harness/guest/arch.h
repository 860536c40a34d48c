/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest architectures: what differs between an amd64 and an s390x
 * guest (QEMU binary, kernel command line, console, where the guest's
 * programs come from), in one table the run pipeline looks up instead of
 * testing the architecture's name.
 */
#ifndef XB_ARCH_H
#define XB_ARCH_H
#ifndef XB_LAYER_HARNESS
#error "harness/guest/arch.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>

struct xb_arch {
	const char *name;          /* Debian's: amd64, s390x */
	const char *qemu;          /* the stock QEMU binary, e.g. qemu-system-x86_64 */
	const char *qemu_package;  /* the Debian package that has it */
	const char *append;        /* the kernel command line every guest gets */
	const char *kernel_flavour; /* Debian's kernel package suffix of the default flavour */
	/* QEMU: the firmware directory (-L), the machine, the device the
	 * console chardev goes to (NULL: the first serial port) and the bus of
	 * the stream's virtio-serial port (NULL: the second serial port). */
	const char *firmware;
	const char *machine;
	const char *console;
	const char *stream_bus;
	/* A foreign architecture: only TCG emulates it, its programs come
	 * from its Debian packages (unpacked by guest/userland.c), and the
	 * guest program writes its stream to a virtio-serial port. */
	bool foreign;
	/* /init sends its output through the kernel log (s390x: the SCLP
	 * line-mode console drops a user-space tty's output near power-off). */
	bool init_kmsg;
	const char *const *packages;  /* foreign: the packages the image takes programs from */
	const char *const *libs;      /* foreign: the shared objects those programs link */
	const char *triplet;          /* foreign: the multiarch directory, s390x-linux-gnu */
	const char *kernel_arch;      /* foreign: the kernel's ARCH= for module builds, s390 */
};

extern const struct xb_arch *const xb_arches[];
/* name NULL: the host's (amd64); NULL for an unknown name. */
const struct xb_arch *xb_arch_find(const char *name);

#endif
