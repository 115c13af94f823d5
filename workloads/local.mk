# SPDX-License-Identifier: GPL-2.0
# included from Makefile.am: the files of workloads/ in the core library
#
# The scenarios, in `mmubench list` order: a new scenario is its file and one
# line here. The registry catalog.c reads (workloads/scenarios.def, one
# SCENARIO(NAME) a line) is made from this list; NAME.c defines scenario_NAME.
SCENARIOS = \
	%reldir%/access.c \
	%reldir%/aging.c \
	%reldir%/dirty.c
libmmubench_a_SOURCES += $(SCENARIOS) \
	%reldir%/aging_stats.c \
	%reldir%/aging_stats.h \
	%reldir%/catalog.c \
	%reldir%/catalog.h \
	%reldir%/config_key.c \
	%reldir%/dirty.h \
	%reldir%/dirty_modes.c \
	%reldir%/scenario.h
nodist_libmmubench_a_SOURCES += %reldir%/scenarios.def
BUILT_SOURCES += %reldir%/scenarios.def
CLEANFILES += %reldir%/scenarios.def
%reldir%/scenarios.def: Makefile
	$(AM_V_GEN)$(MKDIR_P) %reldir% && \
	for f in $(SCENARIOS); do f=$${f##*/}; echo "SCENARIO($${f%.c})"; done >$@
