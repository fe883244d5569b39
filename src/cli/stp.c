/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stp.c - kvnet stp BRIDGE on|off, stp set, stp port, showstp: brctl's spanning tree commands */

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "cli/kvnet.h"
#include "cli/parse.h"
#include "cli/print.h"

static const char *const stp_versions[] = { "stp", "rstp", NULL };
/* the daemon's stp_edge_name() (core/stp.h) */
static const char *const stp_edges[] = { "on", "off", "auto", NULL };

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
	  .max = 61440 },
	{ .word = "forward_delay",
	  .key = "forward_delay",
	  .kind = PARSE_UINT,
	  .what = "forward_delay",
	  .min = 4,
	  .max = 30 },
	{ .word = "hello",
	  .key = "hello_time",
	  .kind = PARSE_UINT,
	  .what = "hello",
	  .min = 1,
	  .max = 2 },
	{ .word = "max_age",
	  .key = "max_age",
	  .kind = PARSE_UINT,
	  .what = "max_age",
	  .min = 6,
	  .max = 40 },
	{ .word = "force_version",
	  .key = "force_version",
	  .kind = PARSE_CHOICE,
	  .what = "force_version",
	  .choices = stp_versions },
	{ 0 },
};

static const struct parse_arg stp_port_args[] = {
	{ .key = "port", .kind = PARSE_NAME, .what = "port name", .required = true },
	{ .word = "path_cost",
	  .key = "path_cost",
	  .kind = PARSE_UINT,
	  .what = "path_cost",
	  .min = 0,
	  .max = 200000000 },
	{ .word = "priority",
	  .key = "priority",
	  .kind = PARSE_UINT,
	  .what = "priority",
	  .min = 0,
	  .max = 240 },
	{ .word = "edge",
	  .key = "edge",
	  .kind = PARSE_CHOICE,
	  .what = "edge",
	  .choices = stp_edges },
	{ 0 },
};

static const struct parse_arg stp_show_args[] = {
	{ .key = "bridge", .kind = PARSE_NAME, .what = "bridge name", .required = true },
	{ 0 },
};

#define STP_ONOFF_USAGE "BRIDGE on|off"
#define STP_SET_USAGE                                                                              \
	"set BRIDGE [priority N] [forward_delay S] [hello S] [max_age S] "                         \
	"[force_version stp|rstp]"
#define STP_PORT_USAGE "port PORT [path_cost N] [priority N] [edge on|off|auto]"

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

#define STP_HELP                                                                                   \
	"Spanning tree (802.1D-2004 RSTP, with 802.1D STP for peers that speak only that),\n"      \
	"in brctl's words.\n"                                                                      \
	"  stp BRIDGE on|off     turn it on or off (off: BPDUs are flooded like any frame)\n"      \
	"  stp set BRIDGE ...    bridge parameters, kept while STP is off:\n"                      \
	"    priority N          0..61440, a multiple of 4096 (default 32768; lower wins root)\n"  \
	"    forward_delay S     4..30 seconds (default 15)\n"                                     \
	"    hello S             1..2 seconds (default 2)\n"                                       \
	"    max_age S           6..40 seconds (default 20); 2*(forward_delay-1) >= max_age\n"     \
	"                        >= 2*(hello+1)\n"                                                 \
	"    force_version V     rstp (default) or stp (every port talks 802.1D STP)\n"            \
	"  stp port PORT ...     port settings:\n"                                                 \
	"    path_cost N         1..200000000, or 0 for automatic from the link speed\n"           \
	"    priority N          0..240, a multiple of 16 (default 128)\n"                         \
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
		.print = print_stp,
	},
	{ 0 },
};
