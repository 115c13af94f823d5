// SPDX-License-Identifier: GPL-2.0
/* tracefs without a mount, a private instance with a watchdog, trace_pipe lines. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mntent.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kernel/trace/tracefs.h"
#include "kernel/mm/sysfs.h"
#include "src/lib/jsonobj.h"
#include "src/lib/util.h"

extern char **environ;

/* The new mount API (Linux 5.2); glibc 2.36 has the constants in <sys/mount.h>. */
#ifndef FSOPEN_CLOEXEC
#define FSOPEN_CLOEXEC		0x00000001
#endif
#ifndef FSMOUNT_CLOEXEC
#define FSMOUNT_CLOEXEC		0x00000001
#endif
#ifndef MOUNT_ATTR_NOSUID
#define MOUNT_ATTR_NOSUID	0x00000002
#define MOUNT_ATTR_NODEV	0x00000004
#define MOUNT_ATTR_NOEXEC	0x00000008
#endif
#ifndef SYS_fsopen
#define SYS_fsopen		430
#define SYS_fsconfig		431
#define SYS_fsmount		432
#endif
#define TFS_FSCONFIG_CMD_CREATE	6

/* ------------------------------------------------------------------ */
/* Trace lines */

const char *tracefs_parse_u64(const char *p, uint64_t *v)
{
	uint64_t x = 0;

	if (*p < '0' || *p > '9')
		return NULL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (x > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return NULL;
		x = x * 10 + (*p - '0');
	}
	*v = x;
	return p;
}

/* The token ending at or before @end, spaces skipped: [*s, *e). */
static bool tfs_prev_token(const char *line, const char *end, const char **s, const char **e)
{
	while (end > line && end[-1] == ' ')
		end--;
	if (end == line)
		return false;
	*e = end;
	while (end > line && end[-1] != ' ')
		end--;
	*s = end;
	return true;
}

/* "secs.usecs" (any 1..9 fraction digits) in ns; a plain counter is kept as is. */
static bool tfs_timestamp(const char *s, const char *e, uint64_t *ns)
{
	uint64_t secs, frac = 0;
	const char *p = tracefs_parse_u64(s, &secs), *f;
	int digits;

	if (!p)
		return false;
	if (p == e) {
		*ns = secs;
		return true;
	}
	if (*p != '.')
		return false;
	f = p + 1;
	p = tracefs_parse_u64(f, &frac);
	digits = p ? p - f : 0;
	if (!p || p != e || digits > 9)
		return false;
	for (; digits < 9; digits++)
		frac *= 10;
	*ns = secs * 1000000000ull + frac;
	return true;
}

/* Whether [s, e) is "[digits]" (the CPU column). */
static bool tfs_is_cpu(const char *s, const char *e)
{
	uint64_t cpu;
	const char *p;

	if (e - s < 3 || *s != '[' || e[-1] != ']')
		return false;
	p = tracefs_parse_u64(s + 1, &cpu);
	return p == e - 1;
}

const char *tracefs_line_event(const char *line, const char *name, int *pidp, uint64_t *ts_ns)
{
	size_t n = strlen(name);
	const char *ev = line, *p, *s, *e, *end;
	uint64_t pid = 0, ts;
	bool cpu = false;
	int i;

	/* ": name: " */
	for (;;) {
		ev = strstr(ev, ": ");
		if (!ev)
			return NULL;
		if (!strncmp(ev + 2, name, n) && ev[2 + n] == ':' && ev[3 + n] == ' ')
			break;
		ev += 2;
	}

	/* "  comm-pid [(tgid)] [cpu] flags timestamp" before the event name */
	if (!tfs_prev_token(line, ev, &s, &e) || e != ev || !tfs_timestamp(s, e, &ts))
		return NULL;
	end = s;
	for (i = 0; i < 2 && !cpu; i++) {	/* the flags column may be off */
		if (!tfs_prev_token(line, end, &s, &e))
			return NULL;
		cpu = tfs_is_cpu(s, e);
		end = s;
	}
	if (!cpu)
		return NULL;
	/* the record-tgid column, "(   1234)" or "(-------)" */
	while (end > line && end[-1] == ' ')
		end--;
	if (end > line && end[-1] == ')') {
		while (end > line && *--end != '(')
			;
		if (*end != '(')
			return NULL;
	}
	if (!tfs_prev_token(line, end, &s, &e))
		return NULL;
	/* comm may hold '-' and spaces: the pid is the digits after the last '-' */
	for (p = e; p > s && p[-1] >= '0' && p[-1] <= '9'; p--)
		;
	if (p == e || p == s || p[-1] != '-' || tracefs_parse_u64(p, &pid) != e || pid > INT_MAX)
		return NULL;
	if (pidp)
		*pidp = pid;
	if (ts_ns)
		*ts_ns = ts;
	return ev + 4 + n;
}

bool tracefs_line_lost(const char *line, uint64_t *count)
{
	const char *p = line;
	uint64_t v;

	while (*p == ' ')
		p++;
	if (strncmp(p, "CPU:", 4))
		return false;
	p = tracefs_parse_u64(p + 4, &v);
	if (!p || strncmp(p, " [LOST ", 7))
		return false;
	p = tracefs_parse_u64(p + 7, &v);
	if (!p || strncmp(p, " EVENTS]", 8))
		return false;
	*count = v;
	return true;
}

int tracefs_linebuf_feed(struct tracefs_linebuf *lb, const char *buf, size_t len,
			 int (*fn)(void *ctx, const char *line), void *ctx)
{
	const char *p = buf, *end = buf + len, *nl;
	int done = 0, ret;

	while (p < end) {
		size_t n;

		nl = memchr(p, '\n', end - p);
		n = (nl ? nl : end) - p;
		if (lb->len + n < sizeof(lb->line)) {
			memcpy(lb->line + lb->len, p, n);
			lb->len += n;
		} else {
			lb->overflow = true;
		}
		if (!nl)
			break;
		lb->line[lb->len] = '\0';
		ret = fn(ctx, lb->overflow ? NULL : lb->line);
		tracefs_linebuf_reset(lb);
		if (ret < 0)
			return ret;
		done += ret;
		p = nl + 1;
	}
	return done;
}

/* ------------------------------------------------------------------ */
/* tracefs */

void tracefs_init(struct tracefs *t)
{
	memset(t, 0, sizeof(*t));
	t->root_fd = t->inst_fd = t->pipe_fd = t->watchdog_fd = -1;
}

/*
 * tracefs without touching the host's mount table. tracefs is not mounted
 * on every machine (not on the development machine), and mounting it at
 * /sys/kernel/tracing or at a temporary directory would be a host change
 * to undo on every exit path; unshare(CLONE_NEWNS) for a private namespace
 * is refused in a multi-threaded process (the vCPU threads), and a helper
 * process would need a fork of the VMM. Instead, fsopen("tracefs") +
 * fsmount() (Linux 5.2) make a mount that is attached nowhere: it has no
 * mount point, nothing to unmount, and goes away with its last fd; every
 * file is reached with *at() calls relative to its root fd. tracefs has one
 * superblock, so the instance created there is the kernel's instance,
 * visible in every tracefs mount. When the new mount API is refused, an
 * existing tracefs mount is used; none is ever created.
 */
int tracefs_open(struct tracefs *t, const char *need, char *err, size_t errlen)
{
	int fs, mnt = -1, e = 0;
	struct mntent *m;
	char path[PATH_MAX];
	FILE *f;

	if (t->root_fd >= 0)
		return 0;
	fs = syscall(SYS_fsopen, "tracefs", FSOPEN_CLOEXEC);
	if (fs >= 0) {
		if (syscall(SYS_fsconfig, fs, TFS_FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
			mnt = syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC,
				      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
		if (mnt < 0)
			e = errno;
		close(fs);
		if (mnt >= 0) {
			t->root_fd = mnt;
			return 0;
		}
	} else {
		e = errno;
		if (e == ENODEV)
			return errf(err, errlen, -EOPNOTSUPP,
				    "no tracefs in this kernel: CONFIG_TRACING=y (tracefs) for %s",
				    need);
	}
	f = setmntent("/proc/self/mounts", "r");
	while (f && (m = getmntent(f))) {
		if (!strcmp(m->mnt_type, "tracefs"))
			snprintf(path, sizeof(path), "%s", m->mnt_dir);
		else if (!strcmp(m->mnt_type, "debugfs"))
			snprintf(path, sizeof(path), "%s/tracing", m->mnt_dir);
		else
			continue;
		mnt = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (mnt >= 0 && !faccessat(mnt, "instances", F_OK, 0))
			break;
		if (mnt >= 0)
			close(mnt);
		mnt = -1;
	}
	if (f)
		endmntent(f);
	if (mnt >= 0) {
		t->root_fd = mnt;
		return 0;
	}
	return errf(err, errlen, -EOPNOTSUPP,
		    "tracefs: fsopen/fsmount: %s, and no tracefs is mounted: " TRACEFS_MOUNT_HINT
		    " (CONFIG_TRACING=y) for %s",
		    strerror(e), need);
}

bool tracefs_has_event(const struct tracefs *t, const char *sys, const char *event)
{
	char path[256];

	snprintf(path, sizeof(path), "events/%s/%s/enable", sys, event);
	return t->root_fd >= 0 && !faccessat(t->root_fd, path, F_OK, 0);
}

ssize_t tracefs_event_format(const struct tracefs *t, const char *sys, const char *event,
			     char *buf, size_t len)
{
	char path[256];
	size_t n = 0;
	ssize_t r;
	int fd;

	if (!len)
		return -EINVAL;
	snprintf(path, sizeof(path), "events/%s/%s/format", sys, event);
	fd = openat(t->root_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (n < len - 1) {
		r = read(fd, buf + n, len - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			r = -errno;
			close(fd);
			return r;
		}
		if (!r)
			break;
		n += r;
	}
	buf[n] = '\0';
	close(fd);
	return n;
}

int tracefs_write(int dirfd, const char *rel, const char *val)
{
	size_t n = strlen(val);
	int fd = openat(dirfd, rel, O_WRONLY | O_CLOEXEC), ret = 0;
	ssize_t w;

	if (fd < 0)
		return -errno;
	do {
		w = write(fd, val, n);
	} while (w < 0 && errno == EINTR);
	if (w < 0)
		ret = -errno;
	else if ((size_t)w != n)
		ret = -EIO;
	close(fd);
	return ret;
}

/*
 * An instance is a kernel object: if we die without removing it (SIGKILL,
 * a crash, a signal path that only restores knobs) it stays. A watchdog
 * removes it then: posix_spawn (vfork + exec, so guest memory is never
 * forked) runs `sh -c 'read x; rmdir /proc/self/fd/3/instances/NAME'` in a
 * session of its own (terminal signals do not reach it), with fd 0 the
 * read end of a pipe whose write end only we hold, and fd 3 the tracefs
 * root. However we exit, the pipe closes, read returns and the shell
 * removes the instance (retrying while our last files are being closed).
 * tracefs_close() removes it itself, then closes the pipe and reaps the
 * shell, whose rmdir then finds nothing to do.
 */
static void tfs_watchdog_start(struct tracefs *t)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	char script[512];
	char *argv[] = { "sh", "-c", script, NULL };
	sigset_t none;
	int p[2], ret;
	pid_t pid;

	snprintf(script, sizeof(script),
		 "read x; d=/proc/self/fd/3/instances/%s; i=0; "
		 "while [ -d $d ] && [ $i -lt 10 ]; do rmdir $d 2>/dev/null || sleep 1; "
		 "i=$((i+1)); done",
		 t->name);
	if (pipe2(p, O_CLOEXEC))
		return;
	sigemptyset(&none);
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	posix_spawn_file_actions_adddup2(&fa, p[0], 0);
	posix_spawn_file_actions_adddup2(&fa, t->root_fd, 3);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 34)
	posix_spawn_file_actions_addclosefrom_np(&fa, 4);	/* the VM's fds stay with us */
#endif
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK);
	posix_spawnattr_setsigmask(&at, &none);
	ret = posix_spawn(&pid, "/bin/sh", &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(p[0]);
	if (ret) {
		close(p[1]);
		return;
	}
	t->watchdog = pid;
	t->watchdog_fd = p[1];
}

int tracefs_instance_create(struct tracefs *t, const char *suffix, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int ret;

	if (t->root_fd < 0)
		return errf(err, errlen, -EBADF, "tracefs: not open");
	/* ours alone: other mmubench modules may have an instance of their own */
	snprintf(t->name, sizeof(t->name), "mmubench-%d-%s", (int)getpid(), suffix);
	snprintf(path, sizeof(path), "instances/%s", t->name);
	ret = mkdirat(t->root_fd, path, 0700) ? -errno : 0;
	if (ret == -EEXIST) {
		/* left by a dead process with our pid, or a teardown that never ran */
		unlinkat(t->root_fd, path, AT_REMOVEDIR);
		ret = mkdirat(t->root_fd, path, 0700) ? -errno : 0;
	}
	if (ret)
		return errf(err, errlen, ret, "tracefs: mkdir %s: %s", path, strerror(-ret));
	t->created = true;
	tfs_watchdog_start(t);
	t->inst_fd = openat(t->root_fd, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (t->inst_fd < 0)
		return errf(err, errlen, -errno, "tracefs: %s: %s", path, strerror(errno));
	return 0;
}

int tracefs_event_filter(struct tracefs *t, const char *sys, const char *event,
			 const char *filter)
{
	char path[256];

	snprintf(path, sizeof(path), "events/%s/%s/filter", sys, event);
	return tracefs_write(t->inst_fd, path, filter && *filter ? filter : "0");
}

int tracefs_event_enable(struct tracefs *t, const char *sys, const char *event, bool on)
{
	char path[256];

	snprintf(path, sizeof(path), "events/%s/%s/enable", sys, event);
	return tracefs_write(t->inst_fd, path, on ? "1" : "0");
}

int tracefs_set_clock(struct tracefs *t, const char *clock)
{
	return tracefs_write(t->inst_fd, "trace_clock", clock);
}

int tracefs_set_buffer_kb(struct tracefs *t, unsigned long kb)
{
	char v[32];

	snprintf(v, sizeof(v), "%lu", kb);
	return tracefs_write(t->inst_fd, "buffer_size_kb", v);
}

int tracefs_pipe_open(struct tracefs *t, char *err, size_t errlen)
{
	if (t->pipe_fd >= 0)
		return 0;
	t->pipe_fd = openat(t->inst_fd, "trace_pipe", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (t->pipe_fd < 0)
		return errf(err, errlen, -errno, "tracefs: instances/%s/trace_pipe: %s", t->name,
			    strerror(errno));
	return 0;
}

ssize_t tracefs_pipe_read(struct tracefs *t, char *buf, size_t len)
{
	ssize_t n;

	do {
		n = read(t->pipe_fd, buf, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN ? 0 : -errno;
	return n;
}

void tracefs_pipe_wait(struct tracefs *t, int timeout_ms)
{
	struct pollfd pfd = { .fd = t->pipe_fd, .events = POLLIN };

	poll(&pfd, 1, timeout_ms);
}

void tracefs_close(struct tracefs *t)
{
	char path[PATH_MAX];

	if (t->pipe_fd >= 0) {
		close(t->pipe_fd);
		t->pipe_fd = -1;
	}
	if (t->inst_fd >= 0) {
		tracefs_write(t->inst_fd, "events/enable", "0");
		close(t->inst_fd);
		t->inst_fd = -1;
	}
	if (t->created) {
		snprintf(path, sizeof(path), "instances/%s", t->name);
		/* EBUSY while a reader's last reference goes away */
		for (int i = 0; i < 50; i++) {
			if (!unlinkat(t->root_fd, path, AT_REMOVEDIR) || errno == ENOENT)
				break;
			if (errno != EBUSY)
				break;
			nanosleep(&(struct timespec){ .tv_nsec = 20000000 }, NULL);
		}
		t->created = false;
	}
	if (t->watchdog_fd >= 0) {
		close(t->watchdog_fd);
		t->watchdog_fd = -1;
	}
	if (t->watchdog > 0) {
		while (waitpid(t->watchdog, NULL, 0) < 0 && errno == EINTR)
			;
		t->watchdog = 0;
	}
	if (t->root_fd >= 0) {
		close(t->root_fd);
		t->root_fd = -1;
	}
}

/* ------------------------------------------------------------------ */
/* The prober's view of tracefs */

static const struct {
	const char *event;	/* system/name */
	const char *hint;	/* when the kernel lacks it */
	const char *pvm_note;	/* on PVM */
} tracefs_probe_events[] = {
	{ "kvm/kvm_age_hva", "load the kvm module (CONFIG_KVM)", NULL },
	{ "kvm/kvm_test_age_hva", "load the kvm module (CONFIG_KVM)", NULL },
	{ "kvm/kvm_unmap_hva_range", "load the kvm module (CONFIG_KVM)", NULL },
	{ "kvm/kvm_dirty_ring_push", "load the kvm module (CONFIG_KVM, CONFIG_HAVE_KVM_DIRTY_RING)",
	  NULL },
	{ "kvmmmu/kvm_mmu_set_spte", "load the kvm module (CONFIG_KVM, x86)", NULL },
	{ "kvmmmu/kvm_mmu_spte_requested", "load the kvm module (CONFIG_KVM, x86)", NULL },
	{ "kvm/kvm_page_fault", "load the kvm module (CONFIG_KVM, x86)",
	  "never fires under PVM: count faults with kvmmmu/kvm_mmu_set_spte or the pf_taken stat" },
	{ "damon/damon_aggregated", "CONFIG_DAMON=y", NULL },
};

#define TRACEFS_PROBE_NR_EVENTS ARRAY_SIZE(tracefs_probe_events)

/* The tracefs directory with events/ (tracefs, or debugfs/tracing), or "" */
void tracefs_mounted_dir(char *dir, size_t len)
{
	char dbg[192], path[512];

	sysfs_mount_of("tracefs", dir, len);
	if (dir[0])
		return;
	sysfs_mount_of("debugfs", dbg, sizeof(dbg));
	if (!dbg[0])
		return;
	snprintf(path, sizeof(path), "%s/tracing/events", dbg);
	if (sysfs_exists(path))
		snprintf(dir, len, "%s/tracing", dbg);
}

/*
 * Without tracefs, whether the kernel has the tracepoints at all, from
 * /proc/kallsyms (__traceiter_<name>); in_kernel[] gets one answer per event.
 */
static bool tracefs_probe_kallsyms(bool *in_kernel)
{
	char *line = NULL, sym[256];
	const char *name;
	size_t cap = 0, i;
	bool any = false;
	FILE *f;

	f = fopen("/proc/kallsyms", "re");
	if (!f)
		return false;
	while (getline(&line, &cap, f) > 0) {
		if (!strstr(line, "__traceiter_"))
			continue;
		if (sscanf(line, "%*s %*s %255s", sym) != 1 || strncmp(sym, "__traceiter_", 12))
			continue;
		any = true;
		for (i = 0; i < TRACEFS_PROBE_NR_EVENTS; i++) {
			name = strchr(tracefs_probe_events[i].event, '/') + 1;
			if (!strcmp(sym + 12, name))
				in_kernel[i] = true;
		}
	}
	free(line);
	fclose(f);
	return any;
}

int tracefs_probe(struct json_object *o, bool pvm)
{
	bool in_kernel[TRACEFS_PROBE_NR_EVENTS] = { false }, have_kallsyms = false;
	struct json_object *evs, *e;
	char dir[256], path[512];
	size_t i;

	tracefs_mounted_dir(dir, sizeof(dir));
	jsonobj_put_bool(o, "mounted", dir[0]);
	jsonobj_put_str(o, "path", dir[0] ? dir : NULL);
	if (!dir[0]) {
		jsonobj_put_str(o, "hint", "tracefs is not mounted: " TRACEFS_MOUNT_HINT);
		have_kallsyms = tracefs_probe_kallsyms(in_kernel);
	}
	evs = json_object_new_object();
	for (i = 0; i < TRACEFS_PROBE_NR_EVENTS; i++) {
		e = json_object_new_object();
		if (dir[0]) {
			snprintf(path, sizeof(path), "%s/events/%s", dir,
				 tracefs_probe_events[i].event);
			jsonobj_put_bool(e, "present", sysfs_exists(path));
			if (!sysfs_exists(path))
				jsonobj_put_str(e, "hint", tracefs_probe_events[i].hint);
		} else {
			jsonobj_put_bool(e, "present", false);
			if (have_kallsyms)
				jsonobj_put_bool(e, "in_kernel", in_kernel[i]);
			jsonobj_put_str(e, "hint", have_kallsyms && !in_kernel[i] ?
					tracefs_probe_events[i].hint : TRACEFS_MOUNT_HINT);
		}
		if (pvm && tracefs_probe_events[i].pvm_note)
			jsonobj_put_str(e, "note", tracefs_probe_events[i].pvm_note);
		json_object_object_add(evs, tracefs_probe_events[i].event, e);
	}
	json_object_object_add(o, "events", evs);
	return 0;
}
