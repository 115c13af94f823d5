// SPDX-License-Identifier: GPL-2.0
/* damon:damon_aggregated in a private tracefs instance, and its parser. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/trace/damon_trace.h"
#include "src/lib/util.h"

#define DT_SYS		"damon"
#define DT_NAME		"damon_aggregated"
#define DT_EVENT	"events/" DT_SYS "/" DT_NAME
#define DT_BUF		65536

/* ------------------------------------------------------------------ */
/* The parser */

static const char *dt_lit(const char *p, const char *lit)
{
	size_t n = strlen(lit);

	return p && !strncmp(p, lit, n) ? p + n : NULL;
}

int damon_trace_parse_line(const char *line, struct damon_region_sample *out)
{
	const char *p;
	uint64_t v[6];
	int pid;

	/* "comm-pid [(tgid)] [cpu] flags timestamp: damon_aggregated: " */
	p = tracefs_line_event(line, DT_NAME, &pid, &out->ts_ns);
	if (!p)
		return -EINVAL;
	/* target_id=%lu nr_regions=%u %lu-%lu: %u %u */
	p = dt_lit(p, "target_id=");
	p = p ? tracefs_parse_u64(p, &v[0]) : NULL;
	p = dt_lit(p, " nr_regions=");
	p = p ? tracefs_parse_u64(p, &v[1]) : NULL;
	p = dt_lit(p, " ");
	p = p ? tracefs_parse_u64(p, &v[2]) : NULL;
	p = dt_lit(p, "-");
	p = p ? tracefs_parse_u64(p, &v[3]) : NULL;
	p = dt_lit(p, ": ");
	p = p ? tracefs_parse_u64(p, &v[4]) : NULL;
	p = dt_lit(p, " ");
	p = p ? tracefs_parse_u64(p, &v[5]) : NULL;
	if (!p)
		return -EINVAL;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p || !v[1] || v[1] > UINT_MAX || v[2] >= v[3] || v[4] > UINT_MAX ||
	    v[5] > UINT_MAX || v[0] > ULONG_MAX)
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
	tracefs_linebuf_reset(&c->lb);
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

static int dt_feed_line(void *ctx, const char *line)
{
	struct damon_collector *c = ctx;
	struct damon_region_sample s;

	if (!line || damon_trace_parse_line(line, &s)) {
		c->nrejected++;
		return 0;
	}
	c->nlines++;
	return damon_collector_add(c, &s);
}

int damon_collector_feed(struct damon_collector *c, const char *buf, size_t len)
{
	return tracefs_linebuf_feed(&c->lb, buf, len, dt_feed_line, c);
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
/* The private tracefs instance (kernel/trace/tracefs.c) */

static int dt_filter(struct damon_trace *tr, int pid)
{
	char f[64];

	if (pid > 0)
		snprintf(f, sizeof(f), "common_pid == %d", pid);
	else
		snprintf(f, sizeof(f), "0");
	return tracefs_event_filter(&tr->fs, DT_SYS, DT_NAME, f);
}

int damon_trace_open(struct damon_trace *tr, int pid, char *err, size_t errlen)
{
	int ret;

	memset(tr, 0, sizeof(*tr));
	tracefs_init(&tr->fs);
	damon_collector_init(&tr->col, pid > 0 ? pid : -1);
	tr->buf = malloc(DT_BUF);
	if (!tr->buf)
		return errf(err, errlen, -ENOMEM, "out of memory");
	ret = tracefs_open(&tr->fs, "damon:damon_aggregated", err, errlen);
	if (ret < 0)
		return ret;
	if (!tracefs_has_event(&tr->fs, DT_SYS, DT_NAME))
		return errf(err, errlen, -EOPNOTSUPP,
			    "no damon:damon_aggregated tracepoint: CONFIG_DAMON=y with "
			    "CONFIG_DAMON_PADDR or CONFIG_DAMON_VADDR (and CONFIG_DAMON_SYSFS)");
	ret = tracefs_instance_create(&tr->fs, "damon", err, errlen);
	if (ret < 0)
		return ret;
	/* timestamps comparable with now_ns(); without it, passes drain and restart instead */
	tr->mono = tracefs_set_clock(&tr->fs, "mono") == 0;
	if (pid > 0)
		dt_filter(tr, pid);	/* only less to parse: the collector filters too */
	return tracefs_pipe_open(&tr->fs, err, errlen);
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
	int ret = tracefs_event_enable(&tr->fs, DT_SYS, DT_NAME, on);

	if (ret)
		return errf(err, errlen, ret, "tracefs: instances/%s/" DT_EVENT "/enable: %s",
			    tr->fs.name, strerror(-ret));
	return 0;
}

/* Reads what trace_pipe has now. Returns aggregations completed, 0 when empty, -errno. */
static int dt_read(struct damon_trace *tr, bool *empty)
{
	ssize_t n = tracefs_pipe_read(&tr->fs, tr->buf, DT_BUF);

	*empty = n == 0;
	if (n <= 0)
		return n;
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
			uint64_t ms = (deadline_ns - now) / 1000000 + 1;

			/* short slices: trace_pipe wakeups are deferred and may be missed */
			tracefs_pipe_wait(&tr->fs, ms > 100 ? 100 : ms);
		}
	}
	free(gen0);
	if (ret == -ETIMEDOUT)
		return errf(err, errlen, ret,
			    "no complete damon_aggregated aggregation arrived in time (%ju lines "
			    "taken, %ju other lines)",
			    (uintmax_t)tr->col.nlines, (uintmax_t)tr->col.nrejected);
	if (ret < 0)
		return errf(err, errlen, ret, "tracefs: instances/%s/trace_pipe: %s", tr->fs.name,
			    strerror(-ret));
	return 0;
}

void damon_trace_close(struct damon_trace *tr)
{
	tracefs_close(&tr->fs);
	damon_collector_free(&tr->col);
	free(tr->buf);
	tr->buf = NULL;
}
