// SPDX-License-Identifier: GPL-2.0
/*
 * scripts/check-layers, the layer rule of doc/architecture.md, on small trees
 * made here: a downward include passes, a backward one (the gate reaching
 * into the runner) fails naming the file, the line and the include, and an
 * include that does not name its room fails too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "config.h"
#include "kselftest_harness.h"
#include "tests/t_util.h"

static void put(const char *dir, const char *path, const char *text)
{
	char p[512], d[512], *slash;
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, path);
	snprintf(d, sizeof(d), "%s", p);
	for (slash = strchr(d + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(d, 0755);
		*slash = '/';
	}
	f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* Runs the checker on @dir; its exit status, its output in @out. */
static int check(const char *dir, char *out, size_t len)
{
	char cmd[1024];
	FILE *p;
	size_t n;
	int st;

	snprintf(cmd, sizeof(cmd), "sh %s/scripts/check-layers %s 2>&1", MMUBENCH_SRCDIR, dir);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(out, 1, len - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

FIXTURE(tree) {
	char dir[64];
	char out[8192];
};

FIXTURE_SETUP(tree)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/mmubench-test-layers-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	put(self->dir, "src/lib/util.h", "int x;\n");
	put(self->dir, "src/run/runner.h", "#include \"src/lib/util.h\"\n");
	put(self->dir, "src/gate/gate.c", "#include <stdio.h>\n#include \"src/lib/util.h\"\n");
	put(self->dir, "kernel/kvm/kvm.h", "#include \"src/lib/util.h\"\n");
	mkdir(strcat(strcpy(self->out, self->dir), "/guests"), 0755);
	mkdir(strcat(strcpy(self->out, self->dir), "/workloads"), 0755);
	mkdir(strcat(strcpy(self->out, self->dir), "/tests"), 0755);
}

FIXTURE_TEARDOWN(tree)
{
	t_rm_tree(self->dir);
}

TEST_F(tree, downward_includes_pass)
{
	ASSERT_EQ(0, check(self->dir, self->out, sizeof(self->out)));
	ASSERT_EQ(NULL, strstr(self->out, "not ok"));
	ASSERT_NE(NULL, strstr(self->out, "ok 1 includes name their room"));
}

TEST_F(tree, a_backward_include_fails_with_file_line_and_include)
{
	put(self->dir, "src/gate/gate.c",
	    "#include \"src/lib/util.h\"\n\n#include \"src/run/runner.h\"\n");
	ASSERT_EQ(1, check(self->dir, self->out, sizeof(self->out)));
	ASSERT_NE(NULL, strstr(self->out, "not ok"));
	ASSERT_NE(NULL, strstr(self->out, "src/gate/gate.c:3: includes src/run/runner.h"));
	/* the other rooms still pass */
	ASSERT_NE(NULL, strstr(self->out, "\nok "));
}

TEST_F(tree, a_lower_room_reaching_up_fails)
{
	put(self->dir, "kernel/kvm/dirty_log.c", "#include \"src/run/runner.h\"\n");
	ASSERT_EQ(1, check(self->dir, self->out, sizeof(self->out)));
	ASSERT_NE(NULL, strstr(self->out, "kernel/kvm/dirty_log.c:1: includes src/run/runner.h"));
}

TEST_F(tree, an_include_without_its_room_fails)
{
	put(self->dir, "src/run/truth.c", "#include \"runner.h\"\n");
	ASSERT_EQ(1, check(self->dir, self->out, sizeof(self->out)));
	ASSERT_NE(NULL, strstr(self->out, "not ok 1 includes name their room"));
	ASSERT_NE(NULL, strstr(self->out, "src/run/truth.c:1: \"runner.h\" does not name its room"));
}

TEST_HARNESS_MAIN
