# SPDX-License-Identifier: GPL-2.0
# included from Makefile.am: the files of kernel/trace/ in the core library
libmmubench_a_SOURCES += \
	%reldir%/damon_trace.c \
	%reldir%/damon_trace.h \
	%reldir%/kvm_trace.c \
	%reldir%/kvm_trace.h \
	%reldir%/tracefs.c \
	%reldir%/tracefs.h
