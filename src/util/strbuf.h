/* SPDX-License-Identifier: GPL-2.0-or-later */
/* strbuf.h - a growing NUL-terminated string, for text built in pieces */
#ifndef KVNET_UTIL_STRBUF_H
#define KVNET_UTIL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

/**
 * struct strbuf - a string that grows as text is appended to it
 * @s:		the text, NUL-terminated; NULL while nothing has been appended
 * @len:	its length, without the NUL
 * @cap:	bytes allocated at @s
 * @err:	0, or the error of the first append that failed (-ENOMEM)
 *
 * Zero-initialized (STRBUF_INIT) it is empty and owns nothing. The capacity at least
 * doubles each time it grows, so appending n bytes in pieces costs O(n).
 *
 * An error is sticky: once an append fails, every later one does nothing and returns it,
 * and strbuf_take() returns it. A caller building a long text may so ignore the return of
 * each append and check strbuf_take()'s alone.
 *
 * The caller owns the buffer: strbuf_take() hands the text over, strbuf_free() drops it.
 */
struct strbuf {
	char *s;
	size_t len;
	size_t cap;
	int err;
};

/* an empty buffer, owning nothing: the same as zero-initializing it */
#define STRBUF_INIT ((struct strbuf){ 0 })

/**
 * strbuf_append() - append a string
 * @sb:	the buffer
 * @s:	NUL-terminated text to append
 *
 * Return: 0, or -ENOMEM (then, and after any earlier failure, @sb is unchanged)
 */
int strbuf_append(struct strbuf *sb, const char *s);

/**
 * strbuf_appendf() - append printf-formatted text
 * @sb:		the buffer
 * @fmt:	printf format, then its arguments
 *
 * Return: 0, or -ENOMEM (also when vsnprintf() cannot format, which only text longer than
 * INT_MAX makes it do): then, and after any earlier failure, @sb's text is unchanged
 */
int strbuf_appendf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * strbuf_append_xml() - append @s escaped for XML text or an attribute value in either
 * quotes: & < > ' " become entities, everything else is copied
 * Return: as strbuf_append()
 */
int strbuf_append_xml(struct strbuf *sb, const char *s);

/** strbuf_vappendf() - strbuf_appendf() with a va_list; @ap is copied, not used up */
int strbuf_vappendf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/**
 * strbuf_take() - hand the text over and empty the buffer
 * @sb:		the buffer; empty (STRBUF_INIT) afterwards, in every case
 * @out:	set to the text, malloc()ed and NUL-terminated ("" if nothing was appended),
 *		which the caller frees; or NULL on failure
 *
 * Return: 0, or the first append error (-ENOMEM), the text then freed
 */
int strbuf_take(struct strbuf *sb, char **out);

/** strbuf_free() - free the text and empty the buffer; @sb may be empty or NULL */
void strbuf_free(struct strbuf *sb);

#endif /* KVNET_UTIL_STRBUF_H */
