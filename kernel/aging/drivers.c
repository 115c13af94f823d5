// SPDX-License-Identifier: GPL-2.0
/* The aging drivers (kernel/aging/driver.h): adding one is one line here. */
#include <stddef.h>

#include "kernel/aging/driver.h"

extern const struct aging_driver_desc aging_driver_mglru;	/* drv_mglru.c */
extern const struct aging_driver_desc aging_driver_memcg;	/* drv_memcg.c */
extern const struct aging_driver_desc aging_driver_pageout;	/* drv_pageout.c */
extern const struct aging_driver_desc aging_driver_damon;	/* drv_damon.c */
extern const struct aging_driver_desc aging_driver_idle;	/* drv_idle.c */
extern const struct aging_driver_desc aging_driver_none;	/* drv_none.c: the control */

const struct aging_driver_desc *const aging_drivers[] = {
	&aging_driver_mglru,
	&aging_driver_memcg,
	&aging_driver_pageout,
	&aging_driver_damon,
	&aging_driver_idle,
	&aging_driver_none,
	NULL
};

const char *const aging_driver_names[] = {
	"mglru",
	"memcg",
	"pageout",
	"damon",
	"idle",
	"none",
	NULL
};
