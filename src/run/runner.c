// SPDX-License-Identifier: GPL-2.0
/*
 * One run, start to end: the VM and its memory regions come up (backing,
 * NUMA binding, memslots, guest mappings), then the vCPUs; the scenario's
 * ops are called in the order workloads/scenario.h gives; what was obtained
 * (CPL, CPUs, memory nodes) goes into the record; everything is torn down on
 * every path. The vCPU threads are in vcpu.c, the main thread's wait in
 * watch.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kernel/kvm/kvm_probe.h"
#include "src/run/internal.h"
#include "workloads/scenario.h"
#include "src/lib/util.h"
#include "src/stats/zipf.h"

#define RUN_MAX_NODES 64

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
				      r->backing.memslot_flags, r->backing.guest_memfd, 0, err,
				      errlen);
		if (ret)
			return ret;
		ret = vm_map(ctx->layout, r->gpa, r->gpa, r->size, ctx->guest_page_size, err,
			     errlen);
		if (ret)
			return ret;
		if (cfg->pattern == PATTERN_ZIPF) {
			r->zipf_gpa =
				vm_heap_alloc(ctx->layout, ctx->pages_per_vcpu * sizeof(uint32_t));
			if (!r->zipf_gpa)
				return errf(err, errlen, -ENOSPC, "no room for the zipf table");
			ret = zipf_build_cdf(kvm_gpa_to_hva(ctx->vm, r->zipf_gpa),
					     ctx->pages_per_vcpu, cfg->zipf_theta);
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
		return errf(err, errlen, -EOPNOTSUPP,
			    "KVM_GET_TSC_KHZ is not available: guest timings cannot be converted");
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
		json_object_object_add(o, "cpu_requested",
				       v->cpu >= 0 ? json_object_new_int(v->cpu) : NULL);
		json_object_object_add(o, "cpus_bound", json_object_new_string(v->cpus_obtained));
		json_object_object_add(o, "last_ran_on", json_object_new_int(v->ran_on_cpu));
		json_object_object_add(o, "node",
				       json_object_new_int(topo_node_of_cpu(ctx->topo,
									    v->ran_on_cpu)));
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
		json_object_object_add(o, "node_requested",
				       json_object_new_string(ctx->cfg->mem_node));
		if (!topo_memory_nodes(r->backing.hva, r->size, 4096, per_node, RUN_MAX_NODES)) {
			for (int n = 0; n < RUN_MAX_NODES; n++) {
				if (!per_node[n])
					continue;
				snprintf(key, sizeof(key), "%d", n);
				json_object_object_add(nodes, key,
						       json_object_new_uint64(per_node[n]));
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
		ctx->cpl_reason = pvm ? "--cpl 0: on PVM every guest instruction at CPL0 is "
					"emulated"
				      : "--cpl 0";
		break;
	case RUN_CPL_3:
		ctx->cpl = 3;
		ctx->cpl_reason = "--cpl 3";
		break;
	default:
		ctx->cpl = pvm ? 3 : 0;
		ctx->cpl_reason = pvm ? "auto: PVM host, guest code at CPL3 runs natively (CPL0 "
					"would be emulated)"
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
	if (ret) {
		run_release_signals();	/* nothing else is up yet */
		goto out_free;
	}
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
			fprintf(stderr, "mmubench: pthread_create for vCPU %d: %s\n", i,
				strerror(-ret));
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
