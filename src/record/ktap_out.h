/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The result record as KTAP on stdout (Documentation/dev-tools/ktap.rst),
 * printed with the kselftest framework (tools/testing/selftests/kselftest.h)
 * so that kselftest runners and automake's TAP driver read it as they read
 * any selftest.
 */
#ifndef MMUBENCH_KTAP_OUT_H
#define MMUBENCH_KTAP_OUT_H

#include "src/record/record.h"

/*
 * One complete KTAP document for @r on stdout: version line, plan, a test
 * point per metric ("ok 1 access_ns_per_page 23.4 ns/page"), per histogram
 * (count and percentiles) and per check (ok, not ok with the reason, ok
 * # SKIP with the reason), then the totals. A record in ERROR, or failed
 * without a failing check, gets one more point for the scenario, not ok with
 * the reason; a skipped record is a single "ok 1 <scenario> # SKIP <reason>".
 * Test numbers restart at 1 on every call. stdout is flushed before and after.
 */
void ktap_print_record(const struct record *r);

#endif
