// SPDX-License-Identifier: GPL-2.0
/* Small-file access to sysfs/procfs knobs and the knob saver. */
#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/mm/sysfs.h"
#include "src/lib/jsonobj.h"

int sysfs_read(const char *path, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t r;
	char extra;
	int fd, err = 0;

	if (!len)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (got < len - 1) {
		r = read(fd, buf + got, len - 1 - got);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (!r)
			break;
		got += r;
	}
	if (!err && got == len - 1) {
		do {
			r = read(fd, &extra, 1);
		} while (r < 0 && errno == EINTR);
		if (r > 0)
			err = -EOVERFLOW;
	}
	close(fd);
	if (err) {
		buf[0] = '\0';
		return err;
	}
	while (got && (buf[got - 1] == '\n' || buf[got - 1] == '\r'))
		got--;
	buf[got] = '\0';
	return got;
}

int sysfs_read_u64(const char *path, uint64_t *v)
{
	unsigned long long x;
	char buf[64], *s, *end;
	int base = 10, ret;

	ret = sysfs_read(path, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	s = buf;
	while (*s == ' ' || *s == '\t')
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, base);
	if (errno)
		return -errno;
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	if (*end)
		return -EINVAL;
	*v = x;
	return 0;
}

int sysfs_read_choice(const char *path, char *buf, size_t len)
{
	char *open_br, *close_br;
	size_t n;
	int ret;

	ret = sysfs_read(path, buf, len);
	if (ret < 0)
		return ret;
	open_br = strchr(buf, '[');
	if (!open_br)
		return ret;
	close_br = strchr(open_br, ']');
	if (!close_br)
		return -EINVAL;
	n = close_br - open_br - 1;
	memmove(buf, open_br + 1, n);
	buf[n] = '\0';
	return n;
}

int sysfs_write(const char *path, const char *val)
{
	size_t n = strlen(val);
	ssize_t r;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do {
		r = write(fd, val, n);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		err = -errno;
	else if ((size_t)r != n)
		err = -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

bool sysfs_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

void sysfs_mount_of(const char *type, char *dir, size_t len)
{
	struct mntent *m;
	FILE *f;

	dir[0] = '\0';
	f = setmntent("/proc/mounts", "re");
	if (!f)
		return;
	while ((m = getmntent(f))) {
		if (!strcmp(m->mnt_type, type)) {
			snprintf(dir, len, "%s", m->mnt_dir);
			break;
		}
	}
	endmntent(f);
}

void sysfs_json_put_file(struct json_object *o, const char *key, const char *path)
{
	char buf[SYSFS_VALUE_MAX];

	jsonobj_put_str(o, key, sysfs_read(path, buf, sizeof(buf)) >= 0 ? buf : NULL);
}

void sysfs_json_put_choice(struct json_object *o, const char *key, const char *path)
{
	char buf[SYSFS_VALUE_MAX];

	jsonobj_put_str(o, key, sysfs_read_choice(path, buf, sizeof(buf)) >= 0 ? buf : NULL);
}

void knob_saver_init(struct knob_saver *ks)
{
	ks->n = 0;
	ks->failed = -1;
	ks->failed_err = 0;
}

int knob_save_and_set(struct knob_saver *ks, const char *path, const char *val)
{
	struct knob_saved *k;
	int i = ks->n, ret;

	if (i >= KNOB_SAVER_MAX)
		return -ENOSPC;
	if (strlen(path) >= sizeof(k->path))
		return -ENAMETOOLONG;
	k = &ks->knobs[i];
	ret = sysfs_read_choice(path, k->old, sizeof(k->old));
	if (ret < 0)
		return ret;
	strcpy(k->path, path);
	/*
	 * Publish the saved value before changing the knob: a signal arriving
	 * in between restores a value that is still current, which is harmless.
	 */
	atomic_signal_fence(memory_order_seq_cst);
	ks->n = i + 1;
	atomic_signal_fence(memory_order_seq_cst);
	ret = sysfs_write(path, val);
	if (ret < 0) {
		ks->n = i;
		return ret;
	}
	return 0;
}

int knob_restore_all(struct knob_saver *ks)
{
	int i, ret, err = 0;

	/* Take each entry off the saver before writing it: at most once. */
	while ((i = ks->n) > 0) {
		i--;
		ks->n = i;
		atomic_signal_fence(memory_order_seq_cst);
		ret = sysfs_write(ks->knobs[i].path, ks->knobs[i].old);
		if (ret < 0) {
			ks->failed = i;
			ks->failed_err = ret;
			err = ret;
		}
	}
	return err;
}
