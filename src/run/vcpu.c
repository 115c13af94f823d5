// SPDX-License-Identifier: GPL-2.0
/*
 * The vCPU threads: each loops on KVM_RUN and serves its guest's mailbox
 * (orders from the scenario's work(), exceptions and assertions decoded into
 * the run's error), logs hot-set changes as segments for the ground truth,
 * and meets the others at run_barrier().
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "src/run/internal.h"
#include "src/run/truth.h"
#include "workloads/scenario.h"

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

void run_abort(struct run_ctx *ctx)
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

bool run_truth_access(const struct run_vcpu *v, uint64_t i, uint64_t *page)
{
	int n = __atomic_load_n(&v->nsegments, __ATOMIC_ACQUIRE), s;
	struct pattern p = v->host_pattern;

	for (s = n - 1; s > 0 && v->segments[s].first > i; s--)
		;
	if (n)
		p.hot_first = v->segments[s].hot_first;
	*page = pattern_page(&p, i);
	return p.write_pct && pattern_is_write(&p, i);
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

void *run_vcpu_thread(void *arg)
{
	struct run_vcpu *v = arg;
	struct run_ctx *ctx = v->ctx;
	struct guest_ctrl *c = v->ctrl;
	const struct scenario_ops *ops = ctx->scenario->ops;
	struct kvm_run *run = v->vcpu->run;
	struct kvm_regs regs;
	char err[256];
	bool ucall;
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
		ucall = run->exit_reason == KVM_EXIT_IO && run->io.port == GUEST_UCALL_PORT;
		/* any other exit may be the scenario's own (a full dirty ring) */
		ret = SCENARIO_EXIT_NOT_MINE;
		if (!ucall && ops->exit)
			ret = ops->exit(ctx, v, run->exit_reason);
		if (ret < 0) {
			run_vcpu_fail(v, ret, "vCPU %d: scenario %s, exit %u: %s", v->index,
				      ctx->scenario->name, run->exit_reason, strerror(-ret));
			break;
		}
		if (ret == SCENARIO_EXIT_HANDLED)
			continue;
		if (!ucall) {
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

		ret = ctx->aborted ? 0 : ops->work(ctx, v, &w);
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
