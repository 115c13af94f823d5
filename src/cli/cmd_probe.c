// SPDX-License-Identifier: GPL-2.0
/* mmubench probe: what this kernel offers to mmubench, with hints. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "src/cli/commands.h"
#include "kernel/probe.h"
#include "src/cli/probe_print.h"

static void probe_usage(FILE *out, const struct opt_group *groups)
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
		"\n");
	opts_help(out, groups);
}

struct probe_config {
	bool json;
};

const struct opt_desc probe_options[] = {
	{ "json", OPT_FLAG, offsetof(struct probe_config, json), NULL, NULL,
	  "print the report as a JSON tree on stdout" },
	OPT_END
};

int cmd_probe(int argc, char **argv)
{
	struct probe_config cfg = { 0 };
	struct opt_group groups[] = { { probe_options, &cfg, "Options" }, { NULL } };
	struct json_object *probe;
	bool json;
	char err[512];
	int idx;

	argv[0] = "mmubench probe";
	idx = opts_parse(groups, argc, argv, err, sizeof(err));
	if (idx == -EAGAIN) {
		probe_usage(stdout, groups);
		return EXIT_OK;
	}
	if (idx < 0)
		return opts_usage_error("%s", err);
	if (idx < argc)
		return opts_usage_error("mmubench probe: unexpected argument '%s' (see mmubench "
					"probe --help)",
					argv[idx]);
	json = cfg.json;

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
