/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel modules for the guest image, resolved from the kernel's modules.dep. */
#ifndef XB_MODULES_H
#define XB_MODULES_H

#include "../lib/util.h"

struct xb_moddep;

/* Parse modules.dep (+ modules.builtin when present) of a modules directory. */
int xb_moddep_load(struct xb_moddep **out, const char *modules_dir);
/* Same from text, for tests; builtin may be NULL. */
int xb_moddep_parse(struct xb_moddep **out, const char *dep_text, const char *builtin_text);
void xb_moddep_free(struct xb_moddep *d);

/*
 * Append to out (relative paths as in modules.dep, dependencies before
 * their users, each once) what loading module `name` takes. '-' and '_'
 * are the same in names. A built-in module adds nothing. -ENOENT when the
 * kernel has no such module, reported once.
 */
int xb_moddep_resolve(struct xb_kvlist *out, const struct xb_moddep *d, const char *name);

#endif
