/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every environment variable mmubench reads, in one table: --help and the
 * man page list it, and env_get() serves no other name, so the list is the
 * whole truth. An option takes its default from one with .env (options.h).
 */
#ifndef MMUBENCH_ENV_H
#define MMUBENCH_ENV_H

#include <stdio.h>

struct env_knob {
	const char *name;
	const char *help;	/* what it does */
};

extern const struct env_knob env_knobs[];	/* { NULL }-terminated */

/* getenv(@name) for a name in env_knobs[]; NULL for any other name, set or not. */
const char *env_get(const char *name);
/* The table for --help: "  NAME  what it does", wrapped at 79 columns. */
void env_help(FILE *out);
/* The table as the man page's ENVIRONMENT section (roff). */
void env_man(FILE *out);

#endif
