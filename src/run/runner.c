// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kernel/kvm/kvm_probe.h"
#include "src/run/runner.h"
#include "workloads/scenario.h"
#include "src/run/truth.h"
#include "src/lib/util.h"
#include "src/stats/zipf.h"

#define RUN_MAX_NODES 64

/* "any" -> TOPO_NODE_ANY, "interleave" -> TOPO_INTERLEAVE, else the node number. */
static int run_parse_mem_node(const char *text, int *node)
{
	uint64_t n;

	if (!strcmp(text, "any"))
		*node = TOPO_NODE_ANY;
	else if (!strcmp(text, "interleave"))
		*node = TOPO_INTERLEAVE;
	else if (!parse_u64(text, &n) && n < 4096)
		*node = (int)n;
	else
		return -EINVAL;
	return 0;
}

/* The PUs vCPUs get pinned to, or 0 when they are not pinned. */
static int run_pin_plan(const struct run_config *cfg, struct topo *topo, int *cpus,
			char *err, size_t errlen)
{
	int n;

	if (cfg->cpus) {
		n = topo_parse_cpulist(cfg->cpus, cpus, GUEST_MAX_VCPUS * 4, err, errlen);
		if (n < 0)
			return n;
		if ((uint64_t)n < cfg->vcpus)
			return errf(err, errlen, -EINVAL,
				    "--cpus %s has %d CPUs for %" PRIu64 " vCPUs: give one CPU per vCPU",
				    cfg->cpus, n, cfg->vcpus);
		for (int i = 0; i < n; i++) {
			int allowed[1024], na = topo_allowed_cpus(topo, allowed, 1024), ok = 0;

			for (int j = 0; j < na; j++)
				ok |= allowed[j] == cpus[i];
			if (!ok)
				return errf(err, errlen, -EINVAL,
					    "--cpus %s: CPU %d is not available to this process",
					    cfg->cpus, cpus[i]);
		}
		return n;
	}
	if (cfg->pin == RUN_PIN_NONE)
		return 0;
	n = topo_allowed_cpus(topo, cpus, GUEST_MAX_VCPUS * 4);
	return (uint64_t)n >= cfg->vcpus ? n : 0;
}

int runner_validate(const struct run_config *cfg, struct topo *topo, char *err, size_t errlen)
{
	int cpus[GUEST_MAX_VCPUS * 4], node, ret;
	uint64_t gpage = cfg->guest_page == RUN_GUEST_PAGE_2M ? 2 << 20 : 4096;

	ret = run_pin_plan(cfg, topo, cpus, err, errlen);
	if (ret < 0)
		return ret;
	if (run_parse_mem_node(cfg->mem_node, &node))
		return errf(err, errlen, -EINVAL, "--mem-node '%s': expected a node number, interleave or any",
			    cfg->mem_node);
	if (node >= 0 && node >= topo_numa_nodes(topo))
		return errf(err, errlen, -EINVAL, "--mem-node %d: this machine has %d NUMA node(s)",
			    node, topo_numa_nodes(topo));
	if (cfg->mem_per_vcpu % gpage)
		return errf(err, errlen, -EINVAL, "--mem-per-vcpu must be a multiple of the %s guest page",
			    gpage == 4096 ? "4K" : "2M");
	if (!strcmp(backing_kinds[cfg->backing]->name, "file"))
		return backing_check_path(cfg->backing_path, cfg->mem_per_vcpu, err, errlen);
	if (cfg->backing_path)
		return errf(err, errlen, -EINVAL, "--backing-path is only used with --backing file");
	return 0;
}

/* Unlike pthread_barrier_t, this one cannot hang when a vCPU has failed. */
bool run_barrier(struct run_ctx *ctx)
{
	unsigned int gen;
	bool last = false;

	pthread_mutex_lock(&ctx->lock);
	gen = ctx->generation;
	if (!ctx->aborted && ++ctx->waiting == ctx->nvcpus) {
		ctx->waiting = 0;
		ctx->generation++;
		last = true;
		pthread_cond_broadcast(&ctx->cond);
	}
	while (!last && !ctx->aborted && gen == ctx->generation)
		pthread_cond_wait(&ctx->cond, &ctx->lock);
	pthread_mutex_unlock(&ctx->lock);
	return last;
}

static void run_abort(struct run_ctx *ctx)
{
	pthread_mutex_lock(&ctx->lock);
	ctx->aborted = true;
	pthread_cond_broadcast(&ctx->cond);
	pthread_mutex_unlock(&ctx->lock);
}

void run_truth(const struct run_vcpu *v, uint64_t c0, uint64_t c1, unsigned long *touched,
	       unsigned long *written)
{
	int n = __atomic_load_n(&v->nsegments, __ATOMIC_ACQUIRE);

	for (int s = 0; s < n; s++) {
		uint64_t lo = v->segments[s].first, hi = s + 1 < n ? v->segments[s + 1].first : UINT64_MAX;
		struct pattern p = v->host_pattern;

		lo = lo > c0 ? lo : c0;
		hi = hi < c1 ? hi : c1;
		if (lo >= hi)
			continue;
		p.hot_first = v->segments[s].hot_first;
		truth_touched(&p, lo, hi, touched, written);
	}
}

/* Logs a hot-set change that starts with order @w (one writer: this vCPU's thread). */
static int run_log_segment(struct run_vcpu *v, const struct guest_work *w)
{
	int n = v->nsegments;

	if (w->op != GOP_ACCESS || w->pattern.hot_first == v->segments[n - 1].hot_first)
		return 0;
	if (n == RUN_MAX_SEGMENTS)
		return -ENOSPC;
	v->segments[n] = (struct run_segment){ w->first, w->pattern.hot_first };
	__atomic_store_n(&v->nsegments, n + 1, __ATOMIC_RELEASE);
	return 0;
}

double run_cycles_to_ns(const struct run_ctx *ctx, double cycles)
{
	return ctx->tsc_khz ? cycles * 1e6 / ctx->tsc_khz : 0;
}

void run_read_kvm_counters(struct run_ctx *ctx, struct run_kvm_counters *c)
{
	uint64_t v;

	memset(c, 0, sizeof(*c));
	c->have_pf = true;
	for (int i = 0; i < ctx->nvcpus; i++) {
		struct kvm_stats *s = ctx->vcpus[i].stats;

		if (s && !kvm_stats_read(s, "pf_taken", &v))
			c->pf_taken += v;
		else
			c->have_pf = false;
		if (s && !kvm_stats_read(s, "pf_fixed", &v))
			c->pf_fixed += v;
	}
	c->have_pages = ctx->vm_stats && !kvm_stats_read(ctx->vm_stats, "pages_4k", &c->pages_4k) &&
			!kvm_stats_read(ctx->vm_stats, "pages_2m", &c->pages_2m);
}

static void run_vcpu_fail(struct run_vcpu *v, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void run_vcpu_fail(struct run_vcpu *v, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->err, sizeof(v->err), fmt, ap);
	va_end(ap);
	v->status = ret;
	run_abort(v->ctx);
}

/* "#PF (vector 14) error 0x4 (not-present read, user) at rip 0x... rsp 0x..., cr2 0x..." */
static void run_describe_exception(const struct guest_ctrl *c, char *buf, size_t len)
{
	static const char *const names[GUEST_IDT_VECTORS] = {
		"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "vector 9",
		"#TS", "#NP", "#SS", "#GP", "#PF", "vector 15", "#MF", "#AC", "#MC", "#XM",
		"#VE", "#CP",
	};
	const char *name = c->exc_vector < GUEST_IDT_VECTORS && names[c->exc_vector] ?
			   names[c->exc_vector] : "reserved";
	int n;

	n = snprintf(buf, len, "%s (vector %" PRIu64 ") error %#" PRIx64, name, c->exc_vector,
		     c->exc_error);
	if (c->exc_vector == 14 && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " (%s %s, %s%s)",
			      c->exc_error & 1 ? "protection" : "not-present",
			      c->exc_error & 16 ? "fetch" : c->exc_error & 2 ? "write" : "read",
			      c->exc_error & 4 ? "user" : "supervisor",
			      c->exc_error & 8 ? ", reserved bit" : "");
	if (n > 0 && (size_t)n < len)
		snprintf(buf + n, len - n, " at rip %#" PRIx64 " rsp %#" PRIx64 "%s%#" PRIx64,
			 c->exc_rip, c->exc_rsp, c->exc_vector == 14 ? ", cr2 " : ", cr2 was ",
			 c->exc_cr2);
}

static void *run_vcpu_thread(void *arg)
{
	struct run_vcpu *v = arg;
	struct run_ctx *ctx = v->ctx;
	struct guest_ctrl *c = v->ctrl;
	struct kvm_run *run = v->vcpu->run;
	struct kvm_regs regs;
	char err[256];
	int ret;

	if (v->cpu >= 0 && topo_pin_current_thread(ctx->topo, v->cpu, err, sizeof(err)) < 0) {
		run_vcpu_fail(v, -EINVAL, "vCPU %d: %s", v->index, err);
		return NULL;
	}
	topo_current_thread_cpus(ctx->topo, v->cpus_obtained, sizeof(v->cpus_obtained));

	for (;;) {
		ret = kvm_vcpu_run(v->vcpu);
		if (ret) {
			run_vcpu_fail(v, ret, "vCPU %d: KVM_RUN: %s", v->index, strerror(-ret));
			break;
		}
		if (run->exit_reason == KVM_EXIT_DIRTY_RING_FULL && ctx->scenario->ops->ring_full) {
			ret = ctx->scenario->ops->ring_full(ctx, v);
			if (ret) {
				run_vcpu_fail(v, ret, "vCPU %d: dirty ring full: %s", v->index,
					      strerror(-ret));
				break;
			}
			continue;
		}
		if (run->exit_reason != KVM_EXIT_IO || run->io.port != GUEST_UCALL_PORT) {
			kvm_vcpu_get_regs(v->vcpu, &regs);
			run_vcpu_fail(v, -EIO, "vCPU %d: unexpected exit %s at rip 0x%llx%s",
				      v->index, kvm_exit_reason_name(run->exit_reason), regs.rip,
				      run->exit_reason == KVM_EXIT_SHUTDOWN ?
				      " (the exception handler faulted too; after a shutdown SVM "
				      "resets the registers, so rip 0xfff0 says nothing)" : "");
			break;
		}
		if (c->ucall == UCALL_DONE)
			break;
		if (c->ucall == UCALL_ABORT) {
			run_vcpu_fail(v, -EIO,
				      "vCPU %d: guest assertion failed at %.64s:%u: %.128s (values %#" PRIx64 ", %#" PRIx64 ")",
				      v->index, c->abort_file, c->abort_line, c->abort_msg,
				      c->abort_args[0], c->abort_args[1]);
			break;
		}
		if (c->ucall == UCALL_EXCEPTION) {
			char what[160];

			run_describe_exception(c, what, sizeof(what));
			run_vcpu_fail(v, -EFAULT, "vCPU %d: guest exception %s", v->index, what);
			break;
		}
		if (c->ucall != UCALL_READY) {
			run_vcpu_fail(v, -EIO, "vCPU %d: unknown mailbox code %u", v->index, c->ucall);
			break;
		}
		struct guest_work w = { .op = GOP_EXIT };

		ret = ctx->aborted ? 0 : ctx->scenario->ops->work(ctx, v, &w);
		if (ctx->aborted)
			w.op = GOP_EXIT;
		if (!ret && run_log_segment(v, &w))
			ret = -ENOSPC;
		if (ret) {
			run_vcpu_fail(v, ret, "vCPU %d: scenario %s: %s", v->index, ctx->scenario->name,
				      ret == -ENOSPC ? "more than RUN_MAX_SEGMENTS hot-set changes" :
				      strerror(-ret));
			w.op = GOP_EXIT;
		}
		c->work = w;
		v->orders++;
	}
	v->ran_on_cpu = sched_getcpu();
	__atomic_store_n(&v->finished, true, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * SIGINT/SIGTERM/SIGHUP during a run: the one piece of global state, because
 * a signal handler can reach nothing else. The run stops at the next poll of
 * run_wait(), so every scenario and driver teardown (host knobs, swapfiles,
 * memcgs, tracefs instances) still runs. SA_RESETHAND: a second signal kills.
 */
static volatile sig_atomic_t run_signalled;

static void run_on_signal(int sig)
{
	run_signalled = sig;
}

/* The kick's handler does nothing: the signal only has to end KVM_RUN (-EINTR). */
#define RUN_KICK_SIGNAL SIGUSR1

static void run_on_kick(int sig)
{
	(void)sig;
}

static void run_catch_signals(void)
{
	struct sigaction stop = { .sa_handler = run_on_signal, .sa_flags = SA_RESTART | SA_RESETHAND };
	struct sigaction kick = { .sa_handler = run_on_kick };

	run_signalled = 0;
	sigemptyset(&stop.sa_mask);
	sigaction(SIGINT, &stop, NULL);
	sigaction(SIGTERM, &stop, NULL);
	sigaction(SIGHUP, &stop, NULL);
	sigemptyset(&kick.sa_mask);
	sigaction(RUN_KICK_SIGNAL, &kick, NULL);
}

/* After the run: Ctrl-C is an ordinary kill again. */
static void run_release_signals(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
}

/* Still inside the KVM_RUN it was in when the kick began? */
static bool run_kick_pending(const struct run_vcpu *v, unsigned long seen)
{
	return __atomic_load_n(&v->vcpu->in_run, __ATOMIC_SEQ_CST) &&
	       __atomic_load_n(&v->vcpu->run_returns, __ATOMIC_SEQ_CST) == seen;
}

int run_kick_vcpus(struct run_ctx *ctx, uint64_t *ns, char *err, size_t errlen)
{
	unsigned long seen[GUEST_MAX_VCPUS];
	uint64_t t0 = now_ns(), sent = 0;
	bool pending;

	/* the default 50 us timer slack would dominate the 20 us polls below */
	prctl(PR_SET_TIMERSLACK, 1000);
	for (int i = 0; i < ctx->nvcpus; i++)
		seen[i] = __atomic_load_n(&ctx->vcpus[i].vcpu->run_returns, __ATOMIC_SEQ_CST);
	do {
		uint64_t now = now_ns();
		/* resent every 200 us: one may have landed just before KVM_RUN began */
		bool send = !sent || now - sent > 200000;

		pending = false;
		for (int i = 0; i < ctx->nvcpus; i++) {
			/* outside KVM_RUN, its last exit already flushed whatever it buffered */
			if (!run_kick_pending(&ctx->vcpus[i], seen[i]))
				continue;
			pending = true;
			if (send)
				pthread_kill(ctx->vcpus[i].thread, RUN_KICK_SIGNAL);
		}
		if (send)
			sent = now;
		/* generous: under emulation (the rig's TCG) a kick can take long */
		if (pending && now - t0 > 30000000000ull)
			return errf(err, errlen, -ETIMEDOUT,
				    "a vCPU did not leave KVM_RUN within 30 s of a kick");
		if (pending) {
			struct timespec ts = { 0, 20 * 1000 };

			/* sleeping, not spinning: the kicked thread may need this CPU */
			nanosleep(&ts, NULL);
		}
	} while (pending);
	*ns = now_ns() - t0;
	return 0;
}

/* Every epoch interval, the scenario's epoch(); returns its error, if any. */
static int run_epoch(struct run_ctx *ctx, uint64_t now, uint64_t *next, unsigned int *n,
		     char *err, size_t errlen)
{
	int ret;

	if (!ctx->scenario->ops->epoch || !ctx->epoch_interval_ns || ctx->stopping ||
	    ctx->aborted || now < *next)
		return 0;
	ret = ctx->scenario->ops->epoch(ctx, (*n)++, err, errlen);
	*next += ctx->epoch_interval_ns;
	if (*next < now_ns())
		*next = now_ns() + ctx->epoch_interval_ns;	/* a slow pass: no catch-up burst */
	if (ret > 0)
		ctx->stopping = true;
	if (ret < 0)
		run_abort(ctx);
	return ret < 0 ? ret : 0;
}

/*
 * Waits for the vCPU threads, calling the scenario's epochs and printing
 * progress every few seconds on long runs. Returns an epoch's error, or 0.
 */
/*
 * A vCPU that stays inside one KVM_RUN for --stall-timeout seconds while its
 * cursor and populated count stand still is hung (in the guest or in KVM):
 * the run fails naming it, and every vCPU thread is kicked out for good.
 */
struct run_stall {
	uint64_t key[GUEST_MAX_VCPUS];	/* progress + KVM_RUN returns when last seen */
	uint64_t since[GUEST_MAX_VCPUS];	/* when it last changed */
	bool stopping;
};

static int run_check_stall(struct run_ctx *ctx, struct run_stall *st, uint64_t now,
			   char *err, size_t errlen)
{
	uint64_t limit = ctx->cfg->stall_s * 1000000000ull;

	if (!limit || st->stopping)
		return 0;
	for (int i = 0; i < ctx->nvcpus; i++) {
		struct run_vcpu *v = &ctx->vcpus[i];
		uint64_t key = v->ctrl->cursor + v->ctrl->populated +
			       __atomic_load_n(&v->vcpu->run_returns, __ATOMIC_SEQ_CST);

		if (key != st->key[i] || !st->since[i] ||
		    !__atomic_load_n(&v->vcpu->in_run, __ATOMIC_SEQ_CST)) {
			st->key[i] = key;
			st->since[i] = now;
			continue;
		}
		if (now - st->since[i] < limit)
			continue;
		st->stopping = true;
		run_abort(ctx);
		for (int j = 0; j < ctx->nvcpus; j++)
			__atomic_store_n(&ctx->vcpus[j].vcpu->stop, true, __ATOMIC_SEQ_CST);
		return errf(err, errlen, -ETIMEDOUT,
			    "vCPU %d made no progress for %" PRIu64 " s inside KVM_RUN (cursor %" PRIu64
			    ", populated %" PRIu64 "): a hang in the guest or in KVM; stopped "
			    "(--stall-timeout)", i, ctx->cfg->stall_s, (uint64_t)v->ctrl->cursor,
			    (uint64_t)v->ctrl->populated);
	}
	return 0;
}

/* After a stall: signals until every vCPU thread has left KVM_RUN and ended. */
static void run_kick_stopped(struct run_ctx *ctx)
{
	for (int i = 0; i < ctx->nvcpus; i++)
		if (!__atomic_load_n(&ctx->vcpus[i].finished, __ATOMIC_ACQUIRE))
			pthread_kill(ctx->vcpus[i].thread, RUN_KICK_SIGNAL);
}

static int run_wait(struct run_ctx *ctx, char *err, size_t errlen)
{
	uint64_t start = now_ns(), last = start, next = start + ctx->epoch_interval_ns;
	struct run_stall stall = { 0 };
	unsigned int nepoch = 0;
	int ret = 0;
	bool all;

	do {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		uint64_t populated = 0, accesses = 0, now;

		nanosleep(&ts, NULL);
		all = true;
		for (int i = 0; i < ctx->nvcpus; i++) {
			all &= __atomic_load_n(&ctx->vcpus[i].finished, __ATOMIC_ACQUIRE);
			populated += ctx->vcpus[i].ctrl->populated;
			accesses += ctx->vcpus[i].ctrl->cursor;
		}
		now = now_ns();
		if (!ret)
			ret = run_epoch(ctx, now, &next, &nepoch, err, errlen);
		if (!ret)
			ret = run_check_stall(ctx, &stall, now, err, errlen);
		if (stall.stopping)
			run_kick_stopped(ctx);
		if (run_signalled && !ret) {
			ret = errf(err, errlen, -EINTR, "interrupted by signal %d: stopped cleanly",
				   (int)run_signalled);
			run_abort(ctx);
		}
		if (!all && !ctx->cfg->quiet && now - last >= 5000000000ull) {
			fprintf(stderr, "mmubench: %4.0fs: %" PRIu64 " pages populated of %" PRIu64
				", %" PRIu64 " accesses done\n", (now - start) / 1e9, populated,
				ctx->nvcpus * ctx->pages_per_vcpu, accesses);
			last = now;
		}
	} while (!all);
	for (int i = 0; i < ctx->nvcpus; i++)
		pthread_join(ctx->vcpus[i].thread, NULL);
	return ret;
}

/* Memory regions: backing, NUMA binding, memslot, guest mapping, zipf table. */
static int run_regions_up(struct run_ctx *ctx, int node, char *err, size_t errlen)
{
	const struct run_config *cfg = ctx->cfg;
	uint64_t gpa = GUEST_DATA_GPA;
	int ret;

	for (int i = 0; i < ctx->nregions; i++) {
		struct run_region *r = &ctx->regions[i];

		r->slot = 1 + i;
		r->size = cfg->mem_per_vcpu;
		r->gpa = gpa;
		gpa += (r->size + (1ull << 30) - 1) & ~((1ull << 30) - 1);
		ret = backing_map(backing_kinds[cfg->backing], r->size, cfg->backing_path, ctx->vm,
				  &r->backing, err, errlen);
		if (ret)
			return ret;
		ret = topo_bind_memory(r->backing.hva, r->size, node, err, errlen);
		if (ret)
			return ret;
		ret = kvm_memslot_add(ctx->vm, r->slot, r->gpa, r->backing.hva, r->size,
				      r->backing.memslot_flags, r->backing.guest_memfd, 0, err, errlen);
		if (ret)
			return ret;
		ret = vm_map(ctx->layout, r->gpa, r->gpa, r->size, ctx->guest_page_size, err, errlen);
		if (ret)
			return ret;
		if (cfg->pattern == PATTERN_ZIPF) {
			r->zipf_gpa = vm_heap_alloc(ctx->layout, ctx->pages_per_vcpu * sizeof(uint32_t));
			if (!r->zipf_gpa)
				return errf(err, errlen, -ENOSPC, "no room for the zipf table");
			ret = zipf_build_cdf(kvm_gpa_to_hva(ctx->vm, r->zipf_gpa), ctx->pages_per_vcpu,
					     cfg->zipf_theta);
			if (ret)
				return errf(err, errlen, ret, "zipf table: bad parameters");
		}
	}
	return 0;
}

static void run_pattern_init(struct run_ctx *ctx, struct run_vcpu *v)
{
	const struct run_config *cfg = ctx->cfg;
	struct pattern *p = &v->pattern;
	uint64_t hot = (uint64_t)(cfg->hot_frac * ctx->pages_per_vcpu);

	*p = (struct pattern){
		.kind = cfg->pattern,
		.vcpu = v->index,
		.seed = cfg->seed,
		.npages = ctx->pages_per_vcpu,
		.hot_first = 0,
		.hot_pages = hot ? hot : 1,
		.hot_pct = cfg->hot_pct,
		.write_pct = cfg->write_pct,
		.zipf_cdf = v->region->zipf_gpa,
	};
	v->host_pattern = *p;
	if (v->region->zipf_gpa)
		v->host_pattern.zipf_cdf = (uintptr_t)kvm_gpa_to_hva(ctx->vm, v->region->zipf_gpa);
}

static int run_vcpus_up(struct run_ctx *ctx, const int *cpus, int ncpus, char *err, size_t errlen)
{
	int ret;

	for (int i = 0; i < ctx->nvcpus; i++) {
		struct run_vcpu *v = &ctx->vcpus[i];

		v->ctx = ctx;
		v->index = i;
		v->cpu = ncpus ? cpus[i] : -1;
		v->region = &ctx->regions[ctx->cfg->shared ? 0 : i];
		ret = kvm_vcpu_create(ctx->vm, i, &v->vcpu, err, errlen);
		if (ret)
			return ret;
		kvm_stats_open(v->vcpu->fd, &v->stats, NULL, 0);	/* optional */
		ret = vm_vcpu_start(ctx->layout, v->vcpu, ctx->cpl, err, errlen);
		if (ret)
			return ret;
		v->ctrl = vm_ctrl(ctx->layout, i);
		run_pattern_init(ctx, v);
		v->segments = calloc(RUN_MAX_SEGMENTS, sizeof(*v->segments));
		if (!v->segments)
			return errf(err, errlen, -ENOMEM, "out of memory");
		v->segments[0] = (struct run_segment){ 0, v->pattern.hot_first };
		v->nsegments = 1;
	}
	ctx->tsc_khz = kvm_vcpu_tsc_khz(ctx->vcpus[0].vcpu);
	if (!ctx->tsc_khz)
		return errf(err, errlen, -EOPNOTSUPP, "KVM_GET_TSC_KHZ is not available: guest timings cannot be converted");
	return 0;
}

/* What was obtained, read back: CPUs each vCPU thread was bound to, nodes of the memory. */
static void run_record_placement(struct run_ctx *ctx)
{
	struct json_object *pl = ctx->rec->placement, *vcpus, *regions;

	json_object_object_add(pl, "cpl", json_object_new_int(ctx->cpl));
	json_object_object_add(pl, "cpl_reason", json_object_new_string(ctx->cpl_reason));
	json_object_object_add(pl, "tsc_khz", json_object_new_int64(ctx->tsc_khz));
	vcpus = json_object_new_array();
	for (int i = 0; i < ctx->nvcpus; i++) {
		struct run_vcpu *v = &ctx->vcpus[i];
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "vcpu", json_object_new_int(i));
		json_object_object_add(o, "cpu_requested", v->cpu >= 0 ? json_object_new_int(v->cpu) : NULL);
		json_object_object_add(o, "cpus_bound", json_object_new_string(v->cpus_obtained));
		json_object_object_add(o, "last_ran_on", json_object_new_int(v->ran_on_cpu));
		json_object_object_add(o, "node", json_object_new_int(topo_node_of_cpu(ctx->topo, v->ran_on_cpu)));
		json_object_array_add(vcpus, o);
	}
	json_object_object_add(pl, "vcpus", vcpus);

	regions = json_object_new_array();
	for (int i = 0; i < ctx->nregions; i++) {
		struct run_region *r = &ctx->regions[i];
		struct json_object *o = json_object_new_object(), *nodes = json_object_new_object();
		uint64_t per_node[RUN_MAX_NODES + 1] = { 0 };
		char key[16];

		json_object_object_add(o, "slot", json_object_new_int(r->slot));
		json_object_object_add(o, "gpa", json_object_new_uint64(r->gpa));
		json_object_object_add(o, "bytes", json_object_new_uint64(r->size));
		json_object_object_add(o, "backing", json_object_new_string(r->backing.desc->name));
		json_object_object_add(o, "node_requested", json_object_new_string(ctx->cfg->mem_node));
		if (!topo_memory_nodes(r->backing.hva, r->size, 4096, per_node, RUN_MAX_NODES)) {
			for (int n = 0; n < RUN_MAX_NODES; n++) {
				if (!per_node[n])
					continue;
				snprintf(key, sizeof(key), "%d", n);
				json_object_object_add(nodes, key, json_object_new_uint64(per_node[n]));
			}
			json_object_object_add(o, "pages_not_present",
					       json_object_new_uint64(per_node[RUN_MAX_NODES]));
		}
		json_object_object_add(o, "pages_per_node", nodes);
		json_object_array_add(regions, o);
	}
	json_object_object_add(pl, "regions", regions);
}

static void run_teardown(struct run_ctx *ctx)
{
	for (int i = 0; i < ctx->nvcpus; i++) {
		free(ctx->vcpus[i].segments);
		kvm_stats_close(ctx->vcpus[i].stats);
		kvm_vcpu_destroy(ctx->vcpus[i].vcpu);
	}
	kvm_stats_close(ctx->vm_stats);
	for (int i = 0; i < ctx->nregions; i++)
		if (ctx->regions[i].backing.desc)
			backing_unmap(&ctx->regions[i].backing);
	vm_layout_destroy(ctx->layout);
	kvm_vm_destroy(ctx->vm);
}

static int run_resolve_cpl(struct run_ctx *ctx)
{
	bool pvm = kvm_probe_flavour() == KVM_FLAVOUR_PVM;

	switch (ctx->cfg->cpl) {
	case RUN_CPL_0:
		ctx->cpl = 0;
		ctx->cpl_reason = pvm ? "--cpl 0: on PVM every guest instruction at CPL0 is emulated"
				      : "--cpl 0";
		break;
	case RUN_CPL_3:
		ctx->cpl = 3;
		ctx->cpl_reason = "--cpl 3";
		break;
	default:
		ctx->cpl = pvm ? 3 : 0;
		ctx->cpl_reason = pvm ? "auto: PVM host, guest code at CPL3 runs natively (CPL0 would be emulated)"
				      : "auto: CPL0, as the KVM selftests run";
	}
	return ctx->cpl;
}

int runner_run(const struct scenario_desc *scn, const struct run_config *cfg, void *scfg,
	       struct topo *topo, struct record *rec, char *err, size_t errlen)
{
	struct run_ctx *ctx;
	int cpus[GUEST_MAX_VCPUS * 4], ncpus, node, ret;
	uint64_t heap;

	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return errf(err, errlen, -ENOMEM, "out of memory");
	ctx->scenario = scn;
	ctx->cfg = cfg;
	ctx->scfg = scfg;
	ctx->rec = rec;
	ctx->topo = topo;
	ctx->nvcpus = cfg->vcpus;
	pthread_mutex_init(&ctx->lock, NULL);
	pthread_cond_init(&ctx->cond, NULL);
	ctx->nregions = cfg->shared ? 1 : cfg->vcpus;
	ctx->guest_page_size = cfg->guest_page == RUN_GUEST_PAGE_2M ? 2 << 20 : 4096;
	/* patterns address 4K pages even under 2M guest mappings: KVM and mm track 4K */
	ctx->pages_per_vcpu = cfg->mem_per_vcpu / 4096;
	run_resolve_cpl(ctx);
	if (!cfg->quiet)
		fprintf(stderr, "mmubench: guest at CPL%d (%s)\n", ctx->cpl, ctx->cpl_reason);

	ncpus = run_pin_plan(cfg, topo, cpus, err, errlen);
	if (ncpus < 0 || run_parse_mem_node(cfg->mem_node, &node)) {
		free(ctx);
		return ncpus < 0 ? ncpus : errf(err, errlen, -EINVAL, "bad --mem-node");
	}

	ret = kvm_probe_usable(err, errlen);
	if (ret)
		goto out_free;
	run_catch_signals();
	ret = kvm_vm_create(&ctx->vm, err, errlen);
	if (ret)
		goto out_free;
	kvm_stats_open(ctx->vm->vm_fd, &ctx->vm_stats, NULL, 0);	/* optional */
	heap = cfg->pattern == PATTERN_ZIPF ? ctx->nregions * ctx->pages_per_vcpu * 4 : 0;
	ret = vm_layout_create(ctx->vm, ctx->nregions * cfg->mem_per_vcpu, heap, &ctx->layout,
			       err, errlen);
	if (ret)
		goto out;
	ret = run_regions_up(ctx, node, err, errlen);
	if (ret)
		goto out;
	/* from here on the scenario may hold state: its teardown runs on every path */
	ret = scn->ops->prepare ? scn->ops->prepare(ctx, err, errlen) : 0;
	if (ret)
		goto out_scenario;
	ret = run_vcpus_up(ctx, cpus, ncpus, err, errlen);
	if (ret)
		goto out_scenario;

	ret = scn->ops->setup ? scn->ops->setup(ctx, err, errlen) : 0;
	if (ret)
		goto out_scenario;
	ret = scn->ops->start ? scn->ops->start(ctx, err, errlen) : 0;
	if (ret)
		goto out_scenario;

	for (int i = 0; i < ctx->nvcpus; i++) {
		ret = -pthread_create(&ctx->vcpus[i].thread, NULL, run_vcpu_thread, &ctx->vcpus[i]);
		if (ret) {
			/* vCPUs already started would wait at a barrier forever: give up loudly */
			fprintf(stderr, "mmubench: pthread_create for vCPU %d: %s\n", i, strerror(-ret));
			abort();
		}
	}
	ret = run_wait(ctx, err, errlen);
	if (ret)
		goto out_scenario;
	for (int i = 0; i < ctx->nvcpus; i++) {
		if (ctx->vcpus[i].status) {
			ret = errf(err, errlen, ctx->vcpus[i].status, "%s", ctx->vcpus[i].err);
			goto out_scenario;
		}
	}
	run_record_placement(ctx);
	ret = scn->ops->stop ? scn->ops->stop(ctx, err, errlen) : 0;
out_scenario:
	if (scn->ops->teardown)
		scn->ops->teardown(ctx);
out:
	run_teardown(ctx);
	run_release_signals();
out_free:
	free(ctx);
	return ret;
}
