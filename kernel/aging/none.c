// SPDX-License-Identifier: GPL-2.0
/*
 * Aging driver "none": the control. It does nothing and judges every page
 * young, so its false-old rate is 0 by construction: runs with it measure the
 * harness itself (the vCPU rate with epochs but no aging, and that
 * --inject-false-old shows up exactly in the reported rate).
 */
#include "kernel/aging/driver.h"

static int none_pass(struct aging_env *env, unsigned int epoch, char *err, size_t errlen)
{
	return 0;
}

static int none_verdict(struct aging_env *env, int t, unsigned long *old, char *err, size_t errlen)
{
	return 0;	/* @old arrives cleared: everything young */
}

static const struct aging_driver_ops none_ops = {
	.pass = none_pass,
	.verdict = none_verdict,
};

const struct aging_driver_desc aging_driver_none = {
	.name = "none",
	.help = "no aging at all; every page judged young (the control: tests the harness and the "
		"metric)",
	.kind = AGING_YOUNG_OLD,
	.ops = &none_ops,
};
