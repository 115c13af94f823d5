/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands. argv[0] is the subcommand's name; each returns the exit status. */
#ifndef MMUBENCH_COMMANDS_H
#define MMUBENCH_COMMANDS_H

#include "src/lib/exit.h"

int cmd_probe(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_rig(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_gate(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_suite(int argc, char **argv);
int cmd_kvm_hold(int argc, char **argv);

#endif
