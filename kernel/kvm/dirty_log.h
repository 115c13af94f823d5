/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KVM dirty logging, the mechanics a migration-like harvester needs: the
 * per-slot bitmap (KVM_GET_DIRTY_LOG, which clears as it reads), manual
 * protection (KVM_GET_DIRTY_LOG + KVM_CLEAR_DIRTY_LOG in chunks, optionally
 * with every bit initially set) and the per-vCPU dirty ring (mmapped array of
 * struct kvm_dirty_gfn, KVM_RESET_DIRTY_RINGS, KVM_EXIT_DIRTY_RING_FULL).
 *
 * Every ioctl that does work proportional to guest memory is timed with
 * CLOCK_MONOTONIC and its duration in nanoseconds handed back through @ns
 * (may be NULL). Errors are -errno with a message naming the ioctl, the slot
 * and the cause; a kernel feature that is missing is -EOPNOTSUPP with what to
 * change.
 *
 * Order of calls:
 *   bitmap:  dirty_log_set_logging(on) ... dirty_log_get() per round
 *   manual:  dirty_log_enable_manual_protect() (before logging is enabled on
 *            any slot), dirty_log_set_logging(on), then per round
 *            dirty_log_get() + dirty_log_clear() of what was harvested
 *   ring:    dirty_log_enable_ring() right after kvm_vm_create(), BEFORE ANY
 *            vCPU EXISTS; dirty_ring_map() per vCPU; dirty_log_set_logging(on);
 *            per round dirty_ring_harvest() on every vCPU, then one
 *            dirty_ring_reset(); on KVM_EXIT_DIRTY_RING_FULL do the same and
 *            KVM_RUN again. Once a ring is enabled, the bitmap ioctls fail
 *            with ENXIO.
 */
#ifndef MMUBENCH_DIRTY_LOG_H
#define MMUBENCH_DIRTY_LOG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/kvm/kvm.h"

/*
 * Fallbacks for uapi headers older than the features (all of these are in
 * Linux 6.12's <linux/kvm.h>; the values are the kernel's ABI).
 */
#ifndef KVM_CAP_DIRTY_LOG_RING
#define KVM_CAP_DIRTY_LOG_RING 192		/* Linux 5.11 */
#endif
#ifndef KVM_CAP_DIRTY_LOG_RING_ACQ_REL
#define KVM_CAP_DIRTY_LOG_RING_ACQ_REL 223	/* Linux 6.1 */
#endif
#ifndef KVM_CAP_ARM_EAGER_SPLIT_CHUNK_SIZE
#define KVM_CAP_ARM_EAGER_SPLIT_CHUNK_SIZE 228	/* Linux 6.6 */
#endif
#ifndef KVM_EXIT_DIRTY_RING_FULL
#define KVM_EXIT_DIRTY_RING_FULL 31		/* Linux 5.11 (api.rst calls it ..._LOG_FULL) */
#endif
#ifndef KVM_RESET_DIRTY_RINGS
#define KVM_RESET_DIRTY_RINGS _IO(KVMIO, 0xc7)	/* Linux 5.11 */
#endif
#ifndef KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE
#define KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE (1 << 0)	/* Linux 5.6 */
#endif
#ifndef KVM_DIRTY_LOG_INITIALLY_SET
#define KVM_DIRTY_LOG_INITIALLY_SET (1 << 1)		/* Linux 5.6 */
#endif
#ifndef KVM_DIRTY_GFN_F_DIRTY
#define KVM_DIRTY_GFN_F_DIRTY (1u << 0)		/* Linux 5.11 */
#define KVM_DIRTY_GFN_F_RESET (1u << 1)
struct kvm_dirty_gfn {
	__u32 flags;
	__u32 slot;	/* as_id << 16 | slot id */
	__u64 offset;	/* page within the slot */
};
#endif

/* Host pages (KVM's dirty-log unit, 4 KiB on x86) in memslot @slot; 0 if unused. */
uint64_t dirty_log_slot_pages(struct kvm_vm *vm, uint32_t slot);

/*
 * The bitmaps here are bitmap.h's: unsigned long words, bit i = page i of the
 * slot. KVM's bitmap is little-endian bit order (set_bit_le: bit i is bit i%8
 * of byte i/8) and always whole 64-bit words, so a bitmap handed to
 * dirty_log_get() must hold DIRTY_LOG_BITMAP_WORDS(npages) words (equal to
 * bitmap.h's BITMAP_WORDS on 64-bit hosts). On big-endian hosts the words are
 * byte-swapped here, so callers always see the native layout.
 */
#define DIRTY_LOG_BITMAP_WORDS(npages) \
	((((npages) + 63) / 64) * (8 / sizeof(unsigned long)))

/*
 * KVM_ENABLE_CAP(KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2) with
 * KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE, plus KVM_DIRTY_LOG_INITIALLY_SET when
 * @initially_set (every bit of a slot's bitmap starts at 1 when logging is
 * enabled and pages are only write-protected by the first CLEAR). Call it
 * before logging is enabled on any slot. -EOPNOTSUPP when the capability, or
 * the flag, is not offered.
 */
int dirty_log_enable_manual_protect(struct kvm_vm *vm, bool initially_set,
				    char *err, size_t errlen);

/*
 * KVM_ENABLE_CAP(KVM_CAP_DIRTY_LOG_RING or, with @acq_rel, ..._ACQ_REL) with
 * a ring of @bytes per vCPU (16 bytes an entry). MUST BE CALLED BEFORE ANY
 * vCPU IS CREATED: KVM allocates each vCPU's ring at KVM_CREATE_VCPU and
 * refuses the capability once a vCPU exists. @bytes must be a power of two,
 * at least one page and at least (64 reserved + the CPU's dirty-log buffer,
 * 512 with Intel PML) entries, so 4 KiB on SVM and PVM, 16 KiB on VMX; at most
 * the capability's value. -EOPNOTSUPP (+ what to do) when the capability is
 * absent or @bytes exceeds its maximum; -EINVAL for a size KVM rejects.
 */
int dirty_log_enable_ring(struct kvm_vm *vm, uint32_t bytes, bool acq_rel,
			  char *err, size_t errlen);

/* One vCPU's ring as mapped into this process. */
struct dirty_ring {
	struct kvm_dirty_gfn *gfns;
	uint32_t entries;	/* bytes / 16, a power of two */
	uint32_t fetch;		/* next entry to harvest (free-running, masked on use) */
	size_t bytes;
	int vcpu_index;
};

/*
 * mmap()s @vcpu's ring (MAP_SHARED, read-write, at KVM_DIRTY_LOG_PAGE_OFFSET
 * pages into the vCPU fd). @bytes must be what dirty_log_enable_ring() got.
 * It probes with KVM_RESET_DIRTY_RINGS that the VM has a ring (without one
 * the mapping would SIGBUS on first use); that only resets entries already
 * harvested, which is always safe.
 */
int dirty_ring_map(struct kvm_vcpu *vcpu, uint32_t bytes, struct dirty_ring *ring,
		   char *err, size_t errlen);
void dirty_ring_unmap(struct dirty_ring *ring);

/*
 * Collects the entries KVM published since the last harvest, in order: while
 * the entry at the fetch index has KVM_DIRTY_GFN_F_DIRTY (an acquire load),
 * calls @fn (may be NULL) with its slot (as_id << 16 | id) and page offset,
 * marks it KVM_DIRTY_GFN_F_RESET (a release store) and advances. Returns the
 * number harvested. The pages are re-protected only by dirty_ring_reset(),
 * which must come before the harvester reads their contents. A vCPU still in
 * KVM_RUN may hold writes not yet pushed (Intel PML buffer): kick it out first
 * when that matters; every exit to userspace flushes.
 */
uint32_t dirty_ring_harvest(struct dirty_ring *ring,
			    void (*fn)(void *arg, uint32_t slot, uint64_t offset), void *arg);

/*
 * KVM_RESET_DIRTY_RINGS: re-protects every harvested entry of every vCPU and
 * frees them. Returns the number of entries reset (>= 0) or -errno.
 */
int dirty_ring_reset(struct kvm_vm *vm, uint64_t *ns);

/*
 * Sets or clears KVM_MEM_LOG_DIRTY_PAGES on @slot (KVM_SET_USER_MEMORY_REGION
 * through kvm_memslot_set_flags()). Turning it on allocates the slot's bitmap
 * (unless a ring is used) and write-protects the slot's pages, which is what
 * @ns measures; with KVM_DIRTY_LOG_INITIALLY_SET nothing is write-protected
 * yet.
 */
int dirty_log_set_logging(struct kvm_vm *vm, uint32_t slot, bool on, uint64_t *ns,
			  char *err, size_t errlen);

/*
 * KVM_GET_DIRTY_LOG of @slot into @bitmap (DIRTY_LOG_BITMAP_WORDS(pages)
 * words, native layout on return). Without manual protection KVM clears its
 * bitmap and re-protects the reported pages in the same call; with it, the
 * bits stay set until dirty_log_clear(). -ENOENT when logging is off on the
 * slot, -ENXIO when the VM uses a dirty ring.
 */
int dirty_log_get(struct kvm_vm *vm, uint32_t slot, unsigned long *bitmap, uint64_t *ns,
		  char *err, size_t errlen);

/*
 * KVM_CLEAR_DIRTY_LOG of the pages set in @bitmap (bit i = page i of the
 * slot, @npages bits) in chunks of @chunk_pages (a multiple of 64; 0 means the
 * whole of @npages at once). Every chunk starts at a multiple of 64 pages; a
 * chunk shorter than a multiple of 64 is allowed only when it ends at the end
 * of the slot (api.rst), so @npages must be a multiple of 64 or the slot's
 * page count. Chunks with no bit set are skipped. @ns is the total of the
 * ioctls. Returns the number of KVM_CLEAR_DIRTY_LOG calls made, or -errno.
 */
int dirty_log_clear(struct kvm_vm *vm, uint32_t slot, const unsigned long *bitmap,
		    uint64_t npages, uint64_t chunk_pages, uint64_t *ns,
		    char *err, size_t errlen);

/*
 * Eager page splitting as it applies to this host, one line of text for the
 * record: on x86 the kvm.eager_page_split module parameter, which only acts
 * with the TDP MMU (huge SPTEs split when logging is enabled, or on CLEAR with
 * initially-set); on arm64 KVM_CAP_ARM_EAGER_SPLIT_CHUNK_SIZE of @vm.
 * Returns 0, or -errno with the cause in @buf.
 */
int dirty_log_eager_split(struct kvm_vm *vm, char *buf, size_t len);

#endif
