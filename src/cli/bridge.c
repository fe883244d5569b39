/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bridge.c - kvnet bridge add|del|set|show */

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "cli/kvnet.h"
#include "cli/parse.h"
#include "cli/print.h"
#include "ctl/vocab.h"

/* ctl/vocab.h's bounds, as help spells them */
#define BRIDGE_AGEING_RANGE "0.." STRINGIFY(CTL_AGEING_MAX)
#define BRIDGE_PROTO_USAGE CTL_WORDS_BAR(CTL_VLAN_PROTO_LIST)
#define BRIDGE_LEARNED_RANGE STRINGIFY(CTL_MAX_LEARNED_MIN) ".." STRINGIFY(CTL_MAX_LEARNED_MAX)

/* IGMP/MLD snooping's settings, which bridge add and bridge set both take */
/* clang-format off */
#define BRIDGE_MCAST_ARGS                                                                          \
	{ .word = "mcast_snooping", .key = "mcast_snooping", .kind = PARSE_ONOFF,                  \
	  .what = "mcast_snooping" },                                                              \
	{ .word = "mcast_querier", .key = "mcast_querier", .kind = PARSE_ONOFF,                    \
	  .what = "mcast_querier" }
/* clang-format on */

static const struct parse_arg bridge_add_args[] = {
	{ .key = "name", .kind = PARSE_NAME, .what = "bridge name", .required = true },
	{ .word = "vlan_filtering",
	  .key = "vlan_filtering",
	  .kind = PARSE_ONOFF,
	  .what = "vlan_filtering" },
	{ .word = "vlan_protocol",
	  .key = "vlan_protocol",
	  .kind = PARSE_CHOICE,
	  .what = "vlan_protocol",
	  .vocab = &ctl_vlan_protos },
	{ .word = "ageing_time",
	  .key = "ageing_time",
	  .kind = PARSE_SECONDS,
	  .what = "ageing_time",
	  .min = 0,
	  .max = CTL_AGEING_MAX },
	{ .word = "max_learned",
	  .key = "max_learned",
	  .kind = PARSE_UINT,
	  .what = "max_learned",
	  .min = CTL_MAX_LEARNED_MIN,
	  .max = CTL_MAX_LEARNED_MAX },
	{ .word = "default_pvid",
	  .key = "default_pvid",
	  .kind = PARSE_VID_NONE,
	  .what = "default_pvid" },
	BRIDGE_MCAST_ARGS,
	{ 0 },
};

static const struct parse_arg bridge_del_args[] = {
	{ .key = "name", .kind = PARSE_NAME, .what = "bridge name", .required = true },
	{ 0 },
};

static const struct parse_arg bridge_set_args[] = {
	{ .key = "name", .kind = PARSE_NAME, .what = "bridge name", .required = true },
	{ .word = "vlan_filtering",
	  .key = "vlan_filtering",
	  .kind = PARSE_ONOFF,
	  .what = "vlan_filtering" },
	{ .word = "vlan_protocol",
	  .key = "vlan_protocol",
	  .kind = PARSE_CHOICE,
	  .what = "vlan_protocol",
	  .vocab = &ctl_vlan_protos },
	{ .word = "ageing_time",
	  .key = "ageing_time",
	  .kind = PARSE_SECONDS,
	  .what = "ageing_time",
	  .min = 0,
	  .max = CTL_AGEING_MAX },
	BRIDGE_MCAST_ARGS,
	{ 0 },
};

static const struct parse_arg bridge_show_args[] = {
	{ .key = "name", .kind = PARSE_NAME, .what = "bridge name" },
	{ 0 },
};

/* what the vlan filtering column adds for @proto: nothing for the usual 802.1Q */
static const char *bridge_proto_note(const char *proto)
{
	return strcmp(proto, "802.1ad") ? "" : " 802.1ad";
}

static int bridge_print_rows(struct print_table *t, const json_t *bridges)
{
	static const char *const what = "bridges";
	const json_t *br, *name, *filt, *proto, *ageing, *ports, *port;
	char ctx[64];
	size_t i, j;

	for (i = 0; i < json_array_size(bridges); i++) {
		br = print_need_elem(bridges, i, what, ctx, sizeof(ctx));
		if (!br || !(name = print_need(br, ctx, "name", PRINT_STRING)) ||
		    !(filt = print_need(br, ctx, "vlan_filtering", PRINT_BOOL)) ||
		    !(proto = print_need(br, ctx, "vlan_protocol", PRINT_STRING)) ||
		    !(ageing = print_need(br, ctx, "ageing_time", PRINT_NUMBER)) ||
		    !(ports = print_need(br, ctx, "ports", PRINT_ARRAY)))
			return -EBADMSG;
		if (print_table_row(t) || print_table_set(t, 0, "%s", json_string_value(name)) ||
		    print_table_set(t, 1, "%s%s", json_is_true(filt) ? "on" : "off",
				    bridge_proto_note(json_string_value(proto))) ||
		    print_table_number(t, 2, ageing))
			return -ENOMEM;
		for (j = 0; j < json_array_size(ports); j++) {
			port = json_array_get(ports, j);
			if (!json_is_string(port)) {
				kvnet_err("bad answer from kvnetd: %s.\"ports\"[%zu] is not a "
					  "string",
					  ctx, j);
				return -EBADMSG;
			}
			if ((j && print_table_row(t)) ||
			    print_table_set(t, 3, "%s", json_string_value(port)))
				return -ENOMEM;
		}
	}
	return 0;
}

/* bridge.list's result as brctl show prints it: one interface per line */
static int bridge_print(const json_t *result)
{
	static const char *const head[] = { "bridge name", "vlan filtering", "ageing",
					    "interfaces" };

	return print_list(result, "bridges", head, 4, bridge_print_rows);
}

const struct kvnet_cmd bridge_cmds[] = {
	{
		.name = "add",
		.args = "NAME [vlan_filtering on|off] [vlan_protocol " BRIDGE_PROTO_USAGE "] "
			"[ageing_time SEC] [max_learned N] [default_pvid VID|none] "
			"[mcast_snooping on|off] [mcast_querier on|off]",
		.help = "Create bridge NAME.\n"
			"  vlan_filtering on|off  802.1Q VLAN filtering (default on)\n"
			"  vlan_protocol " BRIDGE_PROTO_USAGE
			" the tag VLANs are filtered on: 802.1ad\n"
			"                         makes an S-VLAN bridge, whose frames' 802.1Q "
			"tags\n"
			"                         are payload (default 802.1Q)\n"
			"  ageing_time SEC        seconds a learned address "
			"lives, " BRIDGE_AGEING_RANGE ", "
			"may\n"
			"                         have a fraction (default 300)\n"
			"  max_learned N          most learned addresses, " BRIDGE_LEARNED_RANGE
			" (default "
			"65536)\n"
			"  default_pvid VID|none  the VLAN a new port joins untagged as its PVID,\n"
			"                         " CTL_VID_RANGE ", or none (default 1)\n"
			"  mcast_snooping, mcast_querier  as bridge set\n",
		.method = "bridge.add",
		.spec = bridge_add_args,
		.print = print_done,
	},
	{
		.name = "del",
		.args = "NAME",
		.help = "Delete bridge NAME and all its ports; taps kvnet made are destroyed.\n",
		.method = "bridge.del",
		.spec = bridge_del_args,
		.print = print_done,
	},
	{
		.name = "set",
		.args = "NAME [vlan_filtering on|off] [vlan_protocol " BRIDGE_PROTO_USAGE "] "
			"[ageing_time SEC] [mcast_snooping on|off] [mcast_querier on|off]",
		.help = "Change bridge NAME; at least one setting is needed.\n"
			"  vlan_filtering on|off  802.1Q VLAN filtering; changing it flushes "
			"every\n"
			"                         learned address\n"
			"  vlan_protocol " BRIDGE_PROTO_USAGE
			" 802.1Q or 802.1ad (S-VLAN); changing it\n"
			"                         flushes every learned address\n"
			"  ageing_time SEC        seconds a learned address "
			"lives, " BRIDGE_AGEING_RANGE "\n"
			"  mcast_snooping on|off  IGMP/MLD snooping (default on): with a querier\n"
			"                         present, IP multicast goes only to the group's\n"
			"                         listeners and the multicast router ports; off\n"
			"                         floods it and forgets every group\n"
			"  mcast_querier on|off   the bridge sends IGMPv2/MLDv1 general queries\n"
			"                         from its host netdev every 125 s (default off)\n",
		.method = "bridge.set",
		.spec = bridge_set_args,
		.flags = PARSE_NEED_KEYWORD,
		.print = print_done,
	},
	{
		.name = "show",
		.args = "[NAME]",
		.help = "Show every bridge, or bridge NAME: its VLAN filtering, ageing time and\n"
			"interfaces, one per line as brctl show does.\n",
		.method = "bridge.list",
		.spec = bridge_show_args,
		.print = bridge_print,
	},
	{ 0 },
};
