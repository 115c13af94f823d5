// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <linux/mman.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/kvm/backing.h"
#include "kernel/kvm/kvm.h"
#include "kernel/mm/sysfs.h"
#include "src/lib/util.h"

#define HUGE_2M (2ull << 20)

/* guest_memfd flags for ordinary VMs (Linux 6.18+); not in older uapi headers. */
#ifndef GUEST_MEMFD_FLAG_MMAP
#define GUEST_MEMFD_FLAG_MMAP		(1ull << 0)
#endif
#ifndef GUEST_MEMFD_FLAG_INIT_SHARED
#define GUEST_MEMFD_FLAG_INIT_SHARED	(1ull << 1)
#endif

/* Maps @len bytes of anonymous or @fd-backed memory at a 2M-aligned address. */
static int backing_mmap_aligned(struct backing *b, uint64_t size, int flags, int fd,
				char *err, size_t errlen)
{
	size_t len = size + (fd < 0 ? HUGE_2M : 0);
	char *p, *aligned;
	int ret;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, 0);
	if (p == MAP_FAILED) {
		ret = -errno;
		return errf(err, errlen, ret, "mmap of %llu bytes (%s backing): %s",
			    (unsigned long long)size, b->desc->name, strerror(-ret));
	}
	/* file mappings start at offset 0 and are not moved; anonymous ones are aligned */
	aligned = fd < 0 ? (char *)(((uintptr_t)p + HUGE_2M - 1) & ~(HUGE_2M - 1)) : p;
	b->map_base = p;
	b->map_len = len;
	b->hva = aligned;
	b->size = size;
	return 0;
}

static int backing_anon_map(struct backing *b, uint64_t size, const char *path,
			    struct kvm_vm *vm, char *err, size_t errlen)
{
	int ret = backing_mmap_aligned(b, size, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
				       err, errlen);

	/* plain 4K pages even when THP is "always" */
	if (!ret)
		madvise(b->hva, size, MADV_NOHUGEPAGE);
	b->host_page_size = 4096;
	return ret;
}

static int backing_thp_map(struct backing *b, uint64_t size, const char *path,
			   struct kvm_vm *vm, char *err, size_t errlen)
{
	char mode[128];
	int ret;

	if (sysfs_read("/sys/kernel/mm/transparent_hugepage/enabled", mode, sizeof(mode)) < 0)
		return errf(err, errlen, -EOPNOTSUPP,
			    "thp backing: no /sys/kernel/mm/transparent_hugepage (CONFIG_TRANSPARENT_HUGEPAGE)");
	if (strstr(mode, "[never]"))
		return errf(err, errlen, -EOPNOTSUPP,
			    "thp backing: THP is disabled (echo madvise > /sys/kernel/mm/transparent_hugepage/enabled)");
	ret = backing_mmap_aligned(b, size, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
				   err, errlen);
	if (ret)
		return ret;
	if (madvise(b->hva, size, MADV_HUGEPAGE)) {
		ret = -errno;
		return errf(err, errlen, ret, "madvise(MADV_HUGEPAGE): %s", strerror(-ret));
	}
	b->host_page_size = HUGE_2M;
	return 0;
}

static int backing_hugetlb_map(struct backing *b, uint64_t size, const char *path,
			       struct kvm_vm *vm, char *err, size_t errlen)
{
	static const char pool[] = "/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages";
	uint64_t free_pages = 0, need = (size + HUGE_2M - 1) / HUGE_2M;
	void *p;
	int ret;

	if (sysfs_read_u64(pool, &free_pages) < 0)
		return errf(err, errlen, -EOPNOTSUPP,
			    "hugetlb backing: no 2M hugetlb pool (CONFIG_HUGETLBFS, %s)", pool);
	if (free_pages < need)
		return errf(err, errlen, -EOPNOTSUPP,
			    "hugetlb backing: needs %llu free 2M pages, the pool has %llu (sysctl vm.nr_hugepages=%llu)",
			    (unsigned long long)need, (unsigned long long)free_pages,
			    (unsigned long long)need);
	p = mmap(NULL, need * HUGE_2M, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_2MB, -1, 0);
	if (p == MAP_FAILED) {
		ret = -errno;
		return errf(err, errlen, ret, "mmap of %llu 2M hugetlb pages: %s",
			    (unsigned long long)need, strerror(-ret));
	}
	b->map_base = b->hva = p;
	b->map_len = need * HUGE_2M;
	b->size = size;
	b->host_page_size = HUGE_2M;
	return 0;
}

static int backing_fd_map(struct backing *b, uint64_t size, int fd, char *err, size_t errlen)
{
	int ret;

	if (ftruncate(fd, size)) {
		ret = -errno;
		close(fd);
		return errf(err, errlen, ret, "ftruncate to %llu bytes (%s backing): %s",
			    (unsigned long long)size, b->desc->name, strerror(-ret));
	}
	ret = backing_mmap_aligned(b, size, MAP_SHARED, fd, err, errlen);
	if (ret) {
		close(fd);
		return ret;
	}
	b->fd = fd;
	b->host_page_size = 4096;
	return 0;
}

static int backing_shmem_map(struct backing *b, uint64_t size, const char *path,
			     struct kvm_vm *vm, char *err, size_t errlen)
{
	int fd = memfd_create("mmubench-guest", MFD_CLOEXEC), ret;

	if (fd < 0) {
		ret = -errno;
		return errf(err, errlen, ret, "memfd_create: %s", strerror(-ret));
	}
	return backing_fd_map(b, size, fd, err, errlen);
}

static int backing_file_map(struct backing *b, uint64_t size, const char *path,
			    struct kvm_vm *vm, char *err, size_t errlen)
{
	int fd, ret;

	ret = backing_check_path(path, size, err, errlen);
	if (ret)
		return ret;
	/* unlinked, so nothing is left behind on any exit path */
	fd = open(path, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) {
		ret = -errno;
		return errf(err, errlen, ret == -EOPNOTSUPP || ret == -EISDIR ? -EOPNOTSUPP : ret,
			    "file backing: O_TMPFILE in %s: %s", path, strerror(-ret));
	}
	return backing_fd_map(b, size, fd, err, errlen);
}

static int backing_gmem_map(struct backing *b, uint64_t size, const char *path,
			    struct kvm_vm *vm, char *err, size_t errlen)
{
	static const uint64_t tries[] = {
		GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED, GUEST_MEMFD_FLAG_MMAP,
	};
	int fd = -1, ret = -EOPNOTSUPP;

	if (!kvm_check_cap(vm, KVM_CAP_GUEST_MEMFD))
		return errf(err, errlen, -EOPNOTSUPP,
			    "guest_memfd backing: KVM_CAP_GUEST_MEMFD is not reported (Linux 6.8+ with CONFIG_KVM_GUEST_MEMFD)");
	/* an ordinary VM can only use guest_memfd that the host can mmap (Linux 6.18+) */
	for (size_t i = 0; i < ARRAY_SIZE(tries) && fd < 0; i++) {
		struct kvm_create_guest_memfd req = { .size = size, .flags = tries[i] };

		fd = ioctl(vm->vm_fd, KVM_CREATE_GUEST_MEMFD, &req);
		if (fd < 0)
			ret = -errno;
	}
	if (fd < 0)
		return errf(err, errlen, -EOPNOTSUPP,
			    "guest_memfd backing: KVM_CREATE_GUEST_MEMFD with GUEST_MEMFD_FLAG_MMAP: %s (needs Linux 6.18+)",
			    strerror(-ret));
	ret = backing_mmap_aligned(b, size, MAP_SHARED, fd, err, errlen);
	if (ret) {
		close(fd);
		return ret;
	}
	b->guest_memfd = fd;
	b->memslot_flags = KVM_MEM_GUEST_MEMFD;
	b->host_page_size = 4096;
	return 0;
}

static const struct backing_desc backing_anon = {
	"anon", "private anonymous memory, 4K pages (MADV_NOHUGEPAGE)", backing_anon_map,
};
static const struct backing_desc backing_thp = {
	"thp", "private anonymous memory with MADV_HUGEPAGE (2M THP when available)",
	backing_thp_map,
};
static const struct backing_desc backing_hugetlb = {
	"hugetlb", "2M hugetlb pages from the pool (vm.nr_hugepages; never changed by mmubench)",
	backing_hugetlb_map,
};
static const struct backing_desc backing_shmem = {
	"shmem", "shared memfd (shmem), MAP_SHARED", backing_shmem_map,
};
static const struct backing_desc backing_file = {
	"file", "unlinked file in --backing-path DIR, MAP_SHARED", backing_file_map,
};
static const struct backing_desc backing_guest_memfd = {
	"guest_memfd", "KVM guest_memfd, mmap()ed by the host (Linux 6.18+)", backing_gmem_map,
};

const struct backing_desc *const backing_kinds[] = {
#define BACKING(n) &backing_##n,
#include "kernel/kvm/backings.def"
#undef BACKING
	NULL,
};

const char *backing_name(size_t i)
{
	return i < ARRAY_SIZE(backing_kinds) - 1 ? backing_kinds[i]->name : NULL;
}

int backing_map(const struct backing_desc *desc, uint64_t size, const char *path,
		struct kvm_vm *vm, struct backing *out, char *err, size_t errlen)
{
	int ret;

	*out = (struct backing){ .desc = desc, .fd = -1, .guest_memfd = -1 };
	ret = desc->map(out, size, path, vm, err, errlen);
	if (ret)
		*out = (struct backing){ .desc = desc, .fd = -1, .guest_memfd = -1 };
	return ret;
}

void backing_unmap(struct backing *b)
{
	if (b->map_base)
		munmap(b->map_base, b->map_len);
	if (b->fd >= 0)
		close(b->fd);
	if (b->guest_memfd >= 0)
		close(b->guest_memfd);
	*b = (struct backing){ .fd = -1, .guest_memfd = -1 };
}

int backing_check_path(const char *path, uint64_t size, char *err, size_t errlen)
{
	struct stat st;

	if (!path)
		return errf(err, errlen, -EINVAL,
			    "--backing file needs --backing-path DIR (a directory on the filesystem to test)");
	if (stat(path, &st))
		return errf(err, errlen, -ENOENT, "--backing-path %s: %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return errf(err, errlen, -EINVAL,
			    "--backing-path %s is not a directory (mmubench creates unlinked files there)",
			    path);
	return 0;
}
