# SPDX-License-Identifier: GPL-2.0
# included from Makefile.am: the files of src/stats/ in the core library
libmmubench_a_SOURCES += \
	%reldir%/hist_stats.c \
	%reldir%/hist_stats.h \
	%reldir%/signif.c \
	%reldir%/signif.h \
	%reldir%/zipf.c \
	%reldir%/zipf.h
