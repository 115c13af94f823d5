// SPDX-License-Identifier: GPL-2.0
/*
 * `mmubench run aging` on the bare machine, end to end through the binary:
 * the pageout driver evicts guest pages under a running guest (hot ones
 * among them, which the run must detect) and the guest's data survives;
 * --inject-false-old shows up exactly in the reported false-old rate; a
 * driver the kernel lacks is a skip with the reason. Needs /dev/kvm.
 *
 * ASSERT_*() expand to two statements: loops and ifs around them keep braces.
 */
#include <ftw.h>
#include <math.h>
#include <sys/stat.h>
#include <json-c/json.h>

#include "kselftest_harness.h"
#include "tests/t_util.h"
#include "tests/t_spawn.h"

#define T_EXIT_SKIPPED 4	/* src/cli/commands.h */

/* the harness longjmps out of failed assertions; nothing here lives across it */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wclobbered"

FIXTURE(aging) {
	char dir[64];
	char json[128];
};

FIXTURE_SETUP(aging)
{
	char why[256];

	if (t_kvm_unusable(why, sizeof(why)))
		SKIP(return, "%s", why);
	snprintf(self->dir, sizeof(self->dir), "/tmp/mmubench-test-aging.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->json, sizeof(self->json), "%s/r.json", self->dir);
}

FIXTURE_TEARDOWN_PARENT(aging)
{
	if (self->dir[0])
		t_rm_tree(self->dir);
}

TEST_F(aging, pageout_evicts_hot_pages_and_data_survives)
{
	struct json_object *rec;
	struct t_out r;

	ASSERT_EQ(0, t_run(&r, "run", "aging", "--driver", "pageout", "--vcpus", "1",
			   "--mem-per-vcpu", "64M", "--epochs", "3", "--baseline-epochs", "1",
			   "--interval", "300", "--reclaim-pct", "20", "--swap-dir", self->dir,
			   "--json", self->json, "--no-store", "--quiet", NULL));
	if (r.status == T_EXIT_SKIPPED)
		SKIP(return, "pageout skipped: %s", r.err);
	ASSERT_EQ(0, r.status) t_show("stderr", r.err);
	rec = json_object_from_file(self->json);
	ASSERT_NE(NULL, rec);
	/* hot and cold pages existed and evictions were seen */
	EXPECT_LT(0, t_metric(rec, "young_pages"));
	EXPECT_LT(0, t_metric(rec, "old_pages"));
	EXPECT_LT(0, t_metric(rec, "evicted_seen_pages"));
	EXPECT_LE(0, t_metric(rec, "false_old_pct"));
	EXPECT_GT(100, t_metric(rec, "false_old_pct"));
	/*
	 * Hot pages were evicted too: MADV_PAGEOUT ignores accessed bits. Only
	 * the hot pages hold data (cold ones stay zero, and zero pages are not
	 * written to swap since 6.12), so pages written to swap are evicted hot
	 * pages. The guest refaults them within microseconds, usually before
	 * pagemap is read, which is why hot_evicted_pages undercounts them.
	 */
	EXPECT_LT(0, t_metric(rec, "swapouts"));
	EXPECT_FALSE(isnan(t_metric(rec, "hot_evicted_pages")));
	/* every page still holds what the guest wrote */
	EXPECT_STREQ("pass", t_check(rec, "memory_contents"));
	json_object_put(rec);
	t_out_free(&r);
}

/* Ctrl-C in the middle of a run: it stops, and the swapfile it added is gone. */
TEST_F(aging, sigint_stops_cleanly_and_restores_swap)
{
	char line[512], swapfile[160];
	bool listed = false;
	struct t_out r;
	FILE *swaps;

	ASSERT_EQ(0, t_run_signalled(&r, SIGINT, "epoch 1:", "run", "aging", "--driver", "pageout",
				     "--vcpus", "1", "--mem-per-vcpu", "64M", "--epochs", "100",
				     "--interval", "300", "--swap-dir", self->dir,
				     "--json", self->json, "--no-store", NULL));
	if (r.status == T_EXIT_SKIPPED)
		SKIP(return, "pageout skipped: %s", r.err);
	EXPECT_EQ(3, r.status) t_show("stderr", r.err);
	/* the signal came after the first pass, with the driver's swapfile on */
	EXPECT_NE(NULL, strstr(r.err, "interrupted by signal 2: stopped cleanly")) t_show("stderr", r.err);
	/* the swapfile was swapped off and removed */
	swaps = fopen("/proc/swaps", "r");
	ASSERT_NE(NULL, swaps);
	while (fgets(line, sizeof(line), swaps))
		listed |= strstr(line, self->dir) != NULL;
	fclose(swaps);
	EXPECT_FALSE(listed);
	snprintf(swapfile, sizeof(swapfile), "ls %s | grep -q mmubench-swap", self->dir);
	EXPECT_NE(0, system(swapfile));
	t_out_free(&r);
}

TEST_F(aging, injected_false_old_is_reported)
{
	struct json_object *rec;
	struct t_out r;
	double fo;

	/* the control driver judges everything young: false-old must be the injection alone */
	ASSERT_EQ(0, t_run(&r, "run", "aging", "--driver", "none", "--vcpus", "1",
			   "--mem-per-vcpu", "256M", "--hot-frac", "0.5", "--epochs", "4",
			   "--baseline-epochs", "1", "--interval", "200", "--inject-false-old", "10",
			   "--json", self->json, "--no-store", "--quiet", NULL));
	ASSERT_EQ(0, r.status) t_show("stderr", r.err);
	rec = json_object_from_file(self->json);
	ASSERT_NE(NULL, rec);
	fo = t_metric(rec, "false_old_pct");
	EXPECT_EQ(0, t_metric(rec, "driver_false_old_pct"));
	EXPECT_LT(fabs(fo - 10.0), 0.5) TH_LOG("false_old_pct %.3f", fo);
	EXPECT_STREQ("pass", t_check(rec, "false_old_injection"));
	json_object_put(rec);
	t_out_free(&r);
}

/*
 * DAMON as this machine has it: a system kdamond observed read-only. Hot
 * pages must come out young more often than cold ones (on 4K anonymous
 * memory paddr regions mix the two, so not cleanly; THP backing lines them up).
 */
TEST_F(aging, damon_observed_read_only)
{
	struct json_object *rec;
	struct t_out r;
	double young_when_hot, young_when_cold;

	ASSERT_EQ(0, t_run(&r, "run", "aging", "--driver", "damon", "--vcpus", "1",
			   "--mem-per-vcpu", "128M", "--backing", "thp", "--guest-page", "2m",
			   "--epochs", "2", "--baseline-epochs", "1", "--interval", "500",
			   "--json", self->json, "--no-store", "--quiet", NULL));
	if (r.status == T_EXIT_SKIPPED)
		SKIP(return, "damon skipped: %s", r.err);
	ASSERT_EQ(0, r.status) t_show("stderr", r.err);
	rec = json_object_from_file(self->json);
	ASSERT_NE(NULL, rec);
	EXPECT_LT(0, t_metric(rec, "pages_covered"));
	young_when_hot = 100 - t_metric(rec, "false_old_pct");
	young_when_cold = t_metric(rec, "false_young_pct");
	EXPECT_GT(young_when_hot, young_when_cold)
		TH_LOG("young: %.1f%% of hot pages, %.1f%% of cold pages", young_when_hot,
		       young_when_cold);
	EXPECT_STREQ("pass", t_check(rec, "memory_contents"));
	json_object_put(rec);
	t_out_free(&r);
}

/* A hot set that moves every epoch: the truth follows it and the data stays right. */
TEST_F(aging, shifting_working_set)
{
	struct json_object *rec;
	struct t_out r;

	ASSERT_EQ(0, t_run(&r, "run", "aging", "--driver", "none", "--vcpus", "2",
			   "--mem-per-vcpu", "32M", "--epochs", "4", "--baseline-epochs", "1",
			   "--interval", "200", "--shift-every", "1", "--json", self->json,
			   "--no-store", "--quiet", NULL));
	ASSERT_EQ(0, r.status) t_show("stderr", r.err);
	rec = json_object_from_file(self->json);
	ASSERT_NE(NULL, rec);
	/* right after each move both the old and the new hot set are young: twice the tenth */
	EXPECT_EQ(2 * 2 * 819, t_metric(rec, "young_pages"));
	EXPECT_STREQ("pass", t_check(rec, "memory_contents"));
	json_object_put(rec);
	t_out_free(&r);
}

TEST_F(aging, missing_feature_is_a_skip)
{
	struct t_out r;

	if (!access("/sys/kernel/mm/page_idle/bitmap", F_OK))
		SKIP(return, "this kernel has idle page tracking: the skip path is checked only on kernels "
		     "built without CONFIG_IDLE_PAGE_TRACKING (e.g. Debian's)");
	ASSERT_EQ(0, t_run(&r, "run", "aging", "--driver", "idle", "--vcpus", "1",
			   "--mem-per-vcpu", "16M", "--no-store", NULL));
	EXPECT_EQ(T_EXIT_SKIPPED, r.status) t_show("stderr", r.err);
	EXPECT_NE(NULL, strstr(r.err, "IDLE_PAGE_TRACKING")) t_show("stderr", r.err);
	t_out_free(&r);
}

#pragma GCC diagnostic pop

TEST_HARNESS_MAIN
