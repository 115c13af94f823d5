// SPDX-License-Identifier: GPL-2.0
/*
 * `mmubench run SCENARIO [options]`: one run -> one record -> summary or KTAP
 * on stdout, JSON file, store.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/cli/commands.h"
#include "kernel/kvm/backing.h"
#include "src/run/envinfo.h"
#include "src/record/json_out.h"
#include "src/record/ktap_out.h"
#include "kernel/kvm/kvm_probe.h"
#include "src/run/runner.h"
#include "workloads/scenario.h"
#include "src/store/store.h"
#include "src/record/summary.h"
#include "src/lib/util.h"

static void run_usage(FILE *out)
{
	fprintf(out,
		"usage: mmubench run SCENARIO [options]\n"
		"       mmubench run SCENARIO --help   (options of SCENARIO, with defaults)\n\n"
		"Scenarios:\n");
	for (int i = 0; scenarios[i]; i++)
		fprintf(out, "  %-10s %s\n", scenarios[i]->name, scenarios[i]->summary);
	fprintf(out, "\nExit status: 0 pass, 1 a check failed, 2 bad usage, 3 error, 4 skipped.\n");
}

static void run_scenario_help(const struct scenario_desc *scn, const struct opt_group *groups)
{
	printf("usage: mmubench run %s [options]\n\n%s\n\n", scn->name, scn->help);
	if (scn->defaults) {
		printf("Defaults of this scenario (before the command line):");
		for (const struct opt_default *d = scn->defaults; d->name; d++)
			printf(" --%s %s", d->name, d->value);
		printf("\n\n");
	}
	opts_help(stdout, groups);
	printf("\nMetrics (name, unit, better):\n");
	cmd_list_metrics(stdout, scn->metrics);
	printf("\nThe record goes to the SQLite store (path printed; --store, $MMUBENCH_STORE),\n"
	       "to --json FILE when given, and to stdout as a summary or, with --ktap, KTAP.\n"
	       "Exit status: 0 pass, 1 a check failed, 2 bad usage, 3 error, 4 skipped.\n");
}

/* Writes the record everywhere it goes; returns false if any output failed. */
static bool run_emit(const struct run_config *cfg, const struct record *rec)
{
	char err[512];
	bool ok = true;

	if (cfg->ktap)
		ktap_print_record(rec);
	else
		summary_print(stdout, rec);
	fflush(stdout);
	if (cfg->json) {
		if (json_write_record(rec, cfg->json, err, sizeof(err))) {
			fprintf(stderr, "mmubench: %s\n", err);
			ok = false;
		} else if (!cfg->quiet) {
			fprintf(stderr, "mmubench: record written to %s\n", cfg->json);
		}
	}
	if (cfg->record_dir) {
		/* the test rig collects every record from there (scripts/rig-init) */
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s.json", cfg->record_dir, rec->run_id);
		if (json_write_record(rec, path, err, sizeof(err))) {
			fprintf(stderr, "mmubench: %s\n", err);
			ok = false;
		}
	}
	/* inside the test rig the host stores the record (scripts/rig-init) */
	if (!cfg->no_store) {
		const char *path = cfg->store ? cfg->store : store_default_path();
		struct store *st = NULL;

		if (store_open(path, &st, err, sizeof(err)) ||
		    store_insert(st, rec, err, sizeof(err))) {
			fprintf(stderr, "mmubench: results store: %s\n", err);
			ok = false;
		} else if (!cfg->quiet) {
			fprintf(stderr, "mmubench: run %s stored in %s\n", rec->run_id, path);
		}
		if (st)
			store_close(st);
	}
	return ok;
}

static int run_exit_status(const struct record *rec)
{
	switch (rec->status) {
	case STATUS_PASS:
		return EXIT_OK;
	case STATUS_FAIL:
		return EXIT_FAILED;
	case STATUS_SKIP:
		return EXIT_SKIPPED;
	default:
		return EXIT_ERROR;
	}
}

/* Runs the parsed config: its record, with every output; returns the exit status. */
static int run_one(const struct scenario_desc *scn, struct catalog_opts *co, const char *cmd)
{
	const struct run_config *cfg = &co->run;
	struct topo *topo = NULL;
	struct record *rec;
	char err[1024], size[32];
	int ret, status;
	uint64_t t0;

	ret = topo_open(&topo, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "mmubench: %s\n", err);
		return EXIT_ERROR;
	}
	ret = runner_validate(cfg, topo, err, sizeof(err));
	if (ret) {
		topo_close(topo);
		return opts_usage_error("%s: %s", cmd, err);
	}
	rec = record_new(scn->name, cfg->label);
	if (!rec) {
		fprintf(stderr, "mmubench: out of memory\n");
		topo_close(topo);
		return EXIT_ERROR;
	}
	json_object_put(rec->params);
	rec->params = opts_to_json(co->groups);
	json_object_put(rec->env);
	rec->env = envinfo_collect(topo);
	if (!cfg->quiet)
		fprintf(stderr,
			"mmubench: %s: %" PRIu64 " vCPU(s) x %s %s%s, pattern %s, write %" PRIu64
			"%%\n",
			scn->name, cfg->vcpus, format_size(cfg->mem_per_vcpu, size, sizeof(size)),
			backing_name(cfg->backing), cfg->shared ? " shared" : "",
			json_object_get_string(json_object_object_get(rec->params, "pattern")),
			cfg->write_pct);

	t0 = now_ns();
	/* no usable /dev/kvm here: a skip with the reason and the fix, not an error */
	ret = kvm_probe_usable(err, sizeof(err)) ? -EOPNOTSUPP :
	      runner_run(scn, cfg, co->scfg, topo, rec, err, sizeof(err));
	rec->duration_s = (now_ns() - t0) / 1e9;
	if (ret == -EOPNOTSUPP)
		record_set_status(rec, STATUS_SKIP, "%s", err);
	else if (ret)
		record_set_status(rec, STATUS_ERROR, "%s", err);
	if (ret && !cfg->quiet)
		fprintf(stderr, "mmubench: %s: %s\n", ret == -EOPNOTSUPP ? "skipped" : "error",
			err);

	status = run_exit_status(rec);
	if (!run_emit(cfg, rec) && status == EXIT_OK)
		status = EXIT_ERROR;
	record_free(rec);
	topo_close(topo);
	return status;
}

int cmd_run(int argc, char **argv)
{
	const struct scenario_desc *scn;
	struct catalog_opts co;
	char err[1024], cmd[64];
	int idx, status, ret;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		run_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	scn = scenario_find(argv[1]);
	if (!scn)
		return opts_usage_error("mmubench run: unknown scenario '%s' (see mmubench list)",
				       argv[1]);
	ret = catalog_opts_init(&co, scn);
	if (ret) {
		fprintf(stderr, "mmubench: run %s: %s\n", scn->name, ret == -E2BIG ?
			"more option groups than CATALOG_MAX_GROUPS (workloads/catalog.h)" :
			"out of memory");
		return EXIT_ERROR;
	}
	/* argv[1] (the scenario) becomes the command name of the messages */
	snprintf(cmd, sizeof(cmd), "mmubench run %s", scn->name);
	argv[1] = cmd;
	idx = opts_parse(co.groups, argc - 1, argv + 1, err, sizeof(err));
	if (idx >= 0 && idx < argc - 1) {
		snprintf(err, sizeof(err), "%s: unexpected argument '%s'", cmd, argv[1 + idx]);
		idx = -EINVAL;
	}
	if (idx == -EAGAIN) {
		run_scenario_help(scn, co.groups);
		status = EXIT_OK;
	} else if (idx < 0) {
		status = opts_usage_error("%s", err);
	} else {
		status = run_one(scn, &co, cmd);
	}
	catalog_opts_release(&co);
	return status;
}
