/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the report draws from (model.c): the selected runs, read whole with
 * store_read(), sorted into groups and, per scenario, configurations.
 *
 * - group: what a line or a bar stands for, the run's label ("(no label)"
 *   without one); a label whose runs were made on several kernel releases is
 *   split into "label @ release" groups, so that one line never silently
 *   averages two kernels. Groups are ordered by their first run.
 * - configuration: the config identity the gate uses too (config_key() of
 *   workloads/catalog.h: a parameter missing from a run is the catalog's
 *   default). For people it is named by the parameters whose values differ
 *   between the selected runs of the scenario, in the catalog's order (the
 *   scenario's options, then the common ones): "driver=mglru, vcpus=2".
 *   Runs of the same configuration and group are pooled: histograms merged,
 *   values summarised as the median over runs with a min..max band over the
 *   runs' values and samples.
 * Only runs that completed (pass or fail) are charted; every selected run is
 * listed in the runs table.
 */
#ifndef MMUBENCH_REPORT_MODEL_H
#define MMUBENCH_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "src/lib/strlist.h"
#include "src/record/record.h"
#include "src/store/store.h"

struct scenario_desc;

struct model_run {
	struct record *rec;		/* as stored */
	const char *kernel, *host;	/* from rec->env; NULL when not recorded */
	bool charted;			/* completed (pass or fail): its numbers are drawn */
	int scn;			/* index into model.scns */
	int group;			/* index into model.groups */
	int config;			/* into its scenario's configs; -1 when not charted */
};

struct model_scn {
	char *name;
	const struct scenario_desc *desc;	/* NULL: not a scenario of this mmubench */
	struct strlist configs;	/* configuration names, sorted */
	struct strlist hists;	/* histogram names, sorted */
	struct strlist metrics;	/* judged (lower/higher) metric names, sorted */
};

struct model {
	struct model_run *runs;	/* oldest first */
	int nruns, cap;
	struct strlist groups;	/* in order of first run */
	struct model_scn *scns;	/* sorted by name */
	int nscns;
};

/* Reads the runs @q selects from @s into @m (empty before). 0 or -errno with @err. */
int model_read(struct model *m, struct store *s, const struct store_query *q, char *err,
	       size_t errlen);
/* Groups, scenarios and configurations of the runs read. */
int model_build(struct model *m, char *err, size_t errlen);
void model_free(struct model *m);

/* Index of @s in @l, or -1. */
int model_find(const struct strlist *l, const char *s);
const struct metric *model_metric(const struct model_run *r, const char *name);
const struct record_hist *model_hist(const struct model_run *r, const char *name);
const char *model_group(const struct model *m, const struct model_run *r);
const char *model_config(const struct model *m, int scn, int config);
/* Does a charted run carry @label? */
bool model_has_label(const struct model *m, const char *label);

/*
 * Names for the configurations @cfgs[0..n) of scenario @scn that drop the
 * "k=v" items they all share: within one chart only what differs is named.
 * Returns malloc'ed strings (possibly ""), NULL when out of memory; free
 * with model_free_strs().
 */
char **model_short_configs(const struct model *m, int scn, const int *cfgs, int n);
void model_free_strs(char **v, int n);

#endif
