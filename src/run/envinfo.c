// SPDX-License-Identifier: GPL-2.0
/* The run environment for result records, built from the prober's items. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "src/run/envinfo.h"
#include "kernel/kvm/kvm_probe.h"
#include "kernel/probe.h"
#include "kernel/topology.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif
#ifndef MMUBENCH_GIT_REVISION
#define MMUBENCH_GIT_REVISION "unknown"
#endif
#ifndef MMUBENCH_LINUX_RELEASE
#define MMUBENCH_LINUX_RELEASE "unknown"
#endif

/* Copy key of src into dst as name, or "absent" when src does not have it. */
static void envinfo_copy(struct json_object *dst, const char *name,
			 struct json_object *src, const char *key)
{
	struct json_object *v = NULL;

	if (src && json_object_object_get_ex(src, key, &v) && v)
		json_object_object_add(dst, name, json_object_get(v));
	else
		json_object_object_add(dst, name, json_object_new_string("absent"));
}

static struct json_object *envinfo_kvm(void)
{
	struct json_object *o = json_object_new_object();
	struct json_object *tdp = json_object_new_object(), *params = json_object_new_object();
	enum kvm_flavour f = kvm_probe_flavour();
	const char *m = kvm_probe_flavour_module(f);

	json_object_object_add(o, "flavour", json_object_new_string(kvm_probe_flavour_name(f)));
	json_object_object_add(o, "module", m ? json_object_new_string(m) : NULL);
	if (tdp)
		kvm_probe_tdp(tdp, f);
	envinfo_copy(o, "tdp", tdp, "enabled");
	envinfo_copy(o, "mmu", tdp, "mmu");
	json_object_put(tdp);
	if (params)
		kvm_probe_params(params, f);
	json_object_object_add(o, "params", params);
	return o;
}

static struct json_object *envinfo_mm(void)
{
	struct json_object *o = json_object_new_object(), *p;

	p = probe_one("mm.thp");
	envinfo_copy(o, "thp_enabled", p, "enabled");
	envinfo_copy(o, "thp_defrag", p, "defrag");
	envinfo_copy(o, "thp_shmem_enabled", p, "shmem_enabled");
	json_object_put(p);
	p = probe_one("mm.ksm");
	envinfo_copy(o, "ksm_run", p, "run");
	json_object_put(p);
	p = probe_one("mm.numa_balancing");
	envinfo_copy(o, "numa_balancing", p, "value");
	json_object_put(p);
	p = probe_one("mm.mglru");
	envinfo_copy(o, "lru_gen", p, "enabled");
	json_object_put(p);
	return o;
}

static struct json_object *envinfo_cpu(void)
{
	struct json_object *o = json_object_new_object();
	char model[256];

	if (topo_cpu_model(model, sizeof(model)) < 0)
		strcpy(model, "unknown");
	json_object_object_add(o, "model", json_object_new_string(model));
	json_object_object_add(o, "constant_tsc",
			       json_object_new_boolean(kvm_probe_cpu_has_flag("constant_tsc")));
	json_object_object_add(o, "nonstop_tsc",
			       json_object_new_boolean(kvm_probe_cpu_has_flag("nonstop_tsc")));
	return o;
}

static struct json_object *envinfo_mmubench(void)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "version", json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(o, "git_revision", json_object_new_string(MMUBENCH_GIT_REVISION));
	json_object_object_add(o, "linux_uapi", json_object_new_string(MMUBENCH_LINUX_RELEASE));
	return o;
}

struct json_object *envinfo_collect(struct topo *t)
{
	struct json_object *o = json_object_new_object(), *kernel;

	if (!o)
		return NULL;
	kernel = probe_one("kernel");
	envinfo_copy(o, "kernel_release", kernel, "release");
	envinfo_copy(o, "hostname", kernel, "hostname");
	if (kernel)
		json_object_object_del(kernel, "hostname");
	json_object_object_add(o, "kernel", kernel);
	json_object_object_add(o, "kvm", envinfo_kvm());
	json_object_object_add(o, "mm", envinfo_mm());
	json_object_object_add(o, "cpu", envinfo_cpu());
	json_object_object_add(o, "topology", t ? topo_describe(t) : NULL);
	json_object_object_add(o, "mmubench", envinfo_mmubench());
	return o;
}
