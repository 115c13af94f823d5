// SPDX-License-Identifier: GPL-2.0
/*
 * The result record as JSON, and writing it atomically.
 *
 * Layout (schema_version 1):
 *   schema_version, run_id, label (or null), scenario,
 *   started_at ("2026-11-21T06:01:02Z"), started_at_unix, duration_s,
 *   params, env, placement (objects),
 *   metrics: [{name, unit, direction, value, samples: [...]}],
 *   histograms: [{name, unit, unit_per_cycle, count, min, max, mean, p50,
 *                 p90, p99, p99_9 (all in unit; null when count is 0),
 *                 overflow, sum_cycles, min_cycles, max_cycles,
 *                 buckets: [[low_cycles, count], ...] (non-empty only)}],
 *   checks: [{name, status, reason}], status, status_reason.
 * With count, sum, min, max, overflow and the buckets, the histogram can be
 * rebuilt exactly (to merge repeats). Doubles are written in the shortest
 * form that reads back to the same value; NaN and infinities as null.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "src/stats/hist_stats.h"
#include "src/record/json_out.h"
#include "src/lib/util.h"

/*
 * Decimal form of @d, always with a '.' or an exponent: the shortest that
 * parses back to @d exactly, or for @approx (values derived by scaling, like
 * percentiles in us) 15 significant digits, which hides the noise of the
 * scaling (0.0052, not 0.005200000000000001).
 */
static struct json_object *json_double_prec(double d, int approx)
{
	char buf[40], *p;
	int prec;

	if (!isfinite(d))
		return NULL;	/* json null */
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, d);
		/* A locale with a decimal comma must not leak into JSON. */
		for (p = buf; *p; p++)
			if (*p == ',')
				*p = '.';
		if (approx || strtod(buf, NULL) == d)
			break;
	}
	if (!strpbrk(buf, ".e"))
		strncat(buf, ".0", sizeof(buf) - strlen(buf) - 1);
	/* The object holds what its text says, so readers of either agree (the store). */
	return json_object_new_double_s(strtod(buf, NULL), buf);
}

static struct json_object *json_double(double d)
{
	return json_double_prec(d, 0);
}

/* Serializes an array on one line whatever the flags: [1.5, 2.5, 3.5]. */
static int json_compact_array(struct json_object *jso, struct printbuf *pb, int level, int flags)
{
	size_t i, n = json_object_array_length(jso);
	struct json_object *e;
	const char *s;

	printbuf_strappend(pb, "[");
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(jso, i);
		if (i)
			printbuf_strappend(pb, ", ");
		if (!e) {
			printbuf_strappend(pb, "null");
			continue;
		}
		s = json_object_to_json_string_ext(e, JSON_C_TO_STRING_PLAIN);
		printbuf_memappend(pb, s, (int)strlen(s));
	}
	printbuf_strappend(pb, "]");
	return 0;
}

/*
 * Adds @val under @key; a NULL @val is an allocation failure unless
 * @nullable. Returns 0 or -ENOMEM; @val is consumed either way.
 */
static int json_add(struct json_object *o, const char *key, struct json_object *val,
		    int nullable)
{
	if (!val && !nullable)
		return -ENOMEM;
	if (json_object_object_add(o, key, val)) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

static int json_add_str(struct json_object *o, const char *key, const char *s)
{
	return json_add(o, key, s ? json_object_new_string(s) : NULL, !s);
}

static int json_add_double(struct json_object *o, const char *key, double d)
{
	return json_add(o, key, json_double(d), !isfinite(d));
}

static int json_add_scaled(struct json_object *o, const char *key, double d)
{
	return json_add(o, key, json_double_prec(d, 1), !isfinite(d));
}

static int json_append(struct json_object *a, struct json_object *val, int nullable)
{
	if (!val && !nullable)
		return -ENOMEM;
	if (json_object_array_add(a, val)) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

static struct json_object *json_shared(struct json_object *o)
{
	return o ? json_object_get(o) : NULL;
}

static struct json_object *json_metric(const struct metric *m)
{
	struct json_object *o = json_object_new_object();
	struct json_object *samples = json_object_new_array();
	int err = 0;
	size_t i;

	if (!o || !samples) {
		json_object_put(o);
		json_object_put(samples);
		return NULL;
	}
	json_object_set_serializer(samples, json_compact_array, NULL, NULL);
	for (i = 0; i < m->nsamples; i++)
		err |= json_append(samples, json_double(m->samples[i]), !isfinite(m->samples[i]));
	err |= json_add_str(o, "name", m->name);
	err |= json_add_str(o, "unit", m->unit);
	err |= json_add_str(o, "direction", metric_direction_name(m->direction));
	err |= json_add_double(o, "value", m->value);
	err |= json_add(o, "samples", samples, 0);
	if (err) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *json_buckets(const struct hist *h)
{
	struct json_object *a = json_object_new_array(), *pair;
	uint32_t i;
	int err = 0;

	if (!a)
		return NULL;
	for (i = 0; i < HIST_NBUCKETS && !err; i++) {
		if (!h->bucket[i])
			continue;
		pair = json_object_new_array();
		if (!pair) {
			err = -ENOMEM;
			break;
		}
		json_object_set_serializer(pair, json_compact_array, NULL, NULL);
		err |= json_append(pair, json_object_new_uint64(hist_bucket_low(i)), 0);
		err |= json_append(pair, json_object_new_uint64(h->bucket[i]), 0);
		err |= json_append(a, pair, 0);
	}
	if (err) {
		json_object_put(a);
		return NULL;
	}
	return a;
}

static struct json_object *json_hist(const struct record_hist *rh)
{
	static const struct {
		const char *key;
		double q;
	} pct[] = {
		{ "p50", 0.50 }, { "p90", 0.90 }, { "p99", 0.99 }, { "p99_9", 0.999 },
	};
	const struct hist *h = &rh->hist;
	double upc = rh->unit_per_cycle;
	struct json_object *o = json_object_new_object();
	int err = 0;
	size_t i;

	if (!o)
		return NULL;
	err |= json_add_str(o, "name", rh->name);
	err |= json_add_str(o, "unit", rh->unit);
	err |= json_add_double(o, "unit_per_cycle", upc);
	err |= json_add(o, "count", json_object_new_uint64(h->count), 0);
	if (h->count) {
		err |= json_add_scaled(o, "min", (double)h->min * upc);
		err |= json_add_scaled(o, "max", (double)h->max * upc);
		err |= json_add_scaled(o, "mean", hist_mean(h) * upc);
		for (i = 0; i < ARRAY_SIZE(pct); i++)
			err |= json_add_scaled(o, pct[i].key,
					       (double)hist_percentile(h, pct[i].q) * upc);
	} else {
		err |= json_add(o, "min", NULL, 1);
		err |= json_add(o, "max", NULL, 1);
		err |= json_add(o, "mean", NULL, 1);
		for (i = 0; i < ARRAY_SIZE(pct); i++)
			err |= json_add(o, pct[i].key, NULL, 1);
	}
	err |= json_add(o, "overflow", json_object_new_uint64(h->overflow), 0);
	err |= json_add(o, "sum_cycles", json_object_new_uint64(h->sum), 0);
	if (h->count) {
		err |= json_add(o, "min_cycles", json_object_new_uint64(h->min), 0);
		err |= json_add(o, "max_cycles", json_object_new_uint64(h->max), 0);
	} else {
		err |= json_add(o, "min_cycles", NULL, 1);
		err |= json_add(o, "max_cycles", NULL, 1);
	}
	err |= json_add(o, "buckets", json_buckets(h), 0);
	if (err) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *json_check(const struct check *c)
{
	struct json_object *o = json_object_new_object();
	int err = 0;

	if (!o)
		return NULL;
	err |= json_add_str(o, "name", c->name);
	err |= json_add_str(o, "status", record_status_name(c->status));
	err |= json_add_str(o, "reason", c->reason);
	if (err) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

struct json_object *record_to_json(const struct record *r)
{
	struct json_object *o, *metrics, *hists, *checks;
	char when[32];
	time_t t = (time_t)r->started_at;
	struct tm tm;
	int err = 0;
	size_t i;

	o = json_object_new_object();
	metrics = json_object_new_array();
	hists = json_object_new_array();
	checks = json_object_new_array();
	if (!o || !metrics || !hists || !checks) {
		json_object_put(o);
		json_object_put(metrics);
		json_object_put(hists);
		json_object_put(checks);
		return NULL;
	}
	for (i = 0; i < r->nmetrics; i++)
		err |= json_append(metrics, json_metric(&r->metrics[i]), 0);
	for (i = 0; i < r->nhists; i++)
		err |= json_append(hists, json_hist(&r->hists[i]), 0);
	for (i = 0; i < r->nchecks; i++)
		err |= json_append(checks, json_check(&r->checks[i]), 0);

	if (gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	else
		snprintf(when, sizeof(when), "invalid");

	err |= json_add(o, "schema_version", json_object_new_int(r->schema_version), 0);
	err |= json_add_str(o, "run_id", r->run_id);
	err |= json_add_str(o, "label", r->label);
	err |= json_add_str(o, "scenario", r->scenario);
	err |= json_add_str(o, "started_at", when);
	err |= json_add(o, "started_at_unix", json_object_new_int64(r->started_at), 0);
	err |= json_add_double(o, "duration_s", r->duration_s);
	err |= json_add(o, "params", json_shared(r->params), !r->params);
	err |= json_add(o, "env", json_shared(r->env), !r->env);
	err |= json_add(o, "placement", json_shared(r->placement), !r->placement);
	err |= json_add(o, "metrics", metrics, 0);
	err |= json_add(o, "histograms", hists, 0);
	err |= json_add(o, "checks", checks, 0);
	err |= json_add_str(o, "status", record_status_name(r->status));
	err |= json_add_str(o, "status_reason", r->status_reason);
	if (err) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static int json_write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Creates "<dir>/.<base>.XXXXXXXX" with O_EXCL and mode 0666 (so the umask
 * applies as for any new file, unlike mkstemp's 0600). Returns the fd or
 * -errno; @tmp receives the name.
 */
static int json_create_temp(const char *path, char *tmp, size_t tmplen)
{
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path) + 1 : 0;
	const char *base = slash ? slash + 1 : path;
	uint32_t rnd;
	int fd, tries;

	for (tries = 0; tries < 100; tries++) {
		if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != sizeof(rnd))
			rnd = (uint32_t)getpid() * 2654435761u + (uint32_t)tries;
		if (snprintf(tmp, tmplen, "%.*s.%s.%08x", dirlen, path, base, rnd) >= (int)tmplen)
			return -ENAMETOOLONG;
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0)
			return fd;
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

/* Makes the rename durable; best effort, as not every file system can fsync a directory. */
static void json_sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	int fd;

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	fsync(fd);
	close(fd);
}

int json_write_record(const struct record *r, const char *path, char *err, size_t errlen)
{
	struct json_object *o;
	char tmp[PATH_MAX];
	const char *text;
	int fd, ret;

	o = record_to_json(r);
	if (!o)
		return errf(err, errlen, -ENOMEM,
			    "cannot write %s: out of memory building the JSON", path);
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!text) {
		json_object_put(o);
		return errf(err, errlen, -ENOMEM,
			    "cannot write %s: out of memory serializing the JSON", path);
	}

	fd = json_create_temp(path, tmp, sizeof(tmp));
	if (fd < 0) {
		json_object_put(o);
		return errf(err, errlen, fd,
			    "cannot write %s: cannot create a temporary file next to it: %s", path,
			    strerror(-fd));
	}
	ret = json_write_all(fd, text, strlen(text));
	if (!ret)
		ret = json_write_all(fd, "\n", 1);
	json_object_put(o);
	if (ret) {
		errf(err, errlen, ret, "cannot write %s: writing %s: %s", path, tmp,
		     strerror(-ret));
		goto fail_close;
	}
	if (fsync(fd)) {
		ret = -errno;
		errf(err, errlen, ret, "cannot write %s: fsync of %s: %s", path, tmp,
		     strerror(-ret));
		goto fail_close;
	}
	if (close(fd)) {
		ret = -errno;
		errf(err, errlen, ret, "cannot write %s: closing %s: %s", path, tmp,
		     strerror(-ret));
		goto fail_unlink;
	}
	if (rename(tmp, path)) {
		ret = -errno;
		errf(err, errlen, ret, "cannot write %s: renaming %s over it: %s", path, tmp,
		     strerror(-ret));
		goto fail_unlink;
	}
	json_sync_dir(path);
	return 0;

fail_close:
	close(fd);
fail_unlink:
	unlink(tmp);
	return ret;
}
