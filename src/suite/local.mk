# SPDX-License-Identifier: GPL-2.0
# included from Makefile.am: the files of src/suite/ in the core library
libmmubench_a_SOURCES += \
	%reldir%/jobfile.c \
	%reldir%/jobfile.h
