// SPDX-License-Identifier: GPL-2.0
/* A memory cgroup holding the VMM for a run: enter, reclaim, leave. */
#include <errno.h>
#include <inttypes.h>
#include <mntent.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kernel/mm/memcg.h"
#include "src/lib/jsonobj.h"
#include "src/lib/util.h"

/* The mount point of cgroup2 (@v1 false) or of the v1 hierarchy holding "memory". */
static bool memcg_find_mount(bool v1, char *dir, size_t len)
{
	struct mntent *e;
	bool found = false;
	FILE *f = setmntent("/proc/mounts", "re");

	if (!f)
		return false;
	while (!found && (e = getmntent(f))) {
		if (v1 ? !strcmp(e->mnt_type, "cgroup") && hasmntopt(e, "memory")
		       : !strcmp(e->mnt_type, "cgroup2")) {
			snprintf(dir, len, "%s", e->mnt_dir);
			found = true;
		}
	}
	endmntent(f);
	return found;
}

/* Whether the space-separated list in file @path has @word. */
static bool memcg_file_has_word(const char *path, const char *word)
{
	char buf[1024], *tok, *save;

	if (sysfs_read(path, buf, sizeof(buf)) < 0)
		return false;
	for (tok = strtok_r(buf, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save))
		if (!strcmp(tok, word))
			return true;
	return false;
}

/*
 * Our cgroup path from /proc/self/cgroup: the "0::PATH" line on v2, the line
 * whose controllers include "memory" on v1.
 */
static int memcg_self_path(enum memcg_version v, char *path, size_t len)
{
	char line[PATH_MAX + 64], *ctrl, *p, *tok, *save;
	int ret = -ENOENT;
	FILE *f = fopen("/proc/self/cgroup", "re");

	if (!f)
		return -errno;
	while (ret && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		ctrl = strchr(line, ':');
		if (!ctrl)
			continue;
		ctrl++;
		p = strchr(ctrl, ':');
		if (!p)
			continue;
		*p++ = '\0';
		if (v == MEMCG_V2) {
			if (strncmp(line, "0:", 2) || *ctrl)
				continue;
			snprintf(path, len, "%s", p);
			ret = 0;
			continue;
		}
		for (tok = strtok_r(ctrl, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (!strcmp(tok, "memory")) {
				snprintf(path, len, "%s", p);
				ret = 0;
				break;
			}
		}
	}
	fclose(f);
	return ret;
}

/*
 * A saver entry whose restore writes @undo rather than the value read back:
 * cgroup.subtree_control reads "cpu io memory" but takes "+memory"/"-memory".
 * Same publication order as knob_save_and_set() (kernel/mm/sysfs.c).
 */
static int memcg_knob_set(struct knob_saver *ks, const char *path, const char *val,
			  const char *undo)
{
	struct knob_saved *k;
	int i = ks->n, ret;

	if (i >= KNOB_SAVER_MAX)
		return -ENOSPC;
	k = &ks->knobs[i];
	snprintf(k->path, sizeof(k->path), "%s", path);
	snprintf(k->old, sizeof(k->old), "%s", undo);
	atomic_signal_fence(memory_order_seq_cst);
	ks->n = i + 1;
	atomic_signal_fence(memory_order_seq_cst);
	ret = sysfs_write(path, val);
	if (ret < 0)
		ks->n = i;
	return ret;
}

static void memcg_say(const char *a, const char *b, const char *c)
{
	/* async-signal-safe stderr */
	ssize_t r;

	r = write(STDERR_FILENO, a, strlen(a));
	r = write(STDERR_FILENO, b, strlen(b));
	r = write(STDERR_FILENO, c, strlen(c));
	(void)r;
}

static bool memcg_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

static int memcg_file(const struct memcg *m, const char *name, char *path, size_t len)
{
	return snprintf(path, len, "%s/%s", m->dir, name) >= (int)len ? -ENAMETOOLONG : 0;
}

int memcg_enter(struct memcg *m, struct knob_saver *knobs, char *err, size_t errlen)
{
	char mnt[PATH_MAX / 2], path[PATH_MAX], orig[PATH_MAX / 2], now[PATH_MAX];
	int ret;

	memset(m, 0, sizeof(*m));
	m->last_swappiness = -1;
	snprintf(m->pid, sizeof(m->pid), "%d", (int)getpid());

	if (memcg_find_mount(false, mnt, sizeof(mnt))) {
		snprintf(path, sizeof(path), "%s/cgroup.controllers", mnt);
		if (memcg_file_has_word(path, "memory"))
			m->version = MEMCG_V2;
	}
	if (m->version == MEMCG_NONE && memcg_find_mount(true, mnt, sizeof(mnt)))
		m->version = MEMCG_V1;
	if (m->version == MEMCG_NONE)
		return errf(err, errlen, -EOPNOTSUPP,
			    "no memory cgroup controller (neither in cgroup v2's "
			    "cgroup.controllers nor a v1 memory mount); hint: " MEMCG_HINT);

	if (m->version == MEMCG_V2) {
		snprintf(path, sizeof(path), "%s/cgroup.subtree_control", mnt);
		if (!memcg_file_has_word(path, "memory")) {
			ret = memcg_knob_set(knobs, path, "+memory", "-memory");
			if (ret)
				return errf(err, errlen, ret,
					    "enabling the memory controller: writing +memory to "
					    "%s: %s",
					    path, strerror(-ret));
		}
	}

	ret = memcg_self_path(m->version, orig, sizeof(orig));
	if (ret)
		return errf(err, errlen, ret, "cannot find our %s cgroup in /proc/self/cgroup: %s",
			    m->version == MEMCG_V2 ? "v2" : "v1 memory", strerror(-ret));
	snprintf(m->orig_procs, sizeof(m->orig_procs), "%s%s/cgroup.procs", mnt,
		 strcmp(orig, "/") ? orig : "");
	snprintf(m->root_procs, sizeof(m->root_procs), "%s/cgroup.procs", mnt);
	/*
	 * v2: under the root, the one cgroup exempt from "no internal processes"
	 * (ours has us in it, so it cannot enable memory for a child). v1 has no
	 * such rule: a child of the cgroup we are in keeps us inside whatever
	 * limits and accounting the host put us under.
	 */
	if (m->version == MEMCG_V2 || !strcmp(orig, "/"))
		snprintf(m->dir, sizeof(m->dir), "%s/" MEMCG_NAME_PREFIX "%s", mnt, m->pid);
	else
		snprintf(m->dir, sizeof(m->dir), "%s%s/" MEMCG_NAME_PREFIX "%s", mnt, orig, m->pid);
	snprintf(m->procs, sizeof(m->procs), "%s/cgroup.procs", m->dir);

	ret = mkdir(m->dir, 0755) ? -errno : 0;
	if (ret == -EEXIST && !rmdir(m->dir))	/* a leftover of an earlier process with our pid */
		ret = mkdir(m->dir, 0755) ? -errno : 0;
	if (ret)
		return errf(err, errlen, ret, "cannot create memcg %s: %s", m->dir, strerror(-ret));
	m->created = true;

	if (m->version == MEMCG_V1) {
		/* a fault beyond the limit fails instead of killing the VMM (see memcg.h) */
		memcg_file(m, "memory.oom_control", path, sizeof(path));
		sysfs_write(path, "1");
	}

	ret = sysfs_write(m->procs, m->pid);
	if (ret) {
		errf(err, errlen, ret, "moving process %s into %s: %s", m->pid, m->procs,
		     strerror(-ret));
		memcg_leave(m);
		return ret;
	}
	m->entered = true;

	/* what the kernel now says is our cgroup is what lru_gen prints (cgroup_path) */
	ret = memcg_self_path(m->version, now, sizeof(now));
	if (ret || !memcg_ends_with(now, m->dir + strlen(mnt))) {
		errf(err, errlen, ret ? ret : -EIO,
		     "after moving into %s, /proc/self/cgroup says %s", m->dir,
		     ret ? strerror(-ret) : now);
		memcg_leave(m);
		return ret ? ret : -EIO;
	}
	snprintf(m->lru_path, sizeof(m->lru_path), "%s", now);
	return 0;
}

void memcg_leave(struct memcg *m)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	if (m->entered) {
		if (sysfs_write(m->orig_procs, m->pid) && sysfs_write(m->root_procs, m->pid))
			memcg_say("mmubench: could not move the process out of ", m->dir, "\n");
		m->entered = false;
	}
	if (!m->created)
		return;
	for (int i = 0; i < 50; i++) {
		if (!rmdir(m->dir) || errno == ENOENT) {
			m->created = false;
			return;
		}
		if (errno != EBUSY && errno != EAGAIN && errno != EINTR)
			break;
		nanosleep(&ts, NULL);
	}
	memcg_say("mmubench: could not remove the memcg ", m->dir, ": rmdir it by hand\n");
}

int memcg_reclaim(struct memcg *m, uint64_t bytes, int swappiness, char *err, size_t errlen)
{
	char path[PATH_MAX], val[64];
	uint64_t usage, target;
	int ret, ret2;

	if (!m->entered)
		return errf(err, errlen, -EINVAL, "memcg reclaim: not in a memcg");
	if (!bytes)
		return 0;
	if (swappiness > 200)
		swappiness = 200;

	if (m->version == MEMCG_V2) {
		memcg_file(m, "memory.reclaim", path, sizeof(path));
		ret = -EINVAL;
		if (swappiness >= 0 && !m->no_reclaim_swappiness) {
			snprintf(val, sizeof(val), "%" PRIu64 " swappiness=%d", bytes, swappiness);
			ret = sysfs_write(path, val);
			if (ret == -EINVAL)
				m->no_reclaim_swappiness = true;	/* before 6.13 */
		}
		if (ret == -EINVAL) {
			snprintf(val, sizeof(val), "%" PRIu64, bytes);
			ret = sysfs_write(path, val);
		}
		if (ret == -EAGAIN)
			return errf(err, errlen, ret, "%s: reclaimed less than %" PRIu64 " bytes",
				    path, bytes);
		if (ret)
			return errf(err, errlen, ret, "writing \"%s\" to %s: %s%s", val, path,
				    strerror(-ret),
				    ret == -ENOENT ? " (memory.reclaim needs Linux 5.19)" : "");
		return 0;
	}

	if (swappiness >= 0 && swappiness != m->last_swappiness) {
		memcg_file(m, "memory.swappiness", path, sizeof(path));
		snprintf(val, sizeof(val), "%d", swappiness);
		ret = sysfs_write(path, val);
		if (ret)
			return errf(err, errlen, ret, "writing %s to %s: %s", val, path,
				    strerror(-ret));
		m->last_swappiness = swappiness;
	}
	ret = memcg_usage(m, &usage, err, errlen);
	if (ret)
		return ret;
	target = usage > bytes ? (usage - bytes) & ~4095ull : 0;
	memcg_file(m, "memory.limit_in_bytes", path, sizeof(path));
	snprintf(val, sizeof(val), "%" PRIu64, target);
	/* the write reclaims down to the limit before it sets it, or fails with EBUSY */
	ret = sysfs_write(path, val);
	ret2 = sysfs_write(path, "-1");
	if (ret2)
		return errf(err, errlen, ret2,
			    "setting %s back to unlimited: %s (the VMM stays limited "
			    "to %s bytes)",
			    path, strerror(-ret2), ret ? "its old" : val);
	if (ret == -EBUSY)
		return errf(err, errlen, -EAGAIN,
			    "%s: could not reclaim %" PRIu64 " bytes (from %" PRIu64 ")", path,
			    bytes, usage);
	if (ret)
		return errf(err, errlen, ret, "writing %s to %s: %s", val, path, strerror(-ret));
	return 0;
}

int memcg_usage(const struct memcg *m, uint64_t *bytes, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int ret;

	memcg_file(m, m->version == MEMCG_V2 ? "memory.current" : "memory.usage_in_bytes", path,
		   sizeof(path));
	ret = sysfs_read_u64(path, bytes);
	if (ret)
		return errf(err, errlen, ret, "reading %s: %s", path, strerror(-ret));
	return 0;
}

int memcg_stat(const struct memcg *m, const char *key, uint64_t *val)
{
	char path[PATH_MAX], line[256], name[128];
	unsigned long long v;
	int ret = -ENOENT;
	FILE *f;

	memcg_file(m, "memory.stat", path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (ret && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127s %llu", name, &v) == 2 && !strcmp(name, key)) {
			*val = v;
			ret = 0;
		}
	}
	fclose(f);
	return ret;
}

int memcg_probe(struct json_object *o)
{
	char v1[256] = "", v2[256] = "", path[512], ctrl[SYSFS_VALUE_MAX] = "";
	struct mntent *m;
	bool v2_memory = false;
	char *tok, *save;
	FILE *f;

	f = setmntent("/proc/mounts", "re");
	while (f && (m = getmntent(f))) {
		if (!strcmp(m->mnt_type, "cgroup") && hasmntopt(m, "memory") && !v1[0])
			snprintf(v1, sizeof(v1), "%s", m->mnt_dir);
		else if (!strcmp(m->mnt_type, "cgroup2") && !v2[0])
			snprintf(v2, sizeof(v2), "%s", m->mnt_dir);
	}
	if (f)
		endmntent(f);
	jsonobj_put_str(o, "v1_memory", v1[0] ? v1 : NULL);
	jsonobj_put_str(o, "v2", v2[0] ? v2 : NULL);
	if (v2[0]) {
		snprintf(path, sizeof(path), "%s/cgroup.controllers", v2);
		if (sysfs_read(path, ctrl, sizeof(ctrl)) >= 0) {
			jsonobj_put_str(o, "v2_controllers", ctrl);
			for (tok = strtok_r(ctrl, " ", &save); tok;
			     tok = strtok_r(NULL, " ", &save))
				if (!strcmp(tok, "memory"))
					v2_memory = true;
		}
	}
	jsonobj_put_bool(o, "v2_memory", v2_memory);
	if (!v1[0] && !v2_memory)
		jsonobj_put_str(o, "hint", "no memory cgroup: " MEMCG_HINT);
	else if (!v2_memory)
		jsonobj_put_str(o, "hint", MEMCG_V1_HINT);
	return 0;
}
