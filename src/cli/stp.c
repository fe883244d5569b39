/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stp.c - kvnet stp BRIDGE on|off, stp set, stp port, showstp: brctl's spanning tree commands */

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli/kvnet.h"
#include "cli/parse.h"
#include "cli/print.h"
#include "ctl/vocab.h"

static const struct parse_arg stp_onoff_args[] = {
	{ .key = "bridge", .kind = PARSE_NAME, .what = "bridge name", .required = true },
	{ .key = "enabled", .kind = PARSE_ONOFF, .what = "on or off", .required = true },
	{ 0 },
};

static const struct parse_arg stp_set_args[] = {
	{ .key = "bridge", .kind = PARSE_NAME, .what = "bridge name", .required = true },
	{ .word = "priority",
	  .key = "priority",
	  .kind = PARSE_UINT,
	  .what = "priority",
	  .min = 0,
	  .max = CTL_STP_PRIORITY_MAX },
	{ .word = "forward_delay",
	  .key = "forward_delay",
	  .kind = PARSE_UINT,
	  .what = "forward_delay",
	  .min = CTL_STP_FORWARD_DELAY_MIN,
	  .max = CTL_STP_FORWARD_DELAY_MAX },
	{ .word = "hello",
	  .key = "hello_time",
	  .kind = PARSE_UINT,
	  .what = "hello",
	  .min = CTL_STP_HELLO_MIN,
	  .max = CTL_STP_HELLO_MAX },
	{ .word = "max_age",
	  .key = "max_age",
	  .kind = PARSE_UINT,
	  .what = "max_age",
	  .min = CTL_STP_MAX_AGE_MIN,
	  .max = CTL_STP_MAX_AGE_MAX },
	{ .word = "force_version",
	  .key = "force_version",
	  .kind = PARSE_CHOICE,
	  .what = "force_version",
	  .vocab = &ctl_stp_versions },
	{ 0 },
};

static const struct parse_arg stp_port_args[] = {
	{ .key = "port", .kind = PARSE_NAME, .what = "port name", .required = true },
	{ .word = "path_cost",
	  .key = "path_cost",
	  .kind = PARSE_UINT,
	  .what = "path_cost",
	  .min = 0,
	  .max = CTL_STP_PATH_COST_MAX },
	{ .word = "priority",
	  .key = "priority",
	  .kind = PARSE_UINT,
	  .what = "priority",
	  .min = 0,
	  .max = CTL_STP_PORT_PRIORITY_MAX },
	{ .word = "edge",
	  .key = "edge",
	  .kind = PARSE_CHOICE,
	  .what = "edge",
	  .vocab = &ctl_stp_edges },
	{ 0 },
};

static const struct parse_arg stp_show_args[] = {
	{ .key = "bridge", .kind = PARSE_NAME, .what = "bridge name", .required = true },
	{ 0 },
};

/* brctl showstp's two-column lines: " label    value    label    value" */
static void stp_print_line(const char *l1, const char *v1, const char *l2, const char *v2)
{
	if (l2)
		printf(" %-22s%-24s%-22s%s\n", l1, v1, l2, v2);
	else
		printf(" %-22s%s\n", l1, v1);
}

static const char *stp_print_secs(char *buf, size_t size, const json_t *v)
{
	snprintf(buf, size, "%7.2f", (double)json_integer_value(v));
	return buf;
}

static const char *stp_print_int(char *buf, size_t size, const json_t *v)
{
	snprintf(buf, size, "%4" JSON_INTEGER_FORMAT, json_integer_value(v));
	return buf;
}

/*
 * The port's guards, when any is on (kvnetd before them sent none): BPDU guard on or
 * tripped (the port is disabled until `port set P bpdu_guard on`), root guard on or
 * blocking (a better root was heard on the port: root-inconsistent).
 */
static void stp_print_guards(const json_t *p)
{
	bool bpdu = json_is_true(json_object_get(p, "bpdu_guard"));
	bool tripped = json_is_true(json_object_get(p, "bpdu_guard_tripped"));
	bool root = json_is_true(json_object_get(p, "root_guard"));
	bool blocked = json_is_true(json_object_get(p, "root_blocked"));

	if (!bpdu && !tripped && !root)
		return;
	stp_print_line("bpdu-guard",
		       tripped ? "tripped"
		       : bpdu  ? "on"
			       : "off",
		       "root-guard",
		       blocked ? "blocking"
		       : root  ? "on"
			       : "off");
}

/* one port of stp.show; with !@out only checks its members */
static int stp_print_port(const json_t *p, const char *ctx, bool out)
{
	static const char *const keys[] = { "name",
					    "port_no",
					    "port_id",
					    "state",
					    "designated_root",
					    "path_cost",
					    "designated_bridge",
					    "message_age_timer",
					    "designated_port",
					    "forward_delay_timer",
					    "designated_cost",
					    "hello_timer",
					    "role",
					    "version",
					    "admin_edge",
					    "oper_edge",
					    "topology_change_timer",
					    "topology_change_ack" };
	static const enum print_type types[] = {
		PRINT_STRING, PRINT_INT,    PRINT_STRING, PRINT_STRING, PRINT_STRING, PRINT_INT,
		PRINT_STRING, PRINT_INT,    PRINT_STRING, PRINT_INT,	PRINT_INT,    PRINT_INT,
		PRINT_STRING, PRINT_STRING, PRINT_BOOL,	  PRINT_BOOL,	PRINT_INT,    PRINT_BOOL,
	};
	const json_t *v[sizeof(keys) / sizeof(keys[0])];
	char a[32], b[32];

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!(v[i] = print_need(p, ctx, keys[i], types[i])))
			return -EBADMSG;
	if (!out)
		return 0;
	printf("\n%s (%" JSON_INTEGER_FORMAT ")\n", json_string_value(v[0]),
	       json_integer_value(v[1]) + 1);
	snprintf(b, sizeof(b), "%15s", json_string_value(v[3]));
	stp_print_line("port id", json_string_value(v[2]), "state", b);
	stp_print_line("designated root", json_string_value(v[4]), "path cost",
		       stp_print_int(a, sizeof(a), v[5]));
	stp_print_line("designated bridge", json_string_value(v[6]), "message age timer",
		       stp_print_secs(a, sizeof(a), v[7]));
	stp_print_line("designated port", json_string_value(v[8]), "forward delay timer",
		       stp_print_secs(a, sizeof(a), v[9]));
	stp_print_line("designated cost", stp_print_int(b, sizeof(b), v[10]), "hello timer",
		       stp_print_secs(a, sizeof(a), v[11]));
	snprintf(b, sizeof(b), "%15s", json_string_value(v[13]));
	stp_print_line("role", json_string_value(v[12]), "version", b);
	stp_print_line("edge", json_is_true(v[15]) ? "yes" : "no", "topology change timer",
		       stp_print_secs(a, sizeof(a), v[16]));
	stp_print_line("flags",
		       json_is_true(v[17]) && json_is_true(v[14]) ? "TOPOLOGY_CHANGE_ACK ADMIN_EDGE"
		       : json_is_true(v[17])			  ? "TOPOLOGY_CHANGE_ACK"
		       : json_is_true(v[14])			  ? "ADMIN_EDGE"
								  : "",
		       NULL, NULL);
	stp_print_guards(p);
	return 0;
}

/* stp.show in brctl showstp's layout; with !@out only checks the members */
static int stp_print_pass(const json_t *r, bool out)
{
	static const char *const keys[] = { "bridge",
					    "bridge_id",
					    "designated_root",
					    "root_port",
					    "root_path_cost",
					    "max_age",
					    "bridge_max_age",
					    "hello_time",
					    "bridge_hello_time",
					    "forward_delay",
					    "bridge_forward_delay",
					    "topology_change",
					    "topology_change_count",
					    "force_version",
					    "priority",
					    "ports" };
	static const enum print_type types[] = {
		PRINT_STRING, PRINT_STRING, PRINT_STRING, PRINT_STRING_OR_NULL,
		PRINT_INT,    PRINT_INT,    PRINT_INT,	  PRINT_INT,
		PRINT_INT,    PRINT_INT,    PRINT_INT,	  PRINT_BOOL,
		PRINT_INT,    PRINT_STRING, PRINT_INT,	  PRINT_ARRAY,
	};
	const json_t *v[sizeof(keys) / sizeof(keys[0])], *en;
	char a[32], b[32], ctx[32];
	size_t i;

	if (!(en = print_need(r, "", "enabled", PRINT_BOOL)))
		return -EBADMSG;
	if (!json_is_true(en)) {
		const json_t *name = print_need(r, "", "bridge", PRINT_STRING);

		if (!name)
			return -EBADMSG;
		if (out)
			printf("%s\n stp is off: BPDUs are forwarded like any other frame\n",
			       json_string_value(name));
		return 0;
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!(v[i] = print_need(r, "", keys[i], types[i])))
			return -EBADMSG;
	if (out) {
		printf("%s\n", json_string_value(v[0]));
		stp_print_line("bridge id", json_string_value(v[1]), NULL, NULL);
		stp_print_line("designated root", json_string_value(v[2]), NULL, NULL);
		snprintf(b, sizeof(b), "%-4s",
			 json_is_null(v[3]) ? "none" : json_string_value(v[3]));
		stp_print_line("root port", b, "path cost", stp_print_int(a, sizeof(a), v[4]));
		stp_print_line("max age", stp_print_secs(b, sizeof(b), v[5]), "bridge max age",
			       stp_print_secs(a, sizeof(a), v[6]));
		stp_print_line("hello time", stp_print_secs(b, sizeof(b), v[7]),
			       "bridge hello time", stp_print_secs(a, sizeof(a), v[8]));
		stp_print_line("forward delay", stp_print_secs(b, sizeof(b), v[9]),
			       "bridge forward delay", stp_print_secs(a, sizeof(a), v[10]));
		snprintf(b, sizeof(b), "%15s", json_string_value(v[13]));
		stp_print_line("priority", stp_print_int(a, sizeof(a), v[14]), "force version", b);
		stp_print_line("topology changes", stp_print_int(a, sizeof(a), v[12]), NULL, NULL);
		stp_print_line("flags", json_is_true(v[11]) ? "TOPOLOGY_CHANGE" : "", NULL, NULL);
	}
	for (i = 0; i < json_array_size(v[15]); i++) {
		const json_t *p = print_need_elem(v[15], i, "ports", ctx, sizeof(ctx));

		if (!p || stp_print_port(p, ctx, out))
			return -EBADMSG;
	}
	return 0;
}

/*
 * stp.show's result in brctl showstp's layout: the bridge (id, designated root, root port,
 * path cost, times in use and its own, flags), then a block per port
 */
static int stp_print(const json_t *result)
{
	int ret;

	ret = stp_print_pass(result, false);
	return ret ? ret : stp_print_pass(result, true);
}

#define STP_ONOFF_USAGE "BRIDGE on|off"
#define STP_SET_USAGE                                                                              \
	"set BRIDGE [priority N] [forward_delay S] [hello S] [max_age S] "                         \
	"[force_version " CTL_WORDS_BAR(CTL_STP_VERSION_LIST) "]"
#define STP_PORT_USAGE                                                                             \
	"port PORT [path_cost N] [priority N] [edge " CTL_WORDS_BAR(CTL_STP_EDGE_LIST) "]"

/* what "stp", "stp set" and "stp port" parse and call (their usage without the first words) */
static const struct kvnet_cmd stp_subcmds[] = {
	{ .name = "stp",
	  .args = STP_ONOFF_USAGE,
	  .method = "stp.set",
	  .spec = stp_onoff_args,
	  .print = print_done },
	{ .name = "stp set",
	  .args = STP_SET_USAGE + 4,
	  .method = "stp.set",
	  .spec = stp_set_args,
	  .flags = PARSE_NEED_KEYWORD,
	  .print = print_done },
	{ .name = "stp port",
	  .args = STP_PORT_USAGE + 5,
	  .method = "stp.port_set",
	  .spec = stp_port_args,
	  .flags = PARSE_NEED_KEYWORD,
	  .print = print_done },
};

/* "stp BRIDGE on|off", "stp set BRIDGE ...", "stp port PORT ...": brctl's word order */
static int stp_run(struct kvnet *k, int argc, char **argv)
{
	const struct kvnet_cmd *c = &stp_subcmds[0];

	if (argc >= 1 && !strcmp(argv[0], "set"))
		c = &stp_subcmds[1];
	else if (argc >= 1 && !strcmp(argv[0], "port"))
		c = &stp_subcmds[2];
	if (c != &stp_subcmds[0])
		argc--, argv++;
	return kvnet_exec(k, c->name, c, 0, argc, argv);
}

/* the ranges help spells, from ctl/'s limits */
#define STP_RANGE(what) STRINGIFY(CTL_STP_##what##_MIN) ".." STRINGIFY(CTL_STP_##what##_MAX)
#define STP_FD_RANGE STP_RANGE(FORWARD_DELAY)
#define STP_HELLO_RANGE STP_RANGE(HELLO)
#define STP_AGE_RANGE STP_RANGE(MAX_AGE)
#define STP_COST_MAX STRINGIFY(CTL_STP_PATH_COST_MAX)
#define STP_PRIO STRINGIFY(CTL_STP_PRIORITY_MAX) ", a multiple of " STRINGIFY(CTL_STP_PRIORITY_STEP)
#define STP_PORT_PRIO                                                                              \
	STRINGIFY(CTL_STP_PORT_PRIORITY_MAX)                                                       \
	", a multiple of " STRINGIFY(CTL_STP_PORT_PRIORITY_STEP)

#define STP_HELP                                                                                   \
	"Spanning tree (802.1D-2004 RSTP, with 802.1D STP for peers that speak only that),\n"      \
	"in brctl's words.\n"                                                                      \
	"  stp BRIDGE on|off     turn it on or off (off: BPDUs are flooded like any frame)\n"      \
	"  stp set BRIDGE ...    bridge parameters, kept while STP is off:\n"                      \
	"    priority N          0.." STP_PRIO " (default 32768; lower wins root)\n"               \
	"    forward_delay S     " STP_FD_RANGE " seconds (default 15)\n"                          \
	"    hello S             " STP_HELLO_RANGE " seconds (default 2)\n"                        \
	"    max_age S           " STP_AGE_RANGE " seconds (default 20); "                         \
	"2*(forward_delay-1) >= max_age\n"                                                         \
	"                        >= 2*(hello+1)\n"                                                 \
	"    force_version V     rstp (default) or stp (every port talks 802.1D STP)\n"            \
	"  stp port PORT ...     port settings:\n"                                                 \
	"    path_cost N         1.." STP_COST_MAX ", or 0 for automatic from the link speed\n"    \
	"    priority N          0.." STP_PORT_PRIO " (default 128)\n"                             \
	"    edge on|off|auto    on: an edge port, forwards at once (VM and host ports are);\n"    \
	"                        auto (default): an edge once no BPDU is heard for 3 s;\n"         \
	"                        off: never an edge. A BPDU heard ends an edge at once\n"

const struct kvnet_cmd stp_cmds[] = {
	{
		.name = "stp",
		.args = STP_ONOFF_USAGE,
		.help = STP_HELP,
		.run = stp_run,
	},
	{
		.name = "stp",
		.args = STP_SET_USAGE,
		.help = STP_HELP,
		.run = stp_run,
	},
	{
		.name = "stp",
		.args = STP_PORT_USAGE,
		.help = STP_HELP,
		.run = stp_run,
	},
	{
		.name = "showstp",
		.args = "BRIDGE",
		.help = "Show BRIDGE's spanning tree as brctl showstp does: bridge id, designated\n"
			"root, root port, path cost, the times in use and the bridge's own, "
			"flags;\n"
			"then per port: port id, state, designated root, bridge, port and cost, "
			"path\n"
			"cost, timers, role, version, edge, flags. --json gives every member.\n",
		.method = "stp.show",
		.spec = stp_show_args,
		.print = stp_print,
	},
	{ 0 },
};
