/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the runner's files share and nobody else needs: the pieces of one
 * run that validate.c, vcpu.c, watch.c, kick.c and runner.c hand each other.
 * Scenarios see only src/run/runner.h.
 */
#ifndef MMUBENCH_RUN_INTERNAL_H
#define MMUBENCH_RUN_INTERNAL_H

#include <signal.h>

#include "src/run/runner.h"

/* The kick's signal; its handler does nothing (see kick.c). */
#define RUN_KICK_SIGNAL SIGUSR1

/* validate.c: "any" -> TOPO_NODE_ANY, "interleave" -> TOPO_INTERLEAVE, else the node number. */
int run_parse_mem_node(const char *text, int *node);
/* The PUs vCPUs get pinned to (count), 0 when they are not pinned, or -errno + message. */
int run_pin_plan(const struct run_config *cfg, struct topo *topo, int *cpus,
		 char *err, size_t errlen);

/* vcpu.c: marks the run aborted and releases every vCPU waiting at run_barrier(). */
void run_abort(struct run_ctx *ctx);
/* The thread of one vCPU (@arg: its struct run_vcpu), until its guest is done or fails. */
void *run_vcpu_thread(void *arg);

/* kick.c: installs the kick's empty handler. */
void run_kick_install(void);
/* After a stall: signals every vCPU thread that has not ended yet. */
void run_kick_stopped(struct run_ctx *ctx);

/* watch.c: SIGINT/SIGTERM/SIGHUP stop the run cleanly (and the kick's handler goes in). */
void run_catch_signals(void);
/* After the run: Ctrl-C is an ordinary kill again. */
void run_release_signals(void);
/* Waits for the vCPU threads (see watch.c); returns an epoch's error, or 0. */
int run_wait(struct run_ctx *ctx, char *err, size_t errlen);

#endif
