// SPDX-License-Identifier: GPL-2.0
/*
 * `mmubench gate --baseline LABEL --candidate LABEL [--rules FILE]`:
 * baseline against candidate in the results store (src/gate/gate.c), a table or
 * KTAP on stdout, and an exit status a CI system can act on.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "src/cli/commands.h"
#include "src/gate/gate.h"
#include "src/lib/options.h"
#include "src/store/store.h"

struct gate_cli {
	const char *baseline;
	const char *candidate;
	const char *rules;
	const char *store;
	bool ktap;
};

#define GCFG(f) offsetof(struct gate_cli, f)

const struct opt_desc gate_options[] = {
	{ "baseline", OPT_STRING, GCFG(baseline), NULL, "LABEL",
	  "label of the runs to compare against (required)" },
	{ "candidate", OPT_STRING, GCFG(candidate), NULL, "LABEL",
	  "label of the runs under test (required)" },
	{ "rules", OPT_STRING, GCFG(rules), NULL, "FILE",
	  "rules file [default: built-in, the same as results/gate.rules]" },
	{ "store", OPT_STRING, GCFG(store), NULL, "FILE",
	  "SQLite results store [default: $MMUBENCH_STORE, else the source tree's "
	  "results/mmubench.db when writable, else ~/.local/share/mmubench/mmubench.db "
	  "($XDG_DATA_HOME)]" },
	{ "ktap", OPT_FLAG, GCFG(ktap), NULL, NULL,
	  "print KTAP (a test point per metric and config) instead of the table" },
	OPT_END
};

static void gate_help(const struct opt_group *groups)
{
	printf("usage: mmubench gate --baseline LABEL --candidate LABEL [--rules FILE] [--store "
	       "FILE] [--ktap]\n\n"
	       "Compares the runs labelled --candidate with the runs labelled --baseline in\n"
	       "the results store, for every metric of every config (scenario and run\n"
	       "parameters) the two have in common. A metric's samples are its values in\n"
	       "the runs of that config (the repeats; with one run a side, the samples\n"
	       "recorded within the runs). A metric regressed when the rule's test (Welch's\n"
	       "t-test or Mann-Whitney U) gives a p that is below alpha once adjusted for\n"
	       "the number of metrics tested in the whole comparison, and it moved in its\n"
	       "bad direction by at least the minimum change (5%%) and by at least the\n"
	       "minimum effect (1 pooled standard deviation of the samples); fewer samples\n"
	       "than the minimum is \"not enough data\". The adjustment is Holm's by\n"
	       "default (correction = holm | bh | none in the rules): identical code then\n"
	       "fails the gate on noise with a chance of at most alpha however many metrics\n"
	       "there are, where each metric at alpha alone fails most nights of 60 metrics.\n"
	       "Holm rather than Benjamini-Hochberg (bh) because the gate's answer is one\n"
	       "bit, so the error that counts is any false regression, and Holm bounds it\n"
	       "whatever the dependence between metrics. The table and KTAP show p, the\n"
	       "adjusted \"p adj\" and the effect. Correctness metrics (lost_pages, ...)\n"
	       "and checks (memory_contents, ...) fail the gate on any non-zero value or any\n"
	       "failure in a candidate run, uncorrected. Info metrics are shown, not judged.\n"
	       "The rules file format and the built-in rules: results/gate.rules (installed\n"
	       "in %s).\n\n",
	       MMUBENCH_DATADIR);
	opts_help(stdout, groups);
	printf("\nExit status: 0 no regression, 1 a regression or a correctness failure,\n"
	       "2 bad usage or rules file, 3 error (no store, a label without runs, nothing\n"
	       "in common).\n");
}

int cmd_gate(int argc, char **argv)
{
	struct gate_cli cli = { 0 };
	struct opt_group groups[] = {
		{ gate_options, &cli, "Options" },
		{ NULL },
	};
	struct gate_report *g = NULL;
	struct gate_rules rules;
	char err[2048], cmd[] = "mmubench gate";
	char *args[argc + 1];
	const char *store;
	int idx, ret, status;

	/* messages name the command as the user typed it */
	args[0] = cmd;
	for (int i = 1; i <= argc; i++)
		args[i] = argv[i];
	idx = opts_parse(groups, argc, args, err, sizeof(err));
	if (idx == -EAGAIN) {
		gate_help(groups);
		return EXIT_OK;
	}
	if (idx < 0)
		return opts_usage_error("%s", err);
	if (idx < argc)
		return opts_usage_error("%s: unexpected argument '%s' (see mmubench gate --help)",
					cmd, args[idx]);
	if (!cli.baseline || !cli.candidate)
		return opts_usage_error("%s: --%s LABEL is required (see mmubench gate --help)",
					cmd, cli.baseline ? "candidate" : "baseline");

	ret = gate_rules_load(cli.rules, &rules, err, sizeof(err));
	if (ret) {
		gate_rules_free(&rules);
		return opts_usage_error("%s: %s", cmd, err);
	}
	store = cli.store ? cli.store : store_default_path();
	if (!store) {
		gate_rules_free(&rules);
		fprintf(stderr, "%s: no results store: pass --store FILE or set MMUBENCH_STORE\n",
			cmd);
		return EXIT_ERROR;
	}
	ret = gate_compare(store, cli.baseline, cli.candidate, &rules, &g, err, sizeof(err));
	gate_rules_free(&rules);
	if (ret) {
		for (char *p = err; *p; p++)
			if (iscntrl((unsigned char)*p))
				*p = '?';
		fprintf(stderr, "%s: %s\n", cmd, err);
		return EXIT_ERROR;
	}
	if (cli.ktap)
		gate_print_ktap(g);
	else
		gate_print_table(stdout, g);
	status = gate_report_failed(g) ? EXIT_FAILED : EXIT_OK;
	gate_report_free(g);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "%s: cannot write the report: %s\n", cmd, strerror(errno));
		return EXIT_ERROR;
	}
	return status;
}
