/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conf_xml_test.h - parse/format/error helpers for the conf/ XML unit tests (after cmocka.h) */
#ifndef KVNET_TESTS_UNIT_CONF_XML_TEST_H
#define KVNET_TESTS_UNIT_CONF_XML_TEST_H

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/*
 * CONF_XML_TEST_HELPERS() defines, for a document kind whose parse(buf, len, &def, err,
 * errlen), format(def, &out) and free(def) follow conf/'s conventions:
 *   parse_ok(xml)		the definition, failing the test on an error
 *   round_trip(in, out)	@in formats to exactly @out, which parses and formats to itself
 *   same(in)			@in is already canonical
 *   parse_err(in, ...)		-EINVAL, no definition, and a message holding each of the
 *				NULL-ended substrings
 */
#define CONF_XML_TEST_HELPERS(type, parse, format, free_def)                                       \
	static type *parse_ok(const char *xml)                                                     \
	{                                                                                          \
		type *def = NULL;                                                                  \
		char err[512];                                                                     \
		int ret = parse(xml, strlen(xml), &def, err, sizeof(err));                         \
                                                                                                   \
		if (ret)                                                                           \
			fail_msg("unexpected error %d: %s", ret, err);                             \
		assert_non_null(def);                                                              \
		return def;                                                                        \
	}                                                                                          \
                                                                                                   \
	static void round_trip(const char *in, const char *out)                                    \
	{                                                                                          \
		type *def = parse_ok(in), *again;                                                  \
		char *s = NULL, *s2 = NULL;                                                        \
                                                                                                   \
		assert_int_equal(format(def, &s), 0);                                              \
		assert_string_equal(s, out);                                                       \
		again = parse_ok(s);                                                               \
		assert_int_equal(format(again, &s2), 0);                                           \
		assert_string_equal(s2, s);                                                        \
		free(s2);                                                                          \
		free(s);                                                                           \
		free_def(again);                                                                   \
		free_def(def);                                                                     \
	}                                                                                          \
                                                                                                   \
	static __attribute__((unused)) void same(const char *in)                                   \
	{                                                                                          \
		round_trip(in, in);                                                                \
	}                                                                                          \
                                                                                                   \
	static void parse_err(const char *in, ...)                                                 \
	{                                                                                          \
		type *def = (type *)1;                                                             \
		char err[512];                                                                     \
		const char *want;                                                                  \
		va_list ap;                                                                        \
                                                                                                   \
		assert_int_equal(parse(in, strlen(in), &def, err, sizeof(err)), -EINVAL);          \
		assert_null(def);                                                                  \
		va_start(ap, in);                                                                  \
		while ((want = va_arg(ap, const char *)))                                          \
			if (!strstr(err, want))                                                    \
				fail_msg("error '%s' lacks '%s'", err, want);                      \
		va_end(ap);                                                                        \
	}

#endif /* KVNET_TESTS_UNIT_CONF_XML_TEST_H */
