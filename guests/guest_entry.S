/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest entry point, first in the guest image. The host sets RSP to the top of
 * this vCPU's stack and RDI to its control block, at CPL0 or CPL3.
 */
#define __ASSEMBLY__
#include "guests/abi/guest_abi.h"

	.section .text.entry, "ax"
	.globl guest_entry
guest_entry:
	xorl	%ebp, %ebp
	andq	$-16, %rsp
	call	guest_main
	/* guest_main never returns; if it did, spin rather than fault */
1:	pause
	jmp	1b

/*
 * Exception stubs, one per vector at a fixed place the host's IDT points to
 * (guest_abi.h): each pushes a zero where the CPU pushes no error code, then
 * the vector, so guest_exception() sees one frame layout.
 */
	.org	GUEST_VECTORS_OFFSET
	.globl	guest_vectors
guest_vectors:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.balign	GUEST_VECTOR_STRIDE
	.if !(\v == 8 || (\v >= 10 && \v <= 14) || \v == 17 || \v == 21 || \v == 29 || \v == 30)
	pushq	$0
	.endif
	pushq	$\v
	jmp	guest_exception_entry
	.endr
	/* fails to assemble ("moving backwards") if the stubs outgrew their stride */
	.org	GUEST_VECTORS_OFFSET + GUEST_IDT_VECTORS * GUEST_VECTOR_STRIDE

guest_exception_entry:
	movq	%rsp, %rdi
	andq	$-16, %rsp
	call	guest_exception
2:	pause
	jmp	2b

	.section .note.GNU-stack, "", @progbits
