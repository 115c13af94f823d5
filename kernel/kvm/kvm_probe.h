/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What KVM offers mmubench, read only: the flavour (from the loaded
 * modules), whether /dev/kvm is usable, TDP or shadow paging, nested
 * virtualization, KVM_CHECK_EXTENSION answers of a default VM (one VM is
 * created and destroyed for that), the module parameters, and CPU flags.
 * The prober's "kvm" item (kernel/probe.c) and skip reasons use it.
 */
#ifndef MMUBENCH_KVM_PROBE_H
#define MMUBENCH_KVM_PROBE_H

#include <stdbool.h>
#include <stddef.h>

struct json_object;

enum kvm_flavour {
	KVM_FLAVOUR_NONE,
	KVM_FLAVOUR_VMX,
	KVM_FLAVOUR_SVM,
	KVM_FLAVOUR_PVM,
};

/* From the loaded modules: kvm_pvm, kvm_intel, kvm_amd (in that order). */
enum kvm_flavour kvm_probe_flavour(void);
/* "pvm", "vmx", "svm", "none" */
const char *kvm_probe_flavour_name(enum kvm_flavour f);
/* "kvm_pvm", "kvm_intel", "kvm_amd"; NULL for KVM_FLAVOUR_NONE */
const char *kvm_probe_flavour_module(enum kvm_flavour f);

/*
 * 0 when /dev/kvm opens read-write and KVM_GET_API_VERSION is 12; else
 * -errno and in why the cause and what to do about it.
 */
int kvm_probe_usable(char *why, size_t len);

/*
 * Whether KVM uses two-dimensional paging (EPT/NPT) for its guests; false
 * for shadow paging (always on PVM, or with ept=N / npt=N).
 */
bool kvm_probe_tdp_enabled(void);

/* Whether the first "flags" line of /proc/cpuinfo has this flag. */
bool kvm_probe_cpu_has_flag(const char *flag);

/*
 * The probes fill the empty object @o and return 0 (-ENOMEM is the only
 * failure):
 *   kvm_probe(): {"usable", "reason", "hint"?, "api_version", "flavour",
 *     "module", "tdp", "nested", "vm", "capabilities", "params"}
 *   kvm_probe_tdp(): {"enabled", "mmu": "tdp_mmu"|"legacy_tdp"|"shadow",
 *     "tdp_mmu": kvm.tdp_mmu value, "hint"}
 *   kvm_probe_params(): {"kvm": {param: value}, "<flavour module>": {...}},
 *     every file under /sys/module/<m>/parameters
 */
int kvm_probe(struct json_object *o);
int kvm_probe_tdp(struct json_object *o, enum kvm_flavour f);
int kvm_probe_params(struct json_object *o, enum kvm_flavour f);

#endif
