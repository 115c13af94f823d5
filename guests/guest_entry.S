/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest entry point, first in the guest image. The host sets RSP to the top of
 * this vCPU's stack and RDI to its control block, at CPL0 or CPL3.
 */
	.section .text.entry, "ax"
	.globl guest_entry
guest_entry:
	xorl	%ebp, %ebp
	andq	$-16, %rsp
	call	guest_main
	/* guest_main never returns; if it did, spin rather than fault */
1:	pause
	jmp	1b

	.section .note.GNU-stack, "", @progbits
