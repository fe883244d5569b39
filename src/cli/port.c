/* SPDX-License-Identifier: GPL-2.0-or-later */
/* port.c - kvnet port add|del|set|show */

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/kvnet.h"
#include "cli/parse.h"
#include "cli/print.h"
#include "ctl/vocab.h"

/* ctl/vocab.h's words and bounds, as usage and help spell them */
#define PORT_STATE_USAGE CTL_WORDS_BAR(CTL_PORT_STATE_LIST)
#define PORT_STATE_HELP CTL_WORDS_OR(CTL_PORT_STATE_LIST)
#define PORT_MTU_RANGE STRINGIFY(CTL_MTU_MIN) ".." STRINGIFY(CTL_MTU_MAX)
#define PORT_LEARN_LIMIT_MAX STRINGIFY(CTL_LEARN_LIMIT_MAX)

static const struct parse_arg port_add_args[] = {
	{ .key = "bridge", .kind = PARSE_NAME, .what = "bridge name", .required = true },
	{ .key = "name", .kind = PARSE_PORT_SPEC, .what = "port name", .required = true },
	{ .word = "netns", .key = "netns", .kind = PARSE_NETNS, .what = "network namespace name" },
	{ .word = "mtu",
	  .key = "mtu",
	  .kind = PARSE_UINT,
	  .what = "mtu",
	  .min = CTL_MTU_MIN,
	  .max = CTL_MTU_MAX },
	/* a VXLAN port's (vxlan:NAME) */
	{ .word = "vni", .key = "vni", .kind = PARSE_UINT, .what = "vni", .min = 0, .max = 0xffffff },
	{ .word = "local", .key = "local", .kind = PARSE_STRING, .what = "local address" },
	{ .word = "remote", .key = "remote", .kind = PARSE_STRING, .what = "remote addresses" },
	{ .word = "dstport",
	  .key = "dstport",
	  .kind = PARSE_UINT,
	  .what = "dstport",
	  .min = 1,
	  .max = 65535 },
	{ .word = "vlan_vni", .key = "vlan_vni", .kind = PARSE_STRING, .what = "vlan_vni" },
	{ .word = "group", .key = "group", .kind = PARSE_STRING, .what = "multicast group" },
	{ .word = "dev", .key = "dev", .kind = PARSE_NAME, .what = "group's interface" },
	{ .word = "ttl", .key = "ttl", .kind = PARSE_UINT, .what = "ttl", .min = 1, .max = 255 },
	{ .word = "tos", .key = "tos", .kind = PARSE_UINT, .what = "tos", .min = 0, .max = 255 },
	{ .word = "underlay_mtu",
	  .key = "underlay_mtu",
	  .kind = PARSE_UINT,
	  .what = "underlay_mtu",
	  .min = 68,
	  .max = 65535 },
	{ 0 },
};

static const struct parse_arg port_schannel_args[] = {
	{ .key = "bridge", .kind = PARSE_NAME, .what = "bridge name", .required = true },
	{ .key = "uplink", .kind = PARSE_NAME, .what = "uplink interface", .required = true },
	{ .key = "svid", .kind = PARSE_VID, .what = "S-VID", .required = true },
	{ .word = "name", .key = "name", .kind = PARSE_NAME, .what = "port name" },
	{ 0 },
};

static const struct parse_arg port_del_args[] = {
	{ .key = "name", .kind = PARSE_NAME, .what = "port name", .required = true },
	{ 0 },
};

/* "WORD on|off" for each of ctl/'s port flags */
#define PORT_FLAG_ARG(value, w) { .word = w, .key = w, .kind = PARSE_ONOFF, .what = w },
#define PORT_FLAG_USAGE(value, w) "[" w " on|off] "
#define PORT_FLAGS_USAGE CTL_PORT_FLAG_LIST(PORT_FLAG_USAGE, PORT_FLAG_USAGE, PORT_FLAG_USAGE)

/* "WORD N": a storm control rate, frames/s */
#define PORT_STORM_ARG(w)                                                                          \
	{                                                                                          \
		.word = w, .key = w, .kind = PARSE_UINT, .what = w, .min = 0,                      \
		.max = CTL_STORM_RATE_MAX                                                          \
	}

/* clang-format off: it cannot tell that the flags' list expands to initializers */
static const char *const port_mrouter_words[] = { "off", "auto", "on", NULL };
static const char *const port_learning_words[] = { "any", "dhcp", "none", NULL };

static const struct parse_arg port_set_args[] = {
	{ .key = "name", .kind = PARSE_NAME, .what = "port name", .required = true },
	CTL_PORT_FLAG_LIST(PORT_FLAG_ARG, PORT_FLAG_ARG, PORT_FLAG_ARG){ .word = "mtu",
									 .key = "mtu",
									 .kind = PARSE_UINT,
									 .what = "mtu",
									 .min = CTL_MTU_MIN,
									 .max = CTL_MTU_MAX },
	{ .word = "learn_limit",
	  .key = "learn_limit",
	  .kind = PARSE_UINT,
	  .what = "learn_limit",
	  .min = 0,
	  .max = CTL_LEARN_LIMIT_MAX },
	{ .word = "state",
	  .key = "state",
	  .kind = PARSE_CHOICE,
	  .what = "state",
	  .vocab = &ctl_port_states },
	{ .word = "root_guard", .key = "root_guard", .kind = PARSE_ONOFF, .what = "root_guard" },
	PORT_STORM_ARG("storm_broadcast"),
	PORT_STORM_ARG("storm_unknown_unicast"),
	PORT_STORM_ARG("storm_multicast"),
	{ .word = "mcast_router",
	  .key = "mcast_router",
	  .kind = PARSE_CHOICE,
	  .what = "mcast_router",
	  .choices = port_mrouter_words },
	{ .word = "mcast_max_groups",
	  .key = "mcast_max_groups",
	  .kind = PARSE_UINT,
	  .what = "mcast_max_groups",
	  .min = 0,
	  .max = CTL_MCAST_MAX_GROUPS_MAX },
	{ .word = "mac_lock", .key = "mac_lock", .kind = PARSE_ONOFF, .what = "mac_lock" },
	{ .word = "ip_lock", .key = "ip_lock", .kind = PARSE_ONOFF, .what = "ip_lock" },
	{ .word = "arp_lock", .key = "arp_lock", .kind = PARSE_ONOFF, .what = "arp_lock" },
	{ .word = "l2_lock", .key = "l2_lock", .kind = PARSE_ONOFF, .what = "l2_lock" },
	{ .word = "allowed_mac", .key = "allowed_mac", .kind = PARSE_STRING, .what = "allowed_mac" },
	{ .word = "allowed_ip", .key = "allowed_ip", .kind = PARSE_STRING, .what = "allowed_ip" },
	{ .word = "ip_learning",
	  .key = "ip_learning",
	  .kind = PARSE_CHOICE,
	  .what = "ip_learning",
	  .choices = port_learning_words },
	{ 0 },
};
/* clang-format on */

static const struct parse_arg port_show_args[] = {
	{ .key = "bridge", .kind = PARSE_NAME, .what = "bridge name" },
	{ 0 },
};

/* a network namespace is for a tap kvnet makes; an attached interface stays where it is */
static int port_add_check(const json_t *params)
{
	const char *type = json_string_value(json_object_get(params, "type"));

	if (ctl_vocab_value(&ctl_port_types, type) == CTL_PORT_TYPE_DEV &&
	    json_object_get(params, "netns")) {
		kvnet_err("netns is only for a tap kvnet creates, not for dev:%s (an existing "
			  "interface is attached in kvnetd's namespace)",
			  json_string_value(json_object_get(params, "name")));
		return -EINVAL;
	}
	return 0;
}

/* the names of the flags that are on, comma-separated, or "-" */
static int port_print_flags(struct print_table *t, size_t col, const json_t *flags, const char *ctx)
{
	const char *key;
	json_t *v;
	char *s = NULL, *n;
	size_t len = 0;
	int ret;

	json_object_foreach((json_t *)flags, key, v)
	{
		if (!json_is_boolean(v)) {
			kvnet_err("bad answer from kvnetd: %s.\"flags\".\"%s\" is not true or "
				  "false",
				  ctx, key);
			free(s);
			return -EBADMSG;
		}
		if (!json_is_true(v))
			continue;
		n = realloc(s, len + strlen(key) + 2);
		if (!n) {
			free(s);
			return -ENOMEM;
		}
		s = n;
		len += (size_t)sprintf(s + len, "%s%s", len ? "," : "", key);
	}
	ret = print_table_set(t, col, "%s", s ? s : "-");
	free(s);
	return ret;
}

/* one direction's limit "rx:1250kB/s" (kilobytes of 1000 bytes, libvirt's unit), or "" */
static int port_print_limit(char *buf, size_t size, const char *dir, const json_t *lim,
			    const char *ctx)
{
	const json_t *rate;

	buf[0] = '\0';
	if (!lim || json_is_null(lim))
		return 0;
	rate = json_object_get(lim, "rate");
	if (!json_is_integer(rate)) {
		kvnet_err("bad answer from kvnetd: %s.\"shaping\".\"%s\" has no rate", ctx, dir);
		return -EBADMSG;
	}
	snprintf(buf, size, "%s:%" JSON_INTEGER_FORMAT "kB/s", dir,
		 json_integer_value(rate) / 1000);
	return 0;
}

/* the port's rate limits, "rx:1250kB/s tx:500kB/s", or "-" */
static int port_print_shaping(struct print_table *t, size_t col, const json_t *p, const char *ctx)
{
	const json_t *sh = json_object_get(p, "shaping");
	char rx[48], tx[48];
	int ret;

	ret = port_print_limit(rx, sizeof(rx), "rx", sh ? json_object_get(sh, "rx") : NULL, ctx);
	if (!ret)
		ret = port_print_limit(tx, sizeof(tx), "tx", sh ? json_object_get(sh, "tx") : NULL,
				       ctx);
	if (ret)
		return ret;
	if (!rx[0] && !tx[0])
		return print_table_set(t, col, "-");
	return print_table_set(t, col, "%s%s%s", rx, rx[0] && tx[0] ? " " : "", tx);
}

/* a JSON array of strings @a appended to @s of @size as ",x,y" after @label; Return: length */
static size_t port_print_strings(char *s, size_t size, size_t len, const char *label,
				 const json_t *a)
{
	const json_t *v;
	size_t i;

	json_array_foreach(a, i, v)
	{
		if (!json_is_string(v) || len >= size)
			continue;
		len += (size_t)snprintf(s + len, size - len, "%s%s", i ? "," : label,
					json_string_value(v));
	}
	return len < size ? len : size - 1;
}

/* the port's security: "mac,ip,arp,l2 ip=A,B learned=C", or "-" with every lock off */
static int port_print_security(struct print_table *t, size_t col, const json_t *p)
{
	static const char *const locks[] = { "mac", "ip", "arp", "l2" };
	const json_t *ps = json_object_get(p, "port_security");
	char s[1024] = "", key[16];
	size_t len = 0;

	for (size_t i = 0; ps && i < sizeof(locks) / sizeof(locks[0]); i++) {
		snprintf(key, sizeof(key), "%s_lock", locks[i]);
		if (json_is_true(json_object_get(ps, key)))
			len += (size_t)snprintf(s + len, sizeof(s) - len, "%s%s", len ? "," : "",
						locks[i]);
	}
	if (!len)
		return print_table_set(t, col, "-");
	len = port_print_strings(s, sizeof(s), len, " ip=", json_object_get(ps, "allowed_ip"));
	port_print_strings(s, sizeof(s), len, " learned=", json_object_get(ps, "learned_ip"));
	return print_table_set(t, col, "%s", s);
}

static int port_print_rows(struct print_table *t, const json_t *ports)
{
	static const char *const what = "ports";
	const json_t *p, *name, *bridge, *no, *type, *netns, *link, *state, *mtu, *flags;
	char ctx[64];
	size_t i;
	int ret;

	for (i = 0; i < json_array_size(ports); i++) {
		p = print_need_elem(ports, i, what, ctx, sizeof(ctx));
		if (!p || !(name = print_need(p, ctx, "name", PRINT_STRING)) ||
		    !(bridge = print_need(p, ctx, "bridge", PRINT_STRING)) ||
		    !(no = print_need(p, ctx, "port_no", PRINT_INT)) ||
		    !(type = print_need(p, ctx, "type", PRINT_STRING)) ||
		    !(netns = print_need(p, ctx, "netns", PRINT_STRING_OR_NULL)) ||
		    !(link = print_need(p, ctx, "link", PRINT_STRING)) ||
		    !(state = print_need(p, ctx, "state", PRINT_STRING)) ||
		    !(mtu = print_need(p, ctx, "mtu", PRINT_INT)) ||
		    !(flags = print_need(p, ctx, "flags", PRINT_OBJECT)))
			return -EBADMSG;
		if (print_table_row(t) || print_table_set(t, 0, "%s", json_string_value(name)) ||
		    print_table_set(t, 1, "%s", json_string_value(bridge)) ||
		    print_table_number(t, 2, no) ||
		    print_table_set(t, 3, "%s", json_string_value(type)) ||
		    print_table_set(t, 4, "%s",
				    json_is_string(netns) ? json_string_value(netns) : "-") ||
		    print_table_set(t, 5, "%s", json_string_value(link)) ||
		    /* a port its BPDU guard disabled says why, so the admin knows what resets it */
		    print_table_set(t, 6, "%s%s", json_string_value(state),
				    json_is_true(json_object_get(p, "bpdu_guard_tripped"))
					    ? " (bpdu-guard)"
					    : "") ||
		    print_table_number(t, 7, mtu))
			return -ENOMEM;
		ret = port_print_flags(t, 8, flags, ctx);
		if (!ret)
			ret = port_print_shaping(t, 9, p, ctx);
		if (!ret)
			ret = port_print_security(t, 10, p);
		if (ret)
			return ret;
	}
	return 0;
}

/* port.list's result, one line per port */
static int port_print(const json_t *result)
{
	static const char *const head[] = { "port",  "bridge",	"no",	   "type",
					    "netns", "link",	"state",   "mtu",
					    "flags", "shaping", "security" };

	return print_list(result, "ports", head, 11, port_print_rows);
}

const struct kvnet_cmd port_cmds[] = {
	{
		.name = "add",
		.args = "BRIDGE NAME|dev:IFNAME|vxlan:NAME [netns NS] [mtu N] [vni N] "
			"[vlan_vni VID=VNI[,...]] [local ADDR remote ADDR[,ADDR...] | group ADDR "
			"[dev IFNAME]] [dstport P] [ttl N] [tos N] [underlay_mtu N]]",
		.help = "Add a port to BRIDGE. It starts forwarding, learning and flooding, an\n"
			"untagged member of the bridge's default PVID.\n"
			"  NAME          kvnet creates tap NAME (type tap)\n"
			"  dev:IFNAME    attach the existing interface IFNAME through AF_PACKET "
			"(type\n"
			"                dev; a veth end, a NIC, or a tap QEMU made); the port is "
			"IFNAME\n"
			"  vxlan:NAME    a VXLAN tunnel port NAME (type vxlan, RFC 7348): frames\n"
			"                in UDP to the remotes, broadcast and unknown unicast to\n"
			"                each of them; needs vni or vlan_vni, local and remote;\n"
			"                no privilege with dstport >= 1024\n"
			"  netns NS      move the tap into network namespace NS (as ip netns names "
			"it)\n"
			"  mtu N         " PORT_MTU_RANGE " (default 1500)\n"
			"  vni N         the VXLAN network identifier, 0..16777215, of untagged "
			"frames\n"
			"  vlan_vni VID=VNI,...  carry VLAN VID as VNI (at most 64): the port "
			"joins\n"
			"                VID tagged, frames cross untagged in the VNI; without "
			"vni\n"
			"                the port leaves the default VLAN\n"
			"  local ADDR    the local IPv4 or IPv6 address to bind\n"
			"  remote ADDRS  the remote endpoints, separated by commas (at most 16), "
			"of\n"
			"                the local address's family; only they are listened to\n"
			"  group ADDR    a multicast group instead of remotes: broadcast and "
			"unknown\n"
			"                unicast go to it, any host of it is listened to and "
			"learned\n"
			"  dev IFNAME    the interface the group is joined on (default: the "
			"route's)\n"
			"  dstport P     UDP port, local and remote (default 4789)\n"
			"  ttl N         TTL / hop limit of the datagrams (default 64)\n"
			"  tos N         TOS / traffic class byte of the datagrams (default 0)\n"
			"  underlay_mtu N  MTU of the underlay (default: the local address's "
			"interface's);\n"
			"                a frame that does not fit is dropped (vxlan drop "
			"over-mtu)\n",
		.method = "port.add",
		.spec = port_add_args,
		.check = port_add_check,
		.print = print_done,
	},
	{
		.name = "add-schannel",
		.args = "BRIDGE UPLINK SVID [name NAME]",
		.help = "Add S-channel SVID of port UPLINK to BRIDGE (802.1Qbg multichannel: the\n"
			"S-channel ID is the S-VID). UPLINK is a port of an S-VLAN bridge (bridge\n"
			"add SB vlan_protocol 802.1ad; port add SB dev:eth1). kvnet patches SB to\n"
			"BRIDGE: port NAME on BRIDGE, port NAME-s on SB (a dot1q_tunnel access\n"
			"port of SVID), and makes UPLINK a tagged member of SVID. Frames from\n"
			"BRIDGE leave UPLINK inside S-tag SVID, their 802.1Q tags kept; only\n"
			"S-tag SVID's frames come back. port del of either end removes both.\n"
			"  name NAME     the S-channel's port on BRIDGE (default UPLINK.SVID)\n",
		.method = "port.add_schannel",
		.spec = port_schannel_args,
		.print = print_done,
	},
	{
		.name = "del",
		.args = "NAME",
		.help = "Remove port NAME from its bridge: a tap kvnet made is destroyed, an\n"
			"attached interface released.\n",
		.method = "port.del",
		.spec = port_del_args,
		.print = print_done,
	},
	{
		.name = "set",
		.args = "NAME " PORT_FLAGS_USAGE "[mtu N] [learn_limit N] [state " PORT_STATE_USAGE
			"] [root_guard on|off] [storm_broadcast N] [storm_unknown_unicast N] "
			"[storm_multicast N] [mcast_router off|auto|on] [mcast_max_groups N] "
			"[mac_lock on|off] "
			"[ip_lock on|off] [arp_lock on|off] [l2_lock on|off] [allowed_mac "
			"MAC[,MAC...]] "
			"[allowed_ip ADDR[,ADDR...]] [ip_learning any|dhcp|none]",
		.help = "Change port NAME; at least one setting is needed.\n"
			"  learning on|off     learn source addresses\n"
			"  flood on|off        receive unknown unicast\n"
			"  mcast_flood on|off  receive multicast\n"
			"  bcast_flood on|off  receive broadcast\n"
			"  hairpin on|off      may send a frame back out the port it came from\n"
			"  isolated on|off     isolated ports do not talk to each other\n"
			"  dot1q_tunnel on|off every frame in is untagged (its tags are payload),\n"
			"                      taken into the port's PVID: on an 802.1ad bridge,\n"
			"                      carried inside one S-tag (OVS's dot1q-tunnel)\n"
			"  bpdu_guard on|off   with STP on, a BPDU in disables the port (state\n"
			"                      shows 'disabled (bpdu-guard)'); saying bpdu_guard\n"
			"                      again re-enables it. On for VM ports\n"
			"  access_guard on|off drop frames with a VLAN tag of their own (VID not "
			"0,\n"
			"                      or stacked tags). On for VM access ports\n"
			"  dhcp_guard on|off   drop DHCP server messages (UDP 67->68, 547->546).\n"
			"                      On for VM ports\n"
			"  ra_guard on|off     drop IPv6 Router Advertisements. On for VM ports\n"
			"  root_guard on|off   STP: the port is never root port; a better root\n"
			"                      heard on it blocks it. On for VM ports\n"
			"  storm_broadcast N, storm_unknown_unicast N, storm_multicast N\n"
			"                      most frames/s of that kind flooded from the port,\n"
			"                      0 (the default) for no limit\n"
			"  mcast_router off|auto|on  IGMP/MLD snooping: the port gets every "
			"group's\n"
			"                      multicast and the reports: auto (the default) for\n"
			"                      255 s after a query comes in on it, on always\n"
			"  mcast_max_groups N  most IGMP/MLD groups the port may join (all "
			"VLANs),\n"
			"                      0 for no limit; a VM port starts with 256. A join\n"
			"                      past it is refused (counter mcast_group_limit)\n"
			"  mtu N               " PORT_MTU_RANGE "\n"
			"  learn_limit N       most addresses learned on the port, 0 for no "
			"limit,\n"
			"                      up to " PORT_LEARN_LIMIT_MAX
			"; a VM port starts with 256; at\n"
			"                      the limit the oldest makes room\n"
			"  state STATE         " PORT_STATE_HELP "\n"
			"Port security (libvirt's clean-traffic is all four locks; the counters\n"
			"are drops mac-spoof, ip-spoof, arp-spoof, nd-spoof, l2-other):\n"
			"  mac_lock on|off     drop frames from a source MAC not in allowed_mac\n"
			"                      (no-mac-spoofing)\n"
			"  ip_lock on|off      drop IPv4/IPv6 from a source not in allowed_ip, "
			"nor\n"
			"                      the link-local of an allowed MAC; 0.0.0.0 only for\n"
			"                      DHCP, :: only for ICMPv6 (no-ip-spoofing)\n"
			"  arp_lock on|off     drop ARP other than requests and replies from an\n"
			"                      allowed MAC and IP (or 0.0.0.0, a probe), and ND\n"
			"                      advertising another's address or MAC "
			"(no-arp-spoofing)\n"
			"  l2_lock on|off      drop every EtherType but IPv4, ARP, RARP, IPv6\n"
			"                      (no-other-l2-traffic)\n"
			"  allowed_mac MACS    the station's MACs, separated by commas; \"\" for "
			"none:\n"
			"                      a VM port's own MAC\n"
			"  allowed_ip ADDRS    its IPv4 and IPv6 addresses; \"\" for none: the "
			"IPv4\n"
			"                      address it leases by DHCP (snooped from the "
			"answers\n"
			"                      of ports without dhcp_guard) is allowed, until "
			"then\n"
			"                      only DHCP and ARP probes pass; an IPv6 address\n"
			"                      the guest's duplicate address detection claims\n"
			"                      first is its (another port's claim is nd-spoof)\n"
			"  ip_learning any|dhcp|none  what is learned without allowed_ip\n"
			"                      (libvirt's CTRL_IP_LEARNING): any (the default)\n"
			"                      IPv4 by DHCP and IPv6 by DAD, dhcp IPv4 only,\n"
			"                      none nothing\n",
		.method = "port.set",
		.spec = port_set_args,
		.flags = PARSE_NEED_KEYWORD,
		.print = print_done,
	},
	{
		.name = "show",
		.args = "[BRIDGE]",
		.help = "Show every port, or those of BRIDGE: number, type, namespace, link,\n"
			"state, MTU, the flags that are on, the rate limits of its <bandwidth>\n"
			"(rx: what the switch takes from the port, tx: what it sends out of it)\n"
			"and its port security (the locks on, allowed and learned addresses).\n",
		.method = "port.list",
		.spec = port_show_args,
		.print = port_print,
	},
	{ 0 },
};
