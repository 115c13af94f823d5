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
		job_free(&job);
	}
}

TEST_HARNESS_MAIN
