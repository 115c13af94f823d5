// SPDX-License-Identifier: GPL-2.0
/* KVM's facts for the prober and for skip reasons: see kvm_probe.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "kernel/kvm/kvm_probe.h"
#include "kernel/mm/sysfs.h"
#include "src/lib/jsonobj.h"
#include "src/lib/util.h"

/* Capabilities newer than the 6.12 uapi headers. */
#ifndef KVM_CAP_GUEST_MEMFD_FLAGS
#define KVM_CAP_GUEST_MEMFD_FLAGS 244	/* Linux 6.18 */
#endif

#define KVM_PROBE_API_VERSION	12
#define ARRAY_END(a)		((a) + ARRAY_SIZE(a))

/* A kernel bool/int module parameter that reads "Y", "y" or a non-zero number. */
static bool kvm_probe_param_true(const char *v)
{
	if (!v)
		return false;
	if (v[0] == 'Y' || v[0] == 'y')
		return true;
	return v[0] >= '1' && v[0] <= '9';
}

/* ------------------------------------------------------------------ */
/* KVM */

enum kvm_flavour kvm_probe_flavour(void)
{
	if (sysfs_exists("/sys/module/kvm_pvm"))
		return KVM_FLAVOUR_PVM;
	if (sysfs_exists("/sys/module/kvm_intel"))
		return KVM_FLAVOUR_VMX;
	if (sysfs_exists("/sys/module/kvm_amd"))
		return KVM_FLAVOUR_SVM;
	return KVM_FLAVOUR_NONE;
}

const char *kvm_probe_flavour_name(enum kvm_flavour f)
{
	switch (f) {
	case KVM_FLAVOUR_VMX:
		return "vmx";
	case KVM_FLAVOUR_SVM:
		return "svm";
	case KVM_FLAVOUR_PVM:
		return "pvm";
	default:
		return "none";
	}
}

const char *kvm_probe_flavour_module(enum kvm_flavour f)
{
	switch (f) {
	case KVM_FLAVOUR_VMX:
		return "kvm_intel";
	case KVM_FLAVOUR_SVM:
		return "kvm_amd";
	case KVM_FLAVOUR_PVM:
		return "kvm_pvm";
	default:
		return NULL;
	}
}

/* Read /sys/module/<module>/parameters/<param>; NULL when absent. */
static const char *kvm_probe_module_param(const char *module, const char *param,
				      char *buf, size_t len)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/module/%s/parameters/%s", module, param);
	return sysfs_read(path, buf, len) >= 0 ? buf : NULL;
}

/*
 * Open /dev/kvm and check the API version. Returns the fd or -errno with
 * the cause and what to do in why.
 */
static int kvm_probe_open(char *why, size_t len, int *api)
{
	int fd, e, v;

	*api = -1;
	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		switch (e) {
		case ENOENT:
			snprintf(why, len,
				 "no /dev/kvm: load kvm_intel or kvm_amd (modprobe kvm_intel / "
				 "modprobe kvm_amd), or build the kernel with CONFIG_KVM");
			break;
		case EACCES:
		case EPERM:
			snprintf(why, len,
				 "cannot open /dev/kvm: %s: run as root or as a user in group kvm",
				 strerror(e));
			break;
		case ENXIO:
		case ENODEV:
			snprintf(why, len,
				 "cannot open /dev/kvm: %s: no KVM module is loaded: load "
				 "kvm_intel or kvm_amd",
				 strerror(e));
			break;
		default:
			snprintf(why, len, "cannot open /dev/kvm: %s", strerror(e));
			break;
		}
		return -e;
	}
	v = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (v < 0) {
		e = errno;
		snprintf(why, len, "KVM_GET_API_VERSION on /dev/kvm: %s", strerror(e));
		close(fd);
		return -e;
	}
	*api = v;
	if (v != KVM_PROBE_API_VERSION) {
		snprintf(why, len,
			 "/dev/kvm has KVM API version %d, mmubench needs %d: use a "
			 "mainline-compatible KVM",
			 v, KVM_PROBE_API_VERSION);
		close(fd);
		return -EPROTO;
	}
	return fd;
}

int kvm_probe_usable(char *why, size_t len)
{
	int fd, api;

	fd = kvm_probe_open(why, len, &api);
	if (fd < 0)
		return fd;
	close(fd);
	if (len)
		why[0] = '\0';
	return 0;
}

bool kvm_probe_tdp_enabled(void)
{
	char buf[64];

	switch (kvm_probe_flavour()) {
	case KVM_FLAVOUR_VMX:
		return kvm_probe_param_true(kvm_probe_module_param("kvm_intel", "ept", buf,
								   sizeof(buf)));
	case KVM_FLAVOUR_SVM:
		return kvm_probe_param_true(kvm_probe_module_param("kvm_amd", "npt", buf,
								   sizeof(buf)));
	default:
		/* PVM is shadow paging by construction. */
		return false;
	}
}

int kvm_probe_tdp(struct json_object *o, enum kvm_flavour f)
{
	char tdp_mmu[64];
	const char *mmu_param;
	bool tdp = false;

	mmu_param = kvm_probe_module_param("kvm", "tdp_mmu", tdp_mmu, sizeof(tdp_mmu));
	if (f == KVM_FLAVOUR_VMX || f == KVM_FLAVOUR_SVM)
		tdp = kvm_probe_tdp_enabled();
	jsonobj_put_bool(o, "enabled", tdp);
	jsonobj_put_str(o, "mmu", !tdp ? "shadow" :
		      kvm_probe_param_true(mmu_param) ? "tdp_mmu" : "legacy_tdp");
	jsonobj_put_str(o, "tdp_mmu", mmu_param);
	switch (f) {
	case KVM_FLAVOUR_PVM:
		jsonobj_put_str(o, "hint",
				"PVM always uses shadow paging; TDP needs kvm_intel (ept=1) or "
				"kvm_amd (npt=1) on a CPU with VMX or SVM, e.g. the QEMU rig with "
				"-cpu EPYC,+svm,+npt");
		break;
	case KVM_FLAVOUR_VMX:
		if (!tdp)
			jsonobj_put_str(o, "hint",
					"modprobe -r kvm_intel && modprobe kvm_intel ept=1 (needs "
					"EPT in the CPU)");
		break;
	case KVM_FLAVOUR_SVM:
		if (!tdp)
			jsonobj_put_str(o, "hint",
					"modprobe -r kvm_amd && modprobe kvm_amd npt=1 (needs NPT "
					"in the CPU)");
		break;
	default:
		jsonobj_put_str(o, "hint", "no KVM module loaded: modprobe kvm_intel or kvm_amd");
		break;
	}
	return 0;
}

static int kvm_probe_name_filter(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* {param: value} for every file under /sys/module/<module>/parameters. */
static struct json_object *kvm_probe_module_params(const char *module)
{
	struct json_object *o = json_object_new_object();
	struct dirent **names;
	char dir[256], path[512], buf[SYSFS_VALUE_MAX];
	int i, n;

	if (!o)
		return NULL;
	snprintf(dir, sizeof(dir), "/sys/module/%s/parameters", module);
	n = scandir(dir, &names, kvm_probe_name_filter, alphasort);
	if (n < 0)
		return o;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		jsonobj_put_str(o, names[i]->d_name,
			      sysfs_read(path, buf, sizeof(buf)) >= 0 ? buf : NULL);
		free(names[i]);
	}
	free(names);
	return o;
}

int kvm_probe_params(struct json_object *o, enum kvm_flavour f)
{
	const char *m = kvm_probe_flavour_module(f);

	if (sysfs_exists("/sys/module/kvm"))
		json_object_object_add(o, "kvm", kvm_probe_module_params("kvm"));
	if (m)
		json_object_object_add(o, m, kvm_probe_module_params(m));
	return 0;
}

/* A new object filled by @fn, NULL when out of memory. */
static struct json_object *kvm_probe_new(int (*fn)(struct json_object *, enum kvm_flavour),
					 enum kvm_flavour f)
{
	struct json_object *o = json_object_new_object();

	if (o && fn(o, f)) {
		json_object_put(o);
		o = NULL;
	}
	return o;
}

struct kvm_probe_cap {
	const char *name;
	int cap;
	bool feature;		/* 0 means the feature is missing: hint */
	const char *meaning;	/* what a value other than 0/1 means */
	const char *hint;
};

static const struct kvm_probe_cap kvm_probe_cap_table[] = {
	{ "DIRTY_LOG_RING", KVM_CAP_DIRTY_LOG_RING, true, "max ring size, bytes",
	  "dirty ring: Linux 5.11+ (x86), CONFIG_HAVE_KVM_DIRTY_RING" },
	{ "DIRTY_LOG_RING_ACQ_REL", KVM_CAP_DIRTY_LOG_RING_ACQ_REL, true, "max ring size, bytes",
	  "acquire/release dirty ring: Linux 6.1+" },
	{ "DIRTY_LOG_RING_WITH_BITMAP", KVM_CAP_DIRTY_LOG_RING_WITH_BITMAP, false, NULL,
	  "ring + bitmap: arm64 only (Linux 6.3+); x86 does not need it" },
	{ "MANUAL_DIRTY_LOG_PROTECT2", KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2, true,
	  "flags: 1 manual protect, 2 initially set",
	  "KVM_CLEAR_DIRTY_LOG: Linux 5.6+" },
	{ "MEMORY_FAULT_INFO", KVM_CAP_MEMORY_FAULT_INFO, true, NULL,
	  "KVM_EXIT_MEMORY_FAULT: Linux 6.8+" },
	{ "USER_MEMORY2", KVM_CAP_USER_MEMORY2, true, NULL,
	  "KVM_SET_USER_MEMORY_REGION2: Linux 6.8+" },
	{ "GUEST_MEMFD", KVM_CAP_GUEST_MEMFD, true, NULL,
	  "guest_memfd: Linux 6.8+; before 6.18, x86 offers it only to VM types with private "
	  "memory (KVM_X86_SW_PROTECTED_VM with CONFIG_KVM_SW_PROTECTED_VM, SNP, TDX)" },
	{ "GUEST_MEMFD_FLAGS", KVM_CAP_GUEST_MEMFD_FLAGS, true,
	  "flags: 1 MMAP, 2 INIT_SHARED",
	  "mmap()able guest_memfd for ordinary VMs: Linux 6.18+" },
	{ "VM_TYPES", KVM_CAP_VM_TYPES, false, "bitmask of VM types", NULL },
	{ "PRE_FAULT_MEMORY", KVM_CAP_PRE_FAULT_MEMORY, true, NULL,
	  "KVM_PRE_FAULT_MEMORY: Linux 6.11+ with TDP (not for shadow paging)" },
	{ "READONLY_MEM", KVM_CAP_READONLY_MEM, true, NULL,
	  "read-only memslots (KVM_MEM_READONLY)" },
	{ "SYNC_MMU", KVM_CAP_SYNC_MMU, true, NULL,
	  "MMU notifiers: without them host mm changes do not reach the guest's mappings" },
	{ "BINARY_STATS_FD", KVM_CAP_BINARY_STATS_FD, true, NULL,
	  "KVM_GET_STATS_FD: Linux 5.14+; debugfs /sys/kernel/debug/kvm has the same counters" },
	{ "NR_VCPUS", KVM_CAP_NR_VCPUS, false, "recommended max vCPUs per VM", NULL },
	{ "MAX_VCPUS", KVM_CAP_MAX_VCPUS, false, "max vCPUs per VM", NULL },
	{ "MAX_VCPU_ID", KVM_CAP_MAX_VCPU_ID, false, "max vCPU id + 1", NULL },
	{ "NR_MEMSLOTS", KVM_CAP_NR_MEMSLOTS, false, "memslots per address space", NULL },
	{ "MULTI_ADDRESS_SPACE", KVM_CAP_MULTI_ADDRESS_SPACE, false, "address spaces (2 with SMM)",
	  NULL },
	{ "TSC_CONTROL", KVM_CAP_TSC_CONTROL, true, NULL,
	  "KVM_SET_TSC_KHZ: needs hardware TSC scaling" },
	{ "VM_TSC_CONTROL", KVM_CAP_VM_TSC_CONTROL, true, NULL,
	  "per-VM KVM_SET_TSC_KHZ: Linux 6.0+, needs hardware TSC scaling" },
	{ "GET_TSC_KHZ", KVM_CAP_GET_TSC_KHZ, true, NULL,
	  "KVM_GET_TSC_KHZ: without it guest TSC timings cannot be calibrated" },
	{ "X86_DISABLE_EXITS", KVM_CAP_X86_DISABLE_EXITS, false,
	  "exits that can be disabled: 1 MWAIT, 2 HLT, 4 PAUSE, 8 CSTATE", NULL },
	{ "VM_DISABLE_NX_HUGE_PAGES", KVM_CAP_VM_DISABLE_NX_HUGE_PAGES, true, NULL,
	  "Linux 6.0+; otherwise boot with kvm.nx_huge_pages=off to keep 2M mappings of executable "
	  "pages" },
	{ "NESTED_STATE", KVM_CAP_NESTED_STATE, true, "max nested state size, bytes",
	  "nested virtualization: kvm_intel or kvm_amd with nested=1" },
	{ "IMMEDIATE_EXIT", KVM_CAP_IMMEDIATE_EXIT, true, NULL, "kvm_run.immediate_exit" },
	{ "XSAVE2", KVM_CAP_XSAVE2, false, "xsave state size, bytes", NULL },
};

/*
 * {NAME: {"value", "system"?, "meaning"?, "hint"?}}. Values come from the
 * VM fd when vm >= 0 (what a default VM gets); "system" is added when the
 * /dev/kvm answer differs.
 */
static struct json_object *kvm_probe_caps(int kvm, int vm)
{
	struct json_object *o = json_object_new_object(), *c;
	const struct kvm_probe_cap *p;
	int sys, v;

	if (!o)
		return NULL;
	for (p = kvm_probe_cap_table; p < ARRAY_END(kvm_probe_cap_table); p++) {
		sys = ioctl(kvm, KVM_CHECK_EXTENSION, p->cap);
		if (sys < 0)
			sys = 0;
		v = sys;
		if (vm >= 0) {
			v = ioctl(vm, KVM_CHECK_EXTENSION, p->cap);
			if (v < 0)
				v = 0;
		}
		c = json_object_new_object();
		jsonobj_put_int(c, "value", v);
		if (v != sys)
			jsonobj_put_int(c, "system", sys);
		jsonobj_put_bool(c, "feature", p->feature);
		if (p->meaning)
			jsonobj_put_str(c, "meaning", p->meaning);
		if (p->feature && !v && p->hint)
			jsonobj_put_str(c, "hint", p->hint);
		json_object_object_add(o, p->name, c);
	}
	return o;
}

static struct json_object *kvm_probe_nested(enum kvm_flavour f)
{
	struct json_object *o = json_object_new_object();
	const char *m = kvm_probe_flavour_module(f);
	const char *flag = f == KVM_FLAVOUR_VMX ? "vmx" : "svm";
	char buf[64], hint[256];
	const char *v = NULL;
	bool usable;

	if (!o)
		return NULL;
	if (f == KVM_FLAVOUR_VMX || f == KVM_FLAVOUR_SVM)
		v = kvm_probe_module_param(m, "nested", buf, sizeof(buf));
	usable = kvm_probe_param_true(v);
	if (m && f != KVM_FLAVOUR_PVM)
		jsonobj_put_fmt(o, "param", "%s.nested", m);
	jsonobj_put_str(o, "value", v);
	jsonobj_put_bool(o, "cpu_vmx", kvm_probe_cpu_has_flag("vmx"));
	jsonobj_put_bool(o, "cpu_svm", kvm_probe_cpu_has_flag("svm"));
	jsonobj_put_bool(o, "usable", usable);
	if (usable)
		return o;
	if (f == KVM_FLAVOUR_VMX || f == KVM_FLAVOUR_SVM) {
		snprintf(hint, sizeof(hint), "modprobe -r %s && modprobe %s nested=1%s",
			 m, m, kvm_probe_cpu_has_flag(flag) ? "" : " (the CPU must offer it too)");
		jsonobj_put_str(o, "hint", hint);
	} else {
		jsonobj_put_str(o, "hint",
				"nested L2 needs kvm_intel or kvm_amd with nested=1 (PVM has no "
				"nested virtualization); e.g. the QEMU rig with -cpu "
				"EPYC,+svm,+npt");
	}
	return o;
}

int kvm_probe(struct json_object *o)
{
	enum kvm_flavour f = kvm_probe_flavour();
	struct json_object *vmo;
	char why[512];
	int kvm, vm = -1, api;

	kvm = kvm_probe_open(why, sizeof(why), &api);
	jsonobj_put_bool(o, "usable", kvm >= 0);
	jsonobj_put_str(o, "reason", kvm >= 0 ? NULL : why);
	if (kvm < 0)
		jsonobj_put_str(o, "hint", why);
	if (api >= 0)
		jsonobj_put_int(o, "api_version", api);
	jsonobj_put_str(o, "flavour", kvm_probe_flavour_name(f));
	jsonobj_put_str(o, "module", kvm_probe_flavour_module(f));
	json_object_object_add(o, "tdp", kvm_probe_new(kvm_probe_tdp, f));
	json_object_object_add(o, "nested", kvm_probe_nested(f));

	if (kvm >= 0) {
		vmo = json_object_new_object();
		vm = ioctl(kvm, KVM_CREATE_VM, 0);
		jsonobj_put_bool(vmo, "created", vm >= 0);
		if (vm < 0) {
			jsonobj_put_fmt(vmo, "error", "KVM_CREATE_VM: %s", strerror(errno));
			jsonobj_put_str(vmo, "hint",
					"capabilities below are /dev/kvm's answers, not a VM's; "
					"check dmesg for why KVM refused the VM");
		}
		json_object_object_add(o, "vm", vmo);
		json_object_object_add(o, "capabilities", kvm_probe_caps(kvm, vm));
		if (vm >= 0)
			close(vm);
		close(kvm);
	}
	json_object_object_add(o, "params", kvm_probe_new(kvm_probe_params, f));
	return 0;
}

/* ------------------------------------------------------------------ */
/* CPU */

bool kvm_probe_cpu_has_flag(const char *flag)
{
	char *line = NULL, *tok, *save;
	size_t cap = 0;
	bool found = false;
	FILE *f;

	f = fopen("/proc/cpuinfo", "re");
	if (!f)
		return false;
	while (getline(&line, &cap, f) > 0) {
		if (strncmp(line, "flags", 5))
			continue;
		tok = strchr(line, ':');
		if (!tok)
			break;
		for (tok = strtok_r(tok + 1, " \t\n", &save); tok;
		     tok = strtok_r(NULL, " \t\n", &save)) {
			if (!strcmp(tok, flag)) {
				found = true;
				break;
			}
		}
		break;
	}
	free(line);
	fclose(f);
	return found;
}
