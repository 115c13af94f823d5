/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between the host and the freestanding guest program: the guest
 * physical layout, the per-vCPU control page and the mailbox protocol.
 *
 * Protocol: the guest writes a code into ctrl->ucall and executes an OUT to
 * GUEST_UCALL_PORT (allowed at CPL3 because RFLAGS.IOPL=3), which exits to the
 * host. On UCALL_READY the host writes the next work order into ctrl->work and
 * resumes; the guest runs it and asks again. GOP_EXIT makes the guest answer
 * UCALL_DONE forever, which is the clean end. UCALL_ABORT carries a guest
 * assertion failure (file, line, message, two values).
 *
 * While work runs, the guest publishes ctrl->cursor (accesses completed in
 * its pattern stream) and ctrl->populated (pages populated), which the host
 * reads at any time without an exit.
 */
#ifndef MMUBENCH_GUEST_ABI_H
#define MMUBENCH_GUEST_ABI_H

#ifndef __ASSEMBLY__
#include <stdint.h>
#include "guests/abi/hist.h"
#include "guests/abi/pattern.h"
#endif

#define GUEST_UCALL_PORT	0x4d4d	/* "MM" */

/* Guest physical (and, identity-mapped, virtual) layout. */
#define GUEST_CODE_GPA		0x00100000ull	/* the guest program, at most 1 MiB */
#define GUEST_CODE_MAX		0x00100000ull
#define GUEST_CTRL_GPA		0x00200000ull	/* one control block per vCPU */
#define GUEST_CTRL_SIZE		0x00010000ull	/* 64 KiB, see struct guest_ctrl */
#define GUEST_STACK_SIZE	0x00004000ull	/* 16 KiB per vCPU */
#define GUEST_MAX_VCPUS		64
#define GUEST_STACK_GPA		(GUEST_CTRL_GPA + GUEST_MAX_VCPUS * GUEST_CTRL_SIZE)
#define GUEST_TABLES_GPA	(GUEST_STACK_GPA + GUEST_MAX_VCPUS * GUEST_STACK_SIZE)
#define GUEST_DATA_GPA		0x100000000ull	/* data memslots start at 4 GiB */

/*
 * Exceptions: an IDT of 32 interrupt gates to the stubs in guest_entry.S, at
 * GUEST_CODE_GPA + GUEST_VECTORS_OFFSET, GUEST_VECTOR_STRIDE bytes apart.
 * They run at CPL0 (on the interrupted stack, or from CPL3 on the exception
 * stack named in the TSS, shared by the vCPUs; a double fault, e.g. from a
 * fault on the stack itself, on a stack of its own) and report through the
 * mailbox (UCALL_EXCEPTION) instead of the triple fault that would lose the
 * faulting RIP and CR2.
 */
#define GUEST_IDT_GPA		0x00004000ull
#define GUEST_IDT_VECTORS	32
#define GUEST_EXC_STACK_TOP	0x00008000ull	/* 8 KiB below it */
#define GUEST_DF_STACK_TOP	0x0000a000ull	/* #DF (IST1): 8 KiB below it */
#define GUEST_VECTORS_OFFSET	0x100
#define GUEST_VECTOR_STRIDE	16

#ifndef __ASSEMBLY__
enum guest_ucall {
	UCALL_NONE,
	UCALL_READY,	/* done with the previous order, waiting for the next */
	UCALL_DONE,	/* GOP_EXIT received: the guest is finished */
	UCALL_ABORT,	/* guest assertion failed: see file/line/msg/args */
	UCALL_EXCEPTION,	/* the guest took an exception: see exc_* */
};

enum guest_op {
	GOP_EXIT,
	GOP_POPULATE,	/* touch every page of the region once, in order */
	GOP_ACCESS,	/* run accesses [first, first + count) of the pattern */
	GOP_FAULT,	/* tests: read the byte at region_gva (an unmapped one: #PF) */
	GOP_SPIN,	/* tests: spin forever without progress (a hung guest) */
	GOP_FAULT_STACK,	/* tests: push onto a stack at region_gva (unmapped: #PF, at CPL0 #DF) */
};

#define GUEST_NR_HISTS 3		/* latency histograms per vCPU */
/*
 * guest_work.hist: a slot, or GUEST_HIST_LIVE: after each timed access the
 * guest reads ctrl->hist_live (a slot, or GUEST_HIST_NONE: record nothing)
 * and keeps the latency if it is at least ctrl->hist_time_min[slot].
 */
#define GUEST_HIST_LIVE	0xfffffffeu
#define GUEST_HIST_NONE	0xffffffffu

struct guest_work {
	uint32_t op;			/* enum guest_op */
	uint32_t time_each;		/* record each access's TSC latency into latency[hist] */
	uint64_t region_gva;		/* first byte of the region */
	uint64_t page_size;		/* stride between pages of the region */
	uint64_t first;			/* first access index (GOP_ACCESS) */
	uint64_t count;			/* accesses (GOP_ACCESS) */
	uint32_t populate_write;	/* GOP_POPULATE writes (rewrites in place) */
	uint32_t hist;			/* latency histogram slot, or GUEST_HIST_LIVE */
	struct pattern pattern;
	uint64_t time_min;		/* record only latencies of at least this many cycles */
};

struct guest_ctrl {
	/* published by the guest while it works; read by the host any time */
	volatile uint64_t cursor;	/* pattern accesses completed */
	volatile uint64_t populated;	/* pages populated */
	volatile uint64_t tsc_start;	/* TSC when the current order started */
	volatile uint64_t tsc_end;	/* TSC when it finished */
	volatile uint64_t sink;		/* keeps reads from being optimised away */

	/* mailbox, guest -> host */
	volatile uint32_t ucall;	/* enum guest_ucall */
	uint32_t abort_line;
	char abort_file[64];
	char abort_msg[128];
	uint64_t abort_args[2];
	uint64_t exc_vector, exc_error, exc_rip, exc_cr2, exc_rsp;

	/* this block's own GVA; the vCPU's GS base points here, for the exception handler */
	uint64_t self;

	/* host -> guest */
	struct guest_work work;
	/* read by the guest after every timed access of a GUEST_HIST_LIVE order */
	volatile uint32_t hist_live;
	volatile uint64_t hist_time_min[GUEST_NR_HISTS];

	/* latency of timed accesses, in TSC cycles; the host reads one only once no order uses it */
	struct hist latency[GUEST_NR_HISTS];
};

_Static_assert(sizeof(struct guest_ctrl) <= GUEST_CTRL_SIZE, "guest_ctrl too large");

/* What guest_exception() finds on its stack (guest_entry.S, then the CPU). */
struct guest_exception_frame {
	uint64_t vector, error, rip, cs, rflags, rsp, ss;
};
#endif /* __ASSEMBLY__ */

#endif
