/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A growing string, with git's strbuf invariants: buf is never NULL (an empty
 * buffer points at a shared ""), buf[len] is always '\0'. An allocation that
 * fails makes the buffer sticky-failed: later appends do nothing and
 * strbuf_detach() returns NULL, so a caller checks once at the end.
 *
 * Written here rather than taken from a package: json-c's printbuf is marked
 * internal by json-c, GLib's GString would add GLib for one type, and Debian
 * has no small C string-builder library.
 *
 * A low-level primitive: it uses libc only.
 */
#ifndef MMUBENCH_STRBUF_H
#define MMUBENCH_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;	/* 0 while buf is the shared "" */
	bool failed;	/* an allocation failed: contents are incomplete */
};

extern char strbuf_empty[];
#define STRBUF_INIT { .buf = strbuf_empty }

void strbuf_init(struct strbuf *sb);
/* Frees the contents; the buffer is empty and usable again. */
void strbuf_release(struct strbuf *sb);
/* Empties the buffer, keeping its memory. */
void strbuf_reset(struct strbuf *sb);
/*
 * The contents, malloc'ed and owned by the caller (NULL if an allocation
 * failed); @sb is empty after.
 */
char *strbuf_detach(struct strbuf *sb);

void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Shortens the contents to @len bytes (no-op when already shorter). */
void strbuf_setlen(struct strbuf *sb, size_t len);

#endif
