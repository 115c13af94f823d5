// SPDX-License-Identifier: GPL-2.0
/*
 * Every metric a scenario emits on a real short run is one it declares in
 * the catalog, with the same unit and direction, and each dirty mode
 * reports the metrics its ops table lists. Through the binary, so the
 * record checked is the one users get. Needs /dev/kvm.
 *
 * ASSERT_*() expand to two statements: loops and ifs around them keep braces.
 */
#include <ftw.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <json-c/json.h>

#include "kselftest_harness.h"
#include "tests/t_util.h"
#include "tests/t_spawn.h"
#include "workloads/catalog.h"
#include "workloads/dirty.h"

/* the harness longjmps out of failed assertions; nothing here lives across it */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wclobbered"

FIXTURE(metrics) {
	char dir[64];
	char json[128];
};

FIXTURE_VARIANT(metrics) {
	const char *scenario;
	const char *args[12];	/* NULL-terminated */
	const char *dirty_mode;		/* its metrics must all be there */
};

FIXTURE_VARIANT_ADD(metrics, access) {
	"access", { "--passes", "2" }, NULL,
};
FIXTURE_VARIANT_ADD(metrics, aging_none_injected) {
	"aging", { "--driver", "none", "--epochs", "2", "--baseline-epochs", "1",
		   "--interval", "100", "--inject-false-old", "5" }, NULL,
};
FIXTURE_VARIANT_ADD(metrics, dirty_bitmap) {
	"dirty", { "--mode", "bitmap", "--iterations", "2", "--baseline-epochs", "1" }, "bitmap",
};
FIXTURE_VARIANT_ADD(metrics, dirty_clear) {
	"dirty", { "--mode", "clear", "--iterations", "2", "--baseline-epochs", "1" }, "clear",
};
FIXTURE_VARIANT_ADD(metrics, dirty_ring) {
	"dirty", { "--mode", "ring", "--iterations", "2", "--baseline-epochs", "1" }, "ring",
};

FIXTURE_SETUP(metrics)
{
	char why[256];

	if (t_kvm_unusable(why, sizeof(why)))
		SKIP(return, "%s", why);
	snprintf(self->dir, sizeof(self->dir), "/tmp/mmubench-test-metrics.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->json, sizeof(self->json), "%s/r.json", self->dir);
}

FIXTURE_TEARDOWN_PARENT(metrics)
{
	if (self->dir[0])
		t_rm_tree(self->dir);
}

static const struct metric_desc *t_declared(const struct scenario_desc *scn, const char *name)
{
	for (const struct metric_desc *m = scn->metrics; m->name; m++)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

TEST_F(metrics, emitted_are_declared)
{
	const struct scenario_desc *scn = scenario_find(variant->scenario);
	const char *const *a = variant->args;
	struct json_object *rec, *ms;
	struct t_out r;
	size_t n;

	ASSERT_NE(NULL, scn);
	/* the variant's own arguments last: the first NULL among them ends the list */
	ASSERT_EQ(0, t_run(&r, "run", variant->scenario, "--vcpus", "1", "--mem-per-vcpu", "16M",
			   "--json", self->json, "--no-store", "--quiet", a[0], a[1], a[2], a[3],
			   a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], NULL));
	if (r.status == T_EXIT_SKIPPED)
		SKIP(return, "%s skipped: %s", variant->scenario, r.err);
	ASSERT_EQ(0, r.status) t_show("stderr", r.err);
	rec = json_object_from_file(self->json);
	ASSERT_NE(NULL, rec);
	EXPECT_STREQ("pass", t_str(rec, "status"));
	ASSERT_TRUE(json_object_object_get_ex(rec, "metrics", &ms));
	n = json_object_array_length(ms);
	EXPECT_LT(5, n);
	for (size_t i = 0; i < n; i++) {
		struct json_object *m = json_object_array_get_idx(ms, i);
		const char *name = t_str(m, "name");
		const struct metric_desc *d;

		ASSERT_NE(NULL, name);
		d = t_declared(scn, name);
		EXPECT_NE(NULL, d) TH_LOG("%s emits %s, not declared", scn->name, name);
		if (!d)
			continue;
		EXPECT_STREQ(d->unit, t_str(m, "unit")) TH_LOG("%s", name);
		EXPECT_STREQ(metric_direction_name(d->dir), t_str(m, "direction"))
			TH_LOG("%s", name);
	}
	for (int i = 0; variant->dirty_mode && dirty_modes[i]; i++) {
		if (strcmp(dirty_modes[i]->name, variant->dirty_mode))
			continue;
		for (const int *m = dirty_modes[i]->metrics; *m >= 0; m++) {
			EXPECT_FALSE(isnan(t_metric(rec, dirty_metrics[*m].name)))
				TH_LOG("--mode %s: no %s", variant->dirty_mode,
				       dirty_metrics[*m].name);
		}
	}
	json_object_put(rec);
	t_out_free(&r);
}

#pragma GCC diagnostic pop

TEST_HARNESS_MAIN
