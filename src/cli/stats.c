/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stats.c - kvnet stats show */

#include <stddef.h>

#include "cli/kvnet.h"
#include "cli/parse.h"
#include "cli/print.h"

static const struct parse_arg stats_show_args[] = {
	{ .key = "bridge", .kind = PARSE_NAME, .what = "bridge name" },
	{ .word = "port", .key = "port", .kind = PARSE_NAME, .what = "port name" },
	{ 0 },
};

const struct kvnet_cmd stats_cmds[] = {
	{
		.name = "show",
		.args = "[BRIDGE] [port PORT]",
		.help = "Show the counters of every bridge and port, or of BRIDGE and its ports,\n"
			"or of PORT: a block per bridge with its FDB counters, a block per port\n"
			"with frames and bytes received and sent, control frames, refused\n"
			"learning, errors, and every drop cause with its count, zeros included.\n",
		.method = "stats.show",
		.spec = stats_show_args,
		.print = print_stats,
	},
	{ 0 },
};
