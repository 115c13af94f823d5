// SPDX-License-Identifier: GPL-2.0
/*
 * scripts/nightly as a timer runs it, twice: the first night (one small real
 * run) becomes the baseline; a second night whose gate reports a regression
 * (a wrapper around the real mmubench whose `gate` prints "regressed" and
 * exits 1: the known answer) must exit 1 and keep the first night as the
 * baseline, and a clean second night must move the baseline on. The script
 * once took the status of `gate | tee` from tee, so no night could fail.
 * Needs /dev/kvm (the suite runs a real guest).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "config.h"
#include "kselftest_harness.h"
#include "tests/t_util.h"

/* the harness longjmps out of failed assertions; nothing here lives across it */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wclobbered"

FIXTURE(nightly) {
	char dir[64];
	char cmd[1024];
};

static void t_write(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
	chmod(path, mode);
}

/* The night's exit status (scripts/nightly with this fixture's state, store and wrapper). */
static int t_night(FIXTURE_DATA(nightly) *self, const char *label, const char *gate_says)
{
	int st;

	snprintf(self->cmd, sizeof(self->cmd),
		 "cd %s && GATE_SAYS=%s MMUBENCH=%s/mmubench MMUBENCH_STORE=%s/store.db "
		 "STATE_DIR=%s/state REPORT_DIR=%s/reports sh %s/scripts/nightly --job %s/tiny.job "
		 "--repeat 1 --label %s >%s/%s.log 2>&1",
		 self->dir, gate_says, self->dir, self->dir, self->dir, self->dir, MMUBENCH_SRCDIR,
		 self->dir, label, self->dir, label);
	st = system(self->cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *t_read(const char *dir, const char *name, char *buf, size_t len)
{
	char path[256];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	buf[0] = '\0';
	f = fopen(path, "r");
	if (!f)
		return buf;
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

FIXTURE_SETUP(nightly)
{
	char why[256], path[128], wrapper[1024];

	if (t_kvm_unusable(why, sizeof(why)))
		SKIP(return, "%s", why);
	snprintf(self->dir, sizeof(self->dir), "/tmp/mmubench-test-nightly.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	/* the real binary, except a gate that says what GATE_SAYS tells it to */
	snprintf(wrapper, sizeof(wrapper),
		 "#!/bin/sh\n"
		 "if [ \"$1\" = gate ] && [ \"$GATE_SAYS\" = regressed ]; then\n"
		 "\techo 'baseline_mpages_per_s  -40.0%%  p=0.001  regressed'\n"
		 "\texit 1\n"
		 "fi\n"
		 "exec %s \"$@\"\n", MMUBENCH_BIN);
	snprintf(path, sizeof(path), "%s/mmubench", self->dir);
	t_write(path, wrapper, 0755);
	snprintf(path, sizeof(path), "%s/tiny.job", self->dir);
	t_write(path, "[global]\nvcpus = 1\nmem-per-vcpu = 32M\n\n[access]\nscenario = access\n"
		"passes = 1\n", 0644);
}

FIXTURE_TEARDOWN_PARENT(nightly)
{
	if (self->dir[0])
		t_rm_tree(self->dir);
}

TEST_F(nightly, a_regression_fails_the_night_and_keeps_the_baseline)
{
	char buf[4096];

	ASSERT_EQ(0, t_night(self, "n1", "real"));
	ASSERT_STREQ("n1\n", t_read(self->dir, "state/last-good", buf, sizeof(buf)));

	EXPECT_EQ(1, t_night(self, "n2", "regressed"))
		TH_LOG("%s", t_read(self->dir, "n2.log", buf, sizeof(buf)));
	EXPECT_STREQ("n1\n", t_read(self->dir, "state/last-good", buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(t_read(self->dir, "reports/n2/gate.txt", buf, sizeof(buf)),
			       "regressed"));
	EXPECT_NE(NULL, strstr(t_read(self->dir, "n2.log", buf, sizeof(buf)),
			       "the baseline stays n1"));
	EXPECT_EQ(NULL, strstr(buf, "n2 is the new baseline"));
}

TEST_F(nightly, a_clean_night_becomes_the_baseline)
{
	char buf[4096];

	ASSERT_EQ(0, t_night(self, "n1", "real"));
	/* the real gate, one run a side: not enough data, nothing regressed */
	EXPECT_EQ(0, t_night(self, "n2", "real"))
		TH_LOG("%s", t_read(self->dir, "n2.log", buf, sizeof(buf)));
	EXPECT_STREQ("n2\n", t_read(self->dir, "state/last-good", buf, sizeof(buf)));
	EXPECT_NE(0, strlen(t_read(self->dir, "reports/n2/gate.txt", buf, sizeof(buf))));
}

#pragma GCC diagnostic pop

TEST_HARNESS_MAIN
