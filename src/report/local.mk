# SPDX-License-Identifier: GPL-2.0
# included from Makefile.am: the files of src/report/ in the core library
libmmubench_a_SOURCES += \
	%reldir%/chart.c \
	%reldir%/chart.h \
	%reldir%/charts_ab.c \
	%reldir%/charts_cost.c \
	%reldir%/charts_epoch.c \
	%reldir%/charts_latency.c \
	%reldir%/charts_trend.c \
	%reldir%/gnuplot.c \
	%reldir%/gnuplot.h \
	%reldir%/html.c \
	%reldir%/html.h \
	%reldir%/model.c \
	%reldir%/model.h \
	%reldir%/report.c \
	%reldir%/report.h
