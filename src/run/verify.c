// SPDX-License-Identifier: GPL-2.0
/* The end-of-run check shared by scenarios: guest memory against the ground truth. */
#include <errno.h>
#include <inttypes.h>

#include "src/lib/bitmap.h"
#include "src/run/truth.h"
#include "src/run/verify.h"

/*
 * Every page's word of each vCPU holds its stamp iff the ground truth (from
 * the final cursor) says that vCPU wrote the page, and is still zero otherwise.
 */
int workload_verify_memory(struct run_ctx *ctx)
{
	uint64_t npages = ctx->pages_per_vcpu, bad = 0, checked = 0, first_bad = 0;
	int first_vcpu = -1;

	for (int i = 0; i < ctx->nvcpus; i++) {
		struct run_vcpu *v = &ctx->vcpus[i];
		unsigned long *written = bitmap_alloc(npages);
		const char *base = v->region->backing.hva;

		if (!written)
			return -ENOMEM;
		run_truth(v, 0, v->ctrl->cursor, NULL, written);
		for (uint64_t p = 0; p < npages; p++) {
			uint64_t word = ((const uint64_t *)(base + p * 4096))[v->index];
			uint64_t want = bitmap_test(written, p) ?
					pattern_stamp(v->pattern.seed, v->index, p) : 0;

			checked++;
			if (word != want && !bad++) {
				first_bad = p;
				first_vcpu = i;
			}
		}
		bitmap_free(written);
	}
	if (bad)
		record_add_check(ctx->rec, "memory_contents", STATUS_FAIL,
				 "%" PRIu64 " of %" PRIu64 " pages differ from the ground truth; "
				 "first: vCPU %d page %" PRIu64 " (gpa 0x%" PRIx64 ")",
				 bad, checked, first_vcpu, first_bad,
				 ctx->vcpus[first_vcpu].region->gpa + first_bad * 4096);
	else
		record_add_check(ctx->rec, "memory_contents", STATUS_PASS, NULL);
	return 0;
}
