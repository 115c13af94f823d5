// SPDX-License-Identifier: GPL-2.0
/* Idle page tracking: the bitmap, word runs, THP heads. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/mm/page_idle.h"
#include "kernel/mm/sysfs.h"
#include "src/lib/jsonobj.h"
#include "src/lib/util.h"

#define PAGE_IDLE_MAX_ORDER	18	/* 1G folios */

static int page_idle_run_cmp(const void *a, const void *b)
{
	const struct page_idle_run *x = a, *y = b;

	return x->word < y->word ? -1 : x->word > y->word;
}

static int page_idle_push(struct page_idle_set *s, uint64_t word)
{
	if (s->nruns == s->rcap) {
		size_t cap = s->rcap ? 2 * s->rcap : 64;
		struct page_idle_run *r = realloc(s->runs, cap * sizeof(*r));

		if (!r)
			return -ENOMEM;
		s->runs = r;
		s->rcap = cap;
	}
	s->runs[s->nruns++] = (struct page_idle_run){ .word = word, .nwords = 1 };
	return 0;
}

int page_idle_set_build(struct page_idle_set *s, const uint64_t *pfns, size_t n)
{
	struct page_idle_run *cur = NULL;
	size_t i, out;
	uint64_t idx;

	s->nruns = 0;
	/* greedy in page order: the allocator hands out runs up and down */
	for (i = 0; i < n; i++) {
		uint64_t w = page_idle_word(pfns[i]);

		if (!pfns[i])
			continue;
		if (cur && w >= cur->word && w < cur->word + cur->nwords)
			continue;
		if (cur && w == cur->word + cur->nwords) {
			cur->nwords++;
			continue;
		}
		if (cur && w + 1 == cur->word) {
			cur->word--;
			cur->nwords++;
			continue;
		}
		if (page_idle_push(s, w))
			return -ENOMEM;
		cur = &s->runs[s->nruns - 1];
	}
	/* then sorted, overlapping and adjacent runs merged */
	qsort(s->runs, s->nruns, sizeof(*s->runs), page_idle_run_cmp);
	for (i = 0, out = 0; i < s->nruns; i++) {
		struct page_idle_run *r = &s->runs[i], *last = out ? &s->runs[out - 1] : NULL;

		if (last && r->word <= last->word + last->nwords) {
			uint64_t end = r->word + r->nwords;

			if (end > last->word + last->nwords)
				last->nwords = end - last->word;
			continue;
		}
		s->runs[out++] = *r;
	}
	s->nruns = out;
	for (i = 0, idx = 0; i < s->nruns; i++) {
		s->runs[i].idx = idx;
		idx += s->runs[i].nwords;
	}
	if (idx > s->wcap) {
		uint64_t *w = realloc(s->words, idx * sizeof(*w));

		if (!w)
			return -ENOMEM;
		s->words = w;
		s->wcap = idx;
	}
	s->nwords = idx;
	if (idx)
		memset(s->words, 0, idx * sizeof(*s->words));
	return 0;
}

void page_idle_set_free(struct page_idle_set *s)
{
	free(s->runs);
	free(s->words);
	memset(s, 0, sizeof(*s));
}

ssize_t page_idle_set_find(const struct page_idle_set *s, uint64_t pfn)
{
	uint64_t w = page_idle_word(pfn);
	size_t lo = 0, hi = s->nruns;

	/* last run with word <= w */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->runs[mid].word <= w)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || w >= s->runs[lo - 1].word + s->runs[lo - 1].nwords)
		return -1;
	return s->runs[lo - 1].idx + (w - s->runs[lo - 1].word);
}

bool page_idle_set_test(const struct page_idle_set *s, uint64_t pfn)
{
	ssize_t k = page_idle_set_find(s, pfn);

	return k >= 0 && (s->words[k] & page_idle_mask(pfn));
}

void page_idle_set_fill(struct page_idle_set *s, const uint64_t *pfns, size_t n)
{
	ssize_t k = -1;
	uint64_t last = 0;

	if (s->nwords)
		memset(s->words, 0, s->nwords * sizeof(*s->words));
	for (size_t i = 0; i < n; i++) {
		if (!pfns[i])
			continue;
		if (k < 0 || page_idle_word(pfns[i]) != last) {
			k = page_idle_set_find(s, pfns[i]);
			last = page_idle_word(pfns[i]);
		}
		if (k >= 0)
			s->words[k] |= page_idle_mask(pfns[i]);
	}
}

/*
 * Folios are naturally aligned: the head of a tail is the first aligned PFN
 * below it with COMPOUND_HEAD set (the ones in between are tails). Returns
 * 0 with *head, 1 when none is found, -errno.
 */
static int page_idle_lookup_head(int kpf_fd, uint64_t pfn, uint64_t *head);

/* Tails to heads; kpf_fd < 0: no lookups, unresolved tails counted. */
static ssize_t page_idle_resolve(uint64_t *pfns, const uint64_t *flags, size_t n, int kpf_fd)
{
	uint64_t prev = 0, head = 0;	/* prev: pfns[i - 1] before replacement */
	size_t left = 0;
	int ret;

	for (size_t i = 0; i < n; i++) {
		uint64_t pfn = pfns[i];

		if (pfn && (flags[i] & PAGE_IDLE_KPF_COMPOUND_TAIL)) {
			/* pfn - 1 is in the same folio: the head or another tail */
			if (i && prev && prev + 1 == pfn) {
				pfns[i] = pfns[i - 1];
			} else if (kpf_fd < 0) {
				left++;
			} else {
				ret = page_idle_lookup_head(kpf_fd, pfn, &head);
				if (ret < 0)
					return ret;
				if (ret)
					left++;
				else
					pfns[i] = head;
			}
		}
		prev = pfn;
	}
	return left;
}

size_t page_idle_inherit_heads(uint64_t *pfns, const uint64_t *flags, size_t n)
{
	return page_idle_resolve(pfns, flags, n, -1);
}

int page_idle_open(char *err, size_t errlen)
{
	int fd = open(PAGE_IDLE_BITMAP, O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (errno == ENOENT)
		return errf(err, errlen, -EOPNOTSUPP, "no %s: %s", PAGE_IDLE_BITMAP,
			    PAGE_IDLE_HINT);
	if (errno == EACCES || errno == EPERM)
		return errf(err, errlen, -EOPNOTSUPP, "%s: %s: run as root", PAGE_IDLE_BITMAP,
			    strerror(errno));
	return errf(err, errlen, -errno, "%s: %s", PAGE_IDLE_BITMAP, strerror(errno));
}

/*
 * Whole transfers: sysfs binary files move at most a page per call. The
 * bitmap stops at max_pfn (a last partial word is not transferred): past
 * it, reads give 0 bytes (taken as not idle) and writes have nothing to do.
 */
static int page_idle_io(int fd, bool wr, void *buf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = wr ? pwrite(fd, (char *)buf + done, len - done, off + done)
			       : pread(fd, (char *)buf + done, len - done, off + done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n) {
			if (!wr)
				memset((char *)buf + done, 0, len - done);
			break;
		}
		done += n;
	}
	return 0;
}

int page_idle_read(int fd, struct page_idle_set *s, char *err, size_t errlen)
{
	for (size_t i = 0; i < s->nruns; i++) {
		const struct page_idle_run *r = &s->runs[i];
		int ret = page_idle_io(fd, false, s->words + r->idx, r->nwords * 8, r->word * 8);

		if (ret)
			return errf(err, errlen, ret, "%s: read at PFN %#jx: %s", PAGE_IDLE_BITMAP,
				    (uintmax_t)r->word * 64, strerror(-ret));
	}
	return 0;
}

int page_idle_write(int fd, const struct page_idle_set *s, char *err, size_t errlen)
{
	for (size_t i = 0; i < s->nruns; i++) {
		const struct page_idle_run *r = &s->runs[i];
		int ret = page_idle_io(fd, true, s->words + r->idx, r->nwords * 8, r->word * 8);

		if (ret)
			return errf(err, errlen, ret, "%s: write at PFN %#jx: %s", PAGE_IDLE_BITMAP,
				    (uintmax_t)r->word * 64, strerror(-ret));
	}
	return 0;
}

static int page_idle_kpf(int fd, uint64_t pfn, uint64_t *flags, size_t n)
{
	return page_idle_io(fd, false, flags, n * 8, pfn * 8);
}

static int page_idle_lookup_head(int kpf_fd, uint64_t pfn, uint64_t *head)
{
	for (int order = 1; order <= PAGE_IDLE_MAX_ORDER; order++) {
		uint64_t h = pfn & ~((1ull << order) - 1), f;
		int ret;

		if (h == pfn)
			continue;
		ret = page_idle_kpf(kpf_fd, h, &f, 1);
		if (ret)
			return ret;
		if (f & PAGE_IDLE_KPF_COMPOUND_HEAD) {
			*head = h;
			return 0;
		}
	}
	return 1;
}

int page_idle_heads(int kpf_fd, uint64_t *pfns, uint64_t *flags, size_t n, char *err,
		    size_t errlen)
{
	size_t i, j;
	ssize_t left;
	int ret;

	/* flags for runs of physically consecutive pages */
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && pfns[i] && pfns[j] == pfns[j - 1] + 1; j++)
			;
		if (!pfns[i]) {
			flags[i] = 0;
			continue;
		}
		ret = page_idle_kpf(kpf_fd, pfns[i], flags + i, j - i);
		if (ret)
			return errf(err, errlen, ret, "/proc/kpageflags at PFN %#jx: %s",
				    (uintmax_t)pfns[i], strerror(-ret));
	}
	left = page_idle_resolve(pfns, flags, n, kpf_fd);
	if (left < 0)
		return errf(err, errlen, left, "/proc/kpageflags: %s", strerror(-left));
	return 0;
}

int page_idle_probe(struct json_object *o)
{
	bool present = sysfs_exists(PAGE_IDLE_BITMAP);

	jsonobj_put_bool(o, "present", present);
	if (!present)
		jsonobj_put_str(o, "hint", PAGE_IDLE_HINT);
	return 0;
}
