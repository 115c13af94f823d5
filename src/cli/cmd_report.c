// SPDX-License-Identifier: GPL-2.0
/*
 * `mmubench report --out DIR [--label L[,L]] [--since WHEN] [--scenario S]`:
 * charts from the results store with gnuplot, and an index.html showing them
 * with their numbers (report.c).
 *
 * Exit status: 0 written; 2 bad usage, no store at the path, or no run
 * matching the selection (one line on stderr); 3 error (gnuplot missing or
 * failing, the directory not writable, the store unreadable).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/cli/commands.h"
#include "src/lib/options.h"
#include "src/lib/strlist.h"
#include "src/report/report.h"
#include "src/store/store.h"
#include "src/lib/util.h"

struct report_cfg {
	const char *out;
	const char *store;
	struct strlist labels;
	const char *since;
	struct strlist scenarios;
	const char *baseline;
	const char *candidate;
	const char *gnuplot;
	bool quiet;
};

const struct opt_desc report_options[] = {
	{ "out", OPT_STRING, offsetof(struct report_cfg, out), NULL, "DIR",
	  "where index.html, the charts (SVG and PNG), their data and gnuplot scripts go "
	  "(created)" },
	{ "store", OPT_STRING, offsetof(struct report_cfg, store), NULL, "FILE",
	  "results store to read [default: $MMUBENCH_STORE, else the one mmubench run uses]" },
	{ "label", OPT_LIST, offsetof(struct report_cfg, labels), NULL, "LIST",
	  "only runs with these labels (comma list, repeatable); the first two are the baseline "
	  "and the candidate" },
	{ "since", OPT_STRING, offsetof(struct report_cfg, since), NULL, "WHEN",
	  "only runs started at or after WHEN (UTC): 2026-11-21, 2026-11-21T06:00Z, Unix seconds, "
	  "or an age: 36h, 7d, 2w" },
	{ "scenario", OPT_LIST, offsetof(struct report_cfg, scenarios), NULL, "LIST",
	  "only these scenarios (comma list, repeatable)" },
	{ "baseline", OPT_STRING, offsetof(struct report_cfg, baseline), NULL, "LABEL",
	  "label of the baseline in the baseline vs candidate charts [default: the first "
	  "--label]" },
	{ "candidate", OPT_STRING, offsetof(struct report_cfg, candidate), NULL, "LABEL",
	  "label of the candidate [default: the second --label]" },
	{ "gnuplot", OPT_STRING, offsetof(struct report_cfg, gnuplot), "gnuplot", "PROG",
	  "gnuplot program to run" },
	{ "quiet", OPT_FLAG, offsetof(struct report_cfg, quiet), NULL, NULL,
	  "no progress on stderr" },
	OPT_END
};

static void report_help(const struct opt_group *groups)
{
	printf("usage: mmubench report --out DIR [--label A,B] [--since WHEN] [--scenario S] "
	       "[options]\n\n"
	       "Draws the runs of the results store with gnuplot (SVG and PNG) into DIR and "
	       "writes\n"
	       "DIR/index.html showing them with the numbers drawn: latency CDF and percentiles "
	       "per\n"
	       "configuration, false-old and false-young per aging epoch, aging pass time vs "
	       "memory\n"
	       "size, the trend of every judged metric across labels (median, min..max band), and\n"
	       "baseline vs candidate bars for two labels. Needs gnuplot (apt-get install "
	       "gnuplot-nox);\n"
	       "no network, no JavaScript. A chart without data is an image saying so, and the "
	       "page\n"
	       "lists why.\n\n");
	opts_help(stdout, groups);
	printf("\nExit status: 0 written, 2 bad usage or nothing selected (no store, no matching "
	       "run),\n"
	       "3 error (gnuplot missing or failed, DIR not writable, store unreadable).\n");
}

/* @l as the NULL-terminated array report_opts wants (pointing into @l), or NULL when empty. */
static const char **report_array(const struct strlist *l, bool *oom)
{
	const char **v;

	if (!l->n)
		return NULL;
	v = calloc(l->n + 1, sizeof(*v));
	if (!v) {
		*oom = true;
		return NULL;
	}
	for (size_t i = 0; i < l->n; i++)
		v[i] = l->v[i];
	return v;
}

int cmd_report(int argc, char **argv)
{
	struct report_cfg cfg = { 0 };
	struct opt_group groups[] = {
		{ report_options, &cfg, "Options" },
		{ NULL },
	};
	struct report_opts o = { 0 };
	struct report_result res;
	const char **labels = NULL, **scns = NULL;
	char err[2048], cmd[] = "mmubench report";
	bool oom = false;
	int idx, status;

	argv[0] = cmd;
	idx = opts_parse(groups, argc, argv, err, sizeof(err));
	if (idx == -EAGAIN) {
		report_help(groups);
		status = EXIT_OK;
		goto out;
	}
	if (idx < 0) {
		status = opts_usage_error("%s", err);
		goto out;
	}
	if (idx < argc) {
		status = opts_usage_error("mmubench report: unexpected argument '%s' (see mmubench "
					  "report --help)",
					  argv[idx]);
		goto out;
	}
	if (!cfg.out) {
		status = opts_usage_error("mmubench report: --out DIR is required (where "
					  "index.html and the charts go)");
		goto out;
	}
	labels = report_array(&cfg.labels, &oom);
	scns = report_array(&cfg.scenarios, &oom);
	if (oom) {
		status = opts_usage_error("mmubench report: out of memory reading the options");
		goto out;
	}
	o.out = cfg.out;
	o.store = cfg.store ? cfg.store : store_default_path();
	if (!o.store) {
		status = opts_usage_error("mmubench report: no results store: no home directory, "
					    "set MMUBENCH_STORE or give --store FILE");
		goto out;
	}
	if (cfg.since && report_parse_since(cfg.since, (int64_t)time(NULL), &o.since)) {
		status = opts_usage_error("mmubench report: --since '%s' is not a date "
					  "(2026-11-21, "
					  "2026-11-21T06:00Z), Unix seconds or an age (36h, 7d, "
					  "2w)",
					  cfg.since);
		goto out;
	}
	o.has_since = cfg.since != NULL;
	o.labels = labels;
	o.scenarios = scns;
	o.baseline = cfg.baseline;
	o.candidate = cfg.candidate;
	o.gnuplot = cfg.gnuplot;
	o.quiet = cfg.quiet;

	if (report_generate(&o, &res, err, sizeof(err))) {
		for (char *p = err; *p; p++)
			if (iscntrl((unsigned char)*p))
				*p = '?';
		fprintf(stderr, "mmubench report: %s\n", err);
		status = res.bad_input ? EXIT_USAGE : EXIT_ERROR;
		if (res.charts)
			printf("report: %s (%d charts, %d without data, %d runs)\n", res.index,
			       res.charts, res.nodata, res.runs);
		goto out;
	}
	printf("report: %s (%d charts, %d without data, %d runs)\n", res.index, res.charts,
	       res.nodata, res.runs);
	status = EXIT_OK;
out:
	free(labels);
	free(scns);
	opts_release(groups);
	return status;
}
