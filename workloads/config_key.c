// SPDX-License-Identifier: GPL-2.0
/*
 * One config identity for the gate and the report (workloads/catalog.h): a
 * parameter missing from a run counts as the catalog's default, so that
 * adding an option does not split old and new runs into two configs, while a
 * default that changed still does, as it should.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "src/lib/strbuf.h"
#include "src/lib/strlist.h"
#include "src/lib/util.h"
#include "workloads/catalog.h"

/* Options of `mmubench run` that only say where output goes: never part of a config. */
static const char *const config_output_params[] = {
	"label", "json", "store", "no-store", "ktap", "quiet", NULL,
};

static bool config_param_ignored(const char *key, const struct strlist *ignore)
{
	for (int i = 0; config_output_params[i]; i++)
		if (!strcmp(key, config_output_params[i]))
			return true;
	return ignore && strlist_match(ignore, key);
}

static int config_strcmp_p(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Canonical JSON of @o: object keys sorted, numbers written one way (an
 * integral double within 2^53 as an integer, others with 17 digits).
 */
static void config_canon(struct strbuf *b, struct json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_null:
		strbuf_addf(b, "null");
		break;
	case json_type_boolean:
		strbuf_addf(b, "%s", json_object_get_boolean(o) ? "true" : "false");
		break;
	case json_type_int:
		if (json_object_get_int64(o) == INT64_MAX)
			strbuf_addf(b, "%" PRIu64, json_object_get_uint64(o));
		else
			strbuf_addf(b, "%" PRId64, json_object_get_int64(o));
		break;
	case json_type_double: {
		double d = json_object_get_double(o);

		if (d == floor(d) && fabs(d) <= 9007199254740992.0)
			strbuf_addf(b, "%" PRId64, (int64_t)d);
		else
			strbuf_addf(b, "%.17g", d);
		break;
	}
	case json_type_string:
		strbuf_addf(b, "%s", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		break;
	case json_type_array: {
		size_t n = json_object_array_length(o);

		strbuf_addf(b, "[");
		for (size_t i = 0; i < n; i++) {
			if (i)
				strbuf_addf(b, ",");
			config_canon(b, json_object_array_get_idx(o, i));
		}
		strbuf_addf(b, "]");
		break;
	}
	case json_type_object: {
		size_t n = 0, k = 0;
		const char **keys;

		json_object_object_foreach(o, key0, v0) {
			(void)key0;
			(void)v0;
			n++;
		}
		keys = calloc(n ? n : 1, sizeof(*keys));
		if (!keys) {
			b->failed = true;
			return;
		}
		json_object_object_foreach(o, key, v) {
			(void)v;
			keys[k++] = key;
		}
		qsort(keys, k, sizeof(*keys), config_strcmp_p);
		strbuf_addf(b, "{");
		for (size_t i = 0; i < k; i++) {
			struct json_object *ks = json_object_new_string(keys[i]);

			if (!ks) {
				b->failed = true;
				break;
			}
			strbuf_addf(b, "%s%s:", i ? "," : "",
				    json_object_to_json_string_ext(ks, JSON_C_TO_STRING_PLAIN));
			json_object_put(ks);
			config_canon(b, json_object_object_get(o, keys[i]));
		}
		strbuf_addf(b, "}");
		free(keys);
		break;
	}
	}
}

static char *config_canon_value(struct json_object *o)
{
	struct strbuf b = STRBUF_INIT;

	config_canon(&b, o);
	return strbuf_detach(&b);
}

struct json_object *config_params(const char *scenario, struct json_object *params,
					      const struct strlist *ignore)
{
	struct json_object *defs = catalog_default_params(scenario_find(scenario));
	struct json_object *out = json_object_new_object(), *dv;

	if (out && params && json_object_is_type(params, json_type_object)) {
		json_object_object_foreach(params, key, v) {
			char *cv, *cd;
			bool same = false;

			if (config_param_ignored(key, ignore))
				continue;
			if (defs && json_object_object_get_ex(defs, key, &dv)) {
				cv = config_canon_value(v);
				cd = config_canon_value(dv);
				if (!cv || !cd) {
					free(cv);
					free(cd);
					json_object_put(out);
					out = NULL;
					break;
				}
				same = !strcmp(cv, cd);
				free(cv);
				free(cd);
			}
			if (!same && json_object_object_add(out, key, json_object_get(v))) {
				json_object_put(out);
				out = NULL;
				break;
			}
		}
	}
	json_object_put(defs);
	return out;
}

char *config_key(const char *scenario, struct json_object *params,
		      const struct strlist *ignore)
{
	struct json_object *cp = config_params(scenario, params, ignore);
	struct strbuf b = STRBUF_INIT;

	if (!cp)
		return NULL;
	strbuf_addf(&b, "%s ", scenario ? scenario : "");
	config_canon(&b, cp);
	json_object_put(cp);
	return strbuf_detach(&b);
}

char *config_display(const char *scenario, struct json_object *params,
				 const struct strlist *ignore)
{
	const struct scenario_desc *scn = scenario_find(scenario);
	struct json_object *cp = config_params(scenario, params, ignore);
	struct strbuf b = STRBUF_INIT;

	if (!cp)
		return NULL;
	strbuf_addf(&b, "%s", scenario);
	json_object_object_foreach(cp, key, v) {
		const struct opt_desc *o = catalog_find_option(scn, key);
		char *cv;

		if (o && o->type == OPT_FLAG && json_object_is_type(v, json_type_boolean)) {
			strbuf_addf(&b, " %s%s", json_object_get_boolean(v) ? "" : "no-", key);
		} else if (o && o->type == OPT_SIZE && json_object_is_type(v, json_type_int)) {
			char size[32];

			strbuf_addf(&b, " %s=%s", key,
				    format_size(json_object_get_uint64(v), size, sizeof(size)));
		} else if (json_object_is_type(v, json_type_double)) {
			strbuf_addf(&b, " %s=%g", key, json_object_get_double(v));
		} else if (json_object_is_type(v, json_type_string)) {
			strbuf_addf(&b, " %s=%s", key, json_object_get_string(v));
		} else {
			cv = config_canon_value(v);
			strbuf_addf(&b, " %s=%s", key, cv ? cv : "?");
			free(cv);
		}
	}
	json_object_put(cp);
	return strbuf_detach(&b);
}

