// SPDX-License-Identifier: GPL-2.0
/*
 * The result record from its JSON: the reverse of json_out.c, so that runs
 * made elsewhere (the QEMU rig, another host) can be stored here.
 *
 * Only what record_to_json() writes as data is read. What it derives (the
 * started_at text; min, max, mean and percentiles of a histogram in its
 * unit) follows from the rest and is recomputed when the record is written
 * again; unknown keys are ignored. Every error names the field:
 * "histograms[0].buckets[12][1]: must be an unsigned integer, not string".
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/record/json_in.h"
#include "src/lib/util.h"

/* The reader's place, for messages: "" at the top, "metrics[3]" inside a metric. */
struct jin {
	char *err;
	size_t errlen;
	const char *where;
};

/* "metrics[3].unit: ", "run_id: ", or "" at the top of the document. */
static void jin_prefix(const struct jin *in, const char *key, char *buf, size_t len)
{
	if (!*in->where && !key)
		buf[0] = '\0';
	else
		snprintf(buf, len, "%s%s%s: ", in->where, *in->where && key ? "." : "",
			 key ? key : "");
}

/* "<where>.<key>: <message>"; returns -EINVAL. */
static __attribute__((format(printf, 3, 4)))
int jin_fail(const struct jin *in, const char *key, const char *fmt, ...)
{
	char prefix[128], msg[256];
	va_list ap;

	jin_prefix(in, key, prefix, sizeof(prefix));
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return errf(in->err, in->errlen, -EINVAL, "%s%s", prefix, msg);
}

static int jin_oom(const struct jin *in, const char *key)
{
	char prefix[128];

	jin_prefix(in, key, prefix, sizeof(prefix));
	return errf(in->err, in->errlen, -ENOMEM, "%sout of memory", prefix);
}

static const char *jin_type(struct json_object *v)
{
	return json_type_to_name(json_object_get_type(v));
}

/* @o[@key] in *@v, which is NULL for a JSON null. */
static int jin_get(const struct jin *in, struct json_object *o, const char *key,
		   struct json_object **v)
{
	if (!json_object_object_get_ex(o, key, v))
		return jin_fail(in, key, "missing");
	return 0;
}

static int jin_str(const struct jin *in, struct json_object *o, const char *key, int nullable,
		   const char **s)
{
	struct json_object *v;
	int ret = jin_get(in, o, key, &v);

	if (ret)
		return ret;
	if (!v && nullable) {
		*s = NULL;
		return 0;
	}
	if (!json_object_is_type(v, json_type_string))
		return jin_fail(in, key, "must be a string%s, not %s", nullable ? " or null" : "",
				jin_type(v));
	*s = json_object_get_string(v);
	return 0;
}

/* A number; null is NaN, as json_out.c writes non-finite numbers as null. */
static int jin_num_val(const struct jin *in, const char *key, struct json_object *v, double *d)
{
	if (!v) {
		*d = NAN;
		return 0;
	}
	if (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int))
		return jin_fail(in, key, "must be a number or null, not %s", jin_type(v));
	*d = json_object_get_double(v);
	return 0;
}

static int jin_num(const struct jin *in, struct json_object *o, const char *key, double *d)
{
	struct json_object *v;

	return jin_get(in, o, key, &v) ?: jin_num_val(in, key, v, d);
}

static int jin_u64_val(const struct jin *in, const char *key, struct json_object *v,
		       uint64_t *u)
{
	if (!json_object_is_type(v, json_type_int))
		return jin_fail(in, key, "must be an unsigned integer, not %s", jin_type(v));
	/* Above INT64_MAX, json-c clamps the int64 view and keeps the uint64 one. */
	if (json_object_get_int64(v) < 0)
		return jin_fail(in, key, "must not be negative");
	*u = json_object_get_uint64(v);
	return 0;
}

static int jin_u64(const struct jin *in, struct json_object *o, const char *key, uint64_t *u)
{
	struct json_object *v;

	return jin_get(in, o, key, &v) ?: jin_u64_val(in, key, v, u);
}

static int jin_int(const struct jin *in, struct json_object *o, const char *key, int64_t *i)
{
	struct json_object *v;
	int ret = jin_get(in, o, key, &v);

	if (ret)
		return ret;
	if (!json_object_is_type(v, json_type_int))
		return jin_fail(in, key, "must be an integer, not %s", jin_type(v));
	*i = json_object_get_int64(v);
	return 0;
}

static int jin_array(const struct jin *in, struct json_object *o, const char *key,
		     struct json_object **a)
{
	int ret = jin_get(in, o, key, a);

	if (ret)
		return ret;
	if (!json_object_is_type(*a, json_type_array))
		return jin_fail(in, key, "must be an array, not %s", jin_type(*a));
	return 0;
}

/* Replaces *@dst with a deep copy of the object (or null) at @o[@key]. */
static int jin_copy_object(const struct jin *in, struct json_object *o, const char *key,
			   struct json_object **dst)
{
	struct json_object *v, *copy = NULL;
	int ret = jin_get(in, o, key, &v);

	if (ret)
		return ret;
	if (v && !json_object_is_type(v, json_type_object))
		return jin_fail(in, key, "must be an object or null, not %s", jin_type(v));
	if (v && json_object_deep_copy(v, &copy, NULL))
		return jin_oom(in, key);
	json_object_put(*dst);
	*dst = copy;
	return 0;
}

static int jin_status(const struct jin *in, struct json_object *o, const char *key,
		      enum record_status *status)
{
	static const enum record_status all[] = {
		STATUS_PASS, STATUS_FAIL, STATUS_SKIP, STATUS_ERROR,
	};
	const char *s;
	size_t i;
	int ret = jin_str(in, o, key, 0, &s);

	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(all); i++) {
		if (!strcmp(s, record_status_name(all[i]))) {
			*status = all[i];
			return 0;
		}
	}
	return jin_fail(in, key, "\"%s\" is not pass, fail, skip or error", s);
}

static int jin_direction(const struct jin *in, struct json_object *o, const char *key,
			 enum metric_direction *dir)
{
	const char *s;
	int ret = jin_str(in, o, key, 0, &s);

	if (ret)
		return ret;
	if (!metric_direction_parse(s, dir))
		return 0;
	return jin_fail(in, key, "\"%s\" is not lower, higher or info", s);
}

static int jin_metric(const struct jin *in, struct json_object *jm, struct record *r)
{
	const char *name, *unit;
	enum metric_direction dir = DIR_INFO;
	struct json_object *js;
	double value, *samples;
	struct metric *m;
	char key[32];
	size_t i, n;
	int ret;

	if (!json_object_is_type(jm, json_type_object))
		return jin_fail(in, NULL, "must be an object, not %s", jin_type(jm));
	ret = jin_str(in, jm, "name", 0, &name) ?:
	      jin_str(in, jm, "unit", 0, &unit) ?:
	      jin_direction(in, jm, "direction", &dir) ?:
	      jin_num(in, jm, "value", &value) ?:
	      jin_array(in, jm, "samples", &js);
	if (ret)
		return ret;
	for (i = 0; i < r->nmetrics; i++)
		if (!strcmp(r->metrics[i].name, name))
			return jin_fail(in, "name", "%s is also metrics[%zu]", name, i);

	n = json_object_array_length(js);
	samples = calloc(n ? n : 1, sizeof(*samples));
	if (!samples)
		return jin_oom(in, "samples");
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "samples[%zu]", i);
		ret = jin_num_val(in, key, json_object_array_get_idx(js, i), &samples[i]);
		if (ret) {
			free(samples);
			return ret;
		}
	}
	m = record_add_metric(r, name, unit, dir, samples, n);
	free(samples);
	if (!m)
		return jin_oom(in, NULL);
	/* As written: not always the median of the samples. */
	m->value = value;
	return 0;
}

/* The buckets [[low_cycles, count], ...] into @h, in ascending order; their total in @total. */
static int jin_buckets(const struct jin *in, struct json_object *jb, struct hist *h,
		       uint64_t *total)
{
	struct json_object *pair;
	uint64_t low, n, sum = 0;
	uint32_t idx, prev = 0;
	size_t i, nb = json_object_array_length(jb);
	char key[32], elem[40];
	int ret;

	for (i = 0; i < nb; i++) {
		pair = json_object_array_get_idx(jb, i);
		snprintf(key, sizeof(key), "buckets[%zu]", i);
		if (!json_object_is_type(pair, json_type_array) ||
		    json_object_array_length(pair) != 2)
			return jin_fail(in, key, "must be [low_cycles, count], not %s",
					json_object_to_json_string_ext(pair,
								       JSON_C_TO_STRING_PLAIN));
		snprintf(elem, sizeof(elem), "buckets[%zu][0]", i);
		ret = jin_u64_val(in, elem, json_object_array_get_idx(pair, 0), &low);
		if (ret)
			return ret;
		snprintf(elem, sizeof(elem), "buckets[%zu][1]", i);
		ret = jin_u64_val(in, elem, json_object_array_get_idx(pair, 1), &n);
		if (ret)
			return ret;
		idx = hist_index(low);
		if (idx >= HIST_NBUCKETS || hist_bucket_low(idx) != low)
			return jin_fail(in, key, "no bucket starts at %" PRIu64 " cycles", low);
		if (i && idx <= prev)
			return jin_fail(in, key, "bucket at %" PRIu64
					" cycles out of order: buckets go up, each once", low);
		if (__builtin_add_overflow(sum, n, &sum))
			return jin_fail(in, key, "the counts add up to more than 2^64");
		h->bucket[idx] = n;
		prev = idx;
	}
	*total = sum;
	return 0;
}

static int jin_hist(const struct jin *in, struct json_object *jh, struct record *r)
{
	struct json_object *jmin, *jmax, *jb;
	const char *name, *unit;
	size_t i, before = r->nhists;
	uint64_t total = 0;
	struct hist *h;
	double upc;
	int ret;

	if (!json_object_is_type(jh, json_type_object))
		return jin_fail(in, NULL, "must be an object, not %s", jin_type(jh));
	h = malloc(sizeof(*h));
	if (!h)
		return jin_oom(in, NULL);
	hist_init(h);
	ret = jin_str(in, jh, "name", 0, &name) ?:
	      jin_str(in, jh, "unit", 0, &unit) ?:
	      jin_num(in, jh, "unit_per_cycle", &upc) ?:
	      jin_u64(in, jh, "count", &h->count) ?:
	      jin_u64(in, jh, "overflow", &h->overflow) ?:
	      jin_u64(in, jh, "sum_cycles", &h->sum) ?:
	      jin_get(in, jh, "min_cycles", &jmin) ?:
	      jin_get(in, jh, "max_cycles", &jmax) ?:
	      jin_array(in, jh, "buckets", &jb);
	if (ret)
		goto out;
	for (i = 0; i < r->nhists; i++) {
		if (!strcmp(r->hists[i].name, name)) {
			ret = jin_fail(in, "name", "%s is also histograms[%zu]", name, i);
			goto out;
		}
	}

	/* min and max are exact, and null for an empty histogram. */
	if (h->count) {
		ret = jin_u64_val(in, "min_cycles", jmin, &h->min) ?:
		      jin_u64_val(in, "max_cycles", jmax, &h->max);
		if (!ret && h->min > h->max)
			ret = jin_fail(in, "min_cycles", "%" PRIu64 " is above max_cycles %" PRIu64,
				       h->min, h->max);
	} else if (jmin || jmax) {
		ret = jin_fail(in, jmin ? "min_cycles" : "max_cycles",
			       "must be null when count is 0");
	}
	if (ret)
		goto out;

	ret = jin_buckets(in, jb, h, &total);
	if (ret)
		goto out;
	if (__builtin_add_overflow(total, h->overflow, &total)) {
		ret = jin_fail(in, "overflow", "with the buckets, more than 2^64");
		goto out;
	}
	if (total != h->count) {
		ret = jin_fail(in, "count",
			       "%" PRIu64 ", but the buckets and overflow add up to %" PRIu64,
			       h->count, total);
		goto out;
	}

	record_add_hist(r, name, unit, upc, h);
	if (r->nhists == before)
		ret = jin_oom(in, NULL);
out:
	free(h);
	return ret;
}

static int jin_check(const struct jin *in, struct json_object *jc, struct record *r)
{
	enum record_status status;
	const char *name, *reason;
	size_t i, before = r->nchecks;
	int ret;

	if (!json_object_is_type(jc, json_type_object))
		return jin_fail(in, NULL, "must be an object, not %s", jin_type(jc));
	ret = jin_str(in, jc, "name", 0, &name) ?:
	      jin_status(in, jc, "status", &status) ?:
	      jin_str(in, jc, "reason", 1, &reason);
	if (ret)
		return ret;
	for (i = 0; i < r->nchecks; i++)
		if (!strcmp(r->checks[i].name, name))
			return jin_fail(in, "name", "%s is also checks[%zu]", name, i);
	if (reason)
		record_add_check(r, name, status, "%s", reason);
	else
		record_add_check(r, name, status, NULL);
	if (r->nchecks == before)
		return jin_oom(in, NULL);
	return 0;
}

/* Calls @item for each element of the array @o[@key], with the place set to "key[i]". */
static int jin_each(struct jin *in, struct json_object *o, const char *key,
		    int (*item)(const struct jin *, struct json_object *, struct record *),
		    struct record *r)
{
	struct json_object *a;
	char where[48];
	size_t i, n;
	int ret = jin_array(in, o, key, &a);

	if (ret)
		return ret;
	n = json_object_array_length(a);
	for (i = 0; i < n; i++) {
		snprintf(where, sizeof(where), "%s[%zu]", key, i);
		in->where = where;
		ret = item(in, json_object_array_get_idx(a, i), r);
		in->where = "";
		if (ret)
			return ret;
	}
	return 0;
}

int record_from_json(struct json_object *obj, struct record **out, char *err, size_t errlen)
{
	struct jin in = { .err = err, .errlen = errlen, .where = "" };
	const char *run_id, *label, *scenario, *reason;
	enum record_status status;
	int64_t version, started;
	struct record *r;
	double duration;
	int ret;

	*out = NULL;
	if (!json_object_is_type(obj, json_type_object))
		return errf(err, errlen, -EINVAL, "not a result record: a JSON object, not %s",
			    jin_type(obj));

	/* The version first: a newer layout would fail anywhere below. */
	ret = jin_int(&in, obj, "schema_version", &version);
	if (ret)
		return ret;
	if (version > RECORD_SCHEMA_VERSION)
		return errf(err, errlen, -EPROTONOSUPPORT,
			    "schema_version: %" PRId64 " is newer than this mmubench reads (%d): "
			    "import with a newer mmubench",
			    version, RECORD_SCHEMA_VERSION);
	if (version < 1)
		return jin_fail(&in, "schema_version", "%" PRId64 " is not a version", version);

	ret = jin_str(&in, obj, "run_id", 0, &run_id) ?:
	      jin_str(&in, obj, "label", 1, &label) ?:
	      jin_str(&in, obj, "scenario", 0, &scenario) ?:
	      jin_int(&in, obj, "started_at_unix", &started) ?:
	      jin_num(&in, obj, "duration_s", &duration) ?:
	      jin_status(&in, obj, "status", &status) ?:
	      jin_str(&in, obj, "status_reason", 1, &reason);
	if (ret)
		return ret;
	if (!*run_id || strlen(run_id) >= sizeof(r->run_id))
		return jin_fail(&in, "run_id", "must be 1 to %zu characters",
				sizeof(r->run_id) - 1);

	r = record_new(scenario, label);
	if (!r)
		return jin_oom(&in, NULL);
	r->schema_version = (int)version;
	memcpy(r->run_id, run_id, strlen(run_id) + 1);
	r->started_at = started;
	r->duration_s = duration;
	ret = jin_copy_object(&in, obj, "params", &r->params) ?:
	      jin_copy_object(&in, obj, "env", &r->env) ?:
	      jin_copy_object(&in, obj, "placement", &r->placement) ?:
	      jin_each(&in, obj, "metrics", jin_metric, r) ?:
	      jin_each(&in, obj, "histograms", jin_hist, r) ?:
	      jin_each(&in, obj, "checks", jin_check, r);
	if (ret)
		goto fail;

	/* Last, as adding the checks moved the status. */
	if (reason)
		record_set_status(r, status, "%s", reason);
	else
		record_set_status(r, status, NULL);
	if (reason && !r->status_reason) {
		ret = jin_oom(&in, "status_reason");
		goto fail;
	}
	*out = r;
	return 0;

fail:
	record_free(r);
	return ret;
}

/* The whole of @fd, NUL-terminated, in *@text (malloc'ed). Returns 0 or -errno. */
static int jin_slurp(int fd, char **text, size_t *len)
{
	size_t cap = 64 * 1024, n = 0;
	char *buf = malloc(cap), *bigger;
	ssize_t got;
	int ret;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (cap - n < 2) {
			bigger = realloc(buf, cap * 2);
			if (!bigger) {
				free(buf);
				return -ENOMEM;
			}
			buf = bigger;
			cap *= 2;
		}
		got = read(fd, buf + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			ret = -errno;
			free(buf);
			return ret;
		}
		if (!got)
			break;
		n += (size_t)got;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

/* Line number of byte @off of @text, for messages. */
static size_t jin_line(const char *text, size_t off)
{
	size_t line = 1, i;

	for (i = 0; i < off && text[i]; i++)
		line += text[i] == '\n';
	return line;
}

/*
 * The JSON document in @text, with json-c's reason and the line when it is
 * not one: json_object_from_file() would only say "continue" for a cut file.
 */
static int jin_parse(const char *path, const char *text, size_t len, struct json_object **out,
		     char *err, size_t errlen)
{
	enum json_tokener_error jerr;
	struct json_tokener *tok;
	struct json_object *o;
	size_t end;

	*out = NULL;
	if (len >= INT32_MAX)
		return errf(err, errlen, -EFBIG, "cannot read %s: larger than 2 GiB", path);
	tok = json_tokener_new();
	if (!tok)
		return errf(err, errlen, -ENOMEM, "cannot read %s: out of memory", path);
	/* With the final NUL: the input ends here, nothing more is coming. */
	o = json_tokener_parse_ex(tok, text, (int)len + 1);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr != json_tokener_success) {
		json_object_put(o);
		return errf(err, errlen, -EINVAL, "cannot read %s: not JSON: %s at line %zu", path,
			    json_tokener_error_desc(jerr), jin_line(text, end));
	}
	if (end < len && text[end + strspn(text + end, " \t\r\n")]) {
		json_object_put(o);
		return errf(err, errlen, -EINVAL,
			    "cannot read %s: more after the JSON document at line %zu", path,
			    jin_line(text, end));
	}
	*out = o;
	return 0;
}

int record_read_json_file(const char *path, struct record **out, char *err, size_t errlen)
{
	struct json_object *o;
	char msg[512], *text = NULL;
	size_t len = 0;
	int fd, ret;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		return errf(err, errlen, ret, "cannot read %s: %s", path, strerror(-ret));
	}
	ret = jin_slurp(fd, &text, &len);
	close(fd);
	if (ret)
		return errf(err, errlen, ret, "cannot read %s: %s", path, strerror(-ret));
	ret = jin_parse(path, text, len, &o, err, errlen);
	free(text);
	if (ret)
		return ret;
	ret = record_from_json(o, out, msg, sizeof(msg));
	json_object_put(o);
	if (ret)
		return errf(err, errlen, ret, "%s: %s", path, msg);
	return 0;
}
