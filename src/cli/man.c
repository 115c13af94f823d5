// SPDX-License-Identifier: GPL-2.0
/*
 * The generated part of doc/mmubench.1: every command's options from the same
 * tables --help prints, then the environment variables. `mmubench help --man`
 * prints it; tests/cli/test_cli.c fails when the man page disagrees.
 */
#include <stdio.h>

#include "src/cli/commands.h"
#include "src/lib/env.h"
#include "workloads/catalog.h"

/* One command's table under a .SS heading. */
static void man_table(FILE *out, const char *title, const struct opt_desc *opts)
{
	struct opt_group groups[] = { { opts, NULL, title }, { NULL } };

	opts_man(out, groups);
}

void man_print_options(FILE *out)
{
	fputs(".SH OPTIONS\n", out);
	for (int i = 0; scenarios[i]; i++) {
		struct catalog_opts co;

		if (catalog_opts_init(&co, scenarios[i]))
			continue;
		/* the common options once, under the first scenario */
		if (i == 0) {
			co.groups[0].title = "run: VM, memory and pattern (every scenario)";
			co.groups[0].defaults = NULL;
			opts_man(out, (struct opt_group[]){ co.groups[0], { NULL } });
		}
		fprintf(out, ".SS run %s\n", scenarios[i]->name);
		if (scenarios[i]->defaults) {
			fputs("Sets", out);
			for (const struct opt_default *d = scenarios[i]->defaults; d->name; d++)
				fprintf(out, "%s \\-\\-%s %s",
					d == scenarios[i]->defaults ? "" : ",", d->name, d->value);
			fputs(" by default.\n", out);
		}
		co.groups[1].title = NULL;
		opts_man(out, &co.groups[1]);
		catalog_opts_release(&co);
	}
	man_table(out, "probe", probe_options);
	man_table(out, "suite", suite_options);
	man_table(out, "gate", gate_options);
	man_table(out, "report", report_options);
	man_table(out, "import", import_options);
	man_table(out, "rig", rig_options);
	env_man(out);
}
