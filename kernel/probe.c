// SPDX-License-Identifier: GPL-2.0
/*
 * The prober's table: which subsystem answers for which item, where the
 * item sits in `mmubench probe`'s tree, and probe_require() for skip
 * reasons, so that a driver skips with the very hint the report prints.
 * The few facts with no subsystem of their own (uname, KSM, NUMA
 * balancing, debugfs, hwloc topology) are probed here.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include <json-c/json.h>

#include "kernel/probe.h"
#include "kernel/kvm/backing.h"
#include "kernel/kvm/kvm_probe.h"
#include "kernel/mm/damon.h"
#include "kernel/mm/lru_gen.h"
#include "kernel/mm/memcg.h"
#include "kernel/mm/page_idle.h"
#include "kernel/mm/pagemap.h"
#include "kernel/mm/swap.h"
#include "kernel/mm/sysfs.h"
#include "kernel/mm/uffd_wp.h"
#include "kernel/topology.h"
#include "kernel/trace/tracefs.h"
#include "src/lib/jsonobj.h"
#include "src/lib/strbuf.h"
#include "src/lib/util.h"

#define PROBE_KSM_RUN		"/sys/kernel/mm/ksm/run"
#define PROBE_NUMA_BALANCING	"/proc/sys/kernel/numa_balancing"

/* ------------------------------------------------------------------ */
/* Facts with no subsystem of their own */

static int probe_kernel(struct json_object *o)
{
	struct utsname u;

	if (uname(&u) == 0) {
		jsonobj_put_str(o, "release", u.release);
		jsonobj_put_str(o, "version", u.version);
		jsonobj_put_str(o, "machine", u.machine);
		jsonobj_put_str(o, "hostname", u.nodename);
	}
	sysfs_json_put_file(o, "cmdline", "/proc/cmdline");
	return 0;
}

static int probe_ksm(struct json_object *o)
{
	bool present = sysfs_exists(PROBE_KSM_RUN);

	jsonobj_put_bool(o, "present", present);
	if (!present) {
		jsonobj_put_str(o, "hint", "CONFIG_KSM=y");
		return 0;
	}
	sysfs_json_put_file(o, "run", PROBE_KSM_RUN);
	return 0;
}

static int probe_numa_balancing(struct json_object *o)
{
	bool present = sysfs_exists(PROBE_NUMA_BALANCING);

	jsonobj_put_bool(o, "present", present);
	if (present)
		sysfs_json_put_file(o, "value", PROBE_NUMA_BALANCING);
	else
		jsonobj_put_str(o, "hint", "CONFIG_NUMA_BALANCING=y");
	return 0;
}

/* The notes for PVM hosts need the flavour, which tracefs.c cannot ask for. */
static int probe_tracefs(struct json_object *o)
{
	return tracefs_probe(o, kvm_probe_flavour() == KVM_FLAVOUR_PVM);
}

static int probe_debugfs(struct json_object *o)
{
	char dir[256], path[512];

	sysfs_mount_of("debugfs", dir, sizeof(dir));
	jsonobj_put_bool(o, "mounted", dir[0]);
	jsonobj_put_str(o, "path", dir[0] ? dir : NULL);
	if (!dir[0]) {
		jsonobj_put_str(o, "hint",
				"debugfs is not mounted (KVM stats under kvm/, MGLRU's "
				"lru_gen): " SYSFS_DEBUGFS_HINT);
		return 0;
	}
	snprintf(path, sizeof(path), "%s/kvm", dir);
	jsonobj_put_bool(o, "kvm", sysfs_exists(path));
	snprintf(path, sizeof(path), "%s/lru_gen", dir);
	jsonobj_put_bool(o, "lru_gen", sysfs_exists(path));
	return 0;
}

static int probe_topology(struct json_object *o)
{
	struct json_object *d;
	struct topo *t;
	char err[256];

	if (topo_open(&t, err, sizeof(err)) < 0) {
		jsonobj_put_str(o, "error", err);
		return 0;
	}
	d = topo_describe(t);
	topo_close(t);
	if (!d)
		return -ENOMEM;
	json_object_object_foreach(d, k, v)
		json_object_object_add(o, k, json_object_get(v));
	json_object_put(d);
	return 0;
}

/* memcg is there as a v1 controller too; its hint then says what v2 would add */
static bool probe_memcg_ok(struct json_object *o)
{
	return jsonobj_get_str(o, "v1_memory") || jsonobj_get_bool(o, "v2_memory");
}

/* ------------------------------------------------------------------ */
/* The table */

const struct probe_item probe_items[] = {
	{ "kernel", probe_kernel },
	{ "kvm", kvm_probe, NULL, "/dev/kvm" },
	{ "mm.mglru", lru_gen_probe, NULL, LRU_GEN_ENABLED },
	{ "mm.page_idle", page_idle_probe, NULL, PAGE_IDLE_BITMAP },
	{ "mm.damon", damon_probe, NULL, DAMON_KDAMONDS },
	{ "mm.memcg", memcg_probe, probe_memcg_ok, "/proc/mounts" },
	{ "mm.swap", swap_probe, NULL, "/proc/swaps" },
	{ "mm.thp", backing_probe_thp, NULL, BACKING_THP_ENABLED },
	{ "mm.hugetlb", backing_probe_hugetlb, NULL, BACKING_HUGEPAGES_DIR },
	{ "mm.ksm", probe_ksm, NULL, PROBE_KSM_RUN },
	{ "mm.numa_balancing", probe_numa_balancing, NULL, PROBE_NUMA_BALANCING },
	{ "mm.soft_dirty", pagemap_probe_soft_dirty, NULL, "/proc/self/pagemap" },
	{ "mm.pagemap_scan", pagemap_probe_scan, NULL, "/proc/self/pagemap" },
	{ "mm.userfaultfd", uffd_wp_probe, NULL, UFFD_WP_DEV },
	{ "tracefs", probe_tracefs },
	{ "debugfs", probe_debugfs },
	{ "topology", probe_topology },
	{ NULL }
};

static struct json_object *probe_run(const struct probe_item *it)
{
	struct json_object *o = json_object_new_object();

	if (o && it->fn(o)) {
		json_object_put(o);
		o = NULL;
	}
	return o;
}

/* The object at "a.b" of @name in @root, created on the way; NULL when out of memory. */
static struct json_object *probe_parent(struct json_object *root, const char *name,
					const char **leaf)
{
	const char *dot;
	char key[64];
	struct json_object *o = root, *next;

	while ((dot = strchr(name, '.'))) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - name), name);
		next = jsonobj_get(o, key);
		if (!next) {
			next = json_object_new_object();
			if (!next)
				return NULL;
			json_object_object_add(o, key, next);
		}
		o = next;
		name = dot + 1;
	}
	*leaf = name;
	return o;
}

struct json_object *probe_collect(void)
{
	struct json_object *root = json_object_new_object(), *parent;
	const struct probe_item *it;
	const char *leaf;

	if (!root)
		return NULL;
	for (it = probe_items; it->name; it++) {
		parent = probe_parent(root, it->name, &leaf);
		if (parent)
			json_object_object_add(parent, leaf, probe_run(it));
	}
	return root;
}

/* The item @name is, or is below ("debugfs.lru_gen"); *rest gets what follows it. */
static const struct probe_item *probe_find(const struct probe_item *items, const char *name,
					   const char **rest)
{
	const struct probe_item *it, *best = NULL;
	size_t n;

	for (it = items; it->name; it++) {
		n = strlen(it->name);
		if (strncmp(name, it->name, n) || (name[n] && name[n] != '.'))
			continue;
		if (!best || n > strlen(best->name)) {
			best = it;
			*rest = name[n] ? name + n + 1 : NULL;
		}
	}
	return best;
}

struct json_object *probe_one(const char *name)
{
	const char *rest = NULL;
	const struct probe_item *it = probe_find(probe_items, name, &rest);

	return it && !rest ? probe_run(it) : NULL;
}

/*
 * Whether @path below item @it (NULL: the item itself) is there in its
 * object @o; *hint gets the nearest hint on the way, NULL when none.
 */
static bool probe_judge(const struct probe_item *it, struct json_object *o, const char *path,
			const char **hint)
{
	struct json_object *node = o, *v;
	const char *dot, *h;
	char key[128];

	*hint = jsonobj_get_str(o, "hint");
	if (!path)
		return it->ok ? it->ok(o) : !*hint;
	while (path) {
		dot = strchr(path, '.');
		snprintf(key, sizeof(key), "%.*s", dot ? (int)(dot - path) : (int)strlen(path),
			 path);
		path = dot ? dot + 1 : NULL;
		if (!json_object_object_get_ex(node, key, &v) || !v)
			return false;
		if (!json_object_is_type(v, json_type_object))
			return !path && json_object_get_boolean(v);
		node = v;
		h = jsonobj_get_str(node, "hint");
		if (h)
			*hint = h;
	}
	return !jsonobj_get_str(node, "hint");
}

int probe_require_in(const struct probe_item *items, const char *const *names,
		     char *err, size_t errlen)
{
	struct strbuf sb = STRBUF_INIT;
	const struct probe_item *it;
	struct json_object *o;
	const char *rest, *hint;
	int ret = 0;

	for (; names && *names; names++) {
		rest = NULL;
		it = probe_find(items, *names, &rest);
		if (!it) {
			ret = errf(err, errlen, -EINVAL, "%s: no such probe item", *names);
			break;
		}
		o = probe_run(it);
		if (!o) {
			ret = errf(err, errlen, -ENOMEM, "out of memory");
			break;
		}
		if (!probe_judge(it, o, rest, &hint)) {
			strbuf_addf(&sb, "%sno %s", sb.len ? "; " : "", *names);
			if (!rest && it->about)
				strbuf_addf(&sb, ", %s", it->about);
			if (hint)
				strbuf_addf(&sb, " (hint: %s)", hint);
			ret = -EOPNOTSUPP;
		}
		json_object_put(o);
	}
	if (ret == -EOPNOTSUPP)
		ret = errf(err, errlen, ret, "%s", sb.buf);
	strbuf_release(&sb);
	return ret;
}

int probe_require(const char *const *names, char *err, size_t errlen)
{
	return probe_require_in(probe_items, names, err, errlen);
}
