/* SPDX-License-Identifier: GPL-2.0 */
/* Embeds the flat guest image built from guests/guest.elf (see Makefile.am). */
	.section .rodata.guest_image, "a"
	.balign 4096
	.globl guest_image_start, guest_image_end
guest_image_start:
	.incbin "guest.bin"
guest_image_end:
	.section .note.GNU-stack, "", @progbits
