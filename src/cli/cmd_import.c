// SPDX-License-Identifier: GPL-2.0
/*
 * `mmubench import [--store FILE] [--label TEXT] FILE.json...`: puts records
 * made elsewhere (the QEMU rig, another host, an older run's --json) into the
 * store, each as it was written, once.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/cli/commands.h"
#include "src/record/json_in.h"
#include "src/lib/options.h"
#include "src/store/store.h"
#include "src/lib/util.h"

struct import_config {
	const char *store;
	const char *label;
};

#define ICFG(f) offsetof(struct import_config, f)

const struct opt_desc import_options[] = {
	{ "store", OPT_STRING, ICFG(store), NULL, "FILE",
	  "the store to import into [default: $MMUBENCH_STORE, else mmubench run's]" },
	{ "label", OPT_STRING, ICFG(label), NULL, "TEXT",
	  "give every imported run this label instead of its own" },
	OPT_END
};

static void import_usage(const struct opt_group *groups)
{
	printf("usage: mmubench import [--store FILE] [--label TEXT] FILE.json...\n\n"
	       "Loads result records written elsewhere (mmubench run --json, the test rig's\n"
	       "--json-dir, another host) into the results store, as they were written.\n"
	       "A run already in the store (same run id) is reported and skipped. A store of\n"
	       "an older schema is migrated to this mmubench's first. Options go before the\n"
	       "files.\n\n");
	opts_help(stdout, groups);
	printf("\nPrints one line per file and the store's path.\n"
	       "Exit status: 0 when every run is now in the store, 2 bad usage,\n"
	       "3 when a file could not be read or stored (the others are imported).\n");
}

/* @err without the "cannot read FILE: " or "FILE: " that record_read_json_file() starts with. */
static const char *import_reason(const char *file, const char *err)
{
	size_t len = strlen(file);
	const char *p = err;

	if (!strncmp(p, "cannot read ", 12) && !strncmp(p + 12, file, len) &&
	    !strncmp(p + 12 + len, ": ", 2))
		return p + 14 + len;
	if (!strncmp(p, file, len) && !strncmp(p + len, ": ", 2))
		return p + 2 + len;
	return err;
}

static const char *import_kernel(const struct record *r)
{
	struct json_object *v;

	if (json_object_object_get_ex(r->env, "kernel_release", &v) &&
	    json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	if (json_object_object_get_ex(r->env, "kernel", &v) &&
	    json_object_object_get_ex(v, "release", &v) &&
	    json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return "unknown kernel";
}

/* Imports one file; returns 0 when imported, 1 when its run was already there, else -errno. */
static int import_file(struct store *st, const char *path, const char *file, const char *label)
{
	struct record *r;
	char err[1024];
	int ret;

	ret = record_read_json_file(file, &r, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "cannot import %s: %s\n", file, import_reason(file, err));
		return ret;
	}
	if (label) {
		char *l = strdup(label);

		if (!l) {
			fprintf(stderr, "cannot import %s: out of memory\n", file);
			record_free(r);
			return -ENOMEM;
		}
		free(r->label);
		r->label = l;
	}
	ret = store_insert(st, r, err, sizeof(err));
	if (ret == -EEXIST) {
		printf("already in the store: %s\n", r->run_id);
		ret = 1;
	} else if (ret) {
		fprintf(stderr, "cannot import %s: %s\n", file, err);
	} else {
		printf("imported %s (%s, %s, %s) into %s\n", r->run_id, r->scenario,
		       r->label ? r->label : "no label", import_kernel(r), path);
	}
	fflush(stdout);
	record_free(r);
	return ret;
}

int cmd_import(int argc, char **argv)
{
	struct import_config cfg = { 0 };
	struct opt_group groups[] = { { import_options, &cfg, NULL }, { NULL } };
	int idx, ret, n[3] = { 0 };	/* imported, already there, failed */
	struct store *st;
	const char *path;
	char err[1024];

	argv[0] = "mmubench import";
	idx = opts_parse(groups, argc, argv, err, sizeof(err));
	if (idx == -EAGAIN) {
		import_usage(groups);
		return EXIT_OK;
	}
	if (idx < 0)
		return opts_usage_error("%s", err);
	if (idx >= argc)
		return opts_usage_error("mmubench import: no file to import (see mmubench import "
					"--help)");
	/* getopt stops at the first file: an option after one would be taken for a file */
	for (int i = idx; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1] && strcmp(argv[idx - 1], "--"))
			return opts_usage_error("mmubench import: '%s' after a file: options go "
						"before the files",
						argv[i]);
	if (cfg.label && !*cfg.label)
		return opts_usage_error("mmubench import: --label is empty");

	path = cfg.store ? cfg.store : store_default_path();
	if (store_open(path, &st, err, sizeof(err))) {
		fprintf(stderr, "mmubench import: %s\n", err);
		return EXIT_ERROR;
	}
	for (int i = idx; i < argc; i++) {
		ret = import_file(st, path, argv[i], cfg.label);
		n[ret < 0 ? 2 : ret]++;
	}
	store_close(st);
	printf("store %s: %d imported, %d already there, %d not imported\n", path, n[0], n[1],
	       n[2]);
	return n[2] ? EXIT_ERROR : EXIT_OK;
}
