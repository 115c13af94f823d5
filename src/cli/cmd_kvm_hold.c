// SPDX-License-Identifier: GPL-2.0
/*
 * `mmubench kvm-hold`: keeps one idle VM (no vCPUs, no memory) open until
 * SIGTERM. The rig starts it before the command, because creating the first
 * VM and destroying the last one flip KVM's preempt-notifier static key, and
 * every flip patches __schedule() while the other CPUs run it. Under QEMU's
 * multi-threaded TCG that patching now and then leaves a CPU executing a
 * stale int3 (an "Oops: int3" in __schedule); with one VM held, the key stays
 * on and the command's VMs come and go without patching kernel text. A host
 * with any VM running is in the same state.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>

#include "src/cli/commands.h"

int cmd_kvm_hold(int argc, char **argv)
{
	static const struct opt_desc none[] = { OPT_END };
	struct opt_group groups[] = { { none, NULL, NULL }, { NULL } };
	char err[512];
	int kvm, vm, sig, idx;
	sigset_t wait;

	argv[0] = "mmubench kvm-hold";
	idx = opts_parse(groups, argc, argv, err, sizeof(err));
	if (idx == -EAGAIN) {
		printf("usage: mmubench kvm-hold\n\n"
		       "Keeps one idle VM open until SIGTERM or SIGINT, printing \"ready\" once "
		       "it\n"
		       "exists, so that creating and destroying other VMs does not flip KVM's\n"
		       "preempt-notifier static key. The rig runs it; see mmubench rig --help.\n");
		return EXIT_OK;
	}
	if (idx < 0)
		return opts_usage_error("%s", err);
	if (idx < argc)
		return opts_usage_error("mmubench kvm-hold: unexpected argument '%s' (see mmubench "
					"kvm-hold --help)",
					argv[idx]);
	/* blocked before the VM exists, so that no signal is lost in between */
	sigemptyset(&wait);
	sigaddset(&wait, SIGTERM);
	sigaddset(&wait, SIGINT);
	sigprocmask(SIG_BLOCK, &wait, NULL);
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		fprintf(stderr, "mmubench kvm-hold: /dev/kvm: %s\n", strerror(errno));
		return EXIT_ERROR;
	}
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		fprintf(stderr, "mmubench kvm-hold: KVM_CREATE_VM: %s\n", strerror(errno));
		close(kvm);
		return EXIT_ERROR;
	}
	printf("ready\n");
	fflush(stdout);
	sigwait(&wait, &sig);
	close(vm);
	close(kvm);
	return EXIT_OK;
}
