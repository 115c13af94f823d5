/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The result record as JSON (DESIGN.md "Results"): the machine-readable
 * output of a run, and what the store keeps as record_json.
 */
#ifndef MMUBENCH_JSON_OUT_H
#define MMUBENCH_JSON_OUT_H

#include <stddef.h>
#include <json-c/json.h>

#include "src/record/record.h"

/*
 * The whole record as a new JSON object (the caller puts it), or NULL when
 * out of memory. params, env and placement are shared with @r by reference
 * count, not copied. Non-finite numbers (NaN: a metric without samples) are
 * written as null, as JSON has no NaN.
 */
struct json_object *record_to_json(const struct record *r);

/*
 * Writes record_to_json(@r), pretty-printed, to @path atomically: a
 * temporary file in the same directory, fsync, rename over @path. Readers
 * see the old file or the whole new one, never a part. On error the
 * temporary file is removed, @path is untouched, and the return is -errno
 * with a message in @err naming the path and the cause.
 */
int json_write_record(const struct record *r, const char *path, char *err, size_t errlen);

#endif
