/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host topology (hwloc) and memory placement (libnuma): which CPUs this
 * process may use, pinning vCPU threads, binding guest memory to NUMA nodes
 * before it is touched, and reading back where the pages actually are.
 * CPU numbers are OS indexes (as in /proc/cpuinfo and cpulists), node
 * numbers are OS node ids (as in /sys/devices/system/node/nodeN).
 */
#ifndef MMUBENCH_TOPOLOGY_H
#define MMUBENCH_TOPOLOGY_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

struct topo;

#define TOPO_NODE_ANY		(-1)	/* topo_bind_memory(): leave the policy alone */
/* topo_bind_memory(): interleave over all nodes with memory */
#define TOPO_INTERLEAVE		(-2)

/* Load the topology of this machine. err gets the reason on failure. */
int topo_open(struct topo **out, char *err, size_t len);
void topo_close(struct topo *t);

/*
 * The PUs this process may run on (its CPU binding, e.g. from taskset,
 * within the CPUs its cpuset cgroup allows) as of topo_open(), so threads
 * pinned since do not shrink it; in increasing order. Returns the number
 * stored (at most max) or -errno.
 */
int topo_allowed_cpus(struct topo *t, int *cpus, int max);

/*
 * Parse a cpulist such as "0-3,8" into cpus[] in increasing order. Returns
 * the count, or -EINVAL with a message naming the bad text (also for an
 * empty or open-ended list, or more than max CPUs).
 */
int topo_parse_cpulist(const char *list, int *cpus, int max, char *err, size_t len);

/* Bind the calling thread to PU cpu (OS index), one of topo_allowed_cpus(). */
int topo_pin_current_thread(struct topo *t, int cpu, char *err, size_t len);

/*
 * Read the calling thread's binding back as a cpulist ("3", "0-1").
 * Returns the string length or -errno.
 */
int topo_current_thread_cpus(struct topo *t, char *buf, size_t len);

/* Number of NUMA nodes (at least 1). */
int topo_numa_nodes(struct topo *t);

/* The NUMA node (OS id) of PU cpu, or -ENOENT when no such PU. */
int topo_node_of_cpu(struct topo *t, int cpu);

/*
 * Set the memory policy of [addr, addr + size) before it is touched:
 * node >= 0 binds it to that node (MPOL_BIND), TOPO_INTERLEAVE interleaves
 * it over all nodes with memory, TOPO_NODE_ANY does nothing. addr must be
 * page aligned. -EINVAL with a message listing the nodes with memory when
 * node does not exist or has no memory.
 */
int topo_bind_memory(void *addr, size_t size, int node, char *err, size_t len);

/*
 * Where the pages of [addr, addr + size) are now, one query per page_size
 * (4096, or the huge page size for hugetlb memory), with move_pages(2) in
 * batches of 4096 pages. pages_per_node must have max_nodes + 1 entries:
 * pages_per_node[n] for n < max_nodes counts the pages on node n, and
 * pages_per_node[max_nodes] the pages not present (never touched, swapped
 * out, or the shared zero page). Returns 0, -ERANGE when a page is on a
 * node >= max_nodes, or -errno.
 * Without kernel NUMA support, present pages (mincore) count as node 0.
 */
int topo_memory_nodes(void *addr, size_t size, size_t page_size,
		      uint64_t *pages_per_node, int max_nodes);

/*
 * The CPU model name (first "model name" of /proc/cpuinfo). Returns the
 * length or -errno (-ENOENT when there is no such line).
 */
int topo_cpu_model(char *buf, size_t len);

/*
 * The machine as JSON: {"cpu_model", "packages", "cores", "pus",
 * "allowed_cpus": cpulist, "nodes": [{"os_index", "cpus": cpulist,
 * "memory_bytes"}]}. NULL only when out of memory.
 */
struct json_object *topo_describe(struct topo *t);

#endif
