// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/fs.h>

#include "kernel/mm/pagemap.h"
#include "src/lib/jsonobj.h"
#include "src/lib/util.h"

int pagemap_read(const void *addr, uint64_t npages, uint64_t *out, char *err, size_t errlen)
{
	off_t off = (uintptr_t)addr / 4096 * sizeof(uint64_t);
	size_t want = npages * sizeof(uint64_t), done = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return errf(err, errlen, -errno, "/proc/self/pagemap: %s", strerror(errno));
	while (done < want) {
		ssize_t n = pread(fd, (char *)out + done, want - done, off + done);

		if (n <= 0) {
			ret = errf(err, errlen, n < 0 ? -errno : -EIO, "/proc/self/pagemap: %s",
				   n < 0 ? strerror(errno) : "short read");
			break;
		}
		done += n;
	}
	close(fd);
	return ret;
}

/* One freshly written anonymous page and /proc/self/pagemap open on it, or -1. */
static int pagemap_probe_page(char **p, long page)
{
	*p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (*p == MAP_FAILED)
		return -1;
	(*p)[0] = 1;
	return open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
}

static void pagemap_probe_done(char *p, long page, int fd)
{
	if (fd >= 0)
		close(fd);
	if (p != MAP_FAILED)
		munmap(p, page);
}

/* A new page is soft-dirty iff CONFIG_MEM_SOFT_DIRTY. */
int pagemap_probe_soft_dirty(struct json_object *o)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t entry = 0;
	char *p;
	int fd = pagemap_probe_page(&p, page);

	if (fd >= 0 && pread(fd, &entry, sizeof(entry),
			     (uintptr_t)p / page * sizeof(entry)) == sizeof(entry)) {
		jsonobj_put_bool(o, "present", entry & PAGEMAP_SOFT_DIRTY);
		if (!(entry & PAGEMAP_SOFT_DIRTY))
			jsonobj_put_str(o, "hint", "CONFIG_MEM_SOFT_DIRTY=y");
	} else {
		jsonobj_put_bool(o, "present", false);
		jsonobj_put_str(o, "hint", "cannot read /proc/self/pagemap: " PAGEMAP_HINT);
	}
	pagemap_probe_done(p, page, fd);
	return 0;
}

int pagemap_probe_scan(struct json_object *o)
{
	long page = sysconf(_SC_PAGESIZE);
	struct pm_scan_arg arg;
	char *p;
	int fd = pagemap_probe_page(&p, page), ret;

	if (fd >= 0) {
		memset(&arg, 0, sizeof(arg));
		arg.size = sizeof(arg);
		arg.start = (uintptr_t)p;
		arg.end = (uintptr_t)p + page;
		arg.return_mask = PAGE_IS_PRESENT;
		arg.category_anyof_mask = PAGE_IS_PRESENT;
		ret = ioctl(fd, PAGEMAP_SCAN, &arg);
		jsonobj_put_bool(o, "present", ret >= 0);
		if (ret < 0)
			jsonobj_put_fmt(o, "hint", "PAGEMAP_SCAN (%s): Linux 6.7+",
					strerror(errno));
	} else {
		jsonobj_put_bool(o, "present", false);
		jsonobj_put_str(o, "hint", "cannot open /proc/self/pagemap: " PAGEMAP_HINT);
	}
	pagemap_probe_done(p, page, fd);
	return 0;
}
