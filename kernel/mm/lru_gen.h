/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MGLRU's debugfs interface (Documentation/admin-guide/mm/multigen_lru.rst,
 * Documentation/mm/multigen_lru.rst): /sys/kernel/debug/lru_gen.
 *
 * Reading it prints, for every memcg, its id and path, then per NUMA node
 * one line per generation, oldest first:
 *
 *   memcg  MEMCG_ID  PATH
 *    node  NODE_ID
 *          MIN_GEN_NR  AGE_IN_MS  NR_ANON_PAGES  NR_FILE_PAGES
 *          ...
 *          MAX_GEN_NR  AGE_IN_MS  NR_ANON_PAGES  NR_FILE_PAGES
 *
 * lru_gen_full (read-only) prints the last MAX_NR_GENS generations, marks the
 * page counts of generations older than a type's min_seq with 'x', and
 * follows each generation line with per-tier lines (TIER and six figures
 * suffixed R/T/r/e/p) and a page-table-walk line (six figures suffixed
 * L/O/Y/N/F/A or l/o/y/n/f/a). The parser takes both.
 *
 * Writing a command acts on one memcg and node:
 *   + MEMCG_ID NODE_ID MAX_GEN_NR [CAN_SWAP [FORCE_SCAN]]   aging: a new youngest generation
 *   - MEMCG_ID NODE_ID MIN_GEN_NR [SWAPPINESS [NR_TO_RECLAIM]]
 *       eviction of generations up to MIN_GEN_NR, oldest first; MIN_GEN_NR
 *       must be at most MAX_GEN_NR - 2; newer kernels accept "max" as
 *       SWAPPINESS (anonymous memory only), 6.12 takes 0..200.
 */
#ifndef MMUBENCH_LRU_GEN_H
#define MMUBENCH_LRU_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LRU_GEN_DEBUGFS		"/sys/kernel/debug/lru_gen"
#define LRU_GEN_FULL_DEBUGFS	"/sys/kernel/debug/lru_gen_full"
#define LRU_GEN_DIR		"/sys/kernel/mm/lru_gen"
#define LRU_GEN_ENABLED		LRU_GEN_DIR "/enabled"
#define LRU_GEN_MIN_TTL		LRU_GEN_DIR "/min_ttl_ms"
#define LRU_GEN_ON_HINT		"echo y > " LRU_GEN_ENABLED
#define LRU_GEN_HINT		"CONFIG_LRU_GEN=y; " LRU_GEN_ON_HINT

/* MAX_NR_GENS is 4 in the kernel; the parser is liberal. */
#define LRU_GEN_MAX_GENS	16
/* Page-table walk figures of lru_gen_full, in print order (NR_MM_STATS). */
#define LRU_GEN_MM_STATS	6

struct lru_gen_gen {
	uint64_t seq;
	uint64_t age_ms;
	uint64_t nr_anon;
	uint64_t nr_file;
	bool anon_gone, file_gone;	/* lru_gen_full 'x': older than that type's min_seq */
	bool has_mm_stats;		/* lru_gen_full walk line present */
	char mm_marks[LRU_GEN_MM_STATS];	/* "LOYNFA", "loynfa" or blanks */
	uint64_t mm_stats[LRU_GEN_MM_STATS];
};

struct lru_gen_node {
	int nid;
	int nr_gens;
	struct lru_gen_gen gens[LRU_GEN_MAX_GENS];	/* oldest first */
};

struct lru_gen_memcg {
	uint64_t id;		/* what commands take (mem_cgroup_id) */
	/* cgroup path in the memory hierarchy: "/", "/a/b"; "" without memcg */
	char *path;
	int nr_nodes;
	struct lru_gen_node *nodes;
};

struct lru_gen_state {
	int nr_memcgs;
	struct lru_gen_memcg *memcgs;
};

/*
 * Parses the text of lru_gen or lru_gen_full into @out (which the caller
 * frees with lru_gen_state_free(), also after a failure). Returns 0, or
 * -EINVAL with a message naming the line number and its text, -ENOMEM.
 */
int lru_gen_parse(const char *text, struct lru_gen_state *out, char *err, size_t errlen);
void lru_gen_state_free(struct lru_gen_state *s);

/* Reads a debugfs file of any size into a new NUL-terminated buffer (free() it). */
int lru_gen_read_file(const char *path, char **text, char *err, size_t errlen);
/* lru_gen_read_file(LRU_GEN_DEBUGFS) + lru_gen_parse(). */
int lru_gen_snapshot(struct lru_gen_state *out, char *err, size_t errlen);

/* The memcg whose path is @path exactly, or NULL. */
const struct lru_gen_memcg *lru_gen_find_memcg(const struct lru_gen_state *s, const char *path);
const struct lru_gen_node *lru_gen_find_node(const struct lru_gen_memcg *m, int nid);

/* Oldest generation shown whose anon pages are not marked gone; 0 without generations. */
uint64_t lru_gen_min_seq(const struct lru_gen_node *n);
/* Youngest generation (MAX_GEN_NR); 0 without generations. */
uint64_t lru_gen_max_seq(const struct lru_gen_node *n);
/* Pages over all generations (anon + file, 'x'-marked counts left out). */
uint64_t lru_gen_node_pages(const struct lru_gen_node *n);

/*
 * One line for logs: "node 0: 12(3400ms) 100+2 | 13(0ms) 50+0" (seq(age)
 * anon+file, oldest first). Returns @buf.
 */
const char *lru_gen_format_node(const struct lru_gen_node *n, char *buf, size_t len);

/*
 * Writes one command ("+ 5 0 12 1 1", "- 5 0 10 200 4096") to
 * LRU_GEN_DEBUGFS. Returns 0 or -errno with a message naming the command;
 * EINVAL usually means a stale generation number (the state changed since it
 * was read), EEXIST (newer kernels) that another aging got there first.
 */
int lru_gen_command(const char *cmd, char *err, size_t errlen);

/*
 * The prober's "mm.mglru": fills @o with {"present", "enabled": "0x0007",
 * "min_ttl_ms", "hint"?}; the hint when MGLRU is absent or off. 0 or -ENOMEM.
 */
struct json_object;
int lru_gen_probe(struct json_object *o);

#endif
