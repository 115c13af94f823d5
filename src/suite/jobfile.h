/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Suite job files (workloads/NAME.job), INI style like fio's:
 *
 *   [global]                  options every config gets (a section overrides them)
 *   vcpus = 2
 *
 *   [aging]                   one section: a scenario and its options
 *   scenario = aging
 *   driver = pageout, damon   a comma list is a matrix: one config per value
 *   rig = bookworm            optional: run inside `mmubench rig --kernel bookworm`
 *   rig-args = --numa 2       ... with these rig options
 *
 * Keys are `mmubench run` long options without "--"; "true" makes a flag,
 * "false" leaves it out. Comments start with # or ;.
 */
#ifndef MMUBENCH_JOBFILE_H
#define MMUBENCH_JOBFILE_H

#include <stddef.h>

#define JOB_MAX_ARGS 96

/* One expanded config: its name and the mmubench argv that runs it (without argv[0]). */
struct job_config {
	char *name;		/* section[key=value,...] for matrix entries */
	int argc;
	char *argv[JOB_MAX_ARGS];
};

struct job {
	struct job_config *configs;
	size_t nconfigs;
};

/* Parses @text (from @path, for messages). Returns 0, or -EINVAL with "path:line: reason". */
int job_parse(const char *text, const char *path, struct job *out, char *err, size_t errlen);
int job_load(const char *path, struct job *out, char *err, size_t errlen);
void job_free(struct job *job);

#endif
