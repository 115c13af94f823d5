// SPDX-License-Identifier: GPL-2.0
/*
 * The rig's pieces that need no QEMU (src/rig/rig_priv.h): the bzImage
 * release, --kvm-param routing, QEMU's command line, what the console tells,
 * when a boot is retried, and the results channel with env.rig. make
 * check-rig tests the whole rig with a booted kernel.
 *
 * ASSERT_*() expand to two statements: loops and ifs around them keep braces.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "kselftest_harness.h"
#include "tests/t_util.h"

#include "src/record/json_out.h"
#include "src/record/record.h"
#include "src/rig/rig_priv.h"

/* A rig as rig_run() has it after the kernel and the accelerator are chosen. */
static void t_rig_init(struct rig *rig, const char *accel, int tcg_threads)
{
	memset(rig, 0, sizeof(*rig));
	rig->cfg.cpus = 2;
	rig->cfg.mem = 4ull << 30;
	rig->cfg.numa = 1;
	rig->cfg.retries = 1;
	rig->accel = accel;
	rig->accel_reason = "test";
	rig->tcg_threads = tcg_threads;
	rig->tcg_threads_reason = "test reason";
	snprintf(rig->workdir, sizeof(rig->workdir), "/w");
	snprintf(rig->kernel, sizeof(rig->kernel), "/k/vmlinuz");
	snprintf(rig->release, sizeof(rig->release), "6.99.0-t");
	strbuf_init(&rig->retried);
}

/* Index of the argument after @opt in QEMU's argv, or -1. */
static int t_arg(const struct qemu_cmdline *cmd, const char *opt, int from)
{
	for (int i = from; cmd->argv[i]; i++)
		if (!strcmp(cmd->argv[i], opt) && cmd->argv[i + 1])
			return i + 1;
	return -1;
}

static void t_write(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
}

TEST(bzimage_release)
{
	char dir[] = "/tmp/mmubench-test-rig.XXXXXX", path[64], rel[128];
	unsigned char img[0x400] = { 0 };
	const char text[] = "6.99.0-t (builder@host) #1 SMP";

	ASSERT_NE(NULL, mkdtemp(dir));
	memcpy(img + 0x202, "HdrS", 4);
	img[0x20e] = 0x10;	/* kernel_version: 0x10 + 0x200 */
	memcpy(img + 0x210, text, sizeof(text));
	snprintf(path, sizeof(path), "%s/bzImage", dir);
	t_write(path, img, sizeof(img));
	EXPECT_EQ(0, kernel_fetch_release(path, rel, sizeof(rel)));
	EXPECT_STREQ("6.99.0-t", rel);

	memcpy(img + 0x202, "ELF!", 4);
	t_write(path, img, sizeof(img));
	EXPECT_EQ(-EINVAL, kernel_fetch_release(path, rel, sizeof(rel)));
	t_write(path, img, 0x100);	/* shorter than the setup header */
	EXPECT_EQ(-EINVAL, kernel_fetch_release(path, rel, sizeof(rel)));
	snprintf(path, sizeof(path), "%s/none", dir);
	EXPECT_EQ(-ENOENT, kernel_fetch_release(path, rel, sizeof(rel)));
	t_rm_tree(dir);
}

TEST(kvm_params_go_to_their_module)
{
	struct initramfs_modparams mp;
	char err[256];

	ASSERT_EQ(0, initramfs_modparams(NULL, &mp, err, sizeof(err)));
	EXPECT_STREQ("", mp.kvm.buf);
	EXPECT_STREQ("nested=1", mp.amd.buf);
	EXPECT_STREQ("nested=1", mp.intel.buf);
	initramfs_modparams_release(&mp);

	ASSERT_EQ(0, initramfs_modparams("npt=0, kvm.tdp_mmu=0,avic=1,kvm_intel.x=2,ept=0,"
					 "enable_apicv=0,halt_poll_ns=0", &mp, err, sizeof(err)))
		TH_LOG("%s", err);
	EXPECT_STREQ("tdp_mmu=0 halt_poll_ns=0", mp.kvm.buf);
	EXPECT_STREQ("nested=1 npt=0 avic=1", mp.amd.buf);
	EXPECT_STREQ("nested=1 x=2 ept=0 enable_apicv=0", mp.intel.buf);
	initramfs_modparams_release(&mp);

	/* nested= replaces the default of both vendor modules, wherever it comes */
	ASSERT_EQ(0, initramfs_modparams("avic=1,nested=0", &mp, err, sizeof(err)));
	EXPECT_STREQ("nested=0", mp.amd.buf);
	EXPECT_STREQ("nested=0", mp.intel.buf);
	initramfs_modparams_release(&mp);
}

TEST(kvm_params_errors)
{
	struct initramfs_modparams mp;
	char err[256];

	EXPECT_EQ(-EINVAL, initramfs_modparams("npt=0,foo", &mp, err, sizeof(err)));
	EXPECT_STREQ("--kvm-param 'foo': expected PARAM=VALUE", err);
	EXPECT_EQ(-EINVAL, initramfs_modparams("kvm_foo.x=1", &mp, err, sizeof(err)));
	EXPECT_STREQ("--kvm-param: unknown module 'kvm_foo'", err);
}

TEST(qemu_cmdline_tcg_numa)
{
	struct qemu_cmdline cmd;
	struct rig rig;
	int i;

	t_rig_init(&rig, "tcg", RIG_TCG_SINGLE);
	rig.cfg.numa = 2;
	rig.cfg.cmdline = "foo=1";
	ASSERT_EQ(0, qemu_cmdline(&rig, &cmd));
	EXPECT_STREQ("qemu-system-x86_64", cmd.argv[0]);
	i = t_arg(&cmd, "-accel", 0);
	ASSERT_LT(0, i);
	EXPECT_STREQ("tcg,thread=single", cmd.argv[i]);
	i = t_arg(&cmd, "-cpu", 0);
	ASSERT_LT(0, i);
	EXPECT_STREQ("EPYC,+svm,+npt", cmd.argv[i]);
	i = t_arg(&cmd, "-m", 0);
	ASSERT_LT(0, i);
	EXPECT_STREQ("4096M", cmd.argv[i]);
	i = t_arg(&cmd, "-object", 0);
	ASSERT_LT(0, i);
	EXPECT_STREQ("memory-backend-ram,id=m0,size=2048M", cmd.argv[i]);
	EXPECT_STREQ("node,nodeid=0,cpus=0-0,memdev=m0", cmd.argv[i + 2]);
	i = t_arg(&cmd, "-object", i);
	ASSERT_LT(0, i);
	EXPECT_STREQ("memory-backend-ram,id=m1,size=2048M", cmd.argv[i]);
	EXPECT_STREQ("node,nodeid=1,cpus=1-1,memdev=m1", cmd.argv[i + 2]);
	i = t_arg(&cmd, "-append", 0);
	ASSERT_LT(0, i);
	EXPECT_STREQ("console=ttyS0,115200 panic=-1 oops=panic quiet loglevel=3 rdinit=/init foo=1",
		     cmd.argv[i]);
	i = t_arg(&cmd, "-initrd", 0);
	ASSERT_LT(0, i);
	EXPECT_STREQ("/w/initramfs.cpio.gz", cmd.argv[i]);
	i = t_arg(&cmd, "-serial", t_arg(&cmd, "-serial", 0));
	ASSERT_LT(0, i);
	EXPECT_STREQ("file:/w/data", cmd.argv[i]);
}

TEST(qemu_cmdline_kvm_and_kvm_hold)
{
	struct qemu_cmdline cmd;
	struct rig rig;
	int i;

	t_rig_init(&rig, "kvm", RIG_TCG_MULTI);
	EXPECT_FALSE(rig_kvm_hold(&rig));
	ASSERT_EQ(0, qemu_cmdline(&rig, &cmd));
	EXPECT_STREQ("kvm", cmd.argv[t_arg(&cmd, "-accel", 0)]);
	EXPECT_STREQ("host", cmd.argv[t_arg(&cmd, "-cpu", 0)]);
	EXPECT_EQ(-1, t_arg(&cmd, "-numa", 0));
	EXPECT_EQ(NULL, strstr(cmd.argv[t_arg(&cmd, "-append", 0)], "maxcpus"));

	/* multi-threaded TCG: the guest holds a VM, and brings CPUs up after it */
	t_rig_init(&rig, "tcg", RIG_TCG_MULTI);
	EXPECT_TRUE(rig_kvm_hold(&rig));
	ASSERT_EQ(0, qemu_cmdline(&rig, &cmd));
	EXPECT_STREQ("tcg,thread=multi", cmd.argv[t_arg(&cmd, "-accel", 0)]);
	EXPECT_NE(NULL, strstr(cmd.argv[t_arg(&cmd, "-append", 0)], "rdinit=/init maxcpus=1"));

	/* the most nodes --numa allows still fit */
	rig.cfg.numa = 8;
	rig.cfg.cpus = 64;
	ASSERT_EQ(0, qemu_cmdline(&rig, &cmd));
	i = t_arg(&cmd, "-numa", 0);
	for (int n = 1; n < 8 && i > 0; n++)
		i = t_arg(&cmd, "-numa", i);
	ASSERT_LT(0, i);
	EXPECT_STREQ("node,nodeid=7,cpus=56-63,memdev=m7", cmd.argv[i]);
}

TEST(console_lines)
{
	char line[300];
	struct rig rig;

	t_rig_init(&rig, "tcg", RIG_TCG_SINGLE);
	snprintf(line, sizeof(line), "[    1.0] Kernel panic - not syncing: no init\r\n");
	qemu_console_line(&rig, line);
	EXPECT_STREQ("[    1.0] Kernel panic - not syncing: no init", rig.boot.guest_error);
	EXPECT_STREQ("[    1.0] Kernel panic - not syncing: no init", rig.boot.tail[0]);
	/* the guest's own error wins over a panic that follows from it */
	snprintf(line, sizeof(line), "x MMUBENCH-RIG-ERROR kvm_amd not found\r");
	qemu_console_line(&rig, line);
	EXPECT_STREQ("kvm_amd not found", rig.boot.guest_error);
	EXPECT_FALSE(rig.boot.command_started);
	snprintf(line, sizeof(line), "[ 2.0] mmubench-rig: running: probe");
	qemu_console_line(&rig, line);
	EXPECT_TRUE(rig.boot.command_started);
	EXPECT_FALSE(rig.boot.int3_oops);
	snprintf(line, sizeof(line), "[ 3.0] Oops: int3: 0000 [#1] PREEMPT SMP NOPTI");
	qemu_console_line(&rig, line);
	EXPECT_TRUE(rig.boot.int3_oops);

	/* the tail keeps the last RIG_TAIL_LINES lines */
	for (int i = 0; i < RIG_TAIL_LINES + 3; i++) {
		snprintf(line, sizeof(line), "[ 4.0] line %d", i);
		qemu_console_line(&rig, line);
	}
	EXPECT_EQ(RIG_TAIL_LINES + 4 + 3, rig.boot.ntail);
	EXPECT_STREQ("[ 4.0] line 42", rig.boot.tail[(rig.boot.ntail - 1) % RIG_TAIL_LINES]);
	EXPECT_STREQ("[ 4.0] line 3", rig.boot.tail[rig.boot.ntail % RIG_TAIL_LINES]);
}

TEST(boot_again)
{
	struct rig rig;

	t_rig_init(&rig, "tcg", RIG_TCG_SINGLE);
	rig.boots = 1;
	EXPECT_FALSE(collect_boot_again(&rig, 0, ""));
	/* died before the command, with nothing said or a panic: again */
	EXPECT_TRUE(collect_boot_again(&rig, -EIO, "QEMU failed (status 1)"));
	snprintf(rig.boot.guest_error, sizeof(rig.boot.guest_error), "Kernel panic - x");
	EXPECT_TRUE(collect_boot_again(&rig, -EIO, "in the guest: Kernel panic - x"));
	EXPECT_FALSE(collect_boot_again(&rig, -ETIMEDOUT, "did not finish"));
	EXPECT_FALSE(collect_boot_again(&rig, -EINTR, "interrupted"));
	EXPECT_FALSE(collect_boot_again(&rig, -EIO, "in the guest: MMUBENCH-RIG-ERROR x"));
	rig.boots = 2;	/* --retries 1 used up */
	EXPECT_FALSE(collect_boot_again(&rig, -EIO, "in the guest: Kernel panic - x"));

	/* the command ran: only an int3 oops under kvm-hold is the emulator's */
	rig.boots = 1;
	rig.boot.command_started = true;
	rig.boot.int3_oops = true;
	EXPECT_FALSE(collect_boot_again(&rig, -EIO, "in the guest: Kernel panic - x"));
	rig.tcg_threads = RIG_TCG_MULTI;
	EXPECT_TRUE(collect_boot_again(&rig, -EIO, "in the guest: Kernel panic - x"));
}

TEST(boot_failed_is_kept_and_cleared)
{
	struct rig rig;

	t_rig_init(&rig, "tcg", RIG_TCG_MULTI);
	rig.boots = 1;
	rig.boot.ntail = 5;
	collect_boot_failed(&rig, "QEMU failed");
	rig.boots = 2;
	rig.boot.command_started = rig.boot.int3_oops = true;
	snprintf(rig.boot.guest_error, sizeof(rig.boot.guest_error), "Oops");
	collect_boot_failed(&rig, "in the guest: Oops");
	EXPECT_STREQ("boot 1: died before the command; boot 2: int3 oops under MTTCG",
		     rig.retried.buf);
	EXPECT_EQ(0, rig.boot.ntail);
	EXPECT_FALSE(rig.boot.command_started);
	EXPECT_FALSE(rig.boot.int3_oops);
	EXPECT_STREQ("", rig.boot.guest_error);
	strbuf_release(&rig.retried);
}

FIXTURE(channel) {
	char dir[64];
	char path[128];
	struct rig rig;
};

FIXTURE_SETUP(channel)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/mmubench-test-rig.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	t_rig_init(&self->rig, "tcg", RIG_TCG_MULTI);
	snprintf(self->rig.workdir, sizeof(self->rig.workdir), "%s", self->dir);
	snprintf(self->path, sizeof(self->path), "%s/data", self->dir);
	self->rig.cfg.no_store = true;
	self->rig.cfg.json_dir = self->dir;
	self->rig.boots = 2;
	strbuf_addstr(&self->rig.retried, "boot 1: died before the command");
}

FIXTURE_TEARDOWN(channel)
{
	strbuf_release(&self->rig.retried);
	t_rm_tree(self->dir);
}

TEST_F(channel, record_comes_back_tagged)
{
	struct record *r = record_new("access", "t");
	char rec_path[160], *text, *chan, err[256];
	struct json_object *back;
	int inner = -1;
	size_t len;
	FILE *f;

	ASSERT_NE(NULL, r);
	snprintf(rec_path, sizeof(rec_path), "%s/in.json", self->dir);
	ASSERT_EQ(0, json_write_record(r, rec_path, err, sizeof(err))) TH_LOG("%s", err);
	f = fopen(rec_path, "r");
	ASSERT_NE(NULL, f);
	text = calloc(1, 1 << 16);
	ASSERT_NE(NULL, text);
	len = fread(text, 1, (1 << 16) - 1, f);
	fclose(f);
	unlink(rec_path);
	chan = calloc(1, len + 256);
	ASSERT_NE(NULL, chan);
	snprintf(chan, len + 256, "MMUBENCH-FILE stdout 8\n# hello\nMMUBENCH-FILE record %zu\n%s"
		 "MMUBENCH-EXIT 5\n", len, text);
	t_write(self->path, chan, strlen(chan));
	EXPECT_EQ(0, collect_results(&self->rig, &inner, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(5, inner);

	snprintf(rec_path, sizeof(rec_path), "%s/%s.json", self->dir, r->run_id);
	back = json_object_from_file(rec_path);
	ASSERT_NE(NULL, back) TH_LOG("no %s", rec_path);
	EXPECT_STREQ("tcg", t_str(back, "env.rig.accel"));
	EXPECT_STREQ("test", t_str(back, "env.rig.accel_reason"));
	EXPECT_STREQ("multi", t_str(back, "env.rig.tcg_threads"));
	EXPECT_STREQ("test reason", t_str(back, "env.rig.tcg_threads_reason"));
	EXPECT_STREQ("EPYC,+svm,+npt", t_str(back, "env.rig.cpu_model"));
	EXPECT_STREQ("6.99.0-t", t_str(back, "env.rig.kernel_release"));
	EXPECT_STREQ("/k/vmlinuz", t_str(back, "env.rig.kernel"));
	EXPECT_STREQ("", t_str(back, "env.rig.kvm_params"));
	EXPECT_STREQ("boot 1: died before the command", t_str(back, "env.rig.retried"));
	EXPECT_EQ(2, json_object_get_int(t_get(back, "env.rig.boots")));
	EXPECT_EQ(2, json_object_get_int(t_get(back, "env.rig.cpus")));
	EXPECT_EQ(4ull << 30, json_object_get_uint64(t_get(back, "env.rig.mem_bytes")));
	EXPECT_TRUE(json_object_get_boolean(t_get(back, "env.rig.kvm_hold")));
	json_object_put(back);
	record_free(r);
	free(text);
	free(chan);
}

TEST_F(channel, garbled_empty_and_no_exit)
{
	const char garbled[] = "MMUBENCH-FILE stdout 8\n# hello\nNOISE\n";
	const char no_exit[] = "MMUBENCH-FILE stdout 8\n# hello\n";
	char err[256];
	int inner = -1;

	EXPECT_EQ(-EIO, collect_results(&self->rig, &inner, err, sizeof(err)));
	EXPECT_STREQ("the guest sent no results (it stopped before the command ended)", err);
	t_write(self->path, garbled, strlen(garbled));
	EXPECT_EQ(-EIO, collect_results(&self->rig, &inner, err, sizeof(err)));
	EXPECT_STREQ("results channel: garbled at byte 31", err);
	t_write(self->path, no_exit, strlen(no_exit));
	EXPECT_EQ(-EIO, collect_results(&self->rig, &inner, err, sizeof(err)));
	EXPECT_STREQ("the guest sent no exit status", err);
	EXPECT_EQ(-1, inner);
}

TEST_HARNESS_MAIN
