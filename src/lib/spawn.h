/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one way mmubench starts another program (gnuplot, QEMU, itself for a
 * suite's configs, the rig's helpers): posix_spawn, stdin on /dev/null, and
 * a wait that survives EINTR. libc only.
 */
#ifndef MMUBENCH_SPAWN_H
#define MMUBENCH_SPAWN_H

#include <stdbool.h>
#include <sys/types.h>

struct spawn_io {
	const char *dir;		/* working directory of the child; NULL: ours */
	int stdout_fd;			/* dup'ed onto its stdout when > 0 */
	/* else opened (created, truncated) as its stdout; "/dev/null" */
	const char *stdout_path;
	const char *stderr_path;	/* opened (created, truncated) as its stderr; NULL: ours */
	bool search_path;		/* argv[0] looked up in $PATH (posix_spawnp) */
};

/* Starts argv (stdin /dev/null, @io may be NULL). Returns 0 and the pid, or -errno. */
int spawn_start(char *const argv[], const struct spawn_io *io, pid_t *pid);
/* Waits for @pid: its exit status, 128 + signal number when killed, or -errno. */
int spawn_wait(pid_t pid);
/* spawn_start + spawn_wait. */
int spawn_run(char *const argv[], const struct spawn_io *io);

#endif
