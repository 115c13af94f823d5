// SPDX-License-Identifier: GPL-2.0
/* damon:damon_aggregated in a private tracefs instance, and its parser. */
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

#include "damon_trace.h"
#include "util.h"

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
#define DT_FSCONFIG_CMD_CREATE	6

#define DT_EVENT	"events/damon/damon_aggregated"
#define DT_BUF		65536

/* ------------------------------------------------------------------ */
/* The parser */

/* Decimal digits only (no sign, no spaces), no overflow. */
static const char *dt_u64(const char *p, uint64_t *v)
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

static const char *dt_lit(const char *p, const char *lit)
{
	size_t n = strlen(lit);

	return p && !strncmp(p, lit, n) ? p + n : NULL;
}

/* The token ending at or before @end, spaces skipped: [*s, *e). */
static bool dt_prev_token(const char *line, const char *end, const char **s, const char **e)
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
static bool dt_timestamp(const char *s, const char *e, uint64_t *ns)
{
	uint64_t secs, frac = 0;
	const char *p = dt_u64(s, &secs), *f;
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
	p = dt_u64(f, &frac);
	digits = p ? p - f : 0;
	if (!p || p != e || digits > 9)
		return false;
	for (; digits < 9; digits++)
		frac *= 10;
	*ns = secs * 1000000000ull + frac;
	return true;
}

/* Whether [s, e) is "[digits]" (the CPU column). */
static bool dt_is_cpu(const char *s, const char *e)
{
	uint64_t cpu;
	const char *p;

	if (e - s < 3 || *s != '[' || e[-1] != ']')
		return false;
	p = dt_u64(s + 1, &cpu);
	return p == e - 1;
}

int damon_trace_parse_line(const char *line, struct damon_region_sample *out)
{
	static const char ev_name[] = ": damon_aggregated: ";
	const char *ev = strstr(line, ev_name), *p, *s, *e, *end;
	uint64_t v[6], pid = 0;
	bool cpu = false;
	int i;

	if (!ev)
		return -EINVAL;
	/* target_id=%lu nr_regions=%u %lu-%lu: %u %u */
	p = ev + sizeof(ev_name) - 1;
	p = dt_lit(p, "target_id=");
	p = p ? dt_u64(p, &v[0]) : NULL;
	p = dt_lit(p, " nr_regions=");
	p = p ? dt_u64(p, &v[1]) : NULL;
	p = dt_lit(p, " ");
	p = p ? dt_u64(p, &v[2]) : NULL;
	p = dt_lit(p, "-");
	p = p ? dt_u64(p, &v[3]) : NULL;
	p = dt_lit(p, ": ");
	p = p ? dt_u64(p, &v[4]) : NULL;
	p = dt_lit(p, " ");
	p = p ? dt_u64(p, &v[5]) : NULL;
	if (!p)
		return -EINVAL;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p || !v[1] || v[1] > UINT_MAX || v[2] >= v[3] || v[4] > UINT_MAX ||
	    v[5] > UINT_MAX || v[0] > ULONG_MAX)
		return -EINVAL;

	/* "  comm-pid [(tgid)] [cpu] flags timestamp" before the event name */
	if (!dt_prev_token(line, ev, &s, &e) || e != ev || !dt_timestamp(s, e, &out->ts_ns))
		return -EINVAL;
	end = s;
	for (i = 0; i < 2 && !cpu; i++) {	/* the flags column may be off */
		if (!dt_prev_token(line, end, &s, &e))
			return -EINVAL;
		cpu = dt_is_cpu(s, e);
		end = s;
	}
	if (!cpu)
		return -EINVAL;
	/* the record-tgid column, "(   1234)" or "(-------)" */
	while (end > line && end[-1] == ' ')
		end--;
	if (end > line && end[-1] == ')') {
		while (end > line && *--end != '(')
			;
		if (*end != '(')
			return -EINVAL;
	}
	if (!dt_prev_token(line, end, &s, &e))
		return -EINVAL;
	/* comm may hold '-' and spaces: the pid is the digits after the last '-' */
	for (p = e; p > s && p[-1] >= '0' && p[-1] <= '9'; p--)
		;
	if (p == e || p == s || p[-1] != '-' || dt_u64(p, &pid) != e || pid > INT_MAX)
		return -EINVAL;

	out->pid = pid;
	out->target_id = v[0];
	out->nr_regions = v[1];
	out->start = v[2];
	out->end = v[3];
	out->nr_accesses = v[4];
	out->age = v[5];
	return 0;
}

/* ------------------------------------------------------------------ */
/* The collector */

void damon_collector_init(struct damon_collector *c, int pid)
{
	memset(c, 0, sizeof(*c));
	c->pid = pid;
}

void damon_collector_free(struct damon_collector *c)
{
	for (unsigned int i = 0; i < c->ntargets; i++) {
		free(c->t[i].cur.r);
		free(c->t[i].done.r);
	}
	free(c->t);
	c->t = NULL;
	c->ntargets = 0;
}

void damon_collector_restart(struct damon_collector *c)
{
	for (unsigned int i = 0; i < c->ntargets; i++)
		c->t[i].cur.nr = 0;
	c->linelen = 0;
	c->line_overflow = false;
}

int damon_collector_add(struct damon_collector *c, const struct damon_region_sample *s)
{
	struct damon_target_aggr *ta;
	struct damon_aggr *a, tmp;

	if ((c->pid >= 0 && s->pid != c->pid) || s->ts_ns < c->since_ns ||
	    s->target_id >= DAMON_TRACE_MAX_TARGETS)
		return 0;
	if (s->target_id >= c->ntargets) {
		unsigned int n = s->target_id + 1;
		struct damon_target_aggr *t = realloc(c->t, n * sizeof(*t));

		if (!t)
			return -ENOMEM;
		memset(t + c->ntargets, 0, (n - c->ntargets) * sizeof(*t));
		c->t = t;
		c->ntargets = n;
	}
	ta = &c->t[s->target_id];
	a = &ta->cur;
	if (a->nr && (s->nr_regions != a->nr_regions || s->start < a->r[a->nr - 1].end ||
		      (c->max_gap_ns && s->ts_ns > a->last_ts_ns &&
		       s->ts_ns - a->last_ts_ns > c->max_gap_ns)))
		a->nr = 0;
	if (!a->nr) {
		a->ts_ns = s->ts_ns;
		a->nr_regions = s->nr_regions;
	}
	if (a->nr >= a->cap) {
		unsigned int cap = a->nr_regions > a->nr ? a->nr_regions : a->nr + 1;
		struct damon_trace_region *r = realloc(a->r, cap * sizeof(*r));

		if (!r)
			return -ENOMEM;
		a->r = r;
		a->cap = cap;
	}
	a->r[a->nr++] = (struct damon_trace_region){
		.start = s->start, .end = s->end,
		.nr_accesses = s->nr_accesses, .age = s->age,
	};
	a->last_ts_ns = s->ts_ns;
	if (a->nr < a->nr_regions)
		return 0;
	/* complete: it becomes the latest, the old latest's array is reused */
	tmp = ta->done;
	ta->done = *a;
	*a = tmp;
	a->nr = 0;
	ta->gen++;
	return 1;
}

static int dt_feed_line(struct damon_collector *c, const char *line)
{
	struct damon_region_sample s;

	if (damon_trace_parse_line(line, &s)) {
		c->nrejected++;
		return 0;
	}
	c->nlines++;
	return damon_collector_add(c, &s);
}

int damon_collector_feed(struct damon_collector *c, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *nl;
	int done = 0, ret;

	while (p < end) {
		size_t n;

		nl = memchr(p, '\n', end - p);
		n = (nl ? nl : end) - p;
		if (c->linelen + n < sizeof(c->line)) {
			memcpy(c->line + c->linelen, p, n);
			c->linelen += n;
		} else {
			c->line_overflow = true;
		}
		if (!nl)
			break;
		c->line[c->linelen] = '\0';
		if (c->line_overflow) {
			c->nrejected++;
			ret = 0;
		} else {
			ret = dt_feed_line(c, c->line);
		}
		c->linelen = 0;
		c->line_overflow = false;
		if (ret < 0)
			return ret;
		done += ret;
		p = nl + 1;
	}
	return done;
}

const struct damon_aggr *damon_collector_latest(const struct damon_collector *c,
						unsigned long target_id)
{
	if (target_id >= c->ntargets || !c->t[target_id].gen)
		return NULL;
	return &c->t[target_id].done;
}

/* ------------------------------------------------------------------ */
/* Regions to page verdicts */

static int dt_region_cmp(const void *a, const void *b)
{
	const struct damon_trace_region *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

void damon_regions_sort(struct damon_trace_region *r, size_t nr)
{
	qsort(r, nr, sizeof(*r), dt_region_cmp);
}

/* Index of the region holding addr, or -1. */
static ssize_t dt_find(const struct damon_trace_region *r, size_t nr, uint64_t addr, size_t hint)
{
	size_t lo = 0, hi = nr;

	if (hint < nr && r[hint].start <= addr && addr < r[hint].end)
		return hint;
	if (hint + 1 < nr && r[hint + 1].start <= addr && addr < r[hint + 1].end)
		return hint + 1;
	/* last region with start <= addr */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || addr >= r[lo - 1].end)
		return -1;
	return lo - 1;
}

uint64_t damon_regions_mark_old(const struct damon_trace_region *r, size_t nr,
				unsigned int threshold, const uint64_t *pfns, uint64_t base,
				uint64_t npages, unsigned long *old)
{
	const unsigned int bpw = sizeof(unsigned long) * CHAR_BIT;
	uint64_t covered = 0;
	size_t hint = 0;

	for (uint64_t w = 0; w < (npages + bpw - 1) / bpw; w++)
		old[w] = 0;
	for (uint64_t i = 0; i < npages; i++) {
		uint64_t addr;
		ssize_t k = -1;

		if (!pfns)
			addr = base + i * 4096;
		else if (pfns[i])
			addr = pfns[i] * 4096;
		else
			goto old;
		k = dt_find(r, nr, addr, hint);
		if (k < 0)
			goto old;
		hint = k;
		covered++;
		if (r[k].nr_accesses > threshold)
			continue;
old:
		old[i / bpw] |= 1ul << (i % bpw);
	}
	return covered;
}

/* ------------------------------------------------------------------ */
/* The private tracefs instance */

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
static int dt_tracefs_root(char *err, size_t errlen)
{
	int fs, mnt = -1, e = 0;
	struct mntent *m;
	char path[PATH_MAX];
	FILE *f;

	fs = syscall(SYS_fsopen, "tracefs", FSOPEN_CLOEXEC);
	if (fs >= 0) {
		if (syscall(SYS_fsconfig, fs, DT_FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
			mnt = syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC,
				      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
		if (mnt < 0)
			e = errno;
		close(fs);
		if (mnt >= 0)
			return mnt;
	} else {
		e = errno;
		if (e == ENODEV)
			return errf(err, errlen, -EOPNOTSUPP,
				    "no tracefs in this kernel: CONFIG_TRACING=y (tracefs) for damon:damon_aggregated");
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
	if (mnt >= 0)
		return mnt;
	return errf(err, errlen, -EOPNOTSUPP,
		    "tracefs: fsopen/fsmount: %s, and no tracefs is mounted: mount -t tracefs nodev /sys/kernel/tracing (CONFIG_TRACING=y)",
		    strerror(e));
}

static int dt_write(int dirfd, const char *rel, const char *val)
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
 * damon_trace_close() removes it itself, then closes the pipe and reaps the
 * shell, whose rmdir then finds nothing to do.
 */
static void dt_watchdog_start(struct damon_trace *tr)
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
		 "while [ -d $d ] && [ $i -lt 10 ]; do rmdir $d 2>/dev/null || sleep 1; i=$((i+1)); done",
		 tr->name);
	if (pipe2(p, O_CLOEXEC))
		return;
	sigemptyset(&none);
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	posix_spawn_file_actions_adddup2(&fa, p[0], 0);
	posix_spawn_file_actions_adddup2(&fa, tr->root_fd, 3);
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
	tr->watchdog = pid;
	tr->watchdog_fd = p[1];
}

static int dt_filter(struct damon_trace *tr, int pid)
{
	char f[64];

	if (pid > 0)
		snprintf(f, sizeof(f), "common_pid == %d", pid);
	else
		snprintf(f, sizeof(f), "0");
	return dt_write(tr->inst_fd, DT_EVENT "/filter", f);
}

int damon_trace_open(struct damon_trace *tr, int pid, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int ret;

	memset(tr, 0, sizeof(*tr));
	tr->root_fd = tr->inst_fd = tr->pipe_fd = tr->watchdog_fd = -1;
	damon_collector_init(&tr->col, pid > 0 ? pid : -1);
	tr->buf = malloc(DT_BUF);
	if (!tr->buf)
		return errf(err, errlen, -ENOMEM, "out of memory");
	ret = dt_tracefs_root(err, errlen);
	if (ret < 0)
		return ret;
	tr->root_fd = ret;
	if (faccessat(tr->root_fd, DT_EVENT "/enable", F_OK, 0))
		return errf(err, errlen, -EOPNOTSUPP,
			    "no damon:damon_aggregated tracepoint: CONFIG_DAMON=y with CONFIG_DAMON_PADDR or CONFIG_DAMON_VADDR (and CONFIG_DAMON_SYSFS)");

	/* ours alone: other mmubench modules may have an instance of their own */
	snprintf(tr->name, sizeof(tr->name), "mmubench-%d-damon", (int)getpid());
	snprintf(path, sizeof(path), "instances/%s", tr->name);
	ret = mkdirat(tr->root_fd, path, 0700) ? -errno : 0;
	if (ret == -EEXIST) {
		/* left by a dead process with our pid, or a teardown that never ran */
		unlinkat(tr->root_fd, path, AT_REMOVEDIR);
		ret = mkdirat(tr->root_fd, path, 0700) ? -errno : 0;
	}
	if (ret)
		return errf(err, errlen, ret, "tracefs: mkdir %s: %s", path, strerror(-ret));
	tr->instance = true;
	dt_watchdog_start(tr);
	tr->inst_fd = openat(tr->root_fd, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (tr->inst_fd < 0)
		return errf(err, errlen, -errno, "tracefs: %s: %s", path, strerror(errno));
	/* timestamps comparable with now_ns(); without it, passes drain and restart instead */
	tr->mono = dt_write(tr->inst_fd, "trace_clock", "mono") == 0;
	if (pid > 0)
		dt_filter(tr, pid);	/* only less to parse: the collector filters too */
	tr->pipe_fd = openat(tr->inst_fd, "trace_pipe", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (tr->pipe_fd < 0)
		return errf(err, errlen, -errno, "tracefs: %s/trace_pipe: %s", path, strerror(errno));
	return 0;
}

int damon_trace_follow(struct damon_trace *tr, int pid, char *err, size_t errlen)
{
	tr->col.pid = pid > 0 ? pid : -1;
	damon_collector_restart(&tr->col);
	dt_filter(tr, pid);
	return 0;
}

int damon_trace_enable(struct damon_trace *tr, bool on, char *err, size_t errlen)
{
	int ret = dt_write(tr->inst_fd, DT_EVENT "/enable", on ? "1" : "0");

	if (ret)
		return errf(err, errlen, ret, "tracefs: instances/%s/" DT_EVENT "/enable: %s",
			    tr->name, strerror(-ret));
	return 0;
}

/* Reads what trace_pipe has now. Returns aggregations completed, 0 when empty, -errno. */
static int dt_read(struct damon_trace *tr, bool *empty)
{
	ssize_t n = read(tr->pipe_fd, tr->buf, DT_BUF);

	*empty = false;
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR) {
			*empty = errno == EAGAIN;
			return 0;
		}
		return -errno;
	}
	if (!n) {
		*empty = true;
		return 0;
	}
	return damon_collector_feed(&tr->col, tr->buf, n);
}

static bool dt_ready(const struct damon_trace *tr, uint64_t since_ns, unsigned int ntargets,
		     const uint64_t *gen0)
{
	for (unsigned int t = 0; t < ntargets; t++) {
		const struct damon_aggr *a = damon_collector_latest(&tr->col, t);

		if (!a || tr->col.t[t].gen <= gen0[t] || (tr->mono && a->ts_ns < since_ns))
			return false;
	}
	return true;
}

int damon_trace_wait(struct damon_trace *tr, uint64_t since_ns, unsigned int ntargets,
		     uint64_t deadline_ns, char *err, size_t errlen)
{
	uint64_t *gen0, now;
	bool empty;
	int ret = 0;

	if (!ntargets)
		ntargets = 1;
	if (ntargets > DAMON_TRACE_MAX_TARGETS)
		return errf(err, errlen, -EINVAL, "%u DAMON targets: at most %d", ntargets,
			    DAMON_TRACE_MAX_TARGETS);
	gen0 = calloc(ntargets, sizeof(*gen0));
	if (!gen0)
		return errf(err, errlen, -ENOMEM, "out of memory");
	if (tr->mono) {
		/* what the buffer holds from before is read and dropped by time */
		tr->col.since_ns = since_ns;
		damon_collector_restart(&tr->col);
	} else {
		do {
			ret = dt_read(tr, &empty);
		} while (ret >= 0 && !empty);
		damon_collector_restart(&tr->col);
	}
	for (unsigned int t = 0; t < ntargets && t < tr->col.ntargets; t++)
		gen0[t] = tr->col.t[t].gen;
	while (ret >= 0) {
		if (dt_ready(tr, since_ns, ntargets, gen0)) {
			ret = 0;
			break;
		}
		ret = dt_read(tr, &empty);
		if (ret < 0 || !empty)
			continue;
		now = now_ns();
		if (now >= deadline_ns) {
			ret = -ETIMEDOUT;
			break;
		}
		{
			struct pollfd pfd = { .fd = tr->pipe_fd, .events = POLLIN };
			uint64_t ms = (deadline_ns - now) / 1000000 + 1;

			/* short slices: trace_pipe wakeups are deferred and may be missed */
			poll(&pfd, 1, ms > 100 ? 100 : ms);
		}
	}
	free(gen0);
	if (ret == -ETIMEDOUT)
		return errf(err, errlen, ret, "no complete damon_aggregated aggregation arrived in time (%ju lines taken, %ju other lines)",
			    (uintmax_t)tr->col.nlines, (uintmax_t)tr->col.nrejected);
	if (ret < 0)
		return errf(err, errlen, ret, "tracefs: instances/%s/trace_pipe: %s", tr->name,
			    strerror(-ret));
	return 0;
}

void damon_trace_close(struct damon_trace *tr)
{
	char path[PATH_MAX];

	if (tr->pipe_fd >= 0) {
		close(tr->pipe_fd);
		tr->pipe_fd = -1;
	}
	if (tr->inst_fd >= 0) {
		dt_write(tr->inst_fd, DT_EVENT "/enable", "0");
		close(tr->inst_fd);
		tr->inst_fd = -1;
	}
	if (tr->instance) {
		snprintf(path, sizeof(path), "instances/%s", tr->name);
		/* EBUSY while a reader's last reference goes away */
		for (int i = 0; i < 50; i++) {
			if (!unlinkat(tr->root_fd, path, AT_REMOVEDIR) || errno == ENOENT)
				break;
			if (errno != EBUSY)
				break;
			nanosleep(&(struct timespec){ .tv_nsec = 20000000 }, NULL);
		}
		tr->instance = false;
	}
	if (tr->watchdog_fd >= 0) {
		close(tr->watchdog_fd);
		tr->watchdog_fd = -1;
	}
	if (tr->watchdog > 0) {
		while (waitpid(tr->watchdog, NULL, 0) < 0 && errno == EINTR)
			;
		tr->watchdog = 0;
	}
	if (tr->root_fd >= 0) {
		close(tr->root_fd);
		tr->root_fd = -1;
	}
	damon_collector_free(&tr->col);
	free(tr->buf);
	tr->buf = NULL;
}
