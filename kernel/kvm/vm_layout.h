/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's memory as the host lays it out (guest_abi.h has the addresses):
 * a system memslot at GPA 0 holding the GDT, the guest program, the per-vCPU
 * control blocks and stacks, the guest page tables and a heap for tables the
 * patterns read (zipf); data memslots are added by the caller and mapped with
 * vm_map() at 4K or 2M guest page size. GVA == GPA throughout; every mapping
 * is user-accessible so the same image runs at CPL0 and CPL3.
 */
#ifndef MMUBENCH_VM_LAYOUT_H
#define MMUBENCH_VM_LAYOUT_H

#include <stdint.h>
#include "guests/abi/guest_abi.h"
#include "kernel/kvm/kvm.h"

#define VM_SYSTEM_SLOT	0
#define GUEST_GDT_GPA	0x1000ull

struct vm_layout {
	struct kvm_vm *vm;
	void *sys_hva;
	uint64_t sys_size;
	uint64_t pml4_gpa;
	uint64_t tables_next, tables_end;	/* page-table pages, bump-allocated */
	uint64_t heap_next, heap_end;		/* other guest data, bump-allocated */
};

/*
 * Creates the system memslot, sized for page tables covering @data_bytes of
 * data mappings plus @heap_bytes of heap, and loads the guest program.
 */
int vm_layout_create(struct kvm_vm *vm, uint64_t data_bytes, uint64_t heap_bytes,
		     struct vm_layout **out, char *err, size_t errlen);
void vm_layout_destroy(struct vm_layout *l);

/* Maps [gva, gva+size) to [gpa, ...) with @page_size (4096 or 2M) guest pages. */
int vm_map(struct vm_layout *l, uint64_t gva, uint64_t gpa, uint64_t size, uint64_t page_size,
	   char *err, size_t errlen);

/* Allocates @size bytes of zeroed heap in the system slot; returns its GPA (== GVA), 0 if full. */
uint64_t vm_heap_alloc(struct vm_layout *l, uint64_t size);

/* The control block of vCPU @index, as the host sees it. */
struct guest_ctrl *vm_ctrl(struct vm_layout *l, int index);

/* Resets vCPU @index's control block and points the vCPU at the guest program, at @cpl. */
int vm_vcpu_start(struct vm_layout *l, struct kvm_vcpu *vcpu, int cpl, char *err, size_t errlen);

#endif
