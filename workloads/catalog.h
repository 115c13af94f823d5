/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The catalog: what the scenarios are, as data. Each scenario is a
 * descriptor (name, help, options, defaults, metrics) plus the ops of
 * workloads/scenario.h, registered by one line in SCENARIOS in
 * workloads/local.mk (the build makes the registry of it, scenarios.def); the
 * options every scenario shares (struct run_config) are here too. The
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
	const char *record_dir;		/* --record-dir (the rig's): the record also there */
	bool debug;			/* --debug: drivers say what they see */
};

extern const struct opt_desc run_common_options[];

/*
 * A chart a scenario asks the report for, beyond those every scenario gets
 * (latency, trend, baseline vs candidate): which of its metrics and
 * parameters to draw, and the words that explain them, so that the report
 * names no scenario's metric. A scenario's list ends with kind CHART_END.
 */
enum chart_kind {
	CHART_END,
	CHART_PER_EPOCH,	/* the samples of @metric and @metric2 by epoch, per config */
	CHART_COST_VS_SIZE,	/* @metric against guest memory, a line per value of @by */
};

struct chart_spec {
	enum chart_kind kind;
	const char *metric, *metric2;	/* per epoch: the two series; cost: time, time per GiB */
	const char *by;			/* cost: the parameter naming a line (else the scenario) */
	const char *title;		/* the report section's title */
	const char *about;		/* its paragraph: what is drawn and how */
	const char *chart;		/* cost: the chart's title */
	const char *axis;		/* the y axis in words (cost: before its unit) */
	const char *sample, *samples;	/* cost: what one sample of @metric is, and several */
	const char *hint;		/* cost: how a run gets @metric */
};

struct scenario_ops;

struct scenario_desc {
	const char *name;
	const char *summary;		/* one line for `mmubench list` */
	const char *help;		/* paragraph for `mmubench run NAME --help` */
	const struct opt_desc *options;	/* scenario-specific options, into the scenario's config */
	/* common options this scenario sets differently */
	const struct opt_default *defaults;
	size_t config_size;		/* bytes of that config (catalog_opts_init allocates) */
	/* cross-option rules of the scenario's options (e.g. one needing a --pattern) */
	int (*validate)(const void *cfg, const struct opt_group *groups, char *err, size_t errlen);
	/* option tables of its plug-ins (aging drivers), the i-th, NULL past the end */
	const struct opt_table *(*plugin_opts)(size_t i);
	const struct metric_desc *metrics;	/* src/record/metric.h; NULL-terminated by name */
	/* the report's charts of this scenario; may be NULL */
	const struct chart_spec *charts;
	const struct scenario_ops *ops;
};

extern const struct scenario_desc *const scenarios[];
const struct scenario_desc *scenario_find(const char *name);
/* The i-th scenario's name, NULL past the end (an OPT_ENUM's choices_fn). */
const char *scenario_name(size_t i);

#define CATALOG_MAX_GROUPS 8

/*
 * The options of `mmubench run SCENARIO` with their configs: the common ones,
 * the scenario's (with its defaults and validate), then one group per
 * plug-in table. scfg is one allocation: the scenario's config, then each
 * plug-in's, so the runner hands it on as it is.
 */
struct catalog_opts {
	struct run_config run;
	void *scfg;
	struct opt_group groups[CATALOG_MAX_GROUPS + 1];
};

/* Allocates the configs and fills the groups (nothing parsed yet); -ENOMEM, -E2BIG. */
int catalog_opts_init(struct catalog_opts *co, const struct scenario_desc *scn);
void catalog_opts_release(struct catalog_opts *co);
/* The config of plug-in table @t inside @scfg (from catalog_opts_init), or NULL. */
void *catalog_plugin_config(const struct scenario_desc *scn, void *scfg,
			    const struct opt_table *t);

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
/*
 * "access vcpus=1 mem-per-vcpu=64M": the scenario and its config for people
 * (sizes by option type).
 */
char *config_display(const char *scenario, struct json_object *params,
		     const struct strlist *ignore);

#endif
