/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Capability probing: what the kernel under test offers to mmubench (KVM
 * flavour and capabilities, MGLRU, idle page tracking, DAMON, memcg, swap,
 * THP, hugetlb, KSM, userfaultfd, tracepoints, topology). Used by
 * `mmubench probe`, by the record's environment and by drivers to skip with
 * a reason. Everything here only reads: no knob is changed, nothing is
 * mounted. (To learn the capabilities of a VM, "kvm" creates one VM and
 * destroys it again.)
 *
 * Each subsystem probes itself next to its own code (lru_gen_probe(),
 * kvm_probe(), ...); this is the table that names the items and places
 * them in the report's tree. Every item that is missing carries a "hint"
 * saying what would enable it.
 */
#ifndef MMUBENCH_PROBE_H
#define MMUBENCH_PROBE_H

#include <stdbool.h>
#include <stddef.h>

struct json_object;

struct probe_item {
	/* its place in the tree: "mm.mglru" is {"mm": {"mglru": ...}} */
	const char *name;
	/* fills the item's empty object; 0 or -ENOMEM */
	int (*fn)(struct json_object *o);
	/* whether it is there; NULL: when its object has no "hint" */
	bool (*ok)(struct json_object *o);
	/* what is looked at, for skip messages; may be NULL */
	const char *about;
};

/* Every item, in report order; ends with a NULL name. */
extern const struct probe_item probe_items[];

/*
 * Everything `mmubench probe` reports:
 * {"kernel", "kvm", "mm", "tracefs", "debugfs", "topology"}.
 */
struct json_object *probe_collect(void);

/* Item @name alone, as a new object; NULL for an unknown name or out of memory. */
struct json_object *probe_one(const char *name);

/*
 * Checks the NULL-terminated @names (NULL: none). A name is an item, or a
 * path below one ("debugfs.lru_gen", "kvm.capabilities.DIRTY_LOG_RING"):
 * an object there is judged by its "hint", a value by its truth. Returns 0
 * when all are there, else -EOPNOTSUPP (a skip) with, for each missing one
 * in order, the hint `mmubench probe` prints for it; -EINVAL for a name that
 * is no item, -ENOMEM.
 */
int probe_require(const char *const *names, char *err, size_t errlen);

/* probe_require() on another table (tests). */
int probe_require_in(const struct probe_item *items, const char *const *names,
		     char *err, size_t errlen);

#endif
