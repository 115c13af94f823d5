// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <linux/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/kvm/backing.h"
#include "kernel/kvm/kvm.h"
#include "kernel/mm/sysfs.h"
#include "src/lib/jsonobj.h"
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

	if (sysfs_read(BACKING_THP_ENABLED, mode, sizeof(mode)) < 0)
		return errf(err, errlen, -EOPNOTSUPP,
			    "thp backing: no " BACKING_THP_DIR " (CONFIG_TRANSPARENT_HUGEPAGE)");
	if (strstr(mode, "[never]"))
		return errf(err, errlen, -EOPNOTSUPP,
			    "thp backing: THP is disabled (" BACKING_THP_ON_HINT ")");
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
	static const char pool[] = BACKING_HUGEPAGES_DIR "/hugepages-2048kB/free_hugepages";
	uint64_t free_pages = 0, need = (size + HUGE_2M - 1) / HUGE_2M;
	void *p;
	int ret;

	if (sysfs_read_u64(pool, &free_pages) < 0)
		return errf(err, errlen, -EOPNOTSUPP,
			    "hugetlb backing: no 2M hugetlb pool (CONFIG_HUGETLBFS, %s)", pool);
	if (free_pages < need)
		return errf(err, errlen, -EOPNOTSUPP,
			    "hugetlb backing: needs %llu free 2M pages, the pool has %llu (sysctl "
			    "vm.nr_hugepages=%llu)",
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
			    "guest_memfd backing: KVM_CAP_GUEST_MEMFD is not reported (Linux 6.8+ "
			    "with CONFIG_KVM_GUEST_MEMFD)");
	/* an ordinary VM can only use guest_memfd that the host can mmap (Linux 6.18+) */
	for (size_t i = 0; i < ARRAY_SIZE(tries) && fd < 0; i++) {
		struct kvm_create_guest_memfd req = { .size = size, .flags = tries[i] };

		fd = ioctl(vm->vm_fd, KVM_CREATE_GUEST_MEMFD, &req);
		if (fd < 0)
			ret = -errno;
	}
	if (fd < 0)
		return errf(err, errlen, -EOPNOTSUPP,
			    "guest_memfd backing: KVM_CREATE_GUEST_MEMFD with "
			    "GUEST_MEMFD_FLAG_MMAP: %s (needs Linux 6.18+)",
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
			    "--backing file needs --backing-path DIR (a directory on the "
			    "filesystem to test)");
	if (stat(path, &st))
		return errf(err, errlen, -ENOENT, "--backing-path %s: %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return errf(err, errlen, -EINVAL,
			    "--backing-path %s is not a directory (mmubench creates unlinked files "
			    "there)",
			    path);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The prober's view of THP and hugetlb */

static int backing_name_filter(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

int backing_probe_thp(struct json_object *o)
{
	char buf[64];
	bool present = sysfs_exists(BACKING_THP_ENABLED);

	jsonobj_put_bool(o, "present", present);
	if (!present) {
		jsonobj_put_str(o, "hint", "CONFIG_TRANSPARENT_HUGEPAGE=y");
		return 0;
	}
	sysfs_json_put_choice(o, "enabled", BACKING_THP_ENABLED);
	sysfs_json_put_choice(o, "defrag", BACKING_THP_DIR "/defrag");
	sysfs_json_put_choice(o, "shmem_enabled", BACKING_THP_DIR "/shmem_enabled");
	if (sysfs_read_choice(BACKING_THP_ENABLED, buf, sizeof(buf)) >= 0 && !strcmp(buf, "never"))
		jsonobj_put_str(o, "hint", "THP is off: " BACKING_THP_ON_HINT);
	return 0;
}

static int backing_hugepage_size_kb(void)
{
	char line[256];
	int kb = 0;
	FILE *f;

	f = fopen("/proc/meminfo", "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Hugepagesize: %d kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

int backing_probe_hugetlb(struct json_object *o)
{
	struct json_object *sizes, *s;
	char path[512], hint[512];
	struct dirent **names;
	int i, n, kb, dflt = backing_hugepage_size_kb();
	uint64_t nr, free_pages;

	n = scandir(BACKING_HUGEPAGES_DIR, &names, backing_name_filter, alphasort);
	jsonobj_put_bool(o, "present", n > 0);
	if (n <= 0) {
		jsonobj_put_str(o, "hint", "CONFIG_HUGETLBFS=y");
		return 0;
	}
	jsonobj_put_int(o, "default_size_kb", dflt);
	sizes = json_object_new_object();
	for (i = 0; i < n; i++) {
		const char *d = names[i]->d_name;

		if (sscanf(d, "hugepages-%dkB", &kb) == 1) {
			s = json_object_new_object();
			snprintf(path, sizeof(path), BACKING_HUGEPAGES_DIR "/%s/nr_hugepages", d);
			if (sysfs_read_u64(path, &nr))
				nr = 0;
			jsonobj_put_int(s, "nr_hugepages", nr);
			snprintf(path, sizeof(path), BACKING_HUGEPAGES_DIR "/%s/free_hugepages", d);
			if (sysfs_read_u64(path, &free_pages))
				free_pages = 0;
			jsonobj_put_int(s, "free_hugepages", free_pages);
			if (!nr) {
				if (kb == dflt)
					snprintf(hint, sizeof(hint),
						 "empty pool: sysctl vm.nr_hugepages=N");
				else
					snprintf(hint, sizeof(hint), "empty pool: echo N > "
						 BACKING_HUGEPAGES_DIR "/%s/nr_hugepages", d);
				jsonobj_put_str(s, "hint", hint);
			}
			snprintf(path, sizeof(path), "%dkB", kb);
			json_object_object_add(sizes, path, s);
		}
		free(names[i]);
	}
	free(names);
	json_object_object_add(o, "sizes", sizes);
	return 0;
}
