# SPDX-License-Identifier: GPL-2.0
# included from Makefile.am: the files of kernel/mm/ in the core library
libmmubench_a_SOURCES += \
	%reldir%/damon.c \
	%reldir%/damon.h \
	%reldir%/lru_gen.c \
	%reldir%/lru_gen.h \
	%reldir%/memcg.c \
	%reldir%/memcg.h \
	%reldir%/page_idle.c \
	%reldir%/page_idle.h \
	%reldir%/pagemap.c \
	%reldir%/pagemap.h \
	%reldir%/swap.c \
	%reldir%/swap.h \
	%reldir%/sysfs.c \
	%reldir%/sysfs.h \
	%reldir%/uffd_wp.c \
	%reldir%/uffd_wp.h \
	%reldir%/vmstat.c \
	%reldir%/vmstat.h
