/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fdb.c - kvnet fdb show|add|del|flush */

#include <stddef.h>

#include "cli/kvnet.h"
#include "cli/parse.h"
#include "cli/print.h"

static const struct parse_arg fdb_show_args[] = {
	{ .key = "bridge", .kind = PARSE_NAME, .what = "bridge name", .required = true },
	{ .word = "port", .key = "port", .kind = PARSE_NAME, .what = "port name" },
	{ .word = "vlan", .key = "vid", .kind = PARSE_VID, .what = "vlan" },
	{ 0 },
};

static const struct parse_arg fdb_add_args[] = {
	{ .key = "mac", .kind = PARSE_MAC, .what = "MAC address", .required = true },
	{
		.word = "port",
		.key = "port",
		.kind = PARSE_NAME,
		.what = "port name",
		.required = true,
	},
	{ .word = "vlan", .key = "vid", .kind = PARSE_VID, .what = "vlan" },
	{ .word = "replace", .key = "replace", .kind = PARSE_FLAG, .what = "replace" },
	{ 0 },
};

static const struct parse_arg fdb_del_args[] = {
	{ .key = "mac", .kind = PARSE_MAC, .what = "MAC address", .required = true },
	{ .word = "bridge",
	  .key = "bridge",
	  .kind = PARSE_NAME,
	  .what = "bridge name",
	  .required = true },
	{ .word = "vlan", .key = "vid", .kind = PARSE_VID, .what = "vlan" },
	{ 0 },
};

static const struct parse_arg fdb_flush_args[] = {
	{ .key = "bridge", .kind = PARSE_NAME, .what = "bridge name", .required = true },
	{ .word = "port", .key = "port", .kind = PARSE_NAME, .what = "port name" },
	{ .word = "vlan", .key = "vid", .kind = PARSE_VID, .what = "vlan" },
	{ .word = "static", .key = "static", .kind = PARSE_FLAG, .what = "static" },
	{ 0 },
};

const struct kvnet_cmd fdb_cmds[] = {
	{
		.name = "show",
		.args = "BRIDGE [port PORT] [vlan VID]",
		.help = "Show the forwarding database of BRIDGE, or only the entries of PORT or\n"
			"of VLAN VID: address, VLAN (0 on a bridge without filtering), port,\n"
			"static or dynamic, and seconds since it was learned, refreshed or "
			"added.\n",
		.method = "fdb.list",
		.spec = fdb_show_args,
		.print = print_fdb,
	},
	{
		.name = "add",
		.args = "MAC port PORT [vlan VID] [replace]",
		.help = "Add a static entry: frames to MAC in VLAN VID go to PORT.\n"
			"  vlan VID  1..4094 (default: the port's PVID with filtering, else none)\n"
			"  replace   replace a static entry that exists\n",
		.method = "fdb.add",
		.spec = fdb_add_args,
		.print = print_done,
	},
	{
		.name = "del",
		.args = "MAC bridge BRIDGE [vlan VID]",
		.help = "Delete the entry for MAC in VLAN VID of BRIDGE.\n"
			"  vlan VID  1..4094 (default: the bridge's default PVID with filtering)\n",
		.method = "fdb.del",
		.spec = fdb_del_args,
		.print = print_done,
	},
	{
		.name = "flush",
		.args = "BRIDGE [port PORT] [vlan VID] [static]",
		.help = "Delete the learned entries of BRIDGE, or only those of PORT or of VLAN\n"
			"VID; with static, static entries go too. Prints how many went.\n",
		.method = "fdb.flush",
		.spec = fdb_flush_args,
		.print = print_flushed,
	},
	{ 0 },
};
