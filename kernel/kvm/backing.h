/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How a guest memory region is backed on the host: one descriptor + ops per
 * kind (anon, thp, hugetlb, shmem, file, guest_memfd). A kind the kernel cannot
 * provide here returns -EOPNOTSUPP with the reason and the knob to change, which
 * callers turn into a skip.
 */
#ifndef MMUBENCH_BACKING_H
#define MMUBENCH_BACKING_H

#include <stddef.h>
#include <stdint.h>

#define BACKING_THP_DIR		"/sys/kernel/mm/transparent_hugepage"
#define BACKING_THP_ENABLED	BACKING_THP_DIR "/enabled"
#define BACKING_THP_ON_HINT	"echo madvise > " BACKING_THP_ENABLED
#define BACKING_HUGEPAGES_DIR	"/sys/kernel/mm/hugepages"

struct kvm_vm;
struct json_object;

struct backing {
	const struct backing_desc *desc;
	void *hva;
	uint64_t size;
	uint64_t host_page_size;	/* page size the host is asked for: 4K or 2M */
	int fd;				/* memfd or file, -1 for anonymous memory */
	int guest_memfd;		/* -1 unless guest_memfd */
	uint32_t memslot_flags;		/* KVM_MEM_GUEST_MEMFD for guest_memfd */
	void *map_base;			/* what to munmap (may precede hva for alignment) */
	size_t map_len;
};

struct backing_desc {
	const char *name;
	const char *help;
	/* @path: --backing-file for "file"; @vm: for guest_memfd */
	int (*map)(struct backing *b, uint64_t size, const char *path, struct kvm_vm *vm,
		   char *err, size_t errlen);
};

extern const struct backing_desc *const backing_kinds[];
/* The i-th kind's name, NULL past the end (--backing's choices_fn). */
const char *backing_name(size_t i);

int backing_map(const struct backing_desc *desc, uint64_t size, const char *path,
		struct kvm_vm *vm, struct backing *out, char *err, size_t errlen);
void backing_unmap(struct backing *b);

/* Checks a --backing-file path before anything runs: -ENOENT/-EINVAL with a message. */
int backing_check_path(const char *path, uint64_t size, char *err, size_t errlen);

/*
 * The prober's "mm.thp" and "mm.hugetlb": fill @o with
 * {"present", "enabled", "defrag", "shmem_enabled", "hint"?} and
 * {"present", "default_size_kb", "sizes": {"2048kB": {"nr_hugepages",
 * "free_hugepages", "hint"?}}, "hint"?}. 0 or -ENOMEM.
 */
int backing_probe_thp(struct json_object *o);
int backing_probe_hugetlb(struct json_object *o);

#endif
