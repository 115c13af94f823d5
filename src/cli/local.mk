# SPDX-License-Identifier: GPL-2.0
# included from Makefile.am: the files of src/cli/ in the core library
libmmubench_a_SOURCES += \
	%reldir%/cmd_gate.c \
	%reldir%/cmd_import.c \
	%reldir%/cmd_kvm_hold.c \
	%reldir%/cmd_list.c \
	%reldir%/cmd_probe.c \
	%reldir%/cmd_report.c \
	%reldir%/cmd_rig.c \
	%reldir%/cmd_run.c \
	%reldir%/cmd_suite.c \
	%reldir%/commands.h \
	%reldir%/man.c \
	%reldir%/probe_print.c \
	%reldir%/probe_print.h
