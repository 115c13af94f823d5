// SPDX-License-Identifier: GPL-2.0
/* `mmubench list`: what can run, and what each run reports. */
#include <stdio.h>
#include <string.h>

#include "kernel/aging/driver.h"
#include "kernel/kvm/backing.h"
#include "src/cli/commands.h"
#include "workloads/scenario.h"

int cmd_list(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: mmubench list\n\nLists scenarios, host drivers, backings and the metrics\n"
		       "each scenario reports, with their unit and which direction is better.\n");
		return EXIT_OK;
	}
	if (argc > 1) {
		fprintf(stderr, "mmubench list: unexpected argument '%s' (see mmubench list --help)\n",
			argv[1]);
		return EXIT_USAGE;
	}
	printf("Scenarios (mmubench run NAME --help for options):\n");
	for (int i = 0; scenarios[i]; i++)
		printf("  %-10s %s\n", scenarios[i]->name, scenarios[i]->summary);

	printf("\nAging drivers (mmubench run aging --driver NAME):\n");
	for (int i = 0; aging_drivers[i]; i++)
		printf("  %-10s %-12s %s\n", aging_drivers[i]->name,
		       aging_drivers[i]->kind == AGING_EVICTED_KEPT ? "evicts" : "young/old",
		       aging_drivers[i]->help);

	printf("\nBackings (--backing):\n");
	for (int i = 0; backing_kinds[i]; i++)
		printf("  %-12s %s\n", backing_kinds[i]->name, backing_kinds[i]->help);

	for (int i = 0; scenarios[i]; i++) {
		printf("\nMetrics of %s (name, unit, better):\n", scenarios[i]->name);
		for (const struct metric_desc *m = scenarios[i]->metrics; m->name; m++)
			printf("  %-24s %-9s %-7s %s%s\n", m->name, m->unit,
			       metric_direction_name(m->dir), m->help, metric_flags_note(m->flags));
	}
	return EXIT_OK;
}
