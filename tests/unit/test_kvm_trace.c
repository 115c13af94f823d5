// SPDX-License-Identifier: GPL-2.0
/*
 * KVM's MMU-notifier tracepoints (kernel/trace/kvm_trace.c): formats read from
 * recorded format files, the line parser on recorded and crafted lines,
 * range clipping, the tracefs filter; and a live test on a real VM (16 MiB
 * memslot, part of it zapped with MADV_DONTNEED: kvm_unmap_hva_range must
 * count exactly those pages), skipped with the reason when /dev/kvm,
 * tracefs or the events are missing.
 *
 * ASSERT_*() expand to two statements: loops and ifs around them keep braces.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kernel/kvm/kvm_probe.h"
#include "kernel/kvm/kvm.h"
#include "kernel/trace/kvm_trace.h"
#include "src/lib/util.h"

/* events/kvm/<event>/format, recorded on the development machine (6.18, PVM). */
static const char fmt_age_hva[] =
	"name: kvm_age_hva\n"
	"ID: 26\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:unsigned long start;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned long end;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\n"
	"print fmt: \"mmu notifier age hva: %#016lx -- %#016lx\", REC->start, REC->end\n";

static const char fmt_test_age_hva[] =
	"name: kvm_test_age_hva\n"
	"ID: 25\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:unsigned long hva;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\n"
	"print fmt: \"mmu notifier test age hva: %#016lx\", REC->hva\n";

static const char fmt_unmap_hva_range[] =
	"name: kvm_unmap_hva_range\n"
	"ID: 27\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:unsigned long start;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned long end;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\n"
	"print fmt: \"mmu notifier unmap range: %#016lx -- %#016lx\", REC->start, REC->end\n";

static const char *const recorded_fmts[KVM_TRACE_NR_EVENTS] = {
	[KVM_TRACE_AGE_HVA] = fmt_age_hva,
	[KVM_TRACE_TEST_AGE_HVA] = fmt_test_age_hva,
	[KVM_TRACE_UNMAP_HVA_RANGE] = fmt_unmap_hva_range,
};

/* 6.12's formats, as kvm_trace_fmt_default() has them */
struct fmts {
	struct kvm_trace_fmt f[KVM_TRACE_NR_EVENTS];
	const struct kvm_trace_fmt *p[KVM_TRACE_NR_EVENTS];
};

static void fmts_default(struct fmts *x)
{
	for (int ev = 0; ev < KVM_TRACE_NR_EVENTS; ev++) {
		kvm_trace_fmt_default(ev, &x->f[ev]);
		x->p[ev] = &x->f[ev];
	}
}

TEST(formats_recorded_match_defaults)
{
	struct kvm_trace_fmt f, d;
	char err[256];

	for (int ev = 0; ev < KVM_TRACE_NR_EVENTS; ev++) {
		ASSERT_EQ(0, kvm_trace_parse_format(recorded_fmts[ev], &f, err, sizeof(err))) {
			TH_LOG("%s", err);
		}
		kvm_trace_fmt_default(ev, &d);
		EXPECT_STREQ(kvm_trace_event_name(ev), f.name);
		EXPECT_STREQ(d.print, f.print);
		EXPECT_EQ(d.range, f.range);
		EXPECT_STREQ(d.start_field, f.start_field);
		EXPECT_STREQ(d.end_field, f.end_field);
		ASSERT_EQ(d.nargs, f.nargs);
		for (int i = 0; i < f.nargs; i++) {
			EXPECT_EQ(d.slot[i], f.slot[i]);
		}
	}
	EXPECT_TRUE(f.range);
	EXPECT_STREQ("mmu notifier unmap range: %#016lx -- %#016lx", f.print);
}

/* Recorded on the development machine (MADV_DONTNEED of 1 MiB of a memslot). */
#define L_UNMAP "             raw-13902   [000] .....  3047.796612: kvm_unmap_hva_range: mmu notifier unmap range: 0x007fd279600000 -- 0x007fd279700000\n"

TEST(parse_recorded_lines)
{
	struct kvm_trace_sample s;
	struct fmts x;

	fmts_default(&x);
	ASSERT_EQ(0, kvm_trace_parse_line(x.p, L_UNMAP, &s, NULL));
	EXPECT_EQ(KVM_TRACE_UNMAP_HVA_RANGE, s.ev);
	EXPECT_EQ(13902, s.pid);
	EXPECT_EQ(3047796612000ull, s.ts_ns);
	EXPECT_EQ(0x7fd279600000ull, s.start);
	EXPECT_EQ(0x7fd279700000ull, s.end);

	/* kswapd aging through the rmap: one 4K page */
	ASSERT_EQ(0, kvm_trace_parse_line(x.p,
		"         kswapd0-52      [001] d..1.   812.000101: kvm_age_hva: mmu notifier age hva: 0x007f3a00001000 -- 0x007f3a00002000", &s, NULL));
	EXPECT_EQ(KVM_TRACE_AGE_HVA, s.ev);
	EXPECT_EQ(52, s.pid);
	EXPECT_EQ(0x7f3a00001000ull, s.start);
	EXPECT_EQ(0x7f3a00002000ull, s.end);

	/* khugepaged: one address; record-tgid column; flags off */
	ASSERT_EQ(0, kvm_trace_parse_line(x.p,
		"     khugepaged-61      (     61) [000]    90.5: kvm_test_age_hva: mmu notifier test age hva: 0x007f3a00203000\r\n", &s, NULL));
	EXPECT_EQ(KVM_TRACE_TEST_AGE_HVA, s.ev);
	EXPECT_EQ(61, s.pid);
	EXPECT_EQ(90500000000ull, s.ts_ns);
	EXPECT_EQ(0x7f3a00203000ull, s.start);
	EXPECT_EQ(0x7f3a00203001ull, s.end);

	/* unpadded hex (a kernel without the 0 flag) and a low address */
	ASSERT_EQ(0, kvm_trace_parse_line(x.p,
		"a b-c-7 [003] ..... 1.000001: kvm_age_hva: mmu notifier age hva: 0x1000 -- 0x3000", &s, NULL));
	EXPECT_EQ(7, s.pid);
	EXPECT_EQ(0x1000, s.start);
	EXPECT_EQ(0x3000, s.end);
}

TEST(parse_other_and_lost_lines)
{
	struct kvm_trace_sample s;
	uint64_t lost = 0;
	struct fmts x;

	fmts_default(&x);
	EXPECT_EQ(-ENODATA, kvm_trace_parse_line(x.p, "CPU:1 [LOST 1234 EVENTS]", &s, &lost));
	EXPECT_EQ(1234, lost);
	EXPECT_EQ(-ENOENT, kvm_trace_parse_line(x.p, "CPU:1 [LOST 1234 EVENTS]", &s, NULL));
	EXPECT_EQ(-ENOENT, kvm_trace_parse_line(x.p,
		"qemu-1 [000] ..... 1.000001: kvm_dirty_ring_push: ring 0x0: dirty 0x0 reset 0x0 slot 1 offset 0x2 used 1", &s, &lost));
	EXPECT_EQ(-ENOENT, kvm_trace_parse_line(x.p, "# tracer: nop", &s, &lost));
	/* an event not traced (NULL format) */
	x.p[KVM_TRACE_AGE_HVA] = NULL;
	EXPECT_EQ(-ENOENT, kvm_trace_parse_line(x.p,
		"k-1 [001] ..... 1.000001: kvm_age_hva: mmu notifier age hva: 0x007f3a00001000 -- 0x007f3a00002000", &s, &lost));
}

TEST(parse_rejects_malformed)
{
	static const char *const bad[] = {
		/* the text around the numbers */
		"k-1 [001] ..... 1.000001: kvm_age_hva: mmu notifier age: 0x007f3a00001000 -- 0x007f3a00002000",
		"k-1 [001] ..... 1.000001: kvm_age_hva: mmu notifier age hva: 0x007f3a00001000 - 0x007f3a00002000",
		"k-1 [001] ..... 1.000001: kvm_age_hva: mmu notifier age hva: 0x007f3a00001000 --",
		"k-1 [001] ..... 1.000001: kvm_age_hva: mmu notifier age hva: 0x007f3a00001000",
		"k-1 [001] ..... 1.000001: kvm_age_hva: mmu notifier age hva: 0x007f3a00001000 -- 0x007f3a00002000 junk",
		"k-1 [001] ..... 1.000001: kvm_age_hva: mmu notifier age hva: 0x007f3a00001000 -- 0x",
		"k-1 [001] ..... 1.000001: kvm_age_hva: mmu notifier age hva: 0x007f3a0000g000 -- 0x007f3a00002000",
		"k-1 [001] ..... 1.000001: kvm_age_hva: mmu notifier age hva: 0x1ffffffffffffffff -- 0x2",
		/* empty or backwards ranges */
		"k-1 [001] ..... 1.000001: kvm_age_hva: mmu notifier age hva: 0x007f3a00002000 -- 0x007f3a00002000",
		"k-1 [001] ..... 1.000001: kvm_unmap_hva_range: mmu notifier unmap range: 0x007f3a00003000 -- 0x007f3a00002000",
		/* the wrong event's text */
		"k-1 [001] ..... 1.000001: kvm_unmap_hva_range: mmu notifier age hva: 0x007f3a00001000 -- 0x007f3a00002000",
		"k-1 [001] ..... 1.000001: kvm_test_age_hva: mmu notifier test age hva: 0x007f3a00001000 -- 0x007f3a00002000",
		"k-1 [001] ..... 1.000001: kvm_test_age_hva: mmu notifier test age hva: ",
		"k-1 [001] ..... 1.000001: kvm_test_age_hva: mmu notifier test age hva: -0x1000",
	};
	static const char *const not_ours[] = {
		/* the columns before the event */
		"k [001] ..... 1.000001: kvm_age_hva: mmu notifier age hva: 0x1000 -- 0x2000",
		"k-1 ..... 1.000001: kvm_age_hva: mmu notifier age hva: 0x1000 -- 0x2000",
		"k-1 [001] ..... : kvm_age_hva: mmu notifier age hva: 0x1000 -- 0x2000",
		"kvm_age_hva: mmu notifier age hva: 0x1000 -- 0x2000",
		"k-1 [001] ..... 1.000001: kvm_age_hva:mmu notifier age hva: 0x1000 -- 0x2000",
		"",
	};
	struct kvm_trace_sample s;
	uint64_t lost;
	struct fmts x;

	fmts_default(&x);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, kvm_trace_parse_line(x.p, bad[i], &s, &lost)) {
			TH_LOG("accepted: \"%s\"", bad[i]);
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(not_ours); i++) {
		EXPECT_EQ(-ENOENT, kvm_trace_parse_line(x.p, not_ours[i], &s, &lost)) {
			TH_LOG("accepted: \"%s\"", not_ours[i]);
		}
	}
}

/*
 * Kernels that print more, or name the address otherwise, are followed
 * through their format files (e.g. test_young over a range with a
 * fast_only flag, as proposed on the list).
 */
TEST(formats_other_kernels)
{
	static const char range_test[] =
		"name: kvm_test_age_hva\nID: 25\nformat:\n"
		"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
		"\tfield:unsigned long start;\toffset:8;\tsize:8;\tsigned:0;\n"
		"\tfield:unsigned long end;\toffset:16;\tsize:8;\tsigned:0;\n"
		"\tfield:bool fast_only;\toffset:24;\tsize:1;\tsigned:0;\n\n"
		"print fmt: \"mmu notifier test age hva: %#016lx -- %#016lx fast_only: %d (%u%%)\", REC->start, REC->end, REC->fast_only, (REC->fast_only ? 1 : 0)\n";
	static const char addr_first[] =
		"name: kvm_age_hva\nID: 26\nformat:\n"
		"\tfield:char comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
		"\tfield:unsigned long address;\toffset:24;\tsize:8;\tsigned:0;\n\n"
		"print fmt: \"gen=%d \\\"hva\\\" %lx\", 3, REC->address\n";
	static const char *const refused[] = {
		/* no address */
		"name: kvm_age_hva\nformat:\n\tfield:unsigned long gfn;\toffset:8;\tsize:8;\tsigned:0;\n\n"
		"print fmt: \"gfn %llx\", REC->gfn\n",
		/* a string */
		"name: kvm_age_hva\nformat:\n\tfield:unsigned long hva;\toffset:8;\tsize:8;\tsigned:0;\n\n"
		"print fmt: \"%s %lx\", __get_str(x), REC->hva\n",
		/* the address through an expression */
		"name: kvm_age_hva\nformat:\n\tfield:unsigned long hva;\toffset:8;\tsize:8;\tsigned:0;\n\n"
		"print fmt: \"page %lx\", REC->hva >> 12\n",
		/* arguments and conversions disagree */
		"name: kvm_age_hva\nformat:\n\tfield:unsigned long hva;\toffset:8;\tsize:8;\tsigned:0;\n\n"
		"print fmt: \"%lx %lx\", REC->hva\n",
		"name: kvm_age_hva\nformat:\n\tfield:unsigned long hva;\toffset:8;\tsize:8;\tsigned:0;\n\n",
		"print fmt: \"%lx\", REC->hva\n",
	};
	struct kvm_trace_fmt f;
	struct kvm_trace_sample s;
	struct fmts x;
	char err[256];

	fmts_default(&x);
	ASSERT_EQ(0, kvm_trace_parse_format(range_test, &f, err, sizeof(err))) {
		TH_LOG("%s", err);
	}
	EXPECT_TRUE(f.range);
	EXPECT_EQ(4, f.nargs);
	x.p[KVM_TRACE_TEST_AGE_HVA] = &f;
	ASSERT_EQ(0, kvm_trace_parse_line(x.p,
		"kswapd0-52 [001] ..... 5.000001: kvm_test_age_hva: mmu notifier test age hva: 0x007f3a00000000 -- 0x007f3a00200000 fast_only: 1 (1%)", &s, NULL));
	EXPECT_EQ(KVM_TRACE_TEST_AGE_HVA, s.ev);
	EXPECT_EQ(0x7f3a00000000ull, s.start);
	EXPECT_EQ(0x7f3a00200000ull, s.end);
	EXPECT_EQ(-EINVAL, kvm_trace_parse_line(x.p,
		"kswapd0-52 [001] ..... 5.000001: kvm_test_age_hva: mmu notifier test age hva: 0x007f3a00000000 -- 0x007f3a00200000 fast_only: 1 (1)", &s, NULL));

	ASSERT_EQ(0, kvm_trace_parse_format(addr_first, &f, err, sizeof(err))) {
		TH_LOG("%s", err);
	}
	EXPECT_FALSE(f.range);
	EXPECT_STREQ("address", f.start_field);
	EXPECT_STREQ("gen=%d \"hva\" %lx", f.print);
	x.p[KVM_TRACE_AGE_HVA] = &f;
	ASSERT_EQ(0, kvm_trace_parse_line(x.p,
		"k-1 [001] ..... 5.000001: kvm_age_hva: gen=-3 \"hva\" 7f3a00001000", &s, NULL));
	EXPECT_EQ(0x7f3a00001000ull, s.start);
	EXPECT_EQ(0x7f3a00001001ull, s.end);

	for (size_t i = 0; i < ARRAY_SIZE(refused); i++) {
		EXPECT_EQ(-EINVAL, kvm_trace_parse_format(refused[i], &f, err, sizeof(err))) {
			TH_LOG("accepted: \"%s\"", refused[i]);
		}
	}
}

#define MB (1ull << 20)
#define A 0x7f0000000000ull

TEST(ranges_normalize_and_pages)
{
	struct kvm_trace_range r[] = {
		{ A + 8 * MB, A + 12 * MB },
		{ A, A + 4 * MB },
		{ A + 2 * MB, A + 3 * MB },	/* inside the previous one */
		{ A + 4 * MB, A + 5 * MB },	/* touching it */
		{ A + 20 * MB, A + 20 * MB },	/* empty */
	};
	int n = kvm_trace_ranges_normalize(r, ARRAY_SIZE(r));

	ASSERT_EQ(2, n);
	EXPECT_EQ(A, r[0].start);
	EXPECT_EQ(A + 5 * MB, r[0].end);
	EXPECT_EQ(A + 8 * MB, r[1].start);
	EXPECT_EQ(A + 12 * MB, r[1].end);

	EXPECT_EQ(1, kvm_trace_ranges_pages(r, n, A, A + 4096));
	EXPECT_EQ(1, kvm_trace_ranges_pages(r, n, A + 100, A + 101));	/* one address */
	EXPECT_EQ(2, kvm_trace_ranges_pages(r, n, A + 100, A + 4097));	/* straddles a page boundary */
	EXPECT_EQ(0, kvm_trace_ranges_pages(r, n, A - 4096, A));	/* just before */
	EXPECT_EQ(0, kvm_trace_ranges_pages(r, n, A + 5 * MB, A + 8 * MB));	/* the hole */
	EXPECT_EQ(256, kvm_trace_ranges_pages(r, n, A - MB, A + MB));	/* clipped at the start */
	/* across the hole: 1 MiB of the first, 2 MiB of the second */
	EXPECT_EQ(768, kvm_trace_ranges_pages(r, n, A + 4 * MB, A + 10 * MB));
	EXPECT_EQ(9 * 256, kvm_trace_ranges_pages(r, n, 0, ~0ull));
	EXPECT_EQ(0, kvm_trace_ranges_pages(r, 0, 0, ~0ull));
}

/*
 * A stream from a machine with two VMs: ours at A..A+5M and A+8M..A+12M,
 * another process's (or another VM's) elsewhere, and an unmap straddling
 * our end: only our part counts.
 */
static const char stream[] =
	"         kswapd0-52      [001] d..1.   812.000101: kvm_age_hva: mmu notifier age hva: 0x007f0000001000 -- 0x007f0000002000\n"
	"         kswapd0-52      [001] d..1.   812.000102: kvm_age_hva: mmu notifier age hva: 0x007f5500001000 -- 0x007f5500002000\n"
	"         kswapd0-52      [001] d..1.   812.000103: kvm_age_hva: mmu notifier age hva: 0x007f0000800000 -- 0x007f0000a00000\n"
	"      khugepaged-61      [000] .....   812.000104: kvm_test_age_hva: mmu notifier test age hva: 0x007f0000003000\n"
	"      khugepaged-61      [000] .....   812.000105: kvm_test_age_hva: mmu notifier test age hva: 0x007f0000500000\n"
	"            qemu-7000    [000] .....   812.000106: kvm_unmap_hva_range: mmu notifier unmap range: 0x007f5500000000 -- 0x007f5500200000\n"
	"        mmubench-4242    [001] .....   812.000107: kvm_unmap_hva_range: mmu notifier unmap range: 0x007f0000b00000 -- 0x007f0000d00000\n"
	"CPU:0 [LOST 3 EVENTS]\n"
	"        mmubench-4242    [001] .....   812.000108: kvm_unmap_hva_range: mmu notifier unmap range: 0x007f0000b00000 -- junk\n"
	"        mmubench-4242    [001] .....   812.000109: kvm_unmap_hva_range: mmu notifier unmap range: 0x007effffff0000 -- 0x007f0000010000\n";

static void check_stream(struct __test_metadata *_metadata, const struct kvm_trace_counts *c)
{
	EXPECT_EQ(2, c->ev[KVM_TRACE_AGE_HVA].events);
	EXPECT_EQ(1 + 512, c->ev[KVM_TRACE_AGE_HVA].pages);
	EXPECT_EQ(1, c->ev[KVM_TRACE_TEST_AGE_HVA].events);
	EXPECT_EQ(1, c->ev[KVM_TRACE_TEST_AGE_HVA].pages);
	EXPECT_EQ(2, c->ev[KVM_TRACE_UNMAP_HVA_RANGE].events);
	EXPECT_EQ(256 + 16, c->ev[KVM_TRACE_UNMAP_HVA_RANGE].pages);
	EXPECT_EQ(3, c->outside);	/* the other VM's two, and the hole */
	EXPECT_EQ(3, c->lost);
	EXPECT_EQ(1, c->rejected);
}

TEST(counter_clips_to_our_ranges_any_split)
{
	const struct kvm_trace_range ours[] = {
		{ A + 8 * MB, A + 12 * MB }, { A, A + 5 * MB },
	};
	size_t len = sizeof(stream) - 1;
	struct fmts x;

	fmts_default(&x);
	for (size_t chunk = 0; chunk <= 131; chunk++) {
		struct kvm_trace_counter c;

		ASSERT_EQ(0, kvm_trace_counter_init(&c, ours, ARRAY_SIZE(ours)));
		memcpy(c.fmts, x.p, sizeof(c.fmts));
		for (size_t off = 0; off < len; off += chunk ? chunk : len) {
			size_t n = chunk ? chunk : len;

			kvm_trace_counter_feed(&c, stream + off, off + n > len ? len - off : n);
		}
		check_stream(_metadata, &c.counts);
		kvm_trace_counter_free(&c);
	}
}

TEST(filter_text_and_coalescing)
{
	struct kvm_trace_range r[] = {
		{ 0x7f0000000000ull, 0x7f0000400000ull },
		{ 0x7f0000600000ull, 0x7f0000800000ull },
		{ 0x7f1000000000ull, 0x7f1000200000ull },
	};
	struct kvm_trace_fmt age, test;
	char buf[4000];
	int n;

	kvm_trace_fmt_default(KVM_TRACE_AGE_HVA, &age);
	kvm_trace_fmt_default(KVM_TRACE_TEST_AGE_HVA, &test);
	n = kvm_trace_filter(&age, r, 3, buf, sizeof(buf));
	EXPECT_STREQ("(start < 0x7f0000400000 && end > 0x7f0000000000) || "
		     "(start < 0x7f0000800000 && end > 0x7f0000600000) || "
		     "(start < 0x7f1000200000 && end > 0x7f1000000000)", buf);
	EXPECT_EQ(strlen(buf), n);
	kvm_trace_filter(&test, r, 1, buf, sizeof(buf));
	EXPECT_STREQ("(hva >= 0x7f0000000000 && hva < 0x7f0000400000)", buf);
	/* room for two terms: the two closest ranges become one */
	n = kvm_trace_filter(&age, r, 3, buf, 110);
	EXPECT_STREQ("(start < 0x7f0000800000 && end > 0x7f0000000000) || "
		     "(start < 0x7f1000200000 && end > 0x7f1000000000)", buf);
	/* then one */
	n = kvm_trace_filter(&age, r, 3, buf, 60);
	EXPECT_STREQ("(start < 0x7f1000200000 && end > 0x7f0000000000)", buf);
	EXPECT_EQ(-ENOSPC, kvm_trace_filter(&age, r, 3, buf, 20));
}

/* ------------------------------------------------------------------ */
/* Live: a VM with one memslot, part of it zapped */

#define SLOT_SIZE	(16 * MB)

/* Waits (bounded) until the unmap count reaches @want pages: not a timing assertion. */
static void read_until(struct kvm_trace *t, struct kvm_trace_counts *c, uint64_t want)
{
	uint64_t deadline = now_ns() + 2000000000ull;

	do {
		kvm_trace_read(t, c);
		if (c->ev[KVM_TRACE_UNMAP_HVA_RANGE].pages >= want)
			break;
		usleep(20000);
	} while (now_ns() < deadline);
	/* anything late or extra, too */
	usleep(50000);
	kvm_trace_read(t, c);
}

TEST(live_unmap_counted_exactly)
{
	struct kvm_trace_counts c = { 0 };
	struct kvm_trace *t = NULL;
	struct kvm_vm *vm = NULL;
	char err[512], *mem, *other;
	struct kvm_trace_range r;
	int ret;

	if (kvm_probe_usable(err, sizeof(err)))
		SKIP(return, "%s", err);
	ASSERT_EQ(0, kvm_vm_create(&vm, err, sizeof(err))) {
		TH_LOG("%s", err);
	}
	mem = mmap(NULL, SLOT_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	other = mmap(NULL, 4 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	ASSERT_NE(MAP_FAILED, other);
	ASSERT_EQ(0, kvm_memslot_add(vm, 1, 1ull << 32, mem, SLOT_SIZE, 0, -1, 0, err, sizeof(err))) {
		TH_LOG("%s", err);
	}
	memset(mem, 1, SLOT_SIZE);
	memset(other, 1, 4 * MB);

	/* ours: the first 12 MiB of the slot */
	r = (struct kvm_trace_range){ (uintptr_t)mem, (uintptr_t)mem + 12 * MB };
	ret = kvm_trace_open(&t, &r, 1, err, sizeof(err));
	if (ret == -EOPNOTSUPP || ret == -EPERM || ret == -EACCES) {
		kvm_vm_destroy(vm);
		SKIP(return, "%s", err);
	}
	ASSERT_EQ(0, ret) {
		TH_LOG("%s", err);
	}
	for (int ev = 0; ev < KVM_TRACE_NR_EVENTS; ev++) {
		TH_LOG("%s: filtered in the kernel: %s", kvm_trace_event_name(ev),
		       kvm_trace_filtered(t, ev) ? "yes" : "no");
	}

	/* 1 MiB inside, 4 MiB straddling our end (2 MiB ours), memory not ours */
	ASSERT_EQ(0, madvise(mem + 2 * MB, MB, MADV_DONTNEED));
	ASSERT_EQ(0, madvise(mem + 10 * MB, 4 * MB, MADV_DONTNEED));
	ASSERT_EQ(0, madvise(other, 4 * MB, MADV_DONTNEED));
	read_until(t, &c, 768);
	TH_LOG("unmap: %ju events, %ju pages; age %ju/%ju, test_age %ju/%ju; outside %ju lost %ju rejected %ju",
	       (uintmax_t)c.ev[KVM_TRACE_UNMAP_HVA_RANGE].events,
	       (uintmax_t)c.ev[KVM_TRACE_UNMAP_HVA_RANGE].pages,
	       (uintmax_t)c.ev[KVM_TRACE_AGE_HVA].events, (uintmax_t)c.ev[KVM_TRACE_AGE_HVA].pages,
	       (uintmax_t)c.ev[KVM_TRACE_TEST_AGE_HVA].events,
	       (uintmax_t)c.ev[KVM_TRACE_TEST_AGE_HVA].pages,
	       (uintmax_t)c.outside, (uintmax_t)c.lost, (uintmax_t)c.rejected);
	EXPECT_EQ(256 + 512, c.ev[KVM_TRACE_UNMAP_HVA_RANGE].pages);
	EXPECT_LE(2, c.ev[KVM_TRACE_UNMAP_HVA_RANGE].events);
	EXPECT_EQ(0, c.lost);
	EXPECT_EQ(0, c.rejected);
	if (kvm_trace_filtered(t, KVM_TRACE_UNMAP_HVA_RANGE)) {
		EXPECT_EQ(0, c.outside);
	}

	/* read again: nothing new */
	memset(&c, 0, sizeof(c));
	kvm_trace_read(t, &c);
	EXPECT_EQ(0, c.ev[KVM_TRACE_UNMAP_HVA_RANGE].events);

	kvm_trace_close(t);
	kvm_vm_destroy(vm);
	munmap(mem, SLOT_SIZE);
	munmap(other, 4 * MB);
}

/* One instance per process, gone after close. */
TEST(live_open_close_leaves_nothing)
{
	struct kvm_trace_range r = { 0x7f0000000000ull, 0x7f0000001000ull };
	struct kvm_trace *t1 = NULL, *t2 = (void *)1;
	struct tracefs fs;
	char err[512], path[128];
	int ret;

	ret = kvm_trace_open(&t1, &r, 1, err, sizeof(err));
	if (ret == -EOPNOTSUPP || ret == -EPERM || ret == -EACCES)
		SKIP(return, "%s", err);
	ASSERT_EQ(0, ret) {
		TH_LOG("%s", err);
	}
	/* one per process: a second one finds the instance in use, and leaves it */
	EXPECT_EQ(-EEXIST, kvm_trace_open(&t2, &r, 1, err, sizeof(err))) {
		TH_LOG("%s", err);
	}
	EXPECT_EQ(NULL, t2);
	tracefs_init(&fs);
	ASSERT_EQ(0, tracefs_open(&fs, "test", err, sizeof(err)));
	snprintf(path, sizeof(path), "instances/mmubench-%d-kvm", (int)getpid());
	EXPECT_EQ(0, faccessat(fs.root_fd, path, F_OK, 0));
	kvm_trace_close(t1);
	kvm_trace_close(NULL);

	EXPECT_NE(0, faccessat(fs.root_fd, path, F_OK, 0));
	tracefs_close(&fs);

	EXPECT_EQ(-EINVAL, kvm_trace_open(&t1, &r, 0, err, sizeof(err)));
	r.end = r.start;
	EXPECT_EQ(-EINVAL, kvm_trace_open(&t1, &r, 1, err, sizeof(err)));
}

TEST_HARNESS_MAIN
