/* SPDX-License-Identifier: GPL-2.0 */
/* The /proc/vmstat counters that tell what reclaim cost: refaults and swap-ins. */
#ifndef MMUBENCH_VMSTAT_H
#define MMUBENCH_VMSTAT_H

#include <stdint.h>

struct aging_vmstat {
	uint64_t refaults;	/* workingset_refault_anon + workingset_refault_file */
	uint64_t swapins;	/* pswpin */
	uint64_t swapouts;	/* pswpout */
};

/* Reads /proc/vmstat; missing counters stay 0. Returns 0 or -errno. */
int aging_vmstat_read(struct aging_vmstat *v);

#endif
