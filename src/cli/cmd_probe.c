// SPDX-License-Identifier: GPL-2.0
/* mmubench probe: what this kernel offers to mmubench, with hints. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "src/cli/commands.h"
#include "kernel/probe.h"
#include "src/cli/probe_print.h"

static void probe_usage(FILE *out)
{
	fprintf(out,
		"usage: mmubench probe [--json] [-h|--help]\n"
		"\n"
		"Report what this host offers to mmubench, reading only (nothing is changed\n"
		"or mounted):\n"
		"  KVM      /dev/kvm and its API version, flavour (vmx, svm, pvm), TDP or\n"
		"           shadow paging, nested virtualization, KVM_CHECK_EXTENSION results\n"
		"           of a default VM (dirty ring, manual dirty-log protect, memory\n"
		"           fault info, guest_memfd, stats fd, vCPU and memslot limits, TSC),\n"
		"           and the module parameters of kvm and of the flavour module\n"
		"  mm       MGLRU (lru_gen), idle page tracking, DAMON (read only), memory\n"
		"           cgroups v1/v2, swap and zswap, THP, hugetlb pools, KSM, NUMA\n"
		"           balancing, soft-dirty, PAGEMAP_SCAN, userfaultfd and its features\n"
		"  tracing  tracefs and the tracepoints mmubench uses (kvm_age_hva,\n"
		"           kvm_test_age_hva, kvm_unmap_hva_range, kvm_dirty_ring_push,\n"
		"           kvm_mmu_set_spte, kvm_mmu_spte_requested, kvm_page_fault,\n"
		"           damon_aggregated), debugfs\n"
		"  topology NUMA nodes with their CPUs and memory, packages, cores, PUs\n"
		"\n"
		"Each line starts with \"ok\" (present) or \"--\" (missing); every missing\n"
		"item carries a hint naming the kernel config option, module parameter or\n"
		"command that would enable it. Scenarios skip with the same reasons.\n"
		"\n"
		"options:\n"
		"  --json      print the report as a JSON tree on stdout\n"
		"  -h, --help  show this help\n");
}

int cmd_probe(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct json_object *probe;
	bool json = false;
	int c;

	opterr = 0;
	optind = 0;	/* full reset of getopt: main() may have used it */
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			probe_usage(stdout);
			return EXIT_OK;
		default:
			if (optopt == 'j' || optopt == 'h')
				fprintf(stderr, "mmubench probe: option '%s' takes no argument (see mmubench probe --help)\n",
					argv[optind - 1]);
			else if (optopt)
				fprintf(stderr, "mmubench probe: unknown option '-%c' (see mmubench probe --help)\n",
					optopt);
			else
				fprintf(stderr, "mmubench probe: unknown option '%s' (see mmubench probe --help)\n",
					argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "mmubench probe: unexpected argument '%s' (see mmubench probe --help)\n",
			argv[optind]);
		return EXIT_USAGE;
	}

	probe = probe_collect();
	if (!probe) {
		fprintf(stderr, "mmubench probe: out of memory\n");
		return EXIT_ERROR;
	}
	if (json)
		printf("%s\n", json_object_to_json_string_ext(probe,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		probe_print(stdout, probe);
	json_object_put(probe);
	if (fflush(stdout) == EOF) {
		perror("mmubench probe: writing the report");
		return EXIT_ERROR;
	}
	return EXIT_OK;
}
