/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands. argv[0] is the subcommand's name; each returns the exit status. */
#ifndef MMUBENCH_COMMANDS_H
#define MMUBENCH_COMMANDS_H

#include <stdio.h>

#include "src/lib/exit.h"
#include "src/lib/options.h"

int cmd_probe(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_rig(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_gate(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_suite(int argc, char **argv);
int cmd_kvm_hold(int argc, char **argv);

/* The option tables of the commands, for the man page (src/cli/man.c). */
extern const struct opt_desc probe_options[];
extern const struct opt_desc suite_options[];
extern const struct opt_desc report_options[];
extern const struct opt_desc import_options[];
extern const struct opt_desc gate_options[];
extern const struct opt_desc rig_options[];

struct metric_desc;
/* A scenario's metric table (name, unit, better, help), wrapped at 79 columns. */
void cmd_list_metrics(FILE *out, const struct metric_desc *metrics);

/* The man page's generated part: every command's options, then ENVIRONMENT (roff). */
void man_print_options(FILE *out);

#endif
