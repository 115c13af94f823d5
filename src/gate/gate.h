/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The gate: compares the runs of a candidate label with those of a baseline
 * label in the results store, metric by metric and config by config, with a
 * stated statistical rule, and says whether anything regressed.
 *
 * A config is a scenario and its run parameters (config_key() of
 * workloads/catalog.h: keys sorted, numbers normalised, a missing parameter
 * taken as its default), less the parameters the rules say to ignore. For
 * each metric of a config, the samples of a side are the metric's headline
 * value of every usable run (status pass or fail) of that config with that
 * label: runs are the repeats. When each side has exactly one run, the
 * samples recorded within those runs (e.g. one per vCPU or per pass) stand
 * in, and the row says so. NaN values and samples are no values.
 *
 * The files: rules.c (the rules file), judge.c (one metric's verdict, pure),
 * compare.c (the runs from store_read() -> configs -> series -> rows),
 * print.c (table and KTAP).
 *
 * Verdicts: a metric regressed when the test's p, adjusted for the number
 * of metrics tested in the whole comparison (the rules' correction: Holm by
 * default, see results/gate.rules), is below alpha, the change in the bad
 * direction (the store's metric direction, or the rules') is at least
 * min_change percent, and it is at least min_effect pooled standard
 * deviations of the samples; improved likewise in the good direction; no
 * change otherwise; not enough data when a side has fewer than min_samples
 * samples (or the test could not reach alpha with that few). Info metrics
 * are shown, never judged. Correctness metrics fail on any non-zero
 * candidate value (headline or sample), correctness checks on any candidate
 * run where they failed, whatever the statistics.
 */
#ifndef MMUBENCH_GATE_H
#define MMUBENCH_GATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <json-c/json.h>

#include "src/lib/strlist.h"

#include "src/record/record.h"

enum gate_test {
	GATE_TEST_WELCH,		/* Welch's t-test on the means */
	GATE_TEST_MANN_WHITNEY,		/* Mann-Whitney U on the medians */
};

/* How the p values of one comparison are adjusted for their number (enum stats_p_adjust). */
enum gate_correction {
	GATE_CORRECT_NONE,		/* each metric on its own: ~alpha x m false regressions */
	GATE_CORRECT_HOLM,		/* family-wise error rate <= alpha, any dependence */
	GATE_CORRECT_BH,		/* false discovery rate <= alpha */
};

/* The rule for one metric. */
struct gate_params {
	enum gate_test test;
	double alpha;			/* significance level, in (0, 1) */
	double min_change_pct;		/* smallest change that counts, percent of the baseline */
	double min_effect;		/* smallest change that counts, in pooled SDs */
	unsigned int min_samples;	/* fewer on either side: not enough data */
	int direction;			/* enum metric_direction, or -1: the store's */
};

/* Which keys a [metrics] line sets. */
#define GATE_SET_TEST		(1u << 0)
#define GATE_SET_ALPHA		(1u << 1)
#define GATE_SET_MIN_CHANGE	(1u << 2)
#define GATE_SET_MIN_SAMPLES	(1u << 3)
#define GATE_SET_DIRECTION	(1u << 4)
#define GATE_SET_MIN_EFFECT	(1u << 5)

struct gate_override {
	char *glob;			/* fnmatch(3) pattern on the metric name */
	unsigned int set;		/* GATE_SET_* */
	struct gate_params p;		/* only the fields in @set mean anything */
};


/* A parsed rules file (results/gate.rules documents the format). */
struct gate_rules {
	char *source;			/* the file, or "built-in" */
	struct gate_params defaults;
	enum gate_correction correction;	/* [defaults] only: it is the whole comparison's */
	struct gate_override *overrides;	/* in file order: later lines win */
	size_t noverrides;
	struct strlist correctness_metrics;	/* globs: fail on any non-zero candidate value */
	struct strlist correctness_checks;	/* globs: fail when failed in a candidate run */
	struct strlist ignore_params;		/* run parameters left out of the config */
};

/* The built-in rules: results/gate.rules, embedded. */
const char *gate_default_rules_text(void);

/*
 * Parses rules from @text (@source names it in messages, "FILE:LINE: ...").
 * Returns 0, -EINVAL with a one-line message, or -ENOMEM. @out is
 * initialised either way; free it with gate_rules_free().
 */
int gate_rules_parse(const char *text, const char *source, struct gate_rules *out,
		     char *err, size_t errlen);
/* Reads and parses @path; NULL gives the built-in rules. */
int gate_rules_load(const char *path, struct gate_rules *out, char *err, size_t errlen);
void gate_rules_free(struct gate_rules *r);

/* The rule for metric @name: the defaults with every matching override applied in order. */
void gate_rules_for(const struct gate_rules *r, const char *name, struct gate_params *out);

const char *gate_test_name(enum gate_test t);	/* "welch", "mann-whitney" */
const char *gate_correction_name(enum gate_correction c);	/* "none", "holm", "bh" */

enum gate_verdict {
	GATE_NO_CHANGE,
	GATE_IMPROVED,
	GATE_REGRESSED,
	GATE_NOT_ENOUGH_DATA,
	GATE_FAILED,			/* correctness: lost pages, a failed contents check */
	GATE_INFO,			/* info metric: shown, not judged */
	GATE_NVERDICTS
};

const char *gate_verdict_name(enum gate_verdict v);

enum gate_row_kind {
	GATE_ROW_METRIC,		/* judged by the statistics (or info) */
	GATE_ROW_CORRECTNESS,		/* a correctness metric: values are the max */
	GATE_ROW_CHECK,			/* a correctness check: values are failed runs */
};

/* One metric (or check) of one config. Index 0 is the baseline, 1 the candidate. */
struct gate_row {
	size_t config;			/* index into gate_report.configs */
	enum gate_row_kind kind;
	char *name;
	char *unit;
	enum metric_direction direction;
	struct gate_params params;	/* the rule that applied */
	size_t n[2];			/* samples (runs, or per-run samples) */
	/* mean (welch), median (mann-whitney); correctness: max; check: failed runs */
	double value[2];
	/* (candidate - baseline) / |baseline| in %; NAN if unknown */
	double change_pct;
	double p;			/* NAN when no test ran */
	/* p adjusted over the comparison's tests (gate_report.ntests); NAN when no test ran */
	double p_adj;
	/* (candidate - baseline) / pooled SD of the samples; NAN if unknown */
	double effect;
	bool per_run_samples;		/* samples within one run a side, not runs */
	enum gate_verdict verdict;
	char *note;			/* why, when the verdict needs explaining; may be NULL */
};

struct gate_config {
	char *key;			/* config_key() */
	char *scenario;
	char *display;			/* scenario and its non-default parameters */
	size_t runs[2];			/* usable runs (pass or fail) */
	size_t unusable[2];		/* skipped or in error: left out */
};

struct gate_report {
	char *baseline, *candidate, *store_path, *rules_source;
	struct gate_params defaults;
	enum gate_correction correction;
	size_t ntests;			/* rows whose test ran: the family p_adj is over */
	size_t noverrides;
	size_t runs[2];			/* all runs with each label */
	struct gate_config *configs;
	size_t nconfigs;
	struct gate_row *rows;		/* grouped by config, in the order runs recorded them */
	size_t nrows;
	size_t count[GATE_NVERDICTS];
	char **notes;			/* configs seen on one side only, ... */
	size_t nnotes;
};

/*
 * Judges one metric from its samples under @p: fills @row's n, value,
 * change_pct, p, effect, verdict and note (malloc'ed), taking p_adj = p (a
 * family of one; gate_adjust() corrects it). @dir is the direction that
 * applies (DIR_INFO: only values and change). A row with per_run_samples
 * set says so in its note. Returns 0 or -ENOMEM.
 */
int gate_judge(const struct gate_params *p, enum metric_direction dir,
	       const double *base, size_t nb, const double *cand, size_t nc,
	       struct gate_row *row);

/*
 * The verdict of a judged metric row whose test ran, from its p_adj,
 * change_pct and effect under row->params; the note (rebuilt) names @c and
 * @ntests when the correction is what kept a p < alpha from counting.
 * Returns 0 or -ENOMEM.
 */
int gate_decide(struct gate_row *row, enum gate_correction c, size_t ntests);

/*
 * Adjusts the p of every row of @g whose test ran (kind metric, p not NaN)
 * for their number under @c, then decides them again and counts the
 * verdicts. Returns 0 or -ENOMEM.
 */
int gate_adjust(struct gate_report *g, enum gate_correction c);

/*
 * Compares the runs labelled @candidate with those labelled @baseline in
 * the store at @store_path (opened read-only). Returns 0 with the report in
 * @out, or -errno with a one-line message: -ENOENT for a missing store or
 * a label without runs (the message lists the labels there), -ENODATA when
 * the two labels have no config in common.
 */
int gate_compare(const char *store_path, const char *baseline, const char *candidate,
		 const struct gate_rules *rules, struct gate_report **out,
		 char *err, size_t errlen);
void gate_report_free(struct gate_report *g);

/* Any regression or correctness failure? */
bool gate_report_failed(const struct gate_report *g);

/* An aligned table per config, the notes, then one summary line. */
void gate_print_table(FILE *out, const struct gate_report *g);
/*
 * One KTAP document on stdout (kselftest.h): a test point per row, "not ok"
 * for regressed and FAILED, "ok ... # SKIP not enough data: why", "ok" for
 * the rest (info included), each after a diagnostic line with the numbers.
 */
void gate_print_ktap(const struct gate_report *g);

#endif
