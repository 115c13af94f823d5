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
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <time.h>
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
#define T_EXIT_USAGE	2	/* src/cli/commands.h */
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
 * Waits for the child, stderr on @errfd: collects it into @err and, with
 * @sig, sends @sig once @when has appeared in it (SIGKILL after 300 s
 * without it, so a test never hangs).
 */
static void t_follow_stderr(pid_t pid, int errfd, FILE *err, int sig, const char *when)
{
	char buf[4096], *seen = calloc(1, 1);
	size_t len = 0;
	time_t deadline = time(NULL) + 300;
	bool sent = false;
	ssize_t n;

	while (seen) {
		struct pollfd p = { .fd = errfd, .events = POLLIN };

		if (!sent && time(NULL) > deadline) {
			kill(pid, SIGKILL);
			sent = true;
		}
		if (poll(&p, 1, 1000) <= 0)
			continue;
		n = read(errfd, buf, sizeof(buf));
		if (n <= 0)
			break;
		fwrite(buf, 1, n, err);
		if (sent)
			continue;
		seen = realloc(seen, len + n + 1);
		if (!seen)
			break;
		memcpy(seen + len, buf, n);
		len += n;
		seen[len] = 0;
		if (strstr(seen, when)) {
			kill(pid, sig);
			sent = true;
		}
	}
	free(seen);
}

/*
 * Runs MMUBENCH_BIN with @argv (NULL-terminated, argv[0] set here), stdin
 * from /dev/null and stdout and stderr captured. With @sig, sends it to the
 * child once its stderr shows @when. Returns 0, or -errno if it could not run.
 */
static int t_runv(struct t_out *r, char **argv, int sig, const char *when)
{
	posix_spawn_file_actions_t fa;
	FILE *out = tmpfile(), *err = tmpfile();
	int ret = -ENOMEM, wstatus, errpipe[2] = { -1, -1 };
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	argv[0] = MMUBENCH_BIN;
	if (!out || !err || (sig && pipe(errpipe)))
		goto out;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fileno(out), STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, sig ? errpipe[1] : fileno(err), STDERR_FILENO);
	if (sig)
		posix_spawn_file_actions_addclose(&fa, errpipe[0]);
	fflush(NULL);
	ret = -posix_spawn(&pid, MMUBENCH_BIN, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (ret)
		goto out;
	if (sig) {
		close(errpipe[1]);
		errpipe[1] = -1;
		t_follow_stderr(pid, errpipe[0], err, sig, when);
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
	for (int i = 0; i < 2; i++)
		if (errpipe[i] >= 0)
			close(errpipe[i]);
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
	return t_runv(r, argv, 0, NULL);
}

/* t_run(), and @sig sent to it once its stderr shows @when. */
static int t_run_signalled(struct t_out *r, int sig, const char *when, const char *arg, ...)
	__attribute__((sentinel, unused));
static int t_run_signalled(struct t_out *r, int sig, const char *when, const char *arg, ...)
{
	char *argv[T_MAX_ARGS + 2];

	T_COLLECT_ARGV(argv, arg);
	return t_runv(r, argv, sig, when);
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
