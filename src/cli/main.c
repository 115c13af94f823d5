// SPDX-License-Identifier: GPL-2.0
/* mmubench: how the kernel ages and dirty-tracks KVM guest memory. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include <stdio.h>
#include <string.h>

#include "src/cli/commands.h"
#include "src/lib/env.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "probe", cmd_probe,
	  "what KVM and mm can do on this host, and what would enable the rest" },
	{ "run", cmd_run, "run a scenario in a real KVM VM and record the result" },
	{ "list", cmd_list, "scenarios, drivers, backings and metrics with their units" },
	{ "suite", cmd_suite, "run a job file's matrix of configs, repeated and interleaved" },
	{ "rig", cmd_rig, "boot a kernel under test in QEMU and run a mmubench command inside" },
	{ "report", cmd_report,
	  "charts (gnuplot SVG, PNG) and an index.html from the results store" },
	{ "gate", cmd_gate,
	  "compare a candidate label with a baseline label: regressions, exit status" },
	{ "import", cmd_import, "load records made elsewhere (FILE.json) into the results store" },
	{ "kvm-hold", cmd_kvm_hold,
	  "(for the rig) keep one idle VM open so KVM's static keys stay on" },
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: mmubench COMMAND [options]   (mmubench COMMAND --help for more)\n\n"
		"mmubench runs guest workloads with a known access pattern in real KVM VMs and\n"
		"measures what the kernel does with their memory: fault latency and access cost\n"
		"(run access), page-aging accuracy of MGLRU, idle page tracking, DAMON and\n"
		"reclaim (run aging), dirty-logging cost and correctness (run dirty). Runs are\n"
		"stored, gated between labels and plotted; `rig` runs any of it inside a kernel\n"
		"under test booted in QEMU.\n\n"
		"Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nStart with:  mmubench probe  then  mmubench run access\n"
		     "Nightly:     mmubench suite workloads/jobs/nightly.job --repeat 3 --label "
		     "NEW, then\n"
		     "             mmubench gate --baseline OLD --candidate NEW, mmubench report "
		     "--out DIR\n"
		     "             (scripts/nightly does all three)\n"
		     "\nEnvironment (everything mmubench reads):\n");
	env_help(out);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	/* hidden: the man page's option lists, made from the tables (doc/mmubench.1) */
	if (!strcmp(argv[1], "help") && argc == 3 && !strcmp(argv[2], "--man")) {
		man_print_options(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("mmubench %s (%s)\n", PACKAGE_VERSION, MMUBENCH_GIT_REVISION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "mmubench: unknown command '%s' (see mmubench --help)\n", argv[1]);
	return EXIT_USAGE;
}
