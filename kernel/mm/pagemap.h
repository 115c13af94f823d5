/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc/self/pagemap (Documentation/admin-guide/mm/pagemap.rst): per 4K page
 * of our own address space, whether it is present, swapped, and its PFN
 * (root only). Used for residency verdicts after reclaim and for the PFNs
 * that idle page tracking and DAMON's physical address ranges speak in.
 */
#ifndef MMUBENCH_PAGEMAP_H
#define MMUBENCH_PAGEMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGEMAP_PRESENT		(1ull << 63)
#define PAGEMAP_SWAPPED		(1ull << 62)
#define PAGEMAP_FILE_SHARED	(1ull << 61)
#define PAGEMAP_EXCLUSIVE	(1ull << 56)
#define PAGEMAP_SOFT_DIRTY	(1ull << 55)
#define PAGEMAP_PFN_MASK	((1ull << 55) - 1)
#define PAGEMAP_HINT		"CONFIG_PROC_PAGE_MONITOR=y"

/* Reads the entries of @npages 4K pages from @addr into @out. Returns 0 or -errno. */
int pagemap_read(const void *addr, uint64_t npages, uint64_t *out, char *err, size_t errlen);

static inline bool pagemap_present(uint64_t e)
{
	return e & PAGEMAP_PRESENT;
}

static inline bool pagemap_swapped(uint64_t e)
{
	return e & PAGEMAP_SWAPPED;
}

/* The PFN of a present page, 0 when absent or hidden (not root). */
static inline uint64_t pagemap_pfn(uint64_t e)
{
	return pagemap_present(e) ? e & PAGEMAP_PFN_MASK : 0;
}

/*
 * The prober's "mm.soft_dirty" and "mm.pagemap_scan", each from one freshly
 * written anonymous page: fill @o with {"present", "hint"?}. 0 or -ENOMEM.
 */
struct json_object;
int pagemap_probe_soft_dirty(struct json_object *o);
int pagemap_probe_scan(struct json_object *o);

#endif
