// SPDX-License-Identifier: GPL-2.0
/*
 * Aging driver "mglru": the multi-gen LRU ages and evicts guest memory
 * through its debugfs interface (kernel/mm/lru_gen.h), the way a proactive
 * reclaimer built on MGLRU does it. The VMM runs in its own memcg
 * (kernel/mm/memcg.h) so that the commands act on the guest's pages only.
 *
 * Each pass, on every node where the memcg has pages:
 *   1. aging: "+ ID NID MAX_SEQ 1 1" (can_swap, force_scan): the page-table
 *      walk moves the pages it finds accessed into the youngest generation,
 *      then a new, empty youngest generation opens. (Accesses a vCPU makes
 *      through KVM's own page tables reach MGLRU only when something makes
 *      KVM refault through the host page tables, through the MMU notifiers
 *      at eviction time, or through the secondary-MMU walk on kernels that
 *      have it: that is what is measured.)
 *   2. eviction: "- ID NID MAX_SEQ-2 SWAPPINESS NR" (MAX_SEQ after aging):
 *      oldest generations first, up to NR pages, NR being --reclaim-pct of
 *      the guest's pages (spread over the nodes by the memcg's pages on
 *      each); with --reclaim-pct 0, "- ID NID SEQ SWAPPINESS": all of the
 *      oldest generation that has pages. The kernel never evicts the two
 *      youngest generations (MIN_NR_GENS), which after aging hold what the
 *      walk found young. A vCPU thread that stays in KVM_RUN may never be
 *      scheduled out, and MGLRU skips walking an mm that has not run since
 *      its last walk: that shows as an aging pass that finds nothing young.
 * start ages once: populate leaves every page in the youngest generation,
 * and without it the first pass could evict nothing.
 * Verdict: old = evicted = the page is not present in pagemap right after
 * the pass (swapped out or dropped). env->pass_pages_scanned is the memcg's
 * pgscan over the pass (cgroup v2; NAN on v1). The generation histograms
 * before and after aging are kept in the driver's summary; with
 * --debug, those after eviction too (one more lru_gen read), and
 * the summary is printed on stderr each pass.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/aging/driver.h"
#include "kernel/mm/lru_gen.h"
#include "kernel/mm/memcg.h"
#include "kernel/aging/eviction.h"
#include "kernel/probe.h"
#include "src/lib/util.h"

#define MGLRU_SUMMARY_MAX 4096

static const char *const mglru_requires[] = { "mm.mglru", "debugfs.lru_gen", "mm.memcg", NULL };

struct mglru_state {
	/* first: the shared verdict (eviction_ops_verdict) finds it */
	struct eviction ev;
	struct memcg memcg;
	bool debug;
	uint64_t evicted_pages;		/* last pass: pages the histograms lost (--debug) */
	char summary[MGLRU_SUMMARY_MAX];	/* last pass: histograms before, aged (, after) */
};
EVICTION_STATE_FIRST(struct mglru_state, ev);

static int mglru_setup(struct aging_env *env, char *err, size_t errlen)
{
	struct mglru_state *st;
	uint64_t enabled;
	int ret;

	ret = probe_require(mglru_requires, err, errlen);
	if (ret)
		return ret;
	/* the prober takes any non-zero value for on, and debugfs wherever it is mounted */
	ret = sysfs_read_u64(LRU_GEN_ENABLED, &enabled);
	if (ret)
		return errf(err, errlen, -EOPNOTSUPP, "cannot read %s: %s; hint: " LRU_GEN_HINT,
			    LRU_GEN_ENABLED, strerror(-ret));
	if (!(enabled & 1))
		return errf(err, errlen, -EOPNOTSUPP, "MGLRU is off (%s = 0x%04" PRIx64 "); hint: "
			    LRU_GEN_ON_HINT, LRU_GEN_ENABLED, enabled);
	if (!sysfs_exists(LRU_GEN_DEBUGFS))
		return errf(err, errlen, -EOPNOTSUPP, "no %s (debugfs not mounted there); hint: "
			    SYSFS_DEBUGFS_HINT, LRU_GEN_DEBUGFS);

	st = calloc(1, sizeof(*st));
	if (!st)
		return errf(err, errlen, -ENOMEM, "out of memory");
	env->priv = st;
	st->debug = env->debug;
	ret = memcg_enter(&st->memcg, env->knobs, err, errlen);
	if (ret)
		return ret;
	return eviction_setup(&st->ev, env, err, errlen);
}

/* Our memcg in a fresh snapshot; -ENOENT with a message when lru_gen does not list it. */
static int mglru_snapshot(struct mglru_state *st, struct lru_gen_state *s,
			  const struct lru_gen_memcg **m, char *err, size_t errlen)
{
	int ret = lru_gen_snapshot(s, err, errlen);

	if (ret)
		return ret;
	*m = lru_gen_find_memcg(s, memcg_lru_gen_path(&st->memcg));
	if (!*m) {
		lru_gen_state_free(s);
		return errf(err, errlen, -ENOENT, "%s does not list memcg %s", LRU_GEN_DEBUGFS,
			    memcg_lru_gen_path(&st->memcg));
	}
	return 0;
}

static uint64_t mglru_memcg_pages(const struct lru_gen_memcg *m)
{
	uint64_t sum = 0;

	for (int i = 0; i < m->nr_nodes; i++)
		sum += lru_gen_node_pages(&m->nodes[i]);
	return sum;
}

/* Appends "WHAT: node 0: ... ; node 1: ..." to the summary. */
static void mglru_summarize(struct mglru_state *st, const char *what, const struct lru_gen_memcg *m)
{
	size_t off = strlen(st->summary);
	char line[512];

	if (off < sizeof(st->summary))
		off += snprintf(st->summary + off, sizeof(st->summary) - off,
				"%s%s:", off ? "\n  " : "", what);
	for (int i = 0; i < m->nr_nodes && off < sizeof(st->summary); i++)
		off += snprintf(st->summary + off, sizeof(st->summary) - off, " [%s]",
				lru_gen_format_node(&m->nodes[i], line, sizeof(line)));
}

/* Builds the command for node @n into @cmd; false when the node is to be left alone. */
typedef bool (*mglru_cmd_fn)(const struct aging_env *env, const struct lru_gen_memcg *m,
			     const struct lru_gen_node *n, uint64_t memcg_pages, char *cmd,
			     size_t len);

/* "+ ID NID MAX_SEQ 1 1": can_swap (6.12) / swappiness 1 (newer), force_scan */
static bool mglru_age_cmd(const struct aging_env *env, const struct lru_gen_memcg *m,
			  const struct lru_gen_node *n, uint64_t memcg_pages, char *cmd, size_t len)
{
	if (!n->nr_gens || !lru_gen_node_pages(n))
		return false;
	snprintf(cmd, len, "+ %" PRIu64 " %d %" PRIu64 " 1 1", m->id, n->nid, lru_gen_max_seq(n));
	return true;
}

/*
 * "- ID NID MAX_SEQ-2 SWAPPINESS NR": oldest first, this node's share of
 * --reclaim-pct of the guest's pages; with --reclaim-pct 0
 * "- ID NID SEQ SWAPPINESS": all of the oldest generation that has pages
 * (emptied generations stay listed until an eviction passes them). The
 * kernel refuses to evict the two youngest generations (MIN_NR_GENS).
 */
static bool mglru_evict_cmd(const struct aging_env *env, const struct lru_gen_memcg *m,
			    const struct lru_gen_node *n, uint64_t memcg_pages, char *cmd,
			    size_t len)
{
	uint64_t want = eviction_params(env)->reclaim_pct * env->total_pages / 100;
	uint64_t pages = lru_gen_node_pages(n), min = lru_gen_min_seq(n), max = lru_gen_max_seq(n);
	uint64_t swappiness = eviction_params(env)->swappiness;
	int sw = swappiness > 200 ? 200 : (int)swappiness;
	uint64_t nr;

	if (!pages || !n->nr_gens || min + 2 > max)
		return false;
	if (!eviction_params(env)->reclaim_pct) {
		/* the oldest generation that has pages (empty ones linger until eviction) */
		for (int i = 0; i < n->nr_gens; i++) {
			const struct lru_gen_gen *g = &n->gens[i];

			if (g->seq < min || g->seq + 2 > max)
				continue;
			if ((g->anon_gone ? 0 : g->nr_anon) + (g->file_gone ? 0 : g->nr_file)) {
				snprintf(cmd, len, "- %" PRIu64 " %d %" PRIu64 " %d", m->id, n->nid,
					 g->seq, sw);
				return true;
			}
		}
		return false;
	}
	nr = (want * pages + memcg_pages - 1) / memcg_pages;
	if (!nr)
		return false;
	snprintf(cmd, len, "- %" PRIu64 " %d %" PRIu64 " %d %" PRIu64, m->id, n->nid, max - 2, sw,
		 nr);
	return true;
}

/*
 * One command on every node of our memcg. A generation number goes stale
 * when kswapd or another reclaimer ages the lruvec between our read and our
 * write (EINVAL; EEXIST on newer kernels when aging): that node is retried
 * from a fresh snapshot, twice at most. @what names the snapshot in the
 * summary; @pages gets the memcg's pages on its LRUs in that snapshot.
 */
static int mglru_each_node(struct mglru_state *st, const struct aging_env *env, mglru_cmd_fn fn,
			   bool aging, const char *what, uint64_t *pages, char *err, size_t errlen)
{
	const struct lru_gen_memcg *m, *m2;
	const struct lru_gen_node *n;
	struct lru_gen_state s, s2 = { 0 };
	uint64_t memcg_pages;
	char cmd[128];
	int ret;

	ret = mglru_snapshot(st, &s, &m, err, errlen);
	if (ret)
		return ret;
	mglru_summarize(st, what, m);
	memcg_pages = mglru_memcg_pages(m);
	if (pages)
		*pages = memcg_pages;
	for (int i = 0; !ret && i < m->nr_nodes; i++) {
		n = &m->nodes[i];
		for (int attempt = 0; n && fn(env, m, n, memcg_pages, cmd, sizeof(cmd));
		     attempt++) {
			ret = lru_gen_command(cmd, err, errlen);
			if (aging && ret == -EEXIST)
				ret = 0;	/* someone else made the new generation */
			if (ret != -EINVAL || attempt == 2)
				break;
			lru_gen_state_free(&s2);
			ret = mglru_snapshot(st, &s2, &m2, err, errlen);
			if (ret)
				break;
			n = lru_gen_find_node(m2, m->nodes[i].nid);
		}
		lru_gen_state_free(&s2);
	}
	lru_gen_state_free(&s);
	return ret;
}

static int mglru_start(struct aging_env *env, char *err, size_t errlen)
{
	struct mglru_state *st = env->priv;
	const struct lru_gen_memcg *m;
	struct lru_gen_state s;
	uint64_t usage, pages, id;
	int ret;

	ret = memcg_usage(&st->memcg, &usage, err, errlen);
	if (ret)
		return ret;
	if (usage < env->total_pages * 4096 / 2)
		return errf(err, errlen, -EINVAL,
			    "memcg %s holds %" PRIu64 " KiB, less than half of the guest's "
			    "%" PRIu64 " KiB: guest memory was touched before the driver's setup, "
			    "or is not "
			    "charged to a memcg (hugetlb)",
			    st->memcg.dir, usage >> 10, env->total_pages * 4);
	ret = mglru_snapshot(st, &s, &m, err, errlen);
	if (ret)
		return ret;
	pages = mglru_memcg_pages(m);
	id = m->id;
	lru_gen_state_free(&s);
	/*
	 * Populate left every page in the youngest generation, and eviction
	 * never takes the two youngest: one aging now (the scenario's "previous
	 * pass") lets the first pass evict what was not used since.
	 */
	st->summary[0] = '\0';
	ret = mglru_each_node(st, env, mglru_age_cmd, true, "start", NULL, err, errlen);
	if (ret)
		return ret;
	if (st->debug)
		fprintf(stderr,
			"mmubench: mglru: memcg %s id %" PRIu64 ", %" PRIu64
			" KiB charged, %" PRIu64 " pages on its LRUs, aged once\n  %s\n",
			memcg_lru_gen_path(&st->memcg), id, usage >> 10, pages, st->summary);
	return 0;
}

static int mglru_pass(struct aging_env *env, unsigned int epoch, char *err, size_t errlen)
{
	struct mglru_state *st = env->priv;
	const struct lru_gen_memcg *m;
	struct lru_gen_state s;
	uint64_t scan0 = 0, scan1 = 0, aged = 0, t0, t1, t2, t3;
	bool have_scan;
	int ret;

	st->summary[0] = '\0';
	have_scan = !memcg_stat(&st->memcg, "pgscan", &scan0);
	t0 = now_ns();
	ret = mglru_each_node(st, env, mglru_age_cmd, true, "before", NULL, err, errlen);
	if (ret)
		return ret;
	t1 = now_ns();
	ret = mglru_each_node(st, env, mglru_evict_cmd, false, "aged", &aged, err, errlen);
	if (ret)
		return ret;
	t2 = now_ns();
	have_scan = have_scan && !memcg_stat(&st->memcg, "pgscan", &scan1);
	env->pass_pages_scanned = have_scan ? (double)(scan1 - scan0) : NAN;

	/* residency now, before the guest refaults what it still uses */
	ret = eviction_read_all(&st->ev, env, err, errlen);
	if (ret)
		return ret;
	t3 = now_ns();
	/* generations before and after aging, per node: stored with the record */
	env->pass_note = st->summary;

	/* the histograms after eviction: only for the log, kept out of the timed pass otherwise */
	if (!st->debug)
		return 0;
	ret = mglru_snapshot(st, &s, &m, err, errlen);
	if (ret)
		return ret;
	mglru_summarize(st, "after", m);
	st->evicted_pages = aged > mglru_memcg_pages(m) ? aged - mglru_memcg_pages(m) : 0;
	lru_gen_state_free(&s);
	fprintf(stderr,
		"mmubench: mglru pass %u: %" PRIu64 " pages left the LRUs, pgscan %.0f; "
		"aging %.1f ms, eviction %.1f ms, pagemap %.1f ms\n  %s\n",
		epoch + 1, st->evicted_pages, env->pass_pages_scanned, (t1 - t0) / 1e6,
		(t2 - t1) / 1e6, (t3 - t2) / 1e6, st->summary);
	return 0;
}

static void mglru_teardown(struct aging_env *env)
{
	struct mglru_state *st = env->priv;

	if (!st)
		return;
	eviction_teardown(&st->ev);	/* swapoff first: the pages come back into the memcg */
	memcg_leave(&st->memcg);
	free(st);
	env->priv = NULL;
}

static const struct aging_driver_ops mglru_ops = {
	.setup = mglru_setup,
	.start = mglru_start,
	.pass = mglru_pass,
	.verdict = eviction_ops_verdict,
	.teardown = mglru_teardown,
};

const struct aging_driver_desc aging_driver_mglru = {
	.name = "mglru",
	.help = "MGLRU through debugfs lru_gen, the VMM in its own memcg: each pass ages "
		"(force_scan) and evicts oldest generations first, up to --reclaim-pct of guest "
		"memory (0: all of the oldest generation); evicted = old. Needs CONFIG_LRU_GEN and "
		"debugfs; creates a temporary swapfile when no swap is active",
	.kind = AGING_EVICTED_KEPT,
	.requires = mglru_requires,
	.options = &eviction_options,
	.ops = &mglru_ops,
};
