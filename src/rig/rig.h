/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The QEMU test rig: boots the kernel under test in QEMU with this mmubench
 * inside (scripts/rig-initramfs, scripts/rig-init), runs a command there and
 * brings back its stdout, its exit status and its result records, which go
 * into the host's store tagged with the rig (env.rig).
 *
 * Why not virtme-ng: it is not in Debian 12, and mmubench needs a small,
 * fixed guest (KVM modules with chosen parameters, cgroup v2, zram swap, a
 * raw results channel) more than a copy of the host's userspace.
 *
 * The pieces: kernel_fetch.c (which kernel and modules), initramfs.c (what
 * goes into the guest), qemu.c (accelerator, QEMU's command line, its console,
 * signals), collect.c (the results channel, records, retries), rig.c (the
 * order of all that). src/cli/cmd_rig.c is the command on top.
 */
#ifndef MMUBENCH_RIG_H
#define MMUBENCH_RIG_H

#include <stdbool.h>
#include <stdint.h>

enum rig_accel { RIG_ACCEL_AUTO, RIG_ACCEL_KVM, RIG_ACCEL_TCG };
enum rig_tcg_threads { RIG_TCG_AUTO, RIG_TCG_MULTI, RIG_TCG_SINGLE };

/* Names of the enums above, NULL-terminated (option choices, messages, env.rig). */
extern const char *const rig_accel_names[];
extern const char *const rig_tcg_thread_names[];

/* What `mmubench rig` was asked for; the strings are borrowed, not owned. */
struct rig_config {
	const char *kernel;	/* a bzImage, or a Debian suite for scripts/fetch-kernel */
	const char *modules;	/* .../lib/modules/RELEASE; NULL: next to the kernel */
	int accel;		/* enum rig_accel */
	int tcg_threads;	/* enum rig_tcg_threads */
	uint64_t cpus;
	uint64_t mem;		/* bytes */
	uint64_t numa;		/* emulated nodes, <= cpus */
	uint64_t swap;		/* zram bytes in the guest, 0: none */
	const char *cmdline;	/* appended to the guest kernel's command line */
	const char *kvm_params;	/* "P=V,..." with optional "module." */
	uint64_t timeout_s;
	uint64_t retries;
	const char *store;	/* NULL: the default store */
	bool no_store;
	const char *json_dir;
	bool verbose;
	bool keep;
	const char *extra;	/* "FILE,..." put in the guest's /bin */
	bool exec;		/* argv is a program, not a mmubench command */
};

/*
 * Boots @cfg's kernel, runs @argv (a mmubench command, or a program with
 * @cfg->exec) inside and brings back what it made; messages go to stderr.
 * Returns the exit status: the inner command's, or EXIT_ERROR when the rig
 * itself failed (src/lib/exit.h).
 */
int rig_run(const struct rig_config *cfg, int argc, char **argv);

#endif
