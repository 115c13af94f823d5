// SPDX-License-Identifier: GPL-2.0
/*
 * `mmubench run dirty` on the bare machine, through the binary: every mode on
 * 4K and THP memory with 1 and 2 vCPUs, 20 harvests each while the guest
 * keeps writing: no page written and never reported, and the independent
 * uffd-wp oracle agrees. A harvest thrown away on purpose must come out as
 * lost pages, with their GPAs: the check can fail. A vCPU held still across
 * harvests (its access in flight) must not. Needs /dev/kvm.
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

#define T_EXIT_FAILED	1	/* src/cli/commands.h */
#define T_EXIT_SKIPPED	4

/* the harness longjmps out of failed assertions; nothing here lives across it */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wclobbered"

FIXTURE(dirty) {
	char dir[64];
	char json[128];
};

FIXTURE_SETUP(dirty)
{
	char why[256];

	if (t_kvm_unusable(why, sizeof(why)))
		SKIP(return, "%s", why);
	snprintf(self->dir, sizeof(self->dir), "/tmp/mmubench-test-dirty.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->json, sizeof(self->json), "%s/r.json", self->dir);
}

FIXTURE_TEARDOWN_PARENT(dirty)
{
	if (self->dir[0])
		t_rm_tree(self->dir);
}

FIXTURE_VARIANT(dirty) {
	const char *mode;
	const char *extra;	/* a mode flag, or NULL */
	const char *backing;
	const char *guest_page;
	const char *vcpus;
};

#define T_DIRTY_VARIANTS(name, mode, extra)						\
	FIXTURE_VARIANT_ADD(dirty, name##_4k_1) { mode, extra, "anon", "4k", "1" };	\
	FIXTURE_VARIANT_ADD(dirty, name##_4k_2) { mode, extra, "anon", "4k", "2" };	\
	FIXTURE_VARIANT_ADD(dirty, name##_thp_1) { mode, extra, "thp", "2m", "1" };	\
	FIXTURE_VARIANT_ADD(dirty, name##_thp_2) { mode, extra, "thp", "2m", "2" }

T_DIRTY_VARIANTS(bitmap, "bitmap", NULL);
T_DIRTY_VARIANTS(clear, "clear", NULL);
T_DIRTY_VARIANTS(clear_initially_set, "clear", "--initially-set");
T_DIRTY_VARIANTS(ring, "ring", NULL);
T_DIRTY_VARIANTS(ring_acq_rel, "ring", "--ring-acq-rel");

static int t_run_dirty(struct t_out *r, FIXTURE_DATA(dirty) *self,
		       const FIXTURE_VARIANT(dirty) *variant, const char *skip, const char *stall)
{
	return t_run(r, "run", "dirty", "--mode", variant->mode, "--backing", variant->backing,
		     "--guest-page", variant->guest_page, "--vcpus", variant->vcpus,
		     "--mem-per-vcpu", "64M", "--iterations", "20", "--interval", "50",
		     "--baseline-epochs", "1", "--oracle", "uffd-wp", "--json", self->json,
		     "--no-store", "--quiet", "--test-skip-harvest", skip,
		     "--test-stall-harvest", stall, variant->extra ? variant->extra : NULL, NULL);
}

/* The run passed with nothing lost: the ground truth, the oracle and the page contents agree. */
static void t_expect_nothing_lost(struct __test_metadata *_metadata, struct json_object *rec)
{
	EXPECT_EQ(0, t_metric(rec, "lost_pages"));
	EXPECT_STREQ("pass", t_check(rec, "no_lost_pages"));
	EXPECT_EQ(0, t_metric(rec, "oracle_missed_pages"));
	EXPECT_STREQ("pass", t_check(rec, "oracle_agrees"));
	EXPECT_STREQ("pass", t_check(rec, "memory_contents"));
}

TEST_F(dirty, nothing_lost)
{
	struct json_object *rec;
	struct t_out r;

	ASSERT_EQ(0, t_run_dirty(&r, self, variant, "0", "0"));
	if (r.status == T_EXIT_SKIPPED)
		SKIP(return, "%s", r.err);
	ASSERT_EQ(0, r.status) t_show("stderr", r.err);
	rec = json_object_from_file(self->json);
	ASSERT_NE(NULL, rec);
	t_expect_nothing_lost(_metadata, rec);
	/* the guest really wrote while logging was on */
	EXPECT_LT(0, t_metric(rec, "written_pages"));
	json_object_put(rec);
	t_out_free(&r);
}

/* Harvest 5 thrown away: its pages were written and never reported. */
TEST_F(dirty, skipped_harvest_is_caught)
{
	struct json_object *rec;
	struct t_out r;

	ASSERT_EQ(0, t_run_dirty(&r, self, variant, "5", "0"));
	if (r.status == T_EXIT_SKIPPED)
		SKIP(return, "%s", r.err);
	EXPECT_EQ(T_EXIT_FAILED, r.status) t_show("stderr", r.err);
	rec = json_object_from_file(self->json);
	ASSERT_NE(NULL, rec);
	EXPECT_LT(0, t_metric(rec, "lost_pages"));
	EXPECT_STREQ("fail", t_check(rec, "no_lost_pages"));
	EXPECT_STREQ("fail", json_object_get_string(json_object_object_get(rec, "status")));
	json_object_put(rec);
	t_out_free(&r);
}

/*
 * vCPU 0 held still from harvest 5 for 4 intervals, as a loaded host can: the
 * access it is on stays in flight across harvests and is reported by the one
 * after its store, which is not lost (the check used to say it was).
 */
TEST_F(dirty, in_flight_access_not_lost)
{
	struct json_object *rec;
	struct t_out r;

	ASSERT_EQ(0, t_run_dirty(&r, self, variant, "0", "5"));
	if (r.status == T_EXIT_SKIPPED)
		SKIP(return, "%s", r.err);
	ASSERT_EQ(0, r.status) t_show("stderr", r.err);
	rec = json_object_from_file(self->json);
	ASSERT_NE(NULL, rec);
	t_expect_nothing_lost(_metadata, rec);
	json_object_put(rec);
	t_out_free(&r);
}

#pragma GCC diagnostic pop

TEST_HARNESS_MAIN
