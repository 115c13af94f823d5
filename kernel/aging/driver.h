/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host-side aging drivers: something in the kernel that decides which guest
 * pages are young and which are old (MGLRU, idle page tracking, DAMON) or
 * evicts the old ones (reclaim). Each driver is one file with a descriptor,
 * its options and an ops table, registered by one line in AGING_DRIVERS in
 * kernel/aging/local.mk (the build makes the registry of it). The aging
 * scenario (workloads/aging.c) calls them epoch after epoch and compares their
 * verdicts with the exact ground truth of the guest's pattern.
 *
 * Order of calls: setup (before guest memory is first touched, e.g. to move
 * the VMM into a memcg), start (after populate), then per epoch: pass (the
 * aging action, timed by the caller), verdict for each target; teardown on
 * every exit path, restoring anything the driver changed on the host.
 */
#ifndef MMUBENCH_AGING_DRIVER_H
#define MMUBENCH_AGING_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/mm/sysfs.h"
#include "src/lib/options.h"

/* Guest memory a driver acts on: one per memslot, 4K pages. */
struct aging_target {
	void *hva;
	uint64_t npages;
};

enum aging_verdict_kind {
	AGING_YOUNG_OLD,	/* verdict is the kernel's young/old opinion */
	AGING_EVICTED_KEPT,	/* verdict is what reclaim did: old = evicted */
};

struct aging_env {
	struct aging_target *targets;
	int ntargets;
	uint64_t total_pages;
	const void *cfg;		/* the driver's options (desc->options), parsed */
	bool debug;			/* --debug: say what the kernel shows */
	/* host knobs to restore; the caller restores on exit and signals */
	struct knob_saver *knobs;
	void *priv;			/* the driver's state */
	/* kernel-side figures a driver can report per pass (NAN when unknown) */
	double pass_pages_scanned;
	/* part of the pass spent waiting, not working (DAMON's next aggregation): not its cost */
	uint64_t pass_wait_ns;
	/* what the kernel showed during the pass (e.g. MGLRU generations), kept in the record */
	const char *pass_note;
};

struct aging_driver_ops {
	/*
	 * Checks the kernel has what it needs: -EOPNOTSUPP with the reason and
	 * the knob is a skip.
	 */
	int (*setup)(struct aging_env *env, char *err, size_t errlen);
	int (*start)(struct aging_env *env, char *err, size_t errlen);
	int (*pass)(struct aging_env *env, unsigned int epoch, char *err, size_t errlen);
	/* Sets in @old the pages of target @t the kernel judged old (or evicted). */
	int (*verdict)(struct aging_env *env, int t, unsigned long *old, char *err, size_t errlen);
	void (*teardown)(struct aging_env *env);
};

struct aging_driver_desc {
	const char *name;
	const char *help;
	enum aging_verdict_kind kind;
	/*
	 * Prober items (kernel/probe.h) the driver cannot run without,
	 * NULL-terminated: setup starts with probe_require() on them, and
	 * `mmubench list` prints them as its needs.
	 */
	const char *const *requires;
	/*
	 * Its options (fio's engine .options): a table and its config's size;
	 * drivers may share one (the eviction drivers'). NULL: none. Every
	 * table is registered whatever --driver says, so a record's params
	 * always hold every driver option.
	 */
	const struct opt_table *options;
	const struct aging_driver_ops *ops;
};

extern const struct aging_driver_desc *const aging_drivers[];
/* The i-th driver's name, NULL past the end (--driver's choices_fn). */
const char *aging_driver_name(size_t i);
/* The i-th distinct option table of the drivers, NULL past the end (the scenario's plug-ins). */
const struct opt_table *aging_driver_options(size_t i);

#endif
