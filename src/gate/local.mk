# SPDX-License-Identifier: GPL-2.0
# included from Makefile.am: the files of src/gate/ in the core library
libmmubench_a_SOURCES += \
	%reldir%/compare.c \
	%reldir%/gate.h \
	%reldir%/judge.c \
	%reldir%/print.c \
	%reldir%/rules.c
