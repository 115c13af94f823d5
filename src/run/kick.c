// SPDX-License-Identifier: GPL-2.0
/*
 * The kick: making every vCPU leave KVM_RUN once (dirty rings under PML), and
 * for good after a stall. A signal with an empty handler ends KVM_RUN with
 * -EINTR; kvm_vcpu_run() goes back in unless vcpu->stop is set.
 */
#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <time.h>

#include "src/run/internal.h"
#include "src/lib/util.h"

/* The kick's handler does nothing: the signal only has to end KVM_RUN (-EINTR). */
static void run_on_kick(int sig)
{
	(void)sig;
}

void run_kick_install(void)
{
	struct sigaction kick = { .sa_handler = run_on_kick };

	sigemptyset(&kick.sa_mask);
	sigaction(RUN_KICK_SIGNAL, &kick, NULL);
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

/* After a stall: signals until every vCPU thread has left KVM_RUN and ended. */
void run_kick_stopped(struct run_ctx *ctx)
{
	for (int i = 0; i < ctx->nvcpus; i++)
		if (!__atomic_load_n(&ctx->vcpus[i].finished, __ATOMIC_ACQUIRE))
			pthread_kill(ctx->vcpus[i].thread, RUN_KICK_SIGNAL);
}
