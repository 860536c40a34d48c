/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernels built from a git tree: a commit's tree (or the working tree's
 * tracked files, with --allow-dirty) is exported into the cache without
 * touching the user's checkout, configured from a small config for QEMU
 * x86-64 guests (tinyconfig + what the suites need, built in: no modules)
 * plus the user's fragment, and built out of tree (O=) with ccache when
 * there is one. The build directory is kept per (repository, config,
 * compiler), so the next commit is an incremental build; the bzImage and
 * its .config are kept per (tree, config, compiler) and not rebuilt.
 */
#ifndef XB_KBUILD_H
#define XB_KBUILD_H
#ifndef XB_LAYER_HARNESS
#error "harness/guest/kbuild.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>

struct xb_kbuild_opts {
	const char *cache_dir;     /* daxbench's cache (xb_cache_dir) */
	const char *fragment;      /* the user's config fragment file, or NULL */
	bool allow_dirty;          /* build uncommitted changes of tracked files */
	unsigned jobs;             /* make -j; 0: -j in $MAKEFLAGS, else the online CPUs */
};

struct xb_kbuild {
	char *bzimage;             /* in the cache */
	char *config;              /* the .config it was built with */
	char *commit;              /* 40 hex; HEAD for a dirty tree */
	char *describe;            /* git describe --always --tags (+ "-dirty") */
	long long commit_date;     /* committer date, unix seconds */
	char *tree;                /* the tree built: commit^{tree}, or the dirty tree */
	bool dirty;
	char config_input_sha256[65];  /* daxbench's config + the user's fragment */
	char *compiler;            /* "gcc 12.2.0" */
	char *log;                 /* the build log (also after a failure) */
	bool cached;               /* found built, nothing compiled */
	double build_s;            /* wall seconds of the build, 0 when cached */
};

/*
 * "DIR" or "DIR@REV" into the repository and the revision (NULL: the
 * working tree, HEAD plus uncommitted changes). Allocated, the caller's.
 */
int xb_kbuild_parse_spec(char **out_dir, char **out_rev, const char *spec);

/*
 * Build (or find built) the kernel of repository dir at rev (NULL: the
 * working tree; a dirty one is -EPERM unless o->allow_dirty). Progress on
 * a terminal; the log under the cache. -EINTR when interrupted
 * (xb_interrupted), the build stopped. *out is the caller's.
 */
int xb_kbuild(struct xb_kbuild **out, const char *dir, const char *rev,
	      const struct xb_kbuild_opts *o);
void xb_kbuild_free(struct xb_kbuild *b);

/* The config daxbench starts from (after `make tinyconfig`), for --help and tests. */
extern const char xb_kbuild_base_config[];

/* Every CONFIG_X=V line of input holds in the .config at config_path, and
 * every "# CONFIG_X is not set" is not set there; else -EINVAL naming them. */
int xb_kbuild_check_config(const char *input, const char *config_path);

/* Run git in repository dir: its trimmed stdout in *out (may be NULL). */
int xb_git(char **out, const char *dir, const char *const args[]);

#endif
