// SPDX-License-Identifier: GPL-2.0
/*
 * QEMU for the rig: which accelerator and how many TCG threads, the command
 * line, the console followed line by line (for errors, the retry decision
 * and the command's stderr), and signals that stop the guest rather than
 * orphan it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kernel/kvm/kvm_probe.h"
#include "src/lib/spawn.h"
#include "src/lib/util.h"
#include "src/rig/rig_priv.h"

void qemu_choose_accel(struct rig *rig)
{
	enum kvm_flavour f = kvm_probe_flavour();
	bool hw = (f == KVM_FLAVOUR_VMX || f == KVM_FLAVOUR_SVM) && !kvm_probe_usable(NULL, 0);

	if (rig->cfg.accel == RIG_ACCEL_TCG || (rig->cfg.accel == RIG_ACCEL_AUTO && !hw)) {
		rig->accel = "tcg";
		rig->accel_reason = rig->cfg.accel == RIG_ACCEL_TCG ? "--accel tcg" :
			f == KVM_FLAVOUR_PVM ? "auto: /dev/kvm is PVM, which cannot run an "
					       "unmodified kernel: TCG with an EPYC model "
					       "(SVM, NPT)" :
			"auto: no hardware-virtualization /dev/kvm: TCG with an EPYC model "
			"(SVM, NPT)";
	} else {
		rig->accel = "kvm";
		rig->accel_reason = rig->cfg.accel == RIG_ACCEL_KVM ? "--accel kvm" :
				    "auto: /dev/kvm with VMX or SVM: KVM, -cpu host, nested";
	}
	/*
	 * Under TCG, one host thread unless the guest's KVM shadows L2's page
	 * tables: QEMU 7.2's multi-threaded walk of L1's nested page tables can
	 * race L1 KVM's updates to them (README, "TCG threads").
	 */
	rig->tcg_threads = rig->cfg.tcg_threads;
	rig->tcg_threads_reason = rig->cfg.tcg_threads == RIG_TCG_MULTI ? "--tcg-threads multi" :
				  "--tcg-threads single";
	if (rig->cfg.tcg_threads == RIG_TCG_AUTO) {
		bool shadow = rig->cfg.kvm_params && (strstr(rig->cfg.kvm_params, "npt=0") ||
						      strstr(rig->cfg.kvm_params, "ept=0"));

		rig->tcg_threads = shadow ? RIG_TCG_MULTI : RIG_TCG_SINGLE;
		rig->tcg_threads_reason = shadow ? "auto: shadow MMU in the guest" :
					  "auto: TDP in the guest";
	}
}

/* -object/-numa pairs: CPUs and memory split evenly over the nodes. */
static int qemu_numa(const struct rig *rig, struct qemu_cmdline *cmd, int n)
{
	uint64_t mb = rig->cfg.mem >> 20, nodes = rig->cfg.numa;

	for (uint64_t i = 0; i < nodes && nodes > 1 && i < QEMU_MAX_NUMA; i++) {
		uint64_t first = i * rig->cfg.cpus / nodes;
		uint64_t last = (i + 1) * rig->cfg.cpus / nodes - 1;

		snprintf(cmd->numa[i][0], sizeof(cmd->numa[i][0]),
			 "memory-backend-ram,id=m%" PRIu64 ",size=%" PRIu64 "M", i, mb / nodes);
		snprintf(cmd->numa[i][1], sizeof(cmd->numa[i][1]),
			 "node,nodeid=%" PRIu64 ",cpus=%" PRIu64 "-%" PRIu64 ",memdev=m%" PRIu64,
			 i, first, last, i);
		cmd->argv[n++] = "-object";
		cmd->argv[n++] = cmd->numa[i][0];
		cmd->argv[n++] = "-numa";
		cmd->argv[n++] = cmd->numa[i][1];
	}
	return n;
}

/* The QEMU command line, into @cmd (argv points into it and at @rig). */
int qemu_cmdline(const struct rig *rig, struct qemu_cmdline *cmd)
{
	char **argv = cmd->argv;
	int n = 0;

	snprintf(cmd->smp, sizeof(cmd->smp), "%" PRIu64, rig->cfg.cpus);
	snprintf(cmd->mem, sizeof(cmd->mem), "%" PRIu64 "M", rig->cfg.mem >> 20);
	snprintf(cmd->initrd, sizeof(cmd->initrd), "%s/initramfs.cpio.gz", rig->workdir);
	snprintf(cmd->data, sizeof(cmd->data), "file:%s/data", rig->workdir);
	/* maxcpus=1 under kvm-hold: rig-init brings the other CPUs up once the VM is held */
	snprintf(cmd->append, sizeof(cmd->append),
		 "console=ttyS0,115200 panic=-1 oops=panic quiet loglevel=3 rdinit=/init%s%s%s",
		 rig_kvm_hold(rig) ? " maxcpus=1" : "",
		 rig->cfg.cmdline ? " " : "", rig->cfg.cmdline ? rig->cfg.cmdline : "");

	argv[n++] = "qemu-system-x86_64";
	argv[n++] = "-accel";
	if (!strcmp(rig->accel, "kvm")) {
		argv[n++] = "kvm";
		argv[n++] = "-cpu";
		argv[n++] = "host";
	} else {
		argv[n++] = rig->tcg_threads == RIG_TCG_MULTI ? "tcg,thread=multi" :
								"tcg,thread=single";
		argv[n++] = "-cpu";
		argv[n++] = "EPYC,+svm,+npt";
	}
	argv[n++] = "-smp";
	argv[n++] = cmd->smp;
	argv[n++] = "-m";
	argv[n++] = cmd->mem;
	n = qemu_numa(rig, cmd, n);
	argv[n++] = "-kernel";
	argv[n++] = (char *)rig->kernel;
	argv[n++] = "-initrd";
	argv[n++] = cmd->initrd;
	argv[n++] = "-append";
	argv[n++] = cmd->append;
	argv[n++] = "-display";
	argv[n++] = "none";
	argv[n++] = "-monitor";
	argv[n++] = "none";
	argv[n++] = "-serial";
	argv[n++] = "stdio";
	argv[n++] = "-serial";
	argv[n++] = cmd->data;
	argv[n++] = "-no-reboot";
	argv[n++] = "-nodefaults";
	argv[n] = NULL;
	return n < QEMU_MAX_ARGS ? 0 : -E2BIG;
}

/* One console line (without its end): what it tells the rig, and whether to show it. */
void qemu_console_line(struct rig *rig, char *line)
{
	struct rig_boot *b = &rig->boot;
	char *p;

	/* the serial console ends lines with \r\n */
	line[strcspn(line, "\r\n")] = 0;
	snprintf(b->tail[b->ntail++ % RIG_TAIL_LINES], sizeof(b->tail[0]), "%s", line);
	p = strstr(line, "MMUBENCH-RIG-ERROR ");
	if (p)
		snprintf(b->guest_error, sizeof(b->guest_error), "%s", p + 19);
	else if (strstr(line, "mmubench-rig: running:"))
		b->command_started = true;
	else if (strstr(line, "Kernel panic") && !b->guest_error[0])
		snprintf(b->guest_error, sizeof(b->guest_error), "%s", line);
	if (strstr(line, "Oops: int3"))
		b->int3_oops = true;
	/* the command's stderr: mmubench's lines, or all of an --exec program's */
	if (rig->cfg.verbose || !strncmp(line, "mmubench", 8) ||
	    (rig->cfg.exec && b->command_started && line[0] != '['))
		fprintf(stderr, "%s\n", line);
}

void qemu_print_tail(const struct rig *rig)
{
	const struct rig_boot *b = &rig->boot;
	unsigned int n = b->ntail < RIG_TAIL_LINES ? b->ntail : RIG_TAIL_LINES;

	fprintf(stderr, "mmubench rig: last %u console lines:\n", n);
	for (unsigned int i = b->ntail - n; i < b->ntail; i++)
		fprintf(stderr, "  | %s\n", b->tail[i % RIG_TAIL_LINES]);
}

/*
 * SIGINT, SIGTERM or SIGHUP to the rig: QEMU is killed and the work
 * directory removed, instead of leaving an orphaned guest behind.
 */
static volatile sig_atomic_t qemu_signalled;

static void qemu_on_signal(int sig)
{
	qemu_signalled = sig;
}

void qemu_catch_signals(void)
{
	struct sigaction sa = { .sa_handler = qemu_on_signal };	/* no SA_RESTART: poll() returns */

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* Follows the console on @fd until QEMU closes it, @deadline or a signal; true on timeout. */
static bool qemu_follow(struct rig *rig, int fd, pid_t pid, uint64_t deadline)
{
	char buf[4096], line[4096];
	size_t used = 0;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		uint64_t now = now_ns();
		ssize_t n;
		int ret;

		if (now >= deadline) {
			kill(pid, SIGKILL);
			return true;
		}
		if (qemu_signalled) {
			kill(pid, SIGKILL);
			return false;
		}
		ret = poll(&p, 1, (int)((deadline - now) / 1000000 + 1));
		if (ret < 0 && errno != EINTR)
			return false;
		if (ret <= 0)
			continue;
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			return false;
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n' || used == sizeof(line) - 1) {
				line[used] = 0;
				qemu_console_line(rig, line);
				used = 0;
			} else {
				line[used++] = buf[i];
			}
		}
	}
}

/* Boots QEMU and follows its console until it exits or the timeout. */
int qemu_boot(struct rig *rig, char *err, size_t errlen)
{
	struct qemu_cmdline cmd;
	char qemu_log[PATH_MAX];
	uint64_t deadline = now_ns() + rig->cfg.timeout_s * 1000000000ull;
	/* QEMU's own messages (e.g. CPUID bits TCG lacks) are shown only when it fails */
	struct spawn_io io = { .stderr_path = qemu_log, .search_path = true };
	int pipefd[2], status, ret;
	bool timed_out;
	pid_t pid;

	if (qemu_cmdline(rig, &cmd))
		return errf(err, errlen, -E2BIG, "QEMU command line too long");
	snprintf(qemu_log, sizeof(qemu_log), "%s/qemu.log", rig->workdir);
	if (pipe2(pipefd, O_CLOEXEC))
		return errf(err, errlen, -errno, "pipe: %s", strerror(errno));
	io.stdout_fd = pipefd[1];
	ret = spawn_start(cmd.argv, &io, &pid);
	close(pipefd[1]);
	if (ret) {
		close(pipefd[0]);
		return errf(err, errlen, ret, "%s: %s (install the Debian package qemu-system-x86)",
			    cmd.argv[0], strerror(-ret));
	}
	if (strcmp(rig->accel, "kvm"))
		fprintf(stderr, "mmubench rig: booting %s (%s) with tcg: %s; thread=%s (%s)\n",
			rig->release, rig->kernel, rig->accel_reason,
			rig_tcg_thread_names[rig->tcg_threads], rig->tcg_threads_reason);
	else
		fprintf(stderr, "mmubench rig: booting %s (%s) with kvm: %s\n", rig->release,
			rig->kernel, rig->accel_reason);

	timed_out = qemu_follow(rig, pipefd[0], pid, deadline);
	close(pipefd[0]);
	status = spawn_wait(pid);
	if (qemu_signalled)
		return errf(err, errlen, -EINTR, "interrupted by signal %d: the guest was stopped",
			    (int)qemu_signalled);
	if (timed_out) {
		qemu_print_tail(rig);
		return errf(err, errlen, -ETIMEDOUT,
			    "the guest did not finish within %" PRIu64 " s (--timeout)",
			    rig->cfg.timeout_s);
	}
	if (rig->boot.guest_error[0]) {
		qemu_print_tail(rig);
		return errf(err, errlen, -EIO, "in the guest: %s", rig->boot.guest_error);
	}
	if (status) {
		char *cat[] = { "/bin/cat", qemu_log, NULL };
		struct spawn_io to_stderr = { .stdout_fd = STDERR_FILENO };

		qemu_print_tail(rig);
		spawn_run(cat, &to_stderr);
		return errf(err, errlen, -EIO, "QEMU failed (status %d): its messages are above",
			    status);
	}
	return 0;
}
