/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exit statuses shared by every command and the libraries that pick one
 * (the option parser's usage error): here, not in the CLI, so that a lower
 * layer can name the status it means instead of writing a bare 2.
 */
#ifndef MMUBENCH_EXIT_H
#define MMUBENCH_EXIT_H

#define EXIT_OK		0
#define EXIT_FAILED	1	/* the run completed and a check failed */
#define EXIT_USAGE	2	/* bad command line or input */
#define EXIT_ERROR	3	/* mmubench could not complete */
#define EXIT_SKIPPED	4	/* could not run here (KSFT_SKIP) */

#endif
