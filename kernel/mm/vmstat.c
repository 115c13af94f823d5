// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kernel/mm/vmstat.h"

int aging_vmstat_read(struct aging_vmstat *v)
{
	char name[64];
	uint64_t val;
	FILE *f = fopen("/proc/vmstat", "r");

	*v = (struct aging_vmstat){ 0 };
	if (!f)
		return -errno;
	while (fscanf(f, "%63s %" SCNu64, name, &val) == 2) {
		if (!strcmp(name, "workingset_refault_anon") ||
		    !strcmp(name, "workingset_refault_file"))
			v->refaults += val;
		else if (!strcmp(name, "pswpin"))
			v->swapins = val;
		else if (!strcmp(name, "pswpout"))
			v->swapouts = val;
	}
	fclose(f);
	return 0;
}
