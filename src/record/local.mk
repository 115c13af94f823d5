# SPDX-License-Identifier: GPL-2.0
# included from Makefile.am: the files of src/record/ in the core library
libmmubench_a_SOURCES += \
	%reldir%/json_in.c \
	%reldir%/json_in.h \
	%reldir%/json_out.c \
	%reldir%/json_out.h \
	%reldir%/ktap_out.c \
	%reldir%/ktap_out.h \
	%reldir%/metric.c \
	%reldir%/metric.h \
	%reldir%/record.c \
	%reldir%/record.h \
	%reldir%/summary.c \
	%reldir%/summary.h
