# SPDX-License-Identifier: GPL-2.0
# included from Makefile.am: the files of src/rig/ in the core library
libmmubench_a_SOURCES += \
	%reldir%/rig.c
