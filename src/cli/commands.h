/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands. argv[0] is the subcommand's name; each returns the exit status. */
#ifndef MMUBENCH_COMMANDS_H
#define MMUBENCH_COMMANDS_H

/* Exit statuses shared by every command. */
#define EXIT_OK		0
#define EXIT_FAILED	1	/* the run completed and a check failed */
#define EXIT_USAGE	2	/* bad command line or input */
#define EXIT_SKIPPED	4	/* could not run here (KSFT_SKIP) */
#define EXIT_ERROR	3	/* mmubench could not complete */

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
