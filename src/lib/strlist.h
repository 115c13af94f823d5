/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A list of strings, and the one splitter of "a, b ,c" lists (option values,
 * gate rules, job files): items are trimmed, empty ones dropped. libc only.
 */
#ifndef MMUBENCH_STRLIST_H
#define MMUBENCH_STRLIST_H

#include <stdbool.h>
#include <stddef.h>

struct strlist {
	char **v;
	size_t n;
};

#define STRLIST_INIT { 0 }

void strlist_free(struct strlist *l);
/* Appends a copy of @s; -ENOMEM. */
int strlist_push(struct strlist *l, const char *s);
/*
 * Appends the items of @s split at any of @seps (e.g. ","), trimmed, empty ones
 * dropped; -ENOMEM.
 */
int strlist_split(struct strlist *l, const char *s, const char *seps);
bool strlist_has(const struct strlist *l, const char *s);
/* True when an item, taken as a glob (fnmatch), matches @name. */
bool strlist_match(const struct strlist *l, const char *name);

/* @s without leading and trailing white space (modifies @s, returns a pointer into it). */
char *str_trim(char *s);

#endif
