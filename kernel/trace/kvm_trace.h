/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KVM's MMU-notifier tracepoints, counted for the guest memory of this
 * process: how often, and over how many of our pages, the primary MMU asked
 * KVM to age (clear_young / clear_flush_young), to test (test_young) and to
 * unmap (invalidate_range_start) guest memory. In 6.12 (include/trace/
 * events/kvm.h; the same in 6.18):
 *
 *   kvm_age_hva:          "mmu notifier age hva: %#016lx -- %#016lx", REC->start, REC->end
 *   kvm_test_age_hva:     "mmu notifier test age hva: %#016lx", REC->hva
 *   kvm_unmap_hva_range:  "mmu notifier unmap range: %#016lx -- %#016lx", REC->start, REC->end
 *
 * (virt/kvm/kvm_main.c fires them on entry to the notifier, before any
 * memslot lookup, for every VM of the mm.) They fire in the context of the
 * task doing the aging or reclaim (kswapd, a kdamond, khugepaged, or us for
 * MADV_PAGEOUT), so they are attributed by address: a tracefs filter on the
 * host virtual address ranges of our guest memory, and the same clipping
 * here. Another process's VM whose memory sits at the same addresses (in
 * its own mm) would be counted too: addresses are not tagged with their mm.
 *
 * Each event's fields and print format are read from its format file, so a
 * kernel that renames the address field (hva -> start/end) or adds fields
 * is followed; an event whose address cannot be read is -EOPNOTSUPP.
 */
#ifndef MMUBENCH_KVM_TRACE_H
#define MMUBENCH_KVM_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/trace/tracefs.h"

enum kvm_trace_event {
	KVM_TRACE_AGE_HVA,		/* kvm:kvm_age_hva: clear_(flush_)young on [start, end) */
	KVM_TRACE_TEST_AGE_HVA,		/* kvm:kvm_test_age_hva: test_young on one address */
	KVM_TRACE_UNMAP_HVA_RANGE,	/* kvm:kvm_unmap_hva_range: invalidate_range_start */
	KVM_TRACE_NR_EVENTS
};

/* "kvm_age_hva", ... */
const char *kvm_trace_event_name(enum kvm_trace_event ev);

/* Host virtual addresses of guest memory, [start, end). */
struct kvm_trace_range {
	uint64_t start, end;
};

struct kvm_trace_count {
	uint64_t events;	/* events that touched our ranges */
	uint64_t pages;		/* 4 KiB pages they covered within our ranges */
};

/* Accumulated by kvm_trace_read() (it adds: zero it to start). */
struct kvm_trace_counts {
	struct kvm_trace_count ev[KVM_TRACE_NR_EVENTS];
	/* our events that missed every range (when not filtered in the kernel) */
	uint64_t outside;
	/* events dropped by the ring buffer: counts are then lower bounds */
	uint64_t lost;
	uint64_t rejected;	/* lines not understood */
};

/* ------------------------------------------------------------------ */
/* Formats and lines (pure) */

#define KVM_TRACE_FMT_MAX	256
#define KVM_TRACE_MAX_ARGS	8

enum kvm_trace_slot {
	KVM_TRACE_SLOT_NONE,	/* an argument we do not need */
	KVM_TRACE_SLOT_START,	/* the address, or the start of the range */
	KVM_TRACE_SLOT_END,	/* the end of the range (exclusive) */
};

/* How one event prints, and where its address is in what it prints. */
struct kvm_trace_fmt {
	char name[64];
	bool range;			/* [start, end); else one address (one page) */
	char start_field[32];		/* field names, for the filter */
	char end_field[32];
	char print[KVM_TRACE_FMT_MAX];	/* the printf format, unescaped */
	int nargs;
	enum kvm_trace_slot slot[KVM_TRACE_MAX_ARGS];	/* what each argument is */
};

/* 6.12's format of @ev (the defaults, and the unit tests' reference). */
void kvm_trace_fmt_default(enum kvm_trace_event ev, struct kvm_trace_fmt *f);

/*
 * Reads an events/<sys>/<event>/format file: the fields ("start" and "end",
 * else one of "hva", "address", "addr", "start") and the print fmt, whose
 * arguments must name the address fields as REC-><field>; conversions
 * %[#0- +][width][l|ll|h|hh|z]{d,i,u,x,X,o} and %% (a %s or %p argument is
 * refused: its text cannot be matched). Returns 0, or -EINVAL with the
 * reason in @err.
 */
int kvm_trace_parse_format(const char *text, struct kvm_trace_fmt *f, char *err, size_t errlen);

/* One event line. For a single address, end = start + 1. */
struct kvm_trace_sample {
	enum kvm_trace_event ev;
	int pid;			/* the task the notifier ran in */
	uint64_t ts_ns;
	uint64_t start, end;
};

/*
 * Parses one line of trace_pipe against the formats (fmts[ev], NULL
 * entries are events not traced). Returns 0; -ENODATA for trace_pipe's
 * lost-events note, with the count in *@lost (may be NULL: -ENOENT then);
 * -ENOENT for a line of no event of ours; -EINVAL for a malformed line of
 * one of ours (text not matching its format, trailing text, end <= start).
 */
int kvm_trace_parse_line(const struct kvm_trace_fmt *const fmts[KVM_TRACE_NR_EVENTS],
			 const char *line, struct kvm_trace_sample *s, uint64_t *lost);

/* Sorts and merges ranges in place (touching ones too); returns the new count. */
int kvm_trace_ranges_normalize(struct kvm_trace_range *r, int n);

/* 4 KiB pages [start, end) covers within @r (normalized). */
uint64_t kvm_trace_ranges_pages(const struct kvm_trace_range *r, int n,
				uint64_t start, uint64_t end);

/*
 * The tracefs filter that keeps the events of @f touching @r (normalized),
 * e.g. "(start < 0x7f1200400000 && end > 0x7f1200000000) || ...". Ranges are
 * coalesced over their smallest gaps until it fits in @len (tracefs takes
 * less than a page); the counting clips exactly anyway. Returns its length,
 * or -ENOSPC.
 */
int kvm_trace_filter(const struct kvm_trace_fmt *f, const struct kvm_trace_range *r, int n,
		     char *buf, size_t len);

/* The counting, fed with trace_pipe text (partial lines are carried). */
struct kvm_trace_counter {
	const struct kvm_trace_fmt *fmts[KVM_TRACE_NR_EVENTS];
	struct kvm_trace_range *ranges;	/* normalized */
	int nranges;
	struct tracefs_linebuf lb;
	struct kvm_trace_counts counts;
};

/* Copies and normalizes @ranges. fmts[] is left for the caller to fill. 0 or -ENOMEM. */
int kvm_trace_counter_init(struct kvm_trace_counter *c, const struct kvm_trace_range *ranges,
			   int nranges);
void kvm_trace_counter_free(struct kvm_trace_counter *c);
void kvm_trace_counter_add(struct kvm_trace_counter *c, const struct kvm_trace_sample *s);
void kvm_trace_counter_feed(struct kvm_trace_counter *c, const char *buf, size_t len);

/* ------------------------------------------------------------------ */
/* Live: a private tracefs instance, drained by a thread of its own */

struct kvm_trace;

/*
 * Enables the three events in instances/mmubench-<pid>-kvm, each filtered
 * to @ranges (copied), and starts a thread that drains trace_pipe (the
 * ring buffer would overflow during a long pass). -EOPNOTSUPP with the
 * config option or mount to change when tracefs or an event is missing;
 * -EINVAL for no ranges or an empty one. The instance goes away with
 * kvm_trace_close(), or with its watchdog if we die first.
 */
int kvm_trace_open(struct kvm_trace **out, const struct kvm_trace_range *ranges, int nranges,
		   char *err, size_t errlen);

/*
 * Drains what trace_pipe holds now and adds what arrived since the last
 * call to @c. Returns 0, or -errno (the counts still added) when reading
 * trace_pipe failed.
 */
int kvm_trace_read(struct kvm_trace *t, struct kvm_trace_counts *c);

/* Whether an event's filter is set in the kernel (else only clipped here). */
bool kvm_trace_filtered(const struct kvm_trace *t, enum kvm_trace_event ev);

/* The format in use for @ev (from its format file). */
const struct kvm_trace_fmt *kvm_trace_format(const struct kvm_trace *t, enum kvm_trace_event ev);

/* Stops the thread, removes the instance. NULL is fine. */
void kvm_trace_close(struct kvm_trace *t);

#endif
