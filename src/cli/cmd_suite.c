// SPDX-License-Identifier: GPL-2.0
/*
 * `mmubench suite JOBFILE [--repeat N] [--label L]`: runs every config of a
 * job file (src/suite/jobfile.h), each repeat in interleaved order (config 1..n,
 * then again) so slow drifts of the machine spread over all configs. Every
 * run is a child mmubench process: a crash or a hung guest in one config does
 * not take the suite down, and no VM ever lives in the suite's own process.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "src/cli/commands.h"
#include "src/suite/jobfile.h"
#include "src/lib/options.h"
#include "src/lib/spawn.h"
#include "src/store/store.h"
#include "src/lib/util.h"

struct suite_config {
	uint64_t repeat;
	const char *label;
	const char *store;
	bool dry_run;
	bool verbose;
};

#define SCFG(f) offsetof(struct suite_config, f)

const struct opt_desc suite_options[] = {
	{ "repeat", OPT_UINT, SCFG(repeat), "1", "N",
	  "run every config N times, interleaved (1..n, 1..n, ...)", .min = 1, .max = 1000 },
	{ "label", OPT_STRING, SCFG(label), NULL, "TEXT",
	  "label of every run (default: the kernel release and the date)" },
	{ "store", OPT_STRING, SCFG(store), NULL, "FILE", "results store for every run" },
	{ "dry-run", OPT_FLAG, SCFG(dry_run), NULL, NULL, "print the commands, run nothing" },
	{ "verbose", OPT_FLAG, SCFG(verbose), NULL, NULL, "show each run's summary and progress" },
	OPT_END
};

static const char *suite_status_name(int status)
{
	switch (status) {
	case EXIT_OK: return "pass";
	case EXIT_FAILED: return "FAIL";
	case EXIT_SKIPPED: return "skip";
	case EXIT_USAGE: return "bad config";
	default: return "ERROR";
	}
}

/* The child's argv: the config's, with the suite's label and store added to the run. */
static int suite_argv(const struct job_config *c, const struct suite_config *cfg, const char *label,
		      char **argv, int max)
{
	bool rig = c->argc && !strcmp(c->argv[0], "rig");
	int n = 0;

	argv[n++] = "mmubench";
	for (int i = 0; i < c->argc && n < max - 8; i++) {
		argv[n++] = c->argv[i];
		/* the rig stores what comes back: the store goes to it, before "--" */
		if (i == 0 && rig && cfg->store) {
			argv[n++] = "--store";
			argv[n++] = (char *)cfg->store;
		}
	}
	argv[n++] = "--label";
	argv[n++] = (char *)label;
	if (cfg->store && !rig) {
		argv[n++] = "--store";
		argv[n++] = (char *)cfg->store;
	}
	if (!cfg->verbose)
		argv[n++] = "--quiet";
	argv[n] = NULL;
	return n;
}

/* Runs @argv with this very binary (not whatever "mmubench" $PATH finds). */
static int suite_spawn(char **argv, bool verbose)
{
	struct spawn_io io = { .stdout_path = verbose ? NULL : "/dev/null" };
	char self[4096], *name = argv[0];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int status;

	if (len < 0)
		return -errno;
	self[len] = 0;
	argv[0] = self;
	status = spawn_run(argv, &io);
	argv[0] = name;
	/* killed by a signal (128 + its number): an error of that run */
	return status < 0 || status >= 128 ? EXIT_ERROR : status;
}

static void suite_duration(double s, char *buf, size_t len)
{
	int minutes = (int)(s / 60);

	if (minutes)
		snprintf(buf, len, "%dm%02ds", minutes, (int)(s - 60 * minutes));
	else
		snprintf(buf, len, "%.0fs", s);
}

/* The default label: kernel release and date, what nightly runs are grouped by. */
static void suite_default_label(char *buf, size_t len)
{
	char release[128] = "unknown", date[32];
	time_t now = time(NULL);
	FILE *f = fopen("/proc/sys/kernel/osrelease", "r");

	if (f) {
		if (fgets(release, sizeof(release), f))
			release[strcspn(release, "\n")] = 0;
		fclose(f);
	}
	strftime(date, sizeof(date), "%Y%m%d", localtime(&now));
	snprintf(buf, len, "%s-%s", release, date);
}

int cmd_suite(int argc, char **argv)
{
	struct suite_config cfg = { 0 };
	struct opt_group groups[] = { { suite_options, &cfg, NULL }, { NULL } };
	char err[1024], label[256], elapsed[32], eta[32];
	int idx, counts[8] = { 0 }, worst = EXIT_OK;
	bool tty = isatty(STDERR_FILENO);
	uint64_t start, total;
	struct job job;

	argv[0] = "mmubench suite";
	idx = opts_parse(groups, argc, argv, err, sizeof(err));
	if (idx == -EAGAIN) {
		printf("usage: mmubench suite JOBFILE [options]\n\n"
		       "Runs every config of a job file (INI: [global] options, then one section "
		       "per\n"
		       "scenario; a comma list is a matrix; rig = KERNEL runs it in the test "
		       "rig).\n"
		       "Job files shipped: workloads/jobs/quick.job (about 10 s a repeat), "
		       "workloads/jobs/nightly.job.\n"
		       "Every run is stored with the label; then `mmubench gate` and `mmubench "
		       "report`.\n\n");
		opts_help(stdout, groups);
		printf("\nExit status: 0 all passed or skipped, 1 a check failed, 3 a run "
		       "errored.\n");
		return EXIT_OK;
	}
	/* the job file may come first: then parse the options after it */
	if (idx == 1 && argc > 2) {
		char *file = argv[1];

		argv[1] = argv[0];
		idx = opts_parse(groups, argc - 1, argv + 1, err, sizeof(err));
		argv[0] = file;
		if (idx >= 0 && idx != argc - 1)
			idx = errf(err, sizeof(err), -EINVAL,
				   "mmubench suite: expected one job file (see --help)");
		else if (idx >= 0)
			idx = 0;	/* the job file is argv[0] now */
	} else if (idx >= 0 && idx != argc - 1) {
		idx = errf(err, sizeof(err), -EINVAL,
			   "mmubench suite: expected one job file (see --help)");
	}
	if (idx < 0) {
		fprintf(stderr, "%s\n", err);
		return EXIT_USAGE;
	}
	if (job_load(argv[idx], &job, err, sizeof(err))) {
		fprintf(stderr, "mmubench suite: %s\n", err);
		return EXIT_USAGE;
	}
	/* every config parses before the first runs: a typo costs milliseconds, not a night */
	if (job_check(&job, err, sizeof(err))) {
		for (char *p = err; *p; p++)
			if (iscntrl((unsigned char)*p))
				*p = '?';
		fprintf(stderr, "mmubench suite: %s\n", err);
		job_free(&job);
		return EXIT_USAGE;
	}
	if (cfg.label)
		snprintf(label, sizeof(label), "%s", cfg.label);
	else
		suite_default_label(label, sizeof(label));

	total = job.nconfigs * cfg.repeat;
	if (!cfg.dry_run)
		fprintf(stderr, "mmubench suite: %s: %zu configs x %" PRIu64 " = %" PRIu64
			" runs, label %s, store %s\n", argv[idx], job.nconfigs, cfg.repeat, total,
			label, cfg.store ? cfg.store : store_default_path());
	start = now_ns();
	for (uint64_t k = 0; k < total; k++) {
		const struct job_config *c = &job.configs[k % job.nconfigs];
		char *child[JOB_MAX_ARGS + 16];
		double done_s = (now_ns() - start) / 1e9, run_s;
		uint64_t t0;
		int status;

		suite_argv(c, &cfg, label, child, JOB_MAX_ARGS + 16);
		if (cfg.dry_run) {
			for (int i = 0; child[i]; i++)
				printf("%s%s", i ? " " : "", child[i]);
			printf("\n");
			continue;
		}
		suite_duration(done_s, elapsed, sizeof(elapsed));
		suite_duration(k ? done_s / k * (total - k) : 0, eta, sizeof(eta));
		if (tty)
			fprintf(stderr, "\r\033[K[%" PRIu64 "/%" PRIu64 "] %s (repeat %" PRIu64
				") elapsed %s%s%s", k + 1, total, c->name, k / job.nconfigs + 1,
				elapsed, k ? ", eta " : "", k ? eta : "");
		t0 = now_ns();
		status = suite_spawn(child, cfg.verbose);
		run_s = (now_ns() - t0) / 1e9;
		if (status < 0)
			status = EXIT_ERROR;
		counts[status < 8 ? status : EXIT_ERROR]++;
		if (status == EXIT_FAILED && worst == EXIT_OK)
			worst = EXIT_FAILED;
		if (status == EXIT_ERROR || status == EXIT_USAGE)
			worst = EXIT_ERROR;
		if (tty && status == EXIT_OK)
			continue;
		fprintf(stderr, "%s[%" PRIu64 "/%" PRIu64 "] %s repeat %" PRIu64 ": %s (%.1f s)\n",
			tty ? "\r\033[K" : "", k + 1, total, c->name, k / job.nconfigs + 1,
			suite_status_name(status), run_s);
	}
	if (!cfg.dry_run) {
		suite_duration((now_ns() - start) / 1e9, elapsed, sizeof(elapsed));
		fprintf(stderr,
			"%smmubench suite: %d passed, %d failed, %d skipped, %d errors in %s; "
			"label %s\n",
			tty ? "\r\033[K" : "", counts[EXIT_OK], counts[EXIT_FAILED],
			counts[EXIT_SKIPPED], counts[EXIT_ERROR] + counts[EXIT_USAGE], elapsed,
			label);
	}
	job_free(&job);
	return worst;
}
