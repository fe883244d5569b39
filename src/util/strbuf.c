/* SPDX-License-Identifier: GPL-2.0-or-later */
/* strbuf.c - a growing NUL-terminated string, for text built in pieces */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

/* the first allocation: most texts built here (a configuration, an XML document) fit */
#define STRBUF_MIN_CAP 256

/* strbuf_grow() - make room for @n more bytes and the NUL. Return: 0 or -ENOMEM (sticky) */
static int strbuf_grow(struct strbuf *sb, size_t n)
{
	size_t need, cap;
	char *p;

	if (sb->err)
		return sb->err;
	if (n > SIZE_MAX - 1 - sb->len)
		goto no_memory;
	need = sb->len + n + 1;
	if (need <= sb->cap)
		return 0;
	cap = sb->cap ? sb->cap : STRBUF_MIN_CAP;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(sb->s, cap);
	if (!p)
		goto no_memory;
	sb->s = p;
	sb->cap = cap;
	return 0;

no_memory:
	sb->err = -ENOMEM;
	return sb->err;
}

int strbuf_append(struct strbuf *sb, const char *s)
{
	size_t n = strlen(s);
	int ret;

	ret = strbuf_grow(sb, n);
	if (ret)
		return ret;
	memcpy(sb->s + sb->len, s, n + 1);
	sb->len += n;
	return 0;
}

int strbuf_vappendf(struct strbuf *sb, const char *fmt, va_list ap)
{
	size_t room;
	va_list aq;
	int n, ret;

	if (sb->err)
		return sb->err;
	/* first into the room there is: most appends fit, and need one pass only */
	room = sb->cap - sb->len;
	va_copy(aq, ap);
	n = vsnprintf(sb->s ? sb->s + sb->len : NULL, room, fmt, aq);
	va_end(aq);
	if (n < 0)
		goto no_memory;
	if ((size_t)n >= room) {
		ret = strbuf_grow(sb, (size_t)n);
		if (ret)
			goto restore;
		va_copy(aq, ap);
		n = vsnprintf(sb->s + sb->len, sb->cap - sb->len, fmt, aq);
		va_end(aq);
		if (n < 0)
			goto no_memory;
	}
	sb->len += (size_t)n;
	return 0;

no_memory:
	sb->err = -ENOMEM;
restore:
	/* a failed pass may have written into the room: the text ends where it ended */
	if (sb->s)
		sb->s[sb->len] = '\0';
	return sb->err;
}

int strbuf_appendf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = strbuf_vappendf(sb, fmt, ap);
	va_end(ap);
	return ret;
}

int strbuf_append_xml(struct strbuf *sb, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		const char *ent = *s == '&'    ? "&amp;"
				  : *s == '<'  ? "&lt;"
				  : *s == '>'  ? "&gt;"
				  : *s == '\'' ? "&apos;"
				  : *s == '"'  ? "&quot;"
					       : NULL;

		if (!ent)
			continue;
		strbuf_appendf(sb, "%.*s%s", (int)(s - run), run, ent);
		run = s + 1;
	}
	return strbuf_append(sb, run);
}

int strbuf_take(struct strbuf *sb, char **out)
{
	int ret = sb->err;

	*out = NULL;
	if (ret) {
		strbuf_free(sb);
		return ret;
	}
	*out = sb->s ? sb->s : strdup("");
	sb->s = NULL;
	strbuf_free(sb);
	return *out ? 0 : -ENOMEM;
}

void strbuf_free(struct strbuf *sb)
{
	if (!sb)
		return;
	free(sb->s);
	*sb = STRBUF_INIT;
}
