/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Backends: the memory-like device under test. One file per backend fills
 * a struct xb_backend_ops; xb_backends[] in backends.c lists them all.
 * A backend says what it offers (capabilities, lib/caps.h), which guest
 * modules it needs, and turns its parameters into guest configuration.
 * Ops that can fail return 0 or a negative errno with the message set
 * (lib/error.h).
 */
#ifndef XB_BACKENDS_H
#define XB_BACKENDS_H
#ifndef XB_LAYER_HARNESS
#error "harness/backends/backends.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include <stdint.h>
#include "util.h"
#include "qemu.h"

/* What a backend makes of its parameters (configure) and adds on the way
 * (attach, qemu, boot_prepare): the guest's memory, kernel command line,
 * QEMU arguments and device, and the facts for the fingerprint. */
struct xb_backend_cfg {
	unsigned mem_mb;
	char *mem_extra;              /* e.g. ",slots=2,maxmem=4G" */
	struct xb_buf append;         /* kernel command line additions */
	struct xb_argv qemu_args;     /* extra QEMU arguments */
	struct xb_kvlist fingerprint; /* backend.* facts: model, geometry */
	char *device;                 /* the one guest device it may format */
	void *priv;                   /* a backend's own state (attach/detach) */
	unsigned share_guests;        /* guests of the sharing group, 0: none */
};
void xb_backend_cfg_free(struct xb_backend_cfg *g);

struct xb_backend_ops {
	const char *name;
	const char *description;
	unsigned caps;                /* enum xb_cap bits */
	const char *const *kmods;     /* guest modules, NULL-terminated */
	const char *const *params;    /* accepted parameter names, NULL-terminated */
	bool native;                  /* runs on this machine, not in a guest */
	/* Fill g from params (validated); on bad params -EINVAL naming it. */
	int (*configure)(struct xb_backend_cfg *g, const struct xb_kvlist *params);
	/* Native backends that make their device (dcssblk): set g->device
	 * before the safety checks; NULL for the others. detach undoes what
	 * attach did, also after a failed attach. A dry run calls neither. */
	int (*attach)(struct xb_backend_cfg *g, const struct xb_kvlist *params);
	int (*detach)(struct xb_backend_cfg *g);
	/* Guest backends of another architecture (dcssblk-emu): its Debian
	 * name ("s390x"); NULL: amd64. */
	const char *arch;
	/* The QEMU binary the backend needs (dcssblk-emu: the DCSS-patched
	 * one, built once), *out malloc'd; facts about it go into
	 * g->fingerprint. -ENOTSUP when it cannot be had here (a skip).
	 * NULL: the architecture's stock QEMU (guest/arch.h). */
	int (*qemu)(char **out, struct xb_backend_cfg *g);
	/* Kernel options the backend needs (CONFIG_ names without the
	 * prefix, =y or =m), NULL-terminated; recorded as kernel.config.NAME,
	 * and a kernel without one is skipped with the reason. */
	const char *const *kconfig;
	/* Shell lines the guest's /init runs after the modules are loaded. */
	const char *guest_init;
	/* Host-side files of a guest backend (a segment file): made in dir
	 * (the run's artifacts) before the boots, their QEMU arguments added
	 * to g->qemu_args. NULL: none. */
	int (*boot_prepare)(struct xb_backend_cfg *g, const char *dir);
	/* Backends whose guests share one host file (dcssblk-emu), when
	 * g->share_guests > 0: the shell lines of a sharing guest's /init
	 * (the device made from the shared file, read-only), and the QEMU
	 * arguments giving a guest that file. */
	const char *share_init;
	void (*share_args)(const struct xb_backend_cfg *g, const char *file, struct xb_argv *out);
};

/* Every backend, NULL-terminated; a new one is one file and one entry here. */
extern const struct xb_backend_ops *const xb_backends[];
/* The backend of that name in table (NULL-terminated), NULL when none. */
const struct xb_backend_ops *xb_backend_find_in(const struct xb_backend_ops *const *table,
					       const char *name);
/* ... in xb_backends[]. */
const struct xb_backend_ops *xb_backend_find(const char *name);
/* -EINVAL naming the parameter when params has one not in ops->params. */
int xb_backend_check_params(const struct xb_backend_ops *ops, const struct xb_kvlist *params);

/* A size parameter (512M, 1G) of a backend, def when absent; -EINVAL
 * naming it. */
int xb_backend_size_param(uint64_t *out, const struct xb_backend_ops *ops,
			  const struct xb_kvlist *p, const char *key, const char *def);

/*
 * The shared-image modes of `daxbench share`: one host image file given
 * to every guest at once (virtio-pmem-shared.c). xb_share_modes[] in
 * backends.c lists them, NULL-terminated.
 */
struct xb_share_mode {
	const char *name;         /* dax | pagecache | blk | ksm | dax-erofs | pagecache-erofs */
	const char *description;
	const char *guest_mode;   /* what the guest mounts: dax | pagecache | blk */
	const char *guest_dev;    /* /dev/pmem0 or /dev/vda */
	const char *fs;           /* the image attached and mounted: ext4 | erofs */
	bool pmem;                /* virtio-pmem-pci over a shared memory-backend-file */
	bool ksm;                 /* host KSM on while the guests run */
};

extern const struct xb_share_mode *const xb_share_modes[];
const struct xb_share_mode *xb_share_mode_find(const char *name);
/* The QEMU arguments attaching img (size bytes) read-only; *out_mem_extra
 * (malloc'd or NULL) goes after -m. */
void xb_share_mode_args(struct xb_argv *a, char **out_mem_extra, const struct xb_share_mode *m,
			const char *img, uint64_t size);

extern const struct xb_backend_ops xb_backend_axonram_emu;
extern const struct xb_backend_ops xb_backend_native;
extern const struct xb_backend_ops xb_backend_dcssblk;
extern const struct xb_backend_ops xb_backend_dcssblk_emu;

#endif
