// SPDX-License-Identifier: GPL-2.0
/* DAMON sysfs and the DAMON modules, read only: see damon.h. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kernel/mm/damon.h"
#include "kernel/mm/sysfs.h"
#include "kernel/trace/tracefs.h"
#include "src/lib/jsonobj.h"
#include "src/lib/util.h"

#define DAMON_INTERVALS	"contexts/0/monitoring_attrs/intervals/"

static int damon_read_str(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int damon_read_str(char *buf, size_t len, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return sysfs_read(path, buf, len);
}

uint64_t damon_kdamond_num(int i, const char *rel, uint64_t dflt)
{
	char path[PATH_MAX];
	uint64_t v;

	snprintf(path, sizeof(path), DAMON_KDAMONDS "/%d/%s", i, rel);
	return sysfs_read_u64(path, &v) ? dflt : v;
}

uint64_t damon_kdamond_aggr_us(int i)
{
	uint64_t aggr = damon_kdamond_num(i, DAMON_INTERVALS "aggr_us", 0);
	uint64_t sample = damon_kdamond_num(i, DAMON_INTERVALS "sample_us", 0);
	uint64_t goal = damon_kdamond_num(i, DAMON_INTERVALS "intervals_goal/aggrs", 0);
	uint64_t max_sample = damon_kdamond_num(i, DAMON_INTERVALS "intervals_goal/max_sample_us",
						0);

	/* tuning scales sample_us up to max_sample_us and keeps the aggr/sample ratio */
	if (goal && sample && max_sample && max_sample / sample * aggr > aggr)
		return max_sample / sample * aggr;
	return aggr;
}

int damon_find_running(struct damon_kdamond *k, bool *free_sysfs, char *why, size_t len)
{
	static const char *const modules[] = { "damon_reclaim", "damon_lru_sort" };
	char buf[64], ops[64];
	uint64_t n, v;

	*free_sysfs = false;
	snprintf(why, len,
		 "no DAMON sysfs (" DAMON_KDAMONDS "): " DAMON_HINT ", and tracefs "
								    "(CONFIG_TRACING)");
	if (sysfs_read_u64(DAMON_KDAMONDS "/nr_kdamonds", &n) == 0) {
		*free_sysfs = n == 0;
		if (n)
			snprintf(why, len,
				 "DAMON sysfs has %ju kdamond(s), none on: mmubench does not "
				 "reconfigure them (writing nr_kdamonds drops their "
				 "configuration); turn one on with paddr operations, or write 0 "
				 "to " DAMON_KDAMONDS "/nr_kdamonds",
				 (uintmax_t)n);
		for (int i = 0; i < (int)n; i++) {
			if (damon_read_str(buf, sizeof(buf), DAMON_KDAMONDS "/%d/state", i) < 0 ||
			    strcmp(buf, "on"))
				continue;
			if (damon_read_str(ops, sizeof(ops),
					   DAMON_KDAMONDS "/%d/contexts/0/operations", i) < 0)
				snprintf(ops, sizeof(ops), "unknown");
			if (strcmp(ops, "paddr")) {
				snprintf(why, len,
					 "kdamond %d runs with %s operations on targets of its own "
					 "(only a paddr kdamond can be observed for our pages), "
					 "and DAMON sysfs is not free for one of ours",
					 i, ops);
				continue;
			}
			v = damon_kdamond_num(i, "pid", 0);
			if (!v || v > INT_MAX) {
				snprintf(why, len,
					 "kdamond %d is on, but " DAMON_KDAMONDS "/%d/pid has no "
										 "thread id",
					 i, i);
				continue;
			}
			k->pid = v;
			k->kdamond = i;
			k->ntargets = damon_kdamond_num(i, "contexts/0/targets/nr_targets", 1);
			k->aggr_us = damon_kdamond_aggr_us(i);
			snprintf(k->what, sizeof(k->what), "kdamond %d (paddr, pid %d)", i, k->pid);
			return 1;
		}
	}
	for (size_t m = 0; m < ARRAY_SIZE(modules); m++) {
		if (damon_read_str(buf, sizeof(buf), "/sys/module/%s/parameters/enabled",
				   modules[m]) < 0 ||
		    (buf[0] != 'Y' && buf[0] != 'y'))
			continue;
		if (damon_read_str(buf, sizeof(buf), "/sys/module/%s/parameters/kdamond_pid",
				   modules[m]) < 0 ||
		    parse_u64(buf, &v) || !v || v > INT_MAX)
			continue;
		k->kdamond = -1;
		k->pid = v;
		k->ntargets = 1;
		k->aggr_us = 0;
		if (damon_read_str(buf, sizeof(buf), "/sys/module/%s/parameters/aggr_interval",
				   modules[m]) >= 0)
			parse_u64(buf, &k->aggr_us);
		snprintf(k->what, sizeof(k->what), "%s's kdamond (paddr, pid %d)", modules[m],
			 k->pid);
		return 1;
	}
	return 0;
}

int damon_probe(struct json_object *o)
{
	char path[512], buf[64], tracefs[256];
	struct json_object *states;
	uint64_t n = 0, i;
	bool running = false, sysfs = sysfs_exists(DAMON_KDAMONDS "/nr_kdamonds");

	tracefs_mounted_dir(tracefs, sizeof(tracefs));
	jsonobj_put_bool(o, "sysfs", sysfs);
	if (sysfs && sysfs_read_u64(DAMON_KDAMONDS "/nr_kdamonds", &n) == 0) {
		jsonobj_put_int(o, "nr_kdamonds", n);
		states = json_object_new_array();
		for (i = 0; i < n; i++) {
			snprintf(path, sizeof(path), DAMON_KDAMONDS "/%llu/state",
				 (unsigned long long)i);
			if (sysfs_read(path, buf, sizeof(buf)) < 0)
				snprintf(buf, sizeof(buf), "unreadable");
			if (!strcmp(buf, "on"))
				running = true;
			json_object_array_add(states, json_object_new_string(buf));
		}
		json_object_object_add(o, "kdamond_states", states);
	}
	jsonobj_put_bool(o, "running", running);
	if (tracefs[0]) {
		snprintf(path, sizeof(path), "%s/events/damon/damon_aggregated", tracefs);
		jsonobj_put_bool(o, "tracepoint", sysfs_exists(path));
	} else {
		json_object_object_add(o, "tracepoint", NULL);
	}
	if (!sysfs)
		jsonobj_put_str(o, "hint", DAMON_HINT);
	else if (running)
		jsonobj_put_str(o, "note",
				"a kdamond is already running: mmubench leaves it alone and "
				"observes it through damon:damon_aggregated");
	return 0;
}
