/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helper shared by the tests that run the mmubench binary (test_cli,
 * test_rig): run it with arguments, capture stdout, stderr and the status.
 * Include after kselftest_harness.h; MMUBENCH_BIN names the binary.
 */
#ifndef MMUBENCH_T_SPAWN_H
#define MMUBENCH_T_SPAWN_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#ifndef MMUBENCH_BIN
#error "MMUBENCH_BIN must name the mmubench binary to test"
#endif

#define T_MAX_ARGS	32
#define T_EXIT_USAGE	2	/* src/commands.h */
#define T_EXIT_SKIPPED	4

/* What one run of the binary left behind. */
struct t_out {
	int status;		/* exit status; 128 + signal number when killed */
	char *out;		/* stdout, NUL-terminated */
	char *err;		/* stderr, NUL-terminated */
};

/* The whole content of @f (malloc'ed, NUL-terminated), or NULL. */
static char *t_slurp(FILE *f)
{
	long len;
	char *buf;

	if (!f || fseek(f, 0, SEEK_END))
		return NULL;
	len = ftell(f);
	if (len < 0 || fseek(f, 0, SEEK_SET))
		return NULL;
	buf = calloc(1, len + 1);
	if (buf && fread(buf, 1, len, f) != (size_t)len) {
		free(buf);
		return NULL;
	}
	return buf;
}

/*
 * Runs MMUBENCH_BIN with @argv (NULL-terminated, argv[0] set here), stdin
 * from /dev/null and stdout and stderr captured. With @sig, sends it to the
 * child after @after_ms. Returns 0, or -errno if it could not run.
 */
static int t_runv(struct t_out *r, char **argv, int sig, unsigned int after_ms)
{
	posix_spawn_file_actions_t fa;
	FILE *out = tmpfile(), *err = tmpfile();
	int ret = -ENOMEM, wstatus;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	argv[0] = MMUBENCH_BIN;
	if (!out || !err)
		goto out;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fileno(out), STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, fileno(err), STDERR_FILENO);
	fflush(NULL);
	ret = -posix_spawn(&pid, MMUBENCH_BIN, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (ret)
		goto out;
	if (sig) {
		usleep(after_ms * 1000);
		kill(pid, sig);
	}
	if (waitpid(pid, &wstatus, 0) != pid) {
		ret = -errno;
		goto out;
	}
	r->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
	r->out = t_slurp(out);
	r->err = t_slurp(err);
	ret = r->out && r->err ? 0 : -EIO;
out:
	if (out)
		fclose(out);
	if (err)
		fclose(err);
	return ret;
}

#define T_COLLECT_ARGV(argv, arg)						\
	do {									\
		va_list ap;							\
		int argc = 1;							\
										\
		va_start(ap, arg);						\
		for (; arg && argc <= T_MAX_ARGS; arg = va_arg(ap, const char *)) \
			argv[argc++] = (char *)arg;				\
		va_end(ap);							\
		argv[argc] = NULL;						\
	} while (0)

/* t_runv() with the arguments listed, NULL-terminated. */
static int t_run(struct t_out *r, const char *arg, ...)
	__attribute__((sentinel));
static int t_run(struct t_out *r, const char *arg, ...)
{
	char *argv[T_MAX_ARGS + 2];

	T_COLLECT_ARGV(argv, arg);
	return t_runv(r, argv, 0, 0);
}

/* t_run(), and @sig sent to it after @after_ms. */
static int t_run_signalled(struct t_out *r, int sig, unsigned int after_ms, const char *arg, ...)
	__attribute__((sentinel, unused));
static int t_run_signalled(struct t_out *r, int sig, unsigned int after_ms, const char *arg, ...)
{
	char *argv[T_MAX_ARGS + 2];

	T_COLLECT_ARGV(argv, arg);
	return t_runv(r, argv, sig, after_ms);
}

static void t_out_free(struct t_out *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

/* Shows captured output as "#" diagnostics, so it can never pass for our own KTAP. */
static void t_show(const char *what, const char *text)
{
	const char *p = text, *nl;

	fprintf(stderr, "# %s:%s\n", what, text && *text ? "" : " (empty)");
	while (p && *p) {
		nl = strchr(p, '\n');
		fprintf(stderr, "#   | %.*s\n", nl ? (int)(nl - p) : (int)strlen(p), p);
		p = nl ? nl + 1 : NULL;
	}
}

#endif
