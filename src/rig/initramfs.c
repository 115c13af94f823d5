// SPDX-License-Identifier: GPL-2.0
/*
 * What goes into the guest: rig.conf (KVM module parameters, swap, modes)
 * and rig.args (the command) for scripts/rig-init, and the initramfs that
 * scripts/rig-initramfs packs from them, the modules and this mmubench.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "src/lib/spawn.h"
#include "src/lib/strlist.h"
#include "src/lib/util.h"
#include "src/rig/rig_priv.h"

void initramfs_modparams_release(struct initramfs_modparams *mp)
{
	strbuf_release(&mp->kvm);
	strbuf_release(&mp->amd);
	strbuf_release(&mp->intel);
}

/*
 * --kvm-param P=V,...: "module.P=V" goes to that module; npt, avic, ept and
 * enable_apicv to the vendor module they belong to; nested (on by default,
 * the rig runs L2s) replaces the default of both vendor modules; the rest to kvm.
 */
int initramfs_modparams(const char *kvm_params, struct initramfs_modparams *mp,
			char *err, size_t errlen)
{
	struct strlist l = STRLIST_INIT;
	int ret = 0;

	if (kvm_params && strlist_split(&l, kvm_params, ",")) {
		strlist_free(&l);
		return errf(err, errlen, -ENOMEM, "--kvm-param: %s", strerror(ENOMEM));
	}
	strbuf_init(&mp->kvm);
	strbuf_init(&mp->amd);
	strbuf_init(&mp->intel);
	strbuf_addstr(&mp->amd, "nested=1");
	strbuf_addstr(&mp->intel, "nested=1");
	for (size_t i = 0; i < l.n && !ret; i++) {
		char *p = l.v[i], *dot = strchr(p, '.'), *eq = strchr(p, '=');
		struct strbuf *dst = &mp->kvm;

		if (!eq) {
			ret = errf(err, errlen, -EINVAL,
				   "--kvm-param '%s': expected PARAM=VALUE", p);
			break;
		}
		if (dot && dot < eq) {
			*dot = 0;
			dst = !strcmp(p, "kvm_amd") ? &mp->amd :
			      !strcmp(p, "kvm_intel") ? &mp->intel :
			      !strcmp(p, "kvm") ? &mp->kvm : NULL;
			if (!dst) {
				ret = errf(err, errlen, -EINVAL,
					   "--kvm-param: unknown module '%s'", p);
				break;
			}
			p = dot + 1;
		} else if (!strncmp(p, "npt=", 4) || !strncmp(p, "avic=", 5)) {
			dst = &mp->amd;
		} else if (!strncmp(p, "ept=", 4) || !strncmp(p, "enable_apicv=", 13)) {
			dst = &mp->intel;
		} else if (!strncmp(p, "nested=", 7)) {
			strbuf_reset(&mp->amd);
			strbuf_addstr(&mp->amd, p);
			strbuf_reset(&mp->intel);
			strbuf_addstr(&mp->intel, p);
			continue;
		}
		strbuf_addf(dst, "%s%s", dst->len ? " " : "", p);
	}
	strlist_free(&l);
	if (!ret && (mp->kvm.failed || mp->amd.failed || mp->intel.failed))
		ret = errf(err, errlen, -ENOMEM, "--kvm-param: %s", strerror(ENOMEM));
	if (ret)
		initramfs_modparams_release(mp);
	return ret;
}

int initramfs_write_conf(const struct rig *rig, char *err, size_t errlen)
{
	struct initramfs_modparams mp;
	char path[PATH_MAX];
	int ret;
	FILE *f;

	ret = initramfs_modparams(rig->cfg.kvm_params, &mp, err, errlen);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/rig.conf", rig->workdir);
	f = fopen(path, "w");
	if (!f) {
		ret = errf(err, errlen, -errno, "%s: %s", path, strerror(errno));
		initramfs_modparams_release(&mp);
		return ret;
	}
	fprintf(f, "MODPARAM_kvm='%s'\nMODPARAM_kvm_amd='%s'\nMODPARAM_kvm_intel='%s'\n"
		"RIG_SWAP=%" PRIu64 "\nRIG_EXEC=%d\nRIG_KVM_HOLD=%d\n", mp.kvm.buf, mp.amd.buf,
		mp.intel.buf, rig->cfg.swap, rig->cfg.exec, rig_kvm_hold(rig));
	fclose(f);
	initramfs_modparams_release(&mp);
	return 0;
}

/* Shell-quotes one argument for scripts/rig-init's `eval set --`. */
static void initramfs_quote(FILE *f, const char *arg)
{
	fputc('\'', f);
	for (; *arg; arg++) {
		if (*arg == '\'')
			fputs("'\\''", f);
		else
			fputc(*arg, f);
	}
	fputs("' ", f);
}

int initramfs_write_args(const struct rig *rig, int argc, char **argv, char *err, size_t errlen)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/rig.args", rig->workdir);
	f = fopen(path, "w");
	if (!f)
		return errf(err, errlen, -errno, "%s: %s", path, strerror(errno));
	for (int i = 0; i < argc; i++)
		initramfs_quote(f, argv[i]);
	fputc('\n', f);
	fclose(f);
	return 0;
}

/* scripts/rig-initramfs OUT MODULES MMUBENCH CONF ARGS EXTRA; its output is progress: stderr. */
int initramfs_build(const struct rig *rig, char *err, size_t errlen)
{
	char script[PATH_MAX], out[PATH_MAX], bin[PATH_MAX], conf[PATH_MAX], args[PATH_MAX];
	char *argv[] = { script, out, (char *)rig->modules, bin, conf, args,
			 (char *)(rig->cfg.extra ? rig->cfg.extra : ""), NULL };
	struct spawn_io io = { .stdout_fd = STDERR_FILENO };
	ssize_t n;
	int ret;

	rig_script("rig-initramfs", script, sizeof(script));
	snprintf(out, sizeof(out), "%s/initramfs.cpio.gz", rig->workdir);
	snprintf(conf, sizeof(conf), "%s/rig.conf", rig->workdir);
	snprintf(args, sizeof(args), "%s/rig.args", rig->workdir);
	n = readlink("/proc/self/exe", bin, sizeof(bin) - 1);
	if (n < 0)
		return errf(err, errlen, -errno, "/proc/self/exe: %s", strerror(errno));
	bin[n] = 0;
	ret = spawn_run(argv, &io);
	if (ret)
		return errf(err, errlen, ret < 0 ? ret : -EIO,
			    "%s failed (status %d): see its message above", script, ret);
	return 0;
}
