// SPDX-License-Identifier: GPL-2.0
/*
 * Integration tests on real KVM: guests at CPL3 and CPL0, on every backing,
 * run a known pattern; the host then reads guest memory page by page and
 * checks that exactly the pages the ground truth (replayed from the vCPUs'
 * cursors) says were written changed, each with the right stamp. A guest
 * assertion must come back with its file and line.
 *
 * On a machine without a usable /dev/kvm every test skips, saying why.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "src/lib/bitmap.h"
#include "kernel/kvm/kvm_probe.h"
#include "src/record/record.h"
#include "src/run/runner.h"
#include "workloads/scenario.h"
#include "kernel/mm/sysfs.h"
#include "kernel/topology.h"
#include "src/run/truth.h"
#include "src/lib/util.h"

#define NR_HUGEPAGES "/proc/sys/vm/nr_hugepages"

/* What the test scenario saw, checked in the test body (the harness forks per test). */
static struct {
	uint64_t cursor[GUEST_MAX_VCPUS];
	uint64_t changed[GUEST_MAX_VCPUS];	/* pages whose memory changed */
	uint64_t written[GUEST_MAX_VCPUS];	/* pages the ground truth says were written */
	uint64_t differ[GUEST_MAX_VCPUS];	/* pages where the two disagree */
	uint64_t bad_stamp[GUEST_MAX_VCPUS];	/* written pages with a wrong value */
	uint64_t accesses;			/* accesses each vCPU was asked for */
	bool bad_order;				/* hand out a first index the guest must reject */
	uint64_t fault_gva;			/* if set, the second order reads this address */
	bool spin;				/* the second order spins forever */
	bool fault_stack;			/* ... pushes onto a stack at fault_gva */
} seen;

static int pattern_work(struct run_ctx *ctx, struct run_vcpu *v, struct guest_work *w)
{
	w->region_gva = v->region->gpa;
	w->page_size = 4096;
	w->pattern = v->pattern;
	switch (v->orders) {
	case 0:
		w->op = GOP_POPULATE;
		w->populate_write = 1;
		return 0;
	case 1:
		if (seen.spin) {
			w->op = GOP_SPIN;
			return 0;
		}
		if (seen.fault_gva) {
			w->op = seen.fault_stack ? GOP_FAULT_STACK : GOP_FAULT;
			w->region_gva = seen.fault_gva;
			return 0;
		}
		/* one and a half passes and a bit: the cursor ends mid-pass */
		w->op = GOP_ACCESS;
		w->first = seen.bad_order ? 1 : 0;
		w->count = seen.accesses;
		return 0;
	default:
		w->op = GOP_EXIT;
		return 0;
	}
}

/* A page changed if any byte is no longer zero: the whole page, not just our word. */
static bool page_changed(const char *page)
{
	const uint64_t *w = (const uint64_t *)page;

	for (int i = 0; i < 512; i++)
		if (w[i])
			return true;
	return false;
}

static int pattern_stop(struct run_ctx *ctx, char *err, size_t errlen)
{
	uint64_t npages = ctx->pages_per_vcpu;

	for (int i = 0; i < ctx->nvcpus; i++) {
		struct run_vcpu *v = &ctx->vcpus[i];
		const char *base = v->region->backing.hva;
		unsigned long *written = bitmap_alloc(npages);

		seen.cursor[i] = v->ctrl->cursor;
		truth_touched(&v->host_pattern, 0, v->ctrl->cursor, NULL, written);
		for (uint64_t p = 0; p < npages; p++) {
			const char *page = base + p * 4096;
			bool changed = page_changed(page), want = bitmap_test(written, p);

			seen.changed[i] += changed;
			seen.written[i] += want;
			seen.differ[i] += changed != want;
			if (want && ((const uint64_t *)page)[i] !=
				    pattern_stamp(v->pattern.seed, i, p))
				seen.bad_stamp[i]++;
		}
		bitmap_free(written);
	}
	return 0;
}

static const struct scenario_ops pattern_ops = {
	.work = pattern_work,
	.stop = pattern_stop,
};

static const struct opt_desc no_options[] = { OPT_END };
static const struct metric_desc no_metrics[] = { { NULL } };

static const struct scenario_desc pattern_scenario = {
	.name = "test-pattern",
	.summary = "test only",
	.help = "test only",
	.options = no_options,
	.metrics = no_metrics,
	.ops = &pattern_ops,
};

/* Runs the test scenario with mmubench's own option parser; returns runner_run()'s result. */
static int run_pattern(struct __test_metadata *_metadata, const char *const *args,
		       char *err, size_t errlen)
{
	struct run_config cfg = { 0 };
	struct opt_group groups[] = { { run_common_options, &cfg, NULL }, { NULL } };
	char *argv[32] = { "test" };
	struct topo *topo;
	struct record *rec;
	int argc = 1, ret;

	for (; args[argc - 1]; argc++)
		argv[argc] = (char *)args[argc - 1];
	ret = opts_parse(groups, argc, argv, err, errlen);
	if (ret < 0)
		return ret;
	if (topo_open(&topo, err, errlen))
		return -EIO;
	ret = runner_validate(&cfg, topo, err, errlen);
	if (!ret) {
		cfg.quiet = true;
		rec = record_new("test-pattern", NULL);
		ret = runner_run(&pattern_scenario, &cfg, NULL, topo, rec, err, errlen);
		record_free(rec);
	}
	topo_close(topo);
	return ret;
}

FIXTURE(vm) {
	char err[512];
	struct knob_saver knobs;
};

FIXTURE_VARIANT(vm) {
	const char *backing;
	const char *cpl;
	const char *guest_page;
	const char *mem;
	const char *pattern;
	const char *vcpus;
	bool shared;
};

/* CPL0 is emulated instruction by instruction on PVM: keep its memory small. */
FIXTURE_VARIANT_ADD(vm, cpl3_anon_uniform) {
	"anon", "3", "4k", "64M", "uniform", "2", false,
};
FIXTURE_VARIANT_ADD(vm, cpl0_anon_uniform) {
	"anon", "0", "4k", "2M", "uniform", "1", false,
};
FIXTURE_VARIANT_ADD(vm, cpl3_anon_zipf_shared) {
	"anon", "3", "4k", "32M", "zipf", "2", true,
};
FIXTURE_VARIANT_ADD(vm, cpl3_anon_hotcold_2m) {
	"anon", "3", "2m", "64M", "hotcold", "1", false,
};
FIXTURE_VARIANT_ADD(vm, cpl3_thp) {
	"thp", "3", "2m", "64M", "uniform", "2", false,
};
FIXTURE_VARIANT_ADD(vm, cpl3_hugetlb) {
	"hugetlb", "3", "2m", "32M", "uniform", "1", false,
};
FIXTURE_VARIANT_ADD(vm, cpl3_shmem) {
	"shmem", "3", "4k", "32M", "uniform", "2", false,
};
FIXTURE_VARIANT_ADD(vm, cpl3_file) {
	"file", "3", "4k", "32M", "sequential", "1", false,
};
FIXTURE_VARIANT_ADD(vm, cpl3_guest_memfd) {
	"guest_memfd", "3", "4k", "32M", "uniform", "1", false,
};

FIXTURE_SETUP(vm)
{
	uint64_t pool = 0;
	char want[32];

	knob_saver_init(&self->knobs);
	if (kvm_probe_usable(self->err, sizeof(self->err)))
		SKIP(return, "no usable /dev/kvm: %s", self->err);
	memset(&seen, 0, sizeof(seen));
	/* grow the 2M pool for this test only; the teardown puts it back */
	if (!strcmp(variant->backing, "hugetlb") && !sysfs_read_u64(NR_HUGEPAGES, &pool)) {
		snprintf(want, sizeof(want), "%llu", (unsigned long long)pool + 16);
		knob_save_and_set(&self->knobs, NR_HUGEPAGES, want);
	}
}

FIXTURE_TEARDOWN(vm)
{
	EXPECT_EQ(0, knob_restore_all(&self->knobs));
}

TEST_F(vm, written_pages_match_ground_truth)
{
	const char *args[] = {
		"--backing", variant->backing, "--cpl", variant->cpl,
		"--guest-page", variant->guest_page, "--mem-per-vcpu", variant->mem,
		"--pattern", variant->pattern, "--vcpus", variant->vcpus,
		"--write-pct", "30", "--seed", "7",
		variant->shared ? "--shared" : "--pin",
		variant->shared ? NULL : "auto",
		!strcmp(variant->backing, "file") ? "--backing-path" : NULL, "/tmp", NULL,
	};
	uint64_t size, npages;
	int ret, nvcpus = atoi(variant->vcpus);

	parse_size(variant->mem, &size);
	npages = size / 4096;
	seen.accesses = npages + npages / 2 + 7;
	ret = run_pattern(_metadata, args, self->err, sizeof(self->err));
	if (ret == -EOPNOTSUPP)
		SKIP(return, "%s", self->err);
	ASSERT_EQ(0, ret) TH_LOG("%s", self->err);

	for (int i = 0; i < nvcpus; i++) {
		EXPECT_EQ(seen.accesses, seen.cursor[i]);
		/* the pattern wrote something and left something untouched */
		EXPECT_LT(0, seen.written[i]);
		if (!variant->shared) {
			EXPECT_GT(npages, seen.written[i]);
			EXPECT_EQ(0, seen.differ[i]) TH_LOG("vCPU %d: %llu pages differ", i,
							    (unsigned long long)seen.differ[i]);
			EXPECT_EQ(seen.written[i], seen.changed[i]);
		}
		EXPECT_EQ(0, seen.bad_stamp[i]);
	}
}

FIXTURE(abort) {
	char err[512];
};

FIXTURE_SETUP(abort)
{
	if (kvm_probe_usable(self->err, sizeof(self->err)))
		SKIP(return, "no usable /dev/kvm: %s", self->err);
	memset(&seen, 0, sizeof(seen));
}

FIXTURE_TEARDOWN(abort)
{
}

/* An order the guest must refuse: its assertion reaches the host with file:line. */
TEST_F(abort, guest_assertion_reports_file_and_line)
{
	const char *args[] = { "--vcpus", "1", "--mem-per-vcpu", "2M", "--cpl", "3", NULL };
	int ret;

	seen.accesses = 10;
	seen.bad_order = true;
	ret = run_pattern(_metadata, args, self->err, sizeof(self->err));
	ASSERT_EQ(-EIO, ret) TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->err, "guest assertion failed at ")) TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->err, "guest_main.c:")) TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->err, "c->cursor == w->first")) TH_LOG("%s", self->err);
}

/*
 * A guest exception reaches the host as vector, error code, RIP and CR2
 * (the IDT in kernel/kvm/vm_layout.c), not as a triple fault; at CPL3 through
 * the stack switch to TSS.RSP0.
 */
static void t_page_fault(struct __test_metadata *_metadata, char *err, size_t errlen,
			 const char *cpl, const char *mode)
{
	const char *args[] = { "--vcpus", "1", "--mem-per-vcpu", "2M", "--cpl", cpl, NULL };
	char want[64];
	int ret;

	seen.fault_gva = 0x7ff000000000ull;	/* canonical, never mapped */
	ret = run_pattern(_metadata, args, err, errlen);
	ASSERT_EQ(-EFAULT, ret) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "guest exception #PF (vector 14) error ")) TH_LOG("%s", err);
	snprintf(want, sizeof(want), "(not-present read, %s)", mode);
	EXPECT_NE(NULL, strstr(err, want)) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "cr2 0x7ff000000000")) TH_LOG("%s", err);
}

/* the harness longjmps out of failed assertions; nothing here lives across it */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wclobbered"

TEST_F(abort, guest_page_fault_reports_cr2_cpl0)
{
	t_page_fault(_metadata, self->err, sizeof(self->err), "0", "supervisor");
}

TEST_F(abort, guest_page_fault_reports_cr2_cpl3)
{
	t_page_fault(_metadata, self->err, sizeof(self->err), "3", "user");
}

/*
 * A fault on the stack itself at CPL0: the #PF cannot be delivered on that
 * stack, the double fault is, on its own (IST1), with CR2 still naming the
 * address of the failed push.
 */
TEST_F(abort, stack_fault_is_a_reported_double_fault)
{
	const char *args[] = { "--vcpus", "1", "--mem-per-vcpu", "2M", "--cpl", "0", NULL };
	int ret;

	seen.fault_gva = 0x7ff000000000ull;
	seen.fault_stack = true;
	ret = run_pattern(_metadata, args, self->err, sizeof(self->err));
	ASSERT_EQ(-EFAULT, ret) TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->err, "guest exception #DF (vector 8)")) TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->err, "cr2 was 0x7feffffffff8")) TH_LOG("%s", self->err);
}

/* A guest that hangs inside KVM_RUN: the watchdog names the vCPU and the run ends. */
TEST_F(abort, hung_guest_is_stopped)
{
	const char *args[] = { "--vcpus", "2", "--mem-per-vcpu", "2M", "--stall-timeout", "2", NULL };
	int ret;

	seen.spin = true;
	ret = run_pattern(_metadata, args, self->err, sizeof(self->err));
	ASSERT_EQ(-ETIMEDOUT, ret) TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->err, "made no progress for 2 s inside KVM_RUN")) TH_LOG("%s", self->err);
}

#pragma GCC diagnostic pop

TEST_HARNESS_MAIN
