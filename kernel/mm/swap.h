/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Swap for reclaim drivers: anonymous guest memory can only be evicted when
 * swap is active. When none is, a temporary swapfile is created, activated
 * and, on release, deactivated and deleted: the host is left as it was.
 */
#ifndef MMUBENCH_SWAP_H
#define MMUBENCH_SWAP_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SWAP_ZSWAP_ENABLED	"/sys/module/zswap/parameters/enabled"
#define SWAP_HINT \
	"no active swap (eviction drivers need it): fallocate -l 8G /swapfile && " \
	"mkswap /swapfile && swapon /swapfile; zswap (echo Y > " SWAP_ZSWAP_ENABLED ") " \
	"caches in front of it"

struct swap {
	char path[PATH_MAX];	/* our swapfile, "" when an existing swap was used */
	bool active;
};

/* Total bytes of active swap (from /proc/swaps). */
uint64_t swap_active_bytes(void);

/*
 * Makes sure some swap is active: when none is, creates a swapfile of @bytes
 * in @dir (default /var/tmp; it must be on a filesystem that supports
 * swapfiles, e.g. ext4 or xfs, not tmpfs) and turns it on.
 */
int swap_ensure(struct swap *s, uint64_t bytes, const char *dir, char *err, size_t errlen);
/* Turns our swapfile off and deletes it; nothing when we did not create one. */
void swap_release(struct swap *s);

/*
 * The prober's "mm.swap": fills @o with {"active": devices, "total_kb",
 * "devices": [{"name", "type", "size_kb", "used_kb", "priority"}], "zswap",
 * "hint"?}. 0 or -ENOMEM.
 */
struct json_object;
int swap_probe(struct json_object *o);

#endif
