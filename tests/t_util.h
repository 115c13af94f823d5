/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helpers shared by the test programs: removing a scratch tree, and
 * reading a mmubench record (JSON) by path, metric or check.
 */
#ifndef MMUBENCH_T_UTIL_H
#define MMUBENCH_T_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include <json-c/json.h>

#define T_UNUSED __attribute__((unused))

static int t_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* Removes @dir and everything below it. */
static T_UNUSED void t_rm_tree(const char *dir)
{
	nftw(dir, t_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * One scratch directory per test process, $TMPDIR/mmubench-PREFIX-XXXXXX
 * (0755, so a test may work in it as another user), that the harness's main
 * process removes when it exits: t_base, empty when it could not be made;
 * t_mkdtemp() makes a directory for one test in it.
 */
#define T_SCRATCH_BASE(prefix)								\
	static char t_base[PATH_MAX];							\
	static pid_t t_base_pid;							\
	static void __attribute__((constructor)) t_base_create(void)			\
	{										\
		const char *tmp = getenv("TMPDIR");					\
											\
		snprintf(t_base, sizeof(t_base), "%s/mmubench-" prefix "-XXXXXX",	\
			 tmp && *tmp ? tmp : "/tmp");					\
		if (!mkdtemp(t_base))							\
			t_base[0] = '\0';						\
		else									\
			chmod(t_base, 0755);						\
		t_base_pid = getpid();							\
	}										\
	static void __attribute__((destructor)) t_base_remove(void)			\
	{										\
		if (t_base[0] && getpid() == t_base_pid)				\
			t_rm_tree(t_base);						\
	}										\
	/* a new directory for one test in @buf, under t_base */			\
	static T_UNUSED char *t_mkdtemp(char *buf, size_t len)				\
	{										\
		if (!t_base[0])								\
			return NULL;							\
		snprintf(buf, len, "%s/XXXXXX", t_base);				\
		return mkdtemp(buf);							\
	}

/* The entries of @dir other than . and .., or -1 when it cannot be read. */
static T_UNUSED int t_dir_entries(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	return n;
}

/* obj[path...] ("a.b.c") as a json_object, NULL when any step is missing. */
static T_UNUSED struct json_object *t_get(struct json_object *obj, const char *path)
{
	char buf[256], *save, *key;

	snprintf(buf, sizeof(buf), "%s", path);
	for (key = strtok_r(buf, ".", &save); key && obj; key = strtok_r(NULL, ".", &save))
		if (!json_object_object_get_ex(obj, key, &obj))
			return NULL;
	return obj;
}

static T_UNUSED const char *t_str(struct json_object *obj, const char *path)
{
	struct json_object *v = t_get(obj, path);

	return v ? json_object_get_string(v) : "";
}

/* The element of the array rec[@array] whose "name" is @name, or NULL. */
static struct json_object *t_named(struct json_object *rec, const char *array, const char *name)
{
	struct json_object *a = t_get(rec, array);

	for (size_t i = 0; a && i < json_object_array_length(a); i++) {
		struct json_object *e = json_object_array_get_idx(a, i);

		if (!strcmp(t_str(e, "name"), name))
			return e;
	}
	return NULL;
}

/* A metric's value from a record, NAN when absent. */
static T_UNUSED double t_metric(struct json_object *rec, const char *name)
{
	struct json_object *m = t_named(rec, "metrics", name), *v = m ? t_get(m, "value") : NULL;

	return v ? json_object_get_double(v) : NAN;
}

/* A check's status ("pass", "fail", ...) from a record, "" when absent. */
static T_UNUSED const char *t_check(struct json_object *rec, const char *name)
{
	struct json_object *c = t_named(rec, "checks", name);

	return c ? t_str(c, "status") : "";
}

/* Why KVM cannot run guests here (in @why), or NULL when /dev/kvm opens read-write. */
static T_UNUSED const char *t_kvm_unusable(char *why, size_t len)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (fd >= 0) {
		close(fd);
		return NULL;
	}
	snprintf(why, len, "cannot open /dev/kvm read-write: %s (needs a KVM host: kvm_intel, kvm_amd or kvm_pvm loaded, and access to /dev/kvm)",
		 strerror(errno));
	return why;
}

/*
 * The --help entry of option --@name in @text: its line and the lines that
 * continue it (indented: opts_help() wraps at 79 columns), joined by single
 * blanks, so a test can look for a whole sentence. NULL when absent.
 */
static T_UNUSED char *t_help_entry(const char *text, const char *name, char *entry, size_t len)
{
	char needle[64];
	const char *p, *nl;
	size_t n = 0;

	snprintf(needle, sizeof(needle), "\n  --%s ", name);
	p = strstr(text, needle);
	if (!p || !len)
		return NULL;
	entry[0] = 0;
	for (p++; *p; p = nl + 1) {
		while (n && *p == ' ')	/* a continuation's indent becomes one blank */
			p++;
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		snprintf(entry + n, len - n, "%s%.*s", n ? " " : "", (int)(nl - p), p);
		n = strlen(entry);
		/* the next line continues this entry only if it is indented past the option column */
		if (!*nl || strncmp(nl + 1, "                               ", 31))
			break;
	}
	return entry;
}

#endif
