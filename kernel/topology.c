// SPDX-License-Identifier: GPL-2.0
/* Host topology (hwloc) and memory placement (libnuma). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <hwloc.h>
#include <numa.h>
#include <numaif.h>

#include "kernel/topology.h"
#include "src/lib/util.h"

#define TOPO_BATCH	4096	/* pages per move_pages(2) call */

struct topo {
	hwloc_topology_t hw;
	hwloc_bitmap_t allowed;	/* the process's CPUs when the topology was opened */
};

int topo_open(struct topo **out, char *err, size_t len)
{
	struct topo *t;
	int ret;

	t = calloc(1, sizeof(*t));
	if (!t)
		return errf(err, len, -ENOMEM, "topology: out of memory");
	if (hwloc_topology_init(&t->hw) < 0) {
		ret = -errno;
		errf(err, len, 0, "hwloc_topology_init: %s", strerror(errno));
		free(t);
		return ret;
	}
	if (hwloc_topology_load(t->hw) < 0) {
		ret = -errno;
		errf(err, len, 0, "hwloc_topology_load: %s", strerror(errno));
		hwloc_topology_destroy(t->hw);
		free(t);
		return ret;
	}
	/*
	 * Snapshot the process's binding now, so that threads pinning
	 * themselves later (topo_pin_current_thread()) do not shrink it.
	 */
	t->allowed = hwloc_bitmap_alloc();
	if (!t->allowed) {
		errf(err, len, 0, "topology: out of memory");
		topo_close(t);
		return -ENOMEM;
	}
	if (hwloc_get_cpubind(t->hw, t->allowed, HWLOC_CPUBIND_PROCESS) < 0 ||
	    hwloc_bitmap_iszero(t->allowed))
		hwloc_bitmap_copy(t->allowed, hwloc_topology_get_allowed_cpuset(t->hw));
	else
		hwloc_bitmap_and(t->allowed, t->allowed, hwloc_topology_get_allowed_cpuset(t->hw));
	*out = t;
	return 0;
}

void topo_close(struct topo *t)
{
	if (!t)
		return;
	hwloc_bitmap_free(t->allowed);
	hwloc_topology_destroy(t->hw);
	free(t);
}

/* A copy of the process's CPUs as of topo_open(); NULL when out of memory. */
static hwloc_bitmap_t topo_allowed_set(struct topo *t)
{
	return hwloc_bitmap_dup(t->allowed);
}

static int topo_set_to_array(hwloc_const_bitmap_t set, int *cpus, int max)
{
	int i, n = 0;

	hwloc_bitmap_foreach_begin(i, set) {
		if (n >= max)
			break;
		cpus[n++] = i;
	} hwloc_bitmap_foreach_end();
	return n;
}

int topo_allowed_cpus(struct topo *t, int *cpus, int max)
{
	hwloc_bitmap_t set = topo_allowed_set(t);
	int n;

	if (!set)
		return -ENOMEM;
	n = topo_set_to_array(set, cpus, max);
	hwloc_bitmap_free(set);
	return n;
}

int topo_parse_cpulist(const char *list, int *cpus, int max, char *err, size_t len)
{
	hwloc_bitmap_t set;
	const char *p;
	int n;

	if (!list || !*list)
		return errf(err, len, -EINVAL, "empty cpu list: expected e.g. \"0-3,8\"");
	/* hwloc is lenient: accept only digits, ',' and '-' (ranges). */
	for (p = list; *p; p++) {
		if ((*p < '0' || *p > '9') && *p != ',' && *p != '-')
			return errf(err, len, -EINVAL,
				    "bad cpu list '%s': unexpected '%c', expected e.g. \"0-3,8\"",
				    list, *p);
	}
	set = hwloc_bitmap_alloc();
	if (!set)
		return errf(err, len, -ENOMEM, "cpu list '%s': out of memory", list);
	if (hwloc_bitmap_list_sscanf(set, list) < 0) {
		errf(err, len, 0, "bad cpu list '%s': expected e.g. \"0-3,8\"", list);
		hwloc_bitmap_free(set);
		return -EINVAL;
	}
	n = hwloc_bitmap_weight(set);
	if (n <= 0) {
		errf(err, len, 0, "bad cpu list '%s': %s", list,
			 n < 0 ? "open-ended range" : "no CPU in it");
		hwloc_bitmap_free(set);
		return -EINVAL;
	}
	if (n > max) {
		errf(err, len, 0, "cpu list '%s' has %d CPUs, more than the %d allowed",
			 list, n, max);
		hwloc_bitmap_free(set);
		return -EINVAL;
	}
	n = topo_set_to_array(set, cpus, max);
	hwloc_bitmap_free(set);
	return n;
}

int topo_pin_current_thread(struct topo *t, int cpu, char *err, size_t len)
{
	hwloc_bitmap_t allowed, set;
	char list[256];
	int ret = 0;

	allowed = topo_allowed_set(t);
	set = hwloc_bitmap_alloc();
	if (!allowed || !set) {
		errf(err, len, 0, "pinning to CPU %d: out of memory", cpu);
		ret = -ENOMEM;
		goto out;
	}
	if (cpu < 0 || !hwloc_bitmap_isset(allowed, cpu)) {
		hwloc_bitmap_list_snprintf(list, sizeof(list), allowed);
		errf(err, len, 0,
		     "cannot pin to CPU %d: not allowed for this process (allowed: %s)", cpu, list);
		ret = -EINVAL;
		goto out;
	}
	hwloc_bitmap_only(set, cpu);
	if (hwloc_set_cpubind(t->hw, set, HWLOC_CPUBIND_THREAD) < 0) {
		ret = -errno;
		errf(err, len, 0, "cannot pin thread to CPU %d: %s", cpu, strerror(errno));
	}
out:
	hwloc_bitmap_free(allowed);
	hwloc_bitmap_free(set);
	return ret;
}

int topo_current_thread_cpus(struct topo *t, char *buf, size_t len)
{
	hwloc_bitmap_t set = hwloc_bitmap_alloc();
	int ret;

	if (!set)
		return -ENOMEM;
	if (hwloc_get_cpubind(t->hw, set, HWLOC_CPUBIND_THREAD) < 0) {
		ret = -errno;
	} else {
		ret = hwloc_bitmap_list_snprintf(buf, len, set);
		if (ret < 0)
			ret = -EINVAL;
		else if ((size_t)ret >= len)
			ret = -EOVERFLOW;
	}
	hwloc_bitmap_free(set);
	return ret;
}

int topo_numa_nodes(struct topo *t)
{
	int n = hwloc_get_nbobjs_by_type(t->hw, HWLOC_OBJ_NUMANODE);

	return n > 0 ? n : 1;
}

int topo_node_of_cpu(struct topo *t, int cpu)
{
	hwloc_obj_t node = NULL;

	if (cpu < 0 || !hwloc_get_pu_obj_by_os_index(t->hw, cpu))
		return -ENOENT;
	while ((node = hwloc_get_next_obj_by_type(t->hw, HWLOC_OBJ_NUMANODE, node)))
		if (node->cpuset && hwloc_bitmap_isset(node->cpuset, cpu))
			return node->os_index;
	return 0;
}

static bool topo_node_has_memory(int node)
{
	long long size;

	if (node < 0 || node > numa_max_node())
		return false;
	if (!numa_bitmask_isbitset(numa_all_nodes_ptr, node))
		return false;
	size = numa_node_size64(node, NULL);
	return size > 0;
}

/* "0, 1" : the nodes this process may allocate memory on. */
static void topo_memory_node_list(char *buf, size_t len)
{
	size_t off = 0;
	int node;

	buf[0] = '\0';
	for (node = 0; node <= numa_max_node() && off < len; node++) {
		if (!topo_node_has_memory(node))
			continue;
		off += snprintf(buf + off, len - off, "%s%d", off ? ", " : "", node);
	}
	if (!buf[0])
		snprintf(buf, len, "none");
}

static int topo_mbind(void *addr, size_t size, int mode, struct bitmask *mask,
		      const char *what, char *err, size_t len)
{
	int e;

	if (mbind(addr, size, mode, mask->maskp, mask->size + 1, 0) == 0)
		return 0;
	e = errno;
	errf(err, len, 0, "mbind(%s) of %zu bytes at %p to %s: %s",
		 mode == MPOL_BIND ? "MPOL_BIND" : "MPOL_INTERLEAVE", size, addr,
		 what, strerror(e));
	return -e;
}

int topo_bind_memory(void *addr, size_t size, int node, char *err, size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	struct bitmask *mask;
	char what[256];
	int ret;

	if (node == TOPO_NODE_ANY)
		return 0;
	if ((uintptr_t)addr % page)
		return errf(err, len, -EINVAL, "binding memory at %p: address not page aligned",
			    addr);
	if (numa_available() < 0) {
		/* No kernel NUMA support: one node, nothing to bind. */
		if (node == 0 || node == TOPO_INTERLEAVE)
			return 0;
		return errf(err, len, -EINVAL,
			    "cannot bind memory to node %d: the kernel has no NUMA support "
			    "(CONFIG_NUMA), only node 0 exists",
			    node);
	}
	if (node == TOPO_INTERLEAVE) {
		topo_memory_node_list(what + 6, sizeof(what) - 6);
		memcpy(what, "nodes ", 6);
		return topo_mbind(addr, size, MPOL_INTERLEAVE, numa_all_nodes_ptr,
				  what, err, len);
	}
	if (node < 0 || !topo_node_has_memory(node)) {
		topo_memory_node_list(what, sizeof(what));
		return errf(err, len, -EINVAL,
			    "cannot bind memory to node %d: no such node with memory (nodes with "
			    "memory: %s)",
			    node, what);
	}
	mask = numa_allocate_nodemask();
	if (!mask)
		return errf(err, len, -ENOMEM, "binding memory to node %d: out of memory", node);
	numa_bitmask_setbit(mask, node);
	snprintf(what, sizeof(what), "node %d", node);
	ret = topo_mbind(addr, size, MPOL_BIND, mask, what, err, len);
	numa_free_nodemask(mask);
	return ret;
}

/* Fallback without move_pages(2): resident pages (mincore) count as node 0. */
static int topo_memory_nodes_mincore(char *base, size_t npages, size_t page_size,
				     uint64_t *pages_per_node, int max_nodes)
{
	unsigned char vec;
	size_t i;

	for (i = 0; i < npages; i++) {
		if (mincore(base + i * page_size, 1, &vec) < 0)
			return -errno;
		if (vec & 1) {
			if (max_nodes < 1)
				return -ERANGE;
			pages_per_node[0]++;
		} else {
			pages_per_node[max_nodes]++;
		}
	}
	return 0;
}

int topo_memory_nodes(void *addr, size_t size, size_t page_size,
		      uint64_t *pages_per_node, int max_nodes)
{
	size_t npages, done, i, n;
	char *base = addr;
	void **pages;
	int *status;
	int ret = 0;

	if (!page_size || max_nodes < 0)
		return -EINVAL;
	memset(pages_per_node, 0, (max_nodes + 1) * sizeof(*pages_per_node));
	npages = size / page_size;
	if (!npages)
		return 0;
	pages = malloc(TOPO_BATCH * sizeof(*pages));
	status = malloc(TOPO_BATCH * sizeof(*status));
	if (!pages || !status) {
		ret = -ENOMEM;
		goto out;
	}
	for (done = 0; done < npages; done += n) {
		n = npages - done < TOPO_BATCH ? npages - done : TOPO_BATCH;
		for (i = 0; i < n; i++)
			pages[i] = base + (done + i) * page_size;
		if (numa_move_pages(0, n, pages, NULL, status, 0) < 0) {
			ret = -errno;
			if (ret == -ENOSYS && !done)
				ret = topo_memory_nodes_mincore(base, npages, page_size,
								pages_per_node, max_nodes);
			goto out;
		}
		for (i = 0; i < n; i++) {
			if (status[i] == -ENOENT || status[i] == -EFAULT) {
				pages_per_node[max_nodes]++;
			} else if (status[i] < 0) {
				ret = status[i];
				goto out;
			} else if (status[i] >= max_nodes) {
				ret = -ERANGE;
				goto out;
			} else {
				pages_per_node[status[i]]++;
			}
		}
	}
out:
	free(pages);
	free(status);
	return ret;
}

int topo_cpu_model(char *buf, size_t len)
{
	char line[512], *p;
	int ret = -ENOENT;
	FILE *f;

	f = fopen("/proc/cpuinfo", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "model name", 10))
			continue;
		p = strchr(line, ':');
		if (!p)
			continue;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		p[strcspn(p, "\n")] = '\0';
		ret = snprintf(buf, len, "%s", p);
		break;
	}
	fclose(f);
	return ret;
}

static struct json_object *topo_json_cpulist(hwloc_const_bitmap_t set)
{
	char buf[1024];

	if (!set || hwloc_bitmap_list_snprintf(buf, sizeof(buf), set) < 0)
		return json_object_new_string("");
	return json_object_new_string(buf);
}

struct json_object *topo_describe(struct topo *t)
{
	struct json_object *o, *nodes, *n;
	hwloc_bitmap_t allowed;
	hwloc_obj_t node = NULL;
	char model[256];

	o = json_object_new_object();
	if (!o)
		return NULL;
	if (topo_cpu_model(model, sizeof(model)) < 0)
		snprintf(model, sizeof(model), "unknown");
	json_object_object_add(o, "cpu_model", json_object_new_string(model));
	json_object_object_add(o, "packages",
			       json_object_new_int(hwloc_get_nbobjs_by_type(t->hw,
									    HWLOC_OBJ_PACKAGE)));
	json_object_object_add(o, "cores",
			       json_object_new_int(hwloc_get_nbobjs_by_type(t->hw,
									    HWLOC_OBJ_CORE)));
	json_object_object_add(o, "pus",
			       json_object_new_int(hwloc_get_nbobjs_by_type(t->hw, HWLOC_OBJ_PU)));
	json_object_object_add(o, "cpus",
			       topo_json_cpulist(hwloc_topology_get_topology_cpuset(t->hw)));
	allowed = topo_allowed_set(t);
	json_object_object_add(o, "allowed_cpus", topo_json_cpulist(allowed));
	hwloc_bitmap_free(allowed);

	nodes = json_object_new_array();
	while ((node = hwloc_get_next_obj_by_type(t->hw, HWLOC_OBJ_NUMANODE, node))) {
		n = json_object_new_object();
		json_object_object_add(n, "os_index", json_object_new_int(node->os_index));
		json_object_object_add(n, "cpus", topo_json_cpulist(node->cpuset));
		json_object_object_add(n, "memory_bytes",
				       json_object_new_uint64(node->attr->numanode.local_memory));
		json_object_array_add(nodes, n);
	}
	json_object_object_add(o, "nodes", nodes);
	return o;
}
