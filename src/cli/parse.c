/* SPDX-License-Identifier: GPL-2.0-or-later */
/* parse.c - strict, table-driven parsing of a command's arguments into JSON-RPC params */

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/kvnet.h"
#include "cli/parse.h"
#include "ctl/protocol.h"
#include "ctl/vocab.h"

#define PARSE_EXPECT_MAX 256
/* most arguments a command's table may have */
#define PARSE_ARGS_MAX 32

/* the separator before item @i of @count in "a, b or c" */
static const char *parse_sep(size_t i, size_t count)
{
	if (i == 0)
		return "";
	return i + 1 < count ? ", " : " or ";
}

/* the words a PARSE_CHOICE takes */
static const char *const *parse_choices(const struct parse_arg *a)
{
	return a->vocab ? a->vocab->names : a->choices;
}

/* what a value of @a should look like, for messages: "N..M", "on or off" */
static void parse_expected(const struct parse_arg *a, char *buf, size_t size)
{
	const char *const *choices;
	size_t n, i, count;

	switch (a->kind) {
	case PARSE_NAME:
		snprintf(buf, size, "1 to 15 characters of A-Z a-z 0-9 _ . -");
		return;
	case PARSE_PORT_SPEC:
		snprintf(buf, size,
			 "a port name of 1 to 15 characters of A-Z a-z 0-9 _ . -, "
			 "dev:IFNAME or vxlan:NAME");
		return;
	case PARSE_NETNS:
		snprintf(buf, size, "a name under /run/netns, as ip netns add makes");
		return;
	case PARSE_ONOFF:
		snprintf(buf, size, "on or off");
		return;
	case PARSE_FLAG:
		snprintf(buf, size, "no value");
		return;
	case PARSE_UINT:
		snprintf(buf, size, "%lld..%lld", a->min, a->max);
		return;
	case PARSE_SECONDS:
		snprintf(buf, size, "%lld..%lld seconds", a->min, a->max);
		return;
	case PARSE_VID:
		snprintf(buf, size, "%d..%d", CTL_VID_MIN, CTL_VID_MAX);
		return;
	case PARSE_VID_NONE:
		snprintf(buf, size, "%d..%d or none", CTL_VID_MIN, CTL_VID_MAX);
		return;
	case PARSE_VID_RANGE:
		snprintf(buf, size, "N or N-M within %d..%d", CTL_VID_MIN, CTL_VID_MAX);
		return;
	case PARSE_MAC:
		snprintf(buf, size, "aa:bb:cc:dd:ee:ff");
		return;
	case PARSE_STRING:
		snprintf(buf, size, "non-empty text without control characters");
		return;
	case PARSE_UUID:
		snprintf(buf, size, "a UUID, xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
		return;
	case PARSE_XML:
		snprintf(buf, size, "an XML element starting with '<', or a file name");
		return;
	case PARSE_CHOICE:
		choices = parse_choices(a);
		buf[0] = '\0';
		for (count = 0; choices[count]; count++)
			;
		for (i = 0; i < count; i++) {
			n = strlen(buf);
			snprintf(buf + n, size - n, "%s%s", parse_sep(i, count), choices[i]);
		}
		return;
	}
	snprintf(buf, size, "a value");
}

/* the keywords of @spec as "a, b or c"; empty if it has none */
static void parse_keywords(const struct parse_arg *spec, char *buf, size_t size)
{
	const struct parse_arg *a;
	size_t n, count = 0, i = 0;

	for (a = spec; a->key; a++)
		count += a->word != NULL;
	buf[0] = '\0';
	for (a = spec; a->key; a++) {
		if (!a->word)
			continue;
		n = strlen(buf);
		snprintf(buf + n, size - n, "%s%s", parse_sep(i++, count), a->word);
	}
}

/* complain that @s is not a valid value of @a, saying what was expected */
static int parse_bad(const struct parse_arg *a, const char *s, const char *problem)
{
	char expect[PARSE_EXPECT_MAX];

	parse_expected(a, expect, sizeof(expect));
	kvnet_err("%s '%s' %s (expected %s)", a->what, s, problem, expect);
	return -EINVAL;
}

/* a decimal integer of digits only, into *v; 1 if outside every range we take */
static int parse_digits(const char *s, unsigned long long *v)
{
	size_t n = strlen(s);

	/* a negative number is a number, below every range we take */
	if (n > 1 && s[0] == '-' && strspn(s + 1, "0123456789") == n - 1)
		return 1;
	if (!n || strspn(s, "0123456789") != n)
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, NULL, 10);
	if (errno == ERANGE)
		return 1;
	return 0;
}

static int parse_uint(const struct parse_arg *a, const char *s, long long *out)
{
	unsigned long long v;
	int ret = parse_digits(s, &v);

	if (ret < 0)
		return parse_bad(a, s, "is not a number");
	if (ret > 0 || v < (unsigned long long)a->min || v > (unsigned long long)a->max)
		return parse_bad(a, s, "is out of range");
	*out = (long long)v;
	return 0;
}

/* a VID, or one end of a range; @a names it in messages */
static int parse_vid(const struct parse_arg *a, const char *s, long long *out)
{
	unsigned long long v;
	int ret = parse_digits(s, &v);

	if (ret < 0)
		return parse_bad(a, s, "is not a number");
	if (ret > 0 || v < CTL_VID_MIN || v > CTL_VID_MAX) {
		/* the range is what matters here, not the other forms the value may take */
		kvnet_err("%s '%s' is out of range (expected %d..%d)", a->what, s, CTL_VID_MIN,
			  CTL_VID_MAX);
		return -EINVAL;
	}
	*out = (long long)v;
	return 0;
}

/* N or N-M; *end is set to N for a single VID */
static int parse_vid_range(const struct parse_arg *a, const char *s, long long *start,
			   long long *end)
{
	const char *dash = strchr(s, '-');
	char first[16];
	size_t len;

	if (!dash) {
		if (parse_vid(a, s, start))
			return -EINVAL;
		*end = *start;
		return 0;
	}
	len = (size_t)(dash - s);
	if (len == 0 || len >= sizeof(first) || !dash[1] || strchr(dash + 1, '-'))
		return parse_bad(a, s, "is not a VID or a range");
	memcpy(first, s, len);
	first[len] = '\0';
	if (parse_vid(a, first, start) || parse_vid(a, dash + 1, end))
		return -EINVAL;
	if (*end < *start) {
		kvnet_err("%s range '%s' is backwards (expected N-M with N <= M)", a->what, s);
		return -EINVAL;
	}
	return 0;
}

static int parse_seconds(const struct parse_arg *a, const char *s, json_t **out)
{
	/* digits, then maybe a fraction; a sign only to say that it is out of range */
	const char *p = s[0] == '-' ? s + 1 : s;
	size_t n = strlen(p), ip = strspn(p, "0123456789");
	double d;

	if (ip == 0 || (ip < n && (p[ip] != '.' || ip + 1 == n ||
				   strspn(p + ip + 1, "0123456789") != n - ip - 1)))
		return parse_bad(a, s, "is not a number");
	d = strtod(s, NULL);
	if (d < (double)a->min || d > (double)a->max)
		return parse_bad(a, s, "is out of range");
	*out = ip == n ? json_integer((json_int_t)d) : json_real(d);
	return 0;
}

static int parse_mac(const char *s, json_t **out)
{
	uint8_t mac[CTL_MAC_LEN];
	char text[CTL_MAC_STRLEN];

	if (ctl_mac_parse(s, mac)) {
		kvnet_err("'%s' is not a MAC address (expected aa:bb:cc:dd:ee:ff)", s);
		return -EINVAL;
	}
	*out = json_string(ctl_mac_format(mac, text));
	return 0;
}

/* 8-4-4-4-12 hex digits, into @out in lower case */
static int parse_uuid(const struct parse_arg *a, const char *s, json_t **out)
{
	char uuid[37];
	size_t i;

	if (strlen(s) != 36)
		return parse_bad(a, s, "is not a UUID");
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return parse_bad(a, s, "is not a UUID");
		} else if (!isxdigit((unsigned char)s[i])) {
			return parse_bad(a, s, "is not a UUID");
		}
		uuid[i] = (char)tolower((unsigned char)s[i]);
	}
	uuid[36] = '\0';
	*out = json_string(uuid);
	return 0;
}

/* non-empty text without control characters; with @lines, tabs and line ends are allowed */
static int parse_text(const struct parse_arg *a, const char *s, bool lines)
{
	const unsigned char *p;

	if (!*s)
		return parse_bad(a, s, "is empty");
	for (p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && !(lines && (*p == '\t' || *p == '\n' || *p == '\r'))) ||
		    *p == 0x7f)
			return parse_bad(a, "?", "has a control character");
	return 0;
}

static int parse_name(const struct parse_arg *a, const char *s)
{
	char expect[PARSE_EXPECT_MAX];

	if (ctl_name_valid(s))
		return 0;
	parse_expected(a, expect, sizeof(expect));
	kvnet_err("'%s' is not a valid %s (expected %s)", s, a->what, expect);
	return -EINVAL;
}

/* parse one value @s of @a into @params */
static int parse_value(const struct parse_arg *a, const char *s, json_t *params)
{
	const char *const *choices;
	const char *type = ctl_vocab_name(&ctl_port_types, CTL_PORT_TYPE_TAP);
	json_t *v = NULL;
	long long n = 0, m = 0;
	size_t i;
	int ret;

	switch (a->kind) {
	case PARSE_NAME:
		if (parse_name(a, s))
			return -EINVAL;
		v = json_string(s);
		break;
	case PARSE_PORT_SPEC:
		if (!strncmp(s, "dev:", 4)) {
			const struct parse_arg dev = { .what = "interface name",
						       .kind = PARSE_NAME };

			s += 4;
			type = ctl_vocab_name(&ctl_port_types, CTL_PORT_TYPE_DEV);
			if (parse_name(&dev, s))
				return -EINVAL;
		} else if (!strncmp(s, "vxlan:", 6)) {
			const struct parse_arg vx = { .what = "vxlan port name",
						      .kind = PARSE_NAME };

			s += 6;
			type = ctl_vocab_name(&ctl_port_types, CTL_PORT_TYPE_VXLAN);
			if (parse_name(&vx, s))
				return -EINVAL;
		} else if (parse_name(a, s)) {
			return -EINVAL;
		}
		if (json_object_set_new(params, "type", json_string(type)))
			return -ENOMEM;
		v = json_string(s);
		break;
	case PARSE_NETNS:
		if (!ctl_netns_name_valid(s)) {
			char expect[PARSE_EXPECT_MAX];

			parse_expected(a, expect, sizeof(expect));
			kvnet_err("'%s' is not a valid %s (expected %s)", s, a->what, expect);
			return -EINVAL;
		}
		v = json_string(s);
		break;
	case PARSE_ONOFF:
		if (strcmp(s, "on") && strcmp(s, "off"))
			return parse_bad(a, s, "is not valid");
		v = json_boolean(!strcmp(s, "on"));
		break;
	case PARSE_FLAG:
		v = json_true();
		break;
	case PARSE_UINT:
		if (parse_uint(a, s, &n))
			return -EINVAL;
		v = json_integer(n);
		break;
	case PARSE_SECONDS:
		if (parse_seconds(a, s, &v))
			return -EINVAL;
		break;
	case PARSE_VID:
		if (parse_vid(a, s, &n))
			return -EINVAL;
		v = json_integer(n);
		break;
	case PARSE_VID_NONE:
		if (!strcmp(s, "none")) {
			v = json_integer(0);
			break;
		}
		if (parse_vid(a, s, &n))
			return -EINVAL;
		v = json_integer(n);
		break;
	case PARSE_VID_RANGE:
		if (parse_vid_range(a, s, &n, &m))
			return -EINVAL;
		if (json_object_set_new(params, a->key, json_integer(n)))
			return -ENOMEM;
		if (m > n && json_object_set_new(params, "vid_end", json_integer(m)))
			return -ENOMEM;
		return 0;
	case PARSE_MAC:
		if (parse_mac(s, &v))
			return -EINVAL;
		break;
	case PARSE_STRING:
	case PARSE_XML:
		if (parse_text(a, s, a->kind == PARSE_XML))
			return -EINVAL;
		v = json_string(s);
		if (!v)
			return parse_bad(a, "?", "is not UTF-8 text");
		break;
	case PARSE_UUID:
		if (parse_uuid(a, s, &v))
			return -EINVAL;
		break;
	case PARSE_CHOICE:
		choices = parse_choices(a);
		for (i = 0; choices[i]; i++)
			if (!strcmp(s, choices[i]))
				break;
		if (!choices[i])
			return parse_bad(a, s, "is not valid");
		v = json_string(s);
		break;
	}
	if (!v)
		return -ENOMEM;
	ret = json_object_set_new(params, a->key, v);
	return ret ? -ENOMEM : 0;
}

static const struct parse_arg *parse_find_word(const struct parse_arg *spec, const char *s)
{
	const struct parse_arg *a;

	for (a = spec; a->key; a++)
		if (a->word && !strcmp(a->word, s))
			return a;
	return NULL;
}

/*
 * PARSE_ANY_ORDER: @argv rearranged into @out, positionals first, then every "--" word with
 * its value (the next word, unless the keyword is a PARSE_FLAG or unknown)
 */
static void parse_reorder(const struct parse_arg *spec, int argc, char **argv, char **out)
{
	const struct parse_arg *a;
	int i, n = 0;

	/* the positionals: every word that is neither an option nor an option's value */
	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--", 2)) {
			out[n++] = argv[i];
			continue;
		}
		a = parse_find_word(spec, argv[i]);
		if (a && a->kind != PARSE_FLAG)
			i++;
	}
	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--", 2))
			continue;
		out[n++] = argv[i];
		a = parse_find_word(spec, argv[i]);
		if (a && a->kind != PARSE_FLAG && i + 1 < argc)
			out[n++] = argv[++i];
	}
}

int parse_args(const char *cmd, const char *usage, const struct parse_arg *spec, int argc,
	       char **argv, json_t *params, unsigned flags)
{
	char expect[PARSE_EXPECT_MAX], keywords[PARSE_EXPECT_MAX];
	const struct parse_arg *a;
	bool seen[PARSE_ARGS_MAX] = { false }, any = false;
	char **sorted = NULL;
	int i = 0, ret;
	size_t idx;

	for (a = spec; a->key; a++)
		if (a - spec >= PARSE_ARGS_MAX)
			return -E2BIG;
	if ((flags & PARSE_ANY_ORDER) && argc > 0) {
		sorted = calloc((size_t)argc, sizeof(*sorted));
		if (!sorted)
			return -ENOMEM;
		parse_reorder(spec, argc, argv, sorted);
		ret = parse_args(cmd, usage, spec, argc, sorted, params, flags & ~PARSE_ANY_ORDER);
		free(sorted);
		return ret;
	}
	for (a = spec; a->key; a++) {
		if (a->word)
			continue;
		if (i >= argc || (!a->required && parse_find_word(spec, argv[i]))) {
			if (!a->required)
				continue;
			kvnet_err("%s needs a %s (usage: kvnet %s %s)", cmd, a->what, cmd, usage);
			return -EINVAL;
		}
		ret = parse_value(a, argv[i], params);
		if (ret)
			return ret;
		i++;
	}

	parse_keywords(spec, keywords, sizeof(keywords));
	while (i < argc) {
		a = parse_find_word(spec, argv[i]);
		if (!a) {
			if (keywords[0])
				kvnet_err("unknown argument '%s' to %s (expected %s)", argv[i], cmd,
					  keywords);
			else
				kvnet_err("unexpected argument '%s' (usage: kvnet %s %s)", argv[i],
					  cmd, usage);
			return -EINVAL;
		}
		idx = (size_t)(a - spec);
		if (seen[idx]) {
			kvnet_err("'%s' is given twice", a->word);
			return -EINVAL;
		}
		seen[idx] = true;
		any = true;
		if (a->kind == PARSE_FLAG) {
			ret = parse_value(a, NULL, params);
			if (ret)
				return ret;
			i++;
			continue;
		}
		if (i + 1 >= argc) {
			parse_expected(a, expect, sizeof(expect));
			if (a->kind == PARSE_NAME || a->kind == PARSE_NETNS)
				kvnet_err("'%s' needs a %s", a->word, a->what);
			else
				kvnet_err("'%s' needs a value (expected %s)", a->word, expect);
			return -EINVAL;
		}
		ret = parse_value(a, argv[i + 1], params);
		if (ret)
			return ret;
		i += 2;
	}

	for (a = spec; a->key; a++) {
		if (!a->word || !a->required || seen[a - spec])
			continue;
		kvnet_err("%s needs '%s' (usage: kvnet %s %s)", cmd, a->word, cmd, usage);
		return -EINVAL;
	}
	if ((flags & PARSE_NEED_KEYWORD) && !any) {
		kvnet_err("%s needs at least one of %s (usage: kvnet %s %s)", cmd, keywords, cmd,
			  usage);
		return -EINVAL;
	}
	return 0;
}
