# SPDX-License-Identifier: GPL-2.0
# included from Makefile.am: the files of src/run/ in the core library
libmmubench_a_SOURCES += \
	%reldir%/envinfo.c \
	%reldir%/envinfo.h \
	%reldir%/internal.h \
	%reldir%/kick.c \
	%reldir%/put.c \
	%reldir%/runner.c \
	%reldir%/runner.h \
	%reldir%/truth.c \
	%reldir%/truth.h \
	%reldir%/validate.c \
	%reldir%/vcpu.c \
	%reldir%/verify.c \
	%reldir%/verify.h \
	%reldir%/watch.c \
	%reldir%/window.c \
	%reldir%/window.h
