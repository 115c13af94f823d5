/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every eviction driver (mglru, memcg, pageout) needs: swap, so that
 * anonymous guest memory can be evicted at all, and the verdict: the guest
 * pages absent from pagemap right after the pass, read before the guest
 * faults back in what it still uses.
 */
#ifndef MMUBENCH_EVICTION_H
#define MMUBENCH_EVICTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/aging/driver.h"
#include "kernel/mm/swap.h"

/* The options the eviction drivers share (one --help group, one set of params). */
struct eviction_params {
	uint64_t reclaim_pct;		/* share of guest memory to reclaim per pass */
	uint64_t swappiness;		/* mglru eviction, memcg reclaim */
	const char *swap_dir;		/* where a temporary swapfile may be created */
};

extern const struct opt_table eviction_options;

/* The parsed eviction options of a driver whose .options is &eviction_options. */
static inline const struct eviction_params *eviction_params(const struct aging_env *env)
{
	return env->cfg;
}

struct eviction {
	struct swap swap;
	bool swap_on;
	int ntargets;
	unsigned long **evicted;	/* per target, from the last pass */
	uint64_t *entries;		/* pagemap scratch, largest target */
};

/* Allocates the bitmaps and makes sure swap is active (a temporary swapfile if none). */
int eviction_setup(struct eviction *ev, const struct aging_env *env, char *err, size_t errlen);
/* Clears target @t's verdict. */
void eviction_clear(struct eviction *ev, const struct aging_env *env, int t);
/* Marks the absent pages among pages [first, end) of target @t (other bits stay). */
int eviction_mark(struct eviction *ev, const struct aging_env *env, int t, uint64_t first,
		  uint64_t end, char *err, size_t errlen);
/* Clears and reads every target whole. */
int eviction_read_all(struct eviction *ev, const struct aging_env *env, char *err, size_t errlen);
/* The driver's verdict() for target @t. */
void eviction_verdict(const struct eviction *ev, const struct aging_env *env, int t,
		      unsigned long *old);
/*
 * The verdict op every eviction driver shares: what it saw evicted. The
 * driver's state (env->priv) must begin with its struct eviction
 * (EVICTION_STATE_FIRST checks that where the state is declared).
 */
int eviction_ops_verdict(struct aging_env *env, int t, unsigned long *old, char *err,
			 size_t errlen);
#define EVICTION_STATE_FIRST(type, member) \
	_Static_assert(offsetof(type, member) == 0, #type " must begin with its struct eviction")
/* Turns our swapfile off (bringing every page back in) and frees; safe after a failed setup. */
void eviction_teardown(struct eviction *ev);

#endif
