// SPDX-License-Identifier: GPL-2.0
/*
 * The KVM ioctls mmubench needs, and nothing more: VM, memslots, vCPUs in
 * 64-bit mode. Every error names the ioctl and the object.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kernel/kvm/kvm.h"
#include "src/lib/util.h"

/* Linux's GDT selectors: PVM runs CPL3 guest code natively only with these. */
#define SEL_KERNEL_CS	0x10
#define SEL_KERNEL_DS	0x18
#define SEL_USER_DS	0x2b
#define SEL_USER_CS	0x33
#define SEL_TSS		0x40

#define X86_CR0_PE	(1ull << 0)
#define X86_CR0_MP	(1ull << 1)
#define X86_CR0_ET	(1ull << 4)
#define X86_CR0_NE	(1ull << 5)
#define X86_CR0_WP	(1ull << 16)
#define X86_CR0_PG	(1ull << 31)
#define X86_CR4_PAE	(1ull << 5)
#define X86_CR4_OSFXSR	(1ull << 9)
#define X86_CR4_OSXMMEXCPT (1ull << 10)
#define X86_EFER_LME	(1ull << 8)
#define X86_EFER_LMA	(1ull << 10)
#define X86_RFLAGS_FIXED (1ull << 1)
#define X86_RFLAGS_IOPL3 (3ull << 12)

int kvm_vm_create(struct kvm_vm **out, char *err, size_t errlen)
{
	struct kvm_vm *vm;
	int nent = 256, ret, i;

	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return errf(err, errlen, -ENOMEM, "out of memory for the VM");
	vm->vm_fd = -1;
	for (i = 0; i < KVM_MAX_MEMSLOTS; i++)
		vm->slots[i].guest_memfd = -1;

	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0) {
		ret = -errno;
		free(vm);
		return errf(err, errlen, ret, "/dev/kvm: %s", strerror(-ret));
	}
	ret = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
	if (ret != KVM_API_VERSION) {
		kvm_vm_destroy(vm);
		return errf(err, errlen, -ENOTSUP, "/dev/kvm: API version %d, expected %d",
			    ret, KVM_API_VERSION);
	}
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0) {
		ret = -errno;
		kvm_vm_destroy(vm);
		return errf(err, errlen, ret, "KVM_CREATE_VM: %s", strerror(-ret));
	}
	vm->run_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vm->run_size < (int)sizeof(struct kvm_run)) {
		ret = -errno ? -errno : -EINVAL;
		kvm_vm_destroy(vm);
		return errf(err, errlen, ret, "KVM_GET_VCPU_MMAP_SIZE: %s", strerror(-ret));
	}
	vm->has_memory2 = kvm_check_cap(vm, KVM_CAP_USER_MEMORY2) > 0;

	/* SVM/VMX refuse EFER.LME without the CPUID bits (ENVIRONMENT.md). */
	for (;;) {
		vm->cpuid = calloc(1, sizeof(*vm->cpuid) + nent * sizeof(vm->cpuid->entries[0]));
		if (!vm->cpuid) {
			kvm_vm_destroy(vm);
			return errf(err, errlen, -ENOMEM, "out of memory for CPUID");
		}
		vm->cpuid->nent = nent;
		if (ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, vm->cpuid) == 0)
			break;
		ret = -errno;
		free(vm->cpuid);
		vm->cpuid = NULL;
		if (ret != -E2BIG || nent > 4096) {
			kvm_vm_destroy(vm);
			return errf(err, errlen, ret, "KVM_GET_SUPPORTED_CPUID: %s",
				    strerror(-ret));
		}
		nent *= 2;
	}
	*out = vm;
	return 0;
}

void kvm_vm_destroy(struct kvm_vm *vm)
{
	if (!vm)
		return;
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	free(vm->cpuid);
	free(vm);
}

int kvm_check_cap(struct kvm_vm *vm, long cap)
{
	int ret = -1;

	if (vm && vm->vm_fd >= 0)
		ret = ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, cap);
	if (ret < 0 && vm)
		ret = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, cap);
	return ret < 0 ? 0 : ret;
}

static int kvm_memslot_commit(struct kvm_vm *vm, struct kvm_memslot *s, uint64_t size,
			      char *err, size_t errlen)
{
	int ret;

	if (vm->has_memory2) {
		struct kvm_userspace_memory_region2 r = {
			.slot = s->slot,
			.flags = s->flags,
			.guest_phys_addr = s->gpa,
			.memory_size = size,
			.userspace_addr = (uintptr_t)s->hva,
			.guest_memfd = s->guest_memfd >= 0 ? (uint32_t)s->guest_memfd : 0,
			.guest_memfd_offset = s->guest_memfd_offset,
		};

		ret = ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION2, &r);
	} else {
		struct kvm_userspace_memory_region r = {
			.slot = s->slot,
			.flags = s->flags,
			.guest_phys_addr = s->gpa,
			.memory_size = size,
			.userspace_addr = (uintptr_t)s->hva,
		};

		ret = ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &r);
	}
	if (ret < 0) {
		ret = -errno;
		return errf(err, errlen, ret,
			    "KVM_SET_USER_MEMORY_REGION slot %u (gpa 0x%llx, %llu bytes, flags "
			    "0x%x): %s",
			    s->slot, (unsigned long long)s->gpa, (unsigned long long)size,
			    s->flags, strerror(-ret));
	}
	return 0;
}

int kvm_memslot_add(struct kvm_vm *vm, uint32_t slot, uint64_t gpa, void *hva, uint64_t size,
		    uint32_t flags, int guest_memfd, uint64_t guest_memfd_offset,
		    char *err, size_t errlen)
{
	struct kvm_memslot *s;
	int ret;

	if (slot >= KVM_MAX_MEMSLOTS || vm->slots[slot].used)
		return errf(err, errlen, -EINVAL, "memslot %u: out of range or in use", slot);
	if (guest_memfd >= 0 && !vm->has_memory2)
		return errf(err, errlen, -EOPNOTSUPP,
			    "memslot %u: guest_memfd needs KVM_CAP_USER_MEMORY2", slot);
	s = &vm->slots[slot];
	*s = (struct kvm_memslot){
		.slot = slot, .flags = flags, .gpa = gpa, .size = size, .hva = hva,
		.guest_memfd = guest_memfd, .guest_memfd_offset = guest_memfd_offset,
	};
	ret = kvm_memslot_commit(vm, s, size, err, errlen);
	if (ret) {
		s->guest_memfd = -1;
		return ret;
	}
	s->used = true;
	return 0;
}

int kvm_memslot_set_flags(struct kvm_vm *vm, uint32_t slot, uint32_t flags,
			  char *err, size_t errlen)
{
	struct kvm_memslot *s = &vm->slots[slot];
	uint32_t old;
	int ret;

	if (slot >= KVM_MAX_MEMSLOTS || !s->used)
		return errf(err, errlen, -EINVAL, "memslot %u: not in use", slot);
	old = s->flags;
	s->flags = flags;
	ret = kvm_memslot_commit(vm, s, s->size, err, errlen);
	if (ret)
		s->flags = old;
	return ret;
}

void *kvm_gpa_to_hva(struct kvm_vm *vm, uint64_t gpa)
{
	for (int i = 0; i < KVM_MAX_MEMSLOTS; i++) {
		struct kvm_memslot *s = &vm->slots[i];

		if (s->used && gpa >= s->gpa && gpa - s->gpa < s->size)
			return (char *)s->hva + (gpa - s->gpa);
	}
	return NULL;
}

int kvm_vcpu_create(struct kvm_vm *vm, int index, struct kvm_vcpu **out, char *err, size_t errlen)
{
	struct kvm_vcpu *vcpu;
	int ret;

	vcpu = calloc(1, sizeof(*vcpu));
	if (!vcpu)
		return errf(err, errlen, -ENOMEM, "out of memory for vCPU %d", index);
	vcpu->vm = vm;
	vcpu->index = index;
	vcpu->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, index);
	if (vcpu->fd < 0) {
		ret = -errno;
		free(vcpu);
		return errf(err, errlen, ret, "KVM_CREATE_VCPU %d: %s", index, strerror(-ret));
	}
	vcpu->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu->fd, 0);
	if (vcpu->run == MAP_FAILED) {
		ret = -errno;
		close(vcpu->fd);
		free(vcpu);
		return errf(err, errlen, ret, "mmap of kvm_run for vCPU %d: %s", index,
			    strerror(-ret));
	}
	if (ioctl(vcpu->fd, KVM_SET_CPUID2, vm->cpuid) < 0) {
		ret = -errno;
		kvm_vcpu_destroy(vcpu);
		return errf(err, errlen, ret, "KVM_SET_CPUID2 on vCPU %d: %s", index,
			    strerror(-ret));
	}
	*out = vcpu;
	return 0;
}

void kvm_vcpu_destroy(struct kvm_vcpu *vcpu)
{
	if (!vcpu)
		return;
	if (vcpu->run && vcpu->run != MAP_FAILED)
		munmap(vcpu->run, vcpu->vm->run_size);
	close(vcpu->fd);
	free(vcpu);
}

void kvm_write_gdt(void *hva, uint64_t gva)
{
	uint64_t *gdt = hva, tss = gva + KVM_TSS_OFFSET;
	uint8_t *tss_hva = (uint8_t *)hva + KVM_TSS_OFFSET;

	memset(hva, 0, KVM_GDT_TSS_SIZE);
	/* an all-zero I/O bitmap right after the TSS: every port allowed at CPL3 */
	tss_hva[0x66] = 0x68;
	gdt[SEL_KERNEL_CS >> 3] = 0x00af9a000000ffffull;	/* 64-bit code, DPL0 */
	gdt[SEL_KERNEL_DS >> 3] = 0x00cf92000000ffffull;	/* data, DPL0 */
	gdt[SEL_USER_DS >> 3] = 0x00cff2000000ffffull;		/* data, DPL3 */
	gdt[SEL_USER_CS >> 3] = 0x00affa000000ffffull;		/* 64-bit code, DPL3 */
	/* 64-bit TSS descriptor (busy), 16 bytes; the TSS itself stays zero */
	gdt[SEL_TSS >> 3] = KVM_TSS_LIMIT | ((tss & 0xffffff) << 16) | (0x8bull << 40) |
			    ((tss >> 24) & 0xff) << 56;
	gdt[(SEL_TSS >> 3) + 1] = tss >> 32;
}

void kvm_write_idt(void *hva, int vectors, uint64_t first_handler, uint64_t stride, int df_ist)
{
	uint64_t *idt = hva;

	for (int v = 0; v < vectors; v++) {
		uint64_t h = first_handler + v * stride;

		/* 64-bit interrupt gate (type 0xe), DPL0, present, to kernel CS */
		idt[2 * v] = (h & 0xffff) | (uint64_t)SEL_KERNEL_CS << 16 | 0x8eull << 40 |
			     ((h >> 16) & 0xffff) << 48;
		if (v == 8)
			idt[2 * v] |= (uint64_t)(df_ist & 7) << 32;
		idt[2 * v + 1] = h >> 32;
	}
}

void kvm_set_tss_stacks(void *gdt_hva, uint64_t rsp0, uint64_t ist1)
{
	/* 64-bit TSS: RSP0 at byte 4, IST1 at byte 36 */
	memcpy((char *)gdt_hva + KVM_TSS_OFFSET + 4, &rsp0, sizeof(rsp0));
	memcpy((char *)gdt_hva + KVM_TSS_OFFSET + 36, &ist1, sizeof(ist1));
}

static struct kvm_segment kvm_flat_segment(uint16_t sel, int dpl, bool code)
{
	return (struct kvm_segment){
		.base = 0, .limit = 0xffffffff, .selector = sel,
		.type = code ? 11 : 3, .present = 1, .dpl = dpl, .s = 1,
		.l = code, .db = !code, .g = 1,
	};
}

int kvm_vcpu_enter_long_mode(struct kvm_vcpu *vcpu, const struct kvm_long_mode *lm,
			     char *err, size_t errlen)
{
	bool user = lm->cpl == 3;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_segment data;
	int ret;

	if (ioctl(vcpu->fd, KVM_GET_SREGS, &sregs) < 0) {
		ret = -errno;
		return errf(err, errlen, ret, "KVM_GET_SREGS on vCPU %d: %s", vcpu->index,
			    strerror(-ret));
	}
	sregs.cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_PG;
	sregs.cr4 = X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
	sregs.efer = X86_EFER_LME | X86_EFER_LMA;
	sregs.cr3 = lm->cr3;
	sregs.gdt.base = lm->gdt_base;
	sregs.gdt.limit = 0xff;
	sregs.idt.base = lm->idt_base;
	sregs.idt.limit = lm->idt_base ? lm->idt_limit : 0;
	sregs.cs = kvm_flat_segment(user ? SEL_USER_CS : SEL_KERNEL_CS, lm->cpl, true);
	data = kvm_flat_segment(user ? SEL_USER_DS : SEL_KERNEL_DS, lm->cpl, false);
	sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = data;
	sregs.gs.base = lm->gs_base;
	sregs.tr = (struct kvm_segment){
		.base = lm->tss_base, .limit = KVM_TSS_LIMIT, .selector = SEL_TSS,
		.type = 11, .present = 1,
	};
	sregs.ldt = (struct kvm_segment){ .unusable = 1, .type = 2, .present = 1 };
	if (ioctl(vcpu->fd, KVM_SET_SREGS, &sregs) < 0) {
		ret = -errno;
		return errf(err, errlen, ret, "KVM_SET_SREGS (64-bit, CPL%d) on vCPU %d: %s",
			    lm->cpl, vcpu->index, strerror(-ret));
	}

	memset(&regs, 0, sizeof(regs));
	regs.rip = lm->rip;
	regs.rsp = lm->rsp;
	regs.rdi = lm->rdi;
	/* IOPL=3 lets CPL3 code reach the host with OUT (the mailbox) */
	regs.rflags = X86_RFLAGS_FIXED | (user ? X86_RFLAGS_IOPL3 : 0);
	if (ioctl(vcpu->fd, KVM_SET_REGS, &regs) < 0) {
		ret = -errno;
		return errf(err, errlen, ret, "KVM_SET_REGS on vCPU %d: %s", vcpu->index,
			    strerror(-ret));
	}
	return 0;
}

int kvm_vcpu_run(struct kvm_vcpu *vcpu)
{
	int ret;

	do {
		__atomic_store_n(&vcpu->in_run, true, __ATOMIC_SEQ_CST);
		ret = ioctl(vcpu->fd, KVM_RUN, 0);
		__atomic_store_n(&vcpu->in_run, false, __ATOMIC_SEQ_CST);
		__atomic_add_fetch(&vcpu->run_returns, 1, __ATOMIC_SEQ_CST);
	} while (ret < 0 && errno == EINTR && !__atomic_load_n(&vcpu->stop, __ATOMIC_SEQ_CST));
	return ret < 0 ? -errno : 0;
}

int kvm_vcpu_get_regs(struct kvm_vcpu *vcpu, struct kvm_regs *regs)
{
	return ioctl(vcpu->fd, KVM_GET_REGS, regs) < 0 ? -errno : 0;
}

uint32_t kvm_vcpu_tsc_khz(struct kvm_vcpu *vcpu)
{
	int khz = ioctl(vcpu->fd, KVM_GET_TSC_KHZ, 0);

	return khz > 0 ? (uint32_t)khz : 0;
}

const char *kvm_exit_reason_name(uint32_t reason)
{
	static const char *const names[] = {
		[KVM_EXIT_UNKNOWN] = "UNKNOWN", [KVM_EXIT_EXCEPTION] = "EXCEPTION",
		[KVM_EXIT_IO] = "IO", [KVM_EXIT_HYPERCALL] = "HYPERCALL",
		[KVM_EXIT_DEBUG] = "DEBUG", [KVM_EXIT_HLT] = "HLT",
		[KVM_EXIT_MMIO] = "MMIO", [KVM_EXIT_IRQ_WINDOW_OPEN] = "IRQ_WINDOW_OPEN",
		[KVM_EXIT_SHUTDOWN] = "SHUTDOWN (triple fault)",
		[KVM_EXIT_FAIL_ENTRY] = "FAIL_ENTRY", [KVM_EXIT_INTR] = "INTR",
		[KVM_EXIT_INTERNAL_ERROR] = "INTERNAL_ERROR",
		[KVM_EXIT_SYSTEM_EVENT] = "SYSTEM_EVENT",
		[KVM_EXIT_MEMORY_FAULT] = "MEMORY_FAULT",
	};

	if (reason < sizeof(names) / sizeof(names[0]) && names[reason])
		return names[reason];
	return "other";
}
