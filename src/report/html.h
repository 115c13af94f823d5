/* SPDX-License-Identifier: GPL-2.0 */
/* The report's page, index.html (html.c). */
#ifndef MMUBENCH_REPORT_HTML_H
#define MMUBENCH_REPORT_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "src/report/chart.h"
#include "src/report/report.h"

/* @t as "2026-11-21 06:00:00Z" (UTC). */
void html_time(char *buf, size_t len, int64_t t);
/* Writes @o->out/index.html showing @cs (@nodata of them without data). */
int html_write_index(const struct charts *cs, const struct report_opts *o, int nodata,
		     char *err, size_t errlen);

#endif
