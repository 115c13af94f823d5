# SPDX-License-Identifier: GPL-2.0
# included from Makefile.am: kernel/ (the host kernel under test, outside the VM)
libmmubench_a_SOURCES += \
	%reldir%/probe.c %reldir%/probe.h \
	%reldir%/topology.c %reldir%/topology.h
include %reldir%/kvm/local.mk
include %reldir%/mm/local.mk
include %reldir%/trace/local.mk
include %reldir%/aging/local.mk
