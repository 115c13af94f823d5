// SPDX-License-Identifier: GPL-2.0
/*
 * mmubench report: a temporary store of synthetic runs (two labels of the
 * access scenario with metrics, samples and real histograms filled by
 * hist_record(), plus a skipped run), then the real binary:
 * - exit 0, index.html referencing every PNG and SVG it wrote, every PNG a
 *   PNG and every SVG an SVG, one chart of each kind there is data for, the
 *   percentiles in the table equal to those of the merged histograms;
 * - charts without data (no aging run here) are images that say so, and
 *   index.html says so too;
 * - a second report into the same directory leaves no stale chart behind;
 * - aging runs get the charts their scenario's chart_spec asks for, pooled by
 *   config identity (a parameter missing from a run is the catalog's
 *   default) and named by what varies, in catalog order;
 * - nothing matching the selection, no store, bad options: exit 2 and one
 *   line on stderr, nothing written; gnuplot missing: exit 3 naming the
 *   package to install.
 * Skipped, with the reason, where gnuplot is not installed.
 *
 * ASSERT_*() expand to two statements: loops and ifs around them keep braces.
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "tests/t_util.h"

#include "tests/t_spawn.h"

#include "src/stats/hist_stats.h"
#include "src/record/record.h"
#include "src/report/report.h"
#include "src/store/store.h"
#include "workloads/catalog.h"

#define T_EXIT_ERROR	3
#define T_UPC		(1.0 / 2000)	/* us per cycle: a 2 GHz TSC */
#define T_T0		1795000000	/* started_at of the first run */
#define T_ODD_LABEL	"it's <b>v2</b> & \"x\" \\n @x"

/* The whole file, NUL-terminated (malloc'ed), or NULL. */
static char *t_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s;

	if (!f)
		return NULL;
	s = t_slurp(f);
	if (s && len) {
		fseek(f, 0, SEEK_END);
		*len = ftell(f);
	}
	fclose(f);
	return s;
}

static bool t_exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

static const char *t_gnuplot_missing(void)
{
	const char *path = getenv("PATH");
	char buf[4096];

	for (const char *p = path ? path : "/usr/bin:/bin"; *p; ) {
		size_t n = strcspn(p, ":");

		snprintf(buf, sizeof(buf), "%.*s/gnuplot", (int)n, p);
		if (!access(buf, X_OK))
			return NULL;
		p += n;
		if (*p)
			p++;
	}
	return "gnuplot is not installed (apt-get install gnuplot-nox; scripts/bootstrap does): mmubench report draws with it";
}

/*
 * A latency histogram in cycles, shifted by @shift: a body of 1..2.5 us, a
 * shoulder of 3..8 us holding p99 (so that p98 and p99.5 are buckets away
 * from it) and a tail beyond 20 us.
 */
static void t_fill_hist(struct hist *h, uint64_t shift, int seed)
{
	hist_init(h);
	for (int i = 0; i < 19000; i++)
		hist_record(h, 2000 + shift + (uint64_t)((i * 7919 + seed * 104729) % 3000));
	for (int i = 0; i < 1000; i++)
		hist_record(h, 6000 + shift + (uint64_t)i * 10);
	for (int i = 0; i < 40; i++)
		hist_record(h, 40000 + shift + (uint64_t)i * 5000);
}

/* One access run of @label, started @k minutes after T_T0. */
static int t_store_run(struct store *s, const char *label, int k, uint64_t shift,
		       enum record_status status, struct hist *out_hist, char *err, size_t errlen)
{
	struct record *r = record_new("access", label);
	double ns[3] = { 10.0 + k, 11.0 + k, 12.5 + k }, rate[2] = { 90.0 - k, 95.0 - k };
	struct hist *h = calloc(1, sizeof(*h));
	int ret;

	if (!r || !h) {
		free(h);
		record_free(r);
		return -ENOMEM;
	}
	r->started_at = T_T0 + 60 * k;
	r->duration_s = 2.5;
	json_object_object_add(r->params, "vcpus", json_object_new_int64(1));
	json_object_object_add(r->params, "mem-per-vcpu", json_object_new_int64(64 << 20));
	json_object_object_add(r->params, "backing", json_object_new_string("anon"));
	json_object_object_add(r->env, "kernel_release", json_object_new_string("6.12.0-test"));
	if (status == STATUS_PASS) {
		record_add_metric(r, "access_ns_per_page", "ns/page", DIR_LOWER_IS_BETTER, ns, 3);
		record_add_metric(r, "access_mpages_per_s", "Mpages/s", DIR_HIGHER_IS_BETTER, rate, 2);
		record_add_value(r, "pages_4k", "pages", DIR_INFO, 16384);
		t_fill_hist(h, shift, k);
		record_add_hist(r, "populate_latency", "us", T_UPC, h);
		if (out_hist)
			hist_merge(out_hist, h);
	} else {
		record_set_status(r, status, "no /dev/kvm here");
	}
	ret = store_insert(s, r, err, errlen);
	record_free(r);
	free(h);
	return ret;
}

/*
 * One aging run of label "base": driver none, 64M per vCPU, per-epoch
 * false_old_pct samples @fo (false_young_pct zero), aging_pass_ms samples
 * @pass; @seed and @epochs (0: not in the record) as given.
 */
static int t_store_aging(struct store *s, int k, uint64_t vcpus, int seed, int epochs,
			 const double fo[3], const double pass[3], char *err, size_t errlen)
{
	struct record *r = record_new("aging", "base");
	double fy[3] = { 0, 0, 0 }, per_gib[3];
	int ret;

	if (!r)
		return -ENOMEM;
	r->started_at = T_T0 + 600 + 60 * k;
	r->duration_s = 5;
	json_object_object_add(r->params, "driver", json_object_new_string("none"));
	json_object_object_add(r->params, "vcpus", json_object_new_int64(vcpus));
	json_object_object_add(r->params, "mem-per-vcpu", json_object_new_int64(64 << 20));
	if (seed)
		json_object_object_add(r->params, "seed", json_object_new_int64(seed));
	if (epochs)
		json_object_object_add(r->params, "epochs", json_object_new_int64(epochs));
	json_object_object_add(r->env, "kernel_release", json_object_new_string("6.12.0-test"));
	for (int i = 0; i < 3; i++)
		per_gib[i] = pass[i] * 16 / vcpus;
	record_add_metric(r, "false_old_pct", "%", DIR_LOWER_IS_BETTER, fo, 3);
	record_add_metric(r, "false_young_pct", "%", DIR_LOWER_IS_BETTER, fy, 3);
	record_add_metric(r, "aging_pass_ms", "ms", DIR_LOWER_IS_BETTER, pass, 3);
	record_add_metric(r, "aging_ms_per_gib", "ms/GiB", DIR_LOWER_IS_BETTER, per_gib, 3);
	ret = store_insert(s, r, err, errlen);
	record_free(r);
	return ret;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wclobbered"

FIXTURE(report) {
	char dir[256];
	char store[300];
	char out[300];
	struct hist *base, *cand;	/* the merged histograms of each label */
};

FIXTURE_SETUP(report)
{
	const char *tmp = getenv("TMPDIR");
	struct store *s;
	char err[512];

	snprintf(self->dir, sizeof(self->dir), "%s/mmubench-report-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	ASSERT_NE(NULL, mkdtemp(self->dir)) TH_LOG("mkdtemp %s: %s", self->dir, strerror(errno));
	snprintf(self->store, sizeof(self->store), "%s/s.db", self->dir);
	snprintf(self->out, sizeof(self->out), "%s/out/report", self->dir);
	/* a report never writes to the store, nor creates one */
	ASSERT_EQ(0, setenv("MMUBENCH_STORE", "/nonexistent/mmubench-test.db", 1));

	self->base = calloc(1, sizeof(*self->base));
	self->cand = calloc(1, sizeof(*self->cand));
	ASSERT_NE(NULL, self->base);
	ASSERT_NE(NULL, self->cand);
	hist_init(self->base);
	hist_init(self->cand);
	ASSERT_EQ(0, store_open(self->store, &s, err, sizeof(err))) TH_LOG("%s", err);
	/* base: two runs; cand: two runs, slower; one skipped cand run */
	ASSERT_EQ(0, t_store_run(s, "base", 0, 0, STATUS_PASS, self->base, err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_EQ(0, t_store_run(s, "base", 1, 0, STATUS_PASS, self->base, err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_EQ(0, t_store_run(s, "cand", 2, 500, STATUS_PASS, self->cand, err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_EQ(0, t_store_run(s, "cand", 3, 500, STATUS_PASS, self->cand, err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_EQ(0, t_store_run(s, "cand", 4, 0, STATUS_SKIP, NULL, err, sizeof(err)))
		TH_LOG("%s", err);
	/* a label with what gnuplot and HTML would take for syntax */
	ASSERT_EQ(0, t_store_run(s, T_ODD_LABEL, 5, 900, STATUS_PASS, NULL, err, sizeof(err)))
		TH_LOG("%s", err);
	store_close(s);
}

/* In the parent (self is shared with the test's child, its heap is not: no free()). */
FIXTURE_TEARDOWN_PARENT(report)
{
	if (self->dir[0])
		t_rm_tree(self->dir);
}

/*
 * Every PNG and SVG in @dir: the PNG signature, an SVG document, each
 * referenced by @index (img src= for the PNG, a link for the SVG), each
 * with its pair. Returns the number of PNGs.
 */
static int t_check_images(struct __test_metadata *_metadata, const char *dir, const char *index)
{
	static const unsigned char png_sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	struct dirent *e;
	int npng = 0;
	DIR *d = opendir(dir);

	EXPECT_NE(NULL, d);
	while (d && (e = readdir(d))) {
		size_t n = strlen(e->d_name), len = 0;
		char path[600], ref[400], *data;
		bool png = n > 4 && !strcmp(e->d_name + n - 4, ".png");
		bool svg = n > 4 && !strcmp(e->d_name + n - 4, ".svg");

		if (!png && !svg)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		data = t_read(path, &len);
		EXPECT_NE(NULL, data) TH_LOG("cannot read %s", path);
		if (!data)
			continue;
		if (png) {
			npng++;
			EXPECT_TRUE(len > 100 && !memcmp(data, png_sig, 8))
				TH_LOG("%s is not a PNG (%zu bytes)", e->d_name, len);
			snprintf(ref, sizeof(ref), "<img src=\"%s\"", e->d_name);
		} else {
			EXPECT_TRUE(!strncmp(data, "<?xml", 5) || !strncmp(data, "<svg", 4))
				TH_LOG("%s does not start like an SVG", e->d_name);
			EXPECT_NE(NULL, strstr(data, "<svg")) TH_LOG("%s has no <svg", e->d_name);
			EXPECT_NE(NULL, strstr(data, "</svg>")) TH_LOG("%s is cut short", e->d_name);
			snprintf(ref, sizeof(ref), "<a href=\"%s\"", e->d_name);
		}
		EXPECT_NE(NULL, strstr(index, ref)) TH_LOG("index.html does not show %s", e->d_name);
		/* its pair */
		snprintf(path, sizeof(path), "%s/%.*s.%s", dir, (int)(n - 4), e->d_name,
			 png ? "svg" : "png");
		EXPECT_TRUE(t_exists(path)) TH_LOG("%s without %s", e->d_name, path);
		free(data);
	}
	if (d)
		closedir(d);
	return npng;
}

/* The one line of stderr, from mmubench report, naming @needle; exit @status. */
static void t_check_one_line(struct __test_metadata *_metadata, struct t_out *r, int status,
			     const char *needle)
{
	int lines = 0;

	for (const char *p = r->err; *p; p++)
		lines += *p == '\n';
	EXPECT_EQ(status, r->status) t_show("stderr", r->err);
	EXPECT_STREQ("", r->out);
	EXPECT_EQ(1, lines) t_show("stderr", r->err);
	EXPECT_EQ(0, strncmp(r->err, "mmubench report: ", 17)) t_show("stderr", r->err);
	EXPECT_NE(NULL, strstr(r->err, needle)) {
		TH_LOG("stderr does not mention \"%s\"", needle);
		t_show("stderr", r->err);
	}
}

TEST_F(report, charts_and_index)
{
	char path[600], want[256], b[64], *index;
	struct t_out r;
	int npng;

	if (t_gnuplot_missing())
		SKIP(return, "%s", t_gnuplot_missing());
	ASSERT_EQ(0, t_run(&r, "report", "--store", self->store, "--out", self->out,
			   "--label", "base,cand", "--quiet", NULL));
	EXPECT_EQ(0, r.status) t_show("stderr", r.err);
	EXPECT_STREQ("", r.err);
	snprintf(want, sizeof(want), "report: %s/index.html (", self->out);
	EXPECT_EQ(0, strncmp(r.out, want, strlen(want))) t_show("stdout", r.out);
	t_out_free(&r);

	snprintf(path, sizeof(path), "%s/index.html", self->out);
	index = t_read(path, NULL);
	ASSERT_NE(NULL, index) TH_LOG("no %s", path);
	EXPECT_EQ(0, strncmp(index, "<!DOCTYPE html>", 15));
	EXPECT_NE(NULL, strstr(index, "</html>"));
	/* self-contained: nothing fetched, nothing run */
	EXPECT_EQ(NULL, strstr(index, "http://"));
	EXPECT_EQ(NULL, strstr(index, "https://"));
	EXPECT_EQ(NULL, strstr(index, "<script"));

	npng = t_check_images(_metadata, self->out, index);
	EXPECT_GE(npng, 7);

	/* one of each kind there is data for: 5 runs listed, the skipped one too */
	static const char *const charts[] = {
		"cdf-s0-h0-c0", "pct-s0-h0", "trend-s0-m0", "trend-s0-m1", "ab-s0-c0",
	};
	for (size_t i = 0; i < sizeof(charts) / sizeof(charts[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s.png", self->out, charts[i]);
		EXPECT_TRUE(t_exists(path)) TH_LOG("no chart %s", path);
		snprintf(path, sizeof(path), "%s/%s.dat", self->out, charts[i]);
		EXPECT_TRUE(t_exists(path)) TH_LOG("no data file %s", path);
		snprintf(path, sizeof(path), "%s/%s.gp", self->out, charts[i]);
		EXPECT_TRUE(t_exists(path)) TH_LOG("no gnuplot script %s", path);
	}
	EXPECT_NE(NULL, strstr(index, "no /dev/kvm here"));
	EXPECT_NE(NULL, strstr(index, ">skip"));

	/* the table shows the percentiles of the merged histograms of each label */
	snprintf(want, sizeof(want), "<td>%s</td>",
		 record_format_value(hist_percentile(self->base, 0.99) * T_UPC, b, sizeof(b)));
	EXPECT_NE(NULL, strstr(index, want)) TH_LOG("base p99 %s not in index.html", want);
	snprintf(want, sizeof(want), "<td>%s</td>",
		 record_format_value(hist_percentile(self->cand, 0.5) * T_UPC, b, sizeof(b)));
	EXPECT_NE(NULL, strstr(index, want)) TH_LOG("cand p50 %s not in index.html", want);
	snprintf(want, sizeof(want), "<td>base</td><td>2</td><td>%llu</td>",
		 (unsigned long long)self->base->count);
	EXPECT_NE(NULL, strstr(index, want)) TH_LOG("no row %s", want);

	/* no aging run: those charts are "no data" images, and the page says so */
	static const char *const nodata[] = { "aging-epochs", "aging-cost" };
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s.png", self->out, nodata[i]);
		EXPECT_TRUE(t_exists(path)) TH_LOG("no \"no data\" image %s", path);
		snprintf(path, sizeof(path), "%s/%s.dat", self->out, nodata[i]);
		EXPECT_FALSE(t_exists(path)) TH_LOG("%s: data for a chart without data", path);
		snprintf(path, sizeof(path), "%s/%s.gp", self->out, nodata[i]);
		{
			char *gp = t_read(path, NULL);

			EXPECT_TRUE(gp && strstr(gp, "no data for"))
				TH_LOG("%s does not draw \"no data for\"", path);
			free(gp);
		}
	}
	EXPECT_NE(NULL, strstr(index, "no data for aging accuracy per epoch"));
	EXPECT_NE(NULL, strstr(index, "no aging run"));
	EXPECT_NE(NULL, strstr(index, "no data for aging pass time vs guest memory size"));
	free(index);
}

TEST_F(report, second_report_leaves_nothing_stale)
{
	char path[600], *index;
	struct t_out r;

	if (t_gnuplot_missing())
		SKIP(return, "%s", t_gnuplot_missing());
	ASSERT_EQ(0, t_run(&r, "report", "--store", self->store, "--out", self->out, "--quiet",
			   "--label", "base", "--label", "cand", NULL));
	EXPECT_EQ(0, r.status) t_show("stderr", r.err);
	t_out_free(&r);
	snprintf(path, sizeof(path), "%s/ab-s0-c0.png", self->out);
	EXPECT_TRUE(t_exists(path));

	/* only the candidate since its first run: one label, no trend, no comparison */
	ASSERT_EQ(0, t_run(&r, "report", "--store", self->store, "--out", self->out, "--quiet",
			   "--since", "1795000120", "--label", "cand", NULL));
	EXPECT_EQ(0, r.status) t_show("stderr", r.err);
	t_out_free(&r);
	EXPECT_FALSE(t_exists(path)) TH_LOG("%s left from the previous report", path);
	snprintf(path, sizeof(path), "%s/index.html", self->out);
	index = t_read(path, NULL);
	ASSERT_NE(NULL, index);
	EXPECT_LE(1, t_check_images(_metadata, self->out, index));
	EXPECT_NE(NULL, strstr(index, "no data for trends across labels"));
	EXPECT_NE(NULL, strstr(index, "no data for baseline vs candidate"));
	EXPECT_EQ(NULL, strstr(index, "<td>base</td>"));
	free(index);
}

TEST_F(report, awkward_label)
{
	char path[600], *index;
	struct t_out r;

	if (t_gnuplot_missing())
		SKIP(return, "%s", t_gnuplot_missing());
	/* every run: three labels; the odd one as the candidate */
	ASSERT_EQ(0, t_run(&r, "report", "--store", self->store, "--out", self->out, "--quiet",
			   "--baseline", "base", "--candidate", T_ODD_LABEL, NULL));
	EXPECT_EQ(0, r.status) t_show("stderr", r.err);
	EXPECT_STREQ("", r.err);
	t_out_free(&r);
	snprintf(path, sizeof(path), "%s/index.html", self->out);
	index = t_read(path, NULL);
	ASSERT_NE(NULL, index);
	EXPECT_LE(1, t_check_images(_metadata, self->out, index));
	EXPECT_NE(NULL, strstr(index, "it&#39;s &lt;b&gt;v2&lt;/b&gt; &amp; &quot;x&quot; \\n @x"));
	EXPECT_EQ(NULL, strstr(index, "<b>v2"));
	snprintf(path, sizeof(path), "%s/ab-s0-c0.png", self->out);
	EXPECT_TRUE(t_exists(path));
	snprintf(path, sizeof(path), "%s/trend-s0-m0.png", self->out);
	EXPECT_TRUE(t_exists(path));
	free(index);
}

TEST_F(report, aging_charts_from_the_catalog)
{
	static const double fo[4][3] = { { 1, 2, 3 }, { 3, 4, 5 }, { 7, 7, 7 }, { 9, 9, 9 } };
	static const double pass[2][3] = { { 10, 12, 14 }, { 20, 22, 24 } };
	char path[600], err[512], *index, *dat;
	struct store *s;
	struct t_out r;

	if (t_gnuplot_missing())
		SKIP(return, "%s", t_gnuplot_missing());
	ASSERT_EQ(0, store_open(self->store, &s, err, sizeof(err))) TH_LOG("%s", err);
	/* two runs at seed 2, one without a seed (the default, 1), one of 2 vCPUs and 4 epochs */
	ASSERT_EQ(0, t_store_aging(s, 0, 1, 2, 0, fo[0], pass[0], err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, t_store_aging(s, 1, 1, 2, 0, fo[1], pass[0], err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, t_store_aging(s, 2, 1, 0, 0, fo[2], pass[0], err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, t_store_aging(s, 3, 2, 2, 4, fo[3], pass[1], err, sizeof(err))) TH_LOG("%s", err);
	store_close(s);
	ASSERT_EQ(0, t_run(&r, "report", "--store", self->store, "--out", self->out, "--quiet",
			   "--scenario", "aging", NULL));
	EXPECT_EQ(0, r.status) t_show("stderr", r.err);
	t_out_free(&r);
	snprintf(path, sizeof(path), "%s/index.html", self->out);
	index = t_read(path, NULL);
	ASSERT_NE(NULL, index);

	/* what is missing is the default, and what varies is named in catalog order */
	EXPECT_NE(NULL, strstr(index, "<td>epochs=10, vcpus=1, seed=1</td>"));
	EXPECT_NE(NULL, strstr(index, "<td>epochs=10, vcpus=1, seed=2</td>"));
	EXPECT_NE(NULL, strstr(index, "<td>epochs=4, vcpus=2, seed=2</td>"));
	EXPECT_NE(NULL, strstr(index, "<h2 id=\"aging-epochs\">Aging accuracy per epoch</h2>"));
	EXPECT_NE(NULL, strstr(index, "<th>aging_pass_ms median</th>"));
	EXPECT_EQ(NULL, strstr(index, "no data for aging")) TH_LOG("an aging chart without data");

	/* configs sort by name: c1 pools the two seed-2 runs, epoch by epoch */
	snprintf(path, sizeof(path), "%s/epochs-s0-c1.dat", self->out);
	dat = t_read(path, NULL);
	EXPECT_TRUE(dat && strstr(dat, "# base false_old_pct: epoch median min max runs\n"
				  "1 2 1 3 2\n2 3 2 4 2\n3 4 3 5 2\n"))
		t_show(path, dat ? dat : "(none)");
	free(dat);
	snprintf(path, sizeof(path), "%s/epochs-s0-c2.dat", self->out);
	EXPECT_TRUE(t_exists(path)) TH_LOG("no chart of the 2-vCPU config");

	/* the cost pools every config of a size: 3 runs x 3 passes at 64M, 1 x 3 at 128M */
	snprintf(path, sizeof(path), "%s/aging-cost.dat", self->out);
	dat = t_read(path, NULL);
	EXPECT_TRUE(dat && strstr(dat, "# none base: memory_gib(offset) median min max passes "
				  "memory_gib\n0.0625 12 10 14 9 0.0625\n0.125 22 20 24 3 0.125\n"))
		t_show(path, dat ? dat : "(none)");
	free(dat);
	free(index);
}

/* Every chart a scenario asks for names what the scenario has, and says what it is. */
TEST(chart_specs_match_the_catalog)
{
	int n = 0;

	for (int i = 0; scenarios[i]; i++) {
		const struct scenario_desc *scn = scenarios[i];

		for (const struct chart_spec *sp = scn->charts; sp && sp->kind; sp++, n++) {
			const char *mets[2] = { sp->metric, sp->metric2 };

			EXPECT_TRUE(sp->title && sp->about && sp->axis)
				TH_LOG("%s: a chart without its words", scn->name);
			for (int k = 0; k < 2; k++) {
				bool found = false;

				for (const struct metric_desc *m = scn->metrics; mets[k] && m->name; m++)
					found |= !strcmp(m->name, mets[k]);
				EXPECT_TRUE(found) TH_LOG("%s: chart metric %s is not one of its metrics",
							  scn->name, mets[k] ? mets[k] : "(none)");
			}
			if (sp->kind == CHART_COST_VS_SIZE) {
				EXPECT_TRUE(sp->chart && sp->sample && sp->samples)
					TH_LOG("%s: a cost chart without its words", scn->name);
				EXPECT_TRUE(!sp->by || catalog_find_option(scn, sp->by))
					TH_LOG("%s: --%s is not an option", scn->name, sp->by);
			}
		}
	}
	EXPECT_LE(2, n) TH_LOG("the aging charts are gone from the catalog");
}

TEST_F(report, nothing_selected)
{
	char path[600];
	struct t_out r;

	/* no run with that label: exit 2, the labels there are, nothing written */
	ASSERT_EQ(0, t_run(&r, "report", "--store", self->store, "--out", self->out,
			   "--label", "nosuch", NULL));
	t_check_one_line(_metadata, &r, T_EXIT_USAGE, "no run in");
	EXPECT_NE(NULL, strstr(r.err, "cand")) t_show("stderr", r.err);
	t_out_free(&r);
	snprintf(path, sizeof(path), "%s/index.html", self->out);
	EXPECT_FALSE(t_exists(path));

	ASSERT_EQ(0, t_run(&r, "report", "--store", self->store, "--out", self->out,
			   "--since", "2100-01-01", NULL));
	t_check_one_line(_metadata, &r, T_EXIT_USAGE, "matches the selection");
	t_out_free(&r);

	/* no store there: exit 2, and none created */
	snprintf(path, sizeof(path), "%s/none.db", self->dir);
	ASSERT_EQ(0, t_run(&r, "report", "--store", path, "--out", self->out, NULL));
	t_check_one_line(_metadata, &r, T_EXIT_USAGE, "no results store at");
	t_out_free(&r);
	EXPECT_FALSE(t_exists(path));
}

TEST_F(report, bad_usage)
{
	struct t_out r;

	ASSERT_EQ(0, t_run(&r, "report", "--store", self->store, NULL));
	t_check_one_line(_metadata, &r, T_EXIT_USAGE, "--out DIR is required");
	t_out_free(&r);
	ASSERT_EQ(0, t_run(&r, "report", "--out", self->out, "--since", "yesterday", NULL));
	t_check_one_line(_metadata, &r, T_EXIT_USAGE, "--since 'yesterday'");
	t_out_free(&r);
	ASSERT_EQ(0, t_run(&r, "report", "--out", self->out, "--frobnicate", NULL));
	t_check_one_line(_metadata, &r, T_EXIT_USAGE, "unknown option '--frobnicate'");
	t_out_free(&r);
	ASSERT_EQ(0, t_run(&r, "report", "--out", self->out, "extra", NULL));
	t_check_one_line(_metadata, &r, T_EXIT_USAGE, "unexpected argument 'extra'");
	t_out_free(&r);
	ASSERT_EQ(0, t_run(&r, "report", "--help", NULL));
	EXPECT_EQ(0, r.status);
	EXPECT_NE(NULL, strstr(r.out, "usage: mmubench report"));
	EXPECT_NE(NULL, strstr(r.out, "--since"));
	t_out_free(&r);
}

TEST_F(report, gnuplot_missing)
{
	char path[600];
	struct t_out r;

	ASSERT_EQ(0, t_run(&r, "report", "--store", self->store, "--out", self->out,
			   "--gnuplot", "/nonexistent/gnuplot", NULL));
	t_check_one_line(_metadata, &r, T_EXIT_ERROR, "install gnuplot-nox");
	t_out_free(&r);
	snprintf(path, sizeof(path), "%s/index.html", self->out);
	EXPECT_FALSE(t_exists(path));
}

#pragma GCC diagnostic pop

TEST(parse_since)
{
	int64_t t = 0, now = 1800000000;

	EXPECT_EQ(0, report_parse_since("1795240669", now, &t));
	EXPECT_EQ(1795240669, t);
	EXPECT_EQ(0, report_parse_since("2026-11-21", now, &t));
	EXPECT_EQ(1795219200, t);		/* date -u -d 2026-11-21 +%s */
	EXPECT_EQ(0, report_parse_since("2026-11-21T06:00Z", now, &t));
	EXPECT_EQ(1795219200 + 6 * 3600, t);
	EXPECT_EQ(0, report_parse_since("2026-11-21 06:00:30", now, &t));
	EXPECT_EQ(1795219200 + 6 * 3600 + 30, t);
	EXPECT_EQ(0, report_parse_since("36h", now, &t));
	EXPECT_EQ(now - 36 * 3600, t);
	EXPECT_EQ(0, report_parse_since("7d", now, &t));
	EXPECT_EQ(now - 7 * 86400, t);
	EXPECT_EQ(0, report_parse_since("2w", now, &t));
	EXPECT_EQ(now - 14 * 86400, t);
	EXPECT_EQ(-EINVAL, report_parse_since("yesterday", now, &t));
	EXPECT_EQ(-EINVAL, report_parse_since("2026-11-21X", now, &t));
	EXPECT_EQ(-EINVAL, report_parse_since("d", now, &t));
	EXPECT_EQ(-EINVAL, report_parse_since("", now, &t));
	EXPECT_EQ(-EINVAL, report_parse_since("-5", now, &t));
}

TEST_HARNESS_MAIN
