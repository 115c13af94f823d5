# SPDX-License-Identifier: GPL-2.0
# included from Makefile.am: the files of src/report/ in the core library
libmmubench_a_SOURCES += \
	%reldir%/report.c \
	%reldir%/report.h
