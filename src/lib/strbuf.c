// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/lib/strbuf.h"

char strbuf_empty[1];

void strbuf_init(struct strbuf *sb)
{
	*sb = (struct strbuf)STRBUF_INIT;
}

void strbuf_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	strbuf_init(sb);
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	sb->failed = false;
	if (sb->alloc)
		sb->buf[0] = '\0';
}

char *strbuf_detach(struct strbuf *sb)
{
	char *s = NULL;

	if (!sb->failed)
		s = sb->alloc ? sb->buf : strdup("");
	else if (sb->alloc)
		free(sb->buf);
	strbuf_init(sb);
	return s;
}

/* Room for @extra more bytes plus the NUL; false (and failed set) when it cannot be had. */
static bool strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t want, alloc;
	char *buf;

	if (sb->failed)
		return false;
	if (extra > (size_t)-1 / 2 - sb->len) {
		sb->failed = true;
		return false;
	}
	want = sb->len + extra + 1;
	if (want <= sb->alloc)
		return true;
	alloc = sb->alloc ? sb->alloc : 64;
	while (alloc < want)
		alloc *= 2;
	buf = realloc(sb->alloc ? sb->buf : NULL, alloc);
	if (!buf) {
		sb->failed = true;
		return false;
	}
	if (!sb->alloc)
		buf[0] = '\0';
	sb->buf = buf;
	sb->alloc = alloc;
	return true;
}

void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	if (!strbuf_grow(sb, len))
		return;
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, char c)
{
	strbuf_add(sb, &c, 1);
}

void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	if (sb->failed)
		return;
	va_copy(aq, ap);
	n = vsnprintf(sb->buf + sb->len, sb->alloc ? sb->alloc - sb->len : 0, fmt, aq);
	va_end(aq);
	if (n < 0) {
		sb->failed = true;
		return;
	}
	if (sb->alloc && (size_t)n < sb->alloc - sb->len) {
		sb->len += n;
		return;
	}
	if (!strbuf_grow(sb, n))
		return;
	vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
	sb->len += n;
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

void strbuf_setlen(struct strbuf *sb, size_t len)
{
	if (len < sb->len) {
		sb->len = len;
		sb->buf[len] = '\0';
	}
}
