// SPDX-License-Identifier: GPL-2.0
/* The catalog (workloads/catalog.h): the common options and the scenario registry. */
#include <stdlib.h>
#include <string.h>

#include "guests/abi/guest_abi.h"
#include "kernel/kvm/backing.h"
#include "workloads/catalog.h"

static const char *const cpl_names[] = { "auto", "0", "3", NULL };
static const char *const guest_page_names[] = { "4k", "2m", NULL };
static const char *const pin_names[] = { "auto", "none", NULL };
static const char *const nested_names[] = { "none", NULL };
static const char *const pattern_names[] = { "sequential", "uniform", "hotcold", "zipf", NULL };

#define CFG(f) offsetof(struct run_config, f)

const struct opt_desc run_common_options[] = {
	{ "vcpus", OPT_UINT, CFG(vcpus), "2", "N", "vCPUs, one thread each",
	  .min = 1, .max = GUEST_MAX_VCPUS, .record = true },
	{ "mem-per-vcpu", OPT_SIZE, CFG(mem_per_vcpu), "256M", "SIZE",
	  "guest memory each vCPU accesses (its own memslot unless --shared)",
	  .min = 2 << 20, .max = 1ull << 40, .record = true },
	{ "shared", OPT_FLAG, CFG(shared), NULL, NULL,
	  "all vCPUs access one region of --mem-per-vcpu bytes instead of one each", .record = true },
	{ "backing", OPT_ENUM, CFG(backing), "anon", NULL,
	  "host memory behind guest memory", .choices = backing_names, .record = true },
	{ "backing-path", OPT_STRING, CFG(backing_path), NULL, "DIR",
	  "directory for --backing file (unlinked files are created there)", .record = true },
	{ "guest-page", OPT_ENUM, CFG(guest_page), "4k", NULL,
	  "guest page-table mapping size", .choices = guest_page_names, .record = true },
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
	{ "pattern", OPT_ENUM, CFG(pattern), "sequential", NULL,
	  "guest access pattern", .choices = pattern_names, .record = true },
	{ "seed", OPT_UINT, CFG(seed), "1", "N", "pattern seed", .record = true },
	{ "write-pct", OPT_PCT, CFG(write_pct), "50", "PCT", "share of accesses that write",
	  .record = true },
	{ "hot-pct", OPT_PCT, CFG(hot_pct), "90", "PCT", "hotcold: share of accesses to the hot set",
	  .record = true },
	{ "hot-frac", OPT_DOUBLE, CFG(hot_frac), "0.1", "X",
	  "hotcold: hot set size as a fraction of the region", .min = 0.0001, .max = 1,
	  .record = true },
	{ "zipf-theta", OPT_DOUBLE, CFG(zipf_theta), "0.99", "X", "zipf: skew",
	  .min = 0, .max = 10, .record = true },
	{ "label", OPT_STRING, CFG(label), NULL, "TEXT",
	  "label for grouping runs (kernel release, commit)" },
	{ "json", OPT_STRING, CFG(json), NULL, "FILE", "write the full record to FILE (atomically)" },
	{ "store", OPT_STRING, CFG(store), NULL, "FILE",
	  "SQLite results store [default: $MMUBENCH_STORE, else the source tree's results/mmubench.db when writable, else ~/.local/share/mmubench/mmubench.db ($XDG_DATA_HOME)]" },
	{ "no-store", OPT_FLAG, CFG(no_store), NULL, NULL, "do not append the record to the store" },
	{ "ktap", OPT_FLAG, CFG(ktap), NULL, NULL, "print KTAP instead of the human summary" },
	{ "quiet", OPT_FLAG, CFG(quiet), NULL, NULL, "no progress lines on stderr" },
	{ "stall-timeout", OPT_UINT, CFG(stall_s), "300", "SEC",
	  "stop the run when a vCPU stays inside KVM_RUN this long without progress "
	  "(a guest or KVM hang); 0: never" },
	OPT_END
};

extern const struct scenario_desc scenario_access;
extern const struct scenario_desc scenario_aging;
extern const struct scenario_desc scenario_dirty;

const struct scenario_desc *const scenarios[] = {
	&scenario_access,
	&scenario_aging,
	&scenario_dirty,
	NULL,
};

const struct scenario_desc *scenario_find(const char *name)
{
	for (int i = 0; name && scenarios[i]; i++)
		if (!strcmp(scenarios[i]->name, name))
			return scenarios[i];
	return NULL;
}

const struct opt_desc *catalog_find_option(const struct scenario_desc *scn, const char *name)
{
	for (const struct opt_desc *o = run_common_options; o->name; o++)
		if (!strcmp(o->name, name))
			return o;
	for (const struct opt_desc *o = scn ? scn->options : NULL; o && o->name; o++)
		if (!strcmp(o->name, name))
			return o;
	return NULL;
}

struct json_object *catalog_default_params(const struct scenario_desc *scn)
{
	struct run_config cfg = { 0 };
	struct json_object *o = NULL;
	char *args[80], cmd[] = "mmubench", err[512];
	void *scfg;
	int n = 0;

	if (!scn)
		return NULL;
	scfg = calloc(1, scn->config_size ? scn->config_size : 1);
	if (!scfg)
		return NULL;
	struct opt_group groups[] = {
		{ run_common_options, &cfg, "" },
		{ scn->options, scfg, "" },
		{ NULL },
	};

	args[n++] = cmd;
	for (int i = 0; scn->defaults && scn->defaults[i] && n < 78; i++)
		args[n++] = (char *)scn->defaults[i];
	args[n] = NULL;
	if (opts_parse(groups, n, args, err, sizeof(err)) >= 0)
		o = opts_to_json(groups);
	free(scfg);
	return o;
}

