/* SPDX-License-Identifier: GPL-2.0 */
/* `mmubench probe`'s human report. */
#ifndef MMUBENCH_PROBE_PRINT_H
#define MMUBENCH_PROBE_PRINT_H

#include <stdio.h>

struct json_object;

/* probe_collect()'s tree as a report, one line per item. */
void probe_print(FILE *out, struct json_object *probe);

#endif
