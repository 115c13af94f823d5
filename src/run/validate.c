// SPDX-License-Identifier: GPL-2.0
/*
 * Checks of a config that need the machine (CPUs, NUMA nodes, paths), and the
 * pin plan they share with the bring-up: run before any VM exists, so a bad
 * --cpus or --mem-node is a usage error and not a half-built VM.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "src/run/internal.h"
#include "src/lib/util.h"

int run_parse_mem_node(const char *text, int *node)
{
	uint64_t n;

	if (!strcmp(text, "any"))
		*node = TOPO_NODE_ANY;
	else if (!strcmp(text, "interleave"))
		*node = TOPO_INTERLEAVE;
	else if (!parse_u64(text, &n) && n < 4096)
		*node = (int)n;
	else
		return -EINVAL;
	return 0;
}

/* The PUs vCPUs get pinned to, or 0 when they are not pinned. */
int run_pin_plan(const struct run_config *cfg, struct topo *topo, int *cpus,
			char *err, size_t errlen)
{
	int n;

	if (cfg->cpus) {
		n = topo_parse_cpulist(cfg->cpus, cpus, GUEST_MAX_VCPUS * 4, err, errlen);
		if (n < 0)
			return n;
		if ((uint64_t)n < cfg->vcpus)
			return errf(err, errlen, -EINVAL,
				    "--cpus %s has %d CPUs for %" PRIu64 " vCPUs: give one CPU per "
				    "vCPU",
				    cfg->cpus, n, cfg->vcpus);
		for (int i = 0; i < n; i++) {
			int allowed[1024], na = topo_allowed_cpus(topo, allowed, 1024), ok = 0;

			for (int j = 0; j < na; j++)
				ok |= allowed[j] == cpus[i];
			if (!ok)
				return errf(err, errlen, -EINVAL,
					    "--cpus %s: CPU %d is not available to this process",
					    cfg->cpus, cpus[i]);
		}
		return n;
	}
	if (cfg->pin == RUN_PIN_NONE)
		return 0;
	n = topo_allowed_cpus(topo, cpus, GUEST_MAX_VCPUS * 4);
	return (uint64_t)n >= cfg->vcpus ? n : 0;
}

int runner_validate(const struct run_config *cfg, struct topo *topo, char *err, size_t errlen)
{
	int cpus[GUEST_MAX_VCPUS * 4], node, ret;
	uint64_t gpage = cfg->guest_page == RUN_GUEST_PAGE_2M ? 2 << 20 : 4096;

	ret = run_pin_plan(cfg, topo, cpus, err, errlen);
	if (ret < 0)
		return ret;
	if (run_parse_mem_node(cfg->mem_node, &node))
		return errf(err, errlen, -EINVAL,
			    "--mem-node '%s': expected a node number, interleave or any",
			    cfg->mem_node);
	if (node >= 0 && node >= topo_numa_nodes(topo))
		return errf(err, errlen, -EINVAL, "--mem-node %d: this machine has %d NUMA node(s)",
			    node, topo_numa_nodes(topo));
	if (cfg->mem_per_vcpu % gpage)
		return errf(err, errlen, -EINVAL,
			    "--mem-per-vcpu must be a multiple of the %s guest page",
			    gpage == 4096 ? "4K" : "2M");
	if (!strcmp(backing_kinds[cfg->backing]->name, "file"))
		return backing_check_path(cfg->backing_path, cfg->mem_per_vcpu, err, errlen);
	if (cfg->backing_path)
		return errf(err, errlen, -EINVAL,
			    "--backing-path is only used with --backing file");
	return 0;
}
