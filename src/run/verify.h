/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MMUBENCH_VERIFY_H
#define MMUBENCH_VERIFY_H

#include "src/run/runner.h"

/*
 * Adds the check "memory_contents": word v of every page holds vCPU v's stamp
 * iff the pattern replayed up to v's final cursor wrote that page, and is
 * still zero otherwise. Catches lost writes across eviction, swap-in, KSM...
 * Returns 0, or -ENOMEM.
 */
int workload_verify_memory(struct run_ctx *ctx);

#endif
