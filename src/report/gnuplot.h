/* SPDX-License-Identifier: GPL-2.0 */
/* Running gnuplot on the report's charts (gnuplot.c). */
#ifndef MMUBENCH_REPORT_GNUPLOT_H
#define MMUBENCH_REPORT_GNUPLOT_H

#include <stddef.h>

#include "src/report/chart.h"

/* @prog as an executable path: itself (made absolute) when it has a '/', else from $PATH. */
int gnuplot_find(const char *prog, char *path, size_t len);
/* "pngcairo" when this gnuplot has it (gnuplot-nox does), else libgd's "png". */
const char *gnuplot_png_term(const char *gnuplot, const char *dir);
/* Writes @c's script (and data file, unless it has no data) into @dir. */
int gnuplot_write(const struct chart *c, const char *dir, const char *png_term, char *err,
		  size_t errlen);
/* Draws every chart; one that fails is marked (failed, why), the others still drawn. */
void gnuplot_run(struct charts *cs, const char *gnuplot, const char *dir);

#endif
