/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A result record back from its JSON (json_out.c), so that runs made
 * elsewhere (the QEMU rig, another host) can go into this host's store.
 */
#ifndef MMUBENCH_JSON_IN_H
#define MMUBENCH_JSON_IN_H

#include <stddef.h>
#include <json-c/json.h>

#include "src/record/record.h"

/*
 * Rebuilds the record that record_to_json() wrote as @obj: record_to_json()
 * of the result gives the same document again. Derived figures (started_at,
 * the scaled histogram statistics) are recomputed, not read; metric values
 * are taken as written, whatever their samples. params, env and placement
 * are deep copies, so @obj can be put afterwards. A schema_version newer
 * than RECORD_SCHEMA_VERSION is -EPROTONOSUPPORT; anything missing, of the
 * wrong type or inconsistent (histogram buckets and overflow not adding up
 * to count) is -EINVAL with the field in @err: "metrics[3].unit: missing".
 * On success *@out is the new record (record_free() it); on error NULL.
 */
int record_from_json(struct json_object *obj, struct record **out, char *err, size_t errlen);

/*
 * record_from_json() of the JSON file at @path (one document; whitespace may
 * follow it). Returns -errno when the file cannot be read, -EINVAL when it
 * is not JSON (json-c's reason and the line in @err), or what
 * record_from_json() returns; every message starts with or names @path.
 */
int record_read_json_file(const char *path, struct record **out, char *err, size_t errlen);

#endif
