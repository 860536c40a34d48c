/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Booting a guest: QEMU started from an argument vector (no shell), its
 * console on the first serial port into a file, the results stream on the
 * second serial port into another file. A watchdog kills it on timeout, on
 * a kernel panic that does not end it, and when daxbench is interrupted;
 * QEMU dies with daxbench (PR_SET_PDEATHSIG) so no guest is left behind.
 */
#ifndef XB_QEMU_H
#define XB_QEMU_H
#ifndef XB_LAYER_HARNESS
#error "harness/guest/qemu.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include <sys/types.h>
#include "util.h"

/* How every QEMU daxbench starts backs guest RAM on the host (the
 * fingerprint's qemu.host_thp): never with transparent huge pages. */
#define XB_QEMU_HOST_THP "disabled (PR_SET_THP_DISABLE)"
/* ... and not offered to the host's KSM (qemu.host_ksm), but in share's
 * ksm mode. */
#define XB_QEMU_HOST_KSM "mem-merge=off unless the mode is ksm"

struct xb_argv {
	char **v;      /* NULL-terminated */
	size_t n;
};
void xb_argv_add(struct xb_argv *a, const char *s);
void xb_argv_addf(struct xb_argv *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void xb_argv_free(struct xb_argv *a);

struct xb_qemu_opts {
	const char *binary;        /* e.g. qemu-system-x86_64 */
	const char *accel;         /* tcg | kvm */
	bool icount;               /* tcg only: single-threaded, instruction time
				    * (XB_ICOUNT_ARGS, lib/clock.h) */
	const char *kernel;
	const char *initrd;
	const char *append;
	unsigned mem_mb;
	const char *mem_extra;     /* appended to -m (",slots=2,maxmem=4G"), or NULL */
	unsigned smp;
	const char *cpu;           /* NULL: QEMU's default model */
	const struct xb_argv *extra; /* backend's own arguments, or NULL */
	const char *console_path;
	const char *stream_path;   /* NULL: no results channel */
	const char *stderr_path;   /* QEMU's own messages */
	double timeout_s;
	const char *label;         /* for progress: "boot 1/3" */
	/* The guest's architecture (guest/arch.h: its machine, console and
	 * stream port); NULL: amd64, serial ports. */
	const char *arch;
};

struct xb_qemu_result {
	int status;          /* exit status, or 128+signal */
	bool timed_out;
	bool panicked;
	bool interrupted;
	char *reason;        /* NULL when the guest powered off by itself */
	char *guest_error;   /* "daxbench-guest: error: ..." text, if seen */
	char *console_tail;  /* last lines of the console */
	double started;
	double ended;
};

int xb_qemu_argv(struct xb_argv *out, const struct xb_qemu_opts *o);
int xb_qemu_boot(struct xb_qemu_result *out, const struct xb_qemu_opts *o);
/* The same watchdog around any program (argv); with console_is_stdout its
 * stdout and stderr are the console file (a native run). o->binary names
 * the program in reasons. */
int xb_supervise(struct xb_qemu_result *out, const struct xb_argv *a,
		 const struct xb_qemu_opts *o, bool console_is_stdout);
void xb_qemu_result_free(struct xb_qemu_result *r);
/* Start QEMU without waiting for it (several guests at once): the same argv,
 * process group and PR_SET_PDEATHSIG as xb_qemu_boot(); the caller polls it
 * and ends it with xb_qemu_stop() (SIGTERM, then SIGKILL after 2 s; reaped). */
int xb_qemu_spawn(pid_t *out, const struct xb_qemu_opts *o);
void xb_qemu_stop(pid_t pid);
/* "QEMU emulator version 7.2.x ..." first line, malloc'd, or NULL. */
char *xb_qemu_version(const char *binary);
/* Last max_lines lines of a text file (NULL if unreadable). */
char *xb_file_tail(const char *path, int max_lines);

#endif
