// SPDX-License-Identifier: GPL-2.0
/*
 * KVM dirty logging: bitmap, manual protection, dirty ring. See dirty_log.h;
 * the rules quoted in the comments are Documentation/virt/kvm/api.rst's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kernel/kvm/dirty_log.h"
#include "kernel/kvm/kvm_probe.h"
#include "kernel/mm/sysfs.h"
#include "src/lib/util.h"

/*
 * Where the rings live in a vCPU fd, in pages. <linux/kvm.h> falls back to 0
 * ("not supported") when the architecture header does not define it; a uapi
 * older than the dirty ring has neither.
 */
#ifndef KVM_DIRTY_LOG_PAGE_OFFSET
#if defined(__x86_64__) || defined(__i386__)
#define KVM_DIRTY_LOG_PAGE_OFFSET 64
#else
#define KVM_DIRTY_LOG_PAGE_OFFSET 0
#endif
#endif

/* KVM's reserved ring entries (KVM_DIRTY_RING_RSVD_ENTRIES) and Intel PML's buffer. */
#define DIRTY_RING_RSVD_ENTRIES	64
#define DIRTY_RING_PML_ENTRIES	512

static uint64_t dirty_log_page_size(void)
{
	long ps = sysconf(_SC_PAGESIZE);

	return ps > 0 ? (uint64_t)ps : 4096;
}

static struct kvm_memslot *dirty_log_slot(struct kvm_vm *vm, uint32_t slot)
{
	if (slot >= KVM_MAX_MEMSLOTS || !vm->slots[slot].used)
		return NULL;
	return &vm->slots[slot];
}

uint64_t dirty_log_slot_pages(struct kvm_vm *vm, uint32_t slot)
{
	struct kvm_memslot *s = dirty_log_slot(vm, slot);

	return s ? s->size / dirty_log_page_size() : 0;
}

/*
 * KVM's bitmaps are little-endian bit order (bit i in byte i/8); bitmap.h's
 * are native unsigned longs. On little-endian hosts they are the same bytes;
 * on big-endian ones reversing the bytes of each word converts either way.
 */
static inline unsigned long dirty_log_le_word(unsigned long w)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	if (sizeof(w) == 8)
		return (unsigned long)__builtin_bswap64(w);
	return (unsigned long)__builtin_bswap32(w);
#else
	return w;
#endif
}

int dirty_log_enable_manual_protect(struct kvm_vm *vm, bool initially_set,
				    char *err, size_t errlen)
{
	uint64_t want = KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE |
			(initially_set ? KVM_DIRTY_LOG_INITIALLY_SET : 0);
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2,
		.args = { want },
	};
	int offered, ret;

	/* KVM_CHECK_EXTENSION answers with the flags it accepts (3 on x86 and arm64) */
	offered = kvm_check_cap(vm, KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2);
	if (!offered)
		return errf(err, errlen, -EOPNOTSUPP,
			    "KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 not offered: KVM_CLEAR_DIRTY_LOG needs Linux 5.6+ on x86, arm64 or mips");
	if ((offered & want) != want)
		return errf(err, errlen, -EOPNOTSUPP,
			    "KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 offers flags %#x, not %#llx: KVM_DIRTY_LOG_INITIALLY_SET needs x86 or arm64",
			    offered, (unsigned long long)want);
	if (ioctl(vm->vm_fd, KVM_ENABLE_CAP, &cap) < 0) {
		ret = -errno;
		return errf(err, errlen, ret,
			    "KVM_ENABLE_CAP(MANUAL_DIRTY_LOG_PROTECT2, %#llx): %s",
			    (unsigned long long)want, strerror(-ret));
	}
	return 0;
}

int dirty_log_enable_ring(struct kvm_vm *vm, uint32_t bytes, bool acq_rel,
			  char *err, size_t errlen)
{
	long capno = acq_rel ? KVM_CAP_DIRTY_LOG_RING_ACQ_REL : KVM_CAP_DIRTY_LOG_RING;
	const char *name = acq_rel ? "KVM_CAP_DIRTY_LOG_RING_ACQ_REL" : "KVM_CAP_DIRTY_LOG_RING";
	struct kvm_enable_cap cap = { .cap = capno, .args = { bytes } };
	uint64_t page = dirty_log_page_size();
	int max, ret;

	if (!KVM_DIRTY_LOG_PAGE_OFFSET)
		return errf(err, errlen, -EOPNOTSUPP,
			    "dirty ring: this architecture's uapi has no KVM_DIRTY_LOG_PAGE_OFFSET (x86 and arm64 have); use the bitmap");
	max = kvm_check_cap(vm, capno);
	if (max <= 0)
		return errf(err, errlen, -EOPNOTSUPP,
			    "%s not offered: the dirty ring needs Linux 5.11+ on x86 (CONFIG_HAVE_KVM_DIRTY_RING_TSO), ACQ_REL 6.1+ (the only one on arm64); use the bitmap (KVM_GET_DIRTY_LOG)%s",
			    name, !acq_rel && kvm_check_cap(vm, KVM_CAP_DIRTY_LOG_RING_ACQ_REL) > 0 ?
			    " or KVM_CAP_DIRTY_LOG_RING_ACQ_REL, which this host offers" : "");
	if (!bytes || (bytes & (bytes - 1)))
		return errf(err, errlen, -EINVAL,
			    "dirty ring of %u bytes: the size must be a power of two", bytes);
	if (bytes < page || bytes / sizeof(struct kvm_dirty_gfn) < DIRTY_RING_RSVD_ENTRIES)
		return errf(err, errlen, -EINVAL,
			    "dirty ring of %u bytes: at least one page (%llu bytes) and %d reserved entries of %zu bytes",
			    bytes, (unsigned long long)page, DIRTY_RING_RSVD_ENTRIES,
			    sizeof(struct kvm_dirty_gfn));
	if (bytes > (uint32_t)max)
		return errf(err, errlen, -EOPNOTSUPP,
			    "dirty ring of %u bytes: %s allows at most %d bytes (%zu entries) per vCPU",
			    bytes, name, max, max / sizeof(struct kvm_dirty_gfn));
	if (ioctl(vm->vm_fd, KVM_ENABLE_CAP, &cap) < 0) {
		ret = -errno;
		return errf(err, errlen, ret,
			    "KVM_ENABLE_CAP(%s, %u bytes): %s%s", name, bytes, strerror(-ret),
			    ret != -EINVAL ? "" :
			    " (KVM refuses it once a vCPU exists or a ring is already set, and needs room for 64 reserved entries plus the CPU's dirty-log buffer: 512 more with Intel PML, i.e. 16 KiB)");
	}
	return 0;
}

int dirty_ring_map(struct kvm_vcpu *vcpu, uint32_t bytes, struct dirty_ring *ring,
		   char *err, size_t errlen)
{
	uint64_t page = dirty_log_page_size();
	void *p;
	int ret;

	memset(ring, 0, sizeof(*ring));
	if (!KVM_DIRTY_LOG_PAGE_OFFSET)
		return errf(err, errlen, -EOPNOTSUPP,
			    "vCPU %d: no dirty ring on this architecture", vcpu->index);
	if (!bytes || (bytes & (bytes - 1)) || bytes % page)
		return errf(err, errlen, -EINVAL,
			    "vCPU %d: dirty ring of %u bytes: not a power-of-two number of pages",
			    vcpu->index, bytes);
	/* without a ring the mapping succeeds and the first access is a SIGBUS */
	if (ioctl(vcpu->vm->vm_fd, KVM_RESET_DIRTY_RINGS, 0) < 0) {
		ret = -errno;
		return errf(err, errlen, ret,
			    "vCPU %d: KVM_RESET_DIRTY_RINGS: %s%s", vcpu->index, strerror(-ret),
			    ret == -EINVAL ? " (the VM has no dirty ring: dirty_log_enable_ring() before creating vCPUs)" : "");
	}
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu->fd,
		 (off_t)(KVM_DIRTY_LOG_PAGE_OFFSET * page));
	if (p == MAP_FAILED) {
		ret = -errno;
		return errf(err, errlen, ret, "vCPU %d: mmap of the %u-byte dirty ring: %s",
			    vcpu->index, bytes, strerror(-ret));
	}
	ring->gfns = p;
	ring->bytes = bytes;
	ring->entries = bytes / sizeof(struct kvm_dirty_gfn);
	ring->fetch = 0;
	ring->vcpu_index = vcpu->index;
	return 0;
}

void dirty_ring_unmap(struct dirty_ring *ring)
{
	if (ring && ring->gfns)
		munmap(ring->gfns, ring->bytes);
	if (ring)
		ring->gfns = NULL;
}

uint32_t dirty_ring_harvest(struct dirty_ring *ring,
			    void (*fn)(void *arg, uint32_t slot, uint64_t offset), void *arg)
{
	uint32_t n = 0;

	if (!ring->gfns)
		return 0;
	/* at most one lap: entries are only freed by KVM_RESET_DIRTY_RINGS */
	while (n < ring->entries) {
		struct kvm_dirty_gfn *e = &ring->gfns[ring->fetch & (ring->entries - 1)];
		uint32_t flags = __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE);

		/* 00: not yet written; 1X: harvested, waiting for a reset */
		if ((flags & (KVM_DIRTY_GFN_F_DIRTY | KVM_DIRTY_GFN_F_RESET)) != KVM_DIRTY_GFN_F_DIRTY)
			break;
		if (fn)
			fn(arg, e->slot, e->offset);
		__atomic_store_n(&e->flags, KVM_DIRTY_GFN_F_RESET, __ATOMIC_RELEASE);
		ring->fetch++;
		n++;
	}
	return n;
}

int dirty_ring_reset(struct kvm_vm *vm, uint64_t *ns)
{
	uint64_t t0 = now_ns();
	int ret = ioctl(vm->vm_fd, KVM_RESET_DIRTY_RINGS, 0);

	if (ns)
		*ns = now_ns() - t0;
	return ret < 0 ? -errno : ret;
}

int dirty_log_set_logging(struct kvm_vm *vm, uint32_t slot, bool on, uint64_t *ns,
			  char *err, size_t errlen)
{
	struct kvm_memslot *s = dirty_log_slot(vm, slot);
	uint32_t flags;
	uint64_t t0;
	int ret;

	if (!s)
		return errf(err, errlen, -EINVAL, "dirty logging: memslot %u not in use", slot);
	flags = on ? s->flags | KVM_MEM_LOG_DIRTY_PAGES : s->flags & ~KVM_MEM_LOG_DIRTY_PAGES;
	t0 = now_ns();
	ret = kvm_memslot_set_flags(vm, slot, flags, err, errlen);
	if (ns)
		*ns = now_ns() - t0;
	if (ret == -EINVAL && s->guest_memfd >= 0 && err && errlen) {
		size_t l = strlen(err);

		snprintf(err + l, errlen - l, " (dirty logging of a guest_memfd slot)");
	}
	return ret;
}

static int dirty_log_errno_hint(char *err, size_t errlen, int ret, const char *ioctl_name,
				uint32_t slot)
{
	const char *hint = "";

	if (ret == -ENOENT)
		hint = " (logging is not enabled on the slot: dirty_log_set_logging() first)";
	else if (ret == -ENXIO)
		hint = " (the VM uses a dirty ring: harvest the rings instead)";
	return errf(err, errlen, ret, "%s on memslot %u: %s%s", ioctl_name, slot,
		    strerror(-ret), hint);
}

int dirty_log_get(struct kvm_vm *vm, uint32_t slot, unsigned long *bitmap, uint64_t *ns,
		  char *err, size_t errlen)
{
	struct kvm_dirty_log log = { .slot = slot, .dirty_bitmap = bitmap };
	uint64_t t0, npages = dirty_log_slot_pages(vm, slot);
	int ret;

	if (!npages)
		return errf(err, errlen, -EINVAL, "KVM_GET_DIRTY_LOG: memslot %u not in use", slot);
	t0 = now_ns();
	ret = ioctl(vm->vm_fd, KVM_GET_DIRTY_LOG, &log);
	if (ns)
		*ns = now_ns() - t0;
	if (ret < 0)
		return dirty_log_errno_hint(err, errlen, -errno, "KVM_GET_DIRTY_LOG", slot);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	for (size_t i = 0; i < DIRTY_LOG_BITMAP_WORDS(npages); i++)
		bitmap[i] = dirty_log_le_word(bitmap[i]);
#endif
	return 0;
}

/* Whether any of bits [first, first + n) of @bitmap is set (first is a multiple of 64). */
static bool dirty_log_any(const unsigned long *bitmap, uint64_t first, uint64_t n)
{
	const uint64_t bpw = 8 * sizeof(unsigned long);
	uint64_t w = first / bpw, end = first + n;

	for (; w * bpw < end; w++) {
		unsigned long x = bitmap[w];
		uint64_t left = end - w * bpw;

		if (left < bpw)
			x &= (1ul << left) - 1;
		if (x)
			return true;
	}
	return false;
}

int dirty_log_clear(struct kvm_vm *vm, uint32_t slot, const unsigned long *bitmap,
		    uint64_t npages, uint64_t chunk_pages, uint64_t *ns,
		    char *err, size_t errlen)
{
	const uint64_t bpw = 8 * sizeof(unsigned long);
	uint64_t slot_pages = dirty_log_slot_pages(vm, slot), total = 0, first;
	unsigned long *tmp = NULL;
	int calls = 0, ret = 0;

	if (ns)
		*ns = 0;
	if (!slot_pages)
		return errf(err, errlen, -EINVAL, "KVM_CLEAR_DIRTY_LOG: memslot %u not in use", slot);
	if (npages > slot_pages)
		return errf(err, errlen, -EINVAL,
			    "KVM_CLEAR_DIRTY_LOG on memslot %u: %llu pages given, the slot has %llu",
			    slot, (unsigned long long)npages, (unsigned long long)slot_pages);
	if (chunk_pages % 64)
		return errf(err, errlen, -EINVAL,
			    "KVM_CLEAR_DIRTY_LOG on memslot %u: chunks of %llu pages; chunks must be multiples of 64 pages",
			    slot, (unsigned long long)chunk_pages);
	/* num_pages must be a multiple of 64 unless first_page + num_pages is the slot's end */
	if (npages % 64 && npages != slot_pages)
		return errf(err, errlen, -EINVAL,
			    "KVM_CLEAR_DIRTY_LOG on memslot %u: %llu pages is neither a multiple of 64 nor the whole slot (%llu)",
			    slot, (unsigned long long)npages, (unsigned long long)slot_pages);
	if (!chunk_pages)
		chunk_pages = npages ? (npages + 63) & ~63ull : 64;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	tmp = malloc(DIRTY_LOG_BITMAP_WORDS(chunk_pages) * sizeof(unsigned long));
	if (!tmp)
		return errf(err, errlen, -ENOMEM, "out of memory for a dirty bitmap chunk");
#endif

	for (first = 0; first < npages; first += chunk_pages) {
		uint64_t n = npages - first < chunk_pages ? npages - first : chunk_pages;
		struct kvm_clear_dirty_log log = {
			.slot = slot, .first_page = first, .num_pages = (uint32_t)n,
			.dirty_bitmap = (void *)(bitmap + first / bpw),
		};
		uint64_t t0;

		if (!dirty_log_any(bitmap, first, n))
			continue;
		if (tmp) {
			size_t words = (n + bpw - 1) / bpw;

			for (size_t i = 0; i < words; i++)
				tmp[i] = dirty_log_le_word(bitmap[first / bpw + i]);
			log.dirty_bitmap = tmp;
		}
		t0 = now_ns();
		ret = ioctl(vm->vm_fd, KVM_CLEAR_DIRTY_LOG, &log);
		total += now_ns() - t0;
		if (ret < 0) {
			ret = -errno;
			dirty_log_errno_hint(err, errlen, ret, "KVM_CLEAR_DIRTY_LOG", slot);
			if (err && errlen) {
				size_t l = strlen(err);

				snprintf(err + l, errlen - l, " [pages %llu..%llu]",
					 (unsigned long long)first,
					 (unsigned long long)(first + n - 1));
			}
			break;
		}
		calls++;
	}
	free(tmp);
	if (ns)
		*ns = total;
	return ret < 0 ? ret : calls;
}

int dirty_log_eager_split(struct kvm_vm *vm, char *buf, size_t len)
{
#if defined(__x86_64__) || defined(__i386__)
	char eager[16], tdp_mmu[16];
	bool on, mmu, tdp;

	if (sysfs_read("/sys/module/kvm/parameters/eager_page_split", eager, sizeof(eager)) < 0)
		snprintf(eager, sizeof(eager), "absent");
	if (sysfs_read("/sys/module/kvm/parameters/tdp_mmu", tdp_mmu, sizeof(tdp_mmu)) < 0)
		snprintf(tdp_mmu, sizeof(tdp_mmu), "absent");
	on = eager[0] == 'Y' || eager[0] == 'y' || eager[0] == '1';
	mmu = tdp_mmu[0] == 'Y' || tdp_mmu[0] == 'y' || tdp_mmu[0] == '1';
	tdp = kvm_probe_tdp_enabled();
	snprintf(buf, len,
		 "kvm.eager_page_split=%s kvm.tdp_mmu=%s tdp=%s: %s", eager, tdp_mmu,
		 tdp ? "yes" : "no",
		 on && mmu && tdp ?
		 "huge SPTEs are split when logging is enabled (with initially-set: on KVM_CLEAR_DIRTY_LOG)" :
		 !on ? "no eager splitting (huge SPTEs split on write faults)" :
		 "no eager splitting: x86 splits eagerly only with the TDP MMU (kvm.tdp_mmu=Y and EPT/NPT); shadow paging splits on write faults");
	return 0;
#elif defined(__aarch64__)
	int chunk = kvm_check_cap(vm, KVM_CAP_ARM_EAGER_SPLIT_CHUNK_SIZE);

	snprintf(buf, len,
		 "KVM_CAP_ARM_EAGER_SPLIT_CHUNK_SIZE=%d: %s", chunk,
		 chunk ? "block mappings are split in chunks of this size when logging is enabled or on KVM_CLEAR_DIRTY_LOG" :
		 "eager splitting off (KVM_ENABLE_CAP with a size from KVM_CAP_ARM_SUPPORTED_BLOCK_SIZES before creating memslots)");
	return 0;
#else
	snprintf(buf, len, "eager page splitting: not known on this architecture");
	return 0;
#endif
}
