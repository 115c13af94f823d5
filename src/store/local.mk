# SPDX-License-Identifier: GPL-2.0
# included from Makefile.am: the files of src/store/ in the core library
libmmubench_a_SOURCES += \
	%reldir%/results_files.S \
	%reldir%/store.c \
	%reldir%/store.h \
	%reldir%/store_priv.h \
	%reldir%/store_read.c
# .incbin dependencies automake cannot see
RESULTS_FILES = results/schema.sql results/migrations/001-initial.sql \
	results/migrations/002-git-revision-indexes.sql results/gate.rules
%reldir%/libmmubench_a-results_files.$(OBJEXT): $(RESULTS_FILES)
