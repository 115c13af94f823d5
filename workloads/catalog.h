/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The catalog: what the scenarios are, as data. Each scenario is a
 * descriptor (name, help, options, defaults, metrics) plus the ops of
 * workloads/scenario.h, registered by one line in workloads/scenarios.def;
 * the options every scenario shares (struct run_config) are here too. The
 * runner, `mmubench list`, --help, the gate and the report all read this,
 * and none of the readers of the store needs the runner for it.
 */
#ifndef MMUBENCH_CATALOG_H
#define MMUBENCH_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "src/lib/options.h"
#include "src/record/record.h"

enum run_cpl { RUN_CPL_AUTO, RUN_CPL_0, RUN_CPL_3 };
enum run_guest_page { RUN_GUEST_PAGE_4K, RUN_GUEST_PAGE_2M };
enum run_pin { RUN_PIN_AUTO, RUN_PIN_NONE };

/* Options every scenario shares (the VM, its memory, the guest pattern, output). */
struct run_config {
	uint64_t vcpus;
	uint64_t mem_per_vcpu;
	bool shared;
	int backing;			/* index into backing_kinds */
	const char *backing_path;
	int guest_page;			/* enum run_guest_page */
	int cpl;			/* enum run_cpl */
	int nested;			/* 0: the workload runs in the L1 guest */
	const char *cpus;		/* --cpus LIST */
	int pin;			/* enum run_pin */
	const char *mem_node;		/* "any", "interleave" or a node number */
	int pattern;			/* enum pattern_kind */
	uint64_t seed;
	uint64_t write_pct;
	uint64_t hot_pct;
	double hot_frac;
	double zipf_theta;
	const char *label;
	const char *json;
	const char *store;
	bool no_store;
	bool ktap;
	bool quiet;
	uint64_t stall_s;		/* --stall-timeout, 0: off */
};

extern const struct opt_desc run_common_options[];

struct scenario_ops;

struct scenario_desc {
	const char *name;
	const char *summary;		/* one line for `mmubench list` */
	const char *help;		/* paragraph for `mmubench run NAME --help` */
	const struct opt_desc *options;	/* scenario-specific options, into the scenario's config */
	const char *const *defaults;	/* common options this scenario sets differently (argv form) */
	size_t config_size;		/* bytes of that config, allocated by the runner */
	const struct metric_desc *metrics;	/* src/record/metric.h; NULL-terminated by name */
	const struct scenario_ops *ops;
};

extern const struct scenario_desc *const scenarios[];
const struct scenario_desc *scenario_find(const char *name);

/* The option called @name of `mmubench run @scn` (common or the scenario's), or NULL. */
const struct opt_desc *catalog_find_option(const struct scenario_desc *scn, const char *name);

/*
 * The params a run of @scn has when nothing is given on the command line, as
 * this binary would record them; NULL for an unknown scenario or on ENOMEM.
 */
struct json_object *catalog_default_params(const struct scenario_desc *scn);

struct strlist;

/*
 * The params of a run that define its config: not output-only (label, json,
 * store, no-store, ktap, quiet), not matched by a glob in @ignore (may be
 * NULL), and not at this binary's default for the scenario. A new object
 * holding references to @params' values; NULL on ENOMEM.
 */
struct json_object *config_params(const char *scenario, struct json_object *params,
				  const struct strlist *ignore);
/*
 * The config key of a run: "@scenario {k:v,...}" of config_params() with
 * keys sorted. Numbers are written the same way whatever their JSON spelling
 * (1, 1.0 and 1e0 are one config). malloc'ed; NULL on ENOMEM.
 */
char *config_key(const char *scenario, struct json_object *params, const struct strlist *ignore);
/* "access vcpus=1 mem-per-vcpu=64M": the scenario and its config for people (sizes by option type). */
char *config_display(const char *scenario, struct json_object *params,
		     const struct strlist *ignore);

#endif
