// SPDX-License-Identifier: GPL-2.0
/*
 * daxbench_inject: a known amount of extra work on the DAX fault path, for
 * `daxbench calibrate`. A kprobe on the fault handler (dax_iomap_pte_fault
 * by default) spins `spin` iterations of an empty loop on each call; the
 * loop's barrier() keeps the compiler from removing or folding it, so the
 * added work is spin times the cost of one iteration (about two
 * instructions: under QEMU's icount, about 2 ns each). spin=0 leaves the
 * probe in place doing nothing: a calibration's baseline carries the
 * probe's own cost too, so both sides differ only in the loop.
 */
#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/kprobes.h>
#include <linux/module.h>

static unsigned long spin;
module_param(spin, ulong, 0444);
MODULE_PARM_DESC(spin, "empty-loop iterations added to each call of the probed function");

static char *symbol = "dax_iomap_pte_fault";
module_param(symbol, charp, 0444);
MODULE_PARM_DESC(symbol, "function to probe");

static atomic_long_t hits = ATOMIC_LONG_INIT(0);

static int hits_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%ld\n", atomic_long_read(&hits));
}

static const struct kernel_param_ops hits_ops = { .get = hits_get };
module_param_cb(hits, &hits_ops, NULL, 0444);
MODULE_PARM_DESC(hits, "calls of the probed function seen so far");

static noinline void spin_for(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		barrier();
}

static int pre(struct kprobe *p, struct pt_regs *regs)
{
	atomic_long_inc(&hits);
	spin_for(READ_ONCE(spin));
	return 0;
}

static struct kprobe probe = { .pre_handler = pre };

static int __init inject_init(void)
{
	int rc;

	probe.symbol_name = symbol;
	rc = register_kprobe(&probe);
	if (rc)
		pr_err("daxbench_inject: cannot probe %s: %d\n", symbol, rc);
	else
		pr_info("daxbench_inject: %lu spin iterations per call of %s\n", spin, symbol);
	return rc;
}

static void __exit inject_exit(void)
{
	unregister_kprobe(&probe);
}

module_init(inject_init);
module_exit(inject_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("daxbench: known extra work on the DAX fault path, for calibration");
