# SPDX-License-Identifier: GPL-2.0
# included from Makefile.am: the files of kernel/kvm/ in the core library
libmmubench_a_SOURCES += \
	%reldir%/backing.c \
	%reldir%/backing.h \
	%reldir%/backings.def \
	%reldir%/dirty_log.c \
	%reldir%/dirty_log.h \
	%reldir%/guest_image.S \
	%reldir%/guest_image.h \
	%reldir%/kvm.c \
	%reldir%/kvm.h \
	%reldir%/kvm_probe.c \
	%reldir%/kvm_probe.h \
	%reldir%/kvm_stats.c \
	%reldir%/kvm_stats.h \
	%reldir%/vm_layout.c \
	%reldir%/vm_layout.h
# .incbin is invisible to the dependency tracking: rebuild the embedding object by hand
%reldir%/libmmubench_a-guest_image.$(OBJEXT): guests/guest.bin
