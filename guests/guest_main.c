// SPDX-License-Identifier: GPL-2.0
/*
 * The guest program: freestanding, no libc. It asks the host for work through
 * the mailbox (guest_abi.h), runs it and publishes its progress. It keeps no
 * state in memory of its own (no .data/.bss), so one image serves every vCPU.
 */
#include "guests/abi/guest_abi.h"

#define GUEST_ASSERT(c, cond, a0, a1)					\
	do {								\
		if (!(cond))						\
			guest_abort(c, __FILE__, __LINE__, #cond, a0, a1); \
	} while (0)

void guest_main(struct guest_ctrl *c);
void guest_exception(const struct guest_exception_frame *f);

static inline uint64_t guest_tsc(void)
{
	uint32_t lo, hi;

	/* LFENCE on both sides keeps the measured access between the reads */
	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

static void guest_ucall(struct guest_ctrl *c, uint32_t code)
{
	c->ucall = code;
	__asm__ volatile("outl %0, %w1" :: "a"(code), "Nd"(GUEST_UCALL_PORT) : "memory");
}

static void guest_copy(char *dst, const char *src, int size)
{
	int i;

	for (i = 0; i < size - 1 && src[i]; i++)
		dst[i] = src[i];
	dst[i] = 0;
}

static void __attribute__((noreturn))
guest_abort(struct guest_ctrl *c, const char *file, int line, const char *msg,
	    uint64_t a0, uint64_t a1)
{
	guest_copy(c->abort_file, file, sizeof(c->abort_file));
	guest_copy(c->abort_msg, msg, sizeof(c->abort_msg));
	c->abort_line = line;
	c->abort_args[0] = a0;
	c->abort_args[1] = a1;
	for (;;)
		guest_ucall(c, UCALL_ABORT);
}

/*
 * From the stubs in guest_entry.S, at CPL0: the vCPU's GS base is its control
 * block (the one piece of per-vCPU state the image can reach without RDI).
 */
void __attribute__((noreturn)) guest_exception(const struct guest_exception_frame *f)
{
	struct guest_ctrl *c;
	uint64_t cr2;

	__asm__ volatile("movq %%gs:%c1, %0" : "=r"(c) : "i"(__builtin_offsetof(struct guest_ctrl, self)));
	__asm__ volatile("movq %%cr2, %0" : "=r"(cr2));
	c->exc_vector = f->vector;
	c->exc_error = f->error;
	c->exc_rip = f->rip;
	c->exc_rsp = f->rsp;
	c->exc_cr2 = cr2;
	for (;;)
		guest_ucall(c, UCALL_EXCEPTION);
}

static void guest_populate(struct guest_ctrl *c, const struct guest_work *w)
{
	struct hist *h = &c->latency[w->hist % GUEST_NR_HISTS];
	volatile uint64_t *word;
	uint64_t t0, i;

	for (i = 0; i < w->pattern.npages; i++) {
		word = (volatile uint64_t *)(w->region_gva + i * w->page_size);
		t0 = guest_tsc();
		if (w->populate_write)	/* one write fault that leaves the data as it was */
			__asm__ volatile("lock addq $0, %0" : "+m"(*word) :: "memory");
		else
			c->sink += *word;
		if (w->time_each)
			hist_record(h, guest_tsc() - t0);
		c->populated = i + 1;
	}
}

static void guest_access(struct guest_ctrl *c, const struct guest_work *w)
{
	const struct pattern *p = &w->pattern;
	uint64_t i, page, t0, sink = 0, end = w->first + w->count;
	uint32_t slot;
	volatile uint64_t *word;

	GUEST_ASSERT(c, c->cursor == w->first, c->cursor, w->first);
	for (i = w->first; i < end; i++) {
		page = pattern_page(p, i);
		GUEST_ASSERT(c, page < p->npages, page, p->npages);
		/* each vCPU owns one word per page, so shared regions stay checkable */
		word = (volatile uint64_t *)(w->region_gva + page * w->page_size) + p->vcpu;
		t0 = w->time_each ? guest_tsc() : 0;
		if (pattern_is_write(p, i))
			*word = pattern_stamp(p->seed, p->vcpu, page);
		else
			sink += *word;
		if (w->time_each) {
			uint64_t d = guest_tsc() - t0, min = w->time_min;

			/*
			 * A live slot is read after the access has retired (the
			 * LFENCE in guest_tsc()), so an access the host's switch
			 * did not see ended, fault and all, before the switch.
			 */
			slot = w->hist;
			if (slot == GUEST_HIST_LIVE) {
				slot = c->hist_live;
				if (slot < GUEST_NR_HISTS)
					min = c->hist_time_min[slot];
			}
			if (slot < GUEST_NR_HISTS && d >= min)
				hist_record(&c->latency[slot], d);
		}
		c->cursor = i + 1;
	}
	c->sink += sink;
}

void guest_main(struct guest_ctrl *c)
{
	for (;;) {
		guest_ucall(c, UCALL_READY);
		c->tsc_start = guest_tsc();
		switch (c->work.op) {
		case GOP_POPULATE:
			guest_populate(c, &c->work);
			break;
		case GOP_ACCESS:
			guest_access(c, &c->work);
			break;
		case GOP_FAULT:
			c->sink += *(volatile uint8_t *)c->work.region_gva;
			break;
		case GOP_FAULT_STACK:
			__asm__ volatile("movq %0, %%rsp; pushq $0" :: "r"(c->work.region_gva) : "memory");
			break;
		case GOP_SPIN:
			for (;;)
				__asm__ volatile("pause");
		case GOP_EXIT:
			for (;;)
				guest_ucall(c, UCALL_DONE);
		default:
			GUEST_ASSERT(c, 0, c->work.op, 0);
		}
		c->tsc_end = guest_tsc();
	}
}
