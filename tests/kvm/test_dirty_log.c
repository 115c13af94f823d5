// SPDX-License-Identifier: GPL-2.0
/*
 * kernel/kvm/dirty_log.c on real KVM. A guest (CPL3 on PVM, where CPL0 is
 * emulated; CPL0 on SVM/VMX) populates a data memslot, then dirty logging is
 * enabled and it writes known page ranges through the mailbox (GOP_ACCESS,
 * sequential, 100% writes). For each mode (the bitmap that KVM_GET_DIRTY_LOG
 * clears; manual protection with KVM_CLEAR_DIRTY_LOG in chunks, with and
 * without initially-set; the dirty ring, plain and acquire/release) the pages
 * reported must be exactly the pages written, round after round (after a
 * clear or reset only the new writes), and a round of reads must report
 * nothing. A tiny ring must stop the vCPU with KVM_EXIT_DIRTY_RING_FULL until
 * it is harvested and reset, and lose nothing.
 *
 * The data slot has 1000 pages, not a multiple of 64, so the last clear chunk
 * is the short one api.rst allows only at the end of the slot.
 *
 * On a machine without a usable /dev/kvm every test skips, saying why.
 * ASSERT_*() expand to two statements: loops and ifs around them keep braces.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kselftest_harness.h"

#include "src/lib/bitmap.h"
#include "kernel/kvm/dirty_log.h"
#include "guests/abi/guest_abi.h"
#include "kernel/kvm/kvm.h"
#include "kernel/kvm/kvm_probe.h"
#include "src/lib/util.h"
#include "kernel/kvm/vm_layout.h"

#define DATA_SLOT	1
#define PAGE		4096ull
#define NPAGES		1000		/* 15 * 64 + 40 */
#define CHUNK		192		/* clear chunks that straddle the written ranges */
#define RING_BYTES	65536		/* 4096 entries: no ring-full exit in the round tests */

enum mode { MODE_BITMAP, MODE_MANUAL, MODE_RING };

/* One VM with one vCPU and one data slot, driven from the test's thread. */
struct tvm {
	struct kvm_vm *vm;
	struct vm_layout *layout;
	struct kvm_vcpu *vcpu;
	struct guest_ctrl *ctrl;
	void *mem;
	uint64_t npages;
	int cpl;

	bool ring_on;
	uint32_t ring_bytes;
	struct dirty_ring ring;
	unsigned long *ring_seen;	/* pages harvested from the ring since the last take */
	uint64_t ring_entries;		/* entries harvested, duplicates included */
	uint64_t ring_dups;		/* entries for a page already harvested in the round */
	uint64_t ring_dups_unexplained;	/* ... other than a page pushed just before a full exit */
	uint64_t last_offset;		/* page of the last entry harvested */
	unsigned long *full_last;	/* pages harvested last at a ring-full exit */
	uint64_t ring_bad;		/* entries outside the data slot */
	uint64_t ring_reset_mismatch;	/* resets that did not reset what was harvested */

	/* ring-full exits */
	uint64_t full_exits;
	uint64_t full_harvest_min, full_harvest_max;
	bool probe_full;		/* at the first full exit, check it persists until reset */
	int full_again_unharvested;	/* KVM_RUN again, nothing harvested: 1 = full again */
	int full_again_unreset;		/* harvested but not reset: 1 = full again */
	bool cursor_moved_while_full;

	char err[512];
};

static int t_cpl(void)
{
	return kvm_probe_flavour() == KVM_FLAVOUR_PVM ? 3 : 0;
}

static void t_ring_entry(void *arg, uint32_t slot, uint64_t offset)
{
	struct tvm *t = arg;

	t->ring_entries++;
	if (slot != DATA_SLOT || offset >= t->npages) {
		t->ring_bad++;
		return;
	}
	if (bitmap_test(t->ring_seen, offset)) {
		t->ring_dups++;
		if (!bitmap_test(t->full_last, offset))
			t->ring_dups_unexplained++;
	}
	bitmap_set(t->ring_seen, offset);
	t->last_offset = offset;
}

/* Harvests the ring into ring_seen, then resets; returns the entries harvested or -errno. */
static int t_ring_collect(struct tvm *t, uint64_t *harvest_ns, uint64_t *reset_ns)
{
	uint64_t t0 = now_ns();
	uint32_t n = dirty_ring_harvest(&t->ring, t_ring_entry, t);
	int reset;

	if (harvest_ns)
		*harvest_ns = now_ns() - t0;
	reset = dirty_ring_reset(t->vm, reset_ns);
	if (reset < 0)
		return errf(t->err, sizeof(t->err), reset, "KVM_RESET_DIRTY_RINGS: %s",
			    strerror(-reset));
	if ((uint32_t)reset != n)
		t->ring_reset_mismatch++;
	return n;
}

static void tvm_destroy(struct tvm *t)
{
	if (t->ring.gfns)
		dirty_ring_unmap(&t->ring);
	kvm_vcpu_destroy(t->vcpu);
	vm_layout_destroy(t->layout);
	kvm_vm_destroy(t->vm);
	if (t->mem && t->mem != MAP_FAILED)
		munmap(t->mem, t->npages * PAGE);
	bitmap_free(t->ring_seen);
	bitmap_free(t->full_last);
	memset(t, 0, sizeof(*t));
}

/*
 * Runs the vCPU until the guest asks for work again (or, for GOP_EXIT, says
 * it is done), resolving ring-full exits by harvest + reset.
 */
static int tvm_run(struct tvm *t, uint32_t until)
{
	struct kvm_run *run = t->vcpu->run;
	int ret;

	for (;;) {
		ret = kvm_vcpu_run(t->vcpu);
		if (ret)
			return errf(t->err, sizeof(t->err), ret, "KVM_RUN: %s", strerror(-ret));
		if (run->exit_reason == KVM_EXIT_DIRTY_RING_FULL) {
			uint64_t cursor = t->ctrl->cursor;

			if (!t->ring_on)
				return errf(t->err, sizeof(t->err), -EIO,
					    "KVM_EXIT_DIRTY_RING_FULL without a dirty ring");
			if (t->probe_full && !t->full_exits) {
				/* nothing harvested: KVM must refuse to run the guest again */
				ret = kvm_vcpu_run(t->vcpu);
				if (ret)
					return errf(t->err, sizeof(t->err), ret, "KVM_RUN: %s",
						    strerror(-ret));
				t->full_again_unharvested = run->exit_reason == KVM_EXIT_DIRTY_RING_FULL;
				/* harvested but not reset: still full */
				ret = (int)dirty_ring_harvest(&t->ring, t_ring_entry, t);
				if (ret <= 0)
					return errf(t->err, sizeof(t->err), -EIO,
						    "ring full, yet nothing to harvest");
				t->full_harvest_min = t->full_harvest_max = ret;
				bitmap_set(t->full_last, t->last_offset);
				ret = kvm_vcpu_run(t->vcpu);
				if (ret)
					return errf(t->err, sizeof(t->err), ret, "KVM_RUN: %s",
						    strerror(-ret));
				t->full_again_unreset = run->exit_reason == KVM_EXIT_DIRTY_RING_FULL;
				t->cursor_moved_while_full = t->ctrl->cursor != cursor;
				ret = dirty_ring_reset(t->vm, NULL);
				if (ret < 0)
					return errf(t->err, sizeof(t->err), ret,
						    "KVM_RESET_DIRTY_RINGS: %s", strerror(-ret));
				if ((uint64_t)ret != t->full_harvest_min)
					t->ring_reset_mismatch++;
				t->full_exits++;
				if (!t->full_again_unharvested || !t->full_again_unreset)
					return 0;	/* the test reports it; don't run on blindly */
				continue;
			}
			ret = t_ring_collect(t, NULL, NULL);
			if (ret < 0)
				return ret;
			if (ret)
				bitmap_set(t->full_last, t->last_offset);
			if (!t->full_exits || (uint64_t)ret < t->full_harvest_min)
				t->full_harvest_min = ret;
			if ((uint64_t)ret > t->full_harvest_max)
				t->full_harvest_max = ret;
			t->full_exits++;
			continue;
		}
		if (run->exit_reason != KVM_EXIT_IO || run->io.port != GUEST_UCALL_PORT) {
			struct kvm_regs regs = { 0 };

			kvm_vcpu_get_regs(t->vcpu, &regs);
			return errf(t->err, sizeof(t->err), -EIO, "unexpected exit %s (%u) at rip %#llx",
				    kvm_exit_reason_name(run->exit_reason), run->exit_reason,
				    (unsigned long long)regs.rip);
		}
		if (t->ctrl->ucall == UCALL_ABORT)
			return errf(t->err, sizeof(t->err), -EIO,
				    "guest assertion failed at %.64s:%u: %.128s (values %#llx, %#llx)",
				    t->ctrl->abort_file, t->ctrl->abort_line, t->ctrl->abort_msg,
				    (unsigned long long)t->ctrl->abort_args[0],
				    (unsigned long long)t->ctrl->abort_args[1]);
		if (t->ctrl->ucall == until)
			return 0;
		return errf(t->err, sizeof(t->err), -EIO, "mailbox code %u, expected %u",
			    t->ctrl->ucall, until);
	}
}

/*
 * One order: pages [first, first + n) of the data slot, each accessed once
 * (a sequential pattern over that sub-range, starting where the guest's
 * cursor is), written or read; or GOP_POPULATE / GOP_EXIT.
 */
static int tvm_order(struct tvm *t, uint32_t op, uint64_t first, uint64_t n, bool write)
{
	struct guest_work w = {
		.op = op,
		.region_gva = GUEST_DATA_GPA + first * PAGE,
		.page_size = PAGE,
		.first = t->ctrl->cursor,
		.count = n,
		.populate_write = write,
		.pattern = {
			.kind = PATTERN_SEQUENTIAL, .vcpu = 0, .seed = 7, .npages = n,
			.write_pct = write ? 100 : 0,
		},
	};

	t->ctrl->work = w;
	return tvm_run(t, op == GOP_EXIT ? UCALL_DONE : UCALL_READY);
}

/*
 * The VM: a ring of @ring_min bytes (or the smallest power of two KVM takes
 * up to @ring_max) when @ring_min is not 0, a data slot of @npages anonymous
 * pages (no THP: one 4K host page per guest page), one vCPU waiting for work.
 */
static int tvm_create(struct tvm *t, uint64_t npages, uint32_t ring_min, uint32_t ring_max,
		      bool acq_rel)
{
	uint64_t size = npages * PAGE;
	int ret;

	memset(t, 0, sizeof(*t));
	t->npages = npages;
	t->cpl = t_cpl();
	t->ring_seen = bitmap_alloc(npages);
	t->full_last = bitmap_alloc(npages);
	if (!t->ring_seen || !t->full_last)
		return errf(t->err, sizeof(t->err), -ENOMEM, "out of memory");
	ret = kvm_vm_create(&t->vm, t->err, sizeof(t->err));
	if (ret)
		return ret;
	if (ring_min) {
		for (t->ring_bytes = ring_min; ; t->ring_bytes *= 2) {
			ret = dirty_log_enable_ring(t->vm, t->ring_bytes, acq_rel, t->err,
						    sizeof(t->err));
			if (ret != -EINVAL || t->ring_bytes >= ring_max)
				break;
		}
		if (ret)
			return ret;
		t->ring_on = true;
	}
	ret = vm_layout_create(t->vm, size, 0, &t->layout, t->err, sizeof(t->err));
	if (ret)
		return ret;
	t->mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t->mem == MAP_FAILED)
		return errf(t->err, sizeof(t->err), -errno, "mmap of %llu bytes: %m",
			    (unsigned long long)size);
	madvise(t->mem, size, MADV_NOHUGEPAGE);
	ret = kvm_memslot_add(t->vm, DATA_SLOT, GUEST_DATA_GPA, t->mem, size, 0, -1, 0,
			      t->err, sizeof(t->err));
	if (ret)
		return ret;
	ret = vm_map(t->layout, GUEST_DATA_GPA, GUEST_DATA_GPA, size, PAGE, t->err, sizeof(t->err));
	if (ret)
		return ret;
	ret = kvm_vcpu_create(t->vm, 0, &t->vcpu, t->err, sizeof(t->err));
	if (ret)
		return ret;
	if (t->ring_on) {
		ret = dirty_ring_map(t->vcpu, t->ring_bytes, &t->ring, t->err, sizeof(t->err));
		if (ret)
			return ret;
	}
	t->ctrl = vm_ctrl(t->layout, 0);
	ret = vm_vcpu_start(t->layout, t->vcpu, t->cpl, t->err, sizeof(t->err));
	if (ret)
		return ret;
	return tvm_run(t, UCALL_READY);	/* the guest's first question */
}

/* Pages [a, b) set in a fresh map of @npages. */
static unsigned long *t_range(uint64_t npages, uint64_t a, uint64_t b)
{
	unsigned long *m = calloc(DIRTY_LOG_BITMAP_WORDS(npages), sizeof(unsigned long));

	for (uint64_t p = a; m && p < b; p++)
		bitmap_set(m, p);
	return m;
}

/* Pages reported and not written, and written and not reported. */
static void t_compare(const unsigned long *want, const unsigned long *got, uint64_t npages,
		      uint64_t *spurious, uint64_t *lost, uint64_t *first_diff)
{
	*spurious = *lost = 0;
	for (uint64_t p = 0; p < npages; p++) {
		bool w = bitmap_test(want, p), g = bitmap_test(got, p);

		*spurious += g && !w;
		*lost += w && !g;
	}
	*first_diff = bitmap_first_diff(want, got, npages);
}

FIXTURE(dirty) {
	struct tvm t;
	unsigned long *got, *again;
};

FIXTURE_VARIANT(dirty) {
	enum mode mode;
	bool initially_set;
	bool acq_rel;
};

FIXTURE_VARIANT_ADD(dirty, bitmap) { MODE_BITMAP, false, false };
FIXTURE_VARIANT_ADD(dirty, manual) { MODE_MANUAL, false, false };
FIXTURE_VARIANT_ADD(dirty, manual_initially_set) { MODE_MANUAL, true, false };
FIXTURE_VARIANT_ADD(dirty, ring) { MODE_RING, false, false };
FIXTURE_VARIANT_ADD(dirty, ring_acq_rel) { MODE_RING, false, true };

FIXTURE_SETUP(dirty)
{
	char why[256];

	memset(&self->t, 0, sizeof(self->t));
	self->got = calloc(DIRTY_LOG_BITMAP_WORDS(NPAGES), sizeof(unsigned long));
	self->again = calloc(DIRTY_LOG_BITMAP_WORDS(NPAGES), sizeof(unsigned long));
	ASSERT_NE(NULL, self->got);
	ASSERT_NE(NULL, self->again);
	if (kvm_probe_usable(why, sizeof(why)))
		SKIP(return, "no usable /dev/kvm: %s", why);
}

FIXTURE_TEARDOWN(dirty)
{
	tvm_destroy(&self->t);
	free(self->got);
	free(self->again);
}

/*
 * One harvest in the variant's mode into @got. Manual mode also checks that
 * a second GET (no CLEAR in between) returns the same bits, then clears them.
 */
static int t_harvest(struct __test_metadata *_metadata, struct tvm *t,
		     const FIXTURE_VARIANT(dirty) *variant, unsigned long *got,
		     unsigned long *again, const char *what)
{
	uint64_t ns_get = 0, ns_get2 = 0, ns_clear = 0, ns_harvest = 0, ns_reset = 0;
	int ret;

	memset(got, 0, DIRTY_LOG_BITMAP_WORDS(NPAGES) * sizeof(unsigned long));
	switch (variant->mode) {
	case MODE_BITMAP:
		ret = dirty_log_get(t->vm, DATA_SLOT, got, &ns_get, t->err, sizeof(t->err));
		TH_LOG("%s: GET %llu ns", what, (unsigned long long)ns_get);
		return ret;
	case MODE_MANUAL:
		ret = dirty_log_get(t->vm, DATA_SLOT, got, &ns_get, t->err, sizeof(t->err));
		if (ret)
			return ret;
		memset(again, 0, DIRTY_LOG_BITMAP_WORDS(NPAGES) * sizeof(unsigned long));
		ret = dirty_log_get(t->vm, DATA_SLOT, again, &ns_get2, t->err, sizeof(t->err));
		if (ret)
			return ret;
		/* with manual protection GET leaves KVM's bits alone */
		EXPECT_TRUE(bitmap_equal(got, again, NPAGES))
			TH_LOG("%s: a second GET differs from the first at page %llu", what,
			       (unsigned long long)bitmap_first_diff(got, again, NPAGES));
		ret = dirty_log_clear(t->vm, DATA_SLOT, got, NPAGES, CHUNK, &ns_clear, t->err,
				      sizeof(t->err));
		if (ret < 0)
			return ret;
		TH_LOG("%s: GET %llu ns, CLEAR %d chunks %llu ns", what,
		       (unsigned long long)ns_get, ret, (unsigned long long)ns_clear);
		return 0;
	case MODE_RING:
		t->ring_dups = 0;
		ret = t_ring_collect(t, &ns_harvest, &ns_reset);
		if (ret < 0)
			return ret;
		memcpy(got, t->ring_seen, BITMAP_WORDS(NPAGES) * sizeof(unsigned long));
		bitmap_clear_all(t->ring_seen, NPAGES);
		TH_LOG("%s: harvested %d entries in %llu ns, RESET %llu ns", what, ret,
		       (unsigned long long)ns_harvest, (unsigned long long)ns_reset);
		return 0;
	}
	return -EINVAL;
}

/* Asserts that @got holds exactly pages [a, b). */
#define EXPECT_EXACTLY(got, a, b, what) do {						\
	unsigned long *_want = t_range(NPAGES, (a), (b));				\
	uint64_t _sp, _lost, _diff;							\
											\
	ASSERT_NE(NULL, _want);								\
	t_compare(_want, (got), NPAGES, &_sp, &_lost, &_diff);				\
	EXPECT_EQ(0, _lost) TH_LOG("%s: %llu written pages not reported (first diff %llu)", \
				    (what), (unsigned long long)_lost, (unsigned long long)_diff); \
	EXPECT_EQ(0, _sp) TH_LOG("%s: %llu pages reported but not written (first diff %llu)", \
				  (what), (unsigned long long)_sp, (unsigned long long)_diff); \
	free(_want);									\
} while (0)

TEST_F_TIMEOUT(dirty, rounds_report_exactly_the_written_pages, 120)
{
	struct tvm *t = &self->t;
	uint64_t ns = 0;
	int ret;

	ret = tvm_create(t, NPAGES, variant->mode == MODE_RING ? RING_BYTES : 0, RING_BYTES,
			 variant->acq_rel);
	if (ret == -EOPNOTSUPP)
		SKIP(return, "%s", t->err);
	ASSERT_EQ(0, ret) TH_LOG("%s", t->err);
	TH_LOG("guest at CPL%d, %s", t->cpl, kvm_probe_flavour_name(kvm_probe_flavour()));

	/* every page mapped writable before logging starts: enabling must write-protect */
	ASSERT_EQ(0, tvm_order(t, GOP_POPULATE, 0, NPAGES, true)) TH_LOG("%s", t->err);
	if (variant->mode == MODE_MANUAL) {
		ret = dirty_log_enable_manual_protect(t->vm, variant->initially_set, t->err,
						      sizeof(t->err));
		if (ret == -EOPNOTSUPP)
			SKIP(return, "%s", t->err);
		ASSERT_EQ(0, ret) TH_LOG("%s", t->err);
	}
	ASSERT_EQ(0, dirty_log_set_logging(t->vm, DATA_SLOT, true, &ns, t->err, sizeof(t->err)))
		TH_LOG("%s", t->err);
	TH_LOG("logging on: %llu ns for %d pages", (unsigned long long)ns, NPAGES);

	/* before any write: nothing, or with initially-set every page */
	ASSERT_EQ(0, t_harvest(_metadata, t, variant, self->got, self->again, "start"))
		TH_LOG("%s", t->err);
	if (variant->initially_set)
		EXPECT_EXACTLY(self->got, 0, NPAGES, "initially set");
	else
		EXPECT_EXACTLY(self->got, 0, 0, "before any write");

	ASSERT_EQ(0, tvm_order(t, GOP_ACCESS, 100, 200, true)) TH_LOG("%s", t->err);
	ASSERT_EQ(0, t_harvest(_metadata, t, variant, self->got, self->again, "round 1"))
		TH_LOG("%s", t->err);
	EXPECT_EXACTLY(self->got, 100, 300, "round 1 (pages 100-299 written)");

	/* overlaps round 1 (re-protection) and runs into the short last chunk */
	ASSERT_EQ(0, tvm_order(t, GOP_ACCESS, 250, NPAGES - 250, true)) TH_LOG("%s", t->err);
	ASSERT_EQ(0, t_harvest(_metadata, t, variant, self->got, self->again, "round 2"))
		TH_LOG("%s", t->err);
	EXPECT_EXACTLY(self->got, 250, NPAGES, "round 2 (pages 250-999 written)");

	ASSERT_EQ(0, tvm_order(t, GOP_ACCESS, 0, NPAGES, false)) TH_LOG("%s", t->err);
	ASSERT_EQ(0, t_harvest(_metadata, t, variant, self->got, self->again, "read round"))
		TH_LOG("%s", t->err);
	EXPECT_EXACTLY(self->got, 0, 0, "read round (nothing written)");

	if (variant->mode == MODE_RING) {
		EXPECT_EQ(0, t->ring_bad);
		EXPECT_EQ(0, t->ring_dups);
		EXPECT_EQ(0, t->ring_reset_mismatch);
		EXPECT_EQ(0, t->full_exits);
		EXPECT_EQ(200 + NPAGES - 250, t->ring_entries);
		/* the ring replaces the bitmap */
		EXPECT_EQ(-ENXIO, dirty_log_get(t->vm, DATA_SLOT, self->got, NULL, t->err,
						sizeof(t->err)));
	}

	ASSERT_EQ(0, tvm_order(t, GOP_EXIT, 0, 0, false)) TH_LOG("%s", t->err);
	ASSERT_EQ(0, dirty_log_set_logging(t->vm, DATA_SLOT, false, &ns, t->err, sizeof(t->err)))
		TH_LOG("%s", t->err);
	if (variant->mode != MODE_RING)
		EXPECT_EQ(-ENOENT, dirty_log_get(t->vm, DATA_SLOT, self->got, NULL, t->err,
						 sizeof(t->err)));
}

FIXTURE(ring_full) {
	struct tvm t;
};

FIXTURE_VARIANT(ring_full) {
	bool acq_rel;
};

FIXTURE_VARIANT_ADD(ring_full, tso) { false };
FIXTURE_VARIANT_ADD(ring_full, acq_rel) { true };

FIXTURE_SETUP(ring_full)
{
	char why[256];

	memset(&self->t, 0, sizeof(self->t));
	if (kvm_probe_usable(why, sizeof(why)))
		SKIP(return, "no usable /dev/kvm: %s", why);
}

FIXTURE_TEARDOWN(ring_full)
{
	tvm_destroy(&self->t);
}

/*
 * The smallest ring KVM takes (4 KiB = 256 entries where only the 64
 * reserved entries count; 16 KiB with Intel PML) and 4096 pages written:
 * the vCPU must stop with KVM_EXIT_DIRTY_RING_FULL, stay stopped until the
 * harvested entries are reset, and every page must be reported once.
 */
TEST_F_TIMEOUT(ring_full, exits_until_harvest_and_reset, 120)
{
	const uint64_t npages = 4096;
	struct tvm *t = &self->t;
	uint64_t sp, lost, diff;
	unsigned long *want;
	int ret;

	ret = tvm_create(t, npages, 4096, 65536, variant->acq_rel);
	if (ret == -EOPNOTSUPP)
		SKIP(return, "%s", t->err);
	ASSERT_EQ(0, ret) TH_LOG("%s", t->err);
	TH_LOG("ring of %u bytes (%u entries)", t->ring_bytes, t->ring.entries);
	ASSERT_EQ(0, dirty_log_set_logging(t->vm, DATA_SLOT, true, NULL, t->err, sizeof(t->err)))
		TH_LOG("%s", t->err);

	t->probe_full = true;
	ASSERT_EQ(0, tvm_order(t, GOP_ACCESS, 0, npages, true)) TH_LOG("%s", t->err);
	ASSERT_LT(0, t->full_exits) TH_LOG("%llu pages written into a %u-entry ring without a ring-full exit",
					   (unsigned long long)npages, t->ring.entries);
	EXPECT_EQ(1, t->full_again_unharvested);
	EXPECT_EQ(1, t->full_again_unreset);
	EXPECT_FALSE(t->cursor_moved_while_full);
	ASSERT_TRUE(t->full_again_unharvested && t->full_again_unreset);
	EXPECT_LE(t->full_harvest_max, t->ring.entries);
	EXPECT_LT(0, t->full_harvest_min);
	EXPECT_EQ(npages, t->ctrl->cursor);
	TH_LOG("%llu ring-full exits, %llu-%llu entries each", (unsigned long long)t->full_exits,
	       (unsigned long long)t->full_harvest_min, (unsigned long long)t->full_harvest_max);

	ASSERT_LE(0, t_ring_collect(t, NULL, NULL)) TH_LOG("%s", t->err);
	want = t_range(npages, 0, npages);
	ASSERT_NE(NULL, want);
	t_compare(want, t->ring_seen, npages, &sp, &lost, &diff);
	free(want);
	EXPECT_EQ(0, lost) TH_LOG("%llu written pages never reported (first %llu)",
				  (unsigned long long)lost, (unsigned long long)diff);
	EXPECT_EQ(0, sp);
	EXPECT_EQ(0, t->ring_bad);
	/*
	 * KVM pushes a page when it makes the SPTE writable, before the guest's
	 * write retires; if that push fills the ring, the vCPU exits first, the
	 * reset write-protects the page again and the retried write pushes it a
	 * second time. At most one such repeat per exit, and only that page.
	 */
	EXPECT_LE(t->ring_dups, t->full_exits);
	EXPECT_EQ(0, t->ring_dups_unexplained);
	EXPECT_EQ(0, t->ring_reset_mismatch);
	EXPECT_EQ(npages + t->ring_dups, t->ring_entries);
	TH_LOG("%llu entries for %llu pages: %llu pages pushed again after a ring-full exit",
	       (unsigned long long)t->ring_entries, (unsigned long long)npages,
	       (unsigned long long)t->ring_dups);
	ASSERT_EQ(0, tvm_order(t, GOP_EXIT, 0, 0, false)) TH_LOG("%s", t->err);
}

/* What the library refuses, and says why, before KVM would. */
TEST(argument_checks)
{
	struct kvm_vcpu *vcpu = NULL;
	struct dirty_ring ring;
	struct kvm_vm *vm = NULL;
	unsigned long bits[2] = { ~0ul, ~0ul };
	char err[512], why[256], eager[512];
	void *mem;
	int max;

	if (kvm_probe_usable(why, sizeof(why)))
		SKIP(return, "no usable /dev/kvm: %s", why);
	ASSERT_EQ(0, kvm_vm_create(&vm, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, dirty_log_eager_split(vm, eager, sizeof(eager)));
	TH_LOG("%s", eager);
	EXPECT_NE(NULL, strstr(eager, "eager"));

	mem = mmap(NULL, 100 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	ASSERT_EQ(0, kvm_memslot_add(vm, DATA_SLOT, GUEST_DATA_GPA, mem, 100 * PAGE, 0, -1, 0,
				     err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(100, dirty_log_slot_pages(vm, DATA_SLOT));
	/* logging off: no bitmap to read */
	EXPECT_EQ(-ENOENT, dirty_log_get(vm, DATA_SLOT, bits, NULL, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "not enabled"));
	EXPECT_EQ(-EINVAL, dirty_log_set_logging(vm, 7, true, NULL, err, sizeof(err)));
	ASSERT_EQ(0, dirty_log_set_logging(vm, DATA_SLOT, true, NULL, err, sizeof(err)))
		TH_LOG("%s", err);
	/* clear: chunks of 64, and a short piece only at the slot's end */
	EXPECT_EQ(-EINVAL, dirty_log_clear(vm, DATA_SLOT, bits, 100, 96, NULL, err, sizeof(err)));
	EXPECT_EQ(-EINVAL, dirty_log_clear(vm, DATA_SLOT, bits, 70, 64, NULL, err, sizeof(err)));
	EXPECT_EQ(-EINVAL, dirty_log_clear(vm, DATA_SLOT, bits, 101, 64, NULL, err, sizeof(err)));
	if (kvm_check_cap(vm, KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2)) {
		/* 0-63 and 64-99 (the short one at the end): two ioctls */
		EXPECT_EQ(2, dirty_log_clear(vm, DATA_SLOT, bits, 100, 64, NULL, err, sizeof(err)))
			TH_LOG("%s", err);
		EXPECT_EQ(1, dirty_log_clear(vm, DATA_SLOT, bits, 64, 0, NULL, err, sizeof(err)))
			TH_LOG("%s", err);
		bits[0] = 0;
		EXPECT_EQ(1, dirty_log_clear(vm, DATA_SLOT, bits, 100, 64, NULL, err, sizeof(err)))
			TH_LOG("%s", err);
	}

	max = kvm_check_cap(vm, KVM_CAP_DIRTY_LOG_RING);
	if (max > 0) {
		EXPECT_EQ(-EINVAL, dirty_log_enable_ring(vm, 3 * 4096, false, err, sizeof(err)));
		EXPECT_EQ(-EINVAL, dirty_log_enable_ring(vm, 512, false, err, sizeof(err)));
		if ((uint64_t)max * 2 <= UINT32_MAX)
			EXPECT_EQ(-EOPNOTSUPP,
				  dirty_log_enable_ring(vm, (uint32_t)max * 2, false, err, sizeof(err)));
		/* no ring: mapping one must fail cleanly, not SIGBUS later */
		ASSERT_EQ(0, kvm_vcpu_create(vm, 0, &vcpu, err, sizeof(err))) TH_LOG("%s", err);
		EXPECT_EQ(-EINVAL, dirty_ring_map(vcpu, 65536, &ring, err, sizeof(err)));
		EXPECT_EQ(NULL, ring.gfns);
		/* and too late for one: a vCPU exists */
		EXPECT_EQ(-EINVAL, dirty_log_enable_ring(vm, 65536, false, err, sizeof(err)));
		TH_LOG("%s", err);
		EXPECT_NE(NULL, strstr(err, "vCPU"));
		EXPECT_EQ(-EINVAL, dirty_ring_reset(vm, NULL));
		kvm_vcpu_destroy(vcpu);
	}
	kvm_vm_destroy(vm);
	munmap(mem, 100 * PAGE);
}

TEST_HARNESS_MAIN
