# SPDX-License-Identifier: GPL-2.0
# included from Makefile.am: the QEMU test rig (make check-rig): boots Debian's 6.12 under TCG, minutes
RIG_TESTS = %reldir%/test_rig
%canon_reldir%_test_rig_CPPFLAGS = $(AM_CPPFLAGS) $(TEST_BIN_CPPFLAGS)
EXTRA_%canon_reldir%_test_rig_DEPENDENCIES = mmubench
