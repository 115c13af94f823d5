/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A memory cgroup holding this process (the VMM) for the lifetime of a run,
 * so that reclaim and MGLRU act on the guest's memory and nothing else:
 * /sys/fs/cgroup/mmubench-<pid> on cgroup v2 (when "memory" is among the
 * root's cgroup.controllers; under the root because the cgroup we are in has
 * processes and so cannot give children a controller), else on v1
 * <v1 memory mount><our memory cgroup>/mmubench-<pid>: a child of the cgroup
 * we are in, inside the limits and accounting the host put us under.
 *
 * Enter before guest memory is first touched: memory is charged to the
 * cgroup of the task that faults it in, and moving a process does not move
 * what it already has charged (v2 never moves charges; v1's
 * memory.move_charge_at_immigrate is deprecated and not used).
 *
 * Host changes and their undoing: the cgroup directory (removed by
 * memcg_leave()); on v2, "+memory" in the root's cgroup.subtree_control when
 * it was not there (saved in the caller's knob_saver, whose restore writes
 * "-memory"). Leaving does not need to drain the cgroup: rmdir of a cgroup
 * without tasks succeeds on both versions while pages are still charged (the
 * memcg goes offline and its pages are reparented or freed later).
 */
#ifndef MMUBENCH_MEMCG_H
#define MMUBENCH_MEMCG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/mm/sysfs.h"

#define MEMCG_NAME_PREFIX "mmubench-"	/* checked by the project's before-stop hook */

enum memcg_version {
	MEMCG_NONE,
	MEMCG_V1,
	MEMCG_V2,
};

struct memcg {
	enum memcg_version version;
	bool entered;			/* we are in it: memcg_leave() has work to do */
	bool created;			/* the directory exists */
	bool no_reclaim_swappiness;	/* v2 memory.reclaim takes no "swappiness=" (before 6.13) */
	int last_swappiness;		/* v1: what memory.swappiness was set to, -1 untouched */
	char pid[24];
	char dir[PATH_MAX];		/* our cgroup's directory */
	char procs[PATH_MAX];		/* its cgroup.procs */
	char orig_procs[PATH_MAX];	/* cgroup.procs of the cgroup we came from */
	char root_procs[PATH_MAX];	/* the hierarchy root's, when the first move back fails */
	/* our path as lru_gen (cgroup_path) shows it: "/mmubench-<pid>" */
	char lru_path[PATH_MAX];
};

#define MEMCG_HINT \
	"CONFIG_MEMCG=y, then mount -t cgroup2 none /sys/fs/cgroup (or the v1 memory controller)"
#define MEMCG_V1_HINT \
	"memory is a v1 controller here (memory.limit_in_bytes; no memory.reclaim): boot with " \
	"cgroup_no_v1=memory or systemd.unified_cgroup_hierarchy=1 for v2"

/*
 * Creates the memcg and moves the whole process (cgroup.procs) into it.
 * -EOPNOTSUPP (a skip) when there is no memory controller, with the reason
 * and what to enable. @knobs records a host knob changed on the way (v2:
 * the root's subtree_control); the caller restores it after memcg_leave().
 */
int memcg_enter(struct memcg *m, struct knob_saver *knobs, char *err, size_t errlen);

/*
 * Moves the process back to the cgroup it came from and removes the memcg
 * (rmdir retried for up to a second). Safe to call twice, and
 * async-signal-safe (open/write/close/rmdir/nanosleep on precomputed paths),
 * so a signal handler may call it. Failures are reported on stderr with
 * write(2).
 */
void memcg_leave(struct memcg *m);

/*
 * Proactive reclaim of @bytes from the memcg, with @swappiness 0..200 or -1
 * for the kernel's default.
 * v2: writes "N [swappiness=S]" to memory.reclaim (swappiness= needs Linux
 * 6.13; older kernels get plain "N", the global vm.swappiness applies).
 * -EAGAIN: the kernel reclaimed less than asked.
 * v1 (no memory.reclaim): sets memory.swappiness, lowers
 * memory.limit_in_bytes to usage - @bytes (the write reclaims synchronously
 * and fails with EBUSY, reported as -EAGAIN, when it cannot get there), then
 * sets the limit back to unlimited at once. While the limit is low, a vCPU
 * fault that cannot be satisfied by reclaim meets the memcg OOM killer: on
 * the development machine lowering the v1 limit below a running guest's
 * working set OOM-killed the VMM (KVM-faulted anonymous pages start on the
 * active list), lowering it on an idle guest worked. memcg_enter() therefore
 * sets v1 memory.oom_control to 1 (no OOM kill in our memcg): such a fault
 * then fails the vCPU with an error instead of killing the process, which
 * can still clean up.
 */
int memcg_reclaim(struct memcg *m, uint64_t bytes, int swappiness, char *err, size_t errlen);

/* Bytes charged (v2 memory.current, v1 memory.usage_in_bytes). */
int memcg_usage(const struct memcg *m, uint64_t *bytes, char *err, size_t errlen);

/*
 * A counter of memory.stat ("pgscan", "pgsteal", "anon"...): -ENOENT when
 * absent (v1 has no pgscan).
 */
int memcg_stat(const struct memcg *m, const char *key, uint64_t *val);

/* Our path as /sys/kernel/debug/lru_gen shows it ("/mmubench-<pid>"). */
static inline const char *memcg_lru_gen_path(const struct memcg *m)
{
	return m->lru_path;
}

/*
 * The prober's "mm.memcg": fills @o with {"v1_memory": mount, "v2": mount,
 * "v2_controllers", "v2_memory", "hint"?}; memcg is there when v1_memory or
 * v2_memory is (the hint also says when memory is only a v1 controller).
 */
struct json_object;
int memcg_probe(struct json_object *o);

#endif
