# SPDX-License-Identifier: GPL-2.0
# included from Makefile.am: the mmubench binary as users run it (bad input, gate, report)
CLI_TESTS = %reldir%/test_cli %reldir%/test_gate %reldir%/test_report
%canon_reldir%_test_cli_CPPFLAGS = $(AM_CPPFLAGS) $(TEST_BIN_CPPFLAGS)
EXTRA_%canon_reldir%_test_cli_DEPENDENCIES = mmubench
%canon_reldir%_test_gate_CPPFLAGS = $(AM_CPPFLAGS) $(TEST_BIN_CPPFLAGS)
EXTRA_%canon_reldir%_test_gate_DEPENDENCIES = mmubench
%canon_reldir%_test_report_CPPFLAGS = $(AM_CPPFLAGS) $(TEST_BIN_CPPFLAGS)
EXTRA_%canon_reldir%_test_report_DEPENDENCIES = mmubench
CLI_TESTS += %reldir%/test_nightly
%canon_reldir%_test_nightly_CPPFLAGS = $(AM_CPPFLAGS) $(TEST_BIN_CPPFLAGS)
EXTRA_%canon_reldir%_test_nightly_DEPENDENCIES = mmubench
