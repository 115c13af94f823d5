// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "kernel/mm/pagemap.h"
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
