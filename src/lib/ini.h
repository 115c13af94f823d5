/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one INI reader (job files, gate rules): "[section]" headers, "key =
 * value" lines, blank lines and full-line '#' or ';' comments, every line
 * handed to a callback with "file:line" for its messages. What a section or
 * key means is the caller's business.
 *
 * Written here rather than taken from Debian's libinih: inih fixes its line
 * length (200) and its inline-comment rules when the library is built, and
 * mmubench's formats need neither limit (a job line lists a whole matrix).
 */
#ifndef MMUBENCH_INI_H
#define MMUBENCH_INI_H

#include <stdbool.h>
#include <stddef.h>

enum ini_flags {
	INI_HASH_COMMENTS = 1 << 0,	/* '#' anywhere starts a comment (gate rules) */
};

struct ini_line {
	const char *where;	/* "source:line", for messages */
	unsigned int lineno;
	const char *section;	/* current section name; NULL before the first header */
	bool header;		/* this line is a "[section]" header (section is its name) */
	char *text;		/* the trimmed line (headers: with brackets) */
	char *key, *value;	/* trimmed, split at the first '='; NULL when the line has none */
};

/* Called for every header and every non-empty, non-comment line; non-zero stops the parse. */
typedef int (*ini_fn)(const struct ini_line *l, void *arg, char *err, size_t errlen);

/*
 * Parses @text (@source names it in messages). A header that does not end in
 * ']' is an error here ("file:3: bad section header '[x'"). Returns 0, or the
 * callback's or the parser's error with a message in @err.
 */
int ini_parse(const char *text, const char *source, unsigned int flags, ini_fn fn, void *arg,
	      char *err, size_t errlen);

#endif
