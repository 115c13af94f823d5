/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Capability probing: what the kernel under test offers to mmubench (KVM
 * flavour and capabilities, MGLRU, idle page tracking, DAMON, memcg, swap,
 * THP, hugetlb, KSM, userfaultfd, tracepoints, topology). Used by
 * `mmubench probe` and by scenarios to skip with a reason. Everything here
 * only reads: no knob is changed, nothing is mounted. (To learn the
 * capabilities of a VM it creates one VM and destroys it again.)
 *
 * Every item that is missing carries a "hint" saying what would enable it.
 */
#ifndef MMUBENCH_PROBE_H
#define MMUBENCH_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <json-c/json.h>

enum kvm_flavour {
	KVM_FLAVOUR_NONE,
	KVM_FLAVOUR_VMX,
	KVM_FLAVOUR_SVM,
	KVM_FLAVOUR_PVM,
};

/* From the loaded modules: kvm_pvm, kvm_intel, kvm_amd (in that order). */
enum kvm_flavour probe_kvm_flavour(void);
/* "pvm", "vmx", "svm", "none" */
const char *probe_kvm_flavour_name(enum kvm_flavour f);
/* "kvm_pvm", "kvm_intel", "kvm_amd"; NULL for KVM_FLAVOUR_NONE */
const char *probe_kvm_flavour_module(enum kvm_flavour f);

/*
 * 0 when /dev/kvm opens read-write and KVM_GET_API_VERSION is 12; else
 * -errno and in why the cause and what to do about it.
 */
int probe_kvm_usable(char *why, size_t len);

/*
 * Whether KVM uses two-dimensional paging (EPT/NPT) for its guests; false
 * for shadow paging (always on PVM, or with ept=N / npt=N).
 */
bool probe_tdp_enabled(void);

/* Whether the first "flags" line of /proc/cpuinfo has this flag. */
bool probe_cpu_has_flag(const char *flag);

/*
 * Pieces of probe_collect(), shared with envinfo.c. Each returns a new
 * JSON object (NULL only when out of memory):
 *   probe_kernel(): {"release", "version", "cmdline", "hostname"}
 *   probe_kvm_params(): {"kvm": {param: value}, "<flavour module>": {...}},
 *     every file under /sys/module/<m>/parameters
 *   probe_kvm_tdp(): {"enabled", "mmu": "tdp_mmu"|"legacy_tdp"|"shadow",
 *     "tdp_mmu": kvm.tdp_mmu value, "hint"}
 *   probe_mm_thp(): {"present", "enabled", "defrag", "shmem_enabled"}
 *   probe_mm_ksm(): {"present", "run"}
 *   probe_mm_mglru(): {"present", "enabled": "0x0007"}
 *   probe_mm_numa_balancing(): {"present", "value"}
 */
struct json_object *probe_kernel(void);
struct json_object *probe_kvm_params(enum kvm_flavour f);
struct json_object *probe_kvm_tdp(enum kvm_flavour f);
struct json_object *probe_mm_thp(void);
struct json_object *probe_mm_ksm(void);
struct json_object *probe_mm_mglru(void);
struct json_object *probe_mm_numa_balancing(void);

/*
 * Everything `mmubench probe` reports:
 * {"kernel", "kvm", "mm", "tracefs", "debugfs", "topology"}.
 */
struct json_object *probe_collect(void);

/* probe_collect()'s tree as a report, one line per item. */
void probe_print(FILE *out, struct json_object *probe);

#endif
