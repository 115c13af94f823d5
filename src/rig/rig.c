// SPDX-License-Identifier: GPL-2.0
/*
 * `mmubench rig --kernel K [options] -- COMMAND...`: boots the kernel under
 * test in QEMU with mmubench inside (scripts/rig-initramfs, scripts/rig-init),
 * runs COMMAND there and brings back its stdout, its exit status and its
 * result records, which go into the host's store tagged with the rig.
 *
 * Why not virtme-ng: it is not in Debian 12, and mmubench needs a small,
 * fixed guest (KVM modules with chosen parameters, cgroup v2, zram swap, a
 * raw results channel) more than a copy of the host's userspace.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "src/cli/commands.h"
#include "src/record/json_in.h"
#include "src/record/json_out.h"
#include "src/lib/env.h"
#include "src/lib/options.h"
#include "kernel/kvm/kvm_probe.h"
#include "src/store/store.h"
#include "src/lib/util.h"

extern char **environ;

enum rig_accel { RIG_ACCEL_AUTO, RIG_ACCEL_KVM, RIG_ACCEL_TCG };

struct rig_config {
	const char *kernel;
	const char *modules;
	int accel;
	int tcg_threads;
	uint64_t cpus;
	uint64_t mem;
	uint64_t numa;
	uint64_t swap;
	const char *cmdline;
	const char *kvm_params;
	uint64_t timeout_s;
	uint64_t retries;
	const char *store;
	bool no_store;
	const char *json_dir;
	bool verbose;
	bool keep;
	const char *extra;
	bool exec;
};

static const char *const accel_names[] = { "auto", "kvm", "tcg", NULL };

enum rig_tcg_threads { RIG_TCG_AUTO, RIG_TCG_MULTI, RIG_TCG_SINGLE };
static const char *const tcg_thread_names[] = { "auto", "multi", "single", NULL };

#define RCFG(f) offsetof(struct rig_config, f)

const struct opt_desc rig_options[] = {
	{ "kernel", OPT_STRING, RCFG(kernel), NULL, "IMAGE|bookworm|unstable",
	  "kernel to boot: a bzImage, or a Debian suite (fetched and cached by scripts/fetch-kernel)" },
	{ "modules", OPT_STRING, RCFG(modules), NULL, "DIR",
	  "its modules (.../lib/modules/RELEASE) [default: found next to a fetched kernel]" },
	{ "accel", OPT_ENUM, RCFG(accel), "auto", NULL,
	  "auto: KVM with nested when /dev/kvm is VMX or SVM, else TCG (EPYC model with SVM and NPT)",
	  .choices = accel_names },
	{ "tcg-threads", OPT_ENUM, RCFG(tcg_threads), "auto", NULL,
	  "TCG only. single: one host thread for all guest CPUs, about 3.4 times slower with "
	  "2 busy CPUs. multi: a host thread per guest CPU (MTTCG), which with QEMU 7.2 now "
	  "and then breaks a nested-TDP guest (a triple fault) and oopses on kernel text "
	  "patching (avoided with maxcpus=1 and an idle VM, mmubench kvm-hold; retried, "
	  "--retries). auto: single with TDP, multi with the shadow MMU (npt=0, ept=0); see README",
	  .choices = tcg_thread_names },
	{ "cpus", OPT_UINT, RCFG(cpus), "2", "N", "guest CPUs", .min = 1, .max = 64 },
	{ "mem", OPT_SIZE, RCFG(mem), "4G", "SIZE", "guest memory", .min = 256 << 20, .max = 1ull << 40 },
	{ "numa", OPT_UINT, RCFG(numa), "1", "NODES",
	  "emulated NUMA nodes, CPUs and memory split evenly", .min = 1, .max = 8 },
	{ "swap", OPT_SIZE, RCFG(swap), "1G", "SIZE", "zram swap in the guest (0: none)" },
	{ "cmdline", OPT_STRING, RCFG(cmdline), NULL, "TEXT", "extra kernel command line" },
	{ "kvm-param", OPT_STRING, RCFG(kvm_params), NULL, "P=V,...",
	  "KVM module parameters, e.g. npt=0 (shadow MMU), tdp_mmu=0, kvm_amd.avic=1" },
	{ "timeout", OPT_UINT, RCFG(timeout_s), "900", "SEC", "kill the guest after SEC seconds",
	  .min = 10, .max = 86400 },
	{ "retries", OPT_UINT, RCFG(retries), "1", "N",
	  "boot again up to N times when the guest dies before the command starts, "
	  "or hits an int3 oops under MTTCG (every retry is reported and recorded in "
	  "env.rig.retried)", .max = 10 },
	{ "store", OPT_STRING, RCFG(store), NULL, "FILE", "host store for the records [default: as run]" },
	{ "no-store", OPT_FLAG, RCFG(no_store), NULL, NULL, "do not store the records on the host" },
	{ "json-dir", OPT_STRING, RCFG(json_dir), NULL, "DIR", "also write each record to DIR/RUN_ID.json" },
	{ "verbose", OPT_FLAG, RCFG(verbose), NULL, NULL, "show the whole guest console" },
	{ "keep", OPT_FLAG, RCFG(keep), NULL, NULL, "keep the work directory (initramfs, console, data)" },
	{ "extra", OPT_STRING, RCFG(extra), NULL, "FILE,...",
	  "also put these programs (with the libraries ldd names) in the guest's /bin" },
	{ "exec", OPT_FLAG, RCFG(exec), NULL, NULL,
	  "COMMAND is a program of its own (e.g. one of --extra), not a mmubench command: "
	  "its stdout and exit status come back, no records" },
	OPT_END
};

#define RIG_TAIL_LINES 40

struct rig {
	struct rig_config cfg;
	char workdir[PATH_MAX];
	char kernel[PATH_MAX];
	char modules[PATH_MAX];
	char release[128];
	const char *accel;		/* "kvm" or "tcg" */
	const char *accel_reason;
	int tcg_threads;		/* resolved: RIG_TCG_MULTI or RIG_TCG_SINGLE */
	const char *tcg_threads_reason;
	char tail[RIG_TAIL_LINES][256];	/* last console lines, for errors */
	unsigned int ntail;
	char guest_error[512];		/* MMUBENCH-RIG-ERROR or a panic line */
	bool command_started;		/* rig-init said "running: ..." */
	bool int3_oops;			/* "Oops: int3" on the console */
	int boots;			/* boots tried */
	char retried[512];		/* why each earlier boot was given up, "; "-separated */
};

/* Under multi-threaded TCG the guest holds one idle VM: see src/cli/cmd_kvm_hold.c. */
static bool rig_kvm_hold(const struct rig *rig)
{
	return strcmp(rig->accel, "kvm") && rig->tcg_threads == RIG_TCG_MULTI;
}

/*
 * Whether a failed boot is worth another: the guest died before the command
 * started (TCG on a loaded host), or, under multi-threaded TCG, it hit an
 * int3 oops. QEMU 7.2's MTTCG can run a stale translation of kernel text the
 * guest just patched (static keys: text_poke_bp() leaves an int3 for a while),
 * after the patching is over; the oops is the emulator's, not the kernel's,
 * so the command is run again on a new boot, and the record says so.
 */
static bool rig_boot_again(const struct rig *rig, int ret, const char *err)
{
	if (!ret || ret == -ETIMEDOUT || ret == -EINTR || rig->boots > (int)rig->cfg.retries ||
	    strstr(err, "MMUBENCH-RIG-ERROR"))
		return false;
	if (rig_kvm_hold(rig) && rig->int3_oops)
		return true;
	return !rig->command_started &&
	       (!rig->guest_error[0] || strstr(rig->guest_error, "Kernel panic"));
}

/* A helper script: from the source tree when running from a build, else installed. */
static void rig_script(const char *name, char *buf, size_t len)
{
#ifdef MMUBENCH_SRCDIR
	snprintf(buf, len, "%s/scripts/%s", MMUBENCH_SRCDIR, name);
	if (access(buf, X_OK) == 0)
		return;
#endif
	snprintf(buf, len, "%s/%s", MMUBENCH_DATADIR, name);
}

/* Runs argv; its stdout goes to @out_fd (or stays ours when -1). Returns the exit status or -errno. */
static int rig_spawn_wait(char *const argv[], int out_fd)
{
	posix_spawn_file_actions_t fa;
	int ret, status;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	if (out_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	ret = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (ret)
		return -ret;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The release string inside a bzImage (boot protocol: kernel_version at 0x20e). */
static int rig_bzimage_release(const char *path, char *buf, size_t len)
{
	unsigned char hdr[0x210];
	char text[256];
	uint16_t off;
	FILE *f = fopen(path, "rb");

	if (!f)
		return -errno;
	if (fread(hdr, 1, sizeof(hdr), f) != sizeof(hdr) || memcmp(hdr + 0x202, "HdrS", 4)) {
		fclose(f);
		return -EINVAL;
	}
	off = hdr[0x20e] | hdr[0x20f] << 8;
	if (fseek(f, off + 0x200, SEEK_SET) || !fgets(text, sizeof(text), f)) {
		fclose(f);
		return -EINVAL;
	}
	fclose(f);
	text[strcspn(text, " ")] = 0;
	snprintf(buf, len, "%s", text);
	return 0;
}

/* --kernel bookworm|unstable: ask scripts/fetch-kernel (cached after the first time). */
static int rig_fetch_kernel(struct rig *rig, char *err, size_t errlen)
{
	char script[PATH_MAX], out[PATH_MAX], line[3 * PATH_MAX];
	char *argv[] = { script, (char *)rig->cfg.kernel, NULL };
	int fd, ret;
	FILE *f;

	rig_script("fetch-kernel", script, sizeof(script));
	snprintf(out, sizeof(out), "%s/fetch.out", rig->workdir);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return errf(err, errlen, -errno, "%s: %s", out, strerror(errno));
	fprintf(stderr, "mmubench rig: fetching the %s kernel (cached after the first time)\n",
		rig->cfg.kernel);
	ret = rig_spawn_wait(argv, fd);
	close(fd);
	if (ret)
		return errf(err, errlen, -EIO, "%s %s failed (status %d): see its messages above",
			    script, rig->cfg.kernel, ret);
	f = fopen(out, "r");
	if (!f || !fgets(line, sizeof(line), f) ||
	    sscanf(line, "%127s %4095s %4095s", rig->release, rig->kernel, rig->modules) != 3) {
		if (f)
			fclose(f);
		return errf(err, errlen, -EIO, "%s printed no kernel", script);
	}
	fclose(f);
	return 0;
}

static int rig_resolve_kernel(struct rig *rig, char *err, size_t errlen)
{
	struct stat st;
	int ret;

	if (!rig->cfg.kernel)
		return errf(err, errlen, -EINVAL, "--kernel is required (a bzImage, bookworm or unstable)");
	if (stat(rig->cfg.kernel, &st)) {
		if (strchr(rig->cfg.kernel, '/'))
			return errf(err, errlen, -ENOENT, "--kernel %s: %s", rig->cfg.kernel, strerror(errno));
		ret = rig_fetch_kernel(rig, err, errlen);
		if (ret)
			return ret;
	} else {
		snprintf(rig->kernel, sizeof(rig->kernel), "%s", rig->cfg.kernel);
		if (rig_bzimage_release(rig->kernel, rig->release, sizeof(rig->release)))
			return errf(err, errlen, -EINVAL, "--kernel %s is not a bzImage", rig->kernel);
	}
	if (rig->cfg.modules) {
		snprintf(rig->modules, sizeof(rig->modules), "%s", rig->cfg.modules);
	} else if (!rig->modules[0]) {
		/* next to an unpacked Debian package: ROOT/boot/vmlinuz-REL, ROOT/[usr/]lib/modules/REL */
		char dir[PATH_MAX];

		snprintf(dir, sizeof(dir), "%s", rig->kernel);
		*strrchr(dir, '/') = 0;
		snprintf(rig->modules, sizeof(rig->modules), "%s/../lib/modules/%s", dir, rig->release);
		if (access(rig->modules, F_OK))
			snprintf(rig->modules, sizeof(rig->modules), "%s/../usr/lib/modules/%s", dir,
				 rig->release);
	}
	if (access(rig->modules, F_OK))
		return errf(err, errlen, -ENOENT,
			    "no modules for %s at %s: pass --modules DIR (.../lib/modules/%s)",
			    rig->release, rig->modules, rig->release);
	return 0;
}

static void rig_choose_accel(struct rig *rig)
{
	enum kvm_flavour f = kvm_probe_flavour();
	bool hw = (f == KVM_FLAVOUR_VMX || f == KVM_FLAVOUR_SVM) && !kvm_probe_usable(NULL, 0);

	if (rig->cfg.accel == RIG_ACCEL_TCG || (rig->cfg.accel == RIG_ACCEL_AUTO && !hw)) {
		rig->accel = "tcg";
		rig->accel_reason = rig->cfg.accel == RIG_ACCEL_TCG ? "--accel tcg" :
			f == KVM_FLAVOUR_PVM ? "auto: /dev/kvm is PVM, which cannot run an unmodified kernel: TCG with an EPYC model (SVM, NPT)" :
			"auto: no hardware-virtualization /dev/kvm: TCG with an EPYC model (SVM, NPT)";
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

/* Shell-quotes one argument for scripts/rig-init's `eval set --`. */
static void rig_quote(FILE *f, const char *arg)
{
	fputc('\'', f);
	for (; *arg; arg++) {
		if (*arg == '\'')
			fputs("'\\''", f);
		else
			fputc(*arg, f);
	}
	fputs("' ", f);
}

/* KVM module parameters as MODPARAM_<module> lines for rig-init. */
static int rig_write_conf(struct rig *rig, char *err, size_t errlen)
{
	char path[PATH_MAX], list[1024], *save, *p;
	char kvm[512] = "", amd[512] = "nested=1", intel[512] = "nested=1";
	FILE *f;

	snprintf(list, sizeof(list), "%s", rig->cfg.kvm_params ? rig->cfg.kvm_params : "");
	for (p = strtok_r(list, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		char *dot = strchr(p, '.'), *eq = strchr(p, '=');
		char *dst = kvm;

		if (!eq)
			return errf(err, errlen, -EINVAL, "--kvm-param '%s': expected PARAM=VALUE", p);
		if (dot && dot < eq) {
			*dot = 0;
			dst = !strcmp(p, "kvm_amd") ? amd : !strcmp(p, "kvm_intel") ? intel :
			      !strcmp(p, "kvm") ? kvm : NULL;
			if (!dst)
				return errf(err, errlen, -EINVAL, "--kvm-param: unknown module '%s'", p);
			p = dot + 1;
		} else if (!strncmp(p, "npt=", 4) || !strncmp(p, "avic=", 5)) {
			dst = amd;
		} else if (!strncmp(p, "ept=", 4) || !strncmp(p, "enable_apicv=", 13)) {
			dst = intel;
		} else if (!strncmp(p, "nested=", 7)) {
			snprintf(amd, sizeof(amd), "%s", p);	/* replaces the default */
			snprintf(intel, sizeof(intel), "%s", p);
			continue;
		}
		snprintf(dst + strlen(dst), 512 - strlen(dst), "%s%s", *dst ? " " : "", p);
	}

	snprintf(path, sizeof(path), "%s/rig.conf", rig->workdir);
	f = fopen(path, "w");
	if (!f)
		return errf(err, errlen, -errno, "%s: %s", path, strerror(errno));
	fprintf(f, "MODPARAM_kvm='%s'\nMODPARAM_kvm_amd='%s'\nMODPARAM_kvm_intel='%s'\n"
		"RIG_SWAP=%" PRIu64 "\nRIG_EXEC=%d\nRIG_KVM_HOLD=%d\n", kvm, amd, intel, rig->cfg.swap,
		rig->cfg.exec, rig_kvm_hold(rig));
	fclose(f);
	return 0;
}

static int rig_write_args(struct rig *rig, int argc, char **argv, char *err, size_t errlen)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/rig.args", rig->workdir);
	f = fopen(path, "w");
	if (!f)
		return errf(err, errlen, -errno, "%s: %s", path, strerror(errno));
	for (int i = 0; i < argc; i++)
		rig_quote(f, argv[i]);
	fputc('\n', f);
	fclose(f);
	return 0;
}

static int rig_build_initramfs(struct rig *rig, char *err, size_t errlen)
{
	char script[PATH_MAX], out[PATH_MAX], bin[PATH_MAX], conf[PATH_MAX], args[PATH_MAX];
	char *argv[] = { script, out, rig->modules, bin, conf, args,
			 (char *)(rig->cfg.extra ? rig->cfg.extra : ""), NULL };
	ssize_t n;
	int ret;

	rig_script("rig-initramfs", script, sizeof(script));
	snprintf(out, sizeof(out), "%s/initramfs.cpio.gz", rig->workdir);
	snprintf(conf, sizeof(conf), "%s/rig.conf", rig->workdir);
	snprintf(args, sizeof(args), "%s/rig.args", rig->workdir);
	n = readlink("/proc/self/exe", bin, sizeof(bin) - 1);
	if (n < 0)
		return errf(err, errlen, -errno, "/proc/self/exe: %s", strerror(errno));
	bin[n] = 0;
	ret = rig_spawn_wait(argv, STDERR_FILENO);
	if (ret)
		return errf(err, errlen, ret < 0 ? ret : -EIO,
			    "%s failed (status %d): see its message above", script, ret);
	return 0;
}

/* The QEMU command line; its strings are static: one rig per process. */
static int rig_qemu_argv(struct rig *rig, char **argv, int max)
{
	static char smp[32], mem[32], append[2048], initrd[PATH_MAX], data[PATH_MAX + 16];
	static char numa[8][2][128];
	uint64_t mb = rig->cfg.mem >> 20, nodes = rig->cfg.numa;
	int n = 0;

	snprintf(smp, sizeof(smp), "%" PRIu64, rig->cfg.cpus);
	snprintf(mem, sizeof(mem), "%" PRIu64 "M", mb);
	snprintf(initrd, sizeof(initrd), "%s/initramfs.cpio.gz", rig->workdir);
	snprintf(data, sizeof(data), "file:%s/data", rig->workdir);
	/* maxcpus=1 under kvm-hold: rig-init brings the other CPUs up once the VM is held */
	snprintf(append, sizeof(append),
		 "console=ttyS0,115200 panic=-1 oops=panic quiet loglevel=3 rdinit=/init%s%s%s",
		 rig_kvm_hold(rig) ? " maxcpus=1" : "",
		 rig->cfg.cmdline ? " " : "", rig->cfg.cmdline ? rig->cfg.cmdline : "");

	argv[n++] = "qemu-system-x86_64";
	if (!strcmp(rig->accel, "kvm")) {
		argv[n++] = "-accel";
		argv[n++] = "kvm";
		argv[n++] = "-cpu";
		argv[n++] = "host";
	} else {
		argv[n++] = "-accel";
		argv[n++] = rig->tcg_threads == RIG_TCG_MULTI ? "tcg,thread=multi" :
								    "tcg,thread=single";
		argv[n++] = "-cpu";
		argv[n++] = "EPYC,+svm,+npt";
	}
	argv[n++] = "-smp";
	argv[n++] = smp;
	argv[n++] = "-m";
	argv[n++] = mem;
	for (uint64_t i = 0; i < nodes && nodes > 1; i++) {
		uint64_t first = i * rig->cfg.cpus / nodes, last = (i + 1) * rig->cfg.cpus / nodes - 1;

		snprintf(numa[i][0], sizeof(numa[i][0]), "memory-backend-ram,id=m%" PRIu64 ",size=%" PRIu64 "M",
			 i, mb / nodes);
		snprintf(numa[i][1], sizeof(numa[i][1]), "node,nodeid=%" PRIu64 ",cpus=%" PRIu64 "-%" PRIu64 ",memdev=m%" PRIu64,
			 i, first, last, i);
		argv[n++] = "-object";
		argv[n++] = numa[i][0];
		argv[n++] = "-numa";
		argv[n++] = numa[i][1];
	}
	argv[n++] = "-kernel";
	argv[n++] = rig->kernel;
	argv[n++] = "-initrd";
	argv[n++] = initrd;
	argv[n++] = "-append";
	argv[n++] = append;
	argv[n++] = "-display";
	argv[n++] = "none";
	argv[n++] = "-monitor";
	argv[n++] = "none";
	argv[n++] = "-serial";
	argv[n++] = "stdio";
	argv[n++] = "-serial";
	argv[n++] = data;
	argv[n++] = "-no-reboot";
	argv[n++] = "-nodefaults";
	argv[n] = NULL;
	return n < max ? 0 : -E2BIG;
}

static void rig_console_line(struct rig *rig, char *line)
{
	char *p;

	/* the serial console ends lines with \r\n */
	line[strcspn(line, "\r\n")] = 0;
	snprintf(rig->tail[rig->ntail++ % RIG_TAIL_LINES], sizeof(rig->tail[0]), "%s", line);
	if ((p = strstr(line, "MMUBENCH-RIG-ERROR ")))
		snprintf(rig->guest_error, sizeof(rig->guest_error), "%s", p + 19);
	else if (strstr(line, "mmubench-rig: running:"))
		rig->command_started = true;
	else if (strstr(line, "Kernel panic") && !rig->guest_error[0])
		snprintf(rig->guest_error, sizeof(rig->guest_error), "%s", line);
	if (strstr(line, "Oops: int3"))
		rig->int3_oops = true;
	/* the command's stderr: mmubench's lines, or all of an --exec program's */
	if (rig->cfg.verbose || !strncmp(line, "mmubench", 8) ||
	    (rig->cfg.exec && rig->command_started && line[0] != '['))
		fprintf(stderr, "%s\n", line);
}

static void rig_print_tail(struct rig *rig)
{
	unsigned int n = rig->ntail < RIG_TAIL_LINES ? rig->ntail : RIG_TAIL_LINES;

	fprintf(stderr, "mmubench rig: last %u console lines:\n", n);
	for (unsigned int i = rig->ntail - n; i < rig->ntail; i++)
		fprintf(stderr, "  | %s\n", rig->tail[i % RIG_TAIL_LINES]);
}

/*
 * SIGINT, SIGTERM or SIGHUP to the rig: QEMU is killed and the work
 * directory removed, instead of leaving an orphaned guest behind.
 */
static volatile sig_atomic_t rig_signalled;

static void rig_on_signal(int sig)
{
	rig_signalled = sig;
}

static void rig_catch_signals(void)
{
	struct sigaction sa = { .sa_handler = rig_on_signal };	/* no SA_RESTART: poll() returns */

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* Boots QEMU and follows its console until it exits or the timeout. */
static int rig_boot(struct rig *rig, char *err, size_t errlen)
{
	char *argv[64], buf[4096], line[4096], qemu_log[PATH_MAX];
	size_t used = 0;
	posix_spawn_file_actions_t fa;
	int pipefd[2], status, ret;
	uint64_t deadline = now_ns() + rig->cfg.timeout_s * 1000000000ull;
	bool timed_out = false;
	pid_t pid;

	if (rig_qemu_argv(rig, argv, 64))
		return errf(err, errlen, -E2BIG, "QEMU command line too long");
	snprintf(qemu_log, sizeof(qemu_log), "%s/qemu.log", rig->workdir);
	if (pipe2(pipefd, O_CLOEXEC))
		return errf(err, errlen, -errno, "pipe: %s", strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	/* QEMU's own messages (e.g. CPUID bits TCG lacks) are shown only when it fails */
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, qemu_log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ret = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (ret) {
		close(pipefd[0]);
		return errf(err, errlen, -ret, "%s: %s (install the Debian package qemu-system-x86)",
			    argv[0], strerror(ret));
	}
	if (strcmp(rig->accel, "kvm"))
		fprintf(stderr, "mmubench rig: booting %s (%s) with tcg: %s; thread=%s (%s)\n",
			rig->release, rig->kernel, rig->accel_reason,
			tcg_thread_names[rig->tcg_threads], rig->tcg_threads_reason);
	else
		fprintf(stderr, "mmubench rig: booting %s (%s) with kvm: %s\n", rig->release,
			rig->kernel, rig->accel_reason);

	for (;;) {
		struct pollfd p = { .fd = pipefd[0], .events = POLLIN };
		uint64_t now = now_ns();
		ssize_t n;

		if (now >= deadline) {
			timed_out = true;
			kill(pid, SIGKILL);
			break;
		}
		if (rig_signalled) {
			kill(pid, SIGKILL);
			break;
		}
		ret = poll(&p, 1, (int)((deadline - now) / 1000000 + 1));
		if (ret < 0 && errno != EINTR)
			break;
		if (ret <= 0)
			continue;
		n = read(pipefd[0], buf, sizeof(buf));
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n' || used == sizeof(line) - 1) {
				line[used] = 0;
				rig_console_line(rig, line);
				used = 0;
			} else {
				line[used++] = buf[i];
			}
		}
	}
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rig_signalled)
		return errf(err, errlen, -EINTR, "interrupted by signal %d: the guest was stopped",
			    (int)rig_signalled);
	if (timed_out) {
		rig_print_tail(rig);
		return errf(err, errlen, -ETIMEDOUT, "the guest did not finish within %" PRIu64 " s (--timeout)",
			    rig->cfg.timeout_s);
	}
	if (rig->guest_error[0]) {
		rig_print_tail(rig);
		return errf(err, errlen, -EIO, "in the guest: %s", rig->guest_error);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		char *cat[] = { "/bin/cat", qemu_log, NULL };

		rig_print_tail(rig);
		rig_spawn_wait(cat, STDERR_FILENO);
		return errf(err, errlen, -EIO, "QEMU failed (status %d): its messages are above",
			    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	}
	return 0;
}

/* Adds what the rig knows about itself to a record made inside it. */
static void rig_tag_record(struct rig *rig, struct record *rec)
{
	struct json_object *o = json_object_new_object();
	struct utsname u;

	uname(&u);
	json_object_object_add(o, "accel", json_object_new_string(rig->accel));
	json_object_object_add(o, "accel_reason", json_object_new_string(rig->accel_reason));
	if (strcmp(rig->accel, "kvm"))
		json_object_object_add(o, "tcg_threads",
				       json_object_new_string(tcg_thread_names[rig->tcg_threads]));
	if (strcmp(rig->accel, "kvm"))
		json_object_object_add(o, "tcg_threads_reason",
				       json_object_new_string(rig->tcg_threads_reason));
	json_object_object_add(o, "cpu_model", json_object_new_string(
		strcmp(rig->accel, "kvm") ? "EPYC,+svm,+npt" : "host"));
	json_object_object_add(o, "cpus", json_object_new_uint64(rig->cfg.cpus));
	json_object_object_add(o, "mem_bytes", json_object_new_uint64(rig->cfg.mem));
	json_object_object_add(o, "numa_nodes", json_object_new_uint64(rig->cfg.numa));
	json_object_object_add(o, "kvm_params", json_object_new_string(
		rig->cfg.kvm_params ? rig->cfg.kvm_params : ""));
	json_object_object_add(o, "kernel", json_object_new_string(rig->kernel));
	json_object_object_add(o, "kernel_release", json_object_new_string(rig->release));
	json_object_object_add(o, "host_kernel_release", json_object_new_string(u.release));
	json_object_object_add(o, "kvm_hold", json_object_new_boolean(rig_kvm_hold(rig)));
	json_object_object_add(o, "boots", json_object_new_int(rig->boots));
	if (rig->retried[0])
		json_object_object_add(o, "retried", json_object_new_string(rig->retried));
	json_object_object_add(rec->env, "rig", o);
}

/*
 * The results channel (second serial port): "MMUBENCH-FILE KIND LEN\n" + LEN
 * bytes, repeated, then "MMUBENCH-EXIT STATUS\n".
 */
static int rig_collect(struct rig *rig, int *inner_status, char *err, size_t errlen)
{
	char path[PATH_MAX], kind[32], *data = NULL, *p, *end;
	struct store *st = NULL;
	size_t len = 0;
	int ret = 0, nrec = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/data", rig->workdir);
	f = fopen(path, "r");
	if (f) {
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		rewind(f);
		data = malloc(len + 1);
		if (data && fread(data, 1, len, f) != len)
			len = 0;
		fclose(f);
	}
	if (!data || !len) {
		free(data);
		rig_print_tail(rig);
		return errf(err, errlen, -EIO, "the guest sent no results (it stopped before the command ended)");
	}
	data[len] = 0;
	end = data + len;
	*inner_status = -1;
	for (p = data; p < end;) {
		unsigned long size;
		int hdr;

		if (sscanf(p, "MMUBENCH-EXIT %d\n", inner_status) == 1)
			break;
		if (sscanf(p, "MMUBENCH-FILE %31s %lu\n%n", kind, &size, &hdr) != 2 ||
		    p + hdr + size > end) {
			ret = errf(err, errlen, -EIO, "results channel: garbled at byte %td", p - data);
			goto out;
		}
		p += hdr;
		if (!strcmp(kind, "stdout")) {
			fwrite(p, 1, size, stdout);
		} else if (!strcmp(kind, "record")) {
			char *text = strndup(p, size), rerr[512];
			struct json_object *obj = text ? json_tokener_parse(text) : NULL;
			struct record *rec;

			free(text);
			if (!obj || record_from_json(obj, &rec, rerr, sizeof(rerr))) {
				fprintf(stderr, "mmubench rig: a record from the guest is unreadable: %s\n",
					obj ? rerr : "not JSON");
				ret = -EIO;
			} else {
				rig_tag_record(rig, rec);
				if (rig->cfg.json_dir) {
					char out[PATH_MAX];

					snprintf(out, sizeof(out), "%s/%s.json", rig->cfg.json_dir, rec->run_id);
					if (json_write_record(rec, out, rerr, sizeof(rerr))) {
						fprintf(stderr, "mmubench rig: %s\n", rerr);
						ret = -EIO;
					}
				}
				if (!rig->cfg.no_store) {
					const char *sp = rig->cfg.store ? rig->cfg.store : store_default_path();

					if ((!st && store_open(sp, &st, rerr, sizeof(rerr))) ||
					    store_insert(st, rec, rerr, sizeof(rerr))) {
						fprintf(stderr, "mmubench rig: store: %s\n", rerr);
						ret = -EIO;
					} else {
						fprintf(stderr, "mmubench rig: run %s (guest %s, %s) stored in %s\n",
							rec->run_id, rig->release, rig->accel, sp);
					}
				}
				record_free(rec);
				nrec++;
			}
			json_object_put(obj);
		}
		p += size;
	}
	fflush(stdout);
	if (*inner_status < 0)
		ret = errf(err, errlen, -EIO, "the guest sent no exit status");
	else if (ret)
		errf(err, errlen, ret, "some records could not be brought back");
out:
	if (st)
		store_close(st);
	free(data);
	return ret;
}

static void rig_usage(const struct opt_group *groups)
{
	printf("usage: mmubench rig --kernel IMAGE|bookworm|unstable [options] -- COMMAND [ARGS...]\n\n"
	       "Boots a kernel under test in QEMU with this mmubench inside, runs\n"
	       "`mmubench COMMAND ARGS...` there and brings back its output, its exit status\n"
	       "and its records (into the host store, tagged with the guest kernel and the rig).\n"
	       "Inside: kvm and kvm_amd/kvm_intel (nested=1, plus --kvm-param), debugfs, tracefs,\n"
	       "cgroup v2 with the memory controller, MGLRU enabled where built, zram swap.\n\n"
	       "Examples:\n"
	       "  mmubench rig --kernel bookworm -- probe\n"
	       "  mmubench rig --kernel bookworm --numa 2 -- run access --mem-node 1 --cpus 1\n"
	       "  mmubench rig --kernel bookworm --kvm-param npt=0 -- run access   (shadow MMU)\n\n");
	opts_help(stdout, groups);
	printf("\nExit status: that of the inner command; 3 if the rig itself failed.\n");
}

int cmd_rig(int argc, char **argv)
{
	struct rig *rig = calloc(1, sizeof(*rig));
	struct opt_group groups[] = { { rig_options, NULL, NULL }, { NULL } };
	char err[1024];
	int idx, ret, status = EXIT_ERROR, inner = -1;

	if (!rig)
		return EXIT_ERROR;
	groups[0].cfg = &rig->cfg;
	argv[0] = "mmubench rig";
	idx = opts_parse(groups, argc, argv, err, sizeof(err));
	if (idx == -EAGAIN) {
		rig_usage(groups);
		free(rig);
		return EXIT_OK;
	}
	if (idx >= 0 && idx >= argc)
		idx = errf(err, sizeof(err), -EINVAL,
			   "mmubench rig: no command to run (e.g. mmubench rig --kernel bookworm -- probe)");
	else if (idx >= 0 && !rig->cfg.kernel)
		idx = errf(err, sizeof(err), -EINVAL,
			   "mmubench rig: --kernel is required (a bzImage, bookworm or unstable)");
	if (idx < 0) {
		fprintf(stderr, "%s\n", err);
		free(rig);
		return EXIT_USAGE;
	}
	if (rig->cfg.numa > rig->cfg.cpus) {
		fprintf(stderr, "mmubench rig: --numa %" PRIu64 " needs at least as many --cpus\n",
			rig->cfg.numa);
		free(rig);
		return EXIT_USAGE;
	}

	snprintf(rig->workdir, sizeof(rig->workdir), "%s/mmubench-rig.XXXXXX",
		 env_get("TMPDIR") ? env_get("TMPDIR") : "/tmp");
	if (!mkdtemp(rig->workdir)) {
		fprintf(stderr, "mmubench rig: mkdtemp %s: %s\n", rig->workdir, strerror(errno));
		free(rig);
		return EXIT_ERROR;
	}
	ret = rig_resolve_kernel(rig, err, sizeof(err));
	if (!ret) {
		rig_choose_accel(rig);
		ret = rig_write_conf(rig, err, sizeof(err));
	}
	if (!ret)
		ret = rig_write_args(rig, argc - idx, argv + idx, err, sizeof(err));
	if (!ret)
		ret = rig_build_initramfs(rig, err, sizeof(err));
	if (!ret) {
		rig_catch_signals();
		for (;;) {
			rig->boots++;
			ret = rig_boot(rig, err, sizeof(err));
			if (!rig_boot_again(rig, ret, err))
				break;
			fprintf(stderr, "mmubench rig: boot %d failed (%s); booting again\n", rig->boots, err);
			snprintf(rig->retried + strlen(rig->retried), sizeof(rig->retried) - strlen(rig->retried),
				 "%sboot %d: %s", rig->retried[0] ? "; " : "", rig->boots,
				 rig->int3_oops && rig->command_started ? "int3 oops under MTTCG" : "died before the command");
			rig->guest_error[0] = 0;
			rig->ntail = 0;
			rig->command_started = rig->int3_oops = false;
		}
	}
	if (!ret)
		ret = rig_collect(rig, &inner, err, sizeof(err));
	if (ret)
		fprintf(stderr, "mmubench rig: %s\n", err);
	if (inner >= 0)
		status = ret ? EXIT_ERROR : inner;

	if (rig->cfg.keep) {
		fprintf(stderr, "mmubench rig: work directory kept: %s\n", rig->workdir);
	} else {
		char *rm[] = { "/bin/rm", "-rf", rig->workdir, NULL };

		rig_spawn_wait(rm, -1);
	}
	free(rig);
	return status;
}
