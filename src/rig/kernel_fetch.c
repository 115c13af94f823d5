// SPDX-License-Identifier: GPL-2.0
/*
 * Which kernel the rig boots and which modules go with it: a bzImage given
 * by path (its release read from the image), or a Debian suite fetched and
 * unpacked by scripts/fetch-kernel into ~/.cache (once; later runs reuse it).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/lib/spawn.h"
#include "src/lib/util.h"
#include "src/rig/rig_priv.h"

/* The release string inside a bzImage (boot protocol: kernel_version at 0x20e). */
int kernel_fetch_release(const char *bzimage, char *buf, size_t len)
{
	unsigned char hdr[0x210];
	char text[256];
	uint16_t off;
	FILE *f = fopen(bzimage, "rb");

	if (!f)
		return -errno;
	if (fread(hdr, 1, sizeof(hdr), f) != sizeof(hdr) || memcmp(hdr + 0x202, "HdrS", 4)) {
		fclose(f);
		return -EINVAL;
	}
	off = hdr[0x20e] | hdr[0x20f] << 8;
	if (fseek(f, off + 0x200, SEEK_SET) || !fgets(text, sizeof(text), f)) {
		fclose(f);
		return -EINVAL;
	}
	fclose(f);
	text[strcspn(text, " ")] = 0;
	snprintf(buf, len, "%s", text);
	return 0;
}

/* --kernel bookworm|unstable: scripts/fetch-kernel prints "RELEASE KERNEL MODULES". */
static int kernel_fetch_suite(struct rig *rig, char *err, size_t errlen)
{
	char script[PATH_MAX], out[PATH_MAX], line[3 * PATH_MAX];
	char *argv[] = { script, (char *)rig->cfg.kernel, NULL };
	struct spawn_io io = { .stdout_path = out };
	int ret;
	FILE *f;

	rig_script("fetch-kernel", script, sizeof(script));
	snprintf(out, sizeof(out), "%s/fetch.out", rig->workdir);
	fprintf(stderr, "mmubench rig: fetching the %s kernel (cached after the first time)\n",
		rig->cfg.kernel);
	ret = spawn_run(argv, &io);
	if (ret)
		return errf(err, errlen, -EIO, "%s %s failed (status %d): see its messages above",
			    script, rig->cfg.kernel, ret);
	f = fopen(out, "r");
	if (!f || !fgets(line, sizeof(line), f) ||
	    sscanf(line, "%127s %4095s %4095s", rig->release, rig->kernel, rig->modules) != 3) {
		if (f)
			fclose(f);
		return errf(err, errlen, -EIO, "%s printed no kernel", script);
	}
	fclose(f);
	return 0;
}

/* Next to an unpacked Debian package: ROOT/boot/vmlinuz-REL, ROOT/[usr/]lib/modules/REL. */
static void kernel_fetch_guess_modules(struct rig *rig)
{
	char dir[PATH_MAX], *slash;

	snprintf(dir, sizeof(dir), "%s", rig->kernel);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	else
		snprintf(dir, sizeof(dir), ".");	/* --kernel bzImage: in "." */
	snprintf(rig->modules, sizeof(rig->modules), "%s/../lib/modules/%s", dir, rig->release);
	if (access(rig->modules, F_OK))
		snprintf(rig->modules, sizeof(rig->modules), "%s/../usr/lib/modules/%s", dir,
			 rig->release);
}

int kernel_fetch_resolve(struct rig *rig, char *err, size_t errlen)
{
	struct stat st;
	int ret;

	if (!rig->cfg.kernel)
		return errf(err, errlen, -EINVAL,
			    "--kernel is required (a bzImage, bookworm or unstable)");
	if (stat(rig->cfg.kernel, &st)) {
		if (strchr(rig->cfg.kernel, '/'))
			return errf(err, errlen, -ENOENT, "--kernel %s: %s", rig->cfg.kernel,
				    strerror(errno));
		ret = kernel_fetch_suite(rig, err, errlen);
		if (ret)
			return ret;
	} else {
		snprintf(rig->kernel, sizeof(rig->kernel), "%s", rig->cfg.kernel);
		if (kernel_fetch_release(rig->kernel, rig->release, sizeof(rig->release)))
			return errf(err, errlen, -EINVAL, "--kernel %s is not a bzImage",
				    rig->kernel);
	}
	if (rig->cfg.modules)
		snprintf(rig->modules, sizeof(rig->modules), "%s", rig->cfg.modules);
	else if (!rig->modules[0])
		kernel_fetch_guess_modules(rig);
	if (access(rig->modules, F_OK))
		return errf(err, errlen, -ENOENT,
			    "no modules for %s at %s: pass --modules DIR (.../lib/modules/%s)",
			    rig->release, rig->modules, rig->release);
	return 0;
}
