// SPDX-License-Identifier: GPL-2.0
/*
 * The dirty scenario's modes: how logging is enabled and how one harvest
 * collects the dirty pages, as live migration does it.
 *   bitmap: KVM_GET_DIRTY_LOG per memslot.
 *   clear:  manual protect; GET, then KVM_CLEAR_DIRTY_LOG in --clear-chunk chunks.
 *   ring:   per-vCPU dirty rings, collected by the host and, when one fills,
 *           by its own vCPU thread; KVM_RESET_DIRTY_RINGS after each.
 */
#include <errno.h>
#include <string.h>

#include "src/lib/bitmap.h"
#include "src/lib/util.h"
#include "workloads/dirty.h"
#include "workloads/scenario.h"

/* bitmap and clear: GET (and CLEAR) on every memslot. */
static int dirty_log_harvest(struct run_ctx *ctx, struct dirty_state *st, unsigned int e,
			     bool clear_too, char *err, size_t errlen)
{
	const struct dirty_config *cfg = ctx->scfg;
	uint64_t get = 0, clear = 0, ns;
	int ret;

	for (int r = 0; r < ctx->nregions; r++) {
		struct dirty_slot *s = &st->slot[r];

		ret = dirty_log_get(ctx->vm, s->slot, s->got, &ns, err, errlen);
		if (ret < 0)
			return ret;
		get += ns;
		if (!clear_too)
			continue;
		/* returns the number of KVM_CLEAR_DIRTY_LOG calls */
		ret = dirty_log_clear(ctx->vm, s->slot, s->got, s->npages, cfg->clear_chunk,
				      &ns, err, errlen);
		if (ret < 0)
			return ret;
		clear += ns;
	}
	st->s[DM_GET_PER_GIB][e] = get / 1e6 / st->gib;
	st->s[DM_CLEAR_PER_GIB][e] = clear / 1e6 / st->gib;
	return 0;
}

static int dirty_bitmap_harvest(struct run_ctx *ctx, struct dirty_state *st, unsigned int e,
				char *err, size_t errlen)
{
	return dirty_log_harvest(ctx, st, e, false, err, errlen);
}

static int dirty_clear_prepare(struct run_ctx *ctx, struct dirty_state *st, char *err,
			       size_t errlen)
{
	const struct dirty_config *cfg = ctx->scfg;

	/* on before logging starts */
	return dirty_log_enable_manual_protect(ctx->vm, cfg->initially_set, err, errlen);
}

static int dirty_clear_harvest(struct run_ctx *ctx, struct dirty_state *st, unsigned int e,
			       char *err, size_t errlen)
{
	return dirty_log_harvest(ctx, st, e, true, err, errlen);
}

static int dirty_ring_prepare(struct run_ctx *ctx, struct dirty_state *st, char *err,
			      size_t errlen)
{
	const struct dirty_config *cfg = ctx->scfg;

	/* before any vCPU exists */
	return dirty_log_enable_ring(ctx->vm, cfg->ring_size, cfg->ring_acq_rel, err, errlen);
}

static int dirty_ring_setup_vcpu(struct run_ctx *ctx, struct dirty_state *st, struct run_vcpu *v,
				 char *err, size_t errlen)
{
	const struct dirty_config *cfg = ctx->scfg;

	return dirty_ring_map(v->vcpu, cfg->ring_size, &st->ring[v->index], err, errlen);
}

static void dirty_ring_mark(void *arg, uint32_t slot, uint64_t offset)
{
	struct dirty_state *st = arg;

	for (int r = 0; r < GUEST_MAX_VCPUS && st->slot[r].got; r++)
		if (st->slot[r].slot == (slot & 0xffff) && offset < st->slot[r].npages)
			bitmap_set(st->slot[r].pending, offset);
}

/* A vCPU whose ring is full collects it itself (into pending) and resets, then runs on. */
static int dirty_ring_exit(struct run_ctx *ctx, struct dirty_state *st, struct run_vcpu *v,
			   uint32_t exit_reason)
{
	uint64_t ns;
	int ret;

	if (exit_reason != KVM_EXIT_DIRTY_RING_FULL)
		return SCENARIO_EXIT_NOT_MINE;
	pthread_mutex_lock(&st->ring_lock);
	dirty_ring_harvest(&st->ring[v->index], dirty_ring_mark, st);
	ret = dirty_ring_reset(ctx->vm, &ns);
	st->value[DM_RING_FULL_EXITS]++;
	pthread_mutex_unlock(&st->ring_lock);
	return ret < 0 ? ret : SCENARIO_EXIT_HANDLED;
}

static int dirty_ring_harvest_all(struct run_ctx *ctx, struct dirty_state *st, unsigned int e,
				  char *err, size_t errlen)
{
	uint64_t harvest, reset = 0, kick = 0, t0;
	int ret;

	/*
	 * Intel PML buffers dirty GFNs per vCPU and pushes them to the ring
	 * only at a VM exit: every vCPU leaves KVM_RUN once first, as QEMU
	 * does before it reaps (kvm_cpu_synchronize_kick_all()).
	 */
	ret = run_kick_vcpus(ctx, &kick, err, errlen);
	if (ret)
		return ret;
	pthread_mutex_lock(&st->ring_lock);
	t0 = now_ns();
	for (int i = 0; i < ctx->nvcpus; i++)
		dirty_ring_harvest(&st->ring[i], dirty_ring_mark, st);
	harvest = now_ns() - t0;
	ret = dirty_ring_reset(ctx->vm, &reset);
	for (int r = 0; r < ctx->nregions; r++) {
		memcpy(st->slot[r].got, st->slot[r].pending,
		       BITMAP_WORDS(st->slot[r].npages) * sizeof(unsigned long));
		bitmap_clear_all(st->slot[r].pending, st->slot[r].npages);
	}
	pthread_mutex_unlock(&st->ring_lock);
	if (ret < 0)
		return errf(err, errlen, ret, "KVM_RESET_DIRTY_RINGS: %s", strerror(-ret));
	st->s[DM_HARVEST_PER_GIB][e] = harvest / 1e6 / st->gib;
	st->s[DM_RESET_PER_GIB][e] = reset / 1e6 / st->gib;
	st->s[DM_KICK_US][e] = kick / 1e3;
	return 0;
}

static const struct dirty_mode dirty_mode_bitmap = {
	.name = "bitmap",
	.harvest = dirty_bitmap_harvest,
	.metrics = (const int[]){ DM_GET_PER_GIB, -1 },
};

static const struct dirty_mode dirty_mode_clear = {
	.name = "clear",
	.prepare = dirty_clear_prepare,
	.harvest = dirty_clear_harvest,
	.metrics = (const int[]){ DM_GET_PER_GIB, DM_CLEAR_PER_GIB, -1 },
};

static const struct dirty_mode dirty_mode_ring = {
	.name = "ring",
	.prepare = dirty_ring_prepare,
	.setup_vcpu = dirty_ring_setup_vcpu,
	.harvest = dirty_ring_harvest_all,
	.exit = dirty_ring_exit,
	.metrics = (const int[]){ DM_HARVEST_PER_GIB, DM_RESET_PER_GIB, DM_KICK_US,
				  DM_RING_FULL_EXITS, -1 },
};

#define DIRTY_MODE_PTR(m) &dirty_mode_##m,

const struct dirty_mode *const dirty_modes[] = { DIRTY_MODES(DIRTY_MODE_PTR) NULL };

const char *dirty_mode_name(size_t i)
{
	return i < ARRAY_SIZE(dirty_modes) - 1 ? dirty_modes[i]->name : NULL;
}
