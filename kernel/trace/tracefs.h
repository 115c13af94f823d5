/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tracefs, privately: the filesystem reached without mounting it anywhere
 * (a detached fsmount(), or an existing mount), a tracefs instance of our
 * own (instances/mmubench-<pid>-<suffix>) that a watchdog removes should we
 * die, events enabled and filtered in it, and its trace_pipe read without
 * blocking. Also the parts of a trace_pipe line every event shares (the
 * "comm-pid [cpu] flags secs.usecs: event: " columns), and line splitting.
 * Users: kernel/trace/damon_trace.c, kernel/trace/kvm_trace.c.
 */
#ifndef MMUBENCH_TRACEFS_H
#define MMUBENCH_TRACEFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define TRACEFS_MOUNT_HINT	"mount -t tracefs nodev /sys/kernel/tracing"

struct json_object;

/* ------------------------------------------------------------------ */
/* Trace lines (pure) */

/* Decimal digits only (no sign, no spaces), no overflow; the end, or NULL. */
const char *tracefs_parse_u64(const char *p, uint64_t *v);

/*
 * Finds event @name in one line of trace/trace_pipe with the default
 * options ("comm-pid [cpu] flags secs.usecs: name: payload"; a record-tgid
 * "(tgid)" column is accepted, the flags column may be off, the clock may
 * be a counter) and checks the columns before it. Returns the payload
 * (just after "name: "), or NULL for other events and malformed lines.
 * @pid and @ts_ns (timestamp in ns) may be NULL.
 */
const char *tracefs_line_event(const char *line, const char *name, int *pid, uint64_t *ts_ns);

/*
 * Whether @line is trace_pipe's note of events the ring buffer dropped,
 * "CPU:<n> [LOST <count> EVENTS]"; @count gets the count.
 */
bool tracefs_line_lost(const char *line, uint64_t *count);

#define TRACEFS_LINE_MAX	512

/* Lines carried between reads: trace_pipe reads end anywhere. */
struct tracefs_linebuf {
	char line[TRACEFS_LINE_MAX];	/* a partial line */
	size_t len;
	bool overflow;			/* longer than the buffer: dropped whole */
};

static inline void tracefs_linebuf_reset(struct tracefs_linebuf *lb)
{
	lb->len = 0;
	lb->overflow = false;
}

/*
 * Splits @buf into lines, the partial line of the previous call first, and
 * calls @fn on each complete one (without its '\n'); a line longer than
 * TRACEFS_LINE_MAX - 1 is passed as NULL. Returns the sum of what @fn
 * returned, or the first negative return.
 */
int tracefs_linebuf_feed(struct tracefs_linebuf *lb, const char *buf, size_t len,
			 int (*fn)(void *ctx, const char *line), void *ctx);

/* ------------------------------------------------------------------ */
/* tracefs and a private instance */

struct tracefs {
	int root_fd;		/* tracefs root: a detached mount, or an existing mount */
	int inst_fd;		/* instances/<name> */
	int pipe_fd;		/* its trace_pipe, non-blocking */
	char name[64];		/* mmubench-<pid>-<suffix> */
	bool created;		/* the instance is ours, to be removed */
	pid_t watchdog;		/* removes the instance if we die first, or 0 */
	int watchdog_fd;	/* the write end of its pipe */
};

/* Marks everything closed: tracefs_close() is then valid. */
void tracefs_init(struct tracefs *t);

/*
 * Reaches tracefs (root_fd), without adding a mount to the host. @need
 * names what it is for in the hint of the error ("damon:damon_aggregated").
 * -EOPNOTSUPP when the kernel has no tracefs or it cannot be reached.
 */
int tracefs_open(struct tracefs *t, const char *need, char *err, size_t errlen);

/* Whether events/<sys>/<event> exists (in the top-level events/). */
bool tracefs_has_event(const struct tracefs *t, const char *sys, const char *event);

/*
 * Reads events/<sys>/<event>/format into @buf (NUL-terminated, truncated to
 * len - 1). Returns the length or -errno.
 */
ssize_t tracefs_event_format(const struct tracefs *t, const char *sys, const char *event,
			     char *buf, size_t len);

/*
 * Creates instances/mmubench-<pid>-<suffix> (replacing a stale one of that
 * name), opens it (inst_fd) and starts its watchdog. Requires tracefs_open().
 */
int tracefs_instance_create(struct tracefs *t, const char *suffix, char *err, size_t errlen);

/* Writes @val to @rel under @dirfd. Returns 0 or -errno (-EIO on a short write). */
int tracefs_write(int dirfd, const char *rel, const char *val);

/* events/<sys>/<event>/filter of the instance; NULL or "" clears it. 0 or -errno. */
int tracefs_event_filter(struct tracefs *t, const char *sys, const char *event,
			 const char *filter);

/* events/<sys>/<event>/enable of the instance. 0 or -errno. */
int tracefs_event_enable(struct tracefs *t, const char *sys, const char *event, bool on);

/* The instance's trace_clock ("mono", "local", ...). 0 or -errno. */
int tracefs_set_clock(struct tracefs *t, const char *clock);

/* The instance's buffer_size_kb (per CPU). 0 or -errno. */
int tracefs_set_buffer_kb(struct tracefs *t, unsigned long kb);

/* Opens the instance's trace_pipe, non-blocking (pipe_fd). */
int tracefs_pipe_open(struct tracefs *t, char *err, size_t errlen);

/*
 * Reads what trace_pipe holds now (at most a page per call): the number of
 * bytes, 0 when there is nothing, or -errno.
 */
ssize_t tracefs_pipe_read(struct tracefs *t, char *buf, size_t len);

/* Waits up to @timeout_ms for trace_pipe to have data (wakeups may come late). */
void tracefs_pipe_wait(struct tracefs *t, int timeout_ms);

/*
 * Disables the instance's events, removes the instance, reaps its watchdog,
 * lets tracefs go. Idempotent; valid after tracefs_init() and any failure.
 */
void tracefs_close(struct tracefs *t);

/* ------------------------------------------------------------------ */
/* The prober's view (mounts only: nothing is mounted or created) */

/* The mounted tracefs directory with events/ (tracefs, or debugfs/tracing), or "" */
void tracefs_mounted_dir(char *dir, size_t len);

/*
 * The prober's "tracefs": fills @o with {"mounted", "path", "hint"?,
 * "events": {"kvm/kvm_age_hva": {"present", "in_kernel"?, "hint"?,
 * "note"?}, ...}} for every tracepoint mmubench uses; without a mount,
 * "in_kernel" comes from /proc/kallsyms. @pvm adds the notes for PVM hosts.
 * 0 or -ENOMEM.
 */
int tracefs_probe(struct json_object *o, bool pvm);

#endif
