// SPDX-License-Identifier: GPL-2.0
/* Host-side construction of the guest's address space; see vm_layout.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kernel/kvm/guest_image.h"
#include "src/lib/util.h"
#include "kernel/kvm/vm_layout.h"

#define PTE_PRESENT	(1ull << 0)
#define PTE_WRITE	(1ull << 1)
#define PTE_USER	(1ull << 2)
#define PTE_LARGE	(1ull << 7)
#define PTE_ADDR_MASK	0x000ffffffffff000ull
#define PAGE_4K		4096ull
#define PAGE_2M		(2ull << 20)

static uint64_t *vm_sys_ptr(struct vm_layout *l, uint64_t gpa)
{
	return (uint64_t *)((char *)l->sys_hva + gpa);
}

static uint64_t vm_table_alloc(struct vm_layout *l)
{
	uint64_t gpa = l->tables_next;

	if (gpa + PAGE_4K > l->tables_end)
		return 0;
	l->tables_next += PAGE_4K;
	return gpa;	/* anonymous memory: already zero */
}

/* The entry for @gva at @level (3 = PML4 ... 0 = PT), creating tables down to it. */
static uint64_t *vm_walk(struct vm_layout *l, uint64_t gva, int level)
{
	uint64_t table = l->pml4_gpa, *entry;

	for (int lvl = 3; ; lvl--) {
		entry = vm_sys_ptr(l, table) + ((gva >> (12 + 9 * lvl)) & 511);
		if (lvl == level)
			return entry;
		if (!(*entry & PTE_PRESENT)) {
			uint64_t next = vm_table_alloc(l);

			if (!next)
				return NULL;
			*entry = next | PTE_PRESENT | PTE_WRITE | PTE_USER;
		} else if (*entry & PTE_LARGE) {
			return NULL;	/* already mapped by a larger page */
		}
		table = *entry & PTE_ADDR_MASK;
	}
}

int vm_map(struct vm_layout *l, uint64_t gva, uint64_t gpa, uint64_t size, uint64_t page_size,
	   char *err, size_t errlen)
{
	int level = page_size == PAGE_2M ? 1 : 0;

	if ((page_size != PAGE_4K && page_size != PAGE_2M) ||
	    (gva | gpa | size) & (page_size - 1))
		return errf(err, errlen, -EINVAL,
			    "guest mapping 0x%llx -> 0x%llx (%llu bytes) not aligned to %llu",
			    (unsigned long long)gva, (unsigned long long)gpa,
			    (unsigned long long)size, (unsigned long long)page_size);
	for (uint64_t off = 0; off < size; off += page_size) {
		uint64_t *pte = vm_walk(l, gva + off, level);

		if (!pte)
			return errf(err, errlen, -ENOSPC,
				    "guest page tables: no room to map gva 0x%llx",
				    (unsigned long long)(gva + off));
		*pte = (gpa + off) | PTE_PRESENT | PTE_WRITE | PTE_USER | (level ? PTE_LARGE : 0);
	}
	return 0;
}

uint64_t vm_heap_alloc(struct vm_layout *l, uint64_t size)
{
	uint64_t gpa = l->heap_next;

	size = (size + PAGE_4K - 1) & ~(PAGE_4K - 1);
	if (size > l->heap_end - gpa)
		return 0;
	l->heap_next += size;
	return gpa;
}

_Static_assert(GUEST_GDT_GPA + KVM_GDT_TSS_SIZE <= GUEST_IDT_GPA, "GDT and TSS overlap the IDT");
_Static_assert(GUEST_IDT_GPA + GUEST_IDT_VECTORS * 16 <= GUEST_EXC_STACK_TOP - 8192,
	       "the IDT overlaps the exception stack");
_Static_assert(GUEST_EXC_STACK_TOP <= GUEST_DF_STACK_TOP - 8192 &&
		       GUEST_DF_STACK_TOP <= GUEST_CODE_GPA,
	       "the double-fault stack overlaps");

/* The IDT to the guest's exception stubs, and the stack a CPL3 guest switches to for them. */
static void vm_write_idt(struct vm_layout *l)
{
	kvm_write_idt(vm_sys_ptr(l, GUEST_IDT_GPA), GUEST_IDT_VECTORS,
		      GUEST_CODE_GPA + GUEST_VECTORS_OFFSET, GUEST_VECTOR_STRIDE, 1);
	kvm_set_tss_stacks((char *)l->sys_hva + GUEST_GDT_GPA, GUEST_EXC_STACK_TOP,
			   GUEST_DF_STACK_TOP);
}

int vm_layout_create(struct kvm_vm *vm, uint64_t data_bytes, uint64_t heap_bytes,
		     struct vm_layout **out, char *err, size_t errlen)
{
	size_t image = guest_image_end - guest_image_start;
	uint64_t tables, heap;
	struct vm_layout *l;
	int ret;

	if (image > GUEST_CODE_MAX)
		return errf(err, errlen, -E2BIG, "guest image is %zu bytes, at most %llu fit",
			    image, (unsigned long long)GUEST_CODE_MAX);
	l = calloc(1, sizeof(*l));
	if (!l)
		return errf(err, errlen, -ENOMEM, "out of memory for the VM layout");
	l->vm = vm;

	/* 4K mappings need 8 bytes per page of PTEs plus upper levels; be generous */
	tables = (data_bytes / 256 + 4 * MiB + PAGE_2M - 1) & ~(PAGE_2M - 1);
	heap = (heap_bytes + PAGE_2M - 1) & ~(PAGE_2M - 1);
	l->tables_next = GUEST_TABLES_GPA;
	l->tables_end = GUEST_TABLES_GPA + tables;
	l->heap_next = l->tables_end;
	l->heap_end = l->tables_end + heap;
	l->sys_size = l->heap_end;
	if (l->sys_size > GUEST_DATA_GPA) {
		ret = errf(err, errlen, -E2BIG, "guest system area (%llu MiB) overlaps guest data",
			   (unsigned long long)(l->sys_size / MiB));
		free(l);
		return ret;
	}

	l->sys_hva = mmap(NULL, l->sys_size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (l->sys_hva == MAP_FAILED) {
		ret = errf(err, errlen, -errno, "mmap of %llu bytes for the guest system area: %m",
			   (unsigned long long)l->sys_size);
		free(l);
		return ret;
	}
	ret = kvm_memslot_add(vm, VM_SYSTEM_SLOT, 0, l->sys_hva, l->sys_size, 0, -1, 0,
			      err, errlen);
	if (ret)
		goto fail;

	l->pml4_gpa = vm_table_alloc(l);
	ret = vm_map(l, 0, 0, l->sys_size, PAGE_4K, err, errlen);
	if (ret)
		goto fail;
	memcpy((char *)l->sys_hva + GUEST_CODE_GPA, guest_image_start, image);
	kvm_write_gdt((char *)l->sys_hva + GUEST_GDT_GPA, GUEST_GDT_GPA);
	vm_write_idt(l);
	*out = l;
	return 0;
fail:
	munmap(l->sys_hva, l->sys_size);
	free(l);
	return ret;
}

void vm_layout_destroy(struct vm_layout *l)
{
	if (!l)
		return;
	munmap(l->sys_hva, l->sys_size);
	free(l);
}

struct guest_ctrl *vm_ctrl(struct vm_layout *l, int index)
{
	return (struct guest_ctrl *)((char *)l->sys_hva + GUEST_CTRL_GPA + index * GUEST_CTRL_SIZE);
}

int vm_vcpu_start(struct vm_layout *l, struct kvm_vcpu *vcpu, int cpl, char *err, size_t errlen)
{
	struct guest_ctrl *ctrl = vm_ctrl(l, vcpu->index);
	struct kvm_long_mode lm = {
		.cpl = cpl,
		.cr3 = l->pml4_gpa,
		.gdt_base = GUEST_GDT_GPA,
		.tss_base = GUEST_GDT_GPA + KVM_TSS_OFFSET,
		.idt_base = GUEST_IDT_GPA,
		.idt_limit = GUEST_IDT_VECTORS * 16 - 1,
		.gs_base = GUEST_CTRL_GPA + vcpu->index * GUEST_CTRL_SIZE,
		.rip = GUEST_CODE_GPA,
		.rsp = GUEST_STACK_GPA + (vcpu->index + 1) * GUEST_STACK_SIZE,
		.rdi = GUEST_CTRL_GPA + vcpu->index * GUEST_CTRL_SIZE,
	};

	if (vcpu->index >= GUEST_MAX_VCPUS)
		return errf(err, errlen, -EINVAL, "vCPU %d: at most %d vCPUs", vcpu->index,
			    GUEST_MAX_VCPUS);
	memset(ctrl, 0, sizeof(*ctrl));
	ctrl->self = GUEST_CTRL_GPA + vcpu->index * GUEST_CTRL_SIZE;
	for (int i = 0; i < GUEST_NR_HISTS; i++)
		hist_init(&ctrl->latency[i]);
	return kvm_vcpu_enter_long_mode(vcpu, &lm, err, errlen);
}
