// SPDX-License-Identifier: GPL-2.0
/* json-c accessors: see jsonobj.h. */
#include <stdarg.h>
#include <stdio.h>

#include "src/lib/jsonobj.h"

void jsonobj_put_str(struct json_object *o, const char *key, const char *s)
{
	json_object_object_add(o, key, s ? json_object_new_string(s) : NULL);
}

void jsonobj_put_bool(struct json_object *o, const char *key, bool b)
{
	json_object_object_add(o, key, json_object_new_boolean(b));
}

void jsonobj_put_int(struct json_object *o, const char *key, int64_t v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

void jsonobj_put_fmt(struct json_object *o, const char *key, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	jsonobj_put_str(o, key, buf);
}

struct json_object *jsonobj_get(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

bool jsonobj_has(struct json_object *o, const char *key)
{
	return o && json_object_object_get_ex(o, key, NULL);
}

const char *jsonobj_get_str(struct json_object *o, const char *key)
{
	struct json_object *v = jsonobj_get(o, key);

	return v ? json_object_get_string(v) : NULL;
}

bool jsonobj_get_bool(struct json_object *o, const char *key)
{
	struct json_object *v = jsonobj_get(o, key);

	return v && json_object_get_boolean(v);
}

int64_t jsonobj_get_int(struct json_object *o, const char *key, int64_t dflt)
{
	struct json_object *v = jsonobj_get(o, key);

	return v ? json_object_get_int64(v) : dflt;
}
