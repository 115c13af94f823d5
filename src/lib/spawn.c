// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "src/lib/spawn.h"

extern char **environ;

int spawn_start(char *const argv[], const struct spawn_io *io, pid_t *pid)
{
	static const struct spawn_io none = { 0 };
	posix_spawn_file_actions_t fa;
	int ret;

	if (!io)
		io = &none;
	ret = posix_spawn_file_actions_init(&fa);
	if (ret)
		return -ret;
	if (io->dir)
		posix_spawn_file_actions_addchdir_np(&fa, io->dir);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	if (io->stdout_fd > 0)
		posix_spawn_file_actions_adddup2(&fa, io->stdout_fd, STDOUT_FILENO);
	else if (io->stdout_path)
		posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, io->stdout_path,
						 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (io->stderr_path)
		posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, io->stderr_path,
						 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ret = (io->search_path ? posix_spawnp : posix_spawn)(pid, argv[0], &fa, NULL, argv,
							      environ);
	posix_spawn_file_actions_destroy(&fa);
	return -ret;
}

int spawn_wait(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int spawn_run(char *const argv[], const struct spawn_io *io)
{
	pid_t pid;
	int ret = spawn_start(argv, io, &pid);

	return ret ? ret : spawn_wait(pid);
}
