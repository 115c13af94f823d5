// SPDX-License-Identifier: GPL-2.0
/* The environment variables mmubench reads (src/lib/env.h): this table and nothing else. */
#include <stdlib.h>
#include <string.h>

#include "src/lib/env.h"
#include "src/lib/options.h"

const struct env_knob env_knobs[] = {
	{ "MMUBENCH_STORE", "the results store every command uses without --store" },
	{ "MMUBENCH_NO_STORE", "when set, run stores nothing, as with --no-store (the rig's guest "
	  "sets it: the host stores what comes back)" },
	{ "MMUBENCH_RECORD_DIR", "run also writes each record to DIR/RUN_ID.json (the rig's guest "
	  "sets it to collect the records)" },
	{ "MMUBENCH_DEBUG", "when set, as --debug: the aging drivers print what they see" },
	{ "XDG_DATA_HOME", "without MMUBENCH_STORE, the store is "
	  "$XDG_DATA_HOME/mmubench/mmubench.db (outside a writable source tree)" },
	{ "HOME", "else ~/.local/share/mmubench/mmubench.db" },
	{ "PATH", "where report looks for gnuplot (--gnuplot)" },
	{ "TMPDIR", "where rig makes its work directory [default: /tmp]" },
	{ NULL }
};

const char *env_get(const char *name)
{
	for (const struct env_knob *k = env_knobs; k->name; k++)
		if (!strcmp(k->name, name))
			return getenv(name);
	return NULL;
}

void env_help(FILE *out)
{
	for (const struct env_knob *k = env_knobs; k->name; k++) {
		fprintf(out, "  %-20s ", k->name);
		opts_wrap(out, k->help, 23, 23);
	}
}

void env_man(FILE *out)
{
	fputs(".SH ENVIRONMENT\n", out);
	for (const struct env_knob *k = env_knobs; k->name; k++) {
		fputs(".TP\n.B ", out);
		opts_roff(out, k->name);
		fputc('\n', out);
		opts_roff(out, k->help);
		fputc('\n', out);
	}
}
