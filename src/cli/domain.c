/* SPDX-License-Identifier: GPL-2.0-or-later */
/* domain.c - kvnet attach-interface|detach-interface|domain-interfaces: a domain's ports */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/kvnet.h"
#include "cli/parse.h"
#include "cli/print.h"

static const struct parse_arg domain_attach_args[] = {
	{ .key = "domain", .kind = PARSE_STRING, .what = "domain name", .required = true },
	{ .key = "file", .kind = PARSE_STRING, .what = "file name", .required = true },
	{ .word = "--backend",
	  .key = "backend",
	  .kind = PARSE_CHOICE,
	  .what = "backend",
	  .vocab = &ctl_vm_backends },
	{ .word = "--netns", .key = "netns", .kind = PARSE_NETNS, .what = "network namespace name" },
	{ .word = "--connect", .key = "connect", .kind = PARSE_STRING, .what = "socket path" },
	{ 0 },
};

static const struct parse_arg domain_detach_args[] = {
	{ .key = "domain", .kind = PARSE_STRING, .what = "domain name", .required = true },
	{ .word = "--mac", .key = "mac", .kind = PARSE_MAC, .what = "MAC", .required = true },
	{ 0 },
};

static const struct parse_arg domain_name_args[] = {
	{ .key = "domain", .kind = PARSE_STRING, .what = "domain name", .required = true },
	{ 0 },
};

/* append ",N" or ",N-M" (or without the comma first) to @buf; the run is v[i]..v[j] */
static void domain_vid_run(char *buf, size_t size, const struct vlan_member *v, size_t i, size_t j)
{
	size_t n = strlen(buf);

	if (j > i)
		snprintf(buf + n, size - n, "%s%" JSON_INTEGER_FORMAT "-%" JSON_INTEGER_FORMAT,
			 n ? "," : "", v[i].vid, v[j].vid);
	else
		snprintf(buf + n, size - n, "%s%" JSON_INTEGER_FORMAT, n ? "," : "", v[i].vid);
}

/* the VIDs of @v other than @pvid whose untagged flag is @untagged, runs as N-M */
static void domain_vid_list(char *buf, size_t size, const struct vlan_member *v, size_t n,
			    json_int_t pvid, bool untagged)
{
	size_t i = 0, j;

	buf[0] = '\0';
	while (i < n) {
		if (v[i].vid == pvid || v[i].untagged != untagged) {
			i++;
			continue;
		}
		for (j = i; j + 1 < n && v[j + 1].vid == v[j].vid + 1 && v[j + 1].vid != pvid &&
			    v[j + 1].untagged == untagged;
		     j++)
			;
		domain_vid_run(buf, size, v, i, j);
		i = j + 1;
	}
}

/*
 * An interface's VLANs in one cell: "10 pvid untagged" for an access port, "trunk 42,48"
 * for tagged members, "untagged 5" for untagged ones that are not the PVID, joined by
 * "; "; "-" for none
 */
static int domain_print_vlans(struct print_table *t, size_t col, json_int_t pvid,
			      const struct vlan_member *v, size_t n)
{
	char cell[512] = "", tagged[200], untagged[200];
	size_t i, len;

	for (i = 0; i < n; i++)
		if (v[i].vid == pvid)
			snprintf(cell, sizeof(cell), "%" JSON_INTEGER_FORMAT " pvid%s", pvid,
				 v[i].untagged ? " untagged" : "");
	domain_vid_list(tagged, sizeof(tagged), v, n, pvid, false);
	domain_vid_list(untagged, sizeof(untagged), v, n, pvid, true);
	if (tagged[0]) {
		len = strlen(cell);
		snprintf(cell + len, sizeof(cell) - len, "%strunk %s", len ? "; " : "", tagged);
	}
	if (untagged[0]) {
		len = strlen(cell);
		snprintf(cell + len, sizeof(cell) - len, "%suntagged %s", len ? "; " : "",
			 untagged);
	}
	return print_table_set(t, col, "%s", cell[0] ? cell : "-");
}

static int domain_print_rows(struct print_table *t, const json_t *ifaces)
{
	const json_t *p, *name, *type, *network, *portgroup, *bridge, *mac, *state, *pvid, *vlans;
	struct vlan_member *v;
	char ctx[64];
	size_t i, n;
	int ret;

	for (i = 0; i < json_array_size(ifaces); i++) {
		p = print_need_elem(ifaces, i, "interfaces", ctx, sizeof(ctx));
		if (!p || !(name = print_need(p, ctx, "name", PRINT_STRING)) ||
		    !(type = print_need(p, ctx, "type", PRINT_STRING)) ||
		    !(network = print_need(p, ctx, "network", PRINT_STRING_OR_NULL)) ||
		    !(portgroup = print_need(p, ctx, "portgroup", PRINT_STRING_OR_NULL)) ||
		    !(bridge = print_need(p, ctx, "bridge", PRINT_STRING)) ||
		    !(mac = print_need(p, ctx, "mac", PRINT_STRING)) ||
		    !(state = print_need(p, ctx, "state", PRINT_STRING)) ||
		    !(pvid = print_need(p, ctx, "pvid", PRINT_INT_OR_NULL)) ||
		    !(vlans = print_need(p, ctx, "vlans", PRINT_ARRAY)))
			return -EBADMSG;
		ret = vlan_need_members(vlans, ctx, &v, &n);
		if (ret)
			return ret;
		if (print_table_row(t) || print_table_set(t, 0, "%s", json_string_value(name)) ||
		    print_table_set(t, 1, "%s", json_string_value(type)) ||
		    print_table_set(t, 2, "%s",
				    !strcmp(json_string_value(type), "network") &&
						    json_is_string(network)
					    ? json_string_value(network)
					    : json_string_value(bridge)) ||
		    print_table_set(t, 3, "%s", print_or_dash(portgroup)) ||
		    print_table_set(t, 4, "%s", json_string_value(mac)) ||
		    domain_print_vlans(t, 5, json_is_integer(pvid) ? json_integer_value(pvid) : 0,
				       v, n) ||
		    print_table_set(t, 6, "%s", json_string_value(state))) {
			free(v);
			return -ENOMEM;
		}
		free(v);
	}
	return 0;
}

/*
 * domain.interfaces' result: Interface, Type, Source, Portgroup, MAC, VLANs ("10 pvid
 * untagged", "trunk 42,48"), State
 */
static int domain_print_interfaces(const json_t *result)
{
	static const char *const head[] = { "Interface", "Type",  "Source", "Portgroup",
					    "MAC",	 "VLANs", "State" };

	return print_list_virsh(result, "interfaces", head, 7, domain_print_rows);
}

/* domain.attach's result: "Interface attached successfully", name, MAC */
static int domain_print_attached(const json_t *result)
{
	return domain_print_port_fields(result, "Interface attached successfully");
}

int domain_print_port_fields(const json_t *result, const char *header)
{
	const json_t *name, *mac, *network, *bridge;

	if (!(name = print_need(result, "", "name", PRINT_STRING)) ||
	    !(mac = print_need(result, "", "mac", PRINT_STRING)) ||
	    !(network = print_need(result, "", "network", PRINT_STRING_OR_NULL)) ||
	    !(bridge = print_need(result, "", "bridge", PRINT_STRING)))
		return -EBADMSG;
	printf("%s\n", header);
	if (print_field("Interface:", "%s", json_string_value(name)) ||
	    print_field("MAC:", "%s", json_string_value(mac)) ||
	    (json_is_string(network) &&
	     print_field("Network:", "%s", json_string_value(network))) ||
	    print_field("Bridge:", "%s", json_string_value(bridge)))
		return -ENOMEM;
	return 0;
}

static int domain_attach(struct kvnet *k, json_t *params)
{
	json_t *result;
	int ret;

	ret = qemu_connect_absolute(params);
	if (ret)
		return ret;
	ret = kvnet_call_xml(k, "domain.attach", params, &result);
	if (ret)
		return ret;
	/* a tap in a namespace is the VM's NIC itself: no QEMU to tell anything */
	if (json_object_get(params, "netns"))
		ret = print_result(k, result, domain_print_attached);
	else if (!k->json)
		ret = domain_print_attached(result);
	if (ret == -ENOMEM)
		kvnet_err("out of memory");
	if (!ret && !json_object_get(params, "netns"))
		ret = qemu_print_port(k, result, NULL);
	json_decref(result);
	return ret ? KVNET_EXIT_ERROR : KVNET_EXIT_OK;
}

static int domain_detach(struct kvnet *k, json_t *params)
{
	json_t *result;
	int ret;

	ret = kvnet_call(k, "domain.detach", json_incref(params), &result);
	if (ret)
		return ret;
	if (k->json)
		print_json(result);
	else
		printf("Interface detached successfully\n");
	json_decref(result);
	return KVNET_EXIT_OK;
}

const struct kvnet_cmd domain_cmds[] = {
	{
		.name = "attach-interface",
		.args = "DOMAIN FILE [--backend " QEMU_BACKEND_USAGE "] [--netns NS] "
			"[--connect PATH]",
		.help = "Attach the libvirt <interface> in FILE (as virsh attach-device takes it)\n"
			"to DOMAIN: type='network' with <source network [portgroup]>, or\n"
			"type='bridge' with <source bridge>; <mac> (generated under 52:54:00 when\n"
			"absent), <vlan>, <target dev> (the port's name, default kvportN) and "
			"<port\n"
			"isolated> are used. VLAN: the interface's, else its portgroup's, else "
			"the\n"
			"network's. Prints \"Interface attached successfully\", the port and MAC,\n"
			"and the QEMU arguments that connect the VM (as qemu-args prints them).\n"
			"  --backend tap     a tap kvnet makes, QEMU opens it by name (default)\n"
			"  --backend dev     the existing interface <target dev> (a tap QEMU "
			"made)\n"
			"  --backend stream  a UNIX stream socket: kvnet listens, QEMU connects\n"
			"  --backend dgram   UNIX datagram sockets kvnet hands out\n"
			"  --netns NS        tap: move the tap into network namespace NS, with "
			"the\n"
			"                    MAC (the namespace plays the VM; no QEMU arguments)\n"
			"  --connect PATH    stream, vhost-user: kvnet connects to a QEMU "
			"listening\n"
			"                    at PATH (server=on) and reconnects while it is away\n",
		.spec = domain_attach_args,
		.check = qemu_backend_check,
		.act = domain_attach,
	},
	{
		.name = "detach-interface",
		.args = "DOMAIN --mac MAC",
		.help = "Detach DOMAIN's interface with MAC: its port and tap are removed.\n",
		.spec = domain_detach_args,
		.act = domain_detach,
	},
	{
		.name = "domain-interfaces",
		.args = "DOMAIN",
		.help = "List DOMAIN's interfaces (as virsh domiflist): Interface, Type, Source\n"
			"(network or bridge), Portgroup, MAC, VLANs (\"10 pvid untagged\", "
			"\"trunk\n"
			"42,48\"), State.\n",
		.method = "domain.interfaces",
		.spec = domain_name_args,
		.print = domain_print_interfaces,
	},
	{ 0 },
};
