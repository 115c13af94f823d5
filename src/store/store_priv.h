/* SPDX-License-Identifier: GPL-2.0 */
/* The store's handle, shared by its writer (store.c) and its reader (store_read.c) only. */
#ifndef MMUBENCH_STORE_PRIV_H
#define MMUBENCH_STORE_PRIV_H

#include <sqlite3.h>

struct store {
	sqlite3 *db;
	char *path;
};

#endif
