// SPDX-License-Identifier: GPL-2.0
/*
 * Job files: sections, [global] defaults, matrix expansion, flags, the rig
 * wrapper, and errors that name the file and line.
 *
 * ASSERT_*() expand to two statements: loops and ifs around them keep braces.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"

#include "src/suite/jobfile.h"

/* The config's argv joined with spaces. */
static const char *joined(const struct job_config *c)
{
	static char buf[2048];

	buf[0] = 0;
	for (int i = 0; i < c->argc; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", i ? " " : "", c->argv[i]);
	return buf;
}

TEST(global_and_sections)
{
	const char *text =
		"# comment\n"
		"[global]\n"
		"vcpus = 2\n"
		"mem-per-vcpu = 64M\n"
		"\n"
		"[a]\n"
		"scenario = access\n"
		"vcpus = 1   \n"
		"shared = true\n"
		"no-verify = false\n";
	struct job job;
	char err[256];

	ASSERT_EQ(0, job_parse(text, "t.job", &job, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(1, job.nconfigs);
	EXPECT_STREQ("a", job.configs[0].name);
	/* the section's vcpus wins, the global memory size stays, flags are bare */
	EXPECT_STREQ("run access --mem-per-vcpu 64M --vcpus 1 --shared", joined(&job.configs[0]));
	job_free(&job);
}

TEST(matrix)
{
	const char *text =
		"[d]\n"
		"scenario = dirty\n"
		"mode = bitmap, clear, ring\n"
		"backing = anon,thp\n";
	struct job job;
	char err[256];

	ASSERT_EQ(0, job_parse(text, "t.job", &job, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(6, job.nconfigs);
	EXPECT_STREQ("d[mode=bitmap,backing=anon]", job.configs[0].name);
	EXPECT_STREQ("run dirty --mode bitmap --backing anon", joined(&job.configs[0]));
	EXPECT_STREQ("d[mode=bitmap,backing=thp]", job.configs[1].name);
	EXPECT_STREQ("run dirty --mode ring --backing thp", joined(&job.configs[5]));
	job_free(&job);
}

TEST(rig_wrapper)
{
	const char *text =
		"[r]\n"
		"scenario = aging\n"
		"rig = bookworm\n"
		"rig-args = --numa 2, --kvm-param npt=0\n"
		"driver = mglru\n";
	struct job job;
	char err[256];

	ASSERT_EQ(0, job_parse(text, "t.job", &job, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(2, job.nconfigs);
	EXPECT_STREQ("rig --kernel bookworm --numa 2 -- run aging --driver mglru",
		     joined(&job.configs[0]));
	EXPECT_STREQ("rig --kernel bookworm --kvm-param npt=0 -- run aging --driver mglru",
		     joined(&job.configs[1]));
	job_free(&job);
}

TEST(errors_name_file_and_line)
{
	struct job job;
	char err[256];

	EXPECT_EQ(-EINVAL, job_parse("[a]\nscenario = access\nnonsense\n", "x.job", &job, err,
				     sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "x.job:3:")) TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, job_parse("vcpus = 1\n", "x.job", &job, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "x.job:1: a key before any [section]")) TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, job_parse("[a]\nvcpus = 1\n", "x.job", &job, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "names no scenario")) TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, job_parse("[global]\nvcpus = 1\n", "x.job", &job, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "no configs")) TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, job_parse("[a\nscenario = access\n", "x.job", &job, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "bad section header")) TH_LOG("%s", err);
}

/* The job files the project ships parse, and every config names a scenario. */
TEST(shipped_job_files)
{
	static const char *const files[] = { "workloads/jobs/quick.job", "workloads/jobs/nightly.job" };

	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		char path[512], err[256];
		struct job job;

		snprintf(path, sizeof(path), "%s/%s", MMUBENCH_SRCDIR, files[f]);
		ASSERT_EQ(0, job_load(path, &job, err, sizeof(err))) TH_LOG("%s", err);
		ASSERT_LT(0, job.nconfigs);
		for (size_t i = 0; i < job.nconfigs; i++) {
			const char *s = joined(&job.configs[i]);

			EXPECT_TRUE(!strncmp(s, "run ", 4) || !strncmp(s, "rig ", 4)) TH_LOG("%s", s);
		}
		/* and every config is one `mmubench run` accepts */
		EXPECT_EQ(0, job_check(&job, err, sizeof(err))) TH_LOG("%s", err);
		job_free(&job);
	}
}

/* job_check(): @text parses, and checking it gives @want exactly (NULL: passes). */
static bool t_check_is(struct __test_metadata *_metadata, const char *text, const char *want)
{
	char err[512] = "";
	struct job job;
	int ret;

	if (job_parse(text, "nightly.job", &job, err, sizeof(err))) {
		TH_LOG("does not parse: %s", err);
		return false;
	}
	ret = job_check(&job, err, sizeof(err));
	job_free(&job);
	if (!want && ret)
		TH_LOG("unexpected: %s", err);
	else if (want && (!ret || strcmp(err, want)))
		TH_LOG("want \"%s\", got %d \"%s\"", want, ret, err);
	return want ? ret == -EINVAL && !strcmp(err, want) : !ret;
}

/* A typo fails at load time with the file and line of its key, nothing run. */
TEST(check_names_the_key_line)
{
	EXPECT_TRUE(t_check_is(_metadata,
		"[global]\nvcpus = 1\n\n[a]\nscenario = aging\ndrvier = none\n",
		"nightly.job:6: --drvier: unknown option"));
	/* in [global] too: the line is where the key is written */
	EXPECT_TRUE(t_check_is(_metadata, "[global]\nvcpsu = 1\n[a]\nscenario = access\n",
			       "nightly.job:2: --vcpsu: unknown option"));
	/* one bad point of a matrix is enough */
	EXPECT_TRUE(t_check_is(_metadata,
		"[d]\nscenario = dirty\nmode = bitmap, ringg\n",
		"nightly.job:3: --mode 'ringg' is not one of: bitmap, clear, ring"));
}

TEST(check_values_and_rules)
{
	EXPECT_TRUE(t_check_is(_metadata, "[a]\nscenario = access\nvcpus = 0\n",
			       "nightly.job:3: --vcpus 0 is out of range [1, 64]"));
	EXPECT_TRUE(t_check_is(_metadata, "[a]\nscenario = access\nshared = yes\n",
			       "nightly.job:3: 'yes' after a flag (flags take true or false)"));
	EXPECT_TRUE(t_check_is(_metadata, "[a]\nscenario = acess\n",
			       "nightly.job:2: unknown scenario 'acess' (see mmubench list)"));
	/* the scenario's cross-option rule, at its section */
	EXPECT_TRUE(t_check_is(_metadata,
		"[a]\nscenario = aging\npattern = uniform\nshift-every = 2\n",
		"nightly.job:1: --shift-every moves the hot set of --pattern hotcold"));
	/* driver options, flags, the rig wrapper: all fine */
	EXPECT_TRUE(t_check_is(_metadata,
		"[a]\nscenario = aging\ndriver = pageout, damon\nreclaim-pct = 20\n"
		"damon-threshold = 2\nno-verify = true\nshared = false\nrig = bookworm\n"
		"rig-args = --numa 2\n", NULL));
}

TEST_HARNESS_MAIN
