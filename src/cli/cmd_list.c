// SPDX-License-Identifier: GPL-2.0
/* `mmubench list`: what can run, and what each run reports. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kernel/aging/driver.h"
#include "kernel/kvm/backing.h"
#include "src/cli/commands.h"
#include "src/lib/strbuf.h"
#include "workloads/scenario.h"

/* "needs: mm.mglru, debugfs.lru_gen" from the driver's requires (prober item names). */
static void list_needs(const char *const *requires)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "needs: ");
	if (!requires || !*requires)
		strbuf_addch(&sb, '-');
	for (int i = 0; requires && requires[i]; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", requires[i]);
	if (requires && *requires)
		strbuf_addstr(&sb, " (see mmubench probe)");
	printf("%26s", "");
	opts_wrap(stdout, sb.buf, 26, 26);
	strbuf_release(&sb);
}

/* Name, unit and direction in columns, the help wrapped beside them within 79 columns. */
void cmd_list_metrics(FILE *out, const struct metric_desc *metrics)
{
	for (const struct metric_desc *m = metrics; m->name; m++) {
		struct strbuf help = STRBUF_INIT;

		strbuf_addf(&help, "%s%s", m->help, metric_flags_note(m->flags));
		fprintf(out, "  %-24s %-9s %-7s ", m->name, m->unit, metric_direction_name(m->dir));
		opts_wrap(out, help.buf, 45, 45);
		strbuf_release(&help);
	}
}

int cmd_list(int argc, char **argv)
{
	static const struct opt_desc none[] = { OPT_END };
	struct opt_group groups[] = { { none, NULL, NULL }, { NULL } };
	char err[512];
	int idx;

	argv[0] = "mmubench list";
	idx = opts_parse(groups, argc, argv, err, sizeof(err));
	if (idx == -EAGAIN) {
		printf("usage: mmubench list\n\nLists scenarios, host drivers, backings and the "
		       "metrics\n"
		       "each scenario reports, with their unit and which direction is better.\n");
		return EXIT_OK;
	}
	if (idx < 0)
		return opts_usage_error("%s", err);
	if (idx < argc)
		return opts_usage_error("mmubench list: unexpected argument '%s' (see mmubench "
					"list --help)",
					argv[idx]);
	printf("Scenarios (mmubench run NAME --help for options):\n");
	for (int i = 0; scenarios[i]; i++) {
		printf("  %-10s ", scenarios[i]->name);
		opts_wrap(stdout, scenarios[i]->summary, 13, 13);
	}

	printf("\nAging drivers (mmubench run aging --driver NAME):\n");
	for (int i = 0; aging_drivers[i]; i++) {
		printf("  %-10s %-12s ", aging_drivers[i]->name,
		       aging_drivers[i]->kind == AGING_EVICTED_KEPT ? "evicts" : "young/old");
		opts_wrap(stdout, aging_drivers[i]->help, 26, 26);
		list_needs(aging_drivers[i]->requires);
	}

	printf("\nBackings (--backing):\n");
	for (int i = 0; backing_kinds[i]; i++) {
		printf("  %-12s ", backing_kinds[i]->name);
		opts_wrap(stdout, backing_kinds[i]->help, 15, 15);
	}

	for (int i = 0; scenarios[i]; i++) {
		printf("\nMetrics of %s (name, unit, better):\n", scenarios[i]->name);
		cmd_list_metrics(stdout, scenarios[i]->metrics);
	}
	return EXIT_OK;
}
