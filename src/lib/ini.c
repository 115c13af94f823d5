// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/lib/ini.h"
#include "src/lib/strlist.h"
#include "src/lib/util.h"

int ini_parse(const char *text, const char *source, unsigned int flags, ini_fn fn, void *arg,
	      char *err, size_t errlen)
{
	char *copy = strdup(text ? text : ""), *line, *next, *section = NULL, where[512];
	unsigned int lineno = 0;
	int ret = 0;

	if (!copy)
		return errf(err, errlen, -ENOMEM, "%s: out of memory", source);
	for (line = copy; line && !ret; line = next) {
		struct ini_line l = { .where = where, .section = section };
		char *s, *eq;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		l.lineno = ++lineno;
		snprintf(where, sizeof(where), "%s:%u", source, lineno);
		if (flags & INI_HASH_COMMENTS) {
			char *hash = strchr(line, '#');

			if (hash)
				*hash = '\0';
		}
		s = str_trim(line);
		if (!*s || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *end = strchr(s, ']');

			if (!end || end[1]) {
				ret = errf(err, errlen, -EINVAL, "%s: bad section header '%s'",
					   where, s);
				break;
			}
			l.text = strdup(s);
			*end = '\0';
			free(section);
			section = strdup(str_trim(s + 1));
			if (!section || !l.text) {
				free(l.text);
				ret = errf(err, errlen, -ENOMEM, "%s: out of memory", where);
				break;
			}
			l.section = section;
			l.header = true;
		} else {
			/* text stays whole; key and value are cut out of the line itself */
			l.text = strdup(s);
			if (!l.text) {
				ret = errf(err, errlen, -ENOMEM, "%s: out of memory", where);
				break;
			}
			eq = strchr(s, '=');
			if (eq) {
				*eq = '\0';
				l.key = str_trim(s);
				l.value = str_trim(eq + 1);
			}
		}
		ret = fn(&l, arg, err, errlen);
		free(l.text);
	}
	free(section);
	free(copy);
	return ret;
}
