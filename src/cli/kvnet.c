/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kvnet.c - the kvnet CLI: global options, the table of objects and commands, main() */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/kvnet.h"
#include "cli/parse.h"
#include "cli/print.h"
#include "cli/version.h"
#include "ctl/client.h"
#include "ctl/protocol.h"

/**
 * struct kvnet_object - an OBJECT word and the file that implements its commands
 * @name:	the word ("bridge")
 * @summary:	one line for the global help
 * @cmds:	its commands
 * @bare:	the object is its own command and takes no COMMAND word ("kvnet version")
 * @toplevel:	not an object but a group of commands, each a word of its own as virsh
 *		spells it ("kvnet net-start NET"); @name names the group in messages
 */
struct kvnet_object {
	const char *name;
	const char *summary;
	const struct kvnet_cmd *cmds;
	bool bare;
	bool toplevel;
};

static const struct kvnet_object kvnet_objects[] = {
	{ "bridge", "VLAN-aware switches", bridge_cmds, false, false },
	{ "port", "ports of a bridge: taps kvnet makes, or existing interfaces", port_cmds, false,
	  false },
	{ "vlan", "VLAN membership of ports", vlan_cmds, false, false },
	{ "fdb", "forwarding database: learned and static MAC addresses", fdb_cmds, false, false },
	{ "mdb", "multicast groups IGMP/MLD snooping learned", mdb_cmds, false, false },
	{ "stats", "counters of bridges and ports, every drop cause", stats_cmds, false, false },
	{ "version", "kvnet's version, and kvnetd's if it answers", daemon_cmds, true, false },
	{ "monitor", "kvnetd's events as they happen", monitor_cmds, true, false },
	{ "capture", "a port's frames as pcap, for tcpdump -r", capture_cmds, true, false },
	{ "capture-list", "the captures running", capture_list_cmds, true, false },
	{ "mirror", "port mirroring (SPAN) to an output port", mirror_cmds, false, false },
	{ "networks", "libvirt networks", net_cmds, false, true },
	{ "net-edit", "edit a network's XML", edit_cmds, false, true },
	{ "network ports", "libvirt network ports", netport_cmds, false, true },
	{ "domains", "domains' interfaces", domain_cmds, false, true },
	{ "spanning tree", "STP/RSTP, as brctl names the commands", stp_cmds, false, true },
	{ "QEMU", "VM ports for QEMU, and QEMU's arguments for them", qemu_cmds, false, true },
};

#define KVNET_NOBJECTS (sizeof(kvnet_objects) / sizeof(kvnet_objects[0]))

void kvnet_err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("kvnet: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int kvnet_call(struct kvnet *k, const char *method, json_t *params, json_t **result)
{
	struct ctl_client_error err;
	const json_t *w;
	unsigned char *p;
	int ret;

	if (!k->client) {
		ret = ctl_client_connect(k->socket, &k->client);
		if (ret) {
			kvnet_err("cannot connect to kvnetd at %s: %s (is kvnetd running?)",
				  k->socket, strerror(-ret));
			json_decref(params);
			return KVNET_EXIT_ERROR;
		}
	}
	ret = ctl_client_call(k->client, method, params, result, &err);
	json_decref(params);
	if (ret) {
		/* the message came over the socket: one line, nothing for the terminal */
		for (p = (unsigned char *)err.message; *p; p++)
			if (*p < 0x20 || *p == 0x7f)
				*p = '?';
		kvnet_err("%s", err.message);
		return KVNET_EXIT_ERROR;
	}
	/* done, but kvnetd has something to say about it (dnsmasq did not start, a change
	 * that does not last); --json gives it in the result */
	w = json_object_get(*result, "warning");
	if (!k->json && json_is_string(w))
		kvnet_err("warning: %s", json_string_value(w));
	return KVNET_EXIT_OK;
}

int kvnet_call_paged(struct kvnet *k, const char *method, const json_t *params, size_t page,
		     json_t **result)
{
	json_t *all = json_array(), *first = NULL;
	json_int_t offset = 0, total;
	int ret;

	do {
		json_t *got, *p = json_deep_copy(params);

		json_object_set_new(p, "offset", json_integer(offset));
		json_object_set_new(p, "limit", json_integer((json_int_t)page));
		ret = kvnet_call(k, method, p, &got);
		if (ret) {
			json_decref(all);
			json_decref(first);
			return ret;
		}
		total = json_integer_value(json_object_get(got, "total"));
		if (!json_array_size(json_object_get(got, "entries")))
			total = 0;
		json_array_extend(all, json_object_get(got, "entries"));
		offset += (json_int_t)page;
		if (first)
			json_decref(got);
		else
			first = got;
	} while (offset < total);
	json_object_set_new(first, "total", json_integer((json_int_t)json_array_size(all)));
	json_object_set_new(first, "entries", all);
	*result = first;
	return KVNET_EXIT_OK;
}

/* width help text is wrapped to */
#define KVNET_HELP_COLS 80

/*
 * "  kvnet OBJECT COMMAND ARGS", wrapped before a "[" group that would pass
 * KVNET_HELP_COLS, continuation lines indented under the first argument
 */
static void kvnet_usage_line(FILE *f, const struct kvnet_object *o, const struct kvnet_cmd *c)
{
	const char *p = c->args, *end;
	int indent, col;

	if (o->toplevel)
		indent = fprintf(f, "  kvnet %s", c->name);
	else if (o->bare)
		indent = fprintf(f, "  kvnet %s", o->name);
	else
		indent = fprintf(f, "  kvnet %s %s", o->name, c->name);
	col = indent;
	while (*p) {
		int depth = 0;

		/* one argument: a word, or a bracketed group with its spaces */
		for (end = p; *end && (depth || *end != ' '); end++)
			depth += (*end == '[') - (*end == ']');
		if (col > indent && col + 1 + (end - p) > KVNET_HELP_COLS)
			col = fprintf(f, "\n%*s", indent, "") - 1;
		col += fprintf(f, " %.*s", (int)(end - p), p);
		p = *end ? end + 1 : end;
	}
	fputc('\n', f);
}

static void kvnet_help(FILE *f)
{
	const struct kvnet_cmd *c;
	size_t i;

	fprintf(f, "Usage: kvnet [--socket PATH] [--json] OBJECT COMMAND [ARGS...]\n"
		   "       kvnet [--socket PATH] [--json] VIRSH-COMMAND [ARGS...]\n"
		   "       kvnet --help | kvnet OBJECT --help | kvnet OBJECT COMMAND --help\n"
		   "\n"
		   "kvnet is the client of kvnetd, kvnet's switch daemon.\n"
		   "\n"
		   "Options:\n"
		   "  --socket PATH  kvnetd's control socket (default: $" CTL_SOCKET_ENV
		   ", else " CTL_SOCKET_DEFAULT "\n"
		   "                 for root and $XDG_RUNTIME_DIR/kvnet/" CTL_SOCKET_NAME
		   " for a user,\n"
		   "                 or the other of the two if only it exists)\n"
		   "  --json, -j     print kvnetd's result as JSON, and nothing else\n"
		   "  --help, -h     print this help\n"
		   "  --version, -V  print kvnet's version\n"
		   "\n"
		   "Objects:\n");
	for (i = 0; i < KVNET_NOBJECTS; i++)
		if (!kvnet_objects[i].toplevel)
			fprintf(f, "  %-8s %s\n", kvnet_objects[i].name, kvnet_objects[i].summary);
	fprintf(f, "\nCommands:\n");
	for (i = 0; i < KVNET_NOBJECTS; i++)
		if (!kvnet_objects[i].toplevel)
			for (c = kvnet_objects[i].cmds; c->name; c++)
				kvnet_usage_line(f, &kvnet_objects[i], c);
	fprintf(f, "\nNetworks, network ports and domains, as virsh names the commands (libvirt\n"
		   "XML; options anywhere; success is reported as virsh reports it), the\n"
		   "spanning tree as brctl names its commands, and VM ports for QEMU:\n");
	for (i = 0; i < KVNET_NOBJECTS; i++)
		if (kvnet_objects[i].toplevel)
			for (c = kvnet_objects[i].cmds; c->name; c++)
				kvnet_usage_line(f, &kvnet_objects[i], c);
	fprintf(f, "\nkvnet VIRSH-COMMAND --help tells more of each.\n"
		   "\nExit status: 0 on success, 1 on an error (kvnetd's, a file that cannot be\n"
		   "read, or no connection), 2 on a usage error.\n");
}

static void kvnet_object_help(const struct kvnet_object *o)
{
	const struct kvnet_cmd *c;

	printf("kvnet %s: %s\n\nUsage:\n", o->name, o->summary);
	for (c = o->cmds; c->name; c++)
		kvnet_usage_line(stdout, o, c);
	if (!o->bare)
		printf("\nkvnet %s COMMAND --help tells more of each.\n", o->name);
}

static void kvnet_cmd_help(const struct kvnet_object *o, const struct kvnet_cmd *c)
{
	printf("Usage:\n");
	kvnet_usage_line(stdout, o, c);
	printf("\n%s", c->help);
}

/* "add, del, set or show" */
static void kvnet_cmd_names(const struct kvnet_cmd *cmds, char *buf, size_t size)
{
	const struct kvnet_cmd *c;
	size_t n;

	buf[0] = '\0';
	for (c = cmds; c->name; c++) {
		n = strlen(buf);
		snprintf(buf + n, size - n, "%s%s",
			 c == cmds   ? ""
			 : c[1].name ? ", "
				     : " or ",
			 c->name);
	}
}

static const struct kvnet_object *kvnet_find_object(const char *name)
{
	size_t i;

	for (i = 0; i < KVNET_NOBJECTS; i++)
		if (!kvnet_objects[i].toplevel && !strcmp(kvnet_objects[i].name, name))
			return &kvnet_objects[i];
	return NULL;
}

/* a virsh-style command word ("net-start"), and its group in *@group; NULL if none */
static const struct kvnet_cmd *kvnet_find_toplevel(const char *name,
						   const struct kvnet_object **group)
{
	const struct kvnet_cmd *c;
	size_t i;

	for (i = 0; i < KVNET_NOBJECTS; i++) {
		if (!kvnet_objects[i].toplevel)
			continue;
		for (c = kvnet_objects[i].cmds; c->name; c++) {
			if (!strcmp(c->name, name)) {
				*group = &kvnet_objects[i];
				return c;
			}
		}
	}
	return NULL;
}

static bool kvnet_is_help(const char *s)
{
	return !strcmp(s, "--help") || !strcmp(s, "-h") || !strcmp(s, "help");
}

/* parse, call and print, for a command described by its table entry */
static int kvnet_run_cmd(struct kvnet *k, const struct kvnet_object *o, const struct kvnet_cmd *c,
			 int argc, char **argv)
{
	char label[64];

	if (c->run)
		return c->run(k, argc, argv);

	if (o->toplevel)
		snprintf(label, sizeof(label), "%s", c->name);
	else
		snprintf(label, sizeof(label), "%s %s", o->name, c->name);
	return kvnet_exec(k, label, c, o->toplevel ? PARSE_ANY_ORDER : 0, argc, argv);
}

int kvnet_exec(struct kvnet *k, const char *label, const struct kvnet_cmd *c, unsigned flags,
	       int argc, char **argv)
{
	json_t *params, *result = NULL;
	int ret;

	params = json_object();
	if (!params) {
		kvnet_err("out of memory");
		return KVNET_EXIT_ERROR;
	}
	ret = parse_args(label, c->args, c->spec, argc, argv, params, c->flags | flags);
	if (!ret && c->check)
		ret = c->check(params);
	if (ret) {
		json_decref(params);
		if (ret == -EINVAL)
			return KVNET_EXIT_USAGE;
		kvnet_err("cannot parse the arguments: %s", strerror(-ret));
		return KVNET_EXIT_ERROR;
	}
	if (c->act) {
		ret = c->act(k, params);
		json_decref(params);
		return ret;
	}
	ret = kvnet_call(k, c->method, params, &result);
	if (ret)
		return ret;
	ret = print_result(k, result, c->print);
	json_decref(result);
	if (ret == -ENOMEM)
		kvnet_err("out of memory");
	return ret ? KVNET_EXIT_ERROR : KVNET_EXIT_OK;
}

/* OBJECT [COMMAND] [ARGS...]: @argv[0] is OBJECT */
static int kvnet_dispatch(struct kvnet *k, int argc, char **argv)
{
	const struct kvnet_object *o = kvnet_find_object(argv[0]);
	const struct kvnet_cmd *c;
	char names[256];
	int i, first;

	if (!o && (c = kvnet_find_toplevel(argv[0], &o)) != NULL) {
		first = 1;
	} else if (!o) {
		kvnet_err("unknown object '%s' (expected bridge, port, vlan, fdb, stats or "
			  "version, or a command as virsh names it, such as net-list; see kvnet "
			  "--help)",
			  argv[0]);
		return KVNET_EXIT_USAGE;
	} else if (o->bare) {
		c = o->cmds;
		first = 1;
	} else {
		kvnet_cmd_names(o->cmds, names, sizeof(names));
		if (argc < 2) {
			kvnet_err("%s needs a COMMAND (expected %s)", o->name, names);
			return KVNET_EXIT_USAGE;
		}
		if (kvnet_is_help(argv[1])) {
			kvnet_object_help(o);
			return KVNET_EXIT_OK;
		}
		for (c = o->cmds; c->name; c++)
			if (!strcmp(c->name, argv[1]))
				break;
		if (!c->name) {
			kvnet_err("unknown command '%s' for %s (expected %s)", argv[1], o->name,
				  names);
			return KVNET_EXIT_USAGE;
		}
		first = 2;
	}
	/*
	 * --help anywhere among the arguments; not "help" or "-h", which are valid names of
	 * bridges and ports. A global option there is a mistake, not a name.
	 */
	for (i = first; i < argc; i++) {
		if (!strcmp(argv[i], "--help")) {
			kvnet_cmd_help(o, c);
			return KVNET_EXIT_OK;
		}
		if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "--socket") ||
		    !strncmp(argv[i], "--socket=", 9)) {
			kvnet_err("option '%s' goes before OBJECT (usage: kvnet [--socket PATH] "
				  "[--json] OBJECT COMMAND [ARGS...])",
				  argv[i]);
			return KVNET_EXIT_USAGE;
		}
	}
	return kvnet_run_cmd(k, o, c, argc - first, argv + first);
}

/*
 * kvnetd's socket when neither --socket nor $KVNET_SOCKET names one: root's kvnetd's for root,
 * for a user their own kvnetd's (it runs without CAP_NET_ADMIN in $XDG_RUNTIME_DIR/kvnet); but
 * the other one if only it exists (a user in the --group of root's kvnetd, say).
 * Return: @buf, or NULL for CTL_SOCKET_DEFAULT
 */
static const char *kvnet_default_socket(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	bool users, roots;
	int n;

	if (!xdg || *xdg != '/')
		return NULL;
	n = snprintf(buf, len, "%s/kvnet/%s", xdg, CTL_SOCKET_NAME);
	if (n < 0 || (size_t)n >= len)
		return NULL;
	users = !access(buf, F_OK);
	roots = !access(CTL_SOCKET_DEFAULT, F_OK);
	if (geteuid() == 0)
		return users && !roots ? buf : NULL;
	return users || !roots ? buf : NULL;
}

int main(int argc, char **argv)
{
	struct kvnet k = { 0 };
	const char *socket = NULL, *env = getenv(CTL_SOCKET_ENV);
	char user_socket[256];
	int i, ret;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (!strcmp(a, "--json") || !strcmp(a, "-j")) {
			k.json = true;
		} else if (!strcmp(a, "--socket")) {
			if (i + 1 >= argc || !*argv[i + 1]) {
				kvnet_err("option '%s' needs a PATH (the control socket)", a);
				return KVNET_EXIT_USAGE;
			}
			socket = argv[++i];
		} else if (!strncmp(a, "--socket=", 9)) {
			if (!a[9]) {
				kvnet_err("option '--socket' needs a PATH (the control socket)");
				return KVNET_EXIT_USAGE;
			}
			socket = a + 9;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			kvnet_help(stdout);
			return KVNET_EXIT_OK;
		} else if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
			printf("kvnet %s\n", KVNET_VERSION);
			return KVNET_EXIT_OK;
		} else {
			kvnet_err("unknown option '%s' (expected --socket PATH, --json, --help or "
				  "--version)",
				  a);
			return KVNET_EXIT_USAGE;
		}
	}
	if (i >= argc) {
		kvnet_err("no OBJECT given (expected bridge, port, vlan, fdb, stats or version; "
			  "see kvnet --help)");
		return KVNET_EXIT_USAGE;
	}
	if (!socket && !(env && *env))
		socket = kvnet_default_socket(user_socket, sizeof(user_socket));
	k.socket = ctl_client_socket_path(socket);

	ret = kvnet_dispatch(&k, argc - i, argv + i);
	ctl_client_close(k.client);
	if (fflush(stdout) || ferror(stdout)) {
		if (ret == KVNET_EXIT_OK) {
			kvnet_err("cannot write the output: %s", strerror(errno));
			ret = KVNET_EXIT_ERROR;
		}
	}
	return ret;
}
