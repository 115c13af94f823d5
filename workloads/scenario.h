/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a scenario does: its ops, called by the runner. What it is (name,
 * help, options, metrics) is data in workloads/catalog.h, which the gate and
 * the report read without ever seeing the runner.
 *
 * The runner (src/run/runner.c) brings the VM up (memslots, page tables, pinned
 * vCPU threads) and calls, in order: prepare (memslots up, no vCPU yet),
 * setup, start, then work() from each vCPU thread every time its guest asks
 * for an order (and exit() when its vCPU leaves KVM_RUN for anything else),
 * epoch() from the main thread every --interval while the vCPUs run, stop
 * once every vCPU has finished, teardown on every exit path.
 */
#ifndef MMUBENCH_SCENARIO_H
#define MMUBENCH_SCENARIO_H

#include <stdint.h>

#include "workloads/catalog.h"

struct run_ctx;
struct run_vcpu;
struct guest_work;

/* What scenario_ops.exit() says of a VM exit. */
enum scenario_exit { SCENARIO_EXIT_NOT_MINE, SCENARIO_EXIT_HANDLED };

struct scenario_ops {
	/*
	 * Optional, first: the VM and its memslots exist, no vCPU yet (what must
	 * precede vCPU creation, e.g. enabling the dirty ring, goes here).
	 */
	int (*prepare)(struct run_ctx *ctx, char *err, size_t errlen);
	/* Validates options and allocates ctx->priv; -EOPNOTSUPP (+ message) is a skip. */
	int (*setup)(struct run_ctx *ctx, char *err, size_t errlen);
	/* The VM is up, vCPUs not running yet. */
	int (*start)(struct run_ctx *ctx, char *err, size_t errlen);
	/*
	 * Called in vCPU @v's thread when its guest asks for work; the results of
	 * the previous order are in v->ctrl. Fills @w; GOP_EXIT ends the vCPU.
	 */
	int (*work)(struct run_ctx *ctx, struct run_vcpu *v, struct guest_work *w);
	/*
	 * Optional: vCPU @v left KVM_RUN with @exit_reason, which is not the
	 * guest's mailbox call; called in its thread. SCENARIO_EXIT_HANDLED
	 * re-enters the guest, SCENARIO_EXIT_NOT_MINE makes it an unexpected exit
	 * (the run fails naming it), -errno fails the run.
	 */
	int (*exit)(struct run_ctx *ctx, struct run_vcpu *v, uint32_t exit_reason);
	/*
	 * Every ctx->epoch_interval_ns while vCPUs run (may be NULL). Returns 0 to
	 * go on, > 0 when done (ctx->stopping is set; work() should then hand out
	 * GOP_EXIT), < 0 with a message to abort the run.
	 */
	int (*epoch)(struct run_ctx *ctx, unsigned int epoch, char *err, size_t errlen);
	/* All vCPUs have finished: compute metrics into ctx->rec. */
	int (*stop)(struct run_ctx *ctx, char *err, size_t errlen);
	void (*teardown)(struct run_ctx *ctx);
};

#endif
