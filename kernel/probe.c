// SPDX-License-Identifier: GPL-2.0
/* Capability probing for `mmubench probe` and for scenarios' skip reasons. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <linux/fs.h>
#include <linux/kvm.h>
#include <linux/userfaultfd.h>

#include "kernel/probe.h"
#include "kernel/mm/sysfs.h"
#include "kernel/topology.h"
#include "src/lib/util.h"

/* Capabilities newer than the 6.12 uapi headers. */
#ifndef KVM_CAP_GUEST_MEMFD_FLAGS
#define KVM_CAP_GUEST_MEMFD_FLAGS 244	/* Linux 6.18 */
#endif

#define PROBE_KVM_API_VERSION	12
#define PROBE_VAL_MAX		4096

#define THP_DIR		"/sys/kernel/mm/transparent_hugepage"
#define KSM_DIR		"/sys/kernel/mm/ksm"
#define LRU_GEN_DIR	"/sys/kernel/mm/lru_gen"
#define PAGE_IDLE_BITMAP "/sys/kernel/mm/page_idle/bitmap"
#define DAMON_KDAMONDS	"/sys/kernel/mm/damon/admin/kdamonds"
#define HUGEPAGES_DIR	"/sys/kernel/mm/hugepages"

/* ------------------------------------------------------------------ */
/* JSON helpers */

static void probe_add_str(struct json_object *o, const char *key, const char *s)
{
	json_object_object_add(o, key, s ? json_object_new_string(s) : NULL);
}

static void probe_add_bool(struct json_object *o, const char *key, bool b)
{
	json_object_object_add(o, key, json_object_new_boolean(b));
}

static void probe_add_int(struct json_object *o, const char *key, int64_t v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

static void probe_add_fmt(struct json_object *o, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void probe_add_fmt(struct json_object *o, const char *key, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	probe_add_str(o, key, buf);
}

/* A file's content as a JSON string, or null when it cannot be read. */
static void probe_add_file(struct json_object *o, const char *key, const char *path)
{
	char buf[PROBE_VAL_MAX];

	probe_add_str(o, key, sysfs_read(path, buf, sizeof(buf)) >= 0 ? buf : NULL);
}

static void probe_add_choice(struct json_object *o, const char *key, const char *path)
{
	char buf[PROBE_VAL_MAX];

	probe_add_str(o, key, sysfs_read_choice(path, buf, sizeof(buf)) >= 0 ? buf : NULL);
}

static const char *probe_get_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !v)
		return NULL;
	return json_object_get_string(v);
}

static bool probe_get_bool(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !v)
		return false;
	return json_object_get_boolean(v);
}

static int64_t probe_get_int(struct json_object *o, const char *key, int64_t dflt)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !v)
		return dflt;
	return json_object_get_int64(v);
}

static struct json_object *probe_get(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

/* A kernel bool/int module parameter that reads "Y", "y" or a non-zero number. */
static bool probe_param_true(const char *v)
{
	if (!v)
		return false;
	if (v[0] == 'Y' || v[0] == 'y')
		return true;
	return v[0] >= '1' && v[0] <= '9';
}

/* ------------------------------------------------------------------ */
/* KVM */

enum kvm_flavour probe_kvm_flavour(void)
{
	if (sysfs_exists("/sys/module/kvm_pvm"))
		return KVM_FLAVOUR_PVM;
	if (sysfs_exists("/sys/module/kvm_intel"))
		return KVM_FLAVOUR_VMX;
	if (sysfs_exists("/sys/module/kvm_amd"))
		return KVM_FLAVOUR_SVM;
	return KVM_FLAVOUR_NONE;
}

const char *probe_kvm_flavour_name(enum kvm_flavour f)
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

const char *probe_kvm_flavour_module(enum kvm_flavour f)
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
static const char *probe_module_param(const char *module, const char *param,
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
static int probe_kvm_open(char *why, size_t len, int *api)
{
	int fd, e, v;

	*api = -1;
	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		switch (e) {
		case ENOENT:
			snprintf(why, len, "no /dev/kvm: load kvm_intel or kvm_amd (modprobe kvm_intel / modprobe kvm_amd), or build the kernel with CONFIG_KVM");
			break;
		case EACCES:
		case EPERM:
			snprintf(why, len, "cannot open /dev/kvm: %s: run as root or as a user in group kvm",
				 strerror(e));
			break;
		case ENXIO:
		case ENODEV:
			snprintf(why, len, "cannot open /dev/kvm: %s: no KVM module is loaded: load kvm_intel or kvm_amd",
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
	if (v != PROBE_KVM_API_VERSION) {
		snprintf(why, len, "/dev/kvm has KVM API version %d, mmubench needs %d: use a mainline-compatible KVM",
			 v, PROBE_KVM_API_VERSION);
		close(fd);
		return -EPROTO;
	}
	return fd;
}

int probe_kvm_usable(char *why, size_t len)
{
	int fd, api;

	fd = probe_kvm_open(why, len, &api);
	if (fd < 0)
		return fd;
	close(fd);
	if (len)
		why[0] = '\0';
	return 0;
}

bool probe_tdp_enabled(void)
{
	char buf[64];

	switch (probe_kvm_flavour()) {
	case KVM_FLAVOUR_VMX:
		return probe_param_true(probe_module_param("kvm_intel", "ept", buf, sizeof(buf)));
	case KVM_FLAVOUR_SVM:
		return probe_param_true(probe_module_param("kvm_amd", "npt", buf, sizeof(buf)));
	default:
		/* PVM is shadow paging by construction. */
		return false;
	}
}

struct json_object *probe_kvm_tdp(enum kvm_flavour f)
{
	struct json_object *o = json_object_new_object();
	char tdp_mmu[64];
	const char *mmu_param;
	bool tdp = false;

	if (!o)
		return NULL;
	mmu_param = probe_module_param("kvm", "tdp_mmu", tdp_mmu, sizeof(tdp_mmu));
	if (f == KVM_FLAVOUR_VMX || f == KVM_FLAVOUR_SVM)
		tdp = probe_tdp_enabled();
	probe_add_bool(o, "enabled", tdp);
	probe_add_str(o, "mmu", !tdp ? "shadow" :
		      probe_param_true(mmu_param) ? "tdp_mmu" : "legacy_tdp");
	probe_add_str(o, "tdp_mmu", mmu_param);
	switch (f) {
	case KVM_FLAVOUR_PVM:
		probe_add_str(o, "hint", "PVM always uses shadow paging; TDP needs kvm_intel (ept=1) or kvm_amd (npt=1) on a CPU with VMX or SVM, e.g. the QEMU rig with -cpu EPYC,+svm,+npt");
		break;
	case KVM_FLAVOUR_VMX:
		if (!tdp)
			probe_add_str(o, "hint", "modprobe -r kvm_intel && modprobe kvm_intel ept=1 (needs EPT in the CPU)");
		break;
	case KVM_FLAVOUR_SVM:
		if (!tdp)
			probe_add_str(o, "hint", "modprobe -r kvm_amd && modprobe kvm_amd npt=1 (needs NPT in the CPU)");
		break;
	default:
		probe_add_str(o, "hint", "no KVM module loaded: modprobe kvm_intel or kvm_amd");
		break;
	}
	return o;
}

static int probe_name_filter(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* {param: value} for every file under /sys/module/<module>/parameters. */
static struct json_object *probe_module_params(const char *module)
{
	struct json_object *o = json_object_new_object();
	struct dirent **names;
	char dir[256], path[512], buf[PROBE_VAL_MAX];
	int i, n;

	if (!o)
		return NULL;
	snprintf(dir, sizeof(dir), "/sys/module/%s/parameters", module);
	n = scandir(dir, &names, probe_name_filter, alphasort);
	if (n < 0)
		return o;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		probe_add_str(o, names[i]->d_name,
			      sysfs_read(path, buf, sizeof(buf)) >= 0 ? buf : NULL);
		free(names[i]);
	}
	free(names);
	return o;
}

struct json_object *probe_kvm_params(enum kvm_flavour f)
{
	struct json_object *o = json_object_new_object();
	const char *m = probe_kvm_flavour_module(f);

	if (!o)
		return NULL;
	if (sysfs_exists("/sys/module/kvm"))
		json_object_object_add(o, "kvm", probe_module_params("kvm"));
	if (m)
		json_object_object_add(o, m, probe_module_params(m));
	return o;
}

struct probe_cap {
	const char *name;
	int cap;
	bool feature;		/* 0 means the feature is missing: hint */
	const char *meaning;	/* what a value other than 0/1 means */
	const char *hint;
};

static const struct probe_cap probe_caps[] = {
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
	  "guest_memfd: Linux 6.8+; before 6.18, x86 offers it only to VM types with private memory (KVM_X86_SW_PROTECTED_VM with CONFIG_KVM_SW_PROTECTED_VM, SNP, TDX)" },
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
	{ "MULTI_ADDRESS_SPACE", KVM_CAP_MULTI_ADDRESS_SPACE, false, "address spaces (2 with SMM)", NULL },
	{ "TSC_CONTROL", KVM_CAP_TSC_CONTROL, true, NULL,
	  "KVM_SET_TSC_KHZ: needs hardware TSC scaling" },
	{ "VM_TSC_CONTROL", KVM_CAP_VM_TSC_CONTROL, true, NULL,
	  "per-VM KVM_SET_TSC_KHZ: Linux 6.0+, needs hardware TSC scaling" },
	{ "GET_TSC_KHZ", KVM_CAP_GET_TSC_KHZ, true, NULL,
	  "KVM_GET_TSC_KHZ: without it guest TSC timings cannot be calibrated" },
	{ "X86_DISABLE_EXITS", KVM_CAP_X86_DISABLE_EXITS, false,
	  "exits that can be disabled: 1 MWAIT, 2 HLT, 4 PAUSE, 8 CSTATE", NULL },
	{ "VM_DISABLE_NX_HUGE_PAGES", KVM_CAP_VM_DISABLE_NX_HUGE_PAGES, true, NULL,
	  "Linux 6.0+; otherwise boot with kvm.nx_huge_pages=off to keep 2M mappings of executable pages" },
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
static struct json_object *probe_kvm_caps(int kvm, int vm)
{
	struct json_object *o = json_object_new_object(), *c;
	const struct probe_cap *p;
	int sys, v;

	if (!o)
		return NULL;
	for (p = probe_caps; p < probe_caps + ARRAY_SIZE(probe_caps); p++) {
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
		probe_add_int(c, "value", v);
		if (v != sys)
			probe_add_int(c, "system", sys);
		probe_add_bool(c, "feature", p->feature);
		if (p->meaning)
			probe_add_str(c, "meaning", p->meaning);
		if (p->feature && !v && p->hint)
			probe_add_str(c, "hint", p->hint);
		json_object_object_add(o, p->name, c);
	}
	return o;
}

static struct json_object *probe_kvm_nested(enum kvm_flavour f)
{
	struct json_object *o = json_object_new_object();
	const char *m = probe_kvm_flavour_module(f);
	const char *flag = f == KVM_FLAVOUR_VMX ? "vmx" : "svm";
	char buf[64], hint[256];
	const char *v = NULL;
	bool usable;

	if (!o)
		return NULL;
	if (f == KVM_FLAVOUR_VMX || f == KVM_FLAVOUR_SVM)
		v = probe_module_param(m, "nested", buf, sizeof(buf));
	usable = probe_param_true(v);
	if (m && f != KVM_FLAVOUR_PVM)
		probe_add_fmt(o, "param", "%s.nested", m);
	probe_add_str(o, "value", v);
	probe_add_bool(o, "cpu_vmx", probe_cpu_has_flag("vmx"));
	probe_add_bool(o, "cpu_svm", probe_cpu_has_flag("svm"));
	probe_add_bool(o, "usable", usable);
	if (usable)
		return o;
	if (f == KVM_FLAVOUR_VMX || f == KVM_FLAVOUR_SVM) {
		snprintf(hint, sizeof(hint), "modprobe -r %s && modprobe %s nested=1%s",
			 m, m, probe_cpu_has_flag(flag) ? "" : " (the CPU must offer it too)");
		probe_add_str(o, "hint", hint);
	} else {
		probe_add_str(o, "hint", "nested L2 needs kvm_intel or kvm_amd with nested=1 (PVM has no nested virtualization); e.g. the QEMU rig with -cpu EPYC,+svm,+npt");
	}
	return o;
}

static struct json_object *probe_kvm(void)
{
	struct json_object *o = json_object_new_object(), *vmo;
	enum kvm_flavour f = probe_kvm_flavour();
	char why[512];
	int kvm, vm = -1, api;

	if (!o)
		return NULL;
	kvm = probe_kvm_open(why, sizeof(why), &api);
	probe_add_bool(o, "usable", kvm >= 0);
	probe_add_str(o, "reason", kvm >= 0 ? NULL : why);
	if (kvm < 0)
		probe_add_str(o, "hint", why);
	if (api >= 0)
		probe_add_int(o, "api_version", api);
	probe_add_str(o, "flavour", probe_kvm_flavour_name(f));
	probe_add_str(o, "module", probe_kvm_flavour_module(f));
	json_object_object_add(o, "tdp", probe_kvm_tdp(f));
	json_object_object_add(o, "nested", probe_kvm_nested(f));

	if (kvm >= 0) {
		vmo = json_object_new_object();
		vm = ioctl(kvm, KVM_CREATE_VM, 0);
		probe_add_bool(vmo, "created", vm >= 0);
		if (vm < 0) {
			probe_add_fmt(vmo, "error", "KVM_CREATE_VM: %s", strerror(errno));
			probe_add_str(vmo, "hint", "capabilities below are /dev/kvm's answers, not a VM's; check dmesg for why KVM refused the VM");
		}
		json_object_object_add(o, "vm", vmo);
		json_object_object_add(o, "capabilities", probe_kvm_caps(kvm, vm));
		if (vm >= 0)
			close(vm);
		close(kvm);
	}
	json_object_object_add(o, "params", probe_kvm_params(f));
	return o;
}

/* ------------------------------------------------------------------ */
/* Host */

bool probe_cpu_has_flag(const char *flag)
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

struct json_object *probe_kernel(void)
{
	struct json_object *o = json_object_new_object();
	struct utsname u;

	if (!o)
		return NULL;
	if (uname(&u) == 0) {
		probe_add_str(o, "release", u.release);
		probe_add_str(o, "version", u.version);
		probe_add_str(o, "machine", u.machine);
		probe_add_str(o, "hostname", u.nodename);
	}
	probe_add_file(o, "cmdline", "/proc/cmdline");
	return o;
}

/* ------------------------------------------------------------------ */
/* mm */

struct json_object *probe_mm_mglru(void)
{
	struct json_object *o = json_object_new_object();
	uint64_t caps;
	bool present = sysfs_exists(LRU_GEN_DIR "/enabled");

	if (!o)
		return NULL;
	probe_add_bool(o, "present", present);
	if (!present) {
		probe_add_str(o, "hint", "CONFIG_LRU_GEN=y; echo y > " LRU_GEN_DIR "/enabled");
		return o;
	}
	probe_add_file(o, "enabled", LRU_GEN_DIR "/enabled");
	probe_add_file(o, "min_ttl_ms", LRU_GEN_DIR "/min_ttl_ms");
	if (sysfs_read_u64(LRU_GEN_DIR "/enabled", &caps) == 0 && !caps)
		probe_add_str(o, "hint", "MGLRU is off: echo y > " LRU_GEN_DIR "/enabled");
	return o;
}

static struct json_object *probe_mm_page_idle(void)
{
	struct json_object *o = json_object_new_object();
	bool present = sysfs_exists(PAGE_IDLE_BITMAP);

	if (!o)
		return NULL;
	probe_add_bool(o, "present", present);
	if (!present)
		probe_add_str(o, "hint", "CONFIG_IDLE_PAGE_TRACKING=y (Debian kernels lack it: build from a source tree)");
	return o;
}

/* DAMON: read-only, a system kdamond may own it. Only nr_kdamonds and states. */
static struct json_object *probe_mm_damon(const char *tracefs)
{
	struct json_object *o = json_object_new_object(), *states;
	char path[512], buf[64];
	uint64_t n = 0, i;
	bool running = false, sysfs = sysfs_exists(DAMON_KDAMONDS "/nr_kdamonds");

	if (!o)
		return NULL;
	probe_add_bool(o, "sysfs", sysfs);
	if (sysfs && sysfs_read_u64(DAMON_KDAMONDS "/nr_kdamonds", &n) == 0) {
		probe_add_int(o, "nr_kdamonds", n);
		states = json_object_new_array();
		for (i = 0; i < n; i++) {
			snprintf(path, sizeof(path), DAMON_KDAMONDS "/%llu/state",
				 (unsigned long long)i);
			if (sysfs_read(path, buf, sizeof(buf)) < 0)
				snprintf(buf, sizeof(buf), "unreadable");
			if (!strcmp(buf, "on"))
				running = true;
			json_object_array_add(states, json_object_new_string(buf));
		}
		json_object_object_add(o, "kdamond_states", states);
	}
	probe_add_bool(o, "running", running);
	if (tracefs) {
		snprintf(path, sizeof(path), "%s/events/damon/damon_aggregated", tracefs);
		probe_add_bool(o, "tracepoint", sysfs_exists(path));
	} else {
		json_object_object_add(o, "tracepoint", NULL);
	}
	if (!sysfs)
		probe_add_str(o, "hint", "CONFIG_DAMON_SYSFS=y with CONFIG_DAMON_PADDR / CONFIG_DAMON_VADDR");
	else if (running)
		probe_add_str(o, "note", "a kdamond is already running: mmubench leaves it alone and observes it through damon:damon_aggregated");
	return o;
}

static struct json_object *probe_mm_memcg(void)
{
	struct json_object *o = json_object_new_object();
	char v1[256] = "", v2[256] = "", path[512], ctrl[PROBE_VAL_MAX] = "";
	struct mntent *m;
	bool v2_memory = false;
	char *tok, *save;
	FILE *f;

	if (!o)
		return NULL;
	f = setmntent("/proc/mounts", "re");
	while (f && (m = getmntent(f))) {
		if (!strcmp(m->mnt_type, "cgroup") && hasmntopt(m, "memory") && !v1[0])
			snprintf(v1, sizeof(v1), "%s", m->mnt_dir);
		else if (!strcmp(m->mnt_type, "cgroup2") && !v2[0])
			snprintf(v2, sizeof(v2), "%s", m->mnt_dir);
	}
	if (f)
		endmntent(f);
	probe_add_str(o, "v1_memory", v1[0] ? v1 : NULL);
	probe_add_str(o, "v2", v2[0] ? v2 : NULL);
	if (v2[0]) {
		snprintf(path, sizeof(path), "%s/cgroup.controllers", v2);
		if (sysfs_read(path, ctrl, sizeof(ctrl)) >= 0) {
			probe_add_str(o, "v2_controllers", ctrl);
			for (tok = strtok_r(ctrl, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
				if (!strcmp(tok, "memory"))
					v2_memory = true;
		}
	}
	probe_add_bool(o, "v2_memory", v2_memory);
	if (!v1[0] && !v2_memory)
		probe_add_str(o, "hint", "no memory cgroup: CONFIG_MEMCG=y, then mount -t cgroup2 none /sys/fs/cgroup (or the v1 memory controller)");
	else if (!v2_memory)
		probe_add_str(o, "hint", "memory is a v1 controller here (memory.limit_in_bytes; no memory.reclaim): boot with cgroup_no_v1=memory or systemd.unified_cgroup_hierarchy=1 for v2");
	return o;
}

static struct json_object *probe_mm_swap(void)
{
	struct json_object *o = json_object_new_object(), *devs, *d;
	char line[512], name[256], type[32];
	unsigned long long size, used, total = 0;
	int prio, n = 0;
	FILE *f;

	if (!o)
		return NULL;
	devs = json_object_new_array();
	f = fopen("/proc/swaps", "re");
	if (f) {
		if (!fgets(line, sizeof(line), f))	/* header */
			line[0] = '\0';
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "%255s %31s %llu %llu %d", name, type, &size, &used, &prio) != 5)
				continue;
			d = json_object_new_object();
			probe_add_str(d, "name", name);
			probe_add_str(d, "type", type);
			probe_add_int(d, "size_kb", size);
			probe_add_int(d, "used_kb", used);
			probe_add_int(d, "priority", prio);
			json_object_array_add(devs, d);
			total += size;
			n++;
		}
		fclose(f);
	}
	probe_add_int(o, "active", n);
	probe_add_int(o, "total_kb", total);
	json_object_object_add(o, "devices", devs);
	probe_add_file(o, "zswap", "/sys/module/zswap/parameters/enabled");
	if (!n)
		probe_add_str(o, "hint", "no active swap (eviction drivers need it): fallocate -l 8G /swapfile && mkswap /swapfile && swapon /swapfile; zswap (echo Y > /sys/module/zswap/parameters/enabled) caches in front of it");
	return o;
}

struct json_object *probe_mm_thp(void)
{
	struct json_object *o = json_object_new_object();
	char buf[64];
	bool present = sysfs_exists(THP_DIR "/enabled");

	if (!o)
		return NULL;
	probe_add_bool(o, "present", present);
	if (!present) {
		probe_add_str(o, "hint", "CONFIG_TRANSPARENT_HUGEPAGE=y");
		return o;
	}
	probe_add_choice(o, "enabled", THP_DIR "/enabled");
	probe_add_choice(o, "defrag", THP_DIR "/defrag");
	probe_add_choice(o, "shmem_enabled", THP_DIR "/shmem_enabled");
	if (sysfs_read_choice(THP_DIR "/enabled", buf, sizeof(buf)) >= 0 && !strcmp(buf, "never"))
		probe_add_str(o, "hint", "THP is off: echo madvise > " THP_DIR "/enabled");
	return o;
}

static int probe_hugepage_size_kb(void)
{
	char line[256];
	int kb = 0;
	FILE *f;

	f = fopen("/proc/meminfo", "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Hugepagesize: %d kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static struct json_object *probe_mm_hugetlb(void)
{
	struct json_object *o = json_object_new_object(), *sizes, *s;
	char path[512], hint[512];
	struct dirent **names;
	int i, n, kb, dflt = probe_hugepage_size_kb();
	uint64_t nr, free_pages;

	if (!o)
		return NULL;
	n = scandir(HUGEPAGES_DIR, &names, probe_name_filter, alphasort);
	probe_add_bool(o, "present", n > 0);
	if (n <= 0) {
		probe_add_str(o, "hint", "CONFIG_HUGETLBFS=y");
		return o;
	}
	probe_add_int(o, "default_size_kb", dflt);
	sizes = json_object_new_object();
	for (i = 0; i < n; i++) {
		if (sscanf(names[i]->d_name, "hugepages-%dkB", &kb) == 1) {
			s = json_object_new_object();
			snprintf(path, sizeof(path), HUGEPAGES_DIR "/%s/nr_hugepages", names[i]->d_name);
			if (sysfs_read_u64(path, &nr))
				nr = 0;
			probe_add_int(s, "nr_hugepages", nr);
			snprintf(path, sizeof(path), HUGEPAGES_DIR "/%s/free_hugepages", names[i]->d_name);
			if (sysfs_read_u64(path, &free_pages))
				free_pages = 0;
			probe_add_int(s, "free_hugepages", free_pages);
			if (!nr) {
				if (kb == dflt)
					snprintf(hint, sizeof(hint), "empty pool: sysctl vm.nr_hugepages=N");
				else
					snprintf(hint, sizeof(hint), "empty pool: echo N > " HUGEPAGES_DIR "/%s/nr_hugepages",
						 names[i]->d_name);
				probe_add_str(s, "hint", hint);
			}
			snprintf(path, sizeof(path), "%dkB", kb);
			json_object_object_add(sizes, path, s);
		}
		free(names[i]);
	}
	free(names);
	json_object_object_add(o, "sizes", sizes);
	return o;
}

struct json_object *probe_mm_ksm(void)
{
	struct json_object *o = json_object_new_object();
	bool present = sysfs_exists(KSM_DIR "/run");

	if (!o)
		return NULL;
	probe_add_bool(o, "present", present);
	if (!present) {
		probe_add_str(o, "hint", "CONFIG_KSM=y");
		return o;
	}
	probe_add_file(o, "run", KSM_DIR "/run");
	return o;
}

struct json_object *probe_mm_numa_balancing(void)
{
	struct json_object *o = json_object_new_object();
	const char *path = "/proc/sys/kernel/numa_balancing";
	bool present = sysfs_exists(path);

	if (!o)
		return NULL;
	probe_add_bool(o, "present", present);
	if (present)
		probe_add_file(o, "value", path);
	else
		probe_add_str(o, "hint", "CONFIG_NUMA_BALANCING=y");
	return o;
}

/*
 * Soft-dirty and PAGEMAP_SCAN, from one freshly written anonymous page: a
 * new page is soft-dirty (pagemap bit 55) iff CONFIG_MEM_SOFT_DIRTY.
 */
static void probe_mm_pagemap(struct json_object *mm)
{
	struct json_object *sd = json_object_new_object();
	struct json_object *scan = json_object_new_object();
	long page = sysconf(_SC_PAGESIZE);
	struct pm_scan_arg arg;
	uint64_t entry = 0;
	int fd = -1, ret;
	char *p;

	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED) {
		p[0] = 1;
		fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	}
	if (fd >= 0 && pread(fd, &entry, sizeof(entry),
			     (uintptr_t)p / page * sizeof(entry)) == sizeof(entry)) {
		probe_add_bool(sd, "present", entry & (1ULL << 55));
		if (!(entry & (1ULL << 55)))
			probe_add_str(sd, "hint", "CONFIG_MEM_SOFT_DIRTY=y");
	} else {
		probe_add_bool(sd, "present", false);
		probe_add_str(sd, "hint", "cannot read /proc/self/pagemap: CONFIG_PROC_PAGE_MONITOR=y");
	}
	if (fd >= 0) {
		memset(&arg, 0, sizeof(arg));
		arg.size = sizeof(arg);
		arg.start = (uintptr_t)p;
		arg.end = (uintptr_t)p + page;
		arg.return_mask = PAGE_IS_PRESENT;
		arg.category_anyof_mask = PAGE_IS_PRESENT;
		ret = ioctl(fd, PAGEMAP_SCAN, &arg);
		probe_add_bool(scan, "present", ret >= 0);
		if (ret < 0)
			probe_add_fmt(scan, "hint", "PAGEMAP_SCAN (%s): Linux 6.7+", strerror(errno));
		close(fd);
	} else {
		probe_add_bool(scan, "present", false);
		probe_add_str(scan, "hint", "cannot open /proc/self/pagemap: CONFIG_PROC_PAGE_MONITOR=y");
	}
	if (p != MAP_FAILED)
		munmap(p, page);
	json_object_object_add(mm, "soft_dirty", sd);
	json_object_object_add(mm, "pagemap_scan", scan);
}

static const struct {
	const char *name;
	uint64_t bit;
} probe_uffd_features[] = {
	{ "MISSING_SHMEM", UFFD_FEATURE_MISSING_SHMEM },
	{ "MISSING_HUGETLBFS", UFFD_FEATURE_MISSING_HUGETLBFS },
	{ "MINOR_SHMEM", UFFD_FEATURE_MINOR_SHMEM },
	{ "MINOR_HUGETLBFS", UFFD_FEATURE_MINOR_HUGETLBFS },
	{ "SIGBUS", UFFD_FEATURE_SIGBUS },
	{ "THREAD_ID", UFFD_FEATURE_THREAD_ID },
	{ "EXACT_ADDRESS", UFFD_FEATURE_EXACT_ADDRESS },
	{ "PAGEFAULT_FLAG_WP", UFFD_FEATURE_PAGEFAULT_FLAG_WP },
	{ "WP_HUGETLBFS_SHMEM", UFFD_FEATURE_WP_HUGETLBFS_SHMEM },
	{ "WP_UNPOPULATED", UFFD_FEATURE_WP_UNPOPULATED },
	{ "WP_ASYNC", UFFD_FEATURE_WP_ASYNC },
	{ "POISON", UFFD_FEATURE_POISON },
	{ "MOVE", UFFD_FEATURE_MOVE },
};

static struct json_object *probe_mm_userfaultfd(void)
{
	struct json_object *o = json_object_new_object(), *feat;
	struct uffdio_api api = { .api = UFFD_API, .features = 0 };
	bool dev = sysfs_exists("/dev/userfaultfd");
	int fd, dfd, e;
	size_t i;

	if (!o)
		return NULL;
	fd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
	e = fd < 0 ? errno : 0;
	probe_add_bool(o, "syscall", fd >= 0 || e != ENOSYS);
	if (fd < 0)
		probe_add_fmt(o, "syscall_error", "userfaultfd(2): %s", strerror(e));
	probe_add_bool(o, "dev", dev);
	if (fd < 0 && dev) {
		dfd = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);
		if (dfd >= 0) {
			fd = ioctl(dfd, USERFAULTFD_IOC_NEW, O_CLOEXEC | O_NONBLOCK);
			close(dfd);
		}
	}
	probe_add_file(o, "unprivileged_userfaultfd", "/proc/sys/vm/unprivileged_userfaultfd");
	probe_add_bool(o, "usable", fd >= 0);
	if (fd >= 0) {
		/* features = 0 asks nothing and is answered with everything supported. */
		if (ioctl(fd, UFFDIO_API, &api) == 0) {
			feat = json_object_new_array();
			for (i = 0; i < ARRAY_SIZE(probe_uffd_features); i++)
				if (api.features & probe_uffd_features[i].bit)
					json_object_array_add(feat,
						json_object_new_string(probe_uffd_features[i].name));
			json_object_object_add(o, "features", feat);
		}
		close(fd);
	} else if (e == ENOSYS) {
		probe_add_str(o, "hint", "CONFIG_USERFAULTFD=y");
	} else {
		probe_add_str(o, "hint", "run as root, or sysctl vm.unprivileged_userfaultfd=1, or give access to /dev/userfaultfd");
	}
	return o;
}

static struct json_object *probe_mm(const char *tracefs)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_add(o, "mglru", probe_mm_mglru());
	json_object_object_add(o, "page_idle", probe_mm_page_idle());
	json_object_object_add(o, "damon", probe_mm_damon(tracefs));
	json_object_object_add(o, "memcg", probe_mm_memcg());
	json_object_object_add(o, "swap", probe_mm_swap());
	json_object_object_add(o, "thp", probe_mm_thp());
	json_object_object_add(o, "hugetlb", probe_mm_hugetlb());
	json_object_object_add(o, "ksm", probe_mm_ksm());
	json_object_object_add(o, "numa_balancing", probe_mm_numa_balancing());
	probe_mm_pagemap(o);
	json_object_object_add(o, "userfaultfd", probe_mm_userfaultfd());
	return o;
}

/* ------------------------------------------------------------------ */
/* tracefs, debugfs */

static const struct {
	const char *event;	/* system/name */
	const char *hint;	/* when the kernel lacks it */
	const char *pvm_note;	/* on PVM */
} probe_events[] = {
	{ "kvm/kvm_age_hva", "load the kvm module (CONFIG_KVM)", NULL },
	{ "kvm/kvm_test_age_hva", "load the kvm module (CONFIG_KVM)", NULL },
	{ "kvm/kvm_unmap_hva_range", "load the kvm module (CONFIG_KVM)", NULL },
	{ "kvm/kvm_dirty_ring_push", "load the kvm module (CONFIG_KVM, CONFIG_HAVE_KVM_DIRTY_RING)", NULL },
	{ "kvmmmu/kvm_mmu_set_spte", "load the kvm module (CONFIG_KVM, x86)", NULL },
	{ "kvmmmu/kvm_mmu_spte_requested", "load the kvm module (CONFIG_KVM, x86)", NULL },
	{ "kvm/kvm_page_fault", "load the kvm module (CONFIG_KVM, x86)",
	  "never fires under PVM: count faults with kvmmmu/kvm_mmu_set_spte or the pf_taken stat" },
	{ "damon/damon_aggregated", "CONFIG_DAMON=y", NULL },
};

#define PROBE_NR_EVENTS ARRAY_SIZE(probe_events)

/* The first mount point of a filesystem type, or "" */
static void probe_mount_of(const char *type, char *dir, size_t len)
{
	struct mntent *m;
	FILE *f;

	dir[0] = '\0';
	f = setmntent("/proc/mounts", "re");
	if (!f)
		return;
	while ((m = getmntent(f))) {
		if (!strcmp(m->mnt_type, type)) {
			snprintf(dir, len, "%s", m->mnt_dir);
			break;
		}
	}
	endmntent(f);
}

/* The tracefs directory with events/ (tracefs, or debugfs/tracing), or "" */
static void probe_tracefs_dir(char *dir, size_t len)
{
	char dbg[192], path[512];

	probe_mount_of("tracefs", dir, len);
	if (dir[0])
		return;
	probe_mount_of("debugfs", dbg, sizeof(dbg));
	if (!dbg[0])
		return;
	snprintf(path, sizeof(path), "%s/tracing/events", dbg);
	if (sysfs_exists(path))
		snprintf(dir, len, "%s/tracing", dbg);
}

/*
 * Without tracefs, whether the kernel has the tracepoints at all, from
 * /proc/kallsyms (__traceiter_<name>); in_kernel[] gets one answer per event.
 */
static bool probe_kallsyms_events(bool *in_kernel)
{
	char *line = NULL, sym[256];
	const char *name;
	size_t cap = 0, i;
	bool any = false;
	FILE *f;

	f = fopen("/proc/kallsyms", "re");
	if (!f)
		return false;
	while (getline(&line, &cap, f) > 0) {
		if (!strstr(line, "__traceiter_"))
			continue;
		if (sscanf(line, "%*s %*s %255s", sym) != 1 || strncmp(sym, "__traceiter_", 12))
			continue;
		any = true;
		for (i = 0; i < PROBE_NR_EVENTS; i++) {
			name = strchr(probe_events[i].event, '/') + 1;
			if (!strcmp(sym + 12, name))
				in_kernel[i] = true;
		}
	}
	free(line);
	fclose(f);
	return any;
}

static struct json_object *probe_tracefs(const char *dir, enum kvm_flavour f)
{
	struct json_object *o = json_object_new_object(), *evs, *e;
	bool in_kernel[PROBE_NR_EVENTS] = { false }, have_kallsyms = false;
	char path[512];
	size_t i;

	if (!o)
		return NULL;
	probe_add_bool(o, "mounted", dir[0]);
	probe_add_str(o, "path", dir[0] ? dir : NULL);
	if (!dir[0]) {
		probe_add_str(o, "hint", "tracefs is not mounted: mount -t tracefs nodev /sys/kernel/tracing");
		have_kallsyms = probe_kallsyms_events(in_kernel);
	}
	evs = json_object_new_object();
	for (i = 0; i < PROBE_NR_EVENTS; i++) {
		e = json_object_new_object();
		if (dir[0]) {
			snprintf(path, sizeof(path), "%s/events/%s", dir, probe_events[i].event);
			probe_add_bool(e, "present", sysfs_exists(path));
			if (!sysfs_exists(path))
				probe_add_str(e, "hint", probe_events[i].hint);
		} else {
			probe_add_bool(e, "present", false);
			if (have_kallsyms)
				probe_add_bool(e, "in_kernel", in_kernel[i]);
			probe_add_str(e, "hint", have_kallsyms && !in_kernel[i] ? probe_events[i].hint :
				      "mount -t tracefs nodev /sys/kernel/tracing");
		}
		if (f == KVM_FLAVOUR_PVM && probe_events[i].pvm_note)
			probe_add_str(e, "note", probe_events[i].pvm_note);
		json_object_object_add(evs, probe_events[i].event, e);
	}
	json_object_object_add(o, "events", evs);
	return o;
}

static struct json_object *probe_debugfs(void)
{
	struct json_object *o = json_object_new_object();
	char dir[256], path[512];

	if (!o)
		return NULL;
	probe_mount_of("debugfs", dir, sizeof(dir));
	probe_add_bool(o, "mounted", dir[0]);
	probe_add_str(o, "path", dir[0] ? dir : NULL);
	if (!dir[0]) {
		probe_add_str(o, "hint", "debugfs is not mounted (KVM stats under kvm/, MGLRU's lru_gen): mount -t debugfs nodev /sys/kernel/debug");
		return o;
	}
	snprintf(path, sizeof(path), "%s/kvm", dir);
	probe_add_bool(o, "kvm", sysfs_exists(path));
	snprintf(path, sizeof(path), "%s/lru_gen", dir);
	probe_add_bool(o, "lru_gen", sysfs_exists(path));
	return o;
}

static struct json_object *probe_topology(void)
{
	struct json_object *o;
	struct topo *t;
	char err[256];

	if (topo_open(&t, err, sizeof(err)) < 0) {
		o = json_object_new_object();
		probe_add_str(o, "error", err);
		return o;
	}
	o = topo_describe(t);
	topo_close(t);
	return o;
}

struct json_object *probe_collect(void)
{
	struct json_object *o = json_object_new_object();
	char tracefs[256];

	if (!o)
		return NULL;
	probe_tracefs_dir(tracefs, sizeof(tracefs));
	json_object_object_add(o, "kernel", probe_kernel());
	json_object_object_add(o, "kvm", probe_kvm());
	json_object_object_add(o, "mm", probe_mm(tracefs[0] ? tracefs : NULL));
	json_object_object_add(o, "tracefs", probe_tracefs(tracefs, probe_kvm_flavour()));
	json_object_object_add(o, "debugfs", probe_debugfs());
	json_object_object_add(o, "topology", probe_topology());
	return o;
}

/* ------------------------------------------------------------------ */
/* The human report */

enum probe_mark { MARK_INFO, MARK_OK, MARK_MISSING };

static void probe_line(FILE *out, enum probe_mark mark, const char *name,
		       const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void probe_line(FILE *out, enum probe_mark mark, const char *name,
		       const char *hint, const char *fmt, ...)
{
	static const char *const marks[] = { "  ", "ok", "--" };
	va_list ap;

	fprintf(out, "%s  %-30s ", marks[mark], name);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	if (hint)
		fprintf(out, "  (hint: %s)", hint);
	fputc('\n', out);
}

/* An item whose marker is one bool; value is the text to show. */
static void probe_item(FILE *out, struct json_object *o, const char *name,
		       const char *okkey, const char *value)
{
	bool ok = probe_get_bool(o, okkey);

	probe_line(out, ok ? MARK_OK : MARK_MISSING, name, probe_get_str(o, "hint"),
		   "%s", value ? value : ok ? "yes" : "no");
}

static const char *probe_or(const char *s, const char *dflt)
{
	return s ? s : dflt;
}

/* "kvm: a=1 b=2 ..." wrapped at about 100 columns */
static void probe_print_params(FILE *out, struct json_object *params)
{
	int col;

	if (!params)
		return;
	json_object_object_foreach(params, mod, vals) {
		col = fprintf(out, "    params %s:", mod);
		json_object_object_foreach(vals, k, v) {
			const char *s = v ? json_object_get_string(v) : "?";
			int w = strlen(k) + strlen(s) + 2;

			if (col + w > 100)
				col = fprintf(out, "\n      ") - 1;
			col += fprintf(out, " %s=%s", k, s);
		}
		fputc('\n', out);
	}
}

static void probe_print_kvm(FILE *out, struct json_object *kvm)
{
	struct json_object *tdp = probe_get(kvm, "tdp"), *nested = probe_get(kvm, "nested");
	struct json_object *vm = probe_get(kvm, "vm"), *caps = probe_get(kvm, "capabilities");
	char buf[512];
	int64_t v;

	fprintf(out, "KVM\n");
	if (probe_get_bool(kvm, "usable"))
		snprintf(buf, sizeof(buf), "usable, API %lld", (long long)probe_get_int(kvm, "api_version", -1));
	else
		snprintf(buf, sizeof(buf), "not usable");
	probe_item(out, kvm, "/dev/kvm", "usable", buf);
	probe_line(out, strcmp(probe_or(probe_get_str(kvm, "flavour"), "none"), "none") ? MARK_OK : MARK_MISSING,
		   "flavour", NULL, "%s (module %s)", probe_or(probe_get_str(kvm, "flavour"), "none"),
		   probe_or(probe_get_str(kvm, "module"), "none"));
	snprintf(buf, sizeof(buf), "%s (mmu %s, kvm.tdp_mmu=%s)",
		 probe_get_bool(tdp, "enabled") ? "yes" : "no",
		 probe_or(probe_get_str(tdp, "mmu"), "?"), probe_or(probe_get_str(tdp, "tdp_mmu"), "absent"));
	probe_item(out, tdp, "tdp", "enabled", buf);
	if (probe_get_str(nested, "param"))
		snprintf(buf, sizeof(buf), "%s (%s=%s)", probe_get_bool(nested, "usable") ? "yes" : "no",
			 probe_get_str(nested, "param"), probe_or(probe_get_str(nested, "value"), "absent"));
	else
		snprintf(buf, sizeof(buf), "no (CPU flags: vmx %s, svm %s)",
			 probe_get_bool(nested, "cpu_vmx") ? "yes" : "no",
			 probe_get_bool(nested, "cpu_svm") ? "yes" : "no");
	probe_item(out, nested, "nested", "usable", buf);
	if (vm)
		probe_item(out, vm, "KVM_CREATE_VM", "created",
			   probe_get_bool(vm, "created") ? "yes" : probe_get_str(vm, "error"));
	if (caps) {
		fprintf(out, "    capabilities (KVM_CHECK_EXTENSION on %s):\n",
			probe_get_bool(vm, "created") ? "a default VM" : "/dev/kvm");
		json_object_object_foreach(caps, name, c) {
			bool feature = probe_get_bool(c, "feature");
			const char *meaning = probe_get_str(c, "meaning");
			char extra[128] = "";

			v = probe_get_int(c, "value", 0);
			if (probe_get(c, "system"))
				snprintf(extra, sizeof(extra), ", /dev/kvm says %lld",
					 (long long)probe_get_int(c, "system", 0));
			probe_line(out, !feature ? MARK_INFO : v ? MARK_OK : MARK_MISSING, name,
				   probe_get_str(c, "hint"), "%lld%s%s%s%s", (long long)v,
				   meaning && v > 1 ? " (" : "", meaning && v > 1 ? meaning : "",
				   meaning && v > 1 ? ")" : "", extra);
		}
	}
	probe_print_params(out, probe_get(kvm, "params"));
}

static void probe_print_mm(FILE *out, struct json_object *mm)
{
	struct json_object *o, *a;
	char buf[512];
	size_t i, off;

	fprintf(out, "mm\n");
	o = probe_get(mm, "mglru");
	snprintf(buf, sizeof(buf), "%s%s%s", probe_get_bool(o, "present") ? "enabled=" : "absent",
		 probe_or(probe_get_str(o, "enabled"), ""),
		 probe_get_str(o, "min_ttl_ms") ? ", min_ttl_ms=" : "");
	if (probe_get_str(o, "min_ttl_ms"))
		strncat(buf, probe_get_str(o, "min_ttl_ms"), sizeof(buf) - strlen(buf) - 1);
	probe_line(out, probe_get_bool(o, "present") && !probe_get_str(o, "hint") ? MARK_OK : MARK_MISSING,
		   "mglru (lru_gen)", probe_get_str(o, "hint"), "%s", buf);

	o = probe_get(mm, "page_idle");
	probe_item(out, o, "page_idle", "present", probe_get_bool(o, "present") ? "present" : "absent");

	o = probe_get(mm, "damon");
	off = snprintf(buf, sizeof(buf), "%s", probe_get_bool(o, "sysfs") ? "sysfs" : "no sysfs");
	if (probe_get(o, "nr_kdamonds"))
		off += snprintf(buf + off, sizeof(buf) - off, ", %lld kdamond(s)%s",
				(long long)probe_get_int(o, "nr_kdamonds", 0),
				probe_get_bool(o, "running") ? ", one running (read-only for mmubench)" : "");
	a = probe_get(o, "kdamond_states");
	for (i = 0; a && i < json_object_array_length(a) && off < sizeof(buf); i++)
		off += snprintf(buf + off, sizeof(buf) - off, "%s%s", i ? "," : " [states: ",
				json_object_get_string(json_object_array_get_idx(a, i)));
	if (a && json_object_array_length(a) && off < sizeof(buf))
		off += snprintf(buf + off, sizeof(buf) - off, "]");
	if (off < sizeof(buf))
		snprintf(buf + off, sizeof(buf) - off, ", damon:damon_aggregated %s",
			 !probe_get(o, "tracepoint") ? "unknown (no tracefs)" :
			 probe_get_bool(o, "tracepoint") ? "yes" : "no");
	probe_item(out, o, "damon", "sysfs", buf);

	o = probe_get(mm, "memcg");
	snprintf(buf, sizeof(buf), "v1 memory: %s; v2: %s, controllers \"%s\"",
		 probe_or(probe_get_str(o, "v1_memory"), "not mounted"),
		 probe_or(probe_get_str(o, "v2"), "not mounted"),
		 probe_or(probe_get_str(o, "v2_controllers"), ""));
	if (probe_get_str(o, "v1_memory") || probe_get_bool(o, "v2_memory")) {
		probe_line(out, MARK_OK, "memcg", NULL, "%s", buf);
		probe_item(out, o, "memcg v2 memory", "v2_memory", NULL);
	} else {
		probe_line(out, MARK_MISSING, "memcg", probe_get_str(o, "hint"), "%s", buf);
	}

	o = probe_get(mm, "swap");
	snprintf(buf, sizeof(buf), "%lld device(s), %lld kB; zswap %s",
		 (long long)probe_get_int(o, "active", 0), (long long)probe_get_int(o, "total_kb", 0),
		 probe_or(probe_get_str(o, "zswap"), "absent"));
	probe_line(out, probe_get_int(o, "active", 0) ? MARK_OK : MARK_MISSING, "swap",
		   probe_get_str(o, "hint"), "%s", buf);

	o = probe_get(mm, "thp");
	if (probe_get_bool(o, "present"))
		snprintf(buf, sizeof(buf), "enabled=%s defrag=%s shmem_enabled=%s",
			 probe_or(probe_get_str(o, "enabled"), "?"), probe_or(probe_get_str(o, "defrag"), "?"),
			 probe_or(probe_get_str(o, "shmem_enabled"), "?"));
	else
		snprintf(buf, sizeof(buf), "absent");
	probe_line(out, probe_get_bool(o, "present") && !probe_get_str(o, "hint") ? MARK_OK : MARK_MISSING,
		   "thp", probe_get_str(o, "hint"), "%s", buf);

	o = probe_get(mm, "hugetlb");
	if (!probe_get_bool(o, "present")) {
		probe_item(out, o, "hugetlb", "present", "absent");
	} else {
		json_object_object_foreach(probe_get(o, "sizes"), size, s) {
			char name[64];

			snprintf(name, sizeof(name), "hugetlb %s", size);
			probe_line(out, probe_get_int(s, "nr_hugepages", 0) ? MARK_OK : MARK_MISSING, name,
				   probe_get_str(s, "hint"), "nr_hugepages=%lld free_hugepages=%lld",
				   (long long)probe_get_int(s, "nr_hugepages", 0),
				   (long long)probe_get_int(s, "free_hugepages", 0));
		}
	}

	o = probe_get(mm, "ksm");
	snprintf(buf, sizeof(buf), "run=%s", probe_or(probe_get_str(o, "run"), "absent"));
	probe_item(out, o, "ksm", "present", probe_get_bool(o, "present") ? buf : "absent");

	o = probe_get(mm, "numa_balancing");
	probe_item(out, o, "numa_balancing", "present",
		   probe_get_bool(o, "present") ? probe_get_str(o, "value") : "absent");

	o = probe_get(mm, "soft_dirty");
	probe_item(out, o, "soft_dirty", "present", NULL);
	o = probe_get(mm, "pagemap_scan");
	probe_item(out, o, "PAGEMAP_SCAN", "present", NULL);

	o = probe_get(mm, "userfaultfd");
	off = snprintf(buf, sizeof(buf), "syscall %s, /dev/userfaultfd %s, vm.unprivileged_userfaultfd=%s",
		       probe_get_bool(o, "syscall") ? "yes" : "no", probe_get_bool(o, "dev") ? "yes" : "no",
		       probe_or(probe_get_str(o, "unprivileged_userfaultfd"), "absent"));
	a = probe_get(o, "features");
	for (i = 0; a && i < json_object_array_length(a) && off < sizeof(buf); i++)
		off += snprintf(buf + off, sizeof(buf) - off, "%s%s", i ? " " : "; features ",
				json_object_get_string(json_object_array_get_idx(a, i)));
	probe_item(out, o, "userfaultfd", "usable", buf);
}

static void probe_print_tracefs(FILE *out, struct json_object *tr, struct json_object *dbg)
{
	char buf[256];

	fprintf(out, "tracing\n");
	probe_item(out, tr, "tracefs", "mounted", probe_or(probe_get_str(tr, "path"), "not mounted"));
	json_object_object_foreach(probe_get(tr, "events"), ev, e) {
		const char *note = probe_get_str(e, "note");

		if (probe_get_bool(e, "present"))
			snprintf(buf, sizeof(buf), "yes");
		else if (probe_get(e, "in_kernel"))
			snprintf(buf, sizeof(buf), "in the kernel: %s (tracefs not mounted)",
				 probe_get_bool(e, "in_kernel") ? "yes" : "no");
		else
			snprintf(buf, sizeof(buf), "no");
		if (note)
			probe_line(out, probe_get_bool(e, "present") ? MARK_OK : MARK_MISSING, ev,
				   probe_get_str(e, "hint"), "%s; %s", buf, note);
		else
			probe_item(out, e, ev, "present", buf);
	}
	if (probe_get_bool(dbg, "mounted"))
		snprintf(buf, sizeof(buf), "%s (kvm/ %s, lru_gen %s)", probe_get_str(dbg, "path"),
			 probe_get_bool(dbg, "kvm") ? "yes" : "no", probe_get_bool(dbg, "lru_gen") ? "yes" : "no");
	else
		snprintf(buf, sizeof(buf), "not mounted");
	probe_item(out, dbg, "debugfs", "mounted", buf);
}

static void probe_print_topology(FILE *out, struct json_object *t)
{
	struct json_object *nodes = probe_get(t, "nodes"), *n;
	char name[64];
	size_t i;

	fprintf(out, "topology\n");
	if (probe_get_str(t, "error")) {
		probe_line(out, MARK_MISSING, "hwloc", NULL, "%s", probe_get_str(t, "error"));
		return;
	}
	probe_line(out, MARK_INFO, "cpu model", NULL, "%s", probe_or(probe_get_str(t, "cpu_model"), "?"));
	probe_line(out, MARK_INFO, "packages / cores / PUs", NULL, "%lld / %lld / %lld",
		   (long long)probe_get_int(t, "packages", 0), (long long)probe_get_int(t, "cores", 0),
		   (long long)probe_get_int(t, "pus", 0));
	probe_line(out, MARK_INFO, "allowed cpus", NULL, "%s", probe_or(probe_get_str(t, "allowed_cpus"), "?"));
	probe_line(out, MARK_INFO, "numa nodes", NULL, "%zu",
		   nodes ? json_object_array_length(nodes) : (size_t)0);
	for (i = 0; nodes && i < json_object_array_length(nodes); i++) {
		n = json_object_array_get_idx(nodes, i);
		snprintf(name, sizeof(name), "node %lld", (long long)probe_get_int(n, "os_index", -1));
		probe_line(out, MARK_INFO, name, NULL, "cpus %s, memory %.1f GiB",
			   probe_or(probe_get_str(n, "cpus"), "none"),
			   probe_get_int(n, "memory_bytes", 0) / (1024.0 * 1024 * 1024));
	}
}

void probe_print(FILE *out, struct json_object *probe)
{
	struct json_object *k = probe_get(probe, "kernel");

	fprintf(out, "mmubench probe on %s, Linux %s (\"ok\": present, \"--\": missing, with a hint)\n",
		probe_or(probe_get_str(k, "hostname"), "?"), probe_or(probe_get_str(k, "release"), "?"));
	probe_print_kvm(out, probe_get(probe, "kvm"));
	probe_print_mm(out, probe_get(probe, "mm"));
	probe_print_tracefs(out, probe_get(probe, "tracefs"), probe_get(probe, "debugfs"));
	probe_print_topology(out, probe_get(probe, "topology"));
}
