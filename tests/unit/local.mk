# SPDX-License-Identifier: GPL-2.0
# included from Makefile.am: unit tests: parsers and primitives on recorded or built input, no VM
UNIT_TESTS = \
	%reldir%/test_layers \
	%reldir%/test_lib \
	%reldir%/test_hist \
	%reldir%/test_truth \
	%reldir%/test_pattern \
	%reldir%/test_options \
	%reldir%/test_output \
	%reldir%/test_aging_stats \
	%reldir%/test_jobfile \
	%reldir%/test_lru_gen \
	%reldir%/test_damon_trace \
	%reldir%/test_kvm_trace \
	%reldir%/test_store \
	%reldir%/test_probe \
	%reldir%/test_metric \
	%reldir%/test_rig_parts
