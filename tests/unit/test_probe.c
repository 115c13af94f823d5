// SPDX-License-Identifier: GPL-2.0
/*
 * The prober's table and probe_require() (kernel/probe.c): requirements
 * resolve, a skip carries the hint `mmubench probe` prints, and every
 * driver's requires name items that exist. Only read-only mm, tracing and
 * debugfs items are probed for real; "kvm" (which creates a VM) is not.
 *
 * ASSERT_*() expand to two statements: loops and ifs around them keep braces.
 */
#include <errno.h>
#include <string.h>

#include <json-c/json.h>

#include "kselftest_harness.h"
#include "kernel/aging/driver.h"
#include "kernel/probe.h"
#include "src/lib/jsonobj.h"

static int fake_there(struct json_object *o)
{
	jsonobj_put_bool(o, "present", true);
	jsonobj_put_bool(o, "sub", true);
	return 0;
}

static int fake_missing(struct json_object *o)
{
	jsonobj_put_bool(o, "present", false);
	jsonobj_put_bool(o, "sub", false);
	jsonobj_put_str(o, "hint", "CONFIG_FAKE=y");
	return 0;
}

/* there, but with a hint about something better (like memcg v1) */
static int fake_v1(struct json_object *o)
{
	jsonobj_put_bool(o, "v1", true);
	jsonobj_put_str(o, "hint", "boot with v2");
	return 0;
}

static bool fake_v1_ok(struct json_object *o)
{
	return jsonobj_get_bool(o, "v1");
}

static const struct probe_item fake_items[] = {
	{ "a.there", fake_there, NULL, "/sys/there" },
	{ "a.missing", fake_missing, NULL, "/sys/missing" },
	{ "a.missing.deeper", fake_there },
	{ "v1", fake_v1, fake_v1_ok },
	{ NULL }
};

#define NAMES(...) ((const char *const[]){ __VA_ARGS__, NULL })

TEST(require_present_passes)
{
	char err[512] = "";

	EXPECT_EQ(0, probe_require_in(fake_items, NAMES("a.there"), err, sizeof(err)));
	EXPECT_EQ(0, probe_require_in(fake_items, NAMES("a.there.sub"), err, sizeof(err)));
	EXPECT_EQ(0, probe_require_in(fake_items, NAMES("v1"), err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(0, probe_require_in(fake_items, NULL, err, sizeof(err)));
	/* the longest item name wins: a.missing.deeper is an item of its own */
	EXPECT_EQ(0, probe_require_in(fake_items, NAMES("a.missing.deeper"), err, sizeof(err)));
}

TEST(require_missing_gives_the_hint)
{
	char err[512] = "";

	EXPECT_EQ(-EOPNOTSUPP, probe_require_in(fake_items, NAMES("a.there", "a.missing"), err,
						 sizeof(err)));
	EXPECT_STREQ("no a.missing, /sys/missing (hint: CONFIG_FAKE=y)", err);
}

TEST(require_below_an_item_takes_its_hint)
{
	char err[512] = "";

	EXPECT_EQ(-EOPNOTSUPP, probe_require_in(fake_items, NAMES("a.missing.sub"), err,
						 sizeof(err)));
	EXPECT_STREQ("no a.missing.sub (hint: CONFIG_FAKE=y)", err);
	EXPECT_EQ(-EOPNOTSUPP, probe_require_in(fake_items, NAMES("a.there.absent"), err,
						 sizeof(err)));
	EXPECT_STREQ("no a.there.absent", err);
}

TEST(require_names_every_missing_item_in_order)
{
	char err[512] = "";

	EXPECT_EQ(-EOPNOTSUPP, probe_require_in(fake_items, NAMES("a.missing.sub", "a.there",
								   "a.missing"), err, sizeof(err)));
	EXPECT_STREQ("no a.missing.sub (hint: CONFIG_FAKE=y); "
		     "no a.missing, /sys/missing (hint: CONFIG_FAKE=y)", err);
}

TEST(require_unknown_item_is_an_error)
{
	char err[512] = "";

	EXPECT_EQ(-EINVAL, probe_require_in(fake_items, NAMES("b"), err, sizeof(err)));
	EXPECT_STREQ("b: no such probe item", err);
	/* a prefix of an item name is no item */
	EXPECT_EQ(-EINVAL, probe_require_in(fake_items, NAMES("a.the"), err, sizeof(err)));
	EXPECT_EQ(-EINVAL, probe_require(NAMES("mm.nonesuch"), err, sizeof(err)));
}

TEST(table_names_are_unique)
{
	for (const struct probe_item *a = probe_items; a->name; a++) {
		EXPECT_NE(NULL, a->fn) TH_LOG("%s", a->name);
		for (const struct probe_item *b = a + 1; b->name; b++)
			EXPECT_STRNE(a->name, b->name);
	}
}

TEST(driver_requires_are_items)
{
	char err[1024];
	int n = 0, ret;

	for (int i = 0; aging_drivers[i]; i++) {
		for (const char *const *r = aging_drivers[i]->requires; r && *r; r++) {
			ret = probe_require(NAMES(*r), err, sizeof(err));
			EXPECT_TRUE(ret == 0 || ret == -EOPNOTSUPP)
				TH_LOG("driver %s: %s: %s", aging_drivers[i]->name, *r, err);
			n++;
		}
	}
	EXPECT_LT(0, n);
}

/*
 * On this host: each read-only item is required successfully exactly when
 * the report would show it without a hint (memcg: as a v1 controller too),
 * and a skip quotes the report's hint word for word.
 */
TEST(require_says_what_the_report_says)
{
	static const char *const cheap[] = {
		"mm.mglru", "mm.page_idle", "mm.damon", "mm.swap", "mm.thp", "mm.hugetlb",
		"mm.ksm", "mm.numa_balancing", "mm.soft_dirty", "mm.pagemap_scan",
		"mm.userfaultfd", "tracefs", "debugfs",
	};
	char err[2048];

	for (size_t i = 0; i < sizeof(cheap) / sizeof(cheap[0]); i++) {
		struct json_object *o = probe_one(cheap[i]);
		const char *hint = jsonobj_get_str(o, "hint");
		int ret = probe_require(NAMES(cheap[i]), err, sizeof(err));

		ASSERT_NE(NULL, o) TH_LOG("%s", cheap[i]);
		if (hint) {
			EXPECT_EQ(-EOPNOTSUPP, ret) TH_LOG("%s", cheap[i]);
			EXPECT_NE(NULL, strstr(err, hint)) TH_LOG("%s: %s", cheap[i], err);
		} else {
			EXPECT_EQ(0, ret) TH_LOG("%s: %s", cheap[i], err);
		}
		json_object_put(o);
	}
}

TEST(probe_one_knows_only_items)
{
	struct json_object *o = probe_one("mm.thp");

	ASSERT_NE(NULL, o);
	EXPECT_TRUE(jsonobj_has(o, "present"));
	json_object_put(o);
	EXPECT_EQ(NULL, probe_one("mm"));
	EXPECT_EQ(NULL, probe_one("debugfs.lru_gen"));
}

TEST_HARNESS_MAIN
