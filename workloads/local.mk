# SPDX-License-Identifier: GPL-2.0
# included from Makefile.am: the files of workloads/ in the core library
libmmubench_a_SOURCES += \
	%reldir%/access.c \
	%reldir%/aging.c \
	%reldir%/aging_stats.c \
	%reldir%/aging_stats.h \
	%reldir%/dirty.c \
	%reldir%/dirty.h \
	%reldir%/dirty_modes.c \
	%reldir%/scenario.h \
	%reldir%/catalog.c \
	%reldir%/catalog.h \
	%reldir%/config_key.c \
	%reldir%/scenarios.def
