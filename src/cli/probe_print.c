// SPDX-License-Identifier: GPL-2.0
/*
 * `mmubench probe`'s human report: probe_collect()'s tree (kernel/probe.h),
 * one line per item, "ok" when present, "--" when missing with its hint.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "src/cli/probe_print.h"
#include "src/lib/jsonobj.h"

enum probe_print_mark { MARK_INFO, MARK_OK, MARK_MISSING };

static void probe_print_line(FILE *out, enum probe_print_mark mark, const char *name,
		       const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void probe_print_line(FILE *out, enum probe_print_mark mark, const char *name,
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
static void probe_print_item(FILE *out, struct json_object *o, const char *name,
		       const char *okkey, const char *value)
{
	bool ok = jsonobj_get_bool(o, okkey);

	probe_print_line(out, ok ? MARK_OK : MARK_MISSING, name, jsonobj_get_str(o, "hint"),
		   "%s", value ? value : ok ? "yes" : "no");
}

static const char *probe_print_or(const char *s, const char *dflt)
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
	struct json_object *tdp = jsonobj_get(kvm, "tdp"), *nested = jsonobj_get(kvm, "nested");
	struct json_object *vm = jsonobj_get(kvm, "vm"), *caps = jsonobj_get(kvm, "capabilities");
	char buf[512];
	int64_t v;

	fprintf(out, "KVM\n");
	if (jsonobj_get_bool(kvm, "usable"))
		snprintf(buf, sizeof(buf), "usable, API %lld",
			 (long long)jsonobj_get_int(kvm, "api_version", -1));
	else
		snprintf(buf, sizeof(buf), "not usable");
	probe_print_item(out, kvm, "/dev/kvm", "usable", buf);
	probe_print_line(out,
			 strcmp(probe_print_or(jsonobj_get_str(kvm, "flavour"), "none"), "none") ?
			 MARK_OK : MARK_MISSING,
			 "flavour", NULL, "%s (module %s)",
			 probe_print_or(jsonobj_get_str(kvm, "flavour"), "none"),
			 probe_print_or(jsonobj_get_str(kvm, "module"), "none"));
	snprintf(buf, sizeof(buf), "%s (mmu %s, kvm.tdp_mmu=%s)",
		 jsonobj_get_bool(tdp, "enabled") ? "yes" : "no",
		 probe_print_or(jsonobj_get_str(tdp, "mmu"), "?"),
		 probe_print_or(jsonobj_get_str(tdp, "tdp_mmu"), "absent"));
	probe_print_item(out, tdp, "tdp", "enabled", buf);
	if (jsonobj_get_str(nested, "param"))
		snprintf(buf, sizeof(buf), "%s (%s=%s)",
			 jsonobj_get_bool(nested, "usable") ? "yes" : "no",
			 jsonobj_get_str(nested, "param"),
			 probe_print_or(jsonobj_get_str(nested, "value"), "absent"));
	else
		snprintf(buf, sizeof(buf), "no (CPU flags: vmx %s, svm %s)",
			 jsonobj_get_bool(nested, "cpu_vmx") ? "yes" : "no",
			 jsonobj_get_bool(nested, "cpu_svm") ? "yes" : "no");
	probe_print_item(out, nested, "nested", "usable", buf);
	if (vm)
		probe_print_item(out, vm, "KVM_CREATE_VM", "created",
			   jsonobj_get_bool(vm, "created") ? "yes" : jsonobj_get_str(vm, "error"));
	if (caps) {
		fprintf(out, "    capabilities (KVM_CHECK_EXTENSION on %s):\n",
			jsonobj_get_bool(vm, "created") ? "a default VM" : "/dev/kvm");
		json_object_object_foreach(caps, name, c) {
			bool feature = jsonobj_get_bool(c, "feature");
			const char *meaning = jsonobj_get_str(c, "meaning");
			char extra[128] = "";

			v = jsonobj_get_int(c, "value", 0);
			if (jsonobj_get(c, "system"))
				snprintf(extra, sizeof(extra), ", /dev/kvm says %lld",
					 (long long)jsonobj_get_int(c, "system", 0));
			probe_print_line(out, !feature ? MARK_INFO : v ? MARK_OK : MARK_MISSING,
					 name, jsonobj_get_str(c, "hint"), "%lld%s%s%s%s",
					 (long long)v, meaning && v > 1 ? " (" : "",
					 meaning && v > 1 ? meaning : "",
					 meaning && v > 1 ? ")" : "", extra);
		}
	}
	probe_print_params(out, jsonobj_get(kvm, "params"));
}

static void probe_print_mm(FILE *out, struct json_object *mm)
{
	struct json_object *o, *a;
	char buf[512];
	size_t i, off;

	fprintf(out, "mm\n");
	o = jsonobj_get(mm, "mglru");
	snprintf(buf, sizeof(buf), "%s%s%s", jsonobj_get_bool(o, "present") ? "enabled=" : "absent",
		 probe_print_or(jsonobj_get_str(o, "enabled"), ""),
		 jsonobj_get_str(o, "min_ttl_ms") ? ", min_ttl_ms=" : "");
	if (jsonobj_get_str(o, "min_ttl_ms"))
		strncat(buf, jsonobj_get_str(o, "min_ttl_ms"), sizeof(buf) - strlen(buf) - 1);
	probe_print_line(out,
			 jsonobj_get_bool(o, "present") && !jsonobj_get_str(o, "hint") ?
			 MARK_OK : MARK_MISSING,
			 "mglru (lru_gen)", jsonobj_get_str(o, "hint"), "%s", buf);

	o = jsonobj_get(mm, "page_idle");
	probe_print_item(out, o, "page_idle", "present",
			 jsonobj_get_bool(o, "present") ? "present" : "absent");

	o = jsonobj_get(mm, "damon");
	off = snprintf(buf, sizeof(buf), "%s", jsonobj_get_bool(o, "sysfs") ? "sysfs" : "no sysfs");
	if (jsonobj_get(o, "nr_kdamonds"))
		off += snprintf(buf + off, sizeof(buf) - off, ", %lld kdamond(s)%s",
				(long long)jsonobj_get_int(o, "nr_kdamonds", 0),
				jsonobj_get_bool(o, "running") ?
				", one running (read-only for mmubench)" : "");
	a = jsonobj_get(o, "kdamond_states");
	for (i = 0; a && i < json_object_array_length(a) && off < sizeof(buf); i++)
		off += snprintf(buf + off, sizeof(buf) - off, "%s%s", i ? "," : " [states: ",
				json_object_get_string(json_object_array_get_idx(a, i)));
	if (a && json_object_array_length(a) && off < sizeof(buf))
		off += snprintf(buf + off, sizeof(buf) - off, "]");
	if (off < sizeof(buf))
		snprintf(buf + off, sizeof(buf) - off, ", damon:damon_aggregated %s",
			 !jsonobj_get(o, "tracepoint") ? "unknown (no tracefs)" :
			 jsonobj_get_bool(o, "tracepoint") ? "yes" : "no");
	probe_print_item(out, o, "damon", "sysfs", buf);

	o = jsonobj_get(mm, "memcg");
	snprintf(buf, sizeof(buf), "v1 memory: %s; v2: %s, controllers \"%s\"",
		 probe_print_or(jsonobj_get_str(o, "v1_memory"), "not mounted"),
		 probe_print_or(jsonobj_get_str(o, "v2"), "not mounted"),
		 probe_print_or(jsonobj_get_str(o, "v2_controllers"), ""));
	if (jsonobj_get_str(o, "v1_memory") || jsonobj_get_bool(o, "v2_memory")) {
		probe_print_line(out, MARK_OK, "memcg", NULL, "%s", buf);
		probe_print_item(out, o, "memcg v2 memory", "v2_memory", NULL);
	} else {
		probe_print_line(out, MARK_MISSING, "memcg", jsonobj_get_str(o, "hint"), "%s", buf);
	}

	o = jsonobj_get(mm, "swap");
	snprintf(buf, sizeof(buf), "%lld device(s), %lld kB; zswap %s",
		 (long long)jsonobj_get_int(o, "active", 0),
		 (long long)jsonobj_get_int(o, "total_kb", 0),
		 probe_print_or(jsonobj_get_str(o, "zswap"), "absent"));
	probe_print_line(out, jsonobj_get_int(o, "active", 0) ? MARK_OK : MARK_MISSING, "swap",
		   jsonobj_get_str(o, "hint"), "%s", buf);

	o = jsonobj_get(mm, "thp");
	if (jsonobj_get_bool(o, "present"))
		snprintf(buf, sizeof(buf), "enabled=%s defrag=%s shmem_enabled=%s",
			 probe_print_or(jsonobj_get_str(o, "enabled"), "?"),
			 probe_print_or(jsonobj_get_str(o, "defrag"), "?"),
			 probe_print_or(jsonobj_get_str(o, "shmem_enabled"), "?"));
	else
		snprintf(buf, sizeof(buf), "absent");
	probe_print_line(out,
			 jsonobj_get_bool(o, "present") && !jsonobj_get_str(o, "hint") ?
			 MARK_OK : MARK_MISSING,
			 "thp", jsonobj_get_str(o, "hint"), "%s", buf);

	o = jsonobj_get(mm, "hugetlb");
	if (!jsonobj_get_bool(o, "present")) {
		probe_print_item(out, o, "hugetlb", "present", "absent");
	} else {
		json_object_object_foreach(jsonobj_get(o, "sizes"), size, s) {
			char name[64];

			snprintf(name, sizeof(name), "hugetlb %s", size);
			probe_print_line(
				out, jsonobj_get_int(s, "nr_hugepages", 0) ? MARK_OK : MARK_MISSING,
				name, jsonobj_get_str(s, "hint"),
				"nr_hugepages=%lld free_hugepages=%lld",
				(long long)jsonobj_get_int(s, "nr_hugepages", 0),
				(long long)jsonobj_get_int(s, "free_hugepages", 0));
		}
	}

	o = jsonobj_get(mm, "ksm");
	snprintf(buf, sizeof(buf), "run=%s", probe_print_or(jsonobj_get_str(o, "run"), "absent"));
	probe_print_item(out, o, "ksm", "present", jsonobj_get_bool(o, "present") ? buf : "absent");

	o = jsonobj_get(mm, "numa_balancing");
	probe_print_item(out, o, "numa_balancing", "present",
		   jsonobj_get_bool(o, "present") ? jsonobj_get_str(o, "value") : "absent");

	o = jsonobj_get(mm, "soft_dirty");
	probe_print_item(out, o, "soft_dirty", "present", NULL);
	o = jsonobj_get(mm, "pagemap_scan");
	probe_print_item(out, o, "PAGEMAP_SCAN", "present", NULL);

	o = jsonobj_get(mm, "userfaultfd");
	off = snprintf(buf, sizeof(buf),
		       "syscall %s, /dev/userfaultfd %s, vm.unprivileged_userfaultfd=%s",
		       jsonobj_get_bool(o, "syscall") ? "yes" : "no",
		       jsonobj_get_bool(o, "dev") ? "yes" : "no",
		       probe_print_or(jsonobj_get_str(o, "unprivileged_userfaultfd"), "absent"));
	a = jsonobj_get(o, "features");
	for (i = 0; a && i < json_object_array_length(a) && off < sizeof(buf); i++)
		off += snprintf(buf + off, sizeof(buf) - off, "%s%s", i ? " " : "; features ",
				json_object_get_string(json_object_array_get_idx(a, i)));
	probe_print_item(out, o, "userfaultfd", "usable", buf);
}

static void probe_print_tracefs(FILE *out, struct json_object *tr, struct json_object *dbg)
{
	char buf[256];

	fprintf(out, "tracing\n");
	probe_print_item(out, tr, "tracefs", "mounted",
			 probe_print_or(jsonobj_get_str(tr, "path"), "not mounted"));
	json_object_object_foreach(jsonobj_get(tr, "events"), ev, e) {
		const char *note = jsonobj_get_str(e, "note");

		if (jsonobj_get_bool(e, "present"))
			snprintf(buf, sizeof(buf), "yes");
		else if (jsonobj_get(e, "in_kernel"))
			snprintf(buf, sizeof(buf), "in the kernel: %s (tracefs not mounted)",
				 jsonobj_get_bool(e, "in_kernel") ? "yes" : "no");
		else
			snprintf(buf, sizeof(buf), "no");
		if (note)
			probe_print_line(out,
					 jsonobj_get_bool(e, "present") ? MARK_OK : MARK_MISSING,
					 ev, jsonobj_get_str(e, "hint"), "%s; %s", buf, note);
		else
			probe_print_item(out, e, ev, "present", buf);
	}
	if (jsonobj_get_bool(dbg, "mounted"))
		snprintf(buf, sizeof(buf), "%s (kvm/ %s, lru_gen %s)", jsonobj_get_str(dbg, "path"),
			 jsonobj_get_bool(dbg, "kvm") ? "yes" : "no",
			 jsonobj_get_bool(dbg, "lru_gen") ? "yes" : "no");
	else
		snprintf(buf, sizeof(buf), "not mounted");
	probe_print_item(out, dbg, "debugfs", "mounted", buf);
}

static void probe_print_topology(FILE *out, struct json_object *t)
{
	struct json_object *nodes = jsonobj_get(t, "nodes"), *n;
	char name[64];
	size_t i;

	fprintf(out, "topology\n");
	if (jsonobj_get_str(t, "error")) {
		probe_print_line(out, MARK_MISSING, "hwloc", NULL, "%s",
				 jsonobj_get_str(t, "error"));
		return;
	}
	probe_print_line(out, MARK_INFO, "cpu model", NULL, "%s",
			 probe_print_or(jsonobj_get_str(t, "cpu_model"), "?"));
	probe_print_line(out, MARK_INFO, "packages / cores / PUs", NULL, "%lld / %lld / %lld",
			 (long long)jsonobj_get_int(t, "packages", 0),
			 (long long)jsonobj_get_int(t, "cores", 0),
			 (long long)jsonobj_get_int(t, "pus", 0));
	probe_print_line(out, MARK_INFO, "allowed cpus", NULL, "%s",
			 probe_print_or(jsonobj_get_str(t, "allowed_cpus"), "?"));
	probe_print_line(out, MARK_INFO, "numa nodes", NULL, "%zu",
		   nodes ? json_object_array_length(nodes) : (size_t)0);
	for (i = 0; nodes && i < json_object_array_length(nodes); i++) {
		n = json_object_array_get_idx(nodes, i);
		snprintf(name, sizeof(name), "node %lld",
			 (long long)jsonobj_get_int(n, "os_index", -1));
		probe_print_line(out, MARK_INFO, name, NULL, "cpus %s, memory %.1f GiB",
			   probe_print_or(jsonobj_get_str(n, "cpus"), "none"),
			   jsonobj_get_int(n, "memory_bytes", 0) / (1024.0 * 1024 * 1024));
	}
}

void probe_print(FILE *out, struct json_object *probe)
{
	struct json_object *k = jsonobj_get(probe, "kernel");

	fprintf(out,
		"mmubench probe on %s, Linux %s (\"ok\": present, \"--\": missing, with a hint)\n",
		probe_print_or(jsonobj_get_str(k, "hostname"), "?"),
		probe_print_or(jsonobj_get_str(k, "release"), "?"));
	probe_print_kvm(out, jsonobj_get(probe, "kvm"));
	probe_print_mm(out, jsonobj_get(probe, "mm"));
	probe_print_tracefs(out, jsonobj_get(probe, "tracefs"), jsonobj_get(probe, "debugfs"));
	probe_print_topology(out, jsonobj_get(probe, "topology"));
}
