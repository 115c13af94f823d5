/* SPDX-License-Identifier: GPL-2.0 */
/* The rig's state and the calls between its files (src/rig/ only; the API is rig.h). */
#ifndef MMUBENCH_RIG_PRIV_H
#define MMUBENCH_RIG_PRIV_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "src/lib/strbuf.h"
#include "src/rig/rig.h"

struct record;

#define RIG_TAIL_LINES 40

/* What one boot's console told; cleared before a boot is tried again. */
struct rig_boot {
	char tail[RIG_TAIL_LINES][256];	/* last console lines, for errors */
	unsigned int ntail;
	char guest_error[512];		/* MMUBENCH-RIG-ERROR or a panic line */
	bool command_started;		/* rig-init said "running: ..." */
	bool int3_oops;			/* "Oops: int3" on the console */
};

struct rig {
	struct rig_config cfg;
	char workdir[PATH_MAX];
	char kernel[PATH_MAX];
	char modules[PATH_MAX];
	char release[128];
	const char *accel;		/* "kvm" or "tcg" */
	const char *accel_reason;
	int tcg_threads;		/* resolved: RIG_TCG_MULTI or RIG_TCG_SINGLE */
	const char *tcg_threads_reason;
	struct rig_boot boot;
	int boots;			/* boots tried */
	struct strbuf retried;		/* why each earlier boot was given up, "; "-separated */
};

/* rig.c */
bool rig_kvm_hold(const struct rig *rig);
void rig_script(const char *name, char *buf, size_t len);

/* kernel_fetch.c: rig->kernel, ->modules and ->release from the config */
int kernel_fetch_release(const char *bzimage, char *buf, size_t len);
int kernel_fetch_resolve(struct rig *rig, char *err, size_t errlen);

/* initramfs.c: what scripts/rig-init reads, and the image that carries it */
struct initramfs_modparams {
	struct strbuf kvm, amd, intel;	/* space-separated P=V for each module */
};
int initramfs_modparams(const char *kvm_params, struct initramfs_modparams *mp,
			char *err, size_t errlen);
void initramfs_modparams_release(struct initramfs_modparams *mp);
int initramfs_write_conf(const struct rig *rig, char *err, size_t errlen);
int initramfs_write_args(const struct rig *rig, int argc, char **argv, char *err, size_t errlen);
int initramfs_build(const struct rig *rig, char *err, size_t errlen);

/* qemu.c */
#define QEMU_MAX_ARGS 64
#define QEMU_MAX_NUMA 8
/* QEMU's argv and the strings it points at. */
struct qemu_cmdline {
	char *argv[QEMU_MAX_ARGS];
	char smp[32], mem[32], append[2048], initrd[PATH_MAX], data[PATH_MAX + 16];
	char numa[QEMU_MAX_NUMA][2][128];
};
void qemu_choose_accel(struct rig *rig);
int qemu_cmdline(const struct rig *rig, struct qemu_cmdline *cmd);
void qemu_console_line(struct rig *rig, char *line);
void qemu_print_tail(const struct rig *rig);
void qemu_catch_signals(void);
int qemu_boot(struct rig *rig, char *err, size_t errlen);

/* collect.c */
bool collect_boot_again(const struct rig *rig, int ret, const char *err);
void collect_boot_failed(struct rig *rig, const char *err);
void collect_tag_record(const struct rig *rig, struct record *rec);
int collect_results(struct rig *rig, int *inner_status, char *err, size_t errlen);

#endif
