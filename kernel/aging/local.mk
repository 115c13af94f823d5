# SPDX-License-Identifier: GPL-2.0
# included from Makefile.am: the files of kernel/aging/ in the core library
libmmubench_a_SOURCES += \
	%reldir%/damon.c \
	%reldir%/driver.h \
	%reldir%/drivers.c \
	%reldir%/drivers.def \
	%reldir%/eviction.c \
	%reldir%/eviction.h \
	%reldir%/idle.c \
	%reldir%/memcg.c \
	%reldir%/mglru.c \
	%reldir%/none.c \
	%reldir%/pageout.c
