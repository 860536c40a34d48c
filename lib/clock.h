/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Clock modes: what a guest's clock_gettime() measures.
 *
 *   wall    host time: QEMU runs as fast as the host lets it (TCG with a
 *           thread per vCPU, or KVM); native runs have only this
 *   icount  QEMU's instruction counter: TCG single-threaded, guest time
 *           advances by 2^shift ns per guest instruction executed and by
 *           nothing else (sleep=off: an idle guest jumps to its next timer)
 *   auto    icount for a TCG guest with one vCPU, else wall
 *
 * Shared by the harness (choosing and recording it), the results database
 * (never comparing or pooling runs of different clocks) and the reports.
 */
#ifndef XB_CLOCK_H
#define XB_CLOCK_H

#include <stdbool.h>

enum xb_clock { XB_CLOCK_AUTO, XB_CLOCK_WALL, XB_CLOCK_ICOUNT };

/* Fingerprint facts: "clock" is wall or icount (a run recorded before
 * clocks were is wall); "clock.icount" the exact QEMU options of icount. */
#define XB_FP_CLOCK "clock"
#define XB_FP_CLOCK_ICOUNT "clock.icount"
#define XB_FP_CLOCK_NOTE "clock.note"

/*
 * shift=0: one instruction is one "ns". The real-time clock starts at a
 * fixed date and runs on guest time: otherwise the host's time of day
 * leaks in at boot (the kernel mixes it into its random seed, so address
 * layouts and allocation order differ) and per-boot means differ by
 * 0.02-2% (README, "Clock modes"); with it, every figure repeats exactly.
 */
#define XB_ICOUNT_ACCEL "tcg,thread=single"
#define XB_ICOUNT_OPTS "shift=0,sleep=off,align=off"
#define XB_ICOUNT_RTC "base=2026-01-01T00:00:00,clock=vm"
#define XB_ICOUNT_ARGS "-accel " XB_ICOUNT_ACCEL " -icount " XB_ICOUNT_OPTS " -rtc " XB_ICOUNT_RTC

/* "auto", "wall", "icount" -> enum; -EINVAL for anything else. */
int xb_clock_parse(enum xb_clock *out, const char *s);
const char *xb_clock_name(enum xb_clock c);
/* The clock a fingerprint value names: NULL (not recorded) is "wall". */
const char *xb_clock_of(const char *fp_value);

/* A unit measured with the clock (ns, us, ms, s, ops/s, faults_per_s),
 * whose values icount turns into instruction counts. */
bool xb_clock_unit_is_time(const char *unit);
/* The unit as reports show it: "ns (icount)" under icount, else unit. */
char *xb_clock_unit_label(const char *unit, const char *clock);

/* What instruction time captures and what it cannot, one paragraph each,
 * for show, the published site and the refusal of a mixed comparison. */
extern const char xb_clock_icount_captures[];
extern const char xb_clock_icount_misses[];

#endif
