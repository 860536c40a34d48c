/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fuzz targets: one per parser of outside input. Built two ways: with
 * libFuzzer (scripts/fuzz, a benchmark run by hand) and with replay.c, which
 * feeds the kept corpus through the same function in the test command.
 */
#ifndef XB_FUZZ_H
#define XB_FUZZ_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
