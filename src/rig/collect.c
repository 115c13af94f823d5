// SPDX-License-Identifier: GPL-2.0
/*
 * What comes back from the guest: the results channel (the second serial
 * port) with the command's stdout, its records and its exit status; the
 * records tagged with env.rig and stored on the host; and whether a failed
 * boot is worth another.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <json-c/json.h>

#include "src/lib/util.h"
#include "src/record/json_in.h"
#include "src/record/json_out.h"
#include "src/record/record.h"
#include "src/rig/rig_priv.h"
#include "src/store/store.h"

/*
 * Whether a failed boot is worth another: the guest died before the command
 * started (TCG on a loaded host), or, under multi-threaded TCG, it hit an
 * int3 oops. QEMU 7.2's MTTCG can run a stale translation of kernel text the
 * guest just patched (static keys: text_poke_bp() leaves an int3 for a while),
 * after the patching is over; the oops is the emulator's, not the kernel's,
 * so the command is run again on a new boot, and the record says so.
 */
bool collect_boot_again(const struct rig *rig, int ret, const char *err)
{
	const struct rig_boot *b = &rig->boot;

	if (!ret || ret == -ETIMEDOUT || ret == -EINTR || rig->boots > (int)rig->cfg.retries ||
	    strstr(err, "MMUBENCH-RIG-ERROR"))
		return false;
	if (rig_kvm_hold(rig) && b->int3_oops)
		return true;
	return !b->command_started &&
	       (!b->guest_error[0] || strstr(b->guest_error, "Kernel panic"));
}

/* A boot given up for another: said on stderr, kept for env.rig.retried, its state cleared. */
void collect_boot_failed(struct rig *rig, const char *err)
{
	const struct rig_boot *b = &rig->boot;

	fprintf(stderr, "mmubench rig: boot %d failed (%s); booting again\n", rig->boots, err);
	strbuf_addf(&rig->retried, "%sboot %d: %s", rig->retried.len ? "; " : "", rig->boots,
		    b->int3_oops && b->command_started ? "int3 oops under MTTCG" :
							  "died before the command");
	memset(&rig->boot, 0, sizeof(rig->boot));
}

/* Adds what the rig knows about itself to a record made inside it. */
void collect_tag_record(const struct rig *rig, struct record *rec)
{
	struct json_object *o = json_object_new_object();
	bool tcg = strcmp(rig->accel, "kvm");
	struct utsname u;

	uname(&u);
	json_object_object_add(o, "accel", json_object_new_string(rig->accel));
	json_object_object_add(o, "accel_reason", json_object_new_string(rig->accel_reason));
	if (tcg) {
		json_object_object_add(o, "tcg_threads", json_object_new_string(
			rig_tcg_thread_names[rig->tcg_threads]));
		json_object_object_add(o, "tcg_threads_reason",
				       json_object_new_string(rig->tcg_threads_reason));
	}
	json_object_object_add(o, "cpu_model",
			       json_object_new_string(tcg ? "EPYC,+svm,+npt" : "host"));
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
	if (rig->retried.len)
		json_object_object_add(o, "retried", json_object_new_string(rig->retried.buf));
	json_object_object_add(rec->env, "rig", o);
}

/* One record from the guest: tagged, written to --json-dir, stored. 0 or -EIO (said on stderr). */
static int collect_record(struct rig *rig, const char *data, size_t size, struct store **st)
{
	char *text = strndup(data, size), rerr[512];
	struct json_object *obj = text ? json_tokener_parse(text) : NULL;
	struct record *rec;
	int ret = 0;

	free(text);
	if (!obj || record_from_json(obj, &rec, rerr, sizeof(rerr))) {
		fprintf(stderr, "mmubench rig: a record from the guest is unreadable: %s\n",
			obj ? rerr : "not JSON");
		json_object_put(obj);
		return -EIO;
	}
	collect_tag_record(rig, rec);
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

		if ((!*st && store_open(sp, st, rerr, sizeof(rerr))) ||
		    store_insert(*st, rec, rerr, sizeof(rerr))) {
			fprintf(stderr, "mmubench rig: store: %s\n", rerr);
			ret = -EIO;
		} else {
			fprintf(stderr, "mmubench rig: run %s (guest %s, %s) stored in %s\n",
				rec->run_id, rig->release, rig->accel, sp);
		}
	}
	record_free(rec);
	json_object_put(obj);
	return ret;
}

/* The whole of the results channel, or NULL when the guest sent nothing. */
static char *collect_read(const char *path, size_t *len)
{
	char *data = NULL;
	FILE *f = fopen(path, "r");

	*len = 0;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	*len = ftell(f);
	rewind(f);
	data = malloc(*len + 1);
	if (data && fread(data, 1, *len, f) != *len)
		*len = 0;
	fclose(f);
	if (data && !*len) {
		free(data);
		data = NULL;
	}
	if (data)
		data[*len] = 0;
	return data;
}

/*
 * The results channel: "MMUBENCH-FILE KIND LEN\n" + LEN bytes, repeated,
 * then "MMUBENCH-EXIT STATUS\n".
 */
int collect_results(struct rig *rig, int *inner_status, char *err, size_t errlen)
{
	char path[PATH_MAX], kind[32], *data, *p, *end;
	struct store *st = NULL;
	size_t len;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/data", rig->workdir);
	data = collect_read(path, &len);
	if (!data) {
		qemu_print_tail(rig);
		return errf(err, errlen, -EIO,
			    "the guest sent no results (it stopped before the command ended)");
	}
	end = data + len;
	*inner_status = -1;
	for (p = data; p < end;) {
		unsigned long size;
		int hdr;

		if (sscanf(p, "MMUBENCH-EXIT %d\n", inner_status) == 1)
			break;
		if (sscanf(p, "MMUBENCH-FILE %31s %lu\n%n", kind, &size, &hdr) != 2 ||
		    p + hdr + size > end) {
			ret = errf(err, errlen, -EIO, "results channel: garbled at byte %td",
				   p - data);
			goto out;
		}
		p += hdr;
		if (!strcmp(kind, "stdout"))
			fwrite(p, 1, size, stdout);
		else if (!strcmp(kind, "record") && collect_record(rig, p, size, &st))
			ret = -EIO;
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
