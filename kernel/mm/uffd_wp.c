// SPDX-License-Identifier: GPL-2.0
/* userfaultfd async write-protect + PAGEMAP_SCAN: see uffd_wp.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <linux/fs.h>
#include <linux/userfaultfd.h>

#include "src/lib/bitmap.h"
#include "kernel/mm/sysfs.h"
#include "kernel/mm/uffd_wp.h"
#include "src/lib/jsonobj.h"
#include "src/lib/util.h"

#define UFFD_WP_PAGE		4096ull
#define UFFD_WP_VEC_LEN		4096	/* page_region entries per PAGEMAP_SCAN call */

#define UFFD_WP_NEEDED	(UFFD_FEATURE_WP_ASYNC | UFFD_FEATURE_WP_UNPOPULATED)
#define UFFD_WP_WANTED	(UFFD_WP_NEEDED | UFFD_FEATURE_WP_HUGETLBFS_SHMEM)

struct uffd_wp {
	int uffd;
	int pagemap_fd;
	uint64_t features;		/* granted by UFFDIO_API */
	struct page_region *vec;	/* written runs found by the look-up */
	struct page_region *run_vec;	/* what get-and-protect of one run reports */
	enum uffd_wp_rearm rearm;
};

/* A new userfaultfd: the syscall (user-mode-only first), else /dev/userfaultfd. */
static int uffd_wp_new_fd(char *err, size_t errlen)
{
	int fd, dev, flags = O_CLOEXEC | O_NONBLOCK;

	fd = syscall(__NR_userfaultfd, flags | UFFD_USER_MODE_ONLY);
	if (fd < 0 && errno == EINVAL)	/* before Linux 5.11 */
		fd = syscall(__NR_userfaultfd, flags);
	if (fd >= 0)
		return fd;
	if (errno == ENOSYS)
		return errf(err, errlen, -EOPNOTSUPP,
			    "userfaultfd: not in this kernel (CONFIG_USERFAULTFD=y)");
	dev = open(UFFD_WP_DEV, O_RDWR | O_CLOEXEC);
	if (dev >= 0) {
		fd = ioctl(dev, USERFAULTFD_IOC_NEW, flags);
		close(dev);
		if (fd >= 0)
			return fd;
	}
	return errf(err, errlen, -EPERM,
		    "userfaultfd: %s (needs CAP_SYS_PTRACE, vm.unprivileged_userfaultfd=1, or access to /dev/userfaultfd)",
		    strerror(errno));
}

/* What UFFDIO_API offers, on a throwaway descriptor (the handshake is once per fd). */
static uint64_t uffd_wp_supported(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	int fd = uffd_wp_new_fd(NULL, 0);

	if (fd < 0)
		return 0;
	if (ioctl(fd, UFFDIO_API, &api))
		api.features = 0;
	close(fd);
	return api.features;
}

int uffd_wp_open(struct uffd_wp **out, char *err, size_t errlen)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct pm_scan_arg probe = { .size = sizeof(probe) };
	uint64_t have = uffd_wp_supported();
	struct uffd_wp *u;
	int ret;

	if ((have & UFFD_WP_NEEDED) != UFFD_WP_NEEDED) {
		ret = uffd_wp_new_fd(err, errlen);
		if (ret < 0)
			return ret;
		close(ret);
		return errf(err, errlen, -EOPNOTSUPP,
			    "userfaultfd lacks%s%s (Linux 6.7+ with CONFIG_PTE_MARKER_UFFD_WP=y on x86_64/arm64)",
			    have & UFFD_FEATURE_WP_ASYNC ? "" : " UFFD_FEATURE_WP_ASYNC",
			    have & UFFD_FEATURE_WP_UNPOPULATED ? "" : " UFFD_FEATURE_WP_UNPOPULATED");
	}
	u = calloc(1, sizeof(*u));
	if (!u)
		return errf(err, errlen, -ENOMEM, "out of memory for the uffd-wp oracle");
	u->uffd = u->pagemap_fd = -1;
	u->vec = calloc(UFFD_WP_VEC_LEN, sizeof(*u->vec));
	u->run_vec = calloc(UFFD_WP_VEC_LEN, sizeof(*u->run_vec));
	if (!u->vec || !u->run_vec) {
		ret = errf(err, errlen, -ENOMEM, "out of memory for the PAGEMAP_SCAN buffer");
		goto fail;
	}
	u->uffd = uffd_wp_new_fd(err, errlen);
	if (u->uffd < 0) {
		ret = u->uffd;
		goto fail;
	}
	api.features = have & UFFD_WP_WANTED;
	if (ioctl(u->uffd, UFFDIO_API, &api)) {
		ret = errf(err, errlen, -errno, "UFFDIO_API with features %#llx: %m",
			   (unsigned long long)(have & UFFD_WP_WANTED));
		goto fail;
	}
	u->features = api.features;

	u->pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (u->pagemap_fd < 0) {
		ret = errf(err, errlen, -errno, "/proc/self/pagemap: %m");
		goto fail;
	}
	/* an empty range: 0 where PAGEMAP_SCAN exists, ENOTTY before Linux 6.7 */
	if (ioctl(u->pagemap_fd, PAGEMAP_SCAN, &probe) < 0) {
		ret = errno == ENOTTY || errno == EINVAL ?
		      errf(err, errlen, -EOPNOTSUPP,
			   "/proc/self/pagemap has no PAGEMAP_SCAN ioctl (Linux 6.7+, CONFIG_PROC_PAGE_MONITOR=y)") :
		      errf(err, errlen, -errno, "PAGEMAP_SCAN: %m");
		goto fail;
	}
	*out = u;
	return 0;
fail:
	uffd_wp_close(u);
	return ret;
}

void uffd_wp_close(struct uffd_wp *u)
{
	if (!u)
		return;
	if (u->pagemap_fd >= 0)
		close(u->pagemap_fd);
	if (u->uffd >= 0)
		close(u->uffd);
	free(u->vec);
	free(u->run_vec);
	free(u);
}

int uffd_wp_register(struct uffd_wp *u, void *addr, size_t len, char *err, size_t errlen)
{
	struct uffdio_register reg = {
		.range = { .start = (uintptr_t)addr, .len = len },
		.mode = UFFDIO_REGISTER_MODE_WP,
	};
	struct uffdio_writeprotect wp = {
		.range = { .start = (uintptr_t)addr, .len = len },
		.mode = UFFDIO_WRITEPROTECT_MODE_WP,
	};

	if (((uintptr_t)addr | len) & (UFFD_WP_PAGE - 1) || !len)
		return errf(err, errlen, -EINVAL, "uffd-wp: range %p + %zu not page aligned",
			    addr, len);
	if (ioctl(u->uffd, UFFDIO_REGISTER, &reg)) {
		if (errno != EINVAL)
			return errf(err, errlen, -errno, "UFFDIO_REGISTER (WP) of %p + %zu: %m",
				    addr, len);
		return errf(err, errlen, -EOPNOTSUPP,
			    "UFFDIO_REGISTER (WP) of %p + %zu: EINVAL: the memory cannot be write-protected by userfaultfd (anonymous memory, shmem and hugetlbfs only; the last two need UFFD_FEATURE_WP_HUGETLBFS_SHMEM, which this kernel %s)",
			    addr, len, u->features & UFFD_FEATURE_WP_HUGETLBFS_SHMEM ?
			    "has" : "lacks");
	}
	if (!(reg.ioctls & (1ull << _UFFDIO_WRITEPROTECT))) {
		uffd_wp_unregister(u, addr, len, NULL, 0);
		return errf(err, errlen, -EOPNOTSUPP,
			    "UFFDIO_REGISTER (WP) of %p + %zu: no UFFDIO_WRITEPROTECT for this memory",
			    addr, len);
	}
	if (ioctl(u->uffd, UFFDIO_WRITEPROTECT, &wp)) {
		int ret = -errno;

		uffd_wp_unregister(u, addr, len, NULL, 0);
		return errf(err, errlen, ret, "UFFDIO_WRITEPROTECT of %p + %zu: %s", addr, len,
			    strerror(-ret));
	}
	return 0;
}

int uffd_wp_unregister(struct uffd_wp *u, void *addr, size_t len, char *err, size_t errlen)
{
	struct uffdio_range range = { .start = (uintptr_t)addr, .len = len };

	if (ioctl(u->uffd, UFFDIO_UNREGISTER, &range))
		return errf(err, errlen, -errno, "UFFDIO_UNREGISTER of %p + %zu: %m", addr, len);
	return 0;
}

static void uffd_wp_set_range(unsigned long *map, uint64_t first, uint64_t end)
{
	for (uint64_t i = first; i < end; i++)
		bitmap_set(map, i);
}

/*
 * One PAGEMAP_SCAN call over [start, end), written pages only: a look-up
 * (regions in u->vec) or, with PM_SCAN_WP_MATCHING, get-and-protect (regions
 * in u->run_vec). Returns the number of regions or -errno.
 */
static int uffd_wp_pm_scan(struct uffd_wp *u, uint64_t start, uint64_t end, uint64_t flags,
			   size_t vec_len, uint64_t *walk_end, char *err, size_t errlen)
{
	struct pm_scan_arg arg = {
		.size = sizeof(arg),
		.flags = flags | PM_SCAN_CHECK_WPASYNC,
		.start = start,
		.end = end,
		.vec = (uintptr_t)(flags & PM_SCAN_WP_MATCHING ? u->run_vec : u->vec),
		.vec_len = vec_len,
		.category_mask = PAGE_IS_WRITTEN,
		.return_mask = PAGE_IS_WRITTEN,
	};
	int n = ioctl(u->pagemap_fd, PAGEMAP_SCAN, &arg);

	if (n < 0) {
		if (errno == EPERM)
			return errf(err, errlen, -EPERM,
				    "PAGEMAP_SCAN of %#llx-%#llx: memory not registered for async write-protect",
				    (unsigned long long)start, (unsigned long long)end);
		return errf(err, errlen, -errno, "PAGEMAP_SCAN of %#llx-%#llx: %m",
			    (unsigned long long)start, (unsigned long long)end);
	}
	if (arg.walk_end <= start)	/* e.g. a hugetlb page only partly in range */
		return errf(err, errlen, -EINVAL,
			    "PAGEMAP_SCAN made no progress at %#llx: range not aligned to the huge page size?",
			    (unsigned long long)start);
	*walk_end = arg.walk_end;
	return n;
}

/*
 * Reports and re-protects the written pages of one run the look-up found:
 * get and protect in one step under the page table lock, so a write racing
 * with us is either reported now or left unprotected for the next scan.
 */
static int64_t uffd_wp_rearm_run(struct uffd_wp *u, uint64_t base, uint64_t start,
				 uint64_t end, unsigned long *written, char *err, size_t errlen)
{
	uint64_t pos = start, walk_end;
	int64_t count = 0;

	while (pos < end) {
		int n = uffd_wp_pm_scan(u, pos, end, PM_SCAN_WP_MATCHING, UFFD_WP_VEC_LEN,
					&walk_end, err, errlen);

		if (n < 0)
			return n;
		for (int i = 0; i < n; i++) {
			uint64_t s = u->run_vec[i].start, e = u->run_vec[i].end;

			uffd_wp_set_range(written, (s - base) / UFFD_WP_PAGE,
					  (e - base) / UFFD_WP_PAGE);
			count += (e - s) / UFFD_WP_PAGE;
		}
		pos = walk_end;
	}
	return count;
}

int64_t uffd_wp_scan(struct uffd_wp *u, void *addr, uint64_t npages, unsigned long *written,
		     uint64_t *ns, char *err, size_t errlen)
{
	uint64_t base = (uintptr_t)addr, end = base + npages * UFFD_WP_PAGE, pos = base;
	uint64_t t0 = now_ns(), walk_end;
	int64_t count = 0, c;

	if (base & (UFFD_WP_PAGE - 1))
		return errf(err, errlen, -EINVAL, "uffd-wp scan: %p not page aligned", addr);
	bitmap_clear_all(written, npages);
	if (u->rearm == UFFD_WP_REARM_RANGE) {
		count = uffd_wp_rearm_run(u, base, base, end, written, err, errlen);
		if (count < 0)
			return count;
		goto out;
	}
	/*
	 * Look up the written runs without protecting anything (no MMU
	 * notifier: KVM keeps its mappings), then get-and-protect each run.
	 * PAGEMAP_SCAN with PM_SCAN_WP_MATCHING invalidates secondary MMUs over
	 * its whole range, written or not: one such call over all of guest
	 * memory would zap every KVM mapping at every scan.
	 */
	while (pos < end) {
		int n = uffd_wp_pm_scan(u, pos, end, 0, UFFD_WP_VEC_LEN, &walk_end, err, errlen);

		if (n < 0)
			return n;
		for (int i = 0; i < n; i++) {
			c = uffd_wp_rearm_run(u, base, u->vec[i].start, u->vec[i].end, written,
					      err, errlen);
			if (c < 0)
				return c;
			count += c;
		}
		pos = walk_end;
	}
out:
	if (ns)
		*ns = now_ns() - t0;
	return count;
}

void uffd_wp_set_rearm(struct uffd_wp *u, enum uffd_wp_rearm how)
{
	u->rearm = how;
}

bool uffd_wp_event_pending(struct uffd_wp *u)
{
	struct pollfd p = { .fd = u->uffd, .events = POLLIN };

	return poll(&p, 1, 0) > 0 && (p.revents & POLLIN);
}

/* ------------------------------------------------------------------ */
/* The prober's view of userfaultfd */

static const struct {
	const char *name;
	uint64_t bit;
} uffd_wp_probe_features[] = {
	{ "MISSING_SHMEM", UFFD_FEATURE_MISSING_SHMEM },
	{ "MISSING_HUGETLBFS", UFFD_FEATURE_MISSING_HUGETLBFS },
	{ "MINOR_SHMEM", UFFD_FEATURE_MINOR_SHMEM },
	{ "MINOR_HUGETLBFS", UFFD_FEATURE_MINOR_HUGETLBFS },
	{ "SIGBUS", UFFD_FEATURE_SIGBUS },
	{ "THREAD_ID", UFFD_FEATURE_THREAD_ID },
	{ "EXACT_ADDRESS", UFFD_FEATURE_EXACT_ADDRESS },
	{ "PAGEFAULT_FLAG_WP", UFFD_FEATURE_PAGEFAULT_FLAG_WP },
	{ "WP_HUGETLBFS_SHMEM", UFFD_FEATURE_WP_HUGETLBFS_SHMEM },
	{ "WP_UNPOPULATED", UFFD_FEATURE_WP_UNPOPULATED },
	{ "WP_ASYNC", UFFD_FEATURE_WP_ASYNC },
	{ "POISON", UFFD_FEATURE_POISON },
	{ "MOVE", UFFD_FEATURE_MOVE },
};

int uffd_wp_probe(struct json_object *o)
{
	struct json_object *feat, *name;
	struct uffdio_api api = { .api = UFFD_API, .features = 0 };
	bool dev = sysfs_exists(UFFD_WP_DEV);
	int fd, dfd, e;
	size_t i;

	fd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
	e = fd < 0 ? errno : 0;
	jsonobj_put_bool(o, "syscall", fd >= 0 || e != ENOSYS);
	if (fd < 0)
		jsonobj_put_fmt(o, "syscall_error", "userfaultfd(2): %s", strerror(e));
	jsonobj_put_bool(o, "dev", dev);
	if (fd < 0 && dev) {
		dfd = open(UFFD_WP_DEV, O_RDWR | O_CLOEXEC);
		if (dfd >= 0) {
			fd = ioctl(dfd, USERFAULTFD_IOC_NEW, O_CLOEXEC | O_NONBLOCK);
			close(dfd);
		}
	}
	sysfs_json_put_file(o, "unprivileged_userfaultfd", UFFD_WP_UNPRIVILEGED);
	jsonobj_put_bool(o, "usable", fd >= 0);
	if (fd >= 0) {
		/* features = 0 asks nothing and is answered with everything supported. */
		if (ioctl(fd, UFFDIO_API, &api) == 0) {
			feat = json_object_new_array();
			for (i = 0; i < ARRAY_SIZE(uffd_wp_probe_features); i++)
				if (api.features & uffd_wp_probe_features[i].bit) {
					name = json_object_new_string(uffd_wp_probe_features[i].name);
					json_object_array_add(feat, name);
				}
			json_object_object_add(o, "features", feat);
		}
		close(fd);
	} else if (e == ENOSYS) {
		jsonobj_put_str(o, "hint", "CONFIG_USERFAULTFD=y");
	} else {
		jsonobj_put_str(o, "hint", "run as root, or sysctl vm.unprivileged_userfaultfd=1, or give access to /dev/userfaultfd");
	}
	return 0;
}
