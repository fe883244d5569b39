/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vlan.c - kvnet vlan add|del|show */

#include <errno.h>
#include <stddef.h>

#include "cli/kvnet.h"
#include "cli/parse.h"
#include "cli/print.h"

static const struct parse_arg vlan_add_args[] = {
	{ .key = "port", .kind = PARSE_NAME, .what = "port name", .required = true },
	{ .word = "vid", .key = "vid", .kind = PARSE_VID_RANGE, .what = "vid", .required = true },
	{ .word = "pvid", .key = "pvid", .kind = PARSE_FLAG, .what = "pvid" },
	{ .word = "untagged", .key = "untagged", .kind = PARSE_FLAG, .what = "untagged" },
	{ 0 },
};

static const struct parse_arg vlan_del_args[] = {
	{ .key = "port", .kind = PARSE_NAME, .what = "port name", .required = true },
	{ .word = "vid", .key = "vid", .kind = PARSE_VID_RANGE, .what = "vid", .required = true },
	{ 0 },
};

static const struct parse_arg vlan_show_args[] = {
	{ .key = "port", .kind = PARSE_NAME, .what = "port name" },
	{ 0 },
};

/* a port has one PVID: it cannot be each VID of a range */
static int vlan_add_check(const json_t *params)
{
	if (json_object_get(params, "pvid") && json_object_get(params, "vid_end")) {
		kvnet_err("pvid needs a single vid, not a range");
		return -EINVAL;
	}
	return 0;
}

const struct kvnet_cmd vlan_cmds[] = {
	{
		.name = "add",
		.args = "PORT vid N[-M] [pvid] [untagged]",
		.help = "Make PORT a member of VLAN N, or of N to M, as bridge vlan add does; an\n"
			"existing member's flags are replaced.\n"
			"  vid N[-M]  1..4094\n"
			"  pvid       untagged frames received on PORT go to VLAN N (a single "
			"VID)\n"
			"  untagged   frames of the VLAN leave PORT untagged\n",
		.method = "vlan.add",
		.spec = vlan_add_args,
		.check = vlan_add_check,
		.print = print_done,
	},
	{
		.name = "del",
		.args = "PORT vid N[-M]",
		.help = "Remove PORT from VLAN N, or N to M; each must be a member. The port's\n"
			"learned addresses in those VLANs are flushed.\n",
		.method = "vlan.del",
		.spec = vlan_del_args,
		.print = print_done,
	},
	{
		.name = "show",
		.args = "[PORT]",
		.help = "Show the VLANs of every port, or of PORT, as bridge vlan show does: PVID\n"
			"and Egress Untagged mark a VID; runs of VIDs alike are shown as N-M.\n",
		.method = "vlan.list",
		.spec = vlan_show_args,
		.print = print_vlans,
	},
	{ 0 },
};
