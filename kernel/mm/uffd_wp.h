/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An exact, independent oracle for host-visible writes to guest memory:
 * userfaultfd write-protection in async mode (UFFD_FEATURE_WP_ASYNC, Linux
 * 6.7+) read and re-armed with the PAGEMAP_SCAN ioctl of /proc/self/pagemap
 * (category PAGE_IS_WRITTEN; Documentation/admin-guide/mm/pagemap.rst).
 *
 * uffd_wp_register() write-protects a range in the host page tables (with
 * UFFD_FEATURE_WP_UNPOPULATED also the pages not populated yet, through PTE
 * markers). A write to a protected page, whoever makes it, takes a write fault
 * that the kernel resolves by itself in async mode: it clears the page's
 * uffd-wp bit, no event is queued and no thread ever waits. uffd_wp_scan()
 * reports every page whose bit is clear (written since it was last protected)
 * and protects it again, page by page under the page table lock: a write is
 * reported by exactly one scan (this one, or the next if it races with it).
 *
 * With KVM (measured on PVM shadow paging, guests at CPL3 and CPL0, anon and
 * shmem; tests/kvm/test_uffd_wp.c):
 *   - Protecting fires the MMU notifier (MMU_NOTIFY_PROTECTION_VMA) and KVM
 *     zaps its mappings of the range, so the guest's next access to each page
 *     faults into KVM again. A guest write makes KVM fault the page in for
 *     writing (GUP with FOLL_WRITE; a uaccess for emulated CPL0 code), which
 *     resolves the async write-protect fault in the host mm without a
 *     userfault event (UFFD_USER_MODE_ONLY does not matter: async faults
 *     never reach the handler); the page counts as written. A guest read maps
 *     the page read-only in KVM (the host PTE is not writable, so KVM's
 *     opportunistic writable mapping fails) and counts as nothing.
 *   - KVM's own dirty logging keeps working and stays exact: the write fault
 *     marks the page dirty in the memslot's bitmap as usual, and reads do not
 *     (no writable mapping on a read, so no spurious dirty pages either).
 *   - Cost to the watched guest: PAGEMAP_SCAN with PM_SCAN_WP_MATCHING
 *     invalidates KVM's mappings over its whole range, protected or not.
 *     So uffd_wp_scan() by default first looks the written runs up without
 *     protecting (no notifier) and then gets-and-protects run by run
 *     (UFFD_WP_REARM_RUNS): only the written pages lose their KVM mapping
 *     and fault again on their next access, reads too (KVM's own
 *     write-protection at a dirty-log harvest keeps them readable: with the
 *     oracle on, a scenario sees more faults than without). A scan costs
 *     about 3-6 us per written run (one ioctl and one KVM invalidation each).
 *     UFFD_WP_REARM_RANGE does one pass over the whole range (cheapest scan:
 *     about 0.1 us per written page) but makes every guest access after it
 *     fault again, reads of pages nobody wrote included.
 *   - It sees writes to the host's pages, not guest intent: a write KVM made
 *     on its own behalf (e.g. to a guest page table's A/D bits under shadow
 *     paging, if the tables were in a registered range) would count too.
 *
 * Granularity: 4K, also for a THP: a write to a protected PMD-mapped THP
 * splits the PMD mapping (wp_huge_pmd() in async mode), so the written 4K is
 * reported alone, but that 2M is no longer mapped huge, by the host nor then
 * by KVM. hugetlb pages cannot split: a write reports the whole 2M page, and
 * a scan range must cover hugetlb pages whole. hugetlb and shmem need
 * UFFD_FEATURE_WP_HUGETLBFS_SHMEM; other files (ext4, ...) cannot be
 * registered for write-protection at all.
 *
 * A fork()ed child does not inherit the registration (no
 * UFFD_FEATURE_EVENT_FORK); the VMM must not fork anyway (ENVIRONMENT.md).
 */
#ifndef MMUBENCH_UFFD_WP_H
#define MMUBENCH_UFFD_WP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UFFD_WP_DEV		"/dev/userfaultfd"
#define UFFD_WP_UNPRIVILEGED	"/proc/sys/vm/unprivileged_userfaultfd"

struct uffd_wp;
struct json_object;

/*
 * Opens a userfaultfd in WP_ASYNC mode (UFFD_USER_MODE_ONLY when allowed: the
 * async resolution never calls into the fault handler, so KVM's kernel-mode
 * faults are covered just as well) and /proc/self/pagemap. -EOPNOTSUPP with
 * the reason and what to change when the kernel lacks userfaultfd,
 * WP_ASYNC/WP_UNPOPULATED or PAGEMAP_SCAN; -EPERM when userfaultfd is not
 * allowed.
 */
int uffd_wp_open(struct uffd_wp **out, char *err, size_t errlen);
void uffd_wp_close(struct uffd_wp *u);

/*
 * Registers [addr, addr + len) (page aligned; 2M aligned for hugetlb) for
 * write-protection and protects all of it: the next uffd_wp_scan() reports
 * only what is written from now on. -EOPNOTSUPP for memory that cannot be
 * write-protected (a file other than shmem/hugetlbfs, or shmem/hugetlb
 * without UFFD_FEATURE_WP_HUGETLBFS_SHMEM).
 */
int uffd_wp_register(struct uffd_wp *u, void *addr, size_t len, char *err, size_t errlen);

/* Undoes uffd_wp_register(); closing the descriptor does it for every range. */
int uffd_wp_unregister(struct uffd_wp *u, void *addr, size_t len, char *err, size_t errlen);

/*
 * One atomic read-and-re-protect pass over @npages 4K pages from @addr (inside
 * registered ranges): sets bit i of @written (a bitmap of @npages bits, all
 * bits overwritten) exactly when page i was written since it was last
 * protected, and protects it again. Returns the number of written pages, or
 * -errno (-EPERM: part of the range is not registered). @ns, when not NULL,
 * gets the scan's wall time.
 */
enum uffd_wp_rearm {
	UFFD_WP_REARM_RUNS,	/* default: look up, then get-and-protect each written run */
	UFFD_WP_REARM_RANGE,	/* one get-and-protect pass over the range: zaps all of KVM's */
};

/* How uffd_wp_scan() protects again (see the top of this file). */
void uffd_wp_set_rearm(struct uffd_wp *u, enum uffd_wp_rearm how);

int64_t uffd_wp_scan(struct uffd_wp *u, void *addr, uint64_t npages, unsigned long *written,
		     uint64_t *ns, char *err, size_t errlen);

/*
 * Whether a userfault event is queued (a thread blocked on a fault of ours).
 * In async write-protect mode this never happens: a check for tests.
 */
bool uffd_wp_event_pending(struct uffd_wp *u);

/*
 * The prober's "mm.userfaultfd": fills @o with {"syscall", "syscall_error"?,
 * "dev", "unprivileged_userfaultfd", "usable", "features": [...], "hint"?}:
 * whether a userfaultfd can be had at all, and every feature UFFDIO_API
 * offers. 0 or -ENOMEM.
 */
int uffd_wp_probe(struct json_object *o);

#endif
