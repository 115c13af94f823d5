# SPDX-License-Identifier: GPL-2.0
# included from Makefile.am: the files of src/lib/ in the core library
libmmubench_a_SOURCES += \
	%reldir%/bitmap.h \
	%reldir%/env.c \
	%reldir%/env.h \
	%reldir%/exit.h \
	%reldir%/ini.c \
	%reldir%/ini.h \
	%reldir%/jsonobj.c \
	%reldir%/jsonobj.h \
	%reldir%/options.c \
	%reldir%/options.h \
	%reldir%/spawn.c \
	%reldir%/spawn.h \
	%reldir%/strbuf.c \
	%reldir%/strbuf.h \
	%reldir%/strlist.c \
	%reldir%/strlist.h \
	%reldir%/util.c \
	%reldir%/util.h
