// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/swap.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel/mm/swap.h"
#include "kernel/mm/sysfs.h"
#include "src/lib/jsonobj.h"
#include "src/lib/util.h"

extern char **environ;

uint64_t swap_active_bytes(void)
{
	char line[512];
	uint64_t total = 0, kb;
	FILE *f = fopen("/proc/swaps", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %*s %" SCNu64, &kb) == 1)
			total += kb * 1024;
	fclose(f);
	return total;
}

/* mkswap(8) from util-linux writes the header; no reason to hand-roll it. */
static int swap_mkswap(const char *path)
{
	char *argv[] = { "mkswap", "-q", (char *)path, NULL };
	posix_spawn_file_actions_t fa;
	int status, ret;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	ret = posix_spawnp(&pid, "mkswap", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (ret)
		return -ret;
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EIO;
}

int swap_ensure(struct swap *s, uint64_t bytes, const char *dir, char *err, size_t errlen)
{
	int fd, ret;

	memset(s, 0, sizeof(*s));
	if (swap_active_bytes() >= bytes) {
		s->active = true;	/* the host's own swap will do */
		return 0;
	}
	snprintf(s->path, sizeof(s->path), "%s/mmubench-swap.%d", dir ? dir : "/var/tmp", getpid());
	fd = open(s->path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0) {
		ret = errf(err, errlen, -errno, "swapfile %s: %s", s->path, strerror(errno));
		s->path[0] = 0;
		return ret;
	}
	ret = posix_fallocate(fd, 0, bytes);
	close(fd);
	if (ret) {
		ret = errf(err, errlen, -ret,
			   "fallocate %" PRIu64 " bytes for %s: %s (use --swap-dir on ext4 or xfs)",
			   bytes, s->path, strerror(ret));
		goto fail;
	}
	ret = swap_mkswap(s->path);
	if (ret) {
		ret = errf(err, errlen, ret, "mkswap %s failed (util-linux)", s->path);
		goto fail;
	}
	if (swapon(s->path, 0)) {
		ret = errf(err, errlen, errno == EINVAL ? -EOPNOTSUPP : -errno,
			   "swapon %s: %s (the filesystem may not support swapfiles: use "
			   "--swap-dir)",
			   s->path, strerror(errno));
		goto fail;
	}
	s->active = true;
	return 0;
fail:
	unlink(s->path);
	s->path[0] = 0;
	return ret;
}

void swap_release(struct swap *s)
{
	if (s->path[0]) {
		if (swapoff(s->path))
			fprintf(stderr, "mmubench: swapoff %s: %s (run swapoff by hand)\n", s->path,
				strerror(errno));
		else
			unlink(s->path);
		s->path[0] = 0;
	}
	s->active = false;
}

int swap_probe(struct json_object *o)
{
	struct json_object *devs, *d;
	char line[512], name[256], type[32];
	unsigned long long size, used, total = 0;
	int prio, n = 0;
	FILE *f;

	devs = json_object_new_array();
	f = fopen("/proc/swaps", "re");
	if (f) {
		if (!fgets(line, sizeof(line), f))	/* header */
			line[0] = '\0';
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "%255s %31s %llu %llu %d", name, type, &size, &used,
				   &prio) != 5)
				continue;
			d = json_object_new_object();
			jsonobj_put_str(d, "name", name);
			jsonobj_put_str(d, "type", type);
			jsonobj_put_int(d, "size_kb", size);
			jsonobj_put_int(d, "used_kb", used);
			jsonobj_put_int(d, "priority", prio);
			json_object_array_add(devs, d);
			total += size;
			n++;
		}
		fclose(f);
	}
	jsonobj_put_int(o, "active", n);
	jsonobj_put_int(o, "total_kb", total);
	json_object_object_add(o, "devices", devs);
	sysfs_json_put_file(o, "zswap", SWAP_ZSWAP_ENABLED);
	if (!n)
		jsonobj_put_str(o, "hint", SWAP_HINT);
	return 0;
}
