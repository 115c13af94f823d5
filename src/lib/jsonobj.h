/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One-line json-c object accessors for the capability probes and their
 * readers: put a typed value under a key (a NULL string becomes JSON null),
 * get one back with a default when the key is absent or null. Out of memory
 * leaves the key out, which readers see as absent.
 */
#ifndef MMUBENCH_JSONOBJ_H
#define MMUBENCH_JSONOBJ_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

void jsonobj_put_str(struct json_object *o, const char *key, const char *s);
void jsonobj_put_bool(struct json_object *o, const char *key, bool b);
void jsonobj_put_int(struct json_object *o, const char *key, int64_t v);
void jsonobj_put_fmt(struct json_object *o, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The value under @key, NULL when @o is NULL or has no such key (JSON null: NULL too). */
struct json_object *jsonobj_get(struct json_object *o, const char *key);
/* Whether @o has @key at all, null values included. */
bool jsonobj_has(struct json_object *o, const char *key);
const char *jsonobj_get_str(struct json_object *o, const char *key);
/* json-c's truth: false, 0, "" and absent are false. */
bool jsonobj_get_bool(struct json_object *o, const char *key);
int64_t jsonobj_get_int(struct json_object *o, const char *key, int64_t dflt);

#endif
