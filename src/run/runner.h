/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The runner: one config -> VM up (memslots placed on NUMA nodes, guest page
 * tables, vCPU threads pinned) -> the scenario's ops -> one result record.
 */
#ifndef MMUBENCH_RUNNER_H
#define MMUBENCH_RUNNER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "kernel/kvm/backing.h"
#include "guests/abi/guest_abi.h"
#include "kernel/kvm/kvm.h"
#include "kernel/kvm/kvm_stats.h"
#include "src/lib/options.h"
#include "workloads/catalog.h"
#include "src/record/record.h"
#include "kernel/topology.h"
#include "kernel/kvm/vm_layout.h"


struct run_region {
	struct backing backing;
	uint32_t slot;
	uint64_t gpa;			/* == GVA */
	uint64_t size;
	uint64_t zipf_gpa;		/* CDF table for this region's pattern, 0 if none */
};

/*
 * A scenario may move the hot set between orders (aging's shifting working
 * set). The runner logs each change with the access index it starts at, so
 * the ground truth stays exact: run_truth() replays each stretch with its own
 * hot_first.
 */
#define RUN_MAX_SEGMENTS 4096

struct run_segment {
	uint64_t first;		/* first access index with this hot_first */
	uint64_t hot_first;
};

struct run_vcpu {
	struct run_ctx *ctx;
	int index;
	struct kvm_vcpu *vcpu;
	struct guest_ctrl *ctrl;	/* shared control block, read without exits */
	struct kvm_stats *stats;
	pthread_t thread;
	struct run_region *region;
	struct pattern pattern;		/* the guest's view (zipf table as GVA) */
	struct pattern host_pattern;	/* the same, with the zipf table as HVA, for replay */
	int cpu;			/* pinned PU, -1 if not pinned */
	char cpus_obtained[64];		/* binding read back in the thread */
	int ran_on_cpu;			/* sched_getcpu() seen at the end */
	uint64_t orders;		/* orders handed out so far */
	struct run_segment *segments;	/* hot-set changes, written by this vCPU's thread */
	int nsegments;			/* read with __atomic_load_n (acquire) */
	int status;			/* 0, or -errno when the thread failed */
	bool finished;			/* the thread is done (set last) */
	char err[512];
};

struct run_ctx {
	const struct scenario_desc *scenario;
	const struct run_config *cfg;
	void *scfg;			/* the scenario's own config */
	void *priv;			/* the scenario's state */
	struct record *rec;
	struct topo *topo;

	struct kvm_vm *vm;
	struct kvm_stats *vm_stats;
	struct vm_layout *layout;
	int cpl;			/* resolved from --cpl */
	const char *cpl_reason;
	uint64_t guest_page_size;
	uint64_t pages_per_vcpu;	/* pages in each vCPU's pattern region */
	uint32_t tsc_khz;

	int nregions;
	struct run_region regions[GUEST_MAX_VCPUS];
	int nvcpus;
	struct run_vcpu vcpus[GUEST_MAX_VCPUS];
	/* epochs: the scenario sets the interval in setup; 0 = no epoch() calls */
	uint64_t epoch_interval_ns;
	volatile bool stopping;		/* set when epoch() returns > 0: work() ends the vCPUs */

	/* vCPU rendezvous that an aborted run releases (see run_barrier()) */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int waiting;
	unsigned int generation;
	bool aborted;
};

/*
 * Runs @scn once with @cfg and its own @scfg, filling @rec. Returns 0 when the
 * run completed (its checks may still have failed: see rec->status), or a
 * negative errno with a message; -EOPNOTSUPP means skipped.
 */
int runner_run(const struct scenario_desc *scn, const struct run_config *cfg, void *scfg,
	       struct topo *topo, struct record *rec, char *err, size_t errlen);

/* Checks the parts of @cfg that need the machine (CPUs, nodes, paths): -EINVAL + message. */
int runner_validate(const struct run_config *cfg, struct topo *topo, char *err, size_t errlen);

/*
 * All vCPU threads meet; returns true in exactly one of them (the last to
 * arrive). Once a vCPU has failed, ctx->aborted is set and nobody waits.
 */
bool run_barrier(struct run_ctx *ctx);

/*
 * The ground truth of vCPU @v: sets the pages accessed (and written) by its
 * accesses [c0, c1), following every hot-set change it was given.
 */
void run_truth(const struct run_vcpu *v, uint64_t c0, uint64_t c1, unsigned long *touched,
	       unsigned long *written);

/* The page access @i of vCPU @v touches (*@page); true if the access writes it. */
bool run_truth_access(const struct run_vcpu *v, uint64_t i, uint64_t *page);

/*
 * Makes every vCPU that is inside KVM_RUN leave it once (a signal, resent
 * until its KVM_RUN has returned), so that state buffered per vCPU until a VM
 * exit (Intel PML's dirty GFNs) has reached KVM. @ns: how long it took.
 * -ETIMEDOUT when a vCPU does not leave within 30 s.
 */
int run_kick_vcpus(struct run_ctx *ctx, uint64_t *ns, char *err, size_t errlen);

/* TSC cycles of the guest to nanoseconds. */
double run_cycles_to_ns(const struct run_ctx *ctx, double cycles);

/*
 * Adds metric @d to the run's record (record_put(): @value is the value of
 * an M_POOLED or M_TOTAL metric, else the samples' median). @d must be one
 * of ctx->scenario->metrics: any other descriptor puts the record in error
 * ("metric X is not declared by scenario Y") and returns NULL.
 */
struct metric *run_put(struct run_ctx *ctx, const struct metric_desc *d, const double *samples,
		       size_t n, double value);
struct metric *run_put_value(struct run_ctx *ctx, const struct metric_desc *d, double value);
/*
 * Adds the vCPUs' merged latency histogram @slot as @name, and the metrics
 * @p50, @p99 (us) and @count (accesses) of it for those not NULL; nothing
 * when the histogram is empty. Returns the accesses it holds.
 */
uint64_t run_put_hist(struct run_ctx *ctx, int slot, const char *name,
		      const struct metric_desc *p50, const struct metric_desc *p99,
		      const struct metric_desc *count);

/* KVM counters that scenarios report as deltas. */
struct run_kvm_counters {
	uint64_t pf_taken, pf_fixed;	/* summed over vCPUs */
	uint64_t pages_4k, pages_2m;	/* VM */
	bool have_pf, have_pages;	/* read from KVM's binary stats (else not reported) */
};
void run_read_kvm_counters(struct run_ctx *ctx, struct run_kvm_counters *c);

#endif
