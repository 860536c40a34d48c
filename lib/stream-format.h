/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The results stream: how measurements leave a guest (or a native run).
 *
 * It travels on a channel of its own (the guest's second serial port,
 * /dev/ttyS1, which QEMU writes to a host file), never mixed into the
 * console. It is line-oriented text so that a person can read it with
 * `less`, and strict so that a damaged one is rejected, not half-believed.
 *
 *   DAXBENCH-STREAM 1\n                          magic and format version
 *   <type>\t<seq>\t<field>\t<field>...\n         records, seq = 1, 2, 3 ...
 *   end\t<nrecords>\t<crc32>\n                   end marker
 *
 * seq counts records from 1 without gaps, so a dropped or repeated record is
 * seen. <nrecords> is the number of records before "end"; <crc32> is eight
 * lower-case hex digits of CRC-32 (zlib's) over every byte of the stream
 * before the "end" line, magic line included. Nothing may follow the end
 * line. Fields contain no tab, newline or backslash except as the escapes
 * \t, \n and \\ (xb_stream_escape()).
 *
 * Record types (version 1):
 *   hdr  <key> <value>              a fact about the guest, for the fingerprint
 *                                   (kernel.release, kernel.cmdline, mount.opts,
 *                                   dax.active, clocksource, cpu.model ...)
 *   met  <name> <unit> <direction> <description>
 *                                   declares a metric before its samples;
 *                                   direction is lower, higher or none
 *   smp  <metric> <rep> <n> <v1,v2,...,vn>
 *                                   n raw samples of one repetition, decimal
 *                                   (%.17g round-trips); a metric's samples
 *                                   may come in several smp records per rep
 *   note <kind> <subject> <text>    kind: warning, skip, info or error
 *
 * A parser rejects: missing or unknown magic/version, an unknown record type,
 * a wrong field count, a seq out of order, samples of an undeclared metric, a
 * metric declared twice with different unit or direction, a non-numeric or
 * non-finite sample, n differing from the values given, a missing end line
 * (truncated), a count or CRC mismatch (garbled), and bytes after the end.
 */
#ifndef XB_STREAM_FORMAT_H
#define XB_STREAM_FORMAT_H

#define XB_STREAM_MAGIC "DAXBENCH-STREAM"
#define XB_STREAM_VERSION 1
/* Longest line a parser accepts; smp records are split to stay below. */
#define XB_STREAM_MAX_LINE (1u << 20)
/* Samples per smp record a writer emits at most. */
#define XB_STREAM_SAMPLES_PER_RECORD 4096

/* The channel inside an x86 guest: the second 8250 UART. */
#define XB_STREAM_GUEST_TTY "/dev/ttyS1"
/*
 * The channel inside an s390x guest (backend dcssblk-emu): s390x has
 * no 8250, and its SCLP console carries the kernel's messages, so the
 * stream goes through a virtio-serial port (-device virtio-serial-ccw,
 * -device virtserialport with a file chardev; module virtio_console),
 * which the guest sees as a character device that is not a tty: bytes
 * arrive unchanged and nothing else writes to it.
 */
#define XB_STREAM_GUEST_VPORT "/dev/vport0p1"

#endif
