/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One error convention (libgit2's): a function that fails returns a
 * negative errno and leaves one message in a per-thread buffer, saying
 * what failed and what to do. Whoever decides the failure is final - a
 * command, or a run recording why it failed - reads it with
 * xb_error_last() and reports it once. Nothing below the commands prints
 * an error; warnings (xb_warn) are not errors and still print.
 */
#ifndef XB_ERROR_H
#define XB_ERROR_H

/* Record the message and return rc (a negative errno; -EIO if rc >= 0). */
int xb_error_set(int rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prefix the current message: "<prefix>: <message>". Returns rc. */
int xb_error_wrap(int rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The last message of this thread; "" when none was set. */
const char *xb_error_last(void);
/* A malloc'd copy of the last message, and the buffer cleared. Never NULL. */
char *xb_error_take(void);
void xb_error_clear(void);
/* xb_err() of the last message (or of strerror(-rc) when none was set). */
void xb_error_print(int rc);

#endif
