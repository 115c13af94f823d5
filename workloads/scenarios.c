// SPDX-License-Identifier: GPL-2.0
/* The scenario registry: adding a scenario is one file and one line here. */
#include <string.h>

#include "workloads/scenario.h"

extern const struct scenario_desc scenario_access;
extern const struct scenario_desc scenario_aging;
extern const struct scenario_desc scenario_dirty;

const struct scenario_desc *const scenarios[] = {
	&scenario_access,
	&scenario_aging,
	&scenario_dirty,
	NULL,
};

const struct scenario_desc *scenario_find(const char *name)
{
	for (int i = 0; scenarios[i]; i++)
		if (!strcmp(scenarios[i]->name, name))
			return scenarios[i];
	return NULL;
}
