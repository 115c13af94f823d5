// SPDX-License-Identifier: GPL-2.0
/* The catalog (workloads/catalog.h): the common options and the scenario registry. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "guests/abi/guest_abi.h"
#include "src/lib/util.h"
#include "kernel/kvm/backing.h"
#include "workloads/catalog.h"

static const char *const cpl_names[] = { "auto", "0", "3", NULL };
static const char *const guest_page_names[] = { "4k", "2m", NULL };
static const char *const pin_names[] = { "auto", "none", NULL };
static const char *const nested_names[] = { "none", NULL };
static const char *const pattern_names[] = { "sequential", "uniform", "hotcold", "zipf", NULL };

#define CFG(f) offsetof(struct run_config, f)

const struct opt_desc run_common_options[] = {
	{ "vcpus", OPT_UINT, CFG(vcpus), "2", "N", "vCPUs, one thread each", .min = 1,
	  .max = GUEST_MAX_VCPUS, .record = true },
	{ "mem-per-vcpu", OPT_SIZE, CFG(mem_per_vcpu), "256M", "SIZE",
	  "guest memory each vCPU accesses (its own memslot unless --shared)", .min = 2 << 20,
	  .max = 1ull << 40, .record = true },
	{ "shared", OPT_FLAG, CFG(shared), NULL, NULL,
	  "all vCPUs access one region of --mem-per-vcpu bytes instead of one each",
	  .record = true },
	{ "backing", OPT_ENUM, CFG(backing), "anon", NULL, "host memory behind guest memory",
	  .choices_fn = backing_name, .record = true },
	{ "backing-path", OPT_STRING, CFG(backing_path), NULL, "DIR",
	  "directory for --backing file (unlinked files are created there)", .record = true },
	{ "guest-page", OPT_ENUM, CFG(guest_page), "4k", NULL, "guest page-table mapping size",
	  .choices = guest_page_names, .record = true },
	{ "cpl", OPT_ENUM, CFG(cpl), "auto", NULL,
	  "guest privilege level; auto = 3 on PVM hosts (CPL0 is emulated there), else 0",
	  .choices = cpl_names, .record = true },
	{ "nested", OPT_ENUM, CFG(nested), "none", NULL,
	  "guest workload in an L1 (none) or an L2 guest; L2 under SVM/VMX is not built yet",
	  .choices = nested_names, .record = true },
	{ "cpus", OPT_STRING, CFG(cpus), NULL, "LIST",
	  "pin vCPU i to the i-th CPU of LIST (e.g. 0-3,8)", .record = true },
	{ "pin", OPT_ENUM, CFG(pin), "auto", NULL,
	  "without --cpus: auto pins vCPUs to allowed CPUs in order when there are enough",
	  .choices = pin_names, .record = true },
	{ "mem-node", OPT_STRING, CFG(mem_node), "any", "N|interleave|any",
	  "NUMA placement of guest memory (bound before first touch, read back after)",
	  .record = true },
	{ "pattern", OPT_ENUM, CFG(pattern), "sequential", NULL, "guest access pattern",
	  .choices = pattern_names, .record = true },
	{ "seed", OPT_UINT, CFG(seed), "1", "N", "pattern seed", .record = true },
	{ "write-pct", OPT_PCT, CFG(write_pct), "50", "PCT", "share of accesses that write",
	  .record = true },
	{ "hot-pct", OPT_PCT, CFG(hot_pct), "90", "PCT",
	  "hotcold: share of accesses to the hot set", .record = true },
	{ "hot-frac", OPT_DOUBLE, CFG(hot_frac), "0.1", "X",
	  "hotcold: hot set size as a fraction of the region", .min = 0.0001, .max = 1,
	  .record = true },
	{ "zipf-theta", OPT_DOUBLE, CFG(zipf_theta), "0.99", "X", "zipf: skew", .min = 0, .max = 10,
	  .record = true },
	{ "label", OPT_STRING, CFG(label), NULL, "TEXT",
	  "label for grouping runs (kernel release, commit)" },
	{ "json", OPT_STRING, CFG(json), NULL, "FILE",
	  "write the full record to FILE (atomically)" },
	{ "store", OPT_STRING, CFG(store), NULL, "FILE",
	  "SQLite results store [default: $MMUBENCH_STORE, else the source tree's "
	  "results/mmubench.db when writable, else ~/.local/share/mmubench/mmubench.db "
	  "($XDG_DATA_HOME)]",
	  .env = "MMUBENCH_STORE" },
	{ "no-store", OPT_FLAG, CFG(no_store), NULL, NULL, "do not append the record to the store",
	  .env = "MMUBENCH_NO_STORE" },
	{ "ktap", OPT_FLAG, CFG(ktap), NULL, NULL, "print KTAP instead of the human summary" },
	{ "quiet", OPT_FLAG, CFG(quiet), NULL, NULL, "no progress lines on stderr" },
	{ "stall-timeout", OPT_UINT, CFG(stall_s), "300", "SEC",
	  "stop the run when a vCPU stays inside KVM_RUN this long without progress "
	  "(a guest or KVM hang); 0: never" },
	{ "debug", OPT_FLAG, CFG(debug), NULL, NULL,
	  "drivers print what they see on stderr (e.g. MGLRU generations each pass)",
	  .env = "MMUBENCH_DEBUG" },
	/* the rig's guest collects every record from there (scripts/rig-init) */
	{ "record-dir", OPT_STRING, CFG(record_dir), NULL, "DIR",
	  "also write the record to DIR/RUN_ID.json", .env = "MMUBENCH_RECORD_DIR",
	  .hidden = true },
	OPT_END
};

#define SCENARIO(n) extern const struct scenario_desc scenario_##n;
#include "workloads/scenarios.def"
#undef SCENARIO

const struct scenario_desc *const scenarios[] = {
#define SCENARIO(n) &scenario_##n,
#include "workloads/scenarios.def"
#undef SCENARIO
	NULL,
};

const struct scenario_desc *scenario_find(const char *name)
{
	for (int i = 0; name && scenarios[i]; i++)
		if (!strcmp(scenarios[i]->name, name))
			return scenarios[i];
	return NULL;
}

const char *scenario_name(size_t i)
{
	return i < ARRAY_SIZE(scenarios) - 1 ? scenarios[i]->name : NULL;
}

/* Configs are laid out one after the other, each aligned for any member. */
static size_t catalog_align(size_t n)
{
	return (n + 15) & ~(size_t)15;
}

void *catalog_plugin_config(const struct scenario_desc *scn, void *scfg,
			    const struct opt_table *t)
{
	size_t off = catalog_align(scn->config_size);
	const struct opt_table *p;

	for (size_t i = 0; scn->plugin_opts && (p = scn->plugin_opts(i)); i++) {
		if (p->opts == t->opts)	/* a registry may hand out copies, titled */
			return (char *)scfg + off;
		off += catalog_align(p->config_size);
	}
	return NULL;
}

int catalog_opts_init(struct catalog_opts *co, const struct scenario_desc *scn)
{
	size_t size = catalog_align(scn->config_size), n = 0;
	const struct opt_table *p;

	memset(co, 0, sizeof(*co));
	for (size_t i = 0; scn->plugin_opts && (p = scn->plugin_opts(i)); i++)
		size += catalog_align(p->config_size);
	co->scfg = calloc(1, size ? size : 1);
	if (!co->scfg)
		return -ENOMEM;
	co->groups[n++] = (struct opt_group){ run_common_options, &co->run,
					      "VM, memory and pattern", scn->defaults };
	co->groups[n++] = (struct opt_group){ scn->options, co->scfg, "Scenario options",
					      .validate = scn->validate };
	for (size_t i = 0; scn->plugin_opts && (p = scn->plugin_opts(i)); i++) {
		if (n == CATALOG_MAX_GROUPS) {
			catalog_opts_release(co);
			return -E2BIG;
		}
		co->groups[n++] = (struct opt_group){
			p->opts, catalog_plugin_config(scn, co->scfg, p), p->title,
		};
	}
	co->groups[n] = (struct opt_group){ NULL };
	return 0;
}

void catalog_opts_release(struct catalog_opts *co)
{
	if (co->scfg)
		opts_release(co->groups);
	free(co->scfg);
	co->scfg = NULL;
}

const struct opt_desc *catalog_find_option(const struct scenario_desc *scn, const char *name)
{
	for (const struct opt_desc *o = run_common_options; o->name; o++)
		if (!strcmp(o->name, name))
			return o;
	for (const struct opt_desc *o = scn ? scn->options : NULL; o && o->name; o++)
		if (!strcmp(o->name, name))
			return o;
	for (size_t i = 0; scn && scn->plugin_opts && scn->plugin_opts(i); i++)
		for (const struct opt_desc *o = scn->plugin_opts(i)->opts; o->name; o++)
			if (!strcmp(o->name, name))
				return o;
	return NULL;
}

struct json_object *catalog_default_params(const struct scenario_desc *scn)
{
	struct json_object *o = NULL;
	struct catalog_opts co;
	char err[512];

	if (!scn || catalog_opts_init(&co, scn))
		return NULL;
	if (!opts_apply_defaults(co.groups, "mmubench", err, sizeof(err)))
		o = opts_to_json(co.groups);
	catalog_opts_release(&co);
	return o;
}
