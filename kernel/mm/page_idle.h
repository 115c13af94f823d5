/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Idle page tracking (Documentation/admin-guide/mm/idle_page_tracking.rst):
 * /sys/kernel/mm/page_idle/bitmap holds one bit per PFN in 8-byte words
 * (word pfn / 64, bit pfn % 64), read and written in whole, aligned words.
 * Writing 1s marks those pages idle (and clears their accessed bits,
 * secondary MMUs included); reading gives 1 for pages still idle, i.e. not
 * accessed since they were marked. Only user pages on an LRU list are
 * tracked (others read 0 and ignore writes), and a large folio only by its
 * head page: the PFNs of THP tails are replaced by their head's first.
 *
 * A page_idle_set is the bitmap words covering a set of PFNs, coalesced
 * into runs of consecutive words so that a pass costs one pread/pwrite per
 * run rather than per page.
 */
#ifndef MMUBENCH_PAGE_IDLE_H
#define MMUBENCH_PAGE_IDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PAGE_IDLE_BITMAP	"/sys/kernel/mm/page_idle/bitmap"
#define PAGE_IDLE_HINT \
	"CONFIG_IDLE_PAGE_TRACKING=y (Debian kernels lack it: build from a source tree)"

/* /proc/kpageflags bits (include/uapi/linux/kernel-page-flags.h) */
#define PAGE_IDLE_KPF_COMPOUND_HEAD	(1ull << 15)
#define PAGE_IDLE_KPF_COMPOUND_TAIL	(1ull << 16)

static inline uint64_t page_idle_word(uint64_t pfn)
{
	return pfn / 64;
}

static inline uint64_t page_idle_mask(uint64_t pfn)
{
	return 1ull << (pfn % 64);
}

struct page_idle_run {
	uint64_t word;		/* first bitmap word */
	uint64_t nwords;
	uint64_t idx;		/* where its words start in page_idle_set.words */
};

struct page_idle_set {
	struct page_idle_run *runs;	/* sorted by word, neither overlapping nor adjacent */
	size_t nruns, rcap;
	uint64_t *words;		/* nwords bitmap words, run after run */
	uint64_t nwords, wcap;
};

/*
 * Builds the runs of words covering @pfns (0 = no page, skipped), in any
 * order, repeated PFNs included. The set can be rebuilt (its arrays are
 * reused). Returns 0 or -ENOMEM.
 */
int page_idle_set_build(struct page_idle_set *s, const uint64_t *pfns, size_t n);
void page_idle_set_free(struct page_idle_set *s);

/* Index in s->words of the word holding @pfn, -1 when the set does not cover it. */
ssize_t page_idle_set_find(const struct page_idle_set *s, uint64_t pfn);

/* Whether @pfn's bit is set in s->words (false when not covered). */
bool page_idle_set_test(const struct page_idle_set *s, uint64_t pfn);

/* Sets s->words to exactly the bits of @pfns (what marking them idle writes). */
void page_idle_set_fill(struct page_idle_set *s, const uint64_t *pfns, size_t n);

/*
 * THP tails to heads, without I/O: @flags[i] is the kpageflags of pfns[i].
 * A tail that follows its predecessor physically (pfns[i - 1] + 1, before
 * replacement) takes the head that one resolved to. Tails that cannot be
 * resolved that way keep their PFN and are counted: page_idle_heads() looks
 * their heads up. Returns that count.
 */
size_t page_idle_inherit_heads(uint64_t *pfns, const uint64_t *flags, size_t n);

/* Opens the bitmap read-write: the fd, or -EOPNOTSUPP with PAGE_IDLE_HINT. */
int page_idle_open(char *err, size_t errlen);

/* Reads the words of every run into s->words. Returns 0 or -errno. */
int page_idle_read(int fd, struct page_idle_set *s, char *err, size_t errlen);

/* Writes s->words to the bitmap, run by run. Returns 0 or -errno. */
int page_idle_write(int fd, const struct page_idle_set *s, char *err, size_t errlen);

/*
 * Replaces THP tail PFNs by their heads' using /proc/kpageflags (@kpf_fd,
 * opened read-only; @flags: n entries of scratch). Returns 0 or -errno.
 */
int page_idle_heads(int kpf_fd, uint64_t *pfns, uint64_t *flags, size_t n, char *err,
		    size_t errlen);

/* The prober's "mm.page_idle": fills @o with {"present", "hint"?}. 0 or -ENOMEM. */
struct json_object;
int page_idle_probe(struct json_object *o);

#endif
