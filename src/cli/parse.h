/* SPDX-License-Identifier: GPL-2.0-or-later */
/* parse.h - strict, table-driven parsing of a command's arguments into JSON-RPC params */
#ifndef KVNET_CLI_PARSE_H
#define KVNET_CLI_PARSE_H

#include <stdbool.h>

#include <jansson.h>

struct ctl_vocab;

/* what an argument's value is, and how it becomes a member of params */
enum parse_kind {
	PARSE_NAME,	 /* a bridge or port name (ctl_name_valid()): string */
	PARSE_PORT_SPEC, /* NAME (a tap), dev:IFNAME or vxlan:NAME: @key and "type" (ctl_port_types) */
	PARSE_NETNS,	 /* a network namespace name (ctl_netns_name_valid()): string */
	PARSE_ONOFF,	 /* on or off: bool */
	PARSE_FLAG,	 /* the keyword alone, no value: true */
	PARSE_UINT,	 /* a decimal integer in @min..@max: integer */
	PARSE_SECONDS,	 /* a decimal number of seconds in @min..@max: integer, or real if it
			  * has a fraction */
	PARSE_VID,	 /* CTL_VID_MIN..CTL_VID_MAX: integer */
	PARSE_VID_NONE,	 /* a VID, or none for 0: integer */
	PARSE_VID_RANGE, /* N or N-M of VIDs: @key = N, and "vid_end" = M if M > N */
	PARSE_MAC,	 /* a MAC address (ctl_mac_parse()): string, lower case */
	PARSE_CHOICE,	 /* one of @vocab's words, or of @choices: string */
	PARSE_STRING,	 /* any non-empty text without control characters (a network name or
			  * UUID, a domain name, a file name): string */
	PARSE_UUID,	 /* xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, any case: string, lower case */
	PARSE_XML,	 /* an XML element or a file name: non-empty text whose only control
			  * characters are tabs and line ends: string */
};

/**
 * struct parse_arg - one argument of a command
 * @word:	its keyword ("mtu"); NULL for a positional argument, which comes before every
 *		keyword, in table order
 * @key:	the member of params it sets
 * @kind:	what its value is
 * @what:	how messages name it: "bridge name", "vid", "mtu"
 * @required:	must be given; a positional argument that is not required may only be
 *		left out at the end of the positionals, or before a keyword
 * @min, @max:	bounds for PARSE_UINT and PARSE_SECONDS
 * @choices:	for PARSE_CHOICE, a NULL-terminated list of words the CLI defines itself
 * @vocab:	for PARSE_CHOICE, the words of a protocol enum (ctl/vocab.h) instead
 *
 * A table of these ends with an entry whose @key is NULL.
 */
struct parse_arg {
	const char *word;
	const char *key;
	enum parse_kind kind;
	const char *what;
	bool required;
	long long min, max;
	const char *const *choices;
	const struct ctl_vocab *vocab;
};

/* parse_args() flags */
#define PARSE_NEED_KEYWORD 0x1 /* at least one keyword must be given ("bridge set") */
/*
 * keywords may come before or among the positionals, as virsh's --options do: every word
 * that starts with "--" is taken as a keyword (with the next word as its value unless it is
 * a PARSE_FLAG), the other words are the positionals, in order
 */
#define PARSE_ANY_ORDER 0x2

/**
 * parse_args() - parse a command's arguments into a params object
 * @cmd:	the command, for messages: "bridge add"
 * @usage:	its arguments as in usage, for messages: "NAME [mtu N]"
 * @spec:	the arguments it takes
 * @argc, @argv: the words after the command
 * @params:	members are added to it
 * @flags:	PARSE_* flags
 *
 * Each keyword may be given once. Every bad word is reported on stderr with a message that
 * names it and says what was expected.
 *
 * Return: 0, or -EINVAL after printing the message (a usage error); -ENOMEM; -E2BIG if
 * @spec has more than 32 entries (a bug).
 */
int parse_args(const char *cmd, const char *usage, const struct parse_arg *spec, int argc,
	       char **argv, json_t *params, unsigned flags);

#endif
