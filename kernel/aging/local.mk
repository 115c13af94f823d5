# SPDX-License-Identifier: GPL-2.0
# included from Makefile.am: the files of kernel/aging/ in the core library
#
# The aging drivers, in --driver order: a new driver is its file and one line
# here, nothing else. The registry drivers.c reads (kernel/aging/drivers.def,
# one AGING_DRIVER(NAME) a line) is made from this list; NAME.c defines
# aging_driver_NAME.
AGING_DRIVERS = \
	%reldir%/mglru.c \
	%reldir%/memcg.c \
	%reldir%/pageout.c \
	%reldir%/damon.c \
	%reldir%/idle.c \
	%reldir%/none.c
libmmubench_a_SOURCES += $(AGING_DRIVERS) \
	%reldir%/driver.h \
	%reldir%/drivers.c \
	%reldir%/eviction.c \
	%reldir%/eviction.h
nodist_libmmubench_a_SOURCES += %reldir%/drivers.def
BUILT_SOURCES += %reldir%/drivers.def
CLEANFILES += %reldir%/drivers.def
%reldir%/drivers.def: Makefile
	$(AM_V_GEN)$(MKDIR_P) %reldir% && \
	for f in $(AGING_DRIVERS); do f=$${f##*/}; echo "AGING_DRIVER($${f%.c})"; done >$@
