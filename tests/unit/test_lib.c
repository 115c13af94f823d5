// SPDX-License-Identifier: GPL-2.0
/*
 * The primitives of src/lib: strbuf (invariants, growth, failure), strlist
 * (the one list splitter), ini (the one INI reader: lines, sections,
 * comments, where), spawn (exit status, signals, redirection, a missing
 * program).
 *
 * ASSERT_*() expand to two statements: loops and ifs around them keep braces.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "src/lib/ini.h"
#include "src/lib/spawn.h"
#include "src/lib/strbuf.h"
#include "src/lib/strlist.h"

TEST(strbuf_grows_and_stays_terminated)
{
	struct strbuf sb = STRBUF_INIT;
	char *s;

	ASSERT_STREQ("", sb.buf);
	ASSERT_EQ(0, sb.len);
	for (int i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d,", i);
	ASSERT_FALSE(sb.failed);
	ASSERT_EQ(strlen(sb.buf), sb.len);
	ASSERT_EQ(0, strncmp(sb.buf, "0,1,2,", 6));
	ASSERT_EQ(0, strcmp(sb.buf + sb.len - 4, "999,"));
	strbuf_setlen(&sb, 2);
	ASSERT_STREQ("0,", sb.buf);
	strbuf_addch(&sb, 'x');
	strbuf_addstr(&sb, "yz");
	strbuf_add(&sb, "abc", 2);
	ASSERT_STREQ("0,xyzab", sb.buf);
	s = strbuf_detach(&sb);
	ASSERT_STREQ("0,xyzab", s);
	ASSERT_STREQ("", sb.buf);
	free(s);
	s = strbuf_detach(&sb);		/* an empty buffer detaches as "" */
	ASSERT_STREQ("", s);
	free(s);
	strbuf_release(&sb);
}

TEST(strbuf_failure_is_sticky)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "ok");
	strbuf_add(&sb, "x", (size_t)-1 / 2);	/* cannot be had */
	ASSERT_TRUE(sb.failed);
	strbuf_addstr(&sb, "more");
	ASSERT_STREQ("ok", sb.buf);
	ASSERT_NULL(strbuf_detach(&sb));
	ASSERT_FALSE(sb.failed);	/* usable again after detach */
	strbuf_release(&sb);
}

TEST(strlist_split_trims_and_drops_empty_items)
{
	struct strlist l = STRLIST_INIT;

	ASSERT_EQ(0, strlist_split(&l, " a, b ,,c ,", ","));
	ASSERT_EQ(3, l.n);
	ASSERT_STREQ("a", l.v[0]);
	ASSERT_STREQ("b", l.v[1]);
	ASSERT_STREQ("c", l.v[2]);
	ASSERT_TRUE(strlist_has(&l, "b"));
	ASSERT_FALSE(strlist_has(&l, "d"));
	ASSERT_EQ(0, strlist_split(&l, "*_p99_us", ","));
	ASSERT_TRUE(strlist_match(&l, "fault_p99_us"));
	ASSERT_FALSE(strlist_match(&l, "fault_p50_us"));
	strlist_free(&l);
	ASSERT_EQ(0, l.n);
}

struct ini_seen {
	char log[2048];
	int stop_at;
};

static int ini_log(const struct ini_line *l, void *arg, char *err, size_t errlen)
{
	struct ini_seen *s = arg;
	size_t n = strlen(s->log);

	snprintf(s->log + n, sizeof(s->log) - n, "%s|%s|%d|%s|%s|%s\n", l->where,
		 l->section ? l->section : "-", l->header, l->text, l->key ? l->key : "-",
		 l->value ? l->value : "-");
	if (s->stop_at && (int)l->lineno == s->stop_at)
		return -ECANCELED;
	return 0;
}

TEST(ini_lines_sections_comments_and_where)
{
	struct ini_seen s = { 0 };
	char err[256] = "";
	const char *text =
		"top = 1\n"
		"# a comment\n"
		"; another\n"
		"\n"
		"[ one ]\n"
		"  key = a = b  \n"
		"glob: k = v # tail\n"
		"bare line\n";

	ASSERT_EQ(0, ini_parse(text, "f.ini", 0, ini_log, &s, err, sizeof(err)));
	ASSERT_STREQ("f.ini:1|-|0|top = 1|top|1\n"
		     "f.ini:5|one|1|[ one ]|-|-\n"
		     "f.ini:6|one|0|key = a = b|key|a = b\n"
		     "f.ini:7|one|0|glob: k = v # tail|glob: k|v # tail\n"
		     "f.ini:8|one|0|bare line|-|-\n", s.log);

	memset(&s, 0, sizeof(s));
	ASSERT_EQ(0, ini_parse(text, "g", INI_HASH_COMMENTS, ini_log, &s, err, sizeof(err)));
	ASSERT_NE(NULL, strstr(s.log, "g:7|one|0|glob: k = v|glob: k|v\n"));

	memset(&s, 0, sizeof(s));
	s.stop_at = 6;
	ASSERT_EQ(-ECANCELED, ini_parse(text, "f", 0, ini_log, &s, err, sizeof(err)));
	ASSERT_EQ(NULL, strstr(s.log, "f:7"));

	ASSERT_EQ(-EINVAL, ini_parse("[x\n", "h.job", 0, ini_log, &s, err, sizeof(err)));
	ASSERT_STREQ("h.job:1: bad section header '[x'", err);
}

TEST(spawn_status_signal_redirection_and_missing_program)
{
	char out[] = "/tmp/mmubench-test-spawn-XXXXXX", buf[64] = "";
	char *ok[] = { "/bin/sh", "-c", "echo hi; echo err >&2; exit 7", NULL };
	char *killed[] = { "/bin/sh", "-c", "kill -TERM $$", NULL };
	char *pwd[] = { "pwd", NULL };
	char *missing[] = { "/nonexistent/prog", NULL };
	struct spawn_io io = { .stdout_path = NULL };
	int fd = mkstemp(out);
	FILE *f;

	ASSERT_LE(0, fd);
	io.stdout_fd = fd;
	io.stderr_path = "/dev/null";
	ASSERT_EQ(7, spawn_run(ok, &io));
	ASSERT_EQ(3, pread(fd, buf, sizeof(buf) - 1, 0));
	ASSERT_STREQ("hi\n", buf);
	ASSERT_EQ(128 + SIGTERM, spawn_run(killed, NULL));

	io = (struct spawn_io){ .dir = "/", .stdout_path = out, .search_path = true };
	ASSERT_EQ(0, spawn_run(pwd, &io));
	f = fopen(out, "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(buf, sizeof(buf), f));
	fclose(f);
	ASSERT_STREQ("/\n", buf);
	ASSERT_GT(0, spawn_run(missing, NULL));
	close(fd);
	unlink(out);
}

TEST_HARNESS_MAIN
