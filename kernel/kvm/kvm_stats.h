/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KVM binary statistics (KVM_GET_STATS_FD, Documentation/virt/kvm/api.rst
 * "KVM_GET_STATS_FD") of a VM or a vCPU: read by name, no debugfs needed.
 */
#ifndef MMUBENCH_KVM_STATS_H
#define MMUBENCH_KVM_STATS_H

#include <stddef.h>
#include <stdint.h>

struct kvm_stats;

/* @fd is a VM or vCPU fd. */
int kvm_stats_open(int fd, struct kvm_stats **out, char *err, size_t errlen);
void kvm_stats_close(struct kvm_stats *s);
/* First value of the statistic @name (e.g. "pf_taken", "pages_4k"); -ENOENT if absent. */
int kvm_stats_read(struct kvm_stats *s, const char *name, uint64_t *value);

#endif
