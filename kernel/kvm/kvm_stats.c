// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "kernel/kvm/kvm_stats.h"
#include "src/lib/util.h"

struct kvm_stats {
	int fd;
	struct kvm_stats_header header;
	size_t desc_size;
	char *descs;		/* header.num_desc descriptors of desc_size bytes */
};

int kvm_stats_open(int fd, struct kvm_stats **out, char *err, size_t errlen)
{
	struct kvm_stats *s;
	size_t len;
	int ret;

	s = calloc(1, sizeof(*s));
	if (!s)
		return errf(err, errlen, -ENOMEM, "out of memory for KVM stats");
	s->fd = ioctl(fd, KVM_GET_STATS_FD, NULL);
	if (s->fd < 0) {
		ret = -errno;
		free(s);
		return errf(err, errlen, ret,
			    "KVM_GET_STATS_FD: %s (needs KVM_CAP_BINARY_STATS_FD)", strerror(-ret));
	}
	if (pread(s->fd, &s->header, sizeof(s->header), 0) != sizeof(s->header))
		goto bad;
	s->desc_size = sizeof(struct kvm_stats_desc) + s->header.name_size;
	len = s->desc_size * s->header.num_desc;
	s->descs = malloc(len);
	if (!s->descs || pread(s->fd, s->descs, len, s->header.desc_offset) != (ssize_t)len)
		goto bad;
	*out = s;
	return 0;
bad:
	kvm_stats_close(s);
	return errf(err, errlen, -EIO, "KVM stats fd: short read of header or descriptors");
}

void kvm_stats_close(struct kvm_stats *s)
{
	if (!s)
		return;
	close(s->fd);
	free(s->descs);
	free(s);
}

int kvm_stats_read(struct kvm_stats *s, const char *name, uint64_t *value)
{
	for (uint32_t i = 0; i < s->header.num_desc; i++) {
		struct kvm_stats_desc *d = (void *)(s->descs + i * s->desc_size);

		if (strncmp(d->name, name, s->header.name_size))
			continue;
		if (pread(s->fd, value, sizeof(*value), s->header.data_offset + d->offset) !=
		    sizeof(*value))
			return -EIO;
		return 0;
	}
	return -ENOENT;
}
