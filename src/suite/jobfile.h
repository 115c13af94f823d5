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
 * "false" leaves it out. Comments start with # or ;. job_check() parses
 * every expanded config with the run's own option tables, so a typo fails
 * at load time naming its file and line, before anything runs.
 */
#ifndef MMUBENCH_JOBFILE_H
#define MMUBENCH_JOBFILE_H

#include <stddef.h>

#define JOB_MAX_ARGS 96

/* One expanded config: its name and the mmubench argv that runs it (without argv[0]). */
struct job_config {
	char *name;		/* section[key=value,...] for matrix entries */
	unsigned int line;	/* of its [section] header */
	int argc;
	char *argv[JOB_MAX_ARGS];
	unsigned int lines[JOB_MAX_ARGS];	/* the line of each argument's key; 0: made up */
};

struct job {
	char *path;		/* for messages */
	struct job_config *configs;
	size_t nconfigs;
};

/* Parses @text (from @path, for messages). Returns 0, or -EINVAL with "path:line: reason". */
int job_parse(const char *text, const char *path, struct job *out, char *err, size_t errlen);
int job_load(const char *path, struct job *out, char *err, size_t errlen);
/*
 * Parses the `run` part of every config with the scenario's options, as the
 * child will, running nothing: -EINVAL with "path:line: --drvier: unknown
 * option" (the line of the key) for the first bad one.
 */
int job_check(const struct job *job, char *err, size_t errlen);
void job_free(struct job *job);

#endif
