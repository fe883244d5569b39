/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kvnet.h - the kvnet CLI's shared state, command table types and the one way to call kvnetd */
#ifndef KVNET_CLI_KVNET_H
#define KVNET_CLI_KVNET_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "ctl/vocab.h"

/* exit statuses: success, an error (kvnetd's or the connection's), a usage error */
#define KVNET_EXIT_OK 0
#define KVNET_EXIT_ERROR 1
#define KVNET_EXIT_USAGE 2

struct ctl_client;

/**
 * struct kvnet - one invocation of kvnet
 * @socket:	the control socket's path (--socket, $KVNET_SOCKET or the default)
 * @json:	--json: print the method's result as JSON instead of text
 * @client:	the connection, made on the first call; NULL before
 */
struct kvnet {
	const char *socket;
	bool json;
	struct ctl_client *client;
};

struct parse_arg;

/**
 * struct kvnet_cmd - one COMMAND of an OBJECT
 * @name:	the word on the command line ("add"); NULL ends a table
 * @args:	its arguments as shown in usage ("NAME [mtu N]")
 * @help:	what it does and what its arguments mean, printed by --help; lines end in \n
 * @method:	the method it calls with the params parsed by @spec
 * @spec:	its arguments (see parse_args()); the table ends with a NULL key
 * @flags:	PARSE_* flags for parse_args()
 * @check:	checks across arguments, on the parsed params, before the call: 0, or -EINVAL
 *		after printing why; NULL if there are none
 * @print:	prints the result in text (print.h); with --json, kvnet_exec() prints it as
 *		JSON instead
 * @run:	if not NULL, does the whole command instead of the members above: @argc and
 *		@argv are the words after COMMAND (for an object that is its own command,
 *		after OBJECT); returns an exit status (KVNET_EXIT_*), having printed any error
 * @act:	if not NULL, called with the params parsed by @spec (borrowed: it may change
 *		them, and must take a reference before it passes them to kvnet_call()) in
 *		place of calling @method and @print; returns an exit status (KVNET_EXIT_*),
 *		having printed any error. For commands whose output needs their arguments
 *		("Network NAME started").
 */
struct kvnet_cmd {
	const char *name;
	const char *args;
	const char *help;
	const char *method;
	const struct parse_arg *spec;
	unsigned flags;
	int (*check)(const json_t *params);
	int (*print)(const json_t *result);
	int (*run)(struct kvnet *k, int argc, char **argv);
	int (*act)(struct kvnet *k, json_t *params);
};

/* the commands of each object, one file each; each table ends with a NULL name */
extern const struct kvnet_cmd bridge_cmds[];
extern const struct kvnet_cmd port_cmds[];
extern const struct kvnet_cmd vlan_cmds[];
extern const struct kvnet_cmd fdb_cmds[];
extern const struct kvnet_cmd stats_cmds[];
/* "kvnet version" has no COMMAND word: a table of one entry, whose name is "version" */
extern const struct kvnet_cmd daemon_cmds[];
extern const struct kvnet_cmd monitor_cmds[];
extern const struct kvnet_cmd capture_cmds[];
extern const struct kvnet_cmd capture_list_cmds[];
extern const struct kvnet_cmd mirror_cmds[];
/*
 * virsh's commands, each one word of its own ("kvnet net-start NET"): networks, network
 * ports, domains' interfaces, and net-edit
 */
extern const struct kvnet_cmd net_cmds[];
extern const struct kvnet_cmd netport_cmds[];
extern const struct kvnet_cmd domain_cmds[];
extern const struct kvnet_cmd edit_cmds[];
/* brctl's spanning tree commands, each a word of its own: stp, showstp */
extern const struct kvnet_cmd stp_cmds[];
/* VM ports for QEMU and their QEMU arguments, each a word of its own: port-create, qemu-args */
extern const struct kvnet_cmd qemu_cmds[];

/**
 * qemu_print_port() - after a VM port is made: with --json, domain.attach's @result with
 * "qemu_args" added (["-netdev", "...", "-device", "..."]); else the lines "Domain:" (if
 * @domain), "Backend:", "Socket:" (stream and dgram) and "QEMU args:", the arguments quoted
 * for a shell where they need it
 * Return: an exit status (KVNET_EXIT_*), having printed any error
 */
int qemu_print_port(const struct kvnet *k, const json_t *result, const char *domain);

/**
 * struct vlan_member - one VLAN of a port or an interface, as kvnetd lists them
 * @vid:	the VID
 * @untagged:	frames of the VLAN leave the port untagged
 */
struct vlan_member {
	json_int_t vid;
	bool untagged;
};

/**
 * vlan_need_members() - a port's or an interface's "vlans" array, checked, sorted by VID
 * @ctx:	names the port or interface in messages ("ports[1]")
 * @out:	on success a new array of *@count members; the caller must free() it
 * Return: 0, -EBADMSG after reporting a bad answer, or -ENOMEM
 */
int vlan_need_members(const json_t *vlans, const char *ctx, struct vlan_member **out,
		      size_t *count);

/**
 * domain_print_port_fields() - domain.attach's result in text: the line @header, then
 * Interface:, MAC:, Network: (if any), Bridge:; nothing at all if the result lacks one of them
 * Return: 0, -EBADMSG after reporting it, or -ENOMEM
 */
int domain_print_port_fields(const json_t *result, const char *header);

/* --backend's words, as usage spells them */
#define QEMU_BACKEND_USAGE CTL_WORDS_BAR(CTL_VM_BACKEND_LIST)

/**
 * qemu_backend_check() - params "connect" and "netns" against "backend" (default tap):
 * --connect is for stream only, --netns for tap only
 * Return: 0, or -EINVAL after printing why (a usage error)
 */
int qemu_backend_check(const json_t *params);

/**
 * qemu_connect_absolute() - make param "connect", if relative, absolute from our working
 * directory (kvnetd has its own). Return: an exit status, having printed any error
 */
int qemu_connect_absolute(json_t *params);

/* the largest XML file kvnet reads and sends */
#define KVNET_XML_MAX (1u << 20)

/**
 * kvnet_read_xml() - read an XML file given on the command line, as virsh does on its side
 * @path:	the file's name ("-" is not special)
 * @out:	on success a new JSON string holding the file's text; the caller owns it
 *
 * Every failure is printed: "kvnet: cannot read PATH: <strerror>", or that the file is
 * larger than KVNET_XML_MAX, or is not UTF-8 text.
 *
 * Return: KVNET_EXIT_OK, or KVNET_EXIT_ERROR after printing why.
 */
int kvnet_read_xml(const char *path, json_t **out);

/**
 * kvnet_call_xml() - call @method with @params, whose "file" member names an XML file: it
 * is read (kvnet_read_xml()) and sent as "xml" instead
 * @k:		the invocation
 * @method:	e.g. "net.define"
 * @params:	borrowed, not changed
 * @result:	as in kvnet_call()
 *
 * Return: KVNET_EXIT_OK, or KVNET_EXIT_ERROR after printing why.
 */
int kvnet_call_xml(struct kvnet *k, const char *method, const json_t *params, json_t **result);

/**
 * kvnet_call() - call a method of kvnetd, connecting first if need be
 * @k:		the invocation
 * @method:	the method, e.g. "bridge.add"
 * @params:	its params object, or NULL; stolen (released here in every case)
 * @result:	on success, the answer's result object; the caller must json_decref() it
 *
 * Every failure is printed on stderr: "kvnet: cannot connect to kvnetd at PATH: ...",
 * the daemon's own message as "kvnet: MESSAGE", or what was wrong with the answer.
 *
 * Return: KVNET_EXIT_OK, or KVNET_EXIT_ERROR after printing why.
 */
int kvnet_call(struct kvnet *k, const char *method, json_t *params, json_t **result);

/**
 * kvnet_exec() - parse @argc/@argv by @c's spec, check, and call @c's method (or @c->act) and
 * print its result by @c->print: what a table entry without @run does
 * @label:	the command, for messages ("stp set")
 * @flags:	PARSE_* flags besides @c->flags
 * Return: an exit status (KVNET_EXIT_*), having printed any error
 */
int kvnet_exec(struct kvnet *k, const char *label, const struct kvnet_cmd *c, unsigned flags,
	       int argc, char **argv);

/**
 * kvnet_err() - print "kvnet: " and the message on stderr, with a newline
 */
__attribute__((format(printf, 1, 2))) void kvnet_err(const char *fmt, ...);

#endif
