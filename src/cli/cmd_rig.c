// SPDX-License-Identifier: GPL-2.0
/*
 * `mmubench rig --kernel K [options] -- COMMAND...`: the command line of the
 * QEMU test rig (src/rig/rig.h), which does the work.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "src/cli/commands.h"
#include "src/lib/options.h"
#include "src/lib/util.h"
#include "src/rig/rig.h"

#define RCFG(f) offsetof(struct rig_config, f)

const struct opt_desc rig_options[] = {
	{ "kernel", OPT_STRING, RCFG(kernel), NULL, "IMAGE|bookworm|unstable",
	  "kernel to boot: a bzImage, or a Debian suite (fetched and cached by "
	  "scripts/fetch-kernel)" },
	{ "modules", OPT_STRING, RCFG(modules), NULL, "DIR",
	  "its modules (.../lib/modules/RELEASE) [default: found next to a fetched kernel]" },
	{ "accel", OPT_ENUM, RCFG(accel), "auto", NULL,
	  "auto: KVM with nested when /dev/kvm is VMX or SVM, else TCG (EPYC model with SVM and "
	  "NPT)",
	  .choices = rig_accel_names },
	{ "tcg-threads", OPT_ENUM, RCFG(tcg_threads), "auto", NULL,
	  "TCG only. single: one host thread for all guest CPUs, about 3.4 times slower with "
	  "2 busy CPUs. multi: a host thread per guest CPU (MTTCG), which with QEMU 7.2 now "
	  "and then breaks a nested-TDP guest (a triple fault) and oopses on kernel text "
	  "patching (avoided with maxcpus=1 and an idle VM, mmubench kvm-hold; retried, "
	  "--retries). auto: single with TDP, multi with the shadow MMU (npt=0, ept=0); see README",
	  .choices = rig_tcg_thread_names },
	{ "cpus", OPT_UINT, RCFG(cpus), "2", "N", "guest CPUs", .min = 1, .max = 64 },
	{ "mem", OPT_SIZE, RCFG(mem), "4G", "SIZE", "guest memory",
	  .min = 256 << 20, .max = 1ull << 40 },
	{ "numa", OPT_UINT, RCFG(numa), "1", "NODES",
	  "emulated NUMA nodes, CPUs and memory split evenly", .min = 1, .max = 8 },
	{ "swap", OPT_SIZE, RCFG(swap), "1G", "SIZE", "zram swap in the guest (0: none)" },
	{ "cmdline", OPT_STRING, RCFG(cmdline), NULL, "TEXT", "extra kernel command line" },
	{ "kvm-param", OPT_STRING, RCFG(kvm_params), NULL, "P=V,...",
	  "KVM module parameters, e.g. npt=0 (shadow MMU), tdp_mmu=0, kvm_amd.avic=1" },
	{ "timeout", OPT_UINT, RCFG(timeout_s), "900", "SEC", "kill the guest after SEC seconds",
	  .min = 10, .max = 86400 },
	{ "retries", OPT_UINT, RCFG(retries), "1", "N",
	  "boot again up to N times when the guest dies before the command starts, "
	  "or hits an int3 oops under MTTCG (every retry is reported and recorded in "
	  "env.rig.retried)", .max = 10 },
	{ "store", OPT_STRING, RCFG(store), NULL, "FILE",
	  "host store for the records [default: as run]" },
	{ "no-store", OPT_FLAG, RCFG(no_store), NULL, NULL,
	  "do not store the records on the host" },
	{ "json-dir", OPT_STRING, RCFG(json_dir), NULL, "DIR",
	  "also write each record to DIR/RUN_ID.json" },
	{ "verbose", OPT_FLAG, RCFG(verbose), NULL, NULL, "show the whole guest console" },
	{ "keep", OPT_FLAG, RCFG(keep), NULL, NULL,
	  "keep the work directory (initramfs, console, data)" },
	{ "extra", OPT_STRING, RCFG(extra), NULL, "FILE,...",
	  "also put these programs (with the libraries ldd names) in the guest's /bin" },
	{ "exec", OPT_FLAG, RCFG(exec), NULL, NULL,
	  "COMMAND is a program of its own (e.g. one of --extra), not a mmubench command: "
	  "its stdout and exit status come back, no records" },
	OPT_END
};

static void cmd_rig_usage(const struct opt_group *groups)
{
	printf("usage: mmubench rig --kernel IMAGE|bookworm|unstable [options] -- COMMAND "
	       "[ARGS...]\n\n"
	       "Boots a kernel under test in QEMU with this mmubench inside, runs\n"
	       "`mmubench COMMAND ARGS...` there and brings back its output, its exit status\n"
	       "and its records (into the host store, tagged with the guest kernel and the rig).\n"
	       "Inside: kvm and kvm_amd/kvm_intel (nested=1, plus --kvm-param), debugfs, tracefs,\n"
	       "cgroup v2 with the memory controller, MGLRU enabled where built, zram swap.\n\n"
	       "Examples:\n"
	       "  mmubench rig --kernel bookworm -- probe\n"
	       "  mmubench rig --kernel bookworm --numa 2 -- run access --mem-node 1 --cpus 1\n"
	       "  mmubench rig --kernel bookworm --kvm-param npt=0 -- run access   (shadow "
	       "MMU)\n\n");
	opts_help(stdout, groups);
	printf("\nExit status: that of the inner command; 3 if the rig itself failed.\n");
}

int cmd_rig(int argc, char **argv)
{
	struct rig_config cfg = { 0 };
	struct opt_group groups[] = { { rig_options, &cfg, NULL }, { NULL } };
	char err[1024];
	int idx;

	argv[0] = "mmubench rig";
	idx = opts_parse(groups, argc, argv, err, sizeof(err));
	if (idx == -EAGAIN) {
		cmd_rig_usage(groups);
		return EXIT_OK;
	}
	if (idx >= 0 && idx >= argc)
		idx = errf(err, sizeof(err), -EINVAL,
			   "mmubench rig: no command to run (e.g. mmubench rig --kernel bookworm "
			   "-- probe)");
	else if (idx >= 0 && !cfg.kernel)
		idx = errf(err, sizeof(err), -EINVAL,
			   "mmubench rig: --kernel is required (a bzImage, bookworm or unstable)");
	if (idx < 0) {
		fprintf(stderr, "%s\n", err);
		return EXIT_USAGE;
	}
	if (cfg.numa > cfg.cpus) {
		fprintf(stderr, "mmubench rig: --numa %" PRIu64 " needs at least as many --cpus\n",
			cfg.numa);
		return EXIT_USAGE;
	}
	return rig_run(&cfg, argc - idx, argv + idx);
}
