/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The run environment for a result record (DESIGN.md "Results"): kernel,
 * KVM flavour and module parameters, mm settings, CPU, topology, and which
 * mmubench measured it. Read only.
 */
#ifndef MMUBENCH_ENVINFO_H
#define MMUBENCH_ENVINFO_H

#include <json-c/json.h>

struct topo;

/*
 * {"kernel_release", "hostname",
 *  "kernel": {"release", "version", "machine", "cmdline"},
 *  "kvm": {"flavour", "module", "tdp", "mmu", "params": {module: {param: value}}},
 *  "mm": {"thp_enabled", "thp_defrag", "thp_shmem_enabled", "ksm_run",
 *         "numa_balancing", "lru_gen"},
 *  "cpu": {"model", "constant_tsc", "nonstop_tsc"},
 *  "topology": topo_describe(t), or null when t is NULL,
 *  "mmubench": {"version", "git_revision", "linux_uapi"}}
 * Settings the kernel lacks are the string "absent". NULL only when out of
 * memory.
 */
struct json_object *envinfo_collect(struct topo *t);

#endif
