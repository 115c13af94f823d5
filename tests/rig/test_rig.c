// SPDX-License-Identifier: GPL-2.0
/*
 * make check-rig: the test rig end to end. Boots the kernel under test
 * ($MMUBENCH_RIG_KERNEL, default Debian bookworm's 6.12) in QEMU with two
 * NUMA nodes, runs `probe` inside and `run access` with the vCPU and the
 * memory on node 1, with TDP and with the shadow MMU (npt=0), and checks what
 * came back. Then the failure paths: missing modules, a kernel panic and a
 * hung guest must end with a clear error and the console's last lines.
 *
 * ASSERT_*() expand to two statements: loops and ifs around them keep braces.
 */
#include <ftw.h>
#include <math.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <json-c/json.h>

#include "kselftest_harness.h"
#include "tests/t_util.h"
#include "tests/t_spawn.h"

#define T_EXIT_ERROR 3	/* src/cli/commands.h */

/*
 * The harness's own limit per test (its default is 30 s): a run on one TCG
 * thread takes 35-40 s here, a boot given up and retried doubles a test, and
 * the CI machine may be slower. The rig's
 * --timeout (900 s) still bounds a hung guest.
 */
#define T_RIG_TEST_TIMEOUT 300

static const char *t_kernel(void)
{
	return getenv("MMUBENCH_RIG_KERNEL") ? getenv("MMUBENCH_RIG_KERNEL") : "bookworm";
}

static bool t_have_qemu(void)
{
	return system("command -v qemu-system-x86_64 >/dev/null 2>&1") == 0;
}

/* Both fixtures: a scratch directory, and QEMU or a skip that says why. */
#define T_RIG_SETUP()								\
	do {									\
		if (!t_have_qemu())						\
			SKIP(return, "qemu-system-x86_64 is not installed "	\
			     "(scripts/bootstrap installs qemu-system-x86)");	\
		snprintf(self->dir, sizeof(self->dir), "/tmp/mmubench-test-rig.XXXXXX"); \
		ASSERT_NE(NULL, mkdtemp(self->dir));				\
	} while (0)

#define T_RIG_TEARDOWN()							\
	do {									\
		if (self->dir[0])						\
			t_rm_tree(self->dir);	\
	} while (0)

/* the harness longjmps out of failed assertions; nothing here lives across it */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wclobbered"

FIXTURE(rig) {
	char dir[64];
};

FIXTURE_SETUP(rig)
{
	T_RIG_SETUP();
}

FIXTURE_TEARDOWN_PARENT(rig)
{
	T_RIG_TEARDOWN();
}

TEST_F_TIMEOUT(rig, probe_inside, T_RIG_TEST_TIMEOUT)
{
	struct json_object *probe, *nodes;
	struct t_out r;

	ASSERT_EQ(0, t_run(&r, "rig", "--kernel", t_kernel(), "--numa", "2", "--no-store", "--",
			   "probe", "--json", NULL));
	ASSERT_EQ(0, r.status) t_show("stderr", r.err);
	probe = json_tokener_parse(r.out);
	ASSERT_NE(NULL, probe) t_show("stdout", r.out);

	EXPECT_STREQ("svm", t_str(probe, "kvm.flavour"));
	EXPECT_TRUE(json_object_get_boolean(t_get(probe, "kvm.tdp.enabled")));
	EXPECT_TRUE(json_object_get_boolean(t_get(probe, "kvm.nested.usable")));
	EXPECT_TRUE(json_object_get_boolean(t_get(probe, "mm.mglru.present")));
	ASSERT_NE(NULL, t_get(probe, "mm.mglru.enabled"));
	EXPECT_STRNE("0x0000", t_str(probe, "mm.mglru.enabled"));
	EXPECT_TRUE(json_object_get_boolean(t_get(probe, "mm.memcg.v2_memory")));
	nodes = t_get(probe, "topology.nodes");
	ASSERT_NE(NULL, nodes);
	EXPECT_EQ(2, json_object_array_length(nodes));
	json_object_put(probe);
	t_out_free(&r);
}

FIXTURE(rig_access) {
	char dir[64];
};

FIXTURE_SETUP(rig_access)
{
	T_RIG_SETUP();
}

FIXTURE_TEARDOWN_PARENT(rig_access)
{
	T_RIG_TEARDOWN();
}

FIXTURE_VARIANT(rig_access) {
	const char *kvm_param;	/* NULL: TDP */
	bool tdp;
};

FIXTURE_VARIANT_ADD(rig_access, tdp) {
	NULL, true,
};

FIXTURE_VARIANT_ADD(rig_access, shadow) {
	"npt=0", false,
};

/* The only record the rig wrote into @dir. */
static struct json_object *t_one_record(struct __test_metadata *_metadata, const char *dir)
{
	char cmd[256], path[512] = "";
	FILE *ls;

	snprintf(cmd, sizeof(cmd), "ls %s/*.json 2>/dev/null", dir);
	ls = popen(cmd, "r");
	if (!ls || !fgets(path, sizeof(path), ls))
		path[0] = 0;
	if (ls)
		pclose(ls);
	path[strcspn(path, "\n")] = 0;
	return path[0] ? json_object_from_file(path) : NULL;
}

TEST_F_TIMEOUT(rig_access, on_node1, T_RIG_TEST_TIMEOUT)
{
	struct json_object *rec, *vcpus, *regions, *nodes;
	char param[64];
	struct t_out r;

	snprintf(param, sizeof(param), "%s", variant->kvm_param ? variant->kvm_param : "nested=1");
	ASSERT_EQ(0, t_run(&r, "rig", "--kernel", t_kernel(), "--numa", "2", "--kvm-param", param,
			   "--no-store", "--json-dir", self->dir, "--",
			   "run", "access", "--vcpus", "1", "--cpus", "1", "--mem-node", "1",
			   "--mem-per-vcpu", "64M", "--passes", "3", NULL));
	ASSERT_EQ(0, r.status) t_show("stderr", r.err);
	rec = t_one_record(_metadata, self->dir);
	ASSERT_NE(NULL, rec) t_show("stderr", r.err);

	EXPECT_STREQ("pass", t_str(rec, "status"));
	EXPECT_STREQ("svm", t_str(rec, "env.kvm.flavour"));
	EXPECT_EQ(variant->tdp, json_object_get_boolean(t_get(rec, "env.kvm.tdp")));
	EXPECT_STREQ(variant->tdp ? "Y" : "N", t_str(rec, "env.kvm.params.kvm_amd.npt"));
	EXPECT_STREQ("tcg", t_str(rec, "env.rig.accel"));
	/* --tcg-threads auto: one thread under TDP; MTTCG with the idle VM under the shadow MMU */
	EXPECT_STREQ(variant->tdp ? "single" : "multi", t_str(rec, "env.rig.tcg_threads"));
	ASSERT_NE(NULL, t_get(rec, "env.rig.kvm_hold"));
	EXPECT_EQ(!variant->tdp, json_object_get_boolean(t_get(rec, "env.rig.kvm_hold")));
	EXPECT_EQ(2, json_object_get_int(t_get(rec, "env.rig.numa_nodes")));
	EXPECT_STRNE("", t_str(rec, "env.kernel_release"));
	EXPECT_STREQ(t_str(rec, "env.rig.kernel_release"), t_str(rec, "env.kernel_release"));
	EXPECT_EQ(2, json_object_array_length(t_get(rec, "env.topology.nodes")));

	/* the placement obtained, read back inside the guest: CPU 1 on node 1, memory on node 1 */
	vcpus = t_get(rec, "placement.vcpus");
	ASSERT_EQ(1, json_object_array_length(vcpus));
	EXPECT_STREQ("1", t_str(json_object_array_get_idx(vcpus, 0), "cpus_bound"));
	EXPECT_EQ(1, json_object_get_int(t_get(json_object_array_get_idx(vcpus, 0), "node")));
	regions = t_get(rec, "placement.regions");
	ASSERT_EQ(1, json_object_array_length(regions));
	nodes = t_get(json_object_array_get_idx(regions, 0), "pages_per_node");
	ASSERT_NE(NULL, nodes);
	EXPECT_EQ(1, json_object_object_length(nodes));
	EXPECT_EQ(16384, json_object_get_int64(t_get(nodes, "1")));
	json_object_put(rec);
	t_out_free(&r);
}

FIXTURE(rig_aging) {
	char dir[64];
};

FIXTURE_SETUP(rig_aging)
{
	T_RIG_SETUP();
}

FIXTURE_TEARDOWN_PARENT(rig_aging)
{
	T_RIG_TEARDOWN();
}

FIXTURE_VARIANT(rig_aging) {
	const char *driver;
	const char *kvm_param;
};

FIXTURE_VARIANT_ADD(rig_aging, mglru_tdp) {
	"mglru", "nested=1",
};

FIXTURE_VARIANT_ADD(rig_aging, mglru_shadow) {
	"mglru", "npt=0",
};

FIXTURE_VARIANT_ADD(rig_aging, memcg_tdp) {
	"memcg", "nested=1",
};

FIXTURE_VARIANT_ADD(rig_aging, memcg_shadow) {
	"memcg", "npt=0",
};

/*
 * Hot/cold guest under MGLRU or memcg reclaim: what gets evicted is (almost)
 * only cold, the false-old rate comes with its count, and the data survives.
 */
TEST_F_TIMEOUT(rig_aging, evicts_cold_pages, T_RIG_TEST_TIMEOUT)
{
	struct json_object *rec;
	double cold, evicted, fo;
	struct t_out r;

	ASSERT_EQ(0, t_run(&r, "rig", "--kernel", t_kernel(), "--kvm-param", variant->kvm_param,
			   "--no-store", "--json-dir", self->dir, "--",
			   "run", "aging", "--driver", variant->driver, "--vcpus", "1",
			   "--mem-per-vcpu", "64M", "--epochs", "2", "--baseline-epochs", "1",
			   "--interval", "500", "--reclaim-pct", "20", NULL));
	ASSERT_EQ(0, r.status) t_show("stderr", r.err);
	rec = t_one_record(_metadata, self->dir);
	ASSERT_NE(NULL, rec) t_show("stderr", r.err);
	EXPECT_STREQ("pass", t_str(rec, "status"));
	cold = t_metric(rec, "old_pages");
	evicted = t_metric(rec, "evicted_seen_pages");
	fo = t_metric(rec, "false_old_pct");
	EXPECT_LT(0, cold);
	EXPECT_LT(0, evicted) t_show("stderr", r.err);
	/* the hot tenth of memory is left alone: at most 5% of it evicted */
	EXPECT_LT(fo, 5.0) t_show("stderr", r.err);
	EXPECT_FALSE(isnan(t_metric(rec, "hot_evicted_pages")));
	json_object_put(rec);
	t_out_free(&r);
}

FIXTURE(rig_dirty) {
	char dir[64];
};

FIXTURE_SETUP(rig_dirty)
{
	T_RIG_SETUP();
}

FIXTURE_TEARDOWN_PARENT(rig_dirty)
{
	T_RIG_TEARDOWN();
}

FIXTURE_VARIANT(rig_dirty) {
	const char *mode;
	const char *kvm_param;
	const char *tcg_threads;
};

/* what --tcg-threads auto must pick: single under TDP, multi under the shadow MMU */
FIXTURE_VARIANT_ADD(rig_dirty, bitmap_tdp) { "bitmap", "nested=1", "single" };
FIXTURE_VARIANT_ADD(rig_dirty, clear_tdp) { "clear", "nested=1", "single" };
FIXTURE_VARIANT_ADD(rig_dirty, ring_tdp) { "ring", "nested=1", "single" };
FIXTURE_VARIANT_ADD(rig_dirty, bitmap_shadow) { "bitmap", "npt=0", "multi" };
FIXTURE_VARIANT_ADD(rig_dirty, clear_shadow) { "clear", "npt=0", "multi" };
FIXTURE_VARIANT_ADD(rig_dirty, ring_shadow) { "ring", "npt=0", "multi" };

/* Dirty logging under TDP and the shadow MMU: nothing lost, the oracle agrees. */
TEST_F_TIMEOUT(rig_dirty, nothing_lost, T_RIG_TEST_TIMEOUT)
{
	struct json_object *rec, *checks;
	struct t_out r;

	ASSERT_EQ(0, t_run(&r, "rig", "--kernel", t_kernel(), "--kvm-param", variant->kvm_param,
			   "--no-store", "--json-dir", self->dir, "--",
			   "run", "dirty", "--mode", variant->mode, "--vcpus", "2",
			   "--mem-per-vcpu", "32M", "--iterations", "20", "--interval", "100",
			   "--baseline-epochs", "1", "--oracle", "uffd-wp", NULL));
	ASSERT_EQ(0, r.status) t_show("stderr", r.err);
	rec = t_one_record(_metadata, self->dir);
	ASSERT_NE(NULL, rec) t_show("stderr", r.err);
	EXPECT_STREQ("pass", t_str(rec, "status"));
	EXPECT_STREQ(variant->tcg_threads, t_str(rec, "env.rig.tcg_threads"));
	EXPECT_EQ(0, t_metric(rec, "lost_pages"));
	EXPECT_EQ(0, t_metric(rec, "oracle_missed_pages"));
	EXPECT_LT(0, t_metric(rec, "written_pages"));
	checks = t_get(rec, "checks");
	ASSERT_NE(NULL, checks);
	ASSERT_LT(0, json_object_array_length(checks));
	EXPECT_STREQ("pass", t_check(rec, "no_lost_pages"));
	for (size_t i = 0; i < json_object_array_length(checks); i++) {
		EXPECT_STREQ("pass", t_str(json_object_array_get_idx(checks, i), "status"));
	}
	json_object_put(rec);
	t_out_free(&r);
}

/* --exec: any program in the guest; its stdout and exit status come back. */
TEST_F_TIMEOUT(rig, exec_program, T_RIG_TEST_TIMEOUT)
{
	struct t_out r;

	ASSERT_EQ(0, t_run(&r, "rig", "--kernel", t_kernel(), "--exec", "--no-store", "--",
			   "/bin/busybox", "sh", "-c", "echo kernel $(uname -r); exit 7", NULL));
	EXPECT_EQ(7, r.status) t_show("stderr", r.err);
	EXPECT_EQ(0, strncmp(r.out, "kernel ", 7)) t_show("stdout", r.out);
	t_out_free(&r);
}

TEST_F_TIMEOUT(rig, missing_modules, T_RIG_TEST_TIMEOUT)
{
	char moddir[128], path[192];
	struct t_out r;
	FILE *f;

	/* a modules tree without kvm_amd */
	snprintf(moddir, sizeof(moddir), "%s/lib/modules/0.0.0-none", self->dir);
	snprintf(path, sizeof(path), "mkdir -p %s", moddir);
	ASSERT_EQ(0, system(path));
	snprintf(path, sizeof(path), "%s/modules.dep", moddir);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fclose(f);
	ASSERT_EQ(0, t_run(&r, "rig", "--kernel", t_kernel(), "--modules", moddir, "--no-store",
			   "--", "probe", NULL));
	EXPECT_EQ(T_EXIT_ERROR, r.status) t_show("stderr", r.err);
	EXPECT_NE(NULL, strstr(r.err, "kvm_amd not found")) t_show("stderr", r.err);
	t_out_free(&r);
}

TEST_F_TIMEOUT(rig, kernel_panic_shows_console, T_RIG_TEST_TIMEOUT)
{
	struct t_out r;

	/* no such init: the kernel panics; the rig must say so, with the console */
	ASSERT_EQ(0, t_run(&r, "rig", "--kernel", t_kernel(), "--cmdline", "rdinit=/nonexistent",
			   "--no-store", "--", "probe", NULL));
	EXPECT_EQ(T_EXIT_ERROR, r.status) t_show("stderr", r.err);
	EXPECT_NE(NULL, strstr(r.err, "Kernel panic")) t_show("stderr", r.err);
	EXPECT_NE(NULL, strstr(r.err, "console lines")) t_show("stderr", r.err);
	t_out_free(&r);
}

TEST_F_TIMEOUT(rig, hung_guest_times_out, T_RIG_TEST_TIMEOUT)
{
	struct t_out r;

	/* init that never ends: the --timeout must stop it */
	ASSERT_EQ(0, t_run(&r, "rig", "--kernel", t_kernel(), "--timeout", "10",
			   "--cmdline", "rdinit=/bin/busybox -- sleep 3600", "--no-store", "--",
			   "probe", NULL));
	EXPECT_EQ(T_EXIT_ERROR, r.status) t_show("stderr", r.err);
	EXPECT_NE(NULL, strstr(r.err, "did not finish within 10 s")) t_show("stderr", r.err);
	t_out_free(&r);
}

/* SIGTERM to the rig: QEMU is killed, not orphaned, and the work directory goes. */
TEST_F_TIMEOUT(rig, sigterm_stops_the_guest, T_RIG_TEST_TIMEOUT)
{
	char ls[160];
	struct t_out r;
	int st;

	/* orphans would become our children: then waitpid() can see them */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	setenv("TMPDIR", self->dir, 1);
	ASSERT_EQ(0, t_run_signalled(&r, SIGTERM, "mmubench rig: booting", "rig", "--kernel", t_kernel(),
				     "--cmdline", "rdinit=/bin/busybox -- sleep 3600", "--no-store",
				     "--", "probe", NULL));
	unsetenv("TMPDIR");
	EXPECT_EQ(T_EXIT_ERROR, r.status) t_show("stderr", r.err);
	EXPECT_NE(NULL, strstr(r.err, "interrupted by signal 15")) t_show("stderr", r.err);
	EXPECT_EQ(-1, waitpid(-1, &st, WNOHANG)) {
		/* a QEMU left behind is ours now: end it */
		FILE *children = fopen("/proc/thread-self/children", "r");
		int pid;

		while (children && fscanf(children, "%d", &pid) == 1)
			kill(pid, SIGKILL);
		if (children)
			fclose(children);
	}
	EXPECT_EQ(ECHILD, errno);
	snprintf(ls, sizeof(ls), "ls -d %s/mmubench-rig.* >/dev/null 2>&1", self->dir);
	EXPECT_NE(0, system(ls));
	t_out_free(&r);
}

#pragma GCC diagnostic pop

TEST_HARNESS_MAIN
