/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netport.c - kvnet net-port-create|net-port-list|net-port-dumpxml|net-port-delete */

#include <errno.h>
#include <stdio.h>

#include "cli/kvnet.h"
#include "cli/parse.h"
#include "cli/print.h"
#include "ctl/vocab.h"

static const struct parse_arg netport_create_args[] = {
	{ .key = "network", .kind = PARSE_STRING, .what = "network name or UUID", .required = true },
	{ .key = "file", .kind = PARSE_STRING, .what = "file name", .required = true },
	{ .word = "--backend",
	  .key = "backend",
	  .kind = PARSE_CHOICE,
	  .what = "backend",
	  .vocab = &ctl_vm_backends },
	{ .word = "--name", .key = "name", .kind = PARSE_NAME, .what = "interface name" },
	{ .word = "--netns", .key = "netns", .kind = PARSE_NETNS, .what = "network namespace name" },
	{ .word = "--connect", .key = "connect", .kind = PARSE_STRING, .what = "socket path" },
	{ 0 },
};

static const struct parse_arg netport_list_args[] = {
	{ .key = "network", .kind = PARSE_STRING, .what = "network name or UUID", .required = true },
	{ 0 },
};

static const struct parse_arg netport_port_args[] = {
	{ .key = "network", .kind = PARSE_STRING, .what = "network name or UUID", .required = true },
	{ .key = "port", .kind = PARSE_UUID, .what = "port UUID", .required = true },
	{ 0 },
};

static int netport_print_rows(struct print_table *t, const json_t *ports)
{
	const json_t *p, *uuid, *name, *owner, *mac, *group;
	char ctx[64];
	size_t i;

	for (i = 0; i < json_array_size(ports); i++) {
		p = print_need_elem(ports, i, "ports", ctx, sizeof(ctx));
		if (!p || !(uuid = print_need(p, ctx, "uuid", PRINT_STRING)) ||
		    !(name = print_need(p, ctx, "name", PRINT_STRING_OR_NULL)) ||
		    !(owner = print_need(p, ctx, "owner", PRINT_STRING_OR_NULL)) ||
		    !(mac = print_need(p, ctx, "mac", PRINT_STRING)) ||
		    !(group = print_need(p, ctx, "group", PRINT_STRING_OR_NULL)))
			return -EBADMSG;
		if (print_table_row(t) || print_table_set(t, 0, "%s", json_string_value(uuid)) ||
		    print_table_set(t, 1, "%s", print_or_dash(owner)) ||
		    print_table_set(t, 2, "%s", json_string_value(mac)) ||
		    print_table_set(t, 3, "%s", print_or_dash(group)) ||
		    print_table_set(t, 4, "%s", print_or_dash(name)))
			return -ENOMEM;
	}
	return 0;
}

/* net.port.list's result: UUID, Owner, MAC, Group, Interface */
static int netport_print(const json_t *result)
{
	static const char *const head[] = { "UUID", "Owner", "MAC", "Group", "Interface" };

	return print_list_virsh(result, "ports", head, 5, netport_print_rows);
}

static int netport_create(struct kvnet *k, json_t *params)
{
	const json_t *uuid;
	json_t *result;
	int ret;

	ret = qemu_connect_absolute(params);
	if (ret)
		return ret;
	ret = kvnet_call_xml(k, "net.port.create", params, &result);
	if (ret)
		return ret;
	ret = KVNET_EXIT_OK;
	if (k->json && json_object_get(params, "netns")) {
		print_json(result);
	} else if (k->json) {
		ret = qemu_print_port(k, result, NULL);
	} else if (!json_is_string(uuid = json_object_get(result, "uuid"))) {
		kvnet_err("bad answer from kvnetd: \"uuid\" is missing or not a string");
		ret = KVNET_EXIT_ERROR;
	} else {
		printf("Network port %s created from %s\n", json_string_value(uuid),
		       json_string_value(json_object_get(params, "file")));
		/* a tap in a namespace is the VM's NIC itself: no QEMU to tell anything */
		if (!json_object_get(params, "netns"))
			ret = qemu_print_port(k, result, NULL);
	}
	json_decref(result);
	return ret;
}

static int netport_delete(struct kvnet *k, json_t *params)
{
	json_t *result;
	int ret;

	ret = kvnet_call(k, "net.port.delete", json_incref(params), &result);
	if (ret)
		return ret;
	if (k->json)
		print_json(result);
	else
		printf("Network port %s deleted\n",
		       json_string_value(json_object_get(params, "port")));
	json_decref(result);
	return KVNET_EXIT_OK;
}

const struct kvnet_cmd netport_cmds[] = {
	{
		.name = "net-port-create",
		.args = "NET FILE [--backend " QEMU_BACKEND_USAGE "] [--name IF] [--netns NS] "
			"[--connect PATH]",
		.help = "Create a port on running network NET from libvirt <networkport> XML in\n"
			"FILE (owner, mac, group, vlan, port isolated). Its VLAN is the XML's,\n"
			"else its portgroup's, else the network's. Prints \"Network port UUID\n"
			"created from FILE\", then its back-end and the QEMU arguments for it.\n"
			"  --backend B     " CTL_WORDS_OR(
				CTL_VM_BACKEND_LIST) " (tap the default), as "
						     "port-create\n"
						     "  --name IF       the port's name (default "
						     "kvportN, the lowest free N); "
						     "the\n"
						     "                  interface to attach for "
						     "dev\n"
						     "  --netns NS      move the tap into network "
						     "namespace NS and give it the\n"
						     "                  port's MAC (the namespace "
						     "plays the VM)\n"
						     "  --connect PATH  stream, vhost-user: kvnet "
						     "connects to a QEMU listening at PATH\n",
		.spec = netport_create_args,
		.check = qemu_backend_check,
		.act = netport_create,
	},
	{
		.name = "net-port-list",
		.args = "NET",
		.help = "List the ports of network NET: UUID, Owner, MAC, Group, Interface.\n",
		.method = "net.port.list",
		.spec = netport_list_args,
		.print = netport_print,
	},
	{
		.name = "net-port-dumpxml",
		.args = "NET PORT-UUID",
		.help = "Print the <networkport> XML of a port of network NET, with the VLAN in\n"
			"effect and its <plug>.\n",
		.method = "net.port.dumpxml",
		.spec = netport_port_args,
		.print = print_xml,
	},
	{
		.name = "net-port-delete",
		.args = "NET PORT-UUID",
		.help = "Delete a port of network NET, and its tap.\n",
		.spec = netport_port_args,
		.act = netport_delete,
	},
	{ 0 },
};
