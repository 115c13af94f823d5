# SPDX-License-Identifier: GPL-2.0
# included from Makefile.am: the files of src/rig/ (the QEMU test rig) in the core library
libmmubench_a_SOURCES += \
	%reldir%/collect.c \
	%reldir%/initramfs.c \
	%reldir%/kernel_fetch.c \
	%reldir%/qemu.c \
	%reldir%/rig.c \
	%reldir%/rig.h \
	%reldir%/rig_priv.h
