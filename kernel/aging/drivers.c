// SPDX-License-Identifier: GPL-2.0
/*
 * The aging drivers (kernel/aging/driver.h), from the registry the build makes
 * of kernel/aging/local.mk's AGING_DRIVERS (kernel/aging/drivers.def).
 */
#include <stddef.h>
#include <string.h>

#include "kernel/aging/driver.h"
#include "src/lib/strbuf.h"
#include "src/lib/util.h"

#define AGING_DRIVER(n) extern const struct aging_driver_desc aging_driver_##n;
#include "kernel/aging/drivers.def"
#undef AGING_DRIVER

const struct aging_driver_desc *const aging_drivers[] = {
#define AGING_DRIVER(n) &aging_driver_##n,
#include "kernel/aging/drivers.def"
#undef AGING_DRIVER
	NULL
};

#define AGING_NDRIVERS (ARRAY_SIZE(aging_drivers) - 1)

const char *aging_driver_name(size_t i)
{
	return i < AGING_NDRIVERS ? aging_drivers[i]->name : NULL;
}

/* Driver @d's table is the first of its kind (one shared table is one group). */
static bool aging_options_first(size_t d)
{
	for (size_t i = 0; i < d; i++)
		if (aging_drivers[i]->options == aging_drivers[d]->options)
			return false;
	return aging_drivers[d]->options != NULL;
}

/*
 * Each distinct table with a --help heading naming its drivers, made once:
 * "Options of --driver mglru, memcg, pageout".
 */
static struct opt_table aging_tables[AGING_NDRIVERS];
static char aging_titles[AGING_NDRIVERS][128];

static size_t aging_tables_init(void)
{
	static size_t n = (size_t)-1;

	if (n != (size_t)-1)
		return n;
	n = 0;
	for (size_t d = 0; d < AGING_NDRIVERS; d++) {
		struct strbuf sb = STRBUF_INIT;

		if (!aging_options_first(d))
			continue;
		strbuf_addstr(&sb, "Options of --driver ");
		for (size_t i = d, k = 0; i < AGING_NDRIVERS; i++)
			if (aging_drivers[i]->options == aging_drivers[d]->options)
				strbuf_addf(&sb, "%s%s", k++ ? ", " : "", aging_drivers[i]->name);
		snprintf(aging_titles[n], sizeof(aging_titles[n]), "%s", sb.buf);
		strbuf_release(&sb);
		aging_tables[n] = *aging_drivers[d]->options;
		aging_tables[n].title = aging_titles[n];
		n++;
	}
	return n;
}

const struct opt_table *aging_driver_options(size_t i)
{
	return i < aging_tables_init() ? &aging_tables[i] : NULL;
}
