// SPDX-License-Identifier: GPL-2.0
/*
 * The rig's order of work (rig.h): a private work directory, the kernel,
 * the accelerator, the initramfs, boots until one is worth keeping, the
 * results, then the work directory goes (unless --keep).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/lib/env.h"
#include "src/lib/exit.h"
#include "src/lib/spawn.h"
#include "src/rig/rig_priv.h"

const char *const rig_accel_names[] = { "auto", "kvm", "tcg", NULL };
const char *const rig_tcg_thread_names[] = { "auto", "multi", "single", NULL };

/* Under multi-threaded TCG the guest holds one idle VM: see src/cli/cmd_kvm_hold.c. */
bool rig_kvm_hold(const struct rig *rig)
{
	return strcmp(rig->accel, "kvm") && rig->tcg_threads == RIG_TCG_MULTI;
}

/* A helper script: from the source tree when running from a build, else installed. */
void rig_script(const char *name, char *buf, size_t len)
{
#ifdef MMUBENCH_SRCDIR
	snprintf(buf, len, "%s/scripts/%s", MMUBENCH_SRCDIR, name);
	if (access(buf, X_OK) == 0)
		return;
#endif
	snprintf(buf, len, "%s/%s", MMUBENCH_DATADIR, name);
}

/* Boots until a boot is not worth another (collect_boot_again()). */
static int rig_boot_until_done(struct rig *rig, char *err, size_t errlen)
{
	int ret;

	qemu_catch_signals();
	for (;;) {
		rig->boots++;
		ret = qemu_boot(rig, err, errlen);
		if (!collect_boot_again(rig, ret, err))
			return ret;
		collect_boot_failed(rig, err);
	}
}

/* Everything between the work directory's creation and its removal. */
static int rig_in_workdir(struct rig *rig, int argc, char **argv, int *inner,
			  char *err, size_t errlen)
{
	int ret;

	ret = kernel_fetch_resolve(rig, err, errlen);
	if (ret)
		return ret;
	qemu_choose_accel(rig);
	ret = initramfs_write_conf(rig, err, errlen);
	if (!ret)
		ret = initramfs_write_args(rig, argc, argv, err, errlen);
	if (!ret)
		ret = initramfs_build(rig, err, errlen);
	if (!ret)
		ret = rig_boot_until_done(rig, err, errlen);
	if (!ret)
		ret = collect_results(rig, inner, err, errlen);
	return ret;
}

int rig_run(const struct rig_config *cfg, int argc, char **argv)
{
	struct rig *rig = calloc(1, sizeof(*rig));
	const char *tmp = env_get("TMPDIR");
	char err[1024];
	int ret, status = EXIT_ERROR, inner = -1;

	if (!rig)
		return EXIT_ERROR;
	rig->cfg = *cfg;
	strbuf_init(&rig->retried);
	snprintf(rig->workdir, sizeof(rig->workdir), "%s/mmubench-rig.XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(rig->workdir)) {
		fprintf(stderr, "mmubench rig: mkdtemp %s: %s\n", rig->workdir, strerror(errno));
		free(rig);
		return EXIT_ERROR;
	}
	ret = rig_in_workdir(rig, argc, argv, &inner, err, sizeof(err));
	if (ret)
		fprintf(stderr, "mmubench rig: %s\n", err);
	if (inner >= 0)
		status = ret ? EXIT_ERROR : inner;

	if (rig->cfg.keep) {
		fprintf(stderr, "mmubench rig: work directory kept: %s\n", rig->workdir);
	} else {
		char *rm[] = { "/bin/rm", "-rf", rig->workdir, NULL };

		spawn_run(rm, NULL);
	}
	strbuf_release(&rig->retried);
	free(rig);
	return status;
}
