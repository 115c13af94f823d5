# SPDX-License-Identifier: GPL-2.0
# included from Makefile.am: integration tests on the real /dev/kvm (skip with the reason when it is unusable)
KVM_TESTS = %reldir%/test_vm %reldir%/test_dirty_log %reldir%/test_uffd_wp %reldir%/test_aging %reldir%/test_dirty \
	%reldir%/test_dirty_faults %reldir%/test_metrics
%canon_reldir%_test_aging_CPPFLAGS = $(AM_CPPFLAGS) $(TEST_BIN_CPPFLAGS)
EXTRA_%canon_reldir%_test_aging_DEPENDENCIES = mmubench
%canon_reldir%_test_dirty_CPPFLAGS = $(AM_CPPFLAGS) $(TEST_BIN_CPPFLAGS)
EXTRA_%canon_reldir%_test_dirty_DEPENDENCIES = mmubench
%canon_reldir%_test_metrics_CPPFLAGS = $(AM_CPPFLAGS) $(TEST_BIN_CPPFLAGS)
EXTRA_%canon_reldir%_test_metrics_DEPENDENCIES = mmubench
%canon_reldir%_test_dirty_faults_CPPFLAGS = $(AM_CPPFLAGS) $(TEST_BIN_CPPFLAGS)
EXTRA_%canon_reldir%_test_dirty_faults_DEPENDENCIES = mmubench
