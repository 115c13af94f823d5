/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small-file access to sysfs, procfs and debugfs knobs, and a saver that
 * restores every knob mmubench changed (DESIGN.md "Conventions": anything
 * changed on the host is saved first and restored on every exit path).
 */
#ifndef MMUBENCH_SYSFS_H
#define MMUBENCH_SYSFS_H

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Read a small file into buf (NUL-terminated) and strip trailing newlines.
 * Returns the length of the string, or -errno: -ENOENT and the like from
 * open(2)/read(2), -EOVERFLOW when the file does not fit in len - 1 bytes.
 */
int sysfs_read(const char *path, char *buf, size_t len);

/*
 * Read a file holding one unsigned number, decimal or 0x-prefixed hex
 * ("0x0007" in lru_gen/enabled). -EINVAL when it holds anything else.
 */
int sysfs_read_u64(const char *path, uint64_t *v);

/*
 * Read a multiple-choice knob such as "always [madvise] never" and return
 * the selected word ("madvise"). Files without brackets are returned whole.
 */
int sysfs_read_choice(const char *path, char *buf, size_t len);

/*
 * Write val to an existing file in one write(2) (sysfs takes one write per
 * open). Returns 0 or -errno; a short write is -EIO.
 */
int sysfs_write(const char *path, const char *val);

bool sysfs_exists(const char *path);

#define SYSFS_DEBUGFS		"/sys/kernel/debug"
#define SYSFS_DEBUGFS_HINT	"mount -t debugfs nodev " SYSFS_DEBUGFS

/* The first mount point of filesystem @type in /proc/mounts, or "" in @dir. */
void sysfs_mount_of(const char *type, char *dir, size_t len);

/*
 * For the capability probes: put a small file's content (sysfs_read()) or
 * its selected choice (sysfs_read_choice()) under @key, JSON null when the
 * file cannot be read.
 */
#define SYSFS_VALUE_MAX		4096
struct json_object;
void sysfs_json_put_file(struct json_object *o, const char *key, const char *path);
void sysfs_json_put_choice(struct json_object *o, const char *key, const char *path);

/*
 * The knob saver: knob_save_and_set() records a knob's current value and
 * then writes the new one; knob_restore_all() writes the recorded values
 * back, last saved first. Each knob is restored at most once, so calling
 * knob_restore_all() both from the normal exit path and from a signal
 * handler is safe.
 *
 * Callers must also call knob_restore_all() from their signal path
 * (SIGINT, SIGTERM, SIGHUP, and fatal signals before re-raising): it is
 * async-signal-safe (open/write/close only, no allocation, no stdio); it
 * may change errno, which a handler saves and restores around it.
 *
 * Knobs whose value reads back as a choice list ("always [madvise] never")
 * are saved as the selected word, which is what they accept on write.
 * A knob that reads back differently from what it accepts on write is not
 * supported by this saver.
 */
#define KNOB_SAVER_MAX		32
#define KNOB_VALUE_MAX		256

struct knob_saved {
	char path[PATH_MAX];
	char old[KNOB_VALUE_MAX];
};

struct knob_saver {
	volatile sig_atomic_t n;	/* knobs saved and not yet restored */
	int failed;			/* index of the last knob not restored, or -1 */
	int failed_err;			/* its -errno */
	struct knob_saved knobs[KNOB_SAVER_MAX];
};

void knob_saver_init(struct knob_saver *ks);

/*
 * Save path's current value, then write val. Returns 0 or -errno: the read
 * or write error, -ENOSPC when KNOB_SAVER_MAX knobs are already saved,
 * -ENAMETOOLONG for an over-long path. When the write fails, the knob is
 * not kept in the saver (nothing was changed).
 */
int knob_save_and_set(struct knob_saver *ks, const char *path, const char *val);

/*
 * Restore every saved knob in reverse order. Returns 0 when all were
 * restored, otherwise the -errno of the last failure; ks->failed then
 * indexes ks->knobs[] for the path to name in a message (outside the
 * signal handler).
 */
int knob_restore_all(struct knob_saver *ks);

#endif
