// SPDX-License-Identifier: GPL-2.0
/* How QEMU TCG icount counts rep-prefixed string instructions: the TSC
 * delta (under -icount shift=0 the TSC is the instruction count) across
 * 4 KiB done by rep stosb, rep stosq, rep movsb, rep movsq and by plain
 * loops of known length. Runs as /init, prints, powers off. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/reboot.h>
#include <unistd.h>

static uint8_t src[4096] __attribute__((aligned(4096)));
static uint8_t dst[4096] __attribute__((aligned(4096)));

static inline uint64_t tsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

#define TIMED(name, ...) do { \
	for (int r = 0; r < 5; r++) { \
		void *d = dst, *s = src; unsigned long n; uint64_t t0, t1; \
		(void)d; (void)s; (void)n; \
		t0 = tsc(); __VA_ARGS__; t1 = tsc(); \
		printf("%-26s rep %d: %llu\n", name, r, (unsigned long long)(t1 - t0)); \
	} } while (0)

int main(void)
{
	char line[4096];
	FILE *f;

	memset(src, 1, sizeof(src));
	memset(dst, 2, sizeof(dst));
	TIMED("empty", (void)0);
	TIMED("rep stosb 4096", { n = 4096; asm volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(0) : "memory"); });
	TIMED("rep stosq 512", { n = 512; asm volatile("rep stosq" : "+D"(d), "+c"(n) : "a"(0) : "memory"); });
	TIMED("rep movsb 4096", { n = 4096; asm volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory"); });
	TIMED("rep movsq 512", { n = 512; asm volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(n) : : "memory"); });
	/* 4 instructions an iteration */
	TIMED("byte loop 4096 (4 insn/it)", { n = 4096; asm volatile("1: movb %%al,(%%rdi); inc %%rdi; dec %%rcx; jnz 1b" : "+D"(d), "+c"(n) : "a"(0) : "memory"); });
	TIMED("qword loop 512 (4 insn/it)", { n = 512; asm volatile("1: movq %%rax,(%%rdi); add $8,%%rdi; dec %%rcx; jnz 1b" : "+D"(d), "+c"(n) : "a"(0) : "memory"); });
	mkdir("/proc", 0555);
	mount("proc", "/proc", "proc", 0, NULL);
	f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "flags", 5) || !strncmp(line, "model name", 10)) {
			printf("%s", line);
			if (line[0] == 'f')
				break;
		}
	printf("rep_good: %s, erms: %s, fsrm: %s\n", strstr(line, " rep_good") ? "yes" : "no",
	       strstr(line, " erms") ? "yes" : "no", strstr(line, " fsrm") ? "yes" : "no");
	fflush(stdout);
	reboot(RB_POWER_OFF);
	return 0;
}
