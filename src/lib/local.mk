# SPDX-License-Identifier: GPL-2.0
# included from Makefile.am: the files of src/lib/ in the core library
libmmubench_a_SOURCES += \
	%reldir%/bitmap.h \
	%reldir%/options.c \
	%reldir%/options.h \
	%reldir%/util.c \
	%reldir%/util.h
