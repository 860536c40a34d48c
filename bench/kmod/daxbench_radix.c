// SPDX-License-Identifier: GPL-2.0
/*
 * daxbench_radix: the kernel half of daxbench's radix benchmark. It fills
 * real XArrays with fs/dax-style value entries (payload above four flag
 * bits: lock, PMD, zero page, empty) for the pages of the real /dev/pmem0,
 * one holding sectors and one holding pfns, then times, per lookup,
 *   sector style: xa_load, sector -> pgoff, dax_direct_access() for the
 *                 address and the pfn, as fs/dax asked for both in 2017
 *                 (dax_writeback_one: size from the entry's order)
 *   pfn style:    xa_load, pfn -> kernel address
 * over an access pattern given by user space. See radix-kmod-abi.h.
 * On request it also times cuts of the sector path (its components), so
 * that the instructions of each piece can be told apart under icount.
 */
#include <linux/blkdev.h>
#include <linux/dax.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pfn_t.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <linux/xarray.h>
#include "radix-kmod-abi.h"

#define DAX_SHIFT 4   /* fs/dax.c: four flag bits below the payload */
#define DAX_PMD (1UL << 1)

static char *device = "/dev/pmem0";
module_param(device, charp, 0644);   /* writable: a second device, same module */
MODULE_PARM_DESC(device, "DAX-capable block device to translate on");

static char *method = "";
module_param(method, charp, 0444);
MODULE_PARM_DESC(method, "symbol of the device driver's ->direct_access, for the components");

typedef long (*da_fn)(struct dax_device *dax, pgoff_t pgoff, long nr_pages,
		      enum dax_access_mode mode, void **kaddr, pfn_t *pfn);

static DEFINE_MUTEX(lock);
static struct dentry *dir;
static void *result;      /* kvmalloc'd result of the last run */
static size_t result_len;

struct ctx {
	struct dax_device *dax;
	u64 start_off;
	u64 dev_pages;
	struct xarray xs, xp;
	const struct xb_kradix_req *req;
	const u32 *ord;
	da_fn method;      /* the driver's ->direct_access, for the components */
	u64 bad, checksum;
};

/* The driver's method is static in its module: find it by name. A kprobe
 * resolves the symbol (kallsyms_lookup_name is no longer exported). */
static da_fn find_method(void)
{
	struct kprobe kp = { .symbol_name = method };
	da_fn fn;

	if (!method[0] || register_kprobe(&kp))
		return NULL;
	fn = (da_fn)kp.addr;
	unregister_kprobe(&kp);
	return fn;
}

/* What the components call instead of a driver: nothing, to time a call. */
static noinline long empty_da(struct dax_device *dax, pgoff_t pgoff, long nr_pages,
			      enum dax_access_mode mode, void **kaddr, pfn_t *pfn)
{
	*kaddr = (void *)(pgoff + 1);
	return nr_pages;
}
static da_fn volatile empty_ptr = empty_da;

/* The module's sector -> pgoff step: fs/dax's bdev_dax_pgoff of 2017,
 * with 6.1's start offset in place of the partition's start sector. */
static inline int sector_pgoff(const struct ctx *c, u64 sector, pgoff_t *pgoff)
{
	u64 off = c->start_off + (sector << SECTOR_SHIFT);

	*pgoff = off >> PAGE_SHIFT;
	return off & (PAGE_SIZE - 1) ? -EINVAL : 0;
}

/* A sector entry to an address and a pfn (added to *pfn_sum). */
static void *resolve_sector(struct ctx *c, unsigned long entry, u64 *pfn_sum)
{
	size_t size = PAGE_SIZE << (entry & DAX_PMD ? PMD_SHIFT - PAGE_SHIFT : 0);
	pgoff_t pgoff;
	void *kaddr;
	pfn_t pfn;

	if (sector_pgoff(c, entry >> DAX_SHIFT, &pgoff))
		return NULL;
	if (dax_direct_access(c->dax, pgoff, size / PAGE_SIZE, DAX_ACCESS, &kaddr, &pfn) < 1)
		return NULL;
	*pfn_sum += pfn_t_to_pfn(pfn);
	return kaddr;
}

/* The sector path cut after one of its pieces (the components); METHOD,
 * CALL, ICALL and FULL ask for the pfn as the sector path does. */
static void *resolve_part(struct ctx *c, int path, unsigned long entry, u64 *pfn_sum)
{
	size_t size = PAGE_SIZE << (entry & DAX_PMD ? PMD_SHIFT - PAGE_SHIFT : 0);
	pgoff_t pgoff;
	void *kaddr = NULL;
	pfn_t pfn = { 0 };
	long n;

	if (sector_pgoff(c, entry >> DAX_SHIFT, &pgoff))
		return NULL;
	switch (path) {
	case XB_KRADIX_STEP:
		return (void *)(pgoff + size);
	case XB_KRADIX_PRIV:
		return (void *)((unsigned long)dax_get_private(c->dax) + pgoff + size);
	case XB_KRADIX_METHOD:
		n = c->method(c->dax, pgoff, size / PAGE_SIZE, DAX_ACCESS, &kaddr, &pfn);
		break;
	case XB_KRADIX_CALL:
		n = empty_da(c->dax, pgoff, size / PAGE_SIZE, DAX_ACCESS, &kaddr, &pfn);
		break;
	case XB_KRADIX_ICALL:
		n = empty_ptr(c->dax, pgoff, size / PAGE_SIZE, DAX_ACCESS, &kaddr, &pfn);
		break;
	default:
		n = dax_direct_access(c->dax, pgoff, size / PAGE_SIZE, DAX_ACCESS, &kaddr, &pfn);
		break;
	}
	if (n < 1)
		return NULL;
	*pfn_sum += pfn_t_to_pfn(pfn);
	return kaddr;
}

static int fill(struct ctx *c)
{
	const struct xb_kradix_req *r = c->req;
	int id, rc = 0;

	for (u64 k = 0; k < r->entries && !rc; k++) {
		u64 page = k % c->dev_pages;   /* a file larger than the device wraps */
		u64 sector = (page << PAGE_SHIFT) >> SECTOR_SHIFT;
		unsigned long index = k * r->stride;
		void *kaddr;
		pfn_t pfn;
		long n;

		id = dax_read_lock();
		n = dax_direct_access(c->dax, (c->start_off >> PAGE_SHIFT) + page, 1, DAX_ACCESS,
				      &kaddr, &pfn);
		dax_read_unlock(id);
		if (n < 1)
			return n < 0 ? (int)n : -ERANGE;
		rc = xa_err(xa_store(&c->xs, index, xa_mk_value(sector << DAX_SHIFT), GFP_KERNEL));
		if (!rc)
			rc = xa_err(xa_store(&c->xp, index,
					     xa_mk_value(pfn_t_to_pfn(pfn) << DAX_SHIFT), GFP_KERNEL));
		if ((k & 1023) == 0)
			cond_resched();
	}
	return rc;
}

/* Both encodings must name the same memory, or the timing compares
 * different work. */
static u64 verify(struct ctx *c)
{
	u64 bad = 0;
	int id = dax_read_lock();

	for (u64 k = 0; k < c->req->entries; k++) {
		unsigned long index = k * c->req->stride;
		void *es = xa_load(&c->xs, index), *ep = xa_load(&c->xp, index);

		void *kp = ep ? pfn_to_kaddr(xa_to_value(ep) >> DAX_SHIFT) : NULL;
		u64 pfn = 0;

		if (!es || !ep || resolve_sector(c, xa_to_value(es), &pfn) != kp ||
		    pfn != xa_to_value(ep) >> DAX_SHIFT)
			bad++;
		else if (c->method && (resolve_part(c, XB_KRADIX_METHOD, xa_to_value(es), &pfn) != kp ||
					       resolve_part(c, XB_KRADIX_FULL, xa_to_value(es), &pfn) != kp))
			bad++;
	}
	dax_read_unlock(id);
	return bad;
}

static u64 batch(struct ctx *c, int path, u32 *pos)
{
	const struct xb_kradix_req *r = c->req;
	u64 t0, t1, sum = 0;
	int id = 0;

	if (path == XB_KRADIX_SECTOR)
		id = dax_read_lock();
	t0 = ktime_get_ns();
	for (u32 i = 0; i < r->batch; i++) {
		unsigned long index = (unsigned long)c->ord[*pos] * r->stride;
		void *e, *kaddr;

		if (++*pos == r->stream_len)
			*pos = 0;
		if (path == XB_KRADIX_PFN) {
			e = xa_load(&c->xp, index);
			kaddr = e ? pfn_to_kaddr(xa_to_value(e) >> DAX_SHIFT) : NULL;
		} else {
			int lid = 0;

			e = xa_load(&c->xs, index);
			if (path == XB_KRADIX_SECTOR_LOCKED)
				lid = dax_read_lock();
			kaddr = e ? resolve_sector(c, xa_to_value(e), &sum) : NULL;
			if (path == XB_KRADIX_SECTOR_LOCKED)
				dax_read_unlock(lid);
		}
		if (!kaddr)
			c->bad++;
		sum += (unsigned long)kaddr;
	}
	t1 = ktime_get_ns();
	if (path == XB_KRADIX_SECTOR)
		dax_read_unlock(id);
	c->checksum += sum;
	return t1 - t0;
}

/* A component: the sector path's loop, cut after one piece. Kept apart
 * from batch() so that the benchmark's own loops stay as they were. */
static u64 batch_part(struct ctx *c, int path, u32 *pos)
{
	const struct xb_kradix_req *r = c->req;
	u64 t0, t1, sum = 0;
	int id = dax_read_lock();

	t0 = ktime_get_ns();
	for (u32 i = 0; i < r->batch; i++) {
		unsigned long index = (unsigned long)c->ord[*pos] * r->stride;
		void *e, *v;

		if (++*pos == r->stream_len)
			*pos = 0;
		e = xa_load(&c->xs, index);
		if (path == XB_KRADIX_LOAD)
			v = e;
		else
			v = e ? resolve_part(c, path, xa_to_value(e), &sum) : NULL;
		if (!v)
			c->bad++;
		sum += (unsigned long)v;
	}
	t1 = ktime_get_ns();
	dax_read_unlock(id);
	c->checksum += sum;
	return t1 - t0;
}

/* Paths interleaved batch by batch, so drift hits all of them alike. */
static void measure(struct ctx *c, u64 *out)
{
	const struct xb_kradix_req *r = c->req;
	u32 pos[XB_KRADIX_ALL_PATHS] = { 0 };

	for (u32 rep = 0; rep < r->reps; rep++) {
		for (u32 s = 0; s < r->samples; s++) {
			for (u32 p = 0; p < r->paths; p++)
				out[((u64)rep * r->paths + p) * r->samples + s] =
					p < XB_KRADIX_PATHS ? batch(c, p, &pos[p])
							    : batch_part(c, p, &pos[p]);
			cond_resched();
		}
	}
}

static int check_req(const struct xb_kradix_req *r, size_t len, const u32 *ord)
{
	if (len < sizeof(*r) || r->magic != XB_KRADIX_MAGIC || r->version != XB_KRADIX_VERSION)
		return -EINVAL;
	if (len != sizeof(*r) + (size_t)r->stream_len * sizeof(u32))
		return -EINVAL;
	if (!r->entries || !r->stride || !r->reps || !r->samples || !r->batch || !r->stream_len)
		return -EINVAL;
	if (r->paths != XB_KRADIX_PATHS && r->paths != XB_KRADIX_ALL_PATHS)
		return -EINVAL;
	if ((u64)r->reps * r->samples > (1u << 20) ||
	    (u64)(r->entries - 1) * r->stride > ULONG_MAX)
		return -EINVAL;
	for (u32 i = 0; i < r->stream_len; i++)
		if (ord[i] >= r->entries)
			return -EINVAL;
	return 0;
}

/* Opening a block device by path changed in 6.5 (holders) and 6.9 (a
 * struct file); Debian ships 6.1 and 6.12, the two handled here. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
typedef struct file *bdev_handle;
static bdev_handle bdev_open(const char *path)
{
	return bdev_file_open_by_path(path, BLK_OPEN_READ, NULL, NULL);
}
static struct block_device *handle_bdev(bdev_handle h) { return file_bdev(h); }
static void bdev_close(bdev_handle h) { fput(h); }
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#error "daxbench_radix: kernels 6.5 to 6.8 are not supported (block device open API)"
#else
typedef struct block_device *bdev_handle;
static bdev_handle bdev_open(const char *path)
{
	return blkdev_get_by_path(path, FMODE_READ, NULL);
}
static struct block_device *handle_bdev(bdev_handle h) { return h; }
static void bdev_close(bdev_handle h) { blkdev_put(h, FMODE_READ); }
#endif

static int open_dev(struct ctx *c, bdev_handle *out)
{
	bdev_handle h = bdev_open(device);
	void *kaddr;
	long n;
	int id;

	if (IS_ERR(h))
		return PTR_ERR(h);
	c->dax = fs_dax_get_by_bdev(handle_bdev(h), &c->start_off, NULL, NULL);
	if (!c->dax) {
		bdev_close(h);
		return -EOPNOTSUPP;
	}
	id = dax_read_lock();
	n = dax_direct_access(c->dax, c->start_off >> PAGE_SHIFT, LONG_MAX / PAGE_SIZE,
			      DAX_ACCESS, &kaddr, NULL);
	dax_read_unlock(id);
	if (n < 1) {
		fs_put_dax(c->dax, NULL);
		bdev_close(h);
		return n < 0 ? (int)n : -ENOSPC;
	}
	c->dev_pages = n;
	*out = h;
	return 0;
}

static int run(const struct xb_kradix_req *r, const u32 *ord)
{
	size_t nres = (size_t)r->reps * r->paths * r->samples;
	struct xb_kradix_result *res;
	bdev_handle bdev;
	struct ctx c = { .req = r, .ord = ord };
	int rc;

	res = kvzalloc(sizeof(*res) + nres * sizeof(u64), GFP_KERNEL);
	if (!res)
		return -ENOMEM;
	if (r->paths > XB_KRADIX_PATHS) {
		c.method = find_method();
		rc = -ENOENT;   /* method= names no symbol */
		if (!c.method)
			goto out_free;
	}
	rc = open_dev(&c, &bdev);
	if (rc)
		goto out_free;
	xa_init(&c.xs);
	xa_init(&c.xp);
	rc = fill(&c);
	if (rc)
		goto out_xa;
	res->mismatches = verify(&c);
	measure(&c, (u64 *)(res + 1));
	*res = (struct xb_kradix_result){
		.magic = XB_KRADIX_MAGIC, .version = XB_KRADIX_VERSION, .reps = r->reps,
		.samples = r->samples, .batch = r->batch, .paths = r->paths,
		.device_pages = c.dev_pages, .mismatches = res->mismatches, .bad = c.bad,
		.checksum = c.checksum,
	};
	kvfree(result);
	result = res;
	result_len = sizeof(*res) + nres * sizeof(u64);
	res = NULL;
out_xa:
	xa_destroy(&c.xs);
	xa_destroy(&c.xp);
	fs_put_dax(c.dax, NULL);
	bdev_close(bdev);
out_free:
	kvfree(res);
	return rc;
}

static ssize_t run_write(struct file *f, const char __user *ubuf, size_t len, loff_t *ppos)
{
	struct xb_kradix_req *r;
	ssize_t rc;

	if (len < sizeof(*r) || len > sizeof(*r) + (16u << 20))
		return -EINVAL;
	r = vmemdup_user(ubuf, len);
	if (IS_ERR(r))
		return PTR_ERR(r);
	rc = check_req(r, len, (const u32 *)(r + 1));
	if (!rc) {
		mutex_lock(&lock);
		rc = run(r, (const u32 *)(r + 1));
		mutex_unlock(&lock);
	}
	kvfree(r);
	return rc ? rc : (ssize_t)len;
}

static ssize_t run_read(struct file *f, char __user *ubuf, size_t len, loff_t *ppos)
{
	ssize_t rc;

	mutex_lock(&lock);
	rc = result ? simple_read_from_buffer(ubuf, len, ppos, result, result_len) : -ENODATA;
	mutex_unlock(&lock);
	return rc;
}

static const struct file_operations run_fops = {
	.owner = THIS_MODULE,
	.read = run_read,
	.write = run_write,
	.llseek = default_llseek,
};

static int __init xb_radix_init(void)
{
	dir = debugfs_create_dir("daxbench_radix", NULL);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	debugfs_create_file("run", 0600, dir, NULL, &run_fops);
	return 0;
}

static void __exit xb_radix_exit(void)
{
	debugfs_remove_recursive(dir);
	kvfree(result);
}

module_init(xb_radix_init);
module_exit(xb_radix_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("daxbench: XArray lookup with sector- vs pfn-style DAX entries");
