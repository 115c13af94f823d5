/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dirty scenario's insides, shared by dirty.c (the epochs and the
 * ground-truth checks) and dirty_modes.c (how each mode enables logging
 * and harvests): its config, state, metrics and the dirty-mode ops.
 */
#ifndef MMUBENCH_DIRTY_H
#define MMUBENCH_DIRTY_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "kernel/kvm/dirty_log.h"
#include "src/run/window.h"

#define DIRTY_SHOW_LOST	8		/* lost pages named in the check's reason */

struct uffd_wp;

struct dirty_config {
	int mode;		/* index into dirty_modes[] */
	uint64_t iterations;
	uint64_t baseline_epochs;
	uint64_t interval_ms;
	uint64_t clear_chunk;
	bool initially_set;
	uint64_t ring_size;
	bool ring_acq_rel;
	int oracle;
	uint64_t skip_harvest;	/* test only: drop what iteration N reported */
	uint64_t stall_harvest;	/* test only: hold vCPU 0 still from iteration N */
	uint64_t fault_ns;
	bool no_timing;
	bool no_verify;
};

enum dirty_metric {
	DM_LOST, DM_SPURIOUS, DM_ORACLE_MISSED, DM_WRITTEN, DM_REPORTED, DM_ENABLE_MS,
	DM_DISABLE_MS, DM_GET_PER_GIB, DM_CLEAR_PER_GIB, DM_HARVEST_PER_GIB, DM_RESET_PER_GIB,
	DM_KICK_US, DM_ITERATION_MS, DM_RING_FULL_EXITS, DM_RATE_RATIO, DM_WRITE_FAULT_P50,
	DM_WRITE_FAULT_P99, DM_WRITE_FAULTS, DM_POPULATE_P99, DM_BASELINE_WRITE_P99, DM_PF_TAKEN,
	DM_PAGES_2M_BEFORE, DM_PAGES_2M_AFTER, DM_N
};

extern const struct metric_desc dirty_metrics[];

struct dirty_slot {
	uint32_t slot;
	uint64_t npages;
	unsigned long *got;	/* H_i */
	unsigned long *prev;	/* H_{i-1} */
	unsigned long *pending;	/* ring: what vCPUs collected at ring-full, for the next H */
	unsigned long *written;	/* scratch: ground truth */
	unsigned long *window;	/* scratch */
	unsigned long *prev2;	/* H_{i-2} */
	unsigned long *oracle;	/* what the uffd-wp oracle saw before this harvest */
	unsigned long *oracle_prev;	/* ... and before the previous one */
};

/*
 * The access a vCPU had not completed at the latest snapshot a_i (its
 * cursor). A vCPU descheduled in a write fault, or between its store and
 * the cursor update, keeps it in flight across whole harvests: any harvest
 * from the first that ended after the access may have begun may report it.
 */
struct dirty_inflight {
	uint64_t access;	/* the cursor at a_i */
	uint64_t page;		/* the page it touches */
	bool write;		/* and whether it writes it */
	bool judged;		/* it cannot have begun before logging was on */
	bool seen;		/* page reported by a harvest since it may have begun */
	bool oracle_due;	/* the oracle saw page written: a harvest must report it */
};

struct dirty_state {
	const struct dirty_mode *mode;
	struct dirty_slot slot[GUEST_MAX_VCPUS];
	struct dirty_ring ring[GUEST_MAX_VCPUS];
	pthread_mutex_t ring_lock;
	struct uffd_wp *uffd;
	struct window win;		/* the guest: populate, then writes without pause */
	struct dirty_inflight inflight[GUEST_MAX_VCPUS];
	bool logging;
	double gib;			/* guest memory, all memslots */
	double enable_ms, disable_ms;
	uint64_t lost, spurious, judged, oracle_missed;
	uint64_t first_lost_page[DIRTY_SHOW_LOST];
	int first_lost_slot[DIRTY_SHOW_LOST], nfirst_lost;
	double **s;			/* per-harvest samples, s[DM_*][harvest] */
	double value[DM_N];		/* single-valued metrics of the mode (ring_full_exits) */
	struct run_kvm_counters kvm_before, kvm_logging, kvm_after;
};

/*
 * A way of harvesting dirty pages. Adding one: a struct here in
 * dirty_modes.c and its name in DIRTY_MODES; its metrics in dirty_metrics[].
 */
struct dirty_mode {
	const char *name;
	/* Optional: the VM and memslots exist, no vCPU yet (the caps logging needs). */
	int (*prepare)(struct run_ctx *ctx, struct dirty_state *st, char *err, size_t errlen);
	/* Optional: once per vCPU, after they all exist, before they run. */
	int (*setup_vcpu)(struct run_ctx *ctx, struct dirty_state *st, struct run_vcpu *v,
			  char *err, size_t errlen);
	/* Harvest @e: every memslot's dirty pages into slot->got, timings into st->s[DM_*][e]. */
	int (*harvest)(struct run_ctx *ctx, struct dirty_state *st, unsigned int e,
		       char *err, size_t errlen);
	/* Optional: a VM exit of the mode's own (scenario_ops.exit()), in the vCPU's thread. */
	int (*exit)(struct run_ctx *ctx, struct dirty_state *st, struct run_vcpu *v,
		    uint32_t exit_reason);
	/*
	 * The metrics only this mode reports, in record order, ending with -1:
	 * M_PER_EPOCH ones from st->s, the others from st->value.
	 */
	const int *metrics;
};

/* The registry: one line per mode, in --mode's order ("bitmap" is the default). */
#define DIRTY_MODES(X) X(bitmap) X(clear) X(ring)

extern const struct dirty_mode *const dirty_modes[];	/* NULL-terminated */
/* The name of mode @i, NULL past the end (--mode's choices_fn). */
const char *dirty_mode_name(size_t i);

#endif
