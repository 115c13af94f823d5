/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmubench's own minimal KVM runtime (DESIGN.md "The VM runtime" says why it
 * does not link the selftests library): a VM, memslots, vCPUs in 64-bit mode
 * at CPL0 or CPL3. Page tables and the guest program are laid out by
 * kernel/kvm/vm_layout.c on top of this.
 */
#ifndef MMUBENCH_KVM_H
#define MMUBENCH_KVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

#define KVM_MAX_MEMSLOTS	32

struct kvm_memslot {
	bool used;
	uint32_t slot;
	uint32_t flags;		/* KVM_MEM_* */
	uint64_t gpa;
	uint64_t size;
	void *hva;
	int guest_memfd;	/* -1 unless backed by guest_memfd */
	uint64_t guest_memfd_offset;
};

struct kvm_vm {
	int kvm_fd;
	int vm_fd;
	int run_size;			/* mmap size of struct kvm_run */
	bool has_memory2;		/* KVM_SET_USER_MEMORY_REGION2 */
	struct kvm_cpuid2 *cpuid;	/* KVM_GET_SUPPORTED_CPUID, given to every vCPU */
	struct kvm_memslot slots[KVM_MAX_MEMSLOTS];
};

struct kvm_vcpu {
	struct kvm_vm *vm;
	int index;
	int fd;
	struct kvm_run *run;
	/*
	 * KVM_RUN state, kept by kvm_vcpu_run() with SEQ_CST atomics so other
	 * threads may read it: how many times KVM_RUN has returned, and whether
	 * the vCPU is inside KVM_RUN now. A signal makes KVM_RUN return -EINTR;
	 * kvm_vcpu_run() enters again unless @stop is set, then it returns
	 * -EINTR for good.
	 */
	unsigned long run_returns;
	bool in_run;
	bool stop;
};

/* What a vCPU needs to start in 64-bit mode; see kvm_vcpu_enter_long_mode(). */
struct kvm_long_mode {
	int cpl;		/* 0 or 3 */
	uint64_t cr3;		/* PML4 */
	uint64_t gdt_base;	/* GDT laid out as in kvm_write_gdt() */
	uint64_t tss_base;
	uint64_t idt_base;	/* 0: none, any exception is a triple fault */
	uint16_t idt_limit;
	uint64_t gs_base;
	uint64_t rip, rsp, rdi;
};

/* Layout of the GDT, TSS and I/O bitmap that kvm_write_gdt() writes. */
#define KVM_TSS_OFFSET		0x100
#define KVM_TSS_LIMIT		(0x68 + 8192)	/* TSS, then an I/O bitmap for all ports */
#define KVM_GDT_TSS_SIZE	(KVM_TSS_OFFSET + KVM_TSS_LIMIT + 1)

int kvm_vm_create(struct kvm_vm **out, char *err, size_t errlen);
void kvm_vm_destroy(struct kvm_vm *vm);

/* KVM_CHECK_EXTENSION on the VM (falls back to /dev/kvm); returns the value, 0 if absent. */
int kvm_check_cap(struct kvm_vm *vm, long cap);

int kvm_memslot_add(struct kvm_vm *vm, uint32_t slot, uint64_t gpa, void *hva, uint64_t size,
		    uint32_t flags, int guest_memfd, uint64_t guest_memfd_offset,
		    char *err, size_t errlen);
int kvm_memslot_set_flags(struct kvm_vm *vm, uint32_t slot, uint32_t flags,
			  char *err, size_t errlen);
/* The HVA behind @gpa, or NULL when no memslot covers it. */
void *kvm_gpa_to_hva(struct kvm_vm *vm, uint64_t gpa);

int kvm_vcpu_create(struct kvm_vm *vm, int index, struct kvm_vcpu **out, char *err, size_t errlen);
void kvm_vcpu_destroy(struct kvm_vcpu *vcpu);
int kvm_vcpu_enter_long_mode(struct kvm_vcpu *vcpu, const struct kvm_long_mode *lm,
			     char *err, size_t errlen);
/* KVM_RUN; returns 0 with vcpu->run->exit_reason set, or -errno. EINTR is retried. */
int kvm_vcpu_run(struct kvm_vcpu *vcpu);
int kvm_vcpu_get_regs(struct kvm_vcpu *vcpu, struct kvm_regs *regs);
/* Guest TSC frequency (KVM_GET_TSC_KHZ), 0 when unknown. */
uint32_t kvm_vcpu_tsc_khz(struct kvm_vcpu *vcpu);

/* Writes the GDT (Linux's selector numbers, which PVM expects) and a TSS at @hva (guest @gva). */
void kvm_write_gdt(void *hva, uint64_t gva);

/*
 * @vectors 64-bit interrupt gates at @hva, gate v to @first_handler + v *
 * @stride (kernel CS); the double fault's gate uses IST @df_ist (0: none).
 */
void kvm_write_idt(void *hva, int vectors, uint64_t first_handler, uint64_t stride, int df_ist);

/*
 * Stacks in kvm_write_gdt()'s TSS: RSP0, where an exception at CPL3 lands,
 * and IST1, which a gate can name to get a known-good stack whatever RSP was.
 */
void kvm_set_tss_stacks(void *gdt_hva, uint64_t rsp0, uint64_t ist1);

const char *kvm_exit_reason_name(uint32_t reason);

#endif
