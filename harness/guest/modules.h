/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel modules for the guest image, resolved from the kernel's modules.dep,
 * modules.softdep and modules.alias. */
#ifndef XB_MODULES_H
#define XB_MODULES_H
#ifndef XB_LAYER_HARNESS
#error "harness/guest/modules.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include "util.h"

struct xb_moddep;

/* Parse modules.dep (+ modules.builtin when present) of a modules directory. */
int xb_moddep_load(struct xb_moddep **out, const char *modules_dir);
/* Same from text, for tests; builtin may be NULL. */
int xb_moddep_parse(struct xb_moddep **out, const char *dep_text, const char *builtin_text);
/* Add modules.softdep and modules.alias (either may be NULL), for tests;
 * xb_moddep_load() reads them when the tree has them. */
void xb_moddep_parse_extra(struct xb_moddep *d, const char *softdep_text, const char *alias_text);
void xb_moddep_free(struct xb_moddep *d);

/*
 * Append to out (relative paths as in modules.dep, dependencies before
 * their users, each once) what loading module `name` takes, as modprobe
 * would: its modules.softdep "pre:" modules first, its "post:" ones after,
 * and a name that is no module resolved through modules.alias to every
 * module matching it. '-' and '_' are the same in names. A built-in module
 * adds nothing. -ENOENT when the kernel has no such module or alias (the
 * message in xb_error_last()).
 */
int xb_moddep_resolve(struct xb_kvlist *out, const struct xb_moddep *d, const char *name);

struct xb_image;

/*
 * Put module rel (a path relative to modules_dir, as in modules.dep) into
 * img under /lib/modules/<release>/. busybox insmod takes plain .ko files,
 * so .ko.xz / .ko.zst / .ko.gz (as Debian's 6.12 kernels ship them) are
 * decompressed on the host; *out_rel (allocated, the caller's) is the name
 * in the guest. 0 or -errno, the message in xb_error_last().
 */
int xb_module_add_to_image(struct xb_image *img, char **out_rel, const char *modules_dir,
			   const char *release, const char *rel);

#endif
